//! Invariants of the Kaplan-Meier estimate and everything derived from it, on random data with many
//! ties (integer days) and censoring.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap

use proptest::prelude::*;
use rwe_stats::{ConfType, Confidence, KaplanMeier, QuantileRule, TimeCounts};

/// Rounding slack for comparisons between a probability and its CI limits.
const EPS: f64 = 1e-12;

fn observations() -> impl Strategy<Value = Vec<(f64, bool)>> {
    prop::collection::vec(((0_u32..40).prop_map(f64::from), any::<bool>()), 1..80)
}

fn split(rows: &[(f64, bool)]) -> (Vec<f64>, Vec<bool>) {
    rows.iter().copied().unzip()
}

fn fit(rows: &[(f64, bool)]) -> KaplanMeier {
    let (t, e) = split(rows);
    KaplanMeier::fit(&t, &e).unwrap()
}

proptest! {
    #[test]
    fn survival_is_non_increasing_in_unit_interval(rows in observations()) {
        let km = fit(&rows);
        let mut prev = 1.0;
        for r in km.rows() {
            prop_assert!((0.0..=1.0).contains(&r.surv));
            prop_assert!(r.surv <= prev);
            prev = r.surv;
        }
    }

    #[test]
    fn without_censoring_survival_is_one_minus_ecdf(times in prop::collection::vec((0_u32..40).prop_map(f64::from), 1..80)) {
        let e = vec![true; times.len()];
        let km = KaplanMeier::fit(&times, &e).unwrap();
        let n = times.len() as f64;
        for r in km.rows() {
            let beyond = times.iter().filter(|&&t| t > r.time).count() as f64;
            prop_assert!((r.surv - beyond / n).abs() < 1e-12, "t={} S={} ecdf={}", r.time, r.surv, beyond / n);
        }
    }

    #[test]
    fn intervals_contain_the_estimate(rows in observations(), level in 0.5_f64..0.999) {
        let km = fit(&rows);
        for t in ConfType::ALL {
            let band = km.pointwise_ci(Confidence::new(t, level).unwrap());
            for (r, b) in km.rows().iter().zip(&band) {
                if let Some(lo) = b.lower {
                    prop_assert!(lo <= r.surv + EPS && lo >= -EPS, "{t} lower {lo} S {}", r.surv);
                }
                if let Some(hi) = b.upper {
                    prop_assert!(hi >= r.surv - EPS && hi <= 1.0 + EPS, "{t} upper {hi} S {}", r.surv);
                }
            }
        }
    }

    #[test]
    fn row_order_changes_nothing(rows in observations().prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle()))) {
        let (original, shuffled) = rows;
        let conf = Confidence::new(ConfType::LogLog, 0.95).unwrap();
        let a = fit(&original);
        let b = fit(&shuffled);
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(
            a.quantiles(&[0.25, 0.5, 0.75], conf, QuantileRule::Sas).unwrap(),
            b.quantiles(&[0.25, 0.5, 0.75], conf, QuantileRule::Sas).unwrap()
        );
    }

    #[test]
    fn merged_halves_equal_the_whole(rows in observations(), cut in 0_usize..80) {
        let cut = cut % rows.len(); // 0 means no split
        let whole = {
            let (t, e) = split(&rows);
            TimeCounts::from_observations(&t, &e).unwrap()
        };
        if cut > 0 {
            let (t1, e1) = split(&rows[..cut]);
            let (t2, e2) = split(&rows[cut..]);
            let a = TimeCounts::from_observations(&t1, &e1).unwrap();
            let b = TimeCounts::from_observations(&t2, &e2).unwrap();
            let merged = a.merge(&b).unwrap();
            prop_assert_eq!(&merged, &whole);
            prop_assert_eq!(KaplanMeier::from_counts(&merged), KaplanMeier::from_counts(&whole));
        }
        // Re-aggregating the counts is the identity.
        let again = TimeCounts::from_counts(whole.times(), whole.n_event(), whole.n_censor()).unwrap();
        prop_assert_eq!(again, whole);
    }

    #[test]
    fn quantiles_are_monotone_in_p(rows in observations()) {
        let km = fit(&rows);
        let probs: Vec<f64> = (1..20).map(|k| f64::from(k) / 20.0).collect();
        for rule in [QuantileRule::Sas, QuantileRule::RQuantile, QuantileRule::RPrint] {
            let q = km.quantiles(&probs, Confidence::new(ConfType::Log, 0.95).unwrap(), rule).unwrap();
            for w in q.windows(2) {
                match (w[0].time, w[1].time) {
                    (Some(a), Some(b)) => prop_assert!(a <= b, "{rule:?} p {} -> {a}, p {} -> {b}", w[0].p, w[1].p),
                    (None, Some(_)) => prop_assert!(false, "{rule:?}: p {} not reached but p {} is", w[0].p, w[1].p),
                    _ => {}
                }
            }
        }
    }
}
