//! A declared treatment-pattern Sankey diagram (one per panel): each patient's path through the stages'
//! levels, counted; the diagram and its path/frequency table are built from the same paths, so they agree.
//!
//! A patient without a value at a stage stops before it. With small-cell suppression, node and ribbon
//! counts below k print as `<k` (ribbon widths still show their size: the spec can merge small levels), and
//! the path table hides small paths with complementary suppression against its total.

use std::collections::BTreeMap;

use rwe_render::{ColourMap, Formatter, PathCount, SankeyFigure, SankeyNode, SankeyStage, Table};
use rwe_spec::SankeyDecl;

use crate::analysis_set::AnalysisSet;
use crate::ard::{ArdRow, ArdSink, At};
use crate::conventions::Settings;
use crate::error::ReportError;
use crate::table::{ResolvedLevel, resolve_levels, split_levels};

/// One panel: the diagram, its path table and its caption.
#[derive(Debug, Clone)]
pub(crate) struct BuiltSankey {
    pub figure: SankeyFigure,
    pub paths: Table,
    pub caption: String,
}

/// A file-name-safe lower-case slug of a level value: `RR` → `rr`, `FL_INDUCTION` → `fl_induction`.
fn slug(value: &str) -> String {
    let s: String = value
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    s.trim_matches('_').to_string()
}

/// Build the panels of a declared Sankey figure.
///
/// # Errors
/// [`ReportError`] when a variable is missing or the figure is invalid.
pub(crate) fn build(
    decl: &SankeyDecl,
    set: &AnalysisSet,
    s: &Settings,
    colours: &ColourMap,
    ard: &mut Vec<ArdRow>,
) -> Result<Vec<BuiltSankey>, ReportError> {
    let patients = set.select(&decl.filter)?;
    let mut stage_values = Vec::with_capacity(decl.stages.len());
    let mut stage_levels: Vec<Vec<ResolvedLevel>> = Vec::with_capacity(decl.stages.len());
    for stage in &decl.stages {
        let values = set.text(&stage.variable)?;
        let levels = resolve_levels(&stage.levels, values.values());
        // The node of each value (by code), if a level collects it.
        let node_of: Vec<Option<usize>> = values
            .by_code(|v| levels.iter().position(|l| l.values.contains(v)))
            .into_iter()
            .map(Option::flatten)
            .collect();
        stage_levels.push(levels);
        stage_values.push((values, node_of));
    }
    let panels: Vec<(String, String, Vec<usize>)> = match &decl.panels {
        None => vec![(decl.id.clone(), String::new(), patients)],
        Some(split) => {
            let mut out = Vec::new();
            for level in split_levels(set, split)? {
                let members = set.with_values(&patients, &split.variable, &level.values)?;
                let first = level.values.0.first().cloned().unwrap_or_default();
                out.push((
                    format!("{}_{}", decl.id, slug(&first)),
                    level.label,
                    members,
                ));
            }
            out
        }
    };
    let mut built = Vec::new();
    for (id, panel_label, members) in panels {
        if members.is_empty() {
            // Nothing to draw: the panel is left out, its emptiness recorded.
            let at = At {
                row: "panel".into(),
                label: panel_label.clone(),
                column: String::new(),
                group: String::new(),
            };
            ArdSink::new(ard, &id).count(&at, "n", 0, None);
            continue;
        }
        let mut counts: BTreeMap<Vec<usize>, u64> = BTreeMap::new();
        for &p in &members {
            let mut nodes = Vec::new();
            for (values, node_of) in &stage_values {
                match node_of[values.code(p)] {
                    Some(i) => nodes.push(i),
                    None => break,
                }
            }
            if nodes.is_empty() {
                continue;
            }
            *counts.entry(nodes).or_insert(0) += 1;
        }
        // In node order, as the figure lists them.
        let paths: Vec<PathCount> = counts
            .into_iter()
            .map(|(nodes, count)| PathCount { nodes, count })
            .collect();
        let stages: Vec<SankeyStage> = decl
            .stages
            .iter()
            .zip(&stage_levels)
            .map(|(stage, levels)| SankeyStage {
                label: stage.label.clone(),
                nodes: levels
                    .iter()
                    .map(|l| {
                        let node = SankeyNode::new(l.label.clone(), 0);
                        match (stage.colour, colours.get(&l.label)) {
                            (true, Some(c)) => node.coloured(c),
                            _ => node,
                        }
                    })
                    .collect(),
            })
            .collect();
        let title = match (&decl.title, panel_label.is_empty()) {
            (Some(t), false) => Some(format!("{t}: {panel_label} (N = {})", members.len())),
            (Some(t), true) => Some(format!("{t} (N = {})", members.len())),
            (None, false) => Some(format!("{panel_label} (N = {})", members.len())),
            (None, true) => None,
        };
        let mut figure = SankeyFigure::from_paths(id.clone(), title, stages, paths)?;
        // Drop levels nobody reached, so the diagram shows what happened.
        prune_empty_nodes(&mut figure)?;
        let mut sink = ArdSink::new(ard, &id);
        mask_counts(&mut figure, s, &mut sink);
        let f: &Formatter = &s.formatter;
        let table_title = if panel_label.is_empty() {
            "Treatment paths".to_string()
        } else {
            format!("Treatment paths, {panel_label}")
        };
        let paths_table = figure.path_table(
            format!("{id}_paths"),
            table_title,
            f,
            s.small_cells.as_ref(),
        )?;
        // The table lists the paths in `path_order`, then the total.
        let counts = path_order(&figure)
            .into_iter()
            .map(|i| figure.paths[i].count)
            .chain(std::iter::once(members.len() as u64));
        for (row, count) in paths_table.rows.iter().zip(counts) {
            let Some((last, stages)) = row.cells.split_last() else {
                continue;
            };
            let label = std::iter::once(row.label.as_str())
                .chain(stages.iter().map(|c| c.text.as_str()))
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" > ");
            let at = At {
                row: "path".into(),
                label,
                column: String::new(),
                group: String::new(),
            };
            let m = last.suppressed.then(|| last.text.clone());
            sink.count(&at, "n", count, m.as_deref());
        }
        let caption = decl.caption.clone().unwrap_or_else(|| {
            let stages: Vec<&str> = decl.stages.iter().map(|st| st.label.as_str()).collect();
            format!("Treatment patterns: {}.", stages.join(" → "))
        });
        let caption = if panel_label.is_empty() {
            caption
        } else {
            format!("{caption} {panel_label}.")
        };
        built.push(BuiltSankey {
            figure,
            paths: paths_table,
            caption,
        });
    }
    Ok(built)
}

/// The order `path_table` lists paths in: most patients first, then by nodes.
fn path_order(figure: &SankeyFigure) -> Vec<usize> {
    let mut order: Vec<usize> = (0..figure.paths.len()).collect();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&figure.paths[a], &figure.paths[b]);
        pb.count
            .cmp(&pa.count)
            .then_with(|| pa.nodes.cmp(&pb.nodes))
    });
    order
}

/// Removes nodes with no patient and renumbers the paths and links.
fn prune_empty_nodes(figure: &mut SankeyFigure) -> Result<(), ReportError> {
    let mut stages = figure.stages.clone();
    let mut maps: Vec<Vec<Option<usize>>> = Vec::with_capacity(stages.len());
    for stage in &mut stages {
        let mut map = Vec::with_capacity(stage.nodes.len());
        let mut kept = Vec::new();
        for node in stage.nodes.drain(..) {
            if node.count > 0 {
                map.push(Some(kept.len()));
                kept.push(node);
            } else {
                map.push(None);
            }
        }
        stage.nodes = kept;
        maps.push(map);
    }
    let paths: Vec<PathCount> = figure
        .paths
        .iter()
        .map(|p| PathCount {
            nodes: p
                .nodes
                .iter()
                .enumerate()
                .filter_map(|(s, &n)| maps[s][n])
                .collect(),
            count: p.count,
        })
        .collect();
    let rebuilt = SankeyFigure::from_paths(figure.id.clone(), figure.title.clone(), stages, paths)?;
    let (width, height) = (figure.width, figure.height);
    *figure = rebuilt;
    figure.width = width;
    figure.height = height;
    Ok(())
}

/// Writes node and ribbon counts to the ARD and masks the small ones.
fn mask_counts(figure: &mut SankeyFigure, s: &Settings, sink: &mut ArdSink<'_>) {
    let mask = |n: u64| {
        s.small_cells
            .as_ref()
            .filter(|r| n > 0 && n < r.min_count)
            .map(|r| r.primary_mask())
    };
    for stage in &mut figure.stages {
        for node in &mut stage.nodes {
            let m = mask(node.count);
            let at = At {
                row: "node".into(),
                label: node.label.clone(),
                column: stage.label.clone(),
                group: String::new(),
            };
            sink.count(&at, "n", node.count, m.as_deref());
            node.count_text = m;
        }
    }
    let labels: Vec<Vec<(String, String)>> = figure
        .stages
        .iter()
        .map(|st| {
            st.nodes
                .iter()
                .map(|n| (st.label.clone(), n.label.clone()))
                .collect()
        })
        .collect();
    for link in &mut figure.links {
        let m = mask(link.count);
        let name = |r: rwe_render::NodeRef| {
            labels
                .get(r.stage)
                .and_then(|st| st.get(r.node))
                .map(|(_, l)| l.clone())
                .unwrap_or_default()
        };
        let at = At {
            row: "link".into(),
            label: format!("{} > {}", name(link.source), name(link.target)),
            column: labels
                .get(link.target.stage)
                .and_then(|st| st.first())
                .map(|(stage, _)| stage.clone())
                .unwrap_or_default(),
            group: String::new(),
        };
        sink.count(&at, "n", link.count, m.as_deref());
        link.count_text = m;
    }
}
