//! Synthetic cohorts in rwe's input schema (docs/data-model.md).
//!
//! [`write_seed_cohort`] writes the flagship example: 96 SYNTHETIC patients built from an explicit table of
//! archetypes ([`seed_archetypes`]) whose counts reproduce the seed paper's published Tables 1-3 and
//! treatment patterns. They are not the study's patients. [`synth`] samples those archetypes with jitter
//! to write cohorts of any size, streamed patient by patient.
//!
//! Randomness (a seeded [`SplitMix64`]) decides only what the paper leaves open: dates inside the
//! enrolment window, diagnosis dates and lab values. The same seed gives byte-identical files.

mod archetype;
mod records;
mod splitmix;

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

pub use archetype::{
    AdverseEvent, Archetype, Death, MrdAfter, Population, PreTherapy, Response, Setting, Step,
    Therapy, seed_archetypes, spread,
};
pub use splitmix::SplitMix64;

use records::{Emitter, LabScale};

/// The study id of the seed cohort.
pub const SEED_STUDY_ID: &str = "RWE-BLINA-SYNTH";
/// The generator seed of the seed cohort's dates and lab values.
pub const SEED_COHORT_SEED: u64 = 20_240_301;
/// The study id written by [`synth`].
pub const SYNTH_STUDY_ID: &str = "RWE-SYNTH";

/// The input files written, in the order of the data model.
pub const FILES: [&str; 9] = [
    "patients.csv",
    "baseline_labs.csv",
    "genetic_findings.csv",
    "exposures.csv",
    "cellular_procedures.csv",
    "response_assessments.csv",
    "disease_events.csv",
    "adverse_events.csv",
    "contacts.csv",
];

/// Why a cohort could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// A file or folder could not be created or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A CSV record could not be written.
    #[error("{path}: {source}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: csv::Error,
    },
}

fn open(dir: &Path) -> Result<Emitter<BufWriter<File>>, SynthError> {
    std::fs::create_dir_all(dir).map_err(|source| SynthError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut writers = Vec::with_capacity(FILES.len());
    for name in FILES {
        let path = dir.join(name);
        let file = File::create(&path).map_err(|source| SynthError::Io {
            path: path.clone(),
            source,
        })?;
        writers.push((path, csv::Writer::from_writer(BufWriter::new(file))));
    }
    Emitter::new(writers)
}

/// Write the seed cohort's nine CSV files into `dir` (created if needed; files replaced).
///
/// # Errors
/// [`SynthError`] when `dir` or a file cannot be created or written.
pub fn write_seed_cohort(dir: &Path) -> Result<(), SynthError> {
    let people = seed_archetypes();
    let mut rng = SplitMix64::new(SEED_COHORT_SEED);
    let scale = LabScale::fitted(&people, &mut SplitMix64::new(SEED_COHORT_SEED ^ 0x1AB5));
    let mut out = open(dir)?;
    for (i, p) in people.iter().enumerate() {
        out.patient(
            SEED_STUDY_ID,
            &format!("S{:03}", i + 1),
            p,
            &mut rng,
            &scale,
        )?;
    }
    out.finish()
}

/// Write a cohort of `n` patients into `dir`: archetypes of the seed cohort drawn with replacement, their
/// times stretched by up to 15 % and ages moved by up to 2 years, plus a `study.toml` naming the files.
/// Patients are streamed one by one; `progress` is called with the number written so far.
///
/// # Errors
/// [`SynthError`] when `dir` or a file cannot be created or written.
pub fn synth(
    n: usize,
    seed: u64,
    dir: &Path,
    progress: &mut dyn FnMut(usize),
) -> Result<(), SynthError> {
    let people = seed_archetypes();
    let mut rng = SplitMix64::new(seed);
    let scale = LabScale::unscaled();
    let mut out = open(dir)?;
    for i in 0..n {
        let base = &people[rng.below(people.len() as u64) as usize];
        let p = jitter(base, &mut rng);
        out.patient(
            SYNTH_STUDY_ID,
            &format!("P{:06}", i + 1),
            &p,
            &mut rng,
            &scale,
        )?;
        if (i + 1) % 1000 == 0 || i + 1 == n {
            progress(i + 1);
        }
    }
    out.finish()?;
    let spec = dir.join("study.toml");
    std::fs::write(&spec, study_toml(SYNTH_STUDY_ID, "", n))
        .map_err(|source| SynthError::Io { path: spec, source })
}

/// The longest follow-up a jittered patient may have: last contact on the data cut-off with the first
/// infusion on the first day of enrolment is 730 days.
const MAX_FOLLOWUP: i32 = 700;

fn jitter(base: &Archetype, rng: &mut SplitMix64) -> Archetype {
    let mut p = base.clone();
    let f = 1.0 + 0.15 * rng.unit();
    let stretch = |d: i32| ((d as f64 * f).round() as i32).min(MAX_FOLLOWUP);
    p.followup = stretch(p.followup);
    p.relapse_day = p.relapse_day.map(|d| stretch(d).min(p.followup));
    for step in &mut p.path {
        step.day = stretch(step.day).min(p.followup);
    }
    if let Some(d) = p.death.as_mut() {
        d.day = p.followup;
    }
    let shift = rng.below(5) as i64 - 2;
    p.age = (p.age as i64 + shift).clamp(1, 100) as u32;
    p
}

/// A study spec (TOML) naming the nine files under `prefix` (empty or ending in '/').
pub fn study_toml(study_id: &str, prefix: &str, patients: usize) -> String {
    let mut s = format!(
        "# A SYNTHETIC cohort of {patients} patients written by `rwe synth` (not real patients).\n\
         [study]\nid = \"{study_id}\"\ntitle = \"Blinatumomab in B-ALL: synthetic cohort\"\n\
         enrolment_start = 2021-08-01\nenrolment_end = 2023-06-30\ndata_cutoff = 2023-07-31\n\n[inputs]\n"
    );
    for f in FILES {
        let key = f.trim_end_matches(".csv");
        s.push_str(&format!("{key} = \"{prefix}{f}\"\n"));
    }
    s
}
