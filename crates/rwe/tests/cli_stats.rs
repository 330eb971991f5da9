//! End-to-end tests of `rwe km`, `rwe cox`, `rwe cif` and `rwe prop`: the JSON of the binary checked against
//! R's outputs (crates/rwe-stats/tests/reference, R survival 3.5-3), and bad input checked for its messages
//! and exit status.

#![allow(clippy::unwrap_used)] // test helpers: a failure should stop the test loudly

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// Closed-form quantities: R and rwe compute the same formula in double precision.
const TOL_CLOSED_FORM: f64 = 1e-9;
/// Iterative fits (Cox Newton-Raphson).
const TOL_COX: f64 = 1e-6;

fn reference(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../rwe-stats/tests/reference")
        .join(rel)
}

fn load(rel: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(reference(rel)).unwrap()).unwrap()
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn rwe(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_rwe"))
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn rwe_json(args: &[&str]) -> Value {
    let run = rwe(args);
    assert_eq!(run.code, 0, "rwe {args:?} failed: {}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

fn close(ctx: &str, got: &Value, want: &Value, tol: f64) {
    match (got.as_f64(), want.as_f64()) {
        (Some(g), Some(w)) => {
            let scale = w.abs().max(1.0);
            assert!((g - w).abs() <= tol * scale, "{ctx}: got {g}, R {w}");
        }
        (None, None) => {}
        _ => panic!("{ctx}: got {got}, R {want}"),
    }
}

fn data(name: &str) -> String {
    reference(&format!("{name}/data.csv")).display().to_string()
}

/// The resolution criterion of the statistics issue: `rwe km` on aml under R's conventions reproduces `aml/os.json`.
#[test]
fn km_aml_reproduces_r() {
    let r = load("aml/os.json");
    let got = rwe_json(&[
        "km",
        &data("aml"),
        "--time",
        "time",
        "--event",
        "status",
        "--group",
        "group",
        "--convention",
        "r",
        "--conf-type",
        "log",
        "--at",
        "5,9,12,13,20,30,48,100,161,200",
        "--format",
        "json",
    ]);
    assert_eq!(got["conf_type"], "log");
    let curves = got["curves"].as_array().unwrap();
    assert_eq!(curves.len(), 3);
    let mut checked = 0;
    for curve in curves {
        let (label, km) = match curve["group"].as_str() {
            None => ("overall".to_string(), &r["km"]["overall"]),
            Some(g) => (g.to_string(), &r["km"]["groups"][g]),
        };
        assert_eq!(curve["n"].as_u64(), km["n"].as_u64(), "aml {label} n");
        assert_eq!(
            curve["events"].as_u64(),
            km["n_event"].as_u64(),
            "aml {label} events"
        );
        let rows = curve["table"].as_array().unwrap();
        let want_rows = km["table"].as_array().unwrap();
        assert_eq!(rows.len(), want_rows.len(), "aml {label} rows");
        for (g, w) in rows.iter().zip(want_rows) {
            let t = &w["time"];
            for (field, rfield) in [
                ("time", "time"),
                ("n_risk", "n_risk"),
                ("n_event", "n_event"),
                ("n_censor", "n_censor"),
                ("surv", "surv"),
                ("std_err", "se_surv"),
                ("lower", "lower_log"),
                ("upper", "upper_log"),
                ("cumhaz", "cumhaz"),
                ("std_chaz", "std_chaz"),
            ] {
                close(
                    &format!("aml {label} t={t} {field}"),
                    &g[field],
                    &w[rfield],
                    TOL_CLOSED_FORM,
                );
                checked += 1;
            }
        }
        for (g, w) in curve["quantiles"]
            .as_array()
            .unwrap()
            .iter()
            .zip(km["quantiles"]["log"].as_array().unwrap())
        {
            for (field, rfield) in [
                ("p", "prob"),
                ("time", "quantile"),
                ("lower", "lower"),
                ("upper", "upper"),
            ] {
                close(
                    &format!("aml {label} quantile {} {field}", w["prob"]),
                    &g[field],
                    &w[rfield],
                    TOL_CLOSED_FORM,
                );
                checked += 1;
            }
        }
        let landmarks = km["landmarks"]["extend_true"]["log"].as_array().unwrap();
        let at = curve["at"].as_array().unwrap();
        for w in landmarks {
            let g = at
                .iter()
                .find(|a| a["time"].as_f64() == w["time"].as_f64())
                .unwrap();
            for (field, rfield) in [
                ("n_risk", "n_risk"),
                ("surv", "surv"),
                ("std_err", "se_surv"),
                ("lower", "lower"),
                ("upper", "upper"),
            ] {
                close(
                    &format!("aml {label} at {} {field}", w["time"]),
                    &g[field],
                    &w[rfield],
                    TOL_CLOSED_FORM,
                );
                checked += 1;
            }
        }
    }
    for (test, rtest) in [("logrank", "logrank_rho0"), ("peto", "peto_rho1")] {
        for field in ["chisq", "df", "p"] {
            close(
                &format!("aml {test} {field}"),
                &got["tests"][test][field],
                &r["logrank"][rtest][field],
                TOL_CLOSED_FORM,
            );
            checked += 1;
        }
    }
    assert!(checked > 300, "only {checked} values checked");
}

/// Stratified tests through the CLI: lung by sex stratified by ph.ecog; R drops the record with missing ph.ecog,
/// rwe refuses it with a located error.
#[test]
fn km_stratified_missing_stratum_is_located() {
    let run = rwe(&[
        "km",
        &data("lung"),
        "--time",
        "time",
        "--event",
        "status",
        "--group",
        "sex",
        "--strata",
        "ph.ecog",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains(": column ph.ecog: found an empty value, expected a value of ph.ecog for every record [SURV-GROUP-EMPTY]"), "{}", run.stderr);
}

#[test]
fn km_stratified_veteran_matches_r() {
    let r = load("veteran/os.json");
    let got = rwe_json(&[
        "km",
        &data("veteran"),
        "--time",
        "time",
        "--event",
        "status",
        "--group",
        "trt",
        "--strata",
        "celltype",
        "--format",
        "json",
    ]);
    for (test, rtest) in [("logrank", "logrank_rho0"), ("peto", "peto_rho1")] {
        for field in ["chisq", "df", "p"] {
            close(
                &format!("veteran {test} {field}"),
                &got["tests"][test][field],
                &r["logrank"][rtest][field],
                TOL_CLOSED_FORM,
            );
            close(
                &format!("veteran stratified {test} {field}"),
                &got["tests"]["stratified"][test][field],
                &r["logrank"]["stratified"][rtest][field],
                TOL_CLOSED_FORM,
            );
        }
    }
}

#[test]
fn cox_colon_matches_r() {
    let r = load("colon/os.json");
    for (ties, index) in [("efron", 2), ("breslow", 3)] {
        let want = &r["cox"][index];
        assert_eq!(want["ties"], ties);
        let got = rwe_json(&[
            "cox",
            &data("colon"),
            "--time",
            "time",
            "--event",
            "status",
            "--covariates",
            "rx,age,sex",
            "--ties",
            ties,
            "--format",
            "json",
        ]);
        assert_eq!(got["n"].as_u64(), want["n"].as_u64());
        for (g, w) in got["terms"]
            .as_array()
            .unwrap()
            .iter()
            .zip(want["terms"].as_array().unwrap())
        {
            assert_eq!(g["term"], w["term"]);
            for (field, rfield) in [
                ("coef", "coef"),
                ("se", "se"),
                ("hr", "hr"),
                ("lower", "hr_lower95"),
                ("upper", "hr_upper95"),
                ("z", "z"),
                ("p", "p"),
            ] {
                close(
                    &format!("colon {ties} {} {field}", w["term"]),
                    &g[field],
                    &w[rfield],
                    TOL_COX,
                );
            }
        }
        close(
            &format!("colon {ties} loglik null"),
            &got["loglik"]["null"],
            &want["loglik_null"],
            TOL_COX,
        );
        close(
            &format!("colon {ties} loglik model"),
            &got["loglik"]["model"],
            &want["loglik_model"],
            TOL_COX,
        );
        close(
            &format!("colon {ties} lr"),
            &got["tests"]["lr"]["stat"],
            &want["lr_test"]["stat"],
            TOL_COX,
        );
        close(
            &format!("colon {ties} score"),
            &got["tests"]["score"]["stat"],
            &want["score_test"]["stat"],
            TOL_COX,
        );
        close(
            &format!("colon {ties} concordance"),
            &got["concordance"]["estimate"],
            &want["concordance"],
            TOL_COX,
        );
    }
}

#[test]
fn cox_missing_covariate_is_an_error_unless_dropped() {
    let run = rwe(&[
        "cox",
        &data("lung"),
        "--time",
        "time",
        "--event",
        "status",
        "--covariates",
        "sex,age,ph.ecog",
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            ": column ph.ecog: found an empty value, expected a value (or run with --drop-missing"
        ),
        "{}",
        run.stderr
    );
    let r = load("lung/os.json");
    let want = &r["cox"][3];
    assert_eq!(want["formula"], "Surv(time, status) ~ sex + age + ph.ecog");
    let got = rwe_json(&[
        "cox",
        &data("lung"),
        "--time",
        "time",
        "--event",
        "status",
        "--covariates",
        "sex,age,ph.ecog",
        "--drop-missing",
        "--convention",
        "r",
        "--format",
        "json",
    ]);
    assert_eq!(got["n_dropped"], 1);
    assert_eq!(got["ties"], "efron");
    for (g, w) in got["terms"]
        .as_array()
        .unwrap()
        .iter()
        .zip(want["terms"].as_array().unwrap())
    {
        close(
            &format!("lung {} coef", w["term"]),
            &g["coef"],
            &w["coef"],
            TOL_COX,
        );
        close(
            &format!("lung {} se", w["term"]),
            &g["se"],
            &w["se"],
            TOL_COX,
        );
    }
}

fn temp_csv(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rwe-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Every bad value of a file is reported at once, by file, row and column, with exit status 1 and nothing on stdout.
#[test]
fn bad_survival_input_is_located() {
    let p = temp_csv(
        "bad.csv",
        "time,status,arm\n5,1,A\n-2,0,B\nabc,1,A\n7,2,\n,1,B\n",
    );
    let run = rwe(&[
        "km",
        p.to_str().unwrap(),
        "--time",
        "time",
        "--event",
        "status",
        "--group",
        "arm",
    ]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    let stderr = run.stderr.replace(p.to_str().unwrap(), "bad.csv");
    insta::assert_snapshot!(stderr, @r"
    bad.csv:3: column time: found -2, expected a follow-up time ≥ 0 [SURV-TIME-NEGATIVE]
    bad.csv:4: column time: found abc, expected a number [VALUE-NOT-NUMERIC]
    bad.csv:5: column arm: found an empty value, expected a value of arm for every record [SURV-GROUP-EMPTY]
    bad.csv:5: column status: found 2, expected 0 (censored) or 1 (event) [SURV-EVENT-CODE]
    bad.csv:6: column time: found an empty value, expected a follow-up time (a number ≥ 0) [SURV-TIME-MISSING]
    rwe: 5 error(s) in the input; nothing was computed
    ");
}

#[test]
fn missing_column_and_unreadable_file() {
    let p = temp_csv("ok.csv", "time,status\n5,1\n");
    let run = rwe(&[
        "km",
        p.to_str().unwrap(),
        "--time",
        "tme",
        "--event",
        "status",
    ]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("found no such column, expected a column named tme (did you mean time?) [COLUMN-MISSING]"), "{}", run.stderr);
    let run = rwe(&["km", "no-such-file.csv", "--time", "t", "--event", "e"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("rwe: no-such-file.csv: "),
        "{}",
        run.stderr
    );
    let run = rwe(&[
        "km",
        p.to_str().unwrap(),
        "--time",
        "time",
        "--event",
        "status",
        "--conf-type",
        "probit",
    ]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "rwe: --conf-type: found `probit`, expected plain, log, log-log, logit or arcsine\n"
    );
}

#[test]
fn output_is_byte_identical_across_runs() {
    let args = [
        "km",
        &data("veteran"),
        "--time",
        "time",
        "--event",
        "status",
        "--group",
        "celltype",
        "--format",
        "json",
    ];
    let a = rwe(&args);
    let b = rwe(&args);
    assert_eq!(a.code, 0);
    assert_eq!(a.stdout, b.stdout);
}

/// `rwe cif` on mgus2 by sex: every Aalen-Johansen row of each group and Gray's test, against R survival and cmprsk.
#[test]
fn cif_mgus2_matches_r() {
    let r = load("mgus2/competing_risks.json");
    let got = rwe_json(&[
        "cif",
        &data("mgus2"),
        "--time",
        "time",
        "--event",
        "cause",
        "--group",
        "sex",
        "--format",
        "json",
    ]);
    let mut checked = 0;
    for curve in got["curves"].as_array().unwrap().iter().skip(1) {
        let g = curve["group"].as_str().unwrap();
        let want = r["groups"][g]["table"].as_array().unwrap();
        for cause in curve["causes"].as_array().unwrap() {
            let name = r["cause_coding"][cause["cause"].as_str().unwrap()]
                .as_str()
                .unwrap();
            let rows = cause["table"].as_array().unwrap();
            assert_eq!(rows.len(), want.len(), "mgus2 {g} {name} rows");
            for (row, w) in rows.iter().zip(want) {
                let t = &w["time"];
                for (field, rfield) in [
                    ("time", "time".to_string()),
                    ("n_risk", "n_risk".to_string()),
                    ("estimate", format!("pstate_{name}")),
                    ("std_err", format!("se_{name}")),
                    ("lower", format!("lower_{name}")),
                    ("upper", format!("upper_{name}")),
                ] {
                    close(
                        &format!("mgus2 {g} {name} t={t} {field}"),
                        &row[field],
                        &w[&rfield],
                        TOL_CLOSED_FORM,
                    );
                    checked += 1;
                }
            }
        }
    }
    for (g, w) in got["tests"]["gray"]
        .as_array()
        .unwrap()
        .iter()
        .zip(r["cmprsk_cuminc"]["gray_test"].as_array().unwrap())
    {
        assert_eq!(g["cause"], w["cause"]);
        close("mgus2 gray stat", &g["stat"], &w["stat"], TOL_CLOSED_FORM);
        close("mgus2 gray p", &g["p"], &w["pv"], TOL_CLOSED_FORM);
        checked += 2;
    }
    assert!(checked > 5000, "{checked}");
}

#[test]
fn cif_rejects_negative_cause_codes() {
    let p = temp_csv("cif.csv", "t,c\n1,1\n2,-1\n3,1.5\n");
    let run = rwe(&["cif", p.to_str().unwrap(), "--time", "t", "--event", "c"]);
    assert_eq!(run.code, 1);
    let stderr = run.stderr.replace(p.to_str().unwrap(), "cif.csv");
    insta::assert_snapshot!(stderr, @r"
    cif.csv:3: column c: found -1, expected 0 (censored) or a cause code 1, 2, … [SURV-EVENT-CODE]
    cif.csv:4: column c: found 1.5, expected 0 (censored) or a cause code 1, 2, … [SURV-EVENT-CODE]
    rwe: 2 error(s) in the input; nothing was computed
    ");
}

/// `rwe prop` reproduces every interval of binom.test / prop.test in binomial.json.
#[test]
fn prop_matches_r() {
    let r = load("binomial.json");
    for case in r["results"].as_array().unwrap() {
        let (x, n) = (case["x"].to_string(), case["n"].to_string());
        for (method, key) in [
            ("exact", "clopper_pearson"),
            ("wilson", "wilson"),
            ("wilson-cc", "wilson_cc"),
        ] {
            let got = rwe_json(&["prop", &x, &n, "--method", method, "--format", "json"]);
            for field in ["lower", "upper"] {
                close(
                    &format!("prop {x}/{n} {method} {field}"),
                    &got[field],
                    &case[key][field],
                    TOL_CLOSED_FORM,
                );
            }
        }
    }
    let run = rwe(&["prop", "5", "3"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("rwe: "), "{}", run.stderr);
}

/// The remaining input rules of the statistics commands, each message pinned.
#[test]
fn empty_file_missing_event_and_missing_covariate() {
    let p = temp_csv("empty.csv", "time,status\n");
    let run = rwe(&[
        "km",
        p.to_str().unwrap(),
        "--time",
        "time",
        "--event",
        "status",
    ]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stderr.replace(p.to_str().unwrap(), "empty.csv"), @r"
    empty.csv: found no records, expected at least one record below the header [SURV-NO-RECORDS]
    rwe: 1 error(s) in the input; nothing was computed
    ");
    let p = temp_csv("noevent.csv", "time,status,age\n5,,61\n6,1,\n7,0,70\n");
    let run = rwe(&[
        "cox",
        p.to_str().unwrap(),
        "--time",
        "time",
        "--event",
        "status",
        "--covariates",
        "age",
    ]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stderr.replace(p.to_str().unwrap(), "noevent.csv"), @r"
    noevent.csv:2: column status: found an empty value, expected 0 (censored) or 1 (event) [SURV-EVENT-MISSING]
    rwe: 1 error(s) in the input; nothing was computed
    ");
    let p = temp_csv("nocov.csv", "time,status,age\n5,1,61\n6,1,\n7,0,70\n");
    let run = rwe(&[
        "cox",
        p.to_str().unwrap(),
        "--time",
        "time",
        "--event",
        "status",
        "--covariates",
        "age",
    ]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stderr.replace(p.to_str().unwrap(), "nocov.csv"), @r"
    nocov.csv:3: column age: found an empty value, expected a value (or run with --drop-missing to leave such records out, as R does) [COX-COVARIATE-MISSING]
    rwe: 1 error(s) in the input; nothing was computed
    ");
}

/// The same data as CSV and as Parquet (typed columns: float times, integer status, text groups) give the same JSON.
#[test]
fn parquet_input_matches_csv() {
    use rwe_data::{Column, ColumnData, Source, Table, read_table, write_parquet};
    let csv = data("veteran");
    let t = read_table(&Source::file(&csv), Some(&["time", "status", "celltype"])).unwrap();
    let time = t.numbers("time").unwrap();
    let status = t.numbers("status").unwrap();
    let cell = t.column("celltype").unwrap();
    let typed = Table::from_columns(
        "veteran",
        vec![
            Column {
                name: "time".into(),
                data: ColumnData::Float(time),
            },
            Column {
                name: "status".into(),
                data: ColumnData::Int(status.iter().map(|s| s.map(|x| x as i64)).collect()),
            },
            Column {
                name: "celltype".into(),
                data: ColumnData::Text(
                    (0..t.n_rows())
                        .map(|i| t.text(cell, i).map(|s| s.into_owned()))
                        .collect(),
                ),
            },
        ],
    )
    .unwrap();
    let dir = std::env::temp_dir().join(format!("rwe-cli-pq-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pq = dir.join("veteran.parquet");
    write_parquet(&pq, &typed).unwrap();
    let args = |file: &str| {
        vec![
            "km".to_string(),
            file.to_string(),
            "--time".into(),
            "time".into(),
            "--event".into(),
            "status".into(),
            "--group".into(),
            "celltype".into(),
            "--at".into(),
            "90,180".into(),
            "--format".into(),
            "json".into(),
        ]
    };
    let a: Vec<String> = args(&csv);
    let b: Vec<String> = args(pq.to_str().unwrap());
    let from_csv = rwe(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let from_parquet = rwe(&b.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(from_parquet.code, 0, "{}", from_parquet.stderr);
    assert_eq!(from_csv.stdout, from_parquet.stdout);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The typed input path gives the same output from a quoted CSV (read by the csv crate), the same file without
/// quotes (read by the parallel parser) and Parquet: veteran by treatment, stratified by cell type.
#[test]
fn km_same_output_from_quoted_csv_plain_csv_and_parquet() {
    let csv = data("veteran");
    let table = rwe_data::read_table(&rwe_data::Source::file(&csv), None).unwrap();
    let dir = std::env::temp_dir().join(format!("rwe-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let parquet = dir.join("veteran.parquet");
    rwe_data::write_parquet(&parquet, &table).unwrap();
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains('"'), "the reference CSV is quoted");
    let plain = temp_csv("veteran-plain.csv", &text.replace('"', ""));
    let run = |file: &str| {
        let r = rwe(&[
            "km", file, "--time", "time", "--event", "status", "--group", "celltype", "--strata",
            "trt", "--at", "100,200", "--format", "json",
        ]);
        assert_eq!(r.code, 0, "{file}: {}", r.stderr);
        r.stdout
    };
    let from_csv = run(&csv);
    assert!(from_csv.contains("\"group\": \"squamous\""), "{from_csv}");
    assert_eq!(
        run(plain.to_str().unwrap()),
        from_csv,
        "plain CSV vs quoted CSV"
    );
    assert_eq!(
        run(parquet.to_str().unwrap()),
        from_csv,
        "Parquet vs quoted CSV"
    );
}

/// Bad values in a Parquet file (read batch by batch) are reported at the same rows as in the CSV it came from.
#[test]
fn bad_parquet_input_is_located_like_csv() {
    let csv = temp_csv(
        "bad-pq.csv",
        "time,status,arm\n5,1,A\n-2,0,B\nabc,1,A\n7,2,\n,1,B\n",
    );
    let table = rwe_data::read_table(&rwe_data::Source::file(&csv), None).unwrap();
    let parquet = csv.with_extension("parquet");
    rwe_data::write_parquet(&parquet, &table).unwrap();
    let run = |file: &std::path::Path| {
        let r = rwe(&[
            "km",
            file.to_str().unwrap(),
            "--time",
            "time",
            "--event",
            "status",
            "--group",
            "arm",
        ]);
        assert_eq!(r.code, 1);
        r.stderr.replace(file.to_str().unwrap(), "FILE")
    };
    assert_eq!(run(&parquet), run(&csv));
}
