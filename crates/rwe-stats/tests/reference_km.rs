//! Kaplan-Meier, pointwise CIs, quantiles, landmarks and RMST against R survival 3.5-3.
//!
//! Expected values: `tests/reference/<dataset>/os*.json` (written by `scripts/make_reference.R`) and
//! `tests/reference/edge_cases/r.json` (`scripts/edge_cases.R`); see `tests/reference/README.md` for
//! the fields. Every KM object (overall and every group) is walked: every table row and field, every
//! quantile and CI under all five transforms, the print median, landmarks with `extend = FALSE` and
//! `TRUE`, and the restricted means. Failures are collected and reported with dataset, group, time and
//! field.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap

use std::collections::BTreeMap;
use std::fmt::Display;
use std::path::PathBuf;

use rwe_stats::{BeyondLastTime, ConfType, Confidence, KaplanMeier, QuantileRule, StatsError};
use serde_json::Value;

/// Closed-form quantities computed in a different order than R: a relative difference of 1e-9 is
/// far above rounding (about 1e-15) and far below the printed precision. Values within 1e-13 of each
/// other count as equal near zero (e.g. a clipped lower limit of exactly 0).
const REL_TOL: f64 = 1e-9;
const ABS_TOL: f64 = 1e-13;

/// Numbers of reference values compared (pinned so that a check silently skipped is noticed).
const EXPECTED_CHECKS: usize = 62_732;
const EDGE_CASE_CHECKS: usize = 810;

const DATASETS: [&str; 6] = [
    "aml/os.json",
    "lung/os.json",
    "veteran/os.json",
    "veteran/os_by_celltype.json",
    "ovarian/os.json",
    "colon/os.json",
];

/// (JSON name in `conf_types` / quantile keys, column suffix in tables, transform)
const CONF_TYPES: [(&str, &str, ConfType); 5] = [
    ("plain", "plain", ConfType::Plain),
    ("log", "log", ConfType::Log),
    ("log-log", "loglog", ConfType::LogLog),
    ("logit", "logit", ConfType::Logit),
    ("arcsin", "arcsin", ConfType::Arcsine),
];

fn reference_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference")
}

fn read_json(rel: &str) -> Value {
    let path = reference_dir().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A tiny reader for R's `write.csv` output: quoted header and strings, no embedded commas,
/// `NA` written as an empty field.
fn read_csv(rel: &str) -> Vec<BTreeMap<String, String>> {
    let path = reference_dir().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let split = |line: &str| -> Vec<String> {
        line.split(',')
            .map(|f| f.trim().trim_matches('"').to_string())
            .collect()
    };
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header = split(lines.next().expect("header"));
    lines
        .map(|l| header.iter().cloned().zip(split(l)).collect())
        .collect()
}

fn fit(rows: &[&BTreeMap<String, String>]) -> KaplanMeier {
    let time: Vec<f64> = rows.iter().map(|r| r["time"].parse().unwrap()).collect();
    let event: Vec<bool> = rows.iter().map(|r| r["status"] == "1").collect();
    KaplanMeier::fit(&time, &event).unwrap()
}

fn conf(t: ConfType) -> Confidence {
    Confidence::new(t, 0.95).unwrap()
}

fn num(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// Collects comparisons; reports every failure at the end.
#[derive(Default)]
struct Checker {
    checked: usize,
    failures: Vec<String>,
}

impl Checker {
    fn close(a: f64, b: f64) -> bool {
        let d = (a - b).abs();
        d <= ABS_TOL || d <= REL_TOL * a.abs().max(b.abs())
    }

    /// Compares an optional number with a JSON number or null.
    fn opt(&mut self, place: &dyn Display, field: &str, found: Option<f64>, expected: &Value) {
        self.checked += 1;
        let ok = match (found, num(expected)) {
            (None, None) => expected.is_null(),
            (Some(a), Some(b)) => Self::close(a, b),
            _ => false,
        };
        if !ok {
            self.failures.push(format!(
                "{place} field {field}: expected {expected}, found {found:?}"
            ));
        }
    }

    fn val(&mut self, place: &dyn Display, field: &str, found: f64, expected: &Value) {
        self.opt(place, field, Some(found), expected);
    }

    fn count(&mut self, place: &dyn Display, field: &str, found: u64, expected: &Value) {
        self.checked += 1;
        if expected.as_u64() != Some(found) {
            self.failures.push(format!(
                "{place} field {field}: expected {expected}, found {found}"
            ));
        }
    }

    fn len(&mut self, place: &dyn Display, field: &str, found: usize, expected: usize) {
        self.checked += 1;
        if found != expected {
            self.failures.push(format!(
                "{place} field {field}: expected {expected} rows, found {found}"
            ));
        }
    }

    fn finish(self, what: &str, expected_checks: usize) {
        eprintln!("{what}: {} reference values checked", self.checked);
        if !self.failures.is_empty() {
            let shown: Vec<&String> = self.failures.iter().take(60).collect();
            panic!(
                "{} of {} reference values differ:\n{}",
                self.failures.len(),
                self.checked,
                shown
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
        assert_eq!(
            self.checked, expected_checks,
            "{what}: number of values checked"
        );
    }
}

struct Place<'a> {
    dataset: &'a str,
    group: &'a str,
    what: String,
}

impl Display for Place<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "dataset {} group {} {}",
            self.dataset, self.group, self.what
        )
    }
}

fn check_km(c: &mut Checker, dataset: &str, group: &str, km: &KaplanMeier, r: &Value) {
    let place = |what: String| Place {
        dataset,
        group,
        what,
    };
    let top = place("summary".into());
    c.count(&top, "n", km.n(), &r["n"]);
    c.count(&top, "n_event", km.events(), &r["n_event"]);
    c.val(&top, "max_time", km.max_time(), &r["max_time"]);
    c.opt(
        &top,
        "last_event_time",
        km.last_event_time(),
        &r["last_event_time"],
    );

    // The table: every row, every field, every transform.
    let table = r["table"].as_array().expect("table");
    c.len(&top, "table", km.rows().len(), table.len());
    let bands: Vec<_> = CONF_TYPES
        .iter()
        .map(|&(_, suffix, t)| (suffix, km.pointwise_ci(conf(t))))
        .collect();
    for (k, (row, exp)) in km.rows().iter().zip(table).enumerate() {
        let p = place(format!("time {}", row.time));
        c.val(&p, "time", row.time, &exp["time"]);
        c.count(&p, "n_risk", row.n_risk, &exp["n_risk"]);
        c.count(&p, "n_event", row.n_event, &exp["n_event"]);
        c.count(&p, "n_censor", row.n_censor, &exp["n_censor"]);
        c.val(&p, "surv", row.surv, &exp["surv"]);
        c.opt(&p, "std_err_R", row.std_err_log, &exp["std_err_R"]);
        c.opt(&p, "se_surv", row.std_err, &exp["se_surv"]);
        c.val(&p, "cumhaz", row.cumhaz, &exp["cumhaz"]);
        c.val(&p, "std_chaz", row.std_chaz, &exp["std_chaz"]);
        for (suffix, band) in &bands {
            c.opt(
                &p,
                &format!("lower_{suffix}"),
                band[k].lower,
                &exp[format!("lower_{suffix}")],
            );
            c.opt(
                &p,
                &format!("upper_{suffix}"),
                band[k].upper,
                &exp[format!("upper_{suffix}")],
            );
        }
    }

    // Quantiles (quantile.survfit) and the print median (survmean), every transform.
    for &(name, _, t) in &CONF_TYPES {
        let expected = r["quantiles"][name].as_array().expect("quantiles");
        let probs: Vec<f64> = expected
            .iter()
            .map(|q| q["prob"].as_f64().unwrap())
            .collect();
        let got = km
            .quantiles(&probs, conf(t), QuantileRule::RQuantile)
            .unwrap();
        for (q, e) in got.iter().zip(expected) {
            let p = place(format!("quantile conf_type {name} prob {}", q.p));
            c.opt(&p, "quantile", q.time, &e["quantile"]);
            c.opt(&p, "lower", q.lower, &e["lower"]);
            c.opt(&p, "upper", q.upper, &e["upper"]);
        }
        let m = km.quantile(0.5, conf(t), QuantileRule::RPrint).unwrap();
        let e = &r["print_median"][name];
        let p = place(format!("print_median conf_type {name}"));
        c.opt(&p, "median", m.time, &e["median"]);
        c.opt(&p, "lower", m.lower, &e["lower"]);
        c.opt(&p, "upper", m.upper, &e["upper"]);
    }

    // summary(fit)$table of the log fit: median by survmean, rmean to the last observed time.
    let pt = &r["print_table"];
    let p = place("print_table".into());
    c.count(&p, "records", km.n(), &pt["records"]);
    c.count(&p, "n.start", km.rows()[0].n_risk, &pt["n.start"]);
    c.count(&p, "events", km.events(), &pt["events"]);
    let m = km
        .quantile(0.5, conf(ConfType::Log), QuantileRule::RPrint)
        .unwrap();
    c.opt(&p, "median", m.time, &pt["median"]);
    c.opt(&p, "0.95LCL", m.lower, &pt["0.95LCL"]);
    c.opt(&p, "0.95UCL", m.upper, &pt["0.95UCL"]);
    let rm = km.rmst(km.max_time()).unwrap();
    c.val(&p, "rmean", rm.estimate, &pt["rmean"]);
    c.val(&p, "se(rmean)", rm.std_err, &pt["se(rmean)"]);

    // Landmarks: summary(fit, times = landmarks_requested, extend = FALSE / TRUE).
    let requested: Vec<f64> = r["landmarks_requested"]
        .as_array()
        .expect("landmarks_requested")
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    for (ext, beyond) in [
        ("extend_false", BeyondLastTime::Drop),
        ("extend_true", BeyondLastTime::CarryForward),
    ] {
        for &(name, _, t) in &CONF_TYPES {
            let expected = r["landmarks"][ext][name].as_array().expect("landmarks");
            let got = km.survival_at(&requested, conf(t), beyond).unwrap();
            c.len(
                &place(format!("landmarks {ext} {name}")),
                "rows",
                got.len(),
                expected.len(),
            );
            for (a, e) in got.iter().zip(expected) {
                let p = place(format!("landmark {ext} conf_type {name} time {}", a.time));
                c.val(&p, "time", a.time, &e["time"]);
                c.count(&p, "n_risk", a.n_risk, &e["n_risk"]);
                c.count(&p, "n_event", a.n_event, &e["n_event"]);
                c.count(&p, "n_censor", a.n_censor, &e["n_censor"]);
                c.opt(&p, "surv", a.surv, &e["surv"]);
                c.opt(&p, "se_surv", a.std_err, &e["se_surv"]);
                c.opt(&p, "lower", a.lower, &e["lower"]);
                c.opt(&p, "upper", a.upper, &e["upper"]);
            }
        }
    }

    // Restricted means: summary(fit, rmean = tau).
    for e in r["rmean"].as_array().expect("rmean") {
        let tau = e["tau"].as_f64().unwrap();
        let rm = km.rmst(tau).unwrap();
        let p = place(format!("rmean tau {tau}"));
        c.val(&p, "rmean", rm.estimate, &e["rmean"]);
        c.val(&p, "se_rmean", rm.std_err, &e["se_rmean"]);
    }
}

/// Every KM object of every dataset: (dataset, group label, fit, reference object).
fn all_curves() -> Vec<(String, String, KaplanMeier, Value)> {
    let mut out = Vec::new();
    for file in DATASETS {
        let json = read_json(file);
        let dir = file.split('/').next().expect("dataset dir");
        let data = read_csv(&format!("{dir}/data.csv"));
        let km = &json["km"];
        let all: Vec<&BTreeMap<String, String>> = data.iter().collect();
        out.push((
            file.to_string(),
            "overall".to_string(),
            fit(&all),
            km["overall"].clone(),
        ));
        if let Some(groups) = km["groups"].as_object() {
            let var = km["group_var"].as_str().expect("group_var");
            for (level, reference) in groups {
                let rows: Vec<_> = data.iter().filter(|r| r[var] == *level).collect();
                assert!(!rows.is_empty(), "{file}: no rows for {var} = {level}");
                out.push((
                    file.to_string(),
                    format!("{var}={level}"),
                    fit(&rows),
                    reference.clone(),
                ));
            }
        }
    }
    out
}

#[test]
fn datasets_match_r() {
    let mut c = Checker::default();
    for (dataset, group, km, reference) in all_curves() {
        check_km(&mut c, &dataset, &group, &km, &reference);
    }
    c.finish("datasets", EXPECTED_CHECKS);
}

#[test]
fn edge_cases_match_r() {
    let json = read_json("edge_cases/r.json");
    let probs: Vec<f64> = json["probs"]
        .as_array()
        .expect("probs")
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let mut c = Checker::default();
    for (name, case) in json["cases"].as_object().expect("cases") {
        let place = |what: String| Place {
            dataset: "edge_cases",
            group: name,
            what,
        };
        let time: Vec<f64> = case["time"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let event: Vec<bool> = case["status"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64() == Some(1))
            .collect();
        let km = KaplanMeier::fit(&time, &event).unwrap();
        for (ct, t) in [
            ("plain", ConfType::Plain),
            ("log", ConfType::Log),
            ("log-log", ConfType::LogLog),
        ] {
            let r = &case[ct];
            let table = r["table"].as_array().unwrap();
            c.len(&place(ct.into()), "table", km.rows().len(), table.len());
            let band = km.pointwise_ci(conf(t));
            for ((row, b), e) in km.rows().iter().zip(&band).zip(table) {
                let p = place(format!("conf_type {ct} time {}", row.time));
                c.val(&p, "time", row.time, &e["time"]);
                c.count(&p, "n_risk", row.n_risk, &e["n_risk"]);
                c.count(&p, "n_event", row.n_event, &e["n_event"]);
                c.count(&p, "n_censor", row.n_censor, &e["n_censor"]);
                c.val(&p, "surv", row.surv, &e["surv"]);
                c.opt(&p, "std_err_R", row.std_err_log, &e["std_err_R"]);
                c.opt(&p, "lower", b.lower, &e["lower"]);
                c.opt(&p, "upper", b.upper, &e["upper"]);
            }
            let q = km
                .quantiles(&probs, conf(t), QuantileRule::RQuantile)
                .unwrap();
            for (i, q) in q.iter().enumerate() {
                let p = place(format!("quantile conf_type {ct} prob {}", q.p));
                c.opt(&p, "quantile", q.time, &r["quantile"][i]);
                c.opt(&p, "lower", q.lower, &r["lower"][i]);
                c.opt(&p, "upper", q.upper, &r["upper"][i]);
            }
            let m = km.quantile(0.5, conf(t), QuantileRule::RPrint).unwrap();
            let p = place(format!("print_median conf_type {ct}"));
            c.opt(&p, "median", m.time, &r["print_median"]["median"]);
            c.opt(&p, "lower", m.lower, &r["print_median"]["lower"]);
            c.opt(&p, "upper", m.upper, &r["print_median"]["upper"]);
        }
        // summary(fit, times = c(0.5, max, max + 10)) of the default (log) fit.
        let lt = [0.5, km.max_time(), km.max_time() + 10.0];
        for (key, beyond, with_se) in [
            ("landmarks_extend_true", BeyondLastTime::CarryForward, true),
            ("landmarks_extend_false", BeyondLastTime::Drop, false),
        ] {
            let expected = case[key].as_array().expect(key);
            let got = km.survival_at(&lt, conf(ConfType::Log), beyond).unwrap();
            c.len(&place(key.into()), "rows", got.len(), expected.len());
            for (a, e) in got.iter().zip(expected) {
                let p = place(format!("{key} time {}", a.time));
                c.val(&p, "time", a.time, &e["time"]);
                c.count(&p, "n_risk", a.n_risk, &e["n_risk"]);
                c.opt(&p, "surv", a.surv, &e["surv"]);
                if with_se {
                    c.opt(&p, "se_surv", a.std_err, &e["se_surv"]);
                }
            }
        }
    }
    c.finish("edge cases", EDGE_CASE_CHECKS);
}

/// Where the pointwise bands are monotone, SAS's Brookmeyer-Crowley set and R's band crossings
/// describe the same times, so the two conventions must agree, except for the documented
/// differences checked here:
///
/// * R's upper band is undefined where S drops to 0, so R never reaches the upper limit when only
///   that time would; SAS reports that last event time as the (open) upper end.
/// * A flat stretch at exactly 1 − p that reaches the end of follow-up: R takes a midpoint with the
///   last follow-up time, SAS does not estimate.
#[test]
fn sas_and_r_agree_where_bands_are_monotone() {
    let mut compared = 0;
    let mut skipped = 0;
    for (dataset, group, km, _) in all_curves() {
        let last = km.rows().last().expect("rows");
        let ends_at_zero = last.surv == 0.0;
        for &(name, _, t) in &CONF_TYPES {
            let band = km.pointwise_ci(conf(t));
            let monotone = |f: fn(&rwe_stats::Bounds) -> Option<f64>| {
                let v: Vec<f64> = band.iter().filter_map(f).collect();
                v.windows(2).all(|w| w[1] <= w[0])
            };
            if !(monotone(|b| b.lower) && monotone(|b| b.upper)) {
                skipped += 1;
                continue;
            }
            for p in [0.1, 0.25, 0.5, 0.6, 0.75, 0.9] {
                let sas = km.quantile(p, conf(t), QuantileRule::Sas).unwrap();
                let r = km.quantile(p, conf(t), QuantileRule::RQuantile).unwrap();
                let place = format!("dataset {dataset} group {group} conf_type {name} p {p}");
                assert_eq!(sas.time, r.time, "{place}: point");
                assert_eq!(sas.lower, r.lower, "{place}: lower");
                let upper_ok = sas.upper == r.upper
                    || (r.upper.is_none() && ends_at_zero && sas.upper == Some(last.time));
                assert!(
                    upper_ok,
                    "{place}: upper SAS {:?} R {:?}",
                    sas.upper, r.upper
                );
                compared += 1;
            }
        }
    }
    eprintln!("SAS vs R quantiles compared: {compared}, curves with non-monotone bands: {skipped}");
    assert!(compared > 200, "only {compared} comparisons");
}

#[test]
fn errors_are_reported_not_panicked() {
    let km = KaplanMeier::fit(&[1.0, 2.0], &[true, false]).unwrap();
    assert!(matches!(
        km.quantile(1.5, conf(ConfType::Log), QuantileRule::RQuantile),
        Err(StatsError::InvalidProbability { .. })
    ));
}
