//! The one error type of the crate: what was wrong with the numbers a caller passed in.

/// A problem with the input to an estimator. Every variant says where and what was found.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum StatsError {
    /// No observations (or only empty count rows) were given.
    #[error("no observations: expected at least one")]
    EmptyInput,
    /// Two slices that describe the same rows have different lengths.
    #[error("`{what}` has {found} values, expected {expected} (one per row)")]
    LengthMismatch {
        /// The slice whose length is wrong.
        what: &'static str,
        /// The length of the slice it has to match.
        expected: usize,
        /// Its actual length.
        found: usize,
    },
    /// A time that is not finite, is negative, or (for pre-aggregated counts and requested times
    /// where order matters) is out of order.
    #[error("time at index {index}: found {value}, expected a finite non-negative time{order}", order = if *.out_of_order { " greater than the previous one" } else { "" })]
    InvalidTime {
        /// Zero-based position in the slice that was passed.
        index: usize,
        /// The offending value.
        value: f64,
        /// True when the value is valid on its own but not greater than the one before it.
        out_of_order: bool,
    },
    /// A probability outside the open interval (0, 1), or NaN.
    #[error("probability {value}: expected a value strictly between 0 and 1")]
    InvalidProbability {
        /// The offending value.
        value: f64,
    },
    /// A confidence level outside the open interval (0, 1), or NaN.
    #[error("confidence level {value}: expected a value strictly between 0 and 1, e.g. 0.95")]
    InvalidConfLevel {
        /// The offending value.
        value: f64,
    },
    /// A group or stratum index too large to be dense: at least the number of rows and at least
    /// 65 536.
    #[error("`{what}` index {index} is too large for {rows} rows; expected dense indices 0..k")]
    IndexTooLarge {
        /// Which input (`group` or `strata`).
        what: &'static str,
        /// The largest index found.
        index: usize,
        /// The number of rows.
        rows: usize,
    },
    /// Counts whose sum does not fit in 64 bits.
    #[error("counts overflow: the total number of observations does not fit in 64 bits")]
    CountOverflow,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_place() {
        let e = StatsError::InvalidTime {
            index: 3,
            value: -1.0,
            out_of_order: false,
        };
        assert_eq!(
            e.to_string(),
            "time at index 3: found -1, expected a finite non-negative time"
        );
        let e = StatsError::InvalidTime {
            index: 2,
            value: 4.0,
            out_of_order: true,
        };
        assert_eq!(
            e.to_string(),
            "time at index 2: found 4, expected a finite non-negative time greater than the previous one"
        );
        let e = StatsError::LengthMismatch {
            what: "event",
            expected: 4,
            found: 3,
        };
        assert_eq!(
            e.to_string(),
            "`event` has 3 values, expected 4 (one per row)"
        );
    }
}
