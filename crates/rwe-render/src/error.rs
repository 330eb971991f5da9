//! Errors of the rendering crate. Each names the table or figure and the place in it, so a caller building
//! models from a study spec can say which declared output is wrong.

use std::fmt;

/// Everything that can go wrong while rendering a table or figure model.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// A header row's spans do not add up to the table's column count, or a span is zero.
    #[error("table {table}: header row {header_row} spans {found} columns, expected {expected}")]
    HeaderSpan {
        /// Table id.
        table: String,
        /// Header row index (0 = top).
        header_row: usize,
        /// Columns covered by this row.
        found: usize,
        /// Columns of the table.
        expected: usize,
    },
    /// A body row has the wrong number of cells.
    #[error("table {table}: body row {row} ({label}) has {found} cells, expected {expected}")]
    RowWidth {
        /// Table id.
        table: String,
        /// Body row index (0 = first).
        row: usize,
        /// The row's label.
        label: String,
        /// Cells in the row.
        found: usize,
        /// Data columns of the table.
        expected: usize,
    },
    /// A table is wider than any backend can hold.
    #[error("table {table}: {found} columns, at most {limit} are supported")]
    TooManyColumns {
        /// Table id.
        table: String,
        /// Columns of the table.
        found: usize,
        /// The limit (Excel's 16,384).
        limit: usize,
    },
    /// A figure model is inconsistent.
    #[error("figure {figure}: {location}: {problem}")]
    InvalidFigure {
        /// Figure id.
        figure: String,
        /// Where in the figure, for example `curve "ND" point 3`.
        location: String,
        /// What is wrong.
        problem: FigureProblem,
    },
    /// The count grid given to suppression is ragged.
    #[error("count grid row {row} has {found} cells, expected {expected}")]
    RaggedGrid {
        /// Row index.
        row: usize,
        /// Cells in the row.
        found: usize,
        /// Cells in row 0.
        expected: usize,
    },
    /// A margin of the count grid does not fit in a u64.
    #[error("count grid totals overflow")]
    CountOverflow,
    /// More labels need distinct colours than the palette has; pin the rest by name.
    #[error(
        "{labels} labels need distinct colours but the palette has {colours}; pin colours by name"
    )]
    PaletteExhausted {
        /// Labels asked for.
        labels: usize,
        /// Colours available.
        colours: usize,
    },
    /// A colour is not written as `#rrggbb`.
    #[error("colour {text:?} is not of the form #rrggbb")]
    InvalidColour {
        /// The text given.
        text: String,
    },
    /// The XLSX writer failed.
    #[error("table {table}: XLSX: {source}")]
    Xlsx {
        /// Table id.
        table: String,
        /// Writer error.
        source: rust_xlsxwriter::XlsxError,
    },
    /// The DOCX package could not be written.
    #[error("table {table}: DOCX package: {source}")]
    Docx {
        /// Table id.
        table: String,
        /// Zip error.
        source: zip::result::ZipError,
    },
    /// The CSV writer failed.
    #[error("table {table}: CSV: {source}")]
    Csv {
        /// Table id.
        table: String,
        /// Writer error.
        source: csv::Error,
    },
    /// The SVG given for rasterising could not be parsed.
    #[error("SVG could not be read for PNG output: {source}")]
    Svg {
        /// Parser error.
        source: resvg::usvg::Error,
    },
    /// The PNG canvas could not be made (zero or enormous size).
    #[error("PNG of {width}×{height} pixels cannot be made")]
    PngSize {
        /// Requested width in pixels.
        width: f64,
        /// Requested height in pixels.
        height: f64,
    },
    /// The PNG encoder failed.
    #[error("PNG encoding failed: {source}")]
    PngEncode {
        /// Encoder error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// What is wrong with a figure model.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FigureProblem {
    /// A coordinate is NaN or infinite.
    NotFinite,
    /// A time is negative.
    NegativeTime {
        /// The time.
        time: f64,
    },
    /// Times go backwards.
    TimeDecreasing {
        /// This time.
        time: f64,
        /// The previous, larger time.
        previous: f64,
    },
    /// A survival probability (or band bound) outside [0, 1].
    ProbabilityOutOfRange {
        /// The value.
        value: f64,
    },
    /// No axis ticks were given, or fewer than two.
    TooFewTicks {
        /// Ticks given.
        found: usize,
    },
    /// A numbers-at-risk row has a different length than the x ticks.
    RiskRowLength {
        /// Values in the row.
        found: usize,
        /// Number of x ticks.
        expected: usize,
    },
    /// A Sankey link or path refers to a stage or node that does not exist.
    NodeOutOfRange {
        /// Stage index.
        stage: usize,
        /// Node index.
        node: usize,
    },
    /// A Sankey link does not go from one stage to the next.
    LinkNotAdjacent {
        /// Source stage.
        from: usize,
        /// Target stage.
        to: usize,
    },
    /// The links leaving or entering a Sankey node carry more patients than the node has.
    LinksExceedNode {
        /// Patients in the node.
        node_count: u64,
        /// Patients on its links (outgoing or incoming).
        link_total: u64,
    },
    /// A figure with nothing to draw.
    Empty,
}

impl fmt::Display for FigureProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FigureProblem::NotFinite => {
                write!(f, "found a non-finite number, expected a finite one")
            }
            FigureProblem::NegativeTime { time } => {
                write!(f, "found time {time}, expected a time ≥ 0")
            }
            FigureProblem::TimeDecreasing { time, previous } => write!(
                f,
                "found time {time} after {previous}, expected non-decreasing times"
            ),
            FigureProblem::ProbabilityOutOfRange { value } => {
                write!(f, "found {value}, expected a probability in [0, 1]")
            }
            FigureProblem::TooFewTicks { found } => {
                write!(
                    f,
                    "found {found} ticks, expected at least 2 increasing ticks"
                )
            }
            FigureProblem::RiskRowLength { found, expected } => write!(
                f,
                "found {found} values, expected one per x tick ({expected})"
            ),
            FigureProblem::NodeOutOfRange { stage, node } => {
                write!(
                    f,
                    "found node {node} of stage {stage}, which does not exist"
                )
            }
            FigureProblem::LinkNotAdjacent { from, to } => write!(
                f,
                "found a link from stage {from} to stage {to}, expected the next stage"
            ),
            FigureProblem::LinksExceedNode {
                node_count,
                link_total,
            } => write!(
                f,
                "found links carrying {link_total} patients, expected at most the node's {node_count}"
            ),
            FigureProblem::Empty => write!(f, "found nothing to draw"),
        }
    }
}
