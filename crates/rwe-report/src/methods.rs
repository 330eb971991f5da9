//! The methods section of the report, written from the spec's parameters and the conventions the
//! analyses actually used, so that the text cannot drift from the numbers.

use rwe_data::Term as _;
use rwe_render::Formatter;
use rwe_spec::{FigureDecl, RowDecl, StudySpec, SurvivalStat, TableDataset};
use rwe_stats::{ConfType, Convention, ProportionMethod};

use crate::conventions::Settings;

fn transform(t: ConfType) -> &'static str {
    match t {
        ConfType::LogLog => "log-log (complementary log-log)",
        ConfType::Log => "log",
        ConfType::Plain => "plain (linear)",
        ConfType::Logit => "logit",
        ConfType::Arcsine => "arcsine-square-root",
    }
}

/// What the declared outputs use.
#[derive(Debug, Default)]
struct Uses {
    survival: bool,
    rate_ci: bool,
    continuous: bool,
    adverse_events: bool,
    sankey: bool,
    sensitivity: bool,
}

fn uses(spec: &StudySpec) -> Uses {
    let mut u = Uses::default();
    for t in &spec.tables {
        u.adverse_events |= t.dataset == TableDataset::Adae;
        for r in &t.rows {
            match r {
                RowDecl::Survival {
                    statistic, paramcd, ..
                } => {
                    u.survival |= *statistic != SurvivalStat::Events;
                    u.sensitivity |= paramcd == "EFSCEN";
                }
                RowDecl::Rate { ci, .. } => u.rate_ci |= *ci,
                RowDecl::Continuous { .. } => u.continuous = true,
                _ => {}
            }
        }
    }
    for f in &spec.figures {
        match f {
            FigureDecl::Km(k) => {
                u.survival = true;
                u.sensitivity |= k.paramcd == "EFSCEN";
            }
            FigureDecl::Sankey(_) => u.sankey = true,
        }
    }
    u
}

/// The methods paragraphs.
#[must_use]
pub(crate) fn methods(spec: &StudySpec, s: &Settings) -> Vec<String> {
    let u = uses(spec);
    let st = &spec.study;
    let e = &spec.endpoints;
    let level = s.formatter.ci_label(s.level());
    let mut out = vec![format!(
        "Study population. Patients with B-cell acute lymphoblastic leukemia whose first blinatumomab \
         infusion fell between {} and {} (the index date); data cut-off {}. Populations: relapsed/refractory \
         when refractory to first-line induction or relapsed after a documented CR before the first infusion, \
         newly diagnosed otherwise.",
        st.enrolment_start, st.enrolment_end, st.data_cutoff
    )];
    let r = &spec.response;
    let m = &spec.mrd;
    out.push(format!(
        "Response. CR: no extramedullary disease, marrow blasts ≤ {}%, neutrophils ≥ {} ×10^9/L and \
         platelets ≥ {} ×10^9/L; CRi: the same without count recovery; counted up to {} days after the last \
         infusion and before any subsequent therapy. Complete MRD remission: MRD below {} by {}, counted \
         within {} cycles (plus {} days) and over the whole treatment, among patients in CR/CRi with an \
         evaluable MRD.",
        s.formatter.number(r.cr_blast_max_pct),
        s.formatter.number(r.anc_min),
        s.formatter.fixed(r.plt_min, 0),
        r.window_after_last_infusion_days,
        format_fraction(m.threshold),
        m.methods
            .iter()
            .map(|x| x.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        m.within_cycles,
        m.grace_days
    ));
    if u.survival {
        let mut text = format!(
            "Time-to-event endpoints, from the first infusion (day 1) in months of {} days. EFS: failure to \
             achieve CR/CRi within {} days (an event at day 1), relapse or death, whichever came first; OS: \
             death from any cause; RFS: relapse or death from the first CR/CRi (from the first infusion for \
             patients in CR at the start); DOR: relapse or death from the first response. Patients without \
             an event were censored at the last date known alive and event-free; transplant and CAR-T were \
             neither events nor censoring.",
            s.formatter.fixed(e.days_per_month, 4),
            e.efs_cr_window_days
        );
        if u.sensitivity {
            text.push_str(
                " In a sensitivity analysis (EFSCEN), EFS was censored at an allo-HSCT or CAR-T after \
                 blinatumomab that preceded the event.",
            );
        }
        out.push(text);
        let quantile = match s.convention {
            Convention::Sas => format!(
                "medians are the first time the estimate falls below 50%, with Brookmeyer-Crowley {level}s \
                 under the same transformation (SAS PROC LIFETEST)"
            ),
            Convention::R => format!(
                "medians and their {level}s follow R's quantile.survfit (where the estimate and its \
                 pointwise bounds reach 50%)"
            ),
        };
        let beyond = match s.convention {
            Convention::Sas => {
                "a rate at a time after the last follow-up of a group is not estimable"
            }
            Convention::R => {
                "a rate at a time after the last follow-up of a group carries the last estimate forward"
            }
        };
        out.push(format!(
            "Survival was estimated with the Kaplan-Meier product-limit method; pointwise {level}s use the \
             Greenwood variance with the {} transformation; {quantile}; {beyond}. NR: median not reached; \
             NE: not estimable.",
            transform(s.confidence.conf_type())
        ));
    }
    let mut stats = Vec::new();
    if u.continuous {
        stats.push(
            "continuous variables as mean (SD) and median (range), medians with SAS percentile \
             definition 5"
                .to_string(),
        );
    }
    stats.push("categorical variables as n (%) of all patients of the column".to_string());
    if u.rate_ci {
        stats.push(format!(
            "response and MRD rates with {} {level}s",
            match s.proportion {
                ProportionMethod::Exact => "exact Clopper-Pearson",
                _ => "Wilson score",
            }
        ));
    }
    out.push(format!("Descriptive statistics: {}.", stats.join("; ")));
    if u.adverse_events {
        let window = match spec.safety.ae_grace_days {
            0 => "from the first to the last infusion".to_string(),
            d => format!("from the first infusion to {d} days after the last"),
        };
        out.push(format!(
            "Treatment-emergent adverse events ({window}) by their recorded grade (CTCAE v5.0, or ASTCT \
             for CRS and ICANS); each patient is counted once per row at the maximum grade."
        ));
    }
    if u.sankey {
        out.push(format!(
            "Treatment patterns: the duration of {} in days (≤ {} / {}–{} days), the number of cycles \
             (infusion gaps of more than {} days start a new cycle) and the first therapy after the last \
             infusion.",
            match spec.cycles.duration_basis {
                rwe_spec::DurationBasis::Cycle1 => "cycle 1",
                rwe_spec::DurationBasis::TotalCapped => "all cycles",
            },
            spec.cycles.duration_buckets.first().copied().unwrap_or_default(),
            spec.cycles.duration_buckets.first().copied().unwrap_or_default() + 1,
            spec.cycles.duration_buckets.get(1).copied().unwrap_or_default(),
            spec.cycles.gap_days
        ));
    }
    let rounding = match s.formatter.rounding {
        rwe_render::Rounding::HalfUp => "rounded half up",
        rwe_render::Rounding::Truncate => "truncated",
    };
    let suppression = match &s.small_cells {
        Some(rule) => format!(
            " Counts below {} are hidden, with further cells hidden so that none can be derived from the totals.",
            rule.min_count
        ),
        None => String::new(),
    };
    out.push(format!(
        "Conventions: {} (statistics = \"{}\"); percentages with {} decimal(s) and other values with {}, \
         {rounding}.{suppression} Computed by rwe {}.",
        match s.convention {
            Convention::Sas => "SAS",
            Convention::R => "R survival",
        },
        s.convention,
        s.formatter.percent_decimals,
        s.formatter.decimals,
        env!("CARGO_PKG_VERSION")
    ));
    out
}

/// A small fraction as a percentage with the decimals it needs: 1e-4 → "0.01%", 0.001 → "0.1%".
fn format_fraction(x: f64) -> String {
    // Decimals of the percentage: enough to show the first significant digit (x is in (0, 1)).
    let decimals = (-x.log10().floor() - 2.0).clamp(0.0, 15.0) as u8;
    Formatter {
        percent_decimals: decimals,
        ..Formatter::default()
    }
    .percent(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn methods_of(conventions: &str) -> String {
        let text = include_str!("../../../tests/fixtures/cohort/report.toml").replace(
            "statistics = \"sas\"\nconf_level = 0.95\nrounding = \"half_up\"",
            conventions,
        );
        let spec = StudySpec::from_toml_str("report.toml", &text).unwrap();
        let s = Settings::new(&spec.conventions).unwrap();
        methods(&spec, &s).join("\n\n")
    }

    #[test]
    fn the_methods_follow_the_spec_and_the_conventions() {
        insta::assert_snapshot!("methods_sas", methods_of(""));
        let r = methods_of("statistics = \"r\"\nconf_level = 0.9\nsmall_cell_min = 5");
        assert!(
            r.contains("pointwise 90% CIs use the Greenwood variance with the log transformation")
        );
        assert!(r.contains("R's quantile.survfit"));
        assert!(r.contains("carries the last estimate forward"));
        assert!(r.contains("Counts below 5 are hidden"));
        assert!(r.contains("exact Clopper-Pearson 90% CIs"));
    }
}
