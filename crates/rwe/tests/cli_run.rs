//! `rwe run` as a user runs it: exit status, what it prints, the folder it writes (the folder's content is
//! tested in crates/rwe-report/tests/report.rs).

#![allow(clippy::unwrap_used)] // test helpers: a failure should stop the test loudly

use std::path::{Path, PathBuf};
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn rwe(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rwe"));
    cmd.args(args).env_remove("RWE_FIXED_TIME");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/cohort")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rwe-cli-run-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn run_writes_the_report_and_says_where() {
    let out = scratch("ok").join("report");
    let spec = fixture().join("report.toml");
    let r = rwe(
        &[
            "run",
            spec.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--fixed-time",
            "2024-01-01T00:00:00Z",
        ],
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        format!(
            "11 patient(s) in the study population; 3 warning(s), 1 exclusion(s) (validation.txt)\nreport: {}\n",
            out.join("report.html").display()
        )
    );
    // Not a terminal: no progress bar.
    assert_eq!(r.stderr, "");
    let prov = std::fs::read_to_string(out.join("provenance.json")).unwrap();
    assert!(prov.contains("\"run_time\": \"2024-01-01T00:00:00Z\""));

    // The environment variable fixes the time too.
    let r = rwe(
        &[
            "run",
            spec.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[("RWE_FIXED_TIME", "2030-12-31T23:59:59Z")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let prov = std::fs::read_to_string(out.join("provenance.json")).unwrap();
    assert!(prov.contains("\"run_time\": \"2030-12-31T23:59:59Z\""));
    let _ = std::fs::remove_dir_all(out.parent().unwrap());
}

#[test]
fn invalid_records_exit_1_with_every_diagnostic_and_no_folder() {
    let dir = scratch("invalid");
    for e in std::fs::read_dir(fixture()).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
    let ex = dir.join("exposures.csv");
    let text = std::fs::read_to_string(&ex).unwrap();
    std::fs::write(
        &ex,
        text.replacen("2022-10-20,2022-11-10", "2022-10-20,2022-10-10", 1),
    )
    .unwrap();
    let out = dir.join("report");
    let r = rwe(
        &[
            "run",
            dir.join("report.toml").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "");
    assert!(r.stderr.contains("[EX-END-BEFORE-START]"), "{}", r.stderr);
    assert!(
        r.stderr
            .ends_with("rwe: 1 error(s) in the records; nothing was written\n"),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn usage_errors_exit_2() {
    let spec = fixture().join("report.toml");
    let r = rwe(
        &["run", spec.to_str().unwrap(), "--fixed-time", "yesterday"],
        &[],
    );
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "rwe: fixed time yesterday: expected a UTC time like 2024-01-31T12:00:00Z\n"
    );
    let r = rwe(&["run", "no/such/study.toml"], &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.starts_with("rwe: no/such/study.toml: "),
        "{}",
        r.stderr
    );
    let help = rwe(&["run", "--help"], &[]);
    assert!(
        help.stdout
            .contains("[default: a folder named `report` next to STUDY.toml]"),
        "{}",
        help.stdout
    );
}
