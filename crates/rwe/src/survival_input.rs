//! Reading the columns a survival command needs, with every bad value reported by file, row and column.

use std::collections::BTreeMap;
use std::path::Path;

use rwe_data::rule::{
    SURV_EVENT_CODE, SURV_EVENT_MISSING, SURV_GROUP_EMPTY, SURV_NO_RECORDS, SURV_TIME_MISSING,
    SURV_TIME_NEGATIVE,
};
use rwe_data::{Diagnostic, NumberCell, ReadError, Source, Table, read_table};

/// Why a command's input could not be used.
#[derive(Debug)]
pub enum InputError {
    /// The file could not be read (exit status 2).
    Read(ReadError),
    /// The data broke rules (exit status 1); every diagnostic is listed.
    Invalid(Vec<Diagnostic>),
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
    fn from_values(values: Vec<String>) -> Labels {
        let mut map: BTreeMap<&str, u32> = BTreeMap::new();
        for v in &values {
            map.insert(v.as_str(), 0);
        }
        let levels: Vec<String> = map.keys().map(|s| (*s).to_string()).collect();
        let sorted = sort_levels(levels);
        let lookup: BTreeMap<&str, u32> = sorted
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i as u32))
            .collect();
        let index = values
            .iter()
            .map(|v| lookup.get(v.as_str()).copied().unwrap_or(0))
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

/// The columns of a survival analysis, validated.
#[derive(Debug, Clone)]
pub struct SurvivalInput {
    /// File label for messages.
    pub source: String,
    /// Follow-up times (non-negative, finite).
    pub time: Vec<f64>,
    /// Event codes: 0 censored, 1..=max_code events.
    pub event: Vec<u32>,
    /// Group labels, when asked for.
    pub group: Option<Labels>,
    /// Stratum labels, when asked for.
    pub strata: Option<Labels>,
    /// Extra columns kept as text (covariates), by name.
    pub extra: BTreeMap<String, Vec<Option<String>>>,
    /// Spreadsheet row number of each record (header = row 1), for messages about them.
    pub row_numbers: Vec<u64>,
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

/// Read and validate the columns of a survival analysis from a CSV or Parquet file.
///
/// # Errors
/// [`InputError::Read`] when the file cannot be read; [`InputError::Invalid`] with every bad value.
pub fn read_survival(path: &Path, cols: &SurvivalColumns<'_>) -> Result<SurvivalInput, InputError> {
    let mut wanted: Vec<&str> = vec![cols.time, cols.event];
    wanted.extend(cols.group);
    wanted.extend(cols.strata);
    wanted.extend(cols.extra.iter().copied());
    wanted.dedup();
    let table = read_table(&Source::file(path), Some(&wanted))?;
    validate(&table, cols)
}

fn validate(table: &Table, cols: &SurvivalColumns<'_>) -> Result<SurvivalInput, InputError> {
    let mut problems: Vec<Diagnostic> = Vec::new();
    if table.n_rows() == 0 {
        return Err(InputError::Invalid(vec![SURV_NO_RECORDS.at(
            rwe_data::Location::file(table.source()),
            "no records",
            "at least one record below the header",
        )]));
    }
    let mut time = Vec::with_capacity(table.n_rows());
    match table.number_cells(cols.time) {
        Err(d) => problems.push(d),
        Ok((cells, bad)) => {
            problems.extend(bad);
            for (i, cell) in cells.iter().enumerate() {
                match *cell {
                    NumberCell::Invalid => {}
                    NumberCell::Missing => problems.push(SURV_TIME_MISSING.at(
                        table.location(i, cols.time),
                        "",
                        "a follow-up time (a number ≥ 0)",
                    )),
                    NumberCell::Number(t) if t < 0.0 => problems.push(SURV_TIME_NEGATIVE.at(
                        table.location(i, cols.time),
                        format_found(t),
                        "a follow-up time ≥ 0",
                    )),
                    NumberCell::Number(t) => time.push(t),
                }
            }
        }
    }
    let expected = codes_expected(cols.max_event_code);
    let max_code = f64::from(cols.max_event_code.unwrap_or(u32::MAX));
    let mut event = Vec::with_capacity(table.n_rows());
    match table.number_cells(cols.event) {
        Err(d) => problems.push(d),
        Ok((cells, bad)) => {
            problems.extend(bad.into_iter().map(|mut d| {
                d.rule = SURV_EVENT_CODE.id;
                d.expected.clone_from(&expected);
                d
            }));
            for (i, cell) in cells.iter().enumerate() {
                match *cell {
                    NumberCell::Invalid => {}
                    NumberCell::Missing => problems.push(SURV_EVENT_MISSING.at(
                        table.location(i, cols.event),
                        "",
                        expected.clone(),
                    )),
                    NumberCell::Number(e) if e.fract() != 0.0 || e < 0.0 || e > max_code => {
                        problems.push(SURV_EVENT_CODE.at(
                            table.location(i, cols.event),
                            format_found(e),
                            expected.clone(),
                        ));
                    }
                    NumberCell::Number(e) => event.push(e as u32),
                }
            }
        }
    }
    let group = cols.group.map(|name| labels(table, name, &mut problems));
    let strata = cols.strata.map(|name| labels(table, name, &mut problems));
    let mut extra = BTreeMap::new();
    for name in cols.extra {
        if let Ok(column) = table.column(name) {
            let values = (0..table.n_rows())
                .map(|i| table.text(column, i).map(|s| s.trim().to_string()))
                .collect();
            extra.insert((*name).to_string(), values);
        }
    }
    if !problems.is_empty() {
        return Err(InputError::Invalid(problems));
    }
    let row_numbers = (0..table.n_rows()).map(|i| table.row_number(i)).collect();
    Ok(SurvivalInput {
        source: table.source().to_string(),
        time,
        event,
        group,
        strata,
        extra,
        row_numbers,
    })
}

fn labels(table: &Table, name: &str, problems: &mut Vec<Diagnostic>) -> Labels {
    let Ok(column) = table.column(name) else {
        return Labels {
            levels: Vec::new(),
            index: Vec::new(),
        };
    };
    let mut values = Vec::with_capacity(table.n_rows());
    for i in 0..table.n_rows() {
        match table.text(column, i) {
            Some(s) if !s.trim().is_empty() => values.push(s.trim().to_string()),
            _ => problems.push(SURV_GROUP_EMPTY.at(
                table.location(i, name),
                "",
                format!("a value of {name} for every record"),
            )),
        }
    }
    Labels::from_values(values)
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
