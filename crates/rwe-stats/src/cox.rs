//! Cox proportional-hazards regression, fitted as R `survival::coxph` 3.x fits it.
//!
//! The method and where it departs from R are described on [`cox_fit`].

use serde::Serialize;
use std::collections::BTreeMap;

use crate::cholesky::Ldl;
use crate::concordance::{Concordance, concordance};
use crate::convention::Convention;
use crate::design::Design;
use crate::dist::{chisq_sf, normal_two_sided_p, z_for_level};
use crate::group_counts::GroupCounts;

/// How tied event times enter the partial likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Ties {
    /// Breslow's approximation: all tied events see the full risk set (SAS PHREG's default).
    Breslow,
    /// Efron's approximation: tied events leave the risk set in equal fractions (R's default).
    Efron,
}

impl Ties {
    /// The default of a convention: Breslow for SAS, Efron for R.
    #[must_use]
    pub fn for_convention(convention: Convention) -> Self {
        match convention {
            Convention::Sas => Ties::Breslow,
            Convention::R => Ties::Efron,
        }
    }

    /// `breslow` or `efron`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Ties::Breslow => "breslow",
            Ties::Efron => "efron",
        }
    }
}

/// Fitting options; the defaults are R's `coxph.control()`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoxOptions {
    /// Tie handling.
    pub ties: Ties,
    /// Confidence level of the hazard-ratio intervals (0.95).
    pub conf_level: f64,
    /// Maximum Newton-Raphson iterations (`iter.max`, 20).
    pub max_iter: usize,
    /// Convergence tolerance on the relative change of the log partial likelihood (`eps`, 1e-9).
    pub eps: f64,
    /// Relative pivot tolerance for declaring the information matrix singular
    /// (`toler.chol`, machine epsilon^0.75 ≈ 1.8e-12).
    pub toler_chol: f64,
    /// Threshold for the infinite-coefficient warning (`toler.inf`, √eps).
    pub toler_inf: f64,
}

impl CoxOptions {
    /// R's defaults with the tie handling of `convention`.
    #[must_use]
    pub fn for_convention(convention: Convention) -> Self {
        let eps = 1e-9;
        CoxOptions {
            ties: Ties::for_convention(convention),
            conf_level: 0.95,
            max_iter: 20,
            eps,
            toler_chol: f64::EPSILON.powf(0.75),
            toler_inf: eps.sqrt(),
        }
    }
}

impl Default for CoxOptions {
    /// [`CoxOptions::for_convention`] of the default [`Convention`] (SAS: Breslow ties).
    fn default() -> Self {
        CoxOptions::for_convention(Convention::default())
    }
}

/// One row of the coefficient table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoxTerm {
    /// Term name, as R names it (`trtB`, `age`).
    pub term: String,
    /// Estimated log hazard ratio β.
    pub coef: f64,
    /// Standard error of β (square root of the variance diagonal).
    pub se: f64,
    /// Hazard ratio exp(β).
    pub hr: f64,
    /// Lower confidence limit of the hazard ratio, exp(β − z·se).
    pub lower: f64,
    /// Upper confidence limit of the hazard ratio, exp(β + z·se).
    pub upper: f64,
    /// Wald z = β / se.
    pub z: f64,
    /// Two-sided p-value of z.
    pub p: f64,
}

/// A chi-square test of the whole model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ModelTest {
    /// The statistic.
    pub stat: f64,
    /// Degrees of freedom (number of terms).
    pub df: usize,
    /// Upper-tail chi-square probability.
    pub p: f64,
}

/// Something R would warn about; the fit is still returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub enum CoxWarning {
    /// The likelihood converged while this coefficient was still moving (monotone likelihood, e.g.
    /// no events in one level): its estimate and standard error are meaningless.
    #[error("Loglik converged before variable {term}; coefficient may be infinite")]
    InfiniteCoefficient {
        /// The term.
        term: String,
    },
}

/// A fitted Cox model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoxFit {
    /// Tie handling used.
    pub ties: Ties,
    /// Confidence level of the hazard-ratio intervals.
    pub conf_level: f64,
    /// Number of observations.
    pub n: usize,
    /// Number of events.
    pub events: usize,
    /// Coefficient table, in design order.
    pub terms: Vec<CoxTerm>,
    /// Log partial likelihood at β = 0.
    pub loglik_null: f64,
    /// Log partial likelihood at the estimate.
    pub loglik_model: f64,
    /// Likelihood-ratio test, 2 (ℓ(β̂) − ℓ(0)).
    pub lr_test: ModelTest,
    /// Wald test, β̂ᵀ V⁻¹ β̂.
    pub wald_test: ModelTest,
    /// Score (log-rank) test at β = 0, Uᵀ I⁻¹ U.
    pub score_test: ModelTest,
    /// Newton-Raphson iterations used (R's `iter`).
    pub iterations: usize,
    /// Variance-covariance matrix of β̂ (rows and columns in design order).
    pub var: Vec<Vec<f64>>,
    /// Harrell's C of the linear predictor; `None` when no pair is comparable.
    pub concordance: Option<Concordance>,
    /// Warnings R would print.
    pub warnings: Vec<CoxWarning>,
}

/// Why a Cox model could not be fitted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CoxError {
    /// No observations were given.
    #[error("no observations")]
    Empty,
    /// An input does not have one entry per observation.
    #[error("`{what}` has {found} entries, expected {expected} (one per observation)")]
    LengthMismatch {
        /// Which input (`event`, `design` or `strata`).
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
    /// An option is out of range.
    #[error("option `{option}` is {found}, expected {expected}")]
    InvalidOption {
        /// The option.
        option: &'static str,
        /// Its value.
        found: f64,
        /// The accepted range.
        expected: &'static str,
    },
    /// There are no events, so there is no partial likelihood.
    #[error("no events: a Cox model needs at least one")]
    NoEvents,
    /// A term takes a single value, so its coefficient is not identifiable.
    #[error("term `{term}` is constant")]
    ConstantCovariate {
        /// The term.
        term: String,
    },
    /// A term is (numerically) a linear combination of the terms before it, within the risk sets
    /// (collinear covariates, or a covariate constant within every stratum); R would report `NA`.
    #[error("term `{term}` is collinear with the terms before it (singular information matrix)")]
    Singular {
        /// The first aliased term.
        term: String,
    },
    /// Newton-Raphson did not meet the convergence criterion in `max_iter` steps.
    #[error("did not converge in {iterations} iterations (log partial likelihood {loglik})")]
    NotConverged {
        /// Iterations run.
        iterations: usize,
        /// Best log partial likelihood reached.
        loglik: f64,
    },
    /// The estimate or its variance is not finite.
    #[error("the estimate for term `{term}` or its variance is not finite")]
    NonFiniteEstimate {
        /// The term.
        term: String,
    },
}

/// Fit a Cox proportional-hazards model.
///
/// `time`/`event` are the right-censored outcome, `design` the covariates (one row per
/// observation; see [`Design`]), `strata` an optional stratum index per observation (any values).
///
/// * Partial likelihood with Breslow or Efron handling of tied event times; optional strata
///   (separate risk sets per stratum, common coefficients).
/// * Newton-Raphson from β = 0 with step-halving (`coxfit6.c`): covariates are centred and scaled
///   (mean |x − x̄| = 1) for numerical stability; iteration stops when
///   |1 − ℓ_old/ℓ_new| ≤ `eps` (1e-9), at most `max_iter` (20) steps; a step that lowers the log
///   partial likelihood, or makes it non-finite, is pulled back towards the previous estimate
///   (halved, then thirded, …).
/// * Variance = inverse information at the estimate; Wald, likelihood-ratio and score (at β = 0)
///   tests; Harrell's concordance of the linear predictor with survival 3.x's standard error.
///
/// Where this differs from R, by design:
///
/// * R keeps going when a term is aliased (collinear or constant) and reports `NA` for it; here
///   that is an error naming the term ([`CoxError::ConstantCovariate`], [`CoxError::Singular`]),
///   detected with R's rule (a Cholesky pivot below `toler_chol` relative to the largest one).
/// * R warns and returns the last iterate when it runs out of iterations; here that is
///   [`CoxError::NotConverged`].
/// * A coefficient drifting to ±∞ (monotone likelihood) is reported as R does, as a warning
///   ([`CoxWarning::InfiniteCoefficient`]), with R's rule: |(U·V)_j| > `eps` and
///   > `toler_inf`·|β_j|.
/// * `summary.coxph` prints the Wald statistic rounded to 2 decimals (its p-value is unrounded);
///   here the statistic is not rounded.
/// * Tied times are exact `==` ties; R first merges times within about 1e-8 relative (`aeqSurv`).
/// * `ties = "exact"` is not implemented.
///
/// # Example
///
/// ```
/// use rwe_stats::{Convention, CoxOptions, Covariate, Design, cox_fit};
///
/// let time = [9.0, 13.0, 13.0, 18.0, 23.0, 5.0, 5.0, 8.0, 8.0, 12.0];
/// let event = [true, true, false, true, true, true, true, true, true, true];
/// let arm = ["A", "A", "A", "A", "A", "B", "B", "B", "B", "B"];
/// let age = [61.0, 55.0, 70.0, 48.0, 66.0, 59.0, 72.0, 50.0, 64.0, 57.0];
/// let design = Design::new(&[Covariate::categorical("arm", &arm), Covariate::numeric("age", &age)])?;
/// let fit = cox_fit(&time, &event, &design, None, &CoxOptions::for_convention(Convention::R))?;
/// assert_eq!(fit.terms[0].term, "armB");
/// assert!(fit.terms[0].hr > 1.0 && fit.terms[0].lower < fit.terms[0].hr);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`CoxError::Empty`], [`CoxError::LengthMismatch`], [`CoxError::NonFiniteTime`],
/// [`CoxError::InvalidOption`] and [`CoxError::NoEvents`] for unusable input;
/// [`CoxError::ConstantCovariate`] and [`CoxError::Singular`] for an unidentifiable term;
/// [`CoxError::NotConverged`] and [`CoxError::NonFiniteEstimate`] when the fit fails.
pub fn cox_fit(
    time: &[f64],
    event: &[bool],
    design: &Design,
    strata: Option<&[u32]>,
    options: &CoxOptions,
) -> Result<CoxFit, CoxError> {
    let n = time.len();
    if n == 0 {
        return Err(CoxError::Empty);
    }
    for (what, len) in [("event", event.len()), ("design", design.n_rows())]
        .into_iter()
        .chain(strata.map(|s| ("strata", s.len())))
    {
        if len != n {
            return Err(CoxError::LengthMismatch {
                what,
                expected: n,
                found: len,
            });
        }
    }
    if let Some(row) = time.iter().position(|t| !t.is_finite()) {
        return Err(CoxError::NonFiniteTime {
            row,
            time: time[row],
        });
    }
    check_options(options)?;
    let events = event.iter().filter(|&&e| e).count();
    if events == 0 {
        return Err(CoxError::NoEvents);
    }
    let p = design.n_terms();
    let term_name = |j: usize| design.terms()[j].name.clone();
    for j in 0..p {
        let col = design.column(j);
        if col.iter().all(|&x| x == col[0]) {
            return Err(CoxError::ConstantCovariate { term: term_name(j) });
        }
    }
    for j in 0..p {
        if !varies_in_a_risk_set(time, event, design.column(j), strata) {
            return Err(CoxError::Singular { term: term_name(j) });
        }
    }

    let problem = Problem::new(time, event, design, strata, options.ties);
    let names: Vec<String> = design.terms().iter().map(|t| t.name.clone()).collect();
    let est =
        newton_raphson(p, |beta| problem.eval(beta), options).map_err(|f| f.into_error(&names))?;
    let mut fit = assemble(&est, &problem.scale, &names, options, n, events)?;

    // Linear predictor, centred at the means as R reports it (centring does not change C).
    let coef: Vec<f64> = fit.terms.iter().map(|t| t.coef).collect();
    let centre: f64 = (0..p).map(|j| coef[j] * problem.means[j]).sum();
    let lp: Vec<f64> = (0..n)
        .map(|i| (0..p).map(|j| design.get(i, j) * coef[j]).sum::<f64>() - centre)
        .collect();
    // The inputs are validated and lp is finite, so the only possible error is "no comparable
    // pairs", reported as None.
    fit.concordance = concordance(time, event, &lp, strata).ok();
    Ok(fit)
}

/// The fit on the original scale from the converged estimate on the scaled covariates: coefficient
/// table, variance, R's infinite-coefficient warnings and the three model tests. `concordance` is
/// left `None`.
fn assemble(
    est: &Estimate,
    scale: &[f64],
    names: &[String],
    options: &CoxOptions,
    n: usize,
    events: usize,
) -> Result<CoxFit, CoxError> {
    let p = names.len();
    let term_name = |j: usize| names[j].clone();
    // Back to the original scale.
    let inv = est.information.inverse();
    let coef: Vec<f64> = (0..p).map(|j| est.beta[j] * scale[j]).collect();
    let u: Vec<f64> = (0..p).map(|j| est.u[j] / scale[j]).collect();
    let var: Vec<Vec<f64>> = (0..p)
        .map(|i| {
            (0..p)
                .map(|j| inv[i * p + j] * scale[i] * scale[j])
                .collect()
        })
        .collect();
    for j in 0..p {
        if !coef[j].is_finite() || var[j].iter().any(|v| !v.is_finite()) {
            return Err(CoxError::NonFiniteEstimate { term: term_name(j) });
        }
    }

    // R's check for a coefficient that is still moving when the likelihood has converged.
    let mut warnings = Vec::new();
    if options.max_iter > 1 {
        for j in 0..p {
            let infs: f64 = (0..p).map(|i| u[i] * var[i][j]).sum::<f64>().abs();
            if !u[j].is_finite() || (infs > options.eps && infs > options.toler_inf * coef[j].abs())
            {
                warnings.push(CoxWarning::InfiniteCoefficient { term: term_name(j) });
            }
        }
    }

    let zcrit = z_for_level(options.conf_level);
    let terms: Vec<CoxTerm> = (0..p)
        .map(|j| {
            let se = var[j][j].sqrt();
            let z = coef[j] / se;
            CoxTerm {
                term: term_name(j),
                coef: coef[j],
                se,
                hr: coef[j].exp(),
                lower: (coef[j] - zcrit * se).exp(),
                upper: (coef[j] + zcrit * se).exp(),
                z,
                p: normal_two_sided_p(z),
            }
        })
        .collect();

    let test = |stat: f64| ModelTest {
        stat,
        df: p,
        p: chisq_sf(stat, p as f64),
    };
    // Wald: βᵀ V⁻¹ β through a factorisation of V, as coxph.wtest does.
    let flat: Vec<f64> = var.iter().flatten().copied().collect();
    let mut solved = coef.clone();
    Ldl::new(&flat, p, options.toler_chol).solve_in_place(&mut solved);
    let wald: f64 = solved.iter().zip(&coef).map(|(a, b)| a * b).sum();

    Ok(CoxFit {
        ties: options.ties,
        conf_level: options.conf_level,
        n,
        events,
        terms,
        loglik_null: est.loglik_null,
        loglik_model: est.loglik,
        lr_test: test(2.0 * (est.loglik - est.loglik_null)),
        wald_test: test(wald),
        score_test: test(est.score),
        iterations: est.iterations,
        var,
        concordance: None,
        warnings,
    })
}

/// [`cox_fit`] with one categorical covariate, computed from per-time counts per level (the groups
/// of `counts`, within its strata) instead of one row per subject.
///
/// With a single categorical covariate every subject of a level has the same linear predictor, so
/// the Breslow and Efron partial likelihoods, their score and information depend on the data only
/// through the number at risk and the number of events of each level at each event time. The fit
/// (centring and scaling, Newton-Raphson with step-halving, convergence rule, tests, warnings and
/// errors) is the one of [`cox_fit`] on the treatment-coded design of the same covariate; only the
/// sums are formed per level instead of per subject. For Efron's handling of `D` tied events the
/// `D` terms are accumulated as scalars, so the cost per iteration is O(distinct times × levels +
/// events), independent of the number of subjects.
///
/// `levels[g]` labels group `g` of `counts`; level 0 is the reference and the terms are named
/// `covariate` + level (`armB`), as R names them. The concordance (Harrell's C) needs one row per
/// subject and is not computed (`concordance` is `None`).
///
/// ```
/// use rwe_stats::{CoxOptions, Covariate, Design, GroupCounts, cox_fit, cox_fit_counts};
///
/// let time = [9.0, 13.0, 13.0, 18.0, 23.0, 5.0, 5.0, 8.0, 8.0, 12.0];
/// let event = [true, true, false, true, true, true, true, true, true, true];
/// let arm = ["A", "A", "A", "A", "A", "B", "B", "B", "B", "B"];
/// let group: Vec<u32> = arm.iter().map(|a| u32::from(*a == "B")).collect();
/// let counts = GroupCounts::from_observations(&time, &event, Some(&group), None)?;
/// let fast = cox_fit_counts(&counts, "arm", &["A", "B"], &CoxOptions::default())?;
/// let design = Design::new(&[Covariate::categorical("arm", &arm)])?;
/// let rows = cox_fit(&time, &event, &design, None, &CoxOptions::default())?;
/// assert_eq!(fast.terms[0].term, "armB");
/// assert!((fast.terms[0].coef - rows.terms[0].coef).abs() < 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`CoxError::LengthMismatch`] when `levels` does not label every group,
/// [`CoxError::InvalidOption`], [`CoxError::NoEvents`], [`CoxError::ConstantCovariate`] for a
/// level without subjects or a single level with all of them, and otherwise as [`cox_fit`].
pub fn cox_fit_counts<S: AsRef<str>>(
    counts: &GroupCounts,
    covariate: &str,
    levels: &[S],
    options: &CoxOptions,
) -> Result<CoxFit, CoxError> {
    let k = counts.groups();
    if levels.len() != k {
        return Err(CoxError::LengthMismatch {
            what: "levels",
            expected: k,
            found: levels.len(),
        });
    }
    check_options(options)?;
    let names: Vec<String> = levels[1..]
        .iter()
        .map(|l| format!("{covariate}{}", l.as_ref()))
        .collect();
    let n_level = counts.n_per_group();
    let n_total: u64 = n_level.iter().sum();
    let events: u64 = counts
        .strata()
        .iter()
        .flat_map(|s| (0..s.len()).map(move |i| s.n_event(i).iter().sum::<u64>()))
        .sum();
    if events == 0 {
        return Err(CoxError::NoEvents);
    }
    if k < 2 {
        return Err(CoxError::ConstantCovariate {
            term: covariate.to_string(),
        });
    }
    for (j, name) in names.iter().enumerate() {
        if n_level[j + 1] == 0 || n_level[j + 1] == n_total {
            return Err(CoxError::ConstantCovariate { term: name.clone() });
        }
    }
    let problem = LevelProblem::new(counts, options.ties);
    let est = newton_raphson(k - 1, |beta| problem.eval(beta), options)
        .map_err(|f| f.into_error(&names))?;
    let as_usize = |x: u64| usize::try_from(x).unwrap_or(usize::MAX);
    assemble(
        &est,
        &problem.scale,
        &names,
        options,
        as_usize(n_total),
        as_usize(events),
    )
}

/// The partial likelihood of one categorical covariate from per-time counts per level.
struct LevelProblem {
    /// Number of terms (levels − 1).
    p: usize,
    /// Levels.
    k: usize,
    /// Centred and scaled covariate vector of each level, `k × p` row-major.
    x: Vec<f64>,
    /// One entry per (stratum, event time): the number at risk who do not have the event and the
    /// number of events, per level (`2k` values: survivors then events).
    times: Vec<f64>,
    efron: bool,
    scale: Vec<f64>,
}

impl LevelProblem {
    fn new(counts: &GroupCounts, ties: Ties) -> Self {
        let k = counts.groups();
        let p = k - 1;
        let n_level = counts.n_per_group();
        let nf = n_level.iter().sum::<u64>() as f64;
        // coxfit6.c's centring and scaling of each indicator column: mean 0, mean |x| = 1. Column j
        // is 1 for the n_j subjects of level j + 1: mean n_j/n, Σ|x − mean| = n_j(1 − mean) +
        // (n − n_j)·mean.
        let mut means = vec![0.0; p];
        let mut scale = vec![1.0; p];
        for j in 0..p {
            let nj = n_level[j + 1] as f64;
            let mean = nj / nf;
            let abs = nj * (1.0 - mean) + (nf - nj) * mean;
            means[j] = mean;
            scale[j] = if abs > 0.0 { nf / abs } else { 1.0 };
        }
        let mut x = vec![0.0; k * p];
        for g in 0..k {
            for j in 0..p {
                let raw = if g == j + 1 { 1.0 } else { 0.0 };
                x[g * p + j] = (raw - means[j]) * scale[j];
            }
        }
        let mut times = Vec::new();
        for stratum in counts.strata() {
            let mut at_risk = stratum.n_per_group();
            for i in 0..stratum.len() {
                let (d, c) = (stratum.n_event(i), stratum.n_censor(i));
                if d.iter().any(|&x| x > 0) {
                    times.extend((0..k).map(|g| (at_risk[g] - d[g]) as f64));
                    times.extend(d.iter().map(|&x| x as f64));
                }
                for g in 0..k {
                    at_risk[g] -= d[g] + c[g];
                }
            }
        }
        LevelProblem {
            p,
            k,
            x,
            times,
            efron: ties == Ties::Efron,
            scale,
        }
    }

    /// Log partial likelihood, score and information at `beta`, summed over event times.
    fn eval(&self, beta: &[f64]) -> Eval {
        let (p, k) = (self.p, self.k);
        let xg = |g: usize| &self.x[g * p..(g + 1) * p];
        let zbeta: Vec<f64> = (0..k)
            .map(|g| xg(g).iter().zip(beta).map(|(x, b)| x * b).sum())
            .collect();
        let risk: Vec<f64> = zbeta.iter().map(|z| z.exp()).collect();
        let mut loglik = 0.0;
        let mut u = vec![0.0; p];
        let mut imat = vec![0.0; p * p];
        // Survivors' (w) and events' (v) sums: Σ w, Σ w·x, Σ w·x·xᵀ (lower triangle).
        let mut a = vec![0.0; p];
        let mut a2 = vec![0.0; p];
        let mut c = vec![0.0; p * p];
        let mut c2 = vec![0.0; p * p];
        for row in self.times.chunks_exact(2 * k) {
            let (survivors, deaths) = row.split_at(k);
            let (mut b, mut s) = (0.0, 0.0);
            a.iter_mut().chain(a2.iter_mut()).for_each(|v| *v = 0.0);
            c.iter_mut().chain(c2.iter_mut()).for_each(|v| *v = 0.0);
            let mut ndead = 0.0;
            for g in 0..k {
                let x = xg(g);
                let w = survivors[g] * risk[g];
                let v = deaths[g] * risk[g];
                b += w;
                s += v;
                ndead += deaths[g];
                loglik += deaths[g] * zbeta[g];
                for i in 0..p {
                    u[i] += deaths[g] * x[i];
                    a[i] += w * x[i];
                    a2[i] += v * x[i];
                    for j in 0..=i {
                        c[i * p + j] += w * x[i] * x[j];
                        c2[i * p + j] += v * x[i] * x[j];
                    }
                }
            }
            if !self.efron || ndead == 1.0 {
                let denom = b + s;
                loglik -= ndead * denom.ln();
                for i in 0..p {
                    let ai = a[i] + a2[i];
                    let mean = ai / denom;
                    u[i] -= ndead * mean;
                    for j in 0..=i {
                        let aj = a[j] + a2[j];
                        imat[i * p + j] +=
                            ndead * ((c[i * p + j] + c2[i * p + j]) - mean * aj) / denom;
                    }
                }
            } else {
                let sums = EfronSums::new(b, s, ndead);
                loglik -= sums.log;
                for i in 0..p {
                    u[i] -= a[i] * sums.p0 + a2[i] * sums.p1;
                    for j in 0..=i {
                        imat[i * p + j] += c[i * p + j] * sums.p0 + c2[i * p + j] * sums.p1
                            - (a[i] * a[j] * sums.q0
                                + (a[i] * a2[j] + a2[i] * a[j]) * sums.q1
                                + a2[i] * a2[j] * sums.q2);
                    }
                }
            }
        }
        Eval { loglik, u, imat }
    }
}

/// Efron's sums over the `D` tied events at one time, with survivors' weight `B` and events' weight
/// `S`: the r-th term (r = 1..D, f = r/D) has denominator B + f·S. Then Σ log(B + f·S) is `log`,
/// Σ 1/(B + f·S) is `p0`, Σ f/(B + f·S) is `p1`, and Σ fᵐ/(B + f·S)² for m = 0, 1, 2 are `q0`,
/// `q1`, `q2`: the score needs Σ (A + f·A₂)/den = A·p0 + A₂·p1 and the information
/// Σ [(C + f·C₂)/den − (A + f·A₂)(A + f·A₂)ᵀ/den²].
struct EfronSums {
    log: f64,
    p0: f64,
    p1: f64,
    q0: f64,
    q1: f64,
    q2: f64,
}

impl EfronSums {
    fn new(b: f64, s: f64, ndead: f64) -> Self {
        // Logarithms are taken of products of up to a few denominators at a time: a product stays
        // within [1e-300, 1e300] when every factor is within [1e-100, 1e100] and the product is
        // flushed before it leaves [1e-200, 1e200].
        const BIG: f64 = 1e100;
        let mut out = EfronSums {
            log: 0.0,
            p0: 0.0,
            p1: 0.0,
            q0: 0.0,
            q1: 0.0,
            q2: 0.0,
        };
        let mut product = 1.0_f64;
        let d = ndead as u64;
        let step = s / ndead;
        let mut denom = b;
        for r in 1..=d {
            // Cumulative, as coxfit6.c adds denom2/ndead at each of the D steps.
            denom += step;
            let f = r as f64 / ndead;
            let inv = 1.0 / denom;
            let inv2 = inv * inv;
            out.p0 += inv;
            out.p1 += f * inv;
            out.q0 += inv2;
            out.q1 += f * inv2;
            out.q2 += f * f * inv2;
            if (1.0 / BIG..=BIG).contains(&denom) {
                product *= denom;
                if !(1.0 / (BIG * BIG)..=BIG * BIG).contains(&product) {
                    out.log += product.ln();
                    product = 1.0;
                }
            } else {
                out.log += denom.ln();
            }
        }
        out.log += product.ln();
        out
    }
}

fn check_options(o: &CoxOptions) -> Result<(), CoxError> {
    let bad = |option, found, expected| {
        Err(CoxError::InvalidOption {
            option,
            found,
            expected,
        })
    };
    if !(o.conf_level > 0.0 && o.conf_level < 1.0) {
        return bad("conf_level", o.conf_level, "strictly between 0 and 1");
    }
    if o.max_iter == 0 {
        return bad("max_iter", 0.0, "at least 1");
    }
    for (name, v) in [
        ("eps", o.eps),
        ("toler_chol", o.toler_chol),
        ("toler_inf", o.toler_inf),
    ] {
        if !(v > 0.0 && v.is_finite()) {
            return bad(name, v, "a positive number");
        }
    }
    Ok(())
}

/// How the Newton-Raphson iteration can fail.
enum Failure {
    /// Term index whose pivot vanished.
    Singular(usize),
    NotConverged {
        iterations: usize,
        loglik: f64,
    },
}

impl Failure {
    fn into_error(self, names: &[String]) -> CoxError {
        match self {
            Failure::Singular(j) => CoxError::Singular {
                term: names[j].clone(),
            },
            Failure::NotConverged { iterations, loglik } => {
                CoxError::NotConverged { iterations, loglik }
            }
        }
    }
}

/// The converged Newton-Raphson state, on the centred and scaled covariates.
struct Estimate {
    beta: Vec<f64>,
    /// Factorised information matrix at `beta`.
    information: Ldl,
    /// Score vector at `beta`.
    u: Vec<f64>,
    loglik: f64,
    loglik_null: f64,
    /// Score test statistic at β = 0.
    score: f64,
    iterations: usize,
}

/// The data sorted by (stratum, time), with centred and scaled covariates.
struct Problem {
    p: usize,
    /// Row-major n × p, sorted.
    x: Vec<f64>,
    time: Vec<f64>,
    event: Vec<bool>,
    /// [start, end) of each stratum in the sorted order.
    blocks: Vec<(usize, usize)>,
    efron: bool,
    means: Vec<f64>,
    scale: Vec<f64>,
}

/// ℓ, U and the information (lower triangle, row-major p × p) at one β.
struct Eval {
    loglik: f64,
    u: Vec<f64>,
    imat: Vec<f64>,
}

impl Problem {
    fn new(
        time: &[f64],
        event: &[bool],
        design: &Design,
        strata: Option<&[u32]>,
        ties: Ties,
    ) -> Self {
        let n = time.len();
        let p = design.n_terms();
        let stratum = |i: usize| strata.map_or(0, |s| s[i]);
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| {
            stratum(a)
                .cmp(&stratum(b))
                .then(time[a].total_cmp(&time[b]))
        });
        let mut blocks = Vec::new();
        let mut start = 0;
        while start < n {
            let s = stratum(order[start]);
            let end = start + order[start..].partition_point(|&i| stratum(i) == s);
            blocks.push((start, end));
            start = end;
        }
        // Centre and scale each column as coxfit6.c does: mean 0, mean |x| = 1.
        let nf = n as f64;
        let mut means = vec![0.0; p];
        let mut scale = vec![1.0; p];
        for j in 0..p {
            let col = design.column(j);
            let mean = col.iter().sum::<f64>() / nf;
            let abs: f64 = col.iter().map(|x| (x - mean).abs()).sum();
            means[j] = mean;
            scale[j] = if abs > 0.0 { nf / abs } else { 1.0 };
        }
        let mut x = vec![0.0; n * p];
        for (r, &i) in order.iter().enumerate() {
            for j in 0..p {
                x[r * p + j] = (design.get(i, j) - means[j]) * scale[j];
            }
        }
        Problem {
            p,
            x,
            time: order.iter().map(|&i| time[i]).collect(),
            event: order.iter().map(|&i| event[i]).collect(),
            blocks,
            efron: ties == Ties::Efron,
            means,
            scale,
        }
    }

    /// Log partial likelihood, score and information at `beta` (`coxfit6_iter`).
    fn eval(&self, beta: &[f64]) -> Eval {
        let p = self.p;
        let mut loglik = 0.0;
        let mut u = vec![0.0; p];
        let mut imat = vec![0.0; p * p];
        let mut a = vec![0.0; p];
        let mut a2 = vec![0.0; p];
        let mut cmat = vec![0.0; p * p];
        let mut cmat2 = vec![0.0; p * p];
        for &(start, end) in &self.blocks {
            let mut denom = 0.0;
            a.iter_mut().for_each(|v| *v = 0.0);
            cmat.iter_mut().for_each(|v| *v = 0.0);
            let mut person = end;
            while person > start {
                let dtime = self.time[person - 1];
                let mut ndead = 0_usize;
                let mut denom2 = 0.0;
                a2.iter_mut().for_each(|v| *v = 0.0);
                cmat2.iter_mut().for_each(|v| *v = 0.0);
                while person > start && self.time[person - 1] == dtime {
                    person -= 1;
                    let xi = &self.x[person * p..(person + 1) * p];
                    let zbeta: f64 = xi.iter().zip(beta).map(|(x, b)| x * b).sum();
                    let risk = zbeta.exp();
                    let (sum_a, sum_c) = if self.event[person] {
                        ndead += 1;
                        denom2 += risk;
                        loglik += zbeta;
                        for (uj, xj) in u.iter_mut().zip(xi) {
                            *uj += xj;
                        }
                        (&mut a2, &mut cmat2)
                    } else {
                        denom += risk;
                        (&mut a, &mut cmat)
                    };
                    for i in 0..p {
                        let rx = risk * xi[i];
                        sum_a[i] += rx;
                        for j in 0..=i {
                            sum_c[i * p + j] += rx * xi[j];
                        }
                    }
                }
                if ndead == 0 {
                    continue;
                }
                let deadwt = ndead as f64;
                if !self.efron || ndead == 1 {
                    denom += denom2;
                    loglik -= deadwt * denom.ln();
                    for i in 0..p {
                        a[i] += a2[i];
                        let mean = a[i] / denom;
                        u[i] -= deadwt * mean;
                        for j in 0..=i {
                            cmat[i * p + j] += cmat2[i * p + j];
                            imat[i * p + j] += deadwt * (cmat[i * p + j] - mean * a[j]) / denom;
                        }
                    }
                } else {
                    // Efron: the tied events leave the risk set in ndead equal steps; adding them
                    // back 1/ndead at a time gives the same ndead terms.
                    let nd = deadwt;
                    for _ in 0..ndead {
                        denom += denom2 / nd;
                        loglik -= denom.ln();
                        for i in 0..p {
                            a[i] += a2[i] / nd;
                            let mean = a[i] / denom;
                            u[i] -= mean;
                            for j in 0..=i {
                                cmat[i * p + j] += cmat2[i * p + j] / nd;
                                imat[i * p + j] += (cmat[i * p + j] - mean * a[j]) / denom;
                            }
                        }
                    }
                }
            }
        }
        Eval { loglik, u, imat }
    }
}

/// Whether a covariate takes two values within some risk set. The risk sets of a stratum are nested, the
/// largest being the subjects at risk at its first event, so it suffices to look there. A covariate that is
/// constant in every risk set (e.g. constant within every stratum) has zero information; rounding leaves a
/// tiny positive pivot that the relative Cholesky rule keeps when it is the only term, so it is caught here.
fn varies_in_a_risk_set(time: &[f64], event: &[bool], x: &[f64], strata: Option<&[u32]>) -> bool {
    let Some(strata) = strata else {
        let first = (0..time.len())
            .filter(|&i| event[i])
            .map(|i| time[i])
            .fold(f64::INFINITY, f64::min);
        let mut at_risk = (0..time.len()).filter(|&i| time[i] >= first);
        let Some(i0) = at_risk.next() else {
            return false;
        };
        return at_risk.any(|i| x[i] != x[i0]);
    };
    let mut first_event: BTreeMap<u32, f64> = BTreeMap::new();
    for i in (0..time.len()).filter(|&i| event[i]) {
        first_event
            .entry(strata[i])
            .and_modify(|t| *t = t.min(time[i]))
            .or_insert(time[i]);
    }
    let mut value: BTreeMap<u32, f64> = BTreeMap::new();
    (0..time.len()).any(|i| {
        first_event.get(&strata[i]).is_some_and(|&t| time[i] >= t)
            && *value.entry(strata[i]).or_insert(x[i]) != x[i]
    })
}

/// Newton-Raphson with step-halving, following `coxfit6.c` step for step.
fn newton_raphson(
    p: usize,
    eval: impl Fn(&[f64]) -> Eval,
    o: &CoxOptions,
) -> Result<Estimate, Failure> {
    let mut beta = vec![0.0; p];
    let ev0 = eval(&beta);
    let loglik_null = ev0.loglik;
    let ldl0 = Ldl::new(&ev0.imat, p, o.toler_chol);
    if let Some(&j) = ldl0.singular().first() {
        return Err(Failure::Singular(j));
    }
    let mut step = ev0.u.clone();
    ldl0.solve_in_place(&mut step);
    let score_stat: f64 = ev0.u.iter().zip(&step).map(|(a, b)| a * b).sum();

    let mut best = loglik_null;
    let mut newbeta: Vec<f64> = beta.iter().zip(&step).map(|(b, s)| b + s).collect();
    let mut halving = 0.0_f64;
    for iter in 1..=o.max_iter {
        let ev = eval(&newbeta);
        let ldl = Ldl::new(&ev.imat, p, o.toler_chol);
        let finite = ev.loglik.is_finite()
            && ev.u.iter().all(|v| v.is_finite())
            && ev.imat.iter().all(|v| v.is_finite());
        if finite && (1.0 - best / ev.loglik).abs() <= o.eps {
            if let Some(&j) = ldl.singular().first() {
                return Err(Failure::Singular(j));
            }
            return Ok(Estimate {
                beta: newbeta,
                information: ldl,
                u: ev.u,
                loglik: ev.loglik,
                loglik_null,
                score: score_stat,
                iterations: iter,
            });
        }
        if !finite || ev.loglik < best {
            halving += 1.0;
            for (nb, b) in newbeta.iter_mut().zip(&beta) {
                *nb = (*nb + halving * b) / (halving + 1.0);
            }
        } else {
            halving = 0.0;
            best = ev.loglik;
            let mut step = ev.u;
            ldl.solve_in_place(&mut step);
            beta.clone_from(&newbeta);
            for (nb, s) in newbeta.iter_mut().zip(&step) {
                *nb += s;
            }
        }
    }
    Err(Failure::NotConverged {
        iterations: o.max_iter,
        loglik: best,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap
mod tests {
    use super::*;
    use crate::design::Covariate;

    #[test]
    fn tiny_monotone_likelihood_does_not_converge() {
        // Times 1 (event, x = 1), 2 (event, x = 0), 3 (censored, x = 0); no ties.
        // ℓ(β) = β − log(e^β + 2) − log 2 rises towards −log 2 as β → ∞ (monotone likelihood);
        // with |ℓ| this small the relative change stays above 1e-9 for 20 steps, so the fit
        // does not converge.
        let time = [1.0, 2.0, 3.0];
        let event = [true, true, false];
        let x = [1.0, 0.0, 0.0];
        let d = Design::new(&[Covariate::numeric("x", &x)]).unwrap();
        let mut o = CoxOptions {
            max_iter: 0,
            ..CoxOptions::default()
        };
        assert!(matches!(
            cox_fit(&time, &event, &d, None, &o),
            Err(CoxError::InvalidOption {
                option: "max_iter",
                ..
            })
        ));
        o.max_iter = 20;
        assert!(matches!(
            cox_fit(&time, &event, &d, None, &o),
            Err(CoxError::NotConverged { iterations: 20, .. })
        ));
    }

    #[test]
    fn monotone_likelihood_warns() {
        // The three earliest of ten events are the three subjects with x = 1: ℓ(β) keeps rising
        // as β → ∞ towards −log 3! − Σ log(risk set) of the later events, and R's rule flags x.
        let time: Vec<f64> = (1..=10).map(f64::from).collect();
        let event = [true; 10];
        let x = [1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        let d = Design::new(&[Covariate::numeric("x", &x)]).unwrap();
        let fit = cox_fit(&time, &event, &d, None, &CoxOptions::default()).unwrap();
        assert_eq!(
            fit.warnings,
            [CoxWarning::InfiniteCoefficient { term: "x".into() }]
        );
        assert_eq!(
            fit.warnings[0].to_string(),
            "Loglik converged before variable x; coefficient may be infinite"
        );
        assert!(fit.terms[0].coef > 5.0, "{:?}", fit.terms[0]);
        // At β = 0 the risk sets are 10, 9, …, 1 subjects, of which 3, 2, 1, 0, … have x = 1:
        // U = 3 − (3/10 + 2/9 + 1/8), I = Σ p(1 − p) = 21/100 + 14/81 + 7/64, score = U²/I,
        // and ℓ(0) = −Σ log(risk set) = −log 10!.
        let u = 3.0 - (3.0 / 10.0 + 2.0 / 9.0 + 1.0 / 8.0);
        let info = 21.0 / 100.0 + 14.0 / 81.0 + 7.0 / 64.0;
        assert!((fit.score_test.stat - u * u / info).abs() < 1e-12);
        let fact10: f64 = (1..=10).map(f64::from).product();
        assert!((fit.loglik_null + fact10.ln()).abs() < 1e-12);
    }

    #[test]
    fn efron_and_breslow_by_hand() {
        // Times 1, 1 (both events; x = 1, 0), 2 (censored, x = 0). At β = 0, risk set {3 subjects}:
        // Breslow: ℓ(0) = −2 log 3.  Efron: ℓ(0) = −log 3 − log(3 − 1/2·2) = −log 3 − log 2.
        let time = [1.0, 1.0, 2.0];
        let event = [true, true, false];
        let x = [1.0, 0.0, 0.0];
        let d = Design::new(&[Covariate::numeric("x", &x)]).unwrap();
        let mut o = CoxOptions {
            ties: Ties::Breslow,
            ..CoxOptions::default()
        };
        let b = cox_fit(&time, &event, &d, None, &o).unwrap();
        assert!((b.loglik_null + 2.0 * 3f64.ln()).abs() < 1e-14);
        o.ties = Ties::Efron;
        let e = cox_fit(&time, &event, &d, None, &o).unwrap();
        assert!((e.loglik_null + 6f64.ln()).abs() < 1e-14);
    }

    #[test]
    fn errors_name_the_term() {
        let time = [1.0, 2.0, 3.0, 4.0];
        let event = [true, true, false, true];
        let c = [2.0, 2.0, 2.0, 2.0];
        let x = [1.0, 2.0, 3.0, 5.0];
        let x2 = [2.0, 4.0, 6.0, 10.0];
        let o = CoxOptions::default();
        let d = Design::new(&[Covariate::numeric("x", &x), Covariate::numeric("c", &c)]).unwrap();
        assert_eq!(
            cox_fit(&time, &event, &d, None, &o)
                .unwrap_err()
                .to_string(),
            "term `c` is constant"
        );
        let d = Design::new(&[Covariate::numeric("x", &x), Covariate::numeric("x2", &x2)]).unwrap();
        assert_eq!(
            cox_fit(&time, &event, &d, None, &o).unwrap_err(),
            CoxError::Singular { term: "x2".into() }
        );
        let d = Design::new(&[Covariate::numeric("x", &x)]).unwrap();
        assert_eq!(
            cox_fit(&time, &[false; 4], &d, None, &o).unwrap_err(),
            CoxError::NoEvents
        );
        assert!(matches!(
            cox_fit(&time[..3], &event[..3], &d, None, &o),
            Err(CoxError::LengthMismatch { what: "design", .. })
        ));
        // x constant within each of three strata of 3-5 subjects: the information is zero up to rounding
        // (found by the property test that compares the score test with the stratified log-rank test).
        let t12 = [
            7.0, 9.0, 3.0, 6.0, 12.0, 1.0, 2.0, 8.0, 4.0, 5.0, 11.0, 10.0,
        ];
        let e12 = [
            false, false, false, false, true, true, true, true, true, false, true, false,
        ];
        let g12 = [1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 1.0, 0.0];
        let s12 = [0, 0, 0, 1, 1, 1, 0, 2, 2, 1, 2, 1];
        let d12 = Design::new(&[Covariate::numeric("g", &g12)]).unwrap();
        let breslow = CoxOptions {
            ties: Ties::Breslow,
            ..o
        };
        assert_eq!(
            cox_fit(&t12, &e12, &d12, Some(&s12), &breslow).unwrap_err(),
            CoxError::Singular { term: "g".into() }
        );
        // Varying among those at risk in one stratum is enough.
        let mut g12b = g12;
        g12b[11] = 1.0;
        let d12b = Design::new(&[Covariate::numeric("g", &g12b)]).unwrap();
        assert!(cox_fit(&t12, &e12, &d12b, Some(&s12), &breslow).is_ok());
        // A subject censored before its stratum's first event is in no risk set: its value does not count.
        let (mut t12c, mut g12c) = (t12, g12);
        (t12c[2], g12c[2]) = (1.5, 0.0); // stratum 0's first event is at time 2
        let d12c = Design::new(&[Covariate::numeric("g", &g12c)]).unwrap();
        assert_eq!(
            cox_fit(&t12c, &e12, &d12c, Some(&s12), &breslow).unwrap_err(),
            CoxError::Singular { term: "g".into() }
        );
        // x constant within each stratum: identifiable overall, not within risk sets.
        assert_eq!(
            cox_fit(&time, &event, &d, Some(&[0, 1, 2, 3]), &o).unwrap_err(),
            CoxError::Singular { term: "x".into() }
        );
        let mut bad = o;
        bad.max_iter = 1;
        let y = [0.3, -1.2, 2.5, 0.1];
        let d = Design::new(&[Covariate::numeric("y", &y)]).unwrap();
        assert!(matches!(
            cox_fit(&time, &event, &d, None, &bad),
            Err(CoxError::NotConverged { iterations: 1, .. })
        ));
        bad.conf_level = 1.0;
        assert!(matches!(
            cox_fit(&time, &event, &d, None, &bad),
            Err(CoxError::InvalidOption {
                option: "conf_level",
                ..
            })
        ));
    }
}
