//! The seed cohort: the committed example files are exactly what `write_seed_cohort` writes, the archetype
//! table holds the published counts, and `synth` is deterministic and streams the asked number of patients.
#![allow(clippy::unwrap_used)] // test helpers: a failure should stop the test loudly

use std::path::{Path, PathBuf};

use rwe_synth::{FILES, Population, Response, Setting, seed_archetypes, synth, write_seed_cohort};

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rwe-synth-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn example_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/blinatumomab/data")
}

#[test]
fn committed_example_files_are_byte_identical_to_a_fresh_generation() {
    let dir = temp("seed");
    write_seed_cohort(&dir).unwrap();
    for f in FILES {
        let fresh = std::fs::read(dir.join(f)).unwrap();
        let committed = std::fs::read(example_data().join(f)).unwrap();
        assert!(
            fresh == committed,
            "examples/blinatumomab/data/{f} differs from write_seed_cohort's output"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn archetypes_hold_the_published_counts() {
    let people = seed_archetypes();
    assert_eq!(people.len(), 96);
    let count = |f: &dyn Fn(&rwe_synth::Archetype) -> bool| people.iter().filter(|p| f(p)).count();
    assert_eq!(count(&|p| p.population() == Population::Nd), 53, "ND");
    for (s, n) in [
        (Setting::FlInduction, 6),
        (Setting::FlConsolidation, 39),
        (Setting::FlUnknown, 8),
        (Setting::RrReinduction, 28),
        (Setting::RrConsolidation, 14),
        (Setting::RrUnknown, 1),
    ] {
        assert_eq!(count(&|p| p.setting == s), n, "setting {}", s.term());
    }
    assert_eq!(
        count(&|p| p.population() == Population::Nd && p.ph_positive),
        21,
        "ND Ph+"
    );
    assert_eq!(
        count(&|p| p.population() == Population::Rr && p.ph_positive),
        8,
        "R/R Ph+"
    );
    assert_eq!(count(&|p| p.male), 53, "male");
    assert_eq!(count(&|p| p.age < 35), 50, "age < 35");
    assert_eq!(count(&|p| (35..55).contains(&p.age)), 35, "age 35 to < 55");
    for (k, n) in [(1, 64), (2, 20), (3, 7), (4, 4), (5, 1)] {
        assert_eq!(count(&|p| p.cycles == k), n, "{k} cycles");
    }
    assert_eq!(
        count(&|p| p.setting == Setting::RrReinduction
            && matches!(p.response, Response::Cr | Response::Cri)),
        14,
        "R/R re-induction CR/CRi"
    );
    assert_eq!(count(&|p| p.adverse_event.is_some()), 19, "AE patients");
    assert_eq!(
        count(&|p| p.adverse_event.is_some_and(|a| a.grade >= 3)),
        12,
        "AE grade >= 3"
    );
    assert_eq!(
        count(&|p| p
            .path
            .iter()
            .any(|s| s.therapy == rwe_synth::Therapy::AlloHsct)),
        51,
        "allo-HSCT after blinatumomab"
    );
    assert_eq!(count(&|p| p.finding.is_some()), 49, "abnormal genetics");
    assert_eq!(count(&|p| p.prior_hsct), 12, "prior HSCT");
    assert_eq!(count(&|p| p.prior_car_t), 10, "prior CAR-T");
    assert_eq!(
        count(&|p| p.refractory_last),
        16,
        "refractory to last treatment"
    );
    assert_eq!(count(&|p| p.death.is_some()), 11, "deaths (ND 1, R/R 10)");
    // Follow-up: median 205 days, range 15-652.
    let mut fu: Vec<i32> = people.iter().map(|p| p.followup).collect();
    fu.sort();
    assert_eq!(
        (fu[0], f64::from(fu[47] + fu[48]) / 2.0, fu[95]),
        (15, 205.0, 652),
        "follow-up"
    );
    // In CR at the start by population and Ph: ND Ph− 20 of 32, ND Ph+ 18 of 21, R/R Ph− 11 of 35, R/R Ph+
    // 3 of 8 (the therapy-before-blinatumomab text).
    for (population, ph, in_cr, n) in [
        (Population::Nd, false, 20, 32),
        (Population::Nd, true, 18, 21),
        (Population::Rr, false, 11, 35),
        (Population::Rr, true, 3, 8),
    ] {
        let cell = |p: &rwe_synth::Archetype| p.population() == population && p.ph_positive == ph;
        assert_eq!(count(&|p| cell(p)), n, "{population:?} Ph+ {ph}");
        assert_eq!(
            count(&|p| cell(p) && p.dz_status_start == "CR"),
            in_cr,
            "{population:?} Ph+ {ph} in CR"
        );
    }
    let allo = |p: &rwe_synth::Archetype| {
        p.path
            .iter()
            .any(|s| s.therapy == rwe_synth::Therapy::AlloHsct)
    };
    assert_eq!(
        count(&|p| allo(p) && p.ph_positive),
        15,
        "Ph+ among transplanted"
    );
    assert_eq!(
        count(&|p| p.population() == Population::Nd && p.cycles > 1 && allo(p)),
        8,
        "allo-HSCT among the 24 ND with several cycles"
    );
    // R/R paths of the 30 who completed blinatumomab: allo-HSCT 10, CAR-T 4, CAR-T > allo-HSCT 3, chemo 5,
    // chemo > allo-HSCT 2, none 6.
    let completers: Vec<String> = people
        .iter()
        .filter(|p| p.population() == Population::Rr && p.stop_reason == "COMPLETED")
        .map(|p| {
            p.path
                .iter()
                .map(|s| format!("{:?}", s.therapy))
                .collect::<Vec<_>>()
                .join(">")
        })
        .collect();
    let n = |path: &str| completers.iter().filter(|p| *p == path).count();
    assert_eq!(
        (
            completers.len(),
            n("AlloHsct"),
            n("CarT"),
            n("CarT>AlloHsct"),
            n("Chemo"),
            n("Chemo>AlloHsct"),
            n("")
        ),
        (30, 10, 4, 3, 5, 2, 6),
        "R/R completers' paths"
    );
    // Every subsequent therapy lies after the last infusion and before the last contact.
    for p in &people {
        let mut after = p.last_infusion_day();
        for s in &p.path {
            assert!(s.day > after && s.day <= p.followup, "{p:?}");
            after = s.day;
        }
    }
}

#[test]
fn synth_is_deterministic_and_streams_n_patients() {
    let (a, b) = (temp("a"), temp("b"));
    let mut seen = Vec::new();
    synth(2500, 7, &a, &mut |k| seen.push(k)).unwrap();
    synth(2500, 7, &b, &mut |_| {}).unwrap();
    assert_eq!(seen, vec![1000, 2000, 2500], "progress calls");
    for f in FILES.iter().copied().chain(["study.toml"]) {
        assert!(
            std::fs::read(a.join(f)).unwrap() == std::fs::read(b.join(f)).unwrap(),
            "synth seed 7: {f}"
        );
    }
    let patients = std::fs::read_to_string(a.join("patients.csv")).unwrap();
    assert_eq!(patients.lines().count(), 2501, "header + 2500 patients");
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(&b);
}
