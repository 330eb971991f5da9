//! Controlled terminology: every enumerated column's allowed values, as Rust enums generated from one list.
//!
//! Terms are UPPER_SNAKE as written in the input files. [`match_term`] tells an exact match from a near
//! spelling (case, spaces or hyphens for underscores), which is accepted with a warning, and from an unknown
//! term, for which the closest valid term is suggested.

use std::fmt;

use serde::Serialize;

/// A controlled term: an enum whose values are written as fixed upper-case words in the input.
pub trait Term: Sized + Copy + 'static {
    /// Every allowed value, as written in the input, in documentation order.
    const TERMS: &'static [&'static str];
    /// The value for an exact term.
    fn from_term(s: &str) -> Option<Self>;
    /// The term as written in the input.
    fn as_str(self) -> &'static str;
}

macro_rules! terms {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl Term for $name {
            const TERMS: &'static [&'static str] = &[$($text),+];
            fn from_term(s: &str) -> Option<Self> {
                match s { $($text => Some(Self::$variant),)+ _ => None }
            }
            fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

terms! {
    /// Sex as recorded.
    Sex { /** Male */ M = "M", /** Female */ F = "F", /** Unknown */ U = "U" }
}
terms! {
    /// Analysis population: newly diagnosed or relapsed/refractory (domain §1.2).
    Population { /** Newly diagnosed (frontline). */ Nd = "ND", /** Relapsed or refractory. */ Rr = "RR" }
}
terms! {
    /// Treatment setting of blinatumomab (Table 2 columns; domain §1.3).
    BlinaSetting {
        /** Frontline remission induction. */ FlInduction = "FL_INDUCTION",
        /** Frontline consolidation (in CR at start). */ FlConsolidation = "FL_CONSOLIDATION",
        /** Frontline, status unknown. */ FlUnknown = "FL_UNKNOWN",
        /** Relapsed/refractory re-induction. */ RrReinduction = "RR_REINDUCTION",
        /** Relapsed/refractory consolidation (in CR at start). */ RrConsolidation = "RR_CONSOLIDATION",
        /** Relapsed/refractory, status unknown. */ RrUnknown = "RR_UNKNOWN",
    }
}
terms! {
    /// Philadelphia chromosome (BCR-ABL1) status.
    PhStatus { /** Ph+ */ Pos = "POS", /** Ph− */ Neg = "NEG", /** Unknown */ Unk = "UNK" }
}
terms! {
    /// Yes / no / unknown flag.
    YesNo { /** Yes */ Y = "Y", /** No */ N = "N", /** Unknown */ U = "U" }
}
terms! {
    /// Disease status on starting blinatumomab (Table 1; I-03).
    DiseaseStatus { /** In complete remission. */ Cr = "CR", /** Not in remission. */ NonCr = "NON_CR", /** Unknown. */ Unknown = "UNKNOWN" }
}
terms! {
    /// Cause of death.
    DeathCause {
        /** Progressive disease. */ ProgressiveDisease = "PROGRESSIVE_DISEASE",
        /** Transplant-related mortality. */ TransplantRelated = "TRANSPLANT_RELATED",
        /** Cytokine release syndrome after CAR-T. */ CartCrs = "CART_CRS",
        /** Chemotherapy toxicity. */ ChemoToxicity = "CHEMO_TOXICITY",
        /** Infection. */ Infection = "INFECTION",
        /** Adverse event of blinatumomab. */ BlinaAe = "BLINA_AE",
        /** Other cause. */ Other = "OTHER",
        /** Unknown cause. */ Unknown = "UNKNOWN",
    }
}
terms! {
    /// When a baseline laboratory value was taken.
    LabTimepoint { /** At initial diagnosis. */ Diagnosis = "DIAGNOSIS", /** At the start of blinatumomab. */ BlinaStart = "BLINA_START" }
}
terms! {
    /// Genetic findings of Table 1 (each patient may have several rows).
    GeneticFinding {
        /** t(4;11) or other KMT2A rearrangement. */ Kmt2aR = "KMT2A_R",
        /** t(12;21) ETV6-RUNX1. */ Etv6Runx1 = "ETV6_RUNX1",
        /** t(1;19) TCF3-PBX1. */ Tcf3Pbx1 = "TCF3_PBX1",
        /** Hyperdiploid. */ Hyperdiploid = "HYPERDIPLOID",
        /** Hypodiploid. */ Hypodiploid = "HYPODIPLOID",
        /** Complex karyotype. */ ComplexKaryotype = "COMPLEX_KARYOTYPE",
        /** IKZF1 deletion. */ Ikzf1Del = "IKZF1_DEL",
        /** Ph-like. */ PhLike = "PH_LIKE",
        /** PAX5 alteration. */ Pax5 = "PAX5",
        /** BCR-ABL1 fusion (defines Ph+). */ BcrAbl1 = "BCR_ABL1",
        /** Any other finding. */ Other = "OTHER",
    }
}
terms! {
    /// Laboratory method of a genetic finding.
    GeneticMethod { /** Karyotype */ Karyotype = "KARYOTYPE", /** FISH */ Fish = "FISH", /** PCR */ Pcr = "PCR", /** NGS */ Ngs = "NGS" }
}
terms! {
    /// Anti-leukaemic or premedication agent of an exposure record.
    Agent {
        /** Blinatumomab. */ Blinatumomab = "BLINATUMOMAB",
        /** Inotuzumab ozogamicin. */ Inotuzumab = "INOTUZUMAB",
        /** Imatinib. */ TkiImatinib = "TKI_IMATINIB",
        /** Dasatinib. */ TkiDasatinib = "TKI_DASATINIB",
        /** Ponatinib. */ TkiPonatinib = "TKI_PONATINIB",
        /** Olverembatinib. */ TkiOlverembatinib = "TKI_OLVERATINIB",
        /** Another tyrosine kinase inhibitor. */ TkiOther = "TKI_OTHER",
        /** Chemotherapy (any regimen). */ Chemo = "CHEMO",
        /** Dexamethasone premedication. */ DexamethasonePremed = "DEXAMETHASONE_PREMED",
    }
}
terms! {
    /// Dose unit.
    DoseUnit { /** µg/day */ UgDay = "UG_DAY", /** µg/m²/day */ UgM2Day = "UG_M2_DAY", /** mg */ Mg = "MG", /** mg/m² */ MgM2 = "MG_M2" }
}
terms! {
    /// Reason a treatment ended.
    DiscontinuationReason {
        /** Completed as planned. */ Completed = "COMPLETED",
        /** Adverse event. */ Ae = "AE",
        /** Progressive disease. */ Pd = "PD",
        /** Went to transplant. */ Transplant = "TRANSPLANT",
        /** Cost. */ Cost = "COST",
        /** Patient's choice. */ PatientChoice = "PATIENT_CHOICE",
        /** Other. */ Other = "OTHER",
    }
}
terms! {
    /// Intensity of a chemotherapy regimen, as the treating physician classed it.
    Intensity {
        /** Low intensity: a prephase (e.g. VP, 3 to 7 days) or low-dose chemotherapy. */ Low = "LOW",
        /** Intensive induction or consolidation chemotherapy (e.g. hyper-CVAD, VDLP). */ High = "HIGH",
    }
}
terms! {
    /// Cellular procedure.
    ProcedureType { /** Allogeneic stem cell transplant. */ AlloHsct = "ALLO_HSCT", /** Autologous transplant. */ AutoHsct = "AUTO_HSCT", /** CAR-T infusion. */ CarT = "CAR_T" }
}
terms! {
    /// Specimen of a response assessment.
    Specimen { /** Bone marrow. */ Bm = "BM", /** Peripheral blood. */ Pb = "PB", /** Cerebrospinal fluid. */ Csf = "CSF" }
}
terms! {
    /// How an MRD value is reported.
    MrdOperator { /** The value itself. */ Eq = "EQ", /** Below the limit of detection. */ Lt = "LT" }
}
terms! {
    /// MRD method.
    MrdMethod { /** Flow cytometry. */ Fcm = "FCM", /** PCR. */ Pcr = "PCR", /** Next-generation sequencing. */ Ngs = "NGS" }
}
terms! {
    /// Investigator's response, when recorded.
    InvResponse { /** CR */ Cr = "CR", /** CRi */ Cri = "CRI", /** No response */ Nr = "NR", /** Progression */ Pd = "PD", /** Relapse */ Relapse = "RELAPSE" }
}
terms! {
    /// Disease event type.
    DiseaseEventType {
        /** Bone-marrow relapse (blasts > 5 % after CR). */ RelapseBm = "RELAPSE_BM",
        /** Extramedullary relapse. */ RelapseExtramedullary = "RELAPSE_EXTRAMEDULLARY",
        /** CNS relapse. */ RelapseCns = "RELAPSE_CNS",
        /** Progression without prior remission. */ Progression = "PROGRESSION",
        /** Refractory to a line of therapy (no CR after induction). */ Refractory = "REFRACTORY",
    }
}
terms! {
    /// How a disease event was established.
    EventSource { /** Marrow examination. */ Marrow = "MARROW", /** Imaging. */ Imaging = "IMAGING", /** Clinical. */ Clinical = "CLINICAL" }
}
terms! {
    /// Table 3 row of an adverse event.
    AeGroup {
        /** Cytokine release syndrome. */ Crs = "CRS",
        /** Immune effector cell-associated neurotoxicity. */ Icans = "ICANS",
        /** Infection. */ Infection = "INFECTION",
        /** Liver enzymes increased. */ LiverEnzymesIncreased = "LIVER_ENZYMES_INCREASED",
        /** Neutropenia. */ Neutropenia = "NEUTROPENIA",
        /** Anything else. */ Other = "OTHER",
    }
}
terms! {
    /// Grading scale of an adverse event.
    GradeScale { /** CTCAE v5.0 */ CtcaeV5 = "CTCAE_V5", /** ASTCT consensus (CRS/ICANS) */ Astct = "ASTCT" }
}
terms! {
    /// Action taken with blinatumomab for an adverse event.
    AeAction {
        /** Withdrawn. */ DrugWithdrawn = "DRUG_WITHDRAWN",
        /** Interrupted. */ DrugInterrupted = "DRUG_INTERRUPTED",
        /** Not changed. */ DoseNotChanged = "DOSE_NOT_CHANGED",
        /** Not applicable. */ NotApplicable = "NOT_APPLICABLE",
    }
}
terms! {
    /// Outcome of an adverse event.
    AeOutcome { /** Recovered. */ Recovered = "RECOVERED", /** Not recovered. */ NotRecovered = "NOT_RECOVERED", /** Fatal. */ Fatal = "FATAL", /** Unknown. */ Unk = "UNK" }
}
terms! {
    /// Kind of follow-up contact.
    ContactType { /** Hospital visit. */ Visit = "VISIT", /** Telephone call. */ Phone = "PHONE" }
}
terms! {
    /// Vital status at a contact.
    VitalStatus { /** Alive. */ Alive = "ALIVE", /** Dead. */ Dead = "DEAD", /** Unknown. */ Unk = "UNK" }
}
terms! {
    /// Disease status reported at a contact.
    ContactDiseaseStatus { /** In remission. */ Cr = "CR", /** Relapsed. */ Relapse = "RELAPSE", /** Unknown. */ Unk = "UNK" }
}

/// How a written value matched a list of terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermMatch<'a> {
    /// Exactly one of the terms.
    Exact(&'a str),
    /// One of the terms once case, spaces and hyphens are normalised (`car-t` for `CAR_T`).
    Spelling(&'a str),
    /// None of the terms; the closest one when it is a likely typo.
    Unknown(Option<&'a str>),
}

/// Match `written` (already trimmed) against `terms`.
#[must_use]
pub fn match_term<'a>(written: &str, terms: &[&'a str]) -> TermMatch<'a> {
    if let Some(t) = terms.iter().find(|t| **t == written) {
        return TermMatch::Exact(t);
    }
    let norm: String = written
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect();
    if let Some(t) = terms.iter().find(|t| **t == norm) {
        return TermMatch::Spelling(t);
    }
    TermMatch::Unknown(crate::table::closest(&norm, terms))
}

/// A subject identifier (`USUBJID`), compared exactly as written after trimming.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SubjectId(String);

impl SubjectId {
    /// A subject id from its text.
    #[must_use]
    pub fn new(id: impl Into<String>) -> SubjectId {
        SubjectId(id.into())
    }

    /// The id as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SubjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A CTCAE grade, 1 (mild) to 5 (death).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct CtcaeGrade(u8);

impl CtcaeGrade {
    /// The grade, if it is between 1 and 5.
    #[must_use]
    pub fn new(grade: i64) -> Option<CtcaeGrade> {
        u8::try_from(grade)
            .ok()
            .filter(|g| (1..=5).contains(g))
            .map(CtcaeGrade)
    }

    /// The grade number.
    #[must_use]
    pub fn get(self) -> u8 {
        self.0
    }
}

impl fmt::Display for CtcaeGrade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_terms() {
        assert_eq!(
            match_term("CAR_T", ProcedureType::TERMS),
            TermMatch::Exact("CAR_T")
        );
        assert_eq!(
            match_term("car-t", ProcedureType::TERMS),
            TermMatch::Spelling("CAR_T")
        );
        assert_eq!(
            match_term("ALLO_HCST", ProcedureType::TERMS),
            TermMatch::Unknown(Some("ALLO_HSCT"))
        );
        assert_eq!(
            match_term("KIDNEY", ProcedureType::TERMS),
            TermMatch::Unknown(None)
        );
        assert_eq!(Agent::from_term("CHEMO"), Some(Agent::Chemo));
        assert_eq!(CtcaeGrade::new(6), None);
        assert_eq!(CtcaeGrade::new(3).map(CtcaeGrade::get), Some(3));
    }
}
