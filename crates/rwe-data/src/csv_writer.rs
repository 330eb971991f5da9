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
                ColumnData::Float(v) => {
                    if let Some(x) = v.get(i).copied().flatten() {
                        let _ = write!(buf, "{x}");
                    }
                    buf.as_bytes()
                }
                ColumnData::Int(v) => {
                    if let Some(x) = v.get(i).copied().flatten() {
                        let _ = write!(buf, "{x}");
                    }
                    buf.as_bytes()
                }
                ColumnData::Bool(v) => {
                    if let Some(x) = v.get(i).copied().flatten() {
                        let _ = write!(buf, "{x}");
                    }
                    buf.as_bytes()
                }
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
}
