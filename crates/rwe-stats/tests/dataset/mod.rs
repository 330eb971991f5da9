//! A tiny reader for the reference data sets in `tests/reference/<name>/` (CSV with a header row,
//! `NA` written as an empty field) and their JSON outputs.

#![allow(dead_code)] // each test binary uses a different part
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code may unwrap

use std::path::PathBuf;

/// Columns of one `data.csv`, as text; `None` for a missing value.
pub struct Dataset {
    pub name: String,
    header: Vec<String>,
    rows: Vec<Vec<Option<String>>>,
}

fn reference_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference")
}

/// Parse `tests/reference/<dataset>/<file>` as JSON.
pub fn json(dataset: &str, file: &str) -> serde_json::Value {
    let path = reference_dir().join(dataset).join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

impl Dataset {
    pub fn load(name: &str) -> Self {
        let path = reference_dir().join(name).join("data.csv");
        let mut rdr =
            csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let header = rdr.headers().unwrap().iter().map(str::to_string).collect();
        let rows = rdr
            .records()
            .map(|r| {
                r.unwrap()
                    .iter()
                    .map(|f| (!f.is_empty()).then(|| f.to_string()))
                    .collect()
            })
            .collect();
        Dataset {
            name: name.to_string(),
            header,
            rows,
        }
    }

    fn index(&self, column: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == column)
            .unwrap_or_else(|| panic!("{}: no column {column}", self.name))
    }

    /// Rows where every one of `columns` is present (R's `na.omit` on those columns).
    pub fn complete_rows(&self, columns: &[&str]) -> Vec<usize> {
        let idx: Vec<usize> = columns.iter().map(|c| self.index(c)).collect();
        (0..self.rows.len())
            .filter(|&r| idx.iter().all(|&j| self.rows[r][j].is_some()))
            .collect()
    }

    /// Text values of `column` at `rows` (which must be complete for it).
    pub fn text(&self, column: &str, rows: &[usize]) -> Vec<String> {
        let j = self.index(column);
        rows.iter()
            .map(|&r| self.rows[r][j].clone().expect("complete row"))
            .collect()
    }

    /// Numeric values of `column` at `rows`.
    pub fn numbers(&self, column: &str, rows: &[usize]) -> Vec<f64> {
        self.text(column, rows)
            .iter()
            .map(|s| {
                s.parse()
                    .unwrap_or_else(|e| panic!("{}: {column} {s}: {e}", self.name))
            })
            .collect()
    }

    /// True when every present value of `column` parses as a number (R read it as numeric).
    pub fn is_numeric(&self, column: &str) -> bool {
        let j = self.index(column);
        self.rows
            .iter()
            .filter_map(|r| r[j].as_deref())
            .all(|s| s.parse::<f64>().is_ok())
    }

    /// `time` and `status` (1 = event) at `rows`.
    pub fn outcome(&self, rows: &[usize]) -> (Vec<f64>, Vec<bool>) {
        let time = self.numbers("time", rows);
        let event = self
            .numbers("status", rows)
            .iter()
            .map(|&s| s == 1.0)
            .collect();
        (time, event)
    }
}

/// The JSON number at `v`, panicking with `what` when it is not one.
pub fn num(v: &serde_json::Value, what: &str) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("{what}: expected a number, found {v}"))
}
