//! Gray's test (Gray 1988) for equality of cumulative incidence curves across groups, as cmprsk
//! `cuminc(ftime, fstatus, group, strata, rho)` computes it (Fortran `crstm`/`crst`, cmprsk 2.2-11).
//!
//! For each cause, the score of group `i` sums over the distinct event times
//! `w(t) [d_i1 − D_1 R_i / Σ_r R_r]`, where `d_i1` are the group's events of that cause, `D_1` all of
//! them, and `R_i = n_i (1 − F_i(t−)) / S_i(t−)` is the group's "risk set" for the subdistribution
//! (`n_i` at risk, `F_i` its cumulative incidence of the cause and `S_i` its event-free Kaplan-Meier
//! curve). The weight is `w(t) = (1 − F(t−))^ρ` with `F` the pooled estimate; `ρ = 0` (cmprsk's default)
//! gives equal weights. The scores of the first `g − 1` groups and their covariance (Gray's asymptotic
//! formula, which also accounts for the competing events) give `s' V⁻¹ s ~ χ²(g − 1)`. With strata, the
//! scores and covariances are summed over strata.
//!
//! When `V` is singular (rank decided as R's `qr()` does, tolerance 1e-7), cmprsk reports the statistic
//! as −1 (and p = 1); here both are `None`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::cif::{CifError, check_times, resolve_causes};
use crate::dist::chisq_sf;

/// Gray's test for one cause.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GrayTest {
    /// The cause code.
    pub cause: u32,
    /// The chi-square statistic; `None` when the covariance matrix is singular.
    pub stat: Option<f64>,
    /// Degrees of freedom: number of groups − 1.
    pub df: u32,
    /// Upper-tail chi-square p-value; `None` when the statistic is.
    pub p: Option<f64>,
}

/// Relative tolerance of R's `qr()` (LINPACK `dqrdc2`) for deciding that a column is negligible.
const QR_TOLERANCE: f64 = 1e-7;

/// Gray's test of equal cumulative incidence across `groups`, for each cause present in the data (in
/// increasing code), with weight exponent `rho` (cmprsk's default is 0).
///
/// ```
/// use rwe_stats::gray_test;
/// let times = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
/// let causes = [1, 2, 1, 0, 1, 1];
/// let groups = ["a", "a", "a", "b", "b", "b"];
/// let tests = gray_test(&times, &causes, &groups, 0.0).unwrap();
/// assert_eq!(tests.len(), 2);
/// assert_eq!(tests[0].df, 1);
/// ```
///
/// # Errors
/// [`CifError::LengthMismatch`], [`CifError::NoObservations`], [`CifError::InvalidTime`],
/// [`CifError::TooFewGroups`] when fewer than two groups are present, [`CifError::Rho`] when `rho` is
/// not finite.
pub fn gray_test<G: Ord>(
    times: &[f64],
    causes: &[u32],
    groups: &[G],
    rho: f64,
) -> Result<Vec<GrayTest>, CifError> {
    let strata = vec![(); times.len()];
    gray_test_stratified(times, causes, groups, &strata, rho)
}

/// [`gray_test`] stratified: scores and covariances are computed within each stratum and summed
/// (cmprsk `cuminc(..., strata = )`).
///
/// # Errors
/// As [`gray_test`], and [`CifError::LengthMismatch`] when `strata` differs in length.
pub fn gray_test_stratified<G: Ord, S: Ord>(
    times: &[f64],
    causes: &[u32],
    groups: &[G],
    strata: &[S],
    rho: f64,
) -> Result<Vec<GrayTest>, CifError> {
    check_times(times, causes)?;
    for (what, found) in [("groups", groups.len()), ("strata", strata.len())] {
        if found != times.len() {
            return Err(CifError::LengthMismatch {
                what,
                found,
                expected: times.len(),
            });
        }
    }
    if !rho.is_finite() {
        return Err(CifError::Rho { rho });
    }
    let group_index = dense_codes(groups);
    let n_groups = group_index.iter().max().map_or(0, |&m| m + 1);
    if n_groups < 2 {
        return Err(CifError::TooFewGroups { found: n_groups });
    }
    let stratum_index = dense_codes(strata);
    let n_strata = stratum_index.iter().max().map_or(0, |&m| m + 1);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); n_strata];
    for (i, &s) in stratum_index.iter().enumerate() {
        members[s].push(i);
    }
    for rows in &mut members {
        rows.sort_by(|&a, &b| times[a].total_cmp(&times[b]));
    }
    let cause_list = resolve_causes(causes, None)?;
    let df = n_groups - 1;
    Ok(cause_list
        .iter()
        .map(|&cause| {
            let mut score = vec![0.0; df];
            let mut cov = vec![0.0; df * df];
            for rows in &members {
                let (s, v) = stratum_score(times, causes, &group_index, rows, n_groups, cause, rho);
                for (acc, x) in score.iter_mut().zip(s) {
                    *acc += x;
                }
                for (acc, x) in cov.iter_mut().zip(v) {
                    *acc += x;
                }
            }
            let stat = quadratic_form(&score, &cov, df);
            GrayTest {
                cause,
                stat,
                df: df as u32,
                p: stat.map(|x| chisq_sf(x, df as f64)),
            }
        })
        .collect())
}

/// Codes 0, 1, … for the distinct values, in sorted order.
fn dense_codes<T: Ord>(values: &[T]) -> Vec<usize> {
    let mut codes: BTreeMap<&T, usize> = BTreeMap::new();
    for v in values {
        codes.insert(v, 0);
    }
    for (i, code) in codes.values_mut().enumerate() {
        *code = i;
    }
    values.iter().map(|v| codes[v]).collect()
}

/// Score vector (first `g − 1` groups) and covariance (row-major, `(g−1)²`) of one stratum: cmprsk's
/// `crst`. `rows` are the stratum's observations sorted by time.
fn stratum_score(
    times: &[f64],
    causes: &[u32],
    group: &[usize],
    rows: &[usize],
    ng: usize,
    cause: u32,
    rho: f64,
) -> (Vec<f64>, Vec<f64>) {
    let ng1 = ng - 1;
    let mut s = vec![0.0; ng1];
    let mut v = vec![0.0; ng1 * ng1];
    // Per group: number at risk, F(t−), F(t), S(t−), S(t).
    let mut rs = vec![0_u64; ng];
    for &i in rows {
        rs[group[i]] += 1;
    }
    let mut f1m = vec![0.0; ng];
    let mut f1 = vec![0.0; ng];
    let mut skmm = vec![1.0; ng];
    let mut skm = vec![1.0; ng];
    let mut v3 = vec![0.0; ng];
    let mut v2 = vec![0.0; ng1 * ng];
    let mut c = vec![0.0; ng * ng];
    let mut a = vec![0.0; ng * ng];
    // Pooled F(t−), F(t).
    let mut fm = 0.0;
    let mut f = 0.0;
    let mut d1 = vec![0_u64; ng];
    let mut d2 = vec![0_u64; ng];
    let mut dc = vec![0_u64; ng];

    let mut lo = 0;
    while lo < rows.len() {
        let t = times[rows[lo]];
        let mut hi = lo;
        d1.fill(0);
        d2.fill(0);
        dc.fill(0);
        while hi < rows.len() && times[rows[hi]] == t {
            let i = rows[hi];
            let g = group[i];
            match causes[i] {
                0 => dc[g] += 1,
                k if k == cause => d1[g] += 1,
                _ => d2[g] += 1,
            }
            hi += 1;
        }
        let nd1: u64 = d1.iter().sum();
        let nd2: u64 = d2.iter().sum();
        if nd1 > 0 || nd2 > 0 {
            let mut tr = 0.0;
            let mut tq = 0.0;
            for i in 0..ng {
                if rs[i] == 0 {
                    continue;
                }
                let r = rs[i] as f64;
                let td = (d1[i] + d2[i]) as f64;
                skm[i] = skmm[i] * (r - td) / r;
                f1[i] = f1m[i] + skmm[i] * d1[i] as f64 / r;
                tr += r / skmm[i];
                tq += r * (1.0 - f1m[i]) / skmm[i];
            }
            f = fm + nd1 as f64 / tr;
            let fb = (1.0 - fm).powf(rho);
            let nd1f = nd1 as f64;
            for i in 0..ng {
                for j in i..ng {
                    a[i * ng + j] = 0.0;
                }
                if rs[i] == 0 {
                    continue;
                }
                let t1 = rs[i] as f64 / skmm[i];
                a[i * ng + i] = fb * t1 * (1.0 - t1 / tr);
                c[i * ng + i] += a[i * ng + i] * nd1f / (tr * (1.0 - fm));
                for j in i + 1..ng {
                    if rs[j] == 0 {
                        continue;
                    }
                    a[i * ng + j] = -fb * t1 * rs[j] as f64 / (skmm[j] * tr);
                    c[i * ng + j] += a[i * ng + j] * nd1f / (tr * (1.0 - fm));
                }
            }
            for i in 1..ng {
                for j in 0..i {
                    a[i * ng + j] = a[j * ng + i];
                    c[i * ng + j] = c[j * ng + i];
                }
            }
            for i in 0..ng1 {
                if rs[i] == 0 {
                    continue;
                }
                s[i] += fb * (d1[i] as f64 - nd1f * rs[i] as f64 * (1.0 - f1m[i]) / (skmm[i] * tq));
            }
            if nd1 > 0 {
                for k in 0..ng {
                    if rs[k] == 0 {
                        continue;
                    }
                    let t4 = if skm[k] > 0.0 {
                        1.0 - (1.0 - f) / skm[k]
                    } else {
                        1.0
                    };
                    let t5 = if nd1 > 1 {
                        1.0 - (nd1f - 1.0) / (tr * skmm[k] - 1.0)
                    } else {
                        1.0
                    };
                    let t3 = t5 * skmm[k] * nd1f / (tr * rs[k] as f64);
                    v3[k] += t4 * t4 * t3;
                    for i in 0..ng1 {
                        let t1 = a[i * ng + k] - t4 * c[i * ng + k];
                        v2[i * ng + k] += t1 * t4 * t3;
                        for j in 0..=i {
                            let t2 = a[j * ng + k] - t4 * c[j * ng + k];
                            v[i * ng1 + j] += t1 * t2 * t3;
                        }
                    }
                }
            }
            if nd2 > 0 {
                for k in 0..ng {
                    if skm[k] <= 0.0 || d2[k] == 0 {
                        continue;
                    }
                    let t4 = (1.0 - f) / skm[k];
                    let r = rs[k] as f64;
                    let d2k = d2[k] as f64;
                    let t5 = if d2[k] > 1 {
                        1.0 - (d2k - 1.0) / (r - 1.0)
                    } else {
                        1.0
                    };
                    let t3 = t5 * skmm[k] * skmm[k] * d2k / (r * r);
                    v3[k] += t4 * t4 * t3;
                    for i in 0..ng1 {
                        let t1 = t4 * c[i * ng + k];
                        v2[i * ng + k] -= t1 * t4 * t3;
                        for j in 0..=i {
                            let t2 = t4 * c[j * ng + k];
                            v[i * ng1 + j] += t1 * t2 * t3;
                        }
                    }
                }
            }
        }
        for &i in &rows[lo..hi] {
            rs[group[i]] -= 1;
        }
        fm = f;
        f1m.copy_from_slice(&f1);
        skmm.copy_from_slice(&skm);
        lo = hi;
    }
    for i in 0..ng1 {
        for j in 0..=i {
            let mut x = v[i * ng1 + j];
            for k in 0..ng {
                x += c[i * ng + k] * c[j * ng + k] * v3[k];
                x += c[i * ng + k] * v2[j * ng + k];
                x += c[j * ng + k] * v2[i * ng + k];
            }
            v[i * ng1 + j] = x;
            v[j * ng1 + i] = x;
        }
    }
    (s, v)
}

/// `sᵀ V⁻¹ s`, or `None` when `V` is rank deficient by R's `qr()` criterion: a column is negligible
/// when its norm after removing the earlier columns is below 1e-7 of its original norm.
fn quadratic_form(s: &[f64], v: &[f64], m: usize) -> Option<f64> {
    // Rank check by modified Gram-Schmidt on the columns, in order.
    let mut basis: Vec<Vec<f64>> = Vec::with_capacity(m);
    for j in 0..m {
        let mut col: Vec<f64> = (0..m).map(|i| v[i * m + j]).collect();
        let norm0 = col.iter().map(|x| x * x).sum::<f64>().sqrt();
        for q in &basis {
            let dot: f64 = q.iter().zip(&col).map(|(a, b)| a * b).sum();
            for (c, qi) in col.iter_mut().zip(q) {
                *c -= dot * qi;
            }
        }
        let norm = col.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm0 == 0.0 || norm < QR_TOLERANCE * norm0 || !norm.is_finite() {
            return None;
        }
        basis.push(col.iter().map(|x| x / norm).collect());
    }
    // Solve V x = s by Gaussian elimination with partial pivoting.
    let mut aug: Vec<Vec<f64>> = (0..m)
        .map(|i| {
            let mut row: Vec<f64> = v[i * m..(i + 1) * m].to_vec();
            row.push(s[i]);
            row
        })
        .collect();
    for col in 0..m {
        let pivot = (col..m).max_by(|&x, &y| aug[x][col].abs().total_cmp(&aug[y][col].abs()))?;
        aug.swap(col, pivot);
        let p = aug[col][col];
        if p == 0.0 {
            return None;
        }
        let pivot_row = aug[col].clone();
        for row in &mut aug[col + 1..] {
            let factor = row[col] / p;
            if factor != 0.0 {
                for (x, q) in row[col..].iter_mut().zip(&pivot_row[col..]) {
                    *x -= factor * q;
                }
            }
        }
    }
    let mut x = vec![0.0; m];
    for i in (0..m).rev() {
        let mut acc = aug[i][m];
        for k in i + 1..m {
            acc -= aug[i][k] * x[k];
        }
        x[i] = acc / aug[i][i];
    }
    Some(s.iter().zip(&x).map(|(a, b)| a * b).sum())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn two_groups_hand_computed() {
        // Group a: (1, cause 1); group b: (2, cause 1). One cause, no censoring, rho = 0.
        // t=1: rs = (1, 1), S(t−) = (1, 1), F(t−) = 0: tr = 2, tq = 2; d1 = (1, 0), nd1 = 1.
        //   score_a += 1 − 1·1·1/(1·2) = 1/2. a = [[1/2, −1/2], [−1/2, 1/2]],
        //   c += a · 1/(2·1) = [[1/4, −1/4], [−1/4, 1/4]]. f = 1/2.
        //   Variance, cause events (nd1 = 1, t5 = 1): group a: skm = 0 so t4 = 1,
        //   t3 = 1·1/(2·1) = 1/2: v3_a = 1/2, t1 = a_aa − c_aa = 1/4, v2_a += 1/4·1/2 = 1/8,
        //   v += (1/4)²/2 = 1/32. Group b: skm = 1 → t4 = 1 − (1 − 1/2)/1 = 1/2, t3 = 1/2,
        //   v3_b = 1/8, t1 = a_ab − t4 c_ab = −1/2 + 1/8 = −3/8, v2_b += −3/8·1/2·1/2 = −3/32,
        //   v += (9/64)/2 = 9/128.
        // t=2: only b at risk: tr = 1, tq = 1, nd1 = 1; score_a unchanged (rs_a = 0).
        //   a_bb = 1·(1 − 1) = 0, c unchanged; f = 1/2 + 1 = 3/2 (pooled F as cmprsk computes it);
        //   group b: skm = 0 → t4 = 1, t3 = 1: v3_b += 1; t1 = a_ab − c_ab = 0 + 1/4 = 1/4
        //   (a_ab = 0 since rs_a = 0), v2_b += 1/4, v += 1/16.
        // Totals: v = 1/32 + 9/128 + 1/16 = 21/128; v3 = (1/2, 9/8); v2 = (1/8, 5/32).
        // Final V = v + Σ_k c_ak² v3_k + 2 c_ak v2_k
        //   = 21/128 + (1/16)(1/2) + (1/16)(9/8) + 2(1/4)(1/8) + 2(−1/4)(5/32)
        //   = 21/128 + 4/128 + 9/128 + 8/128 − 10/128 = 32/128 = 1/4.
        // stat = (1/2)² / (1/4) = 1.
        let t = gray_test(&[1.0, 2.0], &[1, 1], &["a", "b"], 0.0).unwrap();
        assert_eq!(t.len(), 1);
        let stat = t[0].stat.unwrap();
        assert!((stat - 1.0).abs() < 1e-14, "stat {stat}");
        assert_eq!(t[0].df, 1);
        assert!((t[0].p.unwrap() - chisq_sf(1.0, 1.0)).abs() < 1e-15);
    }

    #[test]
    fn group_order_does_not_change_the_statistic() {
        let times = [1.0, 2.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
        let causes = [1, 2, 1, 0, 1, 2, 1, 0, 1];
        let g1 = ["x", "y", "z", "x", "y", "z", "x", "y", "z"];
        let g2 = ["c", "b", "a", "c", "b", "a", "c", "b", "a"];
        let a = gray_test(&times, &causes, &g1, 0.0).unwrap();
        let b = gray_test(&times, &causes, &g2, 0.0).unwrap();
        for (x, y) in a.iter().zip(&b) {
            let (sx, sy) = (x.stat.unwrap(), y.stat.unwrap());
            assert!((sx - sy).abs() < 1e-12 * sx.abs().max(1.0), "{sx} vs {sy}");
            assert_eq!(x.df, 2);
        }
    }

    #[test]
    fn errors_and_singular_cases() {
        assert_eq!(
            gray_test(&[1.0, 2.0], &[1, 1], &["a", "a"], 0.0),
            Err(CifError::TooFewGroups { found: 1 })
        );
        assert_eq!(
            gray_test(&[1.0, 2.0], &[1, 1], &["a"], 0.0)
                .unwrap_err()
                .to_string(),
            "found 1 groups, expected 2 (one per time)"
        );
        assert_eq!(
            gray_test(&[1.0, 2.0], &[1, 1], &["a", "b"], f64::NAN)
                .unwrap_err()
                .to_string(),
            "found rho NaN, expected a finite number"
        );
        // Cause 2 only in a group that is alone at risk when it happens: no information, V = 0.
        let t = gray_test(&[1.0, 2.0], &[0, 2], &["a", "b"], 0.0).unwrap();
        assert_eq!(t[0].cause, 2);
        assert_eq!((t[0].stat, t[0].p), (None, None));
    }
}
