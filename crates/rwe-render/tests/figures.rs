//! Figures: golden SVGs, numbers at risk aligned with the ticks (read back from the SVG), validation
//! messages, and PNGs rendered with the bundled font.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use resvg::tiny_skia::Pixmap;
use rwe_render::{
    Formatter, KmFigure, LegendPosition, PngOptions, RiskRow, RiskTable, SurvivalAxis,
    SurvivalPoint, svg_to_png,
};

#[test]
fn km_svg_golden() {
    let svg = common::km_figure().to_svg(&Formatter::default()).unwrap();
    insta::assert_snapshot!("fig2_km_efs_svg", svg);
}

#[test]
fn sankey_svg_golden() {
    insta::assert_snapshot!("fig1_sankey_svg", common::sankey_figure().to_svg().unwrap());
}

#[test]
fn sankey_path_table_golden() {
    let table = common::sankey_figure()
        .path_table("fig1_paths", "Treatment paths", &Formatter::default(), None)
        .unwrap();
    insta::assert_snapshot!("fig1_paths_markdown", table.to_markdown().unwrap());
}

/// (x attribute, text) of every `<text>` with the given class, in document order.
fn texts_with_class(svg: &str, class: &str) -> Vec<(String, String, String)> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("text") && n.attribute("class") == Some(class))
        .map(|n| {
            (
                n.attribute("x").unwrap().to_owned(),
                n.attribute("y").unwrap().to_owned(),
                n.text().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn assert_risk_table_aligned(fig: &KmFigure) {
    let svg = fig.to_svg(&Formatter::default()).unwrap();
    let ticks = texts_with_class(&svg, "x-tick");
    assert_eq!(
        ticks.len(),
        fig.x_ticks.len(),
        "figure {}: one label per tick",
        fig.id
    );
    let cells = texts_with_class(&svg, "risk-count");
    let rows = fig.risk_table.as_ref().unwrap().rows.len();
    assert_eq!(cells.len(), rows * ticks.len());
    for (r, row) in cells.chunks(ticks.len()).enumerate() {
        for ((tick_x, _, tick_text), (cell_x, _, cell_text)) in ticks.iter().zip(row) {
            assert_eq!(
                tick_x, cell_x,
                "figure {}: risk row {r} cell {cell_text:?} is not under tick {tick_text}",
                fig.id
            );
        }
        // One baseline per row.
        assert!(
            row.iter().all(|c| c.1 == row[0].1),
            "row {r} is not on one line"
        );
    }
    // The tick positions are a linear function of the tick values (one scale for the whole axis).
    let xs: Vec<f64> = ticks.iter().map(|t| t.0.parse().unwrap()).collect();
    let (t0, t1) = (fig.x_ticks[0], fig.x_ticks[fig.x_ticks.len() - 1]);
    let (x0, x1) = (xs[0], xs[xs.len() - 1]);
    for (t, x) in fig.x_ticks.iter().zip(&xs) {
        let expected = x0 + (t - t0) / (t1 - t0) * (x1 - x0);
        // SVG coordinates are printed to 0.01 px.
        assert!(
            (x - expected).abs() <= 0.01,
            "tick {t}: x {x}, expected {expected}"
        );
    }
}

#[test]
fn numbers_at_risk_sit_exactly_under_the_ticks() {
    let fig = common::km_figure();
    assert_risk_table_aligned(&fig);
    let svg = fig.to_svg(&Formatter::default()).unwrap();
    let labels: Vec<String> = texts_with_class(&svg, "x-tick")
        .into_iter()
        .map(|t| t.2)
        .collect();
    assert_eq!(
        labels,
        vec!["0", "3", "6", "9", "12", "15", "18", "21", "24"]
    );
    let first_row: Vec<String> = texts_with_class(&svg, "risk-count")
        .into_iter()
        .take(3)
        .map(|t| t.2)
        .collect();
    assert_eq!(first_row, vec!["53 (0)", "49 (2)", "44 (3)"]);
}

#[test]
fn alignment_holds_for_uneven_ticks_an_offset_axis_and_other_widths() {
    let colour = rwe_render::OKABE_ITO[0];
    for (ticks, width) in [
        (vec![0.0, 1.0, 6.0, 12.0, 24.0], 760.0),
        (vec![3.0, 6.0, 9.0], 500.0),
        (
            vec![0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0],
            1100.0,
        ),
    ] {
        let mut fig = KmFigure::new("aligned", "Years", "Overall survival", ticks.clone());
        fig.width = width;
        fig.legend = LegendPosition::InsideTopRight;
        fig.y_axis = SurvivalAxis::Percent;
        fig.curves = vec![rwe_render::KmCurve {
            label: "All patients with a long label".into(),
            colour,
            steps: vec![SurvivalPoint {
                time: 0.7,
                surv: 0.8,
            }],
            end_time: 4.2,
            censored: vec![],
            band: vec![],
        }];
        let counts: Vec<u64> = (0..ticks.len() as u64).map(|i| 1000 - 90 * i).collect();
        fig.risk_table = Some(RiskTable {
            title: "Number at risk".into(),
            rows: vec![
                RiskRow::from_counts(
                    "All patients with a long label",
                    colour,
                    &counts,
                    None,
                    None,
                )
                .unwrap(),
            ],
        });
        assert_risk_table_aligned(&fig);
    }
}

#[test]
fn percent_axis_labels() {
    let mut fig = common::km_figure();
    fig.y_axis = SurvivalAxis::Percent;
    let svg = fig.to_svg(&Formatter::default()).unwrap();
    let labels: Vec<String> = texts_with_class(&svg, "y-tick")
        .into_iter()
        .map(|t| t.2)
        .collect();
    assert_eq!(labels, vec!["0%", "25%", "50%", "75%", "100%"]);
}

#[test]
fn invalid_km_models_are_named() {
    let f = Formatter::default();
    let mut fig = common::km_figure();
    fig.curves[1].steps[3].time = 1.0;
    assert_eq!(
        fig.to_svg(&f).unwrap_err().to_string(),
        "figure fig2_km_efs: curve \"R/R\" step 3: found time 1 after 2.7, expected non-decreasing times"
    );
    let mut fig = common::km_figure();
    fig.curves[0].censored[0].surv = 1.2;
    assert_eq!(
        fig.to_svg(&f).unwrap_err().to_string(),
        "figure fig2_km_efs: curve \"ND\" probability 6: found 1.2, expected a probability in [0, 1]"
    );
    let mut fig = common::km_figure();
    if let Some(r) = fig.risk_table.as_mut() {
        r.rows[0].cells.pop();
    }
    assert_eq!(
        fig.to_svg(&f).unwrap_err().to_string(),
        "figure fig2_km_efs: risk row \"ND\": found 8 values, expected one per x tick (9)"
    );
    let mut fig = common::km_figure();
    fig.x_ticks = vec![0.0, 0.0];
    assert!(fig.to_svg(&f).is_err());
    let mut fig = common::km_figure();
    fig.curves[0].end_time = f64::NAN;
    assert!(fig.to_svg(&f).is_err());
}

#[test]
fn svg_is_deterministic_and_well_formed() {
    let f = Formatter::default();
    let a = common::km_figure().to_svg(&f).unwrap();
    assert_eq!(a, common::km_figure().to_svg(&f).unwrap());
    roxmltree::Document::parse(&a).unwrap();
    let s = common::sankey_figure().to_svg().unwrap();
    roxmltree::Document::parse(&s).unwrap();
    // No ids: several figures can be inlined in one page.
    assert!(!a.contains(" id=\"") && !s.contains(" id=\""));
}

fn decode(png: &[u8]) -> Pixmap {
    Pixmap::decode_png(png).unwrap()
}

/// Pixels whose colour is within `tolerance` (per channel) of `rgb`.
fn count_near(p: &Pixmap, rgb: (u8, u8, u8), tolerance: i32) -> usize {
    p.pixels()
        .iter()
        .filter(|px| {
            let c = px.demultiply();
            (i32::from(c.red()) - i32::from(rgb.0)).abs() <= tolerance
                && (i32::from(c.green()) - i32::from(rgb.1)).abs() <= tolerance
                && (i32::from(c.blue()) - i32::from(rgb.2)).abs() <= tolerance
        })
        .count()
}

#[test]
fn km_png_has_the_svg_size_and_draws_curves_and_text() {
    let fig = common::km_figure();
    let svg = fig.to_svg(&Formatter::default()).unwrap();
    let png = decode(&svg_to_png(&svg, &PngOptions { scale: 1.0 }).unwrap());
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let height: f64 = doc
        .root_element()
        .attribute("height")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(png.width(), 760);
    assert_eq!(f64::from(png.height()), height.ceil());
    // White background in the corner; the ND blue (#0072B2) curve and legend are drawn.
    let corner = png.pixel(0, 0).unwrap().demultiply();
    assert_eq!(
        (corner.red(), corner.green(), corner.blue(), corner.alpha()),
        (255, 255, 255, 255)
    );
    assert!(
        count_near(&png, (0x00, 0x72, 0xB2), 10) > 500,
        "ND curve pixels"
    );
    // Text is drawn: the band under the x axis (tick labels) has dark pixels. With a missing font resvg
    // silently drops text, which this catches.
    let baseline: f64 = texts_with_class(&svg, "x-tick")[0].1.parse().unwrap();
    let y0 = (baseline - 10.0) as u32;
    let dark_in_tick_band = (y0..y0 + 12)
        .flat_map(|y| (0..png.width()).map(move |x| (x, y)))
        .filter(|&(x, y)| png.pixel(x, y).unwrap().demultiply().red() < 100)
        .count();
    assert!(
        dark_in_tick_band > 100,
        "tick labels drawn: {dark_in_tick_band} dark pixels"
    );
    // Scale 2 doubles both sides.
    let png2 = decode(&svg_to_png(&svg, &PngOptions { scale: 2.0 }).unwrap());
    assert_eq!((png2.width(), png2.height()), (1520, png.height() * 2));
}

#[test]
fn every_generic_font_family_resolves_to_the_bundled_font() {
    for family in [
        "sans-serif",
        "serif",
        "monospace",
        "NoSuchFont",
        "DejaVu Sans",
    ] {
        let svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"40\">\
             <text x=\"10\" y=\"30\" font-size=\"24\" font-family=\"{family}\">Ag 12</text></svg>"
        );
        let png = decode(&svg_to_png(&svg, &PngOptions { scale: 1.0 }).unwrap());
        let inked = png.pixels().iter().filter(|p| p.alpha() > 128).count();
        assert!(inked > 150, "family {family}: {inked} inked pixels");
    }
}

#[test]
fn png_errors_are_reported() {
    assert!(svg_to_png("<svg", &PngOptions::default()).is_err());
    let empty = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>";
    assert!(matches!(
        svg_to_png(empty, &PngOptions { scale: 5000.0 }),
        Err(rwe_render::RenderError::PngSize { .. })
    ));
}
