//! `survdiff` against R survival 3.5-3 (`tests/reference/*/os*.json`, field `logrank`):
//! log-rank (`rho = 0`) and Peto-Peto (`rho = 1`), unstratified and stratified, every output field.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap

mod dataset;

use dataset::{Dataset, json, num};
use rwe_stats::{GroupTest, TestWeight, factor_levels, survdiff};
use serde_json::Value;

/// The tests are sums of a few hundred rational terms and one small solve: R and this crate agree
/// to about 1e-14; 1e-9 relative leaves room for summation order and still catches any real error.
const TOL: f64 = 1e-9;

struct Checker {
    checked: usize,
    failures: Vec<String>,
}

impl Checker {
    fn close(&mut self, what: &str, got: f64, want: f64) {
        self.checked += 1;
        let ok = (got - want).abs() <= TOL * want.abs().max(1e-300);
        if !ok {
            self.failures
                .push(format!("{what}: got {got:e}, R {want:e}"));
        }
    }

    fn equal(&mut self, what: &str, got: usize, want: f64) {
        self.checked += 1;
        if got as f64 != want {
            self.failures.push(format!("{what}: got {got}, R {want}"));
        }
    }

    /// Compare one `SD` block (chisq, df, p, n, obs, exp, var) with a computed test.
    fn compare(&mut self, label: &str, r: &Value, got: &GroupTest) {
        self.close(
            &format!("{label} chisq"),
            got.chisq,
            num(&r["chisq"], label),
        );
        self.equal(&format!("{label} df"), got.df, num(&r["df"], label));
        self.close(&format!("{label} p"), got.p, num(&r["p"], label));
        let groups = r["groups"].as_array().unwrap();
        for (g, name) in groups.iter().enumerate() {
            let name = name.as_str().unwrap();
            let at = |field: &str| num(&r[field][g], &format!("{label} {field}"));
            self.equal(&format!("{label} {name} n"), got.n[g], at("n"));
            self.close(&format!("{label} {name} obs"), got.obs[g], at("obs"));
            self.close(&format!("{label} {name} exp"), got.exp[g], at("exp"));
            for h in 0..groups.len() {
                let want = num(&r["var"][g][h], label);
                self.close(
                    &format!("{label} {name} var[{g}][{h}]"),
                    got.var[g][h],
                    want,
                );
            }
        }
    }
}

/// Dense group indices in the order of R's `groups` (`"sex=1"`, …).
fn group_index(r: &Value, labels: &[String]) -> Vec<u32> {
    let names: Vec<&str> = r["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_str().unwrap().split_once('=').unwrap().1)
        .collect();
    labels
        .iter()
        .map(|l| names.iter().position(|n| n == l).unwrap() as u32)
        .collect()
}

fn check_file(c: &mut Checker, dataset: &str, file: &str) {
    let data = Dataset::load(dataset);
    let reference = json(dataset, file);
    let lr = &reference["logrank"];
    let group_var = lr["group_var"].as_str().unwrap();
    let tests = [
        ("logrank_rho0", TestWeight::LogRank),
        ("peto_rho1", TestWeight::PetoPeto),
    ];

    let rows = data.complete_rows(&["time", "status", group_var]);
    let (time, event) = data.outcome(&rows);
    let group = group_index(&lr["logrank_rho0"], &data.text(group_var, &rows));
    for (key, weight) in tests {
        let got = survdiff(&time, &event, &group, None, weight).unwrap();
        c.compare(&format!("{dataset}/{file} {key}"), &lr[key], &got);
    }

    let Some(st) = lr.get("stratified").filter(|v| !v.is_null()) else {
        return;
    };
    let stratum_var = st["stratum_var"].as_str().unwrap();
    let rows = data.complete_rows(&["time", "status", group_var, stratum_var]);
    c.equal(
        &format!("{dataset}/{file} stratified n_used"),
        rows.len(),
        num(&st["n_used"], "n_used"),
    );
    let (time, event) = data.outcome(&rows);
    let group = group_index(&st["logrank_rho0"], &data.text(group_var, &rows));
    let labels = data.text(stratum_var, &rows);
    let levels = factor_levels(&labels);
    let strata: Vec<u32> = labels
        .iter()
        .map(|l| levels.iter().position(|v| v == l).unwrap() as u32)
        .collect();
    for (key, weight) in tests {
        let got = survdiff(&time, &event, &group, Some(&strata), weight).unwrap();
        c.compare(
            &format!("{dataset}/{file} stratified {key}"),
            &st[key],
            &got,
        );
    }
}

#[test]
fn survdiff_matches_r() {
    let mut c = Checker {
        checked: 0,
        failures: Vec::new(),
    };
    for (dataset, file) in [
        ("aml", "os.json"),
        ("lung", "os.json"),
        ("veteran", "os.json"),
        ("veteran", "os_by_celltype.json"),
        ("ovarian", "os.json"),
        ("colon", "os.json"),
    ] {
        check_file(&mut c, dataset, file);
    }
    assert!(c.failures.is_empty(), "{}", c.failures.join("\n"));
    eprintln!("reference_logrank: {} values checked against R", c.checked);
    // Each test with k groups checks 3 + k (3 + k) values: chisq, df, p; n, obs, exp and a row of
    // var per group. aml 2 tests (k = 2), lung, veteran, ovarian 4 each (k = 2), veteran by
    // celltype 2 (k = 4), colon 4 (k = 3): 26 + 3·52 + 62 + 84 = 328, plus 4 stratified n_used.
    assert_eq!(c.checked, 332, "the reference files changed shape");
}
