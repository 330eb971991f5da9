//! `cox_fit` against R survival 3.5-3 `coxph` + `summary.coxph` (`tests/reference/*/os.json`, field
//! `cox`): every Efron and Breslow fit, every field. `ties = "exact"` entries are skipped (not
//! implemented).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap

mod dataset;

use dataset::{Dataset, json, num};
use rwe_stats::{
    Covariate, CoxFit, CoxOptions, Design, TestWeight, Ties, cox_fit, factor_levels, survdiff,
};
use serde_json::Value;

/// Cox estimates come out of an iteration stopped at a relative log-likelihood change of 1e-9, so
/// they agree with R to about 1e-9 relative only where the two runs take identical steps; 1e-6
/// relative is the house tolerance for iterative fits.
const TOL_COX: f64 = 1e-6;

/// Values R rounds before printing: `summary.coxph` rounds the Wald statistic to 2 decimals.
const WALD_DECIMALS: f64 = 100.0;

#[derive(Default)]
struct Checker {
    checked: usize,
    worst: f64,
    failures: Vec<String>,
}

impl Checker {
    fn close(&mut self, what: &str, got: f64, want: f64) {
        self.checked += 1;
        let rel = (got - want).abs() / want.abs().max(1e-300);
        self.worst = self.worst.max(rel);
        if rel > TOL_COX || got.is_nan() {
            self.failures
                .push(format!("{what}: got {got:e}, R {want:e}"));
        }
    }

    fn exact(&mut self, what: &str, got: f64, want: f64) {
        self.checked += 1;
        if got != want {
            self.failures.push(format!("{what}: got {got}, R {want}"));
        }
    }

    fn compare(&mut self, label: &str, r: &Value, fit: &CoxFit) {
        let at = |v: &Value, what: &str| num(v, &format!("{label} {what}"));
        self.exact(&format!("{label} n"), fit.n as f64, at(&r["n"], "n"));
        self.exact(
            &format!("{label} nevent"),
            fit.events as f64,
            at(&r["nevent"], "nevent"),
        );
        self.exact(
            &format!("{label} iter"),
            fit.iterations as f64,
            at(&r["iter"], "iter"),
        );
        let terms = r["terms"].as_array().unwrap();
        self.exact(
            &format!("{label} terms"),
            fit.terms.len() as f64,
            terms.len() as f64,
        );
        for (t, got) in terms.iter().zip(&fit.terms) {
            let name = t["term"].as_str().unwrap();
            self.checked += 1;
            if got.term != name {
                self.failures
                    .push(format!("{label}: term {} where R has {name}", got.term));
            }
            for (field, value) in [
                ("coef", got.coef),
                ("se", got.se),
                ("hr", got.hr),
                ("hr_lower95", got.lower),
                ("hr_upper95", got.upper),
                ("z", got.z),
                ("p", got.p),
            ] {
                self.close(
                    &format!("{label} {name} {field}"),
                    value,
                    at(&t[field], field),
                );
            }
        }
        self.close(
            &format!("{label} loglik_null"),
            fit.loglik_null,
            at(&r["loglik_null"], "ll0"),
        );
        self.close(
            &format!("{label} loglik_model"),
            fit.loglik_model,
            at(&r["loglik_model"], "ll"),
        );
        for (key, test) in [
            ("lr_test", fit.lr_test),
            ("wald_test", fit.wald_test),
            ("score_test", fit.score_test),
        ] {
            let want = at(&r[key]["stat"], key);
            if key == "wald_test" {
                let rounded = (test.stat * WALD_DECIMALS).round() / WALD_DECIMALS;
                self.close(
                    &format!("{label} {key} stat (rounded as R prints it)"),
                    rounded,
                    want,
                );
            } else {
                self.close(&format!("{label} {key} stat"), test.stat, want);
            }
            self.exact(
                &format!("{label} {key} df"),
                test.df as f64,
                at(&r[key]["df"], key),
            );
            self.close(&format!("{label} {key} p"), test.p, at(&r[key]["p"], key));
        }
        let c = fit.concordance.expect("comparable pairs");
        self.close(
            &format!("{label} concordance"),
            c.estimate,
            at(&r["concordance"], "C"),
        );
        self.close(
            &format!("{label} concordance_se"),
            c.std_err,
            at(&r["concordance_se"], "se"),
        );
        let counts = &r["concordance_counts"];
        for (field, value) in [
            ("concordant", c.concordant),
            ("discordant", c.discordant),
            ("tied.x", c.tied_risk),
            ("tied.y", c.tied_time),
            ("tied.xy", c.tied_both),
        ] {
            self.exact(
                &format!("{label} {field}"),
                value as f64,
                at(&counts[field], field),
            );
        }
        for (i, row) in fit.var.iter().enumerate() {
            for (j, &v) in row.iter().enumerate() {
                self.close(
                    &format!("{label} var[{i}][{j}]"),
                    v,
                    at(&r["var"][i][j], "var"),
                );
            }
        }
    }
}

/// Covariate names of `Surv(time, status) ~ a + b + c`.
fn covariates(formula: &str) -> Vec<&str> {
    let rhs = formula.split_once('~').expect("formula").1;
    rhs.split('+').map(str::trim).collect()
}

/// Fit one reference model: rows complete on the outcome and covariates (R's `na.omit`), numeric
/// columns as numbers, text columns as factors with R's default levels.
fn fit(data: &Dataset, formula: &str, ties: Ties) -> CoxFit {
    let names = covariates(formula);
    let mut needed = vec!["time", "status"];
    needed.extend(&names);
    let rows = data.complete_rows(&needed);
    let (time, event) = data.outcome(&rows);
    let numeric: Vec<Option<Vec<f64>>> = names
        .iter()
        .map(|n| data.is_numeric(n).then(|| data.numbers(n, &rows)))
        .collect();
    let text: Vec<Vec<String>> = names.iter().map(|n| data.text(n, &rows)).collect();
    let labels: Vec<Vec<&str>> = text
        .iter()
        .map(|t| t.iter().map(String::as_str).collect())
        .collect();
    let cols: Vec<Covariate<'_>> = names
        .iter()
        .enumerate()
        .map(|(k, name)| match &numeric[k] {
            Some(v) => Covariate::numeric(name, v),
            None => Covariate::categorical(name, &labels[k]),
        })
        .collect();
    let design = Design::new(&cols).unwrap();
    let options = CoxOptions {
        ties,
        ..CoxOptions::default()
    };
    cox_fit(&time, &event, &design, None, &options)
        .unwrap_or_else(|e| panic!("{}: {formula} ({ties:?}): {e}", data.name))
}

#[test]
fn coxph_matches_r() {
    let mut c = Checker::default();
    let (mut fits, mut skipped) = (0, 0);
    for dataset in ["aml", "lung", "veteran", "ovarian", "colon"] {
        let data = Dataset::load(dataset);
        let reference = json(dataset, "os.json");
        for r in reference["cox"].as_array().unwrap() {
            let formula = r["formula"].as_str().unwrap();
            let ties = match r["ties"].as_str().unwrap() {
                "efron" => Ties::Efron,
                "breslow" => Ties::Breslow,
                "exact" => {
                    skipped += 1;
                    continue;
                }
                other => panic!("{dataset}: unknown ties {other}"),
            };
            assert!(r.get("error").is_none(), "{dataset}: R failed on {formula}");
            let got = fit(&data, formula, ties);
            c.compare(&format!("{dataset} {formula} [{}]", ties.as_str()), r, &got);
            fits += 1;
            assert!(
                got.warnings.is_empty(),
                "{dataset} {formula}: {:?}",
                got.warnings
            );
        }
    }
    assert!(c.failures.is_empty(), "{}", c.failures.join("\n"));
    eprintln!(
        "reference_cox: {fits} fits, {} values checked against R (worst relative difference {:e}); \
         {skipped} ties = \"exact\" fits skipped",
        c.checked, c.worst
    );
    assert_eq!(
        (fits, skipped, c.checked),
        (18, 7, 878),
        "the reference files changed shape"
    );
}

/// With no tied event times the Cox score test with one binary covariate is the log-rank test
/// (ovarian has none; R's `ties = "exact"` score equals the log-rank statistic in every file,
/// Breslow's only here).
#[test]
fn score_test_is_log_rank_without_ties() {
    let data = Dataset::load("ovarian");
    let rows = data.complete_rows(&["time", "status", "rx"]);
    let (time, event) = data.outcome(&rows);
    let labels = data.text("rx", &rows);
    let levels = factor_levels(&labels);
    let group: Vec<u32> = labels
        .iter()
        .map(|l| levels.iter().position(|v| v == l).unwrap() as u32)
        .collect();
    let lr = survdiff(&time, &event, &group, None, TestWeight::LogRank).unwrap();
    let cox = fit(&data, "Surv(time, status) ~ rx", Ties::Breslow);
    let reference = json("ovarian", "os.json");
    let r_chisq = num(&reference["logrank"]["logrank_rho0"]["chisq"], "chisq");
    // Both sides are closed forms at β = 0: 1e-9 relative.
    assert!((lr.chisq - cox.score_test.stat).abs() <= 1e-9 * r_chisq);
    assert!((lr.chisq - r_chisq).abs() <= 1e-9 * r_chisq);
}
