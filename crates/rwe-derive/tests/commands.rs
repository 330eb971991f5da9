//! The study commands as a user runs them on the fixture cohort: output and exit status.

// Test helpers outside #[test] functions may unwrap too: a failure is a broken fixture.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use rwe_derive::commands::{Format, derive, explain, rules, validate};

fn spec() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/cohort/study.toml")
}

/// Output with the fixture directory removed from file names, as a user in that directory sees it.
fn local(text: &str) -> String {
    let dir = format!("{}/", spec().parent().unwrap().display());
    text.replace(&dir, "")
}

#[test]
fn explain_says_why_efs_is_one_day() {
    let out = explain(&spec(), "P03", Some("efs"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(local(&out.stdout), @r#"
        Subject P03

        EFS = 1 day (0.03 months), CNSR 0, STARTDT 2022-03-01, ADT 2022-03-01, event: FAILURE TO ACHIEVE CR/CRI WITHIN 12 WEEKS
          rule D-EFS-FAILURE: not in CR at the start (DZSTBL NON_CR); no CR/CRi on or before study day 84 (2022-05-23); 2022-05-24 (day 85) CR; followed to 2023-05-01: event at day 1
          from exposures.csv:6, response_assessments.csv:8

        from ADSL:
          TRTSDT = 2022-03-01
            rule D-INDEX: first blinatumomab infusion 2022-03-01
            from exposures.csv:6
          TRTEDT = 2022-05-09
            rule D-INDEX: last blinatumomab infusion ends 2022-05-09
            from exposures.csv:7
          DZSTBL = NON_CR
            rule D-STATUS-START: baseline marrow 2022-02-26: blasts 35 %, ANC 0.9, PLT 70
            from patients.csv:4, response_assessments.csv:7
          CRSTFL = N
            rule D-STATUS-START: DZSTBL NON_CR, BLSETT FL_INDUCTION
            from patients.csv:4, response_assessments.csv:7
          CRWK12 = N
            rule D-CR-WK12: no CR/CRi on or before study day 84 (2022-05-23)
            from response_assessments.csv:8
          NEWTHDT = (missing)
            rule D-SUBSEQUENT: no therapy after TRTEDT 2022-05-09
          LSTALVDT = 2023-05-01
            rule D-LAST-ALIVE: latest LSTCNTDT 2023-05-01
            from patients.csv:4

        Rules cited
          D-INDEX: TRTSDT is the first day of the first blinatumomab infusion; TRTEDT the last day of the last one (capped at the data cut-off). A patient is in the study population (SAFFL = Y) when TRTSDT lies in the enrolment window (R1).
          D-STATUS-START: DZSTBL is DZ_STATUS_START; when empty, the last bone-marrow assessment within population.baseline_window_days before or on TRTSDT: CR with blasts <= 5 % and no extramedullary disease, NON_CR otherwise, UNKNOWN without one. A patient is in CR at the start when DZSTBL is CR, or DZSTBL is UNKNOWN and the setting is a consolidation.
          D-CR-WK12: CRWK12 is Y when a CR, CRi or CR/CRi assessment lies on or before study day endpoints.efs_cr_window_days (84; TRTSDT is day 1) and before NEWTHDT; BORWK12 is the best response of those assessments (CR > CRI > CR/CRI > NR > NE).
          D-LAST-ALIVE: LSTALVDT is the latest date the patient is known alive: exposures, assessments, procedures, adverse events, contacts with VITAL_STATUS ALIVE and LSTCNTDT, capped at the data cut-off (a later date or a death after the cut-off gives the cut-off) and at the death date.
          D-SUBSEQUENT: Subsequent therapies start after TRTEDT: chemotherapy and TKIs (CHEMO), inotuzumab (INO), allo-HSCT, auto-HSCT and CAR-T. TXPATH is their categories in date order with consecutive repeats collapsed, joined by >; FIRSTSUB the first (NONE without); NEWTHDT the first date (R10).
          D-EFS-FAILURE: EFS: a patient not in CR at the start whose CRWK12 is N is a treatment failure, an event at day 1 (ADT = TRTSDT), once the outcome is known: followed to study day efs_cr_window_days, dead, relapsed or on a subsequent therapy (§1.7, TOWER). Otherwise not yet a failure.
        "#);
}

#[test]
fn explain_unknown_subject_or_endpoint_is_a_usage_error() {
    let out = explain(&spec(), "P3", None);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (2, "no patient P3 in the study (did you mean P03?)\n")
    );
    let out = explain(&spec(), "P03", Some("PFS"));
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "unknown endpoint PFS: expected one of EFS, EFSCEN, OS, RFS, DOR\n"
    );
}

#[test]
fn explain_without_endpoint_covers_every_dataset() {
    let out = explain(&spec(), "P09", None);
    for section in [
        "\nADSL\n",
        "\nADTTE\n",
        "\nADRS\n",
        "\nADAE\n",
        "\nRules cited\n",
    ] {
        assert!(
            out.stdout.contains(section),
            "no {section:?} in {}",
            out.stdout
        );
    }
    // The AE the day after the last infusion names its rule and row.
    assert!(
        local(&out.stdout).contains(
            "rule D-TEAE: onset 2022-11-15 (day 15) outside TRTSDT 2022-11-01 to TRTEDT 2022-11-14 + 0 days (2022-11-14)\n    from adverse_events.csv:3"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn validate_json_counts() {
    let out = validate(&spec(), Format::Json, &mut |_| {});
    assert_eq!(out.code, 0);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["errors"], 0);
    assert_eq!(v["warnings"], 3);
    assert_eq!(v["exclusions"], 1);
    assert_eq!(v["diagnostics"][0]["rule"], "DATE-AFTER-CUTOFF");
    assert_eq!(v["diagnostics"][0]["location"]["row"], 6);
}

#[test]
fn missing_spec_is_an_io_error() {
    let out = validate(
        &spec().with_file_name("nowhere.toml"),
        Format::Text,
        &mut |_| {},
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("nowhere.toml"), "{}", out.stderr);
}

#[test]
fn derive_writes_every_dataset() {
    let dir = std::env::temp_dir().join(format!("rwe-derive-cmd-{}", std::process::id()));
    let out = derive(&spec(), &dir, &mut |_| {});
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("12 patient(s), 11 in the study population"),
        "{}",
        out.stdout
    );
    let adtte = std::fs::read_to_string(dir.join("adtte.csv")).unwrap();
    // P03: failure at day 1 (see explain_says_why_efs_is_one_day).
    assert!(
        adtte.contains("RWE-FIXTURE,P03,EFS,Event-free survival,2022-03-01,2022-03-01,1,DAYS,"),
        "{adtte}"
    );
    let back =
        rwe_data::read_table(&rwe_data::Source::file(dir.join("adtte.parquet")), None).unwrap();
    assert_eq!(back.n_rows(), 48);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn rules_prints_both_catalogues() {
    let out = rules();
    assert_eq!(out.code, 0);
    for rule in rwe_data::rule::CATALOGUE {
        assert!(out.stdout.contains(rule.definition), "{} missing", rule.id);
    }
    for d in rwe_derive::DERIVATIONS {
        assert!(out.stdout.contains(d.definition), "{} missing", d.id);
    }
    insta::assert_snapshot!(out.stdout.lines().take(5).collect::<Vec<_>>().join("\n"), @r#"
        Validation rules (id, severity, input read, definition)

        FILE-NOT-UTF8            error      any table
                                 Text must be UTF-8 (save the file as CSV UTF-8).
        CSV-RAGGED-ROW           error      any table
        "#);
}
