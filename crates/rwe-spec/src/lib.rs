//! The study spec: a TOML file naming the input tables, the study window and every parameter of the
//! derivations, with the seed paper's values as defaults (documented in `docs/study-spec.md`).
//!
//! A wrong spec is reported like wrong data: a [`Diagnostic`] with the file, the line, what was found and
//! what was expected, under a `SPEC-*` rule of the catalogue.
//!
//! ```
//! let spec = rwe_spec::StudySpec::from_toml_str("study.toml", r#"
//! [study]
//! id = "SEED"
//! enrolment_start = 2021-08-01
//! enrolment_end = 2023-06-30
//! data_cutoff = 2023-07-31
//!
//! [inputs]
//! patients = "patients.csv"
//! exposures = "exposures.csv"
//! "#).unwrap();
//! assert_eq!(spec.endpoints.efs_cr_window_days, 84);
//! assert_eq!(spec.cycles.gap_days, 7);
//!
//! let err = rwe_spec::StudySpec::from_toml_str("study.toml", "[study]\nid = \"S\"\ncutoff = 2023-07-31\n")
//!     .unwrap_err();
//! assert_eq!(err.to_string(), "study.toml:3: found key `cutoff`, expected one of id, title, \
//!     enrolment_start, enrolment_end, data_cutoff [SPEC-UNKNOWN-KEY]");
//! ```

use std::path::{Path, PathBuf};

use rwe_data::rule;
use rwe_data::terms::MrdMethod;
use rwe_data::{
    Date, Diagnostic, InputFiles, Location, Source, TableId, Term, ValidationParams, closest,
};
use serde::{Deserialize, Deserializer};

pub use report::{
    CiTransform, CiWhenSurvivalIsOne, ColumnDecl, ContinuousStat, Conventions, FigureDecl, Filter,
    GradeDecl, KmDecl, Level, ProportionInterval, RateToken, Rounding, RowDecl, RowPlace,
    SankeyDecl, Split, StageDecl, Statistics, SurvivalStat, TableDataset, TableDecl, Values,
};

mod report;

/// A study spec, every parameter filled (defaults from the seed paper).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudySpec {
    /// Identity, window and cut-off.
    pub study: Study,
    /// Files of the input tables.
    pub inputs: Inputs,
    /// Population and Table 1 parameters.
    #[serde(default)]
    pub population: PopulationParams,
    /// Response (CR/CRi) parameters.
    #[serde(default)]
    pub response: ResponseParams,
    /// MRD parameters.
    #[serde(default)]
    pub mrd: MrdParams,
    /// Cycle and duration parameters.
    #[serde(default)]
    pub cycles: CycleParams,
    /// Time-to-event parameters.
    #[serde(default)]
    pub endpoints: EndpointParams,
    /// Adverse-event parameters.
    #[serde(default)]
    pub safety: SafetyParams,
    /// Statistical conventions, confidence level, rounding and small-cell suppression of the outputs.
    #[serde(default)]
    pub conventions: Conventions,
    /// The tables of the report, in order.
    #[serde(default)]
    pub tables: Vec<TableDecl>,
    /// The figures of the report, in order.
    #[serde(default)]
    pub figures: Vec<FigureDecl>,
    /// The published numbers to reproduce (the report's reproduction appendix); none by default.
    #[serde(default)]
    pub reproduction: Reproduction,
    /// The directory relative input paths are resolved against (the spec's own directory).
    #[serde(skip)]
    pub base_dir: PathBuf,
    /// The spec's name in messages.
    #[serde(skip)]
    label: String,
    /// The spec's text, to locate declarations in messages.
    #[serde(skip)]
    text: String,
}

/// `[study]`: identity, enrolment window and data cut-off.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Study {
    /// Study identifier (ADaM `STUDYID`).
    pub id: String,
    /// Title for reports.
    #[serde(default)]
    pub title: Option<String>,
    /// First allowed date of the first blinatumomab infusion (seed: 2021-08-01).
    #[serde(deserialize_with = "date")]
    pub enrolment_start: Date,
    /// Last allowed date of the first blinatumomab infusion (seed: 2023-06-30).
    #[serde(deserialize_with = "date")]
    pub enrolment_end: Date,
    /// Data cut-off: later records are ignored, follow-up is censored here at the latest.
    #[serde(deserialize_with = "date")]
    pub data_cutoff: Date,
}

/// `[inputs]`: one file per table, relative to the spec. A workbook path reads the sheet named after the
/// table; `book.xlsx[Sheet 1]` names another sheet.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Inputs {
    pub patients: String,
    pub exposures: String,
    #[serde(default)]
    pub baseline_labs: Option<String>,
    #[serde(default)]
    pub genetic_findings: Option<String>,
    #[serde(default)]
    pub cellular_procedures: Option<String>,
    #[serde(default)]
    pub response_assessments: Option<String>,
    #[serde(default)]
    pub disease_events: Option<String>,
    #[serde(default)]
    pub adverse_events: Option<String>,
    #[serde(default)]
    pub contacts: Option<String>,
}

/// When the Table 1 laboratory values are taken (I-07).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LabsAt {
    /// At initial diagnosis (default: the paper's mean WBC 61.4 is a diagnosis-like value).
    Diagnosis,
    /// At the start of blinatumomab.
    BlinaStart,
}

/// `[population]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PopulationParams {
    /// Upper bounds of the age groups: `[35, 55]` gives `<35`, `35-<55`, `>=55`.
    #[serde(deserialize_with = "increasing_ints")]
    pub age_groups: Vec<i64>,
    /// Time point of the Table 1 WBC, hemoglobin and platelets.
    pub baseline_labs_at: LabsAt,
    /// Days before the first infusion in which a marrow or MRD assessment counts as baseline.
    #[serde(deserialize_with = "non_negative_int")]
    pub baseline_window_days: i64,
}

impl Default for PopulationParams {
    fn default() -> Self {
        PopulationParams {
            age_groups: vec![35, 55],
            baseline_labs_at: LabsAt::Diagnosis,
            baseline_window_days: 30,
        }
    }
}

/// `[response]`: CR and CRi per assessment (domain §1.6, R8).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ResponseParams {
    /// Marrow blasts at or below this percentage are remission (CR ≤ 5 %, relapse > 5 %; I-10).
    #[serde(deserialize_with = "percentage")]
    pub cr_blast_max_pct: f64,
    /// Neutrophils (10^9/L) at or above which counts have recovered (CR rather than CRi).
    #[serde(deserialize_with = "non_negative")]
    pub anc_min: f64,
    /// Platelets (10^9/L) at or above which counts have recovered.
    #[serde(deserialize_with = "non_negative")]
    pub plt_min: f64,
    /// The CR/CRi rate counts assessments up to this many days after the last infusion.
    #[serde(deserialize_with = "non_negative_int")]
    pub window_after_last_infusion_days: i64,
}

impl Default for ResponseParams {
    fn default() -> Self {
        ResponseParams {
            cr_blast_max_pct: 5.0,
            anc_min: 1.0,
            plt_min: 100.0,
            window_after_last_infusion_days: 14,
        }
    }
}

/// Denominator of the MRD rates (I-05).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MrdDenominator {
    /// Patients in CR/CRi with an evaluable MRD after the first infusion (default; reproduces 33 and 11).
    Evaluable,
    /// Only those MRD-positive at baseline.
    BaselinePositive,
}

/// `[mrd]`: MRD negativity (domain §1.6, R9).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MrdParams {
    /// MRD strictly below this fraction is negative (1e-4 = 0.01 %).
    #[serde(deserialize_with = "fraction")]
    pub threshold: f64,
    /// Methods whose values count (`FCM`, `PCR`, `NGS`).
    #[serde(deserialize_with = "mrd_methods")]
    pub methods: Vec<MrdMethod>,
    /// "Within N cycles": MRD assessments up to the end of cycle N plus `grace_days`.
    #[serde(deserialize_with = "positive_int")]
    pub within_cycles: i64,
    /// Days after a cycle's last infusion that still belong to it.
    #[serde(deserialize_with = "non_negative_int")]
    pub grace_days: i64,
    /// Which patients the MRD rates are over.
    pub denominator: MrdDenominator,
}

impl Default for MrdParams {
    fn default() -> Self {
        MrdParams {
            threshold: 1e-4,
            methods: vec![MrdMethod::Fcm],
            within_cycles: 2,
            grace_days: 14,
            denominator: MrdDenominator::Evaluable,
        }
    }
}

/// What the duration buckets measure (I-12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DurationBasis {
    /// Infusion days of cycle 1, first to last day (default).
    Cycle1,
    /// Infusion days over all cycles, capped at the last bucket's bound.
    TotalCapped,
}

/// `[cycles]`: cycles and treatment duration (domain §1.5, R6–R7).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CycleParams {
    /// A gap of at most this many days without infusion continues the cycle; a longer one starts a new one.
    #[serde(deserialize_with = "non_negative_int")]
    pub gap_days: i64,
    /// Longest plausible cycle (infusion days); longer cycles are reported.
    #[serde(deserialize_with = "positive_int")]
    pub max_cycle_days: i64,
    /// What the duration buckets measure.
    pub duration_basis: DurationBasis,
    /// Upper bounds of the duration buckets: `[14, 28]` gives `<=14 DAYS`, `15-28 DAYS`, `>28 DAYS`.
    #[serde(deserialize_with = "increasing_ints")]
    pub duration_buckets: Vec<i64>,
}

impl Default for CycleParams {
    fn default() -> Self {
        CycleParams {
            gap_days: 7,
            max_cycle_days: 28,
            duration_basis: DurationBasis::Cycle1,
            duration_buckets: vec![14, 28],
        }
    }
}

/// Origin of RFS for patients already in CR at the first infusion (I-14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RfsConsolidationOrigin {
    /// The first infusion (default).
    Trtsdt,
    /// No RFS for them.
    None,
}

/// `[endpoints]`: time-to-event endpoints (domain §1.7).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EndpointParams {
    /// EFS: no CR/CRi by this study day (day 1 = first infusion) is a failure at day 1 (12 weeks = 84).
    #[serde(deserialize_with = "positive_int")]
    pub efs_cr_window_days: i64,
    /// Days in a month for AVAL in months (365.25 / 12).
    #[serde(deserialize_with = "positive")]
    pub days_per_month: f64,
    /// Also derive EFSCEN: EFS censored at a post-treatment allo-HSCT (CNSR 2) or CAR-T (CNSR 3).
    pub sensitivity_censoring: bool,
    /// RFS origin for patients in CR at the first infusion.
    pub rfs_consolidation_origin: RfsConsolidationOrigin,
}

impl Default for EndpointParams {
    fn default() -> Self {
        EndpointParams {
            efs_cr_window_days: 84,
            days_per_month: 30.4375,
            sensitivity_censoring: true,
            rfs_consolidation_origin: RfsConsolidationOrigin::Trtsdt,
        }
    }
}

/// `[safety]`: adverse events (domain §1.10).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[derive(Default)]
pub struct SafetyParams {
    /// An AE is treatment-emergent from the first infusion to this many days after the last.
    #[serde(deserialize_with = "non_negative_int")]
    pub ae_grace_days: i64,
}

/// `[reproduction]`: a published paper's numbers to compare with the computed ones.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Reproduction {
    /// The oracle CSV (relative to the spec): one published number per row with the ARD key that
    /// computes it; `None` writes no reproduction appendix.
    pub oracle: Option<PathBuf>,
}

impl StudySpec {
    /// The oracle file resolved against the spec's directory, when one is declared.
    #[must_use]
    pub fn oracle_path(&self) -> Option<PathBuf> {
        self.reproduction
            .oracle
            .as_ref()
            .map(|p| self.base_dir.join(p))
    }
}

/// Why a spec could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The spec is wrong; the diagnostic says where and how.
    #[error("{0}")]
    Invalid(Diagnostic),
}

impl StudySpec {
    /// Read a spec file; relative input paths are resolved against its directory.
    ///
    /// # Errors
    /// [`SpecError::Io`] when the file cannot be read, [`SpecError::Invalid`] when it is wrong.
    pub fn from_path(path: &Path) -> Result<StudySpec, SpecError> {
        let text = std::fs::read_to_string(path).map_err(|source| SpecError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let mut spec = StudySpec::from_toml_str(&path.display().to_string(), &text)?;
        spec.base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(spec)
    }

    /// Parse a spec from text, naming it `label` in messages.
    ///
    /// # Errors
    /// [`SpecError::Invalid`] with a `SPEC-*` diagnostic located at the offending line.
    pub fn from_toml_str(label: &str, text: &str) -> Result<StudySpec, SpecError> {
        if let Err(e) = toml::from_str::<toml::Table>(text) {
            let (line, found) = locate(text, e.span());
            return Err(SpecError::Invalid(rule::SPEC_SYNTAX.at(
                at_line(label, line),
                found,
                format!("valid TOML: {}", e.message().trim()),
            )));
        }
        let mut spec: StudySpec =
            toml::from_str(text).map_err(|e| SpecError::Invalid(classify(label, text, &e)))?;
        spec.label = label.to_string();
        spec.text = text.to_string();
        if spec.study.enrolment_end < spec.study.enrolment_start {
            return Err(SpecError::Invalid(invalid_at_key(
                label,
                text,
                "enrolment_end",
                spec.study.enrolment_end.to_string(),
                format!(
                    "a date on or after enrolment_start {}",
                    spec.study.enrolment_start
                ),
            )));
        }
        if spec.study.data_cutoff < spec.study.enrolment_start {
            return Err(SpecError::Invalid(invalid_at_key(
                label,
                text,
                "data_cutoff",
                spec.study.data_cutoff.to_string(),
                format!(
                    "a date on or after enrolment_start {}",
                    spec.study.enrolment_start
                ),
            )));
        }
        spec.check_outputs().map_err(SpecError::Invalid)?;
        Ok(spec)
    }

    /// The files of the input tables, resolved against the spec's directory.
    #[must_use]
    pub fn input_files(&self) -> InputFiles {
        let i = &self.inputs;
        let named = [
            (TableId::Patients, Some(&i.patients)),
            (TableId::Exposures, Some(&i.exposures)),
            (TableId::BaselineLabs, i.baseline_labs.as_ref()),
            (TableId::GeneticFindings, i.genetic_findings.as_ref()),
            (TableId::CellularProcedures, i.cellular_procedures.as_ref()),
            (
                TableId::ResponseAssessments,
                i.response_assessments.as_ref(),
            ),
            (TableId::DiseaseEvents, i.disease_events.as_ref()),
            (TableId::AdverseEvents, i.adverse_events.as_ref()),
            (TableId::Contacts, i.contacts.as_ref()),
        ];
        let mut files = InputFiles::default();
        for (id, path) in named {
            if let Some(path) = path {
                files.tables.insert(id, self.source(id, path));
            }
        }
        files
    }

    fn source(&self, id: TableId, written: &str) -> Source {
        let (path, sheet) = match written.strip_suffix(']').and_then(|s| s.rsplit_once('[')) {
            Some((path, sheet)) => (path, Some(sheet.to_string())),
            None => (written, None),
        };
        let full = self.base_dir.join(path);
        let is_workbook = matches!(
            rwe_data::Format::from_path(&full),
            Some(rwe_data::Format::Xlsx)
        );
        Source {
            path: full,
            sheet: sheet.or_else(|| is_workbook.then(|| id.name().to_string())),
        }
    }

    /// The parameters validation needs.
    #[must_use]
    pub fn validation_params(&self) -> ValidationParams {
        ValidationParams {
            data_cutoff: Some(self.study.data_cutoff),
            enrolment: Some((self.study.enrolment_start, self.study.enrolment_end)),
            mrd_threshold: self.mrd.threshold,
            mrd_methods: self.mrd.methods.clone(),
        }
    }
}

fn at_line(label: &str, line: Option<u64>) -> Location {
    Location {
        file: label.to_string(),
        row: line,
        column: None,
    }
}

/// Line (1-based) of a span's start, and the text it covers (one line at most).
fn locate(text: &str, span: Option<std::ops::Range<usize>>) -> (Option<u64>, String) {
    let Some(span) = span else {
        return (None, String::new());
    };
    let start = span.start.min(text.len());
    let end = span.end.clamp(start, text.len());
    let line = text[..start].bytes().filter(|&b| b == b'\n').count() as u64 + 1;
    let found = text.get(start..end).unwrap_or_default();
    let found = found.lines().next().unwrap_or_default().trim().to_string();
    (Some(line), found)
}

/// Names between backticks in a serde message, in order.
fn ticked(message: &str) -> Vec<&str> {
    message.split('`').skip(1).step_by(2).collect()
}

/// Turn a serde error from the spec into a located `SPEC-*` diagnostic.
fn classify(label: &str, text: &str, e: &toml::de::Error) -> Diagnostic {
    let message = e.message().trim();
    let (line, found) = locate(text, e.span());
    let mut loc = at_line(label, line);
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let names = ticked(rest);
        let key = names.first().copied().unwrap_or_default();
        // Inside an array of tables (`[[tables.rows]]`) the error spans the whole table: point at the key.
        if found.starts_with('[')
            && let Some(key_line) = key_line_after(text, e.span(), key)
        {
            loc = at_line(label, Some(key_line));
        }
        let allowed = &names[1.min(names.len())..];
        let expected = match closest(key, allowed) {
            Some(near) => format!("one of {} (did you mean {near}?)", allowed.join(", ")),
            None => format!("one of {}", allowed.join(", ")),
        };
        return rule::SPEC_UNKNOWN_KEY.at(loc, format!("key `{key}`"), expected);
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let key = ticked(rest)
            .first()
            .copied()
            .unwrap_or_default()
            .to_string();
        return rule::SPEC_MISSING_KEY.at(
            loc,
            format!(
                "no key `{key}` in {}",
                if found.is_empty() { "the spec" } else { &found }
            ),
            format!("a value for `{key}` (docs/study-spec.md)"),
        );
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (got, want) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "another type"));
        let kind = got.split([' ', '`', '"']).next().unwrap_or(got);
        let kind = match kind {
            "floating" => "a decimal number",
            "integer" => "a whole number",
            "string" => "a string",
            "boolean" => "a boolean",
            "sequence" => "a list",
            "map" => "a table",
            other => other,
        };
        let want = match want {
            "i64" | "u64" | "i32" => "a whole number",
            "f64" => "a number",
            "a boolean" => "true or false",
            "a sequence" => "a list in brackets [...]",
            other => other,
        };
        return rule::SPEC_WRONG_TYPE.at(loc, format!("{found} ({kind})"), want.to_string());
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let names = ticked(rest);
        let value = names.first().copied().unwrap_or_default();
        let allowed = &names[1.min(names.len())..];
        let expected = match closest(value, allowed) {
            Some(near) => format!("one of {} (did you mean {near}?)", allowed.join(", ")),
            None => format!("one of {}", allowed.join(", ")),
        };
        return rule::SPEC_INVALID_VALUE.at(loc, found, expected);
    }
    rule::SPEC_INVALID_VALUE.at(loc, found, message.to_string())
}

/// The line (1-based) of the first assignment of `key` at or after the start of `span`.
fn key_line_after(text: &str, span: Option<std::ops::Range<usize>>, key: &str) -> Option<u64> {
    let start = span?.start.min(text.len());
    let first = text[..start].bytes().filter(|&b| b == b'\n').count();
    text.lines()
        .enumerate()
        .skip(first)
        .find(|(_, l)| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map(|(i, _)| i as u64 + 1)
}

/// A `SPEC-INVALID-VALUE` at the line where `key` is assigned.
fn invalid_at_key(
    label: &str,
    text: &str,
    key: &str,
    found: String,
    expected: String,
) -> Diagnostic {
    let line = text
        .lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map(|i| i as u64 + 1);
    rule::SPEC_INVALID_VALUE.at(at_line(label, line), found, expected)
}

pub(crate) fn custom<E: serde::de::Error>(msg: impl std::fmt::Display) -> E {
    E::custom(msg)
}

fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    let v = toml::Value::deserialize(d)?;
    let text = match &v {
        toml::Value::Datetime(dt) => dt.to_string(),
        toml::Value::String(s) => s.clone(),
        other => {
            return Err(custom(format!(
                "a date like 2023-07-31, found {}",
                other.type_str()
            )));
        }
    };
    Date::parse_iso(&text)
        .filter(|_| text.len() == 10)
        .ok_or_else(|| custom("a date like 2023-07-31"))
}

pub(crate) fn number<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    match toml::Value::deserialize(d)? {
        toml::Value::Float(x) => Ok(x),
        // Integers are exact in f64 up to 2^53; spec values are small.
        toml::Value::Integer(i) => Ok(i as f64),
        other => Err(custom(format!("a number, found {}", other.type_str()))),
    }
}

fn fraction<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let x = number(d)?;
    if x > 0.0 && x < 1.0 {
        Ok(x)
    } else {
        Err(custom("a fraction between 0 and 1 (1e-4 = 0.01 %)"))
    }
}

fn percentage<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let x = number(d)?;
    if (0.0..=100.0).contains(&x) {
        Ok(x)
    } else {
        Err(custom("a percentage from 0 to 100"))
    }
}

fn non_negative<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let x = number(d)?;
    if x >= 0.0 {
        Ok(x)
    } else {
        Err(custom("a number >= 0"))
    }
}

fn positive<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let x = number(d)?;
    if x > 0.0 {
        Ok(x)
    } else {
        Err(custom("a number > 0"))
    }
}

fn non_negative_int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let x = i64::deserialize(d)?;
    if x >= 0 {
        Ok(x)
    } else {
        Err(custom("a whole number >= 0"))
    }
}

fn positive_int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let x = i64::deserialize(d)?;
    if x > 0 {
        Ok(x)
    } else {
        Err(custom("a whole number > 0"))
    }
}

fn increasing_ints<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<i64>, D::Error> {
    let v = Vec::<i64>::deserialize(d)?;
    if !v.is_empty() && v.windows(2).all(|w| w[0] < w[1]) && v[0] > 0 {
        Ok(v)
    } else {
        Err(custom("positive whole numbers in increasing order"))
    }
}

fn mrd_methods<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<MrdMethod>, D::Error> {
    let v = Vec::<String>::deserialize(d)?;
    let mut out = Vec::new();
    for s in &v {
        match MrdMethod::from_term(s) {
            Some(m) => out.push(m),
            None => {
                return Err(custom(format!(
                    "MRD methods from {}",
                    MrdMethod::TERMS.join(", ")
                )));
            }
        }
    }
    if out.is_empty() {
        return Err(custom("at least one MRD method"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
