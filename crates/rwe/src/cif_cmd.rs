//! `rwe cif`: cumulative incidence of competing risks (Aalen-Johansen) and Gray's test between groups.

use rwe_stats::{
    CifOptions, ConfType, CumulativeIncidence, State, cumulative_incidence,
    cumulative_incidence_by_group, gray_test,
};
use serde::Serialize;

use crate::cli::{CifArgs, OutputFormat};
use crate::console::{TextTable, p_value, sig};
use crate::survival_input::{SurvivalColumns, read_survival};
use crate::{Failure, input_failure};

#[derive(Debug, Serialize)]
struct CifReport {
    conf_type: &'static str,
    conf_level: f64,
    curves: Vec<CurveReport>,
    tests: Option<TestsReport>,
}

#[derive(Debug, Serialize)]
struct CurveReport {
    group: Option<String>,
    n: u64,
    causes: Vec<CauseReport>,
}

#[derive(Debug, Serialize)]
struct CauseReport {
    cause: String,
    table: Vec<RowReport>,
    at: Vec<AtReport>,
}

#[derive(Debug, Serialize)]
struct RowReport {
    time: f64,
    n_risk: u64,
    n_event: u64,
    n_censor: u64,
    estimate: f64,
    std_err: f64,
    lower: Option<f64>,
    upper: Option<f64>,
}

#[derive(Debug, Serialize)]
struct AtReport {
    time: f64,
    n_risk: u64,
    estimate: Option<f64>,
    std_err: Option<f64>,
    lower: Option<f64>,
    upper: Option<f64>,
}

#[derive(Debug, Serialize)]
struct TestsReport {
    gray: Vec<GrayReport>,
}

#[derive(Debug, Serialize)]
struct GrayReport {
    cause: String,
    stat: Option<f64>,
    df: u32,
    p: Option<f64>,
}

/// Run `rwe cif` and return what to print.
pub fn run(args: &CifArgs) -> Result<String, Failure> {
    let conf_type: ConfType = args
        .conf_type
        .parse()
        .map_err(|e| Failure::usage(format!("--conf-type: {e}")))?;
    if !(args.conf_level > 0.0 && args.conf_level < 1.0) {
        return Err(Failure::usage(format!(
            "--conf-level: found {}, expected a number in (0, 1)",
            args.conf_level
        )));
    }
    if let Some(t) = args.at.iter().find(|t| !t.is_finite() || **t < 0.0) {
        return Err(Failure::usage(format!(
            "--at: found {t}, expected times ≥ 0"
        )));
    }
    let cols = SurvivalColumns {
        time: &args.surv.time,
        event: &args.surv.event,
        max_event_code: None,
        group: args.group.as_deref(),
        strata: None,
        extra: &[],
    };
    let input = read_survival(&args.surv.file, &cols).map_err(input_failure)?;
    let time = input.time.to_f64();
    let options = CifOptions {
        conf_type,
        conf_level: args.conf_level,
        causes: None,
    };
    let fail = |e: rwe_stats::CifError| Failure::usage(e.to_string());
    let mut at = args.at.clone();
    at.sort_by(f64::total_cmp);
    at.dedup();
    let mut curves = vec![curve(
        None,
        &cumulative_incidence(&time, &input.event, &options).map_err(fail)?,
        &at,
    )?];
    let mut tests = None;
    if let Some(group) = &input.group {
        // Every group reports every cause seen in the whole data, so tables line up.
        let mut all: Vec<u32> = input.event.iter().copied().filter(|&c| c > 0).collect();
        all.sort_unstable();
        all.dedup();
        let options = CifOptions {
            causes: Some(all),
            ..options
        };
        for (g, fit) in cumulative_incidence_by_group(&time, &input.event, &group.index, &options)
            .map_err(fail)?
        {
            curves.push(curve(Some(group.levels[g as usize].clone()), &fit, &at)?);
        }
        if group.levels.len() >= 2 {
            let gray = gray_test(&time, &input.event, &group.index, 0.0).map_err(fail)?;
            tests = Some(TestsReport {
                gray: gray
                    .into_iter()
                    .map(|t| GrayReport {
                        cause: t.cause.to_string(),
                        stat: t.stat,
                        df: t.df,
                        p: t.p,
                    })
                    .collect(),
            });
        }
    }
    let report = CifReport {
        conf_type: conf_type.as_str(),
        conf_level: args.conf_level,
        curves,
        tests,
    };
    Ok(match args.format {
        OutputFormat::Json => serde_json::to_string_pretty(&report)
            .map(|s| s + "\n")
            .unwrap_or_default(),
        OutputFormat::Table => render_table(&report),
        OutputFormat::Csv => render_csv(&report),
    })
}

fn curve(
    group: Option<String>,
    fit: &CumulativeIncidence,
    at: &[f64],
) -> Result<CurveReport, Failure> {
    let causes = fit
        .causes
        .iter()
        .map(|c| {
            let cause = match c.state {
                State::Cause(k) => k.to_string(),
                State::EventFree => "0".to_string(),
            };
            let table = c
                .table
                .iter()
                .map(|r| RowReport {
                    time: r.time,
                    n_risk: r.n_risk,
                    n_event: r.n_event,
                    n_censor: r.n_censor,
                    estimate: r.estimate,
                    std_err: r.std_err,
                    lower: r.lower,
                    upper: r.upper,
                })
                .collect();
            let at = c
                .at(at, true)
                .map_err(|e| Failure::usage(e.to_string()))?
                .into_iter()
                .map(|a| AtReport {
                    time: a.time,
                    n_risk: a.n_risk,
                    estimate: a.estimate,
                    std_err: a.std_err,
                    lower: a.lower,
                    upper: a.upper,
                })
                .collect();
            Ok(CauseReport { cause, table, at })
        })
        .collect::<Result<_, Failure>>()?;
    Ok(CurveReport {
        group,
        n: fit.n,
        causes,
    })
}

fn render_table(r: &CifReport) -> String {
    let mut out = format!(
        "Cumulative incidence, Aalen-Johansen ({} CI, {}% level)\n",
        r.conf_type,
        sig(Some(r.conf_level * 100.0), 6)
    );
    for c in &r.curves {
        let title = c
            .group
            .as_deref()
            .map_or_else(|| "All records".to_string(), |g| format!("Group {g}"));
        for cause in &c.causes {
            out.push_str(&format!("\n{title}, cause {}: n = {}\n", cause.cause, c.n));
            let mut t = TextTable::new([
                "time", "n.risk", "n.event", "n.censor", "estimate", "std.err", "lower", "upper",
            ]);
            for row in &cause.table {
                t.row(vec![
                    sig(Some(row.time), 6),
                    row.n_risk.to_string(),
                    row.n_event.to_string(),
                    row.n_censor.to_string(),
                    sig(Some(row.estimate), 4),
                    sig(Some(row.std_err), 4),
                    sig(row.lower, 4),
                    sig(row.upper, 4),
                ]);
            }
            out.push_str(&t.render());
            if !cause.at.is_empty() {
                out.push('\n');
                let mut a =
                    TextTable::new(["at", "n.risk", "estimate", "std.err", "lower", "upper"]);
                for x in &cause.at {
                    a.row(vec![
                        sig(Some(x.time), 6),
                        x.n_risk.to_string(),
                        sig(x.estimate, 4),
                        sig(x.std_err, 4),
                        sig(x.lower, 4),
                        sig(x.upper, 4),
                    ]);
                }
                out.push_str(&a.render());
            }
        }
    }
    if let Some(tests) = &r.tests {
        out.push_str("\nGray's test\n");
        let mut t = TextTable::new(["cause", "stat", "df", "p"]);
        for g in &tests.gray {
            t.row(vec![
                g.cause.clone(),
                sig(g.stat, 5),
                g.df.to_string(),
                g.p.map_or_else(|| "NA".to_string(), p_value),
            ]);
        }
        out.push_str(&t.render());
    }
    out
}

fn render_csv(r: &CifReport) -> String {
    let num = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    let mut out =
        String::from("group,cause,time,n_risk,n_event,n_censor,estimate,std_err,lower,upper\n");
    for c in &r.curves {
        let g = c
            .group
            .as_deref()
            .map(crate::km_cmd::csv_field)
            .unwrap_or_default();
        for cause in &c.causes {
            for row in &cause.table {
                out.push_str(&format!(
                    "{g},{},{},{},{},{},{},{},{},{}\n",
                    cause.cause,
                    row.time,
                    row.n_risk,
                    row.n_event,
                    row.n_censor,
                    row.estimate,
                    row.std_err,
                    num(row.lower),
                    num(row.upper)
                ));
            }
        }
    }
    out
}
