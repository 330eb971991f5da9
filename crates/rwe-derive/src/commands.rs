//! The study commands of the `rwe` binary (`validate`, `derive`, `explain`, `rules`) as functions that
//! return what to print and the exit status, so the binary only parses arguments.
//!
//! Exit status: 0 success, 1 invalid data (every diagnostic printed), 2 usage or I/O error (including a
//! wrong study spec).

use std::convert::Infallible;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rwe_data::{Diagnostic, Diagnostics, Loaded, Severity, SubjectId};
use rwe_spec::{SpecError, StudySpec};
use serde::Serialize;

use crate::{DatasetWriter, Datasets, derive_partitioned, derive_patient};

/// What a command prints and how it exits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Text for standard output.
    pub stdout: String,
    /// Text for standard error.
    pub stderr: String,
    /// Exit status: 0, 1 (invalid data) or 2 (usage or I/O).
    pub code: u8,
}

impl Output {
    fn ok(stdout: String) -> Output {
        Output {
            stdout,
            stderr: String::new(),
            code: 0,
        }
    }

    fn usage(stderr: String) -> Output {
        Output {
            stdout: String::new(),
            stderr,
            code: 2,
        }
    }
}

/// How `validate` prints diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// One message per line and a summary, for a person.
    #[default]
    Text,
    /// One JSON object (`diagnostics`, `errors`, `warnings`, `exclusions`).
    Json,
}

/// How far `validate` or `derive` has got in deriving the patients, for a progress bar: reported once the
/// records are read and validated, then after each partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Patients derived so far.
    pub done: usize,
    /// Patients in the records.
    pub total: usize,
}

/// The spec read and its records loaded and validated.
fn load(spec_path: &Path) -> Result<(StudySpec, Loaded), Output> {
    let spec = StudySpec::from_path(spec_path).map_err(|e| match e {
        SpecError::Io { .. } | SpecError::Invalid(_) => Output::usage(format!("{e}\n")),
    })?;
    let loaded = rwe_data::load(&spec.input_files(), &spec.validation_params())
        .map_err(|e| Output::usage(format!("{e}\n")))?;
    Ok((spec, loaded))
}

/// The records of a study loaded and validated, and, when no error stands, derived partition by partition
/// (see [`derive_partitioned`]): every diagnostic, the number of patients derived, and what `sink` made of
/// each partition's datasets. A partition's derivations are dropped once `map` has turned its datasets
/// into a `T`, so a cohort of millions is validated in the memory of its records.
fn open<T: Send, E>(
    spec_path: &Path,
    map: impl Fn(Datasets) -> T + Sync,
    mut sink: impl FnMut(T) -> Result<(), E>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Opened<E>, Output> {
    let (spec, Loaded { data, diagnostics }) = load(spec_path)?;
    let mut all = diagnostics;
    if all.has_errors() {
        return Ok(Opened {
            diagnostics: all,
            patients: None,
        });
    }
    let total = data.patients.len();
    let mut done = 0;
    progress(Progress { done, total });
    let counted = |datasets: Datasets| {
        let n = datasets.adsl.n_rows();
        (map(datasets), n)
    };
    let counting = |(t, n): (T, usize)| {
        done += n;
        progress(Progress { done, total });
        sink(t)
    };
    let derived = derive_partitioned(data, &spec, counted, counting).map(|d| {
        all.extend(d.diagnostics);
        all.sort();
        d.patients
    });
    Ok(Opened {
        diagnostics: all,
        patients: Some(derived),
    })
}

/// What [`open`] found.
struct Opened<E> {
    /// Every diagnostic: validation's, then (when no error stands) the derivation's warnings.
    diagnostics: Diagnostics,
    /// Patients derived, or the sink's error; `None` when an error stands and nothing was derived.
    patients: Option<Result<usize, E>>,
}

fn summary(d: &Diagnostics) -> String {
    format!(
        "{} error(s), {} warning(s), {} exclusion(s)",
        d.count(Severity::Error),
        d.count(Severity::Warning),
        d.count(Severity::Exclusion)
    )
}

fn lines(d: &Diagnostics) -> String {
    let mut out = String::new();
    for x in d {
        let _ = writeln!(out, "{}: {x}", x.severity);
    }
    out
}

#[derive(Serialize)]
struct JsonReport<'a> {
    diagnostics: &'a [Diagnostic],
    errors: usize,
    warnings: usize,
    exclusions: usize,
}

/// `rwe validate STUDY.toml [--format json]`: every diagnostic; exit 1 when any error stands.
#[must_use]
pub fn validate(spec_path: &Path, format: Format, progress: &mut dyn FnMut(Progress)) -> Output {
    let opened = match open(spec_path, |_| (), |()| Ok::<(), Infallible>(()), progress) {
        Ok(s) => s,
        Err(out) => return out,
    };
    let n = opened.patients.map(|Ok(n)| n);
    let d = &opened.diagnostics;
    let stdout = match format {
        Format::Text => {
            format!(
                "{}{}{}\n",
                lines(d),
                summary(d),
                n.map(|n| format!(" in {n} patient(s)")).unwrap_or_default()
            )
        }
        Format::Json => {
            let report = JsonReport {
                diagnostics: d.as_slice(),
                errors: d.count(Severity::Error),
                warnings: d.count(Severity::Warning),
                exclusions: d.count(Severity::Exclusion),
            };
            serde_json::to_string_pretty(&report).unwrap_or_default() + "\n"
        }
    };
    Output {
        stdout,
        stderr: String::new(),
        code: u8::from(d.has_errors()),
    }
}

/// `rwe derive STUDY.toml --out DIR`: ADSL, ADRS, ADTTE, ADAE as CSV and Parquet, and `validation.txt`.
/// Nothing is written while an error stands.
#[must_use]
pub fn derive(spec_path: &Path, out_dir: &Path, progress: &mut dyn FnMut(Progress)) -> Output {
    let mut writer = DatasetWriter::new(out_dir);
    let mut included = 0;
    // On the workers: each partition's CSV records and its patients in the study population.
    let map = |datasets: Datasets| {
        let csv = DatasetWriter::print(&datasets);
        let included = saffl_y(&datasets);
        (datasets, csv, included)
    };
    let sink = |(datasets, csv, n): (Datasets, [Vec<u8>; 4], usize)| {
        included += n;
        writer.append(&datasets, &csv)
    };
    let Opened {
        diagnostics,
        patients,
    } = match open(spec_path, map, sink, progress) {
        Ok(s) => s,
        Err(out) => return out,
    };
    let Some(derived) = patients else {
        return Output {
            stdout: String::new(),
            stderr: format!(
                "{}{}; nothing was derived\n",
                lines(&diagnostics),
                summary(&diagnostics)
            ),
            code: 1,
        };
    };
    let written = derived.map_err(WriteError::from).and_then(|patients| {
        let mut files = writer.finish()?;
        files.push(write_validation(&diagnostics, out_dir)?);
        Ok((patients, files))
    });
    match written {
        Ok((patients, files)) => {
            let mut stdout = format!(
                "{patients} patient(s), {included} in the study population; {}\n",
                summary(&diagnostics)
            );
            for f in files {
                let _ = writeln!(stdout, "wrote {}", f.display());
            }
            Output::ok(stdout)
        }
        Err(e) => Output::usage(format!("{e}\n")),
    }
}

/// Patients of a partition in the study population (ADSL `SAFFL` = Y).
fn saffl_y(datasets: &Datasets) -> usize {
    let adsl = &datasets.adsl;
    adsl.column("SAFFL").map_or(0, |c| {
        (0..adsl.n_rows())
            .filter(|&i| adsl.text(c, i).as_deref() == Some("Y"))
            .count()
    })
}

/// Writes the diagnostics as `validation.txt`.
fn write_validation(diagnostics: &Diagnostics, out_dir: &Path) -> Result<PathBuf, WriteError> {
    let validation = out_dir.join("validation.txt");
    let text = format!("{}{}\n", lines(diagnostics), summary(diagnostics));
    std::fs::create_dir_all(out_dir)
        .and_then(|()| std::fs::write(&validation, text))
        .map_err(|source| WriteError::Dir {
            path: validation.display().to_string(),
            source,
        })?;
    Ok(validation)
}

/// Why derived datasets could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The output directory or `validation.txt` could not be written.
    #[error("{path}: {source}")]
    Dir {
        /// The directory.
        path: String,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// A dataset file (CSV or Parquet) could not be written.
    #[error(transparent)]
    Dataset(#[from] rwe_data::WriteError),
}

/// `rwe explain STUDY.toml --subject ID [--endpoint EFS]`. Only the patient asked for is derived (a
/// derivation depends on the patient's records alone), so explaining one patient of a large cohort costs
/// reading the records, not deriving every patient.
#[must_use]
pub fn explain(spec_path: &Path, subject: &str, endpoint: Option<&str>) -> Output {
    let (spec, Loaded { data, diagnostics }) = match load(spec_path) {
        Ok(s) => s,
        Err(out) => return out,
    };
    if diagnostics.has_errors() {
        return Output {
            stdout: String::new(),
            stderr: format!(
                "{}{}; nothing was derived\n",
                lines(&diagnostics),
                summary(&diagnostics)
            ),
            code: 1,
        };
    }
    if let Some(e) = endpoint {
        const ENDPOINTS: [&str; 5] = ["EFS", "EFSCEN", "OS", "RFS", "DOR"];
        if !ENDPOINTS.contains(&e.to_ascii_uppercase().as_str()) {
            return Output::usage(format!(
                "unknown endpoint {e}: expected one of {}\n",
                ENDPOINTS.join(", ")
            ));
        }
    }
    let patients = data.into_patients();
    match patients.iter().find(|(id, _)| id.as_str() == subject) {
        Some((_, records)) => Output::ok(crate::explain::explain(
            &derive_patient(records, &spec),
            endpoint,
        )),
        None => {
            let ids: Vec<&str> = patients.keys().map(SubjectId::as_str).collect();
            let hint = rwe_data::closest(subject, &ids)
                .map(|c| format!(" (did you mean {c}?)"))
                .unwrap_or_default();
            Output::usage(format!("no patient {subject} in the study{hint}\n"))
        }
    }
}

/// `rwe rules`: the validation rule catalogue, then the derivation rules.
#[must_use]
pub fn rules() -> Output {
    Output::ok(format!(
        "Validation rules (id, severity, input read, definition)\n\n{}\nDerivation rules (cited by `rwe explain`)\n\n{}",
        rwe_data::rule::catalogue_text(),
        crate::catalogue::catalogue_text()
    ))
}
