//! The weighted log-rank family of k-sample tests: log-rank, Gehan-Wilcoxon, Tarone-Ware, Peto-Peto
//! and Fleming-Harrington(ρ, γ), optionally stratified.
//!
//! Formulas are on [`survdiff`], the weights and how they map to R and SAS on [`TestWeight`].

use serde::Serialize;

use crate::cholesky::Ldl;
use crate::convention::Convention;
use crate::dist::chisq_sf;
use crate::group_counts::{GroupCounts, StratumCounts};

/// Tolerance for declaring the reduced variance matrix singular: R's `coxph.control` `toler.chol`
/// (machine epsilon^0.75), relative to the largest diagonal element.
const TOLER_SINGULAR: f64 = 1.818_989_403_545_856e-12;

/// The weight function w_j of a weighted log-rank test.
///
/// | variant | w_j | R | SAS LIFETEST `TEST=` |
/// |---|---|---|---|
/// | `LogRank` | 1 | `survdiff(rho = 0)` | `LOGRANK` |
/// | `Gehan` | Y_j | — | `WILCOXON` (Gehan 1965, Breslow 1970) |
/// | `TaroneWare` | √Y_j | — | `TARONE` |
/// | `PetoPeto` | Ŝ(t_j−) | `survdiff(rho = 1)` | — (see below) |
/// | `FlemingHarrington { ρ, γ }` | Ŝ(t_j−)^ρ (1 − Ŝ(t_j−))^γ | `rho = ρ` when γ = 0 | `FLEMING(ρ, γ)` |
///
/// Ŝ(t−) is the pooled (all groups of the stratum) Kaplan-Meier estimate just before t: left
/// continuous, so the first event time has weight Ŝ = 1. R's `rho = 1` "Peto & Peto modification of
/// the Gehan-Wilcoxon test" is exactly this (checked on aml, see the tests). SAS's `TEST=PETO` is a
/// different estimator, Π (1 − d_j/(Y_j + 1)) *including* t_j, and is not offered here.
///
/// The "Wilcoxon" test therefore differs between the two peers: SAS reports Gehan's, R (in
/// `survdiff`) only offers Peto-Peto. [`TestWeight::wilcoxon`] picks the one a [`Convention`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "name", rename_all = "kebab-case")]
pub enum TestWeight {
    /// w = 1: the log-rank (Mantel-Haenszel) test.
    LogRank,
    /// w = number at risk: the Gehan-Breslow generalised Wilcoxon test (SAS's `WILCOXON`).
    Gehan,
    /// w = √(number at risk): the Tarone-Ware test.
    TaroneWare,
    /// w = pooled Kaplan-Meier Ŝ(t−): Peto-Peto, R's `survdiff(rho = 1)`.
    PetoPeto,
    /// w = Ŝ(t−)^ρ (1 − Ŝ(t−))^γ: the Fleming-Harrington G(ρ, γ) family.
    FlemingHarrington {
        /// Power of Ŝ(t−) (emphasises early differences).
        rho: f64,
        /// Power of 1 − Ŝ(t−) (emphasises late differences).
        gamma: f64,
    },
}

impl TestWeight {
    /// The "Wilcoxon" test of a convention: Gehan for SAS, Peto-Peto for R.
    #[must_use]
    pub fn wilcoxon(convention: Convention) -> Self {
        match convention {
            Convention::Sas => TestWeight::Gehan,
            Convention::R => TestWeight::PetoPeto,
        }
    }

    /// A short name for tables and JSON: `logrank`, `gehan`, `tarone-ware`, `peto`,
    /// `fleming-harrington`.
    #[must_use]
    pub fn as_str(&self) -> &'static str {
        match self {
            TestWeight::LogRank => "logrank",
            TestWeight::Gehan => "gehan",
            TestWeight::TaroneWare => "tarone-ware",
            TestWeight::PetoPeto => "peto",
            TestWeight::FlemingHarrington { .. } => "fleming-harrington",
        }
    }

    /// The weight at an event time with `n_risk` at risk and pooled Kaplan-Meier `s_minus` = Ŝ(t−).
    fn at(&self, n_risk: f64, s_minus: f64) -> f64 {
        match *self {
            TestWeight::LogRank => 1.0,
            TestWeight::Gehan => n_risk,
            TestWeight::TaroneWare => n_risk.sqrt(),
            TestWeight::PetoPeto => s_minus,
            TestWeight::FlemingHarrington { rho, gamma } => {
                // powf(0, 0) = 1, so G(0, 0) is the log-rank test and γ = 0 ignores 1 − Ŝ.
                s_minus.powf(rho) * (1.0 - s_minus).powf(gamma)
            }
        }
    }

    fn needs_km(&self) -> bool {
        matches!(
            self,
            TestWeight::PetoPeto | TestWeight::FlemingHarrington { .. }
        )
    }
}

/// Result of a k-sample test: the statistic and the per-group quantities behind it.
///
/// Vectors are indexed by the dense group index the caller passed in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupTest {
    /// The weight function used.
    pub weight: TestWeight,
    /// The chi-square statistic (O − E)ᵀ V⁻ (O − E).
    pub chisq: f64,
    /// Degrees of freedom: the number of groups with at least one subject, minus 1.
    pub df: usize,
    /// Upper-tail chi-square probability of `chisq` on `df` degrees of freedom.
    pub p: f64,
    /// Number of subjects per group.
    pub n: Vec<usize>,
    /// Weighted observed events per group, summed over strata.
    pub obs: Vec<f64>,
    /// Weighted expected events per group under the null, summed over strata.
    pub exp: Vec<f64>,
    /// Variance-covariance matrix of O − E (k × k, rows are groups), summed over strata.
    pub var: Vec<Vec<f64>>,
    /// Number of strata that contained at least one subject (1 when unstratified).
    pub strata: usize,
}

/// Why a k-sample test could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LogrankError {
    /// No observations were given.
    #[error("no observations")]
    Empty,
    /// An input vector does not have one entry per observation.
    #[error("`{what}` has {found} entries, expected {expected} (one per observation)")]
    LengthMismatch {
        /// Which input (`event`, `group` or `strata`).
        what: &'static str,
        /// The number of observations (`time.len()`).
        expected: usize,
        /// The length given.
        found: usize,
    },
    /// A time is NaN or infinite.
    #[error("observation {row}: time {time} is not a finite number")]
    NonFiniteTime {
        /// Index of the observation (0-based).
        row: usize,
        /// The value found.
        time: f64,
    },
    /// Fewer than two groups have any subject, so there is nothing to compare.
    #[error("found {non_empty} non-empty group(s), expected at least 2")]
    FewerThanTwoGroups {
        /// Number of groups with at least one subject.
        non_empty: usize,
    },
    /// A group index is not dense (it is at least the number of observations).
    #[error(
        "group index {group} is too large for {observations} observations; expected dense indices 0..k"
    )]
    GroupIndexTooLarge {
        /// The largest index found.
        group: usize,
        /// The number of observations.
        observations: usize,
    },
    /// A Fleming-Harrington power is negative or not finite.
    #[error("Fleming-Harrington weights need finite ρ, γ ≥ 0, found ρ = {rho}, γ = {gamma}")]
    InvalidWeight {
        /// ρ as given.
        rho: f64,
        /// γ as given.
        gamma: f64,
    },
    /// The variance of O − E (one group dropped) is singular, so χ² is undefined; this happens when
    /// a group contributes no information (e.g. it is only ever at risk alone).
    #[error("the variance matrix of observed − expected is singular (group {group})")]
    SingularVariance {
        /// Dense index of the group whose row is linearly dependent on the others.
        group: usize,
    },
}

/// Compare the survival of two or more groups with a weighted log-rank test, optionally stratified.
///
/// `group` holds dense group indices `0..k` (k = largest index + 1; the caller maps labels, e.g.
/// with [`crate::factor_levels`]). `strata`, when given, holds a stratum index per observation
/// (any `u32` values); O, E and V are then summed over strata. Ties: all events at a time are
/// compared with everyone still at risk at that time, censorings at t included (censoring happens
/// after the events at the same time), as in R and SAS.
///
/// At each distinct event time t_j (within a stratum) with Y_j subjects at risk, d_j events, Y_jk at
/// risk and d_jk events in group k, and a weight w_j:
///
/// * observed O_k = Σ_j w_j d_jk, expected E_k = Σ_j w_j d_j Y_jk / Y_j;
/// * variance V_kl = Σ_j w_j² d_j (Y_j − d_j) / (Y_j (Y_j − 1)) · Y_jk (δ_kl − Y_jl / Y_j)
///   (the hypergeometric variance; a time with Y_j = 1 adds nothing);
/// * χ² = (O − E)ᵀ V⁻ (O − E), using the generalised inverse obtained by dropping one group.
///
/// Stratified tests sum O, E and V over strata (each stratum has its own risk sets and its own
/// pooled Kaplan-Meier curve for the weights). This is R's `survdiff.fit` (`survdiff2.c`) and SAS
/// PROC LIFETEST's `STRATA … / GROUP=` tests.
///
/// The χ² drops the first group with a positive expected count (R's choice; any group gives the
/// same value since V has rank k − 1), and is 0 when fewer than two groups have expected > 0.
///
/// # Example
///
/// ```
/// use rwe_stats::{TestWeight, survdiff};
///
/// // Group 0: events at 1 and 3; group 1: an event at 2, censored at 4.
/// let time = [1.0, 3.0, 2.0, 4.0];
/// let event = [true, true, true, false];
/// let test = survdiff(&time, &event, &[0, 0, 1, 1], None, TestWeight::LogRank)?;
/// assert_eq!(test.df, 1);
/// assert!((test.chisq - 8.0 / 13.0).abs() < 1e-12);
/// # Ok::<(), rwe_stats::LogrankError>(())
/// ```
///
/// # Errors
///
/// [`LogrankError::Empty`], [`LogrankError::LengthMismatch`], [`LogrankError::NonFiniteTime`],
/// [`LogrankError::GroupIndexTooLarge`], [`LogrankError::FewerThanTwoGroups`],
/// [`LogrankError::InvalidWeight`] and
/// [`LogrankError::SingularVariance`], as described on each variant.
pub fn survdiff(
    time: &[f64],
    event: &[bool],
    group: &[u32],
    strata: Option<&[u32]>,
    weight: TestWeight,
) -> Result<GroupTest, LogrankError> {
    let n = time.len();
    if n == 0 {
        return Err(LogrankError::Empty);
    }
    check_len("event", n, event.len())?;
    check_len("group", n, group.len())?;
    if let Some(s) = strata {
        check_len("strata", n, s.len())?;
    }
    if let Some(row) = time.iter().position(|t| !t.is_finite()) {
        return Err(LogrankError::NonFiniteTime {
            row,
            time: time[row],
        });
    }
    check_weight(weight)?;

    let k = group.iter().map(|&g| g as usize).max().unwrap_or(0) + 1;
    if k > n {
        // Dense indices cannot exceed the number of observations; refuse before allocating k².
        return Err(LogrankError::GroupIndexTooLarge {
            group: k - 1,
            observations: n,
        });
    }
    let mut n_per_group = vec![0_usize; k];
    for &g in group {
        n_per_group[g as usize] += 1;
    }
    let non_empty = n_per_group.iter().filter(|&&c| c > 0).count();
    if non_empty < 2 {
        return Err(LogrankError::FewerThanTwoGroups { non_empty });
    }

    let stratum = |i: usize| strata.map_or(0, |s| s[i]);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        stratum(a)
            .cmp(&stratum(b))
            .then(time[a].total_cmp(&time[b]))
    });

    let mut acc = Accumulator::new(k);
    let mut n_strata = 0;
    let mut start = 0;
    while start < n {
        let s = stratum(order[start]);
        let end = start + order[start..].partition_point(|&i| stratum(i) == s);
        acc.add_stratum(&order[start..end], time, event, group, weight);
        n_strata += 1;
        start = end;
    }

    let chisq = chisq_of(&acc.obs, &acc.exp, &acc.var, k)?;
    let df = non_empty - 1;
    Ok(GroupTest {
        weight,
        chisq,
        df,
        p: chisq_sf(chisq, df as f64),
        n: n_per_group,
        obs: acc.obs,
        exp: acc.exp,
        var: acc.var.chunks(k).map(<[f64]>::to_vec).collect(),
        strata: n_strata,
    })
}

/// [`survdiff`] computed from per-time counts per group and stratum (see [`GroupCounts`]): the same
/// statistic, O, E and V, with the same arithmetic in the same order, without a row per subject.
///
/// Groups are the groups of `counts` (a group without subjects takes no part, as in [`survdiff`]);
/// strata without subjects are skipped.
///
/// ```
/// use rwe_stats::{GroupCounts, TestWeight, survdiff, survdiff_counts};
///
/// let (time, event, group) = ([1.0, 3.0, 2.0, 4.0], [true, true, true, false], [0, 0, 1, 1]);
/// let counts = GroupCounts::from_observations(&time, &event, Some(&group), None)?;
/// let fast = survdiff_counts(&counts, TestWeight::LogRank)?;
/// let rows = survdiff(&time, &event, &group, None, TestWeight::LogRank)?;
/// assert_eq!(fast.chisq, rows.chisq);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`LogrankError::FewerThanTwoGroups`], [`LogrankError::InvalidWeight`] and
/// [`LogrankError::SingularVariance`], as for [`survdiff`].
pub fn survdiff_counts(
    counts: &GroupCounts,
    weight: TestWeight,
) -> Result<GroupTest, LogrankError> {
    check_weight(weight)?;
    let k = counts.groups();
    let n_per_group: Vec<usize> = counts
        .n_per_group()
        .into_iter()
        .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
        .collect();
    let non_empty = n_per_group.iter().filter(|&&c| c > 0).count();
    if non_empty < 2 {
        return Err(LogrankError::FewerThanTwoGroups { non_empty });
    }
    let mut acc = Accumulator::new(k);
    let mut n_strata = 0;
    for stratum in counts.strata().iter().filter(|s| !s.is_empty()) {
        acc.add_counts(stratum, weight);
        n_strata += 1;
    }
    let chisq = chisq_of(&acc.obs, &acc.exp, &acc.var, k)?;
    let df = non_empty - 1;
    Ok(GroupTest {
        weight,
        chisq,
        df,
        p: chisq_sf(chisq, df as f64),
        n: n_per_group,
        obs: acc.obs,
        exp: acc.exp,
        var: acc.var.chunks(k).map(<[f64]>::to_vec).collect(),
        strata: n_strata,
    })
}

fn check_weight(weight: TestWeight) -> Result<(), LogrankError> {
    if let TestWeight::FlemingHarrington { rho, gamma } = weight
        && !(rho.is_finite() && gamma.is_finite() && rho >= 0.0 && gamma >= 0.0)
    {
        return Err(LogrankError::InvalidWeight { rho, gamma });
    }
    Ok(())
}

fn check_len(what: &'static str, expected: usize, found: usize) -> Result<(), LogrankError> {
    if expected == found {
        Ok(())
    } else {
        Err(LogrankError::LengthMismatch {
            what,
            expected,
            found,
        })
    }
}

/// O, E and V summed over strata.
struct Accumulator {
    k: usize,
    obs: Vec<f64>,
    exp: Vec<f64>,
    /// k × k, row-major.
    var: Vec<f64>,
    // Scratch, per stratum.
    risk: Vec<f64>,
    deaths: Vec<f64>,
    leaving: Vec<f64>,
}

impl Accumulator {
    fn new(k: usize) -> Self {
        Accumulator {
            k,
            obs: vec![0.0; k],
            exp: vec![0.0; k],
            var: vec![0.0; k * k],
            risk: vec![0.0; k],
            deaths: vec![0.0; k],
            leaving: vec![0.0; k],
        }
    }

    /// Add one stratum; `idx` is sorted by time.
    fn add_stratum(
        &mut self,
        idx: &[usize],
        time: &[f64],
        event: &[bool],
        group: &[u32],
        weight: TestWeight,
    ) {
        let k = self.k;
        self.risk.iter_mut().for_each(|r| *r = 0.0);
        for &i in idx {
            self.risk[group[i] as usize] += 1.0;
        }
        let mut n_risk = idx.len() as f64;
        // Pooled Kaplan-Meier just before the current time (left-continuous).
        let mut km = 1.0;
        let mut pos = 0;
        while pos < idx.len() {
            let t = time[idx[pos]];
            let end = pos + idx[pos..].partition_point(|&i| time[i] == t);
            self.deaths.iter_mut().for_each(|d| *d = 0.0);
            self.leaving.iter_mut().for_each(|d| *d = 0.0);
            let mut d = 0.0;
            for &i in &idx[pos..end] {
                let g = group[i] as usize;
                self.leaving[g] += 1.0;
                if event[i] {
                    self.deaths[g] += 1.0;
                    d += 1.0;
                }
            }
            self.step(n_risk, d, weight, &mut km);
            for g in 0..k {
                self.risk[g] -= self.leaving[g];
            }
            n_risk -= (end - pos) as f64;
            pos = end;
        }
    }

    /// Adds one distinct time: `self.deaths` holds the events of each group at it and `self.risk`
    /// the number at risk of each group just before it; `d` events among `n_risk` at risk; `km` is
    /// the pooled Kaplan-Meier Ŝ(t−), updated to Ŝ(t).
    fn step(&mut self, n_risk: f64, d: f64, weight: TestWeight, km: &mut f64) {
        let k = self.k;
        if d > 0.0 {
            let w = weight.at(n_risk, *km);
            for g in 0..k {
                self.obs[g] += w * self.deaths[g];
                // Same evaluation order as survdiff2.c: wt * deaths * risk / nrisk.
                self.exp[g] += w * d * self.risk[g] / n_risk;
            }
            if n_risk > 1.0 {
                let w2 = w * w;
                for j in 0..k {
                    let tmp = w2 * d * self.risk[j] * (n_risk - d) / (n_risk * (n_risk - 1.0));
                    self.var[j * k + j] += tmp;
                    for l in 0..k {
                        self.var[j * k + l] -= tmp * self.risk[l] / n_risk;
                    }
                }
            }
            if weight.needs_km() {
                *km *= (n_risk - d) / n_risk;
            }
        }
    }

    /// Adds one stratum given as per-time counts.
    fn add_counts(&mut self, stratum: &StratumCounts, weight: TestWeight) {
        let k = self.k;
        let n_per_group = stratum.n_per_group();
        for (risk, &n) in self.risk.iter_mut().zip(&n_per_group) {
            *risk = n as f64;
        }
        let mut n_risk = n_per_group.iter().sum::<u64>() as f64;
        let mut km = 1.0;
        for i in 0..stratum.len() {
            let (events, censors) = (stratum.n_event(i), stratum.n_censor(i));
            let mut d = 0.0;
            let mut leaving = 0.0;
            for g in 0..k {
                self.deaths[g] = events[g] as f64;
                self.leaving[g] = (events[g] + censors[g]) as f64;
                d += self.deaths[g];
                leaving += self.leaving[g];
            }
            self.step(n_risk, d, weight, &mut km);
            for g in 0..k {
                self.risk[g] -= self.leaving[g];
            }
            n_risk -= leaving;
        }
    }
}

/// χ² = (O − E)ᵀ V⁻ (O − E) over the groups with E > 0, dropping the first of them (R's
/// `survdiff`); 0 when fewer than two groups have E > 0.
fn chisq_of(obs: &[f64], exp: &[f64], var: &[f64], k: usize) -> Result<f64, LogrankError> {
    let keep: Vec<usize> = (0..k).filter(|&g| exp[g] > 0.0).collect();
    if keep.len() < 2 {
        return Ok(0.0);
    }
    let sub = &keep[1..];
    let m = sub.len();
    let mut v = vec![0.0; m * m];
    for (a, &ga) in sub.iter().enumerate() {
        for (b, &gb) in sub.iter().enumerate() {
            v[a * m + b] = var[ga * k + gb];
        }
    }
    let diff: Vec<f64> = sub.iter().map(|&g| obs[g] - exp[g]).collect();
    let ldl = Ldl::new(&v, m, TOLER_SINGULAR);
    if let Some(&bad) = ldl.singular().first() {
        return Err(LogrankError::SingularVariance { group: sub[bad] });
    }
    let mut x = diff.clone();
    ldl.solve_in_place(&mut x);
    Ok(x.iter().zip(&diff).map(|(a, b)| a * b).sum())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap
mod tests {
    use super::*;

    const TOL: f64 = 1e-12;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= TOL * b.abs().max(1.0)
    }

    // Group 0: events at 1 and 3. Group 1: event at 2, censored at 4.
    //   t=1: Y=4 (2, 2), d=1 in group 0: E0 = 1/2, V = 1·2·2·3/(16·3) = 1/4, Ŝ(t−) = 1
    //   t=2: Y=3 (1, 2), d=1 in group 1: E0 = 1/3, V = 1·1·2·2/(9·2) = 2/9, Ŝ(t−) = 3/4
    //   t=3: Y=2 (1, 1), d=1 in group 0: E0 = 1/2, V = 1·1·1·1/(4·1) = 1/4, Ŝ(t−) = 1/2
    // O0 − E0 per time: +1/2, −1/3, +1/2.
    const TIME: [f64; 4] = [1.0, 3.0, 2.0, 4.0];
    const EVENT: [bool; 4] = [true, true, true, false];
    const GROUP: [u32; 4] = [0, 0, 1, 1];

    fn run(w: TestWeight) -> GroupTest {
        survdiff(&TIME, &EVENT, &GROUP, None, w).unwrap()
    }

    #[test]
    fn log_rank_by_hand() {
        // U = 2/3, V = 1/4 + 2/9 + 1/4 = 13/18, χ² = (4/9)/(13/18) = 8/13.
        let r = run(TestWeight::LogRank);
        assert!(close(r.obs[0], 2.0) && close(r.exp[0], 4.0 / 3.0), "{r:?}");
        assert!(close(r.var[0][0], 13.0 / 18.0) && close(r.var[0][1], -13.0 / 18.0));
        assert!(close(r.chisq, 8.0 / 13.0), "{}", r.chisq);
        assert_eq!((r.df, r.n.clone(), r.strata), (1, vec![2, 2], 1));
    }

    #[test]
    fn gehan_is_wilcoxon_with_weight_at_risk() {
        // w = 4, 3, 2: U = 4·1/2 − 3·1/3 + 2·1/2 = 2, V = 16/4 + 9·2/9 + 4/4 = 7, χ² = 4/7.
        // Gehan's pair scores agree: of the 4 (group 0, group 1) pairs, 1 has the group-0 subject
        // surviving longer (3 vs 2) and 3 shorter (1 vs 2, 1 vs 4+, 3 vs 4+): Σ = 1 − 3 = −U.
        let r = run(TestWeight::Gehan);
        assert!(close(r.obs[0] - r.exp[0], 2.0), "{r:?}");
        assert!(close(r.var[0][0], 7.0));
        assert!(close(r.chisq, 4.0 / 7.0));
        assert_eq!(TestWeight::wilcoxon(Convention::Sas), TestWeight::Gehan);
    }

    #[test]
    fn peto_tarone_and_fleming_harrington_by_hand() {
        // Peto: w = 1, 3/4, 1/2: U = 1/2 − 1/4 + 1/4 = 1/2, V = 1/4 + 9/16·2/9 + 1/16 = 7/16.
        let r = run(TestWeight::PetoPeto);
        assert!(close(r.obs[0] - r.exp[0], 0.5) && close(r.var[0][0], 7.0 / 16.0));
        assert!(close(r.chisq, 4.0 / 7.0));
        // FH(1, 0) is Peto-Peto.
        let fh = run(TestWeight::FlemingHarrington {
            rho: 1.0,
            gamma: 0.0,
        });
        assert!(close(fh.chisq, r.chisq));
        // FH(0, 1): w = 0, 1/4, 1/2: U = −1/12 + 1/4 = 1/6, V = 1/16·2/9 + 1/4·1/4 = 11/144,
        // χ² = (1/36)/(11/144) = 4/11.
        let fh = run(TestWeight::FlemingHarrington {
            rho: 0.0,
            gamma: 1.0,
        });
        assert!(close(fh.chisq, 4.0 / 11.0), "{}", fh.chisq);
        // Tarone-Ware: w = 2, √3, √2: U = 1 − √3/3 + √2/2, V = 4/4 + 3·2/9 + 2/4 = 13/6.
        let u = 1.0 - 3f64.sqrt() / 3.0 + 2f64.sqrt() / 2.0;
        let tw = run(TestWeight::TaroneWare);
        assert!(close(tw.chisq, u * u / (13.0 / 6.0)), "{}", tw.chisq);
    }

    #[test]
    fn stratification_sums_over_strata() {
        // Two copies of the example in two strata: O − E and V double, χ² doubles.
        let time: Vec<f64> = TIME.iter().chain(TIME.iter()).copied().collect();
        let event: Vec<bool> = EVENT.iter().chain(EVENT.iter()).copied().collect();
        let group: Vec<u32> = GROUP.iter().chain(GROUP.iter()).copied().collect();
        let strata = [0, 0, 0, 0, 7, 7, 7, 7];
        let r = survdiff(&time, &event, &group, Some(&strata), TestWeight::LogRank).unwrap();
        assert!(close(r.chisq, 16.0 / 13.0), "{}", r.chisq);
        assert_eq!(r.strata, 2);
    }

    #[test]
    fn errors_are_structured() {
        assert_eq!(
            survdiff(&[], &[], &[], None, TestWeight::LogRank),
            Err(LogrankError::Empty)
        );
        assert_eq!(
            survdiff(&TIME, &EVENT[..3], &GROUP, None, TestWeight::LogRank),
            Err(LogrankError::LengthMismatch {
                what: "event",
                expected: 4,
                found: 3
            })
        );
        assert_eq!(
            survdiff(&TIME, &EVENT, &[0, 1, 9, 1], None, TestWeight::LogRank),
            Err(LogrankError::GroupIndexTooLarge {
                group: 9,
                observations: 4
            })
        );
        assert_eq!(
            survdiff(&TIME, &EVENT, &[1, 1, 1, 1], None, TestWeight::LogRank),
            Err(LogrankError::FewerThanTwoGroups { non_empty: 1 })
        );
        let err = survdiff(
            &[1.0, f64::NAN],
            &[true, true],
            &[0, 1],
            None,
            TestWeight::Gehan,
        );
        assert_eq!(
            err.unwrap_err().to_string(),
            "observation 1: time NaN is not a finite number"
        );
        let bad = TestWeight::FlemingHarrington {
            rho: -1.0,
            gamma: 0.0,
        };
        assert!(matches!(
            survdiff(&TIME, &EVENT, &GROUP, None, bad),
            Err(LogrankError::InvalidWeight { .. })
        ));
    }

    #[test]
    fn no_events_gives_zero_statistic() {
        // R: fewer than two groups with expected > 0 gives chisq = 0.
        let r = survdiff(&TIME, &[false; 4], &GROUP, None, TestWeight::LogRank).unwrap();
        assert!(r.chisq.abs() < f64::EPSILON && (r.p - 1.0).abs() < f64::EPSILON);
    }
}
