//! A declared Kaplan-Meier figure: one curve per stratum (and optionally all patients), censoring marks,
//! optional pointwise bands, the numbers at risk at exactly the axis ticks (cumulative events optional),
//! each reached median and the landmark rates, with every number written to the ARD.

use rwe_render::{
    Annotation, BandPoint, ColourMap, KmCurve, KmFigure, LegendPosition, RiskRow, RiskTable, Stat,
    SurvivalAxis, SurvivalPoint,
};
use rwe_spec::KmDecl;
use rwe_stats::KaplanMeier;

use crate::analysis_set::AnalysisSet;
use crate::ard::{ArdRow, ArdSink, At};
use crate::conventions::Settings;
use crate::error::ReportError;
use crate::survival;
use crate::table::split_levels;

/// The default tick step, in months.
const TICK_MONTHS: f64 = 3.0;

/// A figure and the caption the report shows under it.
#[derive(Debug, Clone)]
pub(crate) struct BuiltKm {
    pub figure: KmFigure,
    pub caption: String,
}

/// Ticks every 3 months from 0 to the first multiple of 3 at or after the end of follow-up.
fn default_ticks(end: f64) -> Vec<f64> {
    // Follow-up in months is small; the count is bounded by the largest time / 3.
    let steps = (end / TICK_MONTHS).ceil().max(1.0) as u32;
    (0..=steps).map(|i| f64::from(i) * TICK_MONTHS).collect()
}

fn small(s: &Settings, n: u64) -> Option<String> {
    s.small_cells
        .as_ref()
        .filter(|r| n > 0 && n < r.min_count)
        .map(|r| r.primary_mask())
}

/// Build a declared KM figure.
///
/// # Errors
/// [`ReportError`] when a variable is missing or a statistic cannot be computed.
pub(crate) fn build(
    decl: &KmDecl,
    set: &AnalysisSet,
    s: &Settings,
    colours: &ColourMap,
    ard: &mut Vec<ArdRow>,
) -> Result<BuiltKm, ReportError> {
    let mut sink = ArdSink::new(ard, &decl.id);
    let patients = set.select(&decl.filter)?;
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    match &decl.strata {
        Some(strata) => {
            if decl.overall {
                groups.push((decl.overall_label.clone(), patients.clone()));
            }
            for level in split_levels(set, strata)? {
                let members = set.with_values(&patients, &strata.variable, &level.values)?;
                groups.push((level.label, members));
            }
        }
        None => groups.push((decl.overall_label.clone(), patients.clone())),
    }
    let mut fits: Vec<(String, KaplanMeier)> = Vec::new();
    for (label, members) in groups {
        match survival::fit(&set.times(&decl.paramcd, &members))? {
            Some(km) => fits.push((label, km)),
            None => {
                let at = At {
                    row: "curve".into(),
                    label: label.clone(),
                    column: label,
                    group: String::new(),
                };
                sink.count(&at, "n", 0, None);
            }
        }
    }
    let end = fits.iter().map(|(_, k)| k.max_time()).fold(0.0, f64::max);
    let ticks = if decl.x_ticks.is_empty() {
        default_ticks(end)
    } else {
        decl.x_ticks.clone()
    };
    let param = set.param_label(&decl.paramcd).to_string();
    let mut fig = KmFigure::new(
        decl.id.clone(),
        decl.x_label.clone(),
        decl.y_label.clone().unwrap_or_else(|| param.clone()),
        ticks.clone(),
    );
    fig.title = decl.title.clone();
    fig.y_axis = SurvivalAxis::Percent;
    fig.legend = if fits.len() > 1 {
        LegendPosition::Top
    } else {
        LegendPosition::Hidden
    };
    let mut risk_rows = Vec::new();
    let mut annotations = Vec::new();
    if let Some(t) = decl.landmark {
        annotations.push(Annotation::Landmark {
            time: t,
            label: format!("{} months", s.formatter.fixed(t, 0)),
        });
    }
    for (label, km) in &fits {
        let colour = colours.get_or_neutral(label);
        let at = |group: String| At {
            row: "curve".into(),
            label: label.clone(),
            column: label.clone(),
            group,
        };
        sink.count(&at(String::new()), "n", km.n(), small(s, km.n()).as_deref());
        sink.count(
            &at(String::new()),
            "events",
            km.events(),
            small(s, km.events()).as_deref(),
        );
        let bands = km.pointwise_ci(s.confidence);
        let mut steps = Vec::new();
        let mut censored = Vec::new();
        let mut band = vec![BandPoint {
            time: 0.0,
            lower: 1.0,
            upper: 1.0,
        }];
        for (row, b) in km.rows().iter().zip(&bands) {
            let g = at(format!("{}", row.time));
            sink.value(&g, "time", Some(row.time));
            sink.count(&g, "n_risk", row.n_risk, small(s, row.n_risk).as_deref());
            sink.count(&g, "n_event", row.n_event, small(s, row.n_event).as_deref());
            sink.count(
                &g,
                "n_censor",
                row.n_censor,
                small(s, row.n_censor).as_deref(),
            );
            sink.value(&g, "surv", Some(row.surv));
            sink.value(&g, "lower", b.lower);
            sink.value(&g, "upper", b.upper);
            if row.n_event > 0 {
                steps.push(SurvivalPoint {
                    time: row.time,
                    surv: row.surv,
                });
                band.push(BandPoint {
                    time: row.time,
                    lower: b.lower.unwrap_or(row.surv),
                    upper: b.upper.unwrap_or(row.surv),
                });
            }
            if row.n_censor > 0 {
                censored.push(SurvivalPoint {
                    time: row.time,
                    surv: row.surv,
                });
            }
        }
        // Numbers at risk at each tick, and events up to it.
        let at_ticks = km.survival_at(&ticks, s.confidence, s.beyond)?;
        let at_risk: Vec<u64> = at_ticks.iter().map(|a| a.n_risk).collect();
        let events: Vec<u64> = ticks
            .iter()
            .map(|&t| {
                km.rows()
                    .iter()
                    .filter(|r| r.time <= t)
                    .map(|r| r.n_event)
                    .sum()
            })
            .collect();
        for ((t, n), e) in ticks.iter().zip(&at_risk).zip(&events) {
            let g = at(format!("risk table {t}"));
            sink.count(&g, "n_risk", *n, small(s, *n).as_deref());
            sink.count(&g, "cumulative_events", *e, small(s, *e).as_deref());
        }
        if decl.risk_table {
            risk_rows.push(RiskRow::from_counts(
                label.clone(),
                colour,
                &at_risk,
                decl.risk_events.then_some(events.as_slice()),
                s.small_cells.as_ref(),
            )?);
        }
        let q = survival::median(km, s)?;
        let g = at("median".into());
        sink.value(&g, "median", q.time);
        sink.value(&g, "lower", q.lower);
        sink.value(&g, "upper", q.upper);
        if decl.median
            && let Some(m) = q.time
        {
            annotations.push(Annotation::Median {
                time: m,
                colour,
                label: Some(format!("Median {} months", s.formatter.number(m))),
            });
        }
        if let Some(t) = decl.landmark {
            let r = survival::rate_at(km, t, s)?;
            let (est, lower, upper) = survival::rate_stats(&r, s);
            let g = at(format!("landmark {t}"));
            for (name, stat) in [("surv", est), ("lower", lower), ("upper", upper)] {
                match stat {
                    Stat::Value(x) => sink.value(&g, name, Some(x)),
                    Stat::Token(tok) => sink.token(&g, name, tok.text()),
                }
            }
            if let Some(surv) = r.surv {
                annotations.push(Annotation::Point {
                    time: t,
                    surv,
                    colour,
                    label: s.formatter.percent(surv),
                });
            }
        }
        fig.curves.push(KmCurve {
            label: label.clone(),
            colour,
            steps,
            end_time: km.max_time(),
            censored,
            band: if decl.ci_bands { band } else { Vec::new() },
        });
    }
    if decl.risk_table {
        fig.risk_table = Some(RiskTable {
            title: if decl.risk_events {
                "Number at risk (cumulative events)".into()
            } else {
                "Number at risk".into()
            },
            rows: risk_rows,
        });
    }
    fig.annotations = annotations;
    let caption = decl.caption.clone().unwrap_or_else(|| {
        let by = decl
            .strata
            .as_ref()
            .map(|st| format!(" by {}", st.variable))
            .unwrap_or_default();
        format!("Kaplan-Meier estimates of {}{by}.", param.to_lowercase())
    });
    Ok(BuiltKm {
        figure: fig,
        caption,
    })
}
