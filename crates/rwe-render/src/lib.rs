//! placeholder
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]
pub use docx::{DocxOptions, Paper};
pub use error::{FigureProblem, RenderError};
pub use format::{Formatter, Interval, Rounding, Stat, Token};
pub use html::{Block, Report, Section};
pub use km_plot::{Annotation, BandPoint, KmCurve, KmFigure, LegendPosition, RiskRow, RiskTable, SurvivalAxis, SurvivalPoint};
pub use palette::{Colour, ColourMap, Palette, NEUTRAL, OKABE_ITO};
pub use png::{svg_to_png, PngOptions};
pub use sankey::{NodeRef, PathCount, SankeyFigure, SankeyLink, SankeyNode, SankeyStage};
pub use suppress::{suppress, Hidden, SmallCellRule, Suppression};
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
