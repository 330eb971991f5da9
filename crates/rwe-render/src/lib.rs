//! placeholder
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]
pub use docx::{DocxOptions, Paper};
pub use error::{FigureProblem, RenderError};
pub use format::{Formatter, Interval, Rounding, Stat, Token};
pub use html::{Block, Report, Section};
pub use suppress::{suppress, Hidden, SmallCellRule, Suppression};
pub use table::{BodyRow, Cell, CellNumber, HeaderCell, Table};
mod delimited;
mod docx;
mod error;
mod font;
mod format;
mod html;
mod markdown;
mod suppress;
mod table;
mod xlsx;
