//! Located diagnostics: every problem with user data names the file, the spreadsheet row, the column,
//! the value found, what was expected, and the rule it breaks.

use std::fmt;

use serde::Serialize;

/// Where a value came from: file name, spreadsheet row (header = row 1) and column header.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    /// File name as the user wrote it (for a workbook, `file.xlsx[sheet]`).
    pub file: String,
    /// Spreadsheet row number: the header is row 1, the first record row 2. `None` for the whole file.
    pub row: Option<u64>,
    /// Column header as written in the file. `None` for a whole row or file.
    pub column: Option<String>,
}

impl Location {
    /// A location for a whole file.
    #[must_use]
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            row: None,
            column: None,
        }
    }

    /// A location for one cell.
    #[must_use]
    pub fn cell(file: impl Into<String>, row: u64, column: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            row: Some(row),
            column: Some(column.into()),
        }
    }

    /// The same place, narrowed to a column.
    #[must_use]
    pub fn with_column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(row) = self.row {
            write!(f, ":{row}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ": column {column}")?;
        }
        Ok(())
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The data cannot be used as it is; nothing is derived while an error stands.
    Error,
    /// Suspicious but usable; reported, never silently ignored.
    Warning,
    /// The record is excluded from the analysis by a study rule (reported with the reason).
    Exclusion,
}

impl Severity {
    /// Lower-case name used in messages and JSON.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Exclusion => "exclusion",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in user data.
///
/// Displayed in the one message shape used everywhere:
/// `exposures.csv:18: column EXENDT: found 2022-01-03, expected a date on or after EXSTDT 2022-01-09 [EX-END-BEFORE-START]`
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Diagnostic {
    /// Where the value is.
    pub location: Location,
    /// How serious it is.
    pub severity: Severity,
    /// Stable rule id from the catalogue (`rwe rules`).
    pub rule: &'static str,
    /// The value found, as written (empty for a missing value).
    pub found: String,
    /// What was expected instead.
    pub expected: String,
}

impl Diagnostic {
    /// An error at `location`.
    #[must_use]
    pub fn error(
        rule: &'static str,
        location: Location,
        found: impl Into<String>,
        expected: impl Into<String>,
    ) -> Self {
        Diagnostic {
            location,
            severity: Severity::Error,
            rule,
            found: found.into(),
            expected: expected.into(),
        }
    }

    /// A warning at `location`.
    #[must_use]
    pub fn warning(
        rule: &'static str,
        location: Location,
        found: impl Into<String>,
        expected: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(rule, location, found, expected)
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let found = if self.found.is_empty() {
            "an empty value"
        } else {
            self.found.as_str()
        };
        write!(
            f,
            "{}: found {found}, expected {} [{}]",
            self.location, self.expected, self.rule
        )
    }
}

/// Diagnostics collected over a whole input, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// No diagnostics.
    #[must_use]
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }

    /// Add one.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Add many.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(ds);
    }

    /// True when any error stands (warnings and exclusions do not stop a run).
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of diagnostics of a severity.
    #[must_use]
    pub fn count(&self, severity: Severity) -> usize {
        self.0.iter().filter(|d| d.severity == severity).count()
    }

    /// All diagnostics.
    #[must_use]
    pub fn as_slice(&self) -> &[Diagnostic] {
        &self.0
    }

    /// True when there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of diagnostics.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Sort by file, row, column, rule: the order in which a data manager works through them.
    pub fn sort(&mut self) {
        self.0.sort();
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_shape() {
        let d = Diagnostic::error(
            "EX-END-BEFORE-START",
            Location::cell("exposures.csv", 18, "EXENDT"),
            "2022-01-03",
            "a date on or after EXSTDT 2022-01-09",
        );
        assert_eq!(
            d.to_string(),
            "exposures.csv:18: column EXENDT: found 2022-01-03, expected a date on or after EXSTDT 2022-01-09 [EX-END-BEFORE-START]"
        );
        let empty = Diagnostic::warning("X", Location::file("a.csv"), "", "a value");
        assert_eq!(
            empty.to_string(),
            "a.csv: found an empty value, expected a value [X]"
        );
    }
}
