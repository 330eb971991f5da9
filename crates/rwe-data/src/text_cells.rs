//! The cells of a text column in one buffer: the texts end to end and where each ends, with no string
//! (and no allocation) per cell. A million-row column of short codes takes a few megabytes instead of a
//! string header and a heap block per cell, and reading or building it allocates only as the buffer grows.

use std::fmt;

/// The cells of a text column; a cell is a text or empty (`None`).
///
/// ```
/// use rwe_data::TextCells;
/// let mut cells = TextCells::new();
/// cells.push(Some("NEG"));
/// cells.push(None);
/// assert_eq!((cells.len(), cells.get(0), cells.get(1)), (2, Some("NEG"), None));
/// assert_eq!(cells, TextCells::from(vec![Some("NEG".to_string()), None]));
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TextCells {
    /// Every text, end to end.
    text: String,
    /// Where each cell's text ends in `text` (it starts where the previous one ends).
    ends: Vec<usize>,
    /// Whether each cell has a text (an empty text and no text are told apart).
    present: Vec<bool>,
}

impl TextCells {
    /// No cell.
    #[must_use]
    pub fn new() -> TextCells {
        TextCells::default()
    }

    /// No cell, with room for `n`.
    #[must_use]
    pub fn with_capacity(n: usize) -> TextCells {
        TextCells {
            text: String::new(),
            ends: Vec::with_capacity(n),
            present: Vec::with_capacity(n),
        }
    }

    /// Appends a cell.
    pub fn push(&mut self, cell: Option<&str>) {
        if let Some(s) = cell {
            self.text.push_str(s);
        }
        self.ends.push(self.text.len());
        self.present.push(cell.is_some());
    }

    /// Cell `i` (`None` when empty or past the end).
    #[must_use]
    pub fn get(&self, i: usize) -> Option<&str> {
        if !*self.present.get(i)? {
            return None;
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..self.ends[i])
    }

    /// Number of cells.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when there is no cell.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The cells in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Option<&str>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

impl fmt::Debug for TextCells {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<S: AsRef<str>> FromIterator<Option<S>> for TextCells {
    fn from_iter<I: IntoIterator<Item = Option<S>>>(cells: I) -> TextCells {
        let cells = cells.into_iter();
        let mut out = TextCells::with_capacity(cells.size_hint().0);
        for c in cells {
            out.push(c.as_ref().map(AsRef::as_ref));
        }
        out
    }
}

impl From<Vec<Option<String>>> for TextCells {
    fn from(cells: Vec<Option<String>>) -> TextCells {
        cells.into_iter().collect()
    }
}

impl From<Vec<Option<&str>>> for TextCells {
    fn from(cells: Vec<Option<&str>>) -> TextCells {
        cells.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_text_is_not_missing() {
        let cells: TextCells = vec![Some(""), None, Some("a,b"), Some("é")].into();
        assert_eq!(
            cells.iter().collect::<Vec<_>>(),
            [Some(""), None, Some("a,b"), Some("é")]
        );
        assert_eq!(cells.get(4), None);
        assert_eq!(
            format!("{cells:?}"),
            r#"[Some(""), None, Some("a,b"), Some("é")]"#
        );
    }
}
