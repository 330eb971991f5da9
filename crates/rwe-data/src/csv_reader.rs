//! CSV input: UTF-8 with or without a byte-order mark, a header row, records of equal length.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Location};
use crate::table::{
    Column, ColumnData, RULE_DUPLICATE_COLUMN, RULE_NOT_UTF8, RULE_RAGGED_ROW, ReadError, Table,
};
use crate::text_cells::TextCells;

pub(crate) fn read_csv(
    path: &Path,
    label: &str,
    wanted: Option<&[&str]>,
) -> Result<Table, ReadError> {
    let bytes = std::fs::read(path).map_err(|source| ReadError::Io {
        path: label.to_string(),
        source,
    })?;
    read_csv_bytes(&bytes, label, wanted)
}

pub(crate) fn read_csv_bytes(
    bytes: &[u8],
    label: &str,
    wanted: Option<&[&str]>,
) -> Result<Table, ReadError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);
    let headers = reader
        .byte_headers()
        .map_err(|e| csv_error(label, &e))?
        .clone();
    let mut names = Vec::with_capacity(headers.len());
    let mut problems = Vec::new();
    for (i, raw) in headers.iter().enumerate() {
        let raw = if i == 0 {
            raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
        } else {
            raw
        };
        match std::str::from_utf8(raw) {
            Ok(s) => names.push(s.trim().to_string()),
            Err(_) => {
                problems.push(Diagnostic::error(
                    RULE_NOT_UTF8,
                    Location {
                        file: label.to_string(),
                        row: Some(1),
                        column: None,
                    },
                    String::from_utf8_lossy(raw).into_owned(),
                    "UTF-8 text (save the file as CSV UTF-8)",
                ));
                names.push(String::from_utf8_lossy(raw).trim().to_string());
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
    // Which file columns to keep, in file order.
    let keep: Vec<usize> = (0..names.len())
        .filter(|&i| wanted.is_none_or(|w| w.contains(&names[i].as_str())))
        .collect();
    let mut cells: Vec<TextCells> = vec![TextCells::new(); keep.len()];
    let mut record = csv::ByteRecord::new();
    // Row numbers are the records' line numbers (the csv reader skips blank lines, which a spreadsheet would
    // show as empty rows). They are stored only once they stop being `index + 2`.
    let mut explicit: Option<Vec<u64>> = None;
    let mut index: u64 = 0;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(label, &e)),
        }
        let row = record
            .position()
            .map_or(index + 2, |p| line_of_record(bytes, p));
        if explicit.is_none() && row != index + 2 {
            explicit = Some((0..index).map(|i| i + 2).collect());
        }
        if record.len() != names.len() {
            problems.push(Diagnostic::error(
                RULE_RAGGED_ROW,
                Location {
                    file: label.to_string(),
                    row: Some(row),
                    column: None,
                },
                format!("{} fields", record.len()),
                format!("{} fields, as in the header", names.len()),
            ));
            continue;
        }
        if let Some(rows) = explicit.as_mut() {
            rows.push(row);
        }
        index += 1;
        for (slot, &i) in keep.iter().enumerate() {
            let raw = record.get(i).unwrap_or_default();
            let text = match std::str::from_utf8(raw) {
                Ok(s) => s,
                Err(_) => {
                    problems.push(Diagnostic::error(
                        RULE_NOT_UTF8,
                        Location {
                            file: label.to_string(),
                            row: Some(row),
                            column: Some(names[i].clone()),
                        },
                        String::from_utf8_lossy(raw).into_owned(),
                        "UTF-8 text (save the file as CSV UTF-8)",
                    ));
                    ""
                }
            };
            cells[slot].push(if text.trim().is_empty() {
                None
            } else {
                Some(text)
            });
        }
    }
    if !problems.is_empty() {
        return Err(ReadError::Invalid(problems));
    }
    let columns = keep
        .iter()
        .zip(cells)
        .map(|(&i, data)| Column {
            name: names[i].clone(),
            data: ColumnData::Text(data),
        })
        .collect();
    let table = match explicit {
        Some(rows) => crate::table::explicit_rows(label.to_string(), columns, rows),
        None => Table::from_columns(label, columns)?,
    };
    Ok(table.with_headers(names))
}

/// The line on which a record's data starts. The reader's position points at the start of what it consumed,
/// which includes blank lines it skipped; count those too. (A quoted cell that spans lines makes this the
/// line in a text editor rather than the row in a spreadsheet.)
pub(crate) fn line_of_record(bytes: &[u8], p: &csv::Position) -> u64 {
    let start = usize::try_from(p.byte())
        .unwrap_or(usize::MAX)
        .min(bytes.len());
    let skipped = bytes[start..]
        .iter()
        .take_while(|&&b| b == b'\n' || b == b'\r')
        .filter(|&&b| b == b'\n')
        .count();
    p.line() + skipped as u64
}

pub(crate) fn csv_error(label: &str, e: &csv::Error) -> ReadError {
    match e.kind() {
        csv::ErrorKind::Io(io) => ReadError::Io {
            path: label.to_string(),
            source: std::io::Error::new(io.kind(), io.to_string()),
        },
        _ => ReadError::Malformed {
            path: label.to_string(),
            format: "CSV",
            reason: e.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{Source, read_table};

    fn write(name: &str, text: &[u8]) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("rwe-data-csv-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn bom_projection_and_row_numbers() {
        let p = write("a.csv", b"\xEF\xBB\xBFtime , status,group\n5,1,A\n8,0,B\n");
        let t = read_table(&Source::file(&p), Some(&["status", "time"])).unwrap();
        assert_eq!(t.columns().len(), 2);
        assert_eq!(t.numbers("time").unwrap(), vec![Some(5.0), Some(8.0)]);
        assert_eq!(t.row_number(1), 3);
        assert!(!t.has_column("group"));
    }

    #[test]
    fn ragged_rows_and_missing_columns_are_located() {
        let p = write("b.csv", b"time,status\n5,1\n8\n9,0,1\n");
        let Err(ReadError::Invalid(d)) = read_table(&Source::file(&p), None) else {
            panic!("expected Invalid")
        };
        let msgs: Vec<String> = d
            .iter()
            .map(|d| d.to_string().replace(&p.display().to_string(), "b.csv"))
            .collect();
        assert_eq!(
            msgs,
            [
                "b.csv:3: found 1 fields, expected 2 fields, as in the header [CSV-RAGGED-ROW]",
                "b.csv:4: found 3 fields, expected 2 fields, as in the header [CSV-RAGGED-ROW]",
            ]
        );
        let p = write("c.csv", b"time,status\n5,1\n");
        let Err(ReadError::Invalid(d)) = read_table(&Source::file(&p), Some(&["time", "event"]))
        else {
            panic!("expected Invalid")
        };
        assert_eq!(d.len(), 1);
        assert!(d[0].expected.contains("a column named event"), "{}", d[0]);
    }

    #[test]
    fn blank_lines_keep_spreadsheet_numbering() {
        let p = write("d.csv", b"time,status\n5,1\n\n7,x\n");
        let t = read_table(&Source::file(&p), None).unwrap();
        assert_eq!(t.n_rows(), 2);
        let errs = t.numbers("status").unwrap_err();
        assert_eq!(errs[0].location.row, Some(4));
    }
}
