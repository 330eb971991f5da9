//! The derivation rules: one id and one definition for every derived value, cited by each trace and printed
//! by `rwe rules`. The definitions follow the seed paper as extracted in the domain notes (§1, R1–R10).

use std::fmt::Write as _;

/// One derivation rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Derivation {
    /// Stable id cited by traces.
    pub id: &'static str,
    /// The one definition.
    pub definition: &'static str,
}

macro_rules! derivations {
    ($($name:ident = ($id:literal, $def:literal);)+) => {
        $(
            #[doc = concat!("`", $id, "`: ", $def)]
            pub const $name: &str = $id;
        )+
        /// Every derivation rule, in the order `rwe rules` prints them.
        pub const DERIVATIONS: &[Derivation] = &[$(Derivation { id: $id, definition: $def }),+];
    };
}

derivations! {
    INDEX = ("D-INDEX",
        "TRTSDT is the first day of the first blinatumomab infusion; TRTEDT the last day of the last one \
         (capped at the data cut-off). A patient is in the study population (SAFFL = Y) when TRTSDT lies in \
         the enrolment window (R1).");
    CUTOFF = ("D-CUTOFF",
        "Records dated after the data cut-off are ignored; a death after it is not an event (R2).");
    AGE = ("D-AGE",
        "AGE is the whole years from BRTHDT to TRTSDT, or the recorded AGE when BRTHDT is empty; AGEGR1 \
         groups it by population.age_groups (<35, 35-<55, >=55).");
    RECORDED = ("D-RECORDED",
        "Taken as recorded in patients (or baseline_labs, genetic_findings) without transformation.");
    BASELINE_LAB = ("D-BASELINE-LAB",
        "Table 1 laboratory values come from baseline_labs at population.baseline_labs_at (diagnosis by \
         default, I-07); marrow blasts at diagnosis are grouped <50 / >=50 / MISSING (I-06).");
    PRIOR = ("D-PRIOR",
        "Prior HSCT, CAR-T and inotuzumab are procedures or exposures dated before TRTSDT; PRLINGR groups \
         PRIOR_LINES as 0, 1, 2, >=3.");
    POPULATION = ("D-POPULATION",
        "POPGR1 is POP_RECORDED; when empty it is RR if before TRTSDT the patient has a relapse, \
         progression or refractory event, a prior line, a prior allo-HSCT or a prior CAR-T, and ND \
         otherwise (R3).");
    STATUS_START = ("D-STATUS-START",
        "DZSTBL is DZ_STATUS_START; when empty, the last bone-marrow assessment within \
         population.baseline_window_days before or on TRTSDT: CR with blasts <= 5 % and no extramedullary \
         disease, NON_CR otherwise, UNKNOWN without one. A patient is in CR at the start when DZSTBL is CR, \
         or DZSTBL is UNKNOWN and the setting is a consolidation.");
    MRD_START = ("D-MRD-START",
        "MRDSTBL is the last evaluable MRD within population.baseline_window_days before or on TRTSDT: \
         POSITIVE (>= threshold), NEGATIVE (< threshold) or UNKNOWN.");
    SETTING = ("D-SETTING",
        "BLSETT is BLINA_SETTING; when empty, consolidation if in CR at the start, (re-)induction if not, \
         unknown when the status is unknown, prefixed FL_ for ND and RR_ for RR (R4).");
    CYCLES = ("D-CYCLES",
        "Blinatumomab records separated by at most cycles.gap_days days without infusion belong to one \
         cycle; a longer gap, or a change of the recorded CYCLE_NO, starts a new one (R6). The gap between \
         records ending on day E and starting on day S is S - E - 1 days.");
    DURATION = ("D-DURATION",
        "DURC1D is the infusion days of cycle 1, last day - first day + 1 (or of all cycles, capped, with \
         duration_basis = total_capped); DURGR1 buckets it by cycles.duration_buckets (<=14, 15-28, >28 \
         days; R7, I-12).");
    END_OF_TREATMENT = ("D-EOT",
        "DCSREAS is the DCREAS of the last blinatumomab record.");
    RESPONSE = ("D-RESPONSE",
        "Per bone-marrow assessment after TRTSDT: extramedullary disease or blasts > response.cr_blast_max_pct \
         is RELAPSE when the patient was in CR before, NR otherwise; else CR when ANC >= anc_min and PLT >= \
         plt_min, CRI when either is lower, CR/CRI when either is missing; NE without blasts (R8).");
    RESPONSE_WINDOW = ("D-RESPONSE-WINDOW",
        "The CR/CRi rate counts assessments after TRTSDT, up to TRTEDT + response.window_after_last_infusion_days \
         and before the first subsequent therapy (NEWTHDT); BESTRESP is the best of them (CR > CRI > CR/CRI > \
         NR > NE) and CRCRI is Y when it is a remission. Reported for patients not in CR at the start.");
    CR_WEEK12 = ("D-CR-WK12",
        "CRWK12 is Y when a CR, CRi or CR/CRi assessment lies on or before study day \
         endpoints.efs_cr_window_days (84; TRTSDT is day 1) and before NEWTHDT; BORWK12 is the best \
         response of those assessments (CR > CRI > CR/CRI > NR > NE).");
    MRD = ("D-MRD",
        "An MRD assessment is evaluable when its method is accepted (mrd.methods; empty counts as accepted) \
         and it is a value, or below a limit of detection at or below mrd.threshold; it is negative when \
         evaluable, below mrd.threshold and without CNS involvement that day (R9).");
    MRD_WINDOWS = ("D-MRD-WINDOWS",
        "MRD2C: a negative MRD after TRTSDT up to the end of cycle mrd.within_cycles (or the last cycle) + \
         mrd.grace_days, before a further cycle and before NEWTHDT; MRDOV: up to TRTEDT + mrd.grace_days \
         and before NEWTHDT. The denominator (ANL01FL) is patients in CR at the start or with CRCRI = Y who \
         have an evaluable MRD in the overall window (I-05).");
    LAST_ALIVE = ("D-LAST-ALIVE",
        "LSTALVDT is the latest date the patient is known alive: exposures, assessments, procedures, \
         adverse events, contacts with VITAL_STATUS ALIVE and LSTCNTDT, capped at the data cut-off (a \
         later date or a death after the cut-off gives the cut-off) and at the death date.");
    SUBSEQUENT = ("D-SUBSEQUENT",
        "Subsequent therapies start after TRTEDT: chemotherapy and TKIs (CHEMO), inotuzumab (INO), \
         allo-HSCT, auto-HSCT and CAR-T. TXPATH is their categories in date order with consecutive repeats \
         collapsed, joined by >; FIRSTSUB the first (NONE without); NEWTHDT the first date (R10).");
    PRE_THERAPY = ("D-PRE-THERAPY",
        "PRETXGR is the therapy started from the latest relapse, progression or refractoriness before TRTSDT \
         (the diagnosis without one) to the day before TRTSDT: chemotherapy by its INTENSITY (CHEMO_HIGH, \
         CHEMO_LOW, CHEMO when not classed), TKIs (TKI), inotuzumab (INO), CAR-T, ALLO-HSCT, AUTO-HSCT, \
         joined by + in that order; NONE when blinatumomab came first.");
    FOLLOW_UP = ("D-FOLLOW-UP",
        "FUDURD is the observed follow-up in days: TRTSDT to the death (on or before the cut-off) or to \
         LSTALVDT, TRTSDT counting as day 1 (I-02).");
    EFS_FAILURE = ("D-EFS-FAILURE",
        "EFS: a patient not in CR at the start whose CRWK12 is N is a treatment failure, an event at day 1 \
         (ADT = TRTSDT), once the outcome is known: followed to study day efs_cr_window_days, dead, \
         relapsed or on a subsequent therapy (§1.7, TOWER). Otherwise not yet a failure.");
    RELAPSE = ("D-RELAPSE",
        "Relapse after TRTSDT: the first disease event (relapse or progression) or RELAPSE assessment \
         after TRTSDT, counted once the patient is in CR (at the start, or from the first CR/CRi).");
    DEATH = ("D-DEATH",
        "Death from any cause on DTHDT, on or before the data cut-off.");
    EFS = ("D-EFS",
        "EFS from TRTSDT: the earliest of treatment failure (day 1), relapse and death; ties in that order. \
         Without an event, censored at LSTALVDT (CNSR 1). HSCT and CAR-T neither end nor censor it.");
    EFS_CENSORED = ("D-EFSCEN",
        "EFSCEN is EFS censored at the first allo-HSCT (CNSR 2) or CAR-T (CNSR 3) after TRTEDT when that \
         lies before the EFS event or censoring date (sensitivity analysis, endpoints.sensitivity_censoring).");
    OS = ("D-OS",
        "OS from TRTSDT to death; censored at LSTALVDT (CNSR 1).");
    RFS = ("D-RFS",
        "RFS from the first CR/CRi in the response window (or from TRTSDT for patients in CR at the start, \
         endpoints.rfs_consolidation_origin, I-14) to relapse or death; censored at LSTALVDT.");
    DOR = ("D-DOR",
        "DOR from the first response: the first CR/CRi in the response window, or for patients in CR at \
         the start the first negative MRD in the overall MRD window; to relapse or death; censored at \
         LSTALVDT.");
    DURATION_DAYS = ("D-AVAL",
        "AVAL = ADT - STARTDT + 1 days (an event on the first day is 1 day); AVALMO = AVAL / \
         endpoints.days_per_month (30.4375).");
    TEAE = ("D-TEAE",
        "An adverse event is treatment-emergent (TRTEMFL = Y) when its onset lies from TRTSDT to TRTEDT + \
         safety.ae_grace_days.");
    AE_MAX = ("D-AE-MAX",
        "AEMAXGR is the highest grade of the patient's treatment-emergent adverse events; AMAXFL marks the \
         first event with it, AGRMAXFL the first event with the highest grade within its AEGRP row.");
}

/// The derivation with this id.
#[must_use]
pub fn find(id: &str) -> Option<&'static Derivation> {
    DERIVATIONS.iter().find(|d| d.id == id)
}

/// The derivation rules as text for a person.
#[must_use]
pub fn catalogue_text() -> String {
    let mut out = String::new();
    for d in DERIVATIONS {
        let _ = writeln!(out, "{}\n  {}", d.id, d.definition);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique() {
        for (i, d) in DERIVATIONS.iter().enumerate() {
            assert!(
                DERIVATIONS[..i].iter().all(|o| o.id != d.id),
                "duplicate derivation id {}",
                d.id
            );
        }
    }
}
