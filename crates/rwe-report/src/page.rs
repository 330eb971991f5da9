//! The report page (`report.html`): the tables, the figures inline, the methods written from the spec, a
//! validation summary by rule (counts only: the messages name patients, `validation.txt` has them) and
//! the provenance. No patient identifier reaches the page.

use std::collections::BTreeMap;

use rwe_data::{Diagnostics, Severity};
use rwe_render::{Block, BodyRow, Cell, HeaderCell, RenderError, Report, Section, Table};
use rwe_spec::{FigureDecl, StudySpec};

use crate::outputs::Outputs;
use crate::provenance::Provenance;

/// The validation summary: one row per rule that fired, with its severity, count and definition.
fn validation_table(diagnostics: &Diagnostics) -> Table {
    let mut counts: BTreeMap<(&str, &'static str), usize> = BTreeMap::new();
    for d in diagnostics {
        *counts.entry((d.severity.as_str(), d.rule)).or_insert(0) += 1;
    }
    let rows = counts
        .into_iter()
        .map(|((severity, rule), n)| {
            let definition = rwe_data::rule::find(rule).map_or("", |r| r.definition);
            BodyRow::new(
                rule,
                0,
                vec![
                    Cell::text(severity),
                    Cell::text(n.to_string()),
                    Cell::text(definition),
                ],
            )
        })
        .collect();
    Table {
        id: "validation-rules".into(),
        title: String::new(),
        header: vec![vec![
            HeaderCell::new("Rule"),
            HeaderCell::new("Severity"),
            HeaderCell::new("Records"),
            HeaderCell::new("What the rule checks"),
        ]],
        rows,
        footnotes: vec![
            "Every message, with its file, row and column, is in validation.txt.".into(),
        ],
    }
}

/// The whole page.
///
/// # Errors
/// A table's shape error (not expected: every table was validated when built).
pub(crate) fn report_page(
    spec: &StudySpec,
    outputs: &Outputs,
    svgs: &[String],
    methods: &[String],
    diagnostics: &Diagnostics,
    provenance: &Provenance,
    reproduction: Option<Table>,
) -> Result<String, RenderError> {
    let mut sections = Vec::new();
    let supplementary = |table: &Table| {
        spec.tables
            .iter()
            .any(|d| d.id == table.id && d.supplementary)
    };
    let table_section = |table: &Table| {
        let mut shown = table.clone();
        shown.title = String::new();
        Section {
            id: table.id.clone(),
            heading: table.title.clone(),
            blocks: vec![Block::Table(shown)],
        }
    };
    for table in outputs.tables.iter().filter(|t| !supplementary(t)) {
        sections.push(table_section(table));
    }
    // One section per declared figure; a Sankey's panels share it.
    for decl in &spec.figures {
        let id = decl.id();
        let heading = match decl {
            FigureDecl::Km(k) => k.title.clone(),
            FigureDecl::Sankey(s) => s.title.clone(),
        }
        .unwrap_or_else(|| id.to_string());
        let mut blocks = Vec::new();
        for (figure, svg) in outputs.figures.iter().zip(svgs) {
            let belongs = figure.id == id
                || matches!(decl, FigureDecl::Sankey(_))
                    && figure
                        .id
                        .strip_prefix(id)
                        .is_some_and(|r| r.starts_with('_'));
            if !belongs {
                continue;
            }
            blocks.push(Block::Figure {
                id: format!("{}-figure", figure.id),
                svg: svg.clone(),
                caption: figure.caption.clone(),
            });
            if let Some(t) = &figure.table {
                blocks.push(Block::Table(t.clone()));
            }
        }
        sections.push(Section {
            id: id.to_string(),
            heading,
            blocks,
        });
    }
    for table in outputs.tables.iter().filter(|t| supplementary(t)) {
        sections.push(table_section(table));
    }
    sections.push(Section {
        id: "methods".into(),
        heading: "Methods".into(),
        blocks: methods.iter().cloned().map(Block::Paragraph).collect(),
    });
    let summary = format!(
        "{} error(s), {} warning(s), {} exclusion(s); {} patient(s) in the study population, {} excluded.",
        diagnostics.count(Severity::Error),
        diagnostics.count(Severity::Warning),
        diagnostics.count(Severity::Exclusion),
        outputs.patients,
        outputs.excluded
    );
    let mut validation = vec![Block::Paragraph(summary)];
    if !diagnostics.is_empty() {
        validation.push(Block::Table(validation_table(diagnostics)));
    }
    sections.push(Section {
        id: "validation".into(),
        heading: "Validation".into(),
        blocks: validation,
    });
    let p = provenance;
    let c = &p.conventions;
    let mut pairs = vec![
        ("rwe version".to_string(), p.rwe_version.clone()),
        ("Study".to_string(), p.study.clone()),
        ("Data cut-off".to_string(), p.data_cutoff.clone()),
        (
            format!("Spec {}", p.spec.file),
            format!("SHA-256 {}", p.spec.sha256),
        ),
    ];
    for input in &p.inputs {
        let sheet = input
            .sheet
            .as_ref()
            .map(|s| format!(" [{s}]"))
            .unwrap_or_default();
        pairs.push((
            format!("{}: {}{sheet}", input.table, input.file),
            format!("SHA-256 {}", input.sha256),
        ));
    }
    pairs.push((
        "Conventions".into(),
        format!(
            "statistics {}, {} CIs at level {}, {} proportion CIs, rounding {}, small cells {}",
            c.statistics,
            c.ci_transform,
            c.conf_level,
            c.proportion_ci,
            c.rounding,
            if c.small_cell_min > 1 {
                format!("below {} hidden", c.small_cell_min)
            } else {
                "shown".into()
            }
        ),
    ));
    sections.push(Section {
        id: "provenance".into(),
        heading: "Provenance".into(),
        blocks: vec![
            Block::KeyValue(pairs),
            Block::Paragraph(
                "The run time is in provenance.json; the numbers behind every table and figure are in \
                 ard/ard.csv and ard/ard.json."
                    .into(),
            ),
        ],
    });
    if let Some(table) = reproduction {
        sections.push(Section {
            id: "reproduction".into(),
            heading: "Appendix: reproduction of the published numbers".into(),
            blocks: vec![
                Block::Paragraph(
                    "Each published number beside the one computed here (reproduction.csv has the same \
                     rows). A mismatch carries the id of the paper's inconsistency that explains it; \
                     \"not targeted\" marks a number the data were not built to reproduce."
                        .into(),
                ),
                Block::Table(table),
            ],
        });
    }
    let title = spec
        .study
        .title
        .clone()
        .unwrap_or_else(|| format!("Study {}", spec.study.id));
    let report = Report {
        title,
        subtitle: Some(format!(
            "{} · data cut-off {} · {} patients",
            spec.study.id, spec.study.data_cutoff, outputs.patients
        )),
        sections,
    };
    report.to_html()
}
