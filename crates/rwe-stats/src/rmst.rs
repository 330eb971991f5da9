//! Restricted mean survival time: [`KaplanMeier::rmst`].

use crate::error::StatsError;
use crate::km::KaplanMeier;

/// Restricted mean survival time up to `tau`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rmst {
    /// The truncation time τ.
    pub tau: f64,
    /// Area under the survival curve on [0, τ].
    pub estimate: f64,
    /// Its standard error.
    pub std_err: f64,
}

impl KaplanMeier {
    /// The restricted mean survival time on [0, `tau`] (the area under the curve) and its standard
    /// error.
    ///
    /// Estimate and standard error as R `summary(fit, rmean = tau)` / `print(fit, rmean = tau)`
    /// (`survmean`, survival 3.5-3):
    ///
    /// * RMST(τ) = Σ over the steps of S × width, from time 0 (S = 1) to τ; when τ is after the last
    ///   observed time the last value of S is extended as a flat line;
    /// * Var = Σ_{t_j ≤ τ} A_j² · d_j / (n_j (n_j − d_j)), with A_j the area under S from t_j to τ
    ///   (a term with n_j = d_j counts 0). There is no n/(n − 1) correction.
    ///
    /// R refuses τ before the first observed time; here the answer is then τ with standard error 0 (the
    /// curve is 1 there).
    ///
    /// # Errors
    /// [`StatsError::InvalidTime`] (index 0) when `tau` is NaN, infinite or negative.
    pub fn rmst(&self, tau: f64) -> Result<Rmst, StatsError> {
        if !(tau.is_finite() && tau >= 0.0) {
            return Err(StatsError::InvalidTime {
                index: 0,
                value: tau,
                out_of_order: false,
            });
        }
        let rows = self.rows();
        let kept = rows.partition_point(|r| r.time <= tau);
        // Walk back from tau, accumulating the area to the right of each kept time, as R's
        // cumsum(rev(rectangles)).
        let mut area = 0.0_f64;
        let mut var = 0.0_f64;
        let mut right = tau;
        for r in rows[..kept].iter().rev() {
            area += (right - r.time) * r.surv;
            right = r.time;
            if r.n_event > 0 && r.n_risk > r.n_event {
                let n = r.n_risk as f64;
                let d = r.n_event as f64;
                var += area * area * d / (n * (n - d));
            }
        }
        // The first rectangle: from 0 to the first kept time (or tau) at S = 1.
        area += right;
        Ok(Rmst {
            tau,
            estimate: area,
            std_err: var.sqrt(),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    const REL: f64 = 1e-14; // a handful of additions: rounding only

    #[test]
    fn hand_computed() {
        // Events at 1 and 3, censored at 2, n = 3 (rows: t=1 n=3 d=1; t=2 n=2 c=1; t=3 n=1 d=1).
        // S = 1 on [0,1), 2/3 on [1,3), 0 from 3.
        // tau = 2.5: area = 1 + 1.5·2/3 = 2; A(t=1) = 1.5·2/3 = 1; Var = 1²·1/(3·2) = 1/6.
        // tau = 10:  area = 1 + 2·2/3 = 7/3; A(1) = 4/3; the event at 3 has n = d (counts 0);
        //            Var = (4/3)²/6 = 0.296296...
        let km = KaplanMeier::fit(&[1.0, 2.0, 3.0], &[true, false, true]).unwrap();
        let r = km.rmst(2.5).unwrap();
        assert!((r.estimate - 2.0).abs() < REL * 2.0);
        assert!((r.std_err - (1.0_f64 / 6.0).sqrt()).abs() < REL);
        let r = km.rmst(10.0).unwrap();
        assert!((r.estimate - 7.0 / 3.0).abs() < REL * 3.0);
        assert!((r.std_err - (16.0_f64 / 9.0 / 6.0).sqrt()).abs() < REL);
        // Before the first time: the curve is 1.
        let r = km.rmst(0.5).unwrap();
        assert_eq!((r.estimate, r.std_err), (0.5, 0.0));
        assert!(km.rmst(-1.0).is_err());
    }
}
