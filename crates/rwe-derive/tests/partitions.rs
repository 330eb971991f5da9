//! A cohort derived in partitions on all cores gives the rows and warnings of the cohort derived whole:
//! the partitions' datasets, end to end, are the whole datasets, in subject order.

// Test helpers outside #[test] functions may unwrap too: a failure is a broken fixture.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use rwe_data::{StudyData, Table, write_csv_header, write_csv_rows, write_csv_to};
use rwe_derive::{Datasets, PARTITION_PATIENTS, derive_cohort, derive_partitioned};
use rwe_spec::StudySpec;

/// A synthetic cohort of `n` patients written by rwe-synth, read and validated.
fn cohort(n: usize) -> (StudySpec, StudyData, PathBuf) {
    let dir =
        std::env::temp_dir().join(format!("rwe-derive-partitions-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    rwe_synth::synth(n, 7, &dir, &mut |_| {}).unwrap();
    let spec = StudySpec::from_path(&dir.join("study.toml")).unwrap();
    let loaded = rwe_data::load(&spec.input_files(), &spec.validation_params()).unwrap();
    assert!(!loaded.diagnostics.has_errors());
    (spec, loaded.data, dir)
}

fn csv(table: &Table) -> String {
    let mut out = Vec::new();
    write_csv_to(&mut out, table).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn partitions_end_to_end_are_the_whole_cohort() {
    // Three partitions, the last one short.
    let n = 2 * PARTITION_PATIENTS + 37;
    let (spec, data, dir) = cohort(n);
    let whole = derive_cohort(data.clone(), &spec);
    let expected = whole.datasets(&spec.study.id);

    let mut parts: Vec<Datasets> = Vec::new();
    let derived = derive_partitioned(
        data,
        &spec,
        |d| d,
        |d| {
            parts.push(d);
            Ok::<(), ()>(())
        },
    )
    .unwrap();
    assert_eq!(derived.patients, n);
    assert_eq!(parts.len(), 3);
    assert_eq!(parts[2].adsl.n_rows(), 37);
    assert_eq!(derived.diagnostics, whole.diagnostics);

    for (k, (name, table)) in expected.named().into_iter().enumerate() {
        let mut joined = Vec::new();
        write_csv_header(&mut joined, table).unwrap();
        for p in &parts {
            write_csv_rows(&mut joined, p.named()[k].1).unwrap();
        }
        assert!(
            String::from_utf8(joined).unwrap() == csv(table),
            "{name}: the partitions end to end differ from the whole dataset"
        );
    }
    // `rwe derive` writes the cohort partition by partition: its CSV files are the whole datasets', and
    // it reports the whole cohort's patients and warnings.
    let out = dir.join("derived");
    let mut progress = Vec::new();
    let printed = rwe_derive::commands::derive(&dir.join("study.toml"), &out, &mut |p| {
        progress.push((p.done, p.total));
    });
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    // Progress: none derived once the records are read, then after each of the 3 partitions.
    assert_eq!(
        progress,
        vec![
            (0, n),
            (PARTITION_PATIENTS, n),
            (2 * PARTITION_PATIENTS, n),
            (n, n)
        ]
    );
    let in_population = (0..expected.adsl.n_rows())
        .filter(|&i| {
            let saffl = expected.adsl.column("SAFFL").unwrap();
            expected.adsl.text(saffl, i).as_deref() == Some("Y")
        })
        .count();
    assert!(
        printed.stdout.starts_with(&format!(
            "{n} patient(s), {in_population} in the study population;"
        )),
        "{}",
        printed.stdout
    );
    for (name, table) in expected.named() {
        assert!(
            std::fs::read_to_string(out.join(format!("{name}.csv"))).unwrap() == csv(table),
            "rwe derive: {name}.csv differs from the whole dataset"
        );
        let pq = rwe_data::read_table(
            &rwe_data::Source::file(out.join(format!("{name}.parquet"))),
            None,
        )
        .unwrap();
        assert_eq!(
            pq.n_rows(),
            table.n_rows(),
            "rwe derive: {name}.parquet rows"
        );
    }
    let validation = std::fs::read_to_string(out.join("validation.txt")).unwrap();
    assert_eq!(
        validation
            .lines()
            .filter(|l| l.starts_with("warning:"))
            .count(),
        whole.diagnostics.len(),
        "validation.txt: the derivation warnings"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_error_of_the_sink_stops_the_derivation() {
    let (spec, data, dir) = cohort(PARTITION_PATIENTS + 1);
    let mut seen = 0;
    let err = derive_partitioned(
        data,
        &spec,
        |d| d.adsl.n_rows(),
        |rows| {
            seen += 1;
            if seen == 1 { Err(rows) } else { Ok(()) }
        },
    )
    .unwrap_err();
    assert_eq!((err, seen), (PARTITION_PATIENTS, 1));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn no_patient_is_one_empty_partition() {
    let (spec, _, dir) = cohort(1);
    let mut rows = Vec::new();
    let derived = derive_partitioned(
        StudyData::default(),
        &spec,
        |d| d.adsl.n_rows(),
        |n| {
            rows.push(n);
            Ok::<(), ()>(())
        },
    )
    .unwrap();
    assert_eq!((derived.patients, rows), (0, vec![0]));
    let _ = std::fs::remove_dir_all(&dir);
}
