//! `report.html` opened in a real browser: headless Chromium renders each figure of the fixture report
//! (scrolled to it inside the page) to PNG, and every colour the figure's SVG draws with must be on screen,
//! with no error logged by the page.
//!
//! The test needs Chromium (`chromium`, `chromium-browser` or `google-chrome` on the PATH, or the path in
//! `RWE_CHROMIUM`). Without one it passes with a note, so that a plain `cargo test` passes on any machine;
//! `.ci/run` installs Debian's chromium and sets `RWE_REQUIRE_CHROMIUM=1`, which makes a missing browser
//! a failure.

// Test helpers outside #[test] functions may unwrap too: a failure is a broken setup.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use resvg::tiny_skia::Pixmap;

/// Largest per-channel difference between an SVG colour and an on-screen pixel that still counts as that
/// colour (sub-pixel placement and colour management shift edge pixels; the insides of lines and nodes
/// keep the colour).
const COLOUR_TOLERANCE: u8 = 6;
/// A colour is "saturated" (drawn by a curve, node or ribbon rather than text or axes, which are grey)
/// when its channels spread by more than this.
const SATURATED: u8 = 40;

fn chromium() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("RWE_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rwe-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The saturated colours an SVG draws with (`stroke="#RRGGBB"`, `fill="#RRGGBB"`).
fn svg_colours(svg: &str) -> Vec<[u8; 3]> {
    let mut out: Vec<[u8; 3]> = Vec::new();
    for attr in ["stroke=\"#", "fill=\"#"] {
        for (i, _) in svg.match_indices(attr) {
            let hex = &svg[i + attr.len()..i + attr.len() + 6];
            let byte = |k: usize| u8::from_str_radix(&hex[k..k + 2], 16).unwrap();
            let c = [byte(0), byte(2), byte(4)];
            let spread = c.iter().max().unwrap() - c.iter().min().unwrap();
            if spread > SATURATED && !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out
}

/// Renders `page` in a `width` × `height` window; returns the screenshot and what the browser logged.
fn screenshot(browser: &Path, page: &Path, png: &Path) -> (Pixmap, String) {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1000,900",
        ])
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pixmap = Pixmap::decode_png(&std::fs::read(png).unwrap()).unwrap();
    (pixmap, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn every_figure_draws_in_a_browser() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("RWE_REQUIRE_CHROMIUM").is_none(),
            "RWE_REQUIRE_CHROMIUM is set but no Chromium was found"
        );
        eprintln!("note: no Chromium on this machine; the browser test did not run");
        return;
    };
    let dir = scratch();
    let out = dir.join("report");
    let spec =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/cohort/report.toml");
    rwe_report::run(
        &spec,
        &rwe_report::RunOptions {
            out: Some(out.clone()),
            run_time: Some("2024-01-01T00:00:00Z".into()),
        },
        &mut |_| {},
    )
    .unwrap();
    let figures = [
        "fig1_treatment_patterns_nd",
        "fig1_treatment_patterns_rr",
        "fig2_km_efs",
        "fig2_km_efs_cr",
    ];
    for id in figures {
        // The report itself, in a frame scrolled to the figure's anchor.
        let page = dir.join(format!("{id}.html"));
        std::fs::write(
            &page,
            format!(
                "<!DOCTYPE html><html><body style=\"margin:0\"><iframe src=\"report/report.html#{id}-figure\" \
                 style=\"border:0;width:1000px;height:900px\"></iframe></body></html>"
            ),
        )
        .unwrap();
        let (shot, log) = screenshot(&browser, &page, &dir.join(format!("{id}.png")));
        for bad in [
            "Uncaught",
            "Failed to load",
            "ERROR:CONSOLE",
            "Not allowed to load",
        ] {
            assert!(!log.contains(bad), "{id}: the page logged {bad}:\n{log}");
        }
        let pixels: Vec<[u8; 3]> = shot
            .pixels()
            .iter()
            .map(|p| {
                let c = p.demultiply();
                [c.red(), c.green(), c.blue()]
            })
            .collect();
        let non_white = pixels.iter().filter(|p| **p != [255, 255, 255]).count();
        assert!(non_white > 10_000, "{id}: only {non_white} drawn pixels");
        let svg = std::fs::read_to_string(out.join(format!("figures/{id}.svg"))).unwrap();
        let colours = svg_colours(&svg);
        assert!(!colours.is_empty(), "{id}: no colour in the SVG");
        for c in colours {
            let near = |p: &[u8; 3]| (0..3).all(|k| p[k].abs_diff(c[k]) <= COLOUR_TOLERANCE);
            let n = pixels.iter().filter(|p| near(p)).count();
            assert!(
                n >= 20,
                "{id}: colour #{:02X}{:02X}{:02X} of the SVG has {n} pixels on screen",
                c[0],
                c[1],
                c[2]
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
