//! The treatment-pattern Sankey diagram (for example population → duration of treatment → number of cycles
//! → subsequent therapy) and the path/frequency table behind it.
//!
//! Layout: stages are columns spaced evenly across the width; a node's height is proportional to its patient
//! count, with a fixed gap between nodes, one scale for the whole figure (so equal counts have equal heights
//! in every column), and each column centred vertically. Links are ribbons (two cubic Bézier curves) whose
//! width is the link's count on the same scale; at a node, leaving ribbons are stacked in the order of their
//! target nodes and arriving ribbons in the order of their source nodes, so ribbons do not cross inside a
//! node. Counts are written on nodes ("Cycle 1 (64)") and on each ribbon where it arrives (ribbons are stacked
//! there and never cross, so a count cannot be read against the wrong ribbon).
//!
//! Colours: a node has the colour of its label in the report's [`ColourMap`](crate::ColourMap) when it
//! represents a group or therapy, otherwise neutral grey. A ribbon takes its target's colour when the target
//! has one (a subsequent therapy), else its source's (the population), else grey.
//!
//! Node and link display texts may be replaced (`count_text`) to apply a small-cell mask; ribbon widths still
//! show approximate sizes, so a figure that must hide counts below `k` should merge small paths first.

use crate::error::{FigureProblem, RenderError};
use crate::font::Weight;
use crate::format::Formatter;
use crate::palette::{Colour, NEUTRAL};
use crate::suppress::{SmallCellRule, suppress};
use crate::svg::{Anchor, PathData, Svg, TextStyle, centre_baseline, text_width};
use crate::table::{BodyRow, Cell, HeaderCell, Table};

/// A node: one category of one stage.
#[derive(Debug, Clone, PartialEq)]
pub struct SankeyNode {
    /// Category label ("≤ 3 months", "Cycle 2", "Allo-HSCT").
    pub label: String,
    /// Patients in the node.
    pub count: u64,
    /// Fill colour; `None` for neutral grey.
    pub colour: Option<Colour>,
    /// Text shown for the count instead of the number (for example a small-cell mask).
    pub count_text: Option<String>,
}

impl SankeyNode {
    /// A node with a count, no colour.
    #[must_use]
    pub fn new(label: impl Into<String>, count: u64) -> SankeyNode {
        SankeyNode {
            label: label.into(),
            count,
            colour: None,
            count_text: None,
        }
    }

    /// The same node with a colour.
    #[must_use]
    pub fn coloured(mut self, colour: Colour) -> SankeyNode {
        self.colour = Some(colour);
        self
    }

    fn shown_count(&self) -> String {
        self.count_text
            .clone()
            .unwrap_or_else(|| self.count.to_string())
    }
}

/// A column of the diagram.
#[derive(Debug, Clone, PartialEq)]
pub struct SankeyStage {
    /// Column heading ("Cycles received").
    pub label: String,
    /// Nodes top to bottom.
    pub nodes: Vec<SankeyNode>,
}

/// A node by stage and position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeRef {
    /// Stage index.
    pub stage: usize,
    /// Node index within the stage.
    pub node: usize,
}

/// Patients moving from a node to a node of the next stage.
#[derive(Debug, Clone, PartialEq)]
pub struct SankeyLink {
    /// Source node.
    pub source: NodeRef,
    /// Target node, in the next stage.
    pub target: NodeRef,
    /// Patients.
    pub count: u64,
    /// Text shown instead of the count.
    pub count_text: Option<String>,
}

/// A full path through the stages with its patient count: `nodes[i]` is the node index in stage `i`; a
/// path may stop before the last stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathCount {
    /// Node index per stage, from stage 0.
    pub nodes: Vec<usize>,
    /// Patients following the path.
    pub count: u64,
}

/// A Sankey figure model.
#[derive(Debug, Clone, PartialEq)]
pub struct SankeyFigure {
    /// Stable id (file stem), for example `fig1_treatment_patterns_nd`.
    pub id: String,
    /// Title above the diagram.
    pub title: Option<String>,
    /// Columns, left to right.
    pub stages: Vec<SankeyStage>,
    /// Links between adjacent stages.
    pub links: Vec<SankeyLink>,
    /// The paths behind the links, for the path/frequency table (may be empty).
    pub paths: Vec<PathCount>,
    /// Figure width in px.
    pub width: f64,
    /// Figure height in px.
    pub height: f64,
}

impl SankeyFigure {
    /// Builds the figure from patient paths: node counts and links are summed from the paths, so the
    /// diagram and the path table agree by construction. The stages' node counts are overwritten.
    ///
    /// # Errors
    /// [`RenderError::InvalidFigure`] when a path names a node that does not exist or visits more stages
    /// than there are.
    pub fn from_paths(
        id: impl Into<String>,
        title: Option<String>,
        mut stages: Vec<SankeyStage>,
        paths: Vec<PathCount>,
    ) -> Result<SankeyFigure, RenderError> {
        let id = id.into();
        for stage in &mut stages {
            for node in &mut stage.nodes {
                node.count = 0;
            }
        }
        let mut links: Vec<SankeyLink> = Vec::new();
        for (p, path) in paths.iter().enumerate() {
            for (stage, &node) in path.nodes.iter().enumerate() {
                let slot = stages
                    .get_mut(stage)
                    .and_then(|s| s.nodes.get_mut(node))
                    .ok_or_else(|| RenderError::InvalidFigure {
                        figure: id.clone(),
                        location: format!("path {p}"),
                        problem: FigureProblem::NodeOutOfRange { stage, node },
                    })?;
                slot.count = slot.count.saturating_add(path.count);
            }
            for (stage, pair) in path.nodes.windows(2).enumerate() {
                let source = NodeRef {
                    stage,
                    node: pair[0],
                };
                let target = NodeRef {
                    stage: stage + 1,
                    node: pair[1],
                };
                match links
                    .iter_mut()
                    .find(|l| l.source == source && l.target == target)
                {
                    Some(link) => link.count = link.count.saturating_add(path.count),
                    None => links.push(SankeyLink {
                        source,
                        target,
                        count: path.count,
                        count_text: None,
                    }),
                }
            }
        }
        links.sort_by_key(|l| (l.source, l.target));
        Ok(SankeyFigure {
            id,
            title,
            stages,
            links,
            paths,
            width: 900.0,
            height: 520.0,
        })
    }

    fn node(&self, r: NodeRef) -> Option<&SankeyNode> {
        self.stages.get(r.stage).and_then(|s| s.nodes.get(r.node))
    }

    /// Checks that there is something to draw, that links join existing nodes of adjacent stages, and that
    /// no node sends or receives more patients than it has.
    ///
    /// # Errors
    /// [`RenderError::InvalidFigure`] naming the link or node.
    pub fn validate(&self) -> Result<(), RenderError> {
        let fail = |location: String, problem| RenderError::InvalidFigure {
            figure: self.id.clone(),
            location,
            problem,
        };
        if self
            .stages
            .iter()
            .all(|s| s.nodes.iter().all(|n| n.count == 0))
        {
            return Err(fail("stages".into(), FigureProblem::Empty));
        }
        for (i, link) in self.links.iter().enumerate() {
            for end in [link.source, link.target] {
                if self.node(end).is_none() {
                    return Err(fail(
                        format!("link {i}"),
                        FigureProblem::NodeOutOfRange {
                            stage: end.stage,
                            node: end.node,
                        },
                    ));
                }
            }
            if link.target.stage != link.source.stage + 1 {
                return Err(fail(
                    format!("link {i}"),
                    FigureProblem::LinkNotAdjacent {
                        from: link.source.stage,
                        to: link.target.stage,
                    },
                ));
            }
        }
        for (s, stage) in self.stages.iter().enumerate() {
            for (n, node) in stage.nodes.iter().enumerate() {
                let here = NodeRef { stage: s, node: n };
                let carried = |end: fn(&SankeyLink) -> NodeRef| {
                    self.links
                        .iter()
                        .filter(|l| end(l) == here)
                        .fold(0u64, |acc, l| acc.saturating_add(l.count))
                };
                let out = carried(|l| l.source);
                let inc = carried(|l| l.target);
                let link_total = out.max(inc);
                if link_total > node.count {
                    return Err(fail(
                        format!("node \"{}\" of stage \"{}\"", node.label, stage.label),
                        FigureProblem::LinksExceedNode {
                            node_count: node.count,
                            link_total,
                        },
                    ));
                }
            }
        }
        Ok(())
    }

    /// The diagram as SVG.
    ///
    /// # Errors
    /// The errors of [`SankeyFigure::validate`].
    pub fn to_svg(&self) -> Result<String, RenderError> {
        self.validate()?;
        let layout = self.layout();
        let mut svg = Svg::new(self.width, self.height, self.title.as_deref());
        if let Some(title) = &self.title {
            let mut style = TextStyle::new(TITLE_SIZE);
            style.weight = Weight::Bold;
            svg.text(MARGIN, 12.0 + TITLE_SIZE, title, style);
        }
        svg.group("stages");
        for (s, stage) in self.stages.iter().enumerate() {
            let mut style = TextStyle::new(STAGE_SIZE);
            style.weight = Weight::Bold;
            style.class = Some("stage-label");
            svg.text(
                layout.column_x[s],
                layout.stage_label_y,
                &stage.label,
                style,
            );
        }
        svg.end_group();

        svg.group("links");
        let mut link_labels: Vec<(usize, f64, f64, String)> = Vec::new();
        for (i, link) in self.links.iter().enumerate() {
            let (Some(source), Some(target)) = (self.node(link.source), self.node(link.target))
            else {
                continue;
            };
            let width = link.count as f64 * layout.scale;
            if width <= 0.0 {
                continue;
            }
            let x0 = layout.column_x[link.source.stage] + NODE_WIDTH;
            let x1 = layout.column_x[link.target.stage];
            let y0 = layout.link_source_y[i];
            let y1 = layout.link_target_y[i];
            let xm = (x0 + x1) / 2.0;
            let mut d = PathData::default();
            d.move_to(x0, y0)
                .curve_to((xm, y0), (xm, y1), (x1, y1))
                .line_to(x1, y1 + width)
                .curve_to((xm, y1 + width), (xm, y0 + width), (x0, y0 + width))
                .close();
            let colour = target.colour.or(source.colour).unwrap_or(NEUTRAL);
            svg.path(d.as_str(), Some((colour, 0.45)), None, Some("link"));
            let text = link
                .count_text
                .clone()
                .unwrap_or_else(|| link.count.to_string());
            link_labels.push((link.target.stage, x1 - 4.0, y1 + width / 2.0, text));
        }
        svg.end_group();

        svg.group("nodes");
        for (s, stage) in self.stages.iter().enumerate() {
            for (n, node) in stage.nodes.iter().enumerate() {
                if node.count == 0 {
                    continue;
                }
                let (top, height) = layout.node_box[s][n];
                svg.rect(
                    layout.column_x[s],
                    top,
                    NODE_WIDTH,
                    height,
                    node.colour.unwrap_or(NEUTRAL),
                    1.0,
                );
            }
        }
        svg.end_group();

        svg.group("link-counts");
        for (x, y, text) in spread_labels(link_labels) {
            let mut style = TextStyle::new(LINK_SIZE);
            style.anchor = Anchor::End;
            style.halo = true;
            style.class = Some("link-count");
            svg.text(x, centre_baseline(y, LINK_SIZE), &text, style);
        }
        svg.end_group();

        svg.group("node-labels");
        for (s, stage) in self.stages.iter().enumerate() {
            let mut centres: Vec<(f64, String)> = stage
                .nodes
                .iter()
                .enumerate()
                .filter(|(_, node)| node.count > 0)
                .map(|(n, node)| {
                    let (top, height) = layout.node_box[s][n];
                    (
                        top + height / 2.0,
                        format!("{} ({})", node.label, node.shown_count()),
                    )
                })
                .collect();
            separate(&mut centres, NODE_LABEL_SIZE + 2.0);
            for (y, text) in centres {
                let mut style = TextStyle::new(NODE_LABEL_SIZE);
                style.halo = true;
                style.class = Some("node-label");
                svg.text(
                    layout.column_x[s] + NODE_WIDTH + 5.0,
                    centre_baseline(y, NODE_LABEL_SIZE),
                    &text,
                    style,
                );
            }
        }
        svg.end_group();
        Ok(svg.finish())
    }

    fn layout(&self) -> SankeyLayout {
        let mut top = 12.0;
        if self.title.is_some() {
            top += TITLE_SIZE + 14.0;
        }
        let stage_label_y = top + STAGE_SIZE;
        let plot_top = stage_label_y + 14.0;
        let plot_bottom = self.height - MARGIN;
        let available = (plot_bottom - plot_top).max(10.0);

        let stages = self.stages.len().max(1);
        let label_width = |s: &SankeyStage| {
            s.nodes
                .iter()
                .map(|n| {
                    text_width(
                        &format!("{} ({})", n.label, n.shown_count()),
                        NODE_LABEL_SIZE,
                        Weight::Regular,
                    )
                })
                .fold(0.0, f64::max)
        };
        let last_width = self.stages.last().map_or(0.0, label_width);
        let last_header = self
            .stages
            .last()
            .map_or(0.0, |s| text_width(&s.label, STAGE_SIZE, Weight::Bold));
        let right = self.width - MARGIN - (last_width + NODE_WIDTH + 5.0).max(last_header);
        let step = if stages > 1 {
            ((right - MARGIN) / (stages - 1) as f64).max(NODE_WIDTH * 2.0)
        } else {
            0.0
        };
        let column_x: Vec<f64> = (0..stages).map(|s| MARGIN + step * s as f64).collect();

        let scale = self
            .stages
            .iter()
            .filter_map(|stage| {
                let shown = stage.nodes.iter().filter(|n| n.count > 0).count();
                let total = stage_total(stage);
                (total > 0).then(|| {
                    (available - NODE_GAP * shown.saturating_sub(1) as f64).max(1.0) / total as f64
                })
            })
            .fold(f64::INFINITY, f64::min);
        let scale = if scale.is_finite() { scale } else { 1.0 };

        let node_box: Vec<Vec<(f64, f64)>> = self
            .stages
            .iter()
            .map(|stage| {
                let shown = stage.nodes.iter().filter(|n| n.count > 0).count();
                let total = stage_total(stage);
                let used = total as f64 * scale + NODE_GAP * shown.saturating_sub(1) as f64;
                let mut y = plot_top + (available - used) / 2.0;
                stage
                    .nodes
                    .iter()
                    .map(|node| {
                        let height = node.count as f64 * scale;
                        let b = (y, height);
                        if node.count > 0 {
                            y += height + NODE_GAP;
                        }
                        b
                    })
                    .collect()
            })
            .collect();

        // Stack ribbons: leaving ribbons by target order, arriving ribbons by source order.
        let mut link_source_y = vec![0.0; self.links.len()];
        let mut link_target_y = vec![0.0; self.links.len()];
        let mut by_source: Vec<usize> = (0..self.links.len()).collect();
        by_source.sort_by_key(|&i| (self.links[i].source, self.links[i].target.node, i));
        let mut offsets = std::collections::BTreeMap::new();
        for &i in &by_source {
            let link = &self.links[i];
            let offset = offsets.entry(link.source).or_insert(0.0);
            let (top, _) = node_box[link.source.stage][link.source.node];
            link_source_y[i] = top + *offset;
            *offset += link.count as f64 * scale;
        }
        let mut by_target: Vec<usize> = (0..self.links.len()).collect();
        by_target.sort_by_key(|&i| (self.links[i].target, self.links[i].source.node, i));
        let mut offsets = std::collections::BTreeMap::new();
        for &i in &by_target {
            let link = &self.links[i];
            let offset = offsets.entry(link.target).or_insert(0.0);
            let (top, _) = node_box[link.target.stage][link.target.node];
            link_target_y[i] = top + *offset;
            *offset += link.count as f64 * scale;
        }
        SankeyLayout {
            column_x,
            stage_label_y,
            scale,
            node_box,
            link_source_y,
            link_target_y,
        }
    }

    /// The path/frequency table behind the diagram: one row per path (most patients first), the node of
    /// each stage, and `n (%)` of all patients; a total row last. With a small-cell rule, small path counts
    /// are masked with complementary suppression against the total.
    ///
    /// # Errors
    /// [`RenderError::InvalidFigure`] when a path names a node that does not exist;
    /// [`RenderError::CountOverflow`] when the total does not fit in a u64.
    pub fn path_table(
        &self,
        id: impl Into<String>,
        title: impl Into<String>,
        formatter: &Formatter,
        rule: Option<&SmallCellRule>,
    ) -> Result<Table, RenderError> {
        let mut order: Vec<usize> = (0..self.paths.len()).collect();
        order.sort_by(|&a, &b| {
            let (pa, pb) = (&self.paths[a], &self.paths[b]);
            pb.count
                .cmp(&pa.count)
                .then_with(|| pa.nodes.cmp(&pb.nodes))
        });
        let counts: Vec<Vec<u64>> = order.iter().map(|&i| vec![self.paths[i].count]).collect();
        let total = counts
            .iter()
            .try_fold(0u64, |acc, c| acc.checked_add(c[0]))
            .ok_or(RenderError::CountOverflow)?;
        let hidden = match rule {
            Some(r) => Some(suppress(&counts, r)?),
            None => None,
        };
        let mut header: Vec<HeaderCell> = self
            .stages
            .iter()
            .map(|s| HeaderCell::new(s.label.clone()))
            .collect();
        header.push(HeaderCell::new("Patients, n (%)"));
        let mut rows = Vec::with_capacity(order.len() + 1);
        for (row, &i) in order.iter().enumerate() {
            let path = &self.paths[i];
            let mut labels = Vec::with_capacity(self.stages.len());
            for stage in 0..self.stages.len() {
                let label = match path.nodes.get(stage) {
                    Some(&node) => self
                        .node(NodeRef { stage, node })
                        .map(|n| n.label.clone())
                        .ok_or_else(|| RenderError::InvalidFigure {
                            figure: self.id.clone(),
                            location: format!("path {i}"),
                            problem: FigureProblem::NodeOutOfRange { stage, node },
                        })?,
                    None => "—".to_owned(),
                };
                labels.push(label);
            }
            let mut count_cell = Cell::text(formatter.n_pct(path.count, total));
            if let (Some(r), Some(h)) = (rule, &hidden) {
                count_cell = count_cell.masked(r, h.cell(row, 0));
            }
            let mut labels = labels.into_iter();
            let first = labels.next().unwrap_or_default();
            let mut cells: Vec<Cell> = labels.map(Cell::text).collect();
            cells.push(count_cell);
            rows.push(BodyRow::new(first, 0, cells));
        }
        let mut total_cells: Vec<Cell> = (1..self.stages.len()).map(|_| Cell::empty()).collect();
        let mut total_cell = Cell::text(formatter.n_pct(total, total));
        if let (Some(r), Some(h)) = (rule, &hidden) {
            total_cell = total_cell.masked(r, h.column_total(0));
        }
        total_cells.push(total_cell);
        let mut total_row = BodyRow::new("Total", 0, total_cells);
        total_row.bold = true;
        rows.push(total_row);
        let mut footnotes = Vec::new();
        if let (Some(r), Some(h)) = (rule, &hidden)
            && h.any_hidden()
        {
            footnotes.push(r.footnote());
        }
        Ok(Table {
            id: id.into(),
            title: title.into(),
            header: vec![header],
            rows,
            footnotes,
        })
    }
}

const MARGIN: f64 = 16.0;
const TITLE_SIZE: f64 = 15.0;
const STAGE_SIZE: f64 = 12.5;
const NODE_LABEL_SIZE: f64 = 11.5;
const LINK_SIZE: f64 = 10.5;
const NODE_WIDTH: f64 = 14.0;
const NODE_GAP: f64 = 14.0;

struct SankeyLayout {
    column_x: Vec<f64>,
    stage_label_y: f64,
    scale: f64,
    /// (top, height) of every node.
    node_box: Vec<Vec<(f64, f64)>>,
    link_source_y: Vec<f64>,
    link_target_y: Vec<f64>,
}

/// Patients in a stage (saturating: a layout input only).
fn stage_total(stage: &SankeyStage) -> u64 {
    stage
        .nodes
        .iter()
        .fold(0u64, |acc, n| acc.saturating_add(n.count))
}

/// Moves label centres apart (keeping their order) so that consecutive ones are at least `gap` apart.
fn separate(labels: &mut [(f64, String)], gap: f64) {
    labels.sort_by(|a, b| a.0.total_cmp(&b.0));
    for i in 1..labels.len() {
        let min = labels[i - 1].0 + gap;
        if labels[i].0 < min {
            labels[i].0 = min;
        }
    }
}

/// Link labels grouped by their target stage, separated vertically within each stage.
fn spread_labels(labels: Vec<(usize, f64, f64, String)>) -> Vec<(f64, f64, String)> {
    let mut out = Vec::with_capacity(labels.len());
    let mut gaps: Vec<usize> = labels.iter().map(|l| l.0).collect();
    gaps.sort_unstable();
    gaps.dedup();
    for gap in gaps {
        let x = labels.iter().find(|l| l.0 == gap).map_or(0.0, |l| l.1);
        let mut ys: Vec<(f64, String)> = labels
            .iter()
            .filter(|l| l.0 == gap)
            .map(|l| (l.2, l.3.clone()))
            .collect();
        separate(&mut ys, LINK_SIZE + 2.0);
        out.extend(ys.into_iter().map(|(y, t)| (x, y, t)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stages() -> Vec<SankeyStage> {
        vec![
            SankeyStage {
                label: "Population".into(),
                nodes: vec![SankeyNode::new("ND", 0)],
            },
            SankeyStage {
                label: "Cycles".into(),
                nodes: vec![SankeyNode::new("1", 0), SankeyNode::new("2+", 0)],
            },
            SankeyStage {
                label: "Next".into(),
                nodes: vec![SankeyNode::new("HSCT", 0), SankeyNode::new("None", 0)],
            },
        ]
    }

    #[test]
    fn paths_sum_into_nodes_and_links() {
        // ND→1→HSCT 20, ND→1→None 10, ND→2+→HSCT 15, ND→2+ (no next stage) 3.
        let paths = vec![
            PathCount {
                nodes: vec![0, 0, 0],
                count: 20,
            },
            PathCount {
                nodes: vec![0, 0, 1],
                count: 10,
            },
            PathCount {
                nodes: vec![0, 1, 0],
                count: 15,
            },
            PathCount {
                nodes: vec![0, 1],
                count: 3,
            },
        ];
        let fig = SankeyFigure::from_paths("s", None, stages(), paths).unwrap();
        let counts: Vec<Vec<u64>> = fig
            .stages
            .iter()
            .map(|s| s.nodes.iter().map(|n| n.count).collect())
            .collect();
        // ND 48; cycles 1: 30, 2+: 18; HSCT 35, None 10.
        assert_eq!(counts, vec![vec![48], vec![30, 18], vec![35, 10]]);
        let links: Vec<(usize, usize, usize, u64)> = fig
            .links
            .iter()
            .map(|l| (l.source.stage, l.source.node, l.target.node, l.count))
            .collect();
        assert_eq!(
            links,
            vec![
                (0, 0, 0, 30),
                (0, 0, 1, 18),
                (1, 0, 0, 20),
                (1, 0, 1, 10),
                (1, 1, 0, 15)
            ]
        );
        assert!(fig.validate().is_ok());
    }

    #[test]
    fn invalid_links_are_named() {
        let mut fig = SankeyFigure::from_paths(
            "s",
            None,
            stages(),
            vec![PathCount {
                nodes: vec![0, 0, 0],
                count: 5,
            }],
        )
        .unwrap();
        fig.links[0].count = 6;
        assert_eq!(
            fig.validate().map_err(|e| e.to_string()),
            Err("figure s: node \"ND\" of stage \"Population\": found links carrying 6 patients, expected at most the node's 5".to_owned())
        );
        fig.links[0].count = 5;
        fig.links[0].target.stage = 2;
        assert!(matches!(
            fig.validate(),
            Err(RenderError::InvalidFigure {
                problem: FigureProblem::LinkNotAdjacent { from: 0, to: 2 },
                ..
            })
        ));
        assert!(
            SankeyFigure::from_paths(
                "s",
                None,
                stages(),
                vec![PathCount {
                    nodes: vec![0, 5],
                    count: 1
                }]
            )
            .is_err()
        );
    }

    #[test]
    fn path_table_masks_small_paths_with_a_partner() {
        let paths = vec![
            PathCount {
                nodes: vec![0, 0, 0],
                count: 20,
            },
            PathCount {
                nodes: vec![0, 0, 1],
                count: 10,
            },
            PathCount {
                nodes: vec![0, 1],
                count: 3,
            },
        ];
        let fig = SankeyFigure::from_paths("s", None, stages(), paths).unwrap();
        let t = fig
            .path_table(
                "t",
                "Paths",
                &Formatter::default(),
                Some(&SmallCellRule::new(5)),
            )
            .unwrap();
        let texts: Vec<Vec<String>> = t
            .rows
            .iter()
            .map(|r| {
                std::iter::once(r.label.clone())
                    .chain(r.cells.iter().map(|c| c.text.clone()))
                    .collect()
            })
            .collect();
        // 3 < 5 is hidden; the next smallest path (10) is hidden with it, or 33 − 20 would give 13 = 10 + 3.
        assert_eq!(
            texts,
            vec![
                vec!["ND", "1", "HSCT", "20 (60.6%)"],
                vec!["ND", "1", "None", "*"],
                vec!["ND", "2+", "—", "<5"],
                vec!["Total", "", "", "33 (100.0%)"],
            ]
        );
        assert_eq!(t.footnotes.len(), 1);
    }
}
