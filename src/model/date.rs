//! Dates as journalists write them: a subset of EDTF (ISO 8601-2) with a
//! year, a month or a day, ranges `D1/D2`, open ranges `D/..` and `../D`, and
//! the qualifiers `~` (approximate), `?` (uncertain) and `%` (both).
//!
//! A date is a span of calendar days, never a timestamp: no time zone can
//! shift it. Validity is checked with chrono (2025-02-30 is an error).
//! Dates sort by earliest day, then latest day, then precision (finer
//! first); callers break remaining ties by slug. Dates in words are the
//! render stage's (`render::dates`).

use std::cmp::Ordering;
use std::fmt;

use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    Day,
    Month,
    Year,
}

/// One calendar date at year, month or day precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
    pub approximate: bool,
    pub uncertain: bool,
}

/// A date as written in the content: one partial date or a range whose ends
/// may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EdtfDate {
    Single(PartialDate),
    Range {
        start: Option<PartialDate>,
        end: Option<PartialDate>,
    },
}

/// Why a date could not be read; `at` is a byte offset into the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    pub message: String,
    pub at: usize,
    pub help: String,
}

const FORMS: &str = "write `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, a range `D1/D2`, an open range `D/..`, optionally followed by `~` (approximate) or `?` (uncertain)";

impl PartialDate {
    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
            .expect("validated when parsed")
    }

    pub fn last_day(&self) -> NaiveDate {
        match (self.month, self.day) {
            (Some(m), Some(d)) => NaiveDate::from_ymd_opt(self.year, m, d),
            (Some(m), None) => last_day_of_month(self.year, m),
            _ => NaiveDate::from_ymd_opt(self.year, 12, 31),
        }
        .expect("validated when parsed")
    }

    /// `2025`, `2025-06` or `2025-06-24`, without qualifiers: the form HTML's
    /// `<time datetime>` accepts.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    fn parse(text: &str, offset: usize) -> Result<PartialDate, DateError> {
        let (body, approximate, uncertain) = match text.as_bytes().last() {
            Some(b'~') => (&text[..text.len() - 1], true, false),
            Some(b'?') => (&text[..text.len() - 1], false, true),
            Some(b'%') => (&text[..text.len() - 1], true, true),
            _ => (text, false, false),
        };
        let parts: Vec<&str> = body.split('-').collect();
        let shape_ok = matches!(parts.len(), 1..=3)
            && parts[0].len() == 4
            && parts[1..].iter().all(|p| p.len() == 2)
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
        if !shape_ok {
            return Err(DateError {
                message: format!("`{text}` is not a date"),
                at: offset,
                help: FORMS.into(),
            });
        }
        let year: i32 = parts[0].parse().expect("four digits");
        let month: Option<u32> = parts.get(1).map(|m| m.parse().expect("two digits"));
        let day: Option<u32> = parts.get(2).map(|d| d.parse().expect("two digits"));
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            return Err(DateError {
                message: format!("month {m:02} does not exist in `{text}`"),
                at: offset + 5,
                help: "months go from 01 to 12".into(),
            });
        }
        if let (Some(m), Some(d)) = (month, day)
            && NaiveDate::from_ymd_opt(year, m, d).is_none()
        {
            let last = last_day_of_month(year, m).map_or(31, |l| l.day());
            return Err(DateError {
                message: format!("{year:04}-{m:02} has no day {d:02} (it has {last} days)"),
                at: offset + 8,
                help: "check the day of the month".into(),
            });
        }
        Ok(PartialDate {
            year,
            month,
            day,
            approximate,
            uncertain,
        })
    }
}

/// Issue 12: `published: 14/03/2024` gave "`14` is not a date". A date
/// written day first (`DD/MM/YYYY`, with `/`, `.` or `-`) is named as
/// such, with the same date written the dossier's way.
fn day_first(text: &str, at: usize) -> Option<DateError> {
    let parts: Vec<&str> = text.split(['/', '.', '-']).collect();
    let digits =
        |p: &str, len: std::ops::RangeInclusive<usize>| len.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if parts.len() != 3 || !digits(parts[0], 1..=2) || !digits(parts[1], 1..=2) || !digits(parts[2], 4..=4) {
        return None;
    }
    let (day, month, year) = (parts[0], parts[1], parts[2]);
    Some(DateError {
        message: format!("`{text}` is written day first"),
        at,
        help: format!("write dates year first, `YYYY-MM-DD`: `{year}-{month:0>2}-{day:0>2}`"),
    })
}

/// Issue 12: `2024-09-01 / 2024-09-02` gave "`2024-09-01 ` is not a date".
fn spaced_range(text: &str, at: usize) -> Option<DateError> {
    let (left, right) = text.split_once('/')?;
    if !left.ends_with(char::is_whitespace) && !right.starts_with(char::is_whitespace) {
        return None;
    }
    let space = left.trim_end().len();
    Some(DateError {
        message: format!("the range `{text}` has spaces around `/`"),
        at: at + space,
        help: format!(
            "write a range without spaces: `{}/{}`",
            left.trim_end(),
            right.trim_start()
        ),
    })
}

fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt())
}

impl EdtfDate {
    /// Whether the date is a range with no start or no end (`2021/..`).
    pub fn is_open(&self) -> bool {
        matches!(
            self,
            EdtfDate::Range { start: None, .. } | EdtfDate::Range { end: None, .. }
        )
    }

    /// Whether the date is an estimate: a range that one day lies in, or a
    /// date marked approximate or uncertain.
    pub fn is_estimate(&self) -> bool {
        match self {
            EdtfDate::Single(d) => d.approximate || d.uncertain,
            EdtfDate::Range { .. } => true,
        }
    }

    pub fn parse(text: &str) -> Result<EdtfDate, DateError> {
        let trimmed = text.trim();
        let lead = text.len() - text.trim_start().len();
        if trimmed.is_empty() {
            return Err(DateError {
                message: "the date is empty".into(),
                at: 0,
                help: FORMS.into(),
            });
        }
        if let Some(err) = day_first(trimmed, lead).or_else(|| spaced_range(trimmed, lead)) {
            return Err(err);
        }
        let Some((left, right)) = trimmed.split_once('/') else {
            return PartialDate::parse(trimmed, lead).map(EdtfDate::Single);
        };
        let right_at = lead + left.len() + 1;
        let end_of = |s: &str, at: usize| match s {
            "" | ".." => Ok(None),
            s => PartialDate::parse(s, at).map(Some),
        };
        let start = end_of(left, lead)?;
        let end = end_of(right, right_at)?;
        match (start, end) {
            (None, None) => Err(DateError {
                message: "a range needs at least one known end".into(),
                at: lead,
                help: FORMS.into(),
            }),
            (Some(s), Some(e)) if e.last_day() < s.first_day() => Err(DateError {
                message: format!("the range `{trimmed}` ends before it starts"),
                at: right_at,
                help: "write the earlier date first: `START/END`".into(),
            }),
            (start, end) => Ok(EdtfDate::Range { start, end }),
        }
    }

    /// The first day the date can mean (`NaiveDate::MIN` for an open start).
    pub fn earliest(&self) -> NaiveDate {
        match self {
            EdtfDate::Single(d) => d.first_day(),
            EdtfDate::Range { start, .. } => start.map_or(NaiveDate::MIN, |d| d.first_day()),
        }
    }

    /// The last day the date can mean (`NaiveDate::MAX` for an open end).
    pub fn latest(&self) -> NaiveDate {
        match self {
            EdtfDate::Single(d) => d.last_day(),
            EdtfDate::Range { end, .. } => end.map_or(NaiveDate::MAX, |d| d.last_day()),
        }
    }

    /// The coarsest precision of the known ends.
    pub fn precision(&self) -> Precision {
        match self {
            EdtfDate::Single(d) => d.precision(),
            EdtfDate::Range { start, end } => [start, end]
                .into_iter()
                .flatten()
                .map(PartialDate::precision)
                .max()
                .unwrap_or(Precision::Year),
        }
    }

    /// The year a chronology files the date under: its start, or its end
    /// when the start is open.
    pub fn year(&self) -> i32 {
        match self {
            EdtfDate::Single(d) => d.year,
            EdtfDate::Range { start: Some(s), .. } => s.year,
            EdtfDate::Range { end: Some(e), .. } => e.year,
            EdtfDate::Range { .. } => unreachable!("a range has a known end"),
        }
    }

    /// The month a chronology files the date under, when it is known.
    pub fn month(&self) -> Option<u32> {
        match self {
            EdtfDate::Single(d) => d.month,
            EdtfDate::Range { start: Some(s), .. } => s.month,
            EdtfDate::Range { .. } => None,
        }
    }

    /// Whether every day `other` can mean is a day `self` can mean.
    pub fn contains(&self, other: &EdtfDate) -> bool {
        self.earliest() <= other.earliest() && other.latest() <= self.latest()
    }

    /// The value of an HTML `<time datetime>`: the first known end.
    pub fn datetime_attr(&self) -> String {
        match self {
            EdtfDate::Single(d) => d.iso(),
            EdtfDate::Range { start: Some(s), .. } => s.iso(),
            EdtfDate::Range { end: Some(e), .. } => e.iso(),
            EdtfDate::Range { .. } => unreachable!("a range has a known end"),
        }
    }

    /// Chronological order, as the module documentation states it.
    pub fn chronological(&self, other: &EdtfDate) -> Ordering {
        (self.earliest(), self.latest(), self.precision()).cmp(&(other.earliest(), other.latest(), other.precision()))
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let qualifier = match (self.approximate, self.uncertain) {
            (true, true) => "%",
            (true, false) => "~",
            (false, true) => "?",
            (false, false) => "",
        };
        write!(f, "{}{qualifier}", self.iso())
    }
}

/// The normalised EDTF text, e.g. `2025-06-21/2025-06-26` or `2021/..`.
impl fmt::Display for EdtfDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EdtfDate::Single(d) => d.fmt(f),
            EdtfDate::Range { start, end } => {
                let side = |d: &Option<PartialDate>| d.map_or("..".to_string(), |d| d.to_string());
                write!(f, "{}/{}", side(start), side(end))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> EdtfDate {
        EdtfDate::parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    #[test]
    fn parses_every_form() {
        let cases = [
            ("2025", "2025-01-01", "2025-12-31", Precision::Year),
            ("2024-02", "2024-02-01", "2024-02-29", Precision::Month),
            ("2025-06-24", "2025-06-24", "2025-06-24", Precision::Day),
            ("2025-06-21/2025-06-26", "2025-06-21", "2025-06-26", Precision::Day),
            ("2023/2024-03", "2023-01-01", "2024-03-31", Precision::Year),
            ("2023-07~", "2023-07-01", "2023-07-31", Precision::Month),
        ];
        for (text, first, last, precision) in cases {
            let date = d(text);
            assert_eq!(date.earliest().to_string(), first, "{text}");
            assert_eq!(date.latest().to_string(), last, "{text}");
            assert_eq!(date.precision(), precision, "{text}");
            assert_eq!(date.to_string(), text, "round trip of {text}");
        }
    }

    #[test]
    fn parses_open_ranges_and_qualifiers() {
        assert_eq!(d("2021/..").latest(), NaiveDate::MAX);
        assert_eq!(d("../2021").earliest(), NaiveDate::MIN);
        assert_eq!(d("2021/").to_string(), "2021/..");
        let EdtfDate::Single(q) = d("2020-05?") else { panic!() };
        assert!(q.uncertain && !q.approximate);
        let EdtfDate::Single(q) = d("2020%") else { panic!() };
        assert!(q.uncertain && q.approximate);
    }

    #[test]
    fn rejects_impossible_dates() {
        for (text, needle) in [
            ("2025-02-30", "has no day 30"),
            ("2025-13", "month 13"),
            ("2025-00", "month 00"),
            ("25-06-01", "not a date"),
            ("2025-6-1", "not a date"),
            ("2025-06-24T10:00", "not a date"),
            ("", "empty"),
            ("../..", "at least one known end"),
            ("2025-06-26/2025-06-21", "ends before it starts"),
            ("juin 2025", "not a date"),
        ] {
            let err = EdtfDate::parse(text).expect_err(text);
            assert!(err.message.contains(needle), "{text}: {}", err.message);
        }
        assert!(EdtfDate::parse("2024-02-29").is_ok(), "leap day");
    }

    /// Issue 12: "`14` is not a date", "`2024-09-01 ` is not a date".
    #[test]
    fn explains_dates_written_day_first_or_with_spaced_ranges() {
        let err = EdtfDate::parse("14/03/2024").unwrap_err();
        assert_eq!(err.message, "`14/03/2024` is written day first");
        assert!(err.help.ends_with("`2024-03-14`"), "{}", err.help);
        assert!(EdtfDate::parse("4.3.2024").unwrap_err().help.ends_with("`2024-03-04`"));
        let err = EdtfDate::parse("2024-09-01 / 2024-09-02").unwrap_err();
        assert_eq!(err.message, "the range `2024-09-01 / 2024-09-02` has spaces around `/`");
        assert_eq!(err.at, 10);
        assert!(err.help.ends_with("`2024-09-01/2024-09-02`"), "{}", err.help);
        assert!(EdtfDate::parse("2024-09-01/ 2024-09-02").is_err());
        assert!(EdtfDate::parse("2024-09-01/2024-09-02").is_ok());
        assert!(EdtfDate::parse("2024-03-14").is_ok(), "not day first");
    }

    #[test]
    fn points_at_the_wrong_part() {
        assert_eq!(EdtfDate::parse("2025-02-30").unwrap_err().at, 8);
        assert_eq!(EdtfDate::parse("2025-01/2025-13").unwrap_err().at, 13);
    }

    #[test]
    fn sorts_by_earliest_then_latest_then_precision() {
        let mut dates = [
            d("2025"),
            d("2025-06-24"),
            d("2025-06"),
            d("2021/.."),
            d("2025-06-21/2025-06-26"),
            d("2025-01"),
            d("2025-01-01/2025-12-31"),
        ];
        dates.sort_by(EdtfDate::chronological);
        let order: Vec<String> = dates.iter().map(ToString::to_string).collect();
        assert_eq!(
            order,
            [
                "2021/..",
                "2025-01",
                "2025-01-01/2025-12-31",
                "2025",
                "2025-06",
                "2025-06-21/2025-06-26",
                "2025-06-24",
            ]
        );
    }

    #[test]
    fn contains_checks_both_ends() {
        assert!(d("2025-06-21/2025-06-26").contains(&d("2025-06-24")));
        assert!(!d("2025-06-21/2025-06-26").contains(&d("2025-06")));
        assert!(d("2021/..").contains(&d("2030")));
    }
}
