//! Markdown (GitHub-flavoured) output of a [`Table`]: a bold title line, one pipe table, footnotes.
//!
//! GFM tables have one header row, so a multi-row header is stacked per column with `<br>` (a spanning
//! cell's text appears over each column it covers). Indentation of row labels is written as `&emsp;` per
//! level, because leading spaces in a cell are dropped by Markdown renderers.

use crate::error::RenderError;
use crate::table::Table;

impl Table {
    /// The table as GitHub-flavoured Markdown (`table1.md`).
    ///
    /// # Errors
    /// The shape errors of [`Table::validate`].
    pub fn to_markdown(&self) -> Result<String, RenderError> {
        self.validate()?;
        let mut out = String::new();
        if !self.title.is_empty() {
            out.push_str(&format!("**{}**\n\n", escape(&self.title)));
        }
        let header: Vec<String> = self
            .header_stack()
            .iter()
            .map(|stack| {
                let parts: Vec<String> = stack.iter().map(|t| escape(t)).collect();
                parts.join("<br>")
            })
            .collect();
        push_row(&mut out, &header);
        let rule: Vec<String> = (0..header.len())
            .map(|i| {
                if i == 0 {
                    ":---".to_owned()
                } else {
                    ":---:".to_owned()
                }
            })
            .collect();
        push_row(&mut out, &rule);
        for row in &self.rows {
            let mut label = "&emsp;".repeat(usize::from(row.indent));
            if row.bold && !row.label.is_empty() {
                label.push_str(&format!("**{}**", escape(&row.label)));
            } else {
                label.push_str(&escape(&row.label));
            }
            let mut cells = vec![label];
            cells.extend(self.row_texts(row).into_iter().map(escape));
            push_row(&mut out, &cells);
        }
        for note in &self.footnotes {
            out.push('\n');
            out.push_str(&escape(note));
            out.push('\n');
        }
        Ok(out)
    }
}

fn push_row(out: &mut String, cells: &[String]) {
    out.push('|');
    for cell in cells {
        out.push(' ');
        out.push_str(cell);
        out.push_str(" |");
    }
    out.push('\n');
}

/// Escapes text for a Markdown table cell: backslash, pipe and emphasis/code/link characters are
/// backslash-escaped, and `<` is escaped only where it could open an HTML tag (`<5` stays readable).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '<' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')) =>
            {
                out.push_str("\\<");
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escaping_keeps_small_cell_masks_readable() {
        assert_eq!(escape("<5"), "<5");
        assert_eq!(escape("a|b *c* <b>"), "a\\|b \\*c\\* \\<b>");
        assert_eq!(escape("two\nlines"), "two lines");
    }
}
