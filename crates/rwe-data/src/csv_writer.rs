//! CSV output: UTF-8 without a byte-order mark, a header row, numbers in their shortest round-trip form,
//! dates as ISO 8601, missing values as empty cells.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use crate::table::{ColumnData, Table, iso_date_from_epoch_days};

/// Why a CSV file could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {source}")]
pub struct CsvWriteError {
    /// The file.
    pub path: String,
    /// The operating system's reason.
    #[source]
    pub source: std::io::Error,
}

/// Write a table as CSV to `out`.
///
/// # Errors
/// The writer's I/O error.
pub fn write_csv_to(mut out: impl Write, table: &Table) -> std::io::Result<()> {
    write_csv_header(&mut out, table)?;
    write_csv_rows(out, table)
}

/// Write only the header row of a table as CSV (the first part of [`write_csv_to`]).
///
/// # Errors
/// The writer's I/O error.
pub fn write_csv_header(out: impl Write, table: &Table) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(table.columns().iter().map(|c| c.name.as_str()))
        .map_err(io)?;
    w.flush()
}

/// Write only the records of a table as CSV, without the header: a table written in parts (the same
/// columns each time) is the header once, then the records of each part, byte for byte what
/// [`write_csv_to`] writes for the whole table.
///
/// # Errors
/// The writer's I/O error.
pub fn write_csv_rows(out: impl Write, table: &Table) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    // Cells are written from the columns without a `String` each; numbers are printed into `buf`.
    let mut buf = String::new();
    let no_more: [&[u8]; 0] = [];
    for i in 0..table.n_rows() {
        for c in table.columns() {
            buf.clear();
            let field: &[u8] = match &c.data {
                ColumnData::Text(v) => v.get(i).unwrap_or_default().as_bytes(),
                ColumnData::Float(v) => shown(&mut buf, v.get(i).copied().flatten()),
                ColumnData::Int(v) => shown(&mut buf, v.get(i).copied().flatten()),
                ColumnData::Bool(v) => shown(&mut buf, v.get(i).copied().flatten()),
                ColumnData::Date(v) => {
                    if let Some(d) = v.get(i).copied().flatten() {
                        buf.push_str(&iso_date_from_epoch_days(i64::from(d)));
                    }
                    buf.as_bytes()
                }
            };
            w.write_field(field).map_err(io)?;
        }
        // An empty record ends the one whose fields were written one by one.
        w.write_record(no_more).map_err(io)?;
    }
    w.flush()
}

fn io(e: csv::Error) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

/// Write a table as a CSV file.
///
/// # Errors
/// [`CsvWriteError`] when the file cannot be created or written.
pub fn write_csv(path: &Path, table: &Table) -> Result<(), CsvWriteError> {
    let err = |source| CsvWriteError {
        path: path.display().to_string(),
        source,
    };
    let file = std::fs::File::create(path).map_err(err)?;
    write_csv_to(std::io::BufWriter::new(file), table).map_err(err)
}

/// `x` printed into `buf` (empty for a missing cell), as the bytes of a CSV field.
fn shown(buf: &mut String, x: Option<impl std::fmt::Display>) -> &[u8] {
    if let Some(x) = x {
        let _ = write!(buf, "{x}");
    }
    buf.as_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Column;

    #[test]
    fn shortest_numbers_iso_dates_empty_missing() {
        let t = Table::from_columns(
            "t",
            vec![
                Column {
                    name: "AVAL".into(),
                    data: ColumnData::Float(vec![Some(0.1 + 0.2), None]),
                },
                Column {
                    name: "ADT".into(),
                    data: ColumnData::Date(vec![Some(19_000), None]),
                },
                Column {
                    name: "EVNTDESC".into(),
                    data: ColumnData::Text(vec![Some("DEATH, ANY CAUSE"), None].into()),
                },
            ],
        )
        .unwrap();
        let mut out = Vec::new();
        write_csv_to(&mut out, &t).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "AVAL,ADT,EVNTDESC\n0.30000000000000004,2022-01-08,\"DEATH, ANY CAUSE\"\n,,\n"
        );
    }

    /// A table with `rows` of every kind of cell, row `i` made from `i` (quotes, commas, empty text).
    fn rows(from: usize, to: usize) -> Table {
        let texts = ["a", "", "b,c", "say \"x\"", "é"];
        Table::from_columns(
            "t",
            vec![
                Column {
                    name: "X".into(),
                    data: ColumnData::Float(
                        (from..to)
                            .map(|i| (i % 3 > 0).then(|| i as f64 / 7.0))
                            .collect(),
                    ),
                },
                Column {
                    name: "N".into(),
                    data: ColumnData::Int(
                        (from..to)
                            .map(|i| (i % 4 > 0).then_some(i as i64 - 5))
                            .collect(),
                    ),
                },
                Column {
                    name: "B".into(),
                    data: ColumnData::Bool(
                        (from..to)
                            .map(|i| (i % 5 > 0).then_some(i % 2 == 0))
                            .collect(),
                    ),
                },
                Column {
                    name: "D".into(),
                    data: ColumnData::Date(
                        (from..to)
                            .map(|i| (i % 6 > 0).then_some(19_000 + i as i32))
                            .collect(),
                    ),
                },
                Column {
                    name: "T".into(),
                    data: ColumnData::Text(
                        (from..to)
                            .map(|i| (i % 7 > 0).then(|| texts[i % texts.len()]))
                            .collect(),
                    ),
                },
            ],
        )
        .unwrap()
    }

    #[test]
    fn a_table_written_in_parts_is_the_whole_table() {
        let mut whole = Vec::new();
        write_csv_to(&mut whole, &rows(0, 50)).unwrap();
        let mut parts = Vec::new();
        write_csv_header(&mut parts, &rows(0, 0)).unwrap();
        for (from, to) in [(0, 17), (17, 17), (17, 50)] {
            write_csv_rows(&mut parts, &rows(from, to)).unwrap();
        }
        assert_eq!(
            String::from_utf8(parts).unwrap(),
            String::from_utf8(whole).unwrap()
        );
    }

    #[test]
    fn a_single_empty_cell_is_quoted() {
        // csv writes a record of one empty field as "" so that it is not an empty line.
        let t = Table::from_columns(
            "t",
            vec![Column {
                name: "T".into(),
                data: ColumnData::Text(vec![None, Some("x")].into()),
            }],
        )
        .unwrap();
        let mut out = Vec::new();
        write_csv_to(&mut out, &t).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "T\n\"\"\nx\n");
    }
}
