//! The study population as the analyses see it: the ADSL rows with `SAFFL = "Y"`, their variables by name,
//! their time-to-event records by `PARAMCD` and their treatment-emergent adverse events.
//!
//! Patients are addressed by their position in the study population (ADSL order, which is subject order);
//! subject identifiers are used only to join ADTTE and ADAE to ADSL and never leave this module.

use std::collections::BTreeMap;

use rwe_data::Table;
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

/// The study population and its analysis data.
#[derive(Debug)]
pub struct AnalysisSet<'a> {
    adsl: &'a Table,
    /// ADSL row of each patient of the study population.
    rows: Vec<usize>,
    tte: BTreeMap<String, Vec<Option<TimeToEvent>>>,
    /// `PARAM` of each `PARAMCD`.
    params: BTreeMap<String, String>,
    ae: Vec<AdverseEvent>,
    /// Patients excluded from the study population (ADSL rows with `SAFFL` other than `Y`).
    excluded: usize,
}

fn column_text(table: &Table, name: &str) -> Result<Vec<Option<String>>, ReportError> {
    let column = table
        .column(name)
        .map_err(|_| ReportError::MissingVariable {
            dataset: table.source().to_uppercase(),
            variable: name.to_string(),
        })?;
    Ok((0..table.n_rows())
        .map(|i| {
            table
                .text(column, i)
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        })
        .collect())
}

fn column_numbers(table: &Table, name: &str) -> Result<Vec<Option<f64>>, ReportError> {
    table.numbers(name).map_err(|_| ReportError::NotNumeric {
        dataset: table.source().to_uppercase(),
        variable: name.to_string(),
    })
}

impl<'a> AnalysisSet<'a> {
    /// The study population of derived datasets.
    ///
    /// # Errors
    /// [`ReportError::MissingVariable`] or [`ReportError::NotNumeric`] when a dataset lacks a variable the
    /// analyses need (`SAFFL`, `USUBJID`, `PARAMCD`, `AVALMO`, `CNSR`, `AEGRP`, `ATOXGRN`, `TRTEMFL`).
    pub fn new(datasets: &'a Datasets) -> Result<AnalysisSet<'a>, ReportError> {
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

        let t = &datasets.adtte;
        let mut tte: BTreeMap<String, Vec<Option<TimeToEvent>>> = BTreeMap::new();
        let mut params = BTreeMap::new();
        if t.n_rows() > 0 {
            let (subject, paramcd) = (column_text(t, "USUBJID")?, column_text(t, "PARAMCD")?);
            let param = column_text(t, "PARAM")?;
            for (code, name) in paramcd.iter().zip(&param) {
                if let (Some(code), Some(name)) = (code, name) {
                    params.entry(code.clone()).or_insert_with(|| name.clone());
                }
            }
            let (months, cnsr) = (column_numbers(t, "AVALMO")?, column_numbers(t, "CNSR")?);
            for i in 0..t.n_rows() {
                let (Some(id), Some(code), Some(m), Some(c)) =
                    (&subject[i], &paramcd[i], months[i], cnsr[i])
                else {
                    continue;
                };
                if let Some(&p) = position.get(id.as_str()) {
                    let slot = tte
                        .entry(code.clone())
                        .or_insert_with(|| vec![None; rows.len()]);
                    slot[p] = Some(TimeToEvent {
                        months: m,
                        event: c == 0.0,
                    });
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
                if let Some(&p) = position.get(id.as_str()) {
                    // Grades are 1–5 by validation; anything else cannot be counted in a grade category.
                    if let Ok(grade) = u8::try_from(x as i64) {
                        ae.push(AdverseEvent {
                            patient: p,
                            group: g.clone(),
                            grade,
                        });
                    }
                }
            }
        }
        Ok(AnalysisSet {
            adsl,
            rows,
            tte,
            params,
            ae,
            excluded,
        })
    }

    /// Number of patients in the study population.
    #[must_use]
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when nobody is in the study population.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Patients left out of the study population.
    #[must_use]
    pub fn excluded(&self) -> usize {
        self.excluded
    }

    /// Every patient's value of an ADSL variable as text (`None` when empty).
    pub(crate) fn text(&self, variable: &str) -> Result<Vec<Option<String>>, ReportError> {
        let all = column_text(self.adsl, variable)?;
        Ok(self.rows.iter().map(|&i| all[i].clone()).collect())
    }

    /// Every patient's value of a numeric ADSL variable.
    pub(crate) fn numbers(&self, variable: &str) -> Result<Vec<Option<f64>>, ReportError> {
        let all = column_numbers(self.adsl, variable)?;
        Ok(self.rows.iter().map(|&i| all[i]).collect())
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
            let v = self.text(variable)?;
            keep.retain(|&p| v[p].as_deref().is_some_and(|x| values.contains(x)));
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
        Ok(within
            .iter()
            .copied()
            .filter(|&p| v[p].as_deref().is_some_and(|x| values.contains(x)))
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
