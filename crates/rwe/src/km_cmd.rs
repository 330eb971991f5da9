//! `rwe km`: Kaplan-Meier curves with quantiles, survival at times, RMST and tests between groups.

use anyhow::{Context, Result};
use rwe_stats::{
    BeyondLastTime, ConfType, Confidence, Convention, GroupCounts, GroupTest, KaplanMeier,
    QuantileRule, TestWeight, survdiff_counts,
};

use crate::cli::{KmArgs, OutputFormat};
use crate::console::{TextTable, p_value, sig};
use crate::km_report::{
    AtReport, ChiSquareReport, CurveReport, FhReport, KmReport, KmRowReport, QuantileReport,
    RmstReport, TestsReport,
};
use crate::survival_input::{CountedSurvival, SurvivalColumns, count_survival};
use crate::{Failure, input_failure};

/// Run `rwe km` and return what to print.
pub fn run(args: &KmArgs) -> Result<String, Failure> {
    let convention: Convention = args
        .convention
        .parse()
        .map_err(|e| Failure::usage(format!("--convention: {e}")))?;
    let conf_type: ConfType = match &args.conf_type {
        Some(s) => s
            .parse()
            .map_err(|e| Failure::usage(format!("--conf-type: {e}")))?,
        None => convention.default_conf_type(),
    };
    let conf = Confidence::new(conf_type, args.conf_level).map_err(|_| {
        Failure::usage(format!(
            "--conf-level: found {}, expected a number in (0, 1)",
            args.conf_level
        ))
    })?;
    if let Some(p) = args.quantiles.iter().find(|p| !(**p > 0.0 && **p < 1.0)) {
        return Err(Failure::usage(format!(
            "--quantiles: found {p}, expected probabilities in (0, 1)"
        )));
    }
    if let Some(t) = args.at.iter().find(|t| !t.is_finite() || **t < 0.0) {
        return Err(Failure::usage(format!(
            "--at: found {t}, expected times ≥ 0"
        )));
    }
    let fh = match args.fh.as_deref() {
        None => None,
        Some([rho, gamma]) if *rho >= 0.0 && *gamma >= 0.0 => Some((*rho, *gamma)),
        Some(other) => {
            return Err(Failure::usage(format!(
                "--fh: found {} value(s), expected RHO,GAMMA with both ≥ 0",
                other.len()
            )));
        }
    };
    if let Some(tau) = args.rmst
        && !(tau.is_finite() && tau > 0.0)
    {
        return Err(Failure::usage(format!(
            "--rmst: found {tau}, expected a time > 0"
        )));
    }
    let cols = SurvivalColumns {
        time: &args.surv.time,
        event: &args.surv.event,
        max_event_code: Some(1),
        group: args.group.as_deref(),
        strata: args.strata.as_deref(),
        extra: &[],
    };
    let input = count_survival(&args.surv.file, &cols).map_err(input_failure)?;
    let report = compute(&input, args, convention, conf, fh)
        .map_err(|e| Failure::usage(format!("{e:#}")))?;
    Ok(match args.format {
        OutputFormat::Json => serde_json::to_string_pretty(&report)
            .map(|s| s + "\n")
            .unwrap_or_default(),
        OutputFormat::Table => render_table(&report),
        OutputFormat::Csv => render_csv(&report),
    })
}

fn compute(
    input: &CountedSurvival,
    args: &KmArgs,
    convention: Convention,
    conf: Confidence,
    fh: Option<(f64, f64)>,
) -> Result<KmReport> {
    // Counted by stratum when --strata is given; the curves and the unstratified tests add the
    // strata together.
    let stratified = input.strata.as_ref().map(|_| &input.counts);
    let collapsed;
    let counts = if stratified.is_some() {
        collapsed = input.counts.without_strata();
        &collapsed
    } else {
        &input.counts
    };
    let overall = KaplanMeier::from_counts(&counts.pooled());
    let mut curves = vec![curve(None, &overall, args, convention, conf)?];
    let mut tests = None;
    if let Some(levels) = &input.group {
        for (g, label) in levels.iter().enumerate() {
            let fit = counts
                .group(g)
                .map(|c| KaplanMeier::from_counts(&c))
                .with_context(|| format!("group {label}: no records"))?;
            curves.push(curve(Some(label.clone()), &fit, args, convention, conf)?);
        }
        if levels.len() >= 2 {
            let unstratified = group_tests(counts, fh)?;
            let stratified = match stratified {
                Some(by_stratum) => Some(Box::new(group_tests(by_stratum, fh)?)),
                None => None,
            };
            tests = Some(TestsReport {
                stratified,
                ..unstratified
            });
        }
    }
    Ok(KmReport {
        conf_type: conf.conf_type().as_str().to_string(),
        conf_level: conf.level(),
        convention: convention.as_str().to_string(),
        curves,
        tests,
    })
}

fn curve(
    group: Option<String>,
    fit: &KaplanMeier,
    args: &KmArgs,
    convention: Convention,
    conf: Confidence,
) -> Result<CurveReport> {
    let bounds = fit.pointwise_ci(conf);
    let table = fit
        .rows()
        .iter()
        .zip(&bounds)
        .map(|(r, b)| KmRowReport {
            time: r.time,
            n_risk: r.n_risk,
            n_event: r.n_event,
            n_censor: r.n_censor,
            surv: r.surv,
            std_err: r.std_err,
            lower: b.lower,
            upper: b.upper,
            cumhaz: r.cumhaz,
            std_chaz: Some(r.std_chaz),
        })
        .collect();
    let quantiles = fit
        .quantiles(&args.quantiles, conf, QuantileRule::from(convention))?
        .into_iter()
        .map(|q| QuantileReport {
            p: q.p,
            time: q.time,
            lower: q.lower,
            upper: q.upper,
        })
        .collect();
    let mut at_times = args.at.clone();
    at_times.sort_by(f64::total_cmp);
    at_times.dedup();
    let at = fit
        .survival_at(&at_times, conf, BeyondLastTime::from(convention))?
        .into_iter()
        .map(|a| AtReport {
            time: a.time,
            n_risk: a.n_risk,
            n_event: a.n_event,
            n_censor: a.n_censor,
            surv: a.surv,
            std_err: a.std_err,
            lower: a.lower,
            upper: a.upper,
        })
        .collect();
    let rmst = match args.rmst {
        Some(tau) => {
            let r = fit.rmst(tau)?;
            Some(RmstReport {
                tau: r.tau,
                estimate: r.estimate,
                std_err: r.std_err,
            })
        }
        None => None,
    };
    Ok(CurveReport {
        group,
        n: usize::try_from(fit.n()).unwrap_or(usize::MAX),
        events: usize::try_from(fit.events()).unwrap_or(usize::MAX),
        table,
        quantiles,
        at,
        rmst,
    })
}

fn group_tests(counts: &GroupCounts, fh: Option<(f64, f64)>) -> Result<TestsReport> {
    let one = |w: TestWeight| -> Result<GroupTest> { Ok(survdiff_counts(counts, w)?) };
    let chi = |t: GroupTest| ChiSquareReport {
        chisq: t.chisq,
        df: t.df as f64,
        p: t.p,
    };
    let fleming_harrington = match fh {
        Some((rho, gamma)) => {
            let t = one(TestWeight::FlemingHarrington { rho, gamma })?;
            Some(FhReport {
                rho,
                gamma,
                chisq: t.chisq,
                df: t.df as f64,
                p: t.p,
            })
        }
        None => None,
    };
    Ok(TestsReport {
        logrank: Some(chi(one(TestWeight::LogRank)?)),
        gehan: Some(chi(one(TestWeight::Gehan)?)),
        peto: Some(chi(one(TestWeight::PetoPeto)?)),
        fleming_harrington,
        stratified: None,
    })
}

fn render_table(r: &KmReport) -> String {
    let mut out = format!(
        "Kaplan-Meier estimates ({} CI, {}% level, {} convention)\n",
        r.conf_type,
        sig(Some(r.conf_level * 100.0), 6),
        r.convention
    );
    for c in &r.curves {
        let title = c
            .group
            .as_deref()
            .map_or_else(|| "All records".to_string(), |g| format!("Group {g}"));
        out.push_str(&format!("\n{title}: n = {}, events = {}\n", c.n, c.events));
        let mut t = TextTable::new([
            "time", "n.risk", "n.event", "n.censor", "survival", "std.err", "lower", "upper",
        ]);
        for row in &c.table {
            t.row(vec![
                sig(Some(row.time), 6),
                row.n_risk.to_string(),
                row.n_event.to_string(),
                row.n_censor.to_string(),
                sig(Some(row.surv), 4),
                sig(row.std_err, 4),
                sig(row.lower, 4),
                sig(row.upper, 4),
            ]);
        }
        out.push_str(&t.render());
        if !c.quantiles.is_empty() {
            out.push('\n');
            let mut q = TextTable::new(["p", "time", "lower", "upper"]);
            for x in &c.quantiles {
                q.row(vec![
                    sig(Some(x.p), 4),
                    sig(x.time, 6),
                    sig(x.lower, 6),
                    sig(x.upper, 6),
                ]);
            }
            out.push_str(&q.render());
        }
        if !c.at.is_empty() {
            out.push('\n');
            let mut a = TextTable::new(["at", "n.risk", "survival", "std.err", "lower", "upper"]);
            for x in &c.at {
                a.row(vec![
                    sig(Some(x.time), 6),
                    x.n_risk.to_string(),
                    sig(x.surv, 4),
                    sig(x.std_err, 4),
                    sig(x.lower, 4),
                    sig(x.upper, 4),
                ]);
            }
            out.push_str(&a.render());
        }
        if let Some(m) = &c.rmst {
            out.push_str(&format!(
                "\nRMST to {}: {} (std.err {})\n",
                sig(Some(m.tau), 6),
                sig(Some(m.estimate), 6),
                sig(Some(m.std_err), 4)
            ));
        }
    }
    if let Some(tests) = &r.tests {
        out.push('\n');
        out.push_str(&tests_table(tests, ""));
        if let Some(s) = &tests.stratified {
            out.push('\n');
            out.push_str(&tests_table(s, "stratified "));
        }
    }
    out
}

fn tests_table(t: &TestsReport, prefix: &str) -> String {
    let mut table = TextTable::new(["test", "chisq", "df", "p"]);
    let mut add = |name: String, c: &ChiSquareReport| {
        table.row(vec![
            name,
            sig(Some(c.chisq), 5),
            sig(Some(c.df), 3),
            p_value(c.p),
        ]);
    };
    if let Some(c) = &t.logrank {
        add(format!("{prefix}log-rank"), c);
    }
    if let Some(c) = &t.gehan {
        add(format!("{prefix}Gehan-Wilcoxon"), c);
    }
    if let Some(c) = &t.peto {
        add(format!("{prefix}Peto-Peto"), c);
    }
    if let Some(f) = &t.fleming_harrington {
        let c = ChiSquareReport {
            chisq: f.chisq,
            df: f.df,
            p: f.p,
        };
        add(
            format!(
                "{prefix}Fleming-Harrington({}, {})",
                sig(Some(f.rho), 4),
                sig(Some(f.gamma), 4)
            ),
            &c,
        );
    }
    table.render()
}

fn render_csv(r: &KmReport) -> String {
    let num = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    let mut out = String::from(
        "group,time,n_risk,n_event,n_censor,surv,std_err,lower,upper,cumhaz,std_chaz\n",
    );
    for c in &r.curves {
        let g = c.group.as_deref().map(csv_field).unwrap_or_default();
        for row in &c.table {
            out.push_str(&format!(
                "{g},{},{},{},{},{},{},{},{},{},{}\n",
                row.time,
                row.n_risk,
                row.n_event,
                row.n_censor,
                row.surv,
                num(row.std_err),
                num(row.lower),
                num(row.upper),
                row.cumhaz,
                num(row.std_chaz)
            ));
        }
    }
    out
}

/// Quote a CSV field when it needs it.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
