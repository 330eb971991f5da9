//! The `rwe` command: glue between the command line and the library crates.
//!
//! Exit status: 0 success, 1 invalid data (every diagnostic printed), 2 usage or I/O error.

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;
use rwe_data::Diagnostic;

mod cif_cmd;
mod cli;
mod console;
mod cox_cmd;
mod km_cmd;
mod km_report;
mod prop_cmd;
mod run_cmd;
mod study_cmds;
mod survival_input;
mod synth_cmd;

use cli::{Cli, Command};

/// mimalloc instead of the system allocator: `rwe run` allocates many small values (records, traces)
/// on one thread and frees them on others, where glibc's allocator spends a third of the time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use survival_input::InputError;

/// Why a command failed, which decides the exit status.
#[derive(Debug)]
pub enum Failure {
    /// The data broke rules: every diagnostic, exit 1.
    Invalid(Vec<Diagnostic>),
    /// A usage or I/O error: one message, exit 2.
    Usage(String),
}

impl Failure {
    /// A usage error with this message.
    pub fn usage(msg: impl Into<String>) -> Self {
        Failure::Usage(msg.into())
    }
}

/// Map an input problem to the failure that reports it.
pub fn input_failure(e: InputError) -> Failure {
    match e {
        InputError::Invalid(d) => Failure::Invalid(d),
        InputError::Read(e) => Failure::Usage(e.to_string()),
        InputError::Stats(e) => Failure::Usage(e.to_string()),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Run(args) => return run_cmd::run(args),
        Command::Validate(args) => return study_cmds::validate(args),
        Command::Derive(args) => return study_cmds::derive(args),
        Command::Explain(args) => return study_cmds::explain(args),
        Command::Rules => return study_cmds::rules(),
        Command::Km(args) => km_cmd::run(args),
        Command::Cox(args) => cox_cmd::run(args),
        Command::Cif(args) => cif_cmd::run(args),
        Command::Prop(args) => prop_cmd::run(args),
        Command::Synth(args) => synth_cmd::run(args),
    };
    match result {
        Ok(text) => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`rwe km … | head`) is not an error worth reporting.
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
            ExitCode::SUCCESS
        }
        Err(Failure::Invalid(mut diagnostics)) => {
            // In the order a data manager works through them: file, row, column.
            diagnostics.sort();
            let mut err = std::io::stderr().lock();
            for d in &diagnostics {
                let _ = writeln!(err, "{d}");
            }
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == rwe_data::Severity::Error)
                .count();
            let _ = writeln!(
                err,
                "rwe: {errors} error(s) in the input; nothing was computed"
            );
            ExitCode::from(1)
        }
        Err(Failure::Usage(msg)) => {
            let _ = writeln!(std::io::stderr(), "rwe: {msg}");
            ExitCode::from(2)
        }
    }
}
