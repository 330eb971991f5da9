//! `rwe cox`: Cox proportional-hazards regression.

use rwe_data::{Diagnostic, Location};
use rwe_stats::{
    Convention, Covariate, CovariateValues, CoxFit, CoxOptions, Design, Ties, cox_fit,
};
use serde::Serialize;

use crate::cli::{CoxArgs, OutputFormat};
use crate::console::{TextTable, p_value, sig};
use crate::survival_input::{SurvivalColumns, read_survival};
use crate::{Failure, input_failure};

/// Rule: a covariate value is missing.
pub const RULE_COVARIATE_MISSING: &str = rwe_data::rule::COX_COVARIATE_MISSING.id;

#[derive(Debug, Serialize)]
struct CoxReport {
    n: usize,
    events: usize,
    n_dropped: usize,
    ties: &'static str,
    conf_level: f64,
    terms: Vec<TermReport>,
    loglik: LoglikReport,
    tests: TestsReport,
    concordance: Option<ConcordanceReport>,
    iterations: usize,
    warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
struct TermReport {
    term: String,
    coef: f64,
    se: f64,
    hr: f64,
    lower: f64,
    upper: f64,
    z: f64,
    p: f64,
}

#[derive(Debug, Serialize)]
struct LoglikReport {
    null: f64,
    model: f64,
}

#[derive(Debug, Serialize)]
struct StatReport {
    stat: f64,
    df: usize,
    p: f64,
}

#[derive(Debug, Serialize)]
struct TestsReport {
    lr: StatReport,
    wald: StatReport,
    score: StatReport,
}

#[derive(Debug, Serialize)]
struct ConcordanceReport {
    estimate: f64,
    std_err: f64,
}

/// A covariate as asked for on the command line: `COL` or `COL:REFERENCE`.
struct CovariateSpec<'a> {
    column: &'a str,
    reference: Option<&'a str>,
}

/// Run `rwe cox` and return what to print.
pub fn run(args: &CoxArgs) -> Result<String, Failure> {
    let convention: Convention = args
        .convention
        .parse()
        .map_err(|e| Failure::usage(format!("--convention: {e}")))?;
    let ties = match args.ties.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None => Ties::for_convention(convention),
        Some("efron") => Ties::Efron,
        Some("breslow") => Ties::Breslow,
        Some(other) => {
            return Err(Failure::usage(format!(
                "--ties: found `{other}`, expected efron or breslow"
            )));
        }
    };
    if !(args.conf_level > 0.0 && args.conf_level < 1.0) {
        return Err(Failure::usage(format!(
            "--conf-level: found {}, expected a number in (0, 1)",
            args.conf_level
        )));
    }
    let specs: Vec<CovariateSpec<'_>> = args
        .covariates
        .iter()
        .map(|c| match c.split_once(':') {
            Some((column, level)) => CovariateSpec {
                column: column.trim(),
                reference: Some(level.trim()),
            },
            None => CovariateSpec {
                column: c.trim(),
                reference: None,
            },
        })
        .collect();
    let extra: Vec<&str> = specs.iter().map(|s| s.column).collect();
    let cols = SurvivalColumns {
        time: &args.surv.time,
        event: &args.surv.event,
        max_event_code: Some(1),
        group: None,
        strata: args.strata.as_deref(),
        extra: &extra,
    };
    let input = read_survival(&args.surv.file, &cols).map_err(input_failure)?;

    // Records with every covariate present.
    let n_all = input.time.len();
    let mut keep = vec![true; n_all];
    let mut missing = Vec::new();
    for spec in &specs {
        let values = &input.extra[spec.column];
        for (i, v) in values.iter().enumerate() {
            if v.is_none() {
                keep[i] = false;
                missing.push(Diagnostic::error(
                    RULE_COVARIATE_MISSING,
                    Location::cell(&input.source, input.row_number(i), spec.column),
                    "",
                    "a value (or run with --drop-missing to leave such records out, as R does)",
                ));
            }
        }
    }
    if !missing.is_empty() && !args.drop_missing {
        return Err(Failure::Invalid(missing));
    }
    let idx: Vec<usize> = (0..n_all).filter(|&i| keep[i]).collect();
    let all_times = input.time.to_f64();
    let time: Vec<f64> = idx.iter().map(|&i| all_times[i]).collect();
    let event: Vec<bool> = idx.iter().map(|&i| input.event[i] == 1).collect();
    let strata: Option<Vec<u32>> = input
        .strata
        .as_ref()
        .map(|s| idx.iter().map(|&i| s.index[i]).collect());

    // Numeric unless asked to be categorical or not every value is a number.
    let columns: Vec<(Vec<f64>, Vec<String>, bool)> = specs
        .iter()
        .map(|spec| {
            let text: Vec<String> = idx
                .iter()
                .map(|&i| input.extra[spec.column][i].clone().unwrap_or_default())
                .collect();
            let numbers: Option<Vec<f64>> = text.iter().map(|s| s.parse::<f64>().ok()).collect();
            let categorical =
                spec.reference.is_some() || args.categorical.iter().any(|c| c == spec.column);
            match numbers {
                Some(x) if !categorical => (x, Vec::new(), false),
                _ => (Vec::new(), text, true),
            }
        })
        .collect();
    let label_refs: Vec<Vec<&str>> = columns
        .iter()
        .map(|(_, t, _)| t.iter().map(String::as_str).collect())
        .collect();
    let covariates: Vec<Covariate<'_>> = specs
        .iter()
        .zip(&columns)
        .zip(&label_refs)
        .map(|((spec, (x, _, categorical)), labels)| {
            if *categorical {
                Covariate {
                    name: spec.column,
                    values: CovariateValues::Categorical {
                        labels,
                        reference: spec.reference,
                    },
                }
            } else {
                Covariate::numeric(spec.column, x)
            }
        })
        .collect();
    let design = Design::new(&covariates).map_err(|e| Failure::usage(e.to_string()))?;
    let options = CoxOptions {
        ties,
        conf_level: args.conf_level,
        ..CoxOptions::for_convention(convention)
    };
    let fit = cox_fit(&time, &event, &design, strata.as_deref(), &options)
        .map_err(|e| Failure::usage(e.to_string()))?;
    let report = report(&fit, n_all - idx.len());
    Ok(match args.format {
        OutputFormat::Json => serde_json::to_string_pretty(&report)
            .map(|s| s + "\n")
            .unwrap_or_default(),
        OutputFormat::Table => render_table(&report),
        OutputFormat::Csv => render_csv(&report),
    })
}

fn report(fit: &CoxFit, n_dropped: usize) -> CoxReport {
    let stat = |t: &rwe_stats::ModelTest| StatReport {
        stat: t.stat,
        df: t.df,
        p: t.p,
    };
    CoxReport {
        n: fit.n,
        events: fit.events,
        n_dropped,
        ties: fit.ties.as_str(),
        conf_level: fit.conf_level,
        terms: fit
            .terms
            .iter()
            .map(|t| TermReport {
                term: t.term.clone(),
                coef: t.coef,
                se: t.se,
                hr: t.hr,
                lower: t.lower,
                upper: t.upper,
                z: t.z,
                p: t.p,
            })
            .collect(),
        loglik: LoglikReport {
            null: fit.loglik_null,
            model: fit.loglik_model,
        },
        tests: TestsReport {
            lr: stat(&fit.lr_test),
            wald: stat(&fit.wald_test),
            score: stat(&fit.score_test),
        },
        concordance: fit.concordance.as_ref().map(|c| ConcordanceReport {
            estimate: c.estimate,
            std_err: c.std_err,
        }),
        iterations: fit.iterations,
        warnings: fit.warnings.iter().map(ToString::to_string).collect(),
    }
}

fn render_table(r: &CoxReport) -> String {
    let mut out = format!(
        "Cox proportional hazards ({} ties): n = {}, events = {}",
        r.ties, r.n, r.events
    );
    if r.n_dropped > 0 {
        out.push_str(&format!(
            " ({} record(s) with a missing covariate left out)",
            r.n_dropped
        ));
    }
    out.push_str("\n\n");
    let level = sig(Some(r.conf_level * 100.0), 6);
    let mut t = TextTable::new(vec![
        "term".to_string(),
        "coef".into(),
        "se(coef)".into(),
        "HR".into(),
        format!("lower .{level}"),
        format!("upper .{level}"),
        "z".into(),
        "p".into(),
    ]);
    for term in &r.terms {
        t.row(vec![
            term.term.clone(),
            sig(Some(term.coef), 4),
            sig(Some(term.se), 4),
            sig(Some(term.hr), 4),
            sig(Some(term.lower), 4),
            sig(Some(term.upper), 4),
            sig(Some(term.z), 4),
            p_value(term.p),
        ]);
    }
    out.push_str(&t.render());
    if let Some(c) = &r.concordance {
        out.push_str(&format!(
            "\nConcordance = {} (se = {})\n",
            sig(Some(c.estimate), 3),
            sig(Some(c.std_err), 3)
        ));
    }
    let line = |name: &str, s: &StatReport| {
        format!(
            "{name} = {} on {} df, p = {}\n",
            sig(Some(s.stat), 4),
            s.df,
            p_value(s.p)
        )
    };
    out.push_str(&line("Likelihood ratio test", &r.tests.lr));
    out.push_str(&line("Wald test            ", &r.tests.wald));
    out.push_str(&line("Score (logrank) test ", &r.tests.score));
    out.push_str(&format!(
        "Log-likelihood: null {}, model {} ({} iterations)\n",
        sig(Some(r.loglik.null), 8),
        sig(Some(r.loglik.model), 8),
        r.iterations
    ));
    for w in &r.warnings {
        out.push_str(&format!("Warning: {w}\n"));
    }
    out
}

fn render_csv(r: &CoxReport) -> String {
    let mut out = String::from("term,coef,se,hr,lower,upper,z,p\n");
    for t in &r.terms {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            crate::km_cmd::csv_field(&t.term),
            t.coef,
            t.se,
            t.hr,
            t.lower,
            t.upper,
            t.z,
            t.p
        ));
    }
    out
}
