//! The analysis set built part by part, as `rwe run` builds it from a partitioned derivation, is the set
//! built from the whole datasets, and so are the analyses run on it.

// Test helpers outside #[test] functions may unwrap too: a failure is a broken fixture.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use rwe_derive::{PARTITION_PATIENTS, derive_cohort, derive_partitioned};
use rwe_report::{AnalysisPart, AnalysisSet, analyse_set};
use rwe_spec::StudySpec;

#[test]
fn the_set_of_the_parts_is_the_set_of_the_whole() {
    let n = 2 * PARTITION_PATIENTS + 5;
    let dir = std::env::temp_dir().join(format!("rwe-report-partitions-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    rwe_synth::synth(n, 11, &dir, &mut |_| {}).unwrap();
    let spec = StudySpec::from_path(&dir.join("study.toml")).unwrap();
    let loaded = rwe_data::load(&spec.input_files(), &spec.validation_params()).unwrap();
    let whole =
        AnalysisSet::new(&derive_cohort(loaded.data.clone(), &spec).datasets(&spec.study.id))
            .unwrap();
    let mut parts = Vec::new();
    derive_partitioned(
        loaded.data,
        &spec,
        |d| AnalysisPart::new(&d).unwrap(),
        |p| {
            parts.push(p);
            Ok::<(), ()>(())
        },
    )
    .unwrap();
    assert_eq!(parts.len(), 3);
    let built = AnalysisSet::from_parts(parts);
    assert_eq!(built.len() + built.excluded(), n);
    assert!(
        built == whole,
        "the set built from 3 parts differs from the set of the whole"
    );

    // The fixture report's tables and figures, on both sets: the same statistics.
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/cohort");
    let report = StudySpec::from_path(&fixture.join("report.toml")).unwrap();
    let (a, b) = (
        analyse_set(&report, &built).unwrap(),
        analyse_set(&report, &whole).unwrap(),
    );
    assert_eq!(a.ard, b.ard);
    assert!(a.ard.len() > 100, "{} ARD rows", a.ard.len());
    let _ = std::fs::remove_dir_all(&dir);
}
