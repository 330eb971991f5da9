//! Provenance of a report: the rwe version, the SHA-256 of the spec and of every input file, the
//! conventions in effect and the run time. Files are named as the spec names them (relative to its
//! directory), never by a machine path.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use rwe_data::iso_date_from_epoch_days;
use rwe_spec::StudySpec;
use serde::Serialize;

use crate::conventions::Settings;
use crate::sha256::sha256_hex;

/// A file and its digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileDigest {
    /// The input table it holds (`patients`, …), empty for the spec.
    pub table: String,
    /// The file as the spec names it (relative to the spec), or its file name.
    pub file: String,
    /// The sheet of a workbook, when one is read.
    pub sheet: Option<String>,
    /// SHA-256 of the file's bytes, lower-case hexadecimal.
    pub sha256: String,
}

/// The conventions, as written in `provenance.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConventionsUsed {
    /// `sas` or `r`.
    pub statistics: String,
    /// Pointwise survival CI transform.
    pub ci_transform: String,
    /// Confidence level.
    pub conf_level: f64,
    /// Proportion intervals.
    pub proportion_ci: String,
    /// `half_up` or `truncate`.
    pub rounding: String,
    /// Decimals of values.
    pub decimals: u8,
    /// Decimals of percentages.
    pub percent_decimals: u8,
    /// Small-cell threshold k (0: off).
    pub small_cell_min: u64,
}

/// Everything `provenance.json` records.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provenance {
    /// rwe's version.
    pub rwe_version: String,
    /// `STUDYID`.
    pub study: String,
    /// The data cut-off.
    pub data_cutoff: String,
    /// The spec file.
    pub spec: FileDigest,
    /// The input files, in table order.
    pub inputs: Vec<FileDigest>,
    /// Patients in the study population.
    pub patients: usize,
    /// Patients excluded from it.
    pub excluded: usize,
    /// Conventions in effect.
    pub conventions: ConventionsUsed,
    /// When the report was made (UTC, ISO 8601), or the fixed time asked for.
    pub run_time: String,
}

/// How a path is shown: relative to the spec's directory when inside it, otherwise its file name.
fn shown_path(path: &Path, base: &Path) -> String {
    match path.strip_prefix(base) {
        Ok(rel) if rel.is_relative() => rel.to_string_lossy().replace('\\', "/"),
        _ => path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    }
}

/// The digest of a file.
///
/// # Errors
/// The I/O error of reading it.
pub(crate) fn digest(
    table: &str,
    path: &Path,
    base: &Path,
    sheet: Option<String>,
) -> std::io::Result<FileDigest> {
    let bytes = std::fs::read(path)?;
    Ok(FileDigest {
        table: table.to_string(),
        file: shown_path(path, base),
        sheet,
        sha256: sha256_hex(&bytes),
    })
}

/// The digests of the spec's input files.
///
/// # Errors
/// The first file that cannot be read, with its path.
pub(crate) fn input_digests(
    spec: &StudySpec,
) -> Result<Vec<FileDigest>, (std::path::PathBuf, std::io::Error)> {
    let mut out = Vec::new();
    for (id, source) in &spec.input_files().tables {
        let d = digest(
            id.name(),
            &source.path,
            &spec.base_dir,
            source.sheet.clone(),
        )
        .map_err(|e| (source.path.clone(), e))?;
        out.push(d);
    }
    Ok(out)
}

/// The conventions of the settings, named as in the spec.
pub(crate) fn conventions_used(s: &Settings, small_cell_min: u64) -> ConventionsUsed {
    ConventionsUsed {
        statistics: s.convention.to_string(),
        ci_transform: s.confidence.conf_type().to_string(),
        conf_level: s.level(),
        proportion_ci: s.proportion.to_string(),
        rounding: match s.formatter.rounding {
            rwe_render::Rounding::HalfUp => "half_up".into(),
            rwe_render::Rounding::Truncate => "truncate".into(),
        },
        decimals: s.formatter.decimals,
        percent_decimals: s.formatter.percent_decimals,
        small_cell_min,
    }
}

/// The current time as `YYYY-MM-DDTHH:MM:SSZ` (UTC).
#[must_use]
pub fn now_utc() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    utc_from_epoch_seconds(secs)
}

/// Seconds since 1970-01-01 as `YYYY-MM-DDTHH:MM:SSZ`.
#[must_use]
pub fn utc_from_epoch_seconds(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(i64::MAX);
    let rest = secs % 86_400;
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        iso_date_from_epoch_days(days),
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_seconds_print_as_utc() {
        assert_eq!(utc_from_epoch_seconds(0), "1970-01-01T00:00:00Z");
        // 2024-02-29 12:34:56 UTC = 19782 days · 86400 + 45296 s (date -u -d @1709210096).
        assert_eq!(
            utc_from_epoch_seconds(1_709_210_096),
            "2024-02-29T12:34:56Z"
        );
    }

    #[test]
    fn paths_are_shown_relative_to_the_spec() {
        let base = Path::new("study");
        assert_eq!(
            shown_path(Path::new("study/data/p.csv"), base),
            "data/p.csv"
        );
        assert_eq!(shown_path(Path::new("/elsewhere/p.csv"), base), "p.csv");
        assert_eq!(shown_path(Path::new("p.csv"), Path::new("")), "p.csv");
    }
}
