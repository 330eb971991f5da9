//! Per-time counts for every group within every stratum, built in one pass over the rows: the
//! summary that Kaplan-Meier curves per group, the weighted log-rank family and a Cox model with one
//! categorical covariate are all computed from.
//!
//! Two kernels build the same [`GroupCounts`]:
//!
//! * **by day** — when every time is a whole number (study days) in a bounded range, each row
//!   increments one counter in an array indexed by (stratum, group, day, event): one pass, no sort;
//! * **by sort** — otherwise (fractional times, or a range too wide for an array), rows are sorted
//!   by (stratum, time, group, event) and counted in runs.
//!
//! Either way the rows are split into contiguous partitions that are counted on separate threads
//! (`std::thread::scope`) and merged. Counts are integers and merging adds them, so the result does
//! not depend on the number of threads or on the kernel: it is exactly the table a sequential count
//! would give. The same [`GroupCounts::merge`] combines counts from different files, sites or
//! database `GROUP BY` queries.

use std::num::NonZeroUsize;

use crate::counts::TimeCounts;
use crate::error::StatsError;

/// A follow-up time the counting kernels accept: `f64`, or whole study days as `u32`/`i32`.
///
/// Implemented for `f64`, `u32` and `i32` only (the trait is sealed).
pub trait FollowUpTime: Copy + Send + Sync + sealed::Sealed {
    /// The time as `f64` (exact for the integer types).
    fn to_f64(self) -> f64;
    /// The time as a whole non-negative number of days, when it is one that fits in `u32`.
    fn whole_day(self) -> Option<u32>;
    /// True for a time the estimators accept: finite and non-negative.
    fn is_valid(self) -> bool;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for f64 {}
    impl Sealed for u32 {}
    impl Sealed for i32 {}
}

impl FollowUpTime for f64 {
    fn to_f64(self) -> f64 {
        self + 0.0 // -0.0 is 0.0
    }
    fn whole_day(self) -> Option<u32> {
        // `as` saturates, so the round trip is exact only for whole numbers in range.
        let d = self as u32;
        (f64::from(d) == self).then_some(d)
    }
    fn is_valid(self) -> bool {
        self.is_finite() && self >= 0.0
    }
}

impl FollowUpTime for u32 {
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    fn whole_day(self) -> Option<u32> {
        Some(self)
    }
    fn is_valid(self) -> bool {
        true
    }
}

impl FollowUpTime for i32 {
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    fn whole_day(self) -> Option<u32> {
        u32::try_from(self).ok()
    }
    fn is_valid(self) -> bool {
        self >= 0
    }
}

/// Which kernel builds the counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CountKernel {
    /// Count by day when every time is a whole number in a range small enough for an array
    /// (see [`GroupCounts`]), by sort otherwise.
    #[default]
    Auto,
    /// Always sort (the reference the by-day kernel is tested against).
    Sort,
}

/// How to build [`GroupCounts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountOptions {
    /// Number of threads (partitions counted in parallel). The result does not depend on it.
    pub threads: NonZeroUsize,
    /// The kernel. The result does not depend on it either.
    pub kernel: CountKernel,
}

impl Default for CountOptions {
    /// All available cores, automatic kernel.
    fn default() -> Self {
        CountOptions {
            threads: std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN),
            kernel: CountKernel::Auto,
        }
    }
}

/// Group and stratum indices are accepted below the number of rows or this, whichever is larger
/// (so that a partition of a larger table keeps the indices of the whole).
const MIN_INDEX_LIMIT: usize = 1 << 16;

/// Rows per partition below which splitting across threads costs more than it saves.
const MIN_ROWS_PER_THREAD: usize = 1 << 15;

/// Largest number of (stratum, group, day) cells the by-day kernel allocates per thread: 2²² cells
/// of two `u64` counters are 64 MiB. Wider tables are counted by sort.
const MAX_DAY_CELLS: usize = 1 << 22;

/// The counts of one stratum: its distinct observed times and, at each, the events and censorings
/// of every group (zero for a group with no observation at that time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StratumCounts {
    groups: usize,
    /// Distinct times of the stratum, strictly increasing, stored as `f64` bits (non-negative, so
    /// the bits order like the values and compare exactly).
    time_bits: Vec<u64>,
    /// `time_bits.len() × groups`, time-major.
    n_event: Vec<u64>,
    n_censor: Vec<u64>,
}

impl StratumCounts {
    fn new(groups: usize) -> Self {
        StratumCounts {
            groups,
            time_bits: Vec::new(),
            n_event: Vec::new(),
            n_censor: Vec::new(),
        }
    }

    /// Number of distinct observed times in the stratum (0 for an empty stratum).
    #[must_use]
    pub fn len(&self) -> usize {
        self.time_bits.len()
    }

    /// True when the stratum has no observation.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.time_bits.is_empty()
    }

    /// The `i`-th distinct time.
    ///
    /// # Panics
    /// When `i >= self.len()`.
    #[must_use]
    pub fn time(&self, i: usize) -> f64 {
        f64::from_bits(self.time_bits[i])
    }

    /// Events of every group at the `i`-th time (one entry per group).
    #[must_use]
    pub fn n_event(&self, i: usize) -> &[u64] {
        &self.n_event[i * self.groups..(i + 1) * self.groups]
    }

    /// Censorings of every group at the `i`-th time (one entry per group).
    #[must_use]
    pub fn n_censor(&self, i: usize) -> &[u64] {
        &self.n_censor[i * self.groups..(i + 1) * self.groups]
    }

    /// Number of subjects of each group in the stratum.
    #[must_use]
    pub fn n_per_group(&self) -> Vec<u64> {
        let mut n = vec![0; self.groups];
        for (i, (&d, &c)) in self.n_event.iter().zip(&self.n_censor).enumerate() {
            n[i % self.groups] += d + c;
        }
        n
    }

    /// Appends a time with its per-group counts, unless all are zero. Times must increase.
    fn push(&mut self, bits: u64, events: &[u64], censors: &[u64]) {
        if events.iter().chain(censors).all(|&x| x == 0) {
            return;
        }
        self.time_bits.push(bits);
        self.n_event.extend_from_slice(events);
        self.n_censor.extend_from_slice(censors);
    }

    /// The same counts with `groups` groups (the new ones empty).
    fn widen(&self, groups: usize) -> StratumCounts {
        if groups == self.groups {
            return self.clone();
        }
        let mut out = StratumCounts::new(groups);
        let pad = vec![0; groups - self.groups];
        for i in 0..self.len() {
            out.time_bits.push(self.time_bits[i]);
            out.n_event.extend_from_slice(self.n_event(i));
            out.n_event.extend_from_slice(&pad);
            out.n_censor.extend_from_slice(self.n_censor(i));
            out.n_censor.extend_from_slice(&pad);
        }
        out
    }
}

/// Per-time event and censoring counts for each group (dense indices `0..groups`) within each
/// stratum (dense indices `0..strata`).
///
/// This is everything [`crate::KaplanMeier`] per group, [`crate::survdiff_counts`] and
/// [`crate::cox_fit_counts`] need, and it is additive ([`GroupCounts::merge`]).
///
/// The by-day kernel ([`CountKernel::Auto`]) is used when every time is a whole number and the
/// table of (stratum, group, day) cells between the smallest and largest day has at most
/// 2²² cells and at most 8 cells per row (so a handful of rows spread over decades is still sorted).
///
/// ```
/// use rwe_stats::{GroupCounts, KaplanMeier};
///
/// // Days 3, 3, 5 (group 0) and 2, 5 (group 1); the second row at day 3 and the one at day 5 in
/// // group 1 are censored.
/// let counts = GroupCounts::from_observations(
///     &[3_u32, 3, 5, 2, 5], &[true, false, true, true, false], Some(&[0, 0, 0, 1, 1]), None)?;
/// let pooled = counts.pooled();
/// assert_eq!(pooled.times(), &[2.0, 3.0, 5.0]);
/// assert_eq!(pooled.n_event(), &[1, 1, 1]);
/// let g1 = counts.group(1).expect("group 1 has rows");
/// assert_eq!((g1.n(), g1.events()), (2, 1));
/// assert_eq!(KaplanMeier::from_counts(&pooled).rows()[0].surv, 0.8);
/// # Ok::<(), rwe_stats::StatsError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCounts {
    groups: usize,
    strata: Vec<StratumCounts>,
}

/// What a first pass over a partition found.
#[derive(Debug, Clone, Copy)]
struct Scan {
    /// First row (absolute index) whose time is invalid.
    invalid: Option<usize>,
    whole: bool,
    min_day: u32,
    max_day: u32,
    max_group: u32,
    max_stratum: u32,
}

impl Scan {
    fn combine(self, o: Scan) -> Scan {
        Scan {
            invalid: match (self.invalid, o.invalid) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            },
            whole: self.whole && o.whole,
            min_day: self.min_day.min(o.min_day),
            max_day: self.max_day.max(o.max_day),
            max_group: self.max_group.max(o.max_group),
            max_stratum: self.max_stratum.max(o.max_stratum),
        }
    }
}

/// The rows of one partition.
#[derive(Clone, Copy)]
struct Rows<'a, T> {
    /// Absolute index of the first row.
    offset: usize,
    time: &'a [T],
    event: &'a [bool],
    group: Option<&'a [u32]>,
    strata: Option<&'a [u32]>,
}

impl<'a, T: FollowUpTime> Rows<'a, T> {
    fn len(&self) -> usize {
        self.time.len()
    }

    fn group(&self, i: usize) -> u32 {
        self.group.map_or(0, |g| g[i])
    }

    fn stratum(&self, i: usize) -> u32 {
        self.strata.map_or(0, |s| s[i])
    }

    fn split(&self, parts: usize) -> Vec<Rows<'a, T>> {
        let n = self.len();
        let size = n.div_ceil(parts.max(1)).max(1);
        (0..n)
            .step_by(size)
            .map(|start| {
                let end = (start + size).min(n);
                Rows {
                    offset: self.offset + start,
                    time: &self.time[start..end],
                    event: &self.event[start..end],
                    group: self.group.map(|g| &g[start..end]),
                    strata: self.strata.map(|s| &s[start..end]),
                }
            })
            .collect()
    }

    fn scan(&self) -> Scan {
        let mut s = Scan {
            invalid: None,
            whole: true,
            min_day: u32::MAX,
            max_day: 0,
            max_group: 0,
            max_stratum: 0,
        };
        for (i, &t) in self.time.iter().enumerate() {
            if !t.is_valid() {
                s.invalid = Some(self.offset + i);
                break;
            }
            match t.whole_day() {
                Some(d) => {
                    s.min_day = s.min_day.min(d);
                    s.max_day = s.max_day.max(d);
                }
                None => s.whole = false,
            }
        }
        if let Some(g) = self.group {
            s.max_group = g.iter().copied().max().unwrap_or(0);
        }
        if let Some(st) = self.strata {
            s.max_stratum = st.iter().copied().max().unwrap_or(0);
        }
        s
    }

    /// Counts by day into `cells × range × 2` counters: index ((cell·range + day − min)·2 + event).
    fn count_days(&self, groups: usize, min_day: u32, range: usize, cells: usize) -> Vec<u64> {
        let mut counts = vec![0_u64; cells * range * 2];
        let slot = |i: usize, day: u32| {
            let cell = self.stratum(i) as usize * groups + self.group(i) as usize;
            (cell * range + (day - min_day) as usize) * 2
        };
        for (i, (&t, &e)) in self.time.iter().zip(self.event).enumerate() {
            // The scan established that every time is a whole day in [min_day, max_day].
            let day = t.whole_day().unwrap_or(min_day);
            counts[slot(i, day) + usize::from(e)] += 1;
        }
        counts
    }

    /// Counts by sorting (stratum, time, group, event) packed in one `u128`.
    fn count_sorted(&self, groups: usize, n_strata: usize) -> GroupCounts {
        // 32 bits of stratum, 63 bits of non-negative f64, 32 bits of group, 1 bit of event.
        let mut keys: Vec<u128> = (0..self.len())
            .map(|i| {
                let bits = self.time[i].to_f64().to_bits();
                (u128::from(self.stratum(i)) << 96)
                    | (u128::from(bits) << 33)
                    | (u128::from(self.group(i)) << 1)
                    | u128::from(self.event[i])
            })
            .collect();
        keys.sort_unstable();
        let mut out = GroupCounts::empty(groups, n_strata);
        let mut events = vec![0_u64; groups];
        let mut censors = vec![0_u64; groups];
        let mut current: Option<(usize, u64)> = None;
        for k in keys {
            let stratum = (k >> 96) as usize;
            let bits = ((k >> 33) as u64) & (u64::MAX >> 1);
            let group = ((k >> 1) as u32) as usize;
            if current != Some((stratum, bits)) {
                if let Some((s, b)) = current {
                    out.strata[s].push(b, &events, &censors);
                }
                events.iter_mut().for_each(|x| *x = 0);
                censors.iter_mut().for_each(|x| *x = 0);
                current = Some((stratum, bits));
            }
            if k & 1 == 1 {
                events[group] += 1;
            } else {
                censors[group] += 1;
            }
        }
        if let Some((s, b)) = current {
            out.strata[s].push(b, &events, &censors);
        }
        out
    }
}

impl GroupCounts {
    /// Counts one row per subject: `time[i]` with `event[i]` true for an event and false for a
    /// censoring, in group `group[i]` (all in group 0 when `None`) and stratum `strata[i]` (all in
    /// stratum 0 when `None`), with the default [`CountOptions`].
    ///
    /// # Errors
    /// As [`GroupCounts::from_observations_with`].
    pub fn from_observations<T: FollowUpTime>(
        time: &[T],
        event: &[bool],
        group: Option<&[u32]>,
        strata: Option<&[u32]>,
    ) -> Result<Self, StatsError> {
        Self::from_observations_with(time, event, group, strata, &CountOptions::default())
    }

    /// Counts one row per subject with the given options; see [`GroupCounts::from_observations`].
    ///
    /// Group and stratum indices should be dense (`0..k`); each must be below the number of rows
    /// or 65 536, whichever is larger, which bounds the memory a stray index can claim.
    ///
    /// # Errors
    /// [`StatsError::EmptyInput`] for no rows, [`StatsError::LengthMismatch`] when the slices differ
    /// in length, [`StatsError::InvalidTime`] for the first NaN, infinite or negative time,
    /// [`StatsError::IndexTooLarge`] for a group or stratum index that is not dense.
    pub fn from_observations_with<T: FollowUpTime>(
        time: &[T],
        event: &[bool],
        group: Option<&[u32]>,
        strata: Option<&[u32]>,
        options: &CountOptions,
    ) -> Result<Self, StatsError> {
        let n = time.len();
        for (what, len) in [
            ("event", Some(event.len())),
            ("group", group.map(<[u32]>::len)),
        ]
        .into_iter()
        .chain([("strata", strata.map(<[u32]>::len))])
        {
            if let Some(found) = len.filter(|&l| l != n) {
                return Err(StatsError::LengthMismatch {
                    what,
                    expected: n,
                    found,
                });
            }
        }
        if n == 0 {
            return Err(StatsError::EmptyInput);
        }
        let rows = Rows {
            offset: 0,
            time,
            event,
            group,
            strata,
        };
        let parts = options.threads.get().min(n.div_ceil(MIN_ROWS_PER_THREAD));
        let partitions = rows.split(parts);
        let scan = parallel_map(&partitions, Rows::scan)
            .into_iter()
            .reduce(Scan::combine)
            .unwrap_or_else(|| rows.scan());
        if let Some(index) = scan.invalid {
            return Err(StatsError::InvalidTime {
                index,
                value: time[index].to_f64(),
                out_of_order: false,
            });
        }
        for (what, max) in [("group", scan.max_group), ("strata", scan.max_stratum)] {
            if max as usize >= n.max(MIN_INDEX_LIMIT) {
                return Err(StatsError::IndexTooLarge {
                    what,
                    index: max as usize,
                    rows: n,
                });
            }
        }
        let groups = scan.max_group as usize + 1;
        let n_strata = scan.max_stratum as usize + 1;
        let cells = groups * n_strata;
        // With every time whole (and at least one row) min_day ≤ max_day.
        let range = scan.max_day.saturating_sub(scan.min_day) as usize + 1;
        let by_day = options.kernel == CountKernel::Auto
            && scan.whole
            && cells
                .checked_mul(range)
                .is_some_and(|c| c <= MAX_DAY_CELLS && c <= n.saturating_mul(8).max(1024));
        if by_day {
            let tables = parallel_map(&partitions, |p| {
                p.count_days(groups, scan.min_day, range, cells)
            });
            let mut total = vec![0_u64; cells * range * 2];
            for t in &tables {
                for (a, b) in total.iter_mut().zip(t) {
                    *a += b;
                }
            }
            Ok(Self::from_day_table(
                &total,
                groups,
                n_strata,
                scan.min_day,
                range,
            ))
        } else {
            let parts = parallel_map(&partitions, |p| p.count_sorted(groups, n_strata));
            let mut merged = GroupCounts::empty(groups, n_strata);
            for p in &parts {
                merged = merged.merge(p);
            }
            Ok(merged)
        }
    }

    fn empty(groups: usize, n_strata: usize) -> Self {
        GroupCounts {
            groups,
            strata: vec![StratumCounts::new(groups); n_strata],
        }
    }

    fn from_day_table(
        table: &[u64],
        groups: usize,
        n_strata: usize,
        min_day: u32,
        range: usize,
    ) -> Self {
        let mut out = GroupCounts::empty(groups, n_strata);
        let mut events = vec![0_u64; groups];
        let mut censors = vec![0_u64; groups];
        for (s, stratum) in out.strata.iter_mut().enumerate() {
            for day in 0..range {
                for g in 0..groups {
                    let at = ((s * groups + g) * range + day) * 2;
                    censors[g] = table[at];
                    events[g] = table[at + 1];
                }
                let time = f64::from(min_day) + day as f64;
                stratum.push(time.to_bits(), &events, &censors);
            }
        }
        out
    }

    /// The exact sum of two count tables (for example two partitions of the same population, or
    /// two sites). Group and stratum indices must mean the same in both; the result has as many
    /// groups and strata as the larger of the two.
    #[must_use]
    pub fn merge(&self, other: &GroupCounts) -> GroupCounts {
        let groups = self.groups.max(other.groups);
        let n_strata = self.strata.len().max(other.strata.len());
        let empty = StratumCounts::new(groups);
        let mut out = GroupCounts::empty(groups, n_strata);
        let mut events = vec![0_u64; groups];
        let mut censors = vec![0_u64; groups];
        for (s, slot) in out.strata.iter_mut().enumerate() {
            let a = self
                .strata
                .get(s)
                .map_or_else(|| empty.clone(), |x| x.widen(groups));
            let b = other
                .strata
                .get(s)
                .map_or_else(|| empty.clone(), |x| x.widen(groups));
            let (mut i, mut j) = (0, 0);
            while i < a.len() || j < b.len() {
                let ta = a.time_bits.get(i).copied().unwrap_or(u64::MAX);
                let tb = b.time_bits.get(j).copied().unwrap_or(u64::MAX);
                let t = ta.min(tb);
                events.iter_mut().for_each(|x| *x = 0);
                censors.iter_mut().for_each(|x| *x = 0);
                for (side, k, tk) in [(&a, &mut i, ta), (&b, &mut j, tb)] {
                    if tk == t {
                        for g in 0..groups {
                            events[g] += side.n_event(*k)[g];
                            censors[g] += side.n_censor(*k)[g];
                        }
                        *k += 1;
                    }
                }
                slot.push(t, &events, &censors);
            }
        }
        out
    }

    /// The same counts with groups and strata renumbered: group `g` becomes `group_map[g]` (of
    /// `groups`) and stratum `s` becomes `strata_map[s]` (of `strata`). Groups or strata mapped to
    /// the same index are added together. Used to put counts made with different label
    /// dictionaries (partitions of a file, sites) on one numbering before [`GroupCounts::merge`].
    ///
    /// # Errors
    /// [`StatsError::IndexTooLarge`] when a map is shorter than the groups or strata it renumbers, or
    /// maps to an index not below `groups`/`strata`.
    pub fn relabel(
        &self,
        group_map: &[u32],
        groups: usize,
        strata_map: &[u32],
        strata: usize,
    ) -> Result<GroupCounts, StatsError> {
        let check = |what, map: &[u32], from: usize, to: usize| {
            if map.len() < from {
                return Err(StatsError::IndexTooLarge {
                    what,
                    index: map.len(),
                    rows: from,
                });
            }
            match map[..from].iter().find(|&&m| m as usize >= to) {
                Some(&m) => Err(StatsError::IndexTooLarge {
                    what,
                    index: m as usize,
                    rows: to,
                }),
                None => Ok(()),
            }
        };
        check("group", group_map, self.groups, groups)?;
        check("strata", strata_map, self.strata.len(), strata)?;
        let mut out = GroupCounts::empty(groups, strata);
        for (s, stratum) in self.strata.iter().enumerate() {
            let mut moved = StratumCounts::new(groups);
            let mut events = vec![0_u64; groups];
            let mut censors = vec![0_u64; groups];
            for i in 0..stratum.len() {
                events.iter_mut().for_each(|x| *x = 0);
                censors.iter_mut().for_each(|x| *x = 0);
                let from = stratum.n_event(i).iter().zip(stratum.n_censor(i));
                for (&to, (&d, &c)) in group_map.iter().zip(from) {
                    events[to as usize] += d;
                    censors[to as usize] += c;
                }
                moved.push(stratum.time_bits[i], &events, &censors);
            }
            let single = GroupCounts {
                groups,
                strata: {
                    let mut v = vec![StratumCounts::new(groups); strata];
                    v[strata_map[s] as usize] = moved;
                    v
                },
            };
            out = out.merge(&single);
        }
        Ok(out)
    }

    /// The counts with all strata added together (one stratum).
    #[must_use]
    pub fn without_strata(&self) -> GroupCounts {
        let mut out = GroupCounts::empty(self.groups, 1);
        for stratum in &self.strata {
            let single = GroupCounts {
                groups: self.groups,
                strata: vec![stratum.clone()],
            };
            out = out.merge(&single);
        }
        out
    }

    /// Number of groups (one more than the largest group index).
    #[must_use]
    pub fn groups(&self) -> usize {
        self.groups
    }

    /// The strata, by index; a stratum index that no row used is an empty stratum.
    #[must_use]
    pub fn strata(&self) -> &[StratumCounts] {
        &self.strata
    }

    /// Number of subjects of each group, over all strata.
    #[must_use]
    pub fn n_per_group(&self) -> Vec<u64> {
        let mut n = vec![0; self.groups];
        for s in &self.strata {
            for (a, b) in n.iter_mut().zip(s.n_per_group()) {
                *a += b;
            }
        }
        n
    }

    /// Number of subjects.
    #[must_use]
    pub fn n(&self) -> u64 {
        self.n_per_group().iter().sum()
    }

    /// The counts of all groups and strata together: the table of the overall curve.
    #[must_use]
    pub fn pooled(&self) -> TimeCounts {
        self.collapse(None)
    }

    /// The counts of one group over all strata; `None` for a group without subjects.
    #[must_use]
    pub fn group(&self, group: usize) -> Option<TimeCounts> {
        (group < self.groups && self.n_per_group()[group] > 0).then(|| self.collapse(Some(group)))
    }

    /// Sums over strata (and over groups when `group` is `None`).
    fn collapse(&self, group: Option<usize>) -> TimeCounts {
        let sum = |row: &[u64]| group.map_or_else(|| row.iter().sum(), |g| row[g]);
        let mut rows: Vec<(u64, u64, u64)> = Vec::new();
        for s in &self.strata {
            for i in 0..s.len() {
                let (d, c) = (sum(s.n_event(i)), sum(s.n_censor(i)));
                if d + c > 0 {
                    rows.push((s.time_bits[i], d, c));
                }
            }
        }
        if self.strata.len() > 1 {
            rows.sort_unstable_by_key(|r| r.0);
        }
        let mut time = Vec::with_capacity(rows.len());
        let mut n_event: Vec<u64> = Vec::with_capacity(rows.len());
        let mut n_censor: Vec<u64> = Vec::with_capacity(rows.len());
        let mut last = None;
        for (bits, d, c) in rows {
            if last == Some(bits) {
                if let (Some(e), Some(x)) = (n_event.last_mut(), n_censor.last_mut()) {
                    *e += d;
                    *x += c;
                }
            } else {
                time.push(f64::from_bits(bits));
                n_event.push(d);
                n_censor.push(c);
                last = Some(bits);
            }
        }
        TimeCounts::from_sorted_parts(time, n_event, n_censor)
    }
}

/// Runs `f` on every partition, on its own scoped thread when there is more than one.
fn parallel_map<P: Sync, R: Send>(parts: &[P], f: impl Fn(&P) -> R + Sync) -> Vec<R> {
    if parts.len() <= 1 {
        return parts.iter().map(&f).collect();
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts.iter().map(|p| scope.spawn(|| f(p))).collect();
        handles
            .into_iter()
            .map(|h| match h.join() {
                Ok(r) => r,
                // A panic in a worker is a bug in this module; pass it on unchanged.
                Err(payload) => std::panic::resume_unwind(payload),
            })
            .collect()
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may unwrap
mod tests {
    use super::*;

    fn opts(threads: usize, kernel: CountKernel) -> CountOptions {
        CountOptions {
            threads: NonZeroUsize::new(threads).unwrap(),
            kernel,
        }
    }

    #[test]
    fn hand_counted_groups_and_strata() {
        // stratum 0: group 0 at 2 (event), 2 (censored); group 1 at 2 (event), 7 (event)
        // stratum 1: group 1 at 4 (censored); stratum 2 is empty.
        // So stratum 0 has times 2 and 7: at 2, events (1, 1) and censorings (1, 0); at 7, events
        // (0, 1).
        let t = [2.0, 7.0, 4.0, 2.0, 2.0];
        let e = [true, true, false, false, true];
        let g = [0, 1, 1, 0, 1];
        let s = [0, 0, 1, 0, 0];
        for kernel in [CountKernel::Auto, CountKernel::Sort] {
            let c =
                GroupCounts::from_observations_with(&t, &e, Some(&g), Some(&s), &opts(2, kernel))
                    .unwrap();
            assert_eq!(c.groups(), 2);
            assert_eq!(c.strata().len(), 2);
            let s0 = &c.strata()[0];
            assert_eq!((s0.len(), s0.time(0), s0.time(1)), (2, 2.0, 7.0));
            assert_eq!((s0.n_event(0), s0.n_censor(0)), (&[1, 1][..], &[1, 0][..]));
            assert_eq!((s0.n_event(1), s0.n_censor(1)), (&[0, 1][..], &[0, 0][..]));
            assert_eq!(c.strata()[1].n_per_group(), [0, 1]);
            assert_eq!(c.n_per_group(), [2, 3]);
            let pooled = c.pooled();
            assert_eq!(pooled.times(), &[2.0, 4.0, 7.0]);
            assert_eq!(pooled.n_event(), &[2, 0, 1]);
            assert_eq!(pooled.n_censor(), &[1, 1, 0]);
            assert_eq!(c.group(0).unwrap().times(), &[2.0]);
        }
    }

    #[test]
    fn kernels_and_thread_counts_agree() {
        // A deterministic scramble of 200 000 rows over 400 days, 3 groups and 2 strata; plus the
        // same days shifted by half a day, which forces the sort kernel.
        let n = 200_000;
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let rows: Vec<(u32, bool, u32, u32)> = (0..n)
            .map(|_| {
                let r = next();
                (
                    (r % 400) as u32,
                    r & (1 << 20) != 0,
                    ((r >> 30) % 3) as u32,
                    ((r >> 40) % 2) as u32,
                )
            })
            .collect();
        let t: Vec<u32> = rows.iter().map(|r| r.0).collect();
        let tf: Vec<f64> = t.iter().map(|&d| f64::from(d)).collect();
        let e: Vec<bool> = rows.iter().map(|r| r.1).collect();
        let g: Vec<u32> = rows.iter().map(|r| r.2).collect();
        let s: Vec<u32> = rows.iter().map(|r| r.3).collect();
        let reference = GroupCounts::from_observations_with(
            &tf,
            &e,
            Some(&g),
            Some(&s),
            &opts(1, CountKernel::Sort),
        )
        .unwrap();
        for threads in [1, 2, 3, 8] {
            for kernel in [CountKernel::Auto, CountKernel::Sort] {
                let o = opts(threads, kernel);
                let by_u32 =
                    GroupCounts::from_observations_with(&t, &e, Some(&g), Some(&s), &o).unwrap();
                assert_eq!(by_u32, reference, "u32 {threads} threads {kernel:?}");
                let by_f64 =
                    GroupCounts::from_observations_with(&tf, &e, Some(&g), Some(&s), &o).unwrap();
                assert_eq!(by_f64, reference, "f64 {threads} threads {kernel:?}");
            }
        }
        assert_eq!(reference.n(), n as u64);
        // Fractional times go through the sort kernel and keep every time.
        let half: Vec<f64> = tf.iter().map(|d| d + 0.5).collect();
        let c = GroupCounts::from_observations(&half, &e, Some(&g), Some(&s)).unwrap();
        assert_eq!(c.pooled().len(), reference.pooled().len());
        assert_eq!(c.pooled().times()[0], reference.pooled().times()[0] + 0.5);
    }

    #[test]
    fn merge_adds_partitions() {
        let a = GroupCounts::from_observations(&[1.0, 3.0], &[true, false], Some(&[0, 1]), None)
            .unwrap();
        let b = GroupCounts::from_observations(
            &[3.0, 2.0, 3.0],
            &[true, true, true],
            Some(&[0, 0, 0]),
            None,
        )
        .unwrap();
        let whole = GroupCounts::from_observations(
            &[1.0, 3.0, 3.0, 2.0, 3.0],
            &[true, false, true, true, true],
            Some(&[0, 1, 0, 0, 0]),
            None,
        )
        .unwrap();
        assert_eq!(a.merge(&b), whole);
        assert_eq!(b.merge(&a), whole);
    }

    #[test]
    fn relabel_and_collapse_strata() {
        // Rows in groups 0, 1, 2 and strata 0, 1; groups 0 and 2 are merged into new group 1,
        // group 1 becomes new group 0; the strata swap.
        let t = [1.0, 2.0, 2.0, 3.0, 1.0];
        let e = [true, false, true, true, true];
        let g = [0, 1, 2, 2, 1];
        let s = [0, 0, 1, 1, 1];
        let c = GroupCounts::from_observations(&t, &e, Some(&g), Some(&s)).unwrap();
        let r = c.relabel(&[1, 0, 1], 2, &[1, 0], 2).unwrap();
        let want =
            GroupCounts::from_observations(&t, &e, Some(&[1, 0, 1, 1, 0]), Some(&[1, 1, 0, 0, 0]))
                .unwrap();
        assert_eq!(r, want);
        let flat = GroupCounts::from_observations(&t, &e, Some(&g), None).unwrap();
        assert_eq!(c.without_strata(), flat);
        assert_eq!(
            c.relabel(&[0, 1], 3, &[0, 1], 2),
            Err(StatsError::IndexTooLarge {
                what: "group",
                index: 2,
                rows: 3
            })
        );
        assert_eq!(
            c.relabel(&[0, 1, 5], 3, &[0, 1], 2),
            Err(StatsError::IndexTooLarge {
                what: "group",
                index: 5,
                rows: 3
            })
        );
    }

    #[test]
    fn rejects_bad_input() {
        let none: Option<&[u32]> = None;
        assert_eq!(
            GroupCounts::from_observations::<f64>(&[], &[], none, none),
            Err(StatsError::EmptyInput)
        );
        assert_eq!(
            GroupCounts::from_observations(&[1.0, 2.0], &[true], none, none),
            Err(StatsError::LengthMismatch {
                what: "event",
                expected: 2,
                found: 1
            })
        );
        assert_eq!(
            GroupCounts::from_observations(&[1.0, 2.0], &[true, true], Some(&[0]), none),
            Err(StatsError::LengthMismatch {
                what: "group",
                expected: 2,
                found: 1
            })
        );
        assert_eq!(
            GroupCounts::from_observations(&[1.0, -2.0, f64::NAN], &[true; 3], none, none),
            Err(StatsError::InvalidTime {
                index: 1,
                value: -2.0,
                out_of_order: false
            })
        );
        assert_eq!(
            GroupCounts::from_observations(&[1, -2], &[true; 2], none, none),
            Err(StatsError::InvalidTime {
                index: 1,
                value: -2.0,
                out_of_order: false
            })
        );
        assert_eq!(
            GroupCounts::from_observations(&[1.0, 2.0], &[true; 2], Some(&[0, 1 << 16]), none),
            Err(StatsError::IndexTooLarge {
                what: "group",
                index: 1 << 16,
                rows: 2
            })
        );
    }
}
