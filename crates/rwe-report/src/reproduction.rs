//! The reproduction appendix: a paper's published numbers (an oracle) compared with the analysis results
//! data. Each oracle row names the ARD statistic that computes it (or none: not computed), its check type
//! (which sets the tolerance), and, where the paper is inconsistent, the inconsistency id and its one-line
//! explanation.
//!
//! Statuses, per published number (value and interval bounds together, the worst part wins):
//! - `match`: the computed number printed with the published decimals (through the report's formatter) is
//!   the published text, or the same token (`NR`, `NE`, `NA`);
//! - `within tolerance`: not printed the same, but within the check's tolerance (the paper truncated
//!   some percentages, I-23; integer-printed bounds are truncated, I-25);
//! - `mismatch`: outside the tolerance; the row's inconsistency id says why when the paper is at fault;
//! - `not targeted`: outside the tolerance on a number the data were not built to reproduce (a synthetic
//!   cohort), with the reason;
//! - `not computed`: the report computes no such number (or the published one cannot be checked).

use rwe_render::{BodyRow, Cell, Formatter, HeaderCell, Table};
use serde::{Deserialize, Serialize};

use crate::ard::ArdRow;

/// ±0.1 on the printed scale (percentage points, months): the oracle's `pct` and `tte` checks, wide
/// enough for a paper that truncated where the engine rounds half up (45.4 for 10/22, I-23).
pub const PRINTED_TOLERANCE: f64 = 0.1;
/// A value printed as an integer percentage (`pct_int`) reproduces within 1 point, exclusive.
pub const INTEGER_TOLERANCE: f64 = 1.0;
/// Decimals of a computed number printed where the paper printed a token (the paper's usual one decimal).
const TOKEN_DECIMALS: u8 = 1;
/// Slack for binary floating point when comparing a difference with a tolerance.
const FLOAT_SLACK: f64 = 1e-9;

/// How a published number is compared (the oracle's `check` column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// Equal (counts, medians printed as integers, tokens).
    Exact,
    /// A percentage, ±[`PRINTED_TOLERANCE`].
    Pct,
    /// A percentage printed as an integer, within [`INTEGER_TOLERANCE`].
    PctInt,
    /// Value ±[`PRINTED_TOLERANCE`]; interval bounds printed as truncated integers: true bound in [v, v + 1).
    CiIntTrunc,
    /// A Kaplan-Meier value and its interval, each ±[`PRINTED_TOLERANCE`].
    Tte,
    /// A known inconsistency of the paper (`flag:I-xx`); compared as [`Check::Pct`].
    Flag(String),
    /// Printed without a denominator: not compared.
    Unverifiable,
}

impl Check {
    fn parse(text: &str) -> Option<Check> {
        Some(match text {
            "exact" => Check::Exact,
            "pct" => Check::Pct,
            "pct_int" => Check::PctInt,
            "ci_int_trunc" => Check::CiIntTrunc,
            "tte" => Check::Tte,
            "unverifiable" => Check::Unverifiable,
            t => Check::Flag(t.strip_prefix("flag:")?.to_string()),
        })
    }
}

/// A published number as printed: a number (with its text, for the decimals) or a token.
#[derive(Debug, Clone, PartialEq)]
pub enum Published {
    /// A number and the text it was printed as.
    Value(f64, String),
    /// `NR`, `NE` or `NA`.
    Token(String),
}

impl Published {
    fn parse(text: &str) -> Option<Published> {
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        Some(match t.parse::<f64>() {
            Ok(v) => Published::Value(v, t.to_string()),
            Err(_) => Published::Token(t.to_string()),
        })
    }

    fn text(&self) -> &str {
        match self {
            Published::Value(_, t) | Published::Token(t) => t,
        }
    }

    /// Decimals printed; a token has none, so a number computed in its place prints with
    /// [`TOKEN_DECIMALS`].
    fn decimals(&self) -> u8 {
        match self {
            Published::Value(_, t) => t
                .split_once('.')
                .map_or(0, |(_, d)| u8::try_from(d.len()).unwrap_or(u8::MAX)),
            Published::Token(_) => TOKEN_DECIMALS,
        }
    }
}

/// Where a number lives in the ARD (the interval bounds use the same key with `lower`/`upper` or
/// `min`/`max` as statistic).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArdKey {
    /// ARD output.
    pub output: String,
    /// ARD row.
    pub row: String,
    /// ARD column.
    pub column: String,
    /// ARD group.
    pub group: String,
    /// ARD statistic of the value.
    pub statistic: String,
}

/// One published number and how to check it.
#[derive(Debug, Clone, PartialEq)]
pub struct OracleEntry {
    /// The oracle's id (`T2-21`).
    pub id: String,
    /// What is counted or estimated (`efs_1y`).
    pub quantity: String,
    /// The subgroup (`ND`, `FL consolidation`).
    pub subgroup: String,
    /// The published value (the numerator when the paper prints only a count).
    pub value: Option<Published>,
    /// The published interval, when one is printed: lower and upper bound.
    pub interval: Option<(Published, Published)>,
    /// `true` when the interval is a range (min, max), `false` for a confidence interval.
    pub range: bool,
    /// The check type.
    pub check: Check,
    /// The ARD statistic that computes it; `None`: not computed.
    pub key: Option<ArdKey>,
    /// Published × factor = the ARD's scale (0.01 for rates the ARD holds as proportions).
    pub factor: f64,
    /// The paper's inconsistency that explains a mismatch (`I-27`), or empty.
    pub inconsistency: String,
    /// The data were not built to reproduce this number.
    pub not_targeted: bool,
    /// One line: the inconsistency, why it is not targeted, or why it is not computed.
    pub explanation: String,
}

/// The result of one comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Status {
    /// Printed the same.
    #[serde(rename = "match")]
    Match,
    /// Within the check's tolerance.
    #[serde(rename = "within tolerance")]
    WithinTolerance,
    /// Outside the tolerance.
    #[serde(rename = "mismatch")]
    Mismatch,
    /// Outside the tolerance on a number the data do not aim at.
    #[serde(rename = "not targeted")]
    NotTargeted,
    /// The report computes no such number.
    #[serde(rename = "not computed")]
    NotComputed,
}

impl Status {
    /// The status as written in `reproduction.csv`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Match => "match",
            Status::WithinTolerance => "within tolerance",
            Status::Mismatch => "mismatch",
            Status::NotTargeted => "not targeted",
            Status::NotComputed => "not computed",
        }
    }
}

/// One row of `reproduction.csv` and of the appendix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The oracle's id.
    pub id: String,
    /// What is counted or estimated.
    pub quantity: String,
    /// The subgroup.
    pub subgroup: String,
    /// The published number as printed, with its interval: `90.8 (67.0, 97.0)`.
    pub published: String,
    /// The computed number printed with the published decimals; empty when not computed.
    pub computed: String,
    /// The outcome.
    pub status: Status,
    /// The inconsistency id explaining a mismatch, or empty.
    pub inconsistency: String,
    /// Why it is not a match (empty for matches).
    pub explanation: String,
}

/// Why an oracle file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum OracleError {
    /// The CSV is malformed or lacks a column.
    #[error("oracle line {line}: {message}")]
    Csv {
        /// 1-based line.
        line: u64,
        /// The reader's reason.
        message: String,
    },
    /// A field has a value the oracle does not allow.
    #[error("oracle line {line}, column `{column}`: found `{found}`, expected {expected}")]
    Field {
        /// 1-based line.
        line: u64,
        /// The column.
        column: &'static str,
        /// The value found.
        found: String,
        /// What is allowed.
        expected: &'static str,
    },
}

#[derive(Deserialize)]
struct Record {
    id: String,
    quantity: String,
    subgroup: String,
    numerator: String,
    value: String,
    ci_low: String,
    ci_high: String,
    interval: String,
    check: String,
    output: String,
    row: String,
    column: String,
    group: String,
    statistic: String,
    ard_factor: String,
    inconsistency: String,
    expect: String,
    explanation: String,
}

/// Reads an oracle CSV (columns in `docs/study-spec.md`, `[reproduction]`).
///
/// # Errors
/// [`OracleError`] naming the line and column of a malformed record or an unknown check type, factor or
/// expectation.
pub fn read_oracle(text: &str) -> Result<Vec<OracleEntry>, OracleError> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut entries = Vec::new();
    for (i, rec) in reader.deserialize::<Record>().enumerate() {
        let line = i as u64 + 2;
        let r = rec.map_err(|e| OracleError::Csv {
            line: e.position().map_or(line, csv::Position::line),
            message: e.to_string(),
        })?;
        let field = |column, found: &str, expected| OracleError::Field {
            line,
            column,
            found: found.to_string(),
            expected,
        };
        let check = Check::parse(&r.check).ok_or_else(|| {
            field(
                "check",
                &r.check,
                "exact, pct, pct_int, ci_int_trunc, tte, flag:I-xx or unverifiable",
            )
        })?;
        let key = (!r.output.is_empty()).then(|| ArdKey {
            output: r.output.clone(),
            row: r.row.clone(),
            column: r.column.clone(),
            group: r.group.clone(),
            statistic: r.statistic.clone(),
        });
        let factor = match r.ard_factor.trim() {
            "" => 1.0,
            f => f
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && *x > 0.0)
                .ok_or_else(|| field("ard_factor", f, "a number > 0"))?,
        };
        let not_targeted = match r.expect.trim() {
            "" => false,
            "not targeted" => true,
            e => return Err(field("expect", e, "empty or `not targeted`")),
        };
        let interval = match (Published::parse(&r.ci_low), Published::parse(&r.ci_high)) {
            (Some(lo), Some(hi)) => Some((lo, hi)),
            _ => None,
        };
        entries.push(OracleEntry {
            id: r.id,
            quantity: r.quantity,
            subgroup: r.subgroup,
            value: Published::parse(&r.value).or_else(|| Published::parse(&r.numerator)),
            interval,
            range: r.interval == "range",
            check,
            key,
            factor,
            inconsistency: r.inconsistency,
            not_targeted,
            explanation: r.explanation,
        });
    }
    Ok(entries)
}

/// Which part of a published number is compared: the value or a bound of its interval.
#[derive(Clone, Copy)]
enum Part {
    Value,
    Bound,
}

/// Compares one published part with the ARD row that holds it; returns the status and the computed text.
fn compare(
    published: &Published,
    found: Option<&ArdRow>,
    entry: &OracleEntry,
    part: Part,
    formatter: &Formatter,
) -> (Status, String) {
    let Some(row) = found else {
        return (Status::Mismatch, "missing".into());
    };
    let computed = match (row.value, row.token.as_deref()) {
        (Some(v), _) => Published::Value(
            v / entry.factor,
            formatter.fixed(v / entry.factor, published.decimals()),
        ),
        (None, t) => Published::Token(t.unwrap_or("NA").to_string()),
    };
    let status = match (published, &computed) {
        (Published::Token(p), Published::Token(c)) if p == c => Status::Match,
        (Published::Value(p, ptext), Published::Value(c, ctext)) => {
            let same_text = ctext.parse::<f64>().is_ok_and(|x| x == *p) || ctext == ptext;
            let diff = c - p;
            let within = match (&entry.check, part) {
                (Check::Exact | Check::Unverifiable, _) => false,
                (Check::PctInt, _) => diff.abs() < INTEGER_TOLERANCE,
                (Check::CiIntTrunc, Part::Bound) => {
                    (-FLOAT_SLACK..INTEGER_TOLERANCE).contains(&diff)
                }
                _ => diff.abs() <= PRINTED_TOLERANCE + FLOAT_SLACK,
            };
            if same_text {
                Status::Match
            } else if within {
                Status::WithinTolerance
            } else {
                Status::Mismatch
            }
        }
        _ => Status::Mismatch,
    };
    (status, computed.text().to_string())
}

/// `value (low, high)` as printed.
fn with_interval(value: &str, interval: Option<(String, String)>) -> String {
    match interval {
        Some((lo, hi)) => format!("{value} ({lo}, {hi})"),
        None => value.to_string(),
    }
}

/// Compares every oracle entry with the ARD, printing computed numbers through `formatter` with the
/// published decimals.
#[must_use]
pub fn reproduce(oracle: &[OracleEntry], ard: &[ArdRow], formatter: &Formatter) -> Vec<Comparison> {
    oracle
        .iter()
        .map(|o| {
            let published = with_interval(
                o.value.as_ref().map_or("", Published::text),
                o.interval
                    .as_ref()
                    .map(|(lo, hi)| (lo.text().to_string(), hi.text().to_string())),
            );
            let (status, computed) = match (&o.key, &o.value) {
                (Some(key), Some(value)) if o.check != Check::Unverifiable => {
                    let find = |statistic: &str| {
                        ard.iter().find(|r| {
                            r.output == key.output
                                && r.row == key.row
                                && r.column == key.column
                                && r.group == key.group
                                && r.statistic == statistic
                        })
                    };
                    let (mut status, text) =
                        compare(value, find(&key.statistic), o, Part::Value, formatter);
                    let bounds = o.interval.as_ref().map(|(lo, hi)| {
                        let (l, u) = if o.range {
                            ("min", "max")
                        } else {
                            ("lower", "upper")
                        };
                        let (sl, tl) = compare(lo, find(l), o, Part::Bound, formatter);
                        let (su, tu) = compare(hi, find(u), o, Part::Bound, formatter);
                        status = status.max(sl).max(su);
                        (tl, tu)
                    });
                    if status == Status::Mismatch && o.inconsistency.is_empty() && o.not_targeted {
                        status = Status::NotTargeted;
                    }
                    (status, with_interval(&text, bounds))
                }
                _ => (Status::NotComputed, String::new()),
            };
            let explained = matches!(
                status,
                Status::Mismatch | Status::NotTargeted | Status::NotComputed
            );
            Comparison {
                id: o.id.clone(),
                quantity: o.quantity.clone(),
                subgroup: o.subgroup.clone(),
                published,
                computed,
                status,
                inconsistency: if explained {
                    o.inconsistency.clone()
                } else {
                    String::new()
                },
                explanation: if explained {
                    o.explanation.clone()
                } else {
                    String::new()
                },
            }
        })
        .collect()
}

/// How many comparisons have each status, in [`Status`] order.
#[must_use]
pub fn counts(comparisons: &[Comparison]) -> [(Status, usize); 5] {
    [
        Status::Match,
        Status::WithinTolerance,
        Status::Mismatch,
        Status::NotTargeted,
        Status::NotComputed,
    ]
    .map(|s| (s, comparisons.iter().filter(|c| c.status == s).count()))
}

/// `reproduction.csv`: id, quantity, subgroup, published, computed, status, inconsistency, explanation.
///
/// # Errors
/// The CSV writer's error (not expected when writing to memory).
pub fn to_csv(comparisons: &[Comparison]) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for c in comparisons {
        w.serialize(c)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The appendix table: one row per published number; the footnote counts the statuses.
#[must_use]
pub fn appendix_table(comparisons: &[Comparison]) -> Table {
    let rows = comparisons
        .iter()
        .map(|c| {
            BodyRow::new(
                c.id.clone(),
                0,
                vec![
                    Cell::text(&c.quantity),
                    Cell::text(&c.subgroup),
                    Cell::text(&c.published),
                    Cell::text(&c.computed),
                    Cell::text(c.status.as_str()),
                    Cell::text(&c.inconsistency),
                    Cell::text(&c.explanation),
                ],
            )
        })
        .collect();
    let summary = counts(comparisons)
        .iter()
        .map(|(s, n)| format!("{n} {}", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    Table {
        id: "reproduction".into(),
        title: "Reproduction of the published numbers".into(),
        header: vec![
            [
                "Id",
                "Quantity",
                "Subgroup",
                "Published",
                "Computed",
                "Status",
                "Inconsistency",
                "Explanation",
            ]
            .into_iter()
            .map(HeaderCell::new)
            .collect(),
        ],
        rows,
        footnotes: vec![
            format!("{} published numbers: {summary}.", comparisons.len()),
            "Computed numbers are printed with the published decimals. Tolerances: counts exact; \
             percentages and Kaplan-Meier values ±0.1; integer percentages < 1; integer-printed \
             interval bounds truncated ([v, v + 1))."
                .into(),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ard(statistic: &str, value: Option<f64>, token: Option<&str>) -> ArdRow {
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

    const HEADER: &str = "id,quantity,subgroup,numerator,denominator,value,ci_low,ci_high,interval,unit,\
location,check,note,output,row,column,group,statistic,ard_factor,inconsistency,expect,explanation\n";

    fn one(line: &str, rows: &[ArdRow]) -> Comparison {
        let oracle = read_oracle(&format!("{HEADER}{line}\n")).unwrap();
        reproduce(&oracle, rows, &Formatter::default())
            .pop()
            .unwrap()
    }

    /// The ND 1-year EFS of the paper, 90.8 % (67.0, 97.0), against S = 0.90812 (0.67388, 0.97674):
    /// the value prints 90.8 (match), the bounds 67.4 and 97.7 lie in [67, 68) and [97, 98) (truncated).
    #[test]
    fn truncated_integer_bounds_are_within_tolerance() {
        let rows = [
            ard("surv", Some(0.908_119_658), None),
            ard("lower", Some(0.673_875_300), None),
            ard("upper", Some(0.976_741_195), None),
        ];
        let c = one(
            "T2-21,efs_1y,ND,,53,90.8,67.0,97.0,CI95,pct,T2,ci_int_trunc,,table2,EFS_rate12,fl_all,,surv,0.01,,,",
            &rows,
        );
        assert_eq!(c.published, "90.8 (67.0, 97.0)");
        assert_eq!(c.computed, "90.8 (67.4, 97.7)");
        assert_eq!(c.status, Status::WithinTolerance);
        // The same bounds under `tte` (±0.1) do not reproduce.
        let c = one(
            "x,efs_1y,ND,,53,90.8,67.0,97.0,CI95,pct,T2,tte,,table2,EFS_rate12,fl_all,,surv,0.01,,,",
            &rows,
        );
        assert_eq!(c.status, Status::Mismatch);
    }

    /// 9/14 = 64.2857 %: the paper truncated to 64.2, 0.086 from it (within ±0.1); half-up prints 64.3.
    #[test]
    fn truncated_percentage_is_within_tolerance_and_exact_text_is_a_match() {
        let rows = [ard("surv", Some(9.0 / 14.0), None)];
        let line = |v: &str| {
            format!("a,r,s,9,14,{v},,,none,pct,T2,pct,,table2,EFS_rate12,fl_all,,surv,0.01,,,")
        };
        assert_eq!(one(&line("64.2"), &rows).status, Status::WithinTolerance);
        assert_eq!(one(&line("64.3"), &rows).status, Status::Match);
        // |64.2857 - 64.4| = 0.114 and |64.2857 - 64.1| = 0.186: outside ±0.1.
        assert_eq!(one(&line("64.4"), &rows).status, Status::Mismatch);
        assert_eq!(one(&line("64.1"), &rows).status, Status::Mismatch);
    }

    /// Tokens must be equal; a mismatch keeps its inconsistency id, or becomes "not targeted"; a row
    /// without a key is "not computed".
    #[test]
    fn tokens_inconsistencies_and_not_computed() {
        let rows = [
            ard("surv", Some(1.0), None),
            ard("lower", None, Some("NE")),
            ard("upper", None, Some("NE")),
        ];
        let flagged = one(
            "T2-29,efs_1y,ND Ph+,,21,100.0,100.0,100.0,CI95,pct,T2,tte,,table2,EFS_rate12,fl_all,,surv,0.01,I-17,,S = 1 printed two ways",
            &rows,
        );
        assert_eq!(flagged.computed, "100.0 (NE, NE)");
        assert_eq!(flagged.status, Status::Mismatch);
        assert_eq!(flagged.inconsistency, "I-17");
        let tokens = one(
            "T2-23,efs_1y,FL ind,,6,100.0,NE,NE,CI95,pct,T2,tte,,table2,EFS_rate12,fl_all,,surv,0.01,,,",
            &rows,
        );
        assert_eq!(tokens.status, Status::Match);
        assert_eq!(tokens.explanation, "");
        let untargeted = one(
            "u,efs_1y,x,,6,90.0,,,none,pct,T2,tte,,table2,EFS_rate12,fl_all,,surv,0.01,,not targeted,not aimed at",
            &rows,
        );
        assert_eq!(untargeted.status, Status::NotTargeted);
        assert_eq!(untargeted.explanation, "not aimed at");
        let absent = one(
            "TP-07,followup_median,all,,96,205,15,652,range,days,text,exact,,,,,,,,,,not computed",
            &rows,
        );
        assert_eq!(
            (absent.status, absent.computed.as_str()),
            (Status::NotComputed, "")
        );
    }

    #[test]
    fn unknown_check_type_names_line_and_column() {
        let err = read_oracle(&format!(
            "{HEADER}a,q,s,1,2,3,,,none,n,x,approx,,,,,,,,,,\n"
        ))
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "oracle line 2, column `check`: found `approx`, expected exact, pct, pct_int, ci_int_trunc, \
             tte, flag:I-xx or unverifiable"
        );
    }
}
