//! `rwe run`: the whole pipeline from a study spec to the report folder of `design.md`.
//!
//! ```text
//! OUT/
//!   report.html          self-contained (figures inline), readable offline
//!   tables/              table1.{csv,md,docx,xlsx} … one file per table and format (Sankey path tables too)
//!   figures/             fig1_treatment_patterns_nd.{svg,png}, fig2_km_efs.{svg,png}, …
//!   ard/                 ard.csv, ard.json: the unrounded numbers behind every table and figure
//!   data/                adsl, adrs, adtte, adae as .csv and .parquet
//!   validation.txt       every diagnostic, warnings included
//!   provenance.json      rwe version, spec hash, input file hashes, conventions, run time
//! ```
//!
//! Nothing is written while a validation error stands. The folder is written to a hidden sibling and
//! renamed into place when complete.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rwe_data::{Diagnostic, Diagnostics, ReadError, Severity};
use rwe_derive::{DatasetWriter, Datasets, Derived, derive_partitioned};
use rwe_render::{DocxOptions, PngOptions, RenderError, svg_to_png};
use rwe_spec::{SpecError, StudySpec};

use crate::analysis_set::{AnalysisBuilder, AnalysisPart, AnalysisSet};
use crate::error::ReportError;
use crate::outputs::{Outputs, analyse_set};
use crate::provenance::{self, Provenance};
use crate::{ard, check_spec, folder, methods, page, reproduction};

/// A stage of the pipeline, reported as it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading the spec and the records, validating them.
    Validate,
    /// Deriving ADSL, ADRS, ADTTE and ADAE.
    Derive,
    /// Computing the declared statistics.
    Analyse,
    /// Drawing and formatting the tables, figures and the page.
    Render,
    /// Writing the folder.
    Write,
}

impl Stage {
    /// Every stage, in order.
    pub const ALL: [Stage; 5] = [
        Stage::Validate,
        Stage::Derive,
        Stage::Analyse,
        Stage::Render,
        Stage::Write,
    ];

    /// What the stage does, for a progress line.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Stage::Validate => "validating the records",
            Stage::Derive => "deriving the analysis datasets",
            Stage::Analyse => "computing the statistics",
            Stage::Render => "drawing the tables and figures",
            Stage::Write => "writing the report folder",
        }
    }
}

/// Options of a run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// The report folder; [`default_out`] when `None`.
    pub out: Option<PathBuf>,
    /// The run time written to `provenance.json` (for byte-identical test runs); the clock when `None`.
    pub run_time: Option<String>,
}

/// What a run wrote.
#[derive(Debug, Clone)]
pub struct RunSummary {
    /// The report folder.
    pub out: PathBuf,
    /// Every file written, in the folder.
    pub files: Vec<PathBuf>,
    /// Warnings and exclusions (no error).
    pub diagnostics: Diagnostics,
    /// Patients in the study population.
    pub patients: usize,
}

/// Why a run stopped. [`RunError::exit_code`] maps it to the exit status of `design.md`.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The spec cannot be read or is wrong.
    #[error(transparent)]
    Spec(#[from] SpecError),
    /// A table or figure declaration names something the datasets do not have.
    #[error("{0}")]
    Declaration(Diagnostic),
    /// An input file cannot be opened or is not of its format.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The records break validation rules; every diagnostic is here.
    #[error("{} error(s) in the records; nothing was written", .0.count(Severity::Error))]
    Invalid(Diagnostics),
    /// A statistic could not be computed.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// A table or figure could not be rendered.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The reproduction oracle is malformed.
    #[error("{path}: {source}")]
    Oracle {
        /// The oracle file.
        path: String,
        /// What is wrong, with the line and column.
        #[source]
        source: crate::reproduction::OracleError,
    },
    /// An analysis dataset could not be written.
    #[error(transparent)]
    Write(#[from] rwe_data::WriteError),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: String,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The output folder exists and is not a report folder, so it is not replaced.
    #[error("{path} exists and is not a report folder (no provenance.json); choose another --out")]
    OutputNotReport {
        /// The folder.
        path: String,
    },
}

impl RunError {
    /// 1 for invalid records, 2 for everything else (usage, spec, I/O).
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            RunError::Invalid(_) => 1,
            _ => 2,
        }
    }
}

/// The default report folder: `report` next to the spec.
#[must_use]
pub fn default_out(spec_path: &Path) -> PathBuf {
    match spec_path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.join("report"),
        _ => PathBuf::from("report"),
    }
}

/// Every diagnostic, one per line, and the summary line (as `rwe validate` prints them).
#[must_use]
pub fn validation_text(d: &Diagnostics) -> String {
    let mut out = String::new();
    for x in d {
        let _ = writeln!(out, "{}: {x}", x.severity);
    }
    let _ = writeln!(
        out,
        "{} error(s), {} warning(s), {} exclusion(s)",
        d.count(Severity::Error),
        d.count(Severity::Warning),
        d.count(Severity::Exclusion)
    );
    out
}

/// One file of the folder: its path inside it and its bytes.
type File = (String, Vec<u8>);

/// Renders every file of the report but the datasets.
fn render(
    spec: &StudySpec,
    outputs: &Outputs,
    diagnostics: &Diagnostics,
    provenance: &Provenance,
) -> Result<Vec<File>, RunError> {
    let mut files: Vec<File> = Vec::new();
    let mut tables: Vec<&rwe_render::Table> = outputs.tables.iter().collect();
    tables.extend(outputs.figures.iter().filter_map(|f| f.table.as_ref()));
    for t in tables {
        files.push((format!("tables/{}.csv", t.id), t.to_csv()?.into_bytes()));
        files.push((format!("tables/{}.md", t.id), t.to_markdown()?.into_bytes()));
        let docx = DocxOptions {
            landscape: t.column_count() > 5,
            ..DocxOptions::default()
        };
        files.push((format!("tables/{}.docx", t.id), t.to_docx(&docx)?));
        files.push((format!("tables/{}.xlsx", t.id), t.to_xlsx()?));
    }
    let mut svgs = Vec::with_capacity(outputs.figures.len());
    for f in &outputs.figures {
        svgs.push(f.to_svg(&outputs.settings)?);
    }
    for (f, png) in outputs.figures.iter().zip(rasterise(&svgs)) {
        files.push((format!("figures/{}.png", f.id), png?));
    }
    for (f, svg) in outputs.figures.iter().zip(&svgs) {
        files.push((format!("figures/{}.svg", f.id), svg.clone().into_bytes()));
    }
    let csv = ard::to_csv(&outputs.ard).map_err(|e| RunError::Io {
        path: "ard/ard.csv".into(),
        source: std::io::Error::other(e),
    })?;
    files.push(("ard/ard.csv".into(), csv.into_bytes()));
    let json = ard::to_json(&outputs.ard).map_err(|e| RunError::Io {
        path: "ard/ard.json".into(),
        source: std::io::Error::other(e),
    })?;
    files.push(("ard/ard.json".into(), json.into_bytes()));
    let appendix = match spec.oracle_path() {
        Some(path) => {
            let comparisons = reproduction(&path, outputs)?;
            let csv = reproduction::to_csv(&comparisons).map_err(|e| RunError::Io {
                path: "reproduction.csv".into(),
                source: std::io::Error::other(e),
            })?;
            files.push(("reproduction.csv".into(), csv.into_bytes()));
            Some(reproduction::appendix_table(&comparisons))
        }
        None => None,
    };
    let methods = methods::methods(spec, &outputs.settings);
    let html = page::report_page(
        spec,
        outputs,
        &svgs,
        &methods,
        diagnostics,
        provenance,
        appendix,
    )?;
    files.push(("report.html".into(), html.into_bytes()));
    files.push((
        "validation.txt".into(),
        validation_text(diagnostics).into_bytes(),
    ));
    let mut prov = serde_json::to_string_pretty(provenance).map_err(|e| RunError::Io {
        path: "provenance.json".into(),
        source: std::io::Error::other(e),
    })?;
    prov.push('\n');
    files.push(("provenance.json".into(), prov.into_bytes()));
    files.sort();
    Ok(files)
}

/// Every SVG as PNG, in order, drawn on all cores (rasterising is most of the time of a small study).
fn rasterise(svgs: &[String]) -> Vec<Result<Vec<u8>, RenderError>> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let per_thread = svgs.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = svgs
            .chunks(per_thread)
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|svg| svg_to_png(svg, &PngOptions::default()))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(pngs) => pngs,
                // A panic while drawing is a bug; it is passed on as it is.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}

/// Reads the oracle and compares it with the ARD, printing through the report's formatter.
fn reproduction(path: &Path, outputs: &Outputs) -> Result<Vec<reproduction::Comparison>, RunError> {
    let text = std::fs::read_to_string(path).map_err(|source| RunError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let oracle = reproduction::read_oracle(&text).map_err(|source| RunError::Oracle {
        path: path.display().to_string(),
        source,
    })?;
    Ok(reproduction::reproduce(
        &oracle,
        &outputs.ard,
        &outputs.settings.formatter,
    ))
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> RunError + use<> {
    let path = path.display().to_string();
    move |source| RunError::Io { path, source }
}

fn write_files(dir: &Path, files: &[File]) -> Result<Vec<PathBuf>, RunError> {
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(io_error(&path))?;
        written.push(path);
    }
    Ok(written)
}

/// What the derivation of a partition is turned into on its worker thread: the datasets (for Parquet),
/// their records printed as CSV, and what the analyses keep of them.
type Partition = (Datasets, [Vec<u8>; 4], AnalysisPart);

/// Derives the cohort partition by partition on all cores, writing the analysis datasets into
/// `dir/data` as each partition is done and keeping only what the analyses read.
fn derive_into(
    dir: &Path,
    spec: &StudySpec,
    data: rwe_data::StudyData,
) -> Result<(AnalysisSet, Derived, Vec<PathBuf>), RunError> {
    let mut writer = DatasetWriter::new(&dir.join("data"));
    let mut analysis = AnalysisBuilder::default();
    let partition = |datasets: Datasets| -> Result<Partition, RunError> {
        let part = AnalysisPart::new(&datasets)?;
        let csv = DatasetWriter::print(&datasets);
        Ok((datasets, csv, part))
    };
    let derived = derive_partitioned(data, spec, partition, |done| {
        let (datasets, csv, part) = done?;
        writer.append(&datasets, &csv)?;
        analysis.push(part);
        Ok::<(), RunError>(())
    })?;
    let written = writer.finish()?;
    Ok((analysis.finish(), derived, written))
}

/// Runs the whole pipeline and writes the report folder, calling `progress` as each stage starts.
///
/// # Errors
/// [`RunError`]: a wrong spec or declaration, unreadable inputs, invalid records (every diagnostic, and
/// nothing written), or a file that cannot be written.
pub fn run(
    spec_path: &Path,
    options: &RunOptions,
    progress: &mut dyn FnMut(Stage),
) -> Result<RunSummary, RunError> {
    progress(Stage::Validate);
    let spec = StudySpec::from_path(spec_path)?;
    check_spec(&spec).map_err(RunError::Declaration)?;
    let spec_digest = provenance::digest(
        "",
        spec_path,
        spec_path.parent().unwrap_or(Path::new("")),
        None,
    )
    .map_err(|source| RunError::Io {
        path: spec_path.display().to_string(),
        source,
    })?;
    // The inputs' digests are computed on another core while the records are read (both read every
    // input file; the digests are reported only when the records are valid).
    let (loaded, inputs) = std::thread::scope(|scope| {
        let digests = scope.spawn(|| provenance::input_digests(&spec));
        let loaded = rwe_data::load(&spec.input_files(), &spec.validation_params());
        let inputs = match digests.join() {
            Ok(d) => d,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        (loaded, inputs)
    });
    let loaded = loaded?;
    let mut diagnostics = loaded.diagnostics;
    if diagnostics.has_errors() {
        return Err(RunError::Invalid(diagnostics));
    }
    let inputs = inputs.map_err(|(path, source)| RunError::Io {
        path: path.display().to_string(),
        source,
    })?;

    let out = options
        .out
        .clone()
        .unwrap_or_else(|| default_out(spec_path));
    let mut patients = 0;
    let written = folder::write_atomically(&out, |dir| {
        for sub in ["tables", "figures", "ard", "data"] {
            let d = dir.join(sub);
            std::fs::create_dir_all(&d).map_err(io_error(&d))?;
        }
        progress(Stage::Derive);
        let (set, derived, mut written) = derive_into(dir, &spec, loaded.data)?;
        diagnostics.extend(derived.diagnostics);
        diagnostics.sort();

        progress(Stage::Analyse);
        let outputs = analyse_set(&spec, &set)?;
        drop(set);

        progress(Stage::Render);
        let provenance = Provenance {
            rwe_version: env!("CARGO_PKG_VERSION").to_string(),
            study: spec.study.id.clone(),
            data_cutoff: spec.study.data_cutoff.to_string(),
            spec: spec_digest,
            inputs,
            patients: outputs.patients,
            excluded: outputs.excluded,
            conventions: provenance::conventions_used(
                &outputs.settings,
                spec.conventions.small_cell_min,
            ),
            run_time: options.run_time.clone().unwrap_or_else(provenance::now_utc),
        };
        let files = render(&spec, &outputs, &diagnostics, &provenance)?;
        patients = outputs.patients;

        progress(Stage::Write);
        written.extend(write_files(dir, &files)?);
        written.sort();
        Ok(written)
    })?;
    Ok(RunSummary {
        out,
        files: written,
        diagnostics,
        patients,
    })
}
