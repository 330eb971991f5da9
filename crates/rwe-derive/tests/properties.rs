//! Invariants of the derivation: the order of rows does not matter, and a patient's derivation does not
//! depend on the other patients (so a cohort can be derived partitioned by patient).

// Test helpers outside #[test] functions may unwrap too: a failure is a broken fixture.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use rwe_data::{ColumnData, StudyData, Table};
use rwe_derive::derive_cohort;
use rwe_spec::StudySpec;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/cohort")
}

fn load(dir: &std::path::Path) -> (StudySpec, StudyData) {
    let spec = StudySpec::from_path(&dir.join("study.toml")).unwrap();
    let loaded = rwe_data::load(&spec.input_files(), &spec.validation_params()).unwrap();
    assert!(!loaded.diagnostics.has_errors());
    (spec, loaded.data)
}

/// A deterministic permutation (Fisher–Yates driven by SplitMix64).
fn shuffle<T>(v: &mut [T], seed: &mut u64) {
    for i in (1..v.len()).rev() {
        *seed = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        let j = usize::try_from(z % (i as u64 + 1)).unwrap();
        v.swap(i, j);
    }
}

fn shuffled(data: &StudyData, mut seed: u64) -> StudyData {
    let mut d = data.clone();
    shuffle(&mut d.patients, &mut seed);
    shuffle(&mut d.labs, &mut seed);
    shuffle(&mut d.genetics, &mut seed);
    shuffle(&mut d.exposures, &mut seed);
    shuffle(&mut d.procedures, &mut seed);
    shuffle(&mut d.assessments, &mut seed);
    shuffle(&mut d.events, &mut seed);
    shuffle(&mut d.adverse_events, &mut seed);
    shuffle(&mut d.contacts, &mut seed);
    d
}

/// Every column except SRCREC (which names file rows, and so moves with them).
fn without_row_references(t: &Table) -> Vec<(String, ColumnData)> {
    t.columns()
        .iter()
        .filter(|c| c.name != "SRCREC")
        .map(|c| (c.name.clone(), c.data.clone()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Records in any order give the same derivation, traces and warnings included.
    #[test]
    fn shuffling_records_changes_nothing(seed in any::<u64>()) {
        let (spec, data) = load(&fixture_dir());
        let a = derive_cohort(data.clone(), &spec);
        let b = derive_cohort(shuffled(&data, seed), &spec);
        prop_assert_eq!(a, b);
    }

    /// A patient derived alone has the same rows as within the cohort.
    #[test]
    fn a_patient_alone_is_derived_as_in_the_cohort(index in 0usize..12) {
        let (spec, data) = load(&fixture_dir());
        let cohort = derive_cohort(data.clone(), &spec);
        let id = cohort.patients[index].adsl.subject.clone();
        let alone = data.clone().into_patients().remove(&id).unwrap();
        let derived = rwe_derive::derive_patient(&alone, &spec);
        prop_assert_eq!(&derived, &cohort.patients[index]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]

    /// Shuffling the rows of every input file changes no derived value (only the row numbers in SRCREC).
    #[test]
    fn shuffling_file_rows_changes_no_derived_value(seed in any::<u64>()) {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("rwe-shuffle-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut s = seed;
        for entry in std::fs::read_dir(fixture_dir()).unwrap() {
            let entry = entry.unwrap();
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let out = if entry.file_name().to_string_lossy().ends_with(".csv") {
                let mut lines: Vec<&str> = text.lines().collect();
                shuffle(&mut lines[1..], &mut s);
                lines.join("\n") + "\n"
            } else {
                text
            };
            std::fs::write(dir.join(entry.file_name()), out).unwrap();
        }
        let (spec, data) = load(&fixture_dir());
        let (spec2, data2) = load(&dir);
        let a = derive_cohort(data, &spec).datasets(&spec.study.id);
        let b = derive_cohort(data2, &spec2).datasets(&spec2.study.id);
        let _ = std::fs::remove_dir_all(&dir);
        for ((name, ta), (_, tb)) in a.named().into_iter().zip(b.named()) {
            prop_assert_eq!(ta.n_rows(), tb.n_rows(), "{} rows", name);
            prop_assert_eq!(without_row_references(ta), without_row_references(tb), "{}", name);
        }
    }
}

#[test]
fn derive_writes_byte_identical_files_twice() {
    let spec = fixture_dir().join("study.toml");
    let base = std::env::temp_dir().join(format!("rwe-twice-{}", std::process::id()));
    let (a, b) = (base.join("a"), base.join("b"));
    assert_eq!(rwe_derive::commands::derive(&spec, &a, &mut |_| {}).code, 0);
    assert_eq!(rwe_derive::commands::derive(&spec, &b, &mut |_| {}).code, 0);
    for name in [
        "adsl.csv",
        "adsl.parquet",
        "adrs.csv",
        "adrs.parquet",
        "adtte.csv",
        "adtte.parquet",
        "adae.csv",
        "adae.parquet",
        "validation.txt",
    ] {
        let (x, y) = (
            std::fs::read(a.join(name)).unwrap(),
            std::fs::read(b.join(name)).unwrap(),
        );
        assert!(x == y, "{name} differs between two runs");
    }
    let _ = std::fs::remove_dir_all(&base);
}
