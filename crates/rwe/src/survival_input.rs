//! Reading the columns a survival command needs, with every bad value reported by file, row and column.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use rwe_data::{
    ColumnRequest, Diagnostic, LabelColumn, Numbers, ReadError, RowMap, Source, TypedColumn,
    TypedTable, fold_columns, read_columns,
};
use rwe_stats::{CountOptions, GroupCounts, StatsError};

/// Rule: a time is missing.
pub const RULE_TIME_MISSING: &str = rwe_data::rule::SURV_TIME_MISSING.id;
/// Rule: a time is negative.
pub const RULE_TIME_NEGATIVE: &str = rwe_data::rule::SURV_TIME_NEGATIVE.id;
/// Rule: an event indicator is missing.
pub const RULE_EVENT_MISSING: &str = rwe_data::rule::SURV_EVENT_MISSING.id;
/// Rule: an event code is not one of the allowed codes.
pub const RULE_EVENT_CODE: &str = rwe_data::rule::SURV_EVENT_CODE.id;
/// Rule: a group or stratum label is empty.
pub const RULE_GROUP_EMPTY: &str = rwe_data::rule::SURV_GROUP_EMPTY.id;
/// Rule: the file has no records.
pub const RULE_NO_RECORDS: &str = rwe_data::rule::SURV_NO_RECORDS.id;

/// Why a command's input could not be used.
#[derive(Debug)]
pub enum InputError {
    /// The file could not be read (exit status 2).
    Read(ReadError),
    /// The data broke rules (exit status 1); every diagnostic is listed.
    Invalid(Vec<Diagnostic>),
    /// The counts could not be formed (exit status 2).
    Stats(StatsError),
}

impl From<ReadError> for InputError {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Invalid(d) => InputError::Invalid(d),
            other => InputError::Read(other),
        }
    }
}

/// Labels of a grouping column mapped to dense indices in sorted order.
#[derive(Debug, Clone)]
pub struct Labels {
    /// Sorted distinct labels.
    pub levels: Vec<String>,
    /// Index into `levels` for each record.
    pub index: Vec<u32>,
}

impl Labels {
    /// Levels in [`sort_levels`] order, codes remapped to them.
    fn from_column(column: LabelColumn) -> Labels {
        let sorted = sort_levels(column.levels.clone());
        let position: BTreeMap<&str, u32> = sorted
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i as u32))
            .collect();
        let remap: Vec<u32> = column
            .levels
            .iter()
            .map(|l| position.get(l.as_str()).copied().unwrap_or(0))
            .collect();
        let index = column
            .codes
            .into_iter()
            .map(|c| remap.get(c as usize).copied().unwrap_or(0))
            .collect();
        Labels {
            levels: sorted,
            index,
        }
    }
}

/// Order of group levels: numerically when every label is a number (so `2` comes before `10`), otherwise
/// by bytes, which is R's order in the C locale.
#[must_use]
pub fn sort_levels(mut levels: Vec<String>) -> Vec<String> {
    let numeric: Option<Vec<f64>> = levels
        .iter()
        .map(|s| s.trim().parse::<f64>().ok())
        .collect();
    if let Some(nums) = numeric {
        let mut pairs: Vec<(f64, String)> = nums.into_iter().zip(levels).collect();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        pairs.into_iter().map(|(_, s)| s).collect()
    } else {
        levels.sort();
        levels
    }
}

/// Follow-up times as read: whole days stay `i32` (4 bytes a record instead of 8).
#[derive(Debug, Clone)]
pub enum Times {
    /// Every time is a whole number.
    Days(Vec<i32>),
    /// Some time is fractional or large.
    Real(Vec<f64>),
}

impl Times {
    /// Number of records.
    #[must_use]
    pub fn len(&self) -> usize {
        match self {
            Times::Days(v) => v.len(),
            Times::Real(v) => v.len(),
        }
    }

    /// The times as `f64`, converted only when they are days.
    #[must_use]
    pub fn to_f64(&self) -> Cow<'_, [f64]> {
        match self {
            Times::Days(v) => Cow::Owned(v.iter().map(|&d| f64::from(d)).collect()),
            Times::Real(v) => Cow::Borrowed(v),
        }
    }
}

/// The columns of a survival analysis, validated.
#[derive(Debug, Clone)]
pub struct SurvivalInput {
    /// File label for messages.
    pub source: String,
    /// Follow-up times (non-negative, finite).
    pub time: Times,
    /// Event codes: 0 censored, 1..=max_code events.
    pub event: Vec<u32>,
    /// Group labels, when asked for.
    pub group: Option<Labels>,
    /// Stratum labels, when asked for.
    pub strata: Option<Labels>,
    /// Extra columns kept as text (covariates), by name.
    pub extra: BTreeMap<String, Vec<Option<String>>>,
    /// Where each record is in the file, for messages about them.
    rows: RowMap,
}

impl SurvivalInput {
    /// Spreadsheet row number of record `index` (header = row 1).
    #[must_use]
    pub fn row_number(&self, index: usize) -> u64 {
        self.rows.row(index)
    }
}

/// What to read.
#[derive(Debug, Clone, Copy)]
pub struct SurvivalColumns<'a> {
    /// Time column.
    pub time: &'a str,
    /// Event column.
    pub event: &'a str,
    /// Largest allowed event code: `Some(1)` for survival, `None` for competing risks (any cause 1..k).
    pub max_event_code: Option<u32>,
    /// Grouping column.
    pub group: Option<&'a str>,
    /// Stratification column.
    pub strata: Option<&'a str>,
    /// Further columns to keep as text.
    pub extra: &'a [&'a str],
}

/// Read and validate the columns of a survival analysis from a CSV, Parquet or Excel file.
///
/// The columns are read typed ([`read_columns`]): numbers straight from the bytes, labels as dictionary
/// codes, so a file of tens of millions of records needs no string per cell.
///
/// # Errors
/// [`InputError::Read`] when the file cannot be read; [`InputError::Invalid`] with every bad value.
pub fn read_survival(path: &Path, cols: &SurvivalColumns<'_>) -> Result<SurvivalInput, InputError> {
    let mut wanted = vec![
        ColumnRequest::number(cols.time),
        ColumnRequest::number(cols.event),
    ];
    wanted.extend(cols.group.map(ColumnRequest::label));
    wanted.extend(cols.strata.map(ColumnRequest::label));
    wanted.extend(cols.extra.iter().map(|c| ColumnRequest::label(c)));
    let table = read_columns(&Source::file(path), &wanted)?;
    validate(table, cols)
}

/// Every broken rule in the records of `table` (a whole file or one batch of it), by row and column.
fn problems_of(table: &TypedTable, cols: &SurvivalColumns<'_>) -> Vec<Diagnostic> {
    let mut problems: Vec<Diagnostic> = Vec::new();
    let locate = |i: usize, column: &str| table.location(i, column);
    let invalid_time;
    let invalid_event;
    {
        let [TypedColumn::Number(time), TypedColumn::Number(event), ..] = table.columns() else {
            return problems;
        };
        invalid_time = table.invalid_diagnostics(time);
        invalid_event = table.invalid_diagnostics(event);
        for &i in &time.missing {
            problems.push(Diagnostic::error(
                RULE_TIME_MISSING,
                locate(i, cols.time),
                "",
                "a follow-up time (a number ≥ 0)",
            ));
        }
        let negative = |i: usize, t: f64| {
            Diagnostic::error(
                RULE_TIME_NEGATIVE,
                locate(i, cols.time),
                format_found(t),
                "a follow-up time ≥ 0",
            )
        };
        match &time.values {
            Numbers::Int(v) => problems.extend(
                (0..v.len())
                    .filter(|&i| v[i] < 0)
                    .map(|i| negative(i, f64::from(v[i]))),
            ),
            Numbers::Float(v) => {
                problems.extend(
                    (0..v.len())
                        .filter(|&i| v[i] < 0.0)
                        .map(|i| negative(i, v[i])),
                );
            }
        }
        let expected = codes_expected(cols.max_event_code);
        for &i in &event.missing {
            problems.push(Diagnostic::error(
                RULE_EVENT_MISSING,
                locate(i, cols.event),
                "",
                expected.clone(),
            ));
        }
        let max_code = f64::from(cols.max_event_code.unwrap_or(u32::MAX));
        let bad_code = |e: f64| e.fract() != 0.0 || e < 0.0 || e > max_code;
        let code_problem = |i: usize, e: f64| {
            Diagnostic::error(
                RULE_EVENT_CODE,
                locate(i, cols.event),
                format_found(e),
                expected.clone(),
            )
        };
        match &event.values {
            Numbers::Int(v) => problems.extend(
                (0..v.len())
                    .filter(|&i| bad_code(f64::from(v[i])))
                    .map(|i| code_problem(i, f64::from(v[i]))),
            ),
            Numbers::Float(v) => problems.extend(
                (0..v.len())
                    .filter(|&i| bad_code(v[i]))
                    .map(|i| code_problem(i, v[i])),
            ),
        }
        problems.extend(invalid_time);
        problems.extend(invalid_event.into_iter().map(|mut d| {
            d.rule = RULE_EVENT_CODE;
            d.expected.clone_from(&expected);
            d
        }));
    }
    let n_label_columns = usize::from(cols.group.is_some()) + usize::from(cols.strata.is_some());
    for column in &table.columns()[2..2 + n_label_columns] {
        if let TypedColumn::Label(l) = column {
            for &i in &l.missing {
                problems.push(Diagnostic::error(
                    RULE_GROUP_EMPTY,
                    locate(i, &l.name),
                    "",
                    format!("a value of {} for every record", l.name),
                ));
            }
        }
    }
    problems
}

fn no_records(source: &str) -> InputError {
    InputError::Invalid(vec![Diagnostic::error(
        RULE_NO_RECORDS,
        rwe_data::Location::file(source),
        "no records",
        "at least one record below the header",
    )])
}

fn validate(table: TypedTable, cols: &SurvivalColumns<'_>) -> Result<SurvivalInput, InputError> {
    if table.n_rows() == 0 {
        return Err(no_records(table.source()));
    }
    let source = table.source().to_string();
    let problems = problems_of(&table, cols);
    if !problems.is_empty() {
        return Err(InputError::Invalid(problems));
    }
    let (columns, rows) = table.into_columns();
    let mut columns = columns.into_iter();
    let (Some(TypedColumn::Number(time)), Some(TypedColumn::Number(event))) =
        (columns.next(), columns.next())
    else {
        return Err(InputError::Invalid(Vec::new()));
    };
    let time = match time.values {
        Numbers::Int(v) => Times::Days(v),
        Numbers::Float(v) => Times::Real(v),
    };
    // Validated: every code is a whole number in 0..=max_code.
    let event: Vec<u32> = match event.values {
        Numbers::Int(v) => v.into_iter().map(|e| e as u32).collect(),
        Numbers::Float(v) => v.into_iter().map(|e| e as u32).collect(),
    };
    let mut take_labels = |present: bool| -> Option<Labels> {
        if !present {
            return None;
        }
        match columns.next() {
            Some(TypedColumn::Label(l)) => Some(Labels::from_column(l)),
            _ => None,
        }
    };
    let group = take_labels(cols.group.is_some());
    let strata = take_labels(cols.strata.is_some());
    let mut extra = BTreeMap::new();
    for column in columns {
        if let TypedColumn::Label(l) = column {
            let missing: std::collections::BTreeSet<usize> = l.missing.iter().copied().collect();
            let values = l
                .codes
                .iter()
                .enumerate()
                .map(|(i, &c)| (!missing.contains(&i)).then(|| l.levels[c as usize].clone()))
                .collect();
            extra.insert(l.name, values);
        }
    }
    Ok(SurvivalInput {
        source,
        time,
        event,
        group,
        strata,
        extra,
        rows,
    })
}

fn codes_expected(max: Option<u32>) -> String {
    match max {
        Some(1) => "0 (censored) or 1 (event)".to_string(),
        Some(k) => format!("0 (censored) or an event code 1..{k}"),
        None => "0 (censored) or a cause code 1, 2, …".to_string(),
    }
}

fn format_found(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// A survival file reduced to per-time counts: what `rwe km` needs, without keeping a row.
#[derive(Debug, Clone)]
pub struct CountedSurvival {
    /// Counts per group (the levels of `group`, or one group) and per stratum (the levels of
    /// `strata`, or one stratum).
    pub counts: GroupCounts,
    /// Group labels in [`sort_levels`] order, when asked for.
    pub group: Option<Vec<String>>,
    /// Stratum labels in [`sort_levels`] order, when asked for.
    pub strata: Option<Vec<String>>,
}

/// What one partition of the file contributed.
#[derive(Debug, Default)]
struct PartialCounts {
    rows: usize,
    problems: Vec<Diagnostic>,
    /// The partition's own dictionaries, in order of first appearance.
    group_levels: Vec<String>,
    strata_levels: Vec<String>,
    counts: Option<GroupCounts>,
    error: Option<StatsError>,
}

/// Codes of `column` in the partition's dictionary `levels` (which grows as new labels appear).
fn codes_in(levels: &mut Vec<String>, column: &LabelColumn) -> Vec<u32> {
    let map: Vec<u32> = column
        .levels
        .iter()
        .map(|l| match levels.iter().position(|x| x == l) {
            Some(i) => i as u32,
            None => {
                levels.push(l.clone());
                (levels.len() - 1) as u32
            }
        })
        .collect();
    column.codes.iter().map(|&c| map[c as usize]).collect()
}

impl PartialCounts {
    fn fold(&mut self, table: TypedTable, cols: &SurvivalColumns<'_>) {
        self.rows += table.n_rows();
        let problems = problems_of(&table, cols);
        if !problems.is_empty() || !self.problems.is_empty() || self.error.is_some() {
            // Keep checking every record, but count nothing once something is wrong.
            self.problems.extend(problems);
            return;
        }
        if table.n_rows() == 0 {
            return;
        }
        let columns = table.columns();
        let (TypedColumn::Number(time), TypedColumn::Number(event)) = (&columns[0], &columns[1])
        else {
            return;
        };
        let event: Vec<bool> = match &event.values {
            Numbers::Int(v) => v.iter().map(|&e| e == 1).collect(),
            Numbers::Float(v) => v.iter().map(|&e| e == 1.0).collect(),
        };
        let mut next = 2;
        let mut labels = |present: bool, levels: &mut Vec<String>| -> Option<Vec<u32>> {
            if !present {
                return None;
            }
            let column = columns.get(next);
            next += 1;
            match column {
                Some(TypedColumn::Label(l)) => Some(codes_in(levels, l)),
                _ => None,
            }
        };
        let group = labels(cols.group.is_some(), &mut self.group_levels);
        let strata = labels(cols.strata.is_some(), &mut self.strata_levels);
        // A batch of a Parquet partition is counted on the partition's thread; a whole file on all.
        let options = if table.n_rows() <= 1 << 16 {
            CountOptions {
                threads: std::num::NonZeroUsize::MIN,
                ..CountOptions::default()
            }
        } else {
            CountOptions::default()
        };
        let counted = match &time.values {
            Numbers::Int(t) => GroupCounts::from_observations_with(
                t,
                &event,
                group.as_deref(),
                strata.as_deref(),
                &options,
            ),
            Numbers::Float(t) => GroupCounts::from_observations_with(
                t,
                &event,
                group.as_deref(),
                strata.as_deref(),
                &options,
            ),
        };
        match counted {
            Ok(c) => {
                self.counts = Some(match self.counts.take() {
                    Some(all) => all.merge(&c),
                    None => c,
                });
            }
            Err(e) => self.error = Some(e),
        }
    }
}

/// Where the partitions' labels go in `sorted`, the merged dictionary in [`sort_levels`] order.
fn level_map(partition: &[String], sorted: &[String]) -> Vec<u32> {
    let at: BTreeMap<&str, u32> = sorted
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i as u32))
        .collect();
    partition
        .iter()
        .map(|l| at.get(l.as_str()).copied().unwrap_or(0))
        .collect()
}

/// Read a survival file and reduce it to per-time counts per group and stratum, validating every
/// record as [`read_survival`] does. Parquet is decoded batch by batch on every core and never
/// held whole; CSV is read whole (typed) and counted on every core.
///
/// # Errors
/// [`InputError::Read`] when the file cannot be read; [`InputError::Invalid`] with every bad value.
pub fn count_survival(
    path: &Path,
    cols: &SurvivalColumns<'_>,
) -> Result<CountedSurvival, InputError> {
    let mut wanted = vec![
        ColumnRequest::number(cols.time),
        ColumnRequest::number(cols.event),
    ];
    wanted.extend(cols.group.map(ColumnRequest::label));
    wanted.extend(cols.strata.map(ColumnRequest::label));
    let source = Source::file(path);
    let partials = fold_columns(
        &source,
        &wanted,
        &PartialCounts::default,
        &|state, table| {
            state.fold(table, cols);
        },
    )?;
    let problems: Vec<Diagnostic> = partials.iter().flat_map(|p| p.problems.clone()).collect();
    if !problems.is_empty() {
        return Err(InputError::Invalid(problems));
    }
    if partials.iter().all(|p| p.rows == 0) {
        return Err(no_records(&source.label()));
    }
    if let Some(e) = partials.iter().find_map(|p| p.error.clone()) {
        return Err(InputError::Stats(e));
    }
    let union = |pick: fn(&PartialCounts) -> &Vec<String>| -> Vec<String> {
        let mut all: Vec<String> = Vec::new();
        for p in &partials {
            for l in pick(p) {
                if !all.contains(l) {
                    all.push(l.clone());
                }
            }
        }
        sort_levels(all)
    };
    let groups = union(|p| &p.group_levels);
    let strata = union(|p| &p.strata_levels);
    let mut counts: Option<GroupCounts> = None;
    for p in &partials {
        let Some(c) = &p.counts else { continue };
        let c = c
            .relabel(
                &if cols.group.is_some() {
                    level_map(&p.group_levels, &groups)
                } else {
                    vec![0]
                },
                groups.len().max(1),
                &if cols.strata.is_some() {
                    level_map(&p.strata_levels, &strata)
                } else {
                    vec![0]
                },
                strata.len().max(1),
            )
            .map_err(InputError::Stats)?;
        counts = Some(match counts {
            Some(all) => all.merge(&c),
            None => c,
        });
    }
    let counts = counts.ok_or_else(|| no_records(&source.label()))?;
    Ok(CountedSurvival {
        counts,
        group: cols.group.map(|_| groups),
        strata: cols.strata.map(|_| strata),
    })
}
