//! The study commands `rwe validate`, `rwe derive`, `rwe explain` and `rwe rules`: argument parsing only.
//! The work, the messages and the exit status come from `rwe_derive::commands`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use rwe_derive::commands::{self, Format, Output};

/// `rwe validate STUDY.toml [--format text|json]`
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The study spec (TOML; see docs/study-spec.md).
    pub spec: PathBuf,
    /// How to print the diagnostics.
    #[arg(long, value_enum, default_value_t = DiagnosticsFormat::Text)]
    pub format: DiagnosticsFormat,
}

/// How `validate` prints diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticsFormat {
    /// One message per line and a summary.
    Text,
    /// One JSON object.
    Json,
}

/// `rwe derive STUDY.toml --out DIR`
#[derive(Debug, Args)]
pub struct DeriveArgs {
    /// The study spec (TOML; see docs/study-spec.md).
    pub spec: PathBuf,
    /// Directory for adsl, adrs, adtte, adae (.csv and .parquet) and validation.txt.
    #[arg(long)]
    pub out: PathBuf,
}

/// `rwe explain STUDY.toml --subject ID [--endpoint EFS]`
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The study spec (TOML; see docs/study-spec.md).
    pub spec: PathBuf,
    /// The patient (USUBJID).
    #[arg(long)]
    pub subject: String,
    /// Only this endpoint: EFS, EFSCEN, OS, RFS or DOR.
    #[arg(long)]
    pub endpoint: Option<String>,
}

fn emit(out: Output) -> ExitCode {
    print!("{}", out.stdout);
    if out.code == 2 {
        // A usage or I/O error is one message, prefixed like the other commands' (`rwe: …`).
        eprint!("rwe: {}", out.stderr);
    } else {
        eprint!("{}", out.stderr);
    }
    ExitCode::from(out.code)
}

/// Run `rwe validate`.
pub fn validate(args: &ValidateArgs) -> ExitCode {
    let format = match args.format {
        DiagnosticsFormat::Text => Format::Text,
        DiagnosticsFormat::Json => Format::Json,
    };
    emit(commands::validate(&args.spec, format))
}

/// Run `rwe derive`.
pub fn derive(args: &DeriveArgs) -> ExitCode {
    emit(commands::derive(&args.spec, &args.out))
}

/// Run `rwe explain`.
pub fn explain(args: &ExplainArgs) -> ExitCode {
    emit(commands::explain(
        &args.spec,
        &args.subject,
        args.endpoint.as_deref(),
    ))
}

/// Run `rwe rules`.
pub fn rules() -> ExitCode {
    emit(commands::rules())
}
