//! The fast paths equal the straightforward ones: per-time counts per group and stratum (by day or
//! by sort, on any number of threads) give the same Kaplan-Meier curves, log-rank family tests and
//! Cox fits as the row-by-row estimators, on random data with many ties, censoring at event times,
//! empty groups and empty strata.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap

use std::num::NonZeroUsize;

use proptest::prelude::*;
use rwe_stats::{
    CountKernel, CountOptions, Covariate, CoxError, CoxFit, CoxOptions, Design, GroupCounts,
    KaplanMeier, LogrankError, TestWeight, Ties, cox_fit, cox_fit_counts, factor_levels, survdiff,
    survdiff_counts,
};

/// The counts are integers and the arithmetic after them is the same up to the order of a few
/// sums: any difference is rounding.
const TOL: f64 = 1e-12;

#[derive(Debug, Clone)]
struct Row {
    time: f64,
    event: bool,
    group: u32,
    stratum: u32,
}

/// Up to 150 rows on a few integer days (many ties, censorings at event times), sometimes shifted
/// to quarter days (the sort kernel) or spread over a very wide range (too wide for the day array);
/// 1–4 groups and 1–4 strata drawn at random, so some groups and strata are empty.
fn rows() -> impl Strategy<Value = Vec<Row>> {
    let spread = prop_oneof![Just(0_u32), Just(1), Just(2)];
    (spread, 1_u32..5, 1_u32..5).prop_flat_map(|(spread, groups, strata)| {
        let row = (0_u32..25, 0_u32..4, any::<bool>(), 0..groups, 0..strata).prop_map(
            move |(day, quarter, event, group, stratum)| Row {
                time: match spread {
                    0 => f64::from(day),
                    1 => f64::from(day) + f64::from(quarter) / 4.0,
                    _ => f64::from(day) * 1e6,
                },
                event,
                group,
                stratum,
            },
        );
        prop::collection::vec(row, 1..150)
    })
}

struct Columns {
    time: Vec<f64>,
    event: Vec<bool>,
    group: Vec<u32>,
    strata: Vec<u32>,
}

fn columns(rows: &[Row]) -> Columns {
    Columns {
        time: rows.iter().map(|r| r.time).collect(),
        event: rows.iter().map(|r| r.event).collect(),
        group: rows.iter().map(|r| r.group).collect(),
        strata: rows.iter().map(|r| r.stratum).collect(),
    }
}

fn options(threads: usize, kernel: CountKernel) -> CountOptions {
    CountOptions {
        threads: NonZeroUsize::new(threads).unwrap(),
        kernel,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= TOL * b.abs().max(1.0) || (a.is_nan() && b.is_nan()) || a == b
}

fn close_opt(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => close(a, b),
        (None, None) => true,
        _ => false,
    }
}

fn km_matches(ctx: &str, fast: &KaplanMeier, slow: &KaplanMeier) -> Result<(), TestCaseError> {
    prop_assert_eq!(fast.rows().len(), slow.rows().len(), "{} rows", ctx);
    prop_assert_eq!(
        (fast.n(), fast.events()),
        (slow.n(), slow.events()),
        "{}",
        ctx
    );
    for (f, s) in fast.rows().iter().zip(slow.rows()) {
        let t = s.time;
        prop_assert_eq!(f.time, t, "{} time", ctx);
        prop_assert_eq!(
            (f.n_risk, f.n_event, f.n_censor),
            (s.n_risk, s.n_event, s.n_censor),
            "{} t={} counts",
            ctx,
            t
        );
        prop_assert!(
            close(f.surv, s.surv),
            "{} t={} surv {} vs {}",
            ctx,
            t,
            f.surv,
            s.surv
        );
        prop_assert!(close_opt(f.std_err, s.std_err), "{} t={} std_err", ctx, t);
        prop_assert!(close(f.cumhaz, s.cumhaz), "{} t={} cumhaz", ctx, t);
        prop_assert!(close(f.std_chaz, s.std_chaz), "{} t={} std_chaz", ctx, t);
    }
    Ok(())
}

fn cox_matches(ctx: &str, fast: &CoxFit, slow: &CoxFit) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        (fast.n, fast.events),
        (slow.n, slow.events),
        "{} n, events",
        ctx
    );
    prop_assert_eq!(fast.terms.len(), slow.terms.len(), "{} terms", ctx);
    prop_assert_eq!(fast.iterations, slow.iterations, "{} iterations", ctx);
    // Which terms are flagged depends on the degenerate values themselves; that some are is not.
    prop_assert_eq!(
        fast.warnings.is_empty(),
        slow.warnings.is_empty(),
        "{} warnings {:?} vs {:?}",
        ctx,
        fast.warnings,
        slow.warnings
    );
    if slow.warnings.is_empty() {
        prop_assert_eq!(&fast.warnings, &slow.warnings, "{} warnings", ctx);
    }
    for (f, s) in fast.terms.iter().zip(&slow.terms) {
        prop_assert_eq!(&f.term, &s.term, "{}", ctx);
        // A coefficient drifting to ±∞ (monotone likelihood) stops wherever the log-likelihood
        // flattens out below the convergence tolerance, with a near-singular information matrix
        // that makes every coefficient of the fit meaningless (R warns) and sensitive to rounding.
        // Both paths must warn; the coefficients are then not compared.
        if !slow.warnings.is_empty() {
            break;
        }
        prop_assert!(
            close(fast.wald_test.stat, slow.wald_test.stat),
            "{} wald",
            ctx
        );
        for (field, a, b) in [
            ("coef", f.coef, s.coef),
            ("se", f.se, s.se),
            ("z", f.z, s.z),
            ("p", f.p, s.p),
        ] {
            prop_assert!(
                close(a, b),
                "{} term {} {}: counts {} rows {}",
                ctx,
                s.term,
                field,
                a,
                b
            );
        }
    }
    for (field, a, b) in [
        ("loglik_null", fast.loglik_null, slow.loglik_null),
        ("loglik_model", fast.loglik_model, slow.loglik_model),
        ("score", fast.score_test.stat, slow.score_test.stat),
    ] {
        prop_assert!(close(a, b), "{} {}: counts {} rows {}", ctx, field, a, b);
    }
    // 2(ℓ − ℓ₀) is a difference of two log-likelihoods: its rounding is relative to them.
    let (a, b) = (fast.lr_test.stat, slow.lr_test.stat);
    prop_assert!(
        (a - b).abs() <= 2.0 * TOL * slow.loglik_null.abs().max(1.0),
        "{} lr: counts {} rows {}",
        ctx,
        a,
        b
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn kernels_and_threads_give_the_same_counts(rows in rows(), threads in 1_usize..5) {
        let c = columns(&rows);
        let reference = GroupCounts::from_observations_with(
            &c.time, &c.event, Some(&c.group), Some(&c.strata), &options(1, CountKernel::Sort)).unwrap();
        let fast = GroupCounts::from_observations_with(
            &c.time, &c.event, Some(&c.group), Some(&c.strata), &options(threads, CountKernel::Auto)).unwrap();
        prop_assert_eq!(&fast, &reference);
        // Counting two halves separately and merging is the same as counting everything.
        let half = rows.len() / 2;
        if half > 0 {
            let (a, b) = (columns(&rows[..half]), columns(&rows[half..]));
            let ca = GroupCounts::from_observations(&a.time, &a.event, Some(&a.group), Some(&a.strata)).unwrap();
            let cb = GroupCounts::from_observations(&b.time, &b.event, Some(&b.group), Some(&b.strata)).unwrap();
            // Dense indices may leave trailing groups/strata out of a half; merge pads them.
            let merged = ca.merge(&cb);
            prop_assert_eq!(merged.pooled(), reference.pooled());
            for g in 0..reference.groups() {
                prop_assert_eq!(merged.group(g), reference.group(g), "group {}", g);
            }
        }
    }

    #[test]
    fn kaplan_meier_from_counts_equals_rows(rows in rows()) {
        let c = columns(&rows);
        let counts = GroupCounts::from_observations(&c.time, &c.event, Some(&c.group), Some(&c.strata)).unwrap();
        km_matches("pooled", &KaplanMeier::from_counts(&counts.pooled()), &KaplanMeier::fit(&c.time, &c.event).unwrap())?;
        for g in 0..counts.groups() {
            let (t, e): (Vec<f64>, Vec<bool>) = rows.iter().filter(|r| r.group as usize == g).map(|r| (r.time, r.event)).unzip();
            match counts.group(g) {
                None => prop_assert!(t.is_empty(), "group {} has rows but no counts", g),
                Some(gc) => km_matches(&format!("group {g}"), &KaplanMeier::from_counts(&gc), &KaplanMeier::fit(&t, &e).unwrap())?,
            }
        }
    }

    #[test]
    fn survdiff_from_counts_equals_rows(rows in rows(), stratified in any::<bool>(), rho in 0.0_f64..2.0, gamma in 0.0_f64..2.0) {
        let c = columns(&rows);
        let strata = stratified.then_some(c.strata.as_slice());
        let counts = GroupCounts::from_observations(&c.time, &c.event, Some(&c.group), strata).unwrap();
        for weight in [TestWeight::LogRank, TestWeight::Gehan, TestWeight::TaroneWare, TestWeight::PetoPeto,
                       TestWeight::FlemingHarrington { rho, gamma }] {
            let fast = survdiff_counts(&counts, weight);
            let slow = survdiff(&c.time, &c.event, &c.group, strata, weight);
            match (fast, slow) {
                (Ok(f), Ok(s)) => {
                    let ctx = format!("{} stratified={stratified}", weight.as_str());
                    prop_assert!(close(f.chisq, s.chisq), "{} chisq {} vs {}", ctx, f.chisq, s.chisq);
                    prop_assert_eq!((f.df, &f.n, f.strata), (s.df, &s.n, s.strata), "{}", ctx);
                    for g in 0..s.obs.len() {
                        prop_assert!(close(f.obs[g], s.obs[g]) && close(f.exp[g], s.exp[g]), "{} group {} O/E", ctx, g);
                        for h in 0..s.obs.len() {
                            prop_assert!(close(f.var[g][h], s.var[g][h]), "{} var[{}][{}]", ctx, g, h);
                        }
                    }
                }
                // The row path refuses group indices beyond the number of rows; counts accept them.
                (_, Err(LogrankError::GroupIndexTooLarge { .. })) => {}
                (Err(f), Err(s)) => prop_assert_eq!(f, s),
                (f, s) => prop_assert!(false, "{}: counts {:?}, rows {:?}", weight.as_str(), f, s),
            }
        }
    }

    #[test]
    fn cox_from_counts_equals_rows(rows in rows(), stratified in any::<bool>(), efron in any::<bool>()) {
        let c = columns(&rows);
        // The design has the levels that occur, in R's order; the counts use the same dense indices.
        let labels: Vec<String> = c.group.iter().map(|g| format!("L{g}")).collect();
        let levels = factor_levels(&labels);
        let index: Vec<u32> = labels.iter().map(|l| levels.iter().position(|x| x == l).unwrap() as u32).collect();
        let strata = stratified.then_some(c.strata.as_slice());
        let o = CoxOptions { ties: if efron { Ties::Efron } else { Ties::Breslow }, ..CoxOptions::default() };
        let counts = GroupCounts::from_observations(&c.time, &c.event, Some(&index), strata).unwrap();
        let fast = cox_fit_counts(&counts, "arm", &levels, &o);
        let refs: Vec<&str> = labels.iter().map(String::as_str).collect();
        let slow = match Design::new(&[Covariate::categorical("arm", &refs)]) {
            Ok(design) => cox_fit(&c.time, &c.event, &design, strata, &o),
            // A single level: cox_fit would report no events first, then the constant covariate.
            Err(_) if !c.event.contains(&true) => Err(CoxError::NoEvents),
            Err(_) => Err(CoxError::ConstantCovariate { term: "arm".into() }),
        };
        match (fast, slow) {
            (Ok(f), Ok(s)) => cox_matches(&format!("ties={} stratified={stratified}", o.ties.as_str()), &f, &s)?,
            (Err(f), Err(s)) => prop_assert_eq!(std::mem::discriminant(&f), std::mem::discriminant(&s), "{:?} vs {:?}", f, s),
            (f, s) => prop_assert!(false, "counts {:?}, rows {:?}", f.map(|x| x.terms), s.map(|x| x.terms)),
        }
    }
}

#[test]
fn errors_of_the_count_paths() {
    let counts =
        GroupCounts::from_observations(&[1.0, 2.0], &[true, false], Some(&[0, 0]), None).unwrap();
    assert_eq!(
        survdiff_counts(&counts, TestWeight::LogRank),
        Err(LogrankError::FewerThanTwoGroups { non_empty: 1 })
    );
    assert_eq!(
        cox_fit_counts(&counts, "arm", &["A", "B"], &CoxOptions::default()).unwrap_err(),
        CoxError::LengthMismatch {
            what: "levels",
            expected: 1,
            found: 2
        }
    );
    let counts =
        GroupCounts::from_observations(&[1.0, 2.0], &[false, false], Some(&[0, 1]), None).unwrap();
    assert_eq!(
        cox_fit_counts(&counts, "arm", &["A", "B"], &CoxOptions::default()).unwrap_err(),
        CoxError::NoEvents
    );
    // Group 1 has no subject: its indicator is constant.
    let counts =
        GroupCounts::from_observations(&[1.0, 2.0, 3.0], &[true; 3], Some(&[0, 2, 0]), None)
            .unwrap();
    assert_eq!(
        cox_fit_counts(&counts, "arm", &["A", "B", "C"], &CoxOptions::default()).unwrap_err(),
        CoxError::ConstantCovariate {
            term: "armB".into()
        }
    );
}

/// Many tied events per time (hundreds), where Efron's D terms are summed per time: 20 000 rows on
/// 40 days in two arms and two strata, a deterministic scramble.
#[test]
fn cox_from_counts_with_heavy_ties() {
    let n = 20_000;
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut rows = Vec::with_capacity(n);
    for _ in 0..n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let arm = (x >> 10) % 2;
        // Arm 1 has its events earlier: a real effect, so the fit converges to a finite β.
        let day = (x % 40) / (1 + arm);
        rows.push(Row {
            time: day as f64,
            event: (x >> 20) % 10 < 7,
            group: arm as u32,
            stratum: ((x >> 30) % 2) as u32,
        });
    }
    let c = columns(&rows);
    let labels: Vec<&str> = c
        .group
        .iter()
        .map(|&g| if g == 0 { "A" } else { "B" })
        .collect();
    let design = Design::new(&[Covariate::categorical("arm", &labels)]).unwrap();
    for ties in [Ties::Efron, Ties::Breslow] {
        for strata in [None, Some(c.strata.as_slice())] {
            let o = CoxOptions {
                ties,
                ..CoxOptions::default()
            };
            let counts =
                GroupCounts::from_observations(&c.time, &c.event, Some(&c.group), strata).unwrap();
            let fast = cox_fit_counts(&counts, "arm", &["A", "B"], &o).unwrap();
            let slow = cox_fit(&c.time, &c.event, &design, strata, &o).unwrap();
            assert!(
                fast.warnings.is_empty() && fast.terms[0].coef > 0.1,
                "{:?}",
                fast.terms
            );
            cox_matches(
                &format!("heavy ties {} strata={}", ties.as_str(), strata.is_some()),
                &fast,
                &slow,
            )
            .unwrap();
        }
    }
}
