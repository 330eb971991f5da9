//! Competing risks against R on `survival::mgus2` (`tests/reference/mgus2/competing_risks.json` and
//! `data.csv`, written by `tests/reference/scripts/make_reference.R`): cause 1 = progression to a
//! plasma-cell malignancy, cause 2 = death without progression, 0 = censored; months.
//!
//! * `overall`, `groups.F`, `groups.M`: R survival 3.5-3 `survfit(Surv(time, factor(cause)))`: every
//!   distinct time, every state (event-free `s0`, progression, death): counts, `pstate`, `std.err`
//!   (infinitesimal jackknife) and the `log` CI; and `summary(fit, times, extend = FALSE/TRUE)`.
//! * `cmprsk_cuminc`: cmprsk 2.2-11 `cuminc(time, cause, sex)`: Gray's test per cause, `timepoints`
//!   estimates and variances, and every point of the step curves.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap

use std::path::PathBuf;

use rwe_stats::{
    CifOptions, CumulativeIncidence, StateCurve, cumulative_incidence,
    cumulative_incidence_by_group, gray_test,
};
use serde_json::Value;

// The JSON prints 15 significant digits, so every comparison allows a few 1e-15 of printing error.
/// Aalen-Johansen estimates: the same products and sums of counts as R, up to the order of operations.
/// 1e-13 relative (observed: within 1e-14).
const ESTIMATE: f64 = 1e-13;
/// Jackknife SE: R sums the squared influences of 1384 subjects; we propagate their covariance matrix
/// (see `cif.rs`), a different order of the same arithmetic over 268 steps. 1e-12 relative (observed:
/// within 1e-13).
const JACKKNIFE_SE: f64 = 1e-12;
/// CI bounds: exp(log p ± z·se/p), so they inherit the SE's tolerance.
const CI_BOUND: f64 = 1e-12;
/// cmprsk's `cinc` variance: the same recursion as its Fortran, in the same order. 1e-13 relative.
const GRAY_VARIANCE: f64 = 1e-13;
/// Gray's statistic: sums over ~400 event times and a solved 1×1 system. 1e-12 relative.
const GRAY_STAT: f64 = 1e-12;
/// Gray's p-value: R's `1 − pchisq` has absolute error ~1e-16; ours is the upper tail itself.
/// 1e-12 relative.
const GRAY_P: f64 = 1e-12;

const STATES: [&str; 3] = ["s0", "progression", "death"];

struct Data {
    time: Vec<f64>,
    cause: Vec<u32>,
    sex: Vec<String>,
}

fn reference_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference/mgus2")
}

fn load_data() -> Data {
    let text = std::fs::read_to_string(reference_dir().join("data.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .unwrap()
        .split(',')
        .map(|h| h.trim_matches('"'))
        .collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (it, ic, is) = (col("time"), col("cause"), col("sex"));
    let mut data = Data {
        time: Vec::new(),
        cause: Vec::new(),
        sex: Vec::new(),
    };
    for line in lines.filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split(',').map(|x| x.trim_matches('"')).collect();
        data.time.push(f[it].parse().unwrap());
        data.cause.push(f[ic].parse().unwrap());
        data.sex.push(f[is].to_string());
    }
    data
}

fn load_json() -> Value {
    let text = std::fs::read_to_string(reference_dir().join("competing_risks.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn close(found: f64, expected: f64, tol: f64) -> bool {
    if expected == 0.0 {
        found.abs() <= tol
    } else {
        ((found - expected) / expected).abs() <= tol
    }
}

/// Counts the values checked and reports the place of any mismatch.
struct Checker {
    checked: usize,
}

impl Checker {
    fn num(&mut self, place: &str, found: f64, expected: f64, tol: f64) {
        assert!(
            close(found, expected, tol),
            "{place}: found {found}, R {expected} (tolerance {tol:e})"
        );
        self.checked += 1;
    }

    /// An R value that may be `null` (NA): ours must be `None` exactly then.
    fn opt(&mut self, place: &str, found: Option<f64>, expected: &Value, tol: f64) {
        match (found, expected.as_f64()) {
            (Some(f), Some(e)) => self.num(place, f, e, tol),
            (None, None) => self.checked += 1,
            (f, _) => panic!("{place}: found {f:?}, R {expected}"),
        }
    }

    fn count(&mut self, place: &str, found: u64, expected: &Value) {
        assert_eq!(Some(found), expected.as_u64(), "{place}");
        self.checked += 1;
    }
}

fn state<'a>(cif: &'a CumulativeIncidence, name: &str) -> &'a StateCurve {
    match name {
        "s0" => &cif.event_free,
        "progression" => cif.cause(1).unwrap(),
        _ => cif.cause(2).unwrap(),
    }
}

/// Every row of R's `survfit` table and both landmark tables for one population.
fn check_aj(ck: &mut Checker, label: &str, cif: &CumulativeIncidence, aj: &Value) {
    let table = aj["table"].as_array().unwrap();
    assert_eq!(aj["conf_type"], "log");
    for name in STATES {
        let curve = state(cif, name);
        assert_eq!(curve.table.len(), table.len(), "{label} {name}: rows");
        for (row, r) in curve.table.iter().zip(table) {
            let place = |field: &str| format!("mgus2 {label} {name} time {}: {field}", row.time);
            ck.num(&place("time"), row.time, r["time"].as_f64().unwrap(), 0.0);
            ck.count(&place("n_risk"), row.n_risk, &r["n_risk"]);
            ck.count(&place("n_censor"), row.n_censor, &r["n_censor"]);
            // R's n_event_s0 counts entries into s0 (always 0); ours counts exits (any cause).
            if name != "s0" {
                ck.count(
                    &place("n_event"),
                    row.n_event,
                    &r[format!("n_event_{name}")],
                );
            }
            ck.num(
                &place("pstate"),
                row.estimate,
                r[format!("pstate_{name}")].as_f64().unwrap(),
                ESTIMATE,
            );
            ck.num(
                &place("se"),
                row.std_err,
                r[format!("se_{name}")].as_f64().unwrap(),
                JACKKNIFE_SE,
            );
            ck.opt(
                &place("lower"),
                row.lower,
                &r[format!("lower_{name}")],
                CI_BOUND,
            );
            ck.opt(
                &place("upper"),
                row.upper,
                &r[format!("upper_{name}")],
                CI_BOUND,
            );
        }
    }
    let requested: Vec<f64> = aj["landmarks_requested"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    for (key, extend) in [("extend_false", false), ("extend_true", true)] {
        let rows = aj["landmarks"][key].as_array().unwrap();
        for name in STATES {
            let at = state(cif, name).at(&requested, extend).unwrap();
            // R drops the times it cannot report (extend = FALSE, past the last observation).
            let reported: Vec<_> = at.iter().filter(|a| a.estimate.is_some()).collect();
            assert_eq!(reported.len(), rows.len(), "{label} {key} {name}: rows");
            for (a, r) in reported.iter().zip(rows) {
                let place =
                    |field: &str| format!("mgus2 {label} {key} {name} time {}: {field}", a.time);
                ck.num(&place("time"), a.time, r["time"].as_f64().unwrap(), 0.0);
                ck.count(&place("n_risk"), a.n_risk, &r["n_risk"]);
                ck.opt(
                    &place("pstate"),
                    a.estimate,
                    &r[format!("pstate_{name}")],
                    ESTIMATE,
                );
                ck.opt(
                    &place("se"),
                    a.std_err,
                    &r[format!("se_{name}")],
                    JACKKNIFE_SE,
                );
                ck.opt(
                    &place("lower"),
                    a.lower,
                    &r[format!("lower_{name}")],
                    CI_BOUND,
                );
                ck.opt(
                    &place("upper"),
                    a.upper,
                    &r[format!("upper_{name}")],
                    CI_BOUND,
                );
            }
        }
    }
}

#[test]
fn aalen_johansen_matches_r_survfit_at_every_time() {
    let data = load_data();
    let json = load_json();
    let options = CifOptions {
        causes: Some(vec![1, 2]),
        ..CifOptions::default()
    };
    let mut ck = Checker { checked: 0 };
    let overall = cumulative_incidence(&data.time, &data.cause, &options).unwrap();
    assert_eq!(overall.n, 1384);
    check_aj(&mut ck, "overall", &overall, &json["overall"]);
    let groups =
        cumulative_incidence_by_group(&data.time, &data.cause, &data.sex, &options).unwrap();
    let names: Vec<&str> = groups.iter().map(|(g, _)| g.as_str()).collect();
    assert_eq!(names, ["F", "M"]);
    for (g, cif) in &groups {
        check_aj(&mut ck, &format!("sex={g}"), cif, &json["groups"][g]);
    }
    // Tables: overall 268 rows, F and M 227 each = 722 rows × (3 states × 7 fields (time, n_risk,
    // n_censor, pstate, se, lower, upper) + n_event of the 2 causes). Landmarks: overall 6 + 6,
    // F 5 + 6, M 6 + 6 = 35 rows × 3 states × 6 fields (time, n_risk, pstate, se, lower, upper).
    assert_eq!(ck.checked, 722 * 23 + 35 * 18);
    eprintln!("mgus2 survfit values checked: {}", ck.checked);
}

#[test]
fn cmprsk_cuminc_matches_gray_test_timepoints_and_curves() {
    let data = load_data();
    let json = load_json();
    let cm = &json["cmprsk_cuminc"];
    let mut ck = Checker { checked: 0 };

    // Gray's test, rho = 0.
    let tests = gray_test(&data.time, &data.cause, &data.sex, 0.0).unwrap();
    let expected = cm["gray_test"].as_array().unwrap();
    assert_eq!(tests.len(), expected.len());
    for (t, e) in tests.iter().zip(expected) {
        let cause = e["cause"].as_str().unwrap();
        assert_eq!(t.cause.to_string(), cause);
        let place = |field: &str| format!("mgus2 Gray's test by sex, cause {cause}: {field}");
        ck.num(
            &place("stat"),
            t.stat.unwrap(),
            e["stat"].as_f64().unwrap(),
            GRAY_STAT,
        );
        ck.num(
            &place("pv"),
            t.p.unwrap(),
            e["pv"].as_f64().unwrap(),
            GRAY_P,
        );
        ck.count(&place("df"), u64::from(t.df), &e["df"]);
    }

    let options = CifOptions {
        causes: Some(vec![1, 2]),
        ..CifOptions::default()
    };
    let groups =
        cumulative_incidence_by_group(&data.time, &data.cause, &data.sex, &options).unwrap();
    let curve_of = |name: &str| -> &StateCurve {
        // cmprsk names curves "<group> <cause>".
        let (g, c) = name.split_once(' ').unwrap();
        let cif = &groups.iter().find(|(k, _)| k == g).unwrap().1;
        cif.cause(c.parse().unwrap()).unwrap()
    };

    // timepoints(): step values, NA past the group's last observation (extend = false).
    let tp = &cm["timepoints"];
    let times: Vec<f64> = tp["times"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    for (i, name) in tp["name"].as_array().unwrap().iter().enumerate() {
        let name = name.as_str().unwrap();
        let at = curve_of(name).at(&times, false).unwrap();
        for (j, a) in at.iter().enumerate() {
            let place =
                |field: &str| format!("mgus2 cmprsk timepoints {name} time {}: {field}", a.time);
            ck.opt(&place("est"), a.estimate, &tp["est"][i][j], ESTIMATE);
            ck.opt(
                &place("var"),
                a.gray_variance,
                &tp["var"][i][j],
                GRAY_VARIANCE,
            );
        }
    }

    // Every corner of cmprsk's step curves: (0, 0), then at each event time of the cause a pair
    // (value before, value after), then the last observation time.
    for curve in cm["curves"].as_array().unwrap() {
        let name = curve["name"].as_str().unwrap();
        let ours = curve_of(name);
        let t: Vec<f64> = to_vec(&curve["time"]);
        let est: Vec<f64> = to_vec(&curve["est"]);
        let var: Vec<f64> = to_vec(&curve["var"]);
        for i in 0..t.len() {
            // Points 1, 3, 5, … (all but the last) open a pair: the left limit, i.e. the value at the
            // largest time < t.
            let left_limit = i % 2 == 1 && i + 1 < t.len();
            let at_time = if left_limit { t[i].next_down() } else { t[i] };
            let a = &ours.at(&[at_time], false).unwrap()[0];
            let place = |field: &str| {
                format!(
                    "mgus2 cmprsk curve {name} point {i} (time {}): {field}",
                    t[i]
                )
            };
            ck.num(&place("est"), a.estimate.unwrap(), est[i], ESTIMATE);
            ck.num(
                &place("var"),
                a.gray_variance.unwrap(),
                var[i],
                GRAY_VARIANCE,
            );
        }
    }
    // 2 causes × 3 test fields; 4 curves × 6 times × 2 fields; 2 × (106 + 102 + 324 + 348) curve points.
    assert_eq!(ck.checked, 6 + 48 + 2 * (106 + 102 + 324 + 348));
    eprintln!("mgus2 cmprsk values checked: {}", ck.checked);
}

fn to_vec(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}
