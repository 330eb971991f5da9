//! DOCX output of a [`Table`]: a minimal WordprocessingML package written by hand.
//!
//! Why not a DOCX crate: clinical tables need the header rows repeated on every page (`w:tblHeader`), which
//! `docx-rs` cannot write, and hand-written XML gives byte-identical files for the same table (fixed zip
//! timestamps and entry order), which snapshot tests and reproducible reports need.
//!
//! The package holds `[Content_Types].xml`, the relationships, `docProps/core.xml` (title only, no dates),
//! `word/styles.xml`, `word/document.xml` and `word/footer1.xml`. The document is the title paragraph, one
//! real `w:tbl` and the footnotes; the footer reads "Page X of Y" with `PAGE` and `NUMPAGES` fields.
//!
//! The table: three-line style (rule above and below the header, rule at the end), spanning header cells
//! (`w:gridSpan`) underlined, every header row marked `w:tblHeader` (repeats on each page), every row
//! marked `w:cantSplit` (never broken across pages), header rows and the title kept with the next
//! paragraph. Column widths are measured with the bundled font and scaled to the text width of the page.

use std::fmt::Write as _;
use std::io::{Cursor, Write as _};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::error::RenderError;
use crate::font::{Weight, text_width};
use crate::html::escape;
use crate::table::Table;

/// Paper size of the DOCX page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

/// Page and type settings of a DOCX table file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocxOptions {
    /// Landscape orientation (wide tables).
    pub landscape: bool,
    /// Paper size.
    pub paper: Paper,
    /// Font family name written into the document (Word substitutes a metric match when missing).
    pub font: String,
    /// Body font size in half-points (18 = 9 pt).
    pub font_half_points: u32,
}

impl Default for DocxOptions {
    fn default() -> DocxOptions {
        DocxOptions {
            landscape: false,
            paper: Paper::A4,
            font: "Arial".to_owned(),
            font_half_points: 18,
        }
    }
}

/// Page margin on every side, in twentieths of a point (2 cm).
const MARGIN_TWIPS: u32 = 1134;
/// Label indent per level (0.5 cm).
const INDENT_TWIPS: u32 = 283;
/// Left plus right cell padding (the default 108 twips each side).
const CELL_PADDING_TWIPS: f64 = 216.0;

const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

impl Table {
    /// The table as a Word document (`table1.docx`), as bytes. The same table and options always give
    /// the same bytes.
    ///
    /// # Errors
    /// The shape errors of [`Table::validate`]; [`RenderError::Docx`] when the zip writer fails.
    pub fn to_docx(&self, options: &DocxOptions) -> Result<Vec<u8>, RenderError> {
        self.validate()?;
        let docx_error = |source: zip::result::ZipError| RenderError::Docx {
            table: self.id.clone(),
            source,
        };
        let parts: [(&str, String); 8] = [
            ("[Content_Types].xml", content_types()),
            ("_rels/.rels", package_rels()),
            ("docProps/core.xml", core_properties(&self.title)),
            ("word/_rels/document.xml.rels", document_rels()),
            ("word/styles.xml", styles(options)),
            ("word/document.xml", self.document_xml(options)),
            ("word/footer1.xml", footer()),
            ("word/settings.xml", settings()),
        ];
        let file_options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(DateTime::default())
            .unix_permissions(0o644);
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, xml) in &parts {
            zip.start_file(*name, file_options).map_err(docx_error)?;
            zip.write_all(xml.as_bytes())
                .map_err(|e| docx_error(zip::result::ZipError::Io(e)))?;
        }
        let cursor = zip.finish().map_err(docx_error)?;
        Ok(cursor.into_inner())
    }

    fn document_xml(&self, options: &DocxOptions) -> String {
        let (page_w, page_h) = match options.paper {
            Paper::A4 => (11906u32, 16838u32),
            Paper::Letter => (12240, 15840),
        };
        let (page_w, page_h) = if options.landscape {
            (page_h, page_w)
        } else {
            (page_w, page_h)
        };
        let text_width_twips = page_w - 2 * MARGIN_TWIPS;
        let widths = self.docx_column_widths(options, text_width_twips);

        let mut x = String::new();
        x.push_str(XML_DECL);
        let _ = write!(
            x,
            "<w:document xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\"><w:body>"
        );
        if !self.title.is_empty() {
            let _ = write!(
                x,
                "<w:p><w:pPr><w:pStyle w:val=\"Caption\"/><w:keepNext/></w:pPr>{}</w:p>",
                runs(&self.title, true)
            );
        }
        x.push_str("<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/>");
        x.push_str("<w:tblBorders>");
        x.push_str("<w:top w:val=\"single\" w:sz=\"12\" w:space=\"0\" w:color=\"000000\"/>");
        x.push_str("<w:bottom w:val=\"single\" w:sz=\"12\" w:space=\"0\" w:color=\"000000\"/>");
        x.push_str("</w:tblBorders><w:tblLayout w:type=\"fixed\"/>");
        x.push_str("<w:tblLook w:val=\"0020\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"1\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/>");
        x.push_str("</w:tblPr><w:tblGrid>");
        for w in &widths {
            let _ = write!(x, "<w:gridCol w:w=\"{w}\"/>");
        }
        x.push_str("</w:tblGrid>");

        let last_header = self.header.len().saturating_sub(1);
        for (i, header_row) in self.header.iter().enumerate() {
            x.push_str("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
            let mut col = 0;
            for cell in header_row {
                let width: u32 = widths[col..col + cell.span].iter().sum();
                let rule = if i == last_header {
                    "<w:tcBorders><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"0\" w:color=\"000000\"/></w:tcBorders>"
                } else if col > 0 && !cell.text.is_empty() {
                    // A spanner is underlined so the reader sees which columns it covers.
                    "<w:tcBorders><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/></w:tcBorders>"
                } else {
                    ""
                };
                let span = if cell.span > 1 {
                    format!("<w:gridSpan w:val=\"{}\"/>", cell.span)
                } else {
                    String::new()
                };
                let jc = if col == 0 { "left" } else { "center" };
                let _ = write!(
                    x,
                    "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>{span}{rule}<w:vAlign w:val=\"bottom\"/></w:tcPr>\
                     <w:p><w:pPr><w:keepNext/><w:jc w:val=\"{jc}\"/></w:pPr>{}</w:p></w:tc>",
                    runs(&cell.text, true)
                );
                col += cell.span;
            }
            x.push_str("</w:tr>");
        }
        for row in &self.rows {
            x.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
            let indent = if row.indent > 0 {
                format!(
                    "<w:ind w:left=\"{}\"/>",
                    u32::from(row.indent) * INDENT_TWIPS
                )
            } else {
                String::new()
            };
            let _ = write!(
                x,
                "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/></w:tcPr><w:p><w:pPr>{indent}</w:pPr>{}</w:p></w:tc>",
                widths[0],
                runs(&row.label, row.bold)
            );
            for (c, text) in self.row_texts(row).into_iter().enumerate() {
                let _ = write!(
                    x,
                    "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/></w:tcPr><w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>{}</w:p></w:tc>",
                    widths[c + 1],
                    runs(text, false)
                );
            }
            x.push_str("</w:tr>");
        }
        x.push_str("</w:tbl>");
        for note in &self.footnotes {
            let _ = write!(
                x,
                "<w:p><w:pPr><w:pStyle w:val=\"TableFootnote\"/></w:pPr>{}</w:p>",
                runs(note, false)
            );
        }
        let orient = if options.landscape {
            " w:orient=\"landscape\""
        } else {
            ""
        };
        let _ = write!(
            x,
            "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId2\"/>\
             <w:pgSz w:w=\"{page_w}\" w:h=\"{page_h}\"{orient}/>\
             <w:pgMar w:top=\"{m}\" w:right=\"{m}\" w:bottom=\"{m}\" w:left=\"{m}\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>\
             </w:sectPr></w:body></w:document>",
            m = MARGIN_TWIPS
        );
        x
    }

    /// Column widths in twips: the widest text of each column (measured with the bundled font at the body
    /// size, plus cell padding), scaled so the table fills the text width.
    fn docx_column_widths(&self, options: &DocxOptions, total: u32) -> Vec<u32> {
        let columns = self.column_count();
        // Half-points to twips: 1 pt = 20 twips, so size in twips = half-points × 10.
        let size = f64::from(options.font_half_points) * 10.0;
        let measure = |t: &str, weight| text_width(t, size, weight) + CELL_PADDING_TWIPS;
        let mut widths = vec![CELL_PADDING_TWIPS; columns];
        for row in &self.rows {
            let weight = if row.bold {
                Weight::Bold
            } else {
                Weight::Regular
            };
            let label =
                measure(&row.label, weight) + f64::from(u32::from(row.indent) * INDENT_TWIPS);
            widths[0] = widths[0].max(label);
            for (c, text) in self.row_texts(row).into_iter().enumerate() {
                widths[c + 1] = widths[c + 1].max(measure(text, Weight::Regular));
            }
        }
        let mut col;
        for header_row in &self.header {
            col = 0;
            for cell in header_row {
                if cell.span == 1 {
                    widths[col] = widths[col].max(measure(&cell.text, Weight::Bold));
                }
                col += cell.span;
            }
        }
        let sum: f64 = widths.iter().sum();
        let scale = f64::from(total) / sum.max(1.0);
        // Truncation to whole twips; the last column takes the remainder so the grid sums to the total.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let mut out: Vec<u32> = widths.iter().map(|w| (w * scale) as u32).collect();
        let used: u32 = out.iter().sum();
        if let Some(last) = out.last_mut() {
            *last += total.saturating_sub(used);
        }
        out
    }
}

/// Runs of text; line breaks become `w:br`, and the text keeps its spaces.
fn runs(text: &str, bold: bool) -> String {
    let rpr = if bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
    let mut out = String::new();
    for (i, line) in text.split('\n').enumerate() {
        let br = if i > 0 { "<w:br/>" } else { "" };
        let _ = write!(
            out,
            "<w:r>{rpr}{br}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
            escape(line)
        );
    }
    out
}

fn content_types() -> String {
    let wml = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    format!(
        "{XML_DECL}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/word/document.xml\" ContentType=\"{wml}.document.main+xml\"/>\
         <Override PartName=\"/word/styles.xml\" ContentType=\"{wml}.styles+xml\"/>\
         <Override PartName=\"/word/settings.xml\" ContentType=\"{wml}.settings+xml\"/>\
         <Override PartName=\"/word/footer1.xml\" ContentType=\"{wml}.footer+xml\"/>\
         <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
         </Types>"
    )
}

fn package_rels() -> String {
    format!(
        "{XML_DECL}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
         </Relationships>"
    )
}

fn document_rels() -> String {
    let base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    format!(
        "{XML_DECL}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rId1\" Type=\"{base}/styles\" Target=\"styles.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"{base}/footer\" Target=\"footer1.xml\"/>\
         <Relationship Id=\"rId3\" Type=\"{base}/settings\" Target=\"settings.xml\"/>\
         </Relationships>"
    )
}

fn core_properties(title: &str) -> String {
    format!(
        "{XML_DECL}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title><dc:creator>rwe</dc:creator></cp:coreProperties>",
        escape(title)
    )
}

fn settings() -> String {
    // updateFields asks Word to refresh NUMPAGES when opening; the cached values are placeholders.
    format!(
        "{XML_DECL}<w:settings xmlns:w=\"{NS_W}\"><w:updateFields w:val=\"true\"/><w:defaultTabStop w:val=\"708\"/>\
         <w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
         </w:settings>"
    )
}

fn styles(options: &DocxOptions) -> String {
    let font = escape(&options.font);
    let size = options.font_half_points;
    let caption_size = size + 2;
    let note_size = size.saturating_sub(2).max(12);
    format!(
        "{XML_DECL}<w:styles xmlns:w=\"{NS_W}\">\
         <w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"{font}\" w:hAnsi=\"{font}\" w:eastAsia=\"{font}\" w:cs=\"{font}\"/>\
         <w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/><w:lang w:val=\"en-GB\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Caption\"><w:name w:val=\"caption\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
         <w:pPr><w:keepNext/><w:spacing w:after=\"120\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"{caption_size}\"/><w:szCs w:val=\"{caption_size}\"/></w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"TableFootnote\"><w:name w:val=\"Table Footnote\"/><w:basedOn w:val=\"Normal\"/>\
         <w:pPr><w:spacing w:before=\"40\"/></w:pPr><w:rPr><w:sz w:val=\"{note_size}\"/><w:szCs w:val=\"{note_size}\"/></w:rPr></w:style>\
         <w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/>\
         <w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"20\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>\
         <w:bottom w:w=\"20\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
         </w:styles>"
    )
}

fn footer() -> String {
    format!(
        "{XML_DECL}<w:ftr xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\"><w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>\
         <w:r><w:t xml:space=\"preserve\">Page </w:t></w:r>\
         <w:fldSimple w:instr=\" PAGE \"><w:r><w:t>1</w:t></w:r></w:fldSimple>\
         <w:r><w:t xml:space=\"preserve\"> of </w:t></w:r>\
         <w:fldSimple w:instr=\" NUMPAGES \"><w:r><w:t>1</w:t></w:r></w:fldSimple>\
         </w:p></w:ftr>"
    )
}
