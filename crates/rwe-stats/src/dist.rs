//! Reference distributions used by the estimators: standard normal and chi-square.
//!
//! These wrap `statrs` (checked against R: `qnorm(0.975)` = 1.959963984540054,
//! `qchisq(0.95, 1)` = 3.841458820694131). The incomplete-beta inverse that exact binomial intervals need
//! is *not* taken from `statrs`, which loses digits for rare events (see `binomial.rs`).

use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};

/// Quantile of the standard normal distribution, `qnorm(p)`.
///
/// Returns NaN for `p` outside (0, 1).
#[must_use]
pub fn normal_quantile(p: f64) -> f64 {
    if !(p > 0.0 && p < 1.0) {
        return f64::NAN;
    }
    match Normal::new(0.0, 1.0) {
        Ok(n) => n.inverse_cdf(p),
        Err(_) => f64::NAN,
    }
}

/// Two-sided critical value `z` for a confidence level, e.g. 1.959963984540054 for 0.95.
#[must_use]
pub fn z_for_level(conf_level: f64) -> f64 {
    normal_quantile(1.0 - (1.0 - conf_level) / 2.0)
}

/// Cumulative distribution function of the standard normal, `pnorm(x)`.
#[must_use]
pub fn normal_cdf(x: f64) -> f64 {
    match Normal::new(0.0, 1.0) {
        Ok(n) => n.cdf(x),
        Err(_) => f64::NAN,
    }
}

/// Two-sided p-value of a standard normal statistic, `2 * pnorm(-|z|)`.
#[must_use]
pub fn normal_two_sided_p(z: f64) -> f64 {
    match Normal::new(0.0, 1.0) {
        Ok(n) => 2.0 * n.sf(z.abs()),
        Err(_) => f64::NAN,
    }
}

/// Upper tail of the chi-square distribution, `pchisq(x, df, lower.tail = FALSE)`.
///
/// Returns NaN when `df` is not positive or `x` is NaN.
#[must_use]
pub fn chisq_sf(x: f64, df: f64) -> f64 {
    if x.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if x <= 0.0 {
        return 1.0;
    }
    match ChiSquared::new(df) {
        Ok(c) => c.sf(x),
        Err(_) => f64::NAN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // R 4.2.2: qnorm(0.975), pchisq(3.84, 1, lower.tail = FALSE), 2*pnorm(-1.788379)
    #[test]
    fn matches_r() {
        assert!((z_for_level(0.95) - 1.959_963_984_540_054).abs() < 1e-13);
        assert!((chisq_sf(3.396_388_698_977_6, 1.0) - 0.065_339_322_040_505_1).abs() < 1e-12);
        assert!((normal_two_sided_p(1.788_379_132_667_19) - 0.073_714_860_639_045_7).abs() < 1e-12);
        assert!(normal_quantile(1.0).is_nan());
        assert!((chisq_sf(0.0, 2.0) - 1.0).abs() < f64::EPSILON);
    }
}
