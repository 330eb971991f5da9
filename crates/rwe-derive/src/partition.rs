//! A cohort derived in partitions of patients on all cores, for cohorts too large to hold every
//! derivation (and its traces) at once.
//!
//! The patients are cut, in subject order, into partitions of [`PARTITION_PATIENTS`]. Worker threads
//! derive a partition, build its analysis datasets and pass them through the caller's `map`; the results
//! reach the caller's `sink` on the calling thread in subject order. A partition's derivations, with their
//! traces, are dropped as soon as its datasets are built, so memory holds the records not yet derived and a
//! few partitions in flight, not the cohort's derivations. Because [`derive_patient`] shares no state
//! between patients, the rows are those of [`crate::derive_cohort`], in the same order.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, mpsc};

use std::path::{Path, PathBuf};

use rwe_data::{Diagnostic, PatientRecords, StudyData, TableFiles, WriteError};
use rwe_spec::StudySpec;

use crate::adam::{Datasets, PatientDerivation};
use crate::patient::derive_patient;

/// Patients per partition. Fixed (not a function of the number of cores), so that output written part
/// by part, such as Parquet pages, is the same on every machine.
pub const PARTITION_PATIENTS: usize = 1024;

/// What a partitioned derivation found besides the datasets.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    /// Patients derived (the rows of ADSL).
    pub patients: usize,
    /// Warnings from all patients, sorted by file, row and column.
    pub diagnostics: Vec<Diagnostic>,
}

/// One partition's result on its way to the sink.
struct Done<T> {
    index: usize,
    result: T,
    diagnostics: Vec<Diagnostic>,
    patients: usize,
}

/// Derive every patient of a study (records of unknown subjects are ignored, as by
/// [`crate::derive_cohort`]) partition by partition: `map` turns each partition's datasets into a `T` on
/// a worker thread, and `sink` receives the `T`s on the calling thread in subject order. The first error
/// of `sink` stops the derivation and is returned.
///
/// # Errors
/// The first error returned by `sink`.
pub fn derive_partitioned<T, E>(
    data: StudyData,
    spec: &StudySpec,
    map: impl Fn(Datasets) -> T + Sync,
    mut sink: impl FnMut(T) -> Result<(), E>,
) -> Result<Derived, E>
where
    T: Send,
{
    let patients = data.into_patients();
    let total = patients.len();
    let partitions = total.div_ceil(PARTITION_PATIENTS).max(1);
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(partitions);
    // Partitions are taken in order from one queue; `next` is the index of the next one.
    let queue = Mutex::new((0usize, patients.into_values()));
    let stop = AtomicBool::new(false);
    let study_id = spec.study.id.as_str();
    let work = |records: Vec<PatientRecords>| {
        let derived: Vec<PatientDerivation> =
            records.iter().map(|r| derive_patient(r, spec)).collect();
        drop(records);
        let mut diagnostics: Vec<Diagnostic> = derived
            .iter()
            .flat_map(|p| p.diagnostics.iter().cloned())
            .collect();
        diagnostics.sort();
        let datasets = Datasets::new(study_id, &derived);
        (map(datasets), diagnostics, derived.len())
    };
    let take = || -> Option<(usize, Vec<PatientRecords>)> {
        if stop.load(Ordering::Relaxed) {
            return None;
        }
        // A worker that panicked while holding the lock leaves the queue usable: the panic itself
        // reaches the caller when the scope ends.
        let mut q = queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let index = q.0;
        if index >= partitions {
            return None;
        }
        q.0 += 1;
        Some((index, q.1.by_ref().take(PARTITION_PATIENTS).collect()))
    };

    let mut diagnostics = Vec::new();
    let mut derived_patients = 0;
    let outcome = std::thread::scope(|scope| {
        // Bounded, so that workers wait while the sink is behind instead of piling up partitions.
        let (tx, rx) = mpsc::sync_channel::<Done<T>>(workers);
        for _ in 0..workers {
            let tx = tx.clone();
            let (take, work) = (&take, &work);
            scope.spawn(move || {
                while let Some((index, records)) = take() {
                    let (result, diagnostics, patients) = work(records);
                    let done = Done {
                        index,
                        result,
                        diagnostics,
                        patients,
                    };
                    if tx.send(done).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Results arrive in any order; they are handed on in partition order.
        let mut pending: BTreeMap<usize, Done<T>> = BTreeMap::new();
        let mut next = 0;
        for done in &rx {
            pending.insert(done.index, done);
            while let Some(done) = pending.remove(&next) {
                next += 1;
                diagnostics.extend(done.diagnostics);
                derived_patients += done.patients;
                if let Err(e) = sink(done.result) {
                    stop.store(true, Ordering::Relaxed);
                    return Err(e);
                }
            }
        }
        Ok(())
    });
    outcome?;
    diagnostics.sort();
    Ok(Derived {
        patients: derived_patients,
        diagnostics,
    })
}

/// The four analysis datasets written into a folder as `NAME.csv` and `NAME.parquet`, partition by
/// partition: [`DatasetWriter::print`] prints a partition's CSV records (on a worker thread, in the `map`
/// of [`derive_partitioned`]), [`DatasetWriter::append`] writes them and the Parquet rows (in its `sink`).
/// The files are created with the first partition. The CSV files are those of the whole cohort written at
/// once; a cohort of one partition also gives the same Parquet bytes.
#[derive(Debug)]
pub struct DatasetWriter {
    dir: PathBuf,
    files: Option<Vec<TableFiles>>,
}

impl DatasetWriter {
    /// A writer into `dir`; the folder and the files are created with the first partition.
    #[must_use]
    pub fn new(dir: &Path) -> DatasetWriter {
        DatasetWriter {
            dir: dir.to_path_buf(),
            files: None,
        }
    }

    /// The CSV records (no header) of each dataset of a partition, in [`Datasets::named`] order.
    #[must_use]
    pub fn print(datasets: &Datasets) -> [Vec<u8>; 4] {
        let mut csv: [Vec<u8>; 4] = Default::default();
        for ((_, table), out) in datasets.named().into_iter().zip(&mut csv) {
            // Writing into memory cannot fail.
            let _ = rwe_data::write_csv_rows(&mut *out, table);
        }
        csv
    }

    /// Appends one partition: its datasets and their records printed by [`DatasetWriter::print`].
    ///
    /// # Errors
    /// [`WriteError`] when a file cannot be created or written.
    pub fn append(&mut self, datasets: &Datasets, csv: &[Vec<u8>; 4]) -> Result<(), WriteError> {
        let named = datasets.named();
        let files = match &mut self.files {
            Some(f) => f,
            None => {
                std::fs::create_dir_all(&self.dir).map_err(|source| WriteError::Io {
                    path: self.dir.display().to_string(),
                    source,
                })?;
                self.files.insert(
                    named
                        .iter()
                        .map(|(name, table)| TableFiles::create(&self.dir, name, table))
                        .collect::<Result<Vec<_>, _>>()?,
                )
            }
        };
        for ((f, (_, table)), bytes) in files.iter_mut().zip(named).zip(csv) {
            f.append(bytes, table)?;
        }
        Ok(())
    }

    /// Closes the files; their paths (CSV then Parquet, dataset by dataset).
    ///
    /// # Errors
    /// [`WriteError`] when a file cannot be completed.
    pub fn finish(self) -> Result<Vec<PathBuf>, WriteError> {
        let mut written = Vec::new();
        for f in self.files.into_iter().flatten() {
            written.extend(f.finish()?);
        }
        Ok(written)
    }
}
