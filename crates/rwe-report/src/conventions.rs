//! The study's `[conventions]` turned into the settings of the statistics (rwe-stats) and the printing
//! (rwe-render) crates, in one place so that every table, figure and the methods text use the same ones.

use rwe_render::{Formatter, Rounding, SmallCellRule, Token};
use rwe_spec::{
    CiTransform, CiWhenSurvivalIsOne, Conventions, ProportionInterval, RateToken, Statistics,
};
use rwe_stats::{BeyondLastTime, ConfType, Confidence, Convention, ProportionMethod, QuantileRule};

use crate::error::ReportError;

/// Everything an analysis needs to compute and print a statistic.
#[derive(Debug, Clone)]
pub struct Settings {
    /// SAS or R.
    pub convention: Convention,
    /// Pointwise survival CIs: transform and level.
    pub confidence: Confidence,
    /// Median and its CI.
    pub quantile_rule: QuantileRule,
    /// Rates past the last follow-up.
    pub beyond: BeyondLastTime,
    /// Response-rate intervals.
    pub proportion: ProportionMethod,
    /// The one formatter.
    pub formatter: Formatter,
    /// Small-cell suppression, when on.
    pub small_cells: Option<SmallCellRule>,
    /// Interval of a survival rate of 1.
    pub ci_when_one: CiWhenSurvivalIsOne,
    /// Token of a survival rate that cannot be estimated.
    pub rate_token: Token,
}

impl Settings {
    /// The settings of a study's conventions.
    ///
    /// # Errors
    /// [`ReportError::Stats`] when the confidence level is out of range (the spec parser already refuses
    /// it).
    pub fn new(c: &Conventions) -> Result<Settings, ReportError> {
        let convention = match c.statistics {
            Statistics::Sas => Convention::Sas,
            Statistics::R => Convention::R,
        };
        let conf_type = match c.ci_transform {
            None => convention.default_conf_type(),
            Some(CiTransform::LogLog) => ConfType::LogLog,
            Some(CiTransform::Log) => ConfType::Log,
            Some(CiTransform::Plain) => ConfType::Plain,
            Some(CiTransform::Logit) => ConfType::Logit,
            Some(CiTransform::Arcsine) => ConfType::Arcsine,
        };
        let confidence = Confidence::new(conf_type, c.conf_level)?;
        Ok(Settings {
            convention,
            confidence,
            quantile_rule: convention.into(),
            beyond: convention.into(),
            proportion: match c.proportion_ci {
                ProportionInterval::Exact => ProportionMethod::Exact,
                ProportionInterval::Wilson => ProportionMethod::Wilson,
            },
            formatter: Formatter {
                decimals: c.decimals,
                percent_decimals: c.percent_decimals,
                rounding: match c.rounding {
                    rwe_spec::Rounding::HalfUp => Rounding::HalfUp,
                    rwe_spec::Rounding::Truncate => Rounding::Truncate,
                },
            },
            small_cells: (c.small_cell_min > 1).then(|| SmallCellRule::new(c.small_cell_min)),
            ci_when_one: c.ci_when_survival_is_one,
            rate_token: match c.rate_not_estimable {
                RateToken::NotEstimable => Token::NotEstimable,
                RateToken::NotReached => Token::NotReached,
            },
        })
    }

    /// The confidence level.
    #[must_use]
    pub fn level(&self) -> f64 {
        self.confidence.level()
    }
}
