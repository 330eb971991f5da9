//! CSV output of a [`Table`]: header rows, then body rows, one line each (RFC 4180 quoting).
//!
//! A spanning header cell's text is written in the first column it covers and the others are left empty,
//! as a spreadsheet shows a merged cell. Row labels are indented with two spaces per level. The title and
//! footnotes are not written: they would break the column structure that makes a CSV useful; the unrounded
//! numbers behind every cell are in the ARD files, not here.

use crate::error::RenderError;
use crate::table::Table;

impl Table {
    /// The table as CSV text (`table1.csv`), UTF-8, `\n` line ends.
    ///
    /// # Errors
    /// The shape errors of [`Table::validate`]; [`RenderError::Csv`] if the writer fails.
    pub fn to_csv(&self) -> Result<String, RenderError> {
        self.validate()?;
        let csv_error = |source: csv::Error| RenderError::Csv {
            table: self.id.clone(),
            source,
        };
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        for header_row in &self.header {
            let mut record: Vec<&str> = Vec::new();
            for cell in header_row {
                record.push(&cell.text);
                record.extend(std::iter::repeat_n("", cell.span.saturating_sub(1)));
            }
            writer.write_record(&record).map_err(csv_error)?;
        }
        for row in &self.rows {
            let label = format!("{}{}", "  ".repeat(usize::from(row.indent)), row.label);
            let mut record = vec![label.as_str()];
            record.extend(self.row_texts(row));
            writer.write_record(&record).map_err(csv_error)?;
        }
        let bytes = writer
            .into_inner()
            .map_err(|e| csv_error(csv::Error::from(e.into_error())))?;
        // The writer was only given &str, so the bytes are UTF-8.
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}
