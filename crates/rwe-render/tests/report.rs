//! The report page: golden HTML, self-contained (no scripts, no external resources), well-formed, escaped.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use rwe_render::{Block, Formatter, Report, Section};

fn report() -> Report {
    let f = Formatter::default();
    Report {
        title: "Blinatumomab in adult ALL: real-world evidence".into(),
        subtitle: Some("Data cut-off 2023-06-30 <draft>".into()),
        sections: vec![
            Section {
                id: "table1".into(),
                heading: "Table 1 & baseline".into(),
                blocks: vec![
                    Block::Paragraph(
                        "Patients with <script>alert(1)</script> in a label stay text.".into(),
                    ),
                    Block::Table(common::baseline_table()),
                ],
            },
            Section {
                id: "fig2".into(),
                heading: "Event-free survival".into(),
                blocks: vec![Block::Figure {
                    id: "fig2-km".into(),
                    svg: common::km_figure().to_svg(&f).unwrap(),
                    caption: "Figure 2. Kaplan-Meier estimate of EFS.".into(),
                }],
            },
            Section {
                id: "provenance".into(),
                heading: "Provenance".into(),
                blocks: vec![
                    Block::KeyValue(vec![
                        ("Spec hash".into(), "sha256:0f3a".into()),
                        ("Conventions".into(), "sas".into()),
                    ]),
                    Block::Preformatted(
                        "exposures.csv:18: column EXENDT: found 2022-01-03 [EX-END-BEFORE-START]"
                            .into(),
                    ),
                ],
            },
        ],
    }
}

#[test]
fn report_golden() {
    insta::assert_snapshot!("report_html", report().to_html().unwrap());
}

#[test]
fn report_is_self_contained_and_well_formed() {
    let html = report().to_html().unwrap();
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(&html, options).unwrap();
    assert!(!html.to_lowercase().contains("<script"), "no scripts");
    for node in doc.descendants() {
        for attr in node.attributes() {
            let external = matches!(attr.name(), "href" | "src") && !attr.value().starts_with('#');
            assert!(
                !external,
                "external reference {}={}",
                attr.name(),
                attr.value()
            );
        }
        assert!(
            !node.has_tag_name("link") && !node.has_tag_name("img") && !node.has_tag_name("script")
        );
    }
    // The table of contents points at every section.
    let links: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("a"))
        .filter_map(|n| n.attribute("href"))
        .collect();
    let sections: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("section"))
        .map(|n| format!("#{}", n.attribute("id").unwrap()))
        .collect();
    assert_eq!(
        links,
        sections.iter().map(String::as_str).collect::<Vec<_>>()
    );
    // Caller text is escaped, not interpreted.
    let paragraph = doc
        .descendants()
        .find(|n| n.has_tag_name("p") && n.text().is_some_and(|t| t.contains("alert")))
        .unwrap();
    assert_eq!(
        paragraph.text(),
        Some("Patients with <script>alert(1)</script> in a label stay text.")
    );
    assert!(html.contains("Table 1 &amp; baseline"));
    // Print rules: sections start on a new page, header rows repeat, rows are not split.
    assert!(html.contains("section { break-before: page;"));
    assert!(html.contains("thead { display: table-header-group; }"));
    assert!(html.contains("tr, figure, pre, dl.kv { break-inside: avoid; }"));
}
