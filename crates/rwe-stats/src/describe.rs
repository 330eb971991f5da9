//! Descriptive summaries for a "Table 1": counts, mean, SD, median, quartiles and range of a numeric
//! variable, and counts and percentages of the levels of a categorical one.
//!
//! Quartiles follow a named [`PercentileDefinition`]: SAS's default (`PCTLDEF=5`, also R's `type = 2`)
//! unless R's default (`type = 7`) is asked for. The seed study was analysed in SAS, so SAS's
//! definition is the default here; the two differ only when `n·p` is not a whole number or, for
//! SAS, lands exactly on an order statistic.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::convention::UnknownName;

/// How a sample percentile is defined for sorted values `x(1) ≤ … ≤ x(n)` and a probability `p`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
pub enum PercentileDefinition {
    /// SAS `PCTLDEF=5` (the default of PROC UNIVARIATE and PROC MEANS): with `n·p = j + g`
    /// (`j` whole, `0 ≤ g < 1`), `x(j+1)` if `g > 0`, else `(x(j) + x(j+1)) / 2`; p = 0 and p = 1 give the
    /// minimum and maximum. Identical to R `quantile(type = 2)`.
    ///
    /// `n·p` counts as whole when within 4 ulps of a whole number, so p = 0.3 of n = 10 (3.0000000000000004
    /// in binary) averages `x(3)` and `x(4)` as SAS does for PCTLPTS=30; R's type 2 does not allow this
    /// slack and returns `x(4)` there.
    #[default]
    #[serde(rename = "sas5")]
    Sas5,
    /// R's default `quantile(type = 7)`: linear interpolation at `h = (n − 1)p + 1`,
    /// `x(⌊h⌋) + (h − ⌊h⌋)(x(⌊h⌋+1) − x(⌊h⌋))`.
    #[serde(rename = "r7")]
    R7,
}

impl PercentileDefinition {
    /// The name used on the command line, in specs and in JSON.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            PercentileDefinition::Sas5 => "sas5",
            PercentileDefinition::R7 => "r7",
        }
    }
}

impl fmt::Display for PercentileDefinition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PercentileDefinition {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sas5" | "sas" | "pctldef5" | "pctldef=5" | "r2" | "type2" => {
                Ok(PercentileDefinition::Sas5)
            }
            "r7" | "r" | "type7" => Ok(PercentileDefinition::R7),
            _ => Err(UnknownName {
                found: s.to_string(),
                expected: "sas5 or r7",
            }),
        }
    }
}

/// Invalid input to a descriptive summary.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DescribeError {
    /// A value that is NaN or infinite (a missing value is `None`, not NaN).
    #[error("value {index}: found {value}, expected a finite number (use None for missing)")]
    NonFinite {
        /// Position in the input (0-based).
        index: usize,
        /// The value given.
        value: f64,
    },
    /// A percentile probability outside [0, 1].
    #[error("found probability {p}, expected a number between 0 and 1")]
    Probability {
        /// The probability given.
        p: f64,
    },
}

/// Summary of a numeric variable. Statistics are `None` when there are too few non-missing values
/// (none; fewer than 2 for the SD).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NumericSummary {
    /// Non-missing values.
    pub n: u64,
    /// Missing values.
    pub n_missing: u64,
    /// Arithmetic mean.
    pub mean: Option<f64>,
    /// Sample standard deviation (divisor n − 1).
    pub sd: Option<f64>,
    /// Median (the 0.5 percentile).
    pub median: Option<f64>,
    /// First quartile (0.25 percentile).
    pub q1: Option<f64>,
    /// Third quartile (0.75 percentile).
    pub q3: Option<f64>,
    /// Smallest value.
    pub min: Option<f64>,
    /// Largest value.
    pub max: Option<f64>,
    /// The percentile definition used for the median and quartiles.
    pub definition: PercentileDefinition,
}

/// Summarizes a numeric variable; `None` entries are missing.
///
/// ```
/// use rwe_stats::{summarize, PercentileDefinition};
/// let s = summarize(&[Some(1.0), Some(2.0), None, Some(3.0), Some(4.0)], PercentileDefinition::Sas5).unwrap();
/// assert_eq!((s.n, s.n_missing), (4, 1));
/// assert_eq!(s.median, Some(2.5));
/// ```
///
/// # Errors
/// [`DescribeError::NonFinite`] when a value is NaN or infinite.
pub fn summarize(
    values: &[Option<f64>],
    definition: PercentileDefinition,
) -> Result<NumericSummary, DescribeError> {
    let mut x: Vec<f64> = Vec::with_capacity(values.len());
    for (index, v) in values.iter().enumerate() {
        if let Some(v) = *v {
            if !v.is_finite() {
                return Err(DescribeError::NonFinite { index, value: v });
            }
            x.push(v);
        }
    }
    let n = x.len();
    let n_missing = (values.len() - n) as u64;
    x.sort_by(f64::total_cmp);
    let mean = (n > 0).then(|| neumaier_sum(x.iter().copied()) / n as f64);
    let sd = match mean {
        Some(m) if n > 1 => {
            // Two-pass with the correction term of the first pass's rounding (Chan, Golub & LeVeque).
            let dev = neumaier_sum(x.iter().map(|v| v - m));
            let ss = neumaier_sum(x.iter().map(|v| (v - m) * (v - m)));
            Some(
                ((ss - dev * dev / n as f64) / (n as f64 - 1.0))
                    .max(0.0)
                    .sqrt(),
            )
        }
        _ => None,
    };
    Ok(NumericSummary {
        n: n as u64,
        n_missing,
        mean,
        sd,
        median: sorted_percentile(&x, 0.5, definition),
        q1: sorted_percentile(&x, 0.25, definition),
        q3: sorted_percentile(&x, 0.75, definition),
        min: x.first().copied(),
        max: x.last().copied(),
        definition,
    })
}

/// The `p` percentile (0 ≤ p ≤ 1) of `values` under `definition`; `None` when `values` is empty.
///
/// # Errors
/// [`DescribeError::Probability`] when `p` is not in [0, 1]; [`DescribeError::NonFinite`] when a
/// value is NaN or infinite.
pub fn percentile(
    values: &[f64],
    p: f64,
    definition: PercentileDefinition,
) -> Result<Option<f64>, DescribeError> {
    if !(0.0..=1.0).contains(&p) {
        return Err(DescribeError::Probability { p });
    }
    if let Some((index, &value)) = values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(DescribeError::NonFinite { index, value });
    }
    let mut x = values.to_vec();
    x.sort_by(f64::total_cmp);
    Ok(sorted_percentile(&x, p, definition))
}

/// Percentile of sorted finite values.
fn sorted_percentile(x: &[f64], p: f64, definition: PercentileDefinition) -> Option<f64> {
    let n = x.len();
    if n == 0 {
        return None;
    }
    // 1-based order statistic x(i).
    let at = |i: usize| x[i.clamp(1, n) - 1];
    Some(match definition {
        PercentileDefinition::Sas5 => {
            if p <= 0.0 {
                return Some(x[0]);
            }
            if p >= 1.0 {
                return Some(x[n - 1]);
            }
            let np = n as f64 * p;
            let whole = np.round();
            if (np - whole).abs() <= 4.0 * f64::EPSILON * np {
                let j = whole as usize;
                (at(j) + at(j + 1)) / 2.0
            } else {
                at(np.floor() as usize + 1)
            }
        }
        PercentileDefinition::R7 => {
            let h = (n as f64 - 1.0) * p + 1.0;
            let lo = h.floor();
            let frac = h - lo;
            let (a, b) = (at(lo as usize), at(lo as usize + 1));
            if frac > 0.0 && a != b {
                (1.0 - frac) * a + frac * b
            } else {
                a
            }
        }
    })
}

/// Sum with Neumaier's compensation.
fn neumaier_sum(values: impl Iterator<Item = f64>) -> f64 {
    let mut sum = 0.0_f64;
    let mut comp = 0.0_f64;
    for v in values {
        let t = sum + v;
        if sum.abs() >= v.abs() {
            comp += (sum - t) + v;
        } else {
            comp += (v - t) + sum;
        }
        sum = t;
    }
    sum + comp
}

/// Denominator of category percentages.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
pub enum PercentBase {
    /// Non-missing values (SAS PROC FREQ and R `table()` by default).
    #[default]
    #[serde(rename = "non-missing")]
    NonMissing,
    /// All values, missing included (SAS PROC FREQ with the MISSING option).
    #[serde(rename = "all")]
    All,
}

/// Count and percentage of one level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryCount<T> {
    /// The level.
    pub level: T,
    /// Number of values at this level.
    pub count: u64,
    /// Percentage (0–100) of the chosen base.
    pub percent: f64,
}

/// Counts of a categorical variable.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategorySummary<T> {
    /// All values, missing included.
    pub n: u64,
    /// Missing values.
    pub n_missing: u64,
    /// Denominator used for the percentages.
    pub base: PercentBase,
    /// Each level present, in sorted order (`Ord` of `T`), with its count and percentage.
    pub levels: Vec<CategoryCount<T>>,
}

/// Counts and percentages of the levels of a categorical variable; `None` entries are missing.
/// Levels come out in sorted order, so the output does not depend on the input order.
///
/// ```
/// use rwe_stats::{tabulate, PercentBase};
/// let t = tabulate(&[Some("M"), Some("F"), None, Some("M")], PercentBase::NonMissing);
/// assert_eq!(t.levels[0].level, "F");
/// assert_eq!(t.levels[1].count, 2);
/// ```
#[must_use]
pub fn tabulate<T: Ord + Clone>(values: &[Option<T>], base: PercentBase) -> CategorySummary<T> {
    let mut counts: BTreeMap<&T, u64> = BTreeMap::new();
    let mut n_missing = 0_u64;
    for v in values {
        match v {
            Some(level) => *counts.entry(level).or_insert(0) += 1,
            None => n_missing += 1,
        }
    }
    let n = values.len() as u64;
    let denominator = match base {
        PercentBase::NonMissing => n - n_missing,
        PercentBase::All => n,
    } as f64;
    CategorySummary {
        n,
        n_missing,
        base,
        levels: counts
            .into_iter()
            .map(|(level, count)| CategoryCount {
                level: level.clone(),
                count,
                percent: 100.0 * count as f64 / denominator,
            })
            .collect(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    /// Hand-computed values: exact or within a few roundings.
    const HAND: f64 = 1e-14;

    fn some(v: &[f64]) -> Vec<Option<f64>> {
        v.iter().copied().map(Some).collect()
    }

    #[test]
    fn quartiles_of_eight_values() {
        // x = 1..8. SAS 5: n·p = 2, 4, 6 are whole, so averages: (x2+x3)/2 = 2.5, (x4+x5)/2 = 4.5,
        // (x6+x7)/2 = 6.5. R 7: h = 7p + 1 = 2.75, 4.5, 6.25 → 2.75, 4.5, 6.25.
        let x = some(&[8.0, 3.0, 1.0, 5.0, 2.0, 7.0, 4.0, 6.0]);
        let sas = summarize(&x, PercentileDefinition::Sas5).unwrap();
        assert_eq!(
            (sas.q1, sas.median, sas.q3),
            (Some(2.5), Some(4.5), Some(6.5))
        );
        let r = summarize(&x, PercentileDefinition::R7).unwrap();
        assert_eq!((r.q1, r.median, r.q3), (Some(2.75), Some(4.5), Some(6.25)));
        assert_eq!((sas.min, sas.max), (Some(1.0), Some(8.0)));
    }

    #[test]
    fn quartiles_of_ten_values() {
        // x = 1..10. SAS 5: n·p = 2.5 → x3 = 3; 5 → (x5+x6)/2 = 5.5; 7.5 → x8 = 8.
        // R 7: h = 9p + 1 = 3.25, 5.5, 7.75.
        let x: Vec<Option<f64>> = (1..=10).map(|v| Some(f64::from(v))).collect();
        let sas = summarize(&x, PercentileDefinition::Sas5).unwrap();
        assert_eq!(
            (sas.q1, sas.median, sas.q3),
            (Some(3.0), Some(5.5), Some(8.0))
        );
        let r = summarize(&x, PercentileDefinition::R7).unwrap();
        assert_eq!((r.q1, r.median, r.q3), (Some(3.25), Some(5.5), Some(7.75)));
    }

    #[test]
    fn whole_np_with_binary_rounding_averages_like_sas() {
        // 10 × 0.3 = 3.0000000000000004 in binary: SAS's PCTLPTS=30 averages x(3) and x(4) = 3.5.
        let x: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(
            percentile(&x, 0.3, PercentileDefinition::Sas5),
            Ok(Some(3.5))
        );
        assert_eq!(
            percentile(&x, 0.0, PercentileDefinition::Sas5),
            Ok(Some(1.0))
        );
        assert_eq!(
            percentile(&x, 1.0, PercentileDefinition::R7),
            Ok(Some(10.0))
        );
        assert_eq!(
            percentile(&x, 1.5, PercentileDefinition::R7),
            Err(DescribeError::Probability { p: 1.5 })
        );
        assert_eq!(percentile(&[], 0.5, PercentileDefinition::R7), Ok(None));
    }

    #[test]
    fn mean_and_sd_with_missing() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 40/8 = 5; Σ(x − 5)² = 9+1+1+1+0+0+4+16 = 32; SD = √(32/7).
        let mut x = some(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        x.insert(3, None);
        let s = summarize(&x, PercentileDefinition::Sas5).unwrap();
        assert_eq!((s.n, s.n_missing), (8, 1));
        assert!((s.mean.unwrap() - 5.0).abs() < HAND);
        assert!((s.sd.unwrap() - (32.0_f64 / 7.0).sqrt()).abs() < HAND);
        // One value: no SD; none: nothing.
        let one = summarize(&[Some(3.0)], PercentileDefinition::R7).unwrap();
        assert_eq!((one.mean, one.sd, one.median), (Some(3.0), None, Some(3.0)));
        let none = summarize(&[None, None], PercentileDefinition::R7).unwrap();
        assert_eq!(
            (none.n, none.n_missing, none.mean, none.min),
            (0, 2, None, None)
        );
    }

    #[test]
    fn sd_keeps_precision_with_a_large_offset() {
        // 1e9 + (1, 2, 3): SD is exactly 1 (a one-pass formula loses it to cancellation).
        let s = summarize(
            &some(&[1e9 + 1.0, 1e9 + 2.0, 1e9 + 3.0]),
            PercentileDefinition::Sas5,
        )
        .unwrap();
        assert!((s.sd.unwrap() - 1.0).abs() < HAND);
    }

    #[test]
    fn non_finite_values_are_errors() {
        assert_eq!(
            summarize(
                &[Some(1.0), Some(f64::INFINITY)],
                PercentileDefinition::Sas5
            )
            .unwrap_err()
            .to_string(),
            "value 1: found inf, expected a finite number (use None for missing)"
        );
    }

    #[test]
    fn categories_sorted_with_missing() {
        // b, a, missing, b: non-missing base 3 → a 1 (33.3%), b 2 (66.7%); all-values base 4 → 25%, 50%.
        let v = [Some("b"), Some("a"), None, Some("b")];
        let t = tabulate(&v, PercentBase::NonMissing);
        assert_eq!((t.n, t.n_missing), (4, 1));
        let levels: Vec<(&str, u64)> = t.levels.iter().map(|c| (c.level, c.count)).collect();
        assert_eq!(levels, [("a", 1), ("b", 2)]);
        assert!((t.levels[0].percent - 100.0 / 3.0).abs() < HAND);
        assert!((t.levels[1].percent - 200.0 / 3.0).abs() < HAND);
        let all = tabulate(&v, PercentBase::All);
        assert!((all.levels[0].percent - 25.0).abs() < HAND);
        assert!((all.levels[1].percent - 50.0).abs() < HAND);
        let empty = tabulate::<u8>(&[None], PercentBase::NonMissing);
        assert!(empty.levels.is_empty());
    }

    #[test]
    fn names_round_trip() {
        for d in [PercentileDefinition::Sas5, PercentileDefinition::R7] {
            assert_eq!(d.as_str().parse::<PercentileDefinition>(), Ok(d));
        }
        assert_eq!("type2".parse(), Ok(PercentileDefinition::Sas5));
        assert!("type9".parse::<PercentileDefinition>().is_err());
    }
}
