//! The seed study's 96 patients as an explicit table of archetypes.
//!
//! Every published count (Tables 1-3, the treatment-pattern text) is built in by construction: what the
//! survival, response and treatment-pattern numbers fix is written out per patient in [`SEED`], with the
//! Kaplan-Meier risk sets that reproduce the published rates, medians and intervals; every other attribute
//! is dealt from a list of exact counts. Nothing here is random; dates and lab values are drawn later from
//! a seeded generator.

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

/// One subsequent therapy and its study day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// The therapy.
    pub therapy: Therapy,
    /// Study day of the procedure or of the first dose (day 1 = first infusion).
    pub day: i32,
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
    /// Subsequent therapies in order, with their study days.
    pub path: Vec<Step>,
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

/// One row of [`SEED`]: what the published survival, response and treatment-pattern numbers fix for one
/// patient. Everything else (sex, age, labs, genetics, history, adverse events, therapy before
/// blinatumomab) is dealt afterwards from the published counts.
struct Row {
    setting: Setting,
    ph_positive: bool,
    response: Response,
    followup: i32,
    prior_lines: u32,
    cycles: u32,
    cycle1_days: i32,
    stop_reason: &'static str,
    relapse_day: Option<i32>,
    death_cause: Option<&'static str>,
    mrd_after: Option<MrdAfter>,
    path: &'static [(Therapy, i32)],
}

const POS: bool = true;
const NEG: bool = false;

/// A row with one completed cycle, no event, no subsequent therapy and MRD negative after the start
/// (missing for non-responders).
const fn p(setting: Setting, ph_positive: bool, response: Response, followup: i32) -> Row {
    Row {
        setting,
        ph_positive,
        response,
        followup,
        prior_lines: 0,
        cycles: 1,
        cycle1_days: 28,
        stop_reason: "COMPLETED",
        relapse_day: None,
        death_cause: None,
        mrd_after: None,
        path: &[],
    }
}

impl Row {
    const fn lines(mut self, n: u32) -> Self {
        self.prior_lines = n;
        self
    }
    const fn cycles(mut self, n: u32) -> Self {
        self.cycles = n;
        self
    }
    /// Stopped during cycle 1 after `days` of infusion.
    const fn stop(mut self, days: i32, reason: &'static str) -> Self {
        self.cycle1_days = days;
        self.stop_reason = reason;
        self
    }
    const fn relapse(mut self, day: i32) -> Self {
        self.relapse_day = Some(day);
        self
    }
    /// Died on the follow-up day.
    const fn death(mut self, cause: &'static str) -> Self {
        self.death_cause = Some(cause);
        self
    }
    const fn mrd(mut self, mrd: MrdAfter) -> Self {
        self.mrd_after = Some(mrd);
        self
    }
    const fn path(mut self, path: &'static [(Therapy, i32)]) -> Self {
        self.path = path;
        self
    }
}

/// The seed study's 96 patients. Days are study days (day 1 = first infusion); the follow-up is the day
/// of last contact or death. The layout reproduces, with the engine's definitions, every consistent
/// published count and these Kaplan-Meier structures (months of 30.4375 days, 1 year = day 365):
///
/// - EFS, newly diagnosed: a relapse on day 200 (E1, the consolidation patient not in CR at the start;
///   26 ND, 15 Ph−, 15 consolidation at risk) and a transplant-related death (E2; 18 ND, 9 Ph− at risk):
///   90.8 %, Ph− 83.0 %, Ph+ 100 %, consolidation 14/15 = 93.3 %. E1's RFS runs from its CR on day 28, with
///   16 consolidation patients at risk: RFS 15/16 = 93.8 %.
/// - EFS, R/R consolidation: relapses with 12, 8 and 6 at risk (66.8 %); the first is the one Ph+ EFS event
///   of the cohort (day 119, 14 Ph+ at risk: 92.9 %; 10 at risk when censored at HSCT/CAR-T: median
///   NR (3.9, NE)). No R/R Ph+ or re-induction patient is event-free past day 365 (rates NE).
/// - RFS, R/R re-induction with ≥ 2 prior lines: 3 responders, relapses 30 and 82 days after CR:
///   median 2.7 (1.0, NE) months.
/// - EFS censored at HSCT/CAR-T, Ph−: after the 14 day-1 failures, events with 52, 39, 21, 19, 16 and 4 at
///   risk: 48.0 % (18.4, 72.7), the published (18.5, 72.6) within 0.1.
/// - OS, R/R: 1 year 70.9 % (50, 84), re-induction 69.9 %, consolidation 7/8 = 87.5 %; follow-up
///   median 205 (15-652) days.
///
/// The R/R EFS and its Ph− stratum cannot reach the published 55.1 % and 49.9 % with 14 day-1 failures
/// (I-27); the layout keeps everything else.
#[rustfmt::skip]
const SEED: [Row; 96] = {
    use MrdAfter::*;
    use Response::*;
    use Setting::*;
    use Therapy::*;
    [
        // Newly diagnosed, Ph+, in CR at the start (consolidation).
        p(FlConsolidation, POS, InCr, 57).mrd(Positive).path(&[(AlloHsct, 48)]),
        p(FlConsolidation, POS, InCr, 63).mrd(Missing).path(&[(AlloHsct, 45)]),
        p(FlConsolidation, POS, InCr, 73).mrd(Positive).path(&[(Chemo, 66)]),
        p(FlConsolidation, POS, InCr, 89).path(&[(AlloHsct, 71)]),
        p(FlConsolidation, POS, InCr, 103).mrd(Positive).path(&[(CarT, 95)]),
        p(FlConsolidation, POS, InCr, 105).mrd(Missing).path(&[(CarT, 90)]),
        p(FlConsolidation, POS, InCr, 106),
        p(FlConsolidation, POS, InCr, 111),
        p(FlConsolidation, POS, InCr, 114).mrd(Missing).path(&[(Chemo, 85)]),
        p(FlConsolidation, POS, InCr, 118).stop(7, "AE").path(&[(Chemo, 79), (Inotuzumab, 111)]),
        p(FlConsolidation, POS, InCr, 201).cycles(2).path(&[(AlloHsct, 114)]),
        p(FlConsolidation, POS, InCr, 214).cycles(2).path(&[(CarT, 107)]),
        p(FlConsolidation, POS, InCr, 313).cycles(3).path(&[(Chemo, 132), (AlloHsct, 239)]),
        p(FlConsolidation, POS, InCr, 346).cycles(4).mrd(NegativeLate).path(&[(Chemo, 169)]),
        p(FlConsolidation, POS, InCr, 390).path(&[(AlloHsct, 124)]),
        p(FlConsolidation, POS, InCr, 450).path(&[(AlloHsct, 87)]),
        p(FlConsolidation, POS, InCr, 546).cycles(2).path(&[(CarT, 328)]),
        p(FlConsolidation, POS, InCr, 572).cycles(2).path(&[(AlloHsct, 273)]),
        // Newly diagnosed, Ph+, not in CR at the start.
        p(FlUnknown, POS, Cr, 388).path(&[(Chemo, 244), (AlloHsct, 306)]),
        p(FlInduction, POS, Cr, 526).cycles(2).path(&[(AlloHsct, 301)]),
        p(FlInduction, POS, Cr, 589).path(&[(CarT, 356), (AlloHsct, 538)]),
        // Newly diagnosed, Ph−, in CR at the start (consolidation).
        p(FlConsolidation, NEG, InCr, 61).mrd(Missing),
        p(FlConsolidation, NEG, InCr, 76).mrd(Missing).path(&[(AlloHsct, 54)]),
        p(FlConsolidation, NEG, InCr, 80).path(&[(AlloHsct, 58)]),
        p(FlConsolidation, NEG, InCr, 120).path(&[(AlloHsct, 58)]),
        p(FlConsolidation, NEG, InCr, 126).cycles(2).path(&[(CarT, 112)]),
        p(FlConsolidation, NEG, InCr, 130).mrd(Missing).path(&[(Chemo, 71), (AlloHsct, 113)]),
        p(FlConsolidation, NEG, InCr, 135).path(&[(Chemo, 46), (AlloHsct, 110)]),
        p(FlConsolidation, NEG, InCr, 146).path(&[(AlloHsct, 124)]),
        p(FlConsolidation, NEG, InCr, 150).path(&[(Chemo, 81), (AlloHsct, 107)]),
        p(FlConsolidation, NEG, InCr, 153).path(&[(Chemo, 50), (AlloHsct, 99)]),
        p(FlConsolidation, NEG, InCr, 160).path(&[(Chemo, 49), (AlloHsct, 134)]),
        p(FlConsolidation, NEG, InCr, 171).path(&[(Chemo, 42), (Inotuzumab, 71), (AlloHsct, 94)]),
        p(FlConsolidation, NEG, InCr, 172).path(&[(Chemo, 121), (Inotuzumab, 145), (AlloHsct, 165)]),
        p(FlConsolidation, NEG, InCr, 182).cycles(2).path(&[(Chemo, 102)]),
        p(FlConsolidation, NEG, InCr, 252).cycles(2).path(&[(Chemo, 172)]),
        p(FlConsolidation, NEG, InCr, 282).cycles(2).path(&[(Chemo, 247), (CarT, 268)]),
        p(FlConsolidation, NEG, InCr, 305).cycles(3).mrd(NegativeLate).path(&[(Chemo, 130), (Inotuzumab, 159)]),
        p(FlConsolidation, NEG, InCr, 492).cycles(4).mrd(NegativeLate).path(&[(Chemo, 189), (CarT, 293)]),
        p(FlConsolidation, NEG, InCr, 513).cycles(3).path(&[(Chemo, 259), (Inotuzumab, 297), (CarT, 324), (AlloHsct, 503)]),
        p(FlConsolidation, NEG, InCr, 559).cycles(3).path(&[(CarT, 231), (AlloHsct, 517)]),
        // Newly diagnosed, Ph−, not in CR at the start; E1: the consolidation patient not in CR (relapse day
        // 200), E2: the transplant-related death (day 287, 4 months after allo-HSCT).
        p(FlUnknown, NEG, Cr, 101).cycles(2),
        p(FlInduction, NEG, Cr, 115).cycles(2),
        p(FlUnknown, NEG, Cr, 178).path(&[(Chemo, 116), (CarT, 167)]),
        p(FlUnknown, NEG, Cr, 209).cycles(2),
        p(FlUnknown, NEG, Cr, 264).cycles(2).path(&[(Chemo, 141)]),
        p(FlInduction, NEG, Cr, 265).cycles(2).path(&[(CarT, 126), (Chemo, 247)]),
        p(FlUnknown, NEG, Cr, 287).death("TRANSPLANT_RELATED").path(&[(AlloHsct, 164)]),
        p(FlUnknown, NEG, Cr, 308).cycles(2).path(&[(AlloHsct, 170)]),
        p(FlConsolidation, NEG, Cr, 330).relapse(200).path(&[(Chemo, 240), (AlloHsct, 315)]),
        p(FlInduction, NEG, Cr, 507).cycles(3).path(&[(CarT, 192)]),
        p(FlInduction, NEG, Cr, 517).cycles(4).path(&[(CarT, 305)]),
        p(FlUnknown, NEG, Cr, 637).cycles(5).path(&[(Chemo, 239), (AlloHsct, 342)]),
        // Relapsed/refractory consolidation: relapses on day 119 (Ph+), 215 and 250 with 12, 8 and 6 at risk.
        p(RrConsolidation, POS, InCr, 62).lines(3).mrd(Missing),
        p(RrConsolidation, NEG, InCr, 67).lines(4).path(&[(AlloHsct, 58)]),
        p(RrConsolidation, NEG, InCr, 173).lines(2).path(&[(Chemo, 123)]),
        p(RrConsolidation, POS, InCr, 175).lines(2).path(&[(AlloHsct, 100)]),
        p(RrConsolidation, NEG, InCr, 177).lines(4).path(&[(AlloHsct, 62)]),
        p(RrConsolidation, POS, InCr, 200).lines(1).relapse(119).mrd(Missing).path(&[(CarT, 183)]),
        p(RrConsolidation, NEG, InCr, 240).lines(1).relapse(215).death("PROGRESSIVE_DISEASE").mrd(Positive),
        p(RrConsolidation, NEG, InCr, 248).lines(2).path(&[(AlloHsct, 95)]),
        p(RrConsolidation, NEG, InCr, 420).lines(3).relapse(250).mrd(Missing).path(&[(CarT, 285)]),
        p(RrConsolidation, NEG, InCr, 441).lines(2).cycles(2).path(&[(AlloHsct, 160)]),
        p(RrConsolidation, NEG, InCr, 512).lines(4).cycles(4).path(&[(CarT, 314), (AlloHsct, 426)]),
        p(RrConsolidation, NEG, InCr, 516).lines(2).cycles(2).path(&[(Chemo, 327)]),
        p(RrConsolidation, NEG, InCr, 581).lines(1).cycles(3).path(&[(Chemo, 249), (AlloHsct, 304)]),
        p(RrConsolidation, NEG, InCr, 652).lines(4).cycles(3).mrd(NegativeLate),
        // Relapsed/refractory re-induction responders, relapses on days 57 and 109 among the three with ≥ 2
        // prior lines; last, the unknown-status patient (relapse day 350, the 4-at-risk event of the Ph−
        // sensitivity analysis).
        p(RrReinduction, POS, Cr, 68).lines(1).path(&[(CarT, 55)]),
        p(RrReinduction, POS, Cri, 69).lines(1).mrd(Positive).path(&[(AlloHsct, 50)]),
        p(RrReinduction, POS, Cr, 112).lines(1),
        p(RrReinduction, POS, Cr, 113).lines(1).path(&[(AlloHsct, 57)]),
        p(RrReinduction, POS, Cr, 151).lines(1).cycles(2).mrd(Positive).path(&[(AlloHsct, 140)]),
        p(RrReinduction, NEG, Cri, 161).lines(2).path(&[(AlloHsct, 95)]),
        p(RrReinduction, NEG, Cr, 291).lines(1).cycles(2).mrd(Positive).path(&[(Chemo, 270)]),
        p(RrReinduction, NEG, Cr, 300).lines(2).relapse(57).path(&[(CarT, 90)]),
        p(RrReinduction, NEG, Cr, 320).lines(3).relapse(109).mrd(Positive).path(&[(Chemo, 125), (AlloHsct, 270)]),
        p(RrReinduction, NEG, Cri, 333).lines(1).path(&[(CarT, 139), (AlloHsct, 246)]),
        p(RrReinduction, NEG, Cri, 357).lines(1).path(&[(CarT, 156), (AlloHsct, 248)]),
        p(RrReinduction, NEG, Cr, 358).lines(1).stop(7, "AE").path(&[(AlloHsct, 88)]),
        p(RrReinduction, NEG, Cr, 360).lines(1).mrd(Positive).path(&[(AlloHsct, 245)]),
        p(RrReinduction, NEG, Cr, 361).lines(1).cycles(2),
        p(RrUnknown, NEG, Cr, 362).lines(1).relapse(350).death("PROGRESSIVE_DISEASE"),
        // Relapsed/refractory re-induction non-responders (EFS failure on day 1).
        p(RrReinduction, NEG, Nr, 15).lines(4).stop(10, "PD").death("PROGRESSIVE_DISEASE"),
        p(RrReinduction, NEG, Nr, 18).lines(2).stop(10, "PD").death("PROGRESSIVE_DISEASE"),
        p(RrReinduction, NEG, Nr, 53).lines(2).death("CHEMO_TOXICITY").path(&[(Chemo, 45)]),
        p(RrReinduction, NEG, Nr, 55).lines(1).stop(10, "PD").death("PROGRESSIVE_DISEASE"),
        p(RrReinduction, NEG, Nr, 65).lines(3).death("INFECTION").path(&[(Chemo, 50)]),
        p(RrReinduction, NEG, Nr, 81).lines(4).stop(10, "PD").death("PROGRESSIVE_DISEASE"),
        p(RrReinduction, NEG, Nr, 87).lines(2).stop(10, "PD").death("CART_CRS").path(&[(CarT, 76)]),
        p(RrReinduction, NEG, Nr, 132).lines(3).stop(10, "PD").death("PROGRESSIVE_DISEASE").path(&[(Inotuzumab, 37), (AlloHsct, 114)]),
        p(RrReinduction, NEG, Nr, 375).lines(4).stop(10, "PD").path(&[(Chemo, 87), (AlloHsct, 231)]),
        p(RrReinduction, NEG, Nr, 487).lines(4).stop(10, "PD").path(&[(CarT, 126), (AlloHsct, 257)]),
        p(RrReinduction, NEG, Nr, 528).lines(2).stop(10, "PD").path(&[(CarT, 52), (AlloHsct, 507)]),
        p(RrReinduction, NEG, Nr, 576).lines(2).stop(10, "PD").path(&[(AlloHsct, 281)]),
        p(RrReinduction, NEG, Nr, 607).lines(1).stop(10, "PD").path(&[(CarT, 254), (AlloHsct, 509)]),
        p(RrReinduction, NEG, Nr, 628).lines(1).stop(10, "PD").path(&[(Inotuzumab, 164), (AlloHsct, 568)]),
    ]
};

/// The seed study's 96 archetypes in the order of [`SEED`].
pub fn seed_archetypes() -> Vec<Archetype> {
    let n = SEED.len();
    let sexes = spread(n, &[53, 43]);
    let cns = spread(n, &[5, 91]);
    let intolerant = spread(n, &[7, 89]);
    let blasts = spread(n, &[78, 10, 8]);
    let mut people: Vec<Archetype> = SEED
        .iter()
        .enumerate()
        .map(|(i, r)| Archetype {
            setting: r.setting,
            ph_positive: r.ph_positive,
            male: sexes[i] == 0,
            age: 0,
            dz_status_start: match (r.response, r.setting.population()) {
                (Response::InCr, _) => "CR",
                (_, Population::Nd) => "NON_CR",
                (_, Population::Rr) => "UNKNOWN",
            },
            mrd_before: None,
            cycles: r.cycles,
            cycle1_days: r.cycle1_days,
            stop_reason: r.stop_reason,
            response: r.response,
            mrd_after: r.mrd_after.unwrap_or(if r.response == Response::Nr {
                MrdAfter::Missing
            } else {
                MrdAfter::Negative
            }),
            followup: r.followup,
            relapse_day: r.relapse_day,
            death: r.death_cause.map(|cause| Death {
                day: r.followup,
                cause,
            }),
            path: r
                .path
                .iter()
                .map(|&(therapy, day)| Step { therapy, day })
                .collect(),
            adverse_event: None,
            cns: cns[i] == 0,
            chemo_intolerant: intolerant[i] == 0,
            prior_lines: r.prior_lines,
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
    assign_mrd_before(&mut people);
    assign_history(&mut people, &rr);
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

/// MRD before the start among the 52 patients in CR: 29 positive, 23 negative.
fn assign_mrd_before(people: &mut [Archetype]) {
    let in_cr: Vec<usize> = (0..people.len())
        .filter(|&i| people[i].dz_status_start == "CR")
        .collect();
    let mrd = spread(in_cr.len(), &[29, 23]);
    for (k, &i) in in_cr.iter().enumerate() {
        people[i].mrd_before = Some(mrd[k] == 0);
    }
}

/// Prior HSCT 12 and CAR-T 10 (among ≥ 2 prior lines) and refractory to the last treatment 16, all in
/// R/R; the prior lines themselves (1/2/≥3 = 18/12/13) are in [`SEED`].
fn assign_history(people: &mut [Archetype], rr: &[usize]) {
    let refractory = spread(rr.len(), &[16, 27]);
    for (k, &i) in rr.iter().enumerate() {
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

/// One event per patient, spread over the cohort; the two discontinuations for adverse events of [`SEED`]
/// get the first two (grade-3 neurotoxicity in R/R, grade-3 infusion reaction in ND).
fn assign_adverse_events(people: &mut [Archetype]) {
    let stopped = |population: Population| {
        people
            .iter()
            .position(|p| p.stop_reason == "AE" && p.population() == population)
    };
    let mut taken = Vec::new();
    for (slot, ae) in [stopped(Population::Rr), stopped(Population::Nd)]
        .into_iter()
        .zip(&ADVERSE_EVENTS[..2])
    {
        if let Some(i) = slot {
            people[i].adverse_event = Some(*ae);
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
