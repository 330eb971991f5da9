//! Excel input through `calamine`: one sheet is one table, its first non-empty row the header.
//! Cells are kept as the text a person sees: numbers in shortest form, dates as ISO 8601.

use calamine::{Data, Reader, open_workbook_auto};

use crate::table::{Column, ColumnData, ReadError, Source, Table, iso_date_from_epoch_days};

pub(crate) fn read_xlsx(
    source: &Source,
    label: &str,
    wanted: Option<&[&str]>,
) -> Result<Table, ReadError> {
    let mut workbook = open_workbook_auto(&source.path).map_err(|e| ReadError::Malformed {
        path: label.to_string(),
        format: "Excel",
        reason: e.to_string(),
    })?;
    let sheets = workbook.sheet_names();
    let sheet = match &source.sheet {
        Some(s) => {
            if !sheets.contains(s) {
                return Err(ReadError::NoSuchSheet {
                    path: source.path.display().to_string(),
                    sheet: s.clone(),
                    available: sheets.join(", "),
                });
            }
            s.clone()
        }
        None => sheets
            .first()
            .cloned()
            .ok_or_else(|| ReadError::Malformed {
                path: label.to_string(),
                format: "Excel",
                reason: "the workbook has no sheets".into(),
            })?,
    };
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|e| ReadError::Malformed {
            path: label.to_string(),
            format: "Excel",
            reason: e.to_string(),
        })?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut rows = range.rows().enumerate();
    // The header is the first row with any content.
    let header: Vec<String> = loop {
        match rows.next() {
            Some((_, r)) if r.iter().all(|c| matches!(c, Data::Empty)) => {}
            Some((_, r)) => {
                break r
                    .iter()
                    .map(|c| cell_text(c).unwrap_or_default().trim().to_string())
                    .collect();
            }
            None => return Table::from_columns(label, Vec::new()),
        }
    };
    let _ = first_col;
    let keep: Vec<usize> = (0..header.len())
        .filter(|&i| {
            !header[i].is_empty() && wanted.is_none_or(|w| w.contains(&header[i].as_str()))
        })
        .collect();
    let mut cells: Vec<Vec<Option<String>>> = vec![Vec::new(); keep.len()];
    let mut row_numbers = Vec::new();
    for (offset, r) in rows {
        if r.iter().all(|c| matches!(c, Data::Empty)) {
            continue;
        }
        row_numbers.push(u64::from(first_row) + offset as u64 + 1);
        for (slot, &i) in keep.iter().enumerate() {
            let text = r
                .get(i)
                .and_then(cell_text)
                .filter(|s| !s.trim().is_empty());
            cells[slot].push(text);
        }
    }
    let columns = keep
        .iter()
        .zip(cells)
        .map(|(&i, data)| Column {
            name: header[i].clone(),
            data: ColumnData::Text(data.into()),
        })
        .collect();
    let headers = header.into_iter().filter(|h| !h.is_empty()).collect();
    Ok(crate::table::explicit_rows(label.to_string(), columns, row_numbers).with_headers(headers))
}

fn cell_text(c: &Data) -> Option<String> {
    match c {
        Data::Empty => None,
        Data::String(s) => Some(s.clone()),
        Data::Float(x) => Some(if x.fract() == 0.0 && x.abs() < 1e15 {
            format!("{}", *x as i64)
        } else {
            format!("{x}")
        }),
        Data::Int(i) => Some(i.to_string()),
        Data::Bool(b) => Some(b.to_string()),
        Data::DateTime(dt) => Some(excel_serial_to_iso(dt.as_f64())),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Some(s.clone()),
        Data::Error(e) => Some(format!("#{e:?}")),
    }
}

/// Excel's serial day number (1900 system; day 60 is the fictitious 1900-02-29) as an ISO date, with the time
/// of day when there is one.
fn excel_serial_to_iso(serial: f64) -> String {
    let days = serial.floor();
    // Serial 25569 is 1970-01-01.
    let date = iso_date_from_epoch_days(days as i64 - 25_569);
    let secs = ((serial - days) * 86_400.0).round() as i64;
    if secs == 0 {
        date
    } else {
        format!(
            "{date}T{:02}:{:02}:{:02}",
            secs / 3600,
            (secs / 60) % 60,
            secs % 60
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::read_table;

    #[test]
    fn excel_serials() {
        assert_eq!(excel_serial_to_iso(44_564.0), "2022-01-03");
        assert_eq!(excel_serial_to_iso(44_564.5), "2022-01-03T12:00:00");
    }

    #[test]
    fn reads_a_sheet_with_spreadsheet_row_numbers() {
        let dir = std::env::temp_dir().join(format!("rwe-data-xlsx-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("book.xlsx");
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet().set_name("patients").unwrap();
        ws.write_string(0, 0, "USUBJID").unwrap();
        ws.write_string(0, 1, "AGE").unwrap();
        ws.write_string(1, 0, "P01").unwrap();
        ws.write_number(1, 1, 34.0).unwrap();
        // row 3 left blank on purpose
        ws.write_string(3, 0, "P02").unwrap();
        ws.write_string(3, 1, "thirty").unwrap();
        wb.save(&path).unwrap();

        let src = Source {
            path: path.clone(),
            sheet: Some("patients".into()),
        };
        let t = read_table(&src, None).unwrap();
        assert_eq!(t.n_rows(), 2);
        let errs = t.numbers("AGE").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].location.row, Some(4));
        assert!(errs[0].location.file.ends_with("book.xlsx[patients]"));
        let missing = read_table(
            &Source {
                path,
                sheet: Some("labs".into()),
            },
            None,
        )
        .unwrap_err();
        assert!(
            missing
                .to_string()
                .contains("no sheet named `labs` (sheets: patients)"),
            "{missing}"
        );
    }
}
