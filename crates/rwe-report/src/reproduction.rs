//! The hook for the reproduction appendix: published values (an oracle) compared with the analysis results
//! data. Each oracle entry names the ARD statistic it checks; the comparison says whether the computed value
//! lies within the entry's tolerance (or carries the same token). Rendering the appendix is left to the
//! report that uses it.

use crate::ard::ArdRow;

/// A published value.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    /// A number, on the ARD's scale (proportions for rates, months for times).
    Value(f64),
    /// A token: `NR`, `NE` or `NA`.
    Token(String),
}

/// One published value and the ARD statistic it corresponds to.
#[derive(Debug, Clone, PartialEq)]
pub struct OracleEntry {
    /// The oracle's id (`T2-21`).
    pub id: String,
    /// ARD output.
    pub output: String,
    /// ARD row.
    pub row: String,
    /// ARD column.
    pub column: String,
    /// ARD group.
    pub group: String,
    /// ARD statistic.
    pub statistic: String,
    /// The published value.
    pub expected: Expected,
    /// Largest absolute difference that still reproduces the value.
    pub tolerance: f64,
}

/// The outcome of one oracle entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The oracle's id.
    pub id: String,
    /// The ARD row found, if any.
    pub found: Option<ArdRow>,
    /// The computed value reproduces the published one.
    pub reproduced: bool,
}

/// Compares every oracle entry with the ARD.
#[must_use]
pub fn reproduce(oracle: &[OracleEntry], ard: &[ArdRow]) -> Vec<Comparison> {
    oracle
        .iter()
        .map(|o| {
            let found = ard
                .iter()
                .find(|r| {
                    r.output == o.output
                        && r.row == o.row
                        && r.column == o.column
                        && r.group == o.group
                        && r.statistic == o.statistic
                })
                .cloned();
            let reproduced = match (&found, &o.expected) {
                (Some(r), Expected::Value(x)) => {
                    r.value.is_some_and(|v| (v - x).abs() <= o.tolerance)
                }
                (Some(r), Expected::Token(t)) => r.token.as_deref() == Some(t.as_str()),
                (None, _) => false,
            };
            Comparison {
                id: o.id.clone(),
                found,
                reproduced,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(statistic: &str, value: Option<f64>, token: Option<&str>) -> ArdRow {
        ArdRow {
            output: "table2".into(),
            row: "EFS_rate12".into(),
            label: "1-year rate".into(),
            column: "fl_all".into(),
            group: String::new(),
            statistic: statistic.into(),
            value,
            token: token.map(str::to_string),
        }
    }

    #[test]
    fn values_within_tolerance_and_equal_tokens_reproduce() {
        let ard = vec![
            row("surv", Some(0.9081), None),
            row("lower", None, Some("NE")),
        ];
        let entry = |id: &str, statistic: &str, expected: Expected| OracleEntry {
            id: id.into(),
            output: "table2".into(),
            row: "EFS_rate12".into(),
            column: "fl_all".into(),
            group: String::new(),
            statistic: statistic.into(),
            expected,
            // ±0.1 percentage point, the oracle's `pct` check.
            tolerance: 0.001,
        };
        let oracle = vec![
            entry("T2-21", "surv", Expected::Value(0.908)),
            entry("x", "surv", Expected::Value(0.91)),
            entry("y", "lower", Expected::Token("NE".into())),
            entry("z", "upper", Expected::Token("NE".into())),
        ];
        let got: Vec<bool> = reproduce(&oracle, &ard)
            .iter()
            .map(|c| c.reproduced)
            .collect();
        assert_eq!(got, [true, false, true, false]);
    }
}
