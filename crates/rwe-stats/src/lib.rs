//! Survival and proportion statistics for real-world-evidence studies, written to match R `survival`
//! and SAS PROC LIFETEST / PHREG to the printed decimal under a named [`Convention`].
//!
//! This crate knows no patients and does no I/O: it takes times, event indicators and group labels,
//! and returns estimates.
//!
//! ```
//! use rwe_stats::{ConfType, Confidence, KaplanMeier, QuantileRule};
//!
//! // Five subjects: events at 1, 3 and 4; censored at 2 and 5.
//! let fit = KaplanMeier::fit(&[1.0, 2.0, 3.0, 4.0, 5.0], &[true, false, true, true, false])?;
//! // S(1) = 4/5; S(3) = 4/5 · 2/3; S(4) = 4/5 · 2/3 · 1/2.
//! assert!((fit.surv_at(4.0) - 4.0 / 15.0).abs() < 1e-15);
//! let conf = Confidence::new(ConfType::LogLog, 0.95)?;
//! let median = fit.quantile(0.5, conf, QuantileRule::Sas)?;
//! assert_eq!(median.time, Some(4.0));
//! # Ok::<(), rwe_stats::StatsError>(())
//! ```

pub use beta::{beta_cdf, beta_quantile, beta_quantile_upper, beta_sf, binomial_pmf};
pub use binomial::{BinomialError, ProportionCi, ProportionMethod, binomial_test, proportion_ci};
pub use ci::{Bounds, Confidence, survival_bounds};
pub use cif::{
    CifAt, CifError, CifOptions, CifPoint, CumulativeIncidence, State, StateCurve,
    cumulative_incidence, cumulative_incidence_by_group,
};
pub use concordance::{Concordance, ConcordanceError, concordance};
pub use convention::{ConfType, Convention, UnknownName};
pub use counts::TimeCounts;
pub use cox::{
    CoxError, CoxFit, CoxOptions, CoxTerm, CoxWarning, ModelTest, Ties, cox_fit, cox_fit_counts,
};
pub use describe::{
    CategoryCount, CategorySummary, DescribeError, NumericSummary, PercentBase,
    PercentileDefinition, percentile, summarize, tabulate,
};
pub use design::{Covariate, CovariateValues, Design, DesignError, Term, factor_levels};
pub use dist::{
    chisq_sf, normal_cdf, normal_pdf, normal_quantile, normal_sf, normal_two_sided_p, z_for_level,
};
pub use error::StatsError;
pub use gray::{GrayTest, gray_test, gray_test_stratified};
pub use group_counts::{CountKernel, CountOptions, FollowUpTime, GroupCounts, StratumCounts};
pub use km::{KaplanMeier, KmRow};
pub use landmark::{BeyondLastTime, SurvivalAt};
pub use logrank::{GroupTest, LogrankError, TestWeight, survdiff, survdiff_counts};
pub use quantile::{QUANTILE_TOLERANCE, QuantileEstimate, QuantileRule};
pub use rmst::Rmst;

mod beta;
mod binomial;
mod cholesky;
mod ci;
mod cif;
mod concordance;
mod convention;
mod counts;
mod cox;
mod describe;
mod design;
mod dist;
mod error;
mod gray;
mod group_counts;
mod km;
mod landmark;
mod logrank;
mod quantile;
mod rmst;
