//! Confidence intervals for a binomial proportion (response rates, MRD negativity) and the exact
//! binomial test.
//!
//! | method | R | interval |
//! |---|---|---|
//! | [`ProportionMethod::Exact`] | `binom.test(x, n)$conf.int` | Clopper-Pearson: beta quantiles |
//! | [`ProportionMethod::Wilson`] | `prop.test(x, n, correct = FALSE)$conf.int` | Wilson score |
//! | [`ProportionMethod::WilsonCc`] | `prop.test(x, n)$conf.int` (default `correct = TRUE`) | Wilson score with continuity correction |
//!
//! SAS PROC FREQ `BINOMIAL(CL=EXACT WILSON WILSON(CORRECT))` gives the same three intervals, except for the
//! continuity-correction clipping described at [`ProportionMethod::WilsonCc`].
//!
//! The exact interval uses this crate's own incomplete-beta inverse (see `beta.rs`), exact to about
//! 1e-15 relative also for rare events in huge denominators (5 in 5,000,000).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::beta::{beta_cdf, beta_quantile, beta_quantile_upper, beta_sf, binomial_pmf};
use crate::convention::UnknownName;
use crate::dist::z_for_level;

/// How a confidence interval for a proportion is computed.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
pub enum ProportionMethod {
    /// Clopper-Pearson exact interval, R `binom.test`: lower = `qbeta(α/2, x, n−x+1)` (0 when x = 0),
    /// upper = `qbeta(1−α/2, x+1, n−x)` (1 when x = n).
    #[default]
    #[serde(rename = "exact")]
    Exact,
    /// Wilson score interval, R `prop.test(correct = FALSE)`.
    #[serde(rename = "wilson")]
    Wilson,
    /// Wilson score interval with Yates' continuity correction, R `prop.test(correct = TRUE)`.
    ///
    /// As in R, the correction is `min(0.5, |x − n/2|)` rather than 0.5 (R shrinks it towards the
    /// default null proportion ½), so at x = n/2 this interval equals the uncorrected Wilson interval;
    /// each bound is computed from `x/n ± correction/n` and is 1 (upper) or 0 (lower) when that shifted
    /// proportion reaches 1 or 0. In particular x = 0 gives lower 0 and x = n gives upper 1.
    #[serde(rename = "wilson-cc")]
    WilsonCc,
}

impl ProportionMethod {
    /// Every method, in the order used by tables and tests.
    pub const ALL: [ProportionMethod; 3] = [
        ProportionMethod::Exact,
        ProportionMethod::Wilson,
        ProportionMethod::WilsonCc,
    ];

    /// The name used on the command line and in JSON.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ProportionMethod::Exact => "exact",
            ProportionMethod::Wilson => "wilson",
            ProportionMethod::WilsonCc => "wilson-cc",
        }
    }
}

impl fmt::Display for ProportionMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ProportionMethod {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "exact" | "clopper-pearson" | "clopper_pearson" => Ok(ProportionMethod::Exact),
            "wilson" => Ok(ProportionMethod::Wilson),
            "wilson-cc" | "wilson_cc" | "wilsoncc" => Ok(ProportionMethod::WilsonCc),
            _ => Err(UnknownName {
                found: s.to_string(),
                expected: "exact, wilson or wilson-cc",
            }),
        }
    }
}

/// A proportion with its confidence interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProportionCi {
    /// Number of successes `x`.
    pub successes: u64,
    /// Number of trials `n`.
    pub trials: u64,
    /// `x / n`.
    pub estimate: f64,
    /// How the interval was computed.
    pub method: ProportionMethod,
    /// Two-sided confidence level, e.g. 0.95.
    pub conf_level: f64,
    /// Lower bound, in [0, estimate].
    pub lower: f64,
    /// Upper bound, in [estimate, 1].
    pub upper: f64,
}

/// Invalid input to a binomial computation.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BinomialError {
    /// No trials: a proportion of nothing.
    #[error("found 0 trials, expected at least 1")]
    NoTrials,
    /// More successes than trials.
    #[error("found {successes} successes in {trials} trials, expected at most {trials}")]
    TooManySuccesses {
        /// Successes given.
        successes: u64,
        /// Trials given.
        trials: u64,
    },
    /// A confidence level outside (0, 1).
    #[error("found confidence level {level}, expected a number strictly between 0 and 1")]
    ConfLevel {
        /// The level given.
        level: f64,
    },
    /// A null proportion outside [0, 1].
    #[error("found null proportion {p}, expected a number between 0 and 1")]
    NullProportion {
        /// The proportion given.
        p: f64,
    },
}

fn check_counts(successes: u64, trials: u64) -> Result<(), BinomialError> {
    if trials == 0 {
        return Err(BinomialError::NoTrials);
    }
    if successes > trials {
        return Err(BinomialError::TooManySuccesses { successes, trials });
    }
    Ok(())
}

/// Confidence interval for the proportion `successes / trials`.
///
/// ```
/// use rwe_stats::{proportion_ci, ProportionMethod};
/// let ci = proportion_ci(14, 28, ProportionMethod::Exact, 0.95).unwrap();
/// assert!((ci.lower - 0.306_470_961_532_318).abs() < 1e-12);
/// ```
///
/// # Errors
/// [`BinomialError::NoTrials`] when `trials` is 0, [`BinomialError::TooManySuccesses`] when
/// `successes > trials`, [`BinomialError::ConfLevel`] when `conf_level` is not in (0, 1).
pub fn proportion_ci(
    successes: u64,
    trials: u64,
    method: ProportionMethod,
    conf_level: f64,
) -> Result<ProportionCi, BinomialError> {
    check_counts(successes, trials)?;
    if !(conf_level > 0.0 && conf_level < 1.0) {
        return Err(BinomialError::ConfLevel { level: conf_level });
    }
    let x = successes as f64;
    let n = trials as f64;
    let alpha = (1.0 - conf_level) / 2.0;
    let (lower, upper) = match method {
        ProportionMethod::Exact => {
            let lower = if successes == 0 {
                0.0
            } else {
                beta_quantile(alpha, x, n - x + 1.0)
            };
            let upper = if successes == trials {
                1.0
            } else {
                beta_quantile_upper(alpha, x + 1.0, n - x)
            };
            (lower, upper)
        }
        ProportionMethod::Wilson => wilson(x, n, 0.0, z_for_level(conf_level)),
        ProportionMethod::WilsonCc => {
            let correction = 0.5_f64.min((x - 0.5 * n).abs());
            wilson(x, n, correction, z_for_level(conf_level))
        }
    };
    Ok(ProportionCi {
        successes,
        trials,
        estimate: x / n,
        method,
        conf_level,
        lower,
        upper,
    })
}

/// Wilson score bounds with continuity correction `yates` (0 for none), as in R `prop.test` for one
/// proportion.
fn wilson(x: f64, n: f64, yates: f64, z: f64) -> (f64, f64) {
    let estimate = x / n;
    let z22n = z * z / (2.0 * n);
    let score_bound = |p: f64, sign: f64| {
        (p + z22n + sign * z * (p * (1.0 - p) / n + z22n / (2.0 * n)).sqrt()) / (1.0 + 2.0 * z22n)
    };
    let p_up = estimate + yates / n;
    let upper = if p_up >= 1.0 {
        1.0
    } else {
        score_bound(p_up, 1.0)
    };
    let p_low = estimate - yates / n;
    let lower = if p_low <= 0.0 {
        0.0
    } else {
        score_bound(p_low, -1.0)
    };
    (lower.max(0.0), upper.min(1.0))
}

/// Relative tolerance with which R's `binom.test` counts outcomes as "as likely as" the observed one.
const BINOM_TEST_REL_ERR: f64 = 1.0 + 1e-7;

/// Exact two-sided binomial test of `H0: p = p0`, R's `binom.test(x, n, p0)$p.value`.
///
/// The p-value is the probability of all outcomes no more likely than the observed one (R's
/// definition, with its relative tolerance of 1e-7 for ties), capped at 1.
///
/// # Errors
/// [`BinomialError::NoTrials`], [`BinomialError::TooManySuccesses`], and
/// [`BinomialError::NullProportion`] when `p0` is not in [0, 1].
pub fn binomial_test(successes: u64, trials: u64, p0: f64) -> Result<f64, BinomialError> {
    check_counts(successes, trials)?;
    if !(0.0..=1.0).contains(&p0) {
        return Err(BinomialError::NullProportion { p: p0 });
    }
    let (x, n) = (successes, trials);
    if p0 == 0.0 {
        return Ok(if x == 0 { 1.0 } else { 0.0 });
    }
    if p0 == 1.0 {
        return Ok(if x == n { 1.0 } else { 0.0 });
    }
    let m = n as f64 * p0;
    if x as f64 == m {
        return Ok(1.0);
    }
    let threshold = binomial_pmf(x, n, p0) * BINOM_TEST_REL_ERR;
    let p_value = if (x as f64) < m {
        // Outcomes at or above ceil(m) as unlikely as x: the pmf decreases on [ceil(m), n], so they form
        // the tail [first, n].
        let start = m.ceil() as u64;
        let first = first_index(start, n + 1, |i| binomial_pmf(i, n, p0) <= threshold);
        cdf_at_most(x, n, p0) + sf_at_least(first, n, p0)
    } else {
        // Outcomes in [0, floor(m)] as unlikely as x: the pmf increases there, so they form [0, last].
        let end = m.floor() as u64;
        let first_likelier = first_index(0, end + 1, |i| binomial_pmf(i, n, p0) > threshold);
        let lower_tail = if first_likelier == 0 {
            0.0
        } else {
            cdf_at_most(first_likelier - 1, n, p0)
        };
        lower_tail + sf_at_least(x, n, p0)
    };
    Ok(p_value.min(1.0))
}

/// Smallest `i` in `[lo, hi)` with `pred(i)`, for a predicate that is false then true; `hi` if none.
fn first_index(mut lo: u64, mut hi: u64, pred: impl Fn(u64) -> bool) -> u64 {
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

/// `P(X ≤ k)` for `X ~ Binomial(n, p)`: `1 − I_p(k+1, n−k)`.
fn cdf_at_most(k: u64, n: u64, p: f64) -> f64 {
    if k >= n {
        return 1.0;
    }
    beta_sf(p, k as f64 + 1.0, (n - k) as f64)
}

/// `P(X ≥ k)` for `X ~ Binomial(n, p)`: `I_p(k, n−k+1)`.
fn sf_at_least(k: u64, n: u64, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n {
        return 0.0;
    }
    beta_cdf(p, k as f64, (n - k + 1) as f64)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    /// 1e-14 relative: exact quantities computed to a few ulps (see `beta.rs`).
    const EXACT: f64 = 1e-14;

    fn rel(a: f64, b: f64) -> f64 {
        if b == 0.0 {
            a.abs()
        } else {
            ((a - b) / b).abs()
        }
    }

    fn exact(x: u64, n: u64) -> ProportionCi {
        proportion_ci(x, n, ProportionMethod::Exact, 0.95).unwrap()
    }

    /// Expected values: solutions of P(Bin(n, p) >= x) = 0.025 (lower) and P(Bin(n, p) <= x) = 0.025
    /// (upper) by bisection in mpmath at 80 digits, with the tails summed exactly
    /// (`fsum(binomial(n, j) p^j (1-p)^(n-j))` over the shorter side), printed to 40 digits and written here rounded to the nearest double.
    #[test]
    fn clopper_pearson_rare_and_extreme_counts_match_mpmath() {
        let cases: [(u64, u64, f64, f64); 6] = [
            (
                5,
                5_000_000,
                3.246_973_551_884_661_3e-7,
                2.333_664_859_698_613e-6,
            ),
            (
                1,
                10_000_000,
                2.531_780_795_224_030_3e-9,
                5.571_642_117_360_731e-7,
            ),
            (0, 1000, 0.0, 0.003_682_083_896_865_672),
            (1000, 1000, 0.996_317_916_103_134_4, 1.0),
            (
                999_999,
                1_000_000,
                0.999_994_428_369_344_8,
                0.999_999_974_682_192_4,
            ),
            (7, 96, 0.029_817_842_321_782_21, 0.144_479_707_225_699),
        ];
        for (x, n, lower, upper) in cases {
            let ci = exact(x, n);
            assert!(rel(ci.lower, lower) < EXACT, "{x}/{n} lower {}", ci.lower);
            assert!(rel(ci.upper, upper) < EXACT, "{x}/{n} upper {}", ci.upper);
        }
    }

    #[test]
    fn wilson_hand_computed() {
        // x = 2, n = 4, z = 1.959963984540054: z² = 3.8414588206941254, j = z²/2n = 0.48018235258676567,
        // centre = (0.5 + j)/(1 + 2j) = 0.5,
        // half-width = z √(0.25/4 + j/8) / (1 + 2j) = 1.959964 × 0.35003256 / 1.96036471 = 0.34996101,
        // so (0.15003899, 0.84996101), symmetric around ½.
        let ci = proportion_ci(2, 4, ProportionMethod::Wilson, 0.95).unwrap();
        let z: f64 = 1.959_963_984_540_054;
        let j = z * z / 8.0;
        let half = z * (0.25 / 4.0 + j / 8.0).sqrt() / (1.0 + 2.0 * j);
        assert!(rel(half, 0.349_961_010_847_850_5) < 1e-15);
        assert!(rel(ci.lower, 0.5 - half) < 1e-15 && rel(ci.upper, 0.5 + half) < 1e-15);
        assert!(rel(ci.lower + ci.upper, 1.0) < 1e-15);
    }

    #[test]
    fn wilson_cc_clips_correction_at_half_n_and_at_the_bounds() {
        // x = n/2: R uses min(0.5, |x − n/2|) = 0, so the corrected interval is the plain one.
        let plain = proportion_ci(14, 28, ProportionMethod::Wilson, 0.9).unwrap();
        let cc = proportion_ci(14, 28, ProportionMethod::WilsonCc, 0.9).unwrap();
        assert!(rel(plain.lower, cc.lower) < 1e-15 && rel(plain.upper, cc.upper) < 1e-15);
        // x = 0: lower is 0; x = n: upper is 1 (x/n ± 0.5/n crosses the bound).
        let zero = proportion_ci(0, 7, ProportionMethod::WilsonCc, 0.95).unwrap();
        assert!(zero.lower.abs() < f64::MIN_POSITIVE && zero.upper > 0.0 && zero.upper < 1.0);
        let all = proportion_ci(7, 7, ProportionMethod::WilsonCc, 0.95).unwrap();
        assert!((all.upper - 1.0).abs() < f64::EPSILON && all.lower < 1.0);
        // x = 0, n = 1: correction min(0.5, 0.5) = 0.5, so the upper bound starts from 0 + 0.5 = 0.5.
        let one = proportion_ci(0, 1, ProportionMethod::WilsonCc, 0.95).unwrap();
        assert!(one.lower.abs() < f64::MIN_POSITIVE && one.upper > 0.5);
    }

    #[test]
    fn binomial_test_matches_r_and_mpmath() {
        // binom.test(9, 14)$p.value = 0.4239501953125 (R 4.2.2, binomial.json)
        assert!(rel(binomial_test(9, 14, 0.5).unwrap(), 0.423_950_195_312_5) < EXACT);
        // x = n p0 exactly: p = 1
        assert!(rel(binomial_test(5, 5_000_000, 1e-6).unwrap(), 1.0) < EXACT);
        // binom.test(5, 5e6, 2e-6): mpmath (dps 60) following R's rule with relErr 1 + 1e-7: the first
        // outcome above m = 10 no likelier than x = 5 is 15, so
        // P(X <= 5) + P(X >= 15) = 0.06708577371263256696 + 0.08345826462606101138
        assert!(rel(binomial_test(5, 5_000_000, 2e-6).unwrap(), BINOM_5_IN_5M_P) < 1e-13);
        assert_eq!(binomial_test(0, 5, 0.0), Ok(1.0));
        assert_eq!(binomial_test(1, 5, 0.0), Ok(0.0));
    }

    /// See `binomial_test_matches_r_and_mpmath`.
    const BINOM_5_IN_5M_P: f64 = 0.150_544_038_338_693_6;

    #[test]
    fn errors_name_the_problem() {
        assert_eq!(
            proportion_ci(3, 2, ProportionMethod::Exact, 0.95)
                .unwrap_err()
                .to_string(),
            "found 3 successes in 2 trials, expected at most 2"
        );
        assert_eq!(
            proportion_ci(0, 0, ProportionMethod::Wilson, 0.95),
            Err(BinomialError::NoTrials)
        );
        assert_eq!(
            proportion_ci(1, 2, ProportionMethod::Wilson, 1.0)
                .unwrap_err()
                .to_string(),
            "found confidence level 1, expected a number strictly between 0 and 1"
        );
        assert_eq!(
            binomial_test(1, 2, -0.1),
            Err(BinomialError::NullProportion { p: -0.1 })
        );
        for m in ProportionMethod::ALL {
            assert_eq!(m.as_str().parse::<ProportionMethod>(), Ok(m));
        }
    }
}
