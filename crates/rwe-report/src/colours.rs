//! One colour per group or therapy label across the whole report: every KM curve and every coloured Sankey
//! node with the same label has the same colour in every figure and panel.
//!
//! Labels get colours in the order they first appear in the declared figures; a level's `colour` pins it.
//! The palette is Okabe-Ito (colours safe for colour-blind readers) without its yellow, then Paul Tol's
//! muted scheme when a report needs more, and the yellow last (a yellow line is faint on white).

use rwe_render::{Colour, ColourMap, OKABE_ITO, Palette};
use rwe_spec::{FigureDecl, StudySpec};

use crate::analysis_set::AnalysisSet;
use crate::error::ReportError;
use crate::table::{ResolvedLevel, split_levels};

/// Paul Tol's muted qualitative scheme, after Okabe-Ito.
const TOL_MUTED: [Colour; 9] = [
    Colour::rgb(0x33, 0x22, 0x88),
    Colour::rgb(0x88, 0xCC, 0xEE),
    Colour::rgb(0x44, 0xAA, 0x99),
    Colour::rgb(0x11, 0x77, 0x33),
    Colour::rgb(0x99, 0x99, 0x33),
    Colour::rgb(0xDD, 0xCC, 0x77),
    Colour::rgb(0xCC, 0x66, 0x77),
    Colour::rgb(0x88, 0x22, 0x55),
    Colour::rgb(0xAA, 0x44, 0x99),
];

/// The labels a figure colours, with their pinned colours, in order.
fn coloured_levels(spec: &StudySpec, set: &AnalysisSet) -> Result<Vec<ResolvedLevel>, ReportError> {
    let mut out = Vec::new();
    for figure in &spec.figures {
        match figure {
            FigureDecl::Km(km) => match &km.strata {
                Some(strata) => {
                    if km.overall {
                        out.push(ResolvedLevel {
                            label: km.overall_label.clone(),
                            values: rwe_spec::Values::default(),
                            colour: None,
                        });
                    }
                    out.extend(split_levels(set, strata)?);
                }
                None => out.push(ResolvedLevel {
                    label: km.overall_label.clone(),
                    values: rwe_spec::Values::default(),
                    colour: None,
                }),
            },
            FigureDecl::Sankey(s) => {
                for stage in s.stages.iter().filter(|st| st.colour) {
                    out.extend(crate::table::resolve_levels(
                        &stage.levels,
                        set.text(&stage.variable)?.values(),
                    ));
                }
            }
        }
    }
    Ok(out)
}

/// The report's colour map.
///
/// # Errors
/// [`ReportError::Render`] when more labels need a colour than the palettes hold (17), or a pinned colour
/// is not `#RRGGBB` (the spec parser already refuses it).
pub(crate) fn colour_map(spec: &StudySpec, set: &AnalysisSet) -> Result<ColourMap, ReportError> {
    let levels = coloured_levels(spec, set)?;
    let yellow = OKABE_ITO[6];
    let mut colours: Vec<Colour> = OKABE_ITO.iter().copied().filter(|&c| c != yellow).collect();
    colours.extend(TOL_MUTED);
    colours.push(yellow);
    let mut palette = Palette::new(colours);
    for level in &levels {
        if let Some(hex) = &level.colour {
            palette = palette.pin(level.label.clone(), Colour::from_hex(hex)?);
        }
    }
    Ok(palette.assign(levels.iter().map(|l| l.label.as_str()))?)
}
