//! One broken fixture per rule of the catalogue: the fixture cohort with one edit, and the whole message of
//! every diagnostic the edit adds, pinned by an inline snapshot. (`SPEC-*` rules are pinned in rwe-spec.)

// Test helpers outside #[test] functions may unwrap too: a failure is a broken fixture.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rwe_derive::commands::{Format, validate};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/cohort")
}

/// A copy of the fixture cohort in a fresh directory, with `edits` applied: (file, from, to), each `from`
/// replaced once.
fn broken_copy(edits: &[(&str, &[u8], &[u8])]) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("rwe-broken-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(fixture_dir()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    for (file, from, to) in edits {
        let path = dir.join(file);
        let bytes = std::fs::read(&path).unwrap();
        let at = bytes
            .windows(from.len())
            .position(|w| w == *from)
            .unwrap_or_else(|| panic!("{file} has no {}", String::from_utf8_lossy(from)));
        let mut out = bytes[..at].to_vec();
        out.extend_from_slice(to);
        out.extend_from_slice(&bytes[at + from.len()..]);
        std::fs::write(&path, out).unwrap();
    }
    dir
}

fn messages(dir: &Path) -> Vec<String> {
    let out = validate(&dir.join("study.toml"), Format::Text, &mut |_| {});
    let prefix = format!("{}/", dir.display());
    out.stdout
        .lines()
        .filter(|l| l.contains(" ["))
        .map(|l| l.replace(&prefix, ""))
        .collect()
}

/// The diagnostics the edits add to those of the intact cohort, one per line.
fn diagnose(edits: &[(&str, &[u8], &[u8])]) -> String {
    let base = messages(&broken_copy(&[]));
    let dir = broken_copy(edits);
    let new: Vec<String> = messages(&dir)
        .into_iter()
        .filter(|m| !base.contains(m))
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    new.join("\n")
}

#[test]
fn intact_cohort_has_only_the_intended_warnings() {
    let dir = broken_copy(&[]);
    let out = validate(&dir.join("study.toml"), Format::Text, &mut |_| {});
    assert_eq!(out.code, 0);
    insta::assert_snapshot!(messages(&dir).join("\n"), @r#"
        warning: contacts.csv:6: column CONTACTDT: found 2023-09-15, expected a date on or before the data cut-off 2023-07-31 (the record is ignored) [DATE-AFTER-CUTOFF]
        exclusion: patients.csv:12: column USUBJID: found P11 first infused 2021-07-15, expected a first blinatumomab infusion from 2021-08-01 to 2023-06-30 (the patient is excluded) [EX-OUTSIDE-ENROLMENT]
        warning: response_assessments.csv:3: column BM_BLAST_PCT: found 5, expected blasts other than exactly 5 % (counted as CR: CR is <= 5 %, relapse > 5 %) [RS-BLASTS-EXACTLY-5]
        warning: response_assessments.csv:16: column MRD_LOD: found below a limit of detection of 0.001, expected a limit of detection at or below the MRD threshold 0.0001 (the value is not evaluable) [MRD-NOT-EVALUABLE]
        "#);
}

#[test]
fn file_not_utf8() {
    insta::assert_snapshot!(diagnose(&[("contacts.csv", b"PHONE,ALIVE,CR\nP06", b"PH\xd4NE,ALIVE,CR\nP06")]), @"error: contacts.csv:2: column CONTACT_TYPE: found PH�NE, expected UTF-8 text (save the file as CSV UTF-8) [FILE-NOT-UTF8]");
}

#[test]
fn csv_ragged_row() {
    insta::assert_snapshot!(diagnose(&[("contacts.csv", b"P02,2023-03-15,PHONE,ALIVE,CR", b"P02,2023-03-15,PHONE,ALIVE,CR,called twice")]), @"error: contacts.csv:2: found 6 fields, expected 5 fields, as in the header [CSV-RAGGED-ROW]");
}

#[test]
fn column_duplicate() {
    insta::assert_snapshot!(diagnose(&[("contacts.csv", b"VITAL_STATUS,DZ_STATUS", b"VITAL_STATUS,VITAL_STATUS")]), @"error: contacts.csv:1: column VITAL_STATUS: found a second column named VITAL_STATUS, expected unique column headers [COLUMN-DUPLICATE]");
}

#[test]
fn column_missing_and_unknown() {
    insta::assert_snapshot!(diagnose(&[("exposures.csv", b"EXSTDT", b"EXSTART")]), @r#"
        error: exposures.csv: found no such column, expected a column named EXSTDT (did you mean EXSTART?) [COLUMN-MISSING]
        warning: exposures.csv:1: column EXSTART: found EXSTART, expected a column of exposures (did you mean EXSTDT?); the column is ignored [COLUMN-UNKNOWN]
        "#);
    insta::assert_snapshot!(diagnose(&[("contacts.csv", b"DZ_STATUS", b"DZ_STATS")]), @"warning: contacts.csv:1: column DZ_STATS: found DZ_STATS, expected a column of contacts (did you mean DZ_STATUS?); the column is ignored [COLUMN-UNKNOWN]");
}

#[test]
fn value_required() {
    insta::assert_snapshot!(diagnose(&[("patients.csv", b"P03,S1,M,", b"P03,S1,,")]), @"error: patients.csv:4: column SEX: found an empty value, expected a term (SEX is required) [VALUE-REQUIRED]");
}

#[test]
fn value_stray_space() {
    insta::assert_snapshot!(diagnose(&[("response_assessments.csv", b"P01,2,2022-02-07,BM,", b"P01,2,2022-02-07, BM ,")]), @r#"warning: response_assessments.csv:3: column SPECIMEN: found " BM ", expected "BM" without surrounding spaces (read as "BM") [VALUE-STRAY-SPACE]"#);
}

#[test]
fn value_not_numeric() {
    insta::assert_snapshot!(diagnose(&[("baseline_labs.csv", b"2021-12-20,12.5,", b"2021-12-20,1O.5,")]), @"error: baseline_labs.csv:2: column WBC: found 1O.5, expected a number (10^9/L) [VALUE-NOT-NUMERIC]");
}

#[test]
fn value_not_integer() {
    insta::assert_snapshot!(diagnose(&[("patients.csv", b"RR_REINDUCTION,3,", b"RR_REINDUCTION,2.5,")]), @"error: patients.csv:11: column PRIOR_LINES: found 2.5, expected a whole number from 0 to 20 (lines) [VALUE-NOT-INTEGER]");
}

#[test]
fn value_out_of_range() {
    insta::assert_snapshot!(diagnose(&[("response_assessments.csv", b"P12,2,2022-07-30,BM,40,", b"P12,2,2022-07-30,BM,140,")]), @"error: response_assessments.csv:23: column BM_BLAST_PCT: found 140, expected a value from 0 to 100 (%) [VALUE-OUT-OF-RANGE]");
}

#[test]
fn date_invalid() {
    insta::assert_snapshot!(diagnose(&[("exposures.csv", b"2022-06-01,2022-06-28", b"2022-06-01,2022-06-31")]), @"error: exposures.csv:8: column EXENDT: found 2022-06-31, expected a date as YYYY-MM-DD [DATE-INVALID]");
    insta::assert_snapshot!(diagnose(&[("exposures.csv", b"2022-06-01,2022-06-28", b"2022-06-01,06/28/2022")]), @"error: exposures.csv:8: column EXENDT: found 06/28/2022, expected a date as YYYY-MM-DD (day and month cannot be told apart in this format) [DATE-INVALID]");
    insta::assert_snapshot!(diagnose(&[("exposures.csv", b"2022-06-01,2022-06-28", b"2022-06-01,03/06/2022")]), @"error: exposures.csv:8: column EXENDT: found 03/06/2022, expected a date as YYYY-MM-DD (day and month cannot be told apart in this format) [DATE-INVALID]");
}

#[test]
fn date_not_iso() {
    insta::assert_snapshot!(diagnose(&[("contacts.csv", b"2023-07-20", b"20.07.2023")]), @"warning: contacts.csv:4: column CONTACTDT: found 20.07.2023, expected an ISO 8601 date YYYY-MM-DD (read as 2023-07-20) [DATE-NOT-ISO]");
    insta::assert_snapshot!(diagnose(&[("contacts.csv", b"2023-07-20", b"20JUL2023")]), @"warning: contacts.csv:4: column CONTACTDT: found 20JUL2023, expected an ISO 8601 date YYYY-MM-DD (read as 2023-07-20) [DATE-NOT-ISO]");
}

#[test]
fn term_unknown() {
    insta::assert_snapshot!(diagnose(&[("cellular_procedures.csv", b"ALLO_HSCT,2022-07-15", b"ALLO_HCST,2022-07-15")]), @"error: cellular_procedures.csv:3: column PROC: found ALLO_HCST, expected one of ALLO_HSCT, AUTO_HSCT, CAR_T (did you mean ALLO_HSCT?) [TERM-UNKNOWN]");
}

#[test]
fn term_spelling() {
    insta::assert_snapshot!(diagnose(&[("cellular_procedures.csv", b"P12,1,CAR_T", b"P12,1,car-t")]), @"warning: cellular_procedures.csv:7: column PROC: found car-t, expected CAR_T as written in the data model (read as CAR_T) [TERM-SPELLING]");
}

#[test]
fn unit_hgb_g_dl() {
    insta::assert_snapshot!(diagnose(&[("baseline_labs.csv", b"12.5,95,60", b"12.5,9.5,60")]), @"error: baseline_labs.csv:2: column HGB: found 9.5, expected HGB in g/L (20 to 250); 9.5 looks like g/dL: multiply by 10 [UNIT-HGB-G-DL]");
}

#[test]
fn unit_mrd_percent() {
    insta::assert_snapshot!(diagnose(&[("response_assessments.csv", b"0.001,EQ", b"1.2,EQ")]), @"error: response_assessments.csv:10: column MRD_VALUE: found 1.2, expected MRD_VALUE in fraction (0 to 1); 1.2 looks like a percentage: divide by 100 [UNIT-MRD-PERCENT]");
}

#[test]
fn pt_duplicate_id() {
    let dup = b"RWE-FIXTURE,P12,S1,F,1968-06-06,,2021-10-01,RR,RR_REINDUCTION,2,NEG,N,N,Y,,2023-04-01,,\nRWE-FIXTURE,P03,S1,M,1970-01-15,,2022-02-12,ND,FL_INDUCTION,0,NEG,N,Y,N,,2023-05-01,,";
    insta::assert_snapshot!(diagnose(&[("patients.csv", b"RWE-FIXTURE,P12,S1,F,1968-06-06,,2021-10-01,RR,RR_REINDUCTION,2,NEG,N,N,Y,,2023-04-01,,", dup)]), @"error: patients.csv:14: column USUBJID: found P03 (also on row 4), expected a USUBJID used on one row only [PT-DUPLICATE-ID]");
}

#[test]
fn pt_age_missing() {
    insta::assert_snapshot!(diagnose(&[("patients.csv", b"P02,S1,F,,45,", b"P02,S1,F,,,")]), @"error: patients.csv:3: column AGE: found an empty value, expected an age in years, or a birth date in BRTHDT [PT-AGE-MISSING]");
}

#[test]
fn pt_diag_after_index() {
    insta::assert_snapshot!(diagnose(&[("patients.csv", b"1988-05-10,,2021-12-20", b"1988-05-10,,2022-01-20")]), @"error: patients.csv:2: column DIAGDT: found 2022-01-20, expected a diagnosis on or before the first blinatumomab infusion 2022-01-10 [PT-DIAG-AFTER-INDEX]");
}

#[test]
fn pt_setting_population() {
    insta::assert_snapshot!(diagnose(&[("patients.csv", b"P01,S1,M,1988-05-10,,2021-12-20,ND,FL_INDUCTION", b"P01,S1,M,1988-05-10,,2021-12-20,ND,RR_REINDUCTION")]), @"error: patients.csv:2: column BLINA_SETTING: found RR_REINDUCTION, expected a setting starting with FL_ for POP_RECORDED ND [PT-SETTING-POPULATION]");
}

#[test]
fn pt_nd_prior_therapy() {
    insta::assert_snapshot!(diagnose(&[("patients.csv", b"2022-01-05,ND,FL_CONSOLIDATION,0,", b"2022-01-05,ND,FL_CONSOLIDATION,1,")]), @"error: patients.csv:7: column PRIOR_LINES: found 1, expected 0 prior lines for an ND patient (or POP_RECORDED RR) [PT-ND-PRIOR-THERAPY]");
}

#[test]
fn rec_unknown_subject() {
    insta::assert_snapshot!(diagnose(&[("contacts.csv", b"P08,2023-07-20", b"P8,2023-07-20")]), @"error: contacts.csv:4: column USUBJID: found P8, expected a USUBJID of patients (did you mean P08?) [REC-UNKNOWN-SUBJECT]");
}

#[test]
fn date_after_death() {
    insta::assert_snapshot!(diagnose(&[("adverse_events.csv", b"2022-06-02,2022-06-03", b"2023-02-02,2023-02-03")]), @"error: adverse_events.csv:4: column AESTDT: found 2023-02-02, expected a date on or before the death of P04 on 2023-01-20 (patients row 5) [DATE-AFTER-DEATH]");
}

#[test]
fn date_before_index() {
    insta::assert_snapshot!(diagnose(&[("patients.csv", b"2023-06-01,,", b"2022-01-01,,")]), @"error: patients.csv:2: column LSTCNTDT: found 2022-01-01, expected a date on or after the first blinatumomab infusion 2022-01-10 [DATE-BEFORE-INDEX]");
}

#[test]
fn date_after_cutoff() {
    insta::assert_snapshot!(diagnose(&[("contacts.csv", b"2023-07-20", b"2023-08-20")]), @"warning: contacts.csv:4: column CONTACTDT: found 2023-08-20, expected a date on or before the data cut-off 2023-07-31 (the record is ignored) [DATE-AFTER-CUTOFF]");
}

#[test]
fn ex_end_before_start() {
    insta::assert_snapshot!(diagnose(&[("exposures.csv", b"2022-10-20,2022-11-10", b"2022-10-20,2022-10-10")]), @"error: exposures.csv:9: column EXENDT: found 2022-10-10, expected a date on or after EXSTDT 2022-10-20 [EX-END-BEFORE-START]");
}

#[test]
fn ex_no_blinatumomab() {
    insta::assert_snapshot!(diagnose(&[("exposures.csv", b"P07,1,BLINATUMOMAB", b"P07,1,CHEMO")]), @"exclusion: patients.csv:8: column USUBJID: found P07 with no blinatumomab exposure, expected at least one BLINATUMOMAB record in exposures (the patient is excluded) [EX-NO-BLINATUMOMAB]");
}

#[test]
fn ex_outside_enrolment() {
    insta::assert_snapshot!(diagnose(&[("exposures.csv", b"P10,1,BLINATUMOMAB,,,2023-01-10,2023-02-06", b"P10,1,BLINATUMOMAB,,,2023-07-03,2023-07-30")]), @"exclusion: patients.csv:11: column USUBJID: found P10 first infused 2023-07-03, expected a first blinatumomab infusion from 2021-08-01 to 2023-06-30 (the patient is excluded) [EX-OUTSIDE-ENROLMENT]");
}

#[test]
fn ex_cycle_too_long() {
    insta::assert_snapshot!(diagnose(&[("exposures.csv", b"2022-01-10,2022-02-06", b"2022-01-10,2022-02-16")]), @"warning: exposures.csv:2: column EXENDT: found cycle 1 of P01 from 2022-01-10 to 2022-02-16: 38 infusion days, expected at most 28 infusion days per cycle (cycles.max_cycle_days) [EX-CYCLE-TOO-LONG]");
}

#[test]
fn proc_during_treatment() {
    insta::assert_snapshot!(diagnose(&[("cellular_procedures.csv", b"ALLO_HSCT,2022-07-15", b"ALLO_HSCT,2022-05-15")]), @"warning: cellular_procedures.csv:3: column PROCDT: found 2022-05-15, expected a procedure (ALLO_HSCT) before the first (2022-05-01) or after the last (2022-05-28) blinatumomab infusion [PROC-DURING-TREATMENT]");
}

#[test]
fn gen_bcr_abl1_ph_neg() {
    insta::assert_snapshot!(diagnose(&[("genetic_findings.csv", b"P01,IKZF1_DEL", b"P01,BCR_ABL1")]), @"error: genetic_findings.csv:2: column FINDING: found BCR_ABL1 for P01 whose PH_STATUS is NEG, expected PH_STATUS POS in patients, or no BCR_ABL1 finding [GEN-BCR-ABL1-PH-NEG]");
}

#[test]
fn rs_blasts_exactly_5() {
    insta::assert_snapshot!(diagnose(&[("response_assessments.csv", b"P10,2,2023-02-10,BM,3,", b"P10,2,2023-02-10,BM,5.0,")]), @"warning: response_assessments.csv:21: column BM_BLAST_PCT: found 5, expected blasts other than exactly 5 % (counted as CR: CR is <= 5 %, relapse > 5 %) [RS-BLASTS-EXACTLY-5]");
}

#[test]
fn rs_counts_missing() {
    insta::assert_snapshot!(diagnose(&[("response_assessments.csv", b"BM,1,1.1,105", b"BM,1,,105")]), @"warning: response_assessments.csv:19: column ANC: found an empty value, expected ANC for a marrow with 1 % blasts (CR and CRi cannot be told apart; counted as CR/CRi) [RS-COUNTS-MISSING]");
}

#[test]
fn mrd_not_evaluable() {
    insta::assert_snapshot!(diagnose(&[("response_assessments.csv", b"0.00004,EQ,,FCM", b",LT,0.001,FCM")]), @"warning: response_assessments.csv:19: column MRD_LOD: found below a limit of detection of 0.001, expected a limit of detection at or below the MRD threshold 0.0001 (the value is not evaluable) [MRD-NOT-EVALUABLE]");
}

#[test]
fn mrd_method_excluded() {
    insta::assert_snapshot!(diagnose(&[("response_assessments.csv", b"0.00001,EQ,,FCM", b"0.00001,EQ,,PCR")]), @"warning: response_assessments.csv:18: column MRD_METHOD: found PCR, expected MRD by FCM (this value is not used for MRD endpoints) [MRD-METHOD-EXCLUDED]");
}

#[test]
fn ae_before_index() {
    insta::assert_snapshot!(diagnose(&[("adverse_events.csv", b"2022-06-02,2022-06-03", b"2022-05-25,2022-05-26")]), @"warning: adverse_events.csv:4: column AESTDT: found 2022-05-25, expected an onset on or after the first blinatumomab infusion 2022-06-01 (kept, not treatment-emergent) [AE-BEFORE-INDEX]");
}

#[test]
fn ae_grade5_without_death() {
    insta::assert_snapshot!(diagnose(&[("adverse_events.csv", b"INFECTION,3", b"INFECTION,5")]), @"error: adverse_events.csv:3: column AETOXGR: found 5, expected a grade below 5, or a death date for P09 in patients [AE-GRADE5-WITHOUT-DEATH]");
}

#[test]
fn pt_population_disagrees() {
    insta::assert_snapshot!(diagnose(&[("patients.csv", b"P02,S1,F,,45,2022-02-10,ND,FL_INDUCTION", b"P02,S1,F,,45,2022-02-10,RR,RR_REINDUCTION")]), @"warning: patients.csv:3: column POP_RECORDED: found RR, expected ND as derived from 0 disease event(s) before TRTSDT, PRIOR_LINES 0, 0 prior allo-HSCT/CAR-T (the recorded RR is used) [PT-POPULATION-DISAGREES]");
}

#[test]
fn pt_setting_disagrees() {
    insta::assert_snapshot!(diagnose(&[("patients.csv", b"2021-12-20,ND,FL_INDUCTION", b"2021-12-20,ND,FL_CONSOLIDATION")]), @"warning: patients.csv:2: column BLINA_SETTING: found FL_CONSOLIDATION, expected FL_INDUCTION for a patient in population ND whose status at the start is NON_CR (the recorded FL_CONSOLIDATION is used) [PT-SETTING-DISAGREES]");
}

#[test]
fn ev_relapse_without_cr() {
    insta::assert_snapshot!(diagnose(&[("disease_events.csv", b"P12,1,REFRACTORY,2022-06-01,MARROW\n", b"P12,1,REFRACTORY,2022-06-01,MARROW\nP12,2,RELAPSE_BM,2022-08-05,MARROW\n")]), @"warning: disease_events.csv:9: column EVTYPE: found RELAPSE_BM on 2022-08-05 for P12, expected a CR/CRi before a relapse (counted as progression) [EV-RELAPSE-WITHOUT-CR]");
}

#[test]
fn errors_exit_1_and_nothing_is_derived() {
    let dir = broken_copy(&[("baseline_labs.csv", b"12.5,95,60", b"12.5,9.5,60")]);
    let v = validate(&dir.join("study.toml"), Format::Text, &mut |_| {});
    assert_eq!(v.code, 1);
    let out = dir.join("out");
    let d = rwe_derive::commands::derive(&dir.join("study.toml"), &out, &mut |_| {});
    assert_eq!(d.code, 1);
    assert!(d.stderr.contains("[UNIT-HGB-G-DL]"), "{}", d.stderr);
    assert!(!out.exists(), "derive wrote output while an error stands");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_rule_has_a_broken_fixture() {
    let here = include_str!("broken.rs");
    let spec_tests = include_str!("../../rwe-spec/src/tests.rs");
    // The rules of the statistics commands' input are pinned in the CLI tests.
    let cli_tests = include_str!("../../rwe/tests/cli_stats.rs");
    for rule in rwe_data::rule::CATALOGUE {
        let tag = format!("[{}]", rule.id);
        assert!(
            here.contains(&tag) || spec_tests.contains(&tag) || cli_tests.contains(&tag),
            "rule {} has no pinned message in a broken fixture",
            rule.id
        );
    }
}
