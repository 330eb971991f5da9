//! Aligned text tables for `--format table`, printed the way R prints survival summaries: numbers with four
//! significant digits, `NA` where a value does not exist, columns right-aligned under their headers.

use std::fmt::Write as _;

/// A plain-text table.
#[derive(Debug, Clone, Default)]
pub struct TextTable {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl TextTable {
    /// A table with these column headers.
    #[must_use]
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Self {
        TextTable {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// Add a row (cells beyond the headers are ignored; missing cells are blank).
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Render: every column as wide as its widest cell, right-aligned, two spaces between columns.
    #[must_use]
    pub fn render(&self) -> String {
        let n = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for r in &self.rows {
            for (w, c) in widths.iter_mut().zip(r) {
                *w = (*w).max(c.chars().count());
            }
        }
        let mut out = String::new();
        let line = |out: &mut String, cells: &[String]| {
            let mut text = String::new();
            for (i, w) in widths.iter().enumerate().take(n) {
                let c = cells.get(i).map_or("", String::as_str);
                if i > 0 {
                    text.push_str("  ");
                }
                let _ = write!(text, "{c:>w$}");
            }
            out.push_str(text.trim_end());
            out.push('\n');
        };
        line(&mut out, &self.headers);
        for r in &self.rows {
            line(&mut out, r);
        }
        out
    }
}

/// A number to `digits` significant digits in its shortest form (`NA` for none, `Inf` for infinity).
#[must_use]
pub fn sig(x: Option<f64>, digits: usize) -> String {
    let Some(x) = x else { return "NA".to_string() };
    if x.is_nan() {
        return "NA".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Inf".into() } else { "-Inf".into() };
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let rounded: f64 = format!("{x:.prec$e}", prec = digits.saturating_sub(1))
        .parse()
        .unwrap_or(x);
    let magnitude = rounded.abs().log10().floor();
    if !(-5.0..15.0).contains(&magnitude) {
        return format!("{rounded:e}");
    }
    format!("{rounded}")
}

/// A p-value the way R prints it: four significant digits, `<2e-16` below machine precision.
#[must_use]
pub fn p_value(p: f64) -> String {
    if p < 2e-16 {
        "<2e-16".to_string()
    } else {
        sig(Some(p), 4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn significant_digits() {
        assert_eq!(sig(Some(0.913_043_478_260_87), 4), "0.913");
        assert_eq!(sig(Some(0.826_086_956_521_739), 4), "0.8261");
        assert_eq!(sig(Some(161.0), 4), "161");
        assert_eq!(sig(Some(1_234_567.0), 4), "1235000");
        assert_eq!(sig(None, 4), "NA");
        assert_eq!(sig(Some(0.000_012_345), 3), "0.0000123");
        assert_eq!(p_value(1e-20), "<2e-16");
        assert_eq!(sig(Some(1e-6), 6), "1e-6");
        assert_eq!(sig(Some(3.246_973_551_885e-7), 6), "3.24697e-7");
        assert_eq!(p_value(0.065_339_322_040_505_1), "0.06534");
    }

    #[test]
    fn aligned() {
        let mut t = TextTable::new(["time", "surv"]);
        t.row(vec!["5".into(), "0.913".into()]);
        t.row(vec!["161".into(), "NA".into()]);
        assert_eq!(t.render(), "time   surv\n   5  0.913\n 161     NA\n");
    }
}
