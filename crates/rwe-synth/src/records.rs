//! Records of one patient in the nine input tables, written as they are made.

use std::io::Write;
use std::path::PathBuf;

use rwe_data::Date;

use crate::archetype::{Archetype, MrdAfter, Population, PreTherapy, Response, Setting, Therapy};
use crate::{SplitMix64, SynthError};

const HEADERS: [&[&str]; 9] = [
    &[
        "STUDYID",
        "USUBJID",
        "SITEID",
        "SEX",
        "BRTHDT",
        "AGE",
        "DIAGDT",
        "POP_RECORDED",
        "BLINA_SETTING",
        "PRIOR_LINES",
        "PH_STATUS",
        "CNS_LEUK_BL",
        "CHEMO_INTOL_FL",
        "REFRACT_LAST_FL",
        "DZ_STATUS_START",
        "LSTCNTDT",
        "DTHDT",
        "DTHCAUS",
    ],
    &[
        "USUBJID",
        "TPT",
        "LBDT",
        "WBC",
        "HGB",
        "PLT",
        "BM_BLAST_PCT",
        "WEIGHT_KG",
    ],
    &["USUBJID", "FINDING", "METHOD", "RESULTDT"],
    &[
        "USUBJID",
        "EXSEQ",
        "AGENT",
        "REGIMEN",
        "INTENSITY",
        "EXSTDT",
        "EXENDT",
        "CYCLE_NO",
        "DOSE",
        "DOSE_UNIT",
        "DCREAS",
    ],
    &["USUBJID", "PRSEQ", "PROC", "PROCDT", "EXPERIMENTAL_FL"],
    &[
        "USUBJID",
        "RSSEQ",
        "RSDT",
        "SPECIMEN",
        "BM_BLAST_PCT",
        "ANC",
        "PLT",
        "EMD_PRESENT",
        "CNS_INVOLVED",
        "MRD_VALUE",
        "MRD_OPERATOR",
        "MRD_LOD",
        "MRD_METHOD",
        "INV_RESP",
    ],
    &["USUBJID", "EVSEQ", "EVTYPE", "EVDT", "SOURCE"],
    &[
        "USUBJID",
        "AESEQ",
        "AETERM",
        "AEDECOD",
        "AEGRP",
        "AETOXGR",
        "AEGRSCALE",
        "AESTDT",
        "AEENDT",
        "AEREL",
        "AEACN",
        "AEOUT",
    ],
    &[
        "USUBJID",
        "CONTACTDT",
        "CONTACT_TYPE",
        "VITAL_STATUS",
        "DZ_STATUS",
    ],
];

const PATIENTS: usize = 0;
const LABS: usize = 1;
const GENETICS: usize = 2;
const EXPOSURES: usize = 3;
const PROCEDURES: usize = 4;
const RESPONSES: usize = 5;
const EVENTS: usize = 6;
const ADVERSE: usize = 7;
const CONTACTS: usize = 8;

/// First and last possible first-infusion dates (the enrolment window) and the data cut-off.
fn window() -> (Date, Date, Date) {
    let d = |y, m, day| Date::from_ymd(y, m, day).unwrap_or(Date::from_epoch_days(0));
    (d(2021, 8, 1), d(2023, 6, 30), d(2023, 7, 31))
}

/// Lab values at diagnosis. For the seed cohort every draw is transformed as `c * x^k` per lab, with `k`
/// solving the paper's coefficient of variation and `c` its mean, then rounded to 0.1 with the rounding
/// error of the sum put on the largest values, so that Table 1 prints the paper's mean (SD) exactly:
/// WBC 61.4 (120.7), hemoglobin 88.7 (34.5), platelets 75.4 (69.9). Larger cohorts use the raw draws.
#[derive(Debug, Clone)]
pub(crate) struct LabScale {
    fitted: Option<Vec<[f64; 3]>>,
}

/// The paper's Table 1 means and SDs: WBC, hemoglobin, platelets.
const LAB_MEAN_SD: [(f64, f64); 3] = [(61.4, 120.7), (88.7, 34.5), (75.4, 69.9)];

fn raw_labs(rng: &mut SplitMix64) -> [f64; 3] {
    // Log-normal WBC (sigma 1.3: SD about twice the mean, as in the paper), normal Hb, log-normal PLT.
    // Capped well inside the data model's ranges (WBC 0 to 1000, platelets 0 to 2000).
    let wbc = (26.4f64.ln() + 1.3 * rng.normal()).exp().min(400.0);
    let hgb = (88.7 + 34.5 * rng.normal()).clamp(30.0, 170.0);
    let plt = (54.7f64.ln() + 0.8 * rng.normal()).exp().min(900.0);
    [wbc, hgb, plt]
}

fn mean_sd(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let var = x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
    (mean, var.sqrt())
}

/// `c * x^k` with the mean and SD given, rounded to 0.1 with the mean kept exact (positive `x`, two or
/// more distinct values).
fn fit_mean_sd(x: &[f64], mean: f64, sd: f64) -> Vec<f64> {
    let cv = |k: f64| {
        let y: Vec<f64> = x.iter().map(|v| v.powf(k)).collect();
        let (m, s) = mean_sd(&y);
        s / m
    };
    // The coefficient of variation of x^k grows with k: bisection.
    let (mut lo, mut hi) = (0.05f64, 8.0f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if cv(mid) < sd / mean {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let k = 0.5 * (lo + hi);
    let y: Vec<f64> = x.iter().map(|v| v.powf(k)).collect();
    let c = mean / mean_sd(&y).0;
    let mut tenths: Vec<i64> = y.iter().map(|v| (c * v * 10.0).round() as i64).collect();
    // Put the sum's rounding error, in tenths, on the largest values one tenth each.
    let target = (mean * 10.0 * x.len() as f64).round() as i64;
    let mut error = target - tenths.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..tenths.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(tenths[i]));
    for &i in order.iter().cycle().take(x.len() * 4) {
        if error == 0 {
            break;
        }
        tenths[i] += error.signum();
        error -= error.signum();
    }
    tenths.into_iter().map(|t| t as f64 / 10.0).collect()
}

impl LabScale {
    pub(crate) fn unscaled() -> Self {
        LabScale { fitted: None }
    }

    pub(crate) fn fitted(people: &[Archetype], rng: &mut SplitMix64) -> Self {
        let draws: Vec<[f64; 3]> = people.iter().map(|_| raw_labs(rng)).collect();
        let mut fitted = vec![[0.0; 3]; draws.len()];
        for (lab, &(mean, sd)) in LAB_MEAN_SD.iter().enumerate() {
            let x: Vec<f64> = draws.iter().map(|d| d[lab]).collect();
            for (i, v) in fit_mean_sd(&x, mean, sd).into_iter().enumerate() {
                fitted[i][lab] = v;
            }
        }
        LabScale {
            fitted: Some(fitted),
        }
    }

    fn values(&self, index: usize, rng: &mut SplitMix64) -> [f64; 3] {
        match self.fitted.as_ref().and_then(|f| f.get(index)) {
            Some(v) => *v,
            None => raw_labs(rng),
        }
    }
}

/// The nine CSV writers and the running sequence numbers.
pub(crate) struct Emitter<W: Write> {
    writers: Vec<(PathBuf, csv::Writer<W>)>,
    count: usize,
}

fn yn(b: bool) -> &'static str {
    if b { "Y" } else { "N" }
}

fn f1(x: f64) -> String {
    format!("{:.1}", x)
}

impl<W: Write> Emitter<W> {
    pub(crate) fn new(writers: Vec<(PathBuf, csv::Writer<W>)>) -> Result<Self, SynthError> {
        let mut e = Emitter { writers, count: 0 };
        for (t, h) in HEADERS.iter().enumerate() {
            e.row(t, h.iter().map(|s| s.to_string()).collect())?;
        }
        Ok(e)
    }

    fn row(&mut self, table: usize, fields: Vec<String>) -> Result<(), SynthError> {
        let (path, w) = &mut self.writers[table];
        w.write_record(&fields).map_err(|source| SynthError::Csv {
            path: path.clone(),
            source,
        })
    }

    pub(crate) fn finish(mut self) -> Result<(), SynthError> {
        for (path, w) in &mut self.writers {
            w.flush().map_err(|source| SynthError::Io {
                path: path.clone(),
                source,
            })?;
        }
        Ok(())
    }

    /// Write every record of one patient.
    pub(crate) fn patient(
        &mut self,
        study: &str,
        id: &str,
        p: &Archetype,
        rng: &mut SplitMix64,
        labs: &LabScale,
    ) -> Result<(), SynthError> {
        let index = self.count;
        self.count += 1;
        let s = |x: &str| x.to_string();
        let (enrol_start, enrol_end, cutoff) = window();
        // First infusion: up to 180 days before the latest date that keeps last contact by the cut-off.
        let latest = enrol_end.min(cutoff.add_days(1 - p.followup));
        let span = latest.days_since(enrol_start).max(0) as u64 + 1;
        let trt = latest.add_days(-(rng.below(span.min(180)) as i32));
        let day = |d: i32| trt.add_days(d - 1);
        let rr = p.population() == Population::Rr;
        let diag = if rr {
            trt.add_days(-(400 + rng.below(500) as i32))
        } else {
            trt.add_days(-(20 + rng.below(40) as i32))
        };
        let last = day(p.followup);
        let death = p.death.map(|d| day(d.day));
        self.row(
            PATIENTS,
            vec![
                s(study),
                s(id),
                s("S1"),
                s(if p.male { "M" } else { "F" }),
                String::new(),
                p.age.to_string(),
                diag.to_string(),
                s(if rr { "RR" } else { "ND" }),
                s(p.setting.term()),
                p.prior_lines.to_string(),
                s(if p.ph_positive { "POS" } else { "NEG" }),
                s(yn(p.cns)),
                s(yn(p.chemo_intolerant)),
                s(yn(p.refractory_last)),
                s(p.dz_status_start),
                last.to_string(),
                death.map(|d| d.to_string()).unwrap_or_default(),
                p.death.map(|d| d.cause.to_string()).unwrap_or_default(),
            ],
        )?;

        // Baseline labs at diagnosis; weight decides the dose unit (< 45 kg: µg/m²/day).
        let [wbc, hgb, plt] = labs.values(index, rng);
        let blasts = match p.blasts_high {
            Some(true) => f1(55.0 + 40.0 * rng.unit()),
            Some(false) => f1(20.0 + 25.0 * rng.unit()),
            None => String::new(),
        };
        let weight = if p.age < 16 {
            30.0 + 12.0 * rng.unit()
        } else {
            50.0 + 30.0 * rng.unit()
        };
        self.row(
            LABS,
            vec![
                s(id),
                s("DIAGNOSIS"),
                diag.to_string(),
                f1(wbc),
                f1(hgb),
                f1(plt),
                blasts,
                f1(weight),
            ],
        )?;

        if let Some(f) = p.finding {
            self.row(
                GENETICS,
                vec![s(id), s(f), s("NGS"), diag.add_days(7).to_string()],
            )?;
        }

        // Therapy before blinatumomab: after the diagnosis (ND) or the relapse 14 days before (R/R).
        let (chemo, tki) = match p.pre_therapy {
            PreTherapy::None => (None, false),
            PreTherapy::Low => (Some(false), false),
            PreTherapy::High => (Some(true), false),
            PreTherapy::LowTki => (Some(false), true),
            PreTherapy::HighTki => (Some(true), true),
        };
        let mut exseq = 0;
        let mut pre = |agent: &str, regimen: &str, intensity: &str, from: Date, to: Date| {
            exseq += 1;
            vec![
                s(id),
                exseq.to_string(),
                s(agent),
                s(regimen),
                s(intensity),
                from.to_string(),
                to.to_string(),
                String::new(),
                String::new(),
                String::new(),
                s("COMPLETED"),
            ]
        };
        let mut pre_rows = Vec::new();
        match chemo {
            Some(false) => pre_rows.push(pre(
                "CHEMO",
                "VP",
                "LOW",
                trt.add_days(-8),
                trt.add_days(-4),
            )),
            Some(true) => {
                let (regimen, from) = match (rr, tki) {
                    (false, _) => ("VDLP", diag.add_days(2)),
                    (true, true) => ("HYPER_CVAD", trt.add_days(-12)),
                    (true, false) => ("VDLP", trt.add_days(-12)),
                };
                pre_rows.push(pre("CHEMO", regimen, "HIGH", from, trt.add_days(-6)));
            }
            None => {}
        }
        if tki {
            let from = if rr {
                trt.add_days(-12)
            } else {
                diag.add_days(2)
            };
            pre_rows.push(pre("TKI_DASATINIB", "", "", from, trt.add_days(-1)));
        }
        for row in pre_rows {
            self.row(EXPOSURES, row)?;
        }

        // Blinatumomab cycles: every 42 days, 28 infusion days (cycle 1 as recorded).
        let (dose, unit) = if weight < 45.0 {
            ("15", "UG_M2_DAY")
        } else {
            ("28", "UG_DAY")
        };
        for c in 1..=p.cycles as i32 {
            let start = 1 + 42 * (c - 1);
            let len = if c == 1 { p.cycle1_days } else { 28 };
            let reason = if c == p.cycles as i32 {
                p.stop_reason
            } else {
                "COMPLETED"
            };
            exseq += 1;
            self.row(
                EXPOSURES,
                vec![
                    s(id),
                    exseq.to_string(),
                    s("BLINATUMOMAB"),
                    String::new(),
                    String::new(),
                    day(start).to_string(),
                    day(start + len - 1).to_string(),
                    c.to_string(),
                    s(dose),
                    s(unit),
                    s(reason),
                ],
            )?;
        }

        // The response assessment: day 28, or a week after an early stop.
        let last_infusion = p.last_infusion_day();
        let response_day = 28.min(last_infusion + 7);
        let mut prseq = 0;
        if p.prior_hsct {
            prseq += 1;
            let d = trt.add_days(-200).to_string();
            self.row(
                PROCEDURES,
                vec![s(id), prseq.to_string(), s("ALLO_HSCT"), d, s("N")],
            )?;
        }
        if p.prior_car_t {
            prseq += 1;
            let d = trt.add_days(-100).to_string();
            self.row(
                PROCEDURES,
                vec![s(id), prseq.to_string(), s("CAR_T"), d, s("Y")],
            )?;
        }
        for step in &p.path {
            let (t, d) = (&step.therapy, step.day);
            match t {
                Therapy::AlloHsct | Therapy::CarT => {
                    prseq += 1;
                    let (proc_, exp) = if *t == Therapy::AlloHsct {
                        ("ALLO_HSCT", "N")
                    } else {
                        ("CAR_T", "Y")
                    };
                    self.row(
                        PROCEDURES,
                        vec![
                            s(id),
                            prseq.to_string(),
                            s(proc_),
                            day(d).to_string(),
                            s(exp),
                        ],
                    )?;
                }
                Therapy::Chemo | Therapy::Inotuzumab => {
                    exseq += 1;
                    let (agent, regimen, intensity) = if *t == Therapy::Chemo {
                        ("CHEMO", "VDLP", "HIGH")
                    } else {
                        ("INOTUZUMAB", "", "")
                    };
                    let end = (d + 13).min(p.followup).max(d);
                    self.row(
                        EXPOSURES,
                        vec![
                            s(id),
                            exseq.to_string(),
                            s(agent),
                            s(regimen),
                            s(intensity),
                            day(d).to_string(),
                            day(end).to_string(),
                            String::new(),
                            String::new(),
                            String::new(),
                            String::new(),
                        ],
                    )?;
                }
            }
        }

        // Marrow and MRD assessments.
        let mut rs: Vec<[String; 13]> = Vec::new();
        let marrow =
            |date: Date, blasts: &str, anc: &str, plt: &str, mrd: Option<&str>, resp: &str| {
                [
                    date.to_string(),
                    s("BM"),
                    s(blasts),
                    s(anc),
                    s(plt),
                    s("N"),
                    s("N"),
                    mrd.map(s).unwrap_or_default(),
                    s(if mrd.is_some() { "EQ" } else { "" }),
                    String::new(),
                    s(if mrd.is_some() { "FCM" } else { "" }),
                    s(resp),
                    String::new(),
                ]
            };
        let before = trt.add_days(-7);
        match (p.dz_status_start, p.setting) {
            ("CR", _) => {
                let mrd = if p.mrd_before == Some(true) {
                    "0.002"
                } else {
                    "0.00003"
                };
                rs.push(marrow(before, "1", "1.6", "140", Some(mrd), "CR"));
            }
            (_, Setting::FlInduction | Setting::RrReinduction | Setting::FlConsolidation) => {
                rs.push(marrow(before, "60", "0.4", "30", None, "NR"));
            }
            _ => {}
        }
        let mrd_first = match p.mrd_after {
            MrdAfter::Missing => None,
            MrdAfter::Negative => Some("0.00003"),
            MrdAfter::NegativeLate => Some("0.0006"),
            MrdAfter::Positive => Some("0.0008"),
        };
        match p.response {
            Response::Nr => rs.push(marrow(
                day(8.min(p.followup)),
                "45",
                "0.4",
                "30",
                None,
                "NR",
            )),
            Response::Cr => rs.push(marrow(
                day(response_day),
                "2",
                "1.5",
                "130",
                mrd_first,
                "CR",
            )),
            Response::Cri => rs.push(marrow(
                day(response_day),
                "2",
                "0.6",
                "60",
                mrd_first,
                "CRI",
            )),
            Response::InCr => {
                if mrd_first.is_some() {
                    rs.push(marrow(
                        day(response_day),
                        "1",
                        "1.8",
                        "160",
                        mrd_first,
                        "CR",
                    ));
                }
            }
        }
        if p.mrd_after == MrdAfter::NegativeLate {
            // Cycle 3 runs from day 85 to day 112.
            rs.push(marrow(day(110), "1", "1.8", "170", Some("0.00002"), "CR"));
        }
        if let Some(r) = p.relapse_day {
            rs.push(marrow(day(r), "35", "0.8", "50", None, "RELAPSE"));
        }
        for (k, mut r) in rs.into_iter().enumerate() {
            // Move the response term to the last column after the sequence number.
            let resp = std::mem::take(&mut r[11]);
            let mut fields = vec![s(id), (k + 1).to_string()];
            fields.extend(r[..11].iter().cloned());
            fields.push(resp);
            self.row(RESPONSES, fields)?;
        }

        // Disease events: the relapse or refractoriness that made R/R patients R/R, and relapses after.
        let mut evseq = 0;
        if rr {
            evseq += 1;
            let ev = if p.refractory_last {
                "REFRACTORY"
            } else {
                "RELAPSE_BM"
            };
            self.row(
                EVENTS,
                vec![
                    s(id),
                    evseq.to_string(),
                    s(ev),
                    trt.add_days(-14).to_string(),
                    s("MARROW"),
                ],
            )?;
        }
        if let Some(r) = p.relapse_day {
            evseq += 1;
            self.row(
                EVENTS,
                vec![
                    s(id),
                    evseq.to_string(),
                    s("RELAPSE_BM"),
                    day(r).to_string(),
                    s("MARROW"),
                ],
            )?;
        }

        if let Some(ae) = p.adverse_event {
            let onset = 3.min(p.cycle1_days);
            let scale = if matches!(ae.group, "CRS" | "ICANS") {
                "ASTCT"
            } else {
                "CTCAE_V5"
            };
            let action = if p.stop_reason == "AE" {
                "DRUG_WITHDRAWN"
            } else if ae.grade >= 3 {
                "DRUG_INTERRUPTED"
            } else {
                "DOSE_NOT_CHANGED"
            };
            let related = if ae.group == "INFECTION" { "N" } else { "Y" };
            self.row(
                ADVERSE,
                vec![
                    s(id),
                    s("1"),
                    s(ae.term),
                    s(ae.term),
                    s(ae.group),
                    ae.grade.to_string(),
                    s(scale),
                    day(onset).to_string(),
                    day((onset + 4).min(p.followup)).to_string(),
                    s(related),
                    s(action),
                    s("RECOVERED"),
                ],
            )?;
        }

        if p.death.is_none() {
            let status = if p.relapse_day.is_some() {
                "RELAPSE"
            } else if p.response == Response::Nr {
                "UNK"
            } else {
                "CR"
            };
            self.row(
                CONTACTS,
                vec![s(id), last.to_string(), s("PHONE"), s("ALIVE"), s(status)],
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lab_fit_prints_the_published_mean_and_sd() {
        let people = crate::seed_archetypes();
        let scale = LabScale::fitted(&people, &mut SplitMix64::new(7));
        let mut rng = SplitMix64::new(1);
        let values: Vec<[f64; 3]> = (0..people.len())
            .map(|i| scale.values(i, &mut rng))
            .collect();
        for (lab, &(mean, sd)) in LAB_MEAN_SD.iter().enumerate() {
            let x: Vec<f64> = values.iter().map(|v| v[lab]).collect();
            let (m, s) = mean_sd(&x);
            // The mean is exact to the tenth (the sum's rounding error is redistributed); the SD moves by
            // the rounding of each value to 0.1 only.
            assert!((m - mean).abs() < 1e-9, "lab {lab}: mean {m} vs {mean}");
            assert!((s - sd).abs() < 0.05, "lab {lab}: SD {s} vs {sd}");
            assert!(
                x.iter().all(|&v| v > 0.0),
                "lab {lab}: a value is not positive"
            );
        }
    }
}
