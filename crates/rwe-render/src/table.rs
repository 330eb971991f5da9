//! The table model every table backend reads: a title, a header of one or more rows whose cells may span
//! columns, body rows (a label with an indent level, then one cell per data column), and footnotes.
//!
//! A table has `1 + data columns` columns: column 0 holds the row labels ("stub"), the rest hold [`Cell`]s.
//! Header cells span columns including the stub column, so every header row's spans add up to the same
//! width. Cells hold display text that the [`Formatter`](crate::Formatter) produced, an optional number (so
//! XLSX keeps numbers as numbers) and a flag saying the value was hidden by small-cell suppression.

use crate::error::RenderError;
use crate::suppress::{Hidden, SmallCellRule};

/// The number behind a printed cell, for backends that store numbers (XLSX).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellNumber {
    /// The printed value as a number (for a percentage: the proportion, 0.908 for "90.8%").
    pub value: f64,
    /// Decimals shown.
    pub decimals: u8,
    /// Shown as a percentage.
    pub percent: bool,
}

/// One body cell: what every backend shows, plus what XLSX stores.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Display text, already formatted.
    pub text: String,
    /// The number when the whole cell is one number (`"48"`, `"90.8%"`); `None` for composite cells such
    /// as `"12 (25.0%)"`, which stay text.
    pub number: Option<CellNumber>,
    /// The value was hidden by small-cell suppression; `text` holds the mask (`"<5"`).
    pub suppressed: bool,
}

impl Cell {
    /// A text cell.
    #[must_use]
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            number: None,
            suppressed: false,
        }
    }

    /// An empty cell.
    #[must_use]
    pub fn empty() -> Cell {
        Cell::text("")
    }

    /// A cell that is one number, printed as `text`.
    #[must_use]
    pub fn number(text: impl Into<String>, number: CellNumber) -> Cell {
        Cell {
            text: text.into(),
            number: Some(number),
            suppressed: false,
        }
    }

    /// A cell whose value is hidden; `mask` is what is shown instead (`"<5"`).
    #[must_use]
    pub fn suppressed(mask: impl Into<String>) -> Cell {
        Cell {
            text: mask.into(),
            number: None,
            suppressed: true,
        }
    }
}

impl Cell {
    /// This cell, or the rule's mask when `status` says the value is hidden: the one place where a
    /// [`Suppression`](crate::Suppression) result turns into what every backend prints.
    ///
    /// ```
    /// use rwe_render::{suppress, Cell, Formatter, SmallCellRule};
    ///
    /// let rule = SmallCellRule::new(5);
    /// let counts = vec![vec![3, 10], vec![12, 20]];
    /// let hidden = suppress(&counts, &rule).unwrap();
    /// let f = Formatter::default();
    /// let cell = Cell::from(f.n_pct(3, 15)).masked(&rule, hidden.cell(0, 0));
    /// assert_eq!((cell.text.as_str(), cell.suppressed), ("<5", true));
    /// ```
    #[must_use]
    pub fn masked(self, rule: &SmallCellRule, status: Hidden) -> Cell {
        match rule.mask(status) {
            Some(mask) => Cell::suppressed(mask),
            None => self,
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::text(text)
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::text(text)
    }
}

/// One header cell spanning `span` columns (at least 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderCell {
    /// Header text.
    pub text: String,
    /// Number of columns covered.
    pub span: usize,
}

impl HeaderCell {
    /// A header cell covering one column.
    #[must_use]
    pub fn new(text: impl Into<String>) -> HeaderCell {
        HeaderCell::spanning(text, 1)
    }

    /// A header cell covering `span` columns.
    #[must_use]
    pub fn spanning(text: impl Into<String>, span: usize) -> HeaderCell {
        HeaderCell {
            text: text.into(),
            span,
        }
    }
}

/// One body row.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyRow {
    /// Row label in the stub column.
    pub label: String,
    /// Indent level of the label (0 = flush left; a category under a variable is 1).
    pub indent: u8,
    /// One cell per data column, or none for a heading row (a variable name above its categories).
    pub cells: Vec<Cell>,
    /// Print the label in bold (variable headings).
    pub bold: bool,
}

impl BodyRow {
    /// A data row.
    #[must_use]
    pub fn new(label: impl Into<String>, indent: u8, cells: Vec<Cell>) -> BodyRow {
        BodyRow {
            label: label.into(),
            indent,
            cells,
            bold: false,
        }
    }

    /// A heading row with no cells (for example "Sex, n (%)" above its categories).
    #[must_use]
    pub fn heading(label: impl Into<String>) -> BodyRow {
        BodyRow {
            label: label.into(),
            indent: 0,
            cells: Vec::new(),
            bold: true,
        }
    }
}

/// A table ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Stable identifier (file stem and HTML anchor), for example `table1`.
    pub id: String,
    /// Title as printed, for example "Table 1. Baseline characteristics".
    pub title: String,
    /// Header rows, top to bottom; each row's spans add up to the table's column count.
    pub header: Vec<Vec<HeaderCell>>,
    /// Body rows.
    pub rows: Vec<BodyRow>,
    /// Footnotes, printed below the table in order.
    pub footnotes: Vec<String>,
}

impl Table {
    /// Number of columns including the stub (label) column: the span of the first header row, or one more
    /// than the widest body row when there is no header.
    #[must_use]
    pub fn column_count(&self) -> usize {
        match self.header.first() {
            Some(row) => span_of(row),
            None => 1 + self.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0),
        }
    }

    /// Checks the shape: every header row spans the same number of columns, no span is zero, and every
    /// body row has no cells (a heading) or exactly one per data column, and there are at most 16,384
    /// columns. Backends call this first.
    ///
    /// # Errors
    /// [`RenderError::HeaderSpan`] or [`RenderError::RowWidth`] naming the table and the row;
    /// [`RenderError::TooManyColumns`].
    pub fn validate(&self) -> Result<(), RenderError> {
        let columns = self.column_count();
        if columns > MAX_COLUMNS {
            return Err(RenderError::TooManyColumns {
                table: self.id.clone(),
                found: columns,
                limit: MAX_COLUMNS,
            });
        }
        for (i, row) in self.header.iter().enumerate() {
            let span = span_of(row);
            if span != columns || row.iter().any(|c| c.span == 0) {
                return Err(RenderError::HeaderSpan {
                    table: self.id.clone(),
                    header_row: i,
                    found: span,
                    expected: columns,
                });
            }
        }
        for (i, row) in self.rows.iter().enumerate() {
            if !row.cells.is_empty() && row.cells.len() + 1 != columns {
                return Err(RenderError::RowWidth {
                    table: self.id.clone(),
                    row: i,
                    label: row.label.clone(),
                    found: row.cells.len(),
                    expected: columns.saturating_sub(1),
                });
            }
        }
        Ok(())
    }

    /// The header flattened to one text per column: the texts of all header rows covering that column,
    /// top to bottom, skipping empty ones. Used by single-header-row formats (Markdown).
    #[must_use]
    pub fn header_stack(&self) -> Vec<Vec<String>> {
        let columns = self.column_count();
        let mut stacks = vec![Vec::new(); columns];
        for row in &self.header {
            let mut col = 0;
            for cell in row {
                for stack in stacks.iter_mut().skip(col).take(cell.span) {
                    if !cell.text.is_empty() {
                        stack.push(cell.text.clone());
                    }
                }
                col += cell.span;
            }
        }
        stacks
    }

    /// The cell texts of a body row padded to the data-column count (a heading row gives empty strings).
    pub(crate) fn row_texts<'a>(&self, row: &'a BodyRow) -> Vec<&'a str> {
        let data_columns = self.column_count().saturating_sub(1);
        (0..data_columns)
            .map(|i| row.cells.get(i).map_or("", |c| c.text.as_str()))
            .collect()
    }
}

/// The widest table any backend accepts (Excel's column limit).
const MAX_COLUMNS: usize = 16_384;

/// Columns covered by a header row (saturating, so an absurd span is reported, not overflowed).
fn span_of(row: &[HeaderCell]) -> usize {
    row.iter().fold(0usize, |acc, c| acc.saturating_add(c.span))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Table {
        Table {
            id: "t".into(),
            title: "T".into(),
            header: vec![
                vec![HeaderCell::new(""), HeaderCell::spanning("Setting", 2)],
                vec![
                    HeaderCell::new("Characteristic"),
                    HeaderCell::new("ND"),
                    HeaderCell::new("R/R"),
                ],
            ],
            rows: vec![
                BodyRow::heading("Sex, n (%)"),
                BodyRow::new("Male", 1, vec!["1".into(), "2".into()]),
            ],
            footnotes: vec![],
        }
    }

    #[test]
    fn shape_checks_name_the_row() {
        assert!(small().validate().is_ok());
        let mut t = small();
        t.rows[1].cells.pop();
        assert_eq!(
            t.validate().map_err(|e| e.to_string()),
            Err("table t: body row 1 (Male) has 1 cells, expected 2".to_owned())
        );
        let mut t = small();
        t.header[0][1].span = 3;
        assert!(matches!(
            t.validate(),
            Err(RenderError::HeaderSpan { header_row: 1, .. })
        ));
        let mut t = small();
        t.header[0][1].span = usize::MAX;
        assert!(matches!(
            t.validate(),
            Err(RenderError::TooManyColumns {
                found: usize::MAX,
                ..
            })
        ));
    }

    #[test]
    fn header_stack_joins_spanning_rows() {
        assert_eq!(
            small().header_stack(),
            vec![
                vec!["Characteristic".to_owned()],
                vec!["Setting".to_owned(), "ND".to_owned()],
                vec!["Setting".to_owned(), "R/R".to_owned()],
            ]
        );
    }
}
