//! Calendar dates, study days and the date formats rwe accepts.
//!
//! Dates are ISO 8601 (`2022-01-03`). Real exports mix formats, so a documented set of others is accepted
//! with a warning ([`DateFormat::is_iso`] is false for them) and anything else is an error. Formats where day
//! and month cannot be told apart (`03/01/2022`) are refused rather than guessed.

use std::fmt;

use serde::Serialize;

use crate::table::{civil_from_days, iso_date_from_epoch_days};

/// A calendar date (proleptic Gregorian), stored as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

impl Date {
    /// The date `days` after 1970-01-01.
    #[must_use]
    pub fn from_epoch_days(days: i32) -> Date {
        Date(days)
    }

    /// Days since 1970-01-01.
    #[must_use]
    pub fn epoch_days(self) -> i32 {
        self.0
    }

    /// The date for a year, month (1–12) and day, if it exists.
    #[must_use]
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        // Howard Hinnant's days_from_civil.
        let y = i64::from(if month <= 2 { year - 1 } else { year });
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        i32::try_from(era * 146_097 + doe - 719_468).ok().map(Date)
    }

    /// Year, month and day.
    #[must_use]
    pub fn ymd(self) -> (i32, u32, u32) {
        let (y, m, d) = civil_from_days(i64::from(self.0));
        // Any i32 day count is within ±5.9 million years, so the year fits in i32.
        (i32::try_from(y).unwrap_or(i32::MAX), m, d)
    }

    /// The date `n` days later (earlier for negative `n`).
    #[must_use]
    pub fn add_days(self, n: i32) -> Date {
        Date(self.0.saturating_add(n))
    }

    /// Days from `earlier` to `self` (`self − earlier`).
    #[must_use]
    pub fn days_since(self, earlier: Date) -> i32 {
        self.0 - earlier.0
    }

    /// Parse a date in ISO 8601 (`YYYY-MM-DD`, or a date-time whose date part is used).
    #[must_use]
    pub fn parse_iso(s: &str) -> Option<Date> {
        match parse_date(s) {
            Some((d, DateFormat::Iso | DateFormat::IsoDateTime)) => Some(d),
            _ => None,
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&iso_date_from_epoch_days(i64::from(self.0)))
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// A date format rwe recognises. Only the ISO forms are accepted silently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateFormat {
    /// `2022-01-03`
    Iso,
    /// `2022-01-03T08:30:00` (Excel date-times): the date part is used.
    IsoDateTime,
    /// `2022/01/03`
    YearSlash,
    /// `2022.01.03`
    YearDot,
    /// `20220103`
    Compact,
    /// `03.01.2022` (day first, as written in much of Europe)
    DayDot,
    /// `03JAN2022` (SAS `DATE9.`)
    Date9,
    /// `03-Jan-2022` or `03 Jan 2022`
    DayMonthName,
}

impl DateFormat {
    /// Every format, in the order they are documented.
    pub const ALL: [DateFormat; 8] = [
        DateFormat::Iso,
        DateFormat::IsoDateTime,
        DateFormat::YearSlash,
        DateFormat::YearDot,
        DateFormat::Compact,
        DateFormat::DayDot,
        DateFormat::Date9,
        DateFormat::DayMonthName,
    ];

    /// True for the ISO 8601 forms, accepted without a warning.
    #[must_use]
    pub fn is_iso(self) -> bool {
        matches!(self, DateFormat::Iso | DateFormat::IsoDateTime)
    }

    /// An example of the format, as documented.
    #[must_use]
    pub fn example(self) -> &'static str {
        match self {
            DateFormat::Iso => "2022-01-03",
            DateFormat::IsoDateTime => "2022-01-03T08:30:00",
            DateFormat::YearSlash => "2022/01/03",
            DateFormat::YearDot => "2022.01.03",
            DateFormat::Compact => "20220103",
            DateFormat::DayDot => "03.01.2022",
            DateFormat::Date9 => "03JAN2022",
            DateFormat::DayMonthName => "03-Jan-2022",
        }
    }
}

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

fn num(s: &str, len: usize) -> Option<u32> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn ymd(y: &str, m: &str, d: &str) -> Option<Date> {
    let y = i32::try_from(num(y, 4)?).ok()?;
    Date::from_ymd(y, num(m, 2)?, num(d, 2)?)
}

/// Parse a date in any recognised format, saying which one it was. Surrounding spaces are ignored.
#[must_use]
pub fn parse_date(s: &str) -> Option<(Date, DateFormat)> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        let d = ymd(&s[0..4], &s[5..7], &s[8..10])?;
        return match &s[10..] {
            "" => Some((d, DateFormat::Iso)),
            rest if rest.starts_with('T') || rest.starts_with(' ') => {
                let time = &rest[1..];
                let ok = time.len() >= 5
                    && time
                        .bytes()
                        .all(|c| c.is_ascii_digit() || matches!(c, b':' | b'.' | b'Z' | b'+'));
                ok.then_some((d, DateFormat::IsoDateTime))
            }
            _ => None,
        };
    }
    if b.len() == 10 && b[4] == b'/' && b[7] == b'/' {
        return ymd(&s[0..4], &s[5..7], &s[8..10]).map(|d| (d, DateFormat::YearSlash));
    }
    if b.len() == 10 && b[4] == b'.' && b[7] == b'.' {
        return ymd(&s[0..4], &s[5..7], &s[8..10]).map(|d| (d, DateFormat::YearDot));
    }
    if b.len() == 10 && b[2] == b'.' && b[5] == b'.' {
        return ymd(&s[6..10], &s[3..5], &s[0..2]).map(|d| (d, DateFormat::DayDot));
    }
    if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
        return ymd(&s[0..4], &s[4..6], &s[6..8]).map(|d| (d, DateFormat::Compact));
    }
    if b.len() == 9 && s.is_ascii() {
        let month = MONTHS
            .iter()
            .position(|m| s[2..5].eq_ignore_ascii_case(m))?;
        let d = ymd(&s[5..9], &format!("{:02}", month + 1), &s[0..2])?;
        return Some((d, DateFormat::Date9));
    }
    if b.len() == 11 && s.is_ascii() && b[2] == b[6] && matches!(b[2], b'-' | b' ') {
        let month = MONTHS
            .iter()
            .position(|m| s[3..6].eq_ignore_ascii_case(m))?;
        let d = ymd(&s[7..11], &format!("{:02}", month + 1), &s[0..2])?;
        return Some((d, DateFormat::DayMonthName));
    }
    None
}

/// True when `s` looks like a day/month/year or month/day/year date with slashes, which rwe refuses to guess.
#[must_use]
pub fn is_ambiguous_slash_date(s: &str) -> bool {
    let parts: Vec<&str> = s.trim().split('/').collect();
    parts.len() == 3
        && parts[2].len() == 4
        && parts[..2]
            .iter()
            .all(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

/// A study day: day 1 is the origin date, the day before it is day −1 (CDISC has no day 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct StudyDay(i32);

impl StudyDay {
    /// The study day of `date` counted from `origin` (day 1).
    #[must_use]
    pub fn of(date: Date, origin: Date) -> StudyDay {
        let diff = date.days_since(origin);
        StudyDay(if diff >= 0 { diff + 1 } else { diff })
    }

    /// The day number.
    #[must_use]
    pub fn get(self) -> i32 {
        self.0
    }
}

impl fmt::Display for StudyDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "day {}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_formats() {
        let d = Date::from_ymd(2022, 1, 3).unwrap();
        assert_eq!(d.to_string(), "2022-01-03");
        assert_eq!(d.ymd(), (2022, 1, 3));
        assert_eq!(Date::from_ymd(2000, 2, 29).unwrap().epoch_days(), 11_016);
        assert_eq!(Date::from_ymd(2023, 2, 29), None);
        for f in DateFormat::ALL {
            let (parsed, format) = parse_date(f.example()).unwrap();
            assert_eq!((parsed, format), (d, f), "example {}", f.example());
        }
        assert_eq!(parse_date("2022-13-01"), None);
        assert_eq!(parse_date("03/01/2022"), None);
        assert!(is_ambiguous_slash_date("3/1/2022"));
        assert!(!is_ambiguous_slash_date("2022/01/03"));
        assert_eq!(parse_date(" 2022-01-03 "), Some((d, DateFormat::Iso)));
        assert_eq!(parse_date("2022-01-03x"), None);
    }

    #[test]
    fn study_days_have_no_day_zero() {
        let origin = Date::from_ymd(2022, 3, 1).unwrap();
        assert_eq!(StudyDay::of(origin, origin).get(), 1);
        // 2022-05-23 is 83 days after 2022-03-01 (30 + 30 + 23), so study day 84.
        assert_eq!(
            StudyDay::of(Date::from_ymd(2022, 5, 23).unwrap(), origin).get(),
            84
        );
        assert_eq!(
            StudyDay::of(Date::from_ymd(2022, 2, 28).unwrap(), origin).get(),
            -1
        );
    }
}
