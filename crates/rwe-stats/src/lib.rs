//! Survival and proportion statistics for real-world-evidence studies, written to match R `survival`
//! and SAS PROC LIFETEST / PHREG to the printed decimal under a named [`Convention`].
//!
//! This crate knows no patients and does no I/O: it takes times, event indicators and group labels,
//! and returns estimates.

pub use beta::{beta_cdf, beta_quantile, beta_quantile_upper, beta_sf, binomial_pmf};
pub use binomial::{BinomialError, ProportionCi, ProportionMethod, binomial_test, proportion_ci};
pub use ci::{Bounds, Confidence, survival_bounds};
pub use cif::{
    CifAt, CifError, CifOptions, CifPoint, CumulativeIncidence, State, StateCurve,
    cumulative_incidence, cumulative_incidence_by_group,
};
pub use convention::{ConfType, Convention, UnknownName};
pub use counts::TimeCounts;
pub use describe::{
    CategoryCount, CategorySummary, DescribeError, NumericSummary, PercentBase,
    PercentileDefinition, percentile, summarize, tabulate,
};
pub use dist::{
    chisq_sf, normal_cdf, normal_pdf, normal_quantile, normal_sf, normal_two_sided_p, z_for_level,
};
pub use error::StatsError;
pub use gray::{GrayTest, gray_test, gray_test_stratified};
pub use km::{KaplanMeier, KmRow};
pub use landmark::{BeyondLastTime, SurvivalAt};
pub use quantile::{QUANTILE_TOLERANCE, QuantileEstimate, QuantileRule};
pub use rmst::Rmst;

mod beta;
mod binomial;
mod ci;
mod cif;
mod convention;
mod counts;
mod describe;
mod dist;
mod error;
mod gray;
mod km;
mod landmark;
mod quantile;
mod rmst;
