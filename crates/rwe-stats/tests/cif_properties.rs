//! Properties of the Aalen-Johansen estimator and Gray's test on random data with ties.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap

use proptest::prelude::*;
use rwe_stats::{CifOptions, ConfType, cumulative_incidence, gray_test};

/// Sums and products of a few dozen terms: 1e-12 absolute on probabilities.
const PROB: f64 = 1e-12;

/// Subjects: integer times 0..12 (many ties) and causes 0..=3.
fn subjects() -> impl Strategy<Value = Vec<(u8, u32)>> {
    prop::collection::vec((0u8..12, 0u32..4), 1..40)
}

fn split(rows: &[(u8, u32)]) -> (Vec<f64>, Vec<u32>) {
    rows.iter().map(|&(t, c)| (f64::from(t), c)).unzip()
}

/// Pooled Kaplan-Meier S(t) at each distinct time, computed here as ∏ (1 − d/n).
fn kaplan_meier(times: &[f64], causes: &[u32]) -> Vec<(f64, f64)> {
    let mut distinct: Vec<f64> = times.to_vec();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let mut s = 1.0;
    distinct
        .into_iter()
        .map(|t| {
            let n = times.iter().filter(|&&x| x >= t).count() as f64;
            let d = times
                .iter()
                .zip(causes)
                .filter(|&(&x, &c)| x == t && c != 0)
                .count() as f64;
            s *= 1.0 - d / n;
            (t, s)
        })
        .collect()
}

/// The infinitesimal-jackknife SE computed subject by subject, as R's C routine `survfitaj` does:
/// influence rows U_i over the states (event-free, causes…), updated at each event time by
/// U ← U + U·H, then the dN term for subjects with an event, then the at-risk term; se = √Σ U_i².
fn jackknife_by_subject(times: &[f64], causes: &[u32], cause_list: &[u32]) -> Vec<Vec<f64>> {
    let ns = cause_list.len() + 1;
    let n = times.len();
    let mut u = vec![vec![0.0; ns]; n];
    let mut p = vec![0.0; ns];
    p[0] = 1.0;
    let mut distinct: Vec<f64> = times.to_vec();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let mut out = Vec::new();
    for &t in &distinct {
        let at_risk: Vec<usize> = (0..n).filter(|&i| times[i] >= t).collect();
        let nr = at_risk.len() as f64;
        let state_of = |c: u32| cause_list.iter().position(|&x| x == c).map(|k| k + 1);
        let d: Vec<f64> = (1..ns)
            .map(|s| {
                at_risk
                    .iter()
                    .filter(|&&i| times[i] == t && state_of(causes[i]) == Some(s))
                    .count() as f64
            })
            .collect();
        let dtot: f64 = d.iter().sum();
        if dtot > 0.0 {
            let p0 = p[0];
            for ui in &mut u {
                let u0 = ui[0];
                for s in 1..ns {
                    ui[s] += u0 * d[s - 1] / nr;
                }
                ui[0] -= u0 * dtot / nr;
            }
            for &i in &at_risk {
                if times[i] == t
                    && let Some(s) = state_of(causes[i])
                {
                    u[i][0] -= p0 / nr;
                    u[i][s] += p0 / nr;
                }
                for s in 1..ns {
                    let h = d[s - 1] / nr / nr;
                    u[i][0] += p0 * h;
                    u[i][s] -= p0 * h;
                }
            }
            for s in 1..ns {
                let moved = p0 * d[s - 1] / nr;
                p[0] -= moved;
                p[s] += moved;
            }
        }
        out.push(
            (0..ns)
                .map(|s| u.iter().map(|ui| ui[s] * ui[s]).sum::<f64>().sqrt())
                .collect(),
        );
    }
    out
}

proptest! {
    #[test]
    fn states_sum_to_one_and_event_free_is_kaplan_meier(rows in subjects()) {
        let (times, causes) = split(&rows);
        let cif = cumulative_incidence(&times, &causes, &CifOptions::default()).unwrap();
        let km = kaplan_meier(&times, &causes);
        prop_assert_eq!(km.len(), cif.event_free.table.len());
        for (i, (t, s)) in km.iter().enumerate() {
            let ef = &cif.event_free.table[i];
            prop_assert!((ef.time - t).abs() < f64::EPSILON);
            prop_assert!((ef.estimate - s).abs() < PROB, "time {}: S {} vs KM {}", t, ef.estimate, s);
            let total: f64 = cif.causes.iter().map(|c| c.table[i].estimate).sum::<f64>() + ef.estimate;
            prop_assert!((total - 1.0).abs() < PROB, "time {}: states sum to {}", t, total);
        }
    }

    #[test]
    fn incidence_is_non_decreasing_in_unit_interval_with_ci_around_it(rows in subjects()) {
        let (times, causes) = split(&rows);
        for conf_type in ConfType::ALL {
            let o = CifOptions { conf_type, ..CifOptions::default() };
            let cif = cumulative_incidence(&times, &causes, &o).unwrap();
            for c in &cif.causes {
                let mut prev = 0.0;
                for r in &c.table {
                    prop_assert!(r.estimate >= prev - PROB && (0.0..=1.0 + PROB).contains(&r.estimate));
                    prev = r.estimate;
                    if let (Some(lo), Some(hi)) = (r.lower, r.upper) {
                        prop_assert!(lo <= r.estimate + PROB && r.estimate <= hi + PROB,
                            "{}: {} not in ({}, {})", conf_type, r.estimate, lo, hi);
                    }
                }
            }
        }
    }

    #[test]
    fn one_cause_is_one_minus_kaplan_meier(rows in prop::collection::vec((0u8..12, 0u32..2), 1..40)) {
        let (times, causes) = split(&rows);
        let cif = cumulative_incidence(&times, &causes, &CifOptions { causes: Some(vec![1]), ..CifOptions::default() }).unwrap();
        let km = kaplan_meier(&times, &causes);
        for (r, (_, s)) in cif.causes[0].table.iter().zip(&km) {
            prop_assert!((r.estimate - (1.0 - s)).abs() < PROB);
        }
        // And the SE of F equals the SE of S (one influence is minus the other).
        for (f, s) in cif.causes[0].table.iter().zip(&cif.event_free.table) {
            prop_assert!((f.std_err - s.std_err).abs() < PROB);
        }
    }

    #[test]
    fn jackknife_from_counts_equals_subject_level_influence(rows in subjects()) {
        let (times, causes) = split(&rows);
        let cif = cumulative_incidence(&times, &causes, &CifOptions::default()).unwrap();
        let cause_list: Vec<u32> = cif.causes.iter().map(|c| match c.state {
            rwe_stats::State::Cause(k) => k,
            rwe_stats::State::EventFree => 0,
        }).collect();
        let brute = jackknife_by_subject(&times, &causes, &cause_list);
        for (i, se) in brute.iter().enumerate() {
            let ours = std::iter::once(&cif.event_free).chain(&cif.causes).map(|c| c.table[i].std_err);
            for (s, (a, b)) in ours.zip(se).enumerate() {
                prop_assert!((a - b).abs() < PROB, "row {} state {}: {} vs {}", i, s, a, b);
            }
        }
    }

    #[test]
    fn row_order_does_not_matter(rows in subjects(), seed in any::<u64>()) {
        let (times, causes) = split(&rows);
        let mut perm: Vec<usize> = (0..rows.len()).collect();
        // A deterministic shuffle from the seed.
        let mut x = seed | 1;
        for i in (1..perm.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            perm.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let t2: Vec<f64> = perm.iter().map(|&i| times[i]).collect();
        let c2: Vec<u32> = perm.iter().map(|&i| causes[i]).collect();
        let a = cumulative_incidence(&times, &causes, &CifOptions::default()).unwrap();
        let b = cumulative_incidence(&t2, &c2, &CifOptions::default()).unwrap();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn gray_statistic_is_non_negative_and_invariant_to_row_order(
        rows in prop::collection::vec((0u8..12, 0u32..3, 0u8..3), 4..40)
    ) {
        let times: Vec<f64> = rows.iter().map(|r| f64::from(r.0)).collect();
        let causes: Vec<u32> = rows.iter().map(|r| r.1).collect();
        let groups: Vec<u8> = rows.iter().map(|r| r.2).collect();
        let distinct = { let mut g = groups.clone(); g.sort_unstable(); g.dedup(); g.len() };
        prop_assume!(distinct >= 2);
        let a = gray_test(&times, &causes, &groups, 0.0).unwrap();
        let rev = |v: &[f64]| v.iter().rev().copied().collect::<Vec<_>>();
        let b = gray_test(
            &rev(&times),
            &causes.iter().rev().copied().collect::<Vec<_>>(),
            &groups.iter().rev().copied().collect::<Vec<_>>(),
            0.0,
        ).unwrap();
        for (x, y) in a.iter().zip(&b) {
            prop_assert_eq!(x.df as usize, distinct - 1);
            match (x.stat, y.stat) {
                (Some(s), Some(t)) => {
                    prop_assert!(s >= -1e-9, "stat {}", s);
                    prop_assert!((s - t).abs() <= 1e-9 * s.abs().max(1.0));
                }
                (None, None) => {}
                _ => prop_assert!(false, "singular in one order only"),
            }
        }
    }
}
