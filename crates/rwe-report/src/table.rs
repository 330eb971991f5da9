//! A declared table: its columns as groups of the study population, each row's statistics computed with
//! rwe-stats, printed with the one formatter, masked by the one suppression pass, and written to the ARD.

use rwe_render::{
    BodyRow, Cell, Formatter, HeaderCell, Hidden, Interval, SmallCellRule, Stat, Table, Token,
};
use rwe_spec::{
    ContinuousStat, GradeDecl, Level, RowDecl, Split, SurvivalStat, TableDataset, TableDecl, Values,
};
use rwe_stats::{PercentileDefinition, proportion_ci, summarize};

use crate::analysis_set::AnalysisSet;
use crate::ard::{ArdRow, ArdSink, At};
use crate::conventions::Settings;
use crate::disclosure::ColumnStructure;
use crate::error::ReportError;
use crate::survival;

/// The label of the row counting missing values.
const MISSING: &str = "Missing";

/// A level of a categorical variable or a split: its label and the values it collects.
#[derive(Debug, Clone)]
pub(crate) struct ResolvedLevel {
    pub label: String,
    pub values: Values,
    pub colour: Option<String>,
}

/// The declared levels in order, then the values present that no level lists, sorted.
pub(crate) fn resolve_levels<'p>(
    declared: &[Level],
    present: impl IntoIterator<Item = &'p str>,
) -> Vec<ResolvedLevel> {
    let mut levels: Vec<ResolvedLevel> = declared
        .iter()
        .map(|l| ResolvedLevel {
            label: l.label().to_string(),
            values: l.values.clone(),
            colour: l.colour.clone(),
        })
        .collect();
    let mut extra: Vec<&str> = present
        .into_iter()
        .filter(|v| !declared.iter().any(|l| l.values.contains(v)))
        .collect();
    extra.sort_unstable();
    extra.dedup();
    levels.extend(extra.into_iter().map(|v| ResolvedLevel {
        label: v.to_string(),
        values: Values(vec![v.to_string()]),
        colour: None,
    }));
    levels
}

/// The levels of a split: the declared ones only, or every value present in the study population, sorted.
pub(crate) fn split_levels(
    set: &AnalysisSet,
    split: &Split,
) -> Result<Vec<ResolvedLevel>, ReportError> {
    if split.levels.is_empty() {
        Ok(resolve_levels(&[], set.text(&split.variable)?.values()))
    } else {
        Ok(resolve_levels(&split.levels, []))
    }
}

/// Where a row goes: its indent, the columns it is computed in, and its ARD id if declared.
#[derive(Debug, Clone)]
struct Place {
    indent: u8,
    active: Vec<bool>,
    id: Option<String>,
}

impl Place {
    fn deeper(&self) -> Place {
        Place {
            indent: self.indent + 1,
            ..self.clone()
        }
    }
}

/// The state of one table being built.
struct Builder<'a> {
    decl: &'a TableDecl,
    set: &'a AnalysisSet,
    s: &'a Settings,
    ard: ArdSink<'a>,
    columns: Vec<Vec<usize>>,
    structure: ColumnStructure,
    rows: Vec<BodyRow>,
    tokens: Vec<Token>,
    any_hidden: bool,
    row_ids: Vec<String>,
}

fn rule(s: &Settings) -> Option<&SmallCellRule> {
    s.small_cells.as_ref()
}

fn mask(rule: Option<&SmallCellRule>, h: Hidden) -> Option<String> {
    rule.and_then(|r| r.mask(h))
}

/// Percent of counts (exact for any count of patients).
fn pct(n: u64, d: u64) -> Option<f64> {
    (d > 0).then(|| 100.0 * n as f64 / d as f64)
}

impl<'a> Builder<'a> {
    fn f(&self) -> &Formatter {
        &self.s.formatter
    }

    fn n(&self, c: usize) -> u64 {
        self.columns[c].len() as u64
    }

    /// Indices of the columns a row is computed in.
    fn active(&self, only: &[String]) -> Vec<bool> {
        self.decl
            .columns
            .iter()
            .map(|c| only.is_empty() || only.contains(&c.id))
            .collect()
    }

    fn at(&self, row: &str, label: &str, c: usize, group: &str) -> At {
        At {
            row: row.to_string(),
            label: label.to_string(),
            column: self.decl.columns[c].id.clone(),
            group: group.to_string(),
        }
    }

    fn row_id(&mut self, declared: Option<&str>, generated: String) -> String {
        let base = declared.map_or(generated, str::to_string);
        let mut id = base.clone();
        let mut k = 2;
        while self.row_ids.contains(&id) {
            id = format!("{base}_{k}");
            k += 1;
        }
        self.row_ids.push(id.clone());
        id
    }

    fn heading(&mut self, label: &str, indent: u8) {
        let mut row = BodyRow::heading(label);
        row.indent = indent;
        self.rows.push(row);
    }

    fn masked(&mut self, cell: Cell, h: Hidden) -> Cell {
        match mask(rule(self.s), h) {
            Some(m) => {
                self.any_hidden = true;
                Cell::suppressed(m)
            }
            None => cell,
        }
    }

    /// Counts per column for the rows of one block, protected together.
    fn protect(&self, counts: &[Vec<u64>]) -> Result<Vec<Vec<Hidden>>, ReportError> {
        self.structure.protect(counts, rule(self.s))
    }

    fn count_row(&mut self, label: &str, place: &Place) -> Result<(), ReportError> {
        let id = self.row_id(place.id.as_deref(), "N".to_string());
        let active = &place.active;
        let counts: Vec<Vec<u64>> = (0..self.columns.len()).map(|c| vec![self.n(c)]).collect();
        let hidden = self.protect(&counts)?;
        let mut cells = Vec::new();
        for (c, &on) in active.iter().enumerate() {
            if !on {
                cells.push(Cell::empty());
                continue;
            }
            let m = mask(rule(self.s), hidden[c][0]);
            let at = self.at(&id, label, c, "");
            self.ard.count(&at, "n", self.n(c), m.as_deref());
            let cell = self.f().count_cell(self.n(c));
            cells.push(self.masked(cell, hidden[c][0]));
        }
        self.rows.push(BodyRow::new(label, place.indent, cells));
        Ok(())
    }

    /// Rows of `n (%)` per column, one per level, protected as one block.
    fn level_rows(
        &mut self,
        id: &str,
        heading: &str,
        labels: &[String],
        counts: Vec<Vec<u64>>,
        shown_rows: usize,
        place: &Place,
    ) -> Result<(), ReportError> {
        let (indent, active) = (place.indent, &place.active);
        let hidden = self.protect(&counts)?;
        for (r, label) in labels.iter().enumerate().take(shown_rows) {
            let mut cells = Vec::new();
            for (c, &on) in active.iter().enumerate() {
                if !on {
                    cells.push(Cell::empty());
                    continue;
                }
                let (n, d) = (counts[c][r], self.n(c));
                let m = mask(rule(self.s), hidden[c][r]);
                let at = self.at(id, heading, c, label);
                self.ard.count(&at, "n", n, m.as_deref());
                self.ard.count(&at, "N", d, None);
                self.ard.masked(&at, "pct", pct(n, d), m.as_deref());
                let cell = Cell::from(self.f().n_pct(n, d));
                cells.push(self.masked(cell, hidden[c][r]));
            }
            self.rows.push(BodyRow::new(label.clone(), indent, cells));
        }
        Ok(())
    }

    fn categorical(
        &mut self,
        variable: &str,
        label: &str,
        levels: &[Level],
        missing: &[String],
        place: &Place,
    ) -> Result<(), ReportError> {
        let id = self.row_id(place.id.as_deref(), variable.to_string());
        let values = self.set.text(variable)?;
        let counted = |v: &str| !missing.iter().any(|m| m == v);
        // Undeclared values and the Missing row come from the patients of the row's columns only.
        let mut in_row = vec![false; values.values().count() + 1];
        for (patients, _) in self
            .columns
            .iter()
            .zip(&place.active)
            .filter(|(_, on)| **on)
        {
            for &p in patients {
                in_row[values.code(p)] = true;
            }
        }
        let present = values
            .values()
            .enumerate()
            .filter(|&(k, v)| in_row[k + 1] && counted(v))
            .map(|(_, v)| v);
        let levels = resolve_levels(levels, present);
        // A value listed as missing counts in the missing row, as an empty one does.
        let any_missing = in_row[0]
            || values
                .values()
                .enumerate()
                .any(|(k, v)| in_row[k + 1] && !counted(v));
        let mut labels: Vec<String> = levels.iter().map(|l| l.label.clone()).collect();
        if any_missing {
            labels.push(MISSING.to_string());
        }
        // The row of each value: a level's, none (a value no level collects), or the missing row.
        let missing_row = labels.len() - 1;
        let row_of: Vec<Option<usize>> = values
            .by_code(|v| {
                if counted(v) {
                    levels.iter().position(|l| l.values.contains(v))
                } else {
                    Some(missing_row)
                }
            })
            .into_iter()
            .map(|r| r.unwrap_or(Some(missing_row)))
            .collect();
        let counts: Vec<Vec<u64>> = self
            .columns
            .iter()
            .map(|patients| {
                let mut n = vec![0u64; labels.len()];
                for &p in patients {
                    if let Some(i) = row_of[values.code(p)] {
                        n[i] += 1;
                    }
                }
                n
            })
            .collect();
        self.heading(label, place.indent);
        let shown = labels.len();
        self.level_rows(&id, label, &labels, counts, shown, &place.deeper())
    }

    fn flag(
        &mut self,
        variable: &str,
        label: &str,
        value: &str,
        place: &Place,
    ) -> Result<(), ReportError> {
        let id = self.row_id(place.id.as_deref(), variable.to_string());
        let values = self.set.text(variable)?;
        let counts: Vec<Vec<u64>> = self
            .columns
            .iter()
            .map(|patients| {
                let yes = patients
                    .iter()
                    .filter(|&&p| values.get(p) == Some(value))
                    .count() as u64;
                vec![yes, patients.len() as u64 - yes]
            })
            .collect();
        self.level_rows(&id, label, &[label.to_string()], counts, 1, place)
    }

    fn continuous(
        &mut self,
        variable: &str,
        label: &str,
        stats: &[ContinuousStat],
        decimals: Option<u8>,
        place: &Place,
    ) -> Result<(), ReportError> {
        let f = Formatter {
            decimals: decimals.unwrap_or(self.s.formatter.decimals),
            ..self.s.formatter.clone()
        };
        let id = self.row_id(place.id.as_deref(), variable.to_string());
        let active = &place.active;
        let values = self.set.numbers(variable)?;
        let any_missing = values.iter().any(Option::is_none);
        let single = stats.len() == 1 && !any_missing;
        let mut lines: Vec<(String, Vec<Cell>)> = stats
            .iter()
            .map(|st| {
                let name = match st {
                    ContinuousStat::N => "n",
                    ContinuousStat::MeanSd => "Mean (SD)",
                    ContinuousStat::MedianRange => "Median (range)",
                };
                (
                    if single {
                        label.to_string()
                    } else {
                        name.to_string()
                    },
                    Vec::new(),
                )
            })
            .collect();
        let mut missing_cells = Vec::new();
        let small = rule(self.s).map(|r| r.min_count);
        for (c, &on) in active.iter().enumerate() {
            if !on {
                for line in &mut lines {
                    line.1.push(Cell::empty());
                }
                missing_cells.push(Cell::empty());
                continue;
            }
            let x: Vec<Option<f64>> = self.columns[c].iter().map(|&p| values[p]).collect();
            let sum = summarize(&x, PercentileDefinition::Sas5)?;
            // Statistics of fewer than k patients describe them individually: hidden with the counts.
            let hide = small.is_some_and(|k| sum.n > 0 && sum.n < k);
            let m = hide.then(|| format!("<{}", small.unwrap_or_default()));
            let at = self.at(&id, label, c, "");
            self.ard.count(&at, "n", sum.n, m.as_deref());
            self.ard
                .count(&at, "n_missing", sum.n_missing, m.as_deref());
            for (name, v) in [
                ("mean", sum.mean),
                ("sd", sum.sd),
                ("median", sum.median),
                ("min", sum.min),
                ("max", sum.max),
            ] {
                self.ard.masked(&at, name, v, m.as_deref());
            }
            for (line, st) in lines.iter_mut().zip(stats) {
                let text = match (st, sum.mean, sum.median, sum.min, sum.max) {
                    (ContinuousStat::N, ..) => f.count(sum.n),
                    (ContinuousStat::MeanSd, Some(mean), ..) => f.mean_sd(mean, sum.sd),
                    (ContinuousStat::MedianRange, _, Some(med), Some(lo), Some(hi)) => {
                        f.median_range(med, lo, hi)
                    }
                    _ => Token::NotApplicable.text().to_string(),
                };
                line.1.push(match &m {
                    Some(mask) => Cell::suppressed(mask.clone()),
                    None => Cell::from(text),
                });
            }
            missing_cells.push(match &m {
                Some(mask) => Cell::suppressed(mask.clone()),
                None => self.f().count_cell(sum.n_missing),
            });
            if m.is_some() {
                self.any_hidden = true;
            }
            if sum.n == 0 {
                self.tokens.push(Token::NotApplicable);
            }
        }
        if single {
            if let Some((l, cells)) = lines.pop() {
                self.rows.push(BodyRow::new(l, place.indent, cells));
            }
            return Ok(());
        }
        self.heading(label, place.indent);
        for (l, cells) in lines {
            self.rows.push(BodyRow::new(l, place.indent + 1, cells));
        }
        if any_missing {
            self.rows
                .push(BodyRow::new(MISSING, place.indent + 1, missing_cells));
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn rate(
        &mut self,
        variable: &str,
        label: &str,
        success: &Values,
        filter: &rwe_spec::Filter,
        exclude: &[String],
        ci: bool,
        place: &Place,
    ) -> Result<(), ReportError> {
        let id = self.row_id(place.id.as_deref(), variable.to_string());
        let active = &place.active;
        let values = self.set.text(variable)?;
        let mut counts = Vec::with_capacity(self.columns.len());
        for patients in &self.columns {
            let eligible = self.set.select_within(patients, filter)?;
            let (mut n, mut d) = (0u64, 0u64);
            for p in eligible {
                match values.get(p) {
                    Some(v) if !exclude.iter().any(|x| x == v) => {
                        d += 1;
                        if success.contains(v) {
                            n += 1;
                        }
                    }
                    _ => {}
                }
            }
            counts.push(vec![n, d - n]);
        }
        let hidden = self.protect(&counts)?;
        let mut cells = Vec::new();
        for (c, &on) in active.iter().enumerate() {
            if !on {
                cells.push(Cell::empty());
                continue;
            }
            let (n, d) = (counts[c][0], counts[c][0] + counts[c][1]);
            let at = self.at(&id, label, c, "");
            // The cell shows n and N − n: hidden when either is.
            let h = if hidden[c][0].is_hidden() {
                hidden[c][0]
            } else {
                hidden[c][1]
            };
            let m = mask(rule(self.s), h);
            if d == 0 {
                self.ard.count(&at, "n", 0, None);
                self.ard.count(&at, "N", 0, None);
                self.ard.token(&at, "estimate", Token::NotApplicable.text());
                self.tokens.push(Token::NotApplicable);
                cells.push(Cell::from(Token::NotApplicable.text()));
                continue;
            }
            self.ard.count(&at, "n", n, m.as_deref());
            self.ard.count(&at, "N", d, m.as_deref());
            self.ard
                .masked(&at, "estimate", Some(n as f64 / d as f64), m.as_deref());
            let interval = if ci {
                let p = proportion_ci(n, d, self.s.proportion, self.s.level())?;
                self.ard.masked(&at, "lower", Some(p.lower), m.as_deref());
                self.ard.masked(&at, "upper", Some(p.upper), m.as_deref());
                Some(Interval {
                    lower: Stat::Value(p.lower),
                    upper: Stat::Value(p.upper),
                    level: self.s.level(),
                })
            } else {
                None
            };
            let cell = Cell::from(self.f().rate(n, d, interval.as_ref()));
            cells.push(self.masked(cell, h));
        }
        self.rows.push(BodyRow::new(label, place.indent, cells));
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn survival(
        &mut self,
        paramcd: &str,
        label: &str,
        statistic: SurvivalStat,
        at_months: Option<f64>,
        filter: &rwe_spec::Filter,
        by: Option<&Split>,
        place: &Place,
    ) -> Result<(), ReportError> {
        let generated = match (statistic, at_months) {
            (SurvivalStat::Median, _) => format!("{paramcd}_median"),
            (SurvivalStat::Events, _) => format!("{paramcd}_events"),
            (SurvivalStat::Rate, t) => format!("{paramcd}_rate{}", t.unwrap_or_default()),
        };
        let generated = match by {
            Some(split) => format!("{generated}_by_{}", split.variable),
            None => generated,
        };
        let id = self.row_id(place.id.as_deref(), generated);
        let active = &place.active;
        let groups: Vec<(String, Option<(String, Values)>)> = match by {
            None => vec![(label.to_string(), None)],
            Some(split) => split_levels(self.set, split)?
                .into_iter()
                .map(|l| (l.label.clone(), Some((split.variable.clone(), l.values))))
                .collect(),
        };
        let indent = if by.is_some() {
            self.heading(label, place.indent);
            place.indent + 1
        } else {
            place.indent
        };
        for (group_label, level) in groups {
            let mut cells = Vec::new();
            for (c, &on) in active.iter().enumerate() {
                if !on {
                    cells.push(Cell::empty());
                    continue;
                }
                let mut patients = self.set.select_within(&self.columns[c], filter)?;
                if let Some((variable, values)) = &level {
                    patients = self.set.with_values(&patients, variable, values)?;
                }
                let times = self.set.times(paramcd, &patients);
                let group = if by.is_some() {
                    group_label.as_str()
                } else {
                    ""
                };
                let at = self.at(&id, label, c, group);
                let Some(km) = survival::fit(&times)? else {
                    self.ard.count(&at, "n", 0, None);
                    self.ard
                        .token(&at, stat_name(statistic), Token::NotApplicable.text());
                    self.tokens.push(Token::NotApplicable);
                    cells.push(Cell::from(Token::NotApplicable.text()));
                    continue;
                };
                let cell = match statistic {
                    SurvivalStat::Median => survival::median_cell(&km, self.s, &mut self.ard, &at)?,
                    SurvivalStat::Rate => survival::rate_cell(
                        &km,
                        at_months.unwrap_or_default(),
                        self.s,
                        &mut self.ard,
                        &at,
                    )?,
                    SurvivalStat::Events => survival::events_cell(&km, self.s, &mut self.ard, &at),
                };
                self.tokens.extend(cell.tokens);
                let small = rule(self.s).is_some_and(|r| {
                    statistic == SurvivalStat::Events
                        && km.events() > 0
                        && km.events() < r.min_count
                });
                cells.push(if small {
                    self.masked(Cell::from(cell.text), Hidden::Primary)
                } else {
                    Cell::from(cell.text)
                });
            }
            self.rows.push(BodyRow::new(group_label, indent, cells));
        }
        Ok(())
    }

    fn adverse_events(
        &mut self,
        label: &str,
        groups: &[String],
        place: &Place,
    ) -> Result<(), ReportError> {
        let generated = if groups.is_empty() {
            "AE".to_string()
        } else {
            format!("AE_{}", groups.join("_"))
        };
        let id = self.row_id(place.id.as_deref(), generated);
        let active = &place.active;
        // Maximum grade of each patient over the events of the row.
        let mut max_grade = vec![0u8; self.set.len()];
        for e in self.set.adverse_events() {
            if groups.is_empty() || groups.contains(&e.group) {
                max_grade[e.patient] = max_grade[e.patient].max(e.grade);
            }
        }
        let grades = &self.decl.grades;
        let in_grade = |g: &GradeDecl, x: u8| x >= g.min && x <= g.max;
        // counts[c][k]: patients of column c whose maximum grade is in grade category k.
        let counts: Vec<Vec<u64>> = self
            .columns
            .iter()
            .map(|patients| {
                grades
                    .iter()
                    .map(|g| {
                        patients
                            .iter()
                            .filter(|&&p| max_grade[p] > 0 && in_grade(g, max_grade[p]))
                            .count() as u64
                    })
                    .collect()
            })
            .collect();
        let hidden = self.protect_grades(&counts)?;
        let mut cells = Vec::new();
        for (c, &on) in active.iter().enumerate() {
            for (k, g) in grades.iter().enumerate() {
                if !on {
                    cells.push(Cell::empty());
                    continue;
                }
                let (n, d) = (counts[c][k], self.n(c));
                let m = mask(rule(self.s), hidden[c][k]);
                let at = self.at(&id, label, c, &g.label);
                self.ard.count(&at, "n", n, m.as_deref());
                self.ard.count(&at, "N", d, None);
                self.ard.masked(&at, "pct", pct(n, d), m.as_deref());
                let cell = Cell::from(self.f().n_pct(n, d));
                cells.push(self.masked(cell, hidden[c][k]));
            }
        }
        self.rows.push(BodyRow::new(label, place.indent, cells));
        Ok(())
    }

    /// Grade-category counts protected together. When the first category covers every grade and the
    /// others partition it ("Any" = "1–2" + "≥ 3"), the partition and the patients without an event form
    /// the block and "Any" is hidden with any of its parts; otherwise each category is protected with its
    /// complement.
    fn protect_grades(&self, counts: &[Vec<u64>]) -> Result<Vec<Vec<Hidden>>, ReportError> {
        let grades = &self.decl.grades;
        let any_first = grades.first().is_some_and(|g| g.min <= 1 && g.max >= 5);
        let rest = grades.get(1..).unwrap_or_default();
        let partition = any_first
            && !rest.is_empty()
            && (1..=5u8).all(|x| rest.iter().filter(|g| x >= g.min && x <= g.max).count() == 1);
        let columns = self.columns.len();
        if partition {
            let block: Vec<Vec<u64>> = (0..columns)
                .map(|c| {
                    let mut v: Vec<u64> = counts[c][1..].to_vec();
                    v.push(self.n(c) - counts[c][0]);
                    v
                })
                .collect();
            let h = self.protect(&block)?;
            let k = rule(self.s).map_or(0, |r| r.min_count);
            return Ok((0..columns)
                .map(|c| {
                    let any = counts[c][0];
                    let first = if any > 0 && any < k {
                        Hidden::Primary
                    } else if h[c][..rest.len()].iter().any(|x| x.is_hidden()) {
                        Hidden::Complementary
                    } else {
                        Hidden::Shown
                    };
                    std::iter::once(first)
                        .chain(h[c][..rest.len()].iter().copied())
                        .collect()
                })
                .collect());
        }
        let mut out = vec![Vec::with_capacity(grades.len()); columns];
        for (k, _) in grades.iter().enumerate() {
            let block: Vec<Vec<u64>> = (0..columns)
                .map(|c| vec![counts[c][k], self.n(c) - counts[c][k]])
                .collect();
            let h = self.protect(&block)?;
            for c in 0..columns {
                out[c].push(h[c][0]);
            }
        }
        Ok(out)
    }
}

fn stat_name(s: SurvivalStat) -> &'static str {
    match s {
        SurvivalStat::Median => "median",
        SurvivalStat::Rate => "surv",
        SurvivalStat::Events => "events",
    }
}

/// Build a declared table, writing its statistics to `ard`.
///
/// # Errors
/// [`ReportError`] when a variable is missing from the datasets or a statistic cannot be computed.
pub(crate) fn build(
    decl: &TableDecl,
    set: &AnalysisSet,
    s: &Settings,
    ard: &mut Vec<ArdRow>,
) -> Result<Table, ReportError> {
    let mut columns = Vec::with_capacity(decl.columns.len());
    for c in &decl.columns {
        columns.push(set.select(&c.filter)?);
    }
    let structure = ColumnStructure::new(&columns);
    let mut b = Builder {
        decl,
        set,
        s,
        ard: ArdSink::new(ard, &decl.id),
        columns,
        structure,
        rows: Vec::new(),
        tokens: Vec::new(),
        any_hidden: false,
        row_ids: Vec::new(),
    };
    let header = header(&mut b)?;
    let mut has_survival = false;
    let mut has_rate_ci = false;
    for row in &decl.rows {
        let p = row.place();
        let place = &Place {
            indent: p.indent,
            active: b.active(p.columns),
            id: p.id.map(str::to_string),
        };
        match row {
            RowDecl::Heading { label, indent } => b.heading(label, *indent),
            RowDecl::Count { label, .. } => b.count_row(label, place)?,
            RowDecl::Categorical {
                variable,
                label,
                levels,
                missing,
                ..
            } => b.categorical(variable, label, levels, missing, place)?,
            RowDecl::Flag {
                variable,
                label,
                value,
                ..
            } => b.flag(variable, label, value, place)?,
            RowDecl::Continuous {
                variable,
                label,
                stats,
                decimals,
                ..
            } => b.continuous(variable, label, stats, *decimals, place)?,
            RowDecl::Rate {
                variable,
                label,
                success,
                filter,
                exclude,
                ci,
                ..
            } => {
                has_rate_ci |= *ci;
                b.rate(variable, label, success, filter, exclude, *ci, place)?;
            }
            RowDecl::Survival {
                paramcd,
                label,
                statistic,
                at,
                filter,
                by,
                ..
            } => {
                has_survival |= *statistic != SurvivalStat::Events;
                b.survival(paramcd, label, *statistic, *at, filter, by.as_ref(), place)?;
            }
            RowDecl::AdverseEvents { label, groups, .. } => {
                b.adverse_events(label, groups, place)?;
            }
        }
    }
    let mut footnotes = decl.footnotes.clone();
    let level = s.formatter.ci_label(s.level());
    if has_rate_ci {
        footnotes.push(format!(
            "Rates of responders: {level} by the {} method.",
            match s.proportion {
                rwe_stats::ProportionMethod::Exact => "exact (Clopper-Pearson)",
                _ => "Wilson score",
            }
        ));
    }
    if has_survival {
        footnotes.push(format!(
            "Medians and rates are Kaplan-Meier estimates in months; {level}s use the Greenwood variance with the {} transformation, medians' {level}s the Brookmeyer-Crowley method.",
            s.confidence.conf_type()
        ));
    }
    let tokens = Token::footnote(&b.tokens);
    if !tokens.is_empty() {
        footnotes.push(tokens);
    }
    if b.any_hidden
        && let Some(r) = rule(s)
    {
        footnotes.push(r.footnote());
    }
    let table = Table {
        id: decl.id.clone(),
        title: decl.title.clone(),
        header,
        rows: b.rows,
        footnotes,
    };
    table.validate()?;
    Ok(table)
}

/// The header rows: column groups (when any), labels with the stub, and the numbers of patients; an ADAE
/// table puts the grade categories under each column.
fn header(b: &mut Builder<'_>) -> Result<Vec<Vec<HeaderCell>>, ReportError> {
    let decl = b.decl;
    let per = if decl.dataset == TableDataset::Adae {
        decl.grades.len().max(1)
    } else {
        1
    };
    let counts: Vec<Vec<u64>> = (0..b.columns.len()).map(|c| vec![b.n(c)]).collect();
    let hidden = b.protect(&counts)?;
    let n_text: Vec<String> = (0..b.columns.len())
        .map(|c| match mask(rule(b.s), hidden[c][0]) {
            Some(m) => {
                b.any_hidden = true;
                format!("N {m}")
            }
            None => format!("N = {}", b.n(c)),
        })
        .collect();
    let mut rows = Vec::new();
    if decl.columns.iter().any(|c| c.group.is_some()) {
        let mut row = vec![HeaderCell::new("")];
        let mut i = 0;
        while i < decl.columns.len() {
            let g = &decl.columns[i].group;
            let mut j = i + 1;
            while j < decl.columns.len() && g.is_some() && decl.columns[j].group == *g {
                j += 1;
            }
            row.push(HeaderCell::spanning(
                g.clone().unwrap_or_default(),
                (j - i) * per,
            ));
            i = j;
        }
        rows.push(row);
    }
    let adae = decl.dataset == TableDataset::Adae;
    let mut labels = vec![HeaderCell::new(if adae { "" } else { decl.stub.as_str() })];
    for (c, col) in decl.columns.iter().enumerate() {
        let text = if adae && decl.show_n {
            format!("{} ({})", col.label, n_text[c])
        } else {
            col.label.clone()
        };
        labels.push(HeaderCell::spanning(text, per));
    }
    rows.push(labels);
    if adae {
        let mut g = vec![HeaderCell::new(decl.stub.as_str())];
        for _ in &decl.columns {
            g.extend(decl.grades.iter().map(|x| HeaderCell::new(x.label.clone())));
        }
        rows.push(g);
    } else if decl.show_n {
        let mut n = vec![HeaderCell::new("")];
        n.extend(n_text.into_iter().map(HeaderCell::new));
        rows.push(n);
    }
    Ok(rows)
}
