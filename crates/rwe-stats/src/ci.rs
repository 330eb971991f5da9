//! Pointwise confidence intervals for a survival probability: [`survival_bounds`].

use crate::convention::ConfType;
use crate::dist::z_for_level;
use crate::error::StatsError;

/// A confidence-interval request: the transform and the level, with the normal critical value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Confidence {
    conf_type: ConfType,
    level: f64,
    z: f64,
}

impl Confidence {
    /// A two-sided interval at `level` (e.g. 0.95) under `conf_type`.
    ///
    /// # Errors
    /// [`StatsError::InvalidConfLevel`] unless `0 < level < 1`.
    pub fn new(conf_type: ConfType, level: f64) -> Result<Self, StatsError> {
        if !(level > 0.0 && level < 1.0) {
            return Err(StatsError::InvalidConfLevel { value: level });
        }
        Ok(Confidence {
            conf_type,
            level,
            z: z_for_level(level),
        })
    }

    /// The transform.
    #[must_use]
    pub fn conf_type(self) -> ConfType {
        self.conf_type
    }

    /// The confidence level.
    #[must_use]
    pub fn level(self) -> f64 {
        self.level
    }

    /// The two-sided normal critical value, `qnorm(1 - (1 - level) / 2)`.
    #[must_use]
    pub fn z(self) -> f64 {
        self.z
    }
}

/// A confidence interval whose ends may be undefined (R `NA`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    /// Lower limit, `None` where the transform is undefined.
    pub lower: Option<f64>,
    /// Upper limit, `None` where the transform is undefined.
    pub upper: Option<f64>,
}

impl Bounds {
    /// Both ends undefined.
    pub const NONE: Bounds = Bounds {
        lower: None,
        upper: None,
    };
}

/// The pointwise interval for a survival probability `surv` whose −log has standard error
/// `std_err_log` (`None` when undefined), exactly as R `survfit` computes it.
///
/// The formulas are R `survival`'s `survfit_confint` (3.5-3) term for term, including where R
/// answers `NA` ([`None`] here) and where it clips:
///
/// | transform | interval | `None` when |
/// |---|---|---|
/// | plain | max(S − z·se·S, 0), min(S + z·se·S, 1) | se undefined |
/// | log | S·e^(∓z·se), upper clipped to 1 | S = 0, se undefined |
/// | log-log | S^exp(∓ z·se / log S) | S = 0 or S = 1, se undefined |
/// | logit | expit(logit S ∓ z·se/(1 − S)) | S = 0 or S = 1 |
/// | arcsine | sin²(clamp(asin √S ∓ z·se·√(S/(1 − S))/2, 0, π/2)) | S = 0 or S = 1 |
///
/// Here `se` is the standard error of −log S (R's `std.err` for a Kaplan-Meier fit, Greenwood), which
/// is undefined at the last time when every subject at risk has the event (S = 0). Only plain and
/// log clip; log-log, logit and arcsine stay inside [0, 1] by construction. SAS PROC LIFETEST's
/// `CONFTYPE=` limits are the same functions of S and its Greenwood standard error.
#[must_use]
pub fn survival_bounds(surv: f64, std_err_log: Option<f64>, conf: Confidence) -> Bounds {
    let p = surv;
    let se = std_err_log.unwrap_or(f64::NAN);
    let z = conf.z;
    let (lower, upper) = match conf.conf_type {
        ConfType::Plain => {
            let se2 = se * p * z;
            (r_pmax(p - se2, 0.0), r_pmin(p + se2, 1.0))
        }
        ConfType::Log => {
            if p == 0.0 {
                return Bounds::NONE;
            }
            let se2 = z * se;
            let lp = p.ln();
            ((lp - se2).exp(), r_pmin((lp + se2).exp(), 1.0))
        }
        ConfType::LogLog => {
            if p == 0.0 || p == 1.0 {
                return Bounds::NONE;
            }
            let se2 = z * se / p.ln();
            let llp = (-p.ln()).ln();
            ((-(llp - se2).exp()).exp(), (-(llp + se2).exp()).exp())
        }
        ConfType::Logit => {
            if p == 0.0 {
                return Bounds::NONE;
            }
            // At p = 1, 0 * inf = NaN: R gives NA.
            let se2 = z * se * (1.0 + p / (1.0 - p));
            let lg = (p / (1.0 - p)).ln();
            (
                1.0 - 1.0 / (1.0 + (lg - se2).exp()),
                1.0 - 1.0 / (1.0 + (lg + se2).exp()),
            )
        }
        ConfType::Arcsine => {
            if p == 0.0 {
                return Bounds::NONE;
            }
            let se2 = 0.5 * z * se * (p / (1.0 - p)).sqrt();
            let a = p.sqrt().asin();
            (
                r_pmax(a - se2, 0.0).sin().powi(2),
                r_pmin(a + se2, std::f64::consts::FRAC_PI_2).sin().powi(2),
            )
        }
    };
    Bounds {
        lower: finite(lower),
        upper: finite(upper),
    }
}

/// R's `pmax(x, y)`: NaN (NA) propagates, unlike `f64::max`.
fn r_pmax(x: f64, y: f64) -> f64 {
    if x.is_nan() { x } else { x.max(y) }
}

/// R's `pmin(x, y)`: NaN (NA) propagates, unlike `f64::min`.
fn r_pmin(x: f64, y: f64) -> f64 {
    if x.is_nan() { x } else { x.min(y) }
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    const REL: f64 = 1e-12; // closed forms evaluated in the same order as R: rounding only

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() <= REL * b.abs())
    }

    #[test]
    fn rejects_levels_outside_unit_interval() {
        for bad in [0.0, 1.0, -0.5, f64::NAN] {
            assert!(matches!(
                Confidence::new(ConfType::Log, bad),
                Err(StatsError::InvalidConfLevel { .. })
            ));
        }
    }

    #[test]
    fn hand_computed_half() {
        // S = 0.5, se(-log S) = 0.5 (R edge case `flat_at_half` at t = 2), z = 1.959963984540054.
        // plain: 0.5 ± 1.96·0.5·0.5 = 0.5 ± 0.489991 -> (0.0100090038649866, 0.989990996135013)
        // log:   0.5·e^(−0.979982) = 0.187658928706588, upper 0.5·e^0.979982 = 1.33 -> clipped to 1
        // log-log: se2 = 1.96·0.5/ln 0.5 = −1.413769; ln(−ln 0.5) = −0.366513;
        //   lower = exp(−exp(−0.366513 + 1.413769)) = 0.0578470829951446, upper = 0.844861281190374
        let s = Some(0.5);
        let c = |t| Confidence::new(t, 0.95).unwrap();
        let b = survival_bounds(0.5, s, c(ConfType::Plain));
        assert!(close(b.lower, 0.010_009_003_864_986_6) && close(b.upper, 0.989_990_996_135_013));
        let b = survival_bounds(0.5, s, c(ConfType::Log));
        assert!(close(b.lower, 0.187_658_928_706_588) && b.upper == Some(1.0));
        let b = survival_bounds(0.5, s, c(ConfType::LogLog));
        assert!(close(b.lower, 0.057_847_082_995_144_6) && close(b.upper, 0.844_861_281_190_374));
    }

    #[test]
    fn undefined_where_r_gives_na() {
        let c = |t| Confidence::new(t, 0.95).unwrap();
        // S = 1 before any event (se 0): plain and log give [1, 1]; the others are undefined.
        for t in ConfType::ALL {
            let b = survival_bounds(1.0, Some(0.0), c(t));
            match t {
                ConfType::Plain | ConfType::Log => {
                    assert_eq!(
                        b,
                        Bounds {
                            lower: Some(1.0),
                            upper: Some(1.0)
                        },
                        "{t}"
                    );
                }
                _ => assert_eq!(b, Bounds::NONE, "{t}"),
            }
            // S = 0 with undefined se: everything undefined.
            assert_eq!(survival_bounds(0.0, None, c(t)), Bounds::NONE, "{t}");
        }
    }
}
