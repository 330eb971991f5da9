//! Colours: a colour-blind-safe palette (Okabe & Ito, 2008) and a [`ColourMap`] that gives every group or
//! therapy label one colour for the whole report, so "ND" is the same blue in every panel and figure.
//!
//! Build one map per report from the full, ordered list of labels the study declares (populations,
//! settings, therapies), pinning any colour the user chose, and pass colours from it to every figure.

use std::collections::BTreeMap;
use std::fmt;

use crate::error::RenderError;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Colour {
    /// Red.
    pub r: u8,
    /// Green.
    pub g: u8,
    /// Blue.
    pub b: u8,
}

impl Colour {
    /// A colour from its components.
    #[must_use]
    pub const fn rgb(r: u8, g: u8, b: u8) -> Colour {
        Colour { r, g, b }
    }

    /// Parses `#rrggbb` (either case).
    ///
    /// # Errors
    /// [`RenderError::InvalidColour`] for anything else.
    pub fn from_hex(text: &str) -> Result<Colour, RenderError> {
        let invalid = || RenderError::InvalidColour {
            text: text.to_owned(),
        };
        let hex = text.strip_prefix('#').ok_or_else(invalid)?;
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(invalid());
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| invalid());
        Ok(Colour::rgb(byte(0)?, byte(2)?, byte(4)?))
    }

    /// `#RRGGBB`.
    #[must_use]
    pub fn hex(self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.r, self.g, self.b)
    }
}

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.hex())
    }
}

/// Grey for elements that belong to no group (intermediate Sankey nodes, reference lines).
pub const NEUTRAL: Colour = Colour::rgb(0x99, 0x99, 0x99);

/// The Okabe-Ito palette, ordered for lines on white: blue, vermillion, bluish green, reddish purple,
/// orange, sky blue, yellow (faint on white, so late), black.
pub const OKABE_ITO: [Colour; 8] = [
    Colour::rgb(0x00, 0x72, 0xB2),
    Colour::rgb(0xD5, 0x5E, 0x00),
    Colour::rgb(0x00, 0x9E, 0x73),
    Colour::rgb(0xCC, 0x79, 0xA7),
    Colour::rgb(0xE6, 0x9F, 0x00),
    Colour::rgb(0x56, 0xB4, 0xE9),
    Colour::rgb(0xF0, 0xE4, 0x42),
    Colour::rgb(0x00, 0x00, 0x00),
];

/// Colours to hand out, plus colours pinned to labels by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Palette {
    colours: Vec<Colour>,
    pinned: BTreeMap<String, Colour>,
}

impl Default for Palette {
    fn default() -> Palette {
        Palette::okabe_ito()
    }
}

impl Palette {
    /// The Okabe-Ito palette ([`OKABE_ITO`]).
    #[must_use]
    pub fn okabe_ito() -> Palette {
        Palette::new(OKABE_ITO.to_vec())
    }

    /// A palette of the given colours, handed out in order.
    #[must_use]
    pub fn new(colours: Vec<Colour>) -> Palette {
        Palette {
            colours,
            pinned: BTreeMap::new(),
        }
    }

    /// Pins `colour` to `label`: the label gets it wherever it appears, and no other label does.
    #[must_use]
    pub fn pin(mut self, label: impl Into<String>, colour: Colour) -> Palette {
        self.pinned.insert(label.into(), colour);
        self
    }

    /// Assigns one colour per distinct label: pinned labels get their pinned colour; the others, in the
    /// order given (first appearance), get the palette's colours in order, skipping colours already pinned.
    ///
    /// ```
    /// use rwe_render::{Colour, Palette};
    ///
    /// let red = Colour::from_hex("#D55E00").unwrap();
    /// let map = Palette::okabe_ito().pin("R/R", red).assign(["ND", "R/R", "All"]).unwrap();
    /// assert_eq!(map.get("R/R"), Some(red));
    /// assert_eq!(map.get("ND").map(|c| c.hex()).as_deref(), Some("#0072B2"));
    /// assert_eq!(map.get("All").map(|c| c.hex()).as_deref(), Some("#009E73"));
    /// ```
    ///
    /// # Errors
    /// [`RenderError::PaletteExhausted`] when more unpinned labels need colours than remain.
    pub fn assign<'a>(
        &self,
        labels: impl IntoIterator<Item = &'a str>,
    ) -> Result<ColourMap, RenderError> {
        let mut map = BTreeMap::new();
        let mut free = self
            .colours
            .iter()
            .filter(|c| !self.pinned.values().any(|p| p == *c));
        let mut seen = Vec::new();
        for label in labels {
            if seen.contains(&label) {
                continue;
            }
            seen.push(label);
            let colour = match self.pinned.get(label) {
                Some(&c) => c,
                None => *free.next().ok_or(RenderError::PaletteExhausted {
                    labels: seen.len(),
                    colours: self.colours.len(),
                })?,
            };
            map.insert(label.to_owned(), colour);
        }
        Ok(ColourMap { map })
    }
}

/// Label → colour, shared by every figure of a report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ColourMap {
    map: BTreeMap<String, Colour>,
}

impl ColourMap {
    /// The colour of `label`, if it has one.
    #[must_use]
    pub fn get(&self, label: &str) -> Option<Colour> {
        self.map.get(label).copied()
    }

    /// The colour of `label`, or [`NEUTRAL`] grey.
    #[must_use]
    pub fn get_or_neutral(&self, label: &str) -> Colour {
        self.get(label).unwrap_or(NEUTRAL)
    }

    /// All labels and colours, sorted by label.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Colour)> {
        self.map.iter().map(|(k, &v)| (k.as_str(), v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_labels_get_the_same_colours_and_pins_win() {
        let palette = Palette::okabe_ito().pin("Blinatumomab", Colour::rgb(0, 0, 0));
        let a = palette.assign(["ND", "R/R", "Blinatumomab", "ND"]).unwrap();
        let b = palette.assign(["ND", "R/R", "Blinatumomab"]).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.get("Blinatumomab"), Some(Colour::rgb(0, 0, 0)));
        assert_eq!(a.get("ND"), Some(OKABE_ITO[0]));
        assert_eq!(a.get("R/R"), Some(OKABE_ITO[1]));
        assert_eq!(a.get("unknown"), None);
        assert_eq!(a.get_or_neutral("unknown"), NEUTRAL);
        // Black is pinned, so no unpinned label may receive it even after the other seven are used.
        let many: Vec<String> = (0..7).map(|i| format!("g{i}")).collect();
        let map = palette.assign(many.iter().map(String::as_str)).unwrap();
        assert!(map.iter().all(|(_, c)| c != Colour::rgb(0, 0, 0)));
        let too_many: Vec<String> = (0..8).map(|i| format!("g{i}")).collect();
        assert!(matches!(
            palette.assign(too_many.iter().map(String::as_str)),
            Err(RenderError::PaletteExhausted {
                labels: 8,
                colours: 8
            })
        ));
    }

    #[test]
    fn hex_round_trip_and_errors() {
        assert_eq!(Colour::from_hex("#0072b2").unwrap().hex(), "#0072B2");
        assert!(Colour::from_hex("0072B2").is_err());
        assert!(Colour::from_hex("#0072B").is_err());
        assert!(Colour::from_hex("#00é2B2").is_err());
    }
}
