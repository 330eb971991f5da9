//! Renders every output of the crate for the test fixtures into a folder, to look at them:
//! `cargo run -p rwe-render --example gallery -- OUT_DIR`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::PathBuf;

use rwe_render::{Block, DocxOptions, Formatter, PngOptions, Report, Section, svg_to_png};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(std::env::args().nth(1).ok_or("usage: gallery OUT_DIR")?);
    std::fs::create_dir_all(&out)?;
    let f = Formatter::default();
    let table = common::baseline_table();
    std::fs::write(out.join("table1.md"), table.to_markdown()?)?;
    std::fs::write(out.join("table1.csv"), table.to_csv()?)?;
    std::fs::write(out.join("table1.xlsx"), table.to_xlsx()?)?;
    let options = DocxOptions {
        landscape: true,
        ..DocxOptions::default()
    };
    std::fs::write(out.join("table1.docx"), table.to_docx(&options)?)?;
    let km = common::km_figure().to_svg(&f)?;
    let sankey_fig = common::sankey_figure();
    let sankey = sankey_fig.to_svg()?;
    let png = PngOptions { scale: 2.0 };
    std::fs::write(out.join("fig2_km_efs.svg"), &km)?;
    std::fs::write(out.join("fig2_km_efs.png"), svg_to_png(&km, &png)?)?;
    std::fs::write(out.join("fig1_treatment_patterns.svg"), &sankey)?;
    std::fs::write(
        out.join("fig1_treatment_patterns.png"),
        svg_to_png(&sankey, &png)?,
    )?;
    let paths =
        sankey_fig.path_table("fig1_paths", "Treatment paths, newly diagnosed", &f, None)?;
    let report = Report {
        title: "Blinatumomab real-world study".into(),
        subtitle: Some("Example report rendered from fixtures".into()),
        sections: vec![
            Section {
                id: "table1".into(),
                heading: "Baseline characteristics".into(),
                blocks: vec![Block::Table(table)],
            },
            Section {
                id: "fig1".into(),
                heading: "Treatment patterns".into(),
                blocks: vec![
                    Block::Figure {
                        id: "fig1-figure".into(),
                        svg: sankey,
                        caption: "Figure 1. Treatment patterns.".into(),
                    },
                    Block::Table(paths),
                ],
            },
            Section {
                id: "fig2".into(),
                heading: "Event-free survival".into(),
                blocks: vec![Block::Figure {
                    id: "fig2-figure".into(),
                    svg: km,
                    caption: "Figure 2. Kaplan-Meier estimates of event-free survival.".into(),
                }],
            },
            Section {
                id: "provenance".into(),
                heading: "Provenance".into(),
                blocks: vec![Block::KeyValue(vec![(
                    "rwe version".into(),
                    "0.1.0".into(),
                )])],
            },
        ],
    };
    std::fs::write(out.join("report.html"), report.to_html()?)?;
    println!("{}", out.display());
    Ok(())
}
