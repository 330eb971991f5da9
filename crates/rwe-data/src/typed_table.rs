//! Typed columns read straight from the bytes of a file: numbers as `i32`/`f64` arrays and labels as
//! dictionary codes, with no string per cell. This is the input path for tens of millions of rows.
//!
//! [`read_columns`] reads the projected columns of a CSV or Parquet file (a workbook goes through
//! [`read_table`](crate::read_table) and is converted). It reports exactly what [`read_table`] and
//! [`Table::number_cells`](crate::Table::number_cells) report — ragged rows, text that is not UTF-8,
//! duplicate and missing columns, cells that are not numbers — by file, spreadsheet row and column,
//! but keeps a location only for the cells that have a problem.
//!
//! CSV without quotes is split at line boundaries and parsed on all cores; a file with quoted
//! fields (or bare carriage returns) is parsed sequentially by the `csv` crate. Parquet row groups
//! are decoded on all cores. Either way the columns come back in file order, identical to a
//! sequential read.

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Location};
use crate::table::{
    ColumnData, Format, RULE_DUPLICATE_COLUMN, RULE_NOT_NUMERIC, RULE_NOT_UTF8, RULE_RAGGED_ROW,
    ReadError, Source, Table, format_number, iso_date_from_epoch_days, missing_column_diagnostic,
    parse_number,
};

/// How a column is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Numbers: [`Numbers`], with missing and invalid cells listed.
    Number,
    /// Labels (groups, strata, categories): trimmed text, dictionary-encoded.
    Label,
}

/// One column to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnRequest<'a> {
    /// The header.
    pub name: &'a str,
    /// How to read it.
    pub kind: ColumnKind,
}

impl<'a> ColumnRequest<'a> {
    /// A numeric column.
    #[must_use]
    pub fn number(name: &'a str) -> Self {
        ColumnRequest {
            name,
            kind: ColumnKind::Number,
        }
    }

    /// A label column.
    #[must_use]
    pub fn label(name: &'a str) -> Self {
        ColumnRequest {
            name,
            kind: ColumnKind::Label,
        }
    }
}

/// The values of a numeric column: whole numbers as `i32` while every value is one that fits,
/// otherwise all as `f64`. Missing and invalid cells hold 0.
#[derive(Debug, Clone, PartialEq)]
pub enum Numbers {
    /// Every value is a whole number in the `i32` range.
    Int(Vec<i32>),
    /// Some value is fractional or large.
    Float(Vec<f64>),
}

impl Numbers {
    /// Number of cells.
    #[must_use]
    pub fn len(&self) -> usize {
        match self {
            Numbers::Int(v) => v.len(),
            Numbers::Float(v) => v.len(),
        }
    }

    /// True when there is no cell.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value of cell `i` as `f64` (0 for a missing or invalid cell).
    ///
    /// # Panics
    /// When `i` is out of range.
    #[must_use]
    pub fn get(&self, i: usize) -> f64 {
        match self {
            Numbers::Int(v) => f64::from(v[i]),
            Numbers::Float(v) => v[i],
        }
    }

    fn into_float(self) -> Vec<f64> {
        match self {
            Numbers::Int(v) => v.into_iter().map(f64::from).collect(),
            Numbers::Float(v) => v,
        }
    }

    fn append(&mut self, other: Numbers) {
        match (&mut *self, other) {
            (Numbers::Int(a), Numbers::Int(b)) => a.extend(b),
            (Numbers::Float(a), b) => a.extend(b.into_float()),
            (Numbers::Int(_), Numbers::Float(b)) => {
                let mut a = std::mem::replace(self, Numbers::Int(Vec::new())).into_float();
                a.extend(b);
                *self = Numbers::Float(a);
            }
        }
    }
}

/// A cell that should hold a number and does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidCell {
    /// Record index (0-based).
    pub index: usize,
    /// The cell as text, trimmed.
    pub found: String,
}

/// A numeric column.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberColumn {
    /// The header.
    pub name: String,
    /// One value per record.
    pub values: Numbers,
    /// Records whose cell is empty, `NA`, `.` or `NaN`, increasing.
    pub missing: Vec<usize>,
    /// Records whose cell is not a number, increasing.
    pub invalid: Vec<InvalidCell>,
}

/// A label column, dictionary-encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelColumn {
    /// The header.
    pub name: String,
    /// Distinct labels (trimmed), in order of first appearance.
    pub levels: Vec<String>,
    /// Index into `levels` for each record (0 for a missing cell).
    pub codes: Vec<u32>,
    /// Records whose cell is empty or blank, increasing.
    pub missing: Vec<usize>,
}

/// One column read by [`read_columns`].
#[derive(Debug, Clone, PartialEq)]
pub enum TypedColumn {
    /// A numeric column.
    Number(NumberColumn),
    /// A label column.
    Label(LabelColumn),
}

impl TypedColumn {
    /// The header.
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            TypedColumn::Number(c) => &c.name,
            TypedColumn::Label(c) => &c.name,
        }
    }
}

/// Where each record is in the file: the spreadsheet row of record `i` is the row of the last
/// breakpoint at or before `i`, plus the records since. A file without blank lines has one
/// breakpoint, (0, 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowMap {
    /// (first record index, its row), increasing in both.
    breaks: Vec<(usize, u64)>,
}

impl RowMap {
    /// Record `i` is on row `first + i`.
    #[must_use]
    pub fn offset(first: u64) -> Self {
        RowMap {
            breaks: vec![(0, first)],
        }
    }

    /// Spreadsheet row number of record `index` (header = row 1).
    #[must_use]
    pub fn row(&self, index: usize) -> u64 {
        let k = self.breaks.partition_point(|&(i, _)| i <= index);
        match k.checked_sub(1).and_then(|k| self.breaks.get(k)) {
            Some(&(i, row)) => row + (index - i) as u64,
            None => index as u64 + 2,
        }
    }

    /// Adds that record `index` is on `row`, unless that follows from the breakpoints so far.
    fn note(&mut self, index: usize, row: u64) {
        if self.breaks.is_empty() || self.row(index) != row {
            self.breaks.push((index, row));
        }
    }
}

/// Typed columns read from one file, in the order they were requested.
#[derive(Debug, Clone, PartialEq)]
pub struct TypedTable {
    source: String,
    n_rows: usize,
    columns: Vec<TypedColumn>,
    rows: RowMap,
}

impl TypedTable {
    /// The file label used in messages.
    #[must_use]
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Number of records.
    #[must_use]
    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// The columns, in request order.
    #[must_use]
    pub fn columns(&self) -> &[TypedColumn] {
        &self.columns
    }

    /// Takes the columns out, in request order.
    #[must_use]
    pub fn into_columns(self) -> (Vec<TypedColumn>, RowMap) {
        (self.columns, self.rows)
    }

    /// The record-to-row map.
    #[must_use]
    pub fn rows(&self) -> &RowMap {
        &self.rows
    }

    /// Spreadsheet row number of record `index` (header = row 1).
    #[must_use]
    pub fn row_number(&self, index: usize) -> u64 {
        self.rows.row(index)
    }

    /// The location of one cell.
    #[must_use]
    pub fn location(&self, index: usize, column: &str) -> Location {
        Location::cell(&self.source, self.row_number(index), column)
    }

    /// The [`RULE_NOT_NUMERIC`] diagnostics of a numeric column, as
    /// [`Table::number_cells`](crate::Table::number_cells) gives them.
    #[must_use]
    pub fn invalid_diagnostics(&self, column: &NumberColumn) -> Vec<Diagnostic> {
        column
            .invalid
            .iter()
            .map(|c| {
                Diagnostic::error(
                    RULE_NOT_NUMERIC,
                    self.location(c.index, &column.name),
                    c.found.clone(),
                    "a number",
                )
            })
            .collect()
    }
}

/// Read the requested columns of a CSV, Parquet or Excel file, by extension.
///
/// Problems are reported as [`read_table`](crate::read_table) reports them: a file that cannot be
/// read is [`ReadError::Io`]/[`ReadError::Malformed`]; ragged rows, text that is not UTF-8 and
/// duplicate headers are [`ReadError::Invalid`] diagnostics (all of them), and only without those
/// are requested columns that the file lacks reported (one [`crate::RULE_COLUMN_MISSING`]
/// diagnostic each, with the closest header). Cells that are not numbers are not an error here:
/// they are listed in [`NumberColumn::invalid`] for the caller to report with its own rule.
///
/// ```
/// use rwe_data::{ColumnRequest, Numbers, Source, TypedColumn, read_columns};
/// # let dir = std::env::temp_dir().join(format!("rwe-doc-typed-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("os.csv");
/// std::fs::write(&path, "id,time,status,arm\n1,5,1,A\n2,8,,B\n\n3,x,0,A\n")?;
/// let t = read_columns(&Source::file(&path), &[ColumnRequest::number("time"),
///     ColumnRequest::number("status"), ColumnRequest::label("arm")])?;
/// let [TypedColumn::Number(time), TypedColumn::Number(status), TypedColumn::Label(arm)] = t.columns()
///     else { panic!() };
/// assert_eq!(time.values, Numbers::Int(vec![5, 8, 0]));
/// assert_eq!((time.invalid[0].index, time.invalid[0].found.as_str()), (2, "x"));
/// assert_eq!(t.row_number(2), 5); // after the blank line
/// assert_eq!(status.missing, [1]);
/// assert_eq!((arm.levels.clone(), arm.codes.clone()), (vec!["A".to_string(), "B".into()], vec![0, 1, 0]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// As described above.
pub fn read_columns(
    source: &Source,
    wanted: &[ColumnRequest<'_>],
) -> Result<TypedTable, ReadError> {
    let label = source.label();
    let format = Format::from_path(&source.path).ok_or_else(|| ReadError::UnknownFormat {
        path: label.clone(),
    })?;
    match format {
        Format::Csv => read_csv_columns(&source.path, &label, wanted),
        Format::Parquet => read_parquet_dispatch(&source.path, &label, wanted),
        Format::Xlsx => {
            let names: Vec<&str> = wanted.iter().map(|w| w.name).collect();
            from_table(&crate::table::read_table(source, Some(&names))?, wanted)
        }
    }
}

/// Reads the requested columns and folds them into per-partition states without keeping them
/// whole: for Parquet, each core decodes its share of the row groups batch by batch and calls
/// `fold(&mut state, batch)` with a [`TypedTable`] of up to 65 536 records (row numbers are those of
/// the file); CSV and workbooks are read whole ([`read_columns`]) and folded once. The states, one
/// per partition, come back in file order; each starts as `init()`. Memory stays at a few batches
/// per core, whatever the number of rows.
///
/// Problems that make the file unreadable are reported as by [`read_columns`], before any fold.
///
/// # Errors
/// As [`read_columns`].
pub fn fold_columns<S: Send>(
    source: &Source,
    wanted: &[ColumnRequest<'_>],
    init: &(dyn Fn() -> S + Sync),
    fold: &(dyn Fn(&mut S, TypedTable) + Sync),
) -> Result<Vec<S>, ReadError> {
    #[cfg(feature = "parquet")]
    if Format::from_path(&source.path) == Some(Format::Parquet) {
        let label = source.label();
        return crate::parquet_io::fold_parquet_columns(&source.path, &label, wanted, init, fold);
    }
    let table = read_columns(source, wanted)?;
    let mut state = init();
    fold(&mut state, table);
    Ok(vec![state])
}

/// Typed columns from a [`Table`] (a workbook, or anything already read as text).
///
/// # Errors
/// [`ReadError::Invalid`] with a [`crate::RULE_COLUMN_MISSING`] diagnostic per missing column.
pub fn from_table(table: &Table, wanted: &[ColumnRequest<'_>]) -> Result<TypedTable, ReadError> {
    let mut missing = Vec::new();
    let mut columns = Vec::new();
    for w in wanted {
        let column = match table.column(w.name) {
            Ok(c) => c,
            Err(d) => {
                missing.push(d);
                continue;
            }
        };
        let mut part = Part::new(wanted_kinds(&[*w]));
        for i in 0..table.n_rows() {
            match (&column.data, &mut part.columns[0]) {
                (ColumnData::Float(v), PartColumn::Number(n)) => n.push_f64(v[i]),
                (ColumnData::Int(v), PartColumn::Number(n)) => n.push_i64(v[i]),
                (ColumnData::Bool(v), PartColumn::Number(n)) => n.push_i64(v[i].map(i64::from)),
                (_, PartColumn::Number(n)) => {
                    let text = table.text(column, i);
                    match (&column.data, text) {
                        (ColumnData::Date(_), Some(t)) => n.push_invalid(t.into_owned()),
                        (_, text) => n.push_text(text.as_deref().unwrap_or("")),
                    }
                }
                (_, PartColumn::Label(l)) => {
                    l.push(table.text(column, i).as_deref().unwrap_or(""));
                }
            }
            part.rows += 1;
        }
        columns.extend(merge_parts(vec![part], &[*w]));
    }
    if !missing.is_empty() {
        return Err(ReadError::Invalid(missing));
    }
    let rows = RowMap {
        breaks: (0..table.n_rows().min(1))
            .map(|_| (0, table.row_number(0)))
            .chain(
                (1..table.n_rows())
                    .filter(|&i| table.row_number(i) != table.row_number(i - 1) + 1)
                    .map(|i| (i, table.row_number(i))),
            )
            .collect(),
    };
    Ok(TypedTable {
        source: table.source().to_string(),
        n_rows: table.n_rows(),
        columns,
        rows,
    })
}

pub(crate) fn wanted_kinds(wanted: &[ColumnRequest<'_>]) -> Vec<ColumnKind> {
    wanted.iter().map(|w| w.kind).collect()
}

/// A numeric column of one partition, indices local to it.
#[derive(Debug)]
pub(crate) struct PartNumbers {
    values: Numbers,
    missing: Vec<usize>,
    invalid: Vec<InvalidCell>,
}

impl PartNumbers {
    fn new() -> Self {
        PartNumbers {
            values: Numbers::Int(Vec::new()),
            missing: Vec::new(),
            invalid: Vec::new(),
        }
    }

    fn index(&self) -> usize {
        self.values.len()
    }

    fn push_value(&mut self, x: f64) {
        match &mut self.values {
            Numbers::Float(v) => v.push(x),
            Numbers::Int(v) => {
                let i = x as i32;
                if f64::from(i) == x && !(x == 0.0 && x.is_sign_negative()) {
                    v.push(i);
                } else {
                    self.values.append(Numbers::Float(vec![x]));
                }
            }
        }
    }

    fn push_int(&mut self, x: i32) {
        match &mut self.values {
            Numbers::Int(v) => v.push(x),
            Numbers::Float(v) => v.push(f64::from(x)),
        }
    }

    fn push_missing(&mut self) {
        self.missing.push(self.index());
        self.push_int(0);
    }

    fn push_invalid(&mut self, found: String) {
        self.invalid.push(InvalidCell {
            index: self.index(),
            found,
        });
        self.push_int(0);
    }

    fn push_f64(&mut self, x: Option<f64>) {
        match x {
            Some(x) if x.is_finite() => self.push_value(x),
            Some(x) if !x.is_nan() => self.push_invalid(format_number(x)),
            _ => self.push_missing(),
        }
    }

    fn push_i64(&mut self, x: Option<i64>) {
        match x {
            Some(x) => match i32::try_from(x) {
                Ok(i) => self.push_int(i),
                Err(_) => self.push_value(x as f64),
            },
            None => self.push_missing(),
        }
    }

    /// A cell given as text: trimmed; empty, `NA`, `.` and `NaN` are missing.
    fn push_text(&mut self, text: &str) {
        match text.trim() {
            "" | "NA" | "." | "NaN" => self.push_missing(),
            s => match parse_number(s) {
                Some(x) => self.push_value(x),
                None => self.push_invalid(s.to_string()),
            },
        }
    }

    /// A CSV cell as bytes: whole numbers of up to nine digits are parsed directly, anything else
    /// as text. `Err` for bytes that are not UTF-8.
    fn push_bytes(&mut self, raw: &[u8]) -> Result<(), ()> {
        let b = raw.trim_ascii();
        let (negative, digits) = match b.first() {
            Some(b'-') => (true, &b[1..]),
            Some(b'+') => (false, &b[1..]),
            _ => (false, b),
        };
        if !digits.is_empty() && digits.len() <= 9 && digits.iter().all(u8::is_ascii_digit) {
            let mut x: i32 = 0;
            for &d in digits {
                x = x * 10 + i32::from(d - b'0');
            }
            if negative && x == 0 {
                // "-0" is the float -0.0, as parse_number reads it.
                self.push_value(-0.0);
            } else {
                self.push_int(if negative { -x } else { x });
            }
            return Ok(());
        }
        let text = std::str::from_utf8(raw).map_err(|_| ())?;
        self.push_text(text);
        Ok(())
    }
}

/// Labels of one partition: a dictionary in order of first appearance.
#[derive(Debug)]
pub(crate) struct PartLabels {
    levels: Vec<String>,
    /// Used once there are more than [`LINEAR_LEVELS`] levels.
    map: HashMap<String, u32>,
    codes: Vec<u32>,
    missing: Vec<usize>,
    /// Codes of the integer labels 0..[`SMALL_INTS`] seen so far (Parquet integer columns), so that
    /// each is formatted once; `u32::MAX` for one not seen yet.
    small_ints: Vec<u32>,
}

/// Integer labels below this are looked up in a table.
const SMALL_INTS: usize = 1024;

/// Up to this many levels a linear scan beats hashing.
const LINEAR_LEVELS: usize = 16;

impl PartLabels {
    fn new() -> Self {
        PartLabels {
            levels: Vec::new(),
            map: HashMap::new(),
            codes: Vec::new(),
            missing: Vec::new(),
            small_ints: Vec::new(),
        }
    }

    /// An integer label: its text is the decimal number.
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    fn push_int(&mut self, x: i64) {
        let Some(slot) = usize::try_from(x).ok().filter(|&v| v < SMALL_INTS) else {
            self.push(&x.to_string());
            return;
        };
        if self.small_ints.is_empty() {
            self.small_ints = vec![u32::MAX; SMALL_INTS];
        }
        match self.small_ints[slot] {
            u32::MAX => {
                self.push(&x.to_string());
                if let Some(&code) = self.codes.last() {
                    self.small_ints[slot] = code;
                }
            }
            code => self.codes.push(code),
        }
    }

    /// Appends integer labels, the common ones through a local copy of the lookup table.
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    fn extend_i32(&mut self, values: &[i32]) {
        if self.small_ints.is_empty() {
            self.small_ints = vec![u32::MAX; SMALL_INTS];
        }
        let mut start = 0;
        while start < values.len() {
            // Copy codes while every value is a known small integer; fall back for the next one.
            let table = &self.small_ints;
            let known = values[start..]
                .iter()
                .take_while(|&&x| {
                    usize::try_from(x)
                        .ok()
                        .and_then(|v| table.get(v))
                        .is_some_and(|&c| c != u32::MAX)
                })
                .count();
            self.codes.extend(
                values[start..start + known]
                    .iter()
                    .map(|&x| table[x as usize]),
            );
            start += known;
            if let Some(&x) = values.get(start) {
                self.push_int(i64::from(x));
                start += 1;
            }
        }
    }

    fn push(&mut self, text: &str) {
        let s = text.trim();
        if s.is_empty() {
            self.missing.push(self.codes.len());
            self.codes.push(0);
            return;
        }
        let code = if self.levels.len() <= LINEAR_LEVELS {
            self.levels.iter().position(|l| l == s).map(|i| i as u32)
        } else {
            self.map.get(s).copied()
        };
        let code = code.unwrap_or_else(|| {
            let c = self.levels.len() as u32;
            self.levels.push(s.to_string());
            if self.levels.len() > LINEAR_LEVELS {
                if self.map.is_empty() {
                    self.map = self
                        .levels
                        .iter()
                        .enumerate()
                        .map(|(i, l)| (l.clone(), i as u32))
                        .collect();
                } else {
                    self.map.insert(s.to_string(), c);
                }
            }
            c
        });
        self.codes.push(code);
    }
}

#[derive(Debug)]
pub(crate) enum PartColumn {
    Number(PartNumbers),
    Label(PartLabels),
}

/// The columns of one partition of the records (a stretch of a CSV file, a Parquet row group).
#[derive(Debug)]
pub(crate) struct Part {
    pub(crate) columns: Vec<PartColumn>,
    pub(crate) rows: usize,
    /// Records whose row is not the one after the previous record's: (local index, row).
    breaks: Vec<(usize, u64)>,
    /// Structural problems (ragged rows, text that is not UTF-8).
    problems: Vec<Diagnostic>,
}

impl Part {
    pub(crate) fn new(kinds: Vec<ColumnKind>) -> Self {
        Part {
            columns: kinds
                .into_iter()
                .map(|k| match k {
                    ColumnKind::Number => PartColumn::Number(PartNumbers::new()),
                    ColumnKind::Label => PartColumn::Label(PartLabels::new()),
                })
                .collect(),
            rows: 0,
            breaks: Vec::new(),
            problems: Vec::new(),
        }
    }
}

/// Concatenates partitions in order: local indices shifted, label dictionaries unified (levels in
/// order of first appearance over the whole file).
fn merge_parts(parts: Vec<Part>, wanted: &[ColumnRequest<'_>]) -> Vec<TypedColumn> {
    let total: usize = parts.iter().map(|p| p.rows).sum();
    let mut out: Vec<TypedColumn> = wanted
        .iter()
        .map(|w| match w.kind {
            ColumnKind::Number => TypedColumn::Number(NumberColumn {
                name: w.name.to_string(),
                values: Numbers::Int(Vec::new()),
                missing: Vec::new(),
                invalid: Vec::new(),
            }),
            ColumnKind::Label => TypedColumn::Label(LabelColumn {
                name: w.name.to_string(),
                levels: Vec::new(),
                codes: Vec::with_capacity(total),
                missing: Vec::new(),
            }),
        })
        .collect();
    let mut offset = 0;
    let mut first = true;
    for part in parts {
        for (slot, column) in out.iter_mut().zip(part.columns) {
            match (slot, column) {
                (TypedColumn::Number(dst), PartColumn::Number(src)) => {
                    if first {
                        dst.values = src.values;
                    } else {
                        dst.values.append(src.values);
                    }
                    dst.missing.extend(src.missing.iter().map(|i| i + offset));
                    dst.invalid
                        .extend(src.invalid.into_iter().map(|c| InvalidCell {
                            index: c.index + offset,
                            found: c.found,
                        }));
                }
                (TypedColumn::Label(dst), PartColumn::Label(src)) => {
                    let remap: Vec<u32> = src
                        .levels
                        .into_iter()
                        .map(|l| match dst.levels.iter().position(|x| *x == l) {
                            Some(i) => i as u32,
                            None => {
                                dst.levels.push(l);
                                (dst.levels.len() - 1) as u32
                            }
                        })
                        .collect();
                    let identity = remap.iter().enumerate().all(|(i, &c)| i as u32 == c);
                    if identity {
                        dst.codes.extend_from_slice(&src.codes);
                    } else {
                        dst.codes.extend(
                            src.codes
                                .iter()
                                .map(|&c| remap.get(c as usize).copied().unwrap_or(0)),
                        );
                    }
                    dst.missing.extend(src.missing.iter().map(|i| i + offset));
                }
                // Parts are built from the same requests, so kinds always line up.
                _ => {}
            }
        }
        offset += part.rows;
        first = false;
    }
    out
}

fn not_utf8(label: &str, row: u64, column: Option<&str>, raw: &[u8]) -> Diagnostic {
    Diagnostic::error(
        RULE_NOT_UTF8,
        Location {
            file: label.to_string(),
            row: Some(row),
            column: column.map(str::to_string),
        },
        String::from_utf8_lossy(raw).into_owned(),
        "UTF-8 text (save the file as CSV UTF-8)",
    )
}

fn ragged(label: &str, row: u64, found: usize, expected: usize) -> Diagnostic {
    Diagnostic::error(
        RULE_RAGGED_ROW,
        Location {
            file: label.to_string(),
            row: Some(row),
            column: None,
        },
        format!("{found} fields"),
        format!("{expected} fields, as in the header"),
    )
}

/// Header names (BOM and spaces removed) and the problems with them, as `read_csv` reports them.
fn header_names(label: &str, raw: &[&[u8]]) -> (Vec<String>, Vec<Diagnostic>) {
    let mut names = Vec::with_capacity(raw.len());
    let mut problems = Vec::new();
    for (i, field) in raw.iter().enumerate() {
        let field = if i == 0 {
            field.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(field)
        } else {
            field
        };
        match std::str::from_utf8(field) {
            Ok(s) => names.push(s.trim().to_string()),
            Err(_) => {
                problems.push(not_utf8(label, 1, None, field));
                names.push(String::from_utf8_lossy(field).trim().to_string());
            }
        }
    }
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) {
            problems.push(Diagnostic::error(
                RULE_DUPLICATE_COLUMN,
                Location {
                    file: label.to_string(),
                    row: Some(1),
                    column: Some(name.clone()),
                },
                format!("a second column named {name}"),
                "unique column headers",
            ));
        }
    }
    (names, problems)
}

/// For each field of the file, the request slots it fills (a column may be asked for twice, as a
/// number and as a label). A duplicate header fills only the slots of its first occurrence.
fn slots(names: &[String], wanted: &[ColumnRequest<'_>]) -> Vec<Vec<usize>> {
    names
        .iter()
        .enumerate()
        .map(|(f, n)| {
            if names[..f].contains(n) {
                return Vec::new();
            }
            (0..wanted.len()).filter(|&k| wanted[k].name == n).collect()
        })
        .collect()
}

pub(crate) fn finish(
    label: &str,
    names: &[String],
    wanted: &[ColumnRequest<'_>],
    mut problems: Vec<Diagnostic>,
    parts: Vec<Part>,
    first_row: u64,
) -> Result<TypedTable, ReadError> {
    let mut rows = RowMap {
        breaks: vec![(0, first_row)],
    };
    let mut offset = 0;
    for p in &parts {
        problems.extend(p.problems.iter().cloned());
        for &(i, row) in &p.breaks {
            rows.note(offset + i, row);
        }
        offset += p.rows;
    }
    if !problems.is_empty() {
        return Err(ReadError::Invalid(problems));
    }
    let missing: Vec<Diagnostic> = wanted
        .iter()
        .filter(|w| !names.iter().any(|n| n == w.name))
        .map(|w| missing_column_diagnostic(label, names, w.name))
        .collect();
    if !missing.is_empty() {
        return Err(ReadError::Invalid(missing));
    }
    let columns = merge_parts(parts, wanted);
    Ok(TypedTable {
        source: label.to_string(),
        n_rows: offset,
        columns,
        rows,
    })
}

fn read_csv_columns(
    path: &Path,
    label: &str,
    wanted: &[ColumnRequest<'_>],
) -> Result<TypedTable, ReadError> {
    let bytes = std::fs::read(path).map_err(|source| ReadError::Io {
        path: label.to_string(),
        source,
    })?;
    if !bytes.contains(&b'"')
        && let Some(table) = fast_csv(&bytes, label, wanted)
    {
        return table;
    }
    sequential_csv(&bytes, label, wanted)
}

/// Splits an unquoted line into fields.
fn fields_of(line: &[u8], out: &mut Vec<(usize, usize)>) {
    out.clear();
    let mut start = 0;
    for (i, &b) in line.iter().enumerate() {
        if b == b',' {
            out.push((start, i));
            start = i + 1;
        }
    }
    out.push((start, line.len()));
}

/// The parallel reader for CSV without quotes. `None` when the file needs the full CSV grammar (a
/// bare carriage return).
fn fast_csv(
    bytes: &[u8],
    label: &str,
    wanted: &[ColumnRequest<'_>],
) -> Option<Result<TypedTable, ReadError>> {
    // Leading blank lines are skipped, as the csv crate skips them.
    let mut pos = 0;
    let mut line_no: u64 = 1;
    let header_end = loop {
        let end = bytes[pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |e| pos + e);
        let line = strip_cr(&bytes[pos..end])?;
        if !line.is_empty() || end >= bytes.len() {
            break end;
        }
        pos = end + 1;
        line_no += 1;
    };
    let header = strip_cr(&bytes[pos..header_end])?;
    if header.is_empty() {
        // No header at all: an empty table with no columns.
        let names: Vec<String> = Vec::new();
        return Some(finish(label, &names, wanted, Vec::new(), Vec::new(), 2));
    }
    let mut spans = Vec::new();
    fields_of(header, &mut spans);
    let raw: Vec<&[u8]> = spans.iter().map(|&(a, b)| &header[a..b]).collect();
    let (names, problems) = header_names(label, &raw);
    let slot_of = slots(&names, wanted);
    let body_start = (header_end + 1).min(bytes.len());
    let body = &bytes[body_start..];
    let first_line = line_no + 1;

    // Split the body at newlines into one piece per core (pieces of at least 1 MiB).
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let pieces = threads.min(body.len() / (1 << 20) + 1).max(1);
    let mut bounds = vec![0];
    for k in 1..pieces {
        let target = (body.len() * k / pieces).max(bounds[k - 1]);
        let cut = body[target..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(body.len(), |e| target + e + 1);
        bounds.push(cut);
    }
    bounds.push(body.len());
    let ranges: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
    let kinds = wanted_kinds(wanted);
    let n_fields = names.len();
    let parse = |&(a, b): &(usize, usize)| {
        parse_piece(
            &body[a..b],
            label,
            &names,
            &slot_of,
            n_fields,
            kinds.clone(),
        )
    };
    let results: Vec<Option<(Part, u64)>> = if ranges.len() == 1 {
        ranges.iter().map(parse).collect()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = ranges
                .iter()
                .map(|r| scope.spawn(move || parse(r)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or(None))
                .collect()
        })
    };
    // Shift each piece's line numbers by the lines before it.
    let mut parts = Vec::with_capacity(results.len());
    let mut lines_before = first_line - 1;
    for r in results {
        let (mut part, lines) = r?;
        for (_, row) in &mut part.breaks {
            *row += lines_before;
        }
        for d in &mut part.problems {
            if let Some(row) = d.location.row.as_mut() {
                *row += lines_before;
            }
        }
        lines_before += lines;
        parts.push(part);
    }
    Some(finish(label, &names, wanted, problems, parts, first_line))
}

fn strip_cr(line: &[u8]) -> Option<&[u8]> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    // A carriage return inside a line ends a record for the csv crate: leave such files to it.
    (!line.contains(&b'\r')).then_some(line)
}

/// Parses one piece (whole lines) with line numbers relative to its start (first line = 1); returns
/// the part and the number of lines it spans. `None` when the piece needs the full CSV grammar.
fn parse_piece(
    piece: &[u8],
    label: &str,
    names: &[String],
    slot_of: &[Vec<usize>],
    n_fields: usize,
    kinds: Vec<ColumnKind>,
) -> Option<(Part, u64)> {
    let mut part = Part::new(kinds);
    // Records expected in the piece, from the line length of its first 64 KiB, with 10% to spare.
    let sample = &piece[..piece.len().min(1 << 16)];
    let sample_lines = sample.iter().filter(|&&b| b == b'\n').count().max(1);
    let estimate = piece.len() / (sample.len() / sample_lines).max(1) * 11 / 10 + 16;
    for c in &mut part.columns {
        match c {
            PartColumn::Number(n) => n.values = Numbers::Int(Vec::with_capacity(estimate)),
            PartColumn::Label(l) => l.codes.reserve(estimate),
        }
    }
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(n_fields);
    let mut line_no: u64 = 0;
    let mut expected_row: u64 = 1;
    let n = piece.len();
    let mut pos = 0;
    while pos < n {
        // One pass over the line: field boundaries and its end. A carriage return ends a line only
        // before a newline; anywhere else it needs the csv crate.
        spans.clear();
        let start = pos;
        let mut field_start = pos;
        let mut end = n;
        let mut next = n;
        while pos < n {
            match piece[pos] {
                b',' => {
                    spans.push((field_start - start, pos - start));
                    field_start = pos + 1;
                }
                b'\n' => {
                    end = pos;
                    next = pos + 1;
                    break;
                }
                b'\r' if piece.get(pos + 1) == Some(&b'\n') => {
                    end = pos;
                    next = pos + 2;
                    break;
                }
                b'\r' => return None,
                _ => {}
            }
            pos += 1;
        }
        spans.push((field_start - start, end - start));
        let line = &piece[start..end];
        pos = next;
        line_no += 1;
        if line.is_empty() {
            continue;
        }
        if spans.len() != n_fields {
            part.problems
                .push(ragged(label, line_no, spans.len(), n_fields));
            continue;
        }
        if line_no != expected_row {
            part.breaks.push((part.rows, line_no));
        }
        expected_row = line_no + 1;
        for (field, &(a, b)) in spans.iter().enumerate() {
            for &slot in &slot_of[field] {
                let raw = &line[a..b];
                match &mut part.columns[slot] {
                    PartColumn::Number(n) => {
                        if n.push_bytes(raw).is_err() {
                            part.problems
                                .push(not_utf8(label, line_no, Some(&names[field]), raw));
                            n.push_missing();
                        }
                    }
                    PartColumn::Label(l) => match std::str::from_utf8(raw) {
                        Ok(s) => l.push(s),
                        Err(_) => {
                            part.problems
                                .push(not_utf8(label, line_no, Some(&names[field]), raw));
                            l.push("");
                        }
                    },
                }
            }
        }
        part.rows += 1;
    }
    Some((part, line_no))
}

/// The full CSV grammar (quotes, bare carriage returns), sequentially, through the csv crate.
fn sequential_csv(
    bytes: &[u8],
    label: &str,
    wanted: &[ColumnRequest<'_>],
) -> Result<TypedTable, ReadError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);
    let headers = reader
        .byte_headers()
        .map_err(|e| crate::csv_reader::csv_error(label, &e))?
        .clone();
    let raw: Vec<&[u8]> = headers.iter().collect();
    let (names, problems) = header_names(label, &raw);
    let slot_of = slots(&names, wanted);
    let mut part = Part::new(wanted_kinds(wanted));
    let mut record = csv::ByteRecord::new();
    let mut first_row = None;
    let mut expected_row = 0;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(crate::csv_reader::csv_error(label, &e)),
        }
        let row = record.position().map_or(part.rows as u64 + 2, |p| {
            crate::csv_reader::line_of_record(bytes, p)
        });
        if record.len() != names.len() {
            part.problems
                .push(ragged(label, row, record.len(), names.len()));
            continue;
        }
        if first_row.is_none() {
            first_row = Some(row);
        } else if row != expected_row {
            part.breaks.push((part.rows, row));
        }
        expected_row = row + 1;
        for (field, raw) in record.iter().enumerate() {
            for &slot in &slot_of[field] {
                match &mut part.columns[slot] {
                    PartColumn::Number(n) => {
                        if n.push_bytes(raw).is_err() {
                            part.problems
                                .push(not_utf8(label, row, Some(&names[field]), raw));
                            n.push_missing();
                        }
                    }
                    PartColumn::Label(l) => match std::str::from_utf8(raw) {
                        Ok(s) => l.push(s),
                        Err(_) => {
                            part.problems
                                .push(not_utf8(label, row, Some(&names[field]), raw));
                            l.push("");
                        }
                    },
                }
            }
        }
        part.rows += 1;
    }
    finish(
        label,
        &names,
        wanted,
        problems,
        vec![part],
        first_row.unwrap_or(2),
    )
}

#[cfg(feature = "parquet")]
fn read_parquet_dispatch(
    path: &Path,
    label: &str,
    wanted: &[ColumnRequest<'_>],
) -> Result<TypedTable, ReadError> {
    crate::parquet_io::read_parquet_columns(path, label, wanted)
}

#[cfg(not(feature = "parquet"))]
fn read_parquet_dispatch(
    _path: &Path,
    label: &str,
    _wanted: &[ColumnRequest<'_>],
) -> Result<TypedTable, ReadError> {
    Err(ReadError::ParquetDisabled {
        path: label.to_string(),
    })
}

/// A cell of a Parquet column, as [`PartColumn::push_cell`] takes it.
#[cfg(feature = "parquet")]
pub(crate) enum Cell<'a> {
    Missing,
    Int(i64),
    Float(f64),
    Text(&'a str),
    /// A value that is not a number (a date), shown as this text.
    Other(String),
}

#[cfg(feature = "parquet")]
impl PartColumn {
    /// Appends one cell.
    pub(crate) fn push_cell(&mut self, cell: Cell<'_>) {
        match (self, cell) {
            (PartColumn::Number(n), Cell::Missing) => n.push_missing(),
            (PartColumn::Number(n), Cell::Int(x)) => n.push_i64(Some(x)),
            (PartColumn::Number(n), Cell::Float(x)) => n.push_f64(Some(x)),
            (PartColumn::Number(n), Cell::Text(s)) => n.push_text(s),
            (PartColumn::Number(n), Cell::Other(s)) => n.push_invalid(s),
            (PartColumn::Label(l), Cell::Missing) => l.push(""),
            (PartColumn::Label(l), Cell::Int(x)) => l.push_int(x),
            (PartColumn::Label(l), Cell::Float(x)) => l.push(&format_number(x)),
            (PartColumn::Label(l), Cell::Text(s)) => l.push(s),
            (PartColumn::Label(l), Cell::Other(s)) => l.push(&s),
        }
    }

    /// Appends whole numbers without nulls that fit in `i32` (a Parquet `INT32` page).
    pub(crate) fn extend_i32(&mut self, values: &[i32]) {
        match self {
            PartColumn::Number(n) => match &mut n.values {
                Numbers::Int(v) => v.extend_from_slice(values),
                Numbers::Float(v) => v.extend(values.iter().map(|&x| f64::from(x))),
            },
            PartColumn::Label(l) => l.extend_i32(values),
        }
    }

    /// Reserves room for `n` more cells.
    pub(crate) fn reserve(&mut self, n: usize) {
        match self {
            PartColumn::Number(c) => {
                if let Numbers::Int(v) = &mut c.values {
                    v.reserve(n);
                }
            }
            PartColumn::Label(l) => l.codes.reserve(n),
        }
    }
}

/// ISO date text of a Parquet `date32` value.
#[cfg(feature = "parquet")]
pub(crate) fn date_text(days: i32) -> String {
    iso_date_from_epoch_days(i64::from(days))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::table::read_table;

    fn write(name: &str, text: &[u8]) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("rwe-data-typed-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    const WANT: [ColumnRequest<'static>; 3] = [
        ColumnRequest {
            name: "time",
            kind: ColumnKind::Number,
        },
        ColumnRequest {
            name: "status",
            kind: ColumnKind::Number,
        },
        ColumnRequest {
            name: "arm",
            kind: ColumnKind::Label,
        },
    ];

    /// The typed reader and `read_table` + `number_cells` agree cell by cell and on every message.
    fn agrees_with_table(name: &str, text: &[u8]) {
        let p = write(name, text);
        let typed = read_columns(&Source::file(&p), &WANT);
        let names: Vec<&str> = WANT.iter().map(|w| w.name).collect();
        let table = read_table(&Source::file(&p), Some(&names));
        let (typed, table) = match (typed, table) {
            (Err(ReadError::Invalid(a)), Err(ReadError::Invalid(b))) => {
                assert_eq!(a, b, "{name}: diagnostics");
                return;
            }
            (Ok(a), Ok(b)) => (a, b),
            (a, b) => panic!("{name}: typed {a:?} vs table {b:?}"),
        };
        assert_eq!(typed.n_rows(), table.n_rows(), "{name}: rows");
        for i in 0..table.n_rows() {
            assert_eq!(
                typed.row_number(i),
                table.row_number(i),
                "{name}: row of record {i}"
            );
        }
        for (w, col) in WANT.iter().zip(typed.columns()) {
            match col {
                TypedColumn::Number(c) => {
                    let (cells, bad) = table.number_cells(w.name).unwrap();
                    assert_eq!(typed.invalid_diagnostics(c), bad, "{name}: {}", w.name);
                    for (i, cell) in cells.iter().enumerate() {
                        let got = if c.missing.contains(&i) {
                            crate::NumberCell::Missing
                        } else if c.invalid.iter().any(|x| x.index == i) {
                            crate::NumberCell::Invalid
                        } else {
                            crate::NumberCell::Number(c.values.get(i))
                        };
                        assert_eq!(got, *cell, "{name}: {} record {i}", w.name);
                    }
                }
                TypedColumn::Label(c) => {
                    let column = table.column(w.name).unwrap();
                    for i in 0..table.n_rows() {
                        let want = table.text(column, i).map(|s| s.trim().to_string());
                        let want = want.filter(|s| !s.is_empty());
                        let got = (!c.missing.contains(&i))
                            .then(|| c.levels[c.codes[i] as usize].clone());
                        assert_eq!(got, want, "{name}: {} record {i}", w.name);
                    }
                }
            }
        }
    }

    #[test]
    fn agrees_with_read_table() {
        agrees_with_table("plain.csv", b"time,status,arm\n5,1,A\n8,0,B\n13,1,A\n");
        agrees_with_table(
            "messy.csv",
            b"\xEF\xBB\xBFid, time ,status,arm\r\n1, 5 ,1,A\r\n2,NA,0, B \r\n\r\n3,1.5e1,,\r\n4,-0,x,A\r\n5,+7,.,C\r\n6,2147483648,NaN,A",
        );
        agrees_with_table("ragged.csv", b"time,status,arm\n5,1\n\n8,0,B,9\n");
        agrees_with_table(
            "quoted.csv",
            b"time,status,arm\n\"5\",1,\"A, B\"\n8,0,B\n\n9,x,\"C\"\n",
        );
        agrees_with_table("missing.csv", b"time,stat,arm\n5,1,A\n");
        agrees_with_table("dup.csv", b"time,time,status,arm\n5,1,1,A\n");
        agrees_with_table("utf8.csv", b"time,status,arm\n5,1,\xff\n");
        agrees_with_table("utf8num.csv", b"time,status,arm\n5\xff,1,A\n");
        agrees_with_table("empty.csv", b"time,status,arm\n");
        agrees_with_table("blank-first.csv", b"\n\ntime,status,arm\n5,1,A\n");
        agrees_with_table("cr.csv", b"time,status,arm\r5,1,A\r6,0,B\r");
        agrees_with_table(
            "inf.csv",
            b"time,status,arm\ninf,1,A\n1e400,0,B\n0x10,1,A\n",
        );
    }

    #[test]
    fn large_files_are_split_and_rejoined_in_order() {
        // 300 000 records (more than one piece per core), a blank line and a bad cell late on.
        let mut text = b"time,status,arm\n".to_vec();
        for i in 0..300_000_u32 {
            if i == 250_000 {
                text.extend_from_slice(b"\n");
            }
            let arm = ["A", "B", "C"][(i % 7 % 3) as usize];
            let time = if i == 299_990 {
                "oops".to_string()
            } else {
                (i % 3650).to_string()
            };
            text.extend_from_slice(format!("{time},{},{arm}\n", i % 2).as_bytes());
        }
        agrees_with_table("large.csv", &text);
        let p = write("large2.csv", &text);
        let t = read_columns(&Source::file(&p), &WANT).unwrap();
        let TypedColumn::Number(time) = &t.columns()[0] else {
            panic!()
        };
        assert_eq!(time.invalid[0].index, 299_990);
        assert_eq!(t.row_number(299_990), 299_990 + 3);
        assert_eq!(t.row_number(249_999), 250_001);
    }

    #[cfg(feature = "parquet")]
    #[test]
    fn parquet_columns_agree_with_read_table() {
        use crate::table::{Column, ColumnData};
        let t = Table::from_columns(
            "t",
            vec![
                Column {
                    name: "time".into(),
                    data: ColumnData::Float(vec![Some(1.5), None, Some(3.0), Some(f64::NAN)]),
                },
                Column {
                    name: "status".into(),
                    data: ColumnData::Text(vec![Some("1"), Some("x"), None, Some(" 0 ")].into()),
                },
                Column {
                    name: "arm".into(),
                    data: ColumnData::Int(vec![Some(2), Some(10), None, Some(2)]),
                },
                Column {
                    name: "day".into(),
                    data: ColumnData::Date(vec![Some(19_000), None, Some(0), Some(1)]),
                },
            ],
        )
        .unwrap();
        let dir = std::env::temp_dir().join(format!("rwe-data-typed-pq-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.parquet");
        crate::write_parquet(&path, &t).unwrap();
        let want = [
            ColumnRequest::number("time"),
            ColumnRequest::number("status"),
            ColumnRequest::label("arm"),
            ColumnRequest::number("day"),
            ColumnRequest::number("arm"),
        ];
        let typed = read_columns(&Source::file(&path), &want).unwrap();
        let [
            TypedColumn::Number(time),
            TypedColumn::Number(status),
            TypedColumn::Label(arm),
            TypedColumn::Number(day),
            TypedColumn::Number(arm_n),
        ] = typed.columns()
        else {
            panic!("{:?}", typed.columns())
        };
        // NaN in a float column is missing, as the text NaN is in a CSV file.
        assert_eq!(
            (time.values.get(0), time.missing.clone()),
            (1.5, vec![1, 3])
        );
        assert_eq!(
            status.invalid,
            [InvalidCell {
                index: 1,
                found: "x".into()
            }]
        );
        assert_eq!(
            (status.missing.clone(), status.values.get(3)),
            (vec![2], 0.0)
        );
        assert_eq!(arm.levels, ["2", "10"]);
        assert_eq!(
            (arm.codes.clone(), arm.missing.clone()),
            (vec![0, 1, 0, 0], vec![2])
        );
        assert_eq!(arm_n.values, Numbers::Int(vec![2, 10, 0, 2]));
        let table = read_table(&Source::file(&path), Some(&["day"])).unwrap();
        assert_eq!(
            typed.invalid_diagnostics(day),
            table.number_cells("day").unwrap().1
        );
        assert_eq!(typed.row_number(3), 5);
        let Err(ReadError::Invalid(d)) =
            read_columns(&Source::file(&path), &[ColumnRequest::number("tme")])
        else {
            panic!()
        };
        assert!(d[0].expected.contains("did you mean time?"), "{}", d[0]);
    }
}
