//! Harrell's concordance (C-index) of a risk score with right-censored survival, and its standard
//! error as R `survival` 3.x computes it (`concordancefit`, as reported by `summary.coxph`).
//!
//! Definitions and the variance are described on [`concordance`].

use serde::Serialize;

/// Harrell's C for a risk score, with the pair counts behind it.
///
/// The count names map to R's `concordance` vector: `concordant`, `discordant`, `tied.x`
/// (`tied_risk`), `tied.y` (`tied_time`), `tied.xy` (`tied_both`), in the orientation of
/// `coxph` (`reverse = TRUE`: a higher score means a higher risk, i.e. shorter survival).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Concordance {
    /// Comparable pairs where the subject who failed first has the higher score.
    pub concordant: u64,
    /// Comparable pairs where the subject who failed first has the lower score.
    pub discordant: u64,
    /// Comparable pairs with equal scores (R's `tied.x`).
    pub tied_risk: u64,
    /// Pairs of events at the same time with different scores (R's `tied.y`).
    pub tied_time: u64,
    /// Pairs of events at the same time with equal scores (R's `tied.xy`).
    pub tied_both: u64,
    /// (concordant + tied_risk / 2) / (concordant + discordant + tied_risk).
    pub estimate: f64,
    /// Standard error of `estimate` (infinitesimal jackknife, R's `sqrt(var)`).
    pub std_err: f64,
}

/// Why a concordance could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConcordanceError {
    /// No observations were given.
    #[error("no observations")]
    Empty,
    /// An input vector does not have one entry per observation.
    #[error("`{what}` has {found} entries, expected {expected} (one per observation)")]
    LengthMismatch {
        /// Which input (`event`, `score` or `strata`).
        what: &'static str,
        /// The number of observations (`time.len()`).
        expected: usize,
        /// The length given.
        found: usize,
    },
    /// A time or score is NaN or infinite.
    #[error("observation {row}: {what} {found} is not a finite number")]
    NonFinite {
        /// `time` or `score`.
        what: &'static str,
        /// Index of the observation (0-based).
        row: usize,
        /// The value found.
        found: f64,
    },
    /// No pair is comparable (no event with anyone at risk after it), so C is undefined.
    #[error("no comparable pairs: C is undefined")]
    NoComparablePairs,
}

/// Harrell's concordance of `score` (higher = higher risk) with right-censored `time`/`event`,
/// optionally within strata, with survival 3.x's standard error.
///
/// A pair (i, j) is *comparable* when i has an event at t_i and j is still at risk then: t_j > t_i,
/// or j censored at t_j = t_i (a censoring at the event time counts as having outlived it). A
/// comparable pair is concordant when the subject who failed first has the higher risk score,
/// discordant when it has the lower one, and tied on the score when the scores are equal. Pairs of
/// events at the same time are not comparable; they are counted as tied on time (`tied.y`), or tied
/// on time and score (`tied.xy`) when their scores are equal too.
///
/// With C, D, T the concordant, discordant and score-tied counts and N = C + D + T,
///
/// * Somers' d = (C − D) / N and the concordance is (d + 1) / 2 = (C + T/2) / N;
/// * each subject i has an influence (dfbeta) on d,
///   dfbeta_i = ((C_i − D_i) − d (C_i + D_i + T_i)) / N, where C_i, D_i, T_i count the comparable
///   pairs that involve i (as the one who failed or as the one at risk);
/// * var(C-index) = Σ_i dfbeta_i² / 4 (the infinitesimal-jackknife variance of d, divided by 4).
///
/// This is `concordancefit` with `timewt = "n"` and unit case weights: the counts come from
/// `concordance3.c` (which uses a balanced binary tree; here a Fenwick tree over score ranks, same
/// sums in O(n log n)), and the variance is the `var` element, whose square root `summary.coxph`
/// prints as `se(C)`. Strata: pairs are formed within strata only; counts and influences are summed
/// over strata before d and the variance are formed. Scores are compared exactly (no tolerance);
/// times too (R's Cox fit first merges times that differ by less than about 1e-8 relative through
/// `aeqSurv`; integer-valued times, the common case, are unaffected).
///
/// # Errors
///
/// [`ConcordanceError::Empty`], [`ConcordanceError::LengthMismatch`],
/// [`ConcordanceError::NonFinite`] and [`ConcordanceError::NoComparablePairs`].
pub fn concordance(
    time: &[f64],
    event: &[bool],
    score: &[f64],
    strata: Option<&[u32]>,
) -> Result<Concordance, ConcordanceError> {
    let n = time.len();
    if n == 0 {
        return Err(ConcordanceError::Empty);
    }
    for (what, len) in [("event", event.len()), ("score", score.len())]
        .into_iter()
        .chain(strata.map(|s| ("strata", s.len())))
    {
        if len != n {
            return Err(ConcordanceError::LengthMismatch {
                what,
                expected: n,
                found: len,
            });
        }
    }
    for (what, v) in [("time", time), ("score", score)] {
        if let Some(row) = v.iter().position(|x| !x.is_finite()) {
            return Err(ConcordanceError::NonFinite {
                what,
                row,
                found: v[row],
            });
        }
    }

    let stratum = |i: usize| strata.map_or(0, |s| s[i]);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| stratum(i));

    let mut totals = Counts::default();
    let mut influence = vec![[0_i64; 3]; n];
    let mut start = 0;
    while start < n {
        let s = stratum(order[start]);
        let end = start + order[start..].partition_point(|&i| stratum(i) == s);
        count_stratum(
            &order[start..end],
            time,
            event,
            score,
            &mut totals,
            &mut influence,
        );
        start = end;
    }

    let npair = totals.concordant + totals.discordant + totals.tied_risk;
    if npair == 0 {
        return Err(ConcordanceError::NoComparablePairs);
    }
    let npair_f = npair as f64;
    let somers_d = (totals.concordant as f64 - totals.discordant as f64) / npair_f;
    let var_d: f64 = influence
        .iter()
        .map(|&[c, d, t]| {
            let dfbeta = ((c - d) as f64 - somers_d * (c + d + t) as f64) / npair_f;
            dfbeta * dfbeta
        })
        .sum();
    Ok(Concordance {
        concordant: totals.concordant,
        discordant: totals.discordant,
        tied_risk: totals.tied_risk,
        tied_time: totals.tied_time,
        tied_both: totals.tied_both,
        estimate: (somers_d + 1.0) / 2.0,
        std_err: (var_d / 4.0).sqrt(),
    })
}

#[derive(Debug, Default)]
struct Counts {
    concordant: u64,
    discordant: u64,
    tied_risk: u64,
    tied_time: u64,
    tied_both: u64,
}

/// Count pairs within one stratum and add each subject's (C_i, D_i, T_i) to `influence`.
///
/// Subjects are visited from the latest time back, censorings before the events at the same time.
/// A tree `at_risk` holds everyone visited (so, for an event at t, everyone with time > t and the
/// censorings at t); a tree `failed` holds the events visited. A subject's pairs as the one at risk
/// are the events visited after it joined `at_risk`: the `failed` counts at the end minus those
/// when it joined (the trick of `concordance3.c`).
fn count_stratum(
    idx: &[usize],
    time: &[f64],
    event: &[bool],
    score: &[f64],
    totals: &mut Counts,
    influence: &mut [[i64; 3]],
) {
    // Dense ranks of the scores within the stratum, by position in `idx`.
    let mut by_score: Vec<usize> = (0..idx.len()).collect();
    by_score.sort_by(|&a, &b| score[idx[a]].total_cmp(&score[idx[b]]));
    let mut rank = vec![0_usize; idx.len()];
    let mut r = 0;
    for (k, &p) in by_score.iter().enumerate() {
        if k > 0 && score[idx[p]] != score[idx[by_score[k - 1]]] {
            r += 1;
        }
        rank[p] = r;
    }
    let m = r + 1;
    let rank_of = |p: usize| rank[p];

    // Positions (into idx) by decreasing time, censorings first within a time.
    let mut visit: Vec<usize> = (0..idx.len()).collect();
    visit.sort_by(|&a, &b| {
        time[idx[b]]
            .total_cmp(&time[idx[a]])
            .then(event[idx[a]].cmp(&event[idx[b]]))
    });

    let mut at_risk = Fenwick::new(m);
    let mut failed = Fenwick::new(m);
    // (C, D, T) contributed to a subject at risk by the events in `failed` so far: events with a
    // higher score are concordant, lower discordant, equal tied.
    let as_at_risk = |failed: &Fenwick, r: usize| -> [i64; 3] {
        let below = failed.prefix(r);
        let equal = failed.point(r);
        [failed.total() - below - equal, below, equal]
    };

    let mut k = 0;
    while k < visit.len() {
        let p = visit[k];
        let i = idx[p];
        if !event[i] {
            let c = as_at_risk(&failed, rank_of(p));
            sub(&mut influence[i], c);
            at_risk.add(rank_of(p), 1);
            k += 1;
            continue;
        }
        // All events at this time.
        let t = time[i];
        let end = k + visit[k..].partition_point(|&q| time[idx[q]] == t && event[idx[q]]);
        let deaths = &visit[k..end];
        for &q in deaths {
            let r = rank_of(q);
            let below = at_risk.prefix(r);
            let equal = at_risk.point(r);
            let above = at_risk.total() - below - equal;
            let j = idx[q];
            influence[j][0] += below;
            influence[j][1] += above;
            influence[j][2] += equal;
            totals.concordant += below as u64;
            totals.discordant += above as u64;
            totals.tied_risk += equal as u64;
        }
        // Tied event times: all pairs, split by whether the scores tie too.
        let nd = deaths.len() as u64;
        let mut ranks: Vec<usize> = deaths.iter().map(|&q| rank_of(q)).collect();
        ranks.sort_unstable();
        let mut both = 0_u64;
        let mut run = 1_u64;
        for w in 1..=ranks.len() {
            if w < ranks.len() && ranks[w] == ranks[w - 1] {
                run += 1;
            } else {
                both += run * (run - 1) / 2;
                run = 1;
            }
        }
        totals.tied_both += both;
        totals.tied_time += nd * (nd - 1) / 2 - both;
        for &q in deaths {
            failed.add(rank_of(q), 1);
        }
        for &q in deaths {
            let c = as_at_risk(&failed, rank_of(q));
            sub(&mut influence[idx[q]], c);
            at_risk.add(rank_of(q), 1);
        }
        k = end;
    }
    for (p, &i) in idx.iter().enumerate() {
        let c = as_at_risk(&failed, rank_of(p));
        for (a, b) in influence[i].iter_mut().zip(c) {
            *a += b;
        }
    }
}

fn sub(a: &mut [i64; 3], b: [i64; 3]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x -= y;
    }
}

/// Fenwick (binary indexed) tree of counts over ranks `0..m`.
#[derive(Debug)]
struct Fenwick {
    tree: Vec<i64>,
    point: Vec<i64>,
    total: i64,
}

impl Fenwick {
    fn new(m: usize) -> Self {
        Fenwick {
            tree: vec![0; m + 1],
            point: vec![0; m],
            total: 0,
        }
    }

    fn add(&mut self, r: usize, v: i64) {
        self.point[r] += v;
        self.total += v;
        let mut i = r + 1;
        while i < self.tree.len() {
            self.tree[i] += v;
            i += i & i.wrapping_neg();
        }
    }

    /// Sum over ranks `< r`.
    fn prefix(&self, r: usize) -> i64 {
        let mut s = 0;
        let mut i = r;
        while i > 0 {
            s += self.tree[i];
            i -= i & i.wrapping_neg();
        }
        s
    }

    fn point(&self, r: usize) -> i64 {
        self.point[r]
    }

    fn total(&self) -> i64 {
        self.total
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Direct O(n²) definition, for checking the tree version.
    fn brute(time: &[f64], event: &[bool], score: &[f64], strata: &[u32]) -> Concordance {
        let n = time.len();
        let mut tot = [0_i64; 5];
        let mut infl = vec![[0_i64; 3]; n];
        for i in 0..n {
            for j in 0..n {
                if i == j || strata[i] != strata[j] || !event[i] {
                    continue;
                }
                let comparable = time[j] > time[i] || (time[j] == time[i] && !event[j]);
                if comparable {
                    let k = if score[i] > score[j] {
                        0
                    } else if score[i] < score[j] {
                        1
                    } else {
                        2
                    };
                    tot[k] += 1;
                    infl[i][k] += 1;
                    infl[j][k] += 1;
                } else if time[j] == time[i] && event[j] && i < j {
                    if score[i] == score[j] {
                        tot[4] += 1;
                    } else {
                        tot[3] += 1;
                    }
                }
            }
        }
        let np = (tot[0] + tot[1] + tot[2]) as f64;
        let d = (tot[0] - tot[1]) as f64 / np;
        let var: f64 = infl
            .iter()
            .map(|&[c, dd, t]| {
                let f = ((c - dd) as f64 - d * (c + dd + t) as f64) / np;
                f * f
            })
            .sum();
        Concordance {
            concordant: tot[0] as u64,
            discordant: tot[1] as u64,
            tied_risk: tot[2] as u64,
            tied_time: tot[3] as u64,
            tied_both: tot[4] as u64,
            estimate: (d + 1.0) / 2.0,
            std_err: (var / 4.0).sqrt(),
        }
    }

    #[test]
    fn small_example_by_hand() {
        // time  1   2   2   3+  4
        // event y   y   y   n   y
        // score 3   1   1   2   0
        // Comparable pairs (failed first, at risk): (1;2a) (1;2b) (1;3+) (1;4): score 3 > 1,1,2,0: 4 C.
        // (2a;3+) 1<2 D, (2a;4) 1>0 C, (2b;3+) D, (2b;4) C. 2a,2b tied on time and score: tied.xy 1.
        // C = 6, D = 2, T = 0, N = 8, d = 1/2, C-index = 3/4.
        // Influences (C_i, D_i, T_i): t1 (4,0,0); t2a: (1;2a) C, (2a;3+) D, (2a;4) C → (2,1,0);
        // t2b (2,1,0); t3+: (1;3+) C, (2a;3+) D, (2b;3+) D → (1,2,0); t4 (3,0,0).
        // dfbeta = (C−D − (C+D)/2)/8: t1 (4−2)/8, t2 (1−1.5)/8, t2 (−0.5)/8, t3 (−1−1.5)/8, t4 (3−1.5)/8
        //        = (2, −0.5, −0.5, −2.5, 1.5)/8; Σ² = (4 + 0.25 + 0.25 + 6.25 + 2.25)/64 = 13/64;
        // var = 13/256, se = √13/16.
        let time = [1.0, 2.0, 2.0, 3.0, 4.0];
        let event = [true, true, true, false, true];
        let score = [3.0, 1.0, 1.0, 2.0, 0.0];
        let c = concordance(&time, &event, &score, None).unwrap();
        assert_eq!(
            (
                c.concordant,
                c.discordant,
                c.tied_risk,
                c.tied_time,
                c.tied_both
            ),
            (6, 2, 0, 0, 1)
        );
        assert!((c.estimate - 0.75).abs() < 1e-15);
        assert!(
            (c.std_err - 13f64.sqrt() / 16.0).abs() < 1e-15,
            "{}",
            c.std_err
        );
    }

    #[test]
    fn errors() {
        assert_eq!(
            concordance(&[], &[], &[], None),
            Err(ConcordanceError::Empty)
        );
        assert_eq!(
            concordance(&[1.0, 2.0], &[false, false], &[0.0, 1.0], None),
            Err(ConcordanceError::NoComparablePairs)
        );
        assert!(matches!(
            concordance(&[1.0], &[true], &[f64::NAN], None),
            Err(ConcordanceError::NonFinite {
                what: "score",
                row: 0,
                ..
            })
        ));
        assert!(matches!(
            concordance(&[1.0], &[true], &[1.0], Some(&[0, 1])),
            Err(ConcordanceError::LengthMismatch { what: "strata", .. })
        ));
    }

    proptest! {
        #[test]
        fn tree_matches_pairwise_definition(
            rows in prop::collection::vec((0u8..6, any::<bool>(), 0u8..4, 0u32..2), 2..40)
        ) {
            let time: Vec<f64> = rows.iter().map(|r| f64::from(r.0)).collect();
            let event: Vec<bool> = rows.iter().map(|r| r.1).collect();
            let score: Vec<f64> = rows.iter().map(|r| f64::from(r.2) * 0.5).collect();
            let strata: Vec<u32> = rows.iter().map(|r| r.3).collect();
            let want = brute(&time, &event, &score, &strata);
            match concordance(&time, &event, &score, Some(&strata)) {
                Ok(got) => {
                    prop_assert_eq!(
                        (got.concordant, got.discordant, got.tied_risk, got.tied_time, got.tied_both),
                        (want.concordant, want.discordant, want.tied_risk, want.tied_time, want.tied_both)
                    );
                    prop_assert!((got.estimate - want.estimate).abs() < 1e-12);
                    prop_assert!((got.std_err - want.std_err).abs() < 1e-12);
                }
                Err(ConcordanceError::NoComparablePairs) => {
                    prop_assert_eq!(want.concordant + want.discordant + want.tied_risk, 0);
                }
                Err(e) => prop_assert!(false, "unexpected error {e}"),
            }
        }
    }
}
