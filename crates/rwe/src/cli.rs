//! Command-line arguments (the contract of `design.md`: scripts and tests depend on these names).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// rwe: real-world-evidence studies in oncology, from patient records to publication tables and figures.
#[derive(Debug, Parser)]
#[command(name = "rwe", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the whole study: validate, derive, compute the declared tables and figures, write the report folder.
    Run(crate::run_cmd::RunArgs),
    /// Validate a study's records against the data model and the rule catalogue (exit 1 on any error).
    Validate(crate::study_cmds::ValidateArgs),
    /// Derive ADSL, ADRS, ADTTE and ADAE (CSV and Parquet) from a study's records.
    Derive(crate::study_cmds::DeriveArgs),
    /// Explain a patient's derived values: the rule and the source records of each.
    Explain(crate::study_cmds::ExplainArgs),
    /// Print the validation rules and the derivation rules.
    Rules,
    /// Kaplan-Meier curves, quantiles with CIs, survival at times, RMST and group tests.
    Km(KmArgs),
    /// Cox proportional-hazards regression.
    Cox(CoxArgs),
    /// Cumulative incidence of competing risks (Aalen-Johansen) and Gray's test.
    Cif(CifArgs),
    /// A binomial proportion with its confidence interval.
    Prop(PropArgs),
    /// Write a SYNTHETIC cohort in the input schema: N sampled patients, or the seed study's 96.
    Synth(crate::synth_cmd::SynthArgs),
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned text for a person, like R's print.
    Table,
    /// JSON for scripts (the contract of `design.md`).
    Json,
    /// CSV, one row per estimate.
    Csv,
}

/// The survival columns shared by `km`, `cox` and `cif`.
#[derive(Debug, Args)]
pub struct SurvivalArgs {
    /// Input file: CSV or Parquet (chosen by extension).
    pub file: PathBuf,
    /// Column with the follow-up time (≥ 0).
    #[arg(long)]
    pub time: String,
    /// Column with the event indicator (0 censored, 1 event; `cif`: 0 censored, 1..k causes).
    #[arg(long)]
    pub event: String,
}

/// Arguments of `rwe km`.
#[derive(Debug, Args)]
pub struct KmArgs {
    #[command(flatten)]
    pub surv: SurvivalArgs,
    /// Column whose values define the groups (one curve each, plus tests between them).
    #[arg(long)]
    pub group: Option<String>,
    /// Column whose values define strata for stratified tests.
    #[arg(long)]
    pub strata: Option<String>,
    /// Pointwise CI transform (default: log-log under `sas`, log under `r`).
    #[arg(long, value_name = "log-log|log|plain|logit|arcsine")]
    pub conf_type: Option<String>,
    /// Confidence level of every interval.
    #[arg(long, default_value_t = 0.95)]
    pub conf_level: f64,
    /// Conventions where SAS and R differ.
    #[arg(long, default_value = "sas", value_name = "sas|r")]
    pub convention: String,
    /// Times at which to report survival, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "T1,T2,..")]
    pub at: Vec<f64>,
    /// Quantile probabilities (p = 0.5 is the median; p is where S drops to 1 − p).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "0.25,0.5,0.75",
        value_name = "P1,P2,.."
    )]
    pub quantiles: Vec<f64>,
    /// Restricted mean survival time up to TAU.
    #[arg(long, value_name = "TAU")]
    pub rmst: Option<f64>,
    /// Fleming-Harrington test with weights S(t−)^RHO (1 − S(t−))^GAMMA.
    #[arg(long, value_delimiter = ',', num_args = 1, value_name = "RHO,GAMMA")]
    pub fh: Option<Vec<f64>>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

/// Arguments of `rwe cox`.
#[derive(Debug, Args)]
pub struct CoxArgs {
    #[command(flatten)]
    pub surv: SurvivalArgs,
    /// Covariate columns, comma-separated. Text columns are categorical (treatment contrasts);
    /// `COL:LEVEL` picks LEVEL as the reference of a categorical column.
    #[arg(long, value_delimiter = ',', required = true, value_name = "A,B[,..]")]
    pub covariates: Vec<String>,
    /// Column whose values define strata (a separate baseline hazard each).
    #[arg(long)]
    pub strata: Option<String>,
    /// Handling of tied event times (default: breslow under `sas`, efron under `r`).
    #[arg(long, value_name = "efron|breslow")]
    pub ties: Option<String>,
    /// Conventions where SAS and R differ.
    #[arg(long, default_value = "sas", value_name = "sas|r")]
    pub convention: String,
    /// Confidence level of the hazard-ratio intervals.
    #[arg(long, default_value_t = 0.95)]
    pub conf_level: f64,
    /// Treat these numeric-looking columns as categorical too, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub categorical: Vec<String>,
    /// Leave out records with a missing covariate (as R's default `na.action` does) instead of stopping with
    /// an error that lists them. The number left out is reported.
    #[arg(long)]
    pub drop_missing: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

/// Arguments of `rwe cif`.
#[derive(Debug, Args)]
pub struct CifArgs {
    #[command(flatten)]
    pub surv: SurvivalArgs,
    /// Column whose values define the groups (curves per group, Gray's test between them).
    #[arg(long)]
    pub group: Option<String>,
    /// Times at which to report the cumulative incidence, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "T1,T2,..")]
    pub at: Vec<f64>,
    /// Pointwise CI transform.
    #[arg(
        long,
        default_value = "log",
        value_name = "log|log-log|plain|logit|arcsine"
    )]
    pub conf_type: String,
    /// Confidence level.
    #[arg(long, default_value_t = 0.95)]
    pub conf_level: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

/// Arguments of `rwe prop`.
#[derive(Debug, Args)]
pub struct PropArgs {
    /// Number of successes.
    pub successes: u64,
    /// Number of trials.
    pub trials: u64,
    /// Interval method.
    #[arg(long, default_value = "exact", value_name = "exact|wilson|wilson-cc")]
    pub method: String,
    /// Confidence level.
    #[arg(long, default_value_t = 0.95)]
    pub conf_level: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}
