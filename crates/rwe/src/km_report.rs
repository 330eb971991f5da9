//! The output of `rwe km`: the JSON contract of `design.md`, and its renderings for a person and as CSV.

use serde::Serialize;

/// Everything `rwe km` reports.
#[derive(Debug, Clone, Serialize)]
pub struct KmReport {
    /// Pointwise CI transform used.
    pub conf_type: String,
    /// Confidence level of every interval.
    pub conf_level: f64,
    /// Convention used where SAS and R differ.
    pub convention: String,
    /// The overall curve, then one per group in sorted order.
    pub curves: Vec<CurveReport>,
    /// Group tests (null without `--group`).
    pub tests: Option<TestsReport>,
}

/// One Kaplan-Meier curve.
#[derive(Debug, Clone, Serialize)]
pub struct CurveReport {
    /// Group label, or null for the overall curve.
    pub group: Option<String>,
    /// Number of subjects.
    pub n: usize,
    /// Number of events.
    pub events: usize,
    /// One row per distinct observed time.
    pub table: Vec<KmRowReport>,
    /// Requested quantiles.
    pub quantiles: Vec<QuantileReport>,
    /// Survival at requested times.
    pub at: Vec<AtReport>,
    /// Restricted mean survival time, when asked for.
    pub rmst: Option<RmstReport>,
}

/// One row of the KM table.
#[derive(Debug, Clone, Serialize)]
pub struct KmRowReport {
    pub time: f64,
    pub n_risk: u64,
    pub n_event: u64,
    pub n_censor: u64,
    pub surv: f64,
    pub std_err: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub cumhaz: f64,
    pub std_chaz: Option<f64>,
}

/// A quantile with its confidence interval.
#[derive(Debug, Clone, Serialize)]
pub struct QuantileReport {
    pub p: f64,
    pub time: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// Survival at a requested time.
#[derive(Debug, Clone, Serialize)]
pub struct AtReport {
    pub time: f64,
    pub n_risk: u64,
    pub n_event: u64,
    pub n_censor: u64,
    pub surv: Option<f64>,
    pub std_err: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// Restricted mean survival time.
#[derive(Debug, Clone, Serialize)]
pub struct RmstReport {
    pub tau: f64,
    pub estimate: f64,
    pub std_err: f64,
}

/// A chi-square test between groups.
#[derive(Debug, Clone, Serialize)]
pub struct ChiSquareReport {
    pub chisq: f64,
    pub df: f64,
    pub p: f64,
}

/// The tests between groups.
#[derive(Debug, Clone, Serialize)]
pub struct TestsReport {
    pub logrank: Option<ChiSquareReport>,
    pub gehan: Option<ChiSquareReport>,
    pub peto: Option<ChiSquareReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fleming_harrington: Option<FhReport>,
    pub stratified: Option<Box<TestsReport>>,
}

/// A Fleming-Harrington test with its weights.
#[derive(Debug, Clone, Serialize)]
pub struct FhReport {
    pub rho: f64,
    pub gamma: f64,
    pub chisq: f64,
    pub df: f64,
    pub p: f64,
}
