//! The outputs a study declares: statistical conventions (`[conventions]`), tables (`[[tables]]`) and
//! figures (`[[figures]]`), documented in `docs/study-spec.md`.
//!
//! A declaration names analysis-dataset variables (ADSL) and endpoints (ADTTE `PARAMCD`) as text. This crate
//! does not know which names exist (the derivations do), so [`StudySpec::check_names`] takes them and
//! reports the first unknown name at its line, as a `SPEC-INVALID-VALUE` diagnostic.
//!
//! ```
//! let spec = rwe_spec::StudySpec::from_toml_str("study.toml", r#"
//! [study]
//! id = "S"
//! enrolment_start = 2021-08-01
//! enrolment_end = 2023-06-30
//! data_cutoff = 2023-07-31
//! [inputs]
//! patients = "patients.csv"
//! exposures = "exposures.csv"
//!
//! [[tables]]
//! id = "table1"
//! title = "Table 1. Baseline characteristics"
//! columns = [{ id = "all", label = "All patients" }, { id = "nd", label = "ND", where = { POPGR1 = "ND" } }]
//! rows = [{ kind = "categorical", variable = "SEXX", label = "Sex, n (%)" }]
//! "#).unwrap();
//! assert_eq!(spec.conventions.conf_level, 0.95);
//! let err = spec.check_names(&["POPGR1", "SEX", "AGE"], &["AGE"], &["EFS"]).unwrap_err();
//! assert_eq!(err.to_string(), "study.toml:15: found variable `SEXX`, expected an ADSL variable \
//!     (did you mean SEX?) [SPEC-INVALID-VALUE]");
//! ```

use std::collections::BTreeMap;

use rwe_data::{Diagnostic, Location, closest, rule};
use serde::{Deserialize, Deserializer};

use crate::StudySpec;

/// Which peer's statistical conventions to follow where SAS and R differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Statistics {
    /// SAS PROC LIFETEST / PHREG (the seed paper): log-log CIs, Brookmeyer-Crowley median CIs, rates past
    /// the last observation not estimable.
    #[default]
    Sas,
    /// R `survival`: log CIs, `quantile.survfit`, rates carried forward.
    R,
}

/// The transform of pointwise survival confidence intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum CiTransform {
    /// Log-log (complementary log-log), SAS's default.
    #[serde(rename = "log-log")]
    LogLog,
    /// Log, R's default.
    #[serde(rename = "log")]
    Log,
    /// Plain (linear).
    #[serde(rename = "plain")]
    Plain,
    /// Logit.
    #[serde(rename = "logit")]
    Logit,
    /// Arcsine square root.
    #[serde(rename = "arcsine")]
    Arcsine,
}

/// The confidence interval of a proportion (response and MRD rates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ProportionInterval {
    /// Clopper-Pearson exact (default; R `binom.test`, SAS `BINOMIAL(EXACT)`).
    #[default]
    Exact,
    /// Wilson score.
    Wilson,
}

/// How printed numbers are cut to their decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Half away from zero on the decimal value (default).
    #[default]
    HalfUp,
    /// Toward zero (the seed paper truncated some values, I-23).
    Truncate,
}

/// What a survival rate's interval prints when the estimate is 1 (no event yet), where the log-log
/// interval is undefined (I-17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CiWhenSurvivalIsOne {
    /// `100.0% (95% CI: NE, NE)` (default).
    #[default]
    NotEstimable,
    /// `100.0% (95% CI: 100.0%, 100.0%)`.
    Degenerate,
}

/// The token printed for a survival rate that cannot be estimated (a time past the last follow-up).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
pub enum RateToken {
    /// `NE`, not estimable (default).
    #[default]
    #[serde(rename = "NE")]
    NotEstimable,
    /// `NR`, as the seed paper prints such rates (I-16).
    #[serde(rename = "NR")]
    NotReached,
}

/// `[conventions]`: statistics, confidence level, rounding and disclosure control of every output.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Conventions {
    /// SAS or R conventions.
    pub statistics: Statistics,
    /// Confidence level of every interval.
    #[serde(deserialize_with = "level")]
    pub conf_level: f64,
    /// Pointwise survival CI transform; `None` takes the convention's (log-log for SAS, log for R).
    pub ci_transform: Option<CiTransform>,
    /// Interval of response and MRD rates.
    pub proportion_ci: ProportionInterval,
    /// Rounding of printed numbers.
    pub rounding: Rounding,
    /// Decimals of continuous values and times.
    #[serde(deserialize_with = "decimals")]
    pub decimals: u8,
    /// Decimals of percentages.
    #[serde(deserialize_with = "decimals")]
    pub percent_decimals: u8,
    /// Small-cell suppression: counts from 1 to `small_cell_min − 1` are hidden as `<k` (0 or 1: off).
    pub small_cell_min: u64,
    /// Interval printed for a survival rate of 100 %.
    pub ci_when_survival_is_one: CiWhenSurvivalIsOne,
    /// Token of a survival rate that cannot be estimated.
    pub rate_not_estimable: RateToken,
}

impl Default for Conventions {
    fn default() -> Self {
        Conventions {
            statistics: Statistics::Sas,
            conf_level: 0.95,
            ci_transform: None,
            proportion_ci: ProportionInterval::Exact,
            rounding: Rounding::HalfUp,
            decimals: 1,
            percent_decimals: 1,
            small_cell_min: 0,
            ci_when_survival_is_one: CiWhenSurvivalIsOne::NotEstimable,
            rate_not_estimable: RateToken::NotEstimable,
        }
    }
}

/// One or more values of a variable, written `"ND"`, `["ND", "RR"]` or `1`; compared as text with the
/// analysis dataset's printed value (dates as `2023-07-31`, whole numbers without a decimal point).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Values(pub Vec<String>);

impl Values {
    /// True when `value` is one of them.
    #[must_use]
    pub fn contains(&self, value: &str) -> bool {
        self.0.iter().any(|v| v == value)
    }
}

impl<'de> Deserialize<'de> for Values {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Values, D::Error> {
        fn one(v: &toml::Value) -> Option<String> {
            match v {
                toml::Value::String(s) => Some(s.clone()),
                toml::Value::Integer(i) => Some(i.to_string()),
                toml::Value::Boolean(b) => Some(b.to_string()),
                toml::Value::Datetime(dt) => Some(dt.to_string()),
                _ => None,
            }
        }
        let v = toml::Value::deserialize(d)?;
        let values = match &v {
            toml::Value::Array(items) => items.iter().map(one).collect::<Option<Vec<String>>>(),
            other => one(other).map(|s| vec![s]),
        };
        match values {
            Some(values) if !values.is_empty() => Ok(Values(values)),
            _ => Err(serde::de::Error::custom(
                "a value or a list of values such as \"ND\" or [\"ND\", \"RR\"]",
            )),
        }
    }
}

/// A filter on ADSL variables: every variable named must have one of its values (`{ POPGR1 = "ND" }`).
pub type Filter = BTreeMap<String, Values>;

/// One level of a categorical variable, in display order: the values it collects and its label.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// The value (or values: `["2", ">=3"]`) of the variable.
    #[serde(alias = "value")]
    pub values: Values,
    /// Label in tables and figures; the first value when absent.
    #[serde(default)]
    pub label: Option<String>,
    /// Colour of the level in every figure (`"#0072B2"`); the report's palette when absent.
    #[serde(default, deserialize_with = "colour")]
    pub colour: Option<String>,
}

impl Level {
    /// The label shown.
    #[must_use]
    pub fn label(&self) -> &str {
        match &self.label {
            Some(l) => l,
            None => self.values.0.first().map_or("", String::as_str),
        }
    }
}

/// A variable whose levels split a row or a figure into groups.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Split {
    /// ADSL variable.
    pub variable: String,
    /// Levels in display order; the values present, sorted, when empty.
    #[serde(default)]
    pub levels: Vec<Level>,
}

/// The analysis dataset a table counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
pub enum TableDataset {
    /// One row per patient: baseline, response and time-to-event rows (default).
    #[default]
    #[serde(rename = "ADSL")]
    Adsl,
    /// Adverse events by group and grade, each patient counted once at the maximum grade.
    #[serde(rename = "ADAE")]
    Adae,
}

/// `[[tables]]`: one table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableDecl {
    /// File stem and anchor (`table1`): lower-case letters, digits, `_` and `-`.
    pub id: String,
    /// Title as printed.
    pub title: String,
    /// ADSL (default) or ADAE.
    #[serde(default)]
    pub dataset: TableDataset,
    /// Heading of the row-label column.
    #[serde(default = "default_stub")]
    pub stub: String,
    /// Print a header row with each column's number of patients (`N = 53`).
    #[serde(default = "yes")]
    pub show_n: bool,
    /// The columns: patient groups of the study population.
    pub columns: Vec<ColumnDecl>,
    /// ADAE tables: the grade categories under every column.
    #[serde(default)]
    pub grades: Vec<GradeDecl>,
    /// The rows, top to bottom.
    pub rows: Vec<RowDecl>,
    /// Footnotes, printed below the table before the generated ones.
    #[serde(default)]
    pub footnotes: Vec<String>,
    /// A supplementary table: placed after the figures in `report.html`.
    #[serde(default)]
    pub supplementary: bool,
}

fn default_stub() -> String {
    "Characteristic".to_string()
}

fn yes() -> bool {
    true
}

/// One column: the patients of the study population that pass its filter (all of them without one).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnDecl {
    /// Identifier, unique in the table (rows name it in `columns`; the ARD's `column`).
    pub id: String,
    /// Header text.
    pub label: String,
    /// A header spanning the consecutive columns with the same group (`"Frontline"`).
    #[serde(default)]
    pub group: Option<String>,
    /// Which patients; every patient of the study population when empty (the overall column).
    #[serde(default, rename = "where")]
    pub filter: Filter,
}

/// An ADAE grade category: patients whose maximum grade lies in `[min, max]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeDecl {
    /// Header text ("Grade ≥ 3").
    pub label: String,
    /// Lowest grade (1–5).
    #[serde(default = "grade_one", deserialize_with = "grade")]
    pub min: u8,
    /// Highest grade (1–5).
    #[serde(default = "grade_five", deserialize_with = "grade")]
    pub max: u8,
}

fn grade_one() -> u8 {
    1
}

fn grade_five() -> u8 {
    5
}

/// A statistic of a continuous variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContinuousStat {
    /// Number of patients with a value.
    N,
    /// Mean (SD).
    MeanSd,
    /// Median (minimum, maximum).
    MedianRange,
}

/// A time-to-event statistic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurvivalStat {
    /// Median with its CI (`NR (95% CI: 9.4, NE)`).
    Median,
    /// Kaplan-Meier rate at `at` months with its CI.
    Rate,
    /// Events, n (%).
    Events,
}

/// What every row shares: where it sits and in which columns it is computed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RowPlace<'a> {
    /// Label indent (0 flush left).
    pub indent: u8,
    /// Only these column ids; the others stay blank. Every column when empty.
    pub columns: &'a [String],
    /// Identifier in the ARD, when the spec gives one.
    pub id: Option<&'a str>,
}

/// `[[tables.rows]]`: one row (or block of rows), by `kind`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum RowDecl {
    /// A bold label with no values.
    Heading {
        /// Text.
        label: String,
        /// Indent.
        #[serde(default)]
        indent: u8,
    },
    /// The number of patients in each column.
    Count {
        /// Label.
        label: String,
        /// Label indent (0 flush left).
        #[serde(default)]
        indent: u8,
        /// Only these column ids; the others stay blank. Every column when empty.
        #[serde(default)]
        columns: Vec<String>,
        /// Identifier in the ARD; generated from the row's variable or endpoint when absent.
        #[serde(default)]
        id: Option<String>,
    },
    /// `n (%)` of each level, and a `Missing` row when a value is missing.
    Categorical {
        /// ADSL variable.
        variable: String,
        /// Heading above the levels.
        label: String,
        /// Levels in order; the values present, sorted, when empty. Values not listed that patients of
        /// the row's columns have follow, labelled by their value.
        #[serde(default)]
        levels: Vec<Level>,
        /// Values that mean missing (besides an empty cell), counted in the `Missing` row.
        #[serde(default)]
        missing: Vec<String>,
        /// Label indent (0 flush left).
        #[serde(default)]
        indent: u8,
        /// Only these column ids; the others stay blank. Every column when empty.
        #[serde(default)]
        columns: Vec<String>,
        /// Identifier in the ARD; generated from the row's variable or endpoint when absent.
        #[serde(default)]
        id: Option<String>,
    },
    /// `n (%)` of the patients with one value of a variable (a `Y` flag by default).
    Flag {
        /// ADSL variable.
        variable: String,
        /// Label.
        label: String,
        /// The value counted.
        #[serde(default = "flag_yes")]
        value: String,
        /// Label indent (0 flush left).
        #[serde(default)]
        indent: u8,
        /// Only these column ids; the others stay blank. Every column when empty.
        #[serde(default)]
        columns: Vec<String>,
        /// Identifier in the ARD; generated from the row's variable or endpoint when absent.
        #[serde(default)]
        id: Option<String>,
    },
    /// Descriptive statistics of a numeric variable.
    Continuous {
        /// ADSL variable (numeric).
        variable: String,
        /// Label (a heading above the statistics when there are several).
        label: String,
        /// Statistics in order.
        #[serde(default = "mean_sd")]
        stats: Vec<ContinuousStat>,
        /// Decimals of the statistics (ages in whole years: 0); the conventions' `decimals` when absent.
        #[serde(default, deserialize_with = "some_decimals")]
        decimals: Option<u8>,
        /// Label indent (0 flush left).
        #[serde(default)]
        indent: u8,
        /// Only these column ids; the others stay blank. Every column when empty.
        #[serde(default)]
        columns: Vec<String>,
        /// Identifier in the ARD; generated from the row's variable or endpoint when absent.
        #[serde(default)]
        id: Option<String>,
    },
    /// A proportion: patients with one of `success` among those passing `where`, with `exclude` values
    /// and missing values left out of the denominator (`NA` when nobody remains).
    Rate {
        /// ADSL variable.
        variable: String,
        /// Label.
        label: String,
        /// Values that count as success.
        success: Values,
        /// The denominator's filter.
        #[serde(default, rename = "where")]
        filter: Filter,
        /// Values left out of the denominator (`"NA"`: not applicable to the patient).
        #[serde(default)]
        exclude: Vec<String>,
        /// Print the confidence interval.
        #[serde(default)]
        ci: bool,
        /// Label indent (0 flush left).
        #[serde(default)]
        indent: u8,
        /// Only these column ids; the others stay blank. Every column when empty.
        #[serde(default)]
        columns: Vec<String>,
        /// Identifier in the ARD; generated from the row's variable or endpoint when absent.
        #[serde(default)]
        id: Option<String>,
    },
    /// A Kaplan-Meier statistic of an ADTTE endpoint.
    Survival {
        /// ADTTE `PARAMCD` (`EFS`, `EFSCEN` for EFS censored at transplant or CAR-T, `OS`, `RFS`, `DOR`).
        paramcd: String,
        /// Label.
        label: String,
        /// Which statistic.
        statistic: SurvivalStat,
        /// Months, for a rate.
        #[serde(default)]
        at: Option<f64>,
        /// Only these patients.
        #[serde(default, rename = "where")]
        filter: Filter,
        /// One sub-row per level of this variable.
        #[serde(default)]
        by: Option<Split>,
        /// Label indent (0 flush left).
        #[serde(default)]
        indent: u8,
        /// Only these column ids; the others stay blank. Every column when empty.
        #[serde(default)]
        columns: Vec<String>,
        /// Identifier in the ARD; generated from the row's variable or endpoint when absent.
        #[serde(default)]
        id: Option<String>,
    },
    /// ADAE tables: patients with an adverse event of these groups (`AEGRP`; any when empty), counted once
    /// in each grade category at their maximum grade.
    AdverseEvents {
        /// Label.
        label: String,
        /// `AEGRP` values.
        #[serde(default)]
        groups: Vec<String>,
        /// Label indent (0 flush left).
        #[serde(default)]
        indent: u8,
        /// Only these column ids; the others stay blank. Every column when empty.
        #[serde(default)]
        columns: Vec<String>,
        /// Identifier in the ARD; generated from the row's variable or endpoint when absent.
        #[serde(default)]
        id: Option<String>,
    },
}

fn flag_yes() -> String {
    "Y".to_string()
}

fn mean_sd() -> Vec<ContinuousStat> {
    vec![ContinuousStat::MeanSd]
}

impl RowDecl {
    /// The row's label.
    #[must_use]
    pub fn label(&self) -> &str {
        match self {
            RowDecl::Heading { label, .. }
            | RowDecl::Count { label, .. }
            | RowDecl::Categorical { label, .. }
            | RowDecl::Flag { label, .. }
            | RowDecl::Continuous { label, .. }
            | RowDecl::Rate { label, .. }
            | RowDecl::Survival { label, .. }
            | RowDecl::AdverseEvents { label, .. } => label,
        }
    }

    /// The row's placement (a heading is in no column).
    #[must_use]
    pub fn place(&self) -> RowPlace<'_> {
        match self {
            RowDecl::Heading { indent, .. } => RowPlace {
                indent: *indent,
                columns: &[],
                id: None,
            },
            RowDecl::Count {
                indent,
                columns,
                id,
                ..
            }
            | RowDecl::Categorical {
                indent,
                columns,
                id,
                ..
            }
            | RowDecl::Flag {
                indent,
                columns,
                id,
                ..
            }
            | RowDecl::Continuous {
                indent,
                columns,
                id,
                ..
            }
            | RowDecl::Rate {
                indent,
                columns,
                id,
                ..
            }
            | RowDecl::Survival {
                indent,
                columns,
                id,
                ..
            }
            | RowDecl::AdverseEvents {
                indent,
                columns,
                id,
                ..
            } => RowPlace {
                indent: *indent,
                columns,
                id: id.as_deref(),
            },
        }
    }
}

/// `[[figures]]`: one figure, by `kind`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum FigureDecl {
    /// Kaplan-Meier curves with a numbers-at-risk table.
    Km(KmDecl),
    /// Treatment patterns as a Sankey diagram, with its path table.
    Sankey(SankeyDecl),
}

impl FigureDecl {
    /// The figure's id.
    #[must_use]
    pub fn id(&self) -> &str {
        match self {
            FigureDecl::Km(k) => &k.id,
            FigureDecl::Sankey(s) => &s.id,
        }
    }
}

/// A Kaplan-Meier figure.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KmDecl {
    /// File stem (`fig2_km_efs`).
    pub id: String,
    /// Title drawn above the plot.
    #[serde(default)]
    pub title: Option<String>,
    /// Caption in the report.
    #[serde(default)]
    pub caption: Option<String>,
    /// ADTTE `PARAMCD`.
    pub paramcd: String,
    /// Only these patients.
    #[serde(default, rename = "where")]
    pub filter: Filter,
    /// One curve per level of this variable.
    #[serde(default)]
    pub strata: Option<Split>,
    /// Label of the curve of all patients (drawn when there are no strata, or with `overall = true`).
    #[serde(default = "all_patients")]
    pub overall_label: String,
    /// Also draw the curve of all patients when there are strata.
    #[serde(default)]
    pub overall: bool,
    /// Time axis ticks in months; the numbers at risk are given at them. Every 3 months to the end of
    /// follow-up when empty.
    #[serde(default)]
    pub x_ticks: Vec<f64>,
    /// Time axis label.
    #[serde(default = "months_label")]
    pub x_label: String,
    /// Survival axis label; the endpoint's name when absent.
    #[serde(default)]
    pub y_label: Option<String>,
    /// A landmark (months): a dotted line and each curve's rate there.
    #[serde(default)]
    pub landmark: Option<f64>,
    /// Draw each curve's median.
    #[serde(default = "yes")]
    pub median: bool,
    /// Draw the numbers-at-risk table.
    #[serde(default = "yes")]
    pub risk_table: bool,
    /// Cumulative events in the risk table: `53 (2)`.
    #[serde(default)]
    pub risk_events: bool,
    /// Draw pointwise confidence bands.
    #[serde(default)]
    pub ci_bands: bool,
}

fn all_patients() -> String {
    "All patients".to_string()
}

fn months_label() -> String {
    "Months since first infusion".to_string()
}

/// A treatment-pattern Sankey diagram.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SankeyDecl {
    /// File stem (`fig1_treatment_patterns`); a panel adds `_` and its level.
    pub id: String,
    /// Title above the diagram (a panel adds its label).
    #[serde(default)]
    pub title: Option<String>,
    /// Caption in the report.
    #[serde(default)]
    pub caption: Option<String>,
    /// The stages, left to right.
    pub stages: Vec<StageDecl>,
    /// One diagram per level of this variable.
    #[serde(default)]
    pub panels: Option<Split>,
    /// Only these patients.
    #[serde(default, rename = "where")]
    pub filter: Filter,
}

/// One stage (column) of a Sankey diagram: the levels of an ADSL variable.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageDecl {
    /// ADSL variable.
    pub variable: String,
    /// Column heading.
    pub label: String,
    /// Levels top to bottom; the values present, sorted, when empty.
    #[serde(default)]
    pub levels: Vec<Level>,
    /// Colour the nodes by their label (groups, therapies); grey otherwise.
    #[serde(default)]
    pub colour: bool,
}

fn level<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let x = crate::number(d)?;
    if x > 0.0 && x < 1.0 {
        Ok(x)
    } else {
        Err(crate::custom(
            "a confidence level between 0 and 1, such as 0.95",
        ))
    }
}

fn decimals<'de, D: Deserializer<'de>>(d: D) -> Result<u8, D::Error> {
    let x = i64::deserialize(d)?;
    u8::try_from(x)
        .ok()
        .filter(|&x| x <= 6)
        .ok_or_else(|| crate::custom("a whole number from 0 to 6"))
}

fn some_decimals<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u8>, D::Error> {
    decimals(d).map(Some)
}

fn grade<'de, D: Deserializer<'de>>(d: D) -> Result<u8, D::Error> {
    let x = i64::deserialize(d)?;
    u8::try_from(x)
        .ok()
        .filter(|x| (1..=5).contains(x))
        .ok_or_else(|| crate::custom("a CTCAE grade from 1 to 5"))
}

fn colour<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = String::deserialize(d)?;
    let hex = s.strip_prefix('#').unwrap_or("");
    if hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(Some(s))
    } else {
        Err(crate::custom(
            "a colour written #RRGGBB, such as \"#0072B2\"",
        ))
    }
}

/// A name a declaration uses, with what kind of name it must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameKind {
    Variable,
    Numeric,
    Paramcd,
    Column,
}

impl StudySpec {
    /// Checks the declarations that need no data: unique ids that are safe file stems, known column ids,
    /// a time for every rate, ADAE rows only in ADAE tables with grade categories, increasing ticks.
    pub(crate) fn check_outputs(&self) -> Result<(), Diagnostic> {
        let mut ids: Vec<&str> = Vec::new();
        let ids_of = self
            .tables
            .iter()
            .map(|t| t.id.as_str())
            .chain(self.figures.iter().map(FigureDecl::id));
        for id in ids_of {
            let safe = !id.is_empty()
                && id.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'
                });
            if !safe {
                return Err(self.invalid_at_name(
                    id,
                    format!("id `{id}`"),
                    "an id of lower-case letters, digits, _ and - (a file name)".to_string(),
                ));
            }
            if ids.contains(&id) {
                return Err(self.invalid_at_name(
                    id,
                    format!("id `{id}` twice"),
                    "a different id for every table and figure".to_string(),
                ));
            }
            ids.push(id);
        }
        for table in &self.tables {
            self.check_table(table)?;
        }
        for figure in &self.figures {
            if let FigureDecl::Km(km) = figure {
                let ticks_ok = km.x_ticks.is_empty()
                    || (km.x_ticks.len() >= 2
                        && km.x_ticks.iter().all(|t| t.is_finite() && *t >= 0.0)
                        && km.x_ticks.windows(2).all(|w| w[0] < w[1]));
                if !ticks_ok {
                    return Err(self.invalid_at_key(
                        &km.id,
                        "x_ticks",
                        format!("{:?}", km.x_ticks),
                        "at least two increasing times >= 0, in months".to_string(),
                    ));
                }
                if km.landmark.is_some_and(|t| !(t.is_finite() && t > 0.0)) {
                    return Err(self.invalid_at_key(
                        &km.id,
                        "landmark",
                        format!("{:?}", km.landmark.unwrap_or_default()),
                        "a time > 0 in months".to_string(),
                    ));
                }
            }
            if let FigureDecl::Sankey(s) = figure
                && s.stages.len() < 2
            {
                return Err(self.invalid_at_name(
                    &s.id,
                    format!("{} stage(s) in {}", s.stages.len(), s.id),
                    "at least two stages".to_string(),
                ));
            }
        }
        Ok(())
    }

    fn check_table(&self, table: &TableDecl) -> Result<(), Diagnostic> {
        if table.columns.is_empty() {
            return Err(self.invalid_at_name(
                &table.id,
                format!("no columns in {}", table.id),
                "at least one [[tables.columns]]".to_string(),
            ));
        }
        let mut column_ids: Vec<&str> = Vec::new();
        for c in &table.columns {
            if column_ids.contains(&c.id.as_str()) {
                return Err(self.invalid_at_name(
                    &c.id,
                    format!("column id `{}` twice in {}", c.id, table.id),
                    "a different id for every column of a table".to_string(),
                ));
            }
            column_ids.push(&c.id);
        }
        let adae = table.dataset == TableDataset::Adae;
        if adae && table.grades.is_empty() {
            return Err(self.invalid_at_name(
                &table.id,
                format!("an ADAE table {} without grades", table.id),
                "grades = [{ label = \"Any grade\" }, ...]".to_string(),
            ));
        }
        for g in &table.grades {
            if g.min > g.max {
                return Err(self.invalid_at_name(
                    &g.label,
                    format!("grades {} to {}", g.min, g.max),
                    "min <= max".to_string(),
                ));
            }
        }
        for row in &table.rows {
            for id in row.place().columns {
                if !column_ids.contains(&id.as_str()) {
                    return Err(self.unknown_name(id, NameKind::Column, &column_ids));
                }
            }
            let is_ae_row = matches!(row, RowDecl::AdverseEvents { .. });
            let allowed =
                matches!(row, RowDecl::Heading { .. } | RowDecl::Count { .. }) || is_ae_row == adae;
            if !allowed {
                let (found, expected) = if adae {
                    (
                        format!("a {} row in the ADAE table {}", kind_name(row), table.id),
                        "adverse_events, count or heading rows",
                    )
                } else {
                    (
                        format!("an adverse_events row in the ADSL table {}", table.id),
                        "dataset = \"ADAE\" on the table",
                    )
                };
                return Err(self.invalid_at_name(row.label(), found, expected.to_string()));
            }
            if let RowDecl::Survival {
                statistic: SurvivalStat::Rate,
                at,
                label,
                ..
            } = row
                && !at.is_some_and(|t| t.is_finite() && t >= 0.0)
            {
                return Err(self.invalid_at_name(
                    label,
                    format!("a rate row \"{label}\" without a time"),
                    "at = 12 (months)".to_string(),
                ));
            }
        }
        Ok(())
    }

    /// Checks every ADSL variable and ADTTE `PARAMCD` the tables and figures name against those the
    /// derivations produce; `numeric` lists the numeric ADSL variables, which continuous rows need.
    ///
    /// # Errors
    /// The first unknown name, as a `SPEC-INVALID-VALUE` diagnostic at its line with the closest known
    /// name suggested.
    pub fn check_names(
        &self,
        adsl: &[&str],
        numeric: &[&str],
        paramcds: &[&str],
    ) -> Result<(), Diagnostic> {
        fn filter<'a>(f: &'a Filter, names: &mut Vec<(&'a str, NameKind)>) {
            for k in f.keys() {
                names.push((k.as_str(), NameKind::Variable));
            }
        }
        let mut names: Vec<(&str, NameKind)> = Vec::new();
        for t in &self.tables {
            for c in &t.columns {
                for k in c.filter.keys() {
                    names.push((k, NameKind::Variable));
                }
            }
            for r in &t.rows {
                match r {
                    RowDecl::Categorical { variable, .. } | RowDecl::Flag { variable, .. } => {
                        names.push((variable, NameKind::Variable));
                    }
                    RowDecl::Continuous { variable, .. } => {
                        names.push((variable, NameKind::Variable));
                        names.push((variable, NameKind::Numeric));
                    }
                    RowDecl::Rate {
                        variable,
                        filter: f,
                        ..
                    } => {
                        names.push((variable, NameKind::Variable));
                        filter(f, &mut names);
                    }
                    RowDecl::Survival {
                        paramcd,
                        filter: f,
                        by,
                        ..
                    } => {
                        names.push((paramcd, NameKind::Paramcd));
                        filter(f, &mut names);
                        if let Some(by) = by {
                            names.push((&by.variable, NameKind::Variable));
                        }
                    }
                    RowDecl::Heading { .. }
                    | RowDecl::Count { .. }
                    | RowDecl::AdverseEvents { .. } => {}
                }
            }
        }
        for f in &self.figures {
            match f {
                FigureDecl::Km(km) => {
                    names.push((&km.paramcd, NameKind::Paramcd));
                    filter(&km.filter, &mut names);
                    if let Some(s) = &km.strata {
                        names.push((&s.variable, NameKind::Variable));
                    }
                }
                FigureDecl::Sankey(s) => {
                    filter(&s.filter, &mut names);
                    for stage in &s.stages {
                        names.push((&stage.variable, NameKind::Variable));
                    }
                    if let Some(p) = &s.panels {
                        names.push((&p.variable, NameKind::Variable));
                    }
                }
            }
        }
        for (name, kind) in names {
            let known = match kind {
                NameKind::Variable => adsl,
                NameKind::Numeric => numeric,
                NameKind::Paramcd => paramcds,
                NameKind::Column => continue,
            };
            if !known.contains(&name) {
                return Err(self.unknown_name(name, kind, known));
            }
        }
        Ok(())
    }

    fn unknown_name(&self, name: &str, kind: NameKind, known: &[&str]) -> Diagnostic {
        let (what, expected) = match kind {
            NameKind::Variable => ("variable", "an ADSL variable".to_string()),
            NameKind::Numeric => (
                "variable",
                "a numeric ADSL variable for a continuous row".to_string(),
            ),
            NameKind::Paramcd => ("PARAMCD", format!("one of {}", known.join(", "))),
            NameKind::Column => ("column", format!("one of {}", known.join(", "))),
        };
        let hint = match (kind, closest(name, known)) {
            (NameKind::Numeric, _) | (_, None) => String::new(),
            (_, Some(near)) => format!(" (did you mean {near}?)"),
        };
        self.invalid_at_name(
            name,
            format!("{what} `{name}`"),
            format!("{expected}{hint}"),
        )
    }

    /// A `SPEC-INVALID-VALUE` at the first line of the outputs (`[[tables]]` onwards) that mentions `name`
    /// as a quoted string or a key.
    fn invalid_at_name(&self, name: &str, found: String, expected: String) -> Diagnostic {
        let line = self.line_of_name(name);
        rule::SPEC_INVALID_VALUE.at(
            Location {
                file: self.label.clone(),
                row: line,
                column: None,
            },
            found,
            expected,
        )
    }

    /// As [`Self::invalid_at_name`], at the line of `key` after the one naming `id`.
    fn invalid_at_key(&self, id: &str, key: &str, found: String, expected: String) -> Diagnostic {
        let start = self.line_of_name(id).unwrap_or(1);
        let line = self
            .text
            .lines()
            .enumerate()
            .skip(usize::try_from(start).unwrap_or(1).saturating_sub(1))
            .find(|(_, l)| {
                l.trim_start()
                    .strip_prefix(key)
                    .is_some_and(|r| r.trim_start().starts_with('='))
            })
            .map(|(i, _)| i as u64 + 1)
            .or(Some(start));
        rule::SPEC_INVALID_VALUE.at(
            Location {
                file: self.label.clone(),
                row: line,
                column: None,
            },
            found,
            expected,
        )
    }

    fn line_of_name(&self, name: &str) -> Option<u64> {
        let first_output = self
            .text
            .lines()
            .position(|l| {
                let l = l.trim_start();
                l.starts_with("[[tables") || l.starts_with("[[figures")
            })
            .unwrap_or(0);
        let quoted = format!("\"{name}\"");
        let mentions = |l: &str| {
            if l.contains(&quoted) {
                return true;
            }
            // A bare key, at the start of the line or inside an inline table: `NAME =`, `{ NAME =`.
            l.match_indices(name).any(|(i, _)| {
                let before = l[..i].trim_end();
                let after = l[i + name.len()..].trim_start();
                (before.is_empty() || before.ends_with('{') || before.ends_with(','))
                    && after.starts_with('=')
            })
        };
        self.text
            .lines()
            .enumerate()
            .skip(first_output)
            .find(|(_, l)| mentions(l))
            .map(|(i, _)| i as u64 + 1)
    }
}

fn kind_name(row: &RowDecl) -> &'static str {
    match row {
        RowDecl::Heading { .. } => "heading",
        RowDecl::Count { .. } => "count",
        RowDecl::Categorical { .. } => "categorical",
        RowDecl::Flag { .. } => "flag",
        RowDecl::Continuous { .. } => "continuous",
        RowDecl::Rate { .. } => "rate",
        RowDecl::Survival { .. } => "survival",
        RowDecl::AdverseEvents { .. } => "adverse_events",
    }
}
