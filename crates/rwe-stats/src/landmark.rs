//! Survival at requested times ("landmarks"): [`KaplanMeier::survival_at`].

use crate::ci::{Bounds, Confidence, survival_bounds};
use crate::convention::Convention;
use crate::error::StatsError;
use crate::km::KaplanMeier;

/// What to report for a requested time after the last observed time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BeyondLastTime {
    /// SAS: the estimate is not estimable (`None`), counts are still reported.
    NotEstimable,
    /// R `summary(fit, times, extend = TRUE)`: the last value carried forward, n_risk = 0.
    CarryForward,
    /// R `summary(fit, times, extend = FALSE)`: such times are left out of the result.
    Drop,
}

impl From<Convention> for BeyondLastTime {
    /// `Sas` → [`BeyondLastTime::NotEstimable`]; `R` → [`BeyondLastTime::CarryForward`].
    fn from(c: Convention) -> Self {
        match c {
            Convention::Sas => BeyondLastTime::NotEstimable,
            Convention::R => BeyondLastTime::CarryForward,
        }
    }
}

/// The survival estimate at one requested time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurvivalAt {
    /// The requested time.
    pub time: f64,
    /// Number at risk at `time`.
    pub n_risk: u64,
    /// Events since the previous requested time (see [`KaplanMeier::survival_at`]).
    pub n_event: u64,
    /// Censorings since the previous requested time (see [`KaplanMeier::survival_at`]).
    pub n_censor: u64,
    /// Kaplan-Meier survival; `None` when not estimable.
    pub surv: Option<f64>,
    /// Greenwood standard error of `surv`; `None` when not estimable or undefined (S = 0).
    pub std_err: Option<f64>,
    /// Lower confidence limit.
    pub lower: Option<f64>,
    /// Upper confidence limit.
    pub upper: Option<f64>,
}

impl KaplanMeier {
    /// Survival at each requested time (in the order given), as R `summary(fit, times = ...)`
    /// reports it.
    ///
    /// For a requested time t:
    ///
    /// * `surv`, `std_err` and the CI are those of the largest observed time ≤ t. Before the first
    ///   observed time R inserts a time-0 row (`survfit0`) with S = 1, SE 0 and CI [1, 1] under
    ///   every transform; a time after a censoring but before the first event takes that censoring
    ///   row's CI instead, which is undefined for log-log, logit and arcsine (S = 1). Both are
    ///   reproduced.
    /// * `n_risk` is the number at risk *at* t: that of the first observed time ≥ t, 0 after the last.
    /// * `n_event` / `n_censor`: when the requested times are strictly increasing, the counts in
    ///   (previous requested time, t] (the first one counts from time 0); otherwise R switches to lookup
    ///   mode and reports the counts at the matched observed time. Both are reproduced.
    /// * Beyond the last observed time ([`BeyondLastTime`]): SAS does not estimate (`None`), R
    ///   carries the last value forward with n_risk = 0 (`extend = TRUE`), or drops the time
    ///   (`extend = FALSE`, which keeps a time equal to the last observed time).
    ///
    /// # Errors
    /// [`StatsError::InvalidTime`] for a NaN, infinite or negative requested time.
    pub fn survival_at(
        &self,
        times: &[f64],
        conf: Confidence,
        beyond: BeyondLastTime,
    ) -> Result<Vec<SurvivalAt>, StatsError> {
        if let Some((index, &value)) = times
            .iter()
            .enumerate()
            .find(|&(_, &t)| !(t.is_finite() && t >= 0.0))
        {
            return Err(StatsError::InvalidTime {
                index,
                value,
                out_of_order: false,
            });
        }
        let rows = self.rows();
        let max_time = self.max_time();
        let sum_since_previous = times.windows(2).all(|w| w[1] > w[0]);
        let mut out = Vec::with_capacity(times.len());
        // Position (count of rows with time <= t) and cumulative counts at the previous requested time.
        let mut prev_k = 0;
        let mut cum = (0_u64, 0_u64);
        let mut cum_prev = (0_u64, 0_u64);
        for &t in times {
            let after_end = t > max_time;
            if after_end && beyond == BeyondLastTime::Drop {
                continue;
            }
            let k = rows.partition_point(|r| r.time <= t);
            let n_risk = rows
                .get(rows.partition_point(|r| r.time < t))
                .map_or(0, |r| r.n_risk);
            let (n_event, n_censor) = if sum_since_previous {
                // Times increase, so the cumulative sums advance monotonically.
                for r in &rows[prev_k..k] {
                    cum.0 += r.n_event;
                    cum.1 += r.n_censor;
                }
                prev_k = k;
                let d = (cum.0 - cum_prev.0, cum.1 - cum_prev.1);
                cum_prev = cum;
                d
            } else if k == 0 {
                (0, 0)
            } else {
                (rows[k - 1].n_event, rows[k - 1].n_censor)
            };
            let (surv, std_err, bounds) = if after_end && beyond == BeyondLastTime::NotEstimable {
                (None, None, Bounds::NONE)
            } else if k == 0 {
                // R's inserted time-0 row.
                let one = Bounds {
                    lower: Some(1.0),
                    upper: Some(1.0),
                };
                (Some(1.0), Some(0.0), one)
            } else {
                let r = &rows[k - 1];
                (
                    Some(r.surv),
                    r.std_err,
                    survival_bounds(r.surv, r.std_err_log, conf),
                )
            };
            out.push(SurvivalAt {
                time: t,
                n_risk,
                n_event,
                n_censor,
                surv,
                std_err,
                lower: bounds.lower,
                upper: bounds.upper,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;
    use crate::convention::ConfType;

    fn conf() -> Confidence {
        Confidence::new(ConfType::LogLog, 0.95).unwrap()
    }

    #[test]
    fn counts_since_previous_and_beyond_the_end() {
        // times 2,2,2,4,5,5,8,9; status 1,0,1,1,0,1,0,1. Rows: t=2 (n 8, d 2, c 1), 4 (5, 1, 0),
        // 5 (4, 1, 1), 8 (2, 0, 1), 9 (1, 1, 0).
        let km = KaplanMeier::fit(
            &[2.0, 2.0, 2.0, 4.0, 5.0, 5.0, 8.0, 9.0],
            &[true, false, true, true, false, true, false, true],
        )
        .unwrap();
        let at = km
            .survival_at(&[1.0, 4.5, 9.0, 12.0], conf(), BeyondLastTime::NotEstimable)
            .unwrap();
        // t=1: before any row: S = 1, SE 0, CI [1, 1], all 8 at risk.
        assert_eq!(
            (at[0].n_risk, at[0].surv, at[0].std_err, at[0].lower),
            (8, Some(1.0), Some(0.0), Some(1.0))
        );
        // t=4.5: S(4) = 0.6; at risk at 4.5 = those at risk at 5 = 4; in (1, 4.5]: 3 events, 1 censored.
        assert_eq!((at[1].n_risk, at[1].n_event, at[1].n_censor), (4, 3, 1));
        assert!((at[1].surv.unwrap() - 0.6).abs() < 1e-15); // 0.75 · 4/5, rounding only
        // t=9: S = 0, SE undefined; in (4.5, 9]: events at 5 and 9, censored at 5 and 8.
        assert_eq!((at[2].n_risk, at[2].n_event, at[2].n_censor), (1, 2, 2));
        assert_eq!(
            (at[2].surv, at[2].std_err, at[2].lower),
            (Some(0.0), None, None)
        );
        // t=12 > 9: SAS does not estimate.
        assert_eq!((at[3].n_risk, at[3].surv, at[3].std_err), (0, None, None));

        let r = km
            .survival_at(&[12.0], conf(), BeyondLastTime::CarryForward)
            .unwrap();
        assert_eq!((r[0].n_risk, r[0].n_event, r[0].surv), (0, 5, Some(0.0)));
        let d = km
            .survival_at(&[9.0, 12.0], conf(), BeyondLastTime::Drop)
            .unwrap();
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn unordered_times_look_up_counts_at_the_matched_row() {
        let km = KaplanMeier::fit(&[2.0, 2.0, 4.0, 6.0], &[true, false, true, true]).unwrap();
        let at = km
            .survival_at(&[5.0, 3.0], conf(), BeyondLastTime::CarryForward)
            .unwrap();
        // R summary(times = c(5, 3)): dosum = FALSE, counts of the row at 4 and at 2.
        assert_eq!((at[0].n_event, at[0].n_censor, at[0].n_risk), (1, 0, 1));
        assert_eq!((at[1].n_event, at[1].n_censor, at[1].n_risk), (1, 1, 2));
    }

    #[test]
    fn rejects_bad_times() {
        let km = KaplanMeier::fit(&[1.0], &[true]).unwrap();
        assert!(matches!(
            km.survival_at(&[1.0, f64::NAN], conf(), BeyondLastTime::Drop),
            Err(StatsError::InvalidTime { index: 1, .. })
        ));
    }
}
