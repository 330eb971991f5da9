//! CSV output: UTF-8 without a byte-order mark, a header row, numbers in their shortest round-trip form,
//! dates as ISO 8601, missing values as empty cells.

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
pub fn write_csv_to(out: impl Write, table: &Table) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let io = |e: csv::Error| std::io::Error::other(e.to_string());
    w.write_record(table.columns().iter().map(|c| c.name.as_str()))
        .map_err(io)?;
    let mut record: Vec<String> = Vec::with_capacity(table.columns().len());
    for i in 0..table.n_rows() {
        record.clear();
        for c in table.columns() {
            record.push(cell(&c.data, i));
        }
        w.write_record(&record).map_err(io)?;
    }
    w.flush()
}

fn cell(data: &ColumnData, i: usize) -> String {
    match data {
        ColumnData::Text(v) => v.get(i).cloned().flatten().unwrap_or_default(),
        ColumnData::Float(v) => v
            .get(i)
            .copied()
            .flatten()
            .map(|x| format!("{x}"))
            .unwrap_or_default(),
        ColumnData::Int(v) => v
            .get(i)
            .copied()
            .flatten()
            .map(|x| x.to_string())
            .unwrap_or_default(),
        ColumnData::Bool(v) => v
            .get(i)
            .copied()
            .flatten()
            .map(|x| x.to_string())
            .unwrap_or_default(),
        ColumnData::Date(v) => v
            .get(i)
            .copied()
            .flatten()
            .map(|d| iso_date_from_epoch_days(i64::from(d)))
            .unwrap_or_default(),
    }
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
                    data: ColumnData::Text(vec![Some("DEATH, ANY CAUSE".into()), None]),
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
