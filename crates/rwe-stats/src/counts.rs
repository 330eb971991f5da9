//! Per-time counts: the additive summary every one-curve estimator is computed from.
//!
//! A [`TimeCounts`] holds the sorted distinct observed times with the number of events and of
//! censorings at each. It is all that Kaplan-Meier, Greenwood, Nelson-Aalen, quantiles, landmarks
//! and RMST need, and it is additive: counts built per partition (or per site, or by a database
//! `GROUP BY time`) combine exactly with [`TimeCounts::merge`].
//!
//! Ties follow the usual convention (R `survfit`, SAS PROC LIFETEST): at a time with both events and
//! censorings the events happen first, so subjects censored at `t` are still at risk at `t`.

use crate::error::StatsError;

/// Sorted distinct times with the number of events and censorings at each.
///
/// Invariants: times are finite, non-negative and strictly increasing; every time has at least one
/// event or censoring; there is at least one observation.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeCounts {
    time: Vec<f64>,
    n_event: Vec<u64>,
    n_censor: Vec<u64>,
    n: u64,
    events: u64,
}

impl TimeCounts {
    /// Counts from one row per subject: `time[i]` with `event[i]` true for an event and false for a
    /// censoring.
    ///
    /// Already-sorted input is counted in one pass without sorting; otherwise the rows are sorted once.
    ///
    /// # Errors
    /// [`StatsError::EmptyInput`] for no rows, [`StatsError::LengthMismatch`] when the slices differ in
    /// length, [`StatsError::InvalidTime`] for a NaN, infinite or negative time.
    pub fn from_observations(time: &[f64], event: &[bool]) -> Result<Self, StatsError> {
        if time.len() != event.len() {
            return Err(StatsError::LengthMismatch {
                what: "event",
                expected: time.len(),
                found: event.len(),
            });
        }
        if time.is_empty() {
            return Err(StatsError::EmptyInput);
        }
        let mut sorted = true;
        let mut prev = 0.0_f64;
        for (index, &t) in time.iter().enumerate() {
            if !(t.is_finite() && t >= 0.0) {
                return Err(StatsError::InvalidTime {
                    index,
                    value: t,
                    out_of_order: false,
                });
            }
            sorted &= t >= prev;
            prev = t;
        }
        let mut out = Self::with_capacity(0);
        if sorted {
            for (&t, &e) in time.iter().zip(event) {
                out.push_one(t, e);
            }
        } else {
            // A non-negative finite f64 orders like its bit pattern, whose top (sign) bit is zero, so
            // the pattern shifted left by one with the event flag in the low bit sorts by time as one
            // u64. `+ 0.0` turns -0.0 into 0.0.
            let mut keys: Vec<u64> = time
                .iter()
                .zip(event)
                .map(|(&t, &e)| ((t + 0.0).to_bits() << 1) | u64::from(e))
                .collect();
            keys.sort_unstable();
            for k in keys {
                out.push_one(f64::from_bits(k >> 1), k & 1 == 1);
            }
        }
        Ok(out)
    }

    /// Counts from pre-aggregated rows: `n_event[i]` events and `n_censor[i]` censorings at
    /// `time[i]`. Times must be strictly increasing. Rows with neither events nor censorings carry no
    /// information and are dropped.
    ///
    /// # Errors
    /// [`StatsError::LengthMismatch`] when the slices differ in length, [`StatsError::InvalidTime`] for
    /// a NaN, infinite, negative or out-of-order time, [`StatsError::EmptyInput`] when there is no
    /// observation at all, [`StatsError::CountOverflow`] when the total exceeds `u64::MAX`.
    pub fn from_counts(
        time: &[f64],
        n_event: &[u64],
        n_censor: &[u64],
    ) -> Result<Self, StatsError> {
        for (what, len) in [("n_event", n_event.len()), ("n_censor", n_censor.len())] {
            if len != time.len() {
                return Err(StatsError::LengthMismatch {
                    what,
                    expected: time.len(),
                    found: len,
                });
            }
        }
        let mut out = Self::with_capacity(time.len());
        let mut prev: Option<f64> = None;
        for (index, ((&t, &d), &c)) in time.iter().zip(n_event).zip(n_censor).enumerate() {
            let bad_value = !(t.is_finite() && t >= 0.0);
            let out_of_order = prev.is_some_and(|p| t <= p);
            if bad_value || out_of_order {
                return Err(StatsError::InvalidTime {
                    index,
                    value: t,
                    out_of_order: !bad_value,
                });
            }
            prev = Some(t);
            let total = d.checked_add(c).ok_or(StatsError::CountOverflow)?;
            if total == 0 {
                continue;
            }
            out.n = out.n.checked_add(total).ok_or(StatsError::CountOverflow)?;
            out.events += d; // cannot overflow: events <= n
            out.time.push(t + 0.0);
            out.n_event.push(d);
            out.n_censor.push(c);
        }
        if out.n == 0 {
            return Err(StatsError::EmptyInput);
        }
        Ok(out)
    }

    /// The exact sum of two count tables (for example two partitions of the same population).
    ///
    /// # Errors
    /// [`StatsError::CountOverflow`] when the combined counts exceed `u64::MAX`.
    pub fn merge(&self, other: &TimeCounts) -> Result<TimeCounts, StatsError> {
        let mut out = Self::with_capacity(self.len() + other.len());
        out.n = self
            .n
            .checked_add(other.n)
            .ok_or(StatsError::CountOverflow)?;
        out.events = self.events + other.events; // <= n
        let (mut i, mut j) = (0, 0);
        loop {
            let a = self.time.get(i).copied();
            let b = other.time.get(j).copied();
            // Per-time sums stay below the checked total n.
            let (t, d, c) = match (a, b) {
                (None, None) => break,
                (Some(ta), Some(tb)) if ta == tb => {
                    let row = (
                        ta,
                        self.n_event[i] + other.n_event[j],
                        self.n_censor[i] + other.n_censor[j],
                    );
                    i += 1;
                    j += 1;
                    row
                }
                (Some(ta), Some(tb)) if ta < tb => {
                    i += 1;
                    (ta, self.n_event[i - 1], self.n_censor[i - 1])
                }
                (Some(ta), None) => {
                    i += 1;
                    (ta, self.n_event[i - 1], self.n_censor[i - 1])
                }
                (_, Some(tb)) => {
                    j += 1;
                    (tb, other.n_event[j - 1], other.n_censor[j - 1])
                }
            };
            out.time.push(t);
            out.n_event.push(d);
            out.n_censor.push(c);
        }
        Ok(out)
    }

    /// The distinct observed times, strictly increasing.
    #[must_use]
    pub fn times(&self) -> &[f64] {
        &self.time
    }

    /// Number of events at each time.
    #[must_use]
    pub fn n_event(&self) -> &[u64] {
        &self.n_event
    }

    /// Number of censorings at each time.
    #[must_use]
    pub fn n_censor(&self) -> &[u64] {
        &self.n_censor
    }

    /// Total number of observations.
    #[must_use]
    pub fn n(&self) -> u64 {
        self.n
    }

    /// Total number of events.
    #[must_use]
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Number of distinct times.
    #[must_use]
    pub fn len(&self) -> usize {
        self.time.len()
    }

    /// Always false: a `TimeCounts` holds at least one observation.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    /// Counts from vectors already known to satisfy the invariants (strictly increasing valid times,
    /// every row non-empty, at least one row).
    pub(crate) fn from_sorted_parts(time: Vec<f64>, n_event: Vec<u64>, n_censor: Vec<u64>) -> Self {
        let events = n_event.iter().sum();
        let n = events + n_censor.iter().sum::<u64>();
        TimeCounts {
            time,
            n_event,
            n_censor,
            n,
            events,
        }
    }

    fn with_capacity(cap: usize) -> Self {
        TimeCounts {
            time: Vec::with_capacity(cap),
            n_event: Vec::with_capacity(cap),
            n_censor: Vec::with_capacity(cap),
            n: 0,
            events: 0,
        }
    }

    /// Adds one observation at a time not before the last one pushed.
    fn push_one(&mut self, t: f64, event: bool) {
        let t = t + 0.0;
        let same = self.time.last().is_some_and(|&last| last == t);
        if !same {
            self.time.push(t);
            self.n_event.push(0);
            self.n_censor.push(0);
        }
        let k = self.time.len() - 1;
        if event {
            self.n_event[k] += 1;
            self.events += 1;
        } else {
            self.n_censor[k] += 1;
        }
        self.n += 1;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    #[test]
    fn counts_sorted_and_unsorted_alike() {
        // times 2,2,2,4,5,5,8,9 with status 1,0,1,1,0,1,0,1 (R edge case `tie_event_censor`)
        let t = [5.0, 2.0, 9.0, 2.0, 4.0, 8.0, 2.0, 5.0];
        let e = [true, true, true, false, true, false, true, false];
        let c = TimeCounts::from_observations(&t, &e).unwrap();
        assert_eq!(c.times(), &[2.0, 4.0, 5.0, 8.0, 9.0]);
        assert_eq!(c.n_event(), &[2, 1, 1, 0, 1]);
        assert_eq!(c.n_censor(), &[1, 0, 1, 1, 0]);
        assert_eq!((c.n(), c.events(), c.len()), (8, 5, 5));

        let mut rows: Vec<(f64, bool)> = t.iter().copied().zip(e).collect();
        rows.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (ts, es): (Vec<f64>, Vec<bool>) = rows.into_iter().unzip();
        assert_eq!(TimeCounts::from_observations(&ts, &es).unwrap(), c);
    }

    #[test]
    fn negative_zero_is_zero() {
        let c = TimeCounts::from_observations(&[0.0, -0.0, 1.0], &[true, false, true]).unwrap();
        assert_eq!(c.times(), &[0.0, 1.0]);
        assert!(c.times()[0].is_sign_positive());
        let c = TimeCounts::from_observations(&[1.0, -0.0], &[true, false]).unwrap();
        assert_eq!(c.times(), &[0.0, 1.0]);
        assert!(c.times()[0].is_sign_positive());
    }

    #[test]
    fn rejects_bad_input() {
        assert_eq!(
            TimeCounts::from_observations(&[], &[]),
            Err(StatsError::EmptyInput)
        );
        assert_eq!(
            TimeCounts::from_observations(&[1.0], &[true, false]),
            Err(StatsError::LengthMismatch {
                what: "event",
                expected: 1,
                found: 2
            })
        );
        assert!(matches!(
            TimeCounts::from_observations(&[1.0, f64::NAN], &[true, false]),
            Err(StatsError::InvalidTime { index: 1, .. })
        ));
        assert!(matches!(
            TimeCounts::from_observations(&[-1.0], &[true]),
            Err(StatsError::InvalidTime { index: 0, .. })
        ));
        assert_eq!(
            TimeCounts::from_counts(&[1.0, 1.0], &[1, 1], &[0, 0]),
            Err(StatsError::InvalidTime {
                index: 1,
                value: 1.0,
                out_of_order: true
            })
        );
        assert_eq!(
            TimeCounts::from_counts(&[1.0], &[0], &[0]),
            Err(StatsError::EmptyInput)
        );
        assert_eq!(
            TimeCounts::from_counts(&[1.0, 2.0], &[u64::MAX, 1], &[0, 0]),
            Err(StatsError::CountOverflow)
        );
    }

    #[test]
    fn from_counts_drops_empty_rows_and_merge_adds() {
        let a = TimeCounts::from_counts(&[1.0, 2.0, 3.0], &[1, 0, 2], &[0, 0, 1]).unwrap();
        assert_eq!(a.times(), &[1.0, 3.0]);
        let b = TimeCounts::from_counts(&[0.5, 3.0, 7.0], &[0, 1, 1], &[2, 0, 0]).unwrap();
        let m = a.merge(&b).unwrap();
        assert_eq!(m.times(), &[0.5, 1.0, 3.0, 7.0]);
        assert_eq!(m.n_event(), &[0, 1, 3, 1]);
        assert_eq!(m.n_censor(), &[2, 0, 1, 0]);
        assert_eq!((m.n(), m.events()), (8, 5));
        assert_eq!(m, b.merge(&a).unwrap());
    }
}
