//! `rwe run` on the fixture cohort (tests/fixtures/cohort/report.toml, Tables 1–3 and Figures 1–2 of the
//! seed paper declared on twelve hand-made patients): formatted cells checked against hand-worked values,
//! golden files for every table (Markdown, CSV) and figure (SVG), the DOCX and XLSX files read back, the
//! ARD, determinism, no patient identifier in the outputs, and no folder when the records are invalid.

// Test helpers outside #[test] functions may unwrap too: a failure is a broken fixture.
#![allow(clippy::unwrap_used)]

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rwe_report::{ArdRow, RunError, RunOptions, RunSummary, Stage};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The fixed run time of these tests.
const RUN_TIME: &str = "2024-01-01T00:00:00Z";

/// Closed forms (a product of fractions, a few logs and exps): agreement to rounding only.
const TOL_CLOSED_FORM: f64 = 1e-12;

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/cohort")
}

/// A folder under the system's temporary directory, removed when dropped; it derefs to `path` (the
/// folder itself, or the report folder inside it).
struct Folder {
    root: PathBuf,
    path: PathBuf,
}

impl std::ops::Deref for Folder {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.path
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// A fresh folder under the system's temporary directory.
fn scratch(name: &str) -> Folder {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("rwe-report-{name}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Folder {
        root: dir.clone(),
        path: dir,
    }
}

/// A copy of the fixture cohort with `edits` applied: (file, from, to), `from` replaced once.
fn fixture_copy(edits: &[(&str, &str, &str)]) -> Folder {
    let dir = scratch("cohort");
    for entry in std::fs::read_dir(fixture_dir()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    for (file, from, to) in edits {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has no {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }
    dir
}

fn run_into(spec: &Path, out: &Path, time: &str) -> Result<RunSummary, RunError> {
    let options = RunOptions {
        out: Some(out.to_path_buf()),
        run_time: Some(time.to_string()),
    };
    rwe_report::run(spec, &options, &mut |_| {})
}

/// The fixture report, written to a fresh folder.
fn fixture_report() -> Folder {
    let mut folder = scratch("out");
    folder.path = folder.root.join("report");
    run_into(&fixture_dir().join("report.toml"), &folder, RUN_TIME).unwrap();
    folder
}

fn read(out: &Path, file: &str) -> String {
    std::fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Every row of a Markdown table with this label, as cells (label first).
fn md_rows(md: &str, label: &str) -> Vec<Vec<String>> {
    md.lines()
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| {
                    c.trim()
                        .replace("&emsp;", "")
                        .replace("**", "")
                        .replace("\\*", "*")
                })
                .collect::<Vec<String>>()
        })
        .filter(|cells| cells.first().is_some_and(|c| c == label))
        .collect()
}

/// The first row of a Markdown table with this label.
fn md_row(md: &str, label: &str) -> Vec<String> {
    md_rows(md, label)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no row {label} in\n{md}"))
}

fn ard(out: &Path) -> Vec<ArdRow> {
    let json: serde_json::Value = serde_json::from_str(&read(out, "ard/ard.json")).unwrap();
    json.as_array()
        .unwrap()
        .iter()
        .map(|r| ArdRow {
            output: r["output"].as_str().unwrap().into(),
            row: r["row"].as_str().unwrap().into(),
            label: r["label"].as_str().unwrap().into(),
            column: r["column"].as_str().unwrap().into(),
            group: r["group"].as_str().unwrap().into(),
            statistic: r["statistic"].as_str().unwrap().into(),
            value: r["value"].as_f64(),
            token: r["token"].as_str().map(str::to_string),
        })
        .collect()
}

fn ard_value(
    rows: &[ArdRow],
    output: &str,
    row: &str,
    column: &str,
    group: &str,
    stat: &str,
) -> ArdRow {
    rows.iter()
        .find(|r| {
            r.output == output
                && r.row == row
                && r.column == column
                && r.group == group
                && r.statistic == stat
        })
        .unwrap_or_else(|| panic!("no ARD row {output}/{row}/{column}/{group}/{stat}"))
        .clone()
}

fn close(found: Option<f64>, expected: f64, what: &str) {
    let x = found.unwrap_or_else(|| panic!("{what}: no value"));
    assert!(
        (x - expected).abs() <= TOL_CLOSED_FORM * expected.abs().max(1.0),
        "{what}: found {x}, expected {expected}"
    );
}

#[test]
fn the_folder_has_every_file_of_the_design() {
    let out = fixture_report();
    let mut files: Vec<String> = Vec::new();
    for sub in ["", "tables", "figures", "ard", "data"] {
        for e in std::fs::read_dir(out.join(sub)).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_file() {
                let name = e.file_name().to_string_lossy().into_owned();
                files.push(if sub.is_empty() {
                    name
                } else {
                    format!("{sub}/{name}")
                });
            }
        }
    }
    files.sort();
    let mut expected: Vec<String> = vec![
        "ard/ard.csv".into(),
        "ard/ard.json".into(),
        "provenance.json".into(),
        "report.html".into(),
        "validation.txt".into(),
    ];
    for d in ["adae", "adrs", "adsl", "adtte"] {
        expected.push(format!("data/{d}.csv"));
        expected.push(format!("data/{d}.parquet"));
    }
    for f in [
        "fig1_treatment_patterns_nd",
        "fig1_treatment_patterns_rr",
        "fig2_km_efs",
        "fig2_km_efs_cr",
    ] {
        expected.push(format!("figures/{f}.png"));
        expected.push(format!("figures/{f}.svg"));
    }
    for t in [
        "fig1_treatment_patterns_nd_paths",
        "fig1_treatment_patterns_rr_paths",
        "table1",
        "table2",
        "table3",
    ] {
        for ext in ["csv", "docx", "md", "xlsx"] {
            expected.push(format!("tables/{t}.{ext}"));
        }
    }
    expected.sort();
    assert_eq!(files, expected);
    // No temporary sibling is left next to the folder.
    let siblings: Vec<String> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(siblings, ["report"]);
}

/// Table 1 cells, worked by hand from the fixture (tests/fixtures/cohort/README.md; P11 is excluded, so
/// N = 11: ND P01 P02 P03 P06 P08 P09, R/R P04 P05 P07 P10 P12).
#[test]
fn table1_cells() {
    let out = fixture_report();
    let md = read(&out, "tables/table1.md");
    // Ages 13 21 26 32 33 43 45 52 52 54 59: median the 6th, 43. ND 13 21 33 43 45 52: (33 + 43) / 2 = 38.
    // R/R 26 32 52 54 59: 52.
    assert_eq!(
        md_row(&md, "Age, years, median (range)"),
        [
            "Age, years, median (range)",
            "43 (13, 59)",
            "38 (13, 52)",
            "52 (26, 59)"
        ]
    );
    // 6 ND of 11 = 54.545…% → 54.5%; shown only in the overall column.
    assert_eq!(md_row(&md, "Newly diagnosed")[1..], ["6 (54.5%)", "", ""]);
    // WBC of the 7 patients with one: 12.5 150 4.2 30 8.8 2.1 60, mean 267.6 / 7 = 38.2286, SD 53.2694;
    // R/R has one value (30): SD not applicable; four R/R patients have none.
    assert_eq!(
        md_row(&md, "Mean (SD)")[1..],
        ["38.2 (53.3)", "39.6 (58.2)", "30.0 (NA)"]
    );
    assert_eq!(md_row(&md, "Missing")[1..], ["4", "0", "4"]);
    // Marrow blasts at diagnosis: P03 45 % (< 50), five ≥ 50, five missing (recorded MISSING).
    assert_eq!(
        md_row(&md, "< 50% blasts")[1..],
        ["1 (9.1%)", "1 (16.7%)", "0 (0.0%)"]
    );
    // P05 has CNS leukemia.
    assert_eq!(
        md_row(&md, "Yes")[1..],
        ["1 (9.1%)", "0 (0.0%)", "1 (20.0%)"]
    );
    assert_eq!(
        md_row(&md, "≥ 3")[1..],
        ["1 (9.1%)", "0 (0.0%)", "1 (20.0%)"]
    );
    insta::assert_snapshot!("table1_md", md);
    insta::assert_snapshot!("table1_csv", read(&out, "tables/table1.csv"));
}

/// Table 2 cells, worked by hand. Days are divided by 30.4375 for months.
#[test]
fn table2_cells() {
    let out = fixture_report();
    let md = read(&out, "tables/table2.md");
    let crcri = md_row(&md, "CR/CRi rate");
    // Columns: FL induction, consolidation, unknown, all; R/R re-induction, consolidation, unknown, all; all.
    // FL induction: P01 and P02 reach CR/CRi, P03 only on day 85: 2/3, binom.test(2, 3) 0.0943, 0.9916.
    assert_eq!(crcri[1], "66.7% (2/3; 95% CI: 9.4%, 99.2%)");
    // Patients in CR at the start (CRCRI = NA) are left out: consolidation is not applicable.
    assert_eq!(crcri[2], "NA");
    // R/R re-induction: P04 and P10 of P04 P05 P10 P12; binom.test(2, 4) 0.0676, 0.9324.
    assert_eq!(crcri[5], "50.0% (2/4; 95% CI: 6.8%, 93.2%)");
    // No R/R patient has an unknown setting: N = 0.
    assert_eq!(crcri[7], "NA");
    // MRD within 2 cycles over the evaluable patients (MRDEVFL): R/R P04, P10, neither negative.
    assert_eq!(md_row(&md, "Within 2 cycles")[8], "0.0% (0/2)");
    // EFS, newly diagnosed: day 1 event (P03) of 6, S = 5/6; day 286 event (P06) with 4 at risk,
    // S = 5/6 · 3/4 = 0.625, flat to 12 months (365.25 days, followed by P01 and P02). Greenwood
    // Σ d/(n(n−d)) = 1/30 + 1/12; log-log 95% CI 0.625^exp(±1.96 · √(7/60) / |ln 0.625|) = 14.2%, 89.3%.
    let rate = md_row(&md, "1-year rate");
    assert_eq!(rate[4], "62.5% (95% CI: 14.2%, 89.3%)");
    // R/R: followed at most 213 days: the 1-year rate is not estimable (SAS convention).
    assert_eq!(rate[8], "NE (95% CI: NE, NE)");
    // R/R median: day-1 events P05 and P12 (S = 3/5), P04 at day 137 with 3 at risk (S = 2/5 < 0.5):
    // 137 / 30.4375 = 4.50 months; the lower bound is day 1 (0.03 months), the upper one not reached.
    let median = md_row(&md, "Median (months)");
    assert_eq!(median[8], "4.5 (95% CI: 0.0, NE)");
    assert_eq!(median[4], "NR (95% CI: 0.0, NE)");
    // EFS of FL induction: P03 fails at day 1, P01 and P02 are followed past a year: S = 2/3; Greenwood
    // 1/(3 · 2), log-log CI (2/3)^exp(±1.96 · √(1/6) / |ln 2/3|) = 5.4%, 94.5%.
    assert_eq!(
        md_row(&md, "1-year rate by CR status")[1],
        "66.7% (95% CI: 5.4%, 94.5%)"
    );
    // RFS of FL induction: no relapse of P01 and P02 (P03 never responded): 100%, whose log-log CI is
    // not defined: NE, NE (ci_when_survival_is_one = "not_estimable").
    assert_eq!(md_rows(&md, "1-year rate")[1][1], "100.0% (95% CI: NE, NE)");
    insta::assert_snapshot!("table2_md", md);
    insta::assert_snapshot!("table2_csv", read(&out, "tables/table2.csv"));

    // The same numbers, unrounded, in the ARD.
    let a = ard(&out);
    close(
        ard_value(&a, "table2", "CRCRI", "rr_ind", "", "estimate").value,
        0.5,
        "CR/CRi R/R re-induction",
    );
    close(
        ard_value(&a, "table2", "CRCRI", "rr_ind", "", "lower").value,
        0.067_585_986_488_542_94,
        "CR/CRi R/R re-induction lower (scipy beta.ppf(0.025, 2, 3))",
    );
    let s = 0.625_f64;
    let se = (1.0 / 30.0 + 1.0 / 12.0_f64).sqrt() / s.ln().abs();
    let z = 1.959_963_984_540_054;
    close(
        ard_value(&a, "table2", "EFS_rate12", "fl_all", "", "surv").value,
        s,
        "EFS 1-year ND",
    );
    close(
        ard_value(&a, "table2", "EFS_rate12", "fl_all", "", "lower").value,
        s.powf((z * se).exp()),
        "EFS 1-year ND lower",
    );
    close(
        ard_value(&a, "table2", "EFS_rate12", "fl_all", "", "upper").value,
        s.powf((-z * se).exp()),
        "EFS 1-year ND upper",
    );
    let ne = ard_value(&a, "table2", "EFS_rate12", "rr_all", "", "surv");
    assert_eq!((ne.value, ne.token.as_deref()), (None, Some("NE")));
    close(
        ard_value(&a, "table2", "EFS_median", "rr_all", "", "median").value,
        137.0 / 30.4375,
        "EFS median R/R",
    );
}

/// Table 3: P04 fever grade 1 (other) and P09 CRS grade 2 are treatment-emergent; P09's grade 3 pneumonia
/// starts the day after the last infusion and is not.
#[test]
fn table3_cells() {
    let out = fixture_report();
    let md = read(&out, "tables/table3.md");
    assert_eq!(
        md_row(&md, "AEs, n (%)")[1..],
        ["2 (18.2%)", "2 (18.2%)", "0 (0.0%)"]
    );
    assert_eq!(
        md_row(&md, "CRS")[1..],
        ["1 (9.1%)", "1 (9.1%)", "0 (0.0%)"]
    );
    assert_eq!(
        md_row(&md, "Infection")[1..],
        ["0 (0.0%)", "0 (0.0%)", "0 (0.0%)"]
    );
    insta::assert_snapshot!("table3_md", md);
    insta::assert_snapshot!("table3_csv", read(&out, "tables/table3.csv"));
}

#[test]
fn figures_are_golden_and_their_numbers_are_in_the_ard() {
    let out = fixture_report();
    for f in [
        "fig1_treatment_patterns_nd",
        "fig1_treatment_patterns_rr",
        "fig2_km_efs",
        "fig2_km_efs_cr",
    ] {
        let svg = read(&out, &format!("figures/{f}.svg"));
        insta::assert_snapshot!(format!("{f}_svg"), svg);
        let png = std::fs::read(out.join(format!("figures/{f}.png"))).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{f}.png");
    }
    for t in [
        "fig1_treatment_patterns_nd_paths",
        "fig1_treatment_patterns_rr_paths",
    ] {
        insta::assert_snapshot!(format!("{t}_md"), read(&out, &format!("tables/{t}.md")));
    }
    let km = read(&out, "figures/fig2_km_efs.svg");
    // The R/R median (137 days) and the ND landmark rate are drawn.
    assert!(km.contains("Median 4.5 months"), "{km}");
    assert!(km.contains("62.5%"));
    let a = ard(&out);
    // Risk table of the ND curve at 12 months: P01 (508 d), P02 (380 d) are at risk at 365.25 days; two
    // events (P03, P06) before.
    let n = ard_value(
        &a,
        "fig2_km_efs",
        "curve",
        "Newly diagnosed",
        "risk table 12",
        "n_risk",
    );
    assert_eq!(n.value, Some(2.0));
    let e = ard_value(
        &a,
        "fig2_km_efs",
        "curve",
        "Newly diagnosed",
        "risk table 12",
        "cumulative_events",
    );
    assert_eq!(e.value, Some(2.0));
    // Sankey: the R/R node "1 cycle" holds all five.
    let node = ard_value(&a, "fig1_treatment_patterns_rr", "node", "Cycles", "", "n");
    assert_eq!(node.label, "1 cycle");
    assert_eq!(node.value, Some(5.0));
}

#[test]
fn docx_and_xlsx_read_back_with_their_cells() {
    let out = fixture_report();
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(out.join("tables/table2.xlsx")).unwrap();
    let sheet = calamine::Reader::worksheet_range(&mut book, "table2").unwrap();
    let text = |r: usize, c: usize| {
        sheet
            .get((r, c))
            .map(ToString::to_string)
            .unwrap_or_default()
    };
    let rows: Vec<usize> = (0..sheet.height()).collect();
    let crcri = rows
        .iter()
        .copied()
        .find(|&r| text(r, 0).contains("CR/CRi rate"))
        .unwrap();
    assert_eq!(text(crcri, 5), "50.0% (2/4; 95% CI: 6.8%, 93.2%)");
    // Counts stay numbers.
    let n = rows
        .iter()
        .copied()
        .find(|&r| text(r, 0).contains("Number of patients"))
        .unwrap();
    assert_eq!(sheet.get((n, 5)), Some(&calamine::Data::Float(4.0)));

    let file = std::fs::File::open(out.join("tables/table2.docx")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains("50.0% (2/4; 95% CI: 6.8%, 93.2%)"));
    // A header row repeated on each page, rows not split, landscape for ten columns.
    assert!(xml.contains("<w:tblHeader/>"));
    assert!(xml.contains("<w:cantSplit/>"));
    assert!(xml.contains("w:orient=\"landscape\""));
}

#[test]
fn report_html_is_self_contained_with_methods_validation_and_provenance() {
    let out = fixture_report();
    let html = read(&out, "report.html");
    assert_eq!(html.matches("<svg").count(), 4, "four figures inline");
    assert!(!html.contains("<script"));
    assert!(!html.contains("src=\"http"));
    assert!(html.contains("log-log (complementary log-log) transformation"));
    assert!(html.contains("Brookmeyer-Crowley 95% CIs"));
    assert!(html.contains("exact Clopper-Pearson 95% CIs"));
    // Validation by rule, counts only.
    assert!(html.contains("0 error(s), 3 warning(s), 1 exclusion(s); 11 patient(s)"));
    assert!(html.contains("EX-OUTSIDE-ENROLMENT"));
    // Provenance with the spec's and inputs' digests, named as the spec names them.
    let spec_hash =
        rwe_report::sha256_hex(&std::fs::read(fixture_dir().join("report.toml")).unwrap());
    assert!(html.contains(&spec_hash));
    assert!(html.contains("patients: patients.csv"));
    assert!(!html.contains(&fixture_dir().display().to_string()));
    let prov: serde_json::Value = serde_json::from_str(&read(&out, "provenance.json")).unwrap();
    assert_eq!(prov["spec"]["sha256"], spec_hash.as_str());
    assert_eq!(prov["spec"]["file"], "report.toml");
    assert_eq!(prov["run_time"], RUN_TIME);
    assert_eq!(prov["conventions"]["ci_transform"], "log-log");
    assert_eq!(prov["inputs"].as_array().unwrap().len(), 9);
    let patients = prov["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["table"] == "patients")
        .unwrap();
    let digest =
        rwe_report::sha256_hex(&std::fs::read(fixture_dir().join("patients.csv")).unwrap());
    assert_eq!(patients["sha256"], digest.as_str());
}

/// Every fixture subject id, read from the patients file.
fn subject_ids() -> Vec<String> {
    read(&fixture_dir(), "patients.csv")
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(1).map(str::to_string))
        .collect()
}

/// The text of a file: zip members (DOCX, XLSX) unpacked.
fn texts(path: &Path) -> Vec<(String, String)> {
    let bytes = std::fs::read(path).unwrap();
    if bytes.starts_with(b"PK") {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        (0..zip.len())
            .map(|i| {
                let mut member = zip.by_index(i).unwrap();
                let mut text = String::new();
                let _ = member.read_to_string(&mut text);
                let name = member.name().map(|n| n.into_owned()).unwrap_or_default();
                (format!("{}:{name}", path.display()), text)
            })
            .collect()
    } else {
        vec![(
            path.display().to_string(),
            String::from_utf8_lossy(&bytes).into_owned(),
        )]
    }
}

#[test]
fn no_patient_identifier_in_the_report_tables_or_figures() {
    let out = fixture_report();
    let ids = subject_ids();
    assert_eq!(ids.len(), 12);
    let mut files = vec![out.join("report.html")];
    for sub in ["tables", "figures"] {
        for e in std::fs::read_dir(out.join(sub)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x != "png") {
                files.push(p);
            }
        }
    }
    assert!(files.len() > 20);
    for f in &files {
        for (name, text) in texts(f) {
            for id in &ids {
                assert!(!text.contains(id.as_str()), "{id} in {name}");
            }
        }
    }
    // The datasets do carry them (they are the analysis data, not the report).
    assert!(read(&out, "data/adsl.csv").contains("P01"));
}

#[test]
fn two_runs_give_identical_bytes_apart_from_the_run_time() {
    let a = fixture_report();
    let b = fixture_report();
    let c_root = scratch("out");
    let c = c_root.join("report");
    run_into(
        &fixture_dir().join("report.toml"),
        &c,
        "2025-06-30T08:00:00Z",
    )
    .unwrap();
    let mut compared = 0;
    for sub in ["", "tables", "figures", "ard", "data"] {
        for e in std::fs::read_dir(a.join(sub)).unwrap() {
            let e = e.unwrap();
            if !e.file_type().unwrap().is_file() {
                continue;
            }
            let rel = Path::new(sub).join(e.file_name());
            let bytes = std::fs::read(a.join(&rel)).unwrap();
            assert!(
                bytes == std::fs::read(b.join(&rel)).unwrap(),
                "{} differs",
                rel.display()
            );
            let other = std::fs::read(c.join(&rel)).unwrap();
            if rel == Path::new("provenance.json") {
                assert_ne!(bytes, other);
                let text = String::from_utf8(other).unwrap();
                assert!(text.contains("\"run_time\": \"2025-06-30T08:00:00Z\""));
                assert_eq!(
                    String::from_utf8(bytes).unwrap(),
                    text.replace("2025-06-30T08:00:00Z", RUN_TIME)
                );
            } else {
                assert!(
                    bytes == other,
                    "{} differs with another run time",
                    rel.display()
                );
            }
            compared += 1;
        }
    }
    assert_eq!(compared, 41);
}

#[test]
fn invalid_records_stop_the_run_with_no_folder() {
    // An infusion ending before it starts is an error (EX-END-BEFORE-START).
    let dir = fixture_copy(&[(
        "exposures.csv",
        "2022-10-20,2022-11-10",
        "2022-10-20,2022-10-10",
    )]);
    let out = dir.join("out");
    let mut stages = Vec::new();
    let err = rwe_report::run(
        &dir.join("report.toml"),
        &RunOptions {
            out: Some(out.clone()),
            run_time: Some(RUN_TIME.into()),
        },
        &mut |s| stages.push(s),
    )
    .unwrap_err();
    assert_eq!(err.exit_code(), 1);
    let RunError::Invalid(d) = &err else {
        panic!("{err}")
    };
    assert!(d.as_slice().iter().any(|x| x.rule == "EX-END-BEFORE-START"));
    assert_eq!(stages, [Stage::Validate]);
    assert!(!out.exists());
    // Nothing else was written next to the spec either.
    let mut names: Vec<String> = std::fs::read_dir(&*dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        names
            .iter()
            .all(|n| n.ends_with(".csv") || n.ends_with(".toml") || n == "README.md"),
        "{names:?}"
    );
}

#[test]
fn a_wrong_declaration_is_a_located_spec_error() {
    let dir = fixture_copy(&[("report.toml", "paramcd = \"DOR\"", "paramcd = \"DFS\"")]);
    let out = dir.join("out");
    let err = run_into(&dir.join("report.toml"), &out, RUN_TIME).unwrap_err();
    assert_eq!(err.exit_code(), 2);
    let message = err.to_string();
    assert!(
        message.ends_with("found PARAMCD `DFS`, expected one of EFS, EFSCEN, OS, RFS, DOR (did you mean EFS?) [SPEC-INVALID-VALUE]"),
        "{message}"
    );
    assert!(!out.exists());
}

#[test]
fn an_earlier_report_is_replaced_and_other_folders_are_refused() {
    let out = fixture_report();
    std::fs::write(out.join("stale.txt"), "from an earlier run").unwrap();
    run_into(&fixture_dir().join("report.toml"), &out, RUN_TIME).unwrap();
    assert!(!out.join("stale.txt").exists());
    assert!(out.join("report.html").exists());
    let other = scratch("other");
    std::fs::write(other.join("thesis.docx"), "precious").unwrap();
    let err = run_into(&fixture_dir().join("report.toml"), &other, RUN_TIME).unwrap_err();
    assert!(matches!(err, RunError::OutputNotReport { .. }), "{err}");
    assert_eq!(
        std::fs::read_to_string(other.join("thesis.docx")).unwrap(),
        "precious"
    );
}

/// With `small_cell_min = 3`, counts of 1 and 2 are hidden in every output, with partners hidden so that
/// none can be derived from the totals, and the ARD hides the same cells.
#[test]
fn small_cells_are_hidden_everywhere_consistently() {
    let dir = fixture_copy(&[(
        "report.toml",
        "rounding = \"half_up\"",
        "rounding = \"half_up\"\nsmall_cell_min = 3",
    )]);
    let out = dir.join("out");
    run_into(&dir.join("report.toml"), &out, RUN_TIME).unwrap();
    let md = read(&out, "tables/table1.md");
    // Sex: ND 3 M / 3 F, R/R 2 M / 3 F. R/R male (2) is below 3; its column and row partners go with it.
    let male = md_row(&md, "Male");
    let female = md_row(&md, "Female");
    assert_eq!(male[3], "<3");
    let hidden = |row: &[String]| row[1..].iter().filter(|c| *c == "<3" || *c == "*").count();
    assert!(hidden(&male) >= 2, "{male:?}");
    assert!(female[3] == "*" || female[3] == "<3", "{female:?}");
    assert!(md.contains("<3: fewer than 3 patients, value hidden"));
    let a = ard(&out);
    let cell = ard_value(&a, "table1", "SEX", "rr", "Male", "n");
    assert_eq!((cell.value, cell.token.as_deref()), (None, Some("<3")));
    // Every masked cell of the table is masked in the ARD, and vice versa.
    for (label, group) in [("Male", "Male"), ("Female", "Female")] {
        let row = md_row(&md, label);
        for (i, column) in ["all", "nd", "rr"].iter().enumerate() {
            let masked_table = row[i + 1] == "<3" || row[i + 1] == "*";
            let masked_ard = ard_value(&a, "table1", "SEX", column, group, "n")
                .token
                .is_some();
            assert_eq!(masked_table, masked_ard, "{label} {column}");
        }
    }
    // Sankey counts and the path table.
    let svg = read(&out, "figures/fig1_treatment_patterns_rr.svg");
    assert!(svg.contains("&lt;3"), "{svg}");
    let paths = read(&out, "tables/fig1_treatment_patterns_rr_paths.md");
    assert!(paths.contains("<3") || paths.contains("&lt;3"), "{paths}");
    // Risk table numbers.
    let km = read(&out, "figures/fig2_km_efs.svg");
    assert!(km.contains("&lt;3"));
}

/// Groups nobody belongs to still give a report: empty columns print `NA`, an empty KM figure has no
/// curve, an empty Sankey panel is left out.
#[test]
fn empty_groups_do_not_stop_the_report() {
    let dir = fixture_copy(&[(
        "report.toml",
        "# Figure 2: EFS by population",
        "[[figures]]\nkind = \"km\"\nid = \"fig_nobody\"\nparamcd = \"OS\"\nwhere = { POPGR1 = \"NOBODY\" }\n\n\
         [[figures]]\nkind = \"sankey\"\nid = \"fig_sankey_nobody\"\n\
         panels = { variable = \"POPGR1\", levels = [{ value = \"ND\" }, { value = \"NOBODY\" }] }\n\
         stages = [{ variable = \"POPGR1\", label = \"Population\" }, { variable = \"CYCGR1\", label = \"Cycles\" }]\n\n\
         # Figure 2: EFS by population",
    )]);
    let out = dir.join("out");
    run_into(&dir.join("report.toml"), &out, RUN_TIME).unwrap();
    assert!(out.join("figures/fig_nobody.svg").exists());
    assert!(out.join("figures/fig_sankey_nobody_nd.svg").exists());
    assert!(!out.join("figures/fig_sankey_nobody_nobody.svg").exists());
    // The R/R unknown-setting column of Table 2 has no patient.
    let md = read(&out, "tables/table2.md");
    assert_eq!(md_row(&md, "Number of patients")[7], "0");
    assert_eq!(md_row(&md, "CR/CRi rate")[7], "NA");
}

/// The conventions change what is computed and printed, in every cell.
#[test]
fn conventions_reach_every_cell() {
    let table2 = |conventions: &str| {
        let dir = fixture_copy(&[(
            "report.toml",
            "statistics = \"sas\"\nconf_level = 0.95\nrounding = \"half_up\"",
            conventions,
        )]);
        let out = dir.join("out");
        run_into(&dir.join("report.toml"), &out, RUN_TIME).unwrap();
        read(&out, "tables/table2.md")
    };
    // The paper's tokens (I-16, I-17): a rate past the follow-up prints NR, a rate of 1 a degenerate CI.
    let md = table2("rate_not_estimable = \"NR\"\nci_when_survival_is_one = \"degenerate\"");
    assert_eq!(md_row(&md, "1-year rate")[8], "NR (95% CI: NE, NE)");
    assert_eq!(
        md_rows(&md, "1-year rate")[1][1],
        "100.0% (95% CI: 100.0%, 100.0%)"
    );
    assert!(md.contains("NE, not estimable; NR, not reached."));
    // R: the R/R estimate at 213 days (S = 2/5) is carried to a year, with a log CI:
    // Greenwood 2/(5 · 3) + 1/(3 · 2) = 0.3; 0.4 · exp(∓1.96 · √0.3) = 13.7%, 117% clipped to 100%.
    let md = table2("statistics = \"r\"");
    assert_eq!(
        md_row(&md, "1-year rate")[8],
        "40.0% (95% CI: 13.7%, 100.0%)"
    );
    assert!(md.contains("with the log transformation"));
    // Truncation: the CR/CRi rate of 2/3 prints 66.6%.
    let md = table2("rounding = \"truncate\"");
    assert_eq!(
        md_row(&md, "CR/CRi rate")[1],
        "66.6% (2/3; 95% CI: 9.4%, 99.1%)"
    );
}
