//! A small SVG writer: elements written in call order, numbers with at most two decimals (trailing zeros
//! dropped, never `-0`), all text escaped, no ids (so several figures can be inlined in one HTML page), and
//! the bundled font's family on the root. The same input always gives the same bytes.

use std::fmt::Write as _;

use crate::font::{self, Weight};
use crate::html::escape;
use crate::palette::Colour;

/// A linear map from data values to pixel positions. The KM figure uses one instance for the x axis, and
/// both the tick labels and the numbers at risk are placed through it, so they cannot drift apart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearScale {
    domain: (f64, f64),
    range: (f64, f64),
}

impl LinearScale {
    /// Maps `domain.0 → range.0` and `domain.1 → range.1`. A zero-width domain maps everything to the
    /// middle of the range.
    #[must_use]
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> LinearScale {
        LinearScale { domain, range }
    }

    /// The pixel position of `value`.
    #[must_use]
    pub fn map(&self, value: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        if (d1 - d0).abs() < f64::EPSILON {
            return (r0 + r1) / 2.0;
        }
        r0 + (value - d0) / (d1 - d0) * (r1 - r0)
    }

    /// The domain.
    #[must_use]
    pub fn domain(&self) -> (f64, f64) {
        self.domain
    }
}

/// A coordinate as SVG text: rounded to 0.01 px, trailing zeros dropped, `0` for `-0` and non-finite.
pub(crate) fn num(x: f64) -> String {
    if !x.is_finite() {
        return "0".to_owned();
    }
    let text = format!("{:.2}", x);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    match text {
        "-0" | "" => "0".to_owned(),
        t => t.to_owned(),
    }
}

/// Horizontal anchoring of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// How a text element looks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextStyle<'a> {
    pub size: f64,
    pub anchor: Anchor,
    pub weight: Weight,
    pub fill: Colour,
    /// A `class` attribute, for tests and user CSS.
    pub class: Option<&'a str>,
    /// Paint a white outline under the glyphs, so text stays legible over lines and ribbons.
    pub halo: bool,
    /// Rotation in degrees about the anchor point.
    pub rotate: f64,
}

impl TextStyle<'_> {
    pub(crate) fn new(size: f64) -> TextStyle<'static> {
        TextStyle {
            size,
            anchor: Anchor::Start,
            weight: Weight::Regular,
            fill: Colour::rgb(0x22, 0x22, 0x22),
            class: None,
            halo: false,
            rotate: 0.0,
        }
    }
}

/// Vertical offset from a line's visual centre to its baseline: about half the cap height of DejaVu Sans
/// (0.73 em), so text placed with `centre_baseline(y, size)` sits centred on `y`.
pub(crate) fn centre_baseline(y: f64, size: f64) -> f64 {
    y + 0.36 * size
}

/// Width of text in the bundled font.
pub(crate) fn text_width(text: &str, size: f64, weight: Weight) -> f64 {
    font::text_width(text, size, weight)
}

/// An SVG document being written.
#[derive(Debug)]
pub(crate) struct Svg {
    out: String,
}

impl Svg {
    /// Opens the document with a white background.
    pub(crate) fn new(width: f64, height: f64, title: Option<&str>) -> Svg {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
             font-family=\"{family}\" role=\"img\">",
            w = num(width),
            h = num(height),
            family = font::FAMILY
        );
        if let Some(title) = title {
            let _ = writeln!(out, "<title>{}</title>", escape(title));
        }
        let _ = writeln!(
            out,
            "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#FFFFFF\"/>",
            num(width),
            num(height)
        );
        Svg { out }
    }

    /// Opens a group with a class.
    pub(crate) fn group(&mut self, class: &str) {
        let _ = writeln!(self.out, "<g class=\"{}\">", escape(class));
    }

    /// Closes the innermost group.
    pub(crate) fn end_group(&mut self) {
        self.out.push_str("</g>\n");
    }

    /// A straight line.
    pub(crate) fn line(
        &mut self,
        from: (f64, f64),
        to: (f64, f64),
        stroke: Colour,
        width: f64,
        dash: Option<&str>,
    ) {
        let dash = dash.map_or_else(String::new, |d| format!(" stroke-dasharray=\"{d}\""));
        let _ = writeln!(
            self.out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\"{dash}/>",
            num(from.0),
            num(from.1),
            num(to.0),
            num(to.1),
            stroke.hex(),
            num(width)
        );
    }

    /// A rectangle.
    pub(crate) fn rect(
        &mut self,
        x: f64,
        y: f64,
        width: f64,
        height: f64,
        fill: Colour,
        opacity: f64,
    ) {
        let opacity = if opacity < 1.0 {
            format!(" fill-opacity=\"{}\"", num(opacity))
        } else {
            String::new()
        };
        let _ = writeln!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"{opacity}/>",
            num(x),
            num(y),
            num(width.max(0.0)),
            num(height.max(0.0)),
            fill.hex()
        );
    }

    /// A circle.
    pub(crate) fn circle(&mut self, centre: (f64, f64), radius: f64, fill: Colour) {
        let _ = writeln!(
            self.out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" stroke=\"#FFFFFF\" stroke-width=\"1\"/>",
            num(centre.0),
            num(centre.1),
            num(radius),
            fill.hex()
        );
    }

    /// A path; `fill` `None` means an unfilled stroke, `stroke` `None` a filled shape without outline.
    pub(crate) fn path(
        &mut self,
        d: &str,
        fill: Option<(Colour, f64)>,
        stroke: Option<(Colour, f64)>,
        class: Option<&str>,
    ) {
        let fill = match fill {
            Some((c, o)) if o < 1.0 => format!("fill=\"{}\" fill-opacity=\"{}\"", c.hex(), num(o)),
            Some((c, _)) => format!("fill=\"{}\"", c.hex()),
            None => "fill=\"none\"".to_owned(),
        };
        let stroke = stroke.map_or_else(String::new, |(c, w)| {
            format!(
                " stroke=\"{}\" stroke-width=\"{}\" stroke-linejoin=\"round\"",
                c.hex(),
                num(w)
            )
        });
        let class = class.map_or_else(String::new, |c| format!(" class=\"{}\"", escape(c)));
        let _ = writeln!(self.out, "<path{class} d=\"{d}\" {fill}{stroke}/>");
    }

    /// A text element at (x, y) with y the baseline.
    pub(crate) fn text(&mut self, x: f64, y: f64, text: &str, style: TextStyle<'_>) {
        let mut attrs = format!(
            "x=\"{}\" y=\"{}\" font-size=\"{}\"",
            num(x),
            num(y),
            num(style.size)
        );
        if style.anchor != Anchor::Start {
            let _ = write!(attrs, " text-anchor=\"{}\"", style.anchor.as_str());
        }
        if style.weight == Weight::Bold {
            attrs.push_str(" font-weight=\"bold\"");
        }
        let _ = write!(attrs, " fill=\"{}\"", style.fill.hex());
        if style.halo {
            attrs.push_str(
                " stroke=\"#FFFFFF\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"",
            );
        }
        if style.rotate != 0.0 {
            let _ = write!(
                attrs,
                " transform=\"rotate({} {} {})\"",
                num(style.rotate),
                num(x),
                num(y)
            );
        }
        if let Some(class) = style.class {
            let _ = write!(attrs, " class=\"{}\"", escape(class));
        }
        let _ = writeln!(self.out, "<text {attrs}>{}</text>", escape(text));
    }

    /// Closes the document.
    pub(crate) fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

/// Path data builder with fixed number formatting.
#[derive(Debug, Default)]
pub(crate) struct PathData {
    d: String,
}

impl PathData {
    pub(crate) fn move_to(&mut self, x: f64, y: f64) -> &mut PathData {
        self.command(&format!("M{} {}", num(x), num(y)))
    }

    pub(crate) fn line_to(&mut self, x: f64, y: f64) -> &mut PathData {
        self.command(&format!("L{} {}", num(x), num(y)))
    }

    pub(crate) fn curve_to(
        &mut self,
        c1: (f64, f64),
        c2: (f64, f64),
        to: (f64, f64),
    ) -> &mut PathData {
        self.command(&format!(
            "C{} {} {} {} {} {}",
            num(c1.0),
            num(c1.1),
            num(c2.0),
            num(c2.1),
            num(to.0),
            num(to.1)
        ))
    }

    pub(crate) fn close(&mut self) -> &mut PathData {
        self.command("Z")
    }

    fn command(&mut self, c: &str) -> &mut PathData {
        if !self.d.is_empty() {
            self.d.push(' ');
        }
        self.d.push_str(c);
        self
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.d.is_empty()
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.346), "12.35");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(-3.1), "-3.1");
    }

    #[test]
    fn scale_maps_ends_and_middle() {
        let s = LinearScale::new((0.0, 24.0), (100.0, 700.0));
        assert_eq!(num(s.map(0.0)), "100");
        assert_eq!(num(s.map(12.0)), "400");
        assert_eq!(num(s.map(24.0)), "700");
        let y = LinearScale::new((0.0, 1.0), (500.0, 100.0));
        assert_eq!(num(y.map(0.25)), "400");
    }
}
