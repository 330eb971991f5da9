//! Generalised Cholesky (LDLᵀ) factorisation of a small symmetric matrix, as R `survival` does it.
//!
//! The Cox fit and the log-rank family need to solve p×p symmetric positive semi-definite systems
//! (p = number of covariates or groups − 1, so small). This follows survival's `cholesky2.c` /
//! `chsolve2.c`: no pivoting, and a pivot smaller than `toler` times the largest diagonal element
//! marks its column as linearly dependent on the earlier ones (that column is then zero in the
//! solution). Keeping R's rule means a design is declared singular exactly when R would drop a term.

/// An LDLᵀ factorisation of a symmetric matrix (row-major, `n × n`), in place: the strict lower
/// triangle holds L (unit diagonal implied) and the diagonal holds D. A zero in D marks a column
/// found to be linearly dependent on the columns before it.
#[derive(Debug, Clone)]
pub(crate) struct Ldl {
    n: usize,
    m: Vec<f64>,
    /// Columns whose pivot was below the tolerance (or not finite, or negative), in increasing
    /// order.
    singular: Vec<usize>,
}

impl Ldl {
    /// Factorise the symmetric `n × n` matrix `a` (row-major; only the lower triangle is read).
    ///
    /// A pivot below `toler · max(diag)` (or `toler` itself when the diagonal is all zero) is set
    /// to zero and its column reported as singular, as `cholesky2.c` does.
    pub(crate) fn new(a: &[f64], n: usize, toler: f64) -> Self {
        debug_assert_eq!(a.len(), n * n);
        let mut m = a.to_vec();
        // Symmetrise from the lower triangle.
        for i in 0..n {
            for j in (i + 1)..n {
                m[i * n + j] = m[j * n + i];
            }
        }
        let max_diag = (0..n).map(|i| m[i * n + i]).fold(0.0_f64, f64::max);
        let eps = if max_diag == 0.0 {
            toler
        } else {
            max_diag * toler
        };
        let mut singular = Vec::new();
        for i in 0..n {
            let pivot = m[i * n + i];
            if !pivot.is_finite() || pivot < eps {
                m[i * n + i] = 0.0;
                singular.push(i);
                continue;
            }
            for j in (i + 1)..n {
                let temp = m[j * n + i] / pivot;
                m[j * n + i] = temp;
                m[j * n + j] -= temp * temp * pivot;
                for k in (j + 1)..n {
                    m[k * n + j] -= temp * m[k * n + i];
                }
            }
        }
        Ldl { n, m, singular }
    }

    /// Columns found to be linearly dependent on earlier ones (empty when of full rank).
    pub(crate) fn singular(&self) -> &[usize] {
        &self.singular
    }

    /// Solve `A x = b` in place (`chsolve2.c`); singular columns get 0 in `x`.
    pub(crate) fn solve_in_place(&self, b: &mut [f64]) {
        let n = self.n;
        let m = &self.m;
        // Forward: L z = b.
        for i in 0..n {
            let mut temp = b[i];
            for j in 0..i {
                temp -= b[j] * m[i * n + j];
            }
            b[i] = temp;
        }
        // Back: D Lᵀ x = z.
        for i in (0..n).rev() {
            let d = m[i * n + i];
            if d == 0.0 {
                b[i] = 0.0;
            } else {
                let mut temp = b[i] / d;
                for j in (i + 1)..n {
                    temp -= b[j] * m[j * n + i];
                }
                b[i] = temp;
            }
        }
    }

    /// The (generalised) inverse, row-major, symmetric; rows and columns of singular pivots are 0.
    pub(crate) fn inverse(&self) -> Vec<f64> {
        let n = self.n;
        let mut inv = vec![0.0; n * n];
        let mut e = vec![0.0; n];
        for j in 0..n {
            e.iter_mut().for_each(|v| *v = 0.0);
            e[j] = 1.0;
            self.solve_in_place(&mut e);
            for i in 0..n {
                inv[i * n + j] = e[i];
            }
        }
        // Symmetrise away rounding differences between the two triangles.
        for i in 0..n {
            for j in (i + 1)..n {
                let v = 0.5 * (inv[i * n + j] + inv[j * n + i]);
                inv[i * n + j] = v;
                inv[j * n + i] = v;
            }
        }
        inv
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn solves_a_positive_definite_system() {
        // A = [[4, 2], [2, 3]], b = [2, 1]: det 8, x = (3·2 − 2·1, 4·1 − 2·2)/8 = (0.5, 0).
        let a = [4.0, 2.0, 2.0, 3.0];
        let f = Ldl::new(&a, 2, 1e-12);
        assert!(f.singular().is_empty());
        let mut b = [2.0, 1.0];
        f.solve_in_place(&mut b);
        assert!((b[0] - 0.5).abs() < 1e-15 && b[1].abs() < 1e-15, "{b:?}");
        // A⁻¹ = [[3, −2], [−2, 4]] / 8.
        let inv = f.inverse();
        let want = [0.375, -0.25, -0.25, 0.5];
        for (g, w) in inv.iter().zip(want) {
            assert!((g - w).abs() < 1e-15, "{inv:?}");
        }
    }

    #[test]
    fn flags_the_dependent_column() {
        // Column 2 = column 0 + column 1 of X; A = XᵀX for X rows (1,0,1), (0,1,1), (1,1,2).
        let a = [2.0, 1.0, 3.0, 1.0, 2.0, 3.0, 3.0, 3.0, 6.0];
        let f = Ldl::new(&a, 3, 1e-10);
        assert_eq!(f.singular(), &[2]);
    }
}
