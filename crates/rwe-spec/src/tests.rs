//! Spec parsing: defaults, and one wrong spec per `SPEC-*` rule with its whole message pinned.

use super::*;

const BASE: &str = r#"[study]
id = "SEED"
enrolment_start = 2021-08-01
enrolment_end = 2023-06-30
data_cutoff = 2023-07-31

[inputs]
patients = "patients.csv"
exposures = "records.xlsx"
contacts = "records.xlsx[Follow up]"
"#;

fn err(text: &str) -> String {
    match StudySpec::from_toml_str("study.toml", text) {
        Ok(_) => "no error".to_string(),
        Err(e) => e.to_string(),
    }
}

#[test]
fn defaults_are_the_seed_papers() {
    let spec = StudySpec::from_toml_str("study.toml", BASE).unwrap();
    assert_eq!(spec.study.data_cutoff.to_string(), "2023-07-31");
    assert_eq!(spec.endpoints.efs_cr_window_days, 84);
    assert_eq!(spec.mrd.threshold, 1e-4);
    assert_eq!(spec.mrd.methods, vec![MrdMethod::Fcm]);
    assert_eq!(spec.mrd.within_cycles, 2);
    assert_eq!(spec.cycles.gap_days, 7);
    assert_eq!(spec.cycles.duration_buckets, vec![14, 28]);
    assert_eq!(spec.response.cr_blast_max_pct, 5.0);
    assert_eq!(spec.safety.ae_grace_days, 0);
    assert!(spec.endpoints.sensitivity_censoring);
    assert_eq!(spec.endpoints.days_per_month, 30.4375);
    assert_eq!(spec.population.age_groups, vec![35, 55]);
}

#[test]
fn inputs_resolve_sheets() {
    let spec = StudySpec::from_toml_str("study.toml", BASE).unwrap();
    let files = spec.input_files();
    assert_eq!(files.tables.len(), 3);
    assert_eq!(files.tables[&TableId::Patients].sheet, None);
    assert_eq!(
        files.tables[&TableId::Exposures].sheet.as_deref(),
        Some("exposures")
    );
    assert_eq!(
        files.tables[&TableId::Contacts].sheet.as_deref(),
        Some("Follow up")
    );
    assert_eq!(
        files.tables[&TableId::Contacts].path,
        PathBuf::from("records.xlsx")
    );
}

#[test]
fn dates_may_be_quoted() {
    let text = BASE.replace("data_cutoff = 2023-07-31", "data_cutoff = \"2023-07-31\"");
    let spec = StudySpec::from_toml_str("study.toml", &text).unwrap();
    assert_eq!(spec.study.data_cutoff.to_string(), "2023-07-31");
}

#[test]
fn spec_syntax() {
    insta::assert_snapshot!(err(&BASE.replace("id = \"SEED\"", "id = SEED")), @"study.toml:2: found SEED, expected valid TOML: string values must be quoted, expected literal string [SPEC-SYNTAX]");
}

#[test]
fn spec_unknown_key() {
    let text = format!("{BASE}\n[endpoints]\nefs_cr_windw_days = 90\n");
    insta::assert_snapshot!(err(&text), @"study.toml:13: found key `efs_cr_windw_days`, expected one of efs_cr_window_days, days_per_month, sensitivity_censoring, rfs_consolidation_origin (did you mean efs_cr_window_days?) [SPEC-UNKNOWN-KEY]");
    insta::assert_snapshot!(err(&format!("{BASE}\n[endpoint]\n")), @"study.toml:12: found key `endpoint`, expected one of study, inputs, population, response, mrd, cycles, endpoints, safety (did you mean endpoints?) [SPEC-UNKNOWN-KEY]");
}

#[test]
fn spec_wrong_type() {
    let text = format!("{BASE}\n[endpoints]\nsensitivity_censoring = \"yes\"\n");
    insta::assert_snapshot!(err(&text), @r#"study.toml:13: found "yes" (a string), expected true or false [SPEC-WRONG-TYPE]"#);
    let text = format!("{BASE}\n[cycles]\ngap_days = 7.5\n");
    insta::assert_snapshot!(err(&text), @"study.toml:13: found 7.5 (a decimal number), expected a whole number [SPEC-WRONG-TYPE]");
}

#[test]
fn spec_missing_key() {
    insta::assert_snapshot!(err(&BASE.replace("patients = \"patients.csv\"\n", "")), @"study.toml:7: found no key `patients` in [inputs], expected a value for `patients` (docs/study-spec.md) [SPEC-MISSING-KEY]");
}

#[test]
fn spec_invalid_value() {
    let text = format!("{BASE}\n[mrd]\nthreshold = 0.01e2\n");
    insta::assert_snapshot!(err(&text), @"study.toml:13: found 0.01e2, expected a fraction between 0 and 1 (1e-4 = 0.01 %) [SPEC-INVALID-VALUE]");
    let text = format!("{BASE}\n[mrd]\nmethods = [\"FLOW\"]\n");
    insta::assert_snapshot!(err(&text), @r#"study.toml:13: found ["FLOW"], expected MRD methods from FCM, PCR, NGS [SPEC-INVALID-VALUE]"#);
    let text = format!("{BASE}\n[cycles]\nduration_basis = \"cycle_1\"\n");
    insta::assert_snapshot!(err(&text), @r#"study.toml:13: found "cycle_1", expected one of cycle1, total_capped (did you mean cycle1?) [SPEC-INVALID-VALUE]"#);
    let text = BASE.replace("data_cutoff = 2023-07-31", "data_cutoff = 2023-02-30");
    insta::assert_snapshot!(err(&text), @"study.toml:5: found 2023-02-30, expected valid TOML: invalid date, expected day between 01 and 28 [SPEC-SYNTAX]");
    let text = BASE.replace("enrolment_end = 2023-06-30", "enrolment_end = 2021-06-30");
    insta::assert_snapshot!(err(&text), @"study.toml:4: found 2021-06-30, expected a date on or after enrolment_start 2021-08-01 [SPEC-INVALID-VALUE]");
}

/// Every key the spec accepts is documented in docs/study-spec.md. The keys come from the spec's own
/// definition: the "expected one of …" list of an unknown key in each table.
#[test]
fn every_key_is_documented() {
    let doc = include_str!("../../../docs/study-spec.md");
    let probes = [
        format!("zz_probe = 1\n{BASE}"),
        BASE.replace("[study]\n", "[study]\nzz_probe = 1\n"),
        BASE.replace("[inputs]\n", "[inputs]\nzz_probe = 1\n"),
        format!("{BASE}\n[population]\nzz_probe = 1\n"),
        format!("{BASE}\n[response]\nzz_probe = 1\n"),
        format!("{BASE}\n[mrd]\nzz_probe = 1\n"),
        format!("{BASE}\n[cycles]\nzz_probe = 1\n"),
        format!("{BASE}\n[endpoints]\nzz_probe = 1\n"),
        format!("{BASE}\n[safety]\nzz_probe = 1\n"),
    ];
    let mut n = 0;
    for probe in probes {
        let Err(SpecError::Invalid(d)) = StudySpec::from_toml_str("study.toml", &probe) else {
            panic!("probe accepted: {probe}");
        };
        assert_eq!(d.rule, "SPEC-UNKNOWN-KEY");
        let keys = d.expected.trim_start_matches("one of ");
        for key in keys.split(", ") {
            let section = format!("## `[{key}]`");
            let row = format!("| `{key}` |");
            assert!(
                doc.contains(&row) || doc.contains(&section),
                "docs/study-spec.md does not document `{key}`"
            );
            n += 1;
        }
    }
    // 8 tables + 5 study + 9 inputs + 3 + 4 + 5 + 4 + 4 + 1 keys.
    assert_eq!(n, 43);
}
