//! The input schema: one table of column definitions from which validation reads every cell and from which
//! `docs/data-model.md` is generated ([`markdown`]; a test keeps the file in step).

use std::fmt::Write as _;

use crate::rule::{self, Rule};
use crate::term::{
    AeAction, AeGroup, AeOutcome, Agent, BlinaSetting, ContactDiseaseStatus, ContactType,
    DeathCause, DiscontinuationReason, DiseaseEventType, DiseaseStatus, DoseUnit, EventSource,
    GeneticFinding, GeneticMethod, GradeScale, Intensity, InvResponse, LabTimepoint, MrdMethod,
    MrdOperator, PhStatus, Population, ProcedureType, Sex, Specimen, Term, VitalStatus, YesNo,
};

/// The input tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TableId {
    /// One row per patient.
    Patients,
    /// Laboratory values at diagnosis or at the start of blinatumomab.
    BaselineLabs,
    /// Genetic findings, 0..n rows per patient.
    GeneticFindings,
    /// Drug administration records.
    Exposures,
    /// Transplants and CAR-T infusions.
    CellularProcedures,
    /// Marrow and MRD assessments.
    ResponseAssessments,
    /// Relapse, progression and refractoriness.
    DiseaseEvents,
    /// Adverse events.
    AdverseEvents,
    /// Follow-up visits and telephone calls.
    Contacts,
}

impl TableId {
    /// Every table, in documentation order.
    pub const ALL: [TableId; 9] = [
        TableId::Patients,
        TableId::BaselineLabs,
        TableId::GeneticFindings,
        TableId::Exposures,
        TableId::CellularProcedures,
        TableId::ResponseAssessments,
        TableId::DiseaseEvents,
        TableId::AdverseEvents,
        TableId::Contacts,
    ];

    /// The table's definition.
    #[must_use]
    pub fn def(self) -> &'static TableDef {
        &SCHEMA[self as usize]
    }

    /// The table's name (`patients`, …), used as the key in the study spec and the sheet name in a workbook.
    #[must_use]
    pub fn name(self) -> &'static str {
        self.def().name
    }

    /// The table with this name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<TableId> {
        TableId::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// Whether a column must be present and filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// The column must exist and every row must have a value.
    Required,
    /// The column may be absent or empty.
    Optional,
}

/// A unit mistake recognisable from the value: the range it falls in when written in the wrong unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Misunit {
    /// The rule reported.
    pub rule: Rule,
    /// Values `low <= x < high` (or `<= high` when `high_inclusive`) are taken as the wrong unit.
    pub low: f64,
    /// Upper end of the range.
    pub high: f64,
    /// Whether `high` itself belongs to the range.
    pub high_inclusive: bool,
    /// What the value looks like (`g/dL`).
    pub looks_like: &'static str,
    /// How to fix it (`multiply by 10`).
    pub fix: &'static str,
}

impl Misunit {
    /// True when `x` falls in the range of the wrong unit.
    #[must_use]
    pub fn matches(&self, x: f64) -> bool {
        x >= self.low && (x < self.high || (self.high_inclusive && x <= self.high))
    }
}

/// The type of a column and what it allows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// A subject identifier.
    Id,
    /// Free text.
    Text,
    /// A date (ISO 8601; other formats accepted with a warning).
    Date,
    /// A whole number in `[min, max]`.
    Integer {
        /// Smallest allowed value.
        min: i64,
        /// Largest allowed value.
        max: i64,
    },
    /// A number in `[min, max]`.
    Number {
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
        /// A recognisable unit mistake, checked before the range.
        misunit: Option<Misunit>,
    },
    /// One of a list of controlled terms.
    Term(&'static [&'static str]),
}

/// One column of an input table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ColumnDef {
    /// Header as written in the file.
    pub name: &'static str,
    /// Type and allowed values.
    pub kind: Kind,
    /// Unit (empty when none).
    pub unit: &'static str,
    /// Required or optional.
    pub need: Need,
    /// What the column holds.
    pub description: &'static str,
}

/// One input table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TableDef {
    /// Table name (`patients`).
    pub name: &'static str,
    /// What one row is.
    pub grain: &'static str,
    /// Whether the study spec must name a file for it.
    pub required: bool,
    /// The columns.
    pub columns: &'static [ColumnDef],
}

impl TableDef {
    /// The definition of a column.
    #[must_use]
    pub fn column(&self, name: &str) -> Option<&'static ColumnDef> {
        // `columns` is 'static, so the reference is too.
        let columns: &'static [ColumnDef] = self.columns;
        columns.iter().find(|c| c.name == name)
    }
}

const fn col(
    name: &'static str,
    kind: Kind,
    unit: &'static str,
    need: Need,
    description: &'static str,
) -> ColumnDef {
    ColumnDef {
        name,
        kind,
        unit,
        need,
        description,
    }
}

const fn num(min: f64, max: f64) -> Kind {
    Kind::Number {
        min,
        max,
        misunit: None,
    }
}

const fn int(min: i64, max: i64) -> Kind {
    Kind::Integer { min, max }
}

use Need::{Optional as O, Required as R};

const SUBJECT: ColumnDef = col("USUBJID", Kind::Id, "", R, "Unique subject identifier.");

const MRD_PERCENT: Misunit = Misunit {
    rule: rule::UNIT_MRD_PERCENT,
    low: 1.0,
    high: 100.0,
    high_inclusive: true,
    looks_like: "a percentage",
    fix: "divide by 100",
};

/// Every input table with every column: the single definition validation and the docs are built from.
pub const SCHEMA: [TableDef; 9] = [
    TableDef {
        name: "patients",
        grain: "one row per patient",
        required: true,
        columns: &[
            col("STUDYID", Kind::Text, "", O, "Study identifier."),
            SUBJECT,
            col("SITEID", Kind::Text, "", O, "Site identifier."),
            col("SEX", Kind::Term(Sex::TERMS), "", R, "Sex."),
            col(
                "BRTHDT",
                Kind::Date,
                "",
                O,
                "Birth date; BRTHDT or AGE is required.",
            ),
            col(
                "AGE",
                int(0, 110),
                "years",
                O,
                "Age at the first blinatumomab infusion, used when BRTHDT is empty.",
            ),
            col(
                "DIAGDT",
                Kind::Date,
                "",
                R,
                "Date of B-ALL diagnosis (WHO 2017).",
            ),
            col(
                "POP_RECORDED",
                Kind::Term(Population::TERMS),
                "",
                O,
                "Population as recorded by the physician; derived when empty.",
            ),
            col(
                "BLINA_SETTING",
                Kind::Term(BlinaSetting::TERMS),
                "",
                O,
                "Treatment setting of blinatumomab as recorded (Table 2 column).",
            ),
            col(
                "PRIOR_LINES",
                int(0, 20),
                "lines",
                O,
                "Number of prior treatment lines (0 for ND).",
            ),
            col(
                "PH_STATUS",
                Kind::Term(PhStatus::TERMS),
                "",
                R,
                "Philadelphia chromosome (BCR-ABL1) status.",
            ),
            col(
                "CNS_LEUK_BL",
                Kind::Term(YesNo::TERMS),
                "",
                O,
                "CNS leukaemia at baseline.",
            ),
            col(
                "CHEMO_INTOL_FL",
                Kind::Term(YesNo::TERMS),
                "",
                O,
                "Chemotherapy-intolerable.",
            ),
            col(
                "REFRACT_LAST_FL",
                Kind::Term(YesNo::TERMS),
                "",
                O,
                "Refractory to the last treatment.",
            ),
            col(
                "DZ_STATUS_START",
                Kind::Term(DiseaseStatus::TERMS),
                "",
                O,
                "Disease status on starting blinatumomab as recorded; derived from marrow assessments when empty.",
            ),
            col(
                "LSTCNTDT",
                Kind::Date,
                "",
                O,
                "Date of last contact (visit or telephone).",
            ),
            col("DTHDT", Kind::Date, "", O, "Date of death."),
            col(
                "DTHCAUS",
                Kind::Term(DeathCause::TERMS),
                "",
                O,
                "Cause of death.",
            ),
        ],
    },
    TableDef {
        name: "baseline_labs",
        grain: "one row per patient and time point",
        required: false,
        columns: &[
            SUBJECT,
            col("TPT", Kind::Term(LabTimepoint::TERMS), "", R, "Time point."),
            col("LBDT", Kind::Date, "", O, "Date of the sample."),
            col("WBC", num(0.0, 1000.0), "10^9/L", O, "White blood cells."),
            col(
                "HGB",
                Kind::Number {
                    min: 20.0,
                    max: 250.0,
                    misunit: Some(Misunit {
                        rule: rule::UNIT_HGB_G_DL,
                        low: 2.0,
                        high: 25.0,
                        high_inclusive: false,
                        looks_like: "g/dL",
                        fix: "multiply by 10",
                    }),
                },
                "g/L",
                O,
                "Hemoglobin.",
            ),
            col("PLT", num(0.0, 2000.0), "10^9/L", O, "Platelets."),
            col(
                "BM_BLAST_PCT",
                num(0.0, 100.0),
                "%",
                O,
                "Bone-marrow blasts.",
            ),
            col("WEIGHT_KG", num(1.0, 300.0), "kg", O, "Body weight."),
        ],
    },
    TableDef {
        name: "genetic_findings",
        grain: "one row per patient and finding (none for a patient without findings)",
        required: false,
        columns: &[
            SUBJECT,
            col(
                "FINDING",
                Kind::Term(GeneticFinding::TERMS),
                "",
                R,
                "Finding (Table 1 rows).",
            ),
            col(
                "METHOD",
                Kind::Term(GeneticMethod::TERMS),
                "",
                O,
                "Laboratory method.",
            ),
            col("RESULTDT", Kind::Date, "", O, "Date of the result."),
        ],
    },
    TableDef {
        name: "exposures",
        grain: "one row per contiguous administration of one agent",
        required: true,
        columns: &[
            SUBJECT,
            col(
                "EXSEQ",
                int(1, 1_000_000),
                "",
                O,
                "Sequence number of the record (SRCSEQ in ADTTE; the spreadsheet row when empty).",
            ),
            col("AGENT", Kind::Term(Agent::TERMS), "", R, "Agent."),
            col(
                "REGIMEN",
                Kind::Text,
                "",
                O,
                "Regimen name (free text, e.g. HYPER_CVAD).",
            ),
            col(
                "INTENSITY",
                Kind::Term(Intensity::TERMS),
                "",
                O,
                "Intensity of a chemotherapy regimen (PRETXGR of ADSL; empty: not classed).",
            ),
            col("EXSTDT", Kind::Date, "", R, "First day of administration."),
            col("EXENDT", Kind::Date, "", R, "Last day of administration."),
            col(
                "CYCLE_NO",
                int(1, 50),
                "",
                O,
                "Blinatumomab cycle number as recorded; a change starts a new cycle.",
            ),
            col("DOSE", num(0.0, 10_000.0), "", O, "Dose."),
            col(
                "DOSE_UNIT",
                Kind::Term(DoseUnit::TERMS),
                "",
                O,
                "Dose unit.",
            ),
            col(
                "DCREAS",
                Kind::Term(DiscontinuationReason::TERMS),
                "",
                O,
                "Why the administration ended.",
            ),
        ],
    },
    TableDef {
        name: "cellular_procedures",
        grain: "one row per transplant or CAR-T infusion",
        required: false,
        columns: &[
            SUBJECT,
            col(
                "PRSEQ",
                int(1, 1_000_000),
                "",
                O,
                "Sequence number of the record.",
            ),
            col(
                "PROC",
                Kind::Term(ProcedureType::TERMS),
                "",
                R,
                "Procedure.",
            ),
            col("PROCDT", Kind::Date, "", R, "Date of the infusion."),
            col(
                "EXPERIMENTAL_FL",
                Kind::Term(YesNo::TERMS),
                "",
                O,
                "Given in a trial (experimental CAR-T).",
            ),
        ],
    },
    TableDef {
        name: "response_assessments",
        grain: "one row per marrow or MRD assessment",
        required: false,
        columns: &[
            SUBJECT,
            col(
                "RSSEQ",
                int(1, 1_000_000),
                "",
                O,
                "Sequence number of the record.",
            ),
            col("RSDT", Kind::Date, "", R, "Date of the assessment."),
            col(
                "SPECIMEN",
                Kind::Term(Specimen::TERMS),
                "",
                R,
                "Specimen; only BM assessments define CR/CRi.",
            ),
            col(
                "BM_BLAST_PCT",
                num(0.0, 100.0),
                "%",
                O,
                "Bone-marrow blasts.",
            ),
            col(
                "ANC",
                num(0.0, 500.0),
                "10^9/L",
                O,
                "Absolute neutrophil count.",
            ),
            col("PLT", num(0.0, 2000.0), "10^9/L", O, "Platelets."),
            col(
                "EMD_PRESENT",
                Kind::Term(YesNo::TERMS),
                "",
                O,
                "Extramedullary disease present.",
            ),
            col(
                "CNS_INVOLVED",
                Kind::Term(YesNo::TERMS),
                "",
                O,
                "CNS involvement at this date.",
            ),
            col(
                "MRD_VALUE",
                Kind::Number {
                    min: 0.0,
                    max: 1.0,
                    misunit: Some(MRD_PERCENT),
                },
                "fraction",
                O,
                "MRD as a fraction of cells (0.0001 = 0.01 %).",
            ),
            col(
                "MRD_OPERATOR",
                Kind::Term(MrdOperator::TERMS),
                "",
                O,
                "EQ: the value; LT: below the limit of detection MRD_LOD.",
            ),
            col(
                "MRD_LOD",
                Kind::Number {
                    min: 0.0,
                    max: 1.0,
                    misunit: Some(MRD_PERCENT),
                },
                "fraction",
                O,
                "Limit of detection of the MRD method.",
            ),
            col(
                "MRD_METHOD",
                Kind::Term(MrdMethod::TERMS),
                "",
                O,
                "MRD method.",
            ),
            col(
                "INV_RESP",
                Kind::Term(InvResponse::TERMS),
                "",
                O,
                "Investigator's response (informative only).",
            ),
        ],
    },
    TableDef {
        name: "disease_events",
        grain: "one row per relapse, progression or refractoriness",
        required: false,
        columns: &[
            SUBJECT,
            col(
                "EVSEQ",
                int(1, 1_000_000),
                "",
                O,
                "Sequence number of the record.",
            ),
            col(
                "EVTYPE",
                Kind::Term(DiseaseEventType::TERMS),
                "",
                R,
                "Event.",
            ),
            col("EVDT", Kind::Date, "", R, "Date of the event."),
            col(
                "SOURCE",
                Kind::Term(EventSource::TERMS),
                "",
                O,
                "How it was established.",
            ),
        ],
    },
    TableDef {
        name: "adverse_events",
        grain: "one row per adverse event",
        required: false,
        columns: &[
            SUBJECT,
            col(
                "AESEQ",
                int(1, 1_000_000),
                "",
                O,
                "Sequence number of the record.",
            ),
            col("AETERM", Kind::Text, "", R, "Verbatim term."),
            col("AEDECOD", Kind::Text, "", O, "MedDRA preferred term."),
            col("AEGRP", Kind::Term(AeGroup::TERMS), "", R, "Table 3 row."),
            col("AETOXGR", int(1, 5), "grade", R, "CTCAE v5.0 grade."),
            col(
                "AEGRSCALE",
                Kind::Term(GradeScale::TERMS),
                "",
                O,
                "Grading scale.",
            ),
            col("AESTDT", Kind::Date, "", R, "Onset date."),
            col("AEENDT", Kind::Date, "", O, "End date."),
            col(
                "AEREL",
                Kind::Term(YesNo::TERMS),
                "",
                O,
                "Related to blinatumomab.",
            ),
            col(
                "AEACN",
                Kind::Term(AeAction::TERMS),
                "",
                O,
                "Action taken with blinatumomab.",
            ),
            col("AEOUT", Kind::Term(AeOutcome::TERMS), "", O, "Outcome."),
        ],
    },
    TableDef {
        name: "contacts",
        grain: "one row per follow-up visit or telephone call",
        required: false,
        columns: &[
            SUBJECT,
            col("CONTACTDT", Kind::Date, "", R, "Date of the contact."),
            col(
                "CONTACT_TYPE",
                Kind::Term(ContactType::TERMS),
                "",
                O,
                "Visit or telephone.",
            ),
            col(
                "VITAL_STATUS",
                Kind::Term(VitalStatus::TERMS),
                "",
                R,
                "Vital status at the contact.",
            ),
            col(
                "DZ_STATUS",
                Kind::Term(ContactDiseaseStatus::TERMS),
                "",
                O,
                "Disease status reported.",
            ),
        ],
    },
];

fn kind_text(c: &ColumnDef) -> (String, String) {
    match c.kind {
        Kind::Id => ("identifier".into(), String::new()),
        Kind::Text => ("text".into(), String::new()),
        Kind::Date => ("date".into(), "ISO 8601 `YYYY-MM-DD`".into()),
        Kind::Integer { min, max } => ("integer".into(), format!("{min} to {max}")),
        Kind::Number { min, max, misunit } => {
            let mut allowed = format!("{min} to {max}");
            if let Some(m) = misunit {
                let _ = write!(
                    allowed,
                    "; {} {} {} looks like {} (`{}`)",
                    m.low,
                    if m.high_inclusive { "to" } else { "to below" },
                    m.high,
                    m.looks_like,
                    m.rule.id
                );
            }
            ("number".into(), allowed)
        }
        Kind::Term(terms) => (
            "term".into(),
            terms
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    }
}

/// `docs/data-model.md`, generated from [`SCHEMA`] and the rule catalogue.
#[must_use]
pub fn markdown() -> String {
    let mut out = String::new();
    out.push_str(DOC_INTRO);
    for t in &SCHEMA {
        let _ = writeln!(
            out,
            "\n## `{}` ({}{})\n",
            t.name,
            t.grain,
            if t.required {
                "; required"
            } else {
                "; optional"
            }
        );
        out.push_str("| column | type | unit | allowed | required | description |\n");
        out.push_str("|---|---|---|---|---|---|\n");
        for c in t.columns {
            let (kind, allowed) = kind_text(c);
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} | {} |",
                c.name,
                kind,
                c.unit,
                allowed,
                if c.need == Need::Required {
                    "yes"
                } else {
                    "no"
                },
                c.description
            );
        }
    }
    out.push_str("\n## Accepted date formats\n\n| format | example | accepted |\n|---|---|---|\n");
    for f in crate::date::DateFormat::ALL {
        let _ = writeln!(
            out,
            "| {:?} | `{}` | {} |",
            f,
            f.example(),
            if f.is_iso() {
                "silently"
            } else {
                "with a `DATE-NOT-ISO` warning"
            }
        );
    }
    out.push_str(
        "\nDay/month/year with slashes (`03/01/2022`) is refused (`DATE-INVALID`): day and month cannot be \
         told apart.\n",
    );
    out.push_str("\n## Validation rules\n\nPrinted by `rwe rules`; severities: an *error* stops the run (nothing is derived), a *warning* is reported, an *exclusion* removes the patient from the study population with the reason.\n\n");
    out.push_str(&rule::catalogue_markdown());
    out
}

const DOC_INTRO: &str = "# Data model: the input tables\n\n\
<!-- Generated from crates/rwe-data/src/schema.rs by `RWE_BLESS=1 cargo test -p rwe-data data_model_doc`; do not edit by hand. -->\n\n\
A study's records are a set of tidy tables, one file per table (CSV UTF-8, Parquet) or one Excel workbook \
with a sheet per table named as below. The study spec (`docs/study-spec.md`) names the files. Headers are \
matched exactly; a column not listed here is ignored with a `COLUMN-UNKNOWN` warning. Values are trimmed \
(`VALUE-STRAY-SPACE` warns); empty cells, `NA` and `.` are missing. Controlled terms are UPPER_SNAKE; a \
term in another case or with spaces or hyphens (`car-t`) is read with a `TERM-SPELLING` warning, an unknown \
term is an error that suggests the closest term. Every diagnostic names the file, the spreadsheet row \
(header = row 1), the column, the value found and what was expected.\n\n\
Compared with the proposal in the domain notes, `treatment_lines` is folded into `patients.PRIOR_LINES` \
(the only fact the derivations use) and `study_config` is the study spec.\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_ids_index_the_schema() {
        for t in TableId::ALL {
            assert_eq!(TableId::from_name(t.name()), Some(t));
            assert_eq!(
                t.def().columns[0].name,
                if t == TableId::Patients {
                    "STUDYID"
                } else {
                    "USUBJID"
                }
            );
        }
    }

    #[test]
    fn data_model_doc_is_generated_from_the_schema() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/data-model.md");
        let generated = markdown();
        if std::env::var_os("RWE_BLESS").is_some() {
            std::fs::write(&path, &generated).unwrap();
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == generated,
            "docs/data-model.md is out of date: run `RWE_BLESS=1 cargo test -p rwe-data data_model_doc`"
        );
    }
}
