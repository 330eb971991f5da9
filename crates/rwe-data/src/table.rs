//! Tables read from the user's files: CSV (UTF-8, BOM tolerated), Parquet and XLSX, chosen by extension.
//!
//! A [`Table`] keeps each cell as the file gave it (text for CSV and XLSX, typed arrays for Parquet) together
//! with enough to name its place: the file, the spreadsheet row (header = row 1, first record = row 2) and the
//! column header. Parsing into domain types happens downstream, where the rule being checked is known, so
//! every bad value can be reported with [`Location`] and rule id.
//!
//! Only the columns asked for are materialised ([`read_table`] takes a projection), which keeps memory
//! proportional to what an analysis reads.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Location};
use crate::text_cells::TextCells;

/// Rule id for a required column that is not in the file.
pub const RULE_COLUMN_MISSING: &str = "COLUMN-MISSING";
/// Rule id for a cell that should hold a number and does not.
pub const RULE_NOT_NUMERIC: &str = "VALUE-NOT-NUMERIC";
/// Rule id for a CSV record with the wrong number of fields.
pub const RULE_RAGGED_ROW: &str = "CSV-RAGGED-ROW";
/// Rule id for text that is not valid UTF-8.
pub const RULE_NOT_UTF8: &str = "FILE-NOT-UTF8";
/// Rule id for two columns with the same header.
pub const RULE_DUPLICATE_COLUMN: &str = "COLUMN-DUPLICATE";

/// The file formats rwe reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values, UTF-8, header row.
    Csv,
    /// Apache Parquet.
    Parquet,
    /// Excel workbook (one sheet is one table).
    Xlsx,
}

impl Format {
    /// The format named by a file's extension (case-insensitive): `.csv`, `.parquet`/`.pq`, `.xlsx`/`.xlsm`/`.xls`.
    #[must_use]
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "txt" => Some(Format::Csv),
            "parquet" | "pq" => Some(Format::Parquet),
            "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => Some(Format::Xlsx),
            _ => None,
        }
    }
}

/// What to read: a file, and for a workbook the sheet (the first sheet when `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Path of the file.
    pub path: PathBuf,
    /// Sheet of a workbook.
    pub sheet: Option<String>,
}

impl Source {
    /// A source for a whole file (first sheet of a workbook).
    #[must_use]
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Source {
            path: path.into(),
            sheet: None,
        }
    }

    /// The name used in messages: the file name as given, with `[sheet]` for a workbook sheet.
    #[must_use]
    pub fn label(&self) -> String {
        let file = self.path.display().to_string();
        match &self.sheet {
            Some(sheet) => format!("{file}[{sheet}]"),
            None => file,
        }
    }
}

/// Why a file could not be read at all (as opposed to bad values in it, which are [`Diagnostic`]s).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The extension names no format rwe reads.
    #[error(
        "{path}: cannot tell the file format from the extension (expected .csv, .parquet or .xlsx)"
    )]
    UnknownFormat {
        /// The file.
        path: String,
    },
    /// The file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a valid file of its format.
    #[error("{path}: not a readable {format} file: {reason}")]
    Malformed {
        /// The file.
        path: String,
        /// The format expected from the extension.
        format: &'static str,
        /// The parser's reason.
        reason: String,
    },
    /// The workbook has no sheet of that name.
    #[error("{path}: no sheet named `{sheet}` (sheets: {available})")]
    NoSuchSheet {
        /// The file.
        path: String,
        /// The sheet asked for.
        sheet: String,
        /// The sheets it has.
        available: String,
    },
    /// Parquet support was left out of this build.
    #[error("{path}: this build of rwe was compiled without Parquet support (feature `parquet`)")]
    ParquetDisabled {
        /// The file.
        path: String,
    },
    /// The file was read but has problems that prevent using it (ragged rows, missing columns, …).
    #[error("{} problem(s) in the input, the first: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
    Invalid(Vec<Diagnostic>),
}

/// The cells of one column.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    /// Text as written (CSV, XLSX, Parquet strings). Empty cells are `None`.
    Text(TextCells),
    /// Floating-point numbers (Parquet).
    Float(Vec<Option<f64>>),
    /// Integers (Parquet).
    Int(Vec<Option<i64>>),
    /// Booleans (Parquet).
    Bool(Vec<Option<bool>>),
    /// Calendar dates as days since 1970-01-01 (Parquet `date32`).
    Date(Vec<Option<i32>>),
}

impl ColumnData {
    fn len(&self) -> usize {
        match self {
            ColumnData::Text(v) => v.len(),
            ColumnData::Float(v) => v.len(),
            ColumnData::Int(v) => v.len(),
            ColumnData::Bool(v) => v.len(),
            ColumnData::Date(v) => v.len(),
        }
    }
}

/// One column: its header and its cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Header as written (surrounding spaces and a UTF-8 BOM removed).
    pub name: String,
    /// The cells.
    pub data: ColumnData,
}

/// One cell read as a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumberCell {
    /// Empty, `NA`, `.` or `NaN`.
    Missing,
    /// A finite number.
    Number(f64),
    /// Something that is not a number (reported separately).
    Invalid,
}

/// How record indices map to spreadsheet row numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
enum RowNumbers {
    /// Record `i` is on row `first + i`.
    Offset(u64),
    /// Explicit row numbers (a workbook with blank rows skipped).
    Explicit(Vec<u64>),
}

/// A table read from one file or sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    source: String,
    columns: Vec<Column>,
    /// Every header of the file, read or not (for suggestions when a column is missing).
    headers: Vec<String>,
    n_rows: usize,
    rows: RowNumbers,
}

impl Table {
    /// Build a table from columns of equal length whose first record is on spreadsheet row 2.
    ///
    /// # Errors
    /// [`ReadError::Malformed`] when the columns differ in length.
    pub fn from_columns(
        source: impl Into<String>,
        columns: Vec<Column>,
    ) -> Result<Table, ReadError> {
        let source = source.into();
        let n_rows = columns.first().map_or(0, |c| c.data.len());
        if let Some(bad) = columns.iter().find(|c| c.data.len() != n_rows) {
            return Err(ReadError::Malformed {
                path: source,
                format: "table",
                reason: format!(
                    "column {} has {} cells, expected {n_rows}",
                    bad.name,
                    bad.data.len()
                ),
            });
        }
        let headers = columns.iter().map(|c| c.name.clone()).collect();
        Ok(Table {
            source,
            columns,
            headers,
            n_rows,
            rows: RowNumbers::Offset(2),
        })
    }

    /// A table with no columns and no rows.
    #[must_use]
    pub fn empty(source: impl Into<String>) -> Table {
        Table {
            source: source.into(),
            columns: Vec::new(),
            headers: Vec::new(),
            n_rows: 0,
            rows: RowNumbers::Offset(2),
        }
    }

    /// Read a table from CSV text (tests, and tables embedded in documents), labelled `source` in messages.
    ///
    /// # Errors
    /// As [`read_table`] for a CSV file.
    pub fn from_csv_str(source: impl Into<String>, text: &str) -> Result<Table, ReadError> {
        crate::csv_reader::read_csv_bytes(text.as_bytes(), &source.into(), None)
    }

    /// The file label used in messages.
    #[must_use]
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Number of records (rows below the header).
    #[must_use]
    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// The columns read.
    #[must_use]
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The column with this header.
    ///
    /// # Errors
    /// A [`RULE_COLUMN_MISSING`] diagnostic naming the file and the headers it has.
    pub fn column(&self, name: &str) -> Result<&Column, Diagnostic> {
        self.columns
            .iter()
            .find(|c| c.name == name)
            .ok_or_else(|| self.missing_column(name))
    }

    /// True when the table has a column with this header.
    #[must_use]
    pub fn has_column(&self, name: &str) -> bool {
        self.columns.iter().any(|c| c.name == name)
    }

    fn missing_column(&self, name: &str) -> Diagnostic {
        missing_column_diagnostic(&self.source, &self.headers, name)
    }
}

/// The [`RULE_COLUMN_MISSING`] diagnostic for `name` in a file with these headers.
pub(crate) fn missing_column_diagnostic(
    source: &str,
    headers: &[String],
    name: &str,
) -> Diagnostic {
    {
        let names: Vec<&str> = headers.iter().map(String::as_str).collect();
        let expected = match closest(name, &names) {
            Some(near) => format!("a column named {name} (did you mean {near}?)"),
            None if names.is_empty() => format!("a column named {name}"),
            None => format!("a column named {name} (columns: {})", names.join(", ")),
        };
        Diagnostic::error(
            RULE_COLUMN_MISSING,
            Location::file(source),
            "no such column",
            expected,
        )
    }
}

impl Table {
    /// Spreadsheet row number of record `index` (header = row 1).
    #[must_use]
    pub fn row_number(&self, index: usize) -> u64 {
        match &self.rows {
            RowNumbers::Offset(first) => first + index as u64,
            RowNumbers::Explicit(rows) => rows.get(index).copied().unwrap_or(0),
        }
    }

    /// The location of one cell.
    #[must_use]
    pub fn location(&self, index: usize, column: &str) -> Location {
        Location::cell(&self.source, self.row_number(index), column)
    }

    /// The cell as text, as it would be shown to a person (`None` when empty).
    #[must_use]
    pub fn text<'a>(&self, column: &'a Column, index: usize) -> Option<Cow<'a, str>> {
        match &column.data {
            ColumnData::Text(v) => v.get(index).map(Cow::Borrowed),
            ColumnData::Float(v) => v.get(index)?.map(|x| Cow::Owned(format_number(x))),
            ColumnData::Int(v) => v.get(index)?.map(|x| Cow::Owned(x.to_string())),
            ColumnData::Bool(v) => v
                .get(index)?
                .map(|x| Cow::Borrowed(if x { "true" } else { "false" })),
            ColumnData::Date(v) => v
                .get(index)?
                .map(|d| Cow::Owned(iso_date_from_epoch_days(i64::from(d)))),
        }
    }

    /// The column as numbers, cell by cell, with a [`RULE_NOT_NUMERIC`] diagnostic for each cell that is not a
    /// number, so that a caller can go on checking the other cells (and report every problem at once).
    ///
    /// # Errors
    /// The missing column.
    pub fn number_cells(
        &self,
        name: &str,
    ) -> Result<(Vec<NumberCell>, Vec<Diagnostic>), Diagnostic> {
        let column = self.column(name)?;
        let cells = match &column.data {
            ColumnData::Float(v) => v
                .iter()
                .map(|x| x.map_or(NumberCell::Missing, NumberCell::Number))
                .collect(),
            ColumnData::Int(v) => v
                .iter()
                .map(|x| x.map_or(NumberCell::Missing, |x| NumberCell::Number(x as f64)))
                .collect(),
            ColumnData::Bool(v) => v
                .iter()
                .map(|x| {
                    x.map_or(NumberCell::Missing, |b| {
                        NumberCell::Number(if b { 1.0 } else { 0.0 })
                    })
                })
                .collect(),
            ColumnData::Date(v) => v
                .iter()
                .map(|x| x.map_or(NumberCell::Missing, |_| NumberCell::Invalid))
                .collect(),
            ColumnData::Text(v) => v
                .iter()
                .map(|cell| match cell.map(str::trim) {
                    None | Some("" | "NA" | "." | "NaN") => NumberCell::Missing,
                    Some(s) => parse_number(s).map_or(NumberCell::Invalid, NumberCell::Number),
                })
                .collect::<Vec<_>>(),
        };
        let problems = cells
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c, NumberCell::Invalid))
            .map(|(i, _)| {
                let found = self
                    .text(column, i)
                    .map(|s| s.trim().to_string())
                    .unwrap_or_default();
                Diagnostic::error(RULE_NOT_NUMERIC, self.location(i, name), found, "a number")
            })
            .collect();
        Ok((cells, problems))
    }

    /// The column as numbers. Empty cells and `NA` are `None`; anything else that is not a number is a
    /// [`RULE_NOT_NUMERIC`] diagnostic (all of them are collected).
    ///
    /// # Errors
    /// Every cell that is not a number, or the missing column.
    pub fn numbers(&self, name: &str) -> Result<Vec<Option<f64>>, Vec<Diagnostic>> {
        let column = self.column(name).map_err(|d| vec![d])?;
        match &column.data {
            ColumnData::Float(v) => Ok(v.clone()),
            ColumnData::Int(v) => Ok(v.iter().map(|x| x.map(|x| x as f64)).collect()),
            ColumnData::Bool(v) => Ok(v
                .iter()
                .map(|x| x.map(|b| if b { 1.0 } else { 0.0 }))
                .collect()),
            ColumnData::Date(_) => Err(vec![Diagnostic::error(
                RULE_NOT_NUMERIC,
                Location::file(&self.source).with_column(name),
                "a date column",
                "numbers",
            )]),
            ColumnData::Text(v) => {
                let mut out = Vec::with_capacity(v.len());
                let mut bad = Vec::new();
                for (i, cell) in v.iter().enumerate() {
                    match cell.map(str::trim) {
                        None | Some("" | "NA" | "." | "NaN") => out.push(None),
                        Some(s) => match parse_number(s) {
                            Some(x) => out.push(Some(x)),
                            None => {
                                out.push(None);
                                bad.push(Diagnostic::error(
                                    RULE_NOT_NUMERIC,
                                    self.location(i, name),
                                    s,
                                    "a number",
                                ));
                            }
                        },
                    }
                }
                if bad.is_empty() { Ok(out) } else { Err(bad) }
            }
        }
    }
}

/// Parse a number as people write it in spreadsheets: surrounding spaces, a leading `+`, and a decimal point.
/// Infinity and NaN spellings are not numbers here.
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim();
    let s = s.strip_prefix('+').unwrap_or(s);
    if s.is_empty() || !s.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    if s.bytes()
        .any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E')
    {
        return None;
    }
    s.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Shortest text for a number: integers without a decimal point.
pub(crate) fn format_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// ISO 8601 date for a count of days since 1970-01-01 (proleptic Gregorian; Howard Hinnant's algorithm).
#[must_use]
pub fn iso_date_from_epoch_days(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Year, month and day for a count of days since 1970-01-01 (Howard Hinnant's `civil_from_days`).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    // d is in 1..=31 and m in 1..=12 by construction.
    (y, m as u32, d as u32)
}

/// The candidate closest to `name` by edit distance (case-insensitive), if it is close enough to be a likely typo.
#[must_use]
pub fn closest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let target = name.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        let d = edit_distance(&target, &c.to_lowercase());
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    let (d, c) = best?;
    let limit = (name.chars().count() / 3).max(1);
    (d <= limit).then_some(c)
}

/// Edit distance on characters: insertions, deletions, substitutions and transpositions of neighbours
/// (optimal string alignment), so that `NGE` is one edit from `NEG`.
#[must_use]
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 0..a.len() {
        cur[0] = i + 1;
        for j in 0..b.len() {
            let sub = prev[j] + usize::from(a[i] != b[j]);
            let mut best = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                best = best.min(before[j - 1] + 1);
            }
            cur[j + 1] = best;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Csv => "CSV",
            Format::Parquet => "Parquet",
            Format::Xlsx => "Excel",
        })
    }
}

/// Read a table, keeping only the `columns` named (all columns when `None`).
///
/// A projected column that the file lacks is reported with [`RULE_COLUMN_MISSING`] (all of them at once).
///
/// # Errors
/// [`ReadError`] when the file cannot be read, is malformed, or lacks a projected column.
pub fn read_table(source: &Source, columns: Option<&[&str]>) -> Result<Table, ReadError> {
    let label = source.label();
    let format = Format::from_path(&source.path).ok_or_else(|| ReadError::UnknownFormat {
        path: label.clone(),
    })?;
    let table = match format {
        Format::Csv => crate::csv_reader::read_csv(&source.path, &label, columns)?,
        Format::Parquet => read_parquet_dispatch(&source.path, &label, columns)?,
        Format::Xlsx => crate::xlsx_reader::read_xlsx(source, &label, columns)?,
    };
    if let Some(wanted) = columns {
        let missing: Vec<Diagnostic> = wanted
            .iter()
            .filter(|name| !table.has_column(name))
            .map(|name| table.missing_column(name))
            .collect();
        if !missing.is_empty() {
            return Err(ReadError::Invalid(missing));
        }
    }
    Ok(table)
}

#[cfg(feature = "parquet")]
fn read_parquet_dispatch(
    path: &Path,
    label: &str,
    columns: Option<&[&str]>,
) -> Result<Table, ReadError> {
    crate::parquet_io::read_parquet(path, label, columns)
}

#[cfg(not(feature = "parquet"))]
fn read_parquet_dispatch(
    _path: &Path,
    label: &str,
    _columns: Option<&[&str]>,
) -> Result<Table, ReadError> {
    Err(ReadError::ParquetDisabled {
        path: label.to_string(),
    })
}

pub(crate) fn explicit_rows(source: String, columns: Vec<Column>, rows: Vec<u64>) -> Table {
    let n_rows = rows.len();
    let headers = columns.iter().map(|c| c.name.clone()).collect();
    Table {
        source,
        columns,
        headers,
        n_rows,
        rows: RowNumbers::Explicit(rows),
    }
}

impl Table {
    /// Record every header of the file (the table may hold only a projection of them).
    #[must_use]
    pub(crate) fn with_headers(mut self, headers: Vec<String>) -> Table {
        self.headers = headers;
        self
    }

    /// Every header of the file, in file order, including columns that were not read.
    #[must_use]
    pub fn headers(&self) -> &[String] {
        &self.headers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_collects_every_bad_cell() {
        let t = Table::from_columns(
            "d.csv",
            vec![Column {
                name: "time".into(),
                data: ColumnData::Text(
                    vec![
                        Some(" 5 "),
                        Some("NA"),
                        None,
                        Some("abc"),
                        Some("+1e2"),
                        Some("inf"),
                    ]
                    .into(),
                ),
            }],
        )
        .unwrap();
        let errs = t.numbers("time").unwrap_err();
        let msgs: Vec<String> = errs.iter().map(ToString::to_string).collect();
        assert_eq!(
            msgs,
            [
                "d.csv:5: column time: found abc, expected a number [VALUE-NOT-NUMERIC]",
                "d.csv:7: column time: found inf, expected a number [VALUE-NOT-NUMERIC]",
            ]
        );
        let missing = t.column("tme").unwrap_err();
        assert_eq!(
            missing.to_string(),
            "d.csv: found no such column, expected a column named tme (did you mean time?) [COLUMN-MISSING]"
        );
    }

    #[test]
    fn dates_from_epoch_days() {
        assert_eq!(iso_date_from_epoch_days(0), "1970-01-01");
        assert_eq!(iso_date_from_epoch_days(19_000), "2022-01-08");
        assert_eq!(iso_date_from_epoch_days(-1), "1969-12-31");
        assert_eq!(iso_date_from_epoch_days(11_016), "2000-02-29");
    }

    #[test]
    fn closest_names() {
        assert_eq!(
            closest("stauts", &["time", "status", "group"]),
            Some("status")
        );
        assert_eq!(closest("zzz", &["time", "status"]), None);
        assert_eq!(edit_distance("NGE", "NEG"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(closest("NGE", &["POS", "NEG", "UNK"]), Some("NEG"));
    }
}
