//! `rwe synth`: write a synthetic cohort in the input schema (SYNTHETIC patients, never real ones).

use std::io::IsTerminal as _;
use std::path::PathBuf;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::Failure;

/// `rwe synth (--patients N [--seed S] | --seed-study) --out DIR`
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Number of patients, sampled from the seed study's archetypes with jitter.
    #[arg(
        long,
        required_unless_present = "seed_study",
        conflicts_with = "seed_study"
    )]
    pub patients: Option<usize>,
    /// Seed of the random generator (same seed, same files).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write the seed study's 96 synthetic patients (examples/blinatumomab/data) instead.
    #[arg(long)]
    pub seed_study: bool,
    /// Output folder (created if needed; files in it are replaced).
    #[arg(long)]
    pub out: PathBuf,
}

/// Run `rwe synth`: the summary line on success.
///
/// # Errors
/// [`Failure::Usage`] when the folder or a file cannot be written.
pub fn run(args: &SynthArgs) -> Result<String, Failure> {
    let fail = |e: rwe_synth::SynthError| Failure::usage(e.to_string());
    if args.seed_study {
        rwe_synth::write_seed_cohort(&args.out).map_err(fail)?;
        return Ok(format!(
            "wrote the seed study's 96 synthetic patients to {}\n",
            args.out.display()
        ));
    }
    let n = args.patients.unwrap_or(0);
    // Patients written so far, on a terminal; nothing when stderr is piped or captured.
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(n as u64);
        bar.set_style(
            ProgressStyle::with_template("rwe synth [{bar:30}] {pos}/{len} patients ({eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let result = rwe_synth::synth(n, args.seed, &args.out, &mut |done| {
        bar.set_position(done as u64)
    });
    bar.finish_and_clear();
    result.map_err(fail)?;
    Ok(format!(
        "wrote {n} synthetic patients (seed {}) and study.toml to {}\n",
        args.seed,
        args.out.display()
    ))
}
