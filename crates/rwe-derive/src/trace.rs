//! Traces: for every derived value, the derivation rule that produced it and the source records it read.

use std::fmt::Write as _;

use rwe_data::RecordRef;

/// Why a derived value is what it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    /// Id of the derivation rule ([`crate::catalogue::DERIVATIONS`]).
    pub rule: &'static str,
    /// The facts that decided the value, in words (dates, study days, values).
    pub why: String,
    /// The source records read, in date order.
    pub sources: Vec<RecordRef>,
}

impl Trace {
    /// A trace with one explanation and its sources.
    #[must_use]
    pub fn new(rule: &'static str, why: impl Into<String>, sources: Vec<RecordRef>) -> Trace {
        Trace {
            rule,
            why: why.into(),
            sources,
        }
    }

    /// The sources as `file:row` items separated by commas.
    #[must_use]
    pub fn sources_text(&self) -> String {
        let mut out = String::new();
        for (i, s) in self.sources.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "{}:{}", s.file, s.row);
        }
        out
    }
}
