//! The same cohort read from one Excel workbook (a sheet per table) and from Parquet files derives the same
//! datasets as from CSV: readers are chosen by extension, named in the study spec.

// Test helpers outside #[test] functions may unwrap too: a failure is a broken fixture.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use rwe_data::{Column, ColumnData, Source, Table, TableId, read_table, write_parquet};
use rwe_derive::derive_cohort;
use rwe_spec::StudySpec;

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/cohort")
}

fn datasets(spec_path: &Path) -> Vec<(String, Vec<(String, ColumnData)>)> {
    let spec = StudySpec::from_path(spec_path).unwrap();
    let loaded = rwe_data::load(&spec.input_files(), &spec.validation_params()).unwrap();
    assert!(!loaded.diagnostics.has_errors(), "{:?}", loaded.diagnostics);
    let ds = derive_cohort(loaded.data, &spec).datasets(&spec.study.id);
    ds.named()
        .into_iter()
        .map(|(name, t)| {
            let cols = t
                .columns()
                .iter()
                // SRCREC names the file and row, which differ by format by design.
                .filter(|c| c.name != "SRCREC")
                .map(|c| (c.name.clone(), c.data.clone()))
                .collect();
            (name.to_string(), cols)
        })
        .collect()
}

fn csv_tables() -> Vec<(TableId, Table)> {
    TableId::ALL
        .iter()
        .map(|&id| {
            let path = fixture_dir().join(format!("{}.csv", id.name()));
            (id, read_table(&Source::file(path), None).unwrap())
        })
        .collect()
}

fn spec_with(dir: &Path, file_of: impl Fn(TableId) -> String) -> PathBuf {
    let base = std::fs::read_to_string(fixture_dir().join("study.toml")).unwrap();
    let study = &base[..base.find("[inputs]").unwrap()];
    let mut text = format!("{study}[inputs]\n");
    for id in TableId::ALL {
        text.push_str(&format!("{} = \"{}\"\n", id.name(), file_of(id)));
    }
    let path = dir.join("study.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn workbook_with_a_sheet_per_table() {
    let dir = std::env::temp_dir().join(format!("rwe-xlsx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (id, table) in csv_tables() {
        let ws = wb.add_worksheet().set_name(id.name()).unwrap();
        for (j, c) in table.columns().iter().enumerate() {
            let col = u16::try_from(j).unwrap();
            ws.write_string(0, col, &c.name).unwrap();
            for i in 0..table.n_rows() {
                let row = u32::try_from(i + 1).unwrap();
                if let Some(text) = table.text(c, i) {
                    // Numbers as numbers, as a spreadsheet holds them; everything else as text.
                    match text.parse::<f64>() {
                        Ok(x) if !c.name.ends_with("DT") => ws.write_number(row, col, x).unwrap(),
                        _ => ws.write_string(row, col, text.as_ref()).unwrap(),
                    };
                }
            }
        }
    }
    wb.save(dir.join("records.xlsx")).unwrap();
    let spec = spec_with(&dir, |_| "records.xlsx".to_string());
    assert_eq!(datasets(&spec), datasets(&fixture_dir().join("study.toml")));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn parquet_files() {
    let dir = std::env::temp_dir().join(format!("rwe-parquet-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (id, table) in csv_tables() {
        let columns: Vec<Column> = table.columns().to_vec();
        let t = Table::from_columns(id.name(), columns).unwrap();
        write_parquet(&dir.join(format!("{}.parquet", id.name())), &t).unwrap();
    }
    let spec = spec_with(&dir, |id| format!("{}.parquet", id.name()));
    assert_eq!(datasets(&spec), datasets(&fixture_dir().join("study.toml")));
    let _ = std::fs::remove_dir_all(&dir);
}
