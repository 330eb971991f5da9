//! Invariants of the Cox fit and the log-rank family on random data.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap

use proptest::prelude::*;
use rwe_stats::{Covariate, CoxFit, CoxOptions, Design, TestWeight, Ties, cox_fit, survdiff};

/// Two fits of the same model that differ only in summation order stop at the same iteration and
/// agree to rounding; should the stopping rule (relative change ≤ 1e-9) fire one step apart, they
/// still agree far inside 1e-6, the house tolerance for iterative fits.
const TOL_COX: f64 = 1e-6;

/// Closed forms at β = 0 (score test, log-rank): rounding only.
const TOL_CLOSED: f64 = 1e-9;

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(1.0)
}

/// One subject: time, event, group (0/1), a continuous covariate, stratum.
type Row = (f64, bool, u32, f64, u32);

fn rows(max_time: u8) -> impl Strategy<Value = Vec<Row>> {
    prop::collection::vec(
        (
            1..=max_time,
            prop::bool::weighted(0.7),
            0u32..2,
            -2.0f64..2.0,
            0u32..3,
        )
            .prop_map(|(t, e, g, x, s)| (f64::from(t), e, g, x, s)),
        12..60,
    )
}

struct Columns {
    time: Vec<f64>,
    event: Vec<bool>,
    group: Vec<u32>,
    x: Vec<f64>,
    strata: Vec<u32>,
}

fn columns(rows: &[Row]) -> Columns {
    Columns {
        time: rows.iter().map(|r| r.0).collect(),
        event: rows.iter().map(|r| r.1).collect(),
        group: rows.iter().map(|r| r.2).collect(),
        x: rows.iter().map(|r| r.3).collect(),
        strata: rows.iter().map(|r| r.4).collect(),
    }
}

/// Fit `~ g + x` (g as a two-level factor "a"/"b").
fn fit(c: &Columns, x_scale: f64, strata: bool, ties: Ties) -> Option<CoxFit> {
    let labels: Vec<&str> = c
        .group
        .iter()
        .map(|&g| if g == 0 { "a" } else { "b" })
        .collect();
    let x: Vec<f64> = c.x.iter().map(|v| v * x_scale).collect();
    let design = Design::new(&[
        Covariate::categorical("g", &labels),
        Covariate::numeric("x", &x),
    ])
    .ok()?;
    let options = CoxOptions {
        ties,
        ..CoxOptions::default()
    };
    let s = strata.then_some(c.strata.as_slice());
    cox_fit(&c.time, &c.event, &design, s, &options)
        .ok()
        .filter(|f| f.warnings.is_empty())
}

fn assert_same_fit(a: &CoxFit, b: &CoxFit) -> Result<(), TestCaseError> {
    for (ta, tb) in a.terms.iter().zip(&b.terms) {
        prop_assert!(
            close(ta.coef, tb.coef, TOL_COX),
            "{}: {ta:?} vs {tb:?}",
            ta.term
        );
        prop_assert!(
            close(ta.se, tb.se, TOL_COX),
            "{}: {ta:?} vs {tb:?}",
            ta.term
        );
    }
    prop_assert!(close(a.loglik_model, b.loglik_model, TOL_COX));
    prop_assert!(close(a.loglik_null, b.loglik_null, TOL_CLOSED));
    prop_assert!(close(a.score_test.stat, b.score_test.stat, TOL_CLOSED));
    let (ca, cb) = (a.concordance.unwrap(), b.concordance.unwrap());
    prop_assert_eq!(
        (
            ca.concordant,
            ca.discordant,
            ca.tied_risk,
            ca.tied_time,
            ca.tied_both
        ),
        (
            cb.concordant,
            cb.discordant,
            cb.tied_risk,
            cb.tied_time,
            cb.tied_both
        )
    );
    prop_assert!(close(ca.std_err, cb.std_err, TOL_CLOSED));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Row order changes nothing (tied times included), with and without strata, both tie methods.
    #[test]
    fn row_order_does_not_matter(
        (rows, shuffled) in rows(15).prop_flat_map(|r| (Just(r.clone()), Just(r).prop_shuffle())),
        strata: bool,
        efron: bool,
    ) {
        let ties = if efron { Ties::Efron } else { Ties::Breslow };
        let (a, b) = (columns(&rows), columns(&shuffled));
        let fa = fit(&a, 1.0, strata, ties);
        prop_assume!(fa.is_some());
        let fb = fit(&b, 1.0, strata, ties).expect("the permuted data fit too");
        assert_same_fit(&fa.unwrap(), &fb)?;

        let s = |c: &Columns| strata.then(|| c.strata.clone());
        let (sa, sb) = (s(&a), s(&b));
        for w in [TestWeight::LogRank, TestWeight::Gehan, TestWeight::PetoPeto] {
            let la = survdiff(&a.time, &a.event, &a.group, sa.as_deref(), w).unwrap();
            let lb = survdiff(&b.time, &b.event, &b.group, sb.as_deref(), w).unwrap();
            prop_assert!(close(la.chisq, lb.chisq, TOL_CLOSED), "{w:?}: {la:?} vs {lb:?}");
        }
    }

    /// Multiplying a numeric covariate by c divides its coefficient and standard error by c and
    /// leaves everything else (likelihoods, tests, z, concordance) unchanged.
    #[test]
    fn scaling_a_covariate_rescales_its_coefficient(
        rows in rows(15),
        c in prop_oneof![0.001f64..0.1, 10.0f64..1000.0, -100.0f64..-0.5],
    ) {
        let cols = columns(&rows);
        let base = fit(&cols, 1.0, false, Ties::Efron);
        prop_assume!(base.is_some());
        let base = base.unwrap();
        let scaled = fit(&cols, c, false, Ties::Efron).expect("scaled data fit too");
        let (b, s) = (&base.terms[1], &scaled.terms[1]);
        prop_assert!(close(s.coef * c, b.coef, TOL_COX), "{b:?} vs {s:?} (c = {c})");
        prop_assert!(close(s.se * c.abs(), b.se, TOL_COX), "{b:?} vs {s:?} (c = {c})");
        prop_assert!(close(s.z * c.signum(), b.z, TOL_COX));
        prop_assert!(close(scaled.terms[0].coef, base.terms[0].coef, TOL_COX));
        prop_assert!(close(scaled.loglik_model, base.loglik_model, TOL_COX));
        prop_assert!(close(scaled.score_test.stat, base.score_test.stat, TOL_CLOSED));
        prop_assert!(close(scaled.wald_test.stat, base.wald_test.stat, TOL_COX));
    }

    /// With no tied event times, the score test of a Cox model with one binary covariate is the
    /// log-rank test (stratified: the stratified log-rank test). Breslow's information at β = 0 is
    /// Σ d Y₁Y₀/Y², the log-rank variance Σ d Y₁Y₀(Y − d)/(Y²(Y − 1)): equal when every d = 1.
    /// (With ties the log-rank variance is smaller; R's `ties = "exact"` score restores equality,
    /// see the `exact` entries of the reference files.)
    #[test]
    fn log_rank_is_the_cox_score_test_without_ties(
        (rows, times) in rows(1).prop_flat_map(|r| {
            let n = r.len();
            (Just(r), Just((1..=n).map(|t| t as f64).collect::<Vec<_>>()).prop_shuffle())
        }),
        stratified: bool,
    ) {
        let mut cols = columns(&rows);
        cols.time = times;
        let g: Vec<f64> = cols.group.iter().map(|&g| f64::from(g)).collect();
        let design = Design::new(&[Covariate::numeric("g", &g)]);
        prop_assume!(design.is_ok());
        let s = stratified.then_some(cols.strata.as_slice());
        let options = CoxOptions { ties: Ties::Breslow, ..CoxOptions::default() };
        let cox = cox_fit(&cols.time, &cols.event, &design.unwrap(), s, &options);
        prop_assume!(cox.is_ok());
        let lr = survdiff(&cols.time, &cols.event, &cols.group, s, TestWeight::LogRank).unwrap();
        let score = cox.unwrap().score_test.stat;
        prop_assert!(close(score, lr.chisq, TOL_CLOSED), "score {score} vs log-rank {}", lr.chisq);
    }
}

/// Swapping the reference level of a two-level factor flips the sign of its coefficient.
#[test]
fn reference_level_flips_the_sign() {
    // aml-like: group a has events at 1, 3, 4, 7 and censored 9; group b events at 2, 5, 6, 8, 10.
    let time = [1.0, 3.0, 4.0, 7.0, 9.0, 2.0, 5.0, 6.0, 8.0, 10.0];
    let event = [true, true, true, true, false, true, true, true, true, true];
    let labels = ["a", "a", "a", "a", "a", "b", "b", "b", "b", "b"];
    let o = CoxOptions::default();
    let d = Design::new(&[Covariate::categorical("grp", &labels)]).unwrap();
    let fa = cox_fit(&time, &event, &d, None, &o).unwrap();
    let d = Design::new(&[Covariate::categorical("grp", &labels).with_reference("b")]).unwrap();
    let fb = cox_fit(&time, &event, &d, None, &o).unwrap();
    assert_eq!(
        (fa.terms[0].term.as_str(), fb.terms[0].term.as_str()),
        ("grpb", "grpa")
    );
    assert!(close(fa.terms[0].coef, -fb.terms[0].coef, TOL_COX));
    assert!(close(fa.terms[0].se, fb.terms[0].se, TOL_COX));
    assert!(close(fa.loglik_model, fb.loglik_model, TOL_COX));
    // The concordance of a risk score does not depend on which level is the reference.
    let (ca, cb) = (fa.concordance.unwrap(), fb.concordance.unwrap());
    assert!(close(ca.estimate, cb.estimate, TOL_CLOSED));
}
