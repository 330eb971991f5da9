//! Spec parsing: defaults, and one wrong spec per `SPEC-*` rule with its whole message pinned.

use super::*;
use crate::report::*;

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
    insta::assert_snapshot!(err(&format!("{BASE}\n[endpoint]\n")), @"study.toml:12: found key `endpoint`, expected one of study, inputs, population, response, mrd, cycles, endpoints, safety, conventions, tables, figures, reproduction (did you mean endpoints?) [SPEC-UNKNOWN-KEY]");
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
        format!("{BASE}\n[conventions]\nzz_probe = 1\n"),
        format!("{BASE}\n[reproduction]\nzz_probe = 1\n"),
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
            let array = format!("## `[[{key}]]`");
            let row = format!("| `{key}` |");
            assert!(
                doc.contains(&row) || doc.contains(&section) || doc.contains(&array),
                "docs/study-spec.md does not document `{key}`"
            );
            n += 1;
        }
    }
    // 12 tables + 5 study + 9 inputs + 3 + 4 + 5 + 4 + 4 + 1 + 10 (conventions) + 1 (reproduction) keys.
    assert_eq!(n, 58);
}

const REPORT: &str = include_str!("../../../tests/fixtures/cohort/report.toml");

/// A few names of the derived datasets, enough for the declarations below.
const ADSL: &[&str] = &[
    "POPGR1", "AGE", "AGEGR1", "SEX", "WBCBL", "HGBBL", "PLTBL", "PHSTAT", "BLSTDXGR", "CNSFL",
    "PRLINGR", "PRHSCTFL", "DZSTBL", "IKZF1FL", "PAX5FL", "BLSETT", "CRCRI", "MRD2CFL", "MRDOVFL",
    "MRDEVFL", "DURGR1", "CYCGR1", "FIRSTSUB", "CRSTFL",
];
const NUMERIC: &[&str] = &["AGE", "WBCBL", "HGBBL", "PLTBL"];
const PARAMCDS: &[&str] = &["EFS", "EFSCEN", "OS", "RFS", "DOR"];

fn report_err(text: &str) -> String {
    match StudySpec::from_toml_str("report.toml", text) {
        Ok(spec) => match spec.check_names(ADSL, NUMERIC, PARAMCDS) {
            Ok(()) => "no error".to_string(),
            Err(d) => d.to_string(),
        },
        Err(e) => e.to_string(),
    }
}

/// The line (1-based) of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn the_fixture_report_declares_tables_1_to_3_and_figures_1_and_2() {
    let spec = StudySpec::from_toml_str("report.toml", REPORT).unwrap();
    spec.check_names(ADSL, NUMERIC, PARAMCDS).unwrap();
    assert_eq!(spec.conventions, Conventions::default());
    let ids: Vec<&str> = spec.tables.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["table1", "table2", "table3"]);
    let figures: Vec<&str> = spec.figures.iter().map(FigureDecl::id).collect();
    assert_eq!(
        figures,
        ["fig1_treatment_patterns", "fig2_km_efs", "fig2_km_efs_cr"]
    );
    let t2 = &spec.tables[1];
    assert_eq!(t2.columns.len(), 9);
    assert_eq!(t2.columns[0].group.as_deref(), Some("Frontline"));
    assert_eq!(
        t2.columns[0].filter["BLSETT"],
        Values(vec!["FL_INDUCTION".to_string()])
    );
    let by_line = t2
        .rows
        .iter()
        .find(|r| r.label() == "Median (months) by line")
        .unwrap();
    let RowDecl::Survival { by: Some(by), .. } = by_line else {
        panic!("{by_line:?}");
    };
    assert_eq!(by.levels[1].values.0, ["2", ">=3"]);
    assert_eq!(by.levels[1].label(), "3rd line");
    let t3 = &spec.tables[2];
    assert_eq!(t3.dataset, TableDataset::Adae);
    assert_eq!(
        t3.grades.iter().map(|g| (g.min, g.max)).collect::<Vec<_>>(),
        [(1, 5), (1, 2), (3, 5)]
    );
    let FigureDecl::Km(km) = &spec.figures[1] else {
        panic!()
    };
    assert_eq!(
        (km.landmark, km.risk_events, km.ci_bands),
        (Some(12.0), true, false)
    );
}

#[test]
fn conventions_are_checked() {
    let text = format!("{BASE}\n[conventions]\nstatistics = \"spss\"\n");
    insta::assert_snapshot!(err(&text), @r#"study.toml:13: found "spss", expected one of sas, r [SPEC-INVALID-VALUE]"#);
    let text = format!("{BASE}\n[conventions]\nconf_level = 95\n");
    insta::assert_snapshot!(err(&text), @"study.toml:13: found 95, expected a confidence level between 0 and 1, such as 0.95 [SPEC-INVALID-VALUE]");
    let text = format!("{BASE}\n[conventions]\nrounding = \"half_even\"\n");
    insta::assert_snapshot!(err(&text), @r#"study.toml:13: found "half_even", expected one of half_up, truncate [SPEC-INVALID-VALUE]"#);
}

#[test]
fn an_unknown_variable_is_reported_at_its_line_with_a_suggestion() {
    let text = REPORT.replace("variable = \"PHSTAT\"\n", "variable = \"PHSTATUS\"\n");
    let line = line_of(&text, "\"PHSTATUS\"");
    assert_eq!(
        report_err(&text),
        format!(
            "report.toml:{line}: found variable `PHSTATUS`, expected an ADSL variable (did you mean PHSTAT?) [SPEC-INVALID-VALUE]"
        )
    );
    // A filter key.
    let text = REPORT.replace("where = { MRDEVFL = \"Y\" }", "where = { MRDEVAL = \"Y\" }");
    let line = line_of(&text, "MRDEVAL");
    assert_eq!(
        report_err(&text),
        format!(
            "report.toml:{line}: found variable `MRDEVAL`, expected an ADSL variable (did you mean MRDEVFL?) [SPEC-INVALID-VALUE]"
        )
    );
    // A continuous row needs a number.
    let text = REPORT.replace("variable = \"WBCBL\"", "variable = \"SEX\"");
    let line = line_of(&text, "variable = \"SEX\"");
    assert_eq!(
        report_err(&text),
        format!(
            "report.toml:{line}: found variable `SEX`, expected a numeric ADSL variable for a continuous row [SPEC-INVALID-VALUE]"
        )
    );
}

#[test]
fn an_unknown_paramcd_is_reported_at_its_line() {
    let text = REPORT.replace("paramcd = \"DOR\"", "paramcd = \"DFS\"");
    let line = line_of(&text, "\"DFS\"");
    assert_eq!(
        report_err(&text),
        format!(
            "report.toml:{line}: found PARAMCD `DFS`, expected one of EFS, EFSCEN, OS, RFS, DOR (did you mean EFS?) [SPEC-INVALID-VALUE]"
        )
    );
}

#[test]
fn wrong_declarations_are_reported_at_their_line() {
    // A row naming a column the table does not have.
    let text = REPORT.replace("columns = [\"rr_ind\"]", "columns = [\"rr_reind\"]");
    let line = line_of(&text, "\"rr_reind\"");
    assert_eq!(
        report_err(&text),
        format!(
            "report.toml:{line}: found column `rr_reind`, expected one of fl_ind, fl_con, fl_unk, fl_all, rr_ind, rr_con, rr_unk, rr_all, all (did you mean rr_ind?) [SPEC-INVALID-VALUE]"
        )
    );
    // A misspelt key inside [[tables.rows]] points at the key, not at the table header.
    let text = REPORT.replace("label = \"1-year OS rate\"", "lable = \"1-year OS rate\"");
    let line = line_of(&text, "lable =");
    let message = report_err(&text);
    assert!(
        message.starts_with(&format!(
            "report.toml:{line}: found key `lable`, expected one of"
        )),
        "{message}"
    );
    assert!(
        message.ends_with("(did you mean label?) [SPEC-UNKNOWN-KEY]"),
        "{message}"
    );
    // A rate without its time.
    let text = REPORT.replace(
        "at = 12\nlabel = \"1-year OS rate\"",
        "label = \"1-year OS rate\"",
    );
    let line = line_of(&text, "\"1-year OS rate\"");
    assert_eq!(
        report_err(&text),
        format!(
            "report.toml:{line}: found a rate row \"1-year OS rate\" without a time, expected at = 12 (months) [SPEC-INVALID-VALUE]"
        )
    );
    // Two outputs with one id.
    let text = REPORT.replace("id = \"fig2_km_efs_cr\"", "id = \"fig2_km_efs\"");
    let line = line_of(&text, "id = \"fig2_km_efs\"");
    assert_eq!(
        report_err(&text),
        format!(
            "report.toml:{line}: found id `fig2_km_efs` twice, expected a different id for every table and figure [SPEC-INVALID-VALUE]"
        )
    );
    // An id that is not a file name.
    let text = REPORT.replace("id = \"table3\"", "id = \"Table 3\"");
    let line = line_of(&text, "\"Table 3\"");
    assert_eq!(
        report_err(&text),
        format!(
            "report.toml:{line}: found id `Table 3`, expected an id of lower-case letters, digits, _ and - (a file name) [SPEC-INVALID-VALUE]"
        )
    );
    // An adverse-event row in an ADSL table.
    let text = REPORT.replace(
        "kind = \"heading\"\nlabel = \"RFS\"",
        "kind = \"adverse_events\"\nlabel = \"RFS\"",
    );
    let line = line_of(&text, "label = \"RFS\"");
    assert_eq!(
        report_err(&text),
        format!(
            "report.toml:{line}: found an adverse_events row in the ADSL table table2, expected dataset = \"ADAE\" on the table [SPEC-INVALID-VALUE]"
        )
    );
    // An unknown row kind.
    let text = REPORT.replace("kind = \"count\"", "kind = \"counts\"");
    let line = line_of(&text, "\"counts\"");
    assert_eq!(
        report_err(&text),
        format!(
            "report.toml:{line}: found \"counts\", expected one of heading, count, categorical, flag, continuous, rate, survival, adverse_events (did you mean count?) [SPEC-INVALID-VALUE]"
        )
    );
    // Ticks that do not increase.
    let text = REPORT.replacen(
        "x_ticks = [0, 3, 6, 9, 12, 15, 18]",
        "x_ticks = [0, 6, 3]",
        1,
    );
    let line = line_of(&text, "x_ticks = [0, 6, 3]");
    assert_eq!(
        report_err(&text),
        format!(
            "report.toml:{line}: found [0.0, 6.0, 3.0], expected at least two increasing times >= 0, in months [SPEC-INVALID-VALUE]"
        )
    );
    // A colour that is not #RRGGBB.
    let text = REPORT.replace("colour = \"#999999\"", "colour = \"grey\"");
    let message = report_err(&text);
    assert!(
        message.ends_with(
            "expected a colour written #RRGGBB, such as \"#0072B2\" [SPEC-INVALID-VALUE]"
        ),
        "{message}"
    );
}

/// Every key of `[conventions]`, `[[tables]]` and `[[figures]]` (and of their columns, rows of every kind,
/// grades, levels, splits and stages) is documented in docs/study-spec.md.
#[test]
fn every_output_key_is_documented() {
    let doc = include_str!("../../../docs/study-spec.md");
    let table = |rest: &str| {
        format!(
            "{BASE}\n[[tables]]\nid = \"t\"\ntitle = \"T\"\ncolumns = [{{ id = \"a\", label = \"A\" }}]\n{rest}"
        )
    };
    let row = |kind: &str| {
        table(&format!(
            "[[tables.rows]]\nkind = \"{kind}\"\nzz_probe = 1\n"
        ))
    };
    let mut probes = vec![
        BASE.replace("[study]\n", "[[tables]]\nzz_probe = 1\n[study]\n"),
        format!("{BASE}\n[[tables]]\nid = \"t\"\ncolumns = [{{ zz_probe = 1 }}]\n"),
        table("grades = [{ label = \"g\", zz_probe = 1 }]\nrows = []\n"),
        table(
            "rows = [{ kind = \"categorical\", variable = \"V\", label = \"L\", levels = [{ value = \"x\", zz_probe = 1 }] }]\n",
        ),
        table(
            "rows = [{ kind = \"survival\", paramcd = \"EFS\", statistic = \"median\", label = \"L\", by = { variable = \"V\", zz_probe = 1 } }]\n",
        ),
        format!("{BASE}\n[[figures]]\nkind = \"km\"\nzz_probe = 1\n"),
        format!("{BASE}\n[[figures]]\nkind = \"sankey\"\nzz_probe = 1\n"),
        format!(
            "{BASE}\n[[figures]]\nkind = \"sankey\"\nid = \"s\"\nstages = [{{ zz_probe = 1 }}]\n"
        ),
    ];
    for kind in [
        "heading",
        "count",
        "categorical",
        "flag",
        "continuous",
        "rate",
        "survival",
        "adverse_events",
    ] {
        let section = format!("`kind = \"{kind}\"`");
        assert!(
            doc.contains(&section),
            "docs/study-spec.md does not document {section}"
        );
        probes.push(row(kind));
    }
    let mut n = 0;
    for probe in probes {
        let Err(SpecError::Invalid(d)) = StudySpec::from_toml_str("study.toml", &probe) else {
            panic!("probe accepted: {probe}");
        };
        assert_eq!(d.rule, "SPEC-UNKNOWN-KEY", "{d}");
        let keys = d.expected.trim_start_matches("one of ");
        for key in keys.split(", ") {
            let row = format!("| `{key}` |");
            assert!(
                doc.contains(&row),
                "docs/study-spec.md does not document `{key}` ({d})"
            );
            n += 1;
        }
    }
    // 10 table + 4 column + 3 grade + 4 level + 2 split + 16 km + 7 sankey + 4 stage keys, and 48 row keys
    // over the eight kinds (2 + 4 + 7 + 6 + 7 + 10 + 10 + 5, `kind` not among them).
    assert_eq!(n, 98);
}
