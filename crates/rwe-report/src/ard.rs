//! Analysis results data (ARD): every number behind every table cell and figure, unrounded, one row per
//! statistic, so a QC programmer can check each printed cell without parsing formatted text.
//!
//! A row names its output (`table2`, `fig2_km_efs`), the row of the output (the row's id), its label, the
//! column (a column id, or a curve / node / path of a figure), the group (a sub-row level, a grade
//! category, a time), the statistic (`n`, `pct`, `median`, `lower`, …) and its value with full precision
//! (the shortest text that reads back as the same double). A statistic without a number has an empty value
//! and a token: `NR`, `NE` or `NA`, or the small-cell mask (`<5`, `*`) when the count is hidden.

use serde::Serialize;

/// One statistic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArdRow {
    /// Table or figure id.
    pub output: String,
    /// Row id within the output (a figure's element: `curve`, `node`, `link`, `path`).
    pub row: String,
    /// The row's label as printed.
    pub label: String,
    /// Column id, or the curve / node a figure statistic belongs to.
    pub column: String,
    /// Sub-row level, grade category or time; empty when none.
    pub group: String,
    /// Statistic name.
    pub statistic: String,
    /// Unrounded value; `None` with a token.
    pub value: Option<f64>,
    /// Why there is no value: `NR`, `NE`, `NA`, or a small-cell mask.
    pub token: Option<String>,
}

/// The rows of one output being built, with the fields every row of it shares.
#[derive(Debug)]
pub(crate) struct ArdSink<'a> {
    rows: &'a mut Vec<ArdRow>,
    output: String,
}

/// The coordinates of a cell: row id, label, column and group.
#[derive(Debug, Clone, Default)]
pub(crate) struct At {
    pub row: String,
    pub label: String,
    pub column: String,
    pub group: String,
}

impl<'a> ArdSink<'a> {
    pub(crate) fn new(rows: &'a mut Vec<ArdRow>, output: &str) -> ArdSink<'a> {
        ArdSink {
            rows,
            output: output.to_string(),
        }
    }

    /// A statistic with a value (`None` without a token is written as `NA`).
    pub(crate) fn value(&mut self, at: &At, statistic: &str, value: Option<f64>) {
        let token = value.is_none().then(|| "NA".to_string());
        self.push(at, statistic, value, token);
    }

    /// A statistic that has no number, with its token.
    pub(crate) fn token(&mut self, at: &At, statistic: &str, token: &str) {
        self.push(at, statistic, None, Some(token.to_string()));
    }

    /// A statistic, hidden behind `mask` when one is given.
    pub(crate) fn masked(
        &mut self,
        at: &At,
        statistic: &str,
        value: Option<f64>,
        mask: Option<&str>,
    ) {
        match mask {
            Some(m) => self.token(at, statistic, m),
            None => self.value(at, statistic, value),
        }
    }

    /// A count (exact in f64 for any count of patients).
    pub(crate) fn count(&mut self, at: &At, statistic: &str, n: u64, mask: Option<&str>) {
        self.masked(at, statistic, Some(n as f64), mask);
    }

    fn push(&mut self, at: &At, statistic: &str, value: Option<f64>, token: Option<String>) {
        self.rows.push(ArdRow {
            output: self.output.clone(),
            row: at.row.clone(),
            label: at.label.clone(),
            column: at.column.clone(),
            group: at.group.clone(),
            statistic: statistic.to_string(),
            value,
            token,
        });
    }
}

/// The ARD as CSV: `output,row,label,column,group,statistic,value,token`, values with full precision.
///
/// # Errors
/// The CSV writer's error (only on an I/O failure of the in-memory buffer).
pub fn to_csv(rows: &[ArdRow]) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "output",
        "row",
        "label",
        "column",
        "group",
        "statistic",
        "value",
        "token",
    ])?;
    for r in rows {
        // Rust prints the shortest decimal that reads back as the same double.
        let value = r.value.map(|v| format!("{v}")).unwrap_or_default();
        w.write_record([
            r.output.as_str(),
            &r.row,
            &r.label,
            &r.column,
            &r.group,
            &r.statistic,
            &value,
            r.token.as_deref().unwrap_or(""),
        ])?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The ARD as a JSON array of objects with the CSV's fields (`value` and `token` null when absent).
///
/// # Errors
/// serde_json's error (not expected for these types: every value is finite or null).
pub fn to_json(rows: &[ArdRow]) -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(rows)?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn csv_and_json_keep_full_precision_and_tokens() {
        let mut rows = Vec::new();
        let mut sink = ArdSink::new(&mut rows, "table2");
        let at = At {
            row: "CRCRI".into(),
            label: "CR/CRi rate".into(),
            column: "rr_ind".into(),
            group: String::new(),
        };
        sink.count(&at, "n", 2, None);
        sink.value(&at, "estimate", Some(2.0 / 3.0));
        sink.token(&at, "median", "NR");
        sink.count(&at, "N", 3, Some("<5"));
        assert_eq!(
            to_csv(&rows).unwrap(),
            "output,row,label,column,group,statistic,value,token\n\
             table2,CRCRI,CR/CRi rate,rr_ind,,n,2,\n\
             table2,CRCRI,CR/CRi rate,rr_ind,,estimate,0.6666666666666666,\n\
             table2,CRCRI,CR/CRi rate,rr_ind,,median,,NR\n\
             table2,CRCRI,CR/CRi rate,rr_ind,,N,,<5\n"
        );
        let json: serde_json::Value = serde_json::from_str(&to_json(&rows).unwrap()).unwrap();
        assert_eq!(json[1]["value"].as_f64(), Some(2.0 / 3.0));
        assert!(json[2]["value"].is_null());
        assert_eq!(json[2]["token"], "NR");
    }
}
