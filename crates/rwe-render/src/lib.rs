//! Table and figure models for real-world-evidence reports, and their backends: Markdown, CSV, HTML,
//! XLSX and DOCX for tables; SVG and PNG for figures; one self-contained HTML report page.
//!
//! This crate computes no statistics and knows no patients. Its input is numbers and labels that the
//! analysis produced (`rwe-report` builds the models); its output is text and bytes. Three things hold
//! across every backend:
//!
//! - **One formatter.** Every printed number comes from [`Formatter`]: half-up rounding on the decimal
//!   value (or truncation), percentages with one decimal, `n (pct)`, `est% (95% CI: lo%, hi%)`,
//!   `NR (95% CI: 9.4, NE)`, mean (SD), median (min, max), and the NR / NE / NA tokens.
//! - **One suppression pass.** [`suppress`] decides which counts of a table are hidden (`<k`) and which
//!   partners are hidden with them so that no hidden count can be derived from the totals; the masked
//!   text goes into the [`Cell`]s, so every backend shows the same masks.
//! - **Deterministic output.** The same model gives the same bytes (SVG, HTML, Markdown, CSV, DOCX and
//!   XLSX); PNGs are rendered with the bundled DejaVu Sans only, never with system fonts.
//!
//! ```
//! use rwe_render::{BodyRow, Formatter, HeaderCell, Table};
//!
//! let f = Formatter::default();
//! let table = Table {
//!     id: "table1".into(),
//!     title: "Table 1. Baseline characteristics".into(),
//!     header: vec![vec![HeaderCell::new("Characteristic"), HeaderCell::new("ND (N = 48)")]],
//!     rows: vec![
//!         BodyRow::heading("Sex, n (%)"),
//!         BodyRow::new("Male", 1, vec![f.n_pct(30, 48).into()]),
//!     ],
//!     footnotes: vec![],
//! };
//! assert_eq!(
//!     table.to_markdown().unwrap(),
//!     "**Table 1. Baseline characteristics**\n\n\
//!      | Characteristic | ND (N = 48) |\n\
//!      | :--- | :---: |\n\
//!      | **Sex, n (%)** |  |\n\
//!      | &emsp;Male | 30 (62.5%) |\n"
//! );
//! ```
//!
//! Figures: [`KmFigure`] (Kaplan-Meier curves with censor marks, bands, annotations and a numbers-at-risk
//! table placed on the same x scale as the ticks) and [`SankeyFigure`] (treatment patterns, with its path
//! table), drawn as SVG and rasterised with [`svg_to_png`]. Colours come from one [`ColourMap`] per report
//! so each group keeps its colour in every figure. [`Report`] assembles the HTML page.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]
pub use docx::{DocxOptions, Paper};
pub use error::{FigureProblem, RenderError};
pub use format::{Formatter, Interval, Rounding, Stat, Token};
pub use html::{Block, Report, Section};
pub use km_plot::{
    Annotation, BandPoint, KmCurve, KmFigure, LegendPosition, RiskRow, RiskTable, SurvivalAxis,
    SurvivalPoint,
};
pub use palette::{Colour, ColourMap, NEUTRAL, OKABE_ITO, Palette};
pub use png::{PngOptions, svg_to_png};
pub use sankey::{NodeRef, PathCount, SankeyFigure, SankeyLink, SankeyNode, SankeyStage};
pub use suppress::{Hidden, SmallCellRule, Suppression, suppress};
pub use svg::LinearScale;
pub use table::{BodyRow, Cell, CellNumber, HeaderCell, Table};
mod delimited;
mod docx;
mod error;
mod font;
mod format;
mod html;
mod km_plot;
mod markdown;
mod palette;
mod png;
mod sankey;
mod suppress;
mod svg;
mod table;
mod xlsx;
