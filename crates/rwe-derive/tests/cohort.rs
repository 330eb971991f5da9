//! The fixture cohort (tests/fixtures/cohort): one small hand-made patient per edge of the seed study's
//! rules, with every expected value worked by hand below. Day counts are ADT − STARTDT + 1 (D-AVAL); months
//! are days / 30.4375.

// Test helpers outside #[test] functions may unwrap too: a failure is a broken fixture.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use rwe_derive::{AdtteRow, Cohort, PatientDerivation, derive_cohort};
use rwe_spec::StudySpec;

/// AVALMO is AVAL / 30.4375 computed once in f64; the expectation repeats that division, so only the last
/// bit may differ.
const MONTHS_TOL: f64 = 1e-12;

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/cohort")
}

fn cohort() -> (StudySpec, Cohort) {
    let spec = StudySpec::from_path(&fixture_dir().join("study.toml")).unwrap();
    let loaded = rwe_data::load(&spec.input_files(), &spec.validation_params()).unwrap();
    assert!(
        !loaded.diagnostics.has_errors(),
        "fixture cohort has errors: {:?}",
        loaded.diagnostics
    );
    let cohort = derive_cohort(loaded.data, &spec);
    (spec, cohort)
}

fn patient<'a>(c: &'a Cohort, id: &str) -> &'a PatientDerivation {
    c.patients
        .iter()
        .find(|p| p.adsl.subject.as_str() == id)
        .unwrap_or_else(|| panic!("no patient {id}"))
}

fn adsl(c: &Cohort, id: &str, var: &str) -> String {
    patient(c, id).adsl.value(var)
}

fn tte<'a>(c: &'a Cohort, id: &str, paramcd: &str) -> Option<&'a AdtteRow> {
    patient(c, id).adtte.iter().find(|r| r.paramcd == paramcd)
}

/// Check one ADTTE row: STARTDT, ADT, AVAL, CNSR and the description.
fn check(c: &Cohort, id: &str, paramcd: &str, expected: (&str, &str, i32, u8, &str)) {
    let (startdt, adt, aval, cnsr, desc) = expected;
    let r = tte(c, id, paramcd).unwrap_or_else(|| panic!("{id} {paramcd}: no ADTTE row"));
    assert_eq!(r.startdt.to_string(), startdt, "{id} {paramcd} STARTDT");
    assert_eq!(r.adt.to_string(), adt, "{id} {paramcd} ADT");
    assert_eq!(r.aval, aval, "{id} {paramcd} AVAL");
    assert!(
        (r.avalmo - f64::from(aval) / 30.4375).abs() < MONTHS_TOL,
        "{id} {paramcd} AVALMO {}",
        r.avalmo
    );
    assert_eq!(r.cnsr, cnsr, "{id} {paramcd} CNSR");
    let got = r.evntdesc.or(r.cnsdtdsc).unwrap_or_default();
    assert_eq!(got, desc, "{id} {paramcd} EVNTDESC/CNSDTDSC");
}

#[test]
fn p01_blasts_exactly_five_percent_is_cr() {
    let (_, c) = cohort();
    // Baseline marrow 2022-01-05 (60 % blasts) → NON_CR. Marrow 2022-02-07 = day 29 (01-10 + 28):
    // blasts 5.0 ≤ 5 (CR, with the RS-BLASTS-EXACTLY-5 warning), ANC 1.2 ≥ 1.0, PLT 150 ≥ 100 → CR.
    assert_eq!(adsl(&c, "P01", "DZSTBL"), "NON_CR");
    assert_eq!(adsl(&c, "P01", "BESTRESP"), "CR");
    assert_eq!(adsl(&c, "P01", "CRCRI"), "Y");
    assert_eq!(adsl(&c, "P01", "CRWK12"), "Y");
    assert_eq!(adsl(&c, "P01", "CRDT"), "2022-02-07");
    // MRD 5e-5 < 1e-4 on 02-07, within cycle 1 end 02-06 + 14 = 02-20 → both windows.
    assert_eq!(adsl(&c, "P01", "MRDEVFL"), "Y");
    assert_eq!(adsl(&c, "P01", "MRD2CFL"), "Y");
    assert_eq!(adsl(&c, "P01", "MRDOVFL"), "Y");
    // Age: born 1988-05-10, TRTSDT 2022-01-10 → 33 (birthday not yet reached).
    assert_eq!(adsl(&c, "P01", "AGE"), "33");
    assert_eq!(adsl(&c, "P01", "AGEGR1"), "<35");
    // EFS censored at LSTCNTDT 2023-06-01: 2022-01-10 → 2023-01-10 is 365 days, then
    // 31 (Jan) + 28 (Feb) + 31 (Mar) + 30 (Apr) + 22 (to Jun 1) = 142 → 507 days + 1 = 508.
    check(
        &c,
        "P01",
        "EFS",
        (
            "2022-01-10",
            "2023-06-01",
            508,
            1,
            "LAST DATE KNOWN ALIVE AND EVENT-FREE",
        ),
    );
    // RFS from CR 2022-02-07: 508 − 28 days earlier start = 480.
    check(
        &c,
        "P01",
        "RFS",
        (
            "2022-02-07",
            "2023-06-01",
            480,
            1,
            "LAST DATE KNOWN ALIVE AND RELAPSE-FREE",
        ),
    );
}

#[test]
fn p02_cr_on_day_84_is_in_time() {
    let (_, c) = cohort();
    // Cycles 03-01..03-28 and 04-12..05-09: gap 04-12 − 03-28 − 1 = 14 days > 7 → 2 cycles.
    assert_eq!(adsl(&c, "P02", "NCYCLES"), "2");
    // Day 84 = 03-01 + 83 days = 03-01 + 30 (→03-31) + 30 (→04-30) + 23 = 2022-05-23.
    // Marrow 2022-05-23: blasts 2, ANC 0.8 < 1.0 → CRi; within the 84-day window and within
    // TRTEDT 05-09 + 14 = 05-23 (response window).
    assert_eq!(adsl(&c, "P02", "CRWK12"), "Y");
    assert_eq!(adsl(&c, "P02", "BESTRESP"), "CRI");
    // Day 29 NR, day 84 CRi: the best within 12 weeks is CRi.
    assert_eq!(adsl(&c, "P02", "BORWK12"), "CRI");
    // The concurrent dasatinib started before TRTEDT: not a subsequent therapy.
    assert_eq!(adsl(&c, "P02", "FIRSTSUB"), "NONE");
    // AGE recorded (no BRTHDT).
    assert_eq!(adsl(&c, "P02", "AGE"), "45");
    // MRD 8e-5 on 05-23: cycle 2 end 05-09 + 14 = 05-23 → within 2 cycles.
    assert_eq!(adsl(&c, "P02", "MRD2CFL"), "Y");
    // EFS censored at the phone contact 2023-03-15: 2022-03-01 → 2023-03-01 = 365, + 14 = 379 → 380.
    check(
        &c,
        "P02",
        "EFS",
        (
            "2022-03-01",
            "2023-03-15",
            380,
            1,
            "LAST DATE KNOWN ALIVE AND EVENT-FREE",
        ),
    );
    // RFS from 2022-05-23: 380 − 83 = 297.
    check(
        &c,
        "P02",
        "RFS",
        (
            "2022-05-23",
            "2023-03-15",
            297,
            1,
            "LAST DATE KNOWN ALIVE AND RELAPSE-FREE",
        ),
    );
}

#[test]
fn p03_cr_on_day_85_is_a_failure_at_day_1() {
    let (_, c) = cohort();
    // Same schedule as P02; CR on 2022-05-24 = day 85 > 84, and after the response window (05-23).
    assert_eq!(adsl(&c, "P03", "CRWK12"), "N");
    assert_eq!(adsl(&c, "P03", "CRCRI"), "N");
    assert_eq!(adsl(&c, "P03", "BESTRESP"), "NE");
    // Within 84 days there is no marrow at all (the only one is on day 85).
    assert_eq!(adsl(&c, "P03", "BORWK12"), "NE");
    // Followed to 2023-05-01 ≥ day 84 → the failure is known: event at day 1, ADT = TRTSDT.
    check(
        &c,
        "P03",
        "EFS",
        (
            "2022-03-01",
            "2022-03-01",
            1,
            0,
            "FAILURE TO ACHIEVE CR/CRI WITHIN 12 WEEKS",
        ),
    );
    let efs = tte(&c, "P03", "EFS").unwrap();
    assert_eq!(efs.trace.rule, "D-EFS-FAILURE");
    assert_eq!((efs.srcdom, efs.srcvar), ("ADRS", "CRWK12"));
    // OS censored 2023-05-01: 365 (→2023-03-01) + 31 + 30 = 426 → 427.
    check(
        &c,
        "P03",
        "OS",
        ("2022-03-01", "2023-05-01", 427, 1, "LAST DATE KNOWN ALIVE"),
    );
    // No CR/CRi in the response window → no RFS or DOR.
    assert!(tte(&c, "P03", "RFS").is_none() && tte(&c, "P03", "DOR").is_none());
}

#[test]
fn p04_relapse_after_cr() {
    let (_, c) = cohort();
    // RR from the relapse of 2022-05-20 before TRTSDT 2022-06-01.
    assert_eq!(adsl(&c, "P04", "POPGR1"), "RR");
    // CR on 2022-06-29 (day 29); relapse recorded 2022-10-15 (disease event and marrow with 30 % blasts).
    // EFS event: 06-01 → 10-15 = 29 + 31 + 31 + 30 + 15 = 136 days → 137; the recorded disease event is the
    // source (EVSEQ 2) rather than the marrow of the same day.
    check(
        &c,
        "P04",
        "EFS",
        ("2022-06-01", "2022-10-15", 137, 0, "RELAPSE"),
    );
    let efs = tte(&c, "P04", "EFS").unwrap();
    assert_eq!(
        (efs.srcdom, efs.srcvar, efs.srcseq),
        ("disease_events", "EVDT", Some(2))
    );
    // RFS and DOR from the CR: 06-29 → 10-15 = 1 + 31 + 31 + 30 + 15 = 108 → 109.
    check(
        &c,
        "P04",
        "RFS",
        ("2022-06-29", "2022-10-15", 109, 0, "RELAPSE"),
    );
    check(
        &c,
        "P04",
        "DOR",
        ("2022-06-29", "2022-10-15", 109, 0, "RELAPSE"),
    );
    // Death 2023-01-20: 06-01 → 01-01 = 214, + 19 = 233 → 234.
    check(
        &c,
        "P04",
        "OS",
        ("2022-06-01", "2023-01-20", 234, 0, "DEATH"),
    );
    // Chemotherapy after the relapse is the first subsequent therapy.
    assert_eq!(adsl(&c, "P04", "TXPATH"), "CHEMO");
    // MRD 1e-3 ≥ 1e-4 after the CR: in the denominator, not negative.
    assert_eq!(adsl(&c, "P04", "MRDEVFL"), "Y");
    assert_eq!(adsl(&c, "P04", "MRDOVFL"), "N");
}

#[test]
fn p05_death_before_any_assessment() {
    let (_, c) = cohort();
    // No marrow after TRTSDT 2022-02-01, death 2022-02-20: no CR by day 84, outcome known (dead) → failure
    // at day 1, which precedes the death.
    check(
        &c,
        "P05",
        "EFS",
        (
            "2022-02-01",
            "2022-02-01",
            1,
            0,
            "FAILURE TO ACHIEVE CR/CRI WITHIN 12 WEEKS",
        ),
    );
    // OS: 02-01 → 02-20 = 19 → 20 days.
    check(
        &c,
        "P05",
        "OS",
        ("2022-02-01", "2022-02-20", 20, 0, "DEATH"),
    );
    assert_eq!(adsl(&c, "P05", "PRHSCTFL"), "Y");
    // 02-01..02-10 = 10 infusion days.
    assert_eq!(adsl(&c, "P05", "DURGR1"), "<=14 DAYS");
    assert_eq!(adsl(&c, "P05", "DCSREAS"), "PD");
    assert_eq!(adsl(&c, "P05", "LSTALVDT"), "2022-02-15");
}

#[test]
fn p06_allo_hsct_before_relapse_censors_the_sensitivity_analysis() {
    let (_, c) = cohort();
    assert_eq!(adsl(&c, "P06", "CRSTFL"), "Y");
    assert_eq!(adsl(&c, "P06", "MRDSTBL"), "POSITIVE");
    assert_eq!(adsl(&c, "P06", "CRCRI"), "NA");
    // Relapse 2023-02-10: 05-01 → 2023-02-01 = 276, + 9 = 285 → 286. HSCT is neither event nor censoring.
    check(
        &c,
        "P06",
        "EFS",
        ("2022-05-01", "2023-02-10", 286, 0, "RELAPSE"),
    );
    // EFSCEN: allo-HSCT 2022-07-15 before the relapse: 05-01 → 07-15 = 30 + 30 + 15 = 75 → 76, CNSR 2.
    check(
        &c,
        "P06",
        "EFSCEN",
        ("2022-05-01", "2022-07-15", 76, 2, "ALLO-HSCT"),
    );
    // RFS for a patient in CR at the start starts at TRTSDT (I-14): same as EFS.
    check(
        &c,
        "P06",
        "RFS",
        ("2022-05-01", "2023-02-10", 286, 0, "RELAPSE"),
    );
    // DOR from the first negative MRD 2022-05-30: 286 − 29 = 257.
    check(
        &c,
        "P06",
        "DOR",
        ("2022-05-30", "2023-02-10", 257, 0, "RELAPSE"),
    );
    assert_eq!(adsl(&c, "P06", "HSCTDT"), "2022-07-15");
}

#[test]
fn p07_mrd_below_a_high_limit_of_detection_is_not_evaluable() {
    let (_, c) = cohort();
    // "< LOD" with LOD 1e-3 > 1e-4: cannot show negativity → no evaluable MRD, out of the denominator.
    assert_eq!(adsl(&c, "P07", "MRDEVFL"), "N");
    assert_eq!(adsl(&c, "P07", "MRDOVFL"), "N");
    let mrd = patient(&c, "P07")
        .adrs
        .iter()
        .find(|r| r.paramcd == "MRD")
        .unwrap();
    assert_eq!(mrd.avalc, "NE");
    // Prior CAR-T 2022-03-01 before TRTSDT 2022-08-01.
    assert_eq!(adsl(&c, "P07", "PRCARTFL"), "Y");
    // EFS censored 2023-03-01: 08-01 → 2023-03-01 = 31+30+31+30+31+31+28 = 212 → 213.
    check(
        &c,
        "P07",
        "EFS",
        (
            "2022-08-01",
            "2023-03-01",
            213,
            1,
            "LAST DATE KNOWN ALIVE AND EVENT-FREE",
        ),
    );
    // EFSCEN censored at CAR-T 2022-10-01: 31 + 30 = 61 → 62, CNSR 3.
    check(
        &c,
        "P07",
        "EFSCEN",
        ("2022-08-01", "2022-10-01", 62, 3, "CAR-T"),
    );
    // No negative MRD → no DOR for a patient in CR at the start.
    assert!(tte(&c, "P07", "DOR").is_none());
}

#[test]
fn p08_gap_of_7_days_continues_gap_of_8_starts_a_cycle() {
    let (_, c) = cohort();
    // 09-10 → 09-18: 7 days without infusion → same cycle; 09-28 → 10-07: 8 days → cycle 2.
    assert_eq!(adsl(&c, "P08", "NCYCLES"), "2");
    assert_eq!(adsl(&c, "P08", "CYCGR1"), "MULTIPLE CYCLES");
    // Cycle 1 = 09-01..09-28 = 28 days → 15-28.
    assert_eq!(adsl(&c, "P08", "DURC1D"), "28");
    assert_eq!(adsl(&c, "P08", "DURGR1"), "15-28 DAYS");
    // Two BCR_ABL1 + PAX5 findings: PAX5 counts for Table 1, BCR_ABL1 does not.
    assert_eq!(adsl(&c, "P08", "PAX5FL"), "Y");
    assert_eq!(adsl(&c, "P08", "GENANYFL"), "Y");
    assert_eq!(adsl(&c, "P08", "BLSTDXGR"), "MISSING");
    // EFS censored 2023-07-20: 09-01 → 2023-07-01 = 303, + 19 = 322 → 323.
    check(
        &c,
        "P08",
        "EFS",
        (
            "2022-09-01",
            "2023-07-20",
            323,
            1,
            "LAST DATE KNOWN ALIVE AND EVENT-FREE",
        ),
    );
}

#[test]
fn p09_ae_the_day_after_the_last_infusion_is_not_treatment_emergent() {
    let (_, c) = cohort();
    let p = patient(&c, "P09");
    // TRTEDT 2022-11-14, grace 0 days: CRS on 11-02 is treatment-emergent, pneumonia on 11-15 is not.
    let crs = p.adae.iter().find(|r| r.aegrp == "CRS").unwrap();
    let infection = p.adae.iter().find(|r| r.aegrp == "INFECTION").unwrap();
    assert!(crs.trtemfl && crs.amaxfl && crs.agrmaxfl);
    assert!(!infection.trtemfl && !infection.amaxfl);
    assert_eq!(infection.astdy, Some(15));
    // Highest treatment-emergent grade: 2 (the grade 3 infection is not treatment-emergent).
    assert_eq!(adsl(&c, "P09", "AEMAXGR"), "2");
    // No baseline marrow: status UNKNOWN, setting FL_UNKNOWN → not in CR at the start.
    assert_eq!(adsl(&c, "P09", "DZSTBL"), "UNKNOWN");
    assert_eq!(adsl(&c, "P09", "CRSTFL"), "N");
    // 11-01..11-14 = 14 days.
    assert_eq!(adsl(&c, "P09", "DURGR1"), "<=14 DAYS");
    // CR 2022-11-20; EFS censored 2023-07-01: 11-01 → 2023-07-01 = 30+31+31+28+31+30+31+30 = 242 → 243.
    check(
        &c,
        "P09",
        "EFS",
        (
            "2022-11-01",
            "2023-07-01",
            243,
            1,
            "LAST DATE KNOWN ALIVE AND EVENT-FREE",
        ),
    );
    // EFSCEN at allo-HSCT 2022-12-20: 30 + 19 = 49 → 50.
    check(
        &c,
        "P09",
        "EFSCEN",
        ("2022-11-01", "2022-12-20", 50, 2, "ALLO-HSCT"),
    );
    // RFS from the CR 2022-11-20: 243 − 19 = 224.
    check(
        &c,
        "P09",
        "RFS",
        (
            "2022-11-20",
            "2023-07-01",
            224,
            1,
            "LAST DATE KNOWN ALIVE AND RELAPSE-FREE",
        ),
    );
}

#[test]
fn p10_last_contact_after_the_cut_off_censors_at_the_cut_off() {
    let (_, c) = cohort();
    // Contact 2023-09-15 is after the cut-off 2023-07-31: known alive at the cut-off.
    assert_eq!(adsl(&c, "P10", "LSTALVDT"), "2023-07-31");
    // 01-10 → 07-31 = 21 + 28 + 31 + 30 + 31 + 30 + 31 = 202 → 203.
    check(
        &c,
        "P10",
        "EFS",
        (
            "2023-01-10",
            "2023-07-31",
            203,
            1,
            "LAST DATE KNOWN ALIVE AND EVENT-FREE",
        ),
    );
    check(
        &c,
        "P10",
        "OS",
        ("2023-01-10", "2023-07-31", 203, 1, "LAST DATE KNOWN ALIVE"),
    );
    // ANC 0.5 < 1.0 → CRi on day 32; PRIOR_LINES 3 → >=3.
    assert_eq!(adsl(&c, "P10", "BESTRESP"), "CRI");
    assert_eq!(adsl(&c, "P10", "PRLINGR"), ">=3");
}

#[test]
fn p11_first_infusion_before_enrolment_is_excluded() {
    let (_, c) = cohort();
    assert_eq!(adsl(&c, "P11", "SAFFL"), "N");
    assert_eq!(
        adsl(&c, "P11", "EXCLREAS"),
        "FIRST INFUSION OUTSIDE ENROLMENT WINDOW"
    );
    let p = patient(&c, "P11");
    assert!(p.adtte.is_empty() && p.adrs.is_empty() && p.adae.is_empty());
}

#[test]
fn p12_refractory_patient_with_a_therapy_path() {
    let (_, c) = cohort();
    // Marrow day 30 with 40 % blasts → NR; no CR by day 84 → failure at day 1; HSCT later cannot censor it.
    assert_eq!(adsl(&c, "P12", "BESTRESP"), "NR");
    check(
        &c,
        "P12",
        "EFS",
        (
            "2022-07-01",
            "2022-07-01",
            1,
            0,
            "FAILURE TO ACHIEVE CR/CRI WITHIN 12 WEEKS",
        ),
    );
    check(
        &c,
        "P12",
        "EFSCEN",
        (
            "2022-07-01",
            "2022-07-01",
            1,
            0,
            "FAILURE TO ACHIEVE CR/CRI WITHIN 12 WEEKS",
        ),
    );
    // Chemo 08-10, CAR-T 09-15, allo-HSCT 12-01, all after TRTEDT 07-28.
    assert_eq!(adsl(&c, "P12", "TXPATH"), "CHEMO>CAR-T>ALLO-HSCT");
    assert_eq!(adsl(&c, "P12", "FIRSTSUB"), "CHEMO");
    assert_eq!(adsl(&c, "P12", "NEWTHDT"), "2022-08-10");
    // OS censored 2023-04-01: 07-01 → 2023-04-01 = 31+31+30+31+30+31+31+28+31 = 274 → 275.
    check(
        &c,
        "P12",
        "OS",
        ("2022-07-01", "2023-04-01", 275, 1, "LAST DATE KNOWN ALIVE"),
    );
}

#[test]
fn therapy_before_blinatumomab_starts_at_the_last_event() {
    let (_, c) = cohort();
    // P01 (ND): nothing between the diagnosis 2021-12-20 and TRTSDT 2022-01-10.
    assert_eq!(adsl(&c, "P01", "PRETXGR"), "NONE");
    // P02 (ND): dasatinib from 2022-02-20, after the diagnosis 2022-02-10 and before TRTSDT 2022-03-01; it
    // runs on during blinatumomab, but what counts is where it starts.
    assert_eq!(adsl(&c, "P02", "PRETXGR"), "TKI");
    // P05 (RR): the allo-HSCT of 2021-06-01 precedes the refractoriness of 2021-12-01 that opens the window.
    assert_eq!(adsl(&c, "P05", "PRETXGR"), "NONE");
    // P07 (RR): CAR-T on 2022-03-01, after the relapse of 2022-02-01 and before TRTSDT 2022-08-01: a bridge.
    assert_eq!(adsl(&c, "P07", "PRETXGR"), "CAR-T");
    // P10 (RR): the VP prephase (INTENSITY LOW) of 2022-12-20, after the relapse of 2022-12-15.
    assert_eq!(adsl(&c, "P10", "PRETXGR"), "CHEMO_LOW");
    // P12 (RR): the hyper-CVAD of 2022-08-10 comes after blinatumomab: subsequent, not before.
    assert_eq!(adsl(&c, "P12", "PRETXGR"), "NONE");
    assert_eq!(
        patient(&c, "P10").adsl.get("PRETXGR").unwrap().trace.rule,
        "D-PRE-THERAPY"
    );
}

#[test]
fn follow_up_runs_to_the_death_or_the_last_day_known_alive() {
    let (_, c) = cohort();
    // P04 died 2023-01-20: 06-01 → 01-01 = 214, + 19 = 233 days after TRTSDT, 234 counting TRTSDT as day 1.
    assert_eq!(adsl(&c, "P04", "FUDURD"), "234");
    // Invariant: the follow-up is the OS time of every patient of the population.
    for p in c.patients.iter().filter(|p| p.adsl.value("SAFFL") == "Y") {
        let id = p.adsl.subject.as_str();
        let os = tte(&c, id, "OS").unwrap_or_else(|| panic!("{id}: no OS"));
        assert_eq!(p.adsl.value("FUDURD"), os.aval.to_string(), "{id} FUDURD");
    }
}

#[test]
fn datasets_have_one_adsl_row_per_patient_and_cdisc_columns() {
    let (spec, c) = cohort();
    let ds = c.datasets(&spec.study.id);
    assert_eq!(ds.adsl.n_rows(), 12);
    let names: Vec<&str> = ds.adtte.columns().iter().map(|c| c.name.as_str()).collect();
    for want in [
        "PARAMCD", "AVAL", "AVALMO", "CNSR", "STARTDT", "ADT", "EVNTDESC", "CNSDTDSC", "SRCDOM",
        "SRCVAR", "SRCSEQ",
    ] {
        assert!(names.contains(&want), "ADTTE lacks {want}");
    }
    // 11 included patients × (EFS, EFSCEN, OS) + RFS (P01, P02, P04, P06, P07, P08, P09, P10)
    // + DOR (P01, P02, P04, P06, P08, P09, P10).
    assert_eq!(ds.adtte.n_rows(), 11 * 3 + 8 + 7);
}
