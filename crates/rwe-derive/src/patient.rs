//! The derivation of one patient: a pure function of the patient's records and the study spec, with no
//! state shared between patients, so a cohort can be derived whole, one patient at a time or partitioned.

use rwe_data::rule;
use rwe_data::terms::{
    Agent, BlinaSetting, DiseaseEventType, DiseaseStatus, GeneticFinding, LabTimepoint, Population,
    ProcedureType, VitalStatus,
};
use rwe_data::{Assessment, Date, Diagnostic, PatientRecords, RecordRef, StudyDay, Term};
use rwe_spec::{DurationBasis, LabsAt, MrdDenominator, RfsConsolidationOrigin, StudySpec};

use crate::adam::{AdaeRow, AdrsRow, Adsl, AdtteRow, PatientDerivation, Value};
use crate::catalogue as d;
use crate::cycles::{Cycle, cycles};
use crate::pretherapy::pre_therapy;
use crate::response::{MrdResult, Response, classify, describe, marrow_in_remission, mrd};
use crate::trace::Trace;

fn day(date: Date, origin: Date) -> i32 {
    StudyDay::of(date, origin).get()
}

fn days_i32(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Whole years from `birth` to `at`.
fn age_years(birth: Date, at: Date) -> i64 {
    let (by, bm, bd) = birth.ymd();
    let (ay, am, ad) = at.ymd();
    i64::from(ay - by) - i64::from((am, ad) < (bm, bd))
}

/// Label of the group of `x` for increasing upper bounds: `[35, 55]` → `<35`, `35-<55`, `>=55`.
fn age_group(x: i64, bounds: &[i64]) -> String {
    let mut lower: Option<i64> = None;
    for &b in bounds {
        if x < b {
            return match lower {
                None => format!("<{b}"),
                Some(l) => format!("{l}-<{b}"),
            };
        }
        lower = Some(b);
    }
    format!(">={}", lower.unwrap_or_default())
}

/// Label of the duration bucket of `days` for increasing inclusive bounds: `[14, 28]` → `<=14 DAYS`,
/// `15-28 DAYS`, `>28 DAYS`.
fn duration_group(days: i64, bounds: &[i64]) -> String {
    let mut lower: Option<i64> = None;
    for &b in bounds {
        if days <= b {
            return match lower {
                None => format!("<={b} DAYS"),
                Some(l) => format!("{}-{b} DAYS", l + 1),
            };
        }
        lower = Some(b);
    }
    format!(">{} DAYS", lower.unwrap_or_default())
}

/// A point in time that ends or censors an endpoint.
#[derive(Debug, Clone)]
struct Outcome {
    date: Date,
    cnsr: u8,
    evntdesc: Option<&'static str>,
    cnsdtdsc: Option<&'static str>,
    srcdom: &'static str,
    srcvar: &'static str,
    srcseq: Option<i64>,
    trace: Trace,
}

impl Outcome {
    fn event(
        date: Date,
        desc: &'static str,
        src: (&'static str, &'static str, Option<i64>),
        trace: Trace,
    ) -> Outcome {
        Outcome {
            date,
            cnsr: 0,
            evntdesc: Some(desc),
            cnsdtdsc: None,
            srcdom: src.0,
            srcvar: src.1,
            srcseq: src.2,
            trace,
        }
    }

    fn censor(
        date: Date,
        cnsr: u8,
        desc: &'static str,
        src: (&'static str, &'static str, Option<i64>),
        trace: Trace,
    ) -> Outcome {
        Outcome {
            date,
            cnsr,
            evntdesc: None,
            cnsdtdsc: Some(desc),
            srcdom: src.0,
            srcvar: src.1,
            srcseq: src.2,
            trace,
        }
    }
}

fn source_of(at: &RecordRef, var: &'static str) -> (&'static str, &'static str, Option<i64>) {
    (at.table.name(), var, Some(at.seq_or_row()))
}

/// Derive everything for one patient.
#[must_use]
#[allow(clippy::too_many_lines)]
pub fn derive_patient(records: &PatientRecords, spec: &StudySpec) -> PatientDerivation {
    let cutoff = spec.study.data_cutoff;
    let p = &records.patient;
    let pat = p.at.clone();
    let rec = |why: String| Trace::new(d::RECORDED, why, vec![pat.clone()]);
    let mut adsl = Adsl::new(p.id.clone());
    let mut diagnostics: Vec<Diagnostic> = Vec::new();

    adsl.text(
        "STUDYID",
        spec.study.id.clone(),
        Trace::new(d::RECORDED, "study.id of the study spec", Vec::new()),
    );
    adsl.text("USUBJID", p.id.to_string(), rec("USUBJID".into()));
    if let Some(site) = &p.siteid {
        adsl.text("SITEID", site.clone(), rec("SITEID".into()));
    }
    adsl.text("SEX", p.sex.as_str(), rec("SEX".into()));
    adsl.text("PHSTAT", p.ph_status.as_str(), rec("PH_STATUS".into()));
    for (var, col, v) in [
        ("CNSFL", "CNS_LEUK_BL", p.cns_leuk),
        ("CHINTFL", "CHEMO_INTOL_FL", p.chemo_intol),
        ("REFLASFL", "REFRACT_LAST_FL", p.refract_last),
    ] {
        if let Some(v) = v {
            adsl.text(var, v.as_str(), rec(col.into()));
        }
    }
    if let Some(n) = p.prior_lines {
        adsl.set("PRLINES", Value::Int(n), rec("PRIOR_LINES".into()));
        let group = if n >= 3 {
            ">=3".to_string()
        } else {
            n.to_string()
        };
        adsl.text(
            "PRLINGR",
            group,
            Trace::new(d::PRIOR, format!("PRIOR_LINES {n}"), vec![pat.clone()]),
        );
    }
    let death = p.dthdt.filter(|&x| x <= cutoff);
    adsl.set(
        "DTHFL",
        Value::flag(death.is_some()),
        Trace::new(
            d::DEATH,
            match (p.dthdt, death) {
                (Some(x), None) => format!("DTHDT {x} is after the data cut-off {cutoff}"),
                (Some(x), Some(_)) => format!("DTHDT {x}"),
                (None, _) => "no DTHDT".to_string(),
            },
            vec![pat.clone()],
        ),
    );
    if let Some(x) = death {
        adsl.set(
            "DTHDT",
            Value::Date(x),
            Trace::new(d::DEATH, format!("DTHDT {x}"), vec![pat.clone()]),
        );
        if let Some(c) = p.dthcaus {
            adsl.text("DTHCAUS", c.as_str(), rec("DTHCAUS".into()));
        }
    }
    labs_and_genetics(records, spec, &mut adsl);

    // Index date and inclusion (R1, R2).
    let blina: Vec<&rwe_data::Exposure> = records
        .exposures
        .iter()
        .filter(|e| e.agent == Agent::Blinatumomab && e.start <= cutoff)
        .collect();
    let age_trace = |why: String| Trace::new(d::AGE, why, vec![pat.clone()]);
    let Some(first) = blina.first() else {
        if let Some(age) = p.age {
            adsl.set("AGE", Value::Int(age), age_trace(format!("AGE {age}")));
        }
        adsl.text(
            "SAFFL",
            "N",
            Trace::new(
                d::INDEX,
                "no blinatumomab exposure on or before the cut-off",
                vec![pat.clone()],
            ),
        );
        adsl.text(
            "EXCLREAS",
            "NO BLINATUMOMAB EXPOSURE",
            Trace::new(d::INDEX, "no blinatumomab exposure", vec![pat.clone()]),
        );
        return PatientDerivation {
            adsl,
            adrs: Vec::new(),
            adtte: Vec::new(),
            adae: Vec::new(),
            diagnostics,
        };
    };
    let trtsdt = first.start;
    let last = blina
        .iter()
        .max_by_key(|e| (e.end.min(cutoff), e.at.clone()))
        .copied()
        .unwrap_or(first);
    let trtedt = last.end.min(cutoff);
    adsl.set(
        "TRTSDT",
        Value::Date(trtsdt),
        Trace::new(
            d::INDEX,
            format!("first blinatumomab infusion {trtsdt}"),
            vec![first.at.clone()],
        ),
    );
    let (age, age_why) = match (p.brthdt, p.age) {
        (Some(b), _) => (
            Some(age_years(b, trtsdt)),
            format!("whole years from BRTHDT {b} to TRTSDT {trtsdt}"),
        ),
        (None, Some(a)) => (Some(a), format!("AGE {a} as recorded")),
        (None, None) => (None, String::new()),
    };
    if let Some(age) = age {
        adsl.set("AGE", Value::Int(age), age_trace(age_why));
        adsl.text("AGEU", "YEARS", age_trace("years".into()));
        adsl.text(
            "AGEGR1",
            age_group(age, &spec.population.age_groups),
            age_trace(format!(
                "AGE {age} grouped by {:?}",
                spec.population.age_groups
            )),
        );
    }
    let (start, end) = (spec.study.enrolment_start, spec.study.enrolment_end);
    if trtsdt < start || trtsdt > end {
        let why = format!("TRTSDT {trtsdt} outside the enrolment window {start} to {end}");
        adsl.text(
            "SAFFL",
            "N",
            Trace::new(d::INDEX, why.clone(), vec![first.at.clone()]),
        );
        adsl.text(
            "EXCLREAS",
            "FIRST INFUSION OUTSIDE ENROLMENT WINDOW",
            Trace::new(d::INDEX, why, vec![first.at.clone()]),
        );
        return PatientDerivation {
            adsl,
            adrs: Vec::new(),
            adtte: Vec::new(),
            adae: Vec::new(),
            diagnostics,
        };
    }
    adsl.text(
        "SAFFL",
        "Y",
        Trace::new(
            d::INDEX,
            format!("TRTSDT {trtsdt} within the enrolment window {start} to {end}"),
            vec![first.at.clone()],
        ),
    );
    adsl.set(
        "TRTEDT",
        Value::Date(trtedt),
        Trace::new(
            d::INDEX,
            if last.end > cutoff {
                format!(
                    "last blinatumomab infusion ends {} after the cut-off: {cutoff}",
                    last.end
                )
            } else {
                format!("last blinatumomab infusion ends {trtedt}")
            },
            vec![last.at.clone()],
        ),
    );
    let all_blina: Vec<RecordRef> = blina.iter().map(|e| e.at.clone()).collect();
    adsl.set(
        "TRTDURD",
        Value::Int(i64::from(trtedt.days_since(trtsdt) + 1)),
        Trace::new(
            d::INDEX,
            format!("TRTEDT {trtedt} - TRTSDT {trtsdt} + 1"),
            if first.at == last.at {
                vec![first.at.clone()]
            } else {
                vec![first.at.clone(), last.at.clone()]
            },
        ),
    );

    // Cycles and duration (R6, R7).
    // `blina` is not empty here, so there is at least one cycle and `cs[0]` exists.
    let cs = cycles(&blina, spec.cycles.gap_days, cutoff);
    let cycles_why = cs
        .iter()
        .map(|c| {
            format!(
                "cycle {} {} to {} ({} days)",
                c.number,
                c.start,
                c.end,
                c.days()
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    adsl.set(
        "NCYCLES",
        Value::Int(cs.len() as i64),
        Trace::new(d::CYCLES, cycles_why.clone(), all_blina.clone()),
    );
    adsl.text(
        "CYCGR1",
        if cs.len() == 1 {
            "1 CYCLE"
        } else {
            "MULTIPLE CYCLES"
        },
        Trace::new(d::CYCLES, cycles_why, all_blina.clone()),
    );
    for c in &cs {
        if i64::from(c.days()) > spec.cycles.max_cycle_days
            && let Some(at) = c.records.last()
        {
            diagnostics.push(rule::EX_CYCLE_TOO_LONG.at(
                at.cell("EXENDT"),
                format!(
                    "cycle {} of {} from {} to {}: {} infusion days",
                    c.number,
                    p.id,
                    c.start,
                    c.end,
                    c.days()
                ),
                format!(
                    "at most {} infusion days per cycle (cycles.max_cycle_days)",
                    spec.cycles.max_cycle_days
                ),
            ));
        }
    }
    let (dur, dur_why) = match spec.cycles.duration_basis {
        DurationBasis::Cycle1 => {
            let c1 = &cs[0];
            (
                i64::from(c1.days()),
                format!("cycle 1 {} to {}: {} days", c1.start, c1.end, c1.days()),
            )
        }
        DurationBasis::TotalCapped => {
            let total: i64 = cs.iter().map(|c| i64::from(c.days())).sum();
            let cap = spec
                .cycles
                .duration_buckets
                .last()
                .copied()
                .unwrap_or(total);
            (
                total.min(cap),
                format!(
                    "{total} infusion days over {} cycles, capped at {cap}",
                    cs.len()
                ),
            )
        }
    };
    let c1_refs = cs[0].records.clone();
    adsl.set(
        "DURC1D",
        Value::Int(dur),
        Trace::new(d::DURATION, dur_why.clone(), c1_refs.clone()),
    );
    adsl.text(
        "DURGR1",
        duration_group(dur, &spec.cycles.duration_buckets),
        Trace::new(d::DURATION, dur_why, c1_refs),
    );
    if let Some(reason) = last.dcreas {
        adsl.text(
            "DCSREAS",
            reason.as_str(),
            Trace::new(
                d::END_OF_TREATMENT,
                format!("DCREAS of the last blinatumomab record: {reason}"),
                vec![last.at.clone()],
            ),
        );
    }

    // Prior therapy and population (R3).
    let prior_procs: Vec<&rwe_data::Procedure> = records
        .procedures
        .iter()
        .filter(|x| x.date < trtsdt)
        .collect();
    let prior_of = |kinds: &[ProcedureType]| -> Vec<RecordRef> {
        prior_procs
            .iter()
            .filter(|x| kinds.contains(&x.kind))
            .map(|x| x.at.clone())
            .collect()
    };
    let prior_hsct = prior_of(&[ProcedureType::AlloHsct, ProcedureType::AutoHsct]);
    let prior_cart = prior_of(&[ProcedureType::CarT]);
    let prior_ino: Vec<RecordRef> = records
        .exposures
        .iter()
        .filter(|e| e.agent == Agent::Inotuzumab && e.start < trtsdt)
        .map(|e| e.at.clone())
        .collect();
    for (var, refs, what) in [
        ("PRHSCTFL", &prior_hsct, "HSCT"),
        ("PRCARTFL", &prior_cart, "CAR-T"),
        ("PRINOFL", &prior_ino, "inotuzumab"),
    ] {
        adsl.set(
            var,
            Value::flag(!refs.is_empty()),
            Trace::new(
                d::PRIOR,
                format!("{} {what} record(s) before TRTSDT {trtsdt}", refs.len()),
                refs.clone(),
            ),
        );
    }
    let pre_events: Vec<&rwe_data::DiseaseEvent> =
        records.events.iter().filter(|e| e.date < trtsdt).collect();
    let prior_allo_or_cart = prior_procs
        .iter()
        .any(|x| matches!(x.kind, ProcedureType::AlloHsct | ProcedureType::CarT));
    let derived_pop =
        if !pre_events.is_empty() || p.prior_lines.is_some_and(|n| n > 0) || prior_allo_or_cart {
            Population::Rr
        } else {
            Population::Nd
        };
    let mut pop_sources = vec![pat.clone()];
    pop_sources.extend(pre_events.iter().map(|e| e.at.clone()));
    pop_sources.extend(prior_procs.iter().map(|x| x.at.clone()));
    let pop_why = format!(
        "{} disease event(s) before TRTSDT, PRIOR_LINES {}, {} prior allo-HSCT/CAR-T",
        pre_events.len(),
        p.prior_lines.map_or("empty".to_string(), |n| n.to_string()),
        prior_procs
            .iter()
            .filter(|x| matches!(x.kind, ProcedureType::AlloHsct | ProcedureType::CarT))
            .count()
    );
    let pop = match p.pop_recorded {
        Some(recorded) => {
            if recorded != derived_pop {
                diagnostics.push(rule::PT_POPULATION_DISAGREES.at(
                    pat.cell("POP_RECORDED"),
                    recorded.as_str(),
                    format!(
                        "{derived_pop} as derived from {pop_why} (the recorded {recorded} is used)"
                    ),
                ));
            }
            adsl.text(
                "POPGR1",
                recorded.as_str(),
                Trace::new(
                    d::POPULATION,
                    format!("POP_RECORDED {recorded} (derived: {derived_pop} from {pop_why})"),
                    pop_sources,
                ),
            );
            recorded
        }
        None => {
            adsl.text(
                "POPGR1",
                derived_pop.as_str(),
                Trace::new(
                    d::POPULATION,
                    format!("derived from {pop_why}"),
                    pop_sources,
                ),
            );
            derived_pop
        }
    };

    // Status and MRD at the start, setting (R4).
    let window_start = trtsdt.add_days(days_i32(-spec.population.baseline_window_days));
    let baseline_marrow = records.assessments.iter().rfind(|a| {
        a.date >= window_start
            && a.date <= trtsdt
            && a.specimen == rwe_data::terms::Specimen::Bm
            && a.blasts.is_some()
    });
    let derived_status = match baseline_marrow.and_then(|a| marrow_in_remission(a, spec)) {
        Some(true) => DiseaseStatus::Cr,
        Some(false) => DiseaseStatus::NonCr,
        None => DiseaseStatus::Unknown,
    };
    let marrow_why = baseline_marrow.map_or_else(
        || format!("no marrow from {window_start} to TRTSDT {trtsdt}"),
        |a| format!("baseline marrow {}: {}", a.date, describe(a)),
    );
    let mut status_sources = vec![pat.clone()];
    status_sources.extend(baseline_marrow.map(|a| a.at.clone()));
    let status = p.dz_status_start.unwrap_or(derived_status);
    adsl.text(
        "DZSTBL",
        status.as_str(),
        Trace::new(
            d::STATUS_START,
            match p.dz_status_start {
                Some(s) => format!("DZ_STATUS_START {s} (derived: {derived_status}; {marrow_why})"),
                None => marrow_why.clone(),
            },
            status_sources.clone(),
        ),
    );
    let derived_setting = match (pop, status) {
        (Population::Nd, DiseaseStatus::Cr) => BlinaSetting::FlConsolidation,
        (Population::Nd, DiseaseStatus::NonCr) => BlinaSetting::FlInduction,
        (Population::Nd, DiseaseStatus::Unknown) => BlinaSetting::FlUnknown,
        (Population::Rr, DiseaseStatus::Cr) => BlinaSetting::RrConsolidation,
        (Population::Rr, DiseaseStatus::NonCr) => BlinaSetting::RrReinduction,
        (Population::Rr, DiseaseStatus::Unknown) => BlinaSetting::RrUnknown,
    };
    let setting = match p.setting {
        Some(recorded) => {
            if recorded != derived_setting && status != DiseaseStatus::Unknown {
                diagnostics.push(rule::PT_SETTING_DISAGREES.at(
                    pat.cell("BLINA_SETTING"),
                    recorded.as_str(),
                    format!(
                        "{derived_setting} for a patient in population {pop} whose status at the start \
                         is {status} (the recorded {recorded} is used)"
                    ),
                ));
            }
            recorded
        }
        None => derived_setting,
    };
    adsl.text(
        "BLSETT",
        setting.as_str(),
        Trace::new(
            d::SETTING,
            match p.setting {
                Some(r) => format!("BLINA_SETTING {r} (derived: {derived_setting})"),
                None => format!("derived from POPGR1 {pop} and DZSTBL {status}"),
            },
            status_sources.clone(),
        ),
    );
    let consolidation = matches!(
        setting,
        BlinaSetting::FlConsolidation | BlinaSetting::RrConsolidation
    );
    let in_cr_at_start =
        status == DiseaseStatus::Cr || (status == DiseaseStatus::Unknown && consolidation);
    adsl.set(
        "CRSTFL",
        Value::flag(in_cr_at_start),
        Trace::new(
            d::STATUS_START,
            format!("DZSTBL {status}, BLSETT {setting}"),
            status_sources,
        ),
    );
    let baseline_mrd = records
        .assessments
        .iter()
        .filter(|a| a.date >= window_start && a.date <= trtsdt)
        .filter_map(|a| mrd(a, spec).map(|m| (a, m)))
        .rfind(|(_, m)| *m != MrdResult::NotEvaluable);
    adsl.text(
        "MRDSTBL",
        baseline_mrd.map_or("UNKNOWN", |(_, m)| m.code()),
        Trace::new(
            d::MRD_START,
            baseline_mrd.map_or_else(
                || format!("no evaluable MRD from {window_start} to TRTSDT {trtsdt}"),
                |(a, _)| format!("baseline MRD {}: {}", a.date, describe(a)),
            ),
            baseline_mrd
                .map(|(a, _)| a.at.clone())
                .into_iter()
                .collect(),
        ),
    );

    pre_therapy(records, trtsdt, &mut adsl);

    // Subsequent therapy (R10).
    let mut subsequent: Vec<(Date, u8, &'static str, RecordRef)> = Vec::new();
    for e in &records.exposures {
        if e.start <= trtedt || e.start > cutoff {
            continue;
        }
        let cat = match e.agent {
            Agent::Chemo
            | Agent::TkiImatinib
            | Agent::TkiDasatinib
            | Agent::TkiPonatinib
            | Agent::TkiOlverembatinib
            | Agent::TkiOther => Some((0, "CHEMO")),
            Agent::Inotuzumab => Some((1, "INO")),
            Agent::Blinatumomab | Agent::DexamethasonePremed => None,
        };
        if let Some((rank, cat)) = cat {
            subsequent.push((e.start, rank, cat, e.at.clone()));
        }
    }
    for x in &records.procedures {
        if x.date <= trtedt || x.date > cutoff {
            continue;
        }
        let (rank, cat) = match x.kind {
            ProcedureType::CarT => (2, "CAR-T"),
            ProcedureType::AlloHsct => (3, "ALLO-HSCT"),
            ProcedureType::AutoHsct => (4, "AUTO-HSCT"),
        };
        subsequent.push((x.date, rank, cat, x.at.clone()));
    }
    subsequent.sort();
    let mut path: Vec<&'static str> = Vec::new();
    for (_, _, cat, _) in &subsequent {
        if path.last() != Some(cat) {
            path.push(cat);
        }
    }
    let sub_refs: Vec<RecordRef> = subsequent.iter().map(|s| s.3.clone()).collect();
    let sub_why = if subsequent.is_empty() {
        format!("no therapy after TRTEDT {trtedt}")
    } else {
        subsequent
            .iter()
            .map(|(dt, _, cat, _)| format!("{cat} {dt}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let newthdt = subsequent.first().map(|s| s.0);
    adsl.set(
        "NEWTHDT",
        newthdt.into(),
        Trace::new(
            d::SUBSEQUENT,
            sub_why.clone(),
            sub_refs.iter().take(1).cloned().collect(),
        ),
    );
    adsl.text(
        "FIRSTSUB",
        path.first().copied().unwrap_or("NONE"),
        Trace::new(
            d::SUBSEQUENT,
            sub_why.clone(),
            sub_refs.iter().take(1).cloned().collect(),
        ),
    );
    adsl.text(
        "TXPATH",
        if path.is_empty() {
            "NONE".to_string()
        } else {
            path.join(">")
        },
        Trace::new(d::SUBSEQUENT, sub_why.clone(), sub_refs.clone()),
    );
    let first_of = |cat: &str| subsequent.iter().find(|s| s.2 == cat);
    for (flag, date_var, cat) in [
        ("HSCTFL", Some("HSCTDT"), "ALLO-HSCT"),
        ("CARTFL", Some("CARTDT"), "CAR-T"),
        ("INOFL", None, "INO"),
        ("CHEMOFL", None, "CHEMO"),
    ] {
        let found = first_of(cat);
        let refs: Vec<RecordRef> = found.map(|s| s.3.clone()).into_iter().collect();
        adsl.set(
            flag,
            Value::flag(found.is_some()),
            Trace::new(d::SUBSEQUENT, sub_why.clone(), refs.clone()),
        );
        if let (Some(var), Some(s)) = (date_var, found) {
            adsl.set(
                var,
                Value::Date(s.0),
                Trace::new(
                    d::SUBSEQUENT,
                    format!("first {cat} after TRTEDT: {}", s.0),
                    refs,
                ),
            );
        }
    }

    // Responses (R8).
    let response_end = {
        let by_time = trtedt.add_days(days_i32(spec.response.window_after_last_infusion_days));
        newthdt.map_or(by_time, |n| by_time.min(n.add_days(-1)))
    };
    let before_new = |date: Date| newthdt.is_none_or(|n| date < n);
    let visit = |date: Date, grace: i64| -> String {
        match cs.iter().rfind(|c| c.start <= date) {
            Some(c) if date <= c.end.add_days(days_i32(grace)) => format!("CYCLE {}", c.number),
            _ => "POST-TREATMENT".to_string(),
        }
    };
    let mut adrs: Vec<AdrsRow> = Vec::new();
    if let Some(a) = baseline_marrow {
        adrs.push(AdrsRow {
            subject: p.id.clone(),
            paramcd: "OVRLRESP",
            param: "Overall response per bone-marrow assessment",
            avalc: if derived_status == DiseaseStatus::Cr {
                "CR".into()
            } else {
                "NR".into()
            },
            adt: Some(a.date),
            ady: Some(day(a.date, trtsdt)),
            avisit: Some("BASELINE".into()),
            anl01fl: false,
            trace: Trace::new(d::STATUS_START, describe(a), vec![a.at.clone()]),
        });
    }
    let mut in_remission = in_cr_at_start;
    let mut assessed: Vec<(&Assessment, Response)> = Vec::new();
    for a in records.assessments.iter().filter(|a| {
        a.date > trtsdt && a.date <= cutoff && a.specimen == rwe_data::terms::Specimen::Bm
    }) {
        let r = classify(a, in_remission, spec);
        if r.is_remission() {
            in_remission = true;
        } else if r == Response::Relapse || r == Response::NoResponse {
            in_remission = false;
        }
        assessed.push((a, r));
        let counted = a.date <= response_end;
        adrs.push(AdrsRow {
            subject: p.id.clone(),
            paramcd: "OVRLRESP",
            param: "Overall response per bone-marrow assessment",
            avalc: r.code().into(),
            adt: Some(a.date),
            ady: Some(day(a.date, trtsdt)),
            avisit: Some(visit(a.date, spec.response.window_after_last_infusion_days)),
            anl01fl: counted,
            trace: Trace::new(
                d::RESPONSE,
                format!(
                    "{} (day {}): {} -> {r}",
                    a.date,
                    day(a.date, trtsdt),
                    describe(a)
                ),
                vec![a.at.clone()],
            ),
        });
    }
    let window: Vec<&(&Assessment, Response)> = assessed
        .iter()
        .filter(|(a, _)| a.date <= response_end)
        .collect();
    let best = window
        .iter()
        .min_by_key(|(a, r)| (r.rank(), a.date))
        .copied();
    let first_cr = window.iter().find(|(_, r)| r.is_remission()).copied();
    let efs_window = spec.endpoints.efs_cr_window_days;
    let wk12_limit = trtsdt.add_days(days_i32(efs_window - 1));
    let cr_wk12 = assessed
        .iter()
        .find(|(a, r)| r.is_remission() && a.date <= wk12_limit && before_new(a.date));
    let window_refs: Vec<RecordRef> = window.iter().map(|(a, _)| a.at.clone()).collect();
    let window_why = format!(
        "assessments after TRTSDT {trtsdt} up to {response_end}: {}",
        if window.is_empty() {
            "none".to_string()
        } else {
            window
                .iter()
                .map(|(a, r)| format!("{} {r}", a.date))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    let crcri = !in_cr_at_start && first_cr.is_some();
    let mut crdt: Option<Date> = None;
    if in_cr_at_start {
        let na = || {
            Trace::new(
                d::RESPONSE_WINDOW,
                "in CR at the start: not applicable",
                Vec::new(),
            )
        };
        adsl.text("BESTRESP", "NA", na());
        adsl.text("CRCRI", "NA", na());
        adsl.text("CRWK12", "NA", na());
        adsl.text("BORWK12", "NA", na());
    } else {
        let best_code = best.map_or("NE", |(_, r)| r.code());
        adsl.text(
            "BESTRESP",
            best_code,
            Trace::new(d::RESPONSE_WINDOW, window_why.clone(), window_refs.clone()),
        );
        adsl.set(
            "CRCRI",
            Value::flag(crcri),
            Trace::new(d::RESPONSE_WINDOW, window_why.clone(), window_refs.clone()),
        );
        let wk12_why = match cr_wk12 {
            Some((a, r)) => format!(
                "{r} on {} (study day {}), on or before day {efs_window} ({wk12_limit})",
                a.date,
                day(a.date, trtsdt)
            ),
            None => format!(
                "no CR/CRi on or before study day {efs_window} ({wk12_limit}){}",
                newthdt.map_or(String::new(), |n| format!(" and before NEWTHDT {n}"))
            ),
        };
        let wk12_refs: Vec<RecordRef> = assessed.iter().map(|(a, _)| a.at.clone()).collect();
        // Best response within the EFS window (study day <= efs_cr_window_days, before NEWTHDT).
        let in_wk12: Vec<&(&Assessment, Response)> = assessed
            .iter()
            .filter(|(a, _)| a.date <= wk12_limit && before_new(a.date))
            .collect();
        let best_wk12 = in_wk12
            .iter()
            .min_by_key(|(a, r)| (r.rank(), a.date))
            .copied();
        let best_wk12_code = best_wk12.map_or("NE", |(_, r)| r.code());
        let best_wk12_why = format!(
            "assessments on study days 2 to {efs_window} (up to {wk12_limit}){}: {}",
            newthdt.map_or(String::new(), |n| format!(" before NEWTHDT {n}")),
            if in_wk12.is_empty() {
                "none".to_string()
            } else {
                in_wk12
                    .iter()
                    .map(|(a, r)| format!("{} (day {}) {r}", a.date, day(a.date, trtsdt)))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        );
        let best_wk12_refs: Vec<RecordRef> = in_wk12.iter().map(|(a, _)| a.at.clone()).collect();
        adsl.text(
            "BORWK12",
            best_wk12_code,
            Trace::new(d::CR_WEEK12, best_wk12_why.clone(), best_wk12_refs.clone()),
        );
        adsl.set(
            "CRWK12",
            Value::flag(cr_wk12.is_some()),
            Trace::new(d::CR_WEEK12, wk12_why.clone(), wk12_refs.clone()),
        );
        if let Some((a, r)) = first_cr {
            crdt = Some(a.date);
            adsl.set(
                "CRDT",
                Value::Date(a.date),
                Trace::new(
                    d::RESPONSE_WINDOW,
                    format!("first {r} in the response window"),
                    vec![a.at.clone()],
                ),
            );
        }
        for (paramcd, param, value, rule_id, why, refs) in [
            (
                "BOR",
                "Best overall response in the response window",
                best_code.to_string(),
                d::RESPONSE_WINDOW,
                window_why.clone(),
                window_refs.clone(),
            ),
            (
                "CRCRI",
                "CR/CRi in the response window",
                if crcri { "Y" } else { "N" }.to_string(),
                d::RESPONSE_WINDOW,
                window_why.clone(),
                window_refs.clone(),
            ),
            (
                "BORWK12",
                "Best overall response within 12 weeks",
                best_wk12_code.to_string(),
                d::CR_WEEK12,
                best_wk12_why,
                best_wk12_refs,
            ),
            (
                "CRWK12",
                "CR/CRi within 12 weeks",
                if cr_wk12.is_some() { "Y" } else { "N" }.to_string(),
                d::CR_WEEK12,
                wk12_why,
                wk12_refs,
            ),
        ] {
            let deciding = match paramcd {
                "CRWK12" => cr_wk12.map(|(a, _)| a.date),
                "BOR" => best.map(|(a, _)| a.date),
                "BORWK12" => best_wk12.map(|(a, _)| a.date),
                _ => first_cr.map(|(a, _)| a.date),
            };
            adrs.push(AdrsRow {
                subject: p.id.clone(),
                paramcd,
                param,
                avalc: value,
                adt: deciding,
                ady: deciding.map(|x| day(x, trtsdt)),
                avisit: None,
                anl01fl: true,
                trace: Trace::new(rule_id, why, refs),
            });
        }
    }

    // MRD (R9).
    let mrd_overall_end = {
        let by_time = trtedt.add_days(days_i32(spec.mrd.grace_days));
        newthdt.map_or(by_time, |n| by_time.min(n.add_days(-1)))
    };
    let k = usize::try_from(spec.mrd.within_cycles)
        .unwrap_or(usize::MAX)
        .min(cs.len());
    let mrd_2c_end = {
        let c: &Cycle = &cs[k.max(1) - 1];
        let mut end = c.end.add_days(days_i32(spec.mrd.grace_days));
        if let Some(next) = cs.get(k) {
            end = end.min(next.start.add_days(-1));
        }
        end.min(mrd_overall_end)
    };
    let mut mrd_rows: Vec<(&Assessment, MrdResult)> = Vec::new();
    for a in records
        .assessments
        .iter()
        .filter(|a| a.date > trtsdt && a.date <= cutoff)
    {
        if let Some(m) = mrd(a, spec) {
            mrd_rows.push((a, m));
            adrs.push(AdrsRow {
                subject: p.id.clone(),
                paramcd: "MRD",
                param: "MRD per assessment",
                avalc: m.code().into(),
                adt: Some(a.date),
                ady: Some(day(a.date, trtsdt)),
                avisit: Some(visit(a.date, spec.mrd.grace_days)),
                anl01fl: a.date <= mrd_overall_end,
                trace: Trace::new(
                    d::MRD,
                    format!("{}: {} -> {}", a.date, describe(a), m.code()),
                    vec![a.at.clone()],
                ),
            });
        }
    }
    let in_overall: Vec<&(&Assessment, MrdResult)> = mrd_rows
        .iter()
        .filter(|(a, _)| a.date <= mrd_overall_end)
        .collect();
    let evaluable = in_overall
        .iter()
        .any(|(_, m)| *m != MrdResult::NotEvaluable);
    let baseline_ok = spec.mrd.denominator == MrdDenominator::Evaluable
        || baseline_mrd.is_some_and(|(_, m)| m == MrdResult::Positive);
    let mrd_denominator = (in_cr_at_start || crcri) && evaluable && baseline_ok;
    let first_neg_overall = in_overall
        .iter()
        .find(|(_, m)| *m == MrdResult::Negative)
        .map(|(a, _)| *a);
    let first_neg_2c = in_overall
        .iter()
        .find(|(a, m)| *m == MrdResult::Negative && a.date <= mrd_2c_end)
        .map(|(a, _)| *a);
    let mrd_refs: Vec<RecordRef> = in_overall.iter().map(|(a, _)| a.at.clone()).collect();
    let mrd_list = if in_overall.is_empty() {
        "none".to_string()
    } else {
        in_overall
            .iter()
            .map(|(a, m)| format!("{} {}", a.date, m.code()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let den_why = format!(
        "{}; evaluable MRD after TRTSDT up to {mrd_overall_end}: {mrd_list}",
        if in_cr_at_start {
            "in CR at the start".to_string()
        } else if crcri {
            "CR/CRi in the response window".to_string()
        } else {
            "no CR at the start and no CR/CRi".to_string()
        }
    );
    adsl.set(
        "MRDEVFL",
        Value::flag(mrd_denominator),
        Trace::new(d::MRD_WINDOWS, den_why, mrd_refs.clone()),
    );
    for (var, paramcd, param, hit, end) in [
        (
            "MRD2CFL",
            "MRD2C",
            "MRD negativity within 2 cycles",
            first_neg_2c,
            mrd_2c_end,
        ),
        (
            "MRDOVFL",
            "MRDOV",
            "MRD negativity overall",
            first_neg_overall,
            mrd_overall_end,
        ),
    ] {
        let why = match hit {
            Some(a) => format!("negative MRD on {} (window ends {end})", a.date),
            None => format!("no negative MRD after TRTSDT up to {end}: {mrd_list}"),
        };
        adsl.set(
            var,
            Value::flag(hit.is_some()),
            Trace::new(d::MRD_WINDOWS, why.clone(), mrd_refs.clone()),
        );
        adrs.push(AdrsRow {
            subject: p.id.clone(),
            paramcd,
            param,
            avalc: if hit.is_some() { "Y" } else { "N" }.into(),
            adt: hit.map(|a| a.date),
            ady: hit.map(|a| day(a.date, trtsdt)),
            avisit: None,
            anl01fl: mrd_denominator,
            trace: Trace::new(d::MRD_WINDOWS, why, mrd_refs.clone()),
        });
    }

    // Last date known alive.
    let mut alive: Vec<(Date, RecordRef, &'static str)> =
        vec![(trtsdt, first.at.clone(), "TRTSDT")];
    for e in &records.exposures {
        if e.start <= cutoff {
            alive.push((e.end, e.at.clone(), "EXENDT"));
        }
    }
    alive.extend(
        records
            .assessments
            .iter()
            .map(|a| (a.date, a.at.clone(), "RSDT")),
    );
    alive.extend(
        records
            .procedures
            .iter()
            .map(|x| (x.date, x.at.clone(), "PROCDT")),
    );
    alive.extend(
        records
            .adverse_events
            .iter()
            .map(|a| (a.start, a.at.clone(), "AESTDT")),
    );
    alive.extend(
        records
            .contacts
            .iter()
            .filter(|c| c.vital == VitalStatus::Alive)
            .map(|c| (c.date, c.at.clone(), "CONTACTDT")),
    );
    if let Some(x) = p.lstcntdt {
        alive.push((x, pat.clone(), "LSTCNTDT"));
    }
    if let Some(x) = p.dthdt.filter(|&x| x > cutoff) {
        alive.push((x, pat.clone(), "DTHDT"));
    }
    let (latest, latest_ref, latest_var) = alive
        .iter()
        .max_by_key(|(dt, at, _)| (*dt, at.clone()))
        .cloned()
        .unwrap_or((trtsdt, first.at.clone(), "TRTSDT"));
    let cap = death.map_or(cutoff, |x| x.min(cutoff));
    let lstalvdt = latest.min(cap);
    let lstalv_why = if latest > cap {
        if death.is_some_and(|x| x < latest) {
            format!("{latest_var} {latest} is after the death: {lstalvdt}")
        } else {
            format!(
                "{latest_var} {latest} is after the cut-off: known alive at the cut-off {lstalvdt}"
            )
        }
    } else {
        format!("latest {latest_var} {latest}")
    };
    let lstalv_trace = Trace::new(d::LAST_ALIVE, lstalv_why, vec![latest_ref]);
    adsl.set("LSTALVDT", Value::Date(lstalvdt), lstalv_trace.clone());
    let followed_to = death.unwrap_or(lstalvdt);
    adsl.set(
        "FUDURD",
        Value::Int(i64::from(day(followed_to, trtsdt))),
        Trace::new(
            d::FOLLOW_UP,
            match death {
                Some(x) => format!("TRTSDT {trtsdt} to the death {x}"),
                None => format!("TRTSDT {trtsdt} to LSTALVDT {lstalvdt}"),
            },
            lstalv_trace.sources.clone(),
        ),
    );

    // Relapse after the first infusion.
    let first_remission_any = assessed
        .iter()
        .find(|(_, r)| r.is_remission())
        .map(|(a, _)| a.date);
    let in_cr_by = |date: Date| in_cr_at_start || first_remission_any.is_some_and(|c| c <= date);
    // (date, priority: a recorded disease event before a marrow on the same day, description, source, trace)
    type Relapse = (
        Date,
        u8,
        &'static str,
        (&'static str, &'static str, Option<i64>),
        Trace,
    );
    let mut relapses: Vec<Relapse> = Vec::new();
    for e in records
        .events
        .iter()
        .filter(|e| e.date > trtsdt && e.date <= cutoff && e.kind != DiseaseEventType::Refractory)
    {
        let is_relapse = !matches!(e.kind, DiseaseEventType::Progression);
        if in_cr_by(e.date) {
            relapses.push((
                e.date,
                0,
                if is_relapse { "RELAPSE" } else { "PROGRESSION" },
                source_of(&e.at, "EVDT"),
                Trace::new(
                    d::RELAPSE,
                    format!("{} on {}", e.kind, e.date),
                    vec![e.at.clone()],
                ),
            ));
        } else if is_relapse {
            diagnostics.push(rule::EV_RELAPSE_WITHOUT_CR.at(
                e.at.cell("EVTYPE"),
                format!("{} on {} for {}", e.kind, e.date, p.id),
                "a CR/CRi before a relapse (counted as progression)",
            ));
        }
    }
    for (a, r) in &assessed {
        if *r == Response::Relapse {
            relapses.push((
                a.date,
                1,
                "RELAPSE",
                source_of(&a.at, "RSDT"),
                Trace::new(
                    d::RELAPSE,
                    format!("{}: {} -> RELAPSE", a.date, describe(a)),
                    vec![a.at.clone()],
                ),
            ));
        }
    }
    relapses.sort_by(|a, b| (a.0, a.1, &a.4.sources).cmp(&(b.0, b.1, &b.4.sources)));
    let death_outcome = death.map(|x| {
        Outcome::event(
            x,
            "DEATH",
            ("ADSL", "DTHDT", None),
            Trace::new(d::DEATH, format!("death on {x}"), vec![pat.clone()]),
        )
    });
    let relapse_outcome = |from: Date| {
        relapses
            .iter()
            .find(|r| r.0 >= from)
            .map(|r| Outcome::event(r.0, r.2, r.3, r.4.clone()))
    };
    let censor_lsta = |rule_id: &'static str, desc: &'static str| {
        Outcome::censor(
            lstalvdt,
            1,
            desc,
            ("ADSL", "LSTALVDT", None),
            Trace::new(
                rule_id,
                format!(
                    "no event; censored at LSTALVDT {lstalvdt} ({})",
                    lstalv_trace.why
                ),
                lstalv_trace.sources.clone(),
            ),
        )
    };
    let earliest = |candidates: Vec<Option<Outcome>>| -> Option<Outcome> {
        // Candidates are in tie-break order; the earliest date wins, the first listed on a tie.
        let mut best: Option<Outcome> = None;
        for c in candidates.into_iter().flatten() {
            if best.as_ref().is_none_or(|b| c.date < b.date) {
                best = Some(c);
            }
        }
        best
    };

    // EFS (§1.7).
    let outcome_known = lstalvdt >= wk12_limit
        || death.is_some()
        || newthdt.is_some()
        || records
            .events
            .iter()
            .any(|e| e.date > trtsdt && e.date <= cutoff);
    let failure = (!in_cr_at_start && cr_wk12.is_none() && outcome_known).then(|| {
        let mut sources: Vec<RecordRef> = vec![first.at.clone()];
        sources.extend(assessed.iter().map(|(a, _)| a.at.clone()));
        let seen = if assessed.is_empty() {
            "no marrow assessment after TRTSDT".to_string()
        } else {
            assessed
                .iter()
                .map(|(a, r)| format!("{} (day {}) {r}", a.date, day(a.date, trtsdt)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let known = if death.is_some_and(|x| x < wk12_limit) {
            format!("died {} before day {efs_window}", death.map(|x| x.to_string()).unwrap_or_default())
        } else if lstalvdt >= wk12_limit {
            format!("followed to {lstalvdt}")
        } else if let Some(n) = newthdt {
            format!("subsequent therapy from {n}")
        } else {
            "disease event after TRTSDT".to_string()
        };
        Outcome::event(
            trtsdt,
            "FAILURE TO ACHIEVE CR/CRI WITHIN 12 WEEKS",
            ("ADRS", "CRWK12", None),
            Trace::new(
                d::EFS_FAILURE,
                format!(
                    "not in CR at the start (DZSTBL {status}); no CR/CRi on or before study day {efs_window} \
                     ({wk12_limit}); {seen}; {known}: event at day 1"
                ),
                sources,
            ),
        )
    });
    let efs_relapse = if in_cr_at_start || cr_wk12.is_some() {
        relapse_outcome(trtsdt)
    } else {
        None
    };
    let efs = earliest(vec![failure, efs_relapse, death_outcome.clone()])
        .unwrap_or_else(|| censor_lsta(d::EFS, "LAST DATE KNOWN ALIVE AND EVENT-FREE"));
    let months = |days: i32| f64::from(days) / spec.endpoints.days_per_month;
    let tte = |paramcd: &'static str, param: &'static str, startdt: Date, o: Outcome| {
        let adt = o.date.max(startdt);
        let aval = adt.days_since(startdt) + 1;
        AdtteRow {
            subject: p.id.clone(),
            paramcd,
            param,
            startdt,
            adt,
            aval,
            avalmo: months(aval),
            cnsr: o.cnsr,
            evntdesc: o.evntdesc,
            cnsdtdsc: o.cnsdtdsc,
            srcdom: o.srcdom,
            srcvar: o.srcvar,
            srcseq: o.srcseq,
            trace: o.trace,
        }
    };
    let mut adtte = vec![tte("EFS", "Event-free survival", trtsdt, efs.clone())];
    if spec.endpoints.sensitivity_censoring {
        let proc = records
            .procedures
            .iter()
            .filter(|x| {
                x.date > trtedt
                    && x.date <= cutoff
                    && matches!(x.kind, ProcedureType::AlloHsct | ProcedureType::CarT)
            })
            .min_by_key(|x| (x.date, x.at.clone()));
        let censored = match proc {
            Some(x) if x.date < efs.date || (efs.cnsr > 0 && x.date <= efs.date) => {
                let (cnsr, desc) = if x.kind == ProcedureType::AlloHsct {
                    (2, "ALLO-HSCT")
                } else {
                    (3, "CAR-T")
                };
                Outcome::censor(
                    x.date,
                    cnsr,
                    desc,
                    source_of(&x.at, "PROCDT"),
                    Trace::new(
                        d::EFS_CENSORED,
                        format!(
                            "{desc} on {} before the EFS {} on {}",
                            x.date,
                            if efs.cnsr == 0 { "event" } else { "censoring" },
                            efs.date
                        ),
                        vec![x.at.clone()],
                    ),
                )
            }
            _ => efs.clone(),
        };
        adtte.push(tte(
            "EFSCEN",
            "Event-free survival, censored at allo-HSCT or CAR-T",
            trtsdt,
            censored,
        ));
    }
    let os = death_outcome
        .clone()
        .unwrap_or_else(|| censor_lsta(d::OS, "LAST DATE KNOWN ALIVE"));
    adtte.push(tte("OS", "Overall survival", trtsdt, os));

    let rfs_origin = if in_cr_at_start {
        (spec.endpoints.rfs_consolidation_origin == RfsConsolidationOrigin::Trtsdt)
            .then_some(trtsdt)
    } else {
        crdt
    };
    let after = |o: Option<Outcome>, from: Date| o.filter(|o| o.date >= from);
    if let Some(origin) = rfs_origin {
        let o = earliest(vec![
            relapse_outcome(origin),
            after(death_outcome.clone(), origin),
        ])
        .unwrap_or_else(|| censor_lsta(d::RFS, "LAST DATE KNOWN ALIVE AND RELAPSE-FREE"));
        adtte.push(tte("RFS", "Relapse-free survival", origin, o));
    }
    let dor_origin = if in_cr_at_start {
        first_neg_overall.map(|a| a.date)
    } else {
        crdt
    };
    if let Some(origin) = dor_origin {
        let o = earliest(vec![relapse_outcome(origin), after(death_outcome, origin)])
            .unwrap_or_else(|| censor_lsta(d::DOR, "LAST DATE KNOWN ALIVE AND RELAPSE-FREE"));
        adtte.push(tte("DOR", "Duration of response", origin, o));
    }

    // Adverse events (§1.10).
    let te_end = trtedt.add_days(days_i32(spec.safety.ae_grace_days));
    let mut adae: Vec<AdaeRow> = records
        .adverse_events
        .iter()
        .filter(|a| a.start <= cutoff)
        .map(|a| {
            let te = a.start >= trtsdt && a.start <= te_end;
            AdaeRow {
                subject: p.id.clone(),
                aeseq: a.at.seq_or_row(),
                aeterm: a.term.clone(),
                aedecod: a.decod.clone(),
                aegrp: a.group.as_str(),
                atoxgrn: a.grade.get(),
                astdt: a.start,
                aendt: a.end,
                astdy: Some(day(a.start, trtsdt)),
                trtemfl: te,
                arel: a.related.map(Term::as_str),
                aeacn: a.action.map(Term::as_str),
                aeout: a.outcome.map(Term::as_str),
                amaxfl: false,
                agrmaxfl: false,
                trace: Trace::new(
                    d::TEAE,
                    format!(
                        "onset {} (day {}) {} TRTSDT {trtsdt} to TRTEDT {trtedt} + {} days ({te_end})",
                        a.start,
                        day(a.start, trtsdt),
                        if te { "within" } else { "outside" },
                        spec.safety.ae_grace_days
                    ),
                    vec![a.at.clone()],
                ),
            }
        })
        .collect();
    let max_grade = adae.iter().filter(|r| r.trtemfl).map(|r| r.atoxgrn).max();
    if let Some(g) = max_grade {
        if let Some(r) = adae.iter_mut().find(|r| r.trtemfl && r.atoxgrn == g) {
            r.amaxfl = true;
        }
        let groups: Vec<&'static str> = adae.iter().map(|r| r.aegrp).collect();
        for grp in groups {
            let gmax = adae
                .iter()
                .filter(|r| r.trtemfl && r.aegrp == grp)
                .map(|r| r.atoxgrn)
                .max();
            if let Some(gmax) = gmax
                && let Some(r) = adae
                    .iter_mut()
                    .find(|r| r.trtemfl && r.aegrp == grp && r.atoxgrn == gmax)
            {
                r.agrmaxfl = true;
            }
        }
    }
    let te_refs: Vec<RecordRef> = records
        .adverse_events
        .iter()
        .filter(|a| a.start >= trtsdt && a.start <= te_end)
        .map(|a| a.at.clone())
        .collect();
    adsl.set(
        "AEMAXGR",
        max_grade.map_or(Value::Missing, |g| Value::Int(i64::from(g))),
        Trace::new(
            d::AE_MAX,
            format!("{} treatment-emergent adverse event(s)", te_refs.len()),
            te_refs,
        ),
    );

    PatientDerivation {
        adsl,
        adrs,
        adtte,
        adae,
        diagnostics,
    }
}

/// Table 1 laboratory values and genetic flags.
fn labs_and_genetics(records: &PatientRecords, spec: &StudySpec, adsl: &mut Adsl) {
    let tpt = match spec.population.baseline_labs_at {
        LabsAt::Diagnosis => LabTimepoint::Diagnosis,
        LabsAt::BlinaStart => LabTimepoint::BlinaStart,
    };
    if let Some(l) = records.labs.iter().rfind(|l| l.tpt == tpt) {
        for (var, col, v) in [
            ("WBCBL", "WBC", l.wbc),
            ("HGBBL", "HGB", l.hgb),
            ("PLTBL", "PLT", l.plt),
        ] {
            if let Some(x) = v {
                adsl.set(
                    var,
                    Value::Float(x),
                    Trace::new(
                        d::BASELINE_LAB,
                        format!("{col} at {tpt}"),
                        vec![l.at.clone()],
                    ),
                );
            }
        }
    }
    let dx = records
        .labs
        .iter()
        .rfind(|l| l.tpt == LabTimepoint::Diagnosis && l.blasts.is_some());
    let blasts = dx.and_then(|l| l.blasts);
    if let (Some(l), Some(b)) = (dx, blasts) {
        adsl.set(
            "BLSTDX",
            Value::Float(b),
            Trace::new(
                d::BASELINE_LAB,
                "BM_BLAST_PCT at DIAGNOSIS",
                vec![l.at.clone()],
            ),
        );
    }
    adsl.text(
        "BLSTDXGR",
        match blasts {
            Some(b) if b < 50.0 => "<50",
            Some(_) => ">=50",
            None => "MISSING",
        },
        Trace::new(
            d::BASELINE_LAB,
            blasts.map_or("no marrow blasts at diagnosis".to_string(), |b| {
                format!("{b} % blasts at diagnosis")
            }),
            dx.map(|l| l.at.clone()).into_iter().collect(),
        ),
    );
    let flags: [(&'static str, GeneticFinding); 9] = [
        ("KMT2AFL", GeneticFinding::Kmt2aR),
        ("ETV6FL", GeneticFinding::Etv6Runx1),
        ("TCF3FL", GeneticFinding::Tcf3Pbx1),
        ("HYPERFL", GeneticFinding::Hyperdiploid),
        ("HYPOFL", GeneticFinding::Hypodiploid),
        ("CPXKARFL", GeneticFinding::ComplexKaryotype),
        ("IKZF1FL", GeneticFinding::Ikzf1Del),
        ("PHLIKEFL", GeneticFinding::PhLike),
        ("PAX5FL", GeneticFinding::Pax5),
    ];
    let mut any: Vec<RecordRef> = Vec::new();
    for (var, finding) in flags {
        let refs: Vec<RecordRef> = records
            .genetics
            .iter()
            .filter(|g| g.finding == finding)
            .map(|g| g.at.clone())
            .collect();
        any.extend(refs.iter().cloned());
        adsl.set(
            var,
            Value::flag(!refs.is_empty()),
            Trace::new(
                d::RECORDED,
                format!("{} {finding} record(s) in genetic_findings", refs.len()),
                refs,
            ),
        );
    }
    any.sort();
    adsl.set(
        "GENANYFL",
        Value::flag(!any.is_empty()),
        Trace::new(
            d::RECORDED,
            "any of the Table 1 genetic findings (BCR_ABL1 and OTHER excluded)",
            any,
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups() {
        assert_eq!(age_group(34, &[35, 55]), "<35");
        assert_eq!(age_group(35, &[35, 55]), "35-<55");
        assert_eq!(age_group(55, &[35, 55]), ">=55");
        assert_eq!(duration_group(14, &[14, 28]), "<=14 DAYS");
        assert_eq!(duration_group(15, &[14, 28]), "15-28 DAYS");
        assert_eq!(duration_group(28, &[14, 28]), "15-28 DAYS");
        assert_eq!(duration_group(29, &[14, 28]), ">28 DAYS");
    }

    #[test]
    fn ages_in_whole_years() {
        let d = |s| Date::parse_iso(s).unwrap();
        assert_eq!(age_years(d("1990-03-02"), d("2022-03-01")), 31);
        assert_eq!(age_years(d("1990-03-01"), d("2022-03-01")), 32);
        assert_eq!(age_years(d("2000-02-29"), d("2022-02-28")), 21);
    }
}
