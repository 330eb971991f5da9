//! Properties of the descriptive summaries: SAS PCTLDEF=5 equals R `quantile(type = 2)`, percentiles
//! are monotone in p and lie within the range, and summaries do not depend on input order.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap

use proptest::prelude::*;
use rwe_stats::{PercentBase, PercentileDefinition, percentile, summarize, tabulate};

/// R's `quantile(x, p, type = 2)` transcribed from R 4.2's `quantile.default`: `x` padded as
/// `c(x[1], x[1], x, x[n], x[n])`, `j = floor(n p)`, `h = ((n p > j) + 1)/2`, then `x[j+2]`,
/// `x[j+3]` when h = 1, or `(1−h) x[j+2] + h x[j+3]` when they differ.
fn r_type2(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    let mut x = vec![sorted[0], sorted[0]];
    x.extend_from_slice(sorted);
    x.extend([sorted[n - 1], sorted[n - 1]]);
    let nppm = n as f64 * p;
    let j = nppm.floor();
    let h = if nppm > j { 1.0 } else { 0.5 };
    // R indices are 1-based: x[j+2] is x[(j + 1) as usize] here.
    let lo = x[j as usize + 1];
    let hi = x[j as usize + 2];
    if h == 1.0 {
        hi
    } else if lo != hi {
        (1.0 - h) * lo + h * hi
    } else {
        lo
    }
}

fn values() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-1000i32..1000, 1..60)
        .prop_map(|v| v.into_iter().map(|x| f64::from(x) / 8.0).collect())
}

proptest! {
    #[test]
    fn sas5_equals_r_type2_at_binary_exact_probabilities(x in values()) {
        let mut sorted = x.clone();
        sorted.sort_by(f64::total_cmp);
        for p in [0.0, 0.125, 0.25, 0.5, 0.75, 0.875, 1.0] {
            let ours = percentile(&x, p, PercentileDefinition::Sas5).unwrap().unwrap();
            let r = r_type2(&sorted, p);
            prop_assert!(ours == r, "p = {}: sas5 {} vs R type 2 {}", p, ours, r);
        }
    }

    #[test]
    fn percentiles_are_monotone_and_within_range(x in values()) {
        let (lo, hi) = x.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        for def in [PercentileDefinition::Sas5, PercentileDefinition::R7] {
            let mut prev = f64::NEG_INFINITY;
            for i in 0..=20 {
                let q = percentile(&x, f64::from(i) / 20.0, def).unwrap().unwrap();
                prop_assert!(q >= prev && q >= lo && q <= hi);
                prev = q;
            }
        }
    }

    #[test]
    fn summaries_do_not_depend_on_order(x in values(), missing in 0usize..5) {
        let mut a: Vec<Option<f64>> = x.iter().copied().map(Some).collect();
        a.extend(std::iter::repeat_n(None, missing));
        let b: Vec<Option<f64>> = a.iter().rev().copied().collect();
        for def in [PercentileDefinition::Sas5, PercentileDefinition::R7] {
            let sa = summarize(&a, def).unwrap();
            let sb = summarize(&b, def).unwrap();
            prop_assert_eq!((sa.n, sa.n_missing, sa.median, sa.q1, sa.q3, sa.min, sa.max),
                            (sb.n, sb.n_missing, sb.median, sb.q1, sb.q3, sb.min, sb.max));
            let (ma, mb) = (sa.mean.unwrap(), sb.mean.unwrap());
            prop_assert!((ma - mb).abs() <= 1e-12 * ma.abs().max(1.0));
        }
        let cats: Vec<Option<i64>> = a.iter().map(|v| v.map(|f| f.round() as i64 % 4)).collect();
        let rev: Vec<Option<i64>> = cats.iter().rev().copied().collect();
        let ta = tabulate(&cats, PercentBase::NonMissing);
        prop_assert_eq!(&ta, &tabulate(&rev, PercentBase::NonMissing));
        let total: f64 = ta.levels.iter().map(|c| c.percent).sum();
        prop_assert!((total - 100.0).abs() < 1e-9);
    }
}
