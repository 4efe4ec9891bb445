//! Lists too long for one page, split by period so that every page stays
//! small enough for a phone, whatever the size of the dossier: by year,
//! then by month where a year is still too big, then into numbered pages
//! of a month. A list that fits stays whole, on the page it always had:
//! splitting starts only when a page would pass its budget.
//!
//! The budget is in estimated bytes of HTML (each item says what it
//! weighs), so a page of long passages splits sooner than a page of short
//! events. Plans are computed from sorted items only: the same dossier
//! always gives the same pages.

use std::ops::Range;

/// What the lists of one page may weigh, in estimated bytes of HTML. The
/// rest of a page (header, stylesheet, navigation) comes on top; pages
/// stay well under 300 KB.
pub const PAGE_BUDGET: usize = 200_000;

/// How many of the latest items a list's first page shows once the list
/// is split into periods.
pub const LATEST: usize = 10;

/// When an item is, as far as the split cares.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct When {
    /// `None` for an undated item; undated items sort first.
    pub year: Option<i32>,
    pub month: Option<u8>,
}

/// One page of a split list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub year: Option<i32>,
    pub month: Option<u8>,
    /// 1 for the period's first page, 2… for the pages a period too big
    /// even for one month continues on.
    pub page: usize,
}

impl Period {
    /// The period's name in file names: `2024`, `2024-03`, `2024-03-p2`,
    /// `undated`.
    pub fn key(&self, undated: &str) -> String {
        let mut key = match (self.year, self.month) {
            (None, _) => undated.to_string(),
            (Some(y), None) => y.to_string(),
            (Some(y), Some(m)) => format!("{y}-{m:02}"),
        };
        if self.page > 1 {
            key.push_str(&format!("-p{}", self.page));
        }
        key
    }

    /// Whether `other` is a page of the same month (or of the same year's
    /// items dated to the year only).
    pub fn same_month(&self, other: &Period) -> bool {
        (self.year, self.month) == (other.year, other.month)
    }

    /// Whether this period is a year page (its months, if any, are apart).
    pub fn is_year(&self) -> bool {
        self.month.is_none() && self.page == 1
    }
}

/// A page of a split list: its period and the items (a range of the
/// sorted list) it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub period: Period,
    pub items: Range<usize>,
}

/// The pages of a list sorted by [`When`]: `None` when it fits on one
/// page. A year with months apart keeps a part of its own (possibly empty)
/// for the items dated to the year only, so every year has a page.
pub fn plan(items: &[(When, usize)], budget: usize) -> Option<Vec<Part>> {
    let total: usize = items.iter().map(|(_, w)| w).sum();
    if total <= budget {
        return None;
    }
    Some(periods(items, budget))
}

/// The parts of a list sorted by [`When`], however little it weighs: a
/// part per year, a year over `budget` by month, a month over it in pages.
pub fn periods(items: &[(When, usize)], budget: usize) -> Vec<Part> {
    let mut parts = Vec::new();
    for years in runs(items, |w| w.year) {
        let year = items[years.start].0.year;
        let weight: usize = items[years.clone()].iter().map(|(_, w)| w).sum();
        let whole_year = Period {
            year,
            month: None,
            page: 1,
        };
        if weight <= budget || year.is_none() {
            pages(items, years, whole_year, budget, &mut parts);
            continue;
        }
        let mut months = runs(&items[years.clone()], |w| w.month)
            .into_iter()
            .map(|r| r.start + years.start..r.end + years.start)
            .peekable();
        let year_only = match months.peek() {
            Some(first) if items[first.start].0.month.is_none() => months.next().unwrap_or_default(),
            _ => years.start..years.start,
        };
        pages(items, year_only, whole_year, budget, &mut parts);
        for month in months {
            let period = Period {
                year,
                month: items[month.start].0.month,
                page: 1,
            };
            pages(items, month, period, budget, &mut parts);
        }
    }
    parts
}

/// `range` as one part of `period`, or as numbered pages of it when it
/// is over budget (each page holds at least one item).
fn pages(items: &[(When, usize)], range: Range<usize>, period: Period, budget: usize, parts: &mut Vec<Part>) {
    let start = range.start;
    let weights = items[range].iter().map(|(_, weight)| *weight);
    for (i, piece) in pieces(weights, budget).into_iter().enumerate() {
        parts.push(Part {
            period: Period { page: i + 1, ..period },
            items: piece.start + start..piece.end + start,
        });
    }
}

/// Consecutive ranges of the items, in order, each weighing at most
/// `budget` unless it is a single item heavier than that: a new range
/// starts where the next item would pass the budget. At least one range,
/// empty when there is no item.
pub fn pieces(weights: impl IntoIterator<Item = usize>, budget: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut weight, mut end) = (0, 0, 0);
    for (i, item) in weights.into_iter().enumerate() {
        if weight > 0 && weight + item > budget {
            out.push(start..i);
            start = i;
            weight = 0;
        }
        weight += item;
        end = i + 1;
    }
    out.push(start..end);
    out
}

/// The ranges of consecutive items with the same `key`.
fn runs<K: PartialEq>(items: &[(When, usize)], key: impl Fn(&When) -> K) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for (i, (when, _)) in items.iter().enumerate() {
        match out.last_mut() {
            Some(run) if key(&items[run.start].0) == key(when) => run.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn when(year: i32, month: Option<u8>) -> When {
        When {
            year: Some(year),
            month,
        }
    }

    fn keys(parts: &[Part]) -> Vec<(String, Range<usize>)> {
        parts
            .iter()
            .map(|p| (p.period.key("undated"), p.items.clone()))
            .collect()
    }

    #[test]
    fn a_list_that_fits_stays_whole() {
        let items = vec![(when(2024, Some(1)), 10); 10];
        assert_eq!(plan(&items, 100), None);
    }

    #[test]
    fn splits_by_year_then_month_then_pages() {
        let mut items = vec![(
            When {
                year: None,
                month: None,
            },
            30,
        )];
        items.extend(vec![(when(2023, Some(5)), 30); 2]);
        items.push((when(2024, None), 30));
        items.extend(vec![(when(2024, Some(2)), 30); 2]);
        items.extend(vec![(when(2024, Some(3)), 30); 5]);
        let parts = plan(&items, 100).unwrap();
        assert_eq!(
            keys(&parts),
            [
                ("undated".to_string(), 0..1),
                ("2023".to_string(), 1..3),
                ("2024".to_string(), 3..4),
                ("2024-02".to_string(), 4..6),
                ("2024-03".to_string(), 6..9),
                ("2024-03-p2".to_string(), 9..11),
            ]
        );
        let covered: usize = parts.iter().map(|p| p.items.len()).sum();
        assert_eq!(covered, items.len(), "every item is on exactly one page");
    }

    #[test]
    fn a_year_split_into_months_keeps_its_own_page() {
        let items = vec![(when(2024, Some(1)), 60), (when(2024, Some(2)), 60)];
        let parts = plan(&items, 100).unwrap();
        assert_eq!(
            keys(&parts),
            [
                ("2024".to_string(), 0..0),
                ("2024-01".to_string(), 0..1),
                ("2024-02".to_string(), 1..2)
            ]
        );
        assert!(parts[0].period.is_year());
    }

    #[test]
    fn pieces_cover_every_item_once_within_the_budget() {
        assert_eq!(
            pieces([40, 40, 40, 10, 90, 200, 5], 100),
            [0..2, 2..4, 4..5, 5..6, 6..7]
        );
        let whole: Vec<Range<usize>> = pieces([10; 3], 100);
        assert_eq!(whole, vec![0..3]);
        let none: Vec<Range<usize>> = pieces(std::iter::empty(), 100);
        assert_eq!(none, vec![0..0]);
    }

    #[test]
    fn an_item_heavier_than_the_budget_gets_a_page_of_its_own() {
        let items = vec![(when(2024, Some(1)), 500), (when(2024, Some(1)), 500)];
        let parts = plan(&items, 100).unwrap();
        assert_eq!(
            keys(&parts),
            [
                ("2024".to_string(), 0..0),
                ("2024-01".to_string(), 0..1),
                ("2024-01-p2".to_string(), 1..2)
            ]
        );
    }
}
