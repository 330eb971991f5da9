//! Cumulative incidence under competing risks: the Aalen-Johansen estimator, with the standard errors of
//! R `survfit(Surv(time, factor(cause)))` (survival 3.5-3) and the variance of cmprsk `cuminc`.
//!
//! Each subject ends with an event code: 0 = censored, 1..k = the cause of the first event (progression,
//! death without progression, …). With `n` at risk and `d_j` events of cause `j` at a time `t`, and
//! `S(t−)` the pooled Kaplan-Meier probability of being event-free just before `t`,
//!
//! ```text
//! F_j(t) = F_j(t−) + S(t−) d_j / n,      S(t) = S(t−) (1 − Σ_j d_j / n).
//! ```
//!
//! So `S + Σ_j F_j = 1` at every time, and with a single cause `F = 1 − KM`.
//!
//! # Standard error (R `survfit`): infinitesimal jackknife
//!
//! survival 3.x computes the SE of every state probability from the influence of each subject,
//! `U_i(t) = ∂p(t)/∂w_i`, as `√Σ_i U_i(t)²` (C routine `survfitaj`). At an event time the influence
//! vectors (rows over the states: event-free, cause 1..k) are updated as `U ← U A + b_i` with `A` the
//! Aalen-Johansen step matrix (identity except row 0: `1 − d/n`, `d_1/n`, …, `d_k/n`) and `b_i`
//! non-zero only for subjects at risk: `c = S(t−)/n² · (d, −d_1, …, −d_k)` for each, plus
//! `e_j = S(t−)/n · (−1 at 0, +1 at j)` for a subject with an event of cause `j`. Every subject at
//! risk has the same history, so shares one influence vector, and `Σ_i b_i = n c + Σ_j d_j e_j = 0`.
//! Hence the covariance `V = Σ_i U_iᵀ U_i` follows from the per-time counts alone:
//!
//! ```text
//! V ← Aᵀ V A + Σ_j d_j e_j e_jᵀ − n c cᵀ
//! ```
//!
//! which is what this module computes: O(k²) per time instead of O(n) (it needs no subject rows, so it
//! works on counts merged across sites). It is kept in the basis of the cause incidences (the
//! event-free influence is minus their sum), which keeps exact zeros exact. The tests check it against
//! R at every time and against a subject-by-subject transcription of `survfitaj` on random data.
//!
//! # Gray's variance (cmprsk `cuminc`)
//!
//! cmprsk reports a delta-method variance (Gray 1988, Fortran `cinc`) that differs slightly from the
//! jackknife; it is given as [`CifPoint::gray_variance`] for users who compare with cmprsk. The
//! confidence intervals use the jackknife SE, as R `survfit` does.
//!
//! # Confidence intervals
//!
//! As R's `survfit_confint(p, se, logse = FALSE)`: the SE of `log p` is `se/p` (0 when `se` is 0), and
//! the interval is built under the chosen [`ConfType`] (default `log`, R's default for multi-state
//! curves) by the same transforms as a Kaplan-Meier curve ([`crate::survival_bounds`]). A bound is
//! `None` where R answers `NA`: `p = 0` for every transform but `plain`; `p = 1` for `log-log`; at
//! `p = 1` the `logit` lower bound (and the upper too when the SE is 0), and both `arcsine` bounds when
//! the SE is 0 (with a positive SE they are 0 and 1).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ci::{Confidence, survival_bounds};
use crate::convention::ConfType;

/// Options for [`cumulative_incidence`].
#[derive(Debug, Clone, PartialEq)]
pub struct CifOptions {
    /// Transform for the pointwise confidence intervals (default [`ConfType::Log`], as R).
    pub conf_type: ConfType,
    /// Two-sided confidence level (default 0.95).
    pub conf_level: f64,
    /// The causes to report, in any order (sorted on use). `None`: the non-zero codes present in the
    /// data. Give them explicitly so that every group of a study reports the same causes, even a cause
    /// that has no events in one group.
    pub causes: Option<Vec<u32>>,
}

impl Default for CifOptions {
    fn default() -> Self {
        CifOptions {
            conf_type: ConfType::Log,
            conf_level: 0.95,
            causes: None,
        }
    }
}

/// Invalid input to a competing-risks computation.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CifError {
    /// Two inputs that must have one entry per subject differ in length.
    #[error("found {found} {what}, expected {expected} (one per time)")]
    LengthMismatch {
        /// Which input: "causes", "groups" or "strata".
        what: &'static str,
        /// Its length.
        found: usize,
        /// The number of times.
        expected: usize,
    },
    /// No observations at all.
    #[error("found no observations, expected at least one")]
    NoObservations,
    /// A time that is negative, infinite or NaN.
    #[error("observation {index}: found time {value}, expected a finite number >= 0")]
    InvalidTime {
        /// Position in the input (0-based).
        index: usize,
        /// The value given.
        value: f64,
    },
    /// A requested time (for [`StateCurve::at`]) that is NaN or infinite.
    #[error("found requested time {value}, expected a finite number")]
    InvalidRequestedTime {
        /// The value given.
        value: f64,
    },
    /// An event code that is not among the declared causes.
    #[error(
        "observation {index}: found cause {cause}, expected 0 (censored) or one of {declared:?}"
    )]
    UndeclaredCause {
        /// Position in the input (0-based).
        index: usize,
        /// The code found.
        cause: u32,
        /// The causes declared in [`CifOptions::causes`].
        declared: Vec<u32>,
    },
    /// Code 0 (censored) listed as a cause.
    #[error("found cause 0 among the declared causes, expected codes >= 1 (0 means censored)")]
    CensoringDeclaredAsCause,
    /// A confidence level outside (0, 1).
    #[error("found confidence level {level}, expected a number strictly between 0 and 1")]
    ConfLevel {
        /// The level given.
        level: f64,
    },
    /// Gray's test needs at least two groups.
    #[error("found {found} group(s), expected at least 2 for Gray's test")]
    TooFewGroups {
        /// Number of distinct groups.
        found: usize,
    },
    /// A weight exponent that is not finite.
    #[error("found rho {rho}, expected a finite number")]
    Rho {
        /// The value given.
        rho: f64,
    },
}

/// A state of the competing-risks model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// No event yet (R's state `(s0)`): the pooled Kaplan-Meier curve.
    EventFree,
    /// First event of this cause code.
    Cause(u32),
}

/// One row of a state's table: the estimate just after `time`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CifPoint {
    /// A distinct observed time (event or censoring).
    pub time: f64,
    /// Number at risk (event-free and uncensored) just before `time`.
    pub n_risk: u64,
    /// Events at `time`: of this cause, or of any cause for [`State::EventFree`].
    pub n_event: u64,
    /// Censorings at `time`.
    pub n_censor: u64,
    /// Probability of being in the state: cumulative incidence, or event-free probability.
    pub estimate: f64,
    /// Infinitesimal-jackknife standard error, as R `survfit`.
    pub std_err: f64,
    /// Lower confidence bound, `None` where the transform is undefined.
    pub lower: Option<f64>,
    /// Upper confidence bound, `None` where the transform is undefined.
    pub upper: Option<f64>,
    /// Gray's delta-method variance, as cmprsk `cuminc`'s `var`; `None` for [`State::EventFree`].
    pub gray_variance: Option<f64>,
}

/// A state's value at a requested time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CifAt {
    /// The requested time.
    pub time: f64,
    /// Number at risk at the requested time (observed times >= it); 0 past the last observation.
    pub n_risk: u64,
    /// Estimate; `None` past the last observation unless extended.
    pub estimate: Option<f64>,
    /// Standard error (jackknife).
    pub std_err: Option<f64>,
    /// Lower confidence bound.
    pub lower: Option<f64>,
    /// Upper confidence bound.
    pub upper: Option<f64>,
    /// Gray's variance (cmprsk); always `None` for [`State::EventFree`].
    pub gray_variance: Option<f64>,
}

/// The curve of one state: one row per distinct observed time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StateCurve {
    /// Which state.
    pub state: State,
    /// One row per distinct observed time, in increasing time.
    pub table: Vec<CifPoint>,
    #[serde(skip)]
    confidence: Confidence,
}

impl StateCurve {
    /// Value of the state's probability at each requested time: the step value at the largest observed
    /// time `<= t` (the starting value, 1 or 0 with SE 0, before the first time).
    ///
    /// Past the last observed time (event or censoring) the value is `None` unless `extend`, in which
    /// case the last value is carried forward with `n_risk = 0`: R's `summary(fit, times, extend = TRUE)`
    /// (see [`crate::Convention`]: SAS reports such times as not estimable). cmprsk's `timepoints` gives
    /// `NA` there, like `extend = false`.
    ///
    /// # Errors
    /// [`CifError::InvalidRequestedTime`] when a time is NaN or infinite.
    pub fn at(&self, times: &[f64], extend: bool) -> Result<Vec<CifAt>, CifError> {
        times.iter().map(|&t| self.at_one(t, extend)).collect()
    }

    fn at_one(&self, t: f64, extend: bool) -> Result<CifAt, CifError> {
        if !t.is_finite() {
            return Err(CifError::InvalidRequestedTime { value: t });
        }
        let rows = &self.table;
        // Number of rows with time <= t; the first row with time >= t gives the number at risk.
        let k = rows.partition_point(|r| r.time <= t);
        let n_risk = rows
            .get(rows.partition_point(|r| r.time < t))
            .map_or(0, |r| r.n_risk);
        let from_row = |r: &CifPoint| CifAt {
            time: t,
            n_risk,
            estimate: Some(r.estimate),
            std_err: Some(r.std_err),
            lower: r.lower,
            upper: r.upper,
            gray_variance: r.gray_variance,
        };
        if k == 0 {
            let p = match self.state {
                State::EventFree => 1.0,
                State::Cause(_) => 0.0,
            };
            let (lower, upper) = confidence_bounds(p, 0.0, self.confidence);
            return Ok(CifAt {
                time: t,
                n_risk,
                estimate: Some(p),
                std_err: Some(0.0),
                lower,
                upper,
                gray_variance: match self.state {
                    State::EventFree => None,
                    State::Cause(_) => Some(0.0),
                },
            });
        }
        let last = &rows[k - 1];
        if k == rows.len() && t > last.time && !extend {
            return Ok(CifAt {
                time: t,
                n_risk: 0,
                estimate: None,
                std_err: None,
                lower: None,
                upper: None,
                gray_variance: None,
            });
        }
        Ok(from_row(last))
    }
}

/// Aalen-Johansen estimates for every state of one population.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CumulativeIncidence {
    /// Number of observations.
    pub n: u64,
    /// CI transform used.
    pub conf_type: ConfType,
    /// Two-sided confidence level.
    pub conf_level: f64,
    /// Event-free probability (pooled Kaplan-Meier), R's state `(s0)`.
    pub event_free: StateCurve,
    /// Cumulative incidence of each cause, in increasing cause code.
    pub causes: Vec<StateCurve>,
}

impl CumulativeIncidence {
    /// The curve of one cause, if it is reported.
    #[must_use]
    pub fn cause(&self, cause: u32) -> Option<&StateCurve> {
        self.causes.iter().find(|c| c.state == State::Cause(cause))
    }
}

/// Per-time counts: the sufficient statistics of every estimator here.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CauseCounts {
    pub(crate) time: f64,
    pub(crate) n_risk: u64,
    pub(crate) n_censor: u64,
    /// Events per cause, indexed like the cause list.
    pub(crate) n_event: Vec<u64>,
}

/// Checks times and lengths; returns nothing on success.
pub(crate) fn check_times(times: &[f64], causes: &[u32]) -> Result<(), CifError> {
    if causes.len() != times.len() {
        return Err(CifError::LengthMismatch {
            what: "causes",
            found: causes.len(),
            expected: times.len(),
        });
    }
    if times.is_empty() {
        return Err(CifError::NoObservations);
    }
    if let Some((index, &value)) = times
        .iter()
        .enumerate()
        .find(|(_, t)| !(t.is_finite() && **t >= 0.0))
    {
        return Err(CifError::InvalidTime { index, value });
    }
    Ok(())
}

/// The cause list: declared (sorted, deduplicated, without 0) or the non-zero codes present.
pub(crate) fn resolve_causes(
    causes: &[u32],
    declared: Option<&[u32]>,
) -> Result<Vec<u32>, CifError> {
    match declared {
        Some(list) => {
            let mut list = list.to_vec();
            list.sort_unstable();
            list.dedup();
            if list.first() == Some(&0) {
                return Err(CifError::CensoringDeclaredAsCause);
            }
            if let Some((index, &cause)) = causes
                .iter()
                .enumerate()
                .find(|(_, c)| **c != 0 && list.binary_search(c).is_err())
            {
                return Err(CifError::UndeclaredCause {
                    index,
                    cause,
                    declared: list,
                });
            }
            Ok(list)
        }
        None => {
            let mut list: Vec<u32> = causes.iter().copied().filter(|&c| c != 0).collect();
            list.sort_unstable();
            list.dedup();
            Ok(list)
        }
    }
}

/// Per-time counts of the observations `rows` (indices into `times`/`causes`), for the cause list
/// `cause_list` (every non-zero code in `rows` must be in it).
pub(crate) fn count_by_time(
    times: &[f64],
    causes: &[u32],
    rows: &[usize],
    cause_list: &[u32],
) -> Vec<CauseCounts> {
    let mut order: Vec<usize> = rows.to_vec();
    order.sort_by(|&a, &b| times[a].total_cmp(&times[b]));
    let mut out: Vec<CauseCounts> = Vec::new();
    let mut at_risk = order.len() as u64;
    let mut i = 0;
    while i < order.len() {
        let t = times[order[i]];
        let mut row = CauseCounts {
            time: t,
            n_risk: at_risk,
            n_censor: 0,
            n_event: vec![0; cause_list.len()],
        };
        while i < order.len() && times[order[i]] == t {
            let c = causes[order[i]];
            if c == 0 {
                row.n_censor += 1;
            } else if let Ok(k) = cause_list.binary_search(&c) {
                row.n_event[k] += 1;
            }
            i += 1;
        }
        at_risk -= row.n_censor + row.n_event.iter().sum::<u64>();
        out.push(row);
    }
    out
}

/// Aalen-Johansen cumulative incidence of each cause (and the event-free probability) from event times
/// and codes: 0 censored, 1..k the cause of the first event.
///
/// Matches R `survfit(Surv(time, factor(cause)))` (survival 3.5-3): estimates, infinitesimal-jackknife
/// SEs and confidence intervals at every distinct time; and cmprsk `cuminc`'s variance.
///
/// ```
/// use rwe_stats::{cumulative_incidence, CifOptions};
/// // times 1, 2, 3, 4 with causes 1, 2, 0, 1
/// let cif = cumulative_incidence(&[1.0, 2.0, 3.0, 4.0], &[1, 2, 0, 1], &CifOptions::default()).unwrap();
/// let relapse = cif.cause(1).unwrap();
/// // F1(1) = 1/4; F1(4) = 1/4 + S(4−) · 1/1 = 1/4 + 1/2 = 3/4
/// assert!((relapse.table[0].estimate - 0.25).abs() < 1e-15);
/// assert!((relapse.table[3].estimate - 0.75).abs() < 1e-15);
/// ```
///
/// # Errors
/// [`CifError::LengthMismatch`], [`CifError::NoObservations`], [`CifError::InvalidTime`] for a
/// negative or non-finite time, [`CifError::ConfLevel`], [`CifError::CensoringDeclaredAsCause`] and
/// [`CifError::UndeclaredCause`] when [`CifOptions::causes`] is given and the data has another code.
pub fn cumulative_incidence(
    times: &[f64],
    causes: &[u32],
    options: &CifOptions,
) -> Result<CumulativeIncidence, CifError> {
    check_times(times, causes)?;
    let confidence = confidence(options)?;
    let cause_list = resolve_causes(causes, options.causes.as_deref())?;
    let rows: Vec<usize> = (0..times.len()).collect();
    let counts = count_by_time(times, causes, &rows, &cause_list);
    Ok(aalen_johansen(
        &counts,
        &cause_list,
        times.len() as u64,
        confidence,
    ))
}

/// [`cumulative_incidence`] for each group, in sorted group order, all with the same causes (the
/// declared ones, or every non-zero code in the whole data).
///
/// # Errors
/// As [`cumulative_incidence`], and [`CifError::LengthMismatch`] when `groups` differs in length.
pub fn cumulative_incidence_by_group<G: Ord + Clone>(
    times: &[f64],
    causes: &[u32],
    groups: &[G],
    options: &CifOptions,
) -> Result<Vec<(G, CumulativeIncidence)>, CifError> {
    check_times(times, causes)?;
    let confidence = confidence(options)?;
    if groups.len() != times.len() {
        return Err(CifError::LengthMismatch {
            what: "groups",
            found: groups.len(),
            expected: times.len(),
        });
    }
    let cause_list = resolve_causes(causes, options.causes.as_deref())?;
    let mut members: BTreeMap<&G, Vec<usize>> = BTreeMap::new();
    for (i, g) in groups.iter().enumerate() {
        members.entry(g).or_default().push(i);
    }
    Ok(members
        .into_iter()
        .map(|(g, rows)| {
            let counts = count_by_time(times, causes, &rows, &cause_list);
            let cif = aalen_johansen(&counts, &cause_list, rows.len() as u64, confidence);
            (g.clone(), cif)
        })
        .collect())
}

fn confidence(options: &CifOptions) -> Result<Confidence, CifError> {
    Confidence::new(options.conf_type, options.conf_level).map_err(|_| CifError::ConfLevel {
        level: options.conf_level,
    })
}

/// cmprsk `cinc` accumulators for one cause.
#[derive(Debug, Clone, Default)]
struct GrayAccumulator {
    v1: f64,
    v2: f64,
    v3: f64,
    variance: f64,
}

/// The estimator on per-time counts.
fn aalen_johansen(
    counts: &[CauseCounts],
    cause_list: &[u32],
    n: u64,
    confidence: Confidence,
) -> CumulativeIncidence {
    let k = cause_list.len();
    let states = k + 1;
    // p[0] event-free, p[j] cause j.
    let mut p = vec![0.0; states];
    p[0] = 1.0;
    let mut cov = JackknifeCovariance::new(k);
    let mut gray = vec![GrayAccumulator::default(); k];
    let mut tables: Vec<Vec<CifPoint>> = vec![Vec::with_capacity(counts.len()); states];

    for row in counts {
        let n_risk = row.n_risk as f64;
        let d_total: u64 = row.n_event.iter().sum();
        if d_total > 0 {
            let d = d_total as f64;
            let p0 = p[0];
            cov.step(p0, n_risk, d, &row.n_event);
            // State probabilities: S(t−)·d_j/n moves from event-free to cause j. R's survfitaj
            // subtracts the moves from S one by one; S(t−)·(n − d)/n is the same number without the
            // rounding that can leave S at −1e-17 when every subject at risk fails.
            for (j, &dj) in row.n_event.iter().enumerate() {
                p[j + 1] += p0 * (dj as f64 / n_risk);
            }
            p[0] = p0 * ((n_risk - d) / n_risk);
            for (j, acc) in gray.iter_mut().enumerate() {
                gray_step(acc, p0, p[0], p[j + 1], n_risk, row.n_event[j], d_total);
            }
        }
        for s in 0..states {
            let estimate = p[s];
            let variance = if s == 0 {
                cov.event_free
            } else {
                cov.cause_variance(s - 1)
            };
            let std_err = variance.max(0.0).sqrt();
            let (lower, upper) = confidence_bounds(estimate, std_err, confidence);
            let (n_event, gray_variance) = if s == 0 {
                (d_total, None)
            } else {
                (row.n_event[s - 1], Some(gray[s - 1].variance))
            };
            tables[s].push(CifPoint {
                time: row.time,
                n_risk: row.n_risk,
                n_event,
                n_censor: row.n_censor,
                estimate,
                std_err,
                lower,
                upper,
                gray_variance,
            });
        }
    }
    let mut curves = tables.into_iter().enumerate().map(|(s, table)| StateCurve {
        state: if s == 0 {
            State::EventFree
        } else {
            State::Cause(cause_list[s - 1])
        },
        table,
        confidence,
    });
    let event_free = curves.next().unwrap_or(StateCurve {
        state: State::EventFree,
        table: Vec::new(),
        confidence,
    });
    CumulativeIncidence {
        n,
        conf_type: confidence.conf_type(),
        conf_level: confidence.level(),
        event_free,
        causes: curves.collect(),
    }
}

/// Covariance of the subjects' jackknife influences (see the module docs), kept as the variance of the
/// event-free probability and the covariance matrix of the cause incidences. The cross terms are not
/// needed: each subject's influences sum to 0 over the states, so the event-free influence is minus
/// the sum of the cause influences, and tracking the causes in that basis keeps exact zeros exact
/// (with one cause, F = 1 − S gets exactly the SE of S).
#[derive(Debug, Clone)]
struct JackknifeCovariance {
    /// Variance of the event-free probability.
    event_free: f64,
    /// Covariance of the cause incidences, k × k row-major.
    causes: Vec<f64>,
    k: usize,
}

impl JackknifeCovariance {
    fn new(k: usize) -> Self {
        JackknifeCovariance {
            event_free: 0.0,
            causes: vec![0.0; k * k],
            k,
        }
    }

    fn cause_variance(&self, j: usize) -> f64 {
        self.causes[j * self.k + j]
    }

    /// One event time: `V ← Aᵀ V A + Σ_j d_j e_j e_jᵀ − n c cᵀ` with `p0 = S(t−)`, `n` at risk and
    /// `d_j` events of cause `j` (`d` in all).
    ///
    /// Event-free: `V_S ← ((n − d)/n)² V_S + m·d(n − d)` with `m = p0²/n³`.
    /// Causes: each influence row `u` becomes `u_j − (d_j/n) Σ_l u_l` (the event-free influence
    /// `−Σ_l u_l` moved by the step), i.e. `V_F ← Bᵀ V_F B` with `B = I − 1 aᵀ`, `a_j = d_j/n`; plus the
    /// jump terms `m·(d_j n − d_j²)` on the diagonal and `−m·d_j d_l` off it. The jump terms are
    /// products of whole numbers, so nothing cancels: when every subject at risk fails, the
    /// event-free variance becomes exactly 0, as in R.
    fn step(&mut self, p0: f64, n: f64, d: f64, n_event: &[u64]) {
        let k = self.k;
        let m = p0 * p0 / (n * n * n);
        let keep = (n - d) / n;
        self.event_free = keep * keep * self.event_free + m * d * (n - d);
        let a: Vec<f64> = n_event.iter().map(|&dj| dj as f64 / n).collect();
        let v = &mut self.causes;
        // W = V B: W_ij = V_ij − (Σ_l V_il) a_j.
        for i in 0..k {
            let row_sum: f64 = v[i * k..(i + 1) * k].iter().sum();
            for j in 0..k {
                v[i * k + j] -= row_sum * a[j];
            }
        }
        // V = Bᵀ W: V_ij = W_ij − a_i Σ_l W_lj.
        for j in 0..k {
            let col_sum: f64 = (0..k).map(|l| v[l * k + j]).sum();
            for i in 0..k {
                v[i * k + j] -= a[i] * col_sum;
            }
        }
        for (i, &di) in n_event.iter().enumerate() {
            let di = di as f64;
            for (j, &dj) in n_event.iter().enumerate() {
                let dj = dj as f64;
                let jump = if i == j { di * (n - di) } else { -di * dj };
                v[i * k + j] += m * jump;
            }
        }
    }
}

/// One event time of cmprsk's `cinc` variance for one cause (Gray 1988): `s_before = S(t−)`,
/// `s_after = S(t)`, `f = F(t)` after this time's jump, `d_cause` events of this cause and `d_total` of
/// any cause among `n` at risk. The variance is updated only when this cause has events (competing
/// events leave `v1 + f² v3 − 2 f v2` unchanged).
fn gray_step(
    acc: &mut GrayAccumulator,
    s_before: f64,
    s_after: f64,
    f: f64,
    n: f64,
    d_cause: u64,
    d_total: u64,
) {
    let nd1 = d_cause;
    let nd2 = d_total - d_cause;
    let tie_factor = |m: u64| {
        if m > 1 {
            1.0 - (m as f64 - 1.0) / (n - 1.0)
        } else {
            1.0
        }
    };
    if nd2 > 0 && s_after > 0.0 {
        let t6 = s_before * s_before * tie_factor(nd2) * nd2 as f64 / (n * n);
        let t3 = 1.0 / s_after;
        let t4 = f / s_after;
        acc.v1 += t4 * t4 * t6;
        acc.v2 += t3 * t4 * t6;
        acc.v3 += t3 * t3 * t6;
    }
    if nd1 > 0 {
        let t6 = s_before * s_before * tie_factor(nd1) * nd1 as f64 / (n * n);
        let t3 = if s_after > 0.0 { 1.0 / s_after } else { 0.0 };
        let t4 = 1.0 + t3 * f;
        acc.v1 += t4 * t4 * t6;
        acc.v2 += t3 * t4 * t6;
        acc.v3 += t3 * t3 * t6;
        acc.variance = acc.v1 + f * f * acc.v3 - 2.0 * f * acc.v2;
    }
}

/// Pointwise confidence bounds for a probability `p` with standard error `se`, as R's
/// `survfit_confint(p, se, logse = FALSE, conf.type)`: the SE of `log p` is `se/p` (0 when `se` is 0),
/// then the same transforms as for a Kaplan-Meier curve ([`survival_bounds`]).
fn confidence_bounds(p: f64, se: f64, confidence: Confidence) -> (Option<f64>, Option<f64>) {
    let se_log = if se == 0.0 { 0.0 } else { se / p };
    let bounds = survival_bounds(p, Some(se_log), confidence);
    (bounds.lower, bounds.upper)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    /// Hand-computed cases are exact up to a few roundings.
    const HAND: f64 = 1e-14;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= HAND * b.abs().max(1.0)
    }

    /// Four subjects: (1, cause 1), (2, cause 2), (3, censored), (4, cause 1).
    fn four() -> CumulativeIncidence {
        cumulative_incidence(&[1.0, 2.0, 3.0, 4.0], &[1, 2, 0, 1], &CifOptions::default()).unwrap()
    }

    #[test]
    fn hand_computed_estimates() {
        // t=1: n=4, d1=1: F1 = 1/4, S = 3/4
        // t=2: n=3, d2=1: F2 = 3/4 · 1/3 = 1/4, S = 1/2
        // t=3: censored: unchanged
        // t=4: n=1, d1=1: F1 = 1/4 + 1/2 = 3/4, S = 0
        let cif = four();
        let f1: Vec<f64> = cif.causes[0].table.iter().map(|r| r.estimate).collect();
        let f2: Vec<f64> = cif.causes[1].table.iter().map(|r| r.estimate).collect();
        let s: Vec<f64> = cif.event_free.table.iter().map(|r| r.estimate).collect();
        for (found, expected) in [
            (f1, [0.25, 0.25, 0.25, 0.75]),
            (f2, [0.0, 0.25, 0.25, 0.25]),
            (s, [0.75, 0.5, 0.5, 0.0]),
        ] {
            for (a, b) in found.iter().zip(expected) {
                assert!(close(*a, b), "found {a}, expected {b}");
            }
        }
        let n_risk: Vec<u64> = cif.event_free.table.iter().map(|r| r.n_risk).collect();
        assert_eq!(n_risk, [4, 3, 2, 1]);
    }

    #[test]
    fn hand_computed_jackknife_se() {
        // States (S, F1, F2). t=1: n=4, d1=1, p0=1, V=0 before. e1 = (1/4)(−1, 1, 0) adds 1/16 to V00
        //   and V11 and −1/16 to V01; −n c cᵀ = −(1/64) g gᵀ with g = (1, −1, 0). So
        //   V00 = V11 = 3/64, V01 = −3/64: se(F1) = √3/8.
        // t=2: n=3, d2=1, p0=3/4, A row 0 = (2/3, 0, 1/3).
        //   W = V A: W0 = (2/64, −3/64, 1/64), W1 = (−2/64, 3/64, −1/64), W2 = 0.
        //   Aᵀ W: row 1 = W1, so V11 stays 3/64; row 2 = (1/3) W0, so V22 = 1/192.
        //   Jump: + d2 (p0/n)² = 1/16 on V22; − (p0²/n³) g2² = −(1/48)·1.
        //   V22 = 1/192 + 12/192 − 4/192 = 9/192 = 3/64: se(F2) = √3/8 too.
        let cif = four();
        let se1 = cif.causes[0].table[1].std_err;
        let se2 = cif.causes[1].table[1].std_err;
        assert!(close(cif.causes[0].table[0].std_err, 3f64.sqrt() / 8.0));
        assert!(close(se1, 3f64.sqrt() / 8.0));
        assert!(close(se2, 3f64.sqrt() / 8.0));
    }

    #[test]
    fn at_steps_and_extends() {
        let cif = four();
        let c1 = &cif.causes[0];
        let at = c1.at(&[0.5, 1.0, 3.5, 4.0, 9.0], false).unwrap();
        assert!(close(at[0].estimate.unwrap(), 0.0) && at[0].n_risk == 4 && at[0].lower.is_none());
        assert!(close(at[1].estimate.unwrap(), 0.25) && at[1].n_risk == 4);
        assert!(close(at[2].estimate.unwrap(), 0.25) && at[2].n_risk == 1);
        assert!(close(at[3].estimate.unwrap(), 0.75) && at[3].n_risk == 1);
        assert!(at[4].estimate.is_none() && at[4].n_risk == 0);
        let ext = c1.at(&[9.0], true).unwrap();
        assert!(close(ext[0].estimate.unwrap(), 0.75) && ext[0].n_risk == 0);
        assert!(matches!(
            c1.at(&[f64::NAN], true),
            Err(CifError::InvalidRequestedTime { .. })
        ));
        // Event-free starts at 1.
        let s = cif.event_free.at(&[0.0], false).unwrap();
        assert!(close(s[0].estimate.unwrap(), 1.0) && s[0].gray_variance.is_none());
    }

    #[test]
    fn errors_name_the_observation() {
        let o = CifOptions::default();
        assert_eq!(
            cumulative_incidence(&[1.0, -2.0], &[1, 0], &o)
                .unwrap_err()
                .to_string(),
            "observation 1: found time -2, expected a finite number >= 0"
        );
        assert_eq!(
            cumulative_incidence(&[1.0], &[1, 0], &o)
                .unwrap_err()
                .to_string(),
            "found 2 causes, expected 1 (one per time)"
        );
        assert_eq!(
            cumulative_incidence(&[], &[], &o),
            Err(CifError::NoObservations)
        );
        let declared = CifOptions {
            causes: Some(vec![2, 1]),
            ..CifOptions::default()
        };
        assert_eq!(
            cumulative_incidence(&[1.0, 2.0], &[3, 0], &declared)
                .unwrap_err()
                .to_string(),
            "observation 0: found cause 3, expected 0 (censored) or one of [1, 2]"
        );
        let zero = CifOptions {
            causes: Some(vec![0, 1]),
            ..CifOptions::default()
        };
        assert_eq!(
            cumulative_incidence(&[1.0], &[1], &zero),
            Err(CifError::CensoringDeclaredAsCause)
        );
        let level = CifOptions {
            conf_level: 1.5,
            ..CifOptions::default()
        };
        assert_eq!(
            cumulative_incidence(&[1.0], &[1], &level),
            Err(CifError::ConfLevel { level: 1.5 })
        );
    }

    #[test]
    fn declared_cause_without_events_is_reported_as_zero() {
        let o = CifOptions {
            causes: Some(vec![1, 2]),
            ..CifOptions::default()
        };
        let cif = cumulative_incidence(&[1.0, 2.0], &[1, 0], &o).unwrap();
        let c2 = cif.cause(2).unwrap();
        assert!(
            c2.table
                .iter()
                .all(|r| r.estimate == 0.0 && r.std_err == 0.0)
        );
    }

    #[test]
    fn confidence_bounds_edge_cases_follow_r() {
        let conf = |t| Confidence::new(t, 0.95).unwrap();
        let z = conf(ConfType::Log).z();
        let b = |p, se, t| confidence_bounds(p, se, conf(t));
        assert_eq!(b(0.0, 0.0, ConfType::Log), (None, None));
        assert_eq!(b(0.0, 0.0, ConfType::Plain), (Some(0.0), Some(0.0)));
        assert_eq!(b(1.0, 0.0, ConfType::Log), (Some(1.0), Some(1.0)));
        assert_eq!(b(1.0, 0.0, ConfType::LogLog), (None, None));
        // R: logit(1) − ∞ is ∞ − ∞ = NaN (NA), but 1 − 1/(1 + e^∞) = 1.
        assert_eq!(b(1.0, 0.1, ConfType::Logit), (None, Some(1.0)));
        assert_eq!(b(1.0, 0.0, ConfType::Logit), (None, None));
        assert_eq!(b(1.0, 0.1, ConfType::Arcsine), (Some(0.0), Some(1.0)));
        assert_eq!(b(1.0, 0.0, ConfType::Arcsine), (None, None));
        // log: p = 0.5, se = 0.1 → se_log = 0.2, bounds 0.5·exp(∓0.2z)
        let (lo, hi) = b(0.5, 0.1, ConfType::Log);
        assert!(close(lo.unwrap(), 0.5 * (-0.2 * z).exp()));
        assert!(close(hi.unwrap(), 0.5 * (0.2 * z).exp()));
    }
}
