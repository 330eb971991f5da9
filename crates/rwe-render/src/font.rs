//! The bundled font (DejaVu Sans, regular and bold; licence in `assets/fonts/LICENSE-DejaVu.txt`): used to
//! measure text for layout, and loaded into the PNG renderer so that PNGs look the same on every machine.
//! System fonts are never used.

use std::sync::OnceLock;

/// DejaVu Sans regular.
pub(crate) const REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans bold.
pub(crate) const BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");
/// Family name as written in SVG `font-family`; fallbacks with similar metrics follow it for viewers that
/// lack DejaVu (Verdana is Vera's metric cousin).
pub(crate) const FAMILY: &str = "DejaVu Sans, Verdana, Arial, sans-serif";
/// The family name inside the font files.
pub(crate) const FAMILY_NAME: &str = "DejaVu Sans";

/// Weight of measured text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

/// Advance widths per character in font units, and the units per em.
#[derive(Debug)]
struct Metrics {
    units_per_em: f64,
    /// Advances of ASCII 0..128 (the common case), then a lookup for the rest.
    ascii: Vec<f64>,
    face: Option<ttf_parser::Face<'static>>,
}

impl Metrics {
    fn load(data: &'static [u8]) -> Metrics {
        match ttf_parser::Face::parse(data, 0) {
            Ok(face) => {
                let units_per_em = f64::from(face.units_per_em());
                let ascii = (0u8..128)
                    .map(|b| advance(&face, char::from(b)).unwrap_or(units_per_em * 0.6))
                    .collect();
                Metrics {
                    units_per_em,
                    ascii,
                    face: Some(face),
                }
            }
            // The bundled file always parses; should it not, fall back to an average advance.
            Err(_) => Metrics {
                units_per_em: 1000.0,
                ascii: vec![600.0; 128],
                face: None,
            },
        }
    }

    fn width(&self, text: &str) -> f64 {
        let units: f64 = text
            .chars()
            .map(|c| {
                let code = c as usize;
                if code < 128 {
                    self.ascii[code]
                } else {
                    self.face
                        .as_ref()
                        .and_then(|f| advance(f, c))
                        .unwrap_or(self.units_per_em * 0.6)
                }
            })
            .sum();
        units / self.units_per_em
    }
}

fn advance(face: &ttf_parser::Face<'_>, c: char) -> Option<f64> {
    let glyph = face.glyph_index(c)?;
    face.glyph_hor_advance(glyph).map(f64::from)
}

fn metrics(weight: Weight) -> &'static Metrics {
    static REGULAR_METRICS: OnceLock<Metrics> = OnceLock::new();
    static BOLD_METRICS: OnceLock<Metrics> = OnceLock::new();
    match weight {
        Weight::Regular => REGULAR_METRICS.get_or_init(|| Metrics::load(REGULAR)),
        Weight::Bold => BOLD_METRICS.get_or_init(|| Metrics::load(BOLD)),
    }
}

/// Width of `text` set in DejaVu Sans at `size` (same unit as the result), from glyph advances (kerning
/// is ignored: a difference below 2 % for Latin text, covered by layout padding).
pub(crate) fn text_width(text: &str, size: f64, weight: Weight) -> f64 {
    metrics(weight).width(text) * size
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_come_from_the_font() {
        // DejaVu Sans 2.37: 'M' advances 1767 and '0' 1303 of 2048 units per em (read from the font's
        // cmap and hmtx tables with a separate Python parser).
        let m = text_width("M", 2048.0, Weight::Regular);
        assert!((m - 1767.0).abs() < 1e-9, "M = {m}");
        let zero = text_width("0", 2048.0, Weight::Regular);
        assert!((zero - 1303.0).abs() < 1e-9, "0 = {zero}");
        assert!(
            text_width("Median", 12.0, Weight::Bold) > text_width("Median", 12.0, Weight::Regular)
        );
        assert!(text_width("≥ 5", 12.0, Weight::Regular) > 0.0);
    }
}
