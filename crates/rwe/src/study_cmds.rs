//! The study commands `rwe validate`, `rwe derive`, `rwe explain` and `rwe rules`: argument parsing only.
//! The work, the messages and the exit status come from `rwe_derive::commands`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use rwe_derive::commands::{self, Format, Output, Progress};

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

/// A progress bar of the patients derived, on a terminal; nothing when stderr is piped or captured.
/// Small cohorts finish before it would be drawn.
fn progress_bar(command: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "rwe {command} [{{bar:30}}] {{pos}}/{{len}} patients derived ({{eta}})"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar
}

/// Run `command` with a progress bar, cleared before its output is printed.
fn with_progress(command: &str, run: impl FnOnce(&mut dyn FnMut(Progress)) -> Output) -> ExitCode {
    let bar = progress_bar(command);
    let out = run(&mut |Progress { done, total }| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    });
    bar.finish_and_clear();
    emit(out)
}

/// Run `rwe validate`.
pub fn validate(args: &ValidateArgs) -> ExitCode {
    let format = match args.format {
        DiagnosticsFormat::Text => Format::Text,
        DiagnosticsFormat::Json => Format::Json,
    };
    with_progress("validate", |progress| {
        commands::validate(&args.spec, format, progress)
    })
}

/// Run `rwe derive`.
pub fn derive(args: &DeriveArgs) -> ExitCode {
    with_progress("derive", |progress| {
        commands::derive(&args.spec, &args.out, progress)
    })
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
