//! Binomial confidence intervals and the exact test against R 4.2.2 (`tests/reference/binomial.json`,
//! written by `tests/reference/scripts/binomial.R`): `binom.test` (Clopper-Pearson and its p-value
//! against ½), `prop.test(correct = FALSE)` (Wilson) and `prop.test(correct = TRUE)` (Wilson with
//! continuity correction), all at 95%.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap

use std::path::PathBuf;

use rwe_stats::{ProportionMethod, binomial_test, proportion_ci};
use serde_json::Value;

/// R's `qbeta` (TOMS 708, inverted to about 1e-15) against ours (see `beta.rs`); the JSON holds 15
/// significant digits, so differences of a few 1e-15 are printing. 1e-13 relative.
const QBETA: f64 = 1e-13;
/// Wilson bounds: closed forms evaluated in a different order than R, 15 printed digits. 1e-13 relative.
const CLOSED_FORM: f64 = 1e-13;
/// `binom.test` p-values are sums of `pbinom` tails (two incomplete-beta evaluations): 1e-12 relative.
const P_VALUE: f64 = 1e-12;

fn load() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference/binomial.json");
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn close(found: f64, expected: f64, tol: f64) -> bool {
    if expected == 0.0 {
        found.abs() <= tol
    } else {
        ((found - expected) / expected).abs() <= tol
    }
}

#[test]
fn every_binomial_reference_value_matches_r() {
    let json = load();
    let level = json["conf_level"].as_f64().unwrap();
    let results = json["results"].as_array().unwrap();
    let mut checked = 0;
    for r in results {
        let x = r["x"].as_u64().unwrap();
        let n = r["n"].as_u64().unwrap();
        for (method, key, tol) in [
            (ProportionMethod::Exact, "clopper_pearson", QBETA),
            (ProportionMethod::Wilson, "wilson", CLOSED_FORM),
            (ProportionMethod::WilsonCc, "wilson_cc", CLOSED_FORM),
        ] {
            let ci = proportion_ci(x, n, method, level).unwrap();
            assert!(
                close(ci.estimate, r["p_hat"].as_f64().unwrap(), CLOSED_FORM),
                "binomial.json {x}/{n} p_hat: found {}",
                ci.estimate
            );
            for (field, found) in [("lower", ci.lower), ("upper", ci.upper)] {
                let expected = r[key][field].as_f64().unwrap();
                assert!(
                    close(found, expected, tol),
                    "binomial.json {x}/{n} {key}.{field}: found {found}, R {expected}"
                );
                checked += 1;
            }
        }
        let expected_p = r["clopper_pearson"]["p_value_vs_0.5"].as_f64().unwrap();
        let p = binomial_test(x, n, 0.5).unwrap();
        assert!(
            close(p, expected_p, P_VALUE),
            "binomial.json {x}/{n} binom.test p-value: found {p}, R {expected_p}"
        );
        checked += 1;
    }
    // 14 counts × (3 methods × 2 bounds + 1 p-value)
    assert_eq!(checked, 98);
}
