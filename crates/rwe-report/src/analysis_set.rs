//! The study population as the analyses see it: the ADSL rows with `SAFFL = "Y"`, their variables by name,
//! their time-to-event records by `PARAMCD` and their treatment-emergent adverse events.
//!
//! Patients are addressed by their position in the study population (ADSL order, which is subject order);
//! subject identifiers are used only to join ADTTE and ADAE to ADSL and never leave this module.
//!
//! The set keeps only what the analyses read, compactly: each ADSL variable as one small code per patient
//! and the distinct values once (a flag of a million patients is four megabytes, not a string each). It
//! can be built from the datasets at once ([`AnalysisSet::new`]) or part by part, as a partitioned
//! derivation produces them ([`AnalysisPart`], [`AnalysisSet::from_parts`]), with the same result.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use rwe_data::{Column, ColumnData, Table};
use rwe_derive::Datasets;
use rwe_spec::{Filter, Values};

use crate::error::ReportError;

/// One time-to-event record: time in months and whether it is an event (`CNSR = 0`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TimeToEvent {
    pub months: f64,
    pub event: bool,
}

/// One treatment-emergent adverse event.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AdverseEvent {
    pub patient: usize,
    pub group: String,
    pub grade: u8,
}

/// The text of one ADSL variable for every patient of the study population: a code per patient
/// (0 when empty) into the distinct values (code `k` is `values[k - 1]`), each of which some patient has.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Labels {
    values: Vec<String>,
    codes: Vec<u32>,
}

impl Labels {
    /// Patient `p`'s value (`None` when empty).
    pub fn get(&self, p: usize) -> Option<&str> {
        match self.codes.get(p).copied().unwrap_or(0) {
            0 => None,
            k => self.values.get(k as usize - 1).map(String::as_str),
        }
    }

    /// The distinct values present, in order of first appearance.
    pub fn values(&self) -> impl Iterator<Item = &str> {
        self.values.iter().map(String::as_str)
    }

    /// For each code, whether its value passes `keep` (code 0, empty, never does).
    pub fn accepted(&self, keep: impl Fn(&str) -> bool) -> Vec<bool> {
        std::iter::once(false)
            .chain(self.values.iter().map(|v| keep(v)))
            .collect()
    }

    /// For each code, `f` of its value (`None` for code 0).
    pub fn by_code<T>(&self, f: impl Fn(&str) -> T) -> Vec<Option<T>> {
        std::iter::once(None)
            .chain(self.values.iter().map(|v| Some(f(v))))
            .collect()
    }

    /// Patient `p`'s code.
    pub fn code(&self, p: usize) -> usize {
        self.codes.get(p).copied().unwrap_or(0) as usize
    }

    /// Appends `other`'s patients, their values renumbered into this column's; `index` holds the code
    /// of each of this column's values and is kept up to date.
    fn append(&mut self, other: Labels, index: &mut HashMap<String, u32>) {
        let renumber: Vec<u32> = std::iter::once(0)
            .chain(other.values.into_iter().map(|v| match index.get(&v) {
                Some(&k) => k,
                None => {
                    self.values.push(v.clone());
                    let k = self.values.len() as u32;
                    index.insert(v, k);
                    k
                }
            }))
            .collect();
        self.codes
            .extend(other.codes.iter().map(|&c| renumber[c as usize]));
    }
}

/// How an ADSL variable reads as numbers.
#[derive(Debug, Clone, PartialEq)]
enum NumberCells {
    /// A numeric column: the values of the study population.
    Values(Vec<Option<f64>>),
    /// A text column: its values parsed when asked (as `Table::numbers` parses text).
    FromText,
    /// Not numbers (dates, or no such column).
    NotNumeric,
}

/// One ADSL variable of the study population.
#[derive(Debug, Clone, PartialEq)]
struct Variable {
    text: Labels,
    numbers: NumberCells,
}

impl NumberCells {
    /// The same kind of cells, with no patient.
    fn empty_like(&self) -> NumberCells {
        match self {
            NumberCells::Values(_) => NumberCells::Values(Vec::new()),
            NumberCells::FromText => NumberCells::FromText,
            NumberCells::NotNumeric => NumberCells::NotNumeric,
        }
    }
}

impl Variable {
    fn append(&mut self, other: Variable, index: &mut HashMap<String, u32>) {
        self.text.append(other.text, index);
        let mine = std::mem::replace(&mut self.numbers, NumberCells::NotNumeric);
        self.numbers = match (mine, other.numbers) {
            (NumberCells::Values(mut a), NumberCells::Values(b)) => {
                a.extend(b);
                NumberCells::Values(a)
            }
            (NumberCells::FromText, NumberCells::FromText) => NumberCells::FromText,
            _ => NumberCells::NotNumeric,
        };
    }
}

/// The analysis data of some of the patients (one partition of a derivation), in ADSL order: what
/// [`AnalysisSet`] keeps of their datasets.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisPart {
    /// `ADSL`, as the datasets name it in messages.
    dataset: String,
    variables: Vec<(String, Variable)>,
    population: usize,
    excluded: usize,
    /// Time-to-event records by `PARAMCD`: (position in this part's population, record).
    tte: BTreeMap<String, Vec<(usize, TimeToEvent)>>,
    params: BTreeMap<String, String>,
    ae: Vec<AdverseEvent>,
}

fn column_text<'t>(table: &'t Table, name: &str) -> Result<Vec<Option<Cow<'t, str>>>, ReportError> {
    let column = table
        .column(name)
        .map_err(|_| ReportError::MissingVariable {
            dataset: table.source().to_uppercase(),
            variable: name.to_string(),
        })?;
    Ok((0..table.n_rows())
        .map(|i| cell_text(table, column, i))
        .collect())
}

/// A cell as the analyses read text: trimmed, `None` when empty.
fn cell_text<'a>(table: &Table, column: &'a Column, i: usize) -> Option<Cow<'a, str>> {
    let cell = table.text(column, i)?;
    let trimmed = cell.trim();
    if trimmed.is_empty() {
        None
    } else if trimmed.len() == cell.len() {
        Some(cell)
    } else {
        Some(Cow::Owned(trimmed.to_string()))
    }
}

fn column_numbers(table: &Table, name: &str) -> Result<Vec<Option<f64>>, ReportError> {
    table.numbers(name).map_err(|_| ReportError::NotNumeric {
        dataset: table.source().to_uppercase(),
        variable: name.to_string(),
    })
}

/// The text of `rows` of a column, coded.
fn labels(table: &Table, column: &Column, rows: &[usize]) -> Labels {
    let mut index: HashMap<Cow<'_, str>, u32> = HashMap::new();
    let mut values: Vec<String> = Vec::new();
    let codes = rows
        .iter()
        .map(|&i| match cell_text(table, column, i) {
            None => 0,
            Some(v) => *index.entry(v).or_insert_with_key(|v| {
                values.push(v.to_string());
                values.len() as u32
            }),
        })
        .collect();
    Labels { values, codes }
}

impl AnalysisPart {
    /// What the analyses keep of derived datasets.
    ///
    /// # Errors
    /// [`ReportError::MissingVariable`] or [`ReportError::NotNumeric`] when a dataset lacks a variable the
    /// analyses need (`SAFFL`, `USUBJID`, `PARAMCD`, `AVALMO`, `CNSR`, `AEGRP`, `ATOXGRN`, `TRTEMFL`).
    pub fn new(datasets: &Datasets) -> Result<AnalysisPart, ReportError> {
        let adsl = &datasets.adsl;
        let saffl = column_text(adsl, "SAFFL")?;
        let ids = column_text(adsl, "USUBJID")?;
        let rows: Vec<usize> = (0..adsl.n_rows())
            .filter(|&i| saffl[i].as_deref() == Some("Y"))
            .collect();
        let excluded = adsl.n_rows() - rows.len();
        let position: BTreeMap<&str, usize> = rows
            .iter()
            .enumerate()
            .filter_map(|(p, &i)| ids[i].as_deref().map(|id| (id, p)))
            .collect();
        let variables = adsl
            .columns()
            .iter()
            .map(|c| {
                let numbers = match &c.data {
                    ColumnData::Text(_) => NumberCells::FromText,
                    ColumnData::Date(_) => NumberCells::NotNumeric,
                    ColumnData::Float(_) | ColumnData::Int(_) | ColumnData::Bool(_) => {
                        match adsl.numbers(&c.name) {
                            Ok(all) => NumberCells::Values(rows.iter().map(|&i| all[i]).collect()),
                            Err(_) => NumberCells::NotNumeric,
                        }
                    }
                };
                let text = labels(adsl, c, &rows);
                (c.name.clone(), Variable { text, numbers })
            })
            .collect();

        let t = &datasets.adtte;
        let mut tte: BTreeMap<String, Vec<(usize, TimeToEvent)>> = BTreeMap::new();
        let mut params = BTreeMap::new();
        if t.n_rows() > 0 {
            let (subject, paramcd) = (column_text(t, "USUBJID")?, column_text(t, "PARAMCD")?);
            let param = column_text(t, "PARAM")?;
            for (code, name) in paramcd.iter().zip(&param) {
                if let (Some(code), Some(name)) = (code, name)
                    && !params.contains_key(code.as_ref())
                {
                    params.insert(code.to_string(), name.to_string());
                }
            }
            let (months, cnsr) = (column_numbers(t, "AVALMO")?, column_numbers(t, "CNSR")?);
            for i in 0..t.n_rows() {
                let (Some(id), Some(code), Some(m), Some(c)) =
                    (&subject[i], &paramcd[i], months[i], cnsr[i])
                else {
                    continue;
                };
                if let Some(&p) = position.get(id.as_ref()) {
                    let record = TimeToEvent {
                        months: m,
                        event: c == 0.0,
                    };
                    match tte.get_mut(code.as_ref()) {
                        Some(records) => records.push((p, record)),
                        None => {
                            tte.insert(code.to_string(), vec![(p, record)]);
                        }
                    }
                }
            }
        }

        let a = &datasets.adae;
        let mut ae = Vec::new();
        if a.n_rows() > 0 {
            let (subject, group) = (column_text(a, "USUBJID")?, column_text(a, "AEGRP")?);
            let (grade, emergent) = (column_numbers(a, "ATOXGRN")?, column_text(a, "TRTEMFL")?);
            for i in 0..a.n_rows() {
                let (Some(id), Some(g), Some(x)) = (&subject[i], &group[i], grade[i]) else {
                    continue;
                };
                if emergent[i].as_deref() != Some("Y") {
                    continue;
                }
                if let Some(&p) = position.get(id.as_ref()) {
                    // Grades are 1–5 by validation; anything else cannot be counted in a grade category.
                    if let Ok(grade) = u8::try_from(x as i64) {
                        ae.push(AdverseEvent {
                            patient: p,
                            group: g.to_string(),
                            grade,
                        });
                    }
                }
            }
        }
        Ok(AnalysisPart {
            dataset: adsl.source().to_uppercase(),
            variables,
            population: rows.len(),
            excluded,
            tte,
            params,
            ae,
        })
    }
}

/// An [`AnalysisSet`] being built part by part, the parts in ADSL order.
#[derive(Debug, Default)]
pub struct AnalysisBuilder {
    /// `ADSL`, as the datasets name it in messages (from the first part).
    dataset: Option<String>,
    variables: BTreeMap<String, Variable>,
    /// The code of each value of each variable.
    index: BTreeMap<String, HashMap<String, u32>>,
    len: usize,
    /// Time-to-event records by `PARAMCD`: (patient, record) in ADSL order.
    tte: BTreeMap<String, Vec<(usize, TimeToEvent)>>,
    params: BTreeMap<String, String>,
    ae: Vec<AdverseEvent>,
    excluded: usize,
}

impl AnalysisBuilder {
    /// Appends the next part.
    pub fn push(&mut self, part: AnalysisPart) {
        let offset = self.len;
        let first = self.dataset.is_none();
        if first {
            self.dataset = Some(part.dataset);
        }
        for (name, v) in part.variables {
            if !first && !self.variables.contains_key(&name) {
                // Parts of one derivation have the same columns; a stray one is not analysable.
                continue;
            }
            let mine = self.variables.entry(name.clone()).or_insert(Variable {
                text: Labels::default(),
                numbers: v.numbers.empty_like(),
            });
            let index = self.index.entry(name).or_default();
            mine.append(v, index);
        }
        for (code, records) in part.tte {
            self.tte
                .entry(code)
                .or_default()
                .extend(records.into_iter().map(|(p, r)| (p + offset, r)));
        }
        for (code, name) in part.params {
            self.params.entry(code).or_insert(name);
        }
        self.ae.extend(part.ae.into_iter().map(|mut e| {
            e.patient += offset;
            e
        }));
        self.len += part.population;
        self.excluded += part.excluded;
    }

    /// The set.
    #[must_use]
    pub fn finish(self) -> AnalysisSet {
        let mut tte = BTreeMap::new();
        for (code, records) in self.tte {
            let mut slot = vec![None; self.len];
            // A later record of the same patient and endpoint replaces an earlier one.
            for (p, r) in records {
                slot[p] = Some(r);
            }
            tte.insert(code, slot);
        }
        AnalysisSet {
            dataset: self.dataset.unwrap_or_else(|| "ADSL".to_string()),
            variables: self.variables,
            len: self.len,
            tte,
            params: self.params,
            ae: self.ae,
            excluded: self.excluded,
        }
    }
}

/// The study population and its analysis data.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisSet {
    /// `ADSL`, as the datasets name it in messages.
    dataset: String,
    variables: BTreeMap<String, Variable>,
    /// Patients in the study population.
    len: usize,
    tte: BTreeMap<String, Vec<Option<TimeToEvent>>>,
    /// `PARAM` of each `PARAMCD`.
    params: BTreeMap<String, String>,
    ae: Vec<AdverseEvent>,
    /// Patients excluded from the study population (ADSL rows with `SAFFL` other than `Y`).
    excluded: usize,
}

impl AnalysisSet {
    /// The study population of derived datasets.
    ///
    /// # Errors
    /// [`ReportError::MissingVariable`] or [`ReportError::NotNumeric`] when a dataset lacks a variable the
    /// analyses need (`SAFFL`, `USUBJID`, `PARAMCD`, `AVALMO`, `CNSR`, `AEGRP`, `ATOXGRN`, `TRTEMFL`).
    pub fn new(datasets: &Datasets) -> Result<AnalysisSet, ReportError> {
        Ok(AnalysisSet::from_parts([AnalysisPart::new(datasets)?]))
    }

    /// The study population of datasets derived part by part, the parts in ADSL order: the same set as
    /// [`AnalysisSet::new`] on the whole datasets.
    pub fn from_parts(parts: impl IntoIterator<Item = AnalysisPart>) -> AnalysisSet {
        let mut builder = AnalysisBuilder::default();
        for part in parts {
            builder.push(part);
        }
        builder.finish()
    }

    /// Number of patients in the study population.
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when nobody is in the study population.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Patients left out of the study population.
    #[must_use]
    pub fn excluded(&self) -> usize {
        self.excluded
    }

    /// Every patient's value of an ADSL variable as text (`None` when empty).
    pub(crate) fn text(&self, variable: &str) -> Result<&Labels, ReportError> {
        self.variables
            .get(variable)
            .map(|v| &v.text)
            .ok_or_else(|| ReportError::MissingVariable {
                dataset: self.dataset.clone(),
                variable: variable.to_string(),
            })
    }

    /// Every patient's value of a numeric ADSL variable.
    pub(crate) fn numbers(&self, variable: &str) -> Result<Vec<Option<f64>>, ReportError> {
        let not_numeric = || ReportError::NotNumeric {
            dataset: self.dataset.clone(),
            variable: variable.to_string(),
        };
        let v = self.variables.get(variable).ok_or_else(not_numeric)?;
        match &v.numbers {
            NumberCells::Values(x) => Ok(x.clone()),
            NumberCells::NotNumeric => Err(not_numeric()),
            NumberCells::FromText => {
                // The distinct values read as `Table::numbers` reads a text column.
                let values = Table::from_columns(
                    &self.dataset,
                    vec![Column {
                        name: variable.to_string(),
                        data: ColumnData::Text(
                            v.text.values().map(|s| Some(s.to_string())).collect(),
                        ),
                    }],
                )
                .map_err(|_| not_numeric())?;
                let parsed = values.numbers(variable).map_err(|_| not_numeric())?;
                let by_code: Vec<Option<f64>> = std::iter::once(None).chain(parsed).collect();
                Ok((0..self.len).map(|p| by_code[v.text.code(p)]).collect())
            }
        }
    }

    /// The patients passing a filter, in order.
    pub(crate) fn select(&self, filter: &Filter) -> Result<Vec<usize>, ReportError> {
        self.select_within(&(0..self.len()).collect::<Vec<_>>(), filter)
    }

    /// The patients of `within` passing a filter, in order.
    pub(crate) fn select_within(
        &self,
        within: &[usize],
        filter: &Filter,
    ) -> Result<Vec<usize>, ReportError> {
        let mut keep = within.to_vec();
        for (variable, values) in filter {
            keep = self.with_values(&keep, variable, values)?;
        }
        Ok(keep)
    }

    /// The patients of `within` whose `variable` is one of `values`.
    pub(crate) fn with_values(
        &self,
        within: &[usize],
        variable: &str,
        values: &Values,
    ) -> Result<Vec<usize>, ReportError> {
        let v = self.text(variable)?;
        let accepted = v.accepted(|x| values.contains(x));
        Ok(within
            .iter()
            .copied()
            .filter(|&p| accepted[v.code(p)])
            .collect())
    }

    /// The time-to-event records of `patients` for an endpoint (patients without one are left out).
    pub(crate) fn times(&self, paramcd: &str, patients: &[usize]) -> Vec<TimeToEvent> {
        match self.tte.get(paramcd) {
            Some(all) => patients.iter().filter_map(|&p| all[p]).collect(),
            None => Vec::new(),
        }
    }

    /// The name of an endpoint (ADTTE `PARAM`), or its code when no patient has it.
    pub(crate) fn param_label<'p>(&'p self, paramcd: &'p str) -> &'p str {
        self.params.get(paramcd).map_or(paramcd, String::as_str)
    }

    /// Treatment-emergent adverse events of the study population.
    pub(crate) fn adverse_events(&self) -> &[AdverseEvent] {
        &self.ae
    }
}
