//! The one number formatter: every table cell, figure label and annotation that shows a number is
//! printed here, so that Markdown, CSV, HTML, DOCX, XLSX and SVG can never disagree.
//!
//! # Rounding on the decimal value
//!
//! A statistic such as 2.675 is stored as the binary double 2.67499999999999982236431605997495353221893310546875.
//! Rounding that binary value half-up gives "2.67"; a reader (and SAS's `ROUND`, which applies a fuzz) expects
//! "2.68". The formatter therefore rounds the *shortest decimal string that round-trips to the same double*
//! (Rust's `{:e}` formatting, the same digits R prints with `digits = 17` trimmed): 2.675 → "2.675" → "2.68",
//! 1.005 → "1.01", and a proportion 0.0125 shifted to a percentage in decimal (not by multiplying by 100) →
//! "1.25" → "1.3%". Percentages of counts (`n / N`) are computed in exact integer arithmetic.
//!
//! [`Rounding::HalfUp`] rounds half away from zero (as SAS `ROUND` does; R's `round` rounds half to even),
//! [`Rounding::Truncate`] cuts toward zero (the seed paper truncated some confidence bounds). A value that
//! rounds to zero prints without a minus sign ("0.0", never "-0.0").
//!
//! # Tokens
//!
//! A statistic that has no number prints as a [`Token`]: `NR` (not reached: the survival curve never fell to
//! the quantile), `NE` (not estimable: for example a confidence bound that the data cannot determine, or a
//! rate beyond the last follow-up), `NA` (not applicable: for example a percentage with a zero denominator).
//! Deciding which token applies is the analysis's job; this module only prints it.

use std::fmt::Write as _;

use crate::table::{Cell, CellNumber};

/// How a value is cut to the requested number of decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rounding {
    /// Round half away from zero on the decimal value: 2.675 → 2.68, −2.675 → −2.68.
    #[default]
    HalfUp,
    /// Drop the digits beyond the requested decimals (toward zero): 2.679 → 2.67.
    Truncate,
}

/// A printed stand-in for a statistic that has no number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Token {
    /// `NR`: not reached (a survival quantile the curve never reaches).
    NotReached,
    /// `NE`: not estimable (a bound or rate the data cannot determine).
    NotEstimable,
    /// `NA`: not applicable (the statistic does not apply, for example a zero denominator).
    NotApplicable,
}

impl Token {
    /// The printed token: `NR`, `NE` or `NA`.
    #[must_use]
    pub fn text(self) -> &'static str {
        match self {
            Token::NotReached => "NR",
            Token::NotEstimable => "NE",
            Token::NotApplicable => "NA",
        }
    }

    /// What the token means, in the words a footnote uses: "not reached", "not estimable", "not applicable".
    #[must_use]
    pub fn meaning(self) -> &'static str {
        match self {
            Token::NotReached => "not reached",
            Token::NotEstimable => "not estimable",
            Token::NotApplicable => "not applicable",
        }
    }

    /// A footnote explaining the given tokens, in the order NR, NE, NA, each once:
    /// `"NE, not estimable; NR, not reached."`. Empty when no token is given.
    #[must_use]
    pub fn footnote(tokens: &[Token]) -> String {
        let mut used: Vec<Token> = tokens.to_vec();
        used.sort_by_key(|t| t.text());
        used.dedup();
        let parts: Vec<String> = used
            .iter()
            .map(|t| format!("{}, {}", t.text(), t.meaning()))
            .collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!("{}.", parts.join("; "))
        }
    }
}

/// A statistic to print: a number, or the token that stands in for a missing one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stat {
    /// A finite value.
    Value(f64),
    /// Printed as the token.
    Token(Token),
}

impl Stat {
    /// `Value(x)` when present, otherwise `NE` (the usual reading of a missing confidence bound).
    #[must_use]
    pub fn or_not_estimable(x: Option<f64>) -> Stat {
        x.map_or(Stat::Token(Token::NotEstimable), Stat::Value)
    }

    /// `Value(x)` when present, otherwise `NR` (the usual reading of a missing survival quantile).
    #[must_use]
    pub fn or_not_reached(x: Option<f64>) -> Stat {
        x.map_or(Stat::Token(Token::NotReached), Stat::Value)
    }
}

impl From<f64> for Stat {
    fn from(x: f64) -> Stat {
        Stat::Value(x)
    }
}

impl From<Token> for Stat {
    fn from(t: Token) -> Stat {
        Stat::Token(t)
    }
}

/// A two-sided confidence interval to print after an estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Lower bound (a proportion for [`Formatter::percent_ci`]).
    pub lower: Stat,
    /// Upper bound.
    pub upper: Stat,
    /// Confidence level as a proportion, for example 0.95; printed as "95% CI".
    pub level: f64,
}

/// The number formatter shared by every backend. Construct with [`Formatter::default`] and adjust fields.
///
/// ```
/// use rwe_render::{Formatter, Interval, Stat, Token};
///
/// let f = Formatter::default();
/// assert_eq!(f.n_pct(12, 48), "12 (25.0%)");
/// let ci = Interval { lower: Stat::Value(0.670), upper: Stat::Value(0.970), level: 0.95 };
/// assert_eq!(f.percent_ci(Stat::Value(0.908), &ci), "90.8% (95% CI: 67.0%, 97.0%)");
/// let ci = Interval { lower: Stat::Value(9.4), upper: Stat::Token(Token::NotEstimable), level: 0.95 };
/// assert_eq!(f.stat_ci(Stat::Token(Token::NotReached), &ci), "NR (95% CI: 9.4, NE)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formatter {
    /// Decimals for continuous values (means, medians, times). Default 1.
    pub decimals: u8,
    /// Decimals for percentages. Default 1.
    pub percent_decimals: u8,
    /// How values are cut to their decimals. Default [`Rounding::HalfUp`].
    pub rounding: Rounding,
}

impl Default for Formatter {
    fn default() -> Formatter {
        Formatter {
            decimals: 1,
            percent_decimals: 1,
            rounding: Rounding::HalfUp,
        }
    }
}

impl Formatter {
    /// `x` with exactly `decimals` decimals under this formatter's rounding; `NA` when `x` is not finite.
    #[must_use]
    pub fn fixed(&self, x: f64, decimals: u8) -> String {
        match Decimal::from_f64(x) {
            Some(d) => d.round(decimals, self.rounding),
            None => Token::NotApplicable.text().to_owned(),
        }
    }

    /// A continuous value with [`Formatter::decimals`] decimals.
    #[must_use]
    pub fn number(&self, x: f64) -> String {
        self.fixed(x, self.decimals)
    }

    /// A count, as an integer.
    #[must_use]
    pub fn count(&self, n: u64) -> String {
        n.to_string()
    }

    /// A proportion (0.908) printed as a percentage with [`Formatter::percent_decimals`]: `"90.8%"`.
    /// The shift by 100 happens on the decimal digits, so 0.0125 prints "1.3%".
    #[must_use]
    pub fn percent(&self, proportion: f64) -> String {
        match self.percent_digits(proportion) {
            Some(digits) => format!("{digits}%"),
            None => Token::NotApplicable.text().to_owned(),
        }
    }

    /// The percentage `100 · n / denominator`, computed exactly in integers: `percent_of(1, 16)` = `"6.3%"`.
    /// A zero denominator prints `NA`.
    #[must_use]
    pub fn percent_of(&self, n: u64, denominator: u64) -> String {
        match self.ratio_digits(n, denominator) {
            Some(s) => format!("{s}%"),
            None => Token::NotApplicable.text().to_owned(),
        }
    }

    /// The `n (pct)` cell of a baseline table: `"12 (25.0%)"`; with a zero denominator `"0 (NA)"`.
    #[must_use]
    pub fn n_pct(&self, n: u64, denominator: u64) -> String {
        format!("{} ({})", n, self.percent_of(n, denominator))
    }

    /// A proportion of counts with its numerator and denominator, as response rates are printed:
    /// `"50.0% (14/28)"`, and with an interval `"50.0% (14/28; 95% CI: 30.6%, 69.4%)"` (the bounds are
    /// proportions). The percentage is computed exactly from the counts; a zero denominator prints `NA`.
    #[must_use]
    pub fn rate(&self, n: u64, denominator: u64, ci: Option<&Interval>) -> String {
        if denominator == 0 {
            return Token::NotApplicable.text().to_owned();
        }
        let counts = format!("{}/{}", n, denominator);
        match ci {
            Some(ci) => format!(
                "{} ({counts}; {}: {}, {})",
                self.percent_of(n, denominator),
                self.ci_label(ci.level),
                self.percent_stat(ci.lower),
                self.percent_stat(ci.upper)
            ),
            None => format!("{} ({counts})", self.percent_of(n, denominator)),
        }
    }

    /// A statistic with [`Formatter::decimals`], or its token.
    #[must_use]
    pub fn stat(&self, s: Stat) -> String {
        match s {
            Stat::Value(x) => self.number(x),
            Stat::Token(t) => t.text().to_owned(),
        }
    }

    /// A proportion statistic as a percentage (`"62.0%"`), or its token (`"NE"`, no percent sign).
    #[must_use]
    pub fn percent_stat(&self, s: Stat) -> String {
        match s {
            Stat::Value(x) => self.percent(x),
            Stat::Token(t) => t.text().to_owned(),
        }
    }

    /// The label of a confidence interval: 0.95 → `"95% CI"`, 0.975 → `"97.5% CI"`.
    #[must_use]
    pub fn ci_label(&self, level: f64) -> String {
        let digits = match Decimal::from_f64(level) {
            Some(d) => d.shift(2).plain(),
            None => Token::NotApplicable.text().to_owned(),
        };
        format!("{digits}% CI")
    }

    /// A proportion with its interval, all as percentages: `"90.8% (95% CI: 67.0%, 97.0%)"`;
    /// tokens print bare: `"100.0% (95% CI: NE, NE)"`.
    #[must_use]
    pub fn percent_ci(&self, estimate: Stat, ci: &Interval) -> String {
        format!(
            "{} ({}: {}, {})",
            self.percent_stat(estimate),
            self.ci_label(ci.level),
            self.percent_stat(ci.lower),
            self.percent_stat(ci.upper)
        )
    }

    /// A value with its interval: `"9.4 (95% CI: 5.1, 14.0)"`, `"NR (95% CI: 9.4, NE)"`.
    #[must_use]
    pub fn stat_ci(&self, estimate: Stat, ci: &Interval) -> String {
        format!(
            "{} ({}: {}, {})",
            self.stat(estimate),
            self.ci_label(ci.level),
            self.stat(ci.lower),
            self.stat(ci.upper)
        )
    }

    /// Mean and standard deviation: `"12.3 (4.5)"`; a missing SD (one observation) prints `NA`.
    #[must_use]
    pub fn mean_sd(&self, mean: f64, sd: Option<f64>) -> String {
        let sd = sd.map_or_else(
            || Token::NotApplicable.text().to_owned(),
            |s| self.number(s),
        );
        format!("{} ({})", self.number(mean), sd)
    }

    /// Median with minimum and maximum: `"61.0 (23.0, 84.0)"`.
    #[must_use]
    pub fn median_range(&self, median: f64, min: f64, max: f64) -> String {
        format!(
            "{} ({}, {})",
            self.number(median),
            self.number(min),
            self.number(max)
        )
    }

    /// A count as a table cell that stays a number in XLSX.
    #[must_use]
    pub fn count_cell(&self, n: u64) -> Cell {
        // u64 → f64 is exact up to 2^53, far beyond any count of patients.
        let value = n as f64;
        Cell::number(
            self.count(n),
            CellNumber {
                value,
                decimals: 0,
                percent: false,
            },
        )
    }

    /// A continuous value as a cell (XLSX holds the printed, rounded value as a number).
    #[must_use]
    pub fn number_cell(&self, x: f64) -> Cell {
        self.numeric_cell(self.number(x), self.decimals, false, 0)
    }

    /// A proportion as a percentage cell (XLSX holds the printed proportion, e.g. 0.908 shown as 90.8%).
    #[must_use]
    pub fn percent_cell(&self, proportion: f64) -> Cell {
        match self.percent_digits(proportion) {
            Some(digits) => self.numeric_cell(digits, self.percent_decimals, true, -2),
            None => Cell::text(Token::NotApplicable.text()),
        }
    }

    /// A statistic as a cell: a number cell, or a text cell holding the token.
    #[must_use]
    pub fn stat_cell(&self, s: Stat) -> Cell {
        match s {
            Stat::Value(x) => self.number_cell(x),
            Stat::Token(t) => Cell::text(t.text()),
        }
    }

    fn numeric_cell(&self, digits: String, decimals: u8, percent: bool, exponent: i32) -> Cell {
        // The printed digits are parsed back, so XLSX stores exactly what the other backends show.
        let parsed = format!("{digits}e{exponent}").parse::<f64>();
        match parsed {
            Ok(value) => {
                let text = if percent {
                    format!("{digits}%")
                } else {
                    digits
                };
                Cell::number(
                    text,
                    CellNumber {
                        value,
                        decimals,
                        percent,
                    },
                )
            }
            // Not a number: the digits are a token such as NA.
            Err(_) => Cell::text(digits),
        }
    }

    fn percent_digits(&self, proportion: f64) -> Option<String> {
        Decimal::from_f64(proportion)
            .map(|d| d.shift(2).round(self.percent_decimals, self.rounding))
    }

    fn ratio_digits(&self, n: u64, denominator: u64) -> Option<String> {
        if denominator == 0 {
            return None;
        }
        // 100 · n · 10^decimals / denominator as an integer quotient and remainder (u128: no overflow for
        // any u64 count with up to 15 decimals).
        let decimals = u32::from(self.percent_decimals.min(15));
        let numerator = u128::from(n) * 100 * 10u128.pow(decimals);
        let d = u128::from(denominator);
        let mut q = numerator / d;
        let r = numerator % d;
        if self.rounding == Rounding::HalfUp && 2 * r >= d {
            q += 1;
        }
        Some(place_point(&q.to_string(), decimals as usize))
    }
}

/// Inserts a decimal point `decimals` digits from the right of an unsigned integer string.
fn place_point(integer: &str, decimals: usize) -> String {
    if decimals == 0 {
        return integer.to_owned();
    }
    let padded = format!("{integer:0>width$}", width = decimals + 1);
    let (int_part, frac_part) = padded.split_at(padded.len() - decimals);
    format!("{int_part}.{frac_part}")
}

/// A finite number as its shortest round-trip decimal digits: value = ±0.d₁d₂d₃… × 10^point.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Decimal {
    negative: bool,
    /// Significant digits, first one non-zero; empty for zero.
    digits: Vec<u8>,
    point: i32,
}

impl Decimal {
    fn from_f64(x: f64) -> Option<Decimal> {
        if !x.is_finite() {
            return None;
        }
        if x == 0.0 {
            return Some(Decimal {
                negative: false,
                digits: Vec::new(),
                point: 0,
            });
        }
        // `{:e}` prints the shortest digits that round-trip: "2.675e0", "1.25e-2".
        let text = format!("{:e}", x.abs());
        let (mantissa, exponent) = text.split_once('e')?;
        let exponent: i32 = exponent.parse().ok()?;
        let digits: Vec<u8> = mantissa
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect();
        Some(Decimal {
            negative: x < 0.0,
            digits,
            point: exponent + 1,
        })
    }

    /// Multiplies by 10^places (exactly, on the digits).
    fn shift(mut self, places: i32) -> Decimal {
        if !self.digits.is_empty() {
            self.point += places;
        }
        self
    }

    /// Exactly `decimals` decimals.
    fn round(&self, decimals: u8, rounding: Rounding) -> String {
        let keep = self.point + i32::from(decimals);
        // Digits of the integer N = round(|x| · 10^decimals).
        let mut kept: Vec<u8> = Vec::new();
        let mut next = 0u8;
        if keep >= 0 {
            let keep = usize::try_from(keep).unwrap_or(0);
            kept = (0..keep)
                .map(|i| self.digits.get(i).copied().unwrap_or(0))
                .collect();
            next = self.digits.get(keep).copied().unwrap_or(0);
        }
        if rounding == Rounding::HalfUp && next >= 5 {
            increment(&mut kept);
        }
        let integer: String = kept
            .iter()
            .skip_while(|&&d| d == 0)
            .map(|d| char::from(b'0' + d))
            .collect();
        let is_zero = integer.is_empty();
        let integer = if is_zero { "0".to_owned() } else { integer };
        let body = place_point(&integer, usize::from(decimals));
        if self.negative && !is_zero {
            format!("-{body}")
        } else {
            body
        }
    }

    /// All significant digits, no exponent: 0.975 shifted by 2 → "97.5".
    fn plain(&self) -> String {
        if self.digits.is_empty() {
            return "0".to_owned();
        }
        let decimals = usize::try_from(i32::try_from(self.digits.len()).unwrap_or(0) - self.point)
            .unwrap_or(0);
        let mut out = String::new();
        if self.negative {
            out.push('-');
        }
        let integer: String = self.digits.iter().map(|d| char::from(b'0' + d)).collect();
        let zeros = usize::try_from(self.point - i32::try_from(self.digits.len()).unwrap_or(0))
            .unwrap_or(0);
        let _ = write!(
            out,
            "{}",
            place_point(&format!("{integer}{}", "0".repeat(zeros)), decimals)
        );
        out
    }
}

/// Adds one to a big-endian decimal digit vector, growing it on carry (99 → 100; empty → 1).
fn increment(digits: &mut Vec<u8>) {
    for d in digits.iter_mut().rev() {
        if *d == 9 {
            *d = 0;
        } else {
            *d += 1;
            return;
        }
    }
    digits.insert(0, 1);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn f() -> Formatter {
        Formatter::default()
    }

    fn truncating() -> Formatter {
        Formatter {
            rounding: Rounding::Truncate,
            ..Formatter::default()
        }
    }

    #[test]
    fn half_up_uses_the_decimal_value_not_the_binary_one() {
        // 2.675 is stored as 2.67499999999999982…; its shortest decimal is "2.675" → half-up "2.68".
        assert_eq!(f().fixed(2.675, 2), "2.68");
        // 1.005 is stored as 1.00499999999999989…; shortest "1.005" → "1.01".
        assert_eq!(f().fixed(1.005, 2), "1.01");
        // 0.0125 → 1.25% on the digits → "1.3%" (half-up at the second decimal).
        assert_eq!(f().percent(0.0125), "1.3%");
        assert_eq!(f().fixed(0.125, 2), "0.13");
        assert_eq!(f().fixed(0.05, 1), "0.1");
        assert_eq!(f().fixed(9.95, 1), "10.0");
        assert_eq!(f().fixed(99.96, 1), "100.0");
        assert_eq!(f().fixed(0.0004, 3), "0.000");
        assert_eq!(f().fixed(0.0005, 3), "0.001");
        assert_eq!(f().fixed(123.0, 0), "123");
        assert_eq!(f().fixed(0.5, 0), "1");
        assert_eq!(f().fixed(0.49, 0), "0");
        assert_eq!(f().fixed(1e-20, 2), "0.00");
        assert_eq!(f().fixed(1234567.0, 1), "1234567.0");
    }

    #[test]
    fn negative_values_round_away_from_zero_and_never_print_minus_zero() {
        assert_eq!(f().fixed(-2.675, 2), "-2.68");
        assert_eq!(f().fixed(-0.04, 1), "0.0");
        assert_eq!(f().fixed(-0.05, 1), "-0.1");
        assert_eq!(truncating().fixed(-2.679, 2), "-2.67");
        assert_eq!(f().fixed(-0.0, 1), "0.0");
    }

    #[test]
    fn truncation_cuts_toward_zero() {
        assert_eq!(truncating().fixed(2.679, 2), "2.67");
        // The seed paper's 45.4%: 0.4545… truncated (half-up would give 45.5%).
        assert_eq!(truncating().percent(0.454_545_45), "45.4%");
        assert_eq!(truncating().percent_of(5, 11), "45.4%");
        assert_eq!(f().percent_of(5, 11), "45.5%");
        // 6.25% (1/16): truncated 6.2%, half-up 6.3% — both appear in the seed paper.
        assert_eq!(truncating().percent_of(1, 16), "6.2%");
        assert_eq!(f().percent_of(1, 16), "6.3%");
    }

    #[test]
    fn non_finite_values_print_na() {
        assert_eq!(f().number(f64::NAN), "NA");
        assert_eq!(f().percent(f64::INFINITY), "NA");
    }

    #[test]
    fn counts_and_percentages_of_counts() {
        // 12/48 = 25% exactly.
        assert_eq!(f().n_pct(12, 48), "12 (25.0%)");
        // 64/96 = 66.666…% → 66.7%; 20/96 = 20.833…% → 20.8%; 7/96 = 7.2916…% → 7.3%.
        assert_eq!(f().n_pct(64, 96), "64 (66.7%)");
        assert_eq!(f().n_pct(20, 96), "20 (20.8%)");
        assert_eq!(f().n_pct(7, 96), "7 (7.3%)");
        // 4/13 = 30.769…% → 30.8% (seed paper, half-up).
        assert_eq!(f().n_pct(4, 13), "4 (30.8%)");
        assert_eq!(f().n_pct(0, 0), "0 (NA)");
        assert_eq!(f().n_pct(96, 96), "96 (100.0%)");
        let two = Formatter {
            percent_decimals: 0,
            ..Formatter::default()
        };
        // 1/8 = 12.5% → half-up 13%.
        assert_eq!(two.n_pct(1, 8), "1 (13%)");
    }

    #[test]
    fn intervals_print_as_the_paper_does() {
        let ci = Interval {
            lower: Stat::Value(0.670),
            upper: Stat::Value(0.970),
            level: 0.95,
        };
        assert_eq!(
            f().percent_ci(Stat::Value(0.908), &ci),
            "90.8% (95% CI: 67.0%, 97.0%)"
        );
        let ne = Interval {
            lower: Stat::Token(Token::NotEstimable),
            upper: Stat::Token(Token::NotEstimable),
            level: 0.95,
        };
        assert_eq!(
            f().percent_ci(Stat::Value(1.0), &ne),
            "100.0% (95% CI: NE, NE)"
        );
        let median_ci = Interval {
            lower: Stat::Value(9.4),
            upper: Stat::or_not_estimable(None),
            level: 0.95,
        };
        assert_eq!(
            f().stat_ci(Stat::or_not_reached(None), &median_ci),
            "NR (95% CI: 9.4, NE)"
        );
        let median_ci = Interval {
            lower: Stat::Value(1.0),
            upper: Stat::Token(Token::NotEstimable),
            level: 0.95,
        };
        assert_eq!(
            f().stat_ci(Stat::Value(2.7), &median_ci),
            "2.7 (95% CI: 1.0, NE)"
        );
        assert_eq!(f().ci_label(0.975), "97.5% CI");
        assert_eq!(f().ci_label(0.9), "90% CI");
    }

    #[test]
    fn rates_print_the_counts_behind_them() {
        // 14/28 = 50% exactly; 9/14 = 64.2857…% → 64.3% (the paper truncated it to 64.2%, I-23).
        assert_eq!(f().rate(14, 28, None), "50.0% (14/28)");
        assert_eq!(f().rate(9, 14, None), "64.3% (9/14)");
        assert_eq!(truncating().rate(9, 14, None), "64.2% (9/14)");
        assert_eq!(f().rate(0, 0, None), "NA");
        // binom.test(14, 28): 0.3064709615…, 0.6935290384…
        let ci = Interval {
            lower: Stat::Value(0.306_470_961_5),
            upper: Stat::Value(0.693_529_038_4),
            level: 0.95,
        };
        assert_eq!(
            f().rate(14, 28, Some(&ci)),
            "50.0% (14/28; 95% CI: 30.6%, 69.4%)"
        );
    }

    #[test]
    fn descriptive_cells() {
        assert_eq!(f().mean_sd(12.345, Some(4.55)), "12.3 (4.6)");
        assert_eq!(f().mean_sd(12.0, None), "12.0 (NA)");
        assert_eq!(f().median_range(61.0, 23.0, 84.25), "61.0 (23.0, 84.3)");
    }

    #[test]
    fn token_footnote_lists_each_token_once_in_order() {
        assert_eq!(
            Token::footnote(&[Token::NotReached, Token::NotEstimable, Token::NotReached]),
            "NE, not estimable; NR, not reached."
        );
        assert_eq!(Token::footnote(&[]), "");
    }

    #[test]
    fn cells_keep_the_printed_value_as_a_number() {
        let c = f().percent_cell(0.0125);
        assert_eq!(c.text, "1.3%");
        let n = c.number.expect("numeric");
        assert!(
            (n.value - 0.013).abs() < 1e-15,
            "percent cell value {}",
            n.value
        );
        assert!(n.percent);
        let c = f().number_cell(2.675);
        assert_eq!(c.text, "2.7");
        assert_eq!(c.number.map(|n| n.value), Some(2.7));
        assert_eq!(f().count_cell(48).number.map(|n| n.value), Some(48.0));
        let c = f().number_cell(f64::NAN);
        assert_eq!(c.text, "NA");
        assert!(c.number.is_none());
    }

    proptest! {
        /// Half-up at 1 decimal agrees with exact integer rounding of the decimal value for values with at
        /// most 3 decimals (k / 1000), where the shortest representation is exactly k / 1000.
        #[test]
        fn half_up_matches_integer_arithmetic(k in 0u64..10_000_000) {
            let x = k as f64 / 1000.0;
            let expected_tenths = (k + 50) / 100; // half-up on thousandths
            let expected = place_point(&expected_tenths.to_string(), 1);
            prop_assert_eq!(f().fixed(x, 1), expected);
            let truncated = place_point(&(k / 100).to_string(), 1);
            prop_assert_eq!(truncating().fixed(x, 1), truncated);
        }

        /// Percent of counts (exact rationals) agrees with the decimal path on exactly representable cases.
        #[test]
        fn percent_of_matches_percent_for_exact_halves(n in 0u64..1000, d_pow in 0u32..6) {
            let d = 2u64.pow(d_pow) * 5u64.pow(d_pow.min(2));
            prop_assume!(n <= d);
            let p = n as f64 / d as f64;
            prop_assert_eq!(f().percent_of(n, d), f().percent(p));
        }
    }
}
