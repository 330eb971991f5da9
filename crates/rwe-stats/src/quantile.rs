//! Quantiles of survival time (median, quartiles) with confidence intervals, under the three rules
//! of [`QuantileRule`].

use crate::ci::{Confidence, survival_bounds};
use crate::convention::{ConfType, Convention};
use crate::error::StatsError;
use crate::km::KaplanMeier;

/// R's `sqrt(.Machine$double.eps)` = 2⁻²⁶: S within this of 1 − p counts as equal to it.
///
/// SAS needs such a fuzz too (its own is undocumented): PROC LIFETEST prints the midpoint median
/// where S = 89/178 with no censoring before, a value the product-limit product misses by a few ulps
/// in floating point (unit test `sas_midpoint_survives_rounding`).
pub const QUANTILE_TOLERANCE: f64 = 1.0 / 67_108_864.0;

/// Which definition of a survival quantile and its confidence interval to use.
///
/// `p` follows R's convention: the p-quantile is where S drops to 1 − p (p = 0.5 is the median,
/// p = 0.25 the *early* quartile, SAS's "25" percentile). All rules treat S within
/// √ε (= 2⁻²⁶, R's `tolerance`) of 1 − p as equal to it.
///
/// * [`QuantileRule::Sas`] — PROC LIFETEST (SAS/STAT User's Guide, LIFETEST, "Breslow,
///   Fleming-Harrington, and Kaplan-Meier Methods"). Point: q̂ = ½(inf{t: Ŝ(t) < 1 − p} +
///   sup{t: Ŝ(t) > 1 − p}), that is the first event time with S < 1 − p or, when S equals 1 − p from
///   the event time t_j until the next *event* time t_{j+1}, the midpoint (t_j + t_{j+1})/2. Not
///   estimable (`None`) when S never drops below 1 − p, including a stretch at exactly 1 − p that
///   reaches the end of follow-up (the infimum does not exist). CI (Brookmeyer and Crowley 1982,
///   generalized to the transform g of `CONFTYPE=` as in Klein and Moeschberger 1997): the set of all
///   t with |g(Ŝ(t)) − g(1 − p)| ≤ z·|g′(Ŝ(t))|·σ̂(t), σ̂ the Greenwood SE of Ŝ. Ŝ and σ̂ change only
///   at event times, and the test fails before the first one (Ŝ = 1, σ̂ = 0) and where Ŝ = 0 (σ̂
///   undefined, g undefined), so the set is a union of stretches [t_j, t_{j+1}) that start at event
///   times and is found by testing event times only. Reported as SAS prints it, `[lower, upper)`:
///   lower = the first event time in the set (never before the first event), upper = the event time
///   that ends the last stretch. That end may be the final event where S drops to 0 (R reports the
///   limit as not reached there); it is `None` when the last stretch runs to the end of follow-up.
///   An empty set leaves both limits `None`, whether or not the point exists; a point that is not
///   estimable can still have limits. This reading reproduces SAS's published BMT example under all
///   five transforms (`tests/reference_sas_lifetest.rs`).
/// * [`QuantileRule::RQuantile`] — R `quantile.survfit` (`survival` 3.5-3), the rule of
///   [`Convention::R`](crate::Convention::R). Point: the first time where S ≤ 1 − p, or the midpoint of
///   a flat stretch at exactly 1 − p and the next drop; a flat stretch that reaches the end of
///   follow-up gives the midpoint of its start and the last observed time. CI: the same rule applied
///   to the lower and upper pointwise bands (lower limit from the lower band). For a band that is not
///   monotone R's `approx()` picks the time whose band value is the smallest one at or below 1 − p, not
///   the first crossing; this is reproduced.
/// * [`QuantileRule::RPrint`] — R `print.survfit` / `summary(fit)$table` (function `survmean`): the
///   first time S (or the band) is ≤ 1 − p, the midpoint rule only when a later time drops below
///   (no end-of-follow-up midpoint). Differs from `RQuantile` only for non-monotone bands and flat
///   stretches that reach the end of follow-up (see the reference `NOTES.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuantileRule {
    /// SAS PROC LIFETEST: first time S < 1 − p (midpoint on a stretch at exactly 1 − p),
    /// Brookmeyer-Crowley CI reported as `[lower, upper)`.
    Sas,
    /// R `quantile.survfit`: midpoint rule, CI where the pointwise bands reach 1 − p.
    RQuantile,
    /// R `print.survfit` (`survmean`): first crossing of S and of each band.
    RPrint,
}

impl From<Convention> for QuantileRule {
    /// `Sas` → [`QuantileRule::Sas`]; `R` → [`QuantileRule::RQuantile`].
    fn from(c: Convention) -> Self {
        match c {
            Convention::Sas => QuantileRule::Sas,
            Convention::R => QuantileRule::RQuantile,
        }
    }
}

/// A quantile of survival time with its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuantileEstimate {
    /// The probability: the time at which S drops to 1 − p.
    pub p: f64,
    /// The estimate, `None` when not reached.
    pub time: Option<f64>,
    /// Lower confidence limit, `None` when not reached.
    pub lower: Option<f64>,
    /// Upper confidence limit, `None` when not reached.
    pub upper: Option<f64>,
}

impl KaplanMeier {
    /// The `p`-quantile of survival time with its confidence interval under `rule`.
    ///
    /// # Errors
    /// [`StatsError::InvalidProbability`] unless `0 < p < 1`.
    pub fn quantile(
        &self,
        p: f64,
        conf: Confidence,
        rule: QuantileRule,
    ) -> Result<QuantileEstimate, StatsError> {
        let mut q = self.quantiles(&[p], conf, rule)?;
        Ok(q.remove(0))
    }

    /// Several quantiles at once (the bands are computed once).
    ///
    /// # Errors
    /// [`StatsError::InvalidProbability`] unless every `p` is strictly between 0 and 1.
    pub fn quantiles(
        &self,
        probs: &[f64],
        conf: Confidence,
        rule: QuantileRule,
    ) -> Result<Vec<QuantileEstimate>, StatsError> {
        if let Some(&value) = probs.iter().find(|&&p| !(p > 0.0 && p < 1.0)) {
            return Err(StatsError::InvalidProbability { value });
        }
        Ok(match rule {
            QuantileRule::Sas => probs.iter().map(|&p| self.quantile_sas(p, conf)).collect(),
            QuantileRule::RQuantile => self.quantiles_r(probs, conf),
            QuantileRule::RPrint => self.quantiles_r_print(probs, conf),
        })
    }

    fn quantile_sas(&self, p: f64, conf: Confidence) -> QuantileEstimate {
        let target = 1.0 - p;
        let rows = self.rows();
        let next_event = |j: usize| rows[j + 1..].iter().find(|r| r.n_event > 0).map(|r| r.time);

        // ½(inf{t: S < 1 − p} + sup{t: S > 1 − p}): both are the first event time at or below 1 − p,
        // unless S sits exactly at 1 − p there; then the infimum is the next event time (none: not
        // estimable).
        let time = rows
            .iter()
            .position(|r| r.n_event > 0 && r.surv < target + QUANTILE_TOLERANCE)
            .and_then(|j| {
                if (rows[j].surv - target).abs() < QUANTILE_TOLERANCE {
                    next_event(j).map(|t| 0.5 * (rows[j].time + t))
                } else {
                    Some(rows[j].time)
                }
            });

        // Brookmeyer-Crowley set. Ŝ and σ̂ are constant from one event time to the next, so testing
        // event times finds every stretch; before the first event (Ŝ = 1, σ̂ = 0) the test fails.
        let g = Transform(conf.conf_type());
        let g_target = g.value(target);
        let z = conf.z();
        let mut first = None;
        let mut last = None;
        for (j, r) in rows.iter().enumerate() {
            if r.n_event == 0 {
                continue;
            }
            // σ̂ is undefined once S = 0; NaN or infinite terms also leave the time out.
            let Some(sigma) = r.std_err else { continue };
            let in_set = (g.value(r.surv) - g_target).abs() <= z * g.slope(r.surv) * sigma;
            if in_set {
                first.get_or_insert(j);
                last = Some(j);
            }
        }
        QuantileEstimate {
            p,
            time,
            lower: first.map(|j| rows[j].time),
            // The open end of the last stretch: the next event time, possibly the one where S = 0.
            upper: last.and_then(next_event),
        }
    }

    fn quantiles_r(&self, probs: &[f64], conf: Confidence) -> Vec<QuantileEstimate> {
        let rows = self.rows();
        let xmax = self.max_time();
        // R: findq(c(0, time), c(0, 1 - curve), p, tol).
        let mut x = Vec::with_capacity(rows.len() + 1);
        x.push(0.0);
        x.extend(rows.iter().map(|r| r.time));
        let band = self.pointwise_ci(conf);
        let curve = |f: &dyn Fn(usize) -> Option<f64>| -> StepCurve {
            let mut y = Vec::with_capacity(rows.len() + 1);
            y.push(0.0);
            y.extend((0..rows.len()).map(|k| f(k).map_or(f64::NAN, |v| 1.0 - v)));
            StepCurve::new(y)
        };
        let point = curve(&|k| Some(rows[k].surv));
        let lower = curve(&|k| band[k].lower);
        let upper = curve(&|k| band[k].upper);
        probs
            .iter()
            .map(|&p| QuantileEstimate {
                p,
                time: point.findq(&x, p, xmax),
                lower: lower.findq(&x, p, xmax),
                upper: upper.findq(&x, p, xmax),
            })
            .collect()
    }

    fn quantiles_r_print(&self, probs: &[f64], conf: Confidence) -> Vec<QuantileEstimate> {
        let rows = self.rows();
        probs
            .iter()
            .map(|&p| {
                let target = 1.0 - p;
                let first = |f: &dyn Fn(usize) -> Option<f64>| -> Option<f64> {
                    first_crossing(rows.len(), |k| (rows[k].time, f(k)), target)
                };
                QuantileEstimate {
                    p,
                    time: first(&|k| Some(rows[k].surv)),
                    lower: first(&|k| {
                        survival_bounds(rows[k].surv, rows[k].std_err_log, conf).lower
                    }),
                    upper: first(&|k| {
                        survival_bounds(rows[k].surv, rows[k].std_err_log, conf).upper
                    }),
                }
            })
            .collect()
    }
}

/// R's `survmean` `minmin()`, generalized from 0.5 to `target`: the first time the curve is
/// ≤ target (within tolerance), or the midpoint with the next lower value when it equals the target.
/// Undefined (`None`) values are skipped.
fn first_crossing(
    len: usize,
    at: impl Fn(usize) -> (f64, Option<f64>),
    target: f64,
) -> Option<f64> {
    let mut kept = (0..len).filter_map(|k| {
        let (t, y) = at(k);
        y.filter(|&y| y < target + QUANTILE_TOLERANCE)
            .map(|y| (t, y))
    });
    let (x1, y1) = kept.next()?;
    if (y1 - target).abs() < QUANTILE_TOLERANCE
        && let Some((x2, _)) = kept.find(|&(_, y)| y < y1)
    {
        return Some(0.5 * (x1 + x2));
    }
    Some(x1)
}

/// One curve as R's `findq()` sees it: y = 1 − curve with 0 prepended, NaN for `NA`.
struct StepCurve {
    y: Vec<f64>,
    /// Largest non-NaN value.
    max: f64,
    /// `y[n]` after `y[!duplicated(y)]`: the value whose first occurrence comes last (NaN if `NA`).
    last_distinct: f64,
}

impl StepCurve {
    fn new(y: Vec<f64>) -> Self {
        let max = y
            .iter()
            .copied()
            .filter(|v| !v.is_nan())
            .fold(f64::NEG_INFINITY, f64::max);
        // R's duplicated(): equal values (NA equal to NA) after the first are dropped.
        let key = |v: f64| {
            if v.is_nan() {
                u64::MAX
            } else {
                (v + 0.0).to_bits()
            }
        };
        let mut keyed: Vec<(u64, usize)> =
            y.iter().enumerate().map(|(k, &v)| (key(v), k)).collect();
        keyed.sort_unstable();
        let mut last_first = 0;
        let mut prev = None;
        for (kv, k) in keyed {
            if prev != Some(kv) {
                last_first = last_first.max(k);
                prev = Some(kv);
            }
        }
        let last_distinct = y[last_first];
        StepCurve {
            y,
            max,
            last_distinct,
        }
    }

    /// Index of the smallest `y + shift` that is ≥ p (earliest on ties): what
    /// `approx(y + shift, 1:n, p, method = "constant", f = 1)` returns once duplicates are dropped.
    fn index_at_least(&self, p: f64, shift: f64) -> Option<usize> {
        let mut best: Option<(f64, usize)> = None;
        for (k, &v) in self.y.iter().enumerate() {
            let v = v + shift;
            if v >= p && best.is_none_or(|(b, _)| v < b) {
                best = Some((v, k));
            }
        }
        best.map(|(_, k)| k)
    }

    /// R `findq()` for one p, with `x` = c(0, time) and `xmax` the last observed time.
    fn findq(&self, x: &[f64], p: f64, xmax: f64) -> Option<f64> {
        // R returns NA for all probs when max(y) < min(probs); per-p here (probs = p).
        if self.max < p {
            return None;
        }
        let i1 = self.index_at_least(p, QUANTILE_TOLERANCE);
        let i2 = self.index_at_least(p, -QUANTILE_TOLERANCE);
        if !self.last_distinct.is_nan() && (p - self.last_distinct).abs() < QUANTILE_TOLERANCE {
            // A flat stretch at 1 - p that reaches the end of follow-up.
            return i1.map(|a| 0.5 * (x[a] + xmax));
        }
        Some(0.5 * (x[i1?] + x[i2?]))
    }
}

/// A CI transform g with its derivative, for the Brookmeyer-Crowley test.
struct Transform(ConfType);

impl Transform {
    fn value(&self, s: f64) -> f64 {
        match self.0 {
            ConfType::Plain => s,
            ConfType::Log => s.ln(),
            ConfType::LogLog => (-s.ln()).ln(),
            ConfType::Logit => (s / (1.0 - s)).ln(),
            ConfType::Arcsine => s.sqrt().asin(),
        }
    }

    /// |g′(s)|.
    fn slope(&self, s: f64) -> f64 {
        match self.0 {
            ConfType::Plain => 1.0,
            ConfType::Log => 1.0 / s,
            ConfType::LogLog => -1.0 / (s * s.ln()),
            ConfType::Logit => 1.0 / (s * (1.0 - s)),
            ConfType::Arcsine => 0.5 / (s * (1.0 - s)).sqrt(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    fn km(t: &[f64], e: &[bool]) -> KaplanMeier {
        KaplanMeier::fit(t, e).unwrap()
    }

    fn conf(t: ConfType) -> Confidence {
        Confidence::new(t, 0.95).unwrap()
    }

    fn q(
        k: &KaplanMeier,
        p: f64,
        t: ConfType,
        rule: QuantileRule,
    ) -> (Option<f64>, Option<f64>, Option<f64>) {
        let e = k.quantile(p, conf(t), rule).unwrap();
        (e.time, e.lower, e.upper)
    }

    /// SAS rule by hand on times 2,2,2,4,5,5,8,9 with status 1,0,1,1,0,1,0,1.
    ///
    /// Event times and Greenwood SE of S (z = 1.959964):
    ///
    /// | t | S | Σ d/(n(n−d)) | σ = S·√Σ | z·σ |
    /// |---|---|---|---|---|
    /// | 2 | 0.75 | 1/24 | 0.153093 | 0.300054 |
    /// | 4 | 0.60 | 11/120 | 0.181659 | 0.356045 |
    /// | 5 | 0.45 | 21/120 | 0.188249 | 0.368960 |
    /// | 9 | 0 | undefined | — | — |
    ///
    /// p = 0.75 (S reaches 0.25), linear transform g(S) = S, so the test is |S − 0.25| ≤ z·σ:
    /// t=2: 0.50 > 0.300 (out); t=4: 0.35 ≤ 0.356 (in); t=5: 0.20 ≤ 0.369 (in); t=9: σ undefined (out).
    /// Set {4, 5}: lower = 4, upper = the event time after 5 = 9, printed `[4, 9)`.
    /// Point: the first event time with S < 0.25 is 9.
    ///
    /// p = 0.25 (S reaches 0.75): S(2) = 0.75 exactly on [2, 4) -> point (2 + 4)/2 = 3.
    /// |S − 0.75| ≤ z·σ: t=2: 0 (in), t=4: 0.15 (in), t=5: 0.30 ≤ 0.369 (in) -> [2, 9).
    ///
    /// p = 0.5, log-log g(S) = log(−log S), |g′(S)|·σ = √Σ / |log S|; g(0.5) = −0.366513:
    /// t=2: |−1.245899 + 0.366513| = 0.879386 ≤ 1.96·0.204124/0.287682 = 1.390675 (in);
    /// t=4: |−0.671727 + 0.366513| = 0.305214 ≤ 1.96·0.302765/0.510826 = 1.161666 (in);
    /// t=5: |−0.225010 + 0.366513| = 0.141503 (in) -> [2, 9); point: first S < 0.5 is t = 5.
    #[test]
    fn sas_rule_by_hand() {
        let k = km(
            &[2.0, 2.0, 2.0, 4.0, 5.0, 5.0, 8.0, 9.0],
            &[true, false, true, true, false, true, false, true],
        );
        let sas = QuantileRule::Sas;
        assert_eq!(
            q(&k, 0.75, ConfType::Plain, sas),
            (Some(9.0), Some(4.0), Some(9.0))
        );
        assert_eq!(
            q(&k, 0.25, ConfType::Plain, sas),
            (Some(3.0), Some(2.0), Some(9.0))
        );
        assert_eq!(
            q(&k, 0.5, ConfType::LogLog, sas),
            (Some(5.0), Some(2.0), Some(9.0))
        );
        // R's convention on the same data: the upper band is undefined at S = 0, so never reached
        // (R survival 3.5-3, edge case `tie_event_censor`, plain: upper NA for every p).
        let r = QuantileRule::RQuantile;
        assert_eq!(
            q(&k, 0.75, ConfType::Plain, r),
            (Some(9.0), Some(4.0), None)
        );
        assert_eq!(
            q(&k, 0.25, ConfType::Plain, r),
            (Some(3.0), Some(2.0), None)
        );
    }

    /// A set that stops before the last event gives a reached upper limit.
    ///
    /// Ten subjects, all events at 1..=10: S(t_j) = 1 − j/10, σ_j = √(S(1 − S)/10).
    /// p = 0.5, linear: |S − 0.5| ≤ 1.96·σ.
    /// t=2: S=.8, σ=.126491, 1.96σ=.247921, |.3| out. t=3: S=.7, σ=.144914, .284027, |.2| in.
    /// t=7: S=.3, .284027, |.2| in. t=8: S=.2, σ=.126491, .247921, |.3| out.
    /// Set {3..7}: [3, 8). Point: S(5) = 0.5 exactly -> (5 + 6)/2 = 5.5.
    #[test]
    fn sas_rule_reaches_upper() {
        let t: Vec<f64> = (1..=10).map(f64::from).collect();
        let k = km(&t, &[true; 10]);
        assert_eq!(
            q(&k, 0.5, ConfType::Plain, QuantileRule::Sas),
            (Some(5.5), Some(3.0), Some(8.0))
        );
    }

    /// An empty Brookmeyer-Crowley set, and limits without a point estimate.
    ///
    /// 100 subjects, 50 events at 1 and 50 censored at 2: S(1) = 0.5, Σ d/(n(n−d)) = 50/(100·50)
    /// = 0.01, σ = 0.5·0.1 = 0.05, z·σ = 0.098.
    ///
    /// p = 0.1 (1 − p = 0.9), linear: |0.5 − 0.9| = 0.4 > 0.098, and 1 is the only event time: the
    /// set is empty, both limits missing, while the point is 1 (S(1) = 0.5 < 0.9).
    /// Log-log: |log(−log 0.5) − log(−log 0.9)| = |−0.366513 + 2.250367| = 1.883854 >
    /// z·σ/(S·|log S|) = 1.96·0.05/(0.5·0.693147) = 0.282763: empty too.
    ///
    /// p = 0.5: S = 0.5 exactly from 1 to the end of follow-up, so the point is not estimable
    /// (inf{t: S < 0.5} does not exist); the test statistic is 0, so 1 is in the set, and the set's
    /// last stretch runs to the end of follow-up: [1, not reached).
    #[test]
    fn sas_empty_set_and_limits_without_point() {
        let mut t = vec![1.0; 50];
        t.extend([2.0; 50]);
        let mut e = vec![true; 50];
        e.extend([false; 50]);
        let k = km(&t, &e);
        let sas = QuantileRule::Sas;
        for ct in [ConfType::Plain, ConfType::LogLog] {
            assert_eq!(q(&k, 0.1, ct, sas), (Some(1.0), None, None), "{ct:?} p 0.1");
            assert_eq!(q(&k, 0.5, ct, sas), (None, Some(1.0), None), "{ct:?} p 0.5");
        }
    }

    /// The midpoint runs to the next *event* time, not the next observed (censored) time, and the
    /// upper limit can be the final event where S drops to 0.
    ///
    /// Times 1, 2, 3, 4 with status 1, 1, 0, 1: S(1) = 3/4, S(2) = 3/4·2/3 = 0.5, censored at 3,
    /// S(4) = 0. p = 0.5: S = 0.5 on [2, 4) -> (2 + 4)/2 = 3 (not (2 + 3)/2).
    /// Linear CI: Σ d/(n(n−d)) = 1/12 then 1/12 + 1/6 = 1/4; σ(1) = 0.75·√(1/12) = 0.216506,
    /// σ(2) = 0.5·0.5 = 0.25. t=1: |0.75 − 0.5| = 0.25 ≤ 1.96·0.216506 = 0.424345 (in);
    /// t=2: 0 (in); t=4: S = 0, σ undefined (out). Set {1, 2}: [1, 4).
    #[test]
    fn sas_midpoint_skips_censored_times() {
        let k = km(&[1.0, 2.0, 3.0, 4.0], &[true, true, false, true]);
        assert_eq!(
            q(&k, 0.5, ConfType::Plain, QuantileRule::Sas),
            (Some(3.0), Some(1.0), Some(4.0))
        );
    }

    /// S = 89/178 exactly in real arithmetic, but not in floating point: the tolerance keeps the
    /// midpoint rule. SAS applies it in this situation: a PROC LIFETEST user output with 178
    /// subjects, no censoring before S = 0.5000 at 11.3347 (89 left) and the next event at 11.8275,
    /// has the median 11.5811 = (11.3347 + 11.8275)/2
    /// (<https://communities.sas.com/t5/SAS-Programming/Discrepancy-Between-Median-Survival-Time-from-Quartiles-and/m-p/937774>).
    ///
    /// Here: 178 subjects, one event at each of 1..=90, 88 censored at 200. S(89) = Π (n−1)/n for
    /// n = 178..=90 = 89/178 = 0.5, S(90) = 88/178 < 0.5: median (89 + 90)/2 = 89.5.
    #[test]
    fn sas_midpoint_survives_rounding() {
        let mut t: Vec<f64> = (1..=90).map(f64::from).collect();
        t.extend([200.0; 88]);
        let e: Vec<bool> = (0..178).map(|i| i < 90).collect();
        let k = km(&t, &e);
        let s89 = k.rows()[88].surv;
        // Rounding leaves S(89) a few ulps below 0.5, so a strict `S < 0.5` would give 89.
        assert!(s89 < 0.5 && 0.5 - s89 < QUANTILE_TOLERANCE, "S(89) = {s89}");
        let m = k
            .quantile(0.5, conf(ConfType::LogLog), QuantileRule::Sas)
            .unwrap();
        assert_eq!(m.time, Some(89.5));
    }

    #[test]
    fn flat_to_end_of_follow_up() {
        // Event at 1, censored at 2: S = 0.5 on [1, 2] (R edge case `flat_half_to_end`).
        let k = km(&[1.0, 2.0], &[true, false]);
        let m = |rule| k.quantile(0.5, conf(ConfType::Log), rule).unwrap().time;
        assert_eq!(m(QuantileRule::RQuantile), Some(1.5)); // midpoint of 1 and last follow-up 2
        assert_eq!(m(QuantileRule::RPrint), Some(1.0)); // first crossing
        assert_eq!(m(QuantileRule::Sas), None); // S never drops below 0.5
    }

    #[test]
    fn rejects_probabilities_outside_unit_interval() {
        let k = km(&[1.0, 2.0], &[true, true]);
        for bad in [0.0, 1.0, -0.1, f64::NAN] {
            assert!(matches!(
                k.quantile(bad, conf(ConfType::Log), QuantileRule::Sas),
                Err(StatsError::InvalidProbability { .. })
            ));
        }
    }
}
