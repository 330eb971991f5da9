//! Small-cell suppression of a table's counts, with complementary suppression across its columns.
//!
//! [`rwe_render::suppress`] protects a grid of counts whose row and column totals are published. A report
//! table's columns are often nested (an overall column, the populations, the settings within each
//! population), so they are first sorted into *leaves*: the non-empty columns that contain no other
//! column. When the leaves are disjoint and every other column is exactly the union of some leaves, the
//! grid is the categories × leaves, the overall column (the union of all leaves) is the grid's row total,
//! and a column that is the union of some leaves is hidden in a row whenever one of its leaves is (so it
//! adds no equation that could reveal a hidden leaf: a shown union is a sum of shown cells). When the
//! columns do not nest that way (overlapping filters), each column is protected on its own: hidden cells
//! cannot be derived from the column's total, but may be from another column's.

use rwe_render::{Hidden, SmallCellRule, suppress};

use crate::error::ReportError;

/// The role of a table column in the suppression grid.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Role {
    /// A column of the grid (its index there).
    Leaf(usize),
    /// The union of all leaves: the grid's row totals.
    Overall,
    /// The union of these grid columns.
    Union(Vec<usize>),
    /// No patient.
    Empty,
}

/// How the columns of one table nest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ColumnStructure {
    /// One role per table column, or `None` when the columns do not nest.
    roles: Option<Vec<Role>>,
    leaves: usize,
}

fn is_subset(a: &[usize], b: &[usize]) -> bool {
    // Both sorted.
    let mut j = 0;
    for &x in a {
        while j < b.len() && b[j] < x {
            j += 1;
        }
        if j == b.len() || b[j] != x {
            return false;
        }
    }
    true
}

impl ColumnStructure {
    /// The structure of columns given as sorted patient positions.
    pub(crate) fn new(columns: &[Vec<usize>]) -> ColumnStructure {
        let n = columns.len();
        let mut leaf_of: Vec<Option<usize>> = vec![None; n];
        let mut leaves: Vec<usize> = Vec::new();
        for c in 0..n {
            if columns[c].is_empty() {
                continue;
            }
            let contains_another = (0..n).any(|d| {
                d != c
                    && !columns[d].is_empty()
                    && is_subset(&columns[d], &columns[c])
                    && (columns[d].len() < columns[c].len() || d < c)
            });
            if !contains_another {
                leaf_of[c] = Some(leaves.len());
                leaves.push(c);
            }
        }
        let fail = ColumnStructure {
            roles: None,
            leaves: leaves.len(),
        };
        for (i, &a) in leaves.iter().enumerate() {
            for &b in &leaves[i + 1..] {
                let disjoint = columns[a]
                    .iter()
                    .all(|x| columns[b].binary_search(x).is_err());
                if !disjoint {
                    return fail;
                }
            }
        }
        let mut roles = Vec::with_capacity(n);
        for c in 0..n {
            if columns[c].is_empty() {
                roles.push(Role::Empty);
                continue;
            }
            if let Some(g) = leaf_of[c] {
                roles.push(Role::Leaf(g));
                continue;
            }
            let inside: Vec<usize> = (0..leaves.len())
                .filter(|&g| is_subset(&columns[leaves[g]], &columns[c]))
                .collect();
            let covered: usize = inside.iter().map(|&g| columns[leaves[g]].len()).sum();
            if covered != columns[c].len() {
                return fail;
            }
            roles.push(if inside.len() == leaves.len() {
                Role::Overall
            } else {
                Role::Union(inside)
            });
        }
        ColumnStructure {
            roles: Some(roles),
            leaves: leaves.len(),
        }
    }

    /// Whether each count is shown: `counts[column][row]`, the rows of one block (the levels of a variable,
    /// or a count and its complement). Everything is shown without a rule.
    pub(crate) fn protect(
        &self,
        counts: &[Vec<u64>],
        rule: Option<&SmallCellRule>,
    ) -> Result<Vec<Vec<Hidden>>, ReportError> {
        let rows = counts.first().map_or(0, Vec::len);
        let shown = || vec![vec![Hidden::Shown; rows]; counts.len()];
        let Some(rule) = rule else {
            return Ok(shown());
        };
        let Some(roles) = &self.roles else {
            // Each column alone, against its own total.
            let mut out = Vec::with_capacity(counts.len());
            for column in counts {
                let grid: Vec<Vec<u64>> = column.iter().map(|&n| vec![n]).collect();
                let s = suppress(&grid, rule)?;
                out.push((0..rows).map(|r| s.cell(r, 0)).collect());
            }
            return Ok(out);
        };
        let leaf_columns: Vec<usize> = roles
            .iter()
            .enumerate()
            .filter_map(|(c, r)| matches!(r, Role::Leaf(_)).then_some(c))
            .collect();
        debug_assert_eq!(leaf_columns.len(), self.leaves);
        let grid: Vec<Vec<u64>> = (0..rows)
            .map(|r| leaf_columns.iter().map(|&c| counts[c][r]).collect())
            .collect();
        let s = suppress(&grid, rule)?;
        let mut out = shown();
        for (c, role) in roles.iter().enumerate() {
            for r in 0..rows {
                out[c][r] = match role {
                    Role::Empty => Hidden::Shown,
                    Role::Leaf(g) => s.cell(r, *g),
                    Role::Overall => s.row_total(r),
                    Role::Union(gs) => {
                        let n = counts[c][r];
                        if n > 0 && n < rule.min_count {
                            Hidden::Primary
                        } else if gs.iter().any(|&g| s.cell(r, g).is_hidden()) {
                            Hidden::Complementary
                        } else {
                            Hidden::Shown
                        }
                    }
                };
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn nested_columns_become_leaves_unions_and_the_overall_column() {
        // all = {0..6}, nd = {0,1,2}, rr = {3,4,5}, nd_ind = {0}, nd_con = {1,2}, empty.
        let columns = vec![
            vec![0, 1, 2, 3, 4, 5],
            vec![0, 1, 2],
            vec![3, 4, 5],
            vec![0],
            vec![1, 2],
            vec![],
        ];
        let s = ColumnStructure::new(&columns);
        assert_eq!(
            s.roles,
            // Leaves are numbered in column order: rr 0, nd_ind 1, nd_con 2.
            Some(vec![
                Role::Overall,
                Role::Union(vec![1, 2]),
                Role::Leaf(0),
                Role::Leaf(1),
                Role::Leaf(2),
                Role::Empty,
            ])
        );
        // Overlapping filters do not nest.
        let s = ColumnStructure::new(&[vec![0, 1], vec![1, 2]]);
        assert_eq!(s.roles, None);
        // A column that is more than the union of the leaves inside it.
        let s = ColumnStructure::new(&[vec![0, 1, 2], vec![0]]);
        assert_eq!(s.roles, None);
    }

    #[test]
    fn a_hidden_leaf_hides_its_unions_and_a_partner() {
        // Columns: all, nd, rr (nd and rr are the leaves). Rows: male, female.
        // nd: 3 male, 20 female; rr: 10 male, 12 female. k = 5: nd male (3) is primary; the line rule
        // hides the smallest other cell of its row (rr male 10) and of its column (nd female 20) … and so on
        // until no hidden cell is alone in a line.
        let columns = vec![
            (0..45).collect::<Vec<_>>(),
            (0..23).collect(),
            (23..45).collect(),
        ];
        let s = ColumnStructure::new(&columns);
        let counts = vec![vec![13, 32], vec![3, 20], vec![10, 12]];
        let rule = SmallCellRule::new(5);
        let h = s.protect(&counts, Some(&rule)).unwrap();
        assert_eq!(h[1][0], Hidden::Primary);
        // No hidden cell is alone in its row or column of the leaf grid, and the overall column hides
        // the male total, whose leaves are hidden.
        for r in 0..2 {
            let hidden = (1..3).filter(|&c| h[c][r].is_hidden()).count();
            assert_ne!(hidden, 1, "row {r}: {h:?}");
        }
        for c in 1..3 {
            let hidden = (0..2).filter(|&r| h[c][r].is_hidden()).count();
            assert_ne!(hidden, 1, "column {c}: {h:?}");
        }
        assert!(h.iter().flatten().filter(|x| x.is_hidden()).count() >= 4);
        // Without a rule everything is shown.
        let h = s.protect(&counts, None).unwrap();
        assert!(h.iter().flatten().all(|x| !x.is_hidden()));
    }
}
