//! The navigation of a split list: its periods as a year menu (the
//! current year marked), the months of the current year, and the previous
//! and next parts, so that every part shows its place in the whole.

use serde::Serialize;

use super::context::Link;
use super::html::Renderer;
use super::routes::href;
use super::split::{Part, Period};

#[derive(Debug, Clone, Serialize)]
pub struct PeriodLink {
    pub href: String,
    pub text: String,
    /// How many items the period holds (a year: all its months).
    pub count: usize,
    pub current: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartNav {
    /// The list's first page.
    pub up: Link,
    /// One link per year (and one for undated items).
    pub years: Vec<PeriodLink>,
    /// The other parts of the current year: its months, its further pages.
    pub months: Vec<PeriodLink>,
    pub previous: Option<Link>,
    pub next: Option<Link>,
    /// The current part's name, on a part's page.
    pub current: Option<String>,
}

/// The navigation of a list split into `parts`, seen from part `current`
/// (`None`: the list's first page); `path` gives a part's page.
pub fn nav(
    r: &Renderer,
    parts: &[Part],
    current: Option<usize>,
    up: Link,
    path: &dyn Fn(&Period) -> String,
) -> PartNav {
    let current_year = current.map(|i| parts[i].period.year);
    let link = |i: usize, count: usize| PeriodLink {
        href: href(&path(&parts[i].period)),
        text: label(r, &parts[i].period),
        count,
        current: current == Some(i),
    };
    let mut years: Vec<PeriodLink> = Vec::new();
    let mut months = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let starts_year = i == 0 || parts[i - 1].period.year != part.period.year;
        if starts_year {
            let mut year = link(i, 0);
            year.current = current_year == Some(part.period.year);
            years.push(year);
        }
        if let Some(year) = years.last_mut() {
            year.count += part.items.len();
        }
        if current_year == Some(part.period.year) && !(starts_year && part.period.is_year()) {
            months.push(link(i, part.items.len()));
        }
    }
    let neighbour = |i: usize| Link {
        href: href(&path(&parts[i].period)),
        text: label(r, &parts[i].period),
    };
    PartNav {
        up,
        years,
        months,
        previous: current.and_then(|i| i.checked_sub(1)).map(neighbour),
        next: match current {
            Some(i) => (i + 1 < parts.len()).then(|| neighbour(i + 1)),
            None => None,
        },
        current: current.map(|i| label(r, &parts[i].period)),
    }
}

/// A period in words: `2024`, `mars 2024`, `mars 2024 (2)`, `Sans date`.
pub fn label(r: &Renderer, period: &Period) -> String {
    let t = |k: &str| r.i18n.strings.get(k).cloned().unwrap_or_default();
    let mut text = match (period.year, period.month) {
        (None, _) => t("undated"),
        (Some(y), None) => y.to_string(),
        (Some(y), Some(m)) => {
            let month = r
                .i18n
                .dates
                .months
                .get(usize::from(m).wrapping_sub(1))
                .cloned()
                .unwrap_or_default();
            format!("{month} {y}")
        }
    };
    if period.page > 1 {
        text.push_str(&format!(" ({})", period.page));
    }
    text
}
