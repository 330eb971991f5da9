//! XLSX output of a [`Table`] with `rust_xlsxwriter`: one worksheet named after the table.
//!
//! Cells that are one number ([`Cell::number`](crate::Cell)) are written as numbers with a number format
//! that shows the same text as the other backends (`0`, `0.0`, `0.0%`). The stored value is the printed,
//! rounded value, so a spreadsheet sum agrees with what the reader sees; the unrounded values are in the
//! ARD. Composite cells (`12 (25.0%)`) and suppressed cells stay text.
//!
//! Layout: the title in A1 (bold), a blank row, the header rows (spanning cells merged, bold, centred,
//! rules above and below), body rows (labels indented by level, heading rows bold), a blank row and the
//! footnotes. Panes are frozen below the header and right of the labels. Column widths come from the
//! longest text in each column. The document's creation time is fixed so the same table gives the same
//! bytes.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError,
};

use crate::error::RenderError;
use crate::table::{CellNumber, Table};

/// Width limits in Excel character units.
const MIN_DATA_WIDTH: f64 = 8.0;
const MAX_WIDTH: f64 = 60.0;

impl Table {
    /// The table as an XLSX workbook (`table1.xlsx`), as bytes.
    ///
    /// # Errors
    /// The shape errors of [`Table::validate`]; [`RenderError::Xlsx`] when the writer fails (for example a
    /// table wider than Excel's 16,384 columns).
    pub fn to_xlsx(&self) -> Result<Vec<u8>, RenderError> {
        self.validate()?;
        self.write_xlsx().map_err(|source| RenderError::Xlsx {
            table: self.id.clone(),
            source,
        })
    }

    fn write_xlsx(&self) -> Result<Vec<u8>, XlsxError> {
        let columns = self.column_count();
        let mut workbook = Workbook::new();
        let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
        workbook.set_properties(
            &DocProperties::new()
                .set_title(&self.title)
                .set_creation_datetime(&created),
        );
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(&self.id))?;

        let bold = Format::new().set_bold();
        let header_last = self.header.len().saturating_sub(1);
        let header_format = |i: usize, first_col: bool| {
            let mut f = Format::new()
                .set_bold()
                .set_align(FormatAlign::VerticalCenter);
            f = if first_col {
                f.set_align(FormatAlign::Left)
            } else {
                f.set_align(FormatAlign::Center)
            };
            if i == 0 {
                f = f.set_border_top(FormatBorder::Medium);
            }
            if i == header_last {
                f = f.set_border_bottom(FormatBorder::Thin);
            } else if !first_col {
                f = f.set_border_bottom(FormatBorder::Hair);
            }
            f
        };

        sheet.write_string_with_format(0, 0, &self.title, &bold)?;
        let mut row = 2u32;
        for (i, header_row) in self.header.iter().enumerate() {
            let mut col = 0usize;
            for cell in header_row {
                let f = header_format(i, col == 0);
                let c0 = col_num(col);
                if cell.span > 1 {
                    let c1 = col_num(col + cell.span - 1);
                    sheet.merge_range(row, c0, row, c1, &cell.text, &f)?;
                } else {
                    sheet.write_string_with_format(row, c0, &cell.text, &f)?;
                }
                col += cell.span;
            }
            row += 1;
        }
        let header_end = row;
        let last_row = self.rows.len().saturating_sub(1);
        for (r, body) in self.rows.iter().enumerate() {
            let bottom = |f: Format| {
                if r == last_row {
                    f.set_border_bottom(FormatBorder::Medium)
                } else {
                    f
                }
            };
            let mut label_format = Format::new().set_indent(body.indent);
            if body.bold {
                label_format = label_format.set_bold();
            }
            sheet.write_string_with_format(row, 0, &body.label, &bottom(label_format))?;
            for c in 1..columns {
                let centred = bottom(Format::new().set_align(FormatAlign::Center));
                match body.cells.get(c - 1) {
                    Some(cell) => match cell.number {
                        Some(number) if !cell.suppressed => {
                            let f = centred.set_num_format(number_format(number));
                            sheet.write_number_with_format(row, col_num(c), number.value, &f)?;
                        }
                        _ => {
                            sheet.write_string_with_format(
                                row,
                                col_num(c),
                                &cell.text,
                                &centred,
                            )?;
                        }
                    },
                    None => {
                        sheet.write_blank(row, col_num(c), &centred)?;
                    }
                }
            }
            row += 1;
        }
        row += 1;
        for note in &self.footnotes {
            sheet.write_string(row, 0, note)?;
            row += 1;
        }
        for (c, width) in self.column_widths().into_iter().enumerate() {
            sheet.set_column_width(col_num(c), width)?;
        }
        if header_end > 2 {
            sheet.set_freeze_panes(header_end, 1)?;
        }
        workbook.save_to_buffer()
    }

    /// Column widths in Excel character units from the longest text per column. A spanning header cell
    /// widens the columns it covers only when they are together narrower than its text.
    fn column_widths(&self) -> Vec<f64> {
        let columns = self.column_count();
        let mut widths = vec![0.0f64; columns];
        for body in &self.rows {
            widths[0] = widths[0].max(text_width(&body.label) + f64::from(body.indent) * 2.0);
            for (c, cell) in body.cells.iter().enumerate() {
                if let Some(w) = widths.get_mut(c + 1) {
                    *w = w.max(text_width(&cell.text));
                }
            }
        }
        let mut spanners = Vec::new();
        for header_row in &self.header {
            let mut col = 0;
            for cell in header_row {
                if cell.span == 1 {
                    widths[col] = widths[col].max(text_width(&cell.text));
                } else {
                    spanners.push((col, cell.span, text_width(&cell.text)));
                }
                col += cell.span;
            }
        }
        for (col, span, needed) in spanners {
            let covered: f64 = widths[col..col + span].iter().sum();
            if covered < needed {
                #[allow(clippy::cast_precision_loss)]
                let extra = (needed - covered) / span as f64;
                widths[col..col + span].iter_mut().for_each(|w| *w += extra);
            }
        }
        widths
            .into_iter()
            .enumerate()
            .map(|(c, w)| {
                let min = if c == 0 { 10.0 } else { MIN_DATA_WIDTH };
                (w + 2.0).clamp(min, MAX_WIDTH)
            })
            .collect()
    }
}

#[allow(clippy::cast_precision_loss)]
fn text_width(text: &str) -> f64 {
    text.chars().count() as f64
}

fn number_format(number: CellNumber) -> String {
    let mut f = "0".to_owned();
    if number.decimals > 0 {
        f.push('.');
        f.push_str(&"0".repeat(usize::from(number.decimals)));
    }
    if number.percent {
        f.push('%');
    }
    f
}

/// A worksheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, not empty.
fn sheet_name(id: &str) -> String {
    let cleaned: String = id
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    let cleaned = cleaned.trim_matches('\'').to_owned();
    if cleaned.is_empty() {
        "Table".to_owned()
    } else {
        cleaned
    }
}

/// A column index for the writer; anything beyond u16 is passed as u16::MAX so that the writer reports
/// its own column-limit error.
fn col_num(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats_match_the_printed_decimals() {
        let n = |decimals, percent| CellNumber {
            value: 0.0,
            decimals,
            percent,
        };
        assert_eq!(number_format(n(0, false)), "0");
        assert_eq!(number_format(n(1, true)), "0.0%");
        assert_eq!(number_format(n(2, false)), "0.00");
        assert_eq!(sheet_name("table[1]: efs/os"), "table1 efsos");
        assert_eq!(sheet_name("''"), "Table");
    }
}
