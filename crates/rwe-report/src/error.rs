//! Why an analysis or a report could not be built.

use rwe_render::RenderError;
use rwe_stats::{BinomialError, DescribeError, StatsError};

/// A failure while analysing the derived datasets or building the outputs. With a checked spec and datasets
/// from `rwe-derive` none of these is expected; each names what went wrong.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A dataset lacks a variable the spec or the analyses name.
    #[error("{dataset} has no variable {variable}")]
    MissingVariable {
        /// ADSL, ADTTE or ADAE.
        dataset: String,
        /// The variable.
        variable: String,
    },
    /// A variable that must be numeric holds text.
    #[error("{dataset} variable {variable} is not numeric")]
    NotNumeric {
        /// The dataset.
        dataset: String,
        /// The variable.
        variable: String,
    },
    /// A survival statistic could not be computed.
    #[error(transparent)]
    Stats(#[from] StatsError),
    /// A proportion's interval could not be computed.
    #[error(transparent)]
    Binomial(#[from] BinomialError),
    /// A descriptive summary could not be computed.
    #[error(transparent)]
    Describe(#[from] DescribeError),
    /// A table or figure could not be drawn.
    #[error(transparent)]
    Render(#[from] RenderError),
}
