//! The study commands of the `rwe` binary (`validate`, `derive`, `explain`, `rules`) as functions that
//! return what to print and the exit status, so the binary only parses arguments.
//!
//! Exit status: 0 success, 1 invalid data (every diagnostic printed), 2 usage or I/O error (including a
//! wrong study spec).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rwe_data::{Diagnostic, Diagnostics, Loaded, Severity, SubjectId, write_csv};
use rwe_spec::{SpecError, StudySpec};
use serde::Serialize;

use crate::{Cohort, derive_cohort, derive_patient};

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

/// A spec read and its data loaded and validated, with derivation warnings when there is no error.
struct Study {
    spec: StudySpec,
    diagnostics: Diagnostics,
    cohort: Option<Cohort>,
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

fn open(spec_path: &Path) -> Result<Study, Output> {
    let (spec, Loaded { data, diagnostics }) = load(spec_path)?;
    let mut all = diagnostics;
    let cohort = if all.has_errors() {
        None
    } else {
        let cohort = derive_cohort(data, &spec);
        all.extend(cohort.diagnostics.iter().cloned());
        all.sort();
        Some(cohort)
    };
    Ok(Study {
        spec,
        diagnostics: all,
        cohort,
    })
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
pub fn validate(spec_path: &Path, format: Format) -> Output {
    let study = match open(spec_path) {
        Ok(s) => s,
        Err(out) => return out,
    };
    let d = &study.diagnostics;
    let stdout = match format {
        Format::Text => {
            let n = study.cohort.as_ref().map(|c| c.patients.len());
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
pub fn derive(spec_path: &Path, out_dir: &Path) -> Output {
    let study = match open(spec_path) {
        Ok(s) => s,
        Err(out) => return out,
    };
    let Some(cohort) = study.cohort else {
        return Output {
            stdout: String::new(),
            stderr: format!(
                "{}{}; nothing was derived\n",
                lines(&study.diagnostics),
                summary(&study.diagnostics)
            ),
            code: 1,
        };
    };
    match write(&cohort, &study.spec, &study.diagnostics, out_dir) {
        Ok(files) => {
            let included = cohort
                .patients
                .iter()
                .filter(|p| p.adsl.value("SAFFL") == "Y")
                .count();
            let mut stdout = format!(
                "{} patient(s), {included} in the study population; {}\n",
                cohort.patients.len(),
                summary(&study.diagnostics)
            );
            for f in files {
                let _ = writeln!(stdout, "wrote {}", f.display());
            }
            Output::ok(stdout)
        }
        Err(e) => Output::usage(format!("{e}\n")),
    }
}

/// Why derived datasets could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The output directory could not be created.
    #[error("{path}: {source}")]
    Dir {
        /// The directory.
        path: String,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// A CSV file could not be written.
    #[error(transparent)]
    Csv(#[from] rwe_data::CsvWriteError),
    /// A Parquet file could not be written.
    #[error(transparent)]
    Parquet(#[from] rwe_data::WriteError),
}

/// Write the datasets of a cohort as CSV and Parquet, and the diagnostics as `validation.txt`.
///
/// # Errors
/// [`WriteError`] when a file cannot be written.
pub fn write(
    cohort: &Cohort,
    spec: &StudySpec,
    diagnostics: &Diagnostics,
    out_dir: &Path,
) -> Result<Vec<PathBuf>, WriteError> {
    std::fs::create_dir_all(out_dir).map_err(|source| WriteError::Dir {
        path: out_dir.display().to_string(),
        source,
    })?;
    let datasets = cohort.datasets(&spec.study.id);
    let mut files = Vec::new();
    for (name, table) in datasets.named() {
        let csv = out_dir.join(format!("{name}.csv"));
        write_csv(&csv, table)?;
        files.push(csv);
        let pq = out_dir.join(format!("{name}.parquet"));
        rwe_data::write_parquet(&pq, table)?;
        files.push(pq);
    }
    let validation = out_dir.join("validation.txt");
    let text = format!("{}{}\n", lines(diagnostics), summary(diagnostics));
    std::fs::write(&validation, text).map_err(|source| WriteError::Dir {
        path: validation.display().to_string(),
        source,
    })?;
    files.push(validation);
    Ok(files)
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
