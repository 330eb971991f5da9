//! Small-cell suppression with complementary suppression, for tables of counts published with their totals.
//!
//! # What is hidden
//!
//! The input is a grid of counts (rows × columns); the function adds the row totals, column totals and grand
//! total that the published table shows, and decides for every one of these cells whether it is shown.
//!
//! 1. **Primary suppression**: a count `n` with `0 < n < k` (and `n = 0` too when
//!    [`SmallCellRule::suppress_zeros`] is set) is hidden and shown as `<k`. Totals below `k` are hidden too.
//! 2. **Complementary suppression**: a hidden cell must not be recoverable by subtracting the shown cells of
//!    its row or column from the total. Two rules run until neither applies:
//!    - *line rule*: a row or column (totals included) with exactly one hidden cell gets a second one;
//!    - *bridge rule*: even with two hidden cells per line, a hidden cell can be pinned down by adding and
//!      subtracting several lines (for example one hidden cell linking two otherwise separate blocks of
//!      hidden cells). Seeing the hidden cells as edges of a bipartite graph between row and column lines, a
//!      hidden value is determined by the published numbers exactly when its edge is a *bridge* (lies on
//!      no cycle); for each bridge one more cell is hidden so that the bridge closes a cycle.
//!
//!    Each complementary cell is the smallest eligible shown cell (non-zero cells before zeros, then by
//!    value, then interior cells before totals, then row and column order), which keeps the information
//!    lost small and makes the choice deterministic.
//!
//! After both rules, no hidden value is a linear function of the shown ones (tested against exact
//! Gaussian elimination). The guarantee is about exact back-calculation from totals, the disclosure the
//! issue names; it does not stop an intruder from narrowing a hidden count to an interval using the facts
//! that counts are non-negative and that primary cells are below `k` (that needs linear programming, as in
//! τ-ARGUS, and is out of scope).
//!
//! The totals must be additive (each row total is the sum of its cells). For tables whose margins are not
//! sums (a patient counted in several rows), pass the additive part only.

use crate::error::RenderError;

/// The small-cell rule: hide counts below `min_count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SmallCellRule {
    /// `k`: counts `0 < n < k` are hidden. A `k` of 0 or 1 hides nothing.
    pub min_count: u64,
    /// Hide zero counts too (off by default: a zero is usually published).
    pub suppress_zeros: bool,
}

impl SmallCellRule {
    /// Hide counts below `k`, zeros shown.
    #[must_use]
    pub fn new(min_count: u64) -> SmallCellRule {
        SmallCellRule {
            min_count,
            suppress_zeros: false,
        }
    }

    /// The text shown for a primary-suppressed cell: `"<5"`.
    #[must_use]
    pub fn primary_mask(&self) -> String {
        format!("<{}", self.min_count)
    }

    /// The text shown for a complementary-suppressed cell (its value is not small, so `<k` would be false).
    #[must_use]
    pub fn complementary_mask(&self) -> &'static str {
        "*"
    }

    /// The footnote that explains the masks.
    #[must_use]
    pub fn footnote(&self) -> String {
        format!(
            "<{k}: fewer than {k} patients, value hidden; *: value hidden so that a hidden count cannot be derived from the totals.",
            k = self.min_count
        )
    }

    /// The mask for a cell's status, `None` when the cell is shown.
    #[must_use]
    pub fn mask(&self, status: Hidden) -> Option<String> {
        match status {
            Hidden::Shown => None,
            Hidden::Primary => Some(self.primary_mask()),
            Hidden::Complementary => Some(self.complementary_mask().to_owned()),
        }
    }

    fn is_small(&self, n: u64) -> bool {
        n < self.min_count && (n > 0 || self.suppress_zeros)
    }
}

/// Whether a cell is shown, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Hidden {
    /// The value is shown.
    #[default]
    Shown,
    /// Hidden because it is below `k`.
    Primary,
    /// Hidden so that a primary cell cannot be recovered from the totals.
    Complementary,
}

impl Hidden {
    /// True unless shown.
    #[must_use]
    pub fn is_hidden(self) -> bool {
        self != Hidden::Shown
    }
}

/// The result of [`suppress`]: the status of every interior cell and every total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// `(rows + 1) × (columns + 1)`: the last column holds row totals, the last row column totals.
    full: Vec<Vec<Hidden>>,
}

impl Suppression {
    /// Status of interior cell (`row`, `column`); `Shown` outside the grid.
    #[must_use]
    pub fn cell(&self, row: usize, column: usize) -> Hidden {
        let rows = self.full.len().saturating_sub(1);
        let columns = self.full.first().map_or(0, Vec::len).saturating_sub(1);
        if row < rows && column < columns {
            self.full[row][column]
        } else {
            Hidden::Shown
        }
    }

    /// Status of the total of `row`.
    #[must_use]
    pub fn row_total(&self, row: usize) -> Hidden {
        let rows = self.full.len().saturating_sub(1);
        if row < rows {
            self.full[row].last().copied().unwrap_or_default()
        } else {
            Hidden::Shown
        }
    }

    /// Status of the total of `column`.
    #[must_use]
    pub fn column_total(&self, column: usize) -> Hidden {
        let columns = self.full.first().map_or(0, Vec::len).saturating_sub(1);
        match self.full.last() {
            Some(totals) if column < columns => totals[column],
            _ => Hidden::Shown,
        }
    }

    /// Status of the grand total.
    #[must_use]
    pub fn grand_total(&self) -> Hidden {
        self.full
            .last()
            .and_then(|r| r.last())
            .copied()
            .unwrap_or_default()
    }

    /// True when anything is hidden (so the table needs the suppression footnote).
    #[must_use]
    pub fn any_hidden(&self) -> bool {
        self.full.iter().flatten().any(|h| h.is_hidden())
    }
}

/// Applies primary and complementary suppression to a grid of counts whose row, column and grand totals are
/// published alongside it. See the module docs for the rules.
///
/// ```
/// use rwe_render::{suppress, Hidden, SmallCellRule};
///
/// // 3 is below k = 5; 10 and 20 (the smallest cells of its row and column) and 15 are hidden with it
/// // so that none of the four can be derived from the totals.
/// let s = suppress(&[vec![3, 10, 12], vec![20, 15, 30]], &SmallCellRule::new(5)).unwrap();
/// assert_eq!(s.cell(0, 0), Hidden::Primary);
/// assert_eq!(s.cell(0, 1), Hidden::Complementary);
/// assert_eq!(s.cell(0, 2), Hidden::Shown);
/// ```
///
/// # Errors
/// [`RenderError::RaggedGrid`] when rows differ in length, [`RenderError::CountOverflow`] when a total
/// exceeds `u64`.
pub fn suppress(counts: &[Vec<u64>], rule: &SmallCellRule) -> Result<Suppression, RenderError> {
    let rows = counts.len();
    let columns = counts.first().map_or(0, Vec::len);
    for (row, r) in counts.iter().enumerate() {
        if r.len() != columns {
            return Err(RenderError::RaggedGrid {
                row,
                found: r.len(),
                expected: columns,
            });
        }
    }
    let values = with_totals(counts, rows, columns)?;
    let mut status: Vec<Vec<Hidden>> = values
        .iter()
        .map(|r| {
            r.iter()
                .map(|&n| {
                    if rule.is_small(n) {
                        Hidden::Primary
                    } else {
                        Hidden::Shown
                    }
                })
                .collect()
        })
        .collect();
    if rows == 0 || columns == 0 {
        return Ok(Suppression { full: status });
    }
    let grid = Grid {
        values: &values,
        rows: rows + 1,
        columns: columns + 1,
    };
    loop {
        if let Some(line) = grid.line_with_single_hidden(&status) {
            let cells = grid.line_cells(line);
            if let Some((r, c)) = grid.cheapest(&status, cells.into_iter()) {
                status[r][c] = Hidden::Complementary;
                continue;
            }
        }
        match grid.first_bridge(&status) {
            None => break,
            Some(bridge) => {
                let sides = grid.sides_without(&status, bridge);
                // A shown cell whose row line is on the bridge's column side and whose column line is on
                // the bridge's row side closes a cycle through the bridge.
                let candidates = (0..grid.rows)
                    .flat_map(|r| (0..grid.columns).map(move |c| (r, c)))
                    .filter(|&(r, c)| {
                        sides[r] == Some(Side::Column) && sides[grid.rows + c] == Some(Side::Row)
                    });
                let chosen = grid.cheapest(&status, candidates).or_else(|| {
                    // Not reachable after the line rule (see module docs); fall back to the bridge's row so
                    // the loop still makes progress.
                    grid.cheapest(&status, (0..grid.columns).map(|c| (bridge.0, c)))
                });
                match chosen {
                    Some((r, c)) => status[r][c] = Hidden::Complementary,
                    None => break,
                }
            }
        }
    }
    Ok(Suppression { full: status })
}

/// The grid with a totals column and a totals row appended.
fn with_totals(
    counts: &[Vec<u64>],
    rows: usize,
    columns: usize,
) -> Result<Vec<Vec<u64>>, RenderError> {
    let mut full: Vec<Vec<u64>> = Vec::with_capacity(rows + 1);
    let mut column_totals = vec![0u64; columns + 1];
    for r in counts {
        let mut row = r.clone();
        let total = r
            .iter()
            .try_fold(0u64, |acc, &n| acc.checked_add(n))
            .ok_or(RenderError::CountOverflow)?;
        row.push(total);
        for (t, &n) in column_totals.iter_mut().zip(&row) {
            *t = t.checked_add(n).ok_or(RenderError::CountOverflow)?;
        }
        full.push(row);
    }
    full.push(column_totals);
    Ok(full)
}

/// Which end of a removed bridge a line is connected to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// Connected to the bridge's row line.
    Row,
    /// Connected to the bridge's column line.
    Column,
}

/// A line of the full table: a row (index into rows, totals row last) or a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    Row(usize),
    Column(usize),
}

struct Grid<'a> {
    values: &'a [Vec<u64>],
    rows: usize,
    columns: usize,
}

impl Grid<'_> {
    fn line_cells(&self, line: Line) -> Vec<(usize, usize)> {
        match line {
            Line::Row(r) => (0..self.columns).map(|c| (r, c)).collect(),
            Line::Column(c) => (0..self.rows).map(|r| (r, c)).collect(),
        }
    }

    fn line_with_single_hidden(&self, status: &[Vec<Hidden>]) -> Option<Line> {
        let rows = (0..self.rows).map(Line::Row);
        let columns = (0..self.columns).map(Line::Column);
        rows.chain(columns).find(|&line| {
            self.line_cells(line)
                .iter()
                .filter(|&&(r, c)| status[r][c].is_hidden())
                .count()
                == 1
        })
    }

    /// The shown cell among `cells` that is cheapest to hide.
    fn cheapest(
        &self,
        status: &[Vec<Hidden>],
        cells: impl Iterator<Item = (usize, usize)>,
    ) -> Option<(usize, usize)> {
        cells
            .filter(|&(r, c)| !status[r][c].is_hidden())
            .min_by_key(|&(r, c)| {
                let n = self.values[r][c];
                let is_total = r + 1 == self.rows || c + 1 == self.columns;
                (n == 0, n, is_total, r, c)
            })
    }

    /// Adjacency of the hidden-cell graph: row line r is node r, column line c is node rows + c.
    fn adjacency(&self, status: &[Vec<Hidden>]) -> Vec<Vec<usize>> {
        let mut adj = vec![Vec::new(); self.rows + self.columns];
        for (r, row) in status.iter().enumerate() {
            for (c, h) in row.iter().enumerate() {
                if h.is_hidden() {
                    adj[r].push(self.rows + c);
                    adj[self.rows + c].push(r);
                }
            }
        }
        adj
    }

    /// The first hidden cell (in row-major order) whose edge is a bridge of the hidden-cell graph.
    fn first_bridge(&self, status: &[Vec<Hidden>]) -> Option<(usize, usize)> {
        let adj = self.adjacency(status);
        let bridges = bridges(&adj);
        let mut cells: Vec<(usize, usize)> = bridges
            .into_iter()
            .map(|(a, b)| {
                let (row_node, col_node) = if a < self.rows { (a, b) } else { (b, a) };
                (row_node, col_node - self.rows)
            })
            .collect();
        cells.sort_unstable();
        cells.into_iter().next()
    }

    /// For every line node, the side of the removed bridge it is connected to: `Side::Row` when reached from
    /// the bridge's row line, `Side::Column` from its column line, `None` when on neither.
    fn sides_without(&self, status: &[Vec<Hidden>], bridge: (usize, usize)) -> Vec<Option<Side>> {
        let adj = self.adjacency(status);
        let (br, bc) = (bridge.0, self.rows + bridge.1);
        let mut sides = vec![None; adj.len()];
        for (start, side) in [(br, Side::Row), (bc, Side::Column)] {
            let mut stack = vec![start];
            sides[start] = Some(side);
            while let Some(v) = stack.pop() {
                for &w in &adj[v] {
                    let is_bridge = (v == br && w == bc) || (v == bc && w == br);
                    if !is_bridge && sides[w].is_none() {
                        sides[w] = Some(side);
                        stack.push(w);
                    }
                }
            }
        }
        sides
    }
}

/// Bridges of an undirected simple graph (Tarjan's low-link), as node pairs.
fn bridges(adj: &[Vec<usize>]) -> Vec<(usize, usize)> {
    let n = adj.len();
    let mut order = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut found = Vec::new();
    let mut counter = 0;
    for root in 0..n {
        if order[root] != usize::MAX {
            continue;
        }
        // Iterative DFS: (node, parent, next neighbour index).
        let mut stack: Vec<(usize, usize, usize)> = vec![(root, usize::MAX, 0)];
        order[root] = counter;
        low[root] = counter;
        counter += 1;
        while let Some(&mut (v, parent, ref mut next)) = stack.last_mut() {
            if let Some(&w) = adj[v].get(*next) {
                *next += 1;
                if w == parent {
                    continue;
                }
                if order[w] == usize::MAX {
                    order[w] = counter;
                    low[w] = counter;
                    counter += 1;
                    stack.push((w, v, 0));
                } else {
                    low[v] = low[v].min(order[w]);
                }
            } else {
                stack.pop();
                if parent != usize::MAX {
                    low[parent] = low[parent].min(low[v]);
                    if low[v] > order[parent] {
                        found.push((parent, v));
                    }
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Rank over the rationals of an integer matrix (fraction-free elimination, rows kept small by their gcd).
    fn rank(mut m: Vec<Vec<i128>>) -> usize {
        fn gcd(a: i128, b: i128) -> i128 {
            if b == 0 { a.abs() } else { gcd(b, a % b) }
        }
        let columns = m.first().map_or(0, Vec::len);
        let mut rank = 0;
        for col in 0..columns {
            let Some(pivot) = (rank..m.len()).find(|&r| m[r][col] != 0) else {
                continue;
            };
            m.swap(rank, pivot);
            for r in 0..m.len() {
                if r != rank && m[r][col] != 0 {
                    let (a, b) = (m[rank][col], m[r][col]);
                    let pivot_row = m[rank].clone();
                    for (x, p) in m[r].iter_mut().zip(&pivot_row) {
                        *x = *x * a - p * b;
                    }
                    let g = m[r].iter().fold(0, |g, &x| gcd(g, x));
                    if g > 1 {
                        m[r].iter_mut().for_each(|x| *x /= g);
                    }
                }
            }
            rank += 1;
        }
        rank
    }

    /// The full-table cells whose value the published (shown) cells and the additivity equations determine.
    fn recoverable(s: &Suppression) -> Vec<(usize, usize)> {
        let rows = s.full.len();
        let columns = s.full[0].len();
        let hidden: Vec<(usize, usize)> = (0..rows)
            .flat_map(|r| (0..columns).map(move |c| (r, c)))
            .filter(|&(r, c)| s.full[r][c].is_hidden())
            .collect();
        let var = |cell: (usize, usize)| hidden.iter().position(|&h| h == cell);
        let mut equations: Vec<Vec<i128>> = Vec::new();
        for r in 0..rows {
            let mut eq = vec![0i128; hidden.len()];
            for c in 0..columns {
                if let Some(v) = var((r, c)) {
                    eq[v] = if c + 1 == columns { -1 } else { 1 };
                }
            }
            equations.push(eq);
        }
        for c in 0..columns {
            let mut eq = vec![0i128; hidden.len()];
            for r in 0..rows {
                if let Some(v) = var((r, c)) {
                    eq[v] = if r + 1 == rows { -1 } else { 1 };
                }
            }
            equations.push(eq);
        }
        let base = rank(equations.clone());
        hidden
            .iter()
            .enumerate()
            .filter(|&(i, _)| {
                let mut with_unit = equations.clone();
                let mut unit = vec![0i128; hidden.len()];
                unit[i] = 1;
                with_unit.push(unit);
                rank(with_unit) == base
            })
            .map(|(_, &cell)| cell)
            .collect()
    }

    fn hidden_cells(s: &Suppression, kind: Hidden) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (r, row) in s.full.iter().enumerate() {
            for (c, &h) in row.iter().enumerate() {
                if h == kind {
                    out.push((r, c));
                }
            }
        }
        out
    }

    #[test]
    fn one_small_cell_takes_three_partners() {
        // Full table with totals:      3  10  12 | 25
        //                             20  15  30 | 65
        //                             23  25  42 | 90
        // Primary: 3. Row 0 has one hidden cell → hide its smallest shown cell, 10. Column 0 then has one
        // (3) → hide 20. Row 1 then has one (20) → hide 15. Every line now holds 0 or 2 hidden cells, and
        // the four form one cycle, so none is determined (3 + 10 = 13 is all one learns).
        let s = suppress(&[vec![3, 10, 12], vec![20, 15, 30]], &SmallCellRule::new(5)).unwrap();
        assert_eq!(hidden_cells(&s, Hidden::Primary), vec![(0, 0)]);
        assert_eq!(
            hidden_cells(&s, Hidden::Complementary),
            vec![(0, 1), (1, 0), (1, 1)]
        );
        assert_eq!(s.row_total(0), Hidden::Shown);
        assert_eq!(s.grand_total(), Hidden::Shown);
        assert!(recoverable(&s).is_empty());
    }

    #[test]
    fn small_totals_are_hidden_and_protected() {
        // 1  1 |  2        row 0 and its total are all < 3 (primary);
        // 10 10 | 20       columns 0, 1 and the totals column each had one hidden cell → 10, 10, 20 hidden.
        // 11 11 | 22
        let s = suppress(&[vec![1, 1], vec![10, 10]], &SmallCellRule::new(3)).unwrap();
        assert_eq!(
            hidden_cells(&s, Hidden::Primary),
            vec![(0, 0), (0, 1), (0, 2)]
        );
        assert_eq!(
            hidden_cells(&s, Hidden::Complementary),
            vec![(1, 0), (1, 1), (1, 2)]
        );
        assert_eq!(s.column_total(0), Hidden::Shown);
        assert!(recoverable(&s).is_empty());
    }

    #[test]
    fn a_bridge_between_two_blocks_is_closed() {
        // Small cells form two 2×2 blocks joined by cell (1, 2); every line already has ≥ 2 hidden cells,
        // yet (row 0 + row 1 − column 0 − column 1) gives x12 = 2 exactly. The bridge rule hides the
        // smallest shown cell linking the blocks' other sides: rows {2, 3} × columns {0, 1}, i.e. (2, 0) = 40.
        let counts = vec![
            vec![1, 2, 50, 60],
            vec![3, 4, 2, 70],
            vec![40, 80, 1, 2],
            vec![90, 45, 3, 4],
        ];
        let rule = SmallCellRule::new(5);
        let s = suppress(&counts, &rule).unwrap();
        assert_eq!(
            hidden_cells(&s, Hidden::Primary),
            vec![
                (0, 0),
                (0, 1),
                (1, 0),
                (1, 1),
                (1, 2),
                (2, 2),
                (2, 3),
                (3, 2),
                (3, 3)
            ]
        );
        assert_eq!(hidden_cells(&s, Hidden::Complementary), vec![(2, 0)]);
        assert!(recoverable(&s).is_empty());
    }

    #[test]
    fn the_checker_sees_the_bridge_that_the_line_rule_misses() {
        // Guard for the test above: the same primary pattern without the bridge rule leaks cell (1, 2).
        let counts = [
            vec![1, 2, 50, 60],
            vec![3, 4, 2, 70],
            vec![40, 80, 1, 2],
            vec![90, 45, 3, 4],
        ];
        let values = with_totals(&counts, 4, 4).unwrap();
        let full = values
            .iter()
            .map(|r| {
                r.iter()
                    .map(|&n| {
                        if n > 0 && n < 5 {
                            Hidden::Primary
                        } else {
                            Hidden::Shown
                        }
                    })
                    .collect()
            })
            .collect();
        assert_eq!(recoverable(&Suppression { full }), vec![(1, 2)]);
    }

    #[test]
    fn zeros_are_shown_unless_asked_and_k_of_one_hides_nothing() {
        let s = suppress(&[vec![0, 10], vec![10, 10]], &SmallCellRule::new(5)).unwrap();
        assert!(!s.any_hidden());
        let rule = SmallCellRule {
            min_count: 5,
            suppress_zeros: true,
        };
        let s = suppress(&[vec![0, 10], vec![10, 10]], &rule).unwrap();
        assert_eq!(s.cell(0, 0), Hidden::Primary);
        assert!(recoverable(&s).is_empty());
        let s = suppress(&[vec![1, 0], vec![2, 3]], &SmallCellRule::new(1)).unwrap();
        assert!(!s.any_hidden());
    }

    #[test]
    fn masks_and_errors() {
        let rule = SmallCellRule::new(5);
        assert_eq!(rule.mask(Hidden::Primary).as_deref(), Some("<5"));
        assert_eq!(rule.mask(Hidden::Complementary).as_deref(), Some("*"));
        assert_eq!(rule.mask(Hidden::Shown), None);
        assert!(matches!(
            suppress(&[vec![1, 2], vec![3]], &rule),
            Err(RenderError::RaggedGrid {
                row: 1,
                found: 1,
                expected: 2
            })
        ));
        assert!(matches!(
            suppress(&[vec![u64::MAX, 1]], &rule),
            Err(RenderError::CountOverflow)
        ));
        assert!(!suppress(&[], &rule).unwrap().any_hidden());
    }

    proptest! {
        /// On random tables: every small count is hidden as primary, nothing else is primary, and no hidden
        /// value can be solved for from the shown cells and the totals.
        #[test]
        fn no_hidden_value_is_recoverable(
            (rows, columns, cells) in (1usize..5, 1usize..5)
                .prop_flat_map(|(r, c)| (Just(r), Just(c), proptest::collection::vec(0u64..25, r * c))),
            k in 1u64..8,
        ) {
            let counts: Vec<Vec<u64>> = cells.chunks(columns).map(<[u64]>::to_vec).collect();
            prop_assert_eq!(counts.len(), rows);
            let rule = SmallCellRule::new(k);
            let s = suppress(&counts, &rule).unwrap();
            let values = with_totals(&counts, rows, columns).unwrap();
            for (r, row) in values.iter().enumerate() {
                for (c, &n) in row.iter().enumerate() {
                    prop_assert_eq!(s.full[r][c] == Hidden::Primary, n > 0 && n < k, "cell ({}, {}) = {}", r, c, n);
                }
            }
            prop_assert!(recoverable(&s).is_empty(), "recoverable {:?} in {:?}", recoverable(&s), counts);
        }
    }
}
