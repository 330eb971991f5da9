//! The rule catalogue: every check on user data, with a stable id, a severity and one definition.
//!
//! Checks build their diagnostics through [`Rule::at`], so the severity printed by `rwe rules` is the one a
//! check reports. Ids never change meaning once published; a changed rule gets a new id.

use std::fmt::Write as _;

use crate::diagnostic::{Diagnostic, Location, Severity};

/// One rule of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, shown in brackets at the end of every message.
    pub id: &'static str,
    /// What breaking it means for the run.
    pub severity: Severity,
    /// The input the rule reads (`patients`, `any table`, `study spec`, …).
    pub scope: &'static str,
    /// The one definition of the rule.
    pub definition: &'static str,
}

impl Rule {
    /// A diagnostic for this rule at `location`.
    #[must_use]
    pub fn at(
        &self,
        location: Location,
        found: impl Into<String>,
        expected: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            location,
            severity: self.severity,
            rule: self.id,
            found: found.into(),
            expected: expected.into(),
        }
    }
}

macro_rules! catalogue {
    ($($(#[$m:meta])* $name:ident = ($id:literal, $sev:ident, $scope:literal, $def:literal);)+) => {
        $(
            $(#[$m])*
            #[doc = concat!("`", $id, "`: ", $def)]
            pub const $name: Rule = Rule {
                id: $id,
                severity: Severity::$sev,
                scope: $scope,
                definition: $def,
            };
        )+
        /// Every rule, in the order `rwe rules` prints them.
        pub const CATALOGUE: &[Rule] = &[$($name),+];
    };
}

catalogue! {
    FILE_NOT_UTF8 = ("FILE-NOT-UTF8", Error, "any table",
        "Text must be UTF-8 (save the file as CSV UTF-8).");
    CSV_RAGGED_ROW = ("CSV-RAGGED-ROW", Error, "any table",
        "Every CSV record has as many fields as the header.");
    COLUMN_DUPLICATE = ("COLUMN-DUPLICATE", Error, "any table",
        "No two columns share a header.");
    COLUMN_MISSING = ("COLUMN-MISSING", Error, "any table",
        "Every required column of the table is present (docs/data-model.md).");
    COLUMN_UNKNOWN = ("COLUMN-UNKNOWN", Warning, "any table",
        "A column the data model does not define is ignored; the closest defined column is suggested.");
    VALUE_REQUIRED = ("VALUE-REQUIRED", Error, "any table",
        "A required column has a value on every row.");
    VALUE_STRAY_SPACE = ("VALUE-STRAY-SPACE", Warning, "any table",
        "Values have no leading or trailing spaces; they are trimmed and used.");
    VALUE_NOT_NUMERIC = ("VALUE-NOT-NUMERIC", Error, "any table",
        "A numeric column holds a number (empty, NA or . for missing).");
    VALUE_NOT_INTEGER = ("VALUE-NOT-INTEGER", Error, "any table",
        "An integer column holds a whole number.");
    VALUE_OUT_OF_RANGE = ("VALUE-OUT-OF-RANGE", Error, "any table",
        "A number lies within the physical range of its column (docs/data-model.md).");
    DATE_INVALID = ("DATE-INVALID", Error, "any table",
        "A date is a real calendar date in ISO 8601 (YYYY-MM-DD) or one of the other accepted formats; \
         day/month/year with slashes is refused because day and month cannot be told apart.");
    DATE_NOT_ISO = ("DATE-NOT-ISO", Warning, "any table",
        "A date in an accepted format other than ISO 8601 is read, and reported so the export can be fixed.");
    TERM_UNKNOWN = ("TERM-UNKNOWN", Error, "any table",
        "A controlled column holds one of its allowed terms; the closest term is suggested.");
    TERM_SPELLING = ("TERM-SPELLING", Warning, "any table",
        "A term written in another case or with spaces or hyphens for underscores is read as the term.");
    UNIT_HGB_G_DL = ("UNIT-HGB-G-DL", Error, "baseline_labs",
        "Hemoglobin is in g/L; a value between 2 and 25 is g/dL and must be multiplied by 10.");
    UNIT_MRD_PERCENT = ("UNIT-MRD-PERCENT", Error, "response_assessments",
        "MRD is a fraction of cells (0 to 1); a value above 1 and at most 100 is a percentage and must be \
         divided by 100.");
    PT_DUPLICATE_ID = ("PT-DUPLICATE-ID", Error, "patients",
        "Each USUBJID appears on one row of patients.");
    PT_AGE_MISSING = ("PT-AGE-MISSING", Error, "patients",
        "A patient has a birth date (BRTHDT) or an age at the start of blinatumomab (AGE).");
    PT_DIAG_AFTER_INDEX = ("PT-DIAG-AFTER-INDEX", Error, "patients",
        "The B-ALL diagnosis (DIAGDT) is on or before the first blinatumomab infusion.");
    PT_SETTING_POPULATION = ("PT-SETTING-POPULATION", Error, "patients",
        "BLINA_SETTING starts with FL_ for an ND patient and RR_ for an RR patient (POP_RECORDED).");
    PT_ND_PRIOR_THERAPY = ("PT-ND-PRIOR-THERAPY", Error, "patients",
        "A newly diagnosed (ND) patient has no prior line, no prior HSCT and no prior CAR-T.");
    REC_UNKNOWN_SUBJECT = ("REC-UNKNOWN-SUBJECT", Error, "any table",
        "Every USUBJID of a record is a patient in patients.");
    DATE_AFTER_DEATH = ("DATE-AFTER-DEATH", Error, "any table",
        "No record of a patient is dated after the patient's death (DTHDT).");
    DATE_BEFORE_INDEX = ("DATE-BEFORE-INDEX", Error, "patients",
        "Death (DTHDT) and last contact (LSTCNTDT) are on or after the first blinatumomab infusion.");
    DATE_AFTER_CUTOFF = ("DATE-AFTER-CUTOFF", Warning, "any table",
        "A record dated after the data cut-off is ignored (a last contact after it makes the patient \
         known alive at the cut-off).");
    EX_END_BEFORE_START = ("EX-END-BEFORE-START", Error, "exposures",
        "An exposure ends (EXENDT) on or after it starts (EXSTDT).");
    EX_NO_BLINATUMOMAB = ("EX-NO-BLINATUMOMAB", Exclusion, "exposures",
        "A patient without any blinatumomab exposure is not in the study population.");
    EX_OUTSIDE_ENROLMENT = ("EX-OUTSIDE-ENROLMENT", Exclusion, "exposures",
        "A patient whose first blinatumomab infusion lies outside the enrolment window is not in the study \
         population.");
    EX_CYCLE_TOO_LONG = ("EX-CYCLE-TOO-LONG", Warning, "exposures",
        "A blinatumomab cycle lasts at most the spec's cycles.max_cycle_days (28) infusion days.");
    PROC_DURING_TREATMENT = ("PROC-DURING-TREATMENT", Warning, "cellular_procedures",
        "An HSCT or CAR-T infusion lies between the first and last blinatumomab infusion.");
    GEN_BCR_ABL1_PH_NEG = ("GEN-BCR-ABL1-PH-NEG", Error, "genetic_findings",
        "A BCR_ABL1 finding belongs to a patient whose PH_STATUS is not NEG.");
    RS_BLASTS_EXACTLY_5 = ("RS-BLASTS-EXACTLY-5", Warning, "response_assessments",
        "Marrow blasts of exactly 5.0 % count as CR (CR is <= 5 %, relapse > 5 %; I-10), and are reported.");
    RS_COUNTS_MISSING = ("RS-COUNTS-MISSING", Warning, "response_assessments",
        "A marrow in remission has ANC and PLT, without which CR and CRi cannot be told apart (counted as \
         CR/CRi).");
    MRD_NOT_EVALUABLE = ("MRD-NOT-EVALUABLE", Warning, "response_assessments",
        "An MRD reported below the limit of detection (MRD_OPERATOR LT) has an MRD_LOD at or below the \
         MRD threshold; otherwise negativity cannot be shown and the value is not evaluable.");
    MRD_METHOD_EXCLUDED = ("MRD-METHOD-EXCLUDED", Warning, "response_assessments",
        "MRD by a method the spec does not accept (mrd.methods, default FCM) is not used for MRD endpoints.");
    AE_BEFORE_INDEX = ("AE-BEFORE-INDEX", Warning, "adverse_events",
        "An adverse event starting before the first blinatumomab infusion is kept but not treatment-emergent.");
    AE_GRADE5_WITHOUT_DEATH = ("AE-GRADE5-WITHOUT-DEATH", Error, "adverse_events",
        "A grade 5 adverse event belongs to a patient with a death date (DTHDT).");
    PT_POPULATION_DISAGREES = ("PT-POPULATION-DISAGREES", Warning, "patients",
        "The recorded population (POP_RECORDED) agrees with the one derived from prior relapse, refractory \
         events and prior therapy; the recorded one is used.");
    PT_SETTING_DISAGREES = ("PT-SETTING-DISAGREES", Warning, "patients",
        "The recorded setting (BLINA_SETTING) agrees with the disease status at the start of blinatumomab; \
         the recorded one is used (I-04).");
    EV_RELAPSE_WITHOUT_CR = ("EV-RELAPSE-WITHOUT-CR", Warning, "disease_events",
        "A relapse after the first infusion follows a documented CR/CRi; otherwise it counts as progression.");
    SPEC_SYNTAX = ("SPEC-SYNTAX", Error, "study spec",
        "The study spec is valid TOML.");
    SPEC_UNKNOWN_KEY = ("SPEC-UNKNOWN-KEY", Error, "study spec",
        "Every key of the study spec is one docs/study-spec.md defines; the closest key is suggested.");
    SPEC_WRONG_TYPE = ("SPEC-WRONG-TYPE", Error, "study spec",
        "Every value of the study spec has the type docs/study-spec.md gives for its key.");
    SPEC_MISSING_KEY = ("SPEC-MISSING-KEY", Error, "study spec",
        "Every required key of the study spec is present.");
    SPEC_INVALID_VALUE = ("SPEC-INVALID-VALUE", Error, "study spec",
        "Every value of the study spec lies in its allowed range (docs/study-spec.md).");
    SURV_NO_RECORDS = ("SURV-NO-RECORDS", Error, "rwe km/cox/cif input",
        "The file has at least one record below the header.");
    SURV_TIME_MISSING = ("SURV-TIME-MISSING", Error, "rwe km/cox/cif input",
        "Every record has a follow-up time.");
    SURV_TIME_NEGATIVE = ("SURV-TIME-NEGATIVE", Error, "rwe km/cox/cif input",
        "Follow-up times are 0 or more.");
    SURV_EVENT_MISSING = ("SURV-EVENT-MISSING", Error, "rwe km/cox/cif input",
        "Every record has an event code.");
    SURV_EVENT_CODE = ("SURV-EVENT-CODE", Error, "rwe km/cox/cif input",
        "Event codes are 0 (censored) or 1 (event); for rwe cif, 0 or a cause code 1, 2, ….");
    SURV_GROUP_EMPTY = ("SURV-GROUP-EMPTY", Error, "rwe km/cox/cif input",
        "Every record has a value of the --group and --strata columns.");
    COX_COVARIATE_MISSING = ("COX-COVARIATE-MISSING", Error, "rwe cox input",
        "Every record has a value of each covariate, unless --drop-missing leaves such records out.");
}

/// The rule with this id.
#[must_use]
pub fn find(id: &str) -> Option<&'static Rule> {
    CATALOGUE.iter().find(|r| r.id == id)
}

/// The catalogue as text for a person: one block per rule.
#[must_use]
pub fn catalogue_text() -> String {
    let mut out = String::new();
    let width = CATALOGUE.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for r in CATALOGUE {
        let _ = writeln!(
            out,
            "{:<width$}  {:<9}  {}\n{:<width$}  {}",
            r.id,
            r.severity.as_str(),
            r.scope,
            "",
            r.definition
        );
    }
    out
}

/// The catalogue as a Markdown table.
#[must_use]
pub fn catalogue_markdown() -> String {
    let mut out = String::from("| rule | severity | reads | definition |\n|---|---|---|---|\n");
    for r in CATALOGUE {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            r.id, r.severity, r.scope, r.definition
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_shaped() {
        for (i, r) in CATALOGUE.iter().enumerate() {
            assert!(
                CATALOGUE[..i].iter().all(|o| o.id != r.id),
                "duplicate rule id {}",
                r.id
            );
            assert!(
                r.id.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-'),
                "rule id {} is not UPPER-KEBAB",
                r.id
            );
            assert!(r.definition.ends_with('.'), "rule {} definition", r.id);
        }
        // The reader's ids are catalogue entries.
        for id in [
            crate::table::RULE_COLUMN_MISSING,
            crate::table::RULE_NOT_NUMERIC,
            crate::table::RULE_RAGGED_ROW,
            crate::table::RULE_NOT_UTF8,
            crate::table::RULE_DUPLICATE_COLUMN,
        ] {
            assert!(
                find(id).is_some(),
                "reader rule {id} missing from catalogue"
            );
        }
    }
}
