//! Kernels on data already in memory, at 10⁵, 10⁶ and 10⁷ rows: Kaplan-Meier with Greenwood, log-log
//! CIs, quartiles with CIs and three landmarks for two groups and overall (`km`), the log-rank test
//! (`logrank`), and Cox with one binary covariate, Efron ties (`cox`); `km-fractional` forces the
//! sort path with times that are not whole days. Each benchmark checks its result.
//!
//! The data follow `scripts/perf/gen_synth.py` (same distributions, another generator): two groups,
//! exponential event times with means 800 and 1100 days, ~30% independent censoring, administrative
//! censoring at 3650 days, times rounded up to whole days.
//!
//! Run with `cargo bench -p rwe-stats --bench survival` (not part of the test command).

#![allow(clippy::unwrap_used, clippy::expect_used)] // benchmarks may unwrap

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use rwe_stats::{
    BeyondLastTime, ConfType, Confidence, CoxOptions, GroupCounts, KaplanMeier, QuantileRule,
    TestWeight, Ties, cox_fit_counts, survdiff_counts,
};

struct Data {
    days: Vec<u32>,
    event: Vec<bool>,
    group: Vec<u32>,
}

/// Deterministic synthetic survival data (xorshift64*, inverse-CDF exponentials).
fn data(n: usize) -> Data {
    let mut state: u64 = 20_240_501 + n as u64;
    let mut uniform = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        ((state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    let mut d = Data {
        days: Vec::with_capacity(n),
        event: Vec::with_capacity(n),
        group: Vec::with_capacity(n),
    };
    for _ in 0..n {
        let g = u32::from(uniform() < 0.5);
        let mean = if g == 0 { 800.0 } else { 1100.0 };
        let t = -mean * uniform().ln();
        let c = -mean / 0.43 * uniform().ln();
        let obs = t.min(c).min(3650.0);
        d.days.push(obs.ceil().clamp(1.0, 3650.0) as u32);
        d.event.push(t <= c && t <= 3650.0);
        d.group.push(g);
    }
    d
}

/// Everything `rwe km` computes per curve: the table with log-log CIs, quartiles with CIs and
/// survival at three landmarks.
fn km_report(fit: &KaplanMeier) -> f64 {
    let conf = Confidence::new(ConfType::LogLog, 0.95).unwrap();
    let band = fit.pointwise_ci(conf);
    let q = fit
        .quantiles(&[0.25, 0.5, 0.75], conf, QuantileRule::Sas)
        .unwrap();
    let at = fit
        .survival_at(&[365.0, 730.0, 1095.0], conf, BeyondLastTime::NotEstimable)
        .unwrap();
    black_box(&band);
    black_box(&at);
    q[1].time.expect("the median is reached")
}

fn km_all(time_counts: GroupCounts) -> Vec<f64> {
    let mut medians = vec![km_report(&KaplanMeier::from_counts(&time_counts.pooled()))];
    for g in 0..time_counts.groups() {
        medians.push(km_report(&KaplanMeier::from_counts(
            &time_counts.group(g).unwrap(),
        )));
    }
    medians
}

const SIZES: [usize; 3] = [100_000, 1_000_000, 10_000_000];

fn counts(d: &Data) -> GroupCounts {
    GroupCounts::from_observations(&d.days, &d.event, Some(&d.group), None).unwrap()
}

fn bench(c: &mut Criterion) {
    let datasets: Vec<(usize, Data)> = SIZES.iter().map(|&n| (n, data(n))).collect();

    let mut km = c.benchmark_group("km");
    km.sample_size(10);
    for (n, d) in &datasets {
        km.bench_function(format!("n={n}/rwe"), |b| {
            b.iter(|| {
                let medians = km_all(counts(d));
                // Median of Exp(mean 800) with independent censoring: 800·ln 2 ≈ 555 days.
                assert!(
                    (medians[1] - 554.5).abs() < 40.0,
                    "median group 1 {}",
                    medians[1]
                );
                medians
            });
        });
    }
    km.finish();

    let mut logrank = c.benchmark_group("logrank");
    logrank.sample_size(10);
    for (n, d) in &datasets {
        logrank.bench_function(format!("n={n}/rwe"), |b| {
            b.iter(|| {
                let test = survdiff_counts(&counts(d), TestWeight::LogRank).unwrap();
                assert!(test.chisq > 100.0 && test.df == 1, "{test:?}");
                test.chisq
            });
        });
    }
    logrank.finish();

    let mut cox = c.benchmark_group("cox");
    cox.sample_size(10);
    let o = CoxOptions {
        ties: Ties::Efron,
        ..CoxOptions::default()
    };
    for (n, d) in &datasets {
        cox.bench_function(format!("n={n}/rwe"), |b| {
            b.iter(|| {
                let fit = cox_fit_counts(&counts(d), "group", &["1", "2"], &o).unwrap();
                // True log hazard ratio: ln(800/1100) = −0.318.
                let truth = (800.0_f64 / 1100.0).ln();
                assert!(
                    (fit.terms[0].coef - truth).abs() < 0.05,
                    "{:?}",
                    fit.terms[0]
                );
                fit.terms[0].coef
            });
        });
    }
    cox.finish();

    // As many distinct times as rows: every time fractional, so the sort kernel.
    let mut fractional = c.benchmark_group("km-fractional");
    fractional.sample_size(10);
    for (n, d) in datasets.iter().filter(|(n, _)| *n <= 1_000_000) {
        let times: Vec<f64> = d
            .days
            .iter()
            .enumerate()
            .map(|(i, &t)| f64::from(t) - (i as f64 + 0.5) / *n as f64)
            .collect();
        fractional.bench_function(format!("n={n}/rwe"), |b| {
            b.iter(|| {
                let c =
                    GroupCounts::from_observations(&times, &d.event, Some(&d.group), None).unwrap();
                assert!(c.pooled().len() > n / 2);
                km_all(c)
            });
        });
    }
    fractional.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
