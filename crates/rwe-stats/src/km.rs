//! The Kaplan-Meier estimate with Greenwood standard errors and the Nelson-Aalen cumulative hazard
//! (see [`KaplanMeier`]).

use crate::ci::{Bounds, Confidence, survival_bounds};
use crate::counts::TimeCounts;
use crate::error::StatsError;

/// One row of a Kaplan-Meier table: the estimate just after `time`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KmRow {
    /// The observed time.
    pub time: f64,
    /// Number at risk just before `time` (those censored at `time` are at risk).
    pub n_risk: u64,
    /// Events at `time`.
    pub n_event: u64,
    /// Censorings at `time`.
    pub n_censor: u64,
    /// Kaplan-Meier survival just after `time`.
    pub surv: f64,
    /// Greenwood standard error of `surv`; `None` where S has dropped to 0 (R `NA`).
    pub std_err: Option<f64>,
    /// Greenwood standard error of −log S (R `survfit`'s `std.err`); `None` where S has dropped to 0.
    pub std_err_log: Option<f64>,
    /// Nelson-Aalen cumulative hazard, Σ d/n.
    pub cumhaz: f64,
    /// Standard error of the cumulative hazard, √Σ d/n².
    pub std_chaz: f64,
}

/// A Kaplan-Meier fit of one curve.
///
/// One row per distinct observed time (events and censorings), as R `survfit` and SAS PROC LIFETEST
/// list them. With `n` at risk and `d` events at time `t`:
///
/// * `surv` = Π (1 − d/n) (product-limit);
/// * `std_err_log` = √Σ d/(n(n − d)), the Greenwood standard error of −log S (R's `std.err`), undefined
///   once every subject at risk has had the event (n = d, where S drops to 0);
/// * `std_err` = S·`std_err_log`, the Greenwood standard error of S (SAS's "Standard Error", R's
///   `summary()` `std.err`);
/// * `cumhaz` = Σ d/n (Nelson-Aalen) and `std_chaz` = √Σ d/n², as R `survfit` reports them.
///
/// The fit needs only [`TimeCounts`] and is computed from them in one pass. Everything else derived
/// from the curve hangs off it: [`pointwise_ci`](Self::pointwise_ci),
/// [`quantile`](Self::quantile), [`survival_at`](Self::survival_at), [`rmst`](Self::rmst).
///
/// ```
/// use rwe_stats::{BeyondLastTime, ConfType, Confidence, Convention, KaplanMeier};
///
/// // Weeks to relapse, `true` = relapse (R survival::aml, maintained arm).
/// let time = [9.0, 13.0, 13.0, 18.0, 23.0, 28.0, 31.0, 34.0, 45.0, 48.0, 161.0];
/// let event = [true, true, false, true, true, false, true, true, false, true, false];
/// let km = KaplanMeier::fit(&time, &event)?;
/// assert_eq!(km.rows().len(), 10);
/// assert!((km.rows()[0].surv - 10.0 / 11.0).abs() < 1e-15);
///
/// let conf = Confidence::new(ConfType::LogLog, 0.95)?;
/// let median = km.quantile(0.5, conf, Convention::Sas.into())?;
/// assert_eq!((median.time, median.lower, median.upper), (Some(31.0), Some(13.0), None));
///
/// let at = km.survival_at(&[24.0, 200.0], conf, Convention::Sas.into())?;
/// assert!((at[0].surv.unwrap() - 0.613_636_363_636_363_6).abs() < 1e-12);
/// assert_eq!(at[1].surv, None); // after the last observation: not estimable under SAS rules
///
/// let rmst = km.rmst(48.0)?;
/// assert!((rmst.estimate - 31.843_181_818_181_8).abs() < 1e-9); // R: summary(fit, rmean = 48)
/// # Ok::<(), rwe_stats::StatsError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct KaplanMeier {
    rows: Vec<KmRow>,
    n: u64,
    events: u64,
}

impl KaplanMeier {
    /// Fits one curve to one row per subject (`event[i]` true for an event, false for censored).
    ///
    /// # Errors
    /// As [`TimeCounts::from_observations`].
    pub fn fit(time: &[f64], event: &[bool]) -> Result<Self, StatsError> {
        Ok(Self::from_counts(&TimeCounts::from_observations(
            time, event,
        )?))
    }

    /// Fits one curve to per-time counts, in one pass.
    #[must_use]
    pub fn from_counts(counts: &TimeCounts) -> Self {
        let mut rows = Vec::with_capacity(counts.len());
        let mut n_risk = counts.n();
        let mut surv = 1.0_f64;
        let mut greenwood = 0.0_f64; // Σ d/(n(n-d)); +inf once n = d
        let mut cumhaz = 0.0_f64;
        let mut var_chaz = 0.0_f64;
        for ((&time, &d), &c) in counts
            .times()
            .iter()
            .zip(counts.n_event())
            .zip(counts.n_censor())
        {
            if d > 0 {
                let n = n_risk as f64;
                let df = d as f64;
                surv *= (n - df) / n;
                greenwood += if n_risk > d {
                    df / (n * (n - df))
                } else {
                    f64::INFINITY
                };
                cumhaz += df / n;
                var_chaz += df / (n * n);
            }
            let std_err_log = greenwood.is_finite().then(|| greenwood.sqrt());
            rows.push(KmRow {
                time,
                n_risk,
                n_event: d,
                n_censor: c,
                surv,
                std_err: std_err_log.map(|s| s * surv),
                std_err_log,
                cumhaz,
                std_chaz: var_chaz.sqrt(),
            });
            n_risk -= d + c;
        }
        KaplanMeier {
            rows,
            n: counts.n(),
            events: counts.events(),
        }
    }

    /// The table: one row per distinct observed time, in time order.
    #[must_use]
    pub fn rows(&self) -> &[KmRow] {
        &self.rows
    }

    /// Number of subjects.
    #[must_use]
    pub fn n(&self) -> u64 {
        self.n
    }

    /// Number of events.
    #[must_use]
    pub fn events(&self) -> u64 {
        self.events
    }

    /// The largest observed time (event or censoring): the end of follow-up.
    #[must_use]
    pub fn max_time(&self) -> f64 {
        self.rows.last().map_or(0.0, |r| r.time)
    }

    /// The largest event time, `None` when there is no event.
    #[must_use]
    pub fn last_event_time(&self) -> Option<f64> {
        self.rows
            .iter()
            .rev()
            .find(|r| r.n_event > 0)
            .map(|r| r.time)
    }

    /// The survival estimate at `t`: the step value at the largest observed time ≤ `t` (1 before the
    /// first observed time; the last value carried forward after the last).
    #[must_use]
    pub fn surv_at(&self, t: f64) -> f64 {
        let k = self.rows.partition_point(|r| r.time <= t);
        if k == 0 { 1.0 } else { self.rows[k - 1].surv }
    }

    /// The pointwise confidence interval at every row, as R `survfit(conf.type = ...)` reports it.
    #[must_use]
    pub fn pointwise_ci(&self, conf: Confidence) -> Vec<Bounds> {
        self.rows
            .iter()
            .map(|r| survival_bounds(r.surv, r.std_err_log, conf))
            .collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    const REL: f64 = 1e-14; // a few multiplications and one sqrt: rounding only

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= REL * b.abs().max(f64::MIN_POSITIVE)
    }

    #[test]
    fn hand_computed_ties() {
        // times 2,2,2,4,5,5,8,9; status 1,0,1,1,0,1,0,1 (R edge case `tie_event_censor`).
        // t=2: n=8 d=2 c=1  S = 6/8 = 0.75       Σ d/(n(n-d)) = 2/48            = 0.0416667
        // t=4: n=5 d=1      S = 0.75·4/5 = 0.6   + 1/20 -> 11/120               = 0.0916667
        // t=5: n=4 d=1 c=1  S = 0.6·3/4 = 0.45   + 1/12 -> 21/120               = 0.175
        // t=8: n=2 c=1      S = 0.45
        // t=9: n=1 d=1      S = 0, Greenwood undefined (n = d)
        // Nelson-Aalen at 5: 2/8 + 1/5 + 1/4 = 0.7; var 2/64 + 1/25 + 1/16 = 0.13375
        let t = [2.0, 2.0, 2.0, 4.0, 5.0, 5.0, 8.0, 9.0];
        let e = [true, false, true, true, false, true, false, true];
        let km = KaplanMeier::fit(&t, &e).unwrap();
        let r = km.rows();
        assert_eq!(r.len(), 5);
        assert_eq!(
            (
                r[0].n_risk,
                r[1].n_risk,
                r[2].n_risk,
                r[3].n_risk,
                r[4].n_risk
            ),
            (8, 5, 4, 2, 1)
        );
        assert!(close(r[2].surv, 0.45));
        assert!(close(r[2].std_err_log.unwrap(), 0.175_f64.sqrt()));
        assert!(close(r[2].std_err.unwrap(), 0.45 * 0.175_f64.sqrt()));
        assert!(close(r[2].cumhaz, 0.7));
        assert!(close(r[2].std_chaz, 0.133_75_f64.sqrt()));
        assert_eq!(r[3].surv, r[2].surv);
        assert_eq!(r[4].surv, 0.0);
        assert_eq!((r[4].std_err, r[4].std_err_log), (None, None));
        assert_eq!(
            (km.n(), km.events(), km.max_time(), km.last_event_time()),
            (8, 5, 9.0, Some(9.0))
        );
        assert_eq!((km.surv_at(1.0), km.surv_at(100.0)), (1.0, 0.0));
        assert!(close(km.surv_at(4.5), 0.6));
    }

    #[test]
    fn all_censored_is_flat_at_one() {
        let km = KaplanMeier::fit(&[3.0, 5.0, 7.0], &[false; 3]).unwrap();
        assert!(
            km.rows()
                .iter()
                .all(|r| r.surv == 1.0 && r.std_err == Some(0.0))
        );
        assert_eq!(km.last_event_time(), None);
    }
}
