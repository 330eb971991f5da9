//! `rwe run STUDY.toml [--out DIR]`: argument parsing and progress only; the pipeline is
//! `rwe_report::run`.

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use rwe_report::{RunError, RunOptions, Stage};

/// The environment variable that fixes the run time in `provenance.json`, like `--fixed-time`.
pub const FIXED_TIME_ENV: &str = "RWE_FIXED_TIME";

/// `rwe run STUDY.toml [--out DIR] [--fixed-time TIME]`
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The study spec (TOML; see docs/study-spec.md), with its [[tables]] and [[figures]].
    pub spec: PathBuf,
    /// The report folder [default: a folder named `report` next to STUDY.toml]. It is written to a
    /// temporary sibling and moved into place when complete; an earlier report there is replaced, any other
    /// non-empty folder is refused.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write this run time (UTC, YYYY-MM-DDTHH:MM:SSZ) into provenance.json instead of the clock's, so two
    /// runs give byte-identical folders [env: RWE_FIXED_TIME].
    #[arg(long, value_name = "TIME")]
    pub fixed_time: Option<String>,
}

/// True for `YYYY-MM-DDTHH:MM:SSZ`.
fn is_utc_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 20
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b'T',
            13 | 16 => c == b':',
            19 => c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

/// Run `rwe run`.
pub fn run(args: &RunArgs) -> ExitCode {
    let fixed = args
        .fixed_time
        .clone()
        .or_else(|| std::env::var(FIXED_TIME_ENV).ok().filter(|s| !s.is_empty()));
    if let Some(t) = &fixed
        && !is_utc_time(t)
    {
        eprintln!("rwe: fixed time {t}: expected a UTC time like 2024-01-31T12:00:00Z");
        return ExitCode::from(2);
    }
    let options = RunOptions {
        out: args.out.clone(),
        run_time: fixed,
    };
    // A progress bar on a terminal; nothing when stderr is piped or captured.
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(Stage::ALL.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{prefix:.bold} [{bar:20}] {pos}/{len} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_prefix("rwe run");
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut started = 0u64;
    let result = rwe_report::run(&args.spec, &options, &mut |stage| {
        bar.set_position(started);
        bar.set_message(stage.describe());
        started += 1;
    });
    bar.finish_and_clear();
    match result {
        Ok(summary) => {
            let d = &summary.diagnostics;
            println!(
                "{} patient(s) in the study population; {} warning(s), {} exclusion(s) (validation.txt)",
                summary.patients,
                d.count(rwe_data::Severity::Warning),
                d.count(rwe_data::Severity::Exclusion)
            );
            println!("report: {}", summary.out.join("report.html").display());
            ExitCode::SUCCESS
        }
        Err(RunError::Invalid(diagnostics)) => {
            eprint!("{}", rwe_report::validation_text(&diagnostics));
            eprintln!("rwe: {}", RunError::Invalid(diagnostics.clone()));
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("rwe: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_times_are_utc_seconds() {
        assert!(is_utc_time("2024-01-31T12:00:00Z"));
        assert!(!is_utc_time("2024-01-31 12:00:00"));
        assert!(!is_utc_time("2024-01-31T12:00:00+01:00"));
    }
}
