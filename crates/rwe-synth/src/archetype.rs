//! The seed study's 96 patients as an explicit table of archetypes.
//!
//! Every published count (Tables 1-3, the treatment-pattern text) is built in by construction: each
//! attribute is dealt from a list of exact counts, and the survival times are laid out so that the
//! Kaplan-Meier risk sets reproduce the published 1-year rates (see the comments at each tier). Nothing here
//! is random; dates and lab values are drawn later from a seeded generator.

/// Population: newly diagnosed (frontline) or relapsed/refractory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Population {
    /// Newly diagnosed, blinatumomab in first-line therapy.
    Nd,
    /// Relapsed or refractory.
    Rr,
}

/// Treatment setting of blinatumomab (Table 2 columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// Frontline induction (not in CR at start).
    FlInduction,
    /// Frontline consolidation (in CR at start).
    FlConsolidation,
    /// Frontline, CR status unknown.
    FlUnknown,
    /// Relapsed/refractory re-induction.
    RrReinduction,
    /// Relapsed/refractory consolidation.
    RrConsolidation,
    /// Relapsed/refractory, CR status unknown.
    RrUnknown,
}

impl Setting {
    /// The `BLINA_SETTING` term.
    pub fn term(self) -> &'static str {
        match self {
            Setting::FlInduction => "FL_INDUCTION",
            Setting::FlConsolidation => "FL_CONSOLIDATION",
            Setting::FlUnknown => "FL_UNKNOWN",
            Setting::RrReinduction => "RR_REINDUCTION",
            Setting::RrConsolidation => "RR_CONSOLIDATION",
            Setting::RrUnknown => "RR_UNKNOWN",
        }
    }

    /// The population the setting belongs to.
    pub fn population(self) -> Population {
        match self {
            Setting::FlInduction | Setting::FlConsolidation | Setting::FlUnknown => Population::Nd,
            _ => Population::Rr,
        }
    }

    fn is_consolidation(self) -> bool {
        matches!(self, Setting::FlConsolidation | Setting::RrConsolidation)
    }
}

/// Marrow response on blinatumomab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Response {
    /// Already in CR at the start (consolidation): no response assessment needed.
    InCr,
    /// Complete remission on day 28.
    Cr,
    /// CR with incomplete count recovery on day 28.
    Cri,
    /// No response (EFS failure on day 1).
    Nr,
}

/// MRD after the start of blinatumomab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MrdAfter {
    /// No MRD record after the start.
    Missing,
    /// Negative on day 28 (within 2 cycles).
    Negative,
    /// Positive on day 28, negative only in cycle 3 (overall, not within 2 cycles).
    NegativeLate,
    /// Positive throughout.
    Positive,
}

/// One subsequent therapy after blinatumomab (Figure 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Therapy {
    /// Allogeneic HSCT.
    AlloHsct,
    /// CAR-T cells (experimental).
    CarT,
    /// Chemotherapy.
    Chemo,
    /// Inotuzumab ozogamicin.
    Inotuzumab,
}

/// Therapy between the event that led to blinatumomab (diagnosis, relapse) and its first infusion
/// (`PRETXGR`; the paper's "concurrent therapies").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreTherapy {
    /// Blinatumomab directly.
    None,
    /// A low-intensity prephase (VP, 5 days).
    Low,
    /// Intensive chemotherapy.
    High,
    /// A TKI with a low-intensity prephase.
    LowTki,
    /// A TKI with intensive chemotherapy.
    HighTki,
}

/// The one adverse event of a patient with any (Table 3: one row per patient).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdverseEvent {
    /// `AEGRP` (Table 3 row).
    pub group: &'static str,
    /// Verbatim and coded term.
    pub term: &'static str,
    /// Grade.
    pub grade: u8,
}

/// A death: study day and cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Death {
    /// Study day (day 1 = first infusion).
    pub day: i32,
    /// `DTHCAUS` term.
    pub cause: &'static str,
}

/// One synthetic patient: everything but dates and lab values.
#[derive(Debug, Clone, PartialEq)]
pub struct Archetype {
    /// Treatment setting (implies the population).
    pub setting: Setting,
    /// Ph-positive (BCR-ABL1).
    pub ph_positive: bool,
    /// Male.
    pub male: bool,
    /// Age at the first infusion, years.
    pub age: u32,
    /// `DZ_STATUS_START` term.
    pub dz_status_start: &'static str,
    /// MRD before the start for patients in CR: Some(true) positive, Some(false) negative.
    pub mrd_before: Option<bool>,
    /// Number of blinatumomab cycles.
    pub cycles: u32,
    /// Infusion days of cycle 1.
    pub cycle1_days: i32,
    /// Why the last cycle ended (`DCREAS`).
    pub stop_reason: &'static str,
    /// Response on blinatumomab.
    pub response: Response,
    /// MRD after the start.
    pub mrd_after: MrdAfter,
    /// Study day of last contact or death (follow-up).
    pub followup: i32,
    /// Study day of a relapse, if any.
    pub relapse_day: Option<i32>,
    /// Death, if any (its day equals `followup`).
    pub death: Option<Death>,
    /// Subsequent therapies in order.
    pub path: Vec<Therapy>,
    /// The adverse event, if any.
    pub adverse_event: Option<AdverseEvent>,
    /// CNS leukaemia at baseline.
    pub cns: bool,
    /// Intolerant of chemotherapy.
    pub chemo_intolerant: bool,
    /// Prior treatment lines.
    pub prior_lines: u32,
    /// Allo-HSCT before blinatumomab.
    pub prior_hsct: bool,
    /// CAR-T before blinatumomab.
    pub prior_car_t: bool,
    /// Refractory to the last treatment.
    pub refractory_last: bool,
    /// One abnormal genetic finding (`FINDING` term).
    pub finding: Option<&'static str>,
    /// Marrow blasts at diagnosis: Some(true) ≥ 50 %, Some(false) < 50 %, None missing.
    pub blasts_high: Option<bool>,
    /// Therapy before the first infusion.
    pub pre_therapy: PreTherapy,
}

impl Archetype {
    /// The population.
    pub fn population(&self) -> Population {
        self.setting.population()
    }

    /// Study day of the last infusion (cycles start every 42 days; later cycles run 28 days).
    pub fn last_infusion_day(&self) -> i32 {
        if self.cycles <= 1 {
            self.cycle1_days
        } else {
            1 + 42 * (self.cycles as i32 - 1) + 27
        }
    }
}

/// Positions `0..n` dealt to categories with exact `counts` (summing to `n`), spread evenly: each position
/// goes to the category furthest behind its share (ties to the lower index).
pub fn spread(n: usize, counts: &[usize]) -> Vec<usize> {
    let mut given = vec![0usize; counts.len()];
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let mut best = 0;
        let mut best_deficit = i64::MIN;
        for (c, &k) in counts.iter().enumerate() {
            if given[c] >= k {
                continue;
            }
            // Deficit scaled by n to stay in integers: k*(i+1) - given*n.
            let deficit = (k * (i + 1)) as i64 - (given[c] * n) as i64;
            if deficit > best_deficit {
                best_deficit = deficit;
                best = c;
            }
        }
        given[best] += 1;
        out.push(best);
    }
    out
}

/// The skeleton of one patient: setting, Ph, follow-up and EFS/OS events.
struct Skeleton {
    setting: Setting,
    ph_positive: bool,
    response: Response,
    followup: i32,
    relapse_day: Option<i32>,
    death: Option<Death>,
}

fn sk(setting: Setting, response: Response, followup: i32) -> Skeleton {
    Skeleton {
        setting,
        ph_positive: false,
        response,
        followup,
        relapse_day: None,
        death: None,
    }
}

/// A tier of newly diagnosed patients: the first `ph_negative` entries are Ph−.
fn nd_tier(
    out: &mut Vec<Skeleton>,
    mut first: Vec<Skeleton>,
    days: &[i32],
    settings: [(Setting, usize); 3],
    ph_negative: usize,
) {
    let mut k = 0;
    for (setting, n) in settings {
        for _ in 0..n {
            let response = if setting == Setting::FlConsolidation {
                Response::InCr
            } else {
                Response::Cr
            };
            first.push(sk(setting, response, days[k]));
            k += 1;
        }
    }
    for (i, mut s) in first.into_iter().enumerate() {
        s.ph_positive = i >= ph_negative;
        out.push(s);
    }
}

/// Newly diagnosed: 53 patients in four follow-up tiers. EFS events: a relapse on day 200 (FL consolidation,
/// Ph−; 26 ND, 15 Ph−, 15 FL consolidation at risk) and a transplant-related death on day 300 (FL unknown,
/// Ph−; 18 ND, 9 Ph− at risk): ND 1-year EFS (25/26)(17/18) = 90.8 %, Ph− (14/15)(8/9) = 83.0 %, Ph+ 100 %,
/// FL consolidation 14/15 = 93.3 %.
fn newly_diagnosed() -> Vec<Skeleton> {
    use Setting::*;
    let mut out = Vec::new();
    // Tier A, follow-up < 200 days: 27 patients, 17 Ph−.
    let a: Vec<i32> = (0..27).map(|i| 40 + 6 * i).collect();
    nd_tier(
        &mut out,
        vec![],
        &a,
        [(FlInduction, 1), (FlUnknown, 2), (FlConsolidation, 24)],
        17,
    );
    // Tier B, 200 to < 300 days: 8 patients (the day-200 relapse first), 6 Ph−.
    let mut e1 = sk(FlConsolidation, Response::InCr, 330);
    e1.relapse_day = Some(200);
    let b = [210, 225, 240, 255, 270, 280, 290];
    nd_tier(
        &mut out,
        vec![e1],
        &b,
        [(FlInduction, 1), (FlUnknown, 2), (FlConsolidation, 4)],
        6,
    );
    // Tier C, 300 to < 365 days: 10 patients (the day-300 death first), 5 Ph−.
    let mut e2 = sk(FlUnknown, Response::Cr, 300);
    e2.death = Some(Death {
        day: 300,
        cause: "TRANSPLANT_RELATED",
    });
    let c = [310, 318, 326, 334, 342, 350, 356, 358, 362];
    nd_tier(
        &mut out,
        vec![e2],
        &c,
        [(FlInduction, 2), (FlUnknown, 1), (FlConsolidation, 6)],
        5,
    );
    // Tier D, ≥ 365 days: 8 patients, 4 Ph−.
    let d = [380, 410, 450, 490, 530, 570, 610, 652];
    nd_tier(
        &mut out,
        vec![],
        &d,
        [(FlInduction, 2), (FlUnknown, 2), (FlConsolidation, 4)],
        4,
    );
    out
}

/// Relapsed/refractory: 43 patients. 14 re-induction non-responders fail on day 1 (S = 29/43); three
/// consolidation relapses on days 90, 200 and 300 with 26, 18 and 10 R/R patients at risk (12, 8 and 6 in
/// consolidation): R/R 1-year EFS (29/43)(25/26)(17/18)(9/10) = 55.1 %, consolidation (11/12)(7/8)(5/6) =
/// 66.8 %. No re-induction or Ph+ patient is followed to 12 months (their 1-year rates are NE).
fn relapsed_refractory() -> Vec<Skeleton> {
    use Setting::*;
    let mut out = Vec::new();
    // Non-responders: nine deaths, five alive; the first four are Ph+.
    let deaths = [
        (15, "PROGRESSIVE_DISEASE"),
        (30, "PROGRESSIVE_DISEASE"),
        (45, "PROGRESSIVE_DISEASE"),
        (60, "CART_CRS"),
        (75, "PROGRESSIVE_DISEASE"),
        (90, "CHEMO_TOXICITY"),
        (110, "INFECTION"),
        (140, "PROGRESSIVE_DISEASE"),
        (200, "PROGRESSIVE_DISEASE"),
    ];
    let mut nr: Vec<Skeleton> = deaths
        .iter()
        .map(|&(day, cause)| {
            let mut s = sk(RrReinduction, Response::Nr, day);
            s.death = Some(Death { day, cause });
            s
        })
        .collect();
    nr.extend(
        [95, 130, 220, 300, 340]
            .iter()
            .map(|&d| sk(RrReinduction, Response::Nr, d)),
    );
    for (i, s) in nr.iter_mut().enumerate() {
        s.ph_positive = matches!(i, 1 | 3 | 10 | 11);
    }
    out.extend(nr);
    // Responders to re-induction (10 CR, 4 CRi) and the one unknown-status patient (day 250); 4 Ph+.
    let responders = [
        70, 110, 130, 150, 170, 210, 230, 250, 270, 290, 310, 320, 340, 350,
    ];
    for (i, &d) in responders.iter().enumerate() {
        let mut s = sk(
            RrReinduction,
            if i % 4 == 1 {
                Response::Cri
            } else {
                Response::Cr
            },
            d,
        );
        s.ph_positive = matches!(i, 2 | 4 | 5 | 7);
        out.push(s);
    }
    out.push(sk(RrUnknown, Response::Cr, 250));
    // Consolidation: 11 censored, three relapses (the second dies of disease on day 290: 1-year OS 7/8).
    for d in [40, 60, 100, 130, 160, 250, 380, 420, 480, 520, 560] {
        out.push(sk(RrConsolidation, Response::InCr, d));
    }
    for (relapse, fu, dies) in [(90, 500, false), (200, 290, true), (300, 420, false)] {
        let mut s = sk(RrConsolidation, Response::InCr, fu);
        s.relapse_day = Some(relapse);
        if dies {
            s.death = Some(Death {
                day: fu,
                cause: "PROGRESSIVE_DISEASE",
            });
        }
        out.push(s);
    }
    out
}

/// Ages: ND median 36 (13-67), R/R median 32 (11-64), all 34; < 35: 50, 35 to < 55: 35, ≥ 55: 11.
const ND_AGES: [u32; 53] = [
    13, 15, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 30, 31, 32, 33, 33, 34, 35, 35,
    35, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 57, 58,
    60, 61, 63, 65, 67,
];
const RR_AGES: [u32; 43] = [
    11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 29, 30, 31, 32, 32, 33,
    33, 34, 34, 34, 36, 38, 39, 41, 43, 44, 46, 48, 50, 51, 53, 54, 56, 60, 64,
];

/// Abnormal genetic findings, one per patient (49 of 96), dealt to Ph− patients.
const FINDINGS: [(&str, usize); 9] = [
    ("KMT2A_R", 5),
    ("ETV6_RUNX1", 7),
    ("TCF3_PBX1", 7),
    ("HYPERDIPLOID", 6),
    ("HYPODIPLOID", 1),
    ("COMPLEX_KARYOTYPE", 2),
    ("IKZF1_DEL", 6),
    ("PH_LIKE", 6),
    ("PAX5", 9),
];

/// Table 3: 19 patients, one event each, 7 at grade 1-2 and 12 at grade ≥ 3. The first two are the
/// discontinuations for adverse events (grade-3 neurotoxicity in R/R, grade-3 infusion reaction in ND).
const ADVERSE_EVENTS: [AdverseEvent; 19] = [
    AdverseEvent {
        group: "ICANS",
        term: "Immune effector cell-associated neurotoxicity syndrome",
        grade: 3,
    },
    AdverseEvent {
        group: "OTHER",
        term: "Infusion related reaction",
        grade: 3,
    },
    AdverseEvent {
        group: "CRS",
        term: "Cytokine release syndrome",
        grade: 1,
    },
    AdverseEvent {
        group: "CRS",
        term: "Cytokine release syndrome",
        grade: 2,
    },
    AdverseEvent {
        group: "CRS",
        term: "Cytokine release syndrome",
        grade: 2,
    },
    AdverseEvent {
        group: "CRS",
        term: "Cytokine release syndrome",
        grade: 1,
    },
    AdverseEvent {
        group: "CRS",
        term: "Cytokine release syndrome",
        grade: 3,
    },
    AdverseEvent {
        group: "CRS",
        term: "Cytokine release syndrome",
        grade: 3,
    },
    AdverseEvent {
        group: "CRS",
        term: "Cytokine release syndrome",
        grade: 3,
    },
    AdverseEvent {
        group: "INFECTION",
        term: "Upper respiratory infection",
        grade: 2,
    },
    AdverseEvent {
        group: "INFECTION",
        term: "Urinary tract infection",
        grade: 2,
    },
    AdverseEvent {
        group: "INFECTION",
        term: "Pneumonia",
        grade: 3,
    },
    AdverseEvent {
        group: "INFECTION",
        term: "Sepsis",
        grade: 4,
    },
    AdverseEvent {
        group: "INFECTION",
        term: "Pneumonia",
        grade: 3,
    },
    AdverseEvent {
        group: "INFECTION",
        term: "Febrile neutropenia",
        grade: 3,
    },
    AdverseEvent {
        group: "LIVER_ENZYMES_INCREASED",
        term: "Alanine aminotransferase increased",
        grade: 3,
    },
    AdverseEvent {
        group: "NEUTROPENIA",
        term: "Neutrophil count decreased",
        grade: 4,
    },
    AdverseEvent {
        group: "OTHER",
        term: "Fever",
        grade: 1,
    },
    AdverseEvent {
        group: "OTHER",
        term: "Tremor",
        grade: 3,
    },
];

/// Subsequent-therapy paths (Figure 1 text): ND 53 (allo-HSCT 28, CAR-T 14), R/R 43 (allo-HSCT 23); 51 of
/// 96 transplanted. Listed longest first; dealt to patients by decreasing follow-up.
fn paths(population: Population) -> Vec<Vec<Therapy>> {
    use Therapy::*;
    let spec: &[(&[Therapy], usize)] = match population {
        Population::Nd => &[
            (&[Chemo, Inotuzumab, CarT, AlloHsct], 1),
            (&[Chemo, Inotuzumab, AlloHsct], 2),
            (&[Chemo, AlloHsct], 9),
            (&[CarT, Chemo], 1),
            (&[Chemo, CarT], 3),
            (&[CarT, AlloHsct], 2),
            (&[Chemo, Inotuzumab], 2),
            (&[AlloHsct], 13), // + the transplant-related death, placed explicitly: 14 direct
            (&[CarT], 7),
            (&[Chemo], 6),
            (&[], 6),
        ],
        Population::Rr => &[
            (&[CarT, AlloHsct], 6),
            (&[Chemo, AlloHsct], 3),
            (&[Inotuzumab, AlloHsct], 2),
            (&[AlloHsct], 12),
            (&[CarT], 4), // + the CAR-T CRS death, placed explicitly: 5
            (&[Chemo], 5),
            (&[], 10),
        ],
    };
    spec.iter()
        .flat_map(|&(p, n)| std::iter::repeat_n(p.to_vec(), n))
        .collect()
}

/// The seed study's 96 archetypes, ND first, in a fixed order.
pub fn seed_archetypes() -> Vec<Archetype> {
    let mut skeletons = newly_diagnosed();
    skeletons.extend(relapsed_refractory());
    let n = skeletons.len();
    let sexes = spread(n, &[53, 43]);
    let cns = spread(n, &[5, 91]);
    let intolerant = spread(n, &[7, 89]);
    let blasts = spread(n, &[78, 10, 8]);
    let mut people: Vec<Archetype> = skeletons
        .into_iter()
        .enumerate()
        .map(|(i, s)| Archetype {
            setting: s.setting,
            ph_positive: s.ph_positive,
            male: sexes[i] == 0,
            age: 0,
            dz_status_start: "",
            mrd_before: None,
            cycles: 1,
            cycle1_days: 28,
            stop_reason: "COMPLETED",
            response: s.response,
            mrd_after: MrdAfter::Negative,
            followup: s.followup,
            relapse_day: s.relapse_day,
            death: s.death,
            path: Vec::new(),
            adverse_event: None,
            cns: cns[i] == 0,
            chemo_intolerant: intolerant[i] == 0,
            prior_lines: 0,
            prior_hsct: false,
            prior_car_t: false,
            refractory_last: false,
            finding: None,
            blasts_high: match blasts[i] {
                0 => Some(true),
                1 => Some(false),
                _ => None,
            },
            pre_therapy: PreTherapy::None,
        })
        .collect();
    let nd: Vec<usize> = (0..n)
        .filter(|&i| people[i].population() == Population::Nd)
        .collect();
    let rr: Vec<usize> = (0..n)
        .filter(|&i| people[i].population() == Population::Rr)
        .collect();
    for (k, &i) in nd.iter().enumerate() {
        people[i].age = ND_AGES[(k * 7) % ND_AGES.len()];
    }
    for (k, &i) in rr.iter().enumerate() {
        people[i].age = RR_AGES[(k * 5) % RR_AGES.len()];
    }
    assign_status(&mut people, &nd);
    assign_cycles(&mut people, &nd, &rr);
    assign_mrd(&mut people);
    assign_history(&mut people, &rr);
    assign_paths(&mut people, &nd, Population::Nd);
    assign_paths(&mut people, &rr, Population::Rr);
    assign_adverse_events(&mut people);
    assign_pre_therapy(&mut people);
    let ph_negative: Vec<usize> = (0..n).filter(|&i| !people[i].ph_positive).collect();
    let findings: Vec<&str> = FINDINGS
        .iter()
        .flat_map(|&(f, k)| std::iter::repeat_n(f, k))
        .collect();
    let order = spread(findings.len(), &FINDINGS.map(|(_, k)| k));
    let mut next = [0usize; 9];
    for (slot, &cat) in order.iter().enumerate() {
        // The slot-th finding of category `cat`, to an evenly spaced Ph− patient.
        let offset: usize = FINDINGS[..cat].iter().map(|&(_, k)| k).sum();
        let patient = ph_negative[slot * ph_negative.len() / findings.len()];
        people[patient].finding = Some(findings[offset + next[cat]]);
        next[cat] += 1;
    }
    people
}

/// Disease and MRD status at the start: CR 52 (MRD+ 29, MRD− 23), one FL consolidation patient not in CR
/// (I-04: 15 ND non-CR), R/R non-consolidation "UNKNOWN" (29).
fn assign_status(people: &mut [Archetype], nd: &[usize]) {
    let first_con = nd
        .iter()
        .copied()
        .find(|&i| people[i].setting == Setting::FlConsolidation);
    let mut in_cr = Vec::new();
    for (i, p) in people.iter_mut().enumerate() {
        p.dz_status_start = match p.setting {
            Setting::FlConsolidation if Some(i) == first_con => "NON_CR",
            s if s.is_consolidation() => "CR",
            Setting::FlInduction | Setting::FlUnknown => "NON_CR",
            _ => "UNKNOWN",
        };
        if p.dz_status_start == "CR" {
            in_cr.push(i);
        } else if p.setting == Setting::FlConsolidation {
            // Not in CR at the start after all: reaches CR on day 28.
            p.response = Response::Cr;
        }
    }
    let mrd = spread(in_cr.len(), &[29, 23]);
    for (k, &i) in in_cr.iter().enumerate() {
        people[i].mrd_before = Some(mrd[k] == 0);
    }
}

/// Cycles 1: 64, 2: 20, 3: 7, 4: 4, 5: 1 (ND multiple 24, R/R 8); R/R non-responders stop for progression
/// after 10 days (12) or complete cycle 1 (2).
fn assign_cycles(people: &mut [Archetype], nd: &[usize], rr: &[usize]) {
    // ND: the 24 event-free patients followed ≥ 120 days, longest first.
    let mut long: Vec<usize> = nd
        .iter()
        .copied()
        .filter(|&i| {
            people[i].followup >= 120
                && people[i].relapse_day.is_none()
                && people[i].death.is_none()
        })
        .collect();
    long.sort_by_key(|&i| std::cmp::Reverse(people[i].followup));
    let nd_cycles = [5, 4, 4, 4, 3, 3, 3, 3, 3];
    for (k, &i) in long.iter().take(24).enumerate() {
        people[i].cycles = nd_cycles.get(k).copied().unwrap_or(2);
    }
    // R/R: consolidation 560 (4), 480 and 420 (3), 520 and 380 (2); responders 350, 340, 320 (2).
    for &i in rr {
        let p = &mut people[i];
        let event_free = p.relapse_day.is_none() && p.death.is_none();
        p.cycles = match (p.setting, p.followup, event_free) {
            (Setting::RrConsolidation, 560, true) => 4,
            (Setting::RrConsolidation, 480 | 420, true) => 3,
            (Setting::RrConsolidation, 520 | 380, true) => 2,
            (Setting::RrReinduction, 350 | 340 | 320, true) if p.response != Response::Nr => 2,
            _ => 1,
        };
    }
    let mut completed = 0;
    for &i in rr {
        let p = &mut people[i];
        if p.response == Response::Nr {
            if completed < 2 && p.death.is_none() {
                completed += 1;
            } else {
                p.cycle1_days = 10;
                p.stop_reason = "PD";
            }
        }
    }
}

/// MRD after the start (Table 2): FL consolidation 33 evaluable (27 negative within 2 cycles, 3 later,
/// 3 positive), R/R consolidation 11 (9, 1, 1), R/R re-induction responders 14 (9 negative), all other
/// responders negative within 2 cycles.
fn assign_mrd(people: &mut [Archetype]) {
    let by_fu = |people: &[Archetype], setting: Setting| -> Vec<usize> {
        let mut v: Vec<usize> = (0..people.len())
            .filter(|&i| people[i].setting == setting && people[i].dz_status_start == "CR")
            .collect();
        v.sort_by_key(|&i| (people[i].followup, i));
        v
    };
    for (setting, missing, positive, late) in [
        (Setting::FlConsolidation, 6, 3, 3),
        (Setting::RrConsolidation, 3, 1, 1),
    ] {
        let v = by_fu(people, setting);
        for &i in &v[..missing] {
            people[i].mrd_after = MrdAfter::Missing;
        }
        for &i in &v[missing..missing + positive] {
            people[i].mrd_after = MrdAfter::Positive;
        }
        let mut multi: Vec<usize> = v
            .iter()
            .copied()
            .filter(|&i| people[i].cycles >= 3)
            .collect();
        multi.truncate(late);
        for i in multi {
            people[i].mrd_after = MrdAfter::NegativeLate;
        }
    }
    let mut k = 0;
    for p in people.iter_mut() {
        match p.response {
            Response::Nr => p.mrd_after = MrdAfter::Missing,
            Response::Cr | Response::Cri if p.setting == Setting::RrReinduction => {
                if k % 3 == 1 {
                    p.mrd_after = MrdAfter::Positive;
                }
                k += 1;
            }
            _ => {}
        }
    }
}

/// Prior lines 1/2/≥3 = 18/12/13, prior HSCT 12 and CAR-T 10 (among ≥ 2 lines), refractory to the last
/// treatment 16, all in R/R.
fn assign_history(people: &mut [Archetype], rr: &[usize]) {
    let lines = spread(rr.len(), &[18, 12, 13]);
    let refractory = spread(rr.len(), &[16, 27]);
    for (k, &i) in rr.iter().enumerate() {
        people[i].prior_lines = [1, 2, 3 + (k % 2) as u32][lines[k]];
        people[i].refractory_last = refractory[k] == 0;
    }
    let heavy: Vec<usize> = rr
        .iter()
        .copied()
        .filter(|&i| people[i].prior_lines >= 2)
        .collect();
    let hsct = spread(heavy.len(), &[12, heavy.len() - 12]);
    let cart = spread(heavy.len(), &[heavy.len() - 10, 10]);
    for (k, &i) in heavy.iter().enumerate() {
        people[i].prior_hsct = hsct[k] == 0;
        people[i].prior_car_t = cart[k] == 1;
    }
}

fn assign_paths(people: &mut [Archetype], members: &[usize], population: Population) {
    let mut order: Vec<usize> = members.to_vec();
    order.retain(|&i| {
        let explicit = match people[i].death.map(|d| d.cause) {
            Some("TRANSPLANT_RELATED") => Some(vec![Therapy::AlloHsct]),
            Some("CART_CRS") => Some(vec![Therapy::CarT]),
            _ => None,
        };
        match explicit {
            Some(p) => {
                people[i].path = p;
                false
            }
            None => true,
        }
    });
    order.sort_by_key(|&i| (std::cmp::Reverse(people[i].followup), i));
    for (i, path) in order.into_iter().zip(paths(population)) {
        people[i].path = path;
    }
}

/// One event per patient, spread over the cohort; the two discontinuations go to an R/R re-induction
/// responder (ICANS) and to the first ND patient on the chemotherapy-inotuzumab path (infusion reaction).
fn assign_adverse_events(people: &mut [Archetype]) {
    let icans = people.iter().position(|p| {
        p.setting == Setting::RrReinduction && p.response == Response::Cr && p.cycles == 1
    });
    let nd_single = |p: &Archetype| p.population() == Population::Nd && p.cycles == 1;
    let reaction = people
        .iter()
        .position(|p| nd_single(p) && p.path == [Therapy::Chemo, Therapy::Inotuzumab])
        .or_else(|| {
            people
                .iter()
                .position(|p| nd_single(p) && p.path.first() == Some(&Therapy::Chemo))
        });
    let mut taken = Vec::new();
    for (slot, ae) in [icans, reaction].into_iter().zip(&ADVERSE_EVENTS[..2]) {
        if let Some(i) = slot {
            people[i].adverse_event = Some(*ae);
            people[i].cycle1_days = 7;
            people[i].stop_reason = "AE";
            taken.push(i);
        }
    }
    let mut next = 3;
    for ae in &ADVERSE_EVENTS[2..] {
        while taken.contains(&next) {
            next += 1;
        }
        people[next].adverse_event = Some(*ae);
        taken.push(next);
        next += 5;
    }
}

/// One cell of [`PRE_THERAPY`]: population, Ph-positive, in CR at the start, and the counts dealt.
type PreTherapyCell = (Population, bool, bool, &'static [(PreTherapy, usize)]);

/// Therapy before blinatumomab by population, Ph status and CR at the start (the paper's "concurrent
/// therapies" text): ND Ph− 22 low-intensity prephase (10 in CR at the start) and 10 intensive
/// chemotherapy (all in CR); ND Ph+ 15 TKI with a low-intensity prephase (12 in CR) and 6 TKI with
/// chemotherapy (all in CR); R/R Ph− 14 blinatumomab directly at relapse, 13 low-intensity (4 in CR) and
/// 8 intensive (7 in CR); R/R Ph+ 5 directly at relapse, 2 low-intensity with a TKI and 1 hyper-CVAD with a
/// TKI (all 3 in CR). Low-dose chemotherapy before blinatumomab: 37 ND + 15 R/R = 52.
const PRE_THERAPY: [PreTherapyCell; 8] = {
    use PreTherapy::*;
    [
        (Population::Nd, false, true, &[(Low, 10), (High, 10)]),
        (Population::Nd, false, false, &[(Low, 12)]),
        (Population::Nd, true, true, &[(LowTki, 12), (HighTki, 6)]),
        (Population::Nd, true, false, &[(LowTki, 3)]),
        (Population::Rr, false, true, &[(Low, 4), (High, 7)]),
        (
            Population::Rr,
            false,
            false,
            &[(None, 14), (Low, 9), (High, 1)],
        ),
        (Population::Rr, true, true, &[(LowTki, 2), (HighTki, 1)]),
        (Population::Rr, true, false, &[(None, 5)]),
    ]
};

/// Deals [`PRE_THERAPY`] to each population × Ph × CR-at-start cell in patient order; a cell larger
/// than its counts gives its last category to the rest.
fn assign_pre_therapy(people: &mut [Archetype]) {
    for (population, ph_positive, in_cr, deal) in PRE_THERAPY {
        let members: Vec<usize> = (0..people.len())
            .filter(|&i| {
                let p = &people[i];
                p.population() == population
                    && p.ph_positive == ph_positive
                    && (p.dz_status_start == "CR") == in_cr
            })
            .collect();
        let counts: Vec<usize> = deal.iter().map(|&(_, k)| k).collect();
        let total: usize = counts.iter().sum();
        let order = spread(total, &counts);
        for (k, &i) in members.iter().enumerate() {
            let category = order.get(k).copied().unwrap_or(counts.len() - 1);
            people[i].pre_therapy = deal[category].0;
        }
    }
}
