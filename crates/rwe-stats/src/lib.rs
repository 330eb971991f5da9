//! Survival and proportion statistics for real-world-evidence studies, written to match R `survival`
//! and SAS PROC LIFETEST / PHREG to the printed decimal under a named [`Convention`].
//!
//! This crate knows no patients and does no I/O: it takes times, event indicators and group labels,
//! and returns estimates.

pub use convention::{ConfType, Convention, UnknownName};
pub use dist::{
    chisq_sf, normal_cdf, normal_pdf, normal_quantile, normal_sf, normal_two_sided_p, z_for_level,
};

pub use logrank::{GroupTest, LogrankError, TestWeight, survdiff};

pub use design::{Covariate, CovariateValues, Design, DesignError, Term, factor_levels};

pub use cox::{CoxError, CoxFit, CoxOptions, CoxTerm, CoxWarning, ModelTest, Ties, cox_fit};

pub use concordance::{Concordance, ConcordanceError, concordance};

mod convention;
mod dist;

mod logrank;

mod cholesky;
mod cox;
mod design;

mod concordance;
