//! Kaplan-Meier statistics of an endpoint for a group of patients, and how a table cell prints them.
//!
//! Times are in months (ADTTE `AVALMO`, days / 30.4375), so "1-year" is S(12 months) = S(365.25 days).
//! A median that is not reached prints `NR`, a confidence bound that is not reached or not defined `NE`.
//! A rate past the last follow-up of the group is not estimable under the SAS convention and prints the
//! study's token (`NE`, or the paper's `NR`). A rate of exactly 1 has no log-log interval (no event yet):
//! it prints `NE, NE`, or `100.0%, 100.0%` with `ci_when_survival_is_one = "degenerate"`.

use rwe_render::{Interval, Stat, Token};
use rwe_spec::CiWhenSurvivalIsOne;
use rwe_stats::{KaplanMeier, QuantileEstimate, SurvivalAt};

use crate::analysis_set::TimeToEvent;
use crate::ard::{ArdSink, At};
use crate::conventions::Settings;
use crate::error::ReportError;

/// The Kaplan-Meier fit of a group, `None` when no patient of the group has the endpoint.
pub(crate) fn fit(times: &[TimeToEvent]) -> Result<Option<KaplanMeier>, ReportError> {
    if times.is_empty() {
        return Ok(None);
    }
    let t: Vec<f64> = times.iter().map(|x| x.months).collect();
    let e: Vec<bool> = times.iter().map(|x| x.event).collect();
    Ok(Some(KaplanMeier::fit(&t, &e)?))
}

/// The median and its confidence interval under the study's convention.
pub(crate) fn median(km: &KaplanMeier, s: &Settings) -> Result<QuantileEstimate, ReportError> {
    Ok(km.quantile(0.5, s.confidence, s.quantile_rule)?)
}

/// Survival at `months` under the study's convention.
pub(crate) fn rate_at(
    km: &KaplanMeier,
    months: f64,
    s: &Settings,
) -> Result<SurvivalAt, ReportError> {
    let at = km.survival_at(&[months], s.confidence, s.beyond)?;
    // One requested time gives one row unless the convention drops times past the end (none does here).
    Ok(at.into_iter().next().unwrap_or(SurvivalAt {
        time: months,
        n_risk: 0,
        n_event: 0,
        n_censor: 0,
        surv: None,
        std_err: None,
        lower: None,
        upper: None,
    }))
}

/// What a rate cell prints: the estimate and the bounds as statistics (tokens where there is no number).
pub(crate) fn rate_stats(at: &SurvivalAt, s: &Settings) -> (Stat, Stat, Stat) {
    match at.surv {
        None => (
            Stat::Token(s.rate_token),
            Stat::Token(Token::NotEstimable),
            Stat::Token(Token::NotEstimable),
        ),
        // S = 1 exactly: no event before the time; the log-log interval is undefined (I-17).
        Some(surv) if surv >= 1.0 => match s.ci_when_one {
            CiWhenSurvivalIsOne::NotEstimable => (
                Stat::Value(surv),
                Stat::Token(Token::NotEstimable),
                Stat::Token(Token::NotEstimable),
            ),
            CiWhenSurvivalIsOne::Degenerate => {
                (Stat::Value(surv), Stat::Value(1.0), Stat::Value(1.0))
            }
        },
        Some(surv) => (
            Stat::Value(surv),
            Stat::or_not_estimable(at.lower),
            Stat::or_not_estimable(at.upper),
        ),
    }
}

/// A survival cell: its text, the tokens it uses, and its statistics written to the ARD.
pub(crate) struct SurvivalCell {
    pub text: String,
    pub tokens: Vec<Token>,
}

fn tokens_of(stats: &[Stat]) -> Vec<Token> {
    stats
        .iter()
        .filter_map(|s| match s {
            Stat::Token(t) => Some(*t),
            Stat::Value(_) => None,
        })
        .collect()
}

fn ard_stat(ard: &mut ArdSink<'_>, at: &At, name: &str, stat: Stat) {
    match stat {
        Stat::Value(x) => ard.value(at, name, Some(x)),
        Stat::Token(t) => ard.token(at, name, t.text()),
    }
}

/// The median cell of a group: `NR (95% CI: 9.4, NE)`.
pub(crate) fn median_cell(
    km: &KaplanMeier,
    s: &Settings,
    ard: &mut ArdSink<'_>,
    at: &At,
) -> Result<SurvivalCell, ReportError> {
    let q = median(km, s)?;
    let est = Stat::or_not_reached(q.time);
    let interval = Interval {
        lower: Stat::or_not_estimable(q.lower),
        upper: Stat::or_not_estimable(q.upper),
        level: s.level(),
    };
    ard.count(at, "n", km.n(), None);
    ard.count(at, "events", km.events(), None);
    ard_stat(ard, at, "median", est);
    ard_stat(ard, at, "lower", interval.lower);
    ard_stat(ard, at, "upper", interval.upper);
    Ok(SurvivalCell {
        text: s.formatter.stat_ci(est, &interval),
        tokens: tokens_of(&[est, interval.lower, interval.upper]),
    })
}

/// The rate cell of a group at `months`: `90.8% (95% CI: 67.0%, 97.0%)`.
pub(crate) fn rate_cell(
    km: &KaplanMeier,
    months: f64,
    s: &Settings,
    ard: &mut ArdSink<'_>,
    at: &At,
) -> Result<SurvivalCell, ReportError> {
    let r = rate_at(km, months, s)?;
    let (est, lower, upper) = rate_stats(&r, s);
    let interval = Interval {
        lower,
        upper,
        level: s.level(),
    };
    ard.count(at, "n", km.n(), None);
    ard.count(at, "events", km.events(), None);
    ard.value(at, "time", Some(months));
    ard.count(at, "n_risk", r.n_risk, None);
    ard_stat(ard, at, "surv", est);
    ard_stat(ard, at, "lower", lower);
    ard_stat(ard, at, "upper", upper);
    Ok(SurvivalCell {
        text: s.formatter.percent_ci(est, &interval),
        tokens: tokens_of(&[est, lower, upper]),
    })
}

/// The events cell of a group: `n (%)` of the patients with the endpoint.
pub(crate) fn events_cell(
    km: &KaplanMeier,
    s: &Settings,
    ard: &mut ArdSink<'_>,
    at: &At,
) -> SurvivalCell {
    ard.count(at, "n", km.n(), None);
    ard.count(at, "events", km.events(), None);
    // Percent of counts: exact in f64 up to 2^53 patients.
    let pct = 100.0 * km.events() as f64 / km.n() as f64;
    ard.value(at, "pct", Some(pct));
    SurvivalCell {
        text: s.formatter.n_pct(km.events(), km.n()),
        tokens: Vec::new(),
    }
}
