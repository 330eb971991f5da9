//! Blinatumomab cycles from administration records (R6): a gap of at most `gap_days` days without infusion
//! continues a cycle, a longer one (or a change of the recorded cycle number) starts the next.

use rwe_data::{Date, Exposure, RecordRef};

/// One cycle of blinatumomab.
#[derive(Debug, Clone, PartialEq)]
pub struct Cycle {
    /// 1 for the first cycle.
    pub number: u32,
    /// First infusion day.
    pub start: Date,
    /// Last infusion day.
    pub end: Date,
    /// The administration records it merges.
    pub records: Vec<RecordRef>,
}

impl Cycle {
    /// Infusion days from first to last day, inclusive.
    #[must_use]
    pub fn days(&self) -> i32 {
        self.end.days_since(self.start) + 1
    }
}

/// Group blinatumomab records (sorted by start) into cycles. `end_cap` truncates infusions at the cut-off.
#[must_use]
pub fn cycles(blina: &[&Exposure], gap_days: i64, end_cap: Date) -> Vec<Cycle> {
    let mut out: Vec<Cycle> = Vec::new();
    let mut last_cycle_no: Option<i64> = None;
    for e in blina {
        let end = e.end.min(end_cap);
        let new_cycle = match out.last() {
            None => true,
            Some(c) => {
                // Days without infusion between the end of the cycle so far and this record's start.
                let gap = i64::from(e.start.days_since(c.end)) - 1;
                let renumbered =
                    matches!((last_cycle_no, e.cycle_no), (Some(a), Some(b)) if a != b);
                gap > gap_days || renumbered
            }
        };
        if new_cycle {
            out.push(Cycle {
                number: u32::try_from(out.len() + 1).unwrap_or(u32::MAX),
                start: e.start,
                end,
                records: vec![e.at.clone()],
            });
        } else if let Some(c) = out.last_mut() {
            c.end = c.end.max(end);
            c.records.push(e.at.clone());
        }
        if e.cycle_no.is_some() {
            last_cycle_no = e.cycle_no;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rwe_data::terms::Agent;
    use rwe_data::{SubjectId, TableId};
    use std::sync::Arc;

    fn ex(row: u64, start: &str, end: &str, cycle_no: Option<i64>) -> Exposure {
        Exposure {
            at: RecordRef {
                table: TableId::Exposures,
                file: Arc::from("exposures.csv"),
                row,
                seq: None,
            },
            subject: SubjectId::new("P"),
            agent: Agent::Blinatumomab,
            regimen: None,
            intensity: None,
            start: Date::parse_iso(start).unwrap(),
            end: Date::parse_iso(end).unwrap(),
            cycle_no,
            dose: None,
            dose_unit: None,
            dcreas: None,
        }
    }

    #[test]
    fn seven_day_gap_continues_eight_starts_a_new_cycle() {
        // 09-10 → 09-18: days 11..17 without infusion = 7 → same cycle.
        // 09-28 → 10-07: days 29, 30, 1..6 = 8 → new cycle.
        let rs = [
            ex(2, "2022-09-01", "2022-09-10", None),
            ex(3, "2022-09-18", "2022-09-28", None),
            ex(4, "2022-10-07", "2022-10-20", None),
        ];
        let refs: Vec<&Exposure> = rs.iter().collect();
        let c = cycles(&refs, 7, Date::parse_iso("2030-01-01").unwrap());
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].days(), 28, "cycle 1: 09-01..09-28");
        assert_eq!(c[1].days(), 14, "cycle 2: 10-07..10-20");
        assert_eq!(c[0].records.len(), 2);
    }

    #[test]
    fn recorded_cycle_number_starts_a_cycle_and_cut_off_truncates() {
        let rs = [
            ex(2, "2022-09-01", "2022-09-10", Some(1)),
            ex(3, "2022-09-12", "2022-09-20", Some(2)),
        ];
        let refs: Vec<&Exposure> = rs.iter().collect();
        let c = cycles(&refs, 7, Date::parse_iso("2022-09-15").unwrap());
        assert_eq!(c.len(), 2);
        assert_eq!(c[1].end.to_string(), "2022-09-15");
    }
}
