//! The analysis datasets (ADSL, ADRS, ADTTE, ADAE) as typed rows, and their tables for output.

use std::borrow::Cow;

use rwe_data::{Column, ColumnData, Date, SubjectId, Table};

use crate::trace::Trace;

/// A derived value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text (flags are `Y`/`N`).
    Text(String),
    /// A whole number.
    Int(i64),
    /// A number.
    Float(f64),
    /// A date.
    Date(Date),
    /// Not derivable for this patient.
    Missing,
}

impl Value {
    /// Text of a `Y`/`N` flag.
    #[must_use]
    pub fn flag(b: bool) -> Value {
        Value::Text(if b { "Y" } else { "N" }.to_string())
    }

    /// The value as a person reads it (empty when missing).
    #[must_use]
    pub fn display(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            Value::Float(x) => format!("{x}"),
            Value::Date(d) => d.to_string(),
            Value::Missing => String::new(),
        }
    }

    fn text(t: impl Into<String>) -> Value {
        Value::Text(t.into())
    }
}

impl From<Option<Date>> for Value {
    fn from(d: Option<Date>) -> Value {
        d.map_or(Value::Missing, Value::Date)
    }
}

/// Type of an output column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    /// Text.
    Text,
    /// Whole numbers.
    Int,
    /// Numbers.
    Float,
    /// Dates.
    Date,
}

/// The ADSL variables in output order: name, type, label.
pub const ADSL_VARS: &[(&str, ColType, &str)] = &[
    ("STUDYID", ColType::Text, "Study Identifier"),
    ("USUBJID", ColType::Text, "Unique Subject Identifier"),
    ("SITEID", ColType::Text, "Study Site Identifier"),
    ("AGE", ColType::Int, "Age at first blinatumomab infusion"),
    ("AGEU", ColType::Text, "Age Units"),
    ("AGEGR1", ColType::Text, "Age Group 1"),
    ("SEX", ColType::Text, "Sex"),
    (
        "SAFFL",
        ColType::Text,
        "Safety Population Flag (in the study population)",
    ),
    (
        "EXCLREAS",
        ColType::Text,
        "Reason excluded from the study population",
    ),
    (
        "TRTSDT",
        ColType::Date,
        "Date of First Blinatumomab Infusion",
    ),
    (
        "TRTEDT",
        ColType::Date,
        "Date of Last Blinatumomab Infusion",
    ),
    ("TRTDURD", ColType::Int, "Treatment Duration (days)"),
    ("POPGR1", ColType::Text, "Population (ND / RR)"),
    ("BLSETT", ColType::Text, "Blinatumomab setting"),
    (
        "DZSTBL",
        ColType::Text,
        "Disease status at start (CR / NON_CR / UNKNOWN)",
    ),
    ("CRSTFL", ColType::Text, "In CR at start"),
    ("MRDSTBL", ColType::Text, "MRD status at start"),
    ("PHSTAT", ColType::Text, "Philadelphia chromosome status"),
    ("WBCBL", ColType::Float, "WBC (10^9/L)"),
    ("HGBBL", ColType::Float, "Hemoglobin (g/L)"),
    ("PLTBL", ColType::Float, "Platelets (10^9/L)"),
    ("BLSTDX", ColType::Float, "Marrow blasts at diagnosis (%)"),
    (
        "BLSTDXGR",
        ColType::Text,
        "Marrow blasts at diagnosis group",
    ),
    ("CNSFL", ColType::Text, "CNS leukaemia at baseline"),
    ("CHINTFL", ColType::Text, "Chemo-intolerable"),
    ("REFLASFL", ColType::Text, "Refractory to last treatment"),
    ("PRLINES", ColType::Int, "Prior treatment lines"),
    ("PRLINGR", ColType::Text, "Prior treatment lines group"),
    ("PRHSCTFL", ColType::Text, "Prior HSCT"),
    ("PRCARTFL", ColType::Text, "Prior CAR-T"),
    ("PRINOFL", ColType::Text, "Prior inotuzumab"),
    (
        "PRETXGR",
        ColType::Text,
        "Therapy between the last event and blinatumomab",
    ),
    ("GENANYFL", ColType::Text, "Any abnormal genetic feature"),
    ("KMT2AFL", ColType::Text, "KMT2A rearrangement"),
    ("ETV6FL", ColType::Text, "ETV6-RUNX1"),
    ("TCF3FL", ColType::Text, "TCF3-PBX1"),
    ("HYPERFL", ColType::Text, "Hyperdiploid"),
    ("HYPOFL", ColType::Text, "Hypodiploid"),
    ("CPXKARFL", ColType::Text, "Complex karyotype"),
    ("IKZF1FL", ColType::Text, "IKZF1 deletion"),
    ("PHLIKEFL", ColType::Text, "Ph-like"),
    ("PAX5FL", ColType::Text, "PAX5 alteration"),
    ("NCYCLES", ColType::Int, "Number of blinatumomab cycles"),
    ("CYCGR1", ColType::Text, "Cycles group"),
    (
        "DURC1D",
        ColType::Int,
        "Treatment duration for the buckets (days)",
    ),
    ("DURGR1", ColType::Text, "Treatment duration group"),
    ("DCSREAS", ColType::Text, "Reason blinatumomab ended"),
    (
        "BESTRESP",
        ColType::Text,
        "Best response in the response window",
    ),
    ("CRCRI", ColType::Text, "CR/CRi in the response window"),
    ("BORWK12", ColType::Text, "Best response within 12 weeks"),
    ("CRWK12", ColType::Text, "CR/CRi within 12 weeks"),
    ("CRDT", ColType::Date, "Date of first CR/CRi"),
    ("MRDEVFL", ColType::Text, "In the MRD denominator"),
    ("MRD2CFL", ColType::Text, "MRD negativity within 2 cycles"),
    ("MRDOVFL", ColType::Text, "MRD negativity overall"),
    ("NEWTHDT", ColType::Date, "Date of first subsequent therapy"),
    ("FIRSTSUB", ColType::Text, "First subsequent therapy"),
    ("TXPATH", ColType::Text, "Subsequent therapy path"),
    ("HSCTFL", ColType::Text, "Allo-HSCT after blinatumomab"),
    (
        "HSCTDT",
        ColType::Date,
        "Date of first allo-HSCT after blinatumomab",
    ),
    ("CARTFL", ColType::Text, "CAR-T after blinatumomab"),
    (
        "CARTDT",
        ColType::Date,
        "Date of first CAR-T after blinatumomab",
    ),
    ("INOFL", ColType::Text, "Inotuzumab after blinatumomab"),
    ("CHEMOFL", ColType::Text, "Chemotherapy after blinatumomab"),
    (
        "AEMAXGR",
        ColType::Int,
        "Highest grade of treatment-emergent AEs",
    ),
    ("DTHFL", ColType::Text, "Subject Death Flag"),
    ("DTHDT", ColType::Date, "Date of Death"),
    ("DTHCAUS", ColType::Text, "Cause of Death"),
    ("LSTALVDT", ColType::Date, "Date Last Known Alive"),
    ("FUDURD", ColType::Int, "Observed follow-up (days)"),
];

/// One ADSL variable of one patient.
#[derive(Debug, Clone, PartialEq)]
pub struct Var {
    /// Variable name.
    pub name: &'static str,
    /// Value.
    pub value: Value,
    /// How it was derived.
    pub trace: Trace,
}

/// The ADSL row of one patient, every variable with its trace.
#[derive(Debug, Clone, PartialEq)]
pub struct Adsl {
    /// The patient.
    pub subject: SubjectId,
    vars: Vec<Option<Var>>,
}

impl Adsl {
    /// An empty row.
    #[must_use]
    pub fn new(subject: SubjectId) -> Adsl {
        Adsl {
            subject,
            vars: vec![None; ADSL_VARS.len()],
        }
    }

    /// Set a variable (a name outside [`ADSL_VARS`] is a programming error and is ignored).
    pub fn set(&mut self, name: &'static str, value: Value, trace: Trace) {
        let i = ADSL_VARS.iter().position(|(n, _, _)| *n == name);
        debug_assert!(i.is_some(), "{name} is not an ADSL variable");
        if let Some(i) = i {
            self.vars[i] = Some(Var { name, value, trace });
        }
    }

    /// Set a text variable.
    pub fn text(&mut self, name: &'static str, value: impl Into<String>, trace: Trace) {
        self.set(name, Value::text(value), trace);
    }

    /// A variable, if derived.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Var> {
        self.vars.iter().flatten().find(|v| v.name == name)
    }

    /// A variable's value as text (empty when missing).
    #[must_use]
    pub fn value(&self, name: &str) -> String {
        self.get(name)
            .map(|v| v.value.display())
            .unwrap_or_default()
    }

    /// The variables derived, in ADSL order.
    pub fn vars(&self) -> impl Iterator<Item = &Var> {
        self.vars.iter().flatten()
    }
}

/// One ADRS record.
#[derive(Debug, Clone, PartialEq)]
pub struct AdrsRow {
    /// The patient.
    pub subject: SubjectId,
    /// `OVRLRESP`, `MRD` (per assessment), `BOR`, `BORWK12`, `CRCRI`, `CRWK12`, `MRD2C`, `MRDOV` (per patient).
    pub paramcd: &'static str,
    /// Parameter label.
    pub param: &'static str,
    /// Result.
    pub avalc: String,
    /// Date of the assessment (per-patient parameters: the deciding assessment, if any).
    pub adt: Option<Date>,
    /// Study day of `adt`.
    pub ady: Option<i32>,
    /// `CYCLE n`, `POST-TREATMENT` or `BASELINE`.
    pub avisit: Option<String>,
    /// Counts for the analysis (response window / MRD denominator).
    pub anl01fl: bool,
    /// How it was derived.
    pub trace: Trace,
}

/// One ADTTE record.
#[derive(Debug, Clone, PartialEq)]
pub struct AdtteRow {
    /// The patient.
    pub subject: SubjectId,
    /// `EFS`, `EFSCEN`, `OS`, `RFS`, `DOR`.
    pub paramcd: &'static str,
    /// Parameter label.
    pub param: &'static str,
    /// Origin.
    pub startdt: Date,
    /// Event or censoring date.
    pub adt: Date,
    /// Days, `ADT − STARTDT + 1`.
    pub aval: i32,
    /// Months, `AVAL / days_per_month`.
    pub avalmo: f64,
    /// 0 event, 1 censored at the last date known alive, 2 at allo-HSCT, 3 at CAR-T.
    pub cnsr: u8,
    /// Event description (events only).
    pub evntdesc: Option<&'static str>,
    /// Censoring date description (censored only).
    pub cnsdtdsc: Option<&'static str>,
    /// Source dataset of ADT.
    pub srcdom: &'static str,
    /// Source variable of ADT.
    pub srcvar: &'static str,
    /// Source record sequence (`--SEQ`, or the spreadsheet row).
    pub srcseq: Option<i64>,
    /// How it was derived.
    pub trace: Trace,
}

/// One ADAE record.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct AdaeRow {
    pub subject: SubjectId,
    pub aeseq: i64,
    pub aeterm: String,
    pub aedecod: Option<String>,
    pub aegrp: &'static str,
    pub atoxgrn: u8,
    pub astdt: Date,
    pub aendt: Option<Date>,
    pub astdy: Option<i32>,
    pub trtemfl: bool,
    pub arel: Option<&'static str>,
    pub aeacn: Option<&'static str>,
    pub aeout: Option<&'static str>,
    /// First TEAE with the patient's highest grade.
    pub amaxfl: bool,
    /// First TEAE with the highest grade within its AEGRP row.
    pub agrmaxfl: bool,
    pub trace: Trace,
}

/// Everything derived for one patient.
#[derive(Debug, Clone, PartialEq)]
pub struct PatientDerivation {
    /// ADSL row.
    pub adsl: Adsl,
    /// ADRS rows.
    pub adrs: Vec<AdrsRow>,
    /// ADTTE rows.
    pub adtte: Vec<AdtteRow>,
    /// ADAE rows.
    pub adae: Vec<AdaeRow>,
    /// Warnings found while deriving (disagreeing recorded values, over-long cycles, …).
    pub diagnostics: Vec<rwe_data::Diagnostic>,
}

/// The four analysis datasets as tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Datasets {
    /// One row per patient.
    pub adsl: Table,
    /// Responses and MRD.
    pub adrs: Table,
    /// Time-to-event endpoints.
    pub adtte: Table,
    /// Adverse events.
    pub adae: Table,
}

fn column(name: &str, data: ColumnData) -> Column {
    Column {
        name: name.to_string(),
        data,
    }
}

/// A text column; cells are borrowed where they can be, and copied once into the column.
fn text<'r, R>(name: &str, rows: &[&'r R], f: impl Fn(&'r R) -> Option<Cow<'r, str>>) -> Column {
    column(name, ColumnData::Text(rows.iter().map(|r| f(r)).collect()))
}

fn int<R>(name: &str, rows: &[&R], f: impl Fn(&R) -> Option<i64>) -> Column {
    column(name, ColumnData::Int(rows.iter().map(|r| f(r)).collect()))
}

fn float<R>(name: &str, rows: &[&R], f: impl Fn(&R) -> Option<f64>) -> Column {
    column(name, ColumnData::Float(rows.iter().map(|r| f(r)).collect()))
}

fn date<R>(name: &str, rows: &[&R], f: impl Fn(&R) -> Option<Date>) -> Column {
    column(
        name,
        ColumnData::Date(rows.iter().map(|r| f(r).map(Date::epoch_days)).collect()),
    )
}

fn yn(b: bool) -> Option<Cow<'static, str>> {
    Some(Cow::Borrowed(if b { "Y" } else { "N" }))
}

fn table(name: &str, columns: Vec<Column>) -> Table {
    // Every column has one cell per row by construction, so this cannot fail.
    Table::from_columns(name, columns).unwrap_or_else(|_| Table::empty(name))
}

impl Datasets {
    /// Build the tables from the patients' derivations (in the order given: by subject id).
    #[must_use]
    pub fn new(study_id: &str, patients: &[PatientDerivation]) -> Datasets {
        let adsl_rows: Vec<&Adsl> = patients.iter().map(|p| &p.adsl).collect();
        // Variable `i` of every row is in slot `i` (the order of ADSL_VARS).
        let adsl = table(
            "adsl",
            ADSL_VARS
                .iter()
                .enumerate()
                .map(|(i, &(name, ty, _))| {
                    fn get(a: &Adsl, i: usize) -> Option<&Value> {
                        a.vars[i].as_ref().map(|v| &v.value)
                    }
                    match ty {
                        ColType::Text => text(name, &adsl_rows, |a| match get(a, i) {
                            Some(Value::Text(s)) => Some(Cow::Borrowed(s.as_str())),
                            _ => None,
                        }),
                        ColType::Int => int(name, &adsl_rows, |a| match get(a, i) {
                            Some(Value::Int(i)) => Some(*i),
                            _ => None,
                        }),
                        ColType::Float => float(name, &adsl_rows, |a| match get(a, i) {
                            Some(Value::Float(x)) => Some(*x),
                            _ => None,
                        }),
                        ColType::Date => date(name, &adsl_rows, |a| match get(a, i) {
                            Some(Value::Date(d)) => Some(*d),
                            _ => None,
                        }),
                    }
                })
                .collect(),
        );
        let sid = || Some(Cow::Borrowed(study_id));
        let rs: Vec<&AdrsRow> = patients.iter().flat_map(|p| &p.adrs).collect();
        let adrs = table(
            "adrs",
            vec![
                text("STUDYID", &rs, |_| sid()),
                text("USUBJID", &rs, |r| Some(Cow::Borrowed(r.subject.as_str()))),
                text("PARAMCD", &rs, |r| Some(Cow::Borrowed(r.paramcd))),
                text("PARAM", &rs, |r| Some(Cow::Borrowed(r.param))),
                text("AVALC", &rs, |r| Some(Cow::Borrowed(r.avalc.as_str()))),
                date("ADT", &rs, |r| r.adt),
                int("ADY", &rs, |r| r.ady.map(i64::from)),
                text("AVISIT", &rs, |r| r.avisit.as_deref().map(Cow::Borrowed)),
                text("ANL01FL", &rs, |r| yn(r.anl01fl)),
                text("DERIVRUL", &rs, |r| Some(Cow::Borrowed(r.trace.rule))),
                text("SRCREC", &rs, |r| Some(Cow::Owned(r.trace.sources_text()))),
            ],
        );
        let tt: Vec<&AdtteRow> = patients.iter().flat_map(|p| &p.adtte).collect();
        let adtte = table(
            "adtte",
            vec![
                text("STUDYID", &tt, |_| sid()),
                text("USUBJID", &tt, |r| Some(Cow::Borrowed(r.subject.as_str()))),
                text("PARAMCD", &tt, |r| Some(Cow::Borrowed(r.paramcd))),
                text("PARAM", &tt, |r| Some(Cow::Borrowed(r.param))),
                date("STARTDT", &tt, |r| Some(r.startdt)),
                date("ADT", &tt, |r| Some(r.adt)),
                float("AVAL", &tt, |r| Some(f64::from(r.aval))),
                text("AVALU", &tt, |_| Some(Cow::Borrowed("DAYS"))),
                float("AVALMO", &tt, |r| Some(r.avalmo)),
                int("CNSR", &tt, |r| Some(i64::from(r.cnsr))),
                text("EVNTDESC", &tt, |r| r.evntdesc.map(Cow::Borrowed)),
                text("CNSDTDSC", &tt, |r| r.cnsdtdsc.map(Cow::Borrowed)),
                text("SRCDOM", &tt, |r| Some(Cow::Borrowed(r.srcdom))),
                text("SRCVAR", &tt, |r| Some(Cow::Borrowed(r.srcvar))),
                int("SRCSEQ", &tt, |r| r.srcseq),
                text("DERIVRUL", &tt, |r| Some(Cow::Borrowed(r.trace.rule))),
                text("SRCREC", &tt, |r| Some(Cow::Owned(r.trace.sources_text()))),
            ],
        );
        let ae: Vec<&AdaeRow> = patients.iter().flat_map(|p| &p.adae).collect();
        let adae = table(
            "adae",
            vec![
                text("STUDYID", &ae, |_| sid()),
                text("USUBJID", &ae, |r| Some(Cow::Borrowed(r.subject.as_str()))),
                int("AESEQ", &ae, |r| Some(r.aeseq)),
                text("AETERM", &ae, |r| Some(Cow::Borrowed(r.aeterm.as_str()))),
                text("AEDECOD", &ae, |r| r.aedecod.as_deref().map(Cow::Borrowed)),
                text("AEGRP", &ae, |r| Some(Cow::Borrowed(r.aegrp))),
                int("ATOXGRN", &ae, |r| Some(i64::from(r.atoxgrn))),
                date("ASTDT", &ae, |r| Some(r.astdt)),
                date("AENDT", &ae, |r| r.aendt),
                int("ASTDY", &ae, |r| r.astdy.map(i64::from)),
                text("TRTEMFL", &ae, |r| yn(r.trtemfl)),
                text("AREL", &ae, |r| r.arel.map(Cow::Borrowed)),
                text("AEACN", &ae, |r| r.aeacn.map(Cow::Borrowed)),
                text("AEOUT", &ae, |r| r.aeout.map(Cow::Borrowed)),
                text("AMAXFL", &ae, |r| yn(r.amaxfl)),
                text("AGRMAXFL", &ae, |r| yn(r.agrmaxfl)),
                text("SRCREC", &ae, |r| Some(Cow::Owned(r.trace.sources_text()))),
            ],
        );
        Datasets {
            adsl,
            adrs,
            adtte,
            adae,
        }
    }

    /// The datasets with their file stems, in output order.
    #[must_use]
    pub fn named(&self) -> [(&'static str, &Table); 4] {
        [
            ("adsl", &self.adsl),
            ("adrs", &self.adrs),
            ("adtte", &self.adtte),
            ("adae", &self.adae),
        ]
    }
}
