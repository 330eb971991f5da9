//! Design matrices for regression models: numeric columns and treatment-coded categorical columns,
//! with the term names R gives them.
//!
//! Naming rules are on [`Design`], the level order on [`factor_levels`].

use std::collections::BTreeSet;

/// Values of one covariate, borrowed from the caller.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CovariateValues<'a> {
    /// A numeric covariate: one term.
    Numeric(&'a [f64]),
    /// A categorical covariate: one indicator per non-reference level.
    Categorical {
        /// One label per row.
        labels: &'a [&'a str],
        /// The reference level; `None` uses the first of [`factor_levels`].
        reference: Option<&'a str>,
    },
}

/// A named covariate column: the input to [`Design::new`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Covariate<'a> {
    /// Column name; term names start with it.
    pub name: &'a str,
    /// The values.
    pub values: CovariateValues<'a>,
}

impl<'a> Covariate<'a> {
    /// A numeric covariate.
    #[must_use]
    pub fn numeric(name: &'a str, values: &'a [f64]) -> Self {
        Covariate {
            name,
            values: CovariateValues::Numeric(values),
        }
    }

    /// A categorical covariate with R's default reference level (the first of [`factor_levels`]).
    #[must_use]
    pub fn categorical(name: &'a str, labels: &'a [&'a str]) -> Self {
        Covariate {
            name,
            values: CovariateValues::Categorical {
                labels,
                reference: None,
            },
        }
    }

    /// Use `level` as the reference level of a categorical covariate (no effect on a numeric one).
    #[must_use]
    pub fn with_reference(mut self, level: &'a str) -> Self {
        if let CovariateValues::Categorical { reference, .. } = &mut self.values {
            *reference = Some(level);
        }
        self
    }

    fn len(&self) -> usize {
        match self.values {
            CovariateValues::Numeric(v) => v.len(),
            CovariateValues::Categorical { labels, .. } => labels.len(),
        }
    }
}

/// One column of the design matrix.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Term {
    /// The name R gives the column (`age`, `trtB`).
    pub name: String,
    /// The covariate it comes from.
    pub covariate: String,
    /// For a categorical covariate, the level this indicator is 1 for.
    pub level: Option<String>,
    /// For a categorical covariate, its reference level.
    pub reference: Option<String>,
}

/// A numeric design matrix (rows = observations, columns = terms), without an intercept.
///
/// * A numeric covariate is one term named after its column (`age`).
/// * A categorical covariate with levels L₀ < L₁ < … (reference L₀ unless another is chosen) gives
///   one 0/1 indicator term per non-reference level, named column + level (`trtB`, `celltypelarge`),
///   in level order: R's `contr.treatment`.
/// * Terms appear in the order the covariates are given.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    n_rows: usize,
    terms: Vec<Term>,
    /// Column-major: column j is `values[j * n_rows .. (j + 1) * n_rows]`.
    values: Vec<f64>,
}

/// Why a design matrix could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DesignError {
    /// No covariates were given.
    #[error("no covariates given")]
    NoCovariates,
    /// Covariates have different numbers of rows.
    #[error("covariate `{covariate}` has {found} rows, expected {expected} like `{first}`")]
    LengthMismatch {
        /// The covariate with the wrong length.
        covariate: String,
        /// The first covariate, whose length sets the expectation.
        first: String,
        /// Its length.
        expected: usize,
        /// The length found.
        found: usize,
    },
    /// A numeric value is NaN or infinite (remove missing rows before building the design).
    #[error("covariate `{covariate}`, row {row}: found {found}, expected a finite number")]
    NonFinite {
        /// The covariate.
        covariate: String,
        /// Row index (0-based).
        row: usize,
        /// The value, as text.
        found: String,
    },
    /// A categorical label is empty (remove missing rows before building the design).
    #[error("covariate `{covariate}`, row {row}: found an empty label, expected a level")]
    EmptyLabel {
        /// The covariate.
        covariate: String,
        /// Row index (0-based).
        row: usize,
    },
    /// A categorical covariate has a single level, so it has no contrast.
    #[error("covariate `{covariate}` has the single level `{level}`, expected at least 2")]
    SingleLevel {
        /// The covariate.
        covariate: String,
        /// Its only level.
        level: String,
    },
    /// The requested reference level does not occur.
    #[error(
        "covariate `{covariate}`: reference level `{reference}` not found, expected one of {levels:?}"
    )]
    UnknownReference {
        /// The covariate.
        covariate: String,
        /// The level asked for.
        reference: String,
        /// The levels present, in order.
        levels: Vec<String>,
    },
    /// Two terms would get the same name.
    #[error("two terms are named `{term}`")]
    DuplicateTerm {
        /// The repeated name.
        term: String,
    },
}

impl Design {
    /// Build the design matrix from covariate columns.
    ///
    /// # Errors
    ///
    /// [`DesignError::NoCovariates`], [`DesignError::LengthMismatch`], [`DesignError::NonFinite`],
    /// [`DesignError::EmptyLabel`], [`DesignError::SingleLevel`], [`DesignError::UnknownReference`]
    /// and [`DesignError::DuplicateTerm`]. Constant or collinear columns are not an error here;
    /// the model fit names them.
    pub fn new(covariates: &[Covariate<'_>]) -> Result<Self, DesignError> {
        let first = covariates.first().ok_or(DesignError::NoCovariates)?;
        let n_rows = first.len();
        let mut terms = Vec::new();
        let mut values = Vec::new();
        for cov in covariates {
            if cov.len() != n_rows {
                return Err(DesignError::LengthMismatch {
                    covariate: cov.name.to_string(),
                    first: first.name.to_string(),
                    expected: n_rows,
                    found: cov.len(),
                });
            }
            match cov.values {
                CovariateValues::Numeric(v) => {
                    if let Some(row) = v.iter().position(|x| !x.is_finite()) {
                        return Err(DesignError::NonFinite {
                            covariate: cov.name.to_string(),
                            row,
                            found: v[row].to_string(),
                        });
                    }
                    terms.push(Term {
                        name: cov.name.to_string(),
                        covariate: cov.name.to_string(),
                        level: None,
                        reference: None,
                    });
                    values.extend_from_slice(v);
                }
                CovariateValues::Categorical { labels, reference } => {
                    if let Some(row) = labels.iter().position(|l| l.is_empty()) {
                        return Err(DesignError::EmptyLabel {
                            covariate: cov.name.to_string(),
                            row,
                        });
                    }
                    let levels = factor_levels(labels);
                    let reference = match reference {
                        None => levels[0].clone(),
                        Some(r) if levels.iter().any(|l| l == r) => r.to_string(),
                        Some(r) => {
                            return Err(DesignError::UnknownReference {
                                covariate: cov.name.to_string(),
                                reference: r.to_string(),
                                levels,
                            });
                        }
                    };
                    if levels.len() < 2 {
                        return Err(DesignError::SingleLevel {
                            covariate: cov.name.to_string(),
                            level: reference,
                        });
                    }
                    for level in levels.iter().filter(|l| **l != reference) {
                        terms.push(Term {
                            name: format!("{}{}", cov.name, level),
                            covariate: cov.name.to_string(),
                            level: Some(level.clone()),
                            reference: Some(reference.clone()),
                        });
                        values.extend(labels.iter().map(|l| if *l == level { 1.0 } else { 0.0 }));
                    }
                }
            }
        }
        let mut seen = BTreeSet::new();
        for t in &terms {
            if !seen.insert(t.name.as_str()) {
                return Err(DesignError::DuplicateTerm {
                    term: t.name.clone(),
                });
            }
        }
        Ok(Design {
            n_rows,
            terms,
            values,
        })
    }

    /// Number of rows (observations).
    #[must_use]
    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// Number of columns (terms).
    #[must_use]
    pub fn n_terms(&self) -> usize {
        self.terms.len()
    }

    /// The terms, in column order.
    #[must_use]
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// Column `j` (one value per row).
    ///
    /// # Panics
    ///
    /// If `j >= n_terms()`.
    #[must_use]
    pub fn column(&self, j: usize) -> &[f64] {
        &self.values[j * self.n_rows..(j + 1) * self.n_rows]
    }

    /// Value at row `i`, column `j`.
    ///
    /// # Panics
    ///
    /// If `i >= n_rows()` or `j >= n_terms()`.
    #[must_use]
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.values[j * self.n_rows + i]
    }
}

/// The distinct labels in R's default factor order, locale-free.
///
/// R makes a factor from a character vector with `sort(unique(x))`, which collates in the current
/// locale. [`factor_levels`] uses a locale-free order instead: when every label parses as a number
/// the levels are sorted numerically (so `"2" < "10"`; R, sorting strings, would put `"10"` first,
/// but a numeric R column used as a factor sorts numerically, which is what such labels usually
/// are), otherwise by bytes (the C locale). Byte order agrees with R's usual `en_US.UTF-8`
/// collation for labels that share one case and contain only letters and digits; it differs when
/// case or punctuation decides: bytes give `"B" < "a"` and `"a_c" < "ab"`, while `en_US` gives
/// `"a" < "B"` and `"ab" < "a_c"` (it ignores punctuation at the first level). Choose the reference
/// level explicitly when this matters.
#[must_use]
pub fn factor_levels<S: AsRef<str>>(labels: &[S]) -> Vec<String> {
    let mut levels: Vec<&str> = labels.iter().map(AsRef::as_ref).collect();
    levels.sort_unstable();
    levels.dedup();
    let numbers: Option<Vec<f64>> = levels
        .iter()
        .map(|l| l.trim().parse::<f64>().ok().filter(|x| x.is_finite()))
        .collect();
    if let Some(numbers) = numbers {
        let mut pairs: Vec<(f64, &str)> = numbers.into_iter().zip(levels).collect();
        // Stable: labels with equal values ("1", "1.0") stay in byte order.
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        pairs.into_iter().map(|(_, l)| l.to_string()).collect()
    } else {
        levels.into_iter().map(str::to_string).collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn treatment_contrasts_named_like_r() {
        let age = [50.0, 60.0, 70.0, 80.0];
        let trt = ["B", "A", "C", "A"];
        let d = Design::new(&[
            Covariate::categorical("trt", &trt),
            Covariate::numeric("age", &age),
        ])
        .unwrap();
        let names: Vec<&str> = d.terms().iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["trtB", "trtC", "age"]);
        assert_eq!(d.column(0), &[1.0, 0.0, 0.0, 0.0]);
        assert_eq!(d.column(1), &[0.0, 0.0, 1.0, 0.0]);
        assert_eq!(d.column(2), &age);
        assert_eq!(d.terms()[0].reference.as_deref(), Some("A"));
        assert_eq!((d.n_rows(), d.n_terms(), d.get(2, 1)), (4, 3, 1.0));
    }

    #[test]
    fn reference_level_can_be_chosen() {
        let trt = ["B", "A", "C", "A"];
        let d = Design::new(&[Covariate::categorical("trt", &trt).with_reference("C")]).unwrap();
        let names: Vec<&str> = d.terms().iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["trtA", "trtB"]);
        let err = Design::new(&[Covariate::categorical("trt", &trt).with_reference("D")]);
        assert_eq!(
            err.unwrap_err().to_string(),
            "covariate `trt`: reference level `D` not found, expected one of [\"A\", \"B\", \"C\"]"
        );
    }

    #[test]
    fn level_order() {
        // Numeric-looking labels sort by value, others by bytes (C locale).
        assert_eq!(factor_levels(&["10", "9", "2", "9"]), ["2", "9", "10"]);
        assert_eq!(factor_levels(&["1.0", "1", "0.5"]), ["0.5", "1", "1.0"]);
        assert_eq!(
            factor_levels(&["Obs", "Lev+5FU", "Lev"]),
            ["Lev", "Lev+5FU", "Obs"]
        );
        assert_eq!(factor_levels(&["b", "B", "a"]), ["B", "a", "b"]);
        assert_eq!(factor_levels(&["10", "x"]), ["10", "x"]);
    }

    #[test]
    fn errors_name_the_column_and_row() {
        let a = [1.0, f64::NAN];
        let b = [1.0];
        assert_eq!(
            Design::new(&[Covariate::numeric("a", &a)])
                .unwrap_err()
                .to_string(),
            "covariate `a`, row 1: found NaN, expected a finite number"
        );
        assert_eq!(
            Design::new(&[Covariate::numeric("b", &b), Covariate::numeric("a", &a)])
                .unwrap_err()
                .to_string(),
            "covariate `a` has 2 rows, expected 1 like `b`"
        );
        assert_eq!(
            Design::new(&[Covariate::categorical("g", &["x", "x"])]).unwrap_err(),
            DesignError::SingleLevel {
                covariate: "g".into(),
                level: "x".into()
            }
        );
        assert!(matches!(
            Design::new(&[Covariate::categorical("g", &["x", ""])]),
            Err(DesignError::EmptyLabel { row: 1, .. })
        ));
        let ab = [0.0, 1.0];
        assert_eq!(
            Design::new(&[
                Covariate::categorical("a", &["a", "b"]),
                Covariate::numeric("ab", &ab)
            ])
            .unwrap_err(),
            DesignError::DuplicateTerm { term: "ab".into() }
        );
        assert_eq!(Design::new(&[]), Err(DesignError::NoCovariates));
    }
}
