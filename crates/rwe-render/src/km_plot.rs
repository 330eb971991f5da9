//! The Kaplan-Meier figure: step curves with censoring marks and optional confidence bands, median and
//! landmark annotations, a legend, and a numbers-at-risk table under the time axis.
//!
//! The model holds only what is drawn: step points, censor marks and bands come from the analysis, the
//! risk-table cells are text (built with [`RiskRow::from_counts`], which formats `n` or `n (events)` and
//! applies the small-cell mask), annotation labels are text the caller formatted with the
//! [`Formatter`]. Nothing here computes a statistic.
//!
//! Alignment: the x axis is one [`LinearScale`]; tick marks, tick labels and every numbers-at-risk cell are
//! placed with `scale.map(tick)`, so a number at risk sits exactly under its tick whatever the ticks are
//! (the misalignment survminer users report cannot happen). The tests read the positions back from the SVG.

use crate::error::{FigureProblem, RenderError};
use crate::font::Weight;
use crate::format::Formatter;
use crate::palette::Colour;
use crate::suppress::SmallCellRule;
use crate::svg::{Anchor, LinearScale, PathData, Svg, TextStyle, centre_baseline, text_width};

/// One step of a survival curve: from `time` on, the curve is at `surv` (until the next step).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurvivalPoint {
    /// Time on the x-axis unit (months).
    pub time: f64,
    /// Survival probability in [0, 1].
    pub surv: f64,
}

/// A pointwise confidence band value, holding from `time` until the next band point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandPoint {
    /// Time.
    pub time: f64,
    /// Lower bound in [0, 1].
    pub lower: f64,
    /// Upper bound in [0, 1].
    pub upper: f64,
}

/// One curve of the figure.
#[derive(Debug, Clone, PartialEq)]
pub struct KmCurve {
    /// Legend label.
    pub label: String,
    /// Line colour (from the report's [`ColourMap`](crate::ColourMap)).
    pub colour: Colour,
    /// Steps in time order; the curve starts at S = 1 at time 0.
    pub steps: Vec<SurvivalPoint>,
    /// Last follow-up time: the curve is drawn flat to here after its last step.
    pub end_time: f64,
    /// Censoring marks, drawn as `+` at (time, S).
    pub censored: Vec<SurvivalPoint>,
    /// Pointwise confidence band as a step function; empty for none.
    pub band: Vec<BandPoint>,
}

/// Scale of the survival axis labels (the curves are always proportions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SurvivalAxis {
    /// 0.00 to 1.00.
    #[default]
    Proportion,
    /// 0% to 100%.
    Percent,
}

/// Where the legend goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LegendPosition {
    /// One row above the plot (never covers a curve).
    #[default]
    Top,
    /// Boxed, inside the plot at the top right.
    InsideTopRight,
    /// Boxed, inside the plot at the bottom left.
    InsideBottomLeft,
    /// No legend (one curve, or the risk-table labels suffice).
    Hidden,
}

/// A note drawn on the plot.
#[derive(Debug, Clone, PartialEq)]
pub enum Annotation {
    /// Dashed drop lines from S = 0.5 across to the median time and down to the axis, with an optional label
    /// beside the vertical line.
    Median {
        /// The median time.
        time: f64,
        /// Line colour (the curve's).
        colour: Colour,
        /// Label such as "Median 9.4 months".
        label: Option<String>,
    },
    /// A dotted vertical line at a landmark time, labelled at the top ("1 year").
    Landmark {
        /// Landmark time.
        time: f64,
        /// Label.
        label: String,
    },
    /// A marked point on a curve, such as the 1-year rate, with its label to the right ("62.0%").
    Point {
        /// Time.
        time: f64,
        /// Survival probability.
        surv: f64,
        /// Marker colour.
        colour: Colour,
        /// Label.
        label: String,
    },
    /// Free text whose left end sits at (time, surv), such as a log-rank p-value.
    Text {
        /// Time.
        time: f64,
        /// Survival probability (vertical position).
        surv: f64,
        /// Text.
        text: String,
    },
}

/// One row of the numbers-at-risk table: a label and one cell per x tick.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskRow {
    /// Row label (the curve's label).
    pub label: String,
    /// Label colour (the curve's colour).
    pub colour: Colour,
    /// One text per x tick, in tick order.
    pub cells: Vec<String>,
}

impl RiskRow {
    /// A row from counts at each tick: `"100"`, or `"100 (0)"` with cumulative events. With a small-cell
    /// rule, counts `0 < n < k` print as `<k` (the counts of a risk table have no totals to protect, so
    /// there is no complementary suppression).
    ///
    /// # Errors
    /// [`RenderError::InvalidFigure`] with [`FigureProblem::RiskRowLength`] when `cumulative_events` has a
    /// different length than `at_risk`.
    pub fn from_counts(
        label: impl Into<String>,
        colour: Colour,
        at_risk: &[u64],
        cumulative_events: Option<&[u64]>,
        rule: Option<&SmallCellRule>,
    ) -> Result<RiskRow, RenderError> {
        let label = label.into();
        if let Some(events) = cumulative_events
            && events.len() != at_risk.len()
        {
            return Err(RenderError::InvalidFigure {
                figure: "(risk table)".to_owned(),
                location: format!("risk row \"{label}\" cumulative events"),
                problem: FigureProblem::RiskRowLength {
                    found: events.len(),
                    expected: at_risk.len(),
                },
            });
        }
        let show = |n: u64| match rule {
            Some(r) if n > 0 && n < r.min_count => r.primary_mask(),
            _ => n.to_string(),
        };
        let cells = at_risk
            .iter()
            .enumerate()
            .map(|(i, &n)| match cumulative_events.and_then(|e| e.get(i)) {
                Some(&e) => format!("{} ({})", show(n), show(e)),
                None => show(n),
            })
            .collect();
        Ok(RiskRow {
            label,
            colour,
            cells,
        })
    }
}

/// The numbers-at-risk table under the plot.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskTable {
    /// Heading, for example "Number at risk (cumulative events)".
    pub title: String,
    /// Rows, usually one per curve in curve order.
    pub rows: Vec<RiskRow>,
}

/// A Kaplan-Meier figure model.
#[derive(Debug, Clone, PartialEq)]
pub struct KmFigure {
    /// Stable id (file stem), for example `fig2_km_efs`.
    pub id: String,
    /// Title drawn above the plot.
    pub title: Option<String>,
    /// Time axis label, for example "Months since first infusion".
    pub x_label: String,
    /// Survival axis label, for example "Event-free survival".
    pub y_label: String,
    /// Time axis ticks, increasing; the axis runs from the first to the last. The numbers at risk are given
    /// at exactly these times.
    pub x_ticks: Vec<f64>,
    /// Survival axis labels as proportions or percentages.
    pub y_axis: SurvivalAxis,
    /// Curves, drawn in order (later on top).
    pub curves: Vec<KmCurve>,
    /// Numbers at risk.
    pub risk_table: Option<RiskTable>,
    /// Annotations, drawn over the curves.
    pub annotations: Vec<Annotation>,
    /// Legend position.
    pub legend: LegendPosition,
    /// Width of the whole figure in px.
    pub width: f64,
    /// Height of the plotting area in px (the figure adds title, axes, legend and risk table).
    pub plot_height: f64,
}

impl KmFigure {
    /// A figure with no curves, default size (760 px wide, 380 px plot) and the legend on top.
    #[must_use]
    pub fn new(
        id: impl Into<String>,
        x_label: impl Into<String>,
        y_label: impl Into<String>,
        x_ticks: Vec<f64>,
    ) -> KmFigure {
        KmFigure {
            id: id.into(),
            title: None,
            x_label: x_label.into(),
            y_label: y_label.into(),
            x_ticks,
            y_axis: SurvivalAxis::Proportion,
            curves: Vec::new(),
            risk_table: None,
            annotations: Vec::new(),
            legend: LegendPosition::Top,
            width: 760.0,
            plot_height: 380.0,
        }
    }

    /// Checks the model: at least two finite increasing ticks, finite non-negative non-decreasing times,
    /// probabilities in [0, 1], one risk cell per tick.
    ///
    /// # Errors
    /// [`RenderError::InvalidFigure`] naming the curve, row or annotation and the problem.
    pub fn validate(&self) -> Result<(), RenderError> {
        let fail = |location: String, problem: FigureProblem| RenderError::InvalidFigure {
            figure: self.id.clone(),
            location,
            problem,
        };
        let ticks_ok = self.x_ticks.len() >= 2
            && self.x_ticks.iter().all(|t| t.is_finite())
            && self.x_ticks.windows(2).all(|w| w[0] < w[1]);
        if !ticks_ok {
            return Err(fail(
                "x ticks".into(),
                FigureProblem::TooFewTicks {
                    found: self.x_ticks.len(),
                },
            ));
        }
        for curve in &self.curves {
            let at = |what: &str, i: usize| format!("curve \"{}\" {what} {i}", curve.label);
            check_times(curve.steps.iter().map(|p| p.time), |i| at("step", i))
                .map_err(|(l, p)| fail(l, p))?;
            check_times(curve.censored.iter().map(|p| p.time), |i| {
                at("censor mark", i)
            })
            .map_err(|(l, p)| fail(l, p))?;
            check_times(curve.band.iter().map(|p| p.time), |i| at("band point", i))
                .map_err(|(l, p)| fail(l, p))?;
            check_times(std::iter::once(curve.end_time), |_| {
                format!("curve \"{}\" end time", curve.label)
            })
            .map_err(|(l, p)| fail(l, p))?;
            let probabilities = curve
                .steps
                .iter()
                .map(|p| p.surv)
                .chain(curve.censored.iter().map(|p| p.surv))
                .chain(curve.band.iter().flat_map(|b| [b.lower, b.upper]));
            for (i, s) in probabilities.enumerate() {
                check_probability(s).map_err(|p| fail(at("probability", i), p))?;
            }
        }
        if let Some(risk) = &self.risk_table {
            for row in &risk.rows {
                if row.cells.len() != self.x_ticks.len() {
                    return Err(fail(
                        format!("risk row \"{}\"", row.label),
                        FigureProblem::RiskRowLength {
                            found: row.cells.len(),
                            expected: self.x_ticks.len(),
                        },
                    ));
                }
            }
        }
        for (i, a) in self.annotations.iter().enumerate() {
            let (time, surv) = match a {
                Annotation::Median { time, .. } | Annotation::Landmark { time, .. } => (*time, 0.5),
                Annotation::Point { time, surv, .. } | Annotation::Text { time, surv, .. } => {
                    (*time, *surv)
                }
            };
            if !time.is_finite() || !surv.is_finite() {
                return Err(fail(format!("annotation {i}"), FigureProblem::NotFinite));
            }
        }
        Ok(())
    }

    /// The figure as SVG. Tick labels are printed by `formatter` with the fewest decimals that show every
    /// tick exactly.
    ///
    /// # Errors
    /// The errors of [`KmFigure::validate`].
    pub fn to_svg(&self, formatter: &Formatter) -> Result<String, RenderError> {
        self.validate()?;
        let layout = Layout::new(self, formatter);
        let mut svg = Svg::new(self.width, layout.height, self.title.as_deref());
        if let Some(title) = &self.title {
            let mut style = TextStyle::new(TITLE_SIZE);
            style.weight = Weight::Bold;
            svg.text(layout.plot_left, 12.0 + TITLE_SIZE, title, style);
        }
        self.draw_axes(&mut svg, &layout);
        svg.group("bands");
        for curve in &self.curves {
            if let Some(d) = band_path(curve, &layout) {
                svg.path(d.as_str(), Some((curve.colour, 0.18)), None, None);
            }
        }
        svg.end_group();
        svg.group("curves");
        for curve in &self.curves {
            let d = curve_path(curve, &layout);
            if !d.is_empty() {
                svg.path(
                    d.as_str(),
                    None,
                    Some((curve.colour, 2.0)),
                    Some("km-curve"),
                );
            }
            let marks = censor_path(curve, &layout);
            if !marks.is_empty() {
                svg.path(
                    marks.as_str(),
                    None,
                    Some((curve.colour, 1.3)),
                    Some("censor-marks"),
                );
            }
        }
        svg.end_group();
        self.draw_annotations(&mut svg, &layout);
        self.draw_legend(&mut svg, &layout);
        self.draw_risk_table(&mut svg, &layout);
        Ok(svg.finish())
    }

    fn draw_axes(&self, svg: &mut Svg, l: &Layout) {
        let axis = Colour::rgb(0x22, 0x22, 0x22);
        svg.group("axes");
        svg.line(
            (l.plot_left, l.plot_bottom),
            (l.plot_right, l.plot_bottom),
            axis,
            1.0,
            None,
        );
        svg.line(
            (l.plot_left, l.plot_top),
            (l.plot_left, l.plot_bottom),
            axis,
            1.0,
            None,
        );
        for (tick, label) in self.x_ticks.iter().zip(&l.x_tick_labels) {
            let x = l.x.map(*tick);
            svg.line(
                (x, l.plot_bottom),
                (x, l.plot_bottom + TICK_LENGTH),
                axis,
                1.0,
                None,
            );
            let mut style = TextStyle::new(TICK_SIZE);
            style.anchor = Anchor::Middle;
            style.class = Some("x-tick");
            svg.text(
                x,
                l.plot_bottom + TICK_LENGTH + 3.0 + TICK_SIZE,
                label,
                style,
            );
        }
        for (tick, label) in Y_TICKS.iter().zip(&l.y_tick_labels) {
            let y = l.y.map(*tick);
            svg.line(
                (l.plot_left - TICK_LENGTH, y),
                (l.plot_left, y),
                axis,
                1.0,
                None,
            );
            let mut style = TextStyle::new(TICK_SIZE);
            style.anchor = Anchor::End;
            style.class = Some("y-tick");
            svg.text(
                l.plot_left - TICK_LENGTH - 3.0,
                centre_baseline(y, TICK_SIZE),
                label,
                style,
            );
        }
        let mut style = TextStyle::new(LABEL_SIZE);
        style.anchor = Anchor::Middle;
        style.class = Some("x-label");
        svg.text(
            (l.plot_left + l.plot_right) / 2.0,
            l.plot_bottom + X_LABEL_OFFSET,
            &self.x_label,
            style,
        );
        let mut style = TextStyle::new(LABEL_SIZE);
        style.anchor = Anchor::Middle;
        style.rotate = -90.0;
        style.class = Some("y-label");
        let y_mid = (l.plot_top + l.plot_bottom) / 2.0;
        svg.text(6.0 + LABEL_SIZE, y_mid, &self.y_label, style);
        svg.end_group();
    }

    fn draw_annotations(&self, svg: &mut Svg, l: &Layout) {
        if self.annotations.is_empty() {
            return;
        }
        svg.group("annotations");
        let (d0, d1) = l.x.domain();
        let mut median_labels = 0.0;
        for a in &self.annotations {
            match a {
                Annotation::Median {
                    time,
                    colour,
                    label,
                } => {
                    if *time < d0 || *time > d1 {
                        continue;
                    }
                    let (x, y) = (l.x.map(*time), l.y.map(0.5));
                    svg.line((l.plot_left, y), (x, y), *colour, 1.0, Some("4 3"));
                    svg.line((x, y), (x, l.plot_bottom), *colour, 1.0, Some("4 3"));
                    if let Some(label) = label {
                        let mut style = TextStyle::new(ANNOTATION_SIZE);
                        style.fill = *colour;
                        style.halo = true;
                        let baseline =
                            l.plot_bottom - 6.0 - median_labels * (ANNOTATION_SIZE + 4.0);
                        svg.text(x + 4.0, baseline, label, style);
                        median_labels += 1.0;
                    }
                }
                Annotation::Landmark { time, label } => {
                    if *time < d0 || *time > d1 {
                        continue;
                    }
                    let x = l.x.map(*time);
                    let grey = Colour::rgb(0x77, 0x77, 0x77);
                    svg.line((x, l.plot_top), (x, l.plot_bottom), grey, 1.0, Some("1 3"));
                    let mut style = TextStyle::new(ANNOTATION_SIZE);
                    style.anchor = Anchor::Middle;
                    style.fill = grey;
                    style.halo = true;
                    svg.text(x, l.plot_top + ANNOTATION_SIZE, label, style);
                }
                Annotation::Point {
                    time,
                    surv,
                    colour,
                    label,
                } => {
                    if *time < d0 || *time > d1 {
                        continue;
                    }
                    let (x, y) = (l.x.map(*time), l.y.map(*surv));
                    svg.circle((x, y), 3.5, *colour);
                    let mut style = TextStyle::new(ANNOTATION_SIZE);
                    style.fill = *colour;
                    style.halo = true;
                    style.weight = Weight::Bold;
                    svg.text(x + 6.0, y - 5.0, label, style);
                }
                Annotation::Text { time, surv, text } => {
                    let mut style = TextStyle::new(ANNOTATION_SIZE + 1.0);
                    style.halo = true;
                    svg.text(l.x.map(*time), l.y.map(*surv), text, style);
                }
            }
        }
        svg.end_group();
    }

    fn legend_entries(&self) -> Vec<(String, Option<Colour>)> {
        let mut entries: Vec<(String, Option<Colour>)> = self
            .curves
            .iter()
            .map(|c| (c.label.clone(), Some(c.colour)))
            .collect();
        if self.curves.iter().any(|c| !c.censored.is_empty()) {
            entries.push(("Censored".to_owned(), None));
        }
        entries
    }

    fn draw_legend(&self, svg: &mut Svg, l: &Layout) {
        if self.legend == LegendPosition::Hidden || self.curves.is_empty() {
            return;
        }
        let entries = self.legend_entries();
        svg.group("legend");
        let entry_width =
            |label: &str| LEGEND_SWATCH + 6.0 + text_width(label, LEGEND_SIZE, Weight::Regular);
        match self.legend {
            LegendPosition::Top => {
                for (row, items) in l.legend_rows.iter().enumerate() {
                    let total: f64 = items
                        .iter()
                        .map(|&i| entry_width(&entries[i].0))
                        .sum::<f64>()
                        + LEGEND_GAP * (items.len().saturating_sub(1) as f64);
                    let mut x = (l.plot_left + l.plot_right) / 2.0 - total / 2.0;
                    let y = l.legend_top + LEGEND_ROW * (row as f64) + LEGEND_ROW / 2.0;
                    for &i in items {
                        let (label, colour) = &entries[i];
                        legend_swatch(svg, x, y, *colour);
                        let mut style = TextStyle::new(LEGEND_SIZE);
                        style.class = Some("legend-label");
                        svg.text(
                            x + LEGEND_SWATCH + 6.0,
                            centre_baseline(y, LEGEND_SIZE),
                            label,
                            style,
                        );
                        x += entry_width(label) + LEGEND_GAP;
                    }
                }
            }
            LegendPosition::InsideTopRight | LegendPosition::InsideBottomLeft => {
                let width = entries
                    .iter()
                    .map(|(label, _)| entry_width(label))
                    .fold(0.0, f64::max)
                    + 16.0;
                let height = LEGEND_ROW * entries.len() as f64 + 8.0;
                let (x0, y0) = if self.legend == LegendPosition::InsideTopRight {
                    (l.plot_right - width - 8.0, l.plot_top + 8.0)
                } else {
                    (l.plot_left + 8.0, l.plot_bottom - height - 8.0)
                };
                svg.rect(x0, y0, width, height, Colour::rgb(0xFF, 0xFF, 0xFF), 0.85);
                for (i, (label, colour)) in entries.iter().enumerate() {
                    let y = y0 + 4.0 + LEGEND_ROW * (i as f64) + LEGEND_ROW / 2.0;
                    legend_swatch(svg, x0 + 8.0, y, *colour);
                    let mut style = TextStyle::new(LEGEND_SIZE);
                    style.class = Some("legend-label");
                    svg.text(
                        x0 + 8.0 + LEGEND_SWATCH + 6.0,
                        centre_baseline(y, LEGEND_SIZE),
                        label,
                        style,
                    );
                }
            }
            LegendPosition::Hidden => {}
        }
        svg.end_group();
    }

    fn draw_risk_table(&self, svg: &mut Svg, l: &Layout) {
        let Some(risk) = &self.risk_table else {
            return;
        };
        svg.group("risk-table");
        let mut style = TextStyle::new(RISK_TITLE_SIZE);
        style.weight = Weight::Bold;
        svg.text(8.0, l.risk_top + RISK_TITLE_SIZE, &risk.title, style);
        for (r, row) in risk.rows.iter().enumerate() {
            let y = l.risk_top + RISK_TITLE_HEIGHT + RISK_ROW * (r as f64) + RISK_ROW / 2.0;
            let baseline = centre_baseline(y, RISK_SIZE);
            let mut label_style = TextStyle::new(RISK_SIZE);
            label_style.anchor = Anchor::End;
            label_style.weight = Weight::Bold;
            label_style.fill = row.colour;
            label_style.class = Some("risk-label");
            svg.text(
                l.plot_left - first_risk_half_width(self) - 12.0,
                baseline,
                &row.label,
                label_style,
            );
            for (tick, cell) in self.x_ticks.iter().zip(&row.cells) {
                let mut style = TextStyle::new(RISK_SIZE);
                style.anchor = Anchor::Middle;
                style.class = Some("risk-count");
                svg.text(l.x.map(*tick), baseline, cell, style);
            }
        }
        svg.end_group();
    }
}

/// Half the widest first risk-table cell: the cells are centred on the ticks, so the labels must end left
/// of the first one.
fn first_risk_half_width(fig: &KmFigure) -> f64 {
    fig.risk_table.as_ref().map_or(0.0, |r| {
        r.rows
            .iter()
            .filter_map(|row| row.cells.first())
            .map(|c| text_width(c, RISK_SIZE, Weight::Regular) / 2.0)
            .fold(0.0, f64::max)
    })
}

fn legend_swatch(svg: &mut Svg, x: f64, y: f64, colour: Option<Colour>) {
    match colour {
        Some(c) => svg.line((x, y), (x + LEGEND_SWATCH, y), c, 2.5, None),
        None => {
            let mut d = PathData::default();
            let cx = x + LEGEND_SWATCH / 2.0;
            d.move_to(cx - 4.0, y)
                .line_to(cx + 4.0, y)
                .move_to(cx, y - 4.0)
                .line_to(cx, y + 4.0);
            svg.path(
                d.as_str(),
                None,
                Some((Colour::rgb(0x44, 0x44, 0x44), 1.3)),
                None,
            );
        }
    }
}

const TITLE_SIZE: f64 = 15.0;
const TICK_SIZE: f64 = 12.0;
const LABEL_SIZE: f64 = 13.0;
const LEGEND_SIZE: f64 = 12.0;
const ANNOTATION_SIZE: f64 = 11.0;
const RISK_SIZE: f64 = 12.0;
const RISK_TITLE_SIZE: f64 = 12.0;
const TICK_LENGTH: f64 = 5.0;
const X_LABEL_OFFSET: f64 = 44.0;
const LEGEND_SWATCH: f64 = 22.0;
const LEGEND_GAP: f64 = 20.0;
const LEGEND_ROW: f64 = 20.0;
const RISK_TITLE_HEIGHT: f64 = 20.0;
const RISK_ROW: f64 = 20.0;
const Y_TICKS: [f64; 5] = [0.0, 0.25, 0.5, 0.75, 1.0];

/// Positions of everything, computed once from the model and the measured text.
struct Layout {
    x: LinearScale,
    y: LinearScale,
    plot_left: f64,
    plot_right: f64,
    plot_top: f64,
    plot_bottom: f64,
    legend_top: f64,
    legend_rows: Vec<Vec<usize>>,
    risk_top: f64,
    height: f64,
    x_tick_labels: Vec<String>,
    y_tick_labels: Vec<String>,
}

impl Layout {
    fn new(fig: &KmFigure, formatter: &Formatter) -> Layout {
        let x_tick_labels = tick_labels(&fig.x_ticks, formatter);
        let y_tick_labels: Vec<String> = match fig.y_axis {
            SurvivalAxis::Proportion => tick_labels(&Y_TICKS, formatter),
            SurvivalAxis::Percent => {
                let whole = Formatter {
                    percent_decimals: 0,
                    ..formatter.clone()
                };
                Y_TICKS.iter().map(|&t| whole.percent(t)).collect()
            }
        };
        let widest = |labels: &[String], size: f64, weight: Weight| {
            labels
                .iter()
                .map(|t| text_width(t, size, weight))
                .fold(0.0, f64::max)
        };
        let y_axis_space = 6.0
            + LABEL_SIZE
            + 10.0
            + widest(&y_tick_labels, TICK_SIZE, Weight::Regular)
            + TICK_LENGTH
            + 6.0;
        let risk_labels: Vec<String> = fig
            .risk_table
            .as_ref()
            .map(|r| r.rows.iter().map(|row| row.label.clone()).collect())
            .unwrap_or_default();
        let risk_space =
            widest(&risk_labels, RISK_SIZE, Weight::Bold) + first_risk_half_width(fig) + 22.0;
        let plot_left = y_axis_space.max(risk_space).max(48.0);
        let last_tick = x_tick_labels
            .last()
            .map_or(0.0, |t| text_width(t, TICK_SIZE, Weight::Regular));
        let last_cells = fig
            .risk_table
            .as_ref()
            .map(|r| {
                r.rows
                    .iter()
                    .filter_map(|row| row.cells.last())
                    .map(|c| text_width(c, RISK_SIZE, Weight::Regular))
                    .fold(0.0, f64::max)
            })
            .unwrap_or(0.0);
        let right_margin = (last_tick.max(last_cells) / 2.0 + 8.0).max(24.0);
        let plot_right = (fig.width - right_margin).max(plot_left + 50.0);

        let mut top = 12.0;
        if fig.title.is_some() {
            top += TITLE_SIZE + 12.0;
        }
        let legend_top = top;
        let legend_rows = if fig.legend == LegendPosition::Top && !fig.curves.is_empty() {
            wrap_legend(&fig.legend_entries(), plot_right - plot_left)
        } else {
            Vec::new()
        };
        top += LEGEND_ROW * legend_rows.len() as f64;
        let plot_top = top + 8.0;
        let plot_bottom = plot_top + fig.plot_height;
        let risk_top = plot_bottom + X_LABEL_OFFSET + 18.0;
        let height = match &fig.risk_table {
            Some(r) => risk_top + RISK_TITLE_HEIGHT + RISK_ROW * r.rows.len() as f64 + 10.0,
            None => plot_bottom + X_LABEL_OFFSET + 14.0,
        };
        let first = fig.x_ticks.first().copied().unwrap_or(0.0);
        let last = fig.x_ticks.last().copied().unwrap_or(1.0);
        Layout {
            x: LinearScale::new((first, last), (plot_left, plot_right)),
            y: LinearScale::new((0.0, 1.0), (plot_bottom, plot_top)),
            plot_left,
            plot_right,
            plot_top,
            plot_bottom,
            legend_top,
            legend_rows,
            risk_top,
            height,
            x_tick_labels,
            y_tick_labels,
        }
    }
}

/// Splits legend entries into rows that fit `width`.
fn wrap_legend(entries: &[(String, Option<Colour>)], width: f64) -> Vec<Vec<usize>> {
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut used = 0.0;
    for (i, (label, _)) in entries.iter().enumerate() {
        let w = LEGEND_SWATCH + 6.0 + text_width(label, LEGEND_SIZE, Weight::Regular);
        match rows.last_mut() {
            Some(row) if used + LEGEND_GAP + w <= width => {
                row.push(i);
                used += LEGEND_GAP + w;
            }
            _ => {
                rows.push(vec![i]);
                used = w;
            }
        }
    }
    rows
}

/// Tick labels with the fewest decimals (up to 3) that print every tick exactly.
pub(crate) fn tick_labels(ticks: &[f64], formatter: &Formatter) -> Vec<String> {
    let decimals = (0u8..=3)
        .find(|&d| {
            ticks.iter().all(|&t| {
                let shown: f64 = formatter.fixed(t, d).parse().unwrap_or(f64::NAN);
                (shown - t).abs() <= 1e-9 * t.abs().max(1.0)
            })
        })
        .unwrap_or(3);
    ticks
        .iter()
        .map(|&t| formatter.fixed(t, decimals))
        .collect()
}

fn check_times(
    times: impl Iterator<Item = f64>,
    location: impl Fn(usize) -> String,
) -> Result<(), (String, FigureProblem)> {
    let mut previous = f64::NEG_INFINITY;
    for (i, t) in times.enumerate() {
        if !t.is_finite() {
            return Err((location(i), FigureProblem::NotFinite));
        }
        if t < 0.0 {
            return Err((location(i), FigureProblem::NegativeTime { time: t }));
        }
        if t < previous {
            return Err((
                location(i),
                FigureProblem::TimeDecreasing { time: t, previous },
            ));
        }
        previous = t;
    }
    Ok(())
}

fn check_probability(s: f64) -> Result<(), FigureProblem> {
    if !s.is_finite() {
        Err(FigureProblem::NotFinite)
    } else if !(0.0..=1.0).contains(&s) {
        Err(FigureProblem::ProbabilityOutOfRange { value: s })
    } else {
        Ok(())
    }
}

/// Vertices of a right-continuous step function starting at (`start`, `initial`): for each point a
/// horizontal move to its time, then a vertical move to its value; flat to `end` after the last point.
fn step_vertices(start: f64, initial: f64, points: &[(f64, f64)], end: f64) -> Vec<(f64, f64)> {
    let mut out = vec![(start, initial)];
    let mut level = initial;
    for &(t, v) in points {
        out.push((t, level));
        out.push((t, v));
        level = v;
    }
    let last_time = out.last().map_or(start, |p| p.0);
    out.push((end.max(last_time), level));
    out
}

/// Clips a polyline whose times never decrease to times within `[d0, d1]`. Segments that cross a bound
/// are horizontal (time changes only along flat parts of a step function), so the crossing keeps the
/// level of the vertex before it.
fn clip(vertices: &[(f64, f64)], d0: f64, d1: f64) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    let mut before: Option<(f64, f64)> = None;
    for &(t, v) in vertices {
        if t < d0 {
            before = Some((t, v));
            continue;
        }
        if out.is_empty()
            && let Some((_, level)) = before
            && t > d0
        {
            out.push((d0, level));
        }
        if t > d1 {
            if let Some(&(_, level)) = out.last() {
                out.push((d1, level));
            }
            break;
        }
        out.push((t, v));
    }
    out
}

fn curve_path(curve: &KmCurve, l: &Layout) -> PathData {
    let points: Vec<(f64, f64)> = curve.steps.iter().map(|p| (p.time, p.surv)).collect();
    let (d0, d1) = l.x.domain();
    let vertices = clip(&step_vertices(0.0, 1.0, &points, curve.end_time), d0, d1);
    let mut d = PathData::default();
    for (i, &(t, s)) in vertices.iter().enumerate() {
        if i == 0 {
            d.move_to(l.x.map(t), l.y.map(s));
        } else {
            d.line_to(l.x.map(t), l.y.map(s));
        }
    }
    d
}

fn censor_path(curve: &KmCurve, l: &Layout) -> PathData {
    let (d0, d1) = l.x.domain();
    let mut d = PathData::default();
    for p in curve
        .censored
        .iter()
        .filter(|p| p.time >= d0 && p.time <= d1)
    {
        let (x, y) = (l.x.map(p.time), l.y.map(p.surv));
        d.move_to(x - 4.0, y)
            .line_to(x + 4.0, y)
            .move_to(x, y - 4.0)
            .line_to(x, y + 4.0);
    }
    d
}

fn band_path(curve: &KmCurve, l: &Layout) -> Option<PathData> {
    let first = curve.band.first()?;
    let end = curve.end_time;
    let (d0, d1) = l.x.domain();
    let rest = &curve.band[1..];
    let upper: Vec<(f64, f64)> = rest.iter().map(|b| (b.time, b.upper)).collect();
    let lower: Vec<(f64, f64)> = rest.iter().map(|b| (b.time, b.lower)).collect();
    let upper = clip(&step_vertices(first.time, first.upper, &upper, end), d0, d1);
    let lower = clip(&step_vertices(first.time, first.lower, &lower, end), d0, d1);
    if upper.is_empty() || lower.is_empty() {
        return None;
    }
    let mut d = PathData::default();
    for (i, &(t, v)) in upper.iter().enumerate() {
        if i == 0 {
            d.move_to(l.x.map(t), l.y.map(v));
        } else {
            d.line_to(l.x.map(t), l.y.map(v));
        }
    }
    for &(t, v) in lower.iter().rev() {
        d.line_to(l.x.map(t), l.y.map(v));
    }
    d.close();
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_vertices_and_clipping() {
        // S drops to 0.8 at t = 2 and to 0.5 at t = 5; follow-up ends at 9.
        let v = step_vertices(0.0, 1.0, &[(2.0, 0.8), (5.0, 0.5)], 9.0);
        assert_eq!(
            v,
            vec![
                (0.0, 1.0),
                (2.0, 1.0),
                (2.0, 0.8),
                (5.0, 0.8),
                (5.0, 0.5),
                (9.0, 0.5)
            ]
        );
        // Axis 0..4: the curve stops at 4 on the 0.8 level.
        assert_eq!(
            clip(&v, 0.0, 4.0),
            vec![(0.0, 1.0), (2.0, 1.0), (2.0, 0.8), (4.0, 0.8)]
        );
        // Axis 3..6 starts on the 0.8 level.
        assert_eq!(
            clip(&v, 3.0, 6.0),
            vec![(3.0, 0.8), (5.0, 0.8), (5.0, 0.5), (6.0, 0.5)]
        );
    }

    #[test]
    fn tick_labels_use_the_fewest_exact_decimals() {
        let f = Formatter::default();
        assert_eq!(tick_labels(&[0.0, 6.0, 12.0], &f), vec!["0", "6", "12"]);
        assert_eq!(tick_labels(&[0.0, 0.5, 1.0], &f), vec!["0.0", "0.5", "1.0"]);
        assert_eq!(
            tick_labels(&Y_TICKS, &f),
            vec!["0.00", "0.25", "0.50", "0.75", "1.00"]
        );
    }

    #[test]
    fn risk_rows_format_counts_events_and_masks() {
        let c = Colour::rgb(0, 0, 0);
        let row =
            RiskRow::from_counts("ND", c, &[100, 90, 3, 0], Some(&[0, 8, 20, 21]), None).unwrap();
        assert_eq!(row.cells, vec!["100 (0)", "90 (8)", "3 (20)", "0 (21)"]);
        let rule = SmallCellRule::new(5);
        let row = RiskRow::from_counts("ND", c, &[100, 3, 0], None, Some(&rule)).unwrap();
        assert_eq!(row.cells, vec!["100", "<5", "0"]);
        assert!(RiskRow::from_counts("ND", c, &[1, 2], Some(&[1]), None).is_err());
    }
}
