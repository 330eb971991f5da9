//! HTML output: a table as an HTML fragment, and the self-contained report page (`report.html`).
//!
//! The page has inline CSS only: no JavaScript, no external fonts, images or style sheets, so it opens
//! offline and can be mailed as one file. Figures are inline SVG. Every text given by the caller is
//! escaped; the page is also well-formed XML (void elements are self-closed), which the tests check.
//!
//! Printing: each section after the first starts on a new page, table header rows repeat on every page,
//! and table rows and figures are not split across pages.

use std::fmt::Write as _;

use crate::error::RenderError;
use crate::table::Table;

/// A report page: a title, an optional subtitle, a table of contents and sections.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Page title (also the `<title>`).
    pub title: String,
    /// A line under the title (study, data cut-off).
    pub subtitle: Option<String>,
    /// Sections in order; each gets an entry in the table of contents.
    pub sections: Vec<Section>,
}

/// One section of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Anchor id, unique in the page (characters other than ASCII letters, digits, `-` and `_` are
    /// replaced by `-`).
    pub id: String,
    /// Heading text.
    pub heading: String,
    /// Content in order.
    pub blocks: Vec<Block>,
}

/// A piece of section content.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph of plain text (escaped).
    Paragraph(String),
    /// A table, rendered with [`Table::to_html`].
    Table(Table),
    /// A figure: SVG markup produced by this crate's figure writers, inlined as is, with a caption.
    Figure {
        /// Anchor id.
        id: String,
        /// The `<svg>` element (an XML declaration in front of it is dropped).
        svg: String,
        /// Caption text (escaped).
        caption: String,
    },
    /// Preformatted text such as a validation log (escaped).
    Preformatted(String),
    /// A list of names and values, for provenance (escaped).
    KeyValue(Vec<(String, String)>),
}

/// Tables with more columns than this (stub included) let their cells wrap.
const WIDE_COLUMNS: usize = 6;

const STYLE: &str = r#"
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; font-size: 11pt; line-height: 1.45;
  color: #1a1a1a; background: #fff; max-width: 62rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .2rem; }
h2 { font-size: 1.3rem; margin: 0 0 .8rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
p.subtitle { color: #555; margin: 0 0 1.5rem; }
nav.toc ol { padding-left: 1.5rem; }
nav.toc a { color: #0b57a4; }
section { margin-top: 2.5rem; }
.rwe-table-block { margin: 1rem 0 1.5rem; overflow-x: auto; }
table.rwe-table { border-collapse: collapse; font-size: 10pt; font-variant-numeric: tabular-nums; }
table.rwe-table caption { caption-side: top; text-align: left; font-weight: bold; padding-bottom: .4rem; }
table.rwe-table thead { border-top: 2px solid #000; border-bottom: 1px solid #000; }
table.rwe-table tbody { border-bottom: 2px solid #000; }
table.rwe-table th, table.rwe-table td { padding: .2rem .7rem; vertical-align: top; }
table.rwe-table thead th { text-align: center; font-weight: bold; }
table.rwe-table thead tr:not(:last-child) th:not(:empty) { border-bottom: 1px solid #000; }
table.rwe-table thead th.stub, table.rwe-table tbody th { text-align: left; font-weight: normal; }
table.rwe-table tbody tr.heading th { font-weight: bold; }
table.rwe-table td { text-align: center; white-space: nowrap; }
table.rwe-table td.suppressed { font-style: italic; }
table.rwe-table tbody th { min-width: 9rem; }
table.rwe-table-wide td { white-space: normal; min-width: 5.5rem; }
.rwe-footnotes { font-size: 9pt; color: #333; }
.rwe-footnotes p { margin: .15rem 0; }
figure { margin: 1rem 0 1.5rem; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 10pt; margin-top: .4rem; }
pre { background: #f6f6f6; padding: .6rem; font-size: 9pt; white-space: pre-wrap; overflow-wrap: anywhere; }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1.2rem; font-size: 10pt; }
dl.kv dt { font-weight: bold; }
dl.kv dd { margin: 0; overflow-wrap: anywhere; }
@page { margin: 15mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  nav.toc { break-after: page; }
  section { break-before: page; margin-top: 0; }
  section:first-of-type { break-before: auto; }
  thead { display: table-header-group; }
  tr, figure, pre, dl.kv { break-inside: avoid; }
  h2 { break-after: avoid; }
  .rwe-table-block { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
"#;

impl Report {
    /// The whole page as one self-contained HTML document.
    ///
    /// # Errors
    /// The shape errors of [`Table::validate`] for any table in the report.
    pub fn to_html(&self) -> Result<String, RenderError> {
        let mut out = String::new();
        out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n");
        out.push_str(
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n",
        );
        let _ = writeln!(out, "<title>{}</title>", escape(&self.title));
        let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
        let _ = writeln!(out, "<header>\n<h1>{}</h1>", escape(&self.title));
        if let Some(subtitle) = &self.subtitle {
            let _ = writeln!(out, "<p class=\"subtitle\">{}</p>", escape(subtitle));
        }
        out.push_str("</header>\n");
        if !self.sections.is_empty() {
            out.push_str("<nav class=\"toc\">\n<h2>Contents</h2>\n<ol>\n");
            for section in &self.sections {
                let _ = writeln!(
                    out,
                    "<li><a href=\"#{}\">{}</a></li>",
                    anchor(&section.id),
                    escape(&section.heading)
                );
            }
            out.push_str("</ol>\n</nav>\n");
        }
        out.push_str("<main>\n");
        for section in &self.sections {
            let _ = writeln!(
                out,
                "<section id=\"{}\">\n<h2>{}</h2>",
                anchor(&section.id),
                escape(&section.heading)
            );
            for block in &section.blocks {
                block.write_html(&mut out)?;
            }
            out.push_str("</section>\n");
        }
        out.push_str("</main>\n</body>\n</html>\n");
        Ok(out)
    }
}

impl Block {
    fn write_html(&self, out: &mut String) -> Result<(), RenderError> {
        match self {
            Block::Paragraph(text) => {
                let _ = writeln!(out, "<p>{}</p>", escape(text));
            }
            Block::Table(table) => out.push_str(&table.to_html()?),
            Block::Figure { id, svg, caption } => {
                let _ = writeln!(out, "<figure id=\"{}\">", anchor(id));
                out.push_str(strip_xml_declaration(svg).trim());
                let _ = writeln!(
                    out,
                    "\n<figcaption>{}</figcaption>\n</figure>",
                    escape(caption)
                );
            }
            Block::Preformatted(text) => {
                let _ = writeln!(out, "<pre>{}</pre>", escape(text));
            }
            Block::KeyValue(pairs) => {
                out.push_str("<dl class=\"kv\">\n");
                for (name, value) in pairs {
                    let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(name), escape(value));
                }
                out.push_str("</dl>\n");
            }
        }
        Ok(())
    }
}

impl Table {
    /// The table as an HTML fragment: a `<div class="rwe-table-block">` holding the `<table>` (title as
    /// `<caption>`, header rows in `<thead>` with `colspan`, row labels as `<th scope="row">`) and the
    /// footnotes.
    ///
    /// # Errors
    /// The shape errors of [`Table::validate`].
    pub fn to_html(&self) -> Result<String, RenderError> {
        self.validate()?;
        let mut out = String::new();
        out.push_str("<div class=\"rwe-table-block\">\n");
        // A table wider than the page lets its cells wrap (at spaces, as a CI after its estimate).
        let wide = if self.column_count() > WIDE_COLUMNS {
            " rwe-table-wide"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<table class=\"rwe-table{wide}\" id=\"{}\">",
            anchor(&self.id)
        );
        if !self.title.is_empty() {
            let _ = writeln!(out, "<caption>{}</caption>", escape(&self.title));
        }
        if !self.header.is_empty() {
            out.push_str("<thead>\n");
            for row in &self.header {
                out.push_str("<tr>");
                for (i, cell) in row.iter().enumerate() {
                    let class = if i == 0 { " class=\"stub\"" } else { "" };
                    let span = if cell.span > 1 {
                        format!(" colspan=\"{}\"", cell.span)
                    } else {
                        String::new()
                    };
                    let _ = write!(
                        out,
                        "<th scope=\"col\"{class}{span}>{}</th>",
                        escape(&cell.text)
                    );
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</thead>\n");
        }
        out.push_str("<tbody>\n");
        for row in &self.rows {
            out.push_str(if row.bold {
                "<tr class=\"heading\">"
            } else {
                "<tr>"
            });
            let indent = if row.indent > 0 {
                format!(
                    " style=\"padding-left: {:.2}em\"",
                    0.7 + 1.2 * f64::from(row.indent)
                )
            } else {
                String::new()
            };
            let _ = write!(out, "<th scope=\"row\"{indent}>{}</th>", escape(&row.label));
            let data_columns = self.column_count().saturating_sub(1);
            for i in 0..data_columns {
                match row.cells.get(i) {
                    Some(cell) if cell.suppressed => {
                        let _ = write!(out, "<td class=\"suppressed\">{}</td>", escape(&cell.text));
                    }
                    Some(cell) => {
                        let _ = write!(out, "<td>{}</td>", escape(&cell.text));
                    }
                    None => out.push_str("<td></td>"),
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
        if !self.footnotes.is_empty() {
            out.push_str("<div class=\"rwe-footnotes\">\n");
            for note in &self.footnotes {
                let _ = writeln!(out, "<p>{}</p>", escape(note));
            }
            out.push_str("</div>\n");
        }
        out.push_str("</div>\n");
        Ok(out)
    }
}

/// Escapes text for HTML and XML element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and line breaks are not allowed in XML 1.0.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// An id usable as an HTML anchor: ASCII letters, digits, `-` and `_`; anything else becomes `-`.
fn anchor(id: &str) -> String {
    let cleaned: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if cleaned.is_empty() {
        "section".to_owned()
    } else {
        cleaned
    }
}

fn strip_xml_declaration(svg: &str) -> &str {
    let trimmed = svg.trim_start();
    if trimmed.starts_with("<?xml") {
        match trimmed.find("?>") {
            Some(end) => &trimmed[end + 2..],
            None => trimmed,
        }
    } else {
        trimmed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_control_characters() {
        assert_eq!(
            escape("<script>\"a\" & 'b'</script>\u{7}"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;\u{FFFD}"
        );
        assert_eq!(anchor("Table 1 / EFS"), "Table-1---EFS");
        assert_eq!(
            strip_xml_declaration("<?xml version=\"1.0\"?>\n<svg/>"),
            "\n<svg/>"
        );
    }
}
