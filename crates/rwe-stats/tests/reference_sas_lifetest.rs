//! [`QuantileRule::Sas`] against published SAS PROC LIFETEST output, and against the definition it
//! implements evaluated on every observed time instead of event times only.
//!
//! # The published example
//!
//! SAS/STAT 14.1 User's Guide, "The LIFETEST Procedure", section "Breslow, Fleming-Harrington, and
//! Kaplan-Meier Methods"
//! (<http://support.sas.com/documentation/cdl/en/statug/68162/HTML/default/viewer.htm#statug_lifetest_details03.htm>),
//! illustrates the Brookmeyer-Crowley interval for the 25th percentile of the ALL group of the bone
//! marrow transplant data under each `CONFTYPE=`, table "Constructing 95% Confidence Limits for the
//! 25th Percentile". The limits below are as transcribed from that page into statsmodels'
//! `statsmodels/duration/tests/test_survfunc.py` (`test_bmt`, "All tests against SAS").
//!
//! The data are the `BMT` DATA step of SAS/STAT 9.2 User's Guide, LIFETEST Example 49.2
//! (<https://support.sas.com/documentation/cdl/en/statug/63347/HTML/default/statug_lifetest_sect020.htm>),
//! disease-free survival in days of 137 patients from Klein and Moeschberger (1997); `Group = 1` (ALL),
//! 38 patients, is copied here. Time limits are data values, so they are compared exactly.
//!
//! The table decides between the two readings of the upper limit: the event time *after* the last
//! time in the set (what SAS prints, as `[lower, upper)`) gives the published values, while the last
//! time *in* the set would give 230, 194, 276, 230, 194 instead of 276, 230, 332, 276, 230.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap

use proptest::prelude::*;
use rwe_stats::{ConfType, Confidence, KaplanMeier, QuantileEstimate, QuantileRule};

/// SAS Example 49.2 `BMT`, `Group = 1` (ALL): (disease-free time in days, status 1 = event).
const BMT_ALL: [(f64, u8); 38] = [
    (2081.0, 0),
    (1602.0, 0),
    (1496.0, 0),
    (1462.0, 0),
    (1433.0, 0),
    (1377.0, 0),
    (1330.0, 0),
    (996.0, 0),
    (226.0, 0),
    (1199.0, 0),
    (1111.0, 0),
    (530.0, 0),
    (1182.0, 0),
    (1167.0, 0),
    (418.0, 1),
    (383.0, 1),
    (276.0, 1),
    (104.0, 1),
    (609.0, 1),
    (172.0, 1),
    (487.0, 1),
    (662.0, 1),
    (194.0, 1),
    (230.0, 1),
    (526.0, 1),
    (122.0, 1),
    (129.0, 1),
    (74.0, 1),
    (122.0, 1),
    (86.0, 1),
    (466.0, 1),
    (192.0, 1),
    (109.0, 1),
    (55.0, 1),
    (1.0, 1),
    (107.0, 1),
    (110.0, 1),
    (332.0, 1),
];

/// Published 95% limits `[lower, upper)` of the 25th percentile (p = 0.25: S drops to 0.75), ALL
/// group, by `CONFTYPE=` (SAS name, transform, lower, upper).
const PUBLISHED_Q25: [(&str, ConfType, f64, f64); 5] = [
    ("LINEAR", ConfType::Plain, 107.0, 276.0),
    ("LOGLOG", ConfType::LogLog, 86.0, 230.0),
    ("LOG", ConfType::Log, 107.0, 332.0),
    ("ASINSQRT", ConfType::Arcsine, 104.0, 276.0),
    ("LOGIT", ConfType::Logit, 104.0, 230.0),
];

fn bmt_all() -> KaplanMeier {
    let (t, e): (Vec<f64>, Vec<bool>) = BMT_ALL.iter().map(|&(t, s)| (t, s == 1)).unzip();
    KaplanMeier::fit(&t, &e).unwrap()
}

fn conf(t: ConfType) -> Confidence {
    Confidence::new(t, 0.95).unwrap()
}

/// The published limits, and the point estimate by the documented rule.
///
/// Point: S(110) = 30/38 = 0.789474 ≥ 0.75 and S(122) = 0.789474·(28/30) = 0.736842 < 0.75, so
/// q̂ = 122 under every transform (the transform only changes the interval).
///
/// Interval, e.g. LINEAR, |S − 0.75| ≤ 1.959964·σ̂ with the Greenwood σ̂ of S:
/// t = 104: S = 0.868421, σ̂ = 0.054836, |z| = 2.160 (out);
/// t = 107: S = 0.842105, σ̂ = 0.059153, |z| = 1.557 (in);
/// t = 230: S = 0.604119, σ̂ = 0.079522, |z| = 1.834 (in);
/// t = 276: S = 0.576659, σ̂ = 0.080509, |z| = 2.153 (out, and every later time is further out):
/// the set is {107, …, 230}, printed [107, 276).
#[test]
fn bmt_all_group_25th_percentile_matches_published_sas_limits() {
    let km = bmt_all();
    for (name, t, lower, upper) in PUBLISHED_Q25 {
        let got = km.quantile(0.25, conf(t), QuantileRule::Sas).unwrap();
        let place = format!("dataset BMT (SAS Example 49.2) group ALL p 0.25 CONFTYPE={name}");
        assert_eq!(got.time, Some(122.0), "{place}: point estimate");
        assert_eq!(got.lower, Some(lower), "{place}: lower limit");
        assert_eq!(got.upper, Some(upper), "{place}: upper limit");
    }
}

/// A real function: a transform g or its derivative.
type RealFn = fn(f64) -> f64;

/// The z statistic of SAS's test at survival `s` with standard error `se`, for the transform `t`;
/// NaN where it is undefined (S = 0 or 1, or σ̂ undefined). Written out independently of the crate.
fn statistic(t: ConfType, s: f64, se: f64, target: f64) -> f64 {
    let (g, dg): (RealFn, RealFn) = match t {
        ConfType::Plain => (|x| x, |_| 1.0),
        ConfType::Log => (f64::ln, |x| 1.0 / x),
        ConfType::LogLog => (|x| (-x.ln()).ln(), |x| 1.0 / (x * x.ln())),
        ConfType::Logit => (|x| (x / (1.0 - x)).ln(), |x| 1.0 / (x * (1.0 - x))),
        ConfType::Arcsine => (|x| x.sqrt().asin(), |x| 0.5 / (x * (1.0 - x)).sqrt()),
    };
    (g(s) - g(target)) / (dg(s) * se)
}

/// SAS's definition on the whole time axis: the set of *all* t ≥ 0 with |statistic| ≤ z, where
/// S(t) and σ̂(t) are the step functions (S = 1, σ̂ = 0 before the first event), evaluated at 0 and
/// at every observed time, censored ones included. The set is a union of stretches [t, next event
/// time); its infimum is the lower limit and the end of its last stretch the (open) upper limit,
/// `None` when that stretch runs to the end of follow-up.
fn brute_force_limits(km: &KaplanMeier, p: f64, c: Confidence) -> (Option<f64>, Option<f64>) {
    let target = 1.0 - p;
    let mut points = vec![(0.0, 1.0, Some(0.0))];
    points.extend(km.rows().iter().map(|r| (r.time, r.surv, r.std_err)));
    let inside: Vec<f64> = points
        .iter()
        .filter(|&&(_, s, se)| {
            se.is_some_and(|se| statistic(c.conf_type(), s, se, target).abs() <= c.z())
        })
        .map(|&(t, _, _)| t)
        .collect();
    let (Some(&lower), Some(&last)) = (inside.first(), inside.last()) else {
        return (None, None);
    };
    let upper = km
        .rows()
        .iter()
        .find(|r| r.time > last && r.n_event > 0)
        .map(|r| r.time);
    (Some(lower), upper)
}

fn observations() -> impl Strategy<Value = Vec<(f64, bool)>> {
    prop::collection::vec(((0_u32..40).prop_map(f64::from), any::<bool>()), 1..80)
}

const TRANSFORMS: [ConfType; 5] = [
    ConfType::Plain,
    ConfType::Log,
    ConfType::LogLog,
    ConfType::Logit,
    ConfType::Arcsine,
];

proptest! {
    /// Evaluating the test at event times only gives the same limits as evaluating it on the whole
    /// axis (before the first event S = 1 and σ̂ = 0, so the test always fails there: the lower
    /// limit is never earlier than the first event time).
    #[test]
    fn event_times_only_equals_the_whole_time_axis(rows in observations()) {
        let (t, e): (Vec<f64>, Vec<bool>) = rows.iter().copied().unzip();
        let km = KaplanMeier::fit(&t, &e).unwrap();
        let first_event = km.rows().iter().find(|r| r.n_event > 0).map(|r| r.time);
        for ct in TRANSFORMS {
            for p in [0.1, 0.25, 0.5, 0.75, 0.9] {
                let QuantileEstimate { lower, upper, .. } =
                    km.quantile(p, conf(ct), QuantileRule::Sas).unwrap();
                prop_assert_eq!((lower, upper), brute_force_limits(&km, p, conf(ct)), "{:?} p {}", ct, p);
                if let Some(l) = lower {
                    prop_assert!(first_event.is_some_and(|f| l >= f));
                    prop_assert!(upper.is_none_or(|u| u > l));
                }
            }
        }
    }
}
