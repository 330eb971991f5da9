//! Table backends: golden Markdown and CSV, a DOCX that is a well-formed package with repeated header rows
//! and unsplittable rows, an XLSX whose numbers read back as numbers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};
use rwe_render::{DocxOptions, HeaderCell, Paper, RenderError, Table};

#[test]
fn markdown_golden() {
    insta::assert_snapshot!(
        "table1_markdown",
        common::baseline_table().to_markdown().unwrap()
    );
}

#[test]
fn csv_golden() {
    insta::assert_snapshot!("table1_csv", common::baseline_table().to_csv().unwrap());
}

#[test]
fn html_fragment_golden() {
    insta::assert_snapshot!("table1_html", common::baseline_table().to_html().unwrap());
}

#[test]
fn csv_reads_back_with_the_same_cells() {
    let table = common::baseline_table();
    let text = table.to_csv().unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), table.header.len() + table.rows.len());
    // Row "CR/CRi rate": the comma inside the CI survives quoting.
    let cr = &records[table.header.len() + 8];
    assert_eq!(&cr[0], "CR/CRi rate, % (95% CI)");
    assert_eq!(&cr[1], "90.8% (95% CI: 67.0%, 97.0%)");
    // Indented label keeps two spaces per level.
    assert_eq!(&records[table.header.len() + 2][0], "  Median (range)");
}

fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut text = String::new();
            file.read_to_string(&mut text).unwrap();
            (file.name().unwrap().into_owned(), text)
        })
        .collect()
}

#[test]
fn docx_is_a_well_formed_package_with_header_rows_repeated() {
    let table = common::baseline_table();
    let options = DocxOptions {
        landscape: true,
        ..DocxOptions::default()
    };
    let bytes = table.to_docx(&options).unwrap();
    let parts = unzip(&bytes);
    let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "[Content_Types].xml",
            "_rels/.rels",
            "docProps/core.xml",
            "word/_rels/document.xml.rels",
            "word/styles.xml",
            "word/document.xml",
            "word/footer1.xml",
            "word/settings.xml",
        ]
    );
    for (name, xml) in &parts {
        roxmltree::Document::parse(xml)
            .unwrap_or_else(|e| panic!("{name} is not well-formed XML: {e}"));
    }
    let part = |n: &str| &parts.iter().find(|(name, _)| name == n).unwrap().1;
    // Every part is declared in [Content_Types].xml and every relationship target exists.
    let types = roxmltree::Document::parse(part("[Content_Types].xml")).unwrap();
    for (name, _) in &parts {
        let declared = name.ends_with(".rels")
            || name == "[Content_Types].xml"
            || types
                .descendants()
                .any(|n| n.attribute("PartName") == Some(&format!("/{name}")));
        assert!(declared, "{name} has no content type");
    }
    let rels = roxmltree::Document::parse(part("word/_rels/document.xml.rels")).unwrap();
    for target in rels.descendants().filter_map(|n| n.attribute("Target")) {
        assert!(
            names.contains(&format!("word/{target}").as_str()),
            "missing {target}"
        );
    }

    let doc = roxmltree::Document::parse(part("word/document.xml")).unwrap();
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let count = |tag: &str| {
        doc.descendants()
            .filter(|n| n.has_tag_name((w, tag)))
            .count()
    };
    assert_eq!(count("tbl"), 1);
    assert_eq!(count("tr"), table.header.len() + table.rows.len());
    assert_eq!(
        count("tblHeader"),
        table.header.len(),
        "one w:tblHeader per header row"
    );
    assert_eq!(
        count("cantSplit"),
        table.header.len() + table.rows.len(),
        "w:cantSplit on every row"
    );
    // The header rows are the first rows (Word repeats only a leading run of tblHeader rows).
    let rows: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((w, "tr")))
        .collect();
    for (i, row) in rows.iter().enumerate() {
        let is_header = row.descendants().any(|n| n.has_tag_name((w, "tblHeader")));
        assert_eq!(is_header, i < table.header.len(), "row {i}");
    }
    // The "Population" spanner covers two grid columns.
    let spans: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((w, "gridSpan")))
        .filter_map(|n| n.attribute((w, "val")))
        .collect();
    assert_eq!(spans, vec!["2"]);
    let page = doc
        .descendants()
        .find(|n| n.has_tag_name((w, "pgSz")))
        .unwrap();
    assert_eq!(page.attribute((w, "orient")), Some("landscape"));
    assert_eq!(page.attribute((w, "w")), Some("16838"));
    // The grid fills the text width: 16838 − 2 × 1134 twips.
    let grid: u32 = doc
        .descendants()
        .filter(|n| n.has_tag_name((w, "gridCol")))
        .map(|n| n.attribute((w, "w")).unwrap().parse::<u32>().unwrap())
        .sum();
    assert_eq!(grid, 16838 - 2 * 1134);
    // Cell texts are the formatter's, suppression masks included.
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((w, "t")))
        .filter_map(|n| n.text())
        .collect();
    assert!(texts.contains(&"NR (95% CI: 9.4, NE)"));
    assert!(texts.contains(&"<5"));

    let footer = part("word/footer1.xml");
    let fields: Vec<String> = roxmltree::Document::parse(footer)
        .unwrap()
        .descendants()
        .filter_map(|n| n.attribute((w, "instr")).map(|s| s.trim().to_owned()))
        .collect();
    assert_eq!(fields, vec!["PAGE", "NUMPAGES"]);
}

#[test]
fn docx_bytes_are_deterministic() {
    let table = common::baseline_table();
    let a = table.to_docx(&DocxOptions::default()).unwrap();
    let b = table.to_docx(&DocxOptions::default()).unwrap();
    assert_eq!(a, b);
    let letter = DocxOptions {
        paper: Paper::Letter,
        ..DocxOptions::default()
    };
    assert_ne!(a, table.to_docx(&letter).unwrap());
}

#[test]
fn xlsx_keeps_numbers_as_numbers() {
    let table = common::baseline_table();
    let bytes = table.to_xlsx().unwrap();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), vec!["table1".to_owned()]);
    let range = book.worksheet_range("table1").unwrap();
    let cell = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(cell(0, 0), Data::String(table.title.clone()));
    // Rows 2–4 are the header; the body starts at row 5.
    assert_eq!(cell(2, 1), Data::String("Population".into()));
    assert_eq!(cell(3, 3), Data::String("All".into()));
    assert_eq!(cell(5, 0), Data::String("Patients treated, n".into()));
    assert_eq!(cell(5, 1), Data::Float(53.0));
    assert_eq!(cell(5, 3), Data::Float(96.0));
    // Composite and suppressed cells stay text.
    assert_eq!(cell(10, 1), Data::String("30 (56.6%)".into()));
    assert_eq!(cell(12, 1), Data::String("<5".into()));
    // "1-year EFS rate": the printed percentages as proportions (87.8% → 0.878; 66.55% printed 66.6%).
    let last = 5 + u32::try_from(table.rows.len()).unwrap() - 1;
    assert_eq!(cell(last, 0), Data::String("1-year EFS rate".into()));
    assert_eq!(cell(last, 1), Data::Float(0.878));
    assert_eq!(cell(last, 3), Data::Float(0.666));
    // Footnotes below a blank row.
    assert_eq!(cell(last + 2, 0), Data::String(table.footnotes[0].clone()));
    // The same table gives the same bytes (fixed creation time).
    assert_eq!(table.to_xlsx().unwrap(), table.to_xlsx().unwrap());
}

#[test]
fn every_backend_refuses_a_misshapen_table() {
    let mut table = common::baseline_table();
    table.header[0][1] = HeaderCell::spanning("Population", 3);
    let expected = "table table1: header row 1 spans 4 columns, expected 5";
    let errors: Vec<String> = vec![
        table.to_markdown().map(|_| ()),
        table.to_csv().map(|_| ()),
        table.to_html().map(|_| ()),
        table.to_xlsx().map(|_| ()),
        table.to_docx(&DocxOptions::default()).map(|_| ()),
    ]
    .into_iter()
    .map(|r: Result<(), RenderError>| r.unwrap_err().to_string())
    .collect();
    assert_eq!(errors, vec![expected; 5]);
}

#[test]
fn a_table_without_header_renders() {
    let table = Table {
        id: "t".into(),
        title: String::new(),
        header: vec![],
        rows: vec![rwe_render::BodyRow::new("a", 0, vec!["1".into()])],
        footnotes: vec![],
    };
    assert_eq!(
        table.to_markdown().unwrap(),
        "|  |  |\n| :--- | :---: |\n| a | 1 |\n"
    );
    assert_eq!(table.to_csv().unwrap(), "a,1\n");
    assert!(table.to_docx(&DocxOptions::default()).is_ok());
    assert!(table.to_xlsx().is_ok());
}
