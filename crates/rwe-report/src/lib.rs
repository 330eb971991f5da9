//! From a study spec and its derived datasets to the report: the declared tables and figures computed
//! with `rwe-stats`, formatted and drawn with `rwe-render`, the analysis results data (ARD) behind every
//! number, and the report folder of `rwe run` (self-contained `report.html`, table files, SVG/PNG
//! figures, datasets, validation log and provenance).
//!
//! This crate orchestrates: every statistic comes from `rwe-stats`, every printed number from the one
//! [`rwe_render::Formatter`], every hidden count from the one suppression pass. Analyses run on the
//! study population (ADSL `SAFFL = "Y"`); patient identifiers join the datasets and go no further.
//!
//! ```
//! # use std::path::Path;
//! let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/cohort");
//! let spec = rwe_spec::StudySpec::from_path(&dir.join("report.toml")).unwrap();
//! rwe_report::check_spec(&spec).unwrap();
//! let loaded = rwe_data::load(&spec.input_files(), &spec.validation_params()).unwrap();
//! let cohort = rwe_derive::derive_cohort(loaded.data, &spec);
//! let outputs = rwe_report::analyse(&spec, &cohort.datasets(&spec.study.id)).unwrap();
//! let table3 = &outputs.tables[2];
//! // 2 of the 11 patients had a treatment-emergent adverse event: 18.2%.
//! assert_eq!(table3.rows[0].cells[0].text, "2 (18.2%)");
//! ```
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub use analysis_set::{AnalysisBuilder, AnalysisPart, AnalysisSet};
pub use ard::{ArdRow, to_csv as ard_csv, to_json as ard_json};
pub use conventions::Settings;
pub use error::ReportError;
pub use outputs::{Figure, FigureModel, Outputs, analyse, analyse_set};
pub use provenance::{ConventionsUsed, FileDigest, Provenance, now_utc, utc_from_epoch_seconds};
pub use reproduction::{
    ArdKey, Check, Comparison, OracleEntry, OracleError, Published, Status, appendix_table, counts,
    read_oracle, reproduce, to_csv as reproduction_csv,
};
pub use run::{RunError, RunOptions, RunSummary, Stage, default_out, run, validation_text};
pub use sha256::sha256_hex;

mod analysis_set;
mod ard;
mod colours;
mod conventions;
mod disclosure;
mod error;
mod folder;
mod km_figure;
mod methods;
mod outputs;
mod page;
mod provenance;
mod reproduction;
mod run;
mod sha256;
mod survival;
mod table;
mod treatment_patterns;

use rwe_data::Diagnostic;
use rwe_derive::{ADSL_VARS, ColType};
use rwe_spec::StudySpec;

/// The ADTTE endpoints `rwe-derive` produces.
pub const PARAMCDS: [&str; 5] = ["EFS", "EFSCEN", "OS", "RFS", "DOR"];

/// Checks that every variable and endpoint the spec's tables and figures name exists in the derived
/// datasets (ADSL variables of [`ADSL_VARS`], numeric ones for continuous rows; [`PARAMCDS`]).
///
/// # Errors
/// The first unknown name as a located `SPEC-INVALID-VALUE` diagnostic.
pub fn check_spec(spec: &StudySpec) -> Result<(), Diagnostic> {
    let adsl: Vec<&str> = ADSL_VARS.iter().map(|v| v.0).collect();
    let numeric: Vec<&str> = ADSL_VARS
        .iter()
        .filter(|v| matches!(v.1, ColType::Int | ColType::Float))
        .map(|v| v.0)
        .collect();
    spec.check_names(&adsl, &numeric, &PARAMCDS)
}
