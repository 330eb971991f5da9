//! Survival and proportion statistics for real-world-evidence studies, written to match R `survival`
//! and SAS PROC LIFETEST / PHREG to the printed decimal under a named [`Convention`].
//!
//! This crate knows no patients and does no I/O: it takes times, event indicators and group labels,
//! and returns estimates.

pub use ci::{Bounds, Confidence, survival_bounds};
pub use convention::{ConfType, Convention, UnknownName};
pub use counts::TimeCounts;
pub use dist::{
    chisq_sf, normal_cdf, normal_pdf, normal_quantile, normal_sf, normal_two_sided_p, z_for_level,
};
pub use error::StatsError;
pub use km::{KaplanMeier, KmRow};
pub use landmark::{BeyondLastTime, SurvivalAt};
pub use quantile::{QUANTILE_TOLERANCE, QuantileEstimate, QuantileRule};
pub use rmst::Rmst;

mod ci;
mod convention;
mod counts;
mod dist;
mod error;
mod km;
mod landmark;
mod quantile;
mod rmst;
