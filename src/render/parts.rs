//! The navigation of a split list: its periods as a year menu (the
//! current year marked), the months of the current year, and the previous
//! and next parts, so that every part shows its place in the whole.

use serde::Serialize;

use super::context::Link;
use super::html::Renderer;
use super::page_menu::{ALL_SHOWN, AROUND, with_gaps};
use super::routes::href;
use super::split::{Part, Period};

#[derive(Debug, Clone, Serialize)]
pub struct PeriodLink {
    pub href: String,
    pub text: String,
    /// How many items the period holds (a year: all its months).
    pub count: usize,
    pub current: bool,
    /// A gap (`…`) where parts are left out, not a link.
    pub gap: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartNav {
    /// The list's first page.
    pub up: Link,
    /// One link per year (and one for undated items), with gaps where
    /// years are left out (see [`shown_years`]).
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
        gap: false,
    };
    let mut years: Vec<PeriodLink> = Vec::new();
    let mut year_of: Vec<Option<i32>> = Vec::new();
    let mut in_year: Vec<usize> = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let starts_year = i == 0 || parts[i - 1].period.year != part.period.year;
        if starts_year {
            let mut year = link(i, 0);
            year.current = current_year == Some(part.period.year);
            years.push(year);
            year_of.push(part.period.year);
        }
        if let Some(year) = years.last_mut() {
            year.count += part.items.len();
        }
        if current_year == Some(part.period.year) && !(starts_year && part.period.is_year()) {
            in_year.push(i);
        }
    }
    let months = shown(parts, &in_year, current)
        .into_iter()
        .map(|part| match part {
            Some(i) => link(i, parts[i].items.len()),
            None => PeriodLink::gap(),
        })
        .collect();
    let mut years: Vec<Option<PeriodLink>> = years.into_iter().map(Some).collect();
    let years = shown_years(&year_of, current_year.flatten())
        .into_iter()
        .map(|k| k.and_then(|k| years[k].take()).unwrap_or_else(PeriodLink::gap))
        .collect();
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

impl PeriodLink {
    /// A gap (`…`) where periods are left out.
    fn gap() -> PeriodLink {
        PeriodLink {
            href: String::new(),
            text: String::new(),
            count: 0,
            current: false,
            gap: true,
        }
    }
}

/// The years the menu names (`None` for a gap), from each year's number
/// (`None`: the undated items). All of them up to [`ALL_SHOWN`]; past it
/// (a dossier of decades, whose menu would fill screens of a phone before
/// the list), the first year of each decade, every year of the current
/// year's decade, the last year and the undated items.
fn shown_years(year_of: &[Option<i32>], current: Option<i32>) -> Vec<Option<usize>> {
    if year_of.iter().flatten().count() <= ALL_SHOWN {
        return (0..year_of.len()).map(Some).collect();
    }
    let decade = |y: i32| y.div_euclid(10);
    let is_shown = |k: usize| {
        let Some(year) = year_of[k] else { return true };
        let first_of_decade = k
            .checked_sub(1)
            .and_then(|before| year_of[before])
            .is_none_or(|before| decade(before) != decade(year));
        let last = year_of.get(k + 1).is_none_or(Option::is_none);
        let in_current_decade = current.is_some_and(|c| decade(c) == decade(year));
        first_of_decade || last || in_current_decade
    };
    with_gaps(year_of.len(), is_shown)
}

/// The parts of the current year the menu names (`None` for a gap): all
/// of them up to [`ALL_SHOWN`]; past it (a month of dozens of pages), the
/// first of each month's pages, and of the current month its last page
/// and [`AROUND`] on either side of the current one.
fn shown(parts: &[Part], in_year: &[usize], current: Option<usize>) -> Vec<Option<usize>> {
    if in_year.len() <= ALL_SHOWN {
        return in_year.iter().copied().map(Some).collect();
    }
    let current_period = current.map(|i| &parts[i].period);
    let month_of = |k: usize| in_year.get(k).map(|&i| &parts[i].period);
    let is_shown = |k: usize| {
        let period = &parts[in_year[k]].period;
        let first = k
            .checked_sub(1)
            .and_then(month_of)
            .is_none_or(|p| !p.same_month(period));
        let last = month_of(k + 1).is_none_or(|p| !p.same_month(period));
        let in_current_month = current_period.is_some_and(|c| c.same_month(period));
        let near_current = current_period.is_some_and(|c| c.page.abs_diff(period.page) <= AROUND);
        first || (in_current_month && (last || near_current))
    };
    with_gaps(in_year.len(), is_shown)
        .into_iter()
        .map(|k| k.map(|k| in_year[k]))
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn part(month: Option<u8>, page: usize) -> Part {
        Part {
            period: Period {
                year: Some(2023),
                month,
                page,
            },
            items: 0..1,
        }
    }

    /// What `shown` names, as `month/page`, `…` for a gap.
    fn names(parts: &[Part], current: usize) -> Vec<String> {
        let in_year: Vec<usize> = (0..parts.len()).collect();
        shown(parts, &in_year, Some(current))
            .into_iter()
            .map(|i| {
                i.map_or("…".to_string(), |i| {
                    format!("{}/{}", parts[i].period.month.unwrap_or(0), parts[i].period.page)
                })
            })
            .collect()
    }

    /// What `shown_years` names, `…` for a gap, `-` for the undated items.
    fn years_named(years: &[Option<i32>], current: Option<i32>) -> String {
        shown_years(years, current)
            .into_iter()
            .map(|k| {
                k.map_or("…".to_string(), |k| {
                    years[k].map_or("-".to_string(), |y| y.to_string())
                })
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn a_menu_of_up_to_fifteen_years_names_them_all() {
        let years: Vec<Option<i32>> = (2015..=2026).map(Some).collect();
        assert_eq!(shown_years(&years, Some(2020)).len(), 12);
        assert_eq!(shown_years(&years, None).len(), 12);
        // Fifteen years and the undated items: all named.
        let mut fifteen: Vec<Option<i32>> = vec![None];
        fifteen.extend((2000..2015).map(Some));
        assert_eq!(years_named(&fifteen, Some(2003)).matches('…').count(), 0);
        // Sixteen: a gap after the current decade.
        fifteen.push(Some(2015));
        assert_eq!(
            years_named(&fifteen, Some(2003)),
            "- 2000 2001 2002 2003 2004 2005 2006 2007 2008 2009 2010 … 2015"
        );
    }

    #[test]
    fn a_menu_of_decades_names_each_decade_and_the_current_ones_years() {
        let mut years: Vec<Option<i32>> = (1962..=2026).filter(|y| y % 10 != 0 || *y == 2000).map(Some).collect();
        years.push(None);
        assert_eq!(
            years_named(&years, Some(1994)),
            "1962 … 1971 … 1981 … 1991 1992 1993 1994 1995 1996 1997 1998 1999 2000 … 2011 … 2021 … 2026 -"
        );
        // The list's first page has no current year: one year per decade.
        assert_eq!(
            years_named(&years, None),
            "1962 … 1971 … 1981 … 1991 … 2000 … 2011 … 2021 … 2026 -"
        );
        // The undated items first, as the lists sort them.
        years.rotate_right(1);
        assert_eq!(
            years_named(&years, Some(2013)),
            "- 1962 … 1971 … 1981 … 1991 … 2000 … 2011 2012 2013 2014 2015 2016 2017 2018 2019 2021 … 2026"
        );
        // Years before the common era keep their decades apart.
        let early: Vec<Option<i32>> = (-20..=0).map(Some).collect();
        assert_eq!(
            years_named(&early, Some(-15)),
            "-20 -19 -18 -17 -16 -15 -14 -13 -12 -11 -10 … 0"
        );
    }

    #[test]
    fn a_year_of_few_parts_names_them_all() {
        let parts: Vec<Part> = (1..=12).map(|m| part(Some(m), 1)).chain([part(Some(12), 2)]).collect();
        assert_eq!(names(&parts, 0).len(), 13);
    }

    #[test]
    fn a_month_of_many_pages_names_its_ends_and_the_pages_around_the_current_one() {
        // Items dated to the year only, May in 52 pages, June in 2.
        let mut parts = vec![part(None, 2)];
        parts.extend((1..=52).map(|p| part(Some(5), p)));
        parts.extend([part(Some(6), 1), part(Some(6), 2)]);
        let may_7 = 1 + 6;
        assert_eq!(
            names(&parts, may_7),
            [
                "0/2", "5/1", "…", "5/4", "5/5", "5/6", "5/7", "5/8", "5/9", "5/10", "…", "5/52", "6/1", "…"
            ]
        );
        // Seen from June: May's first page only.
        let june_1 = 1 + 52;
        assert_eq!(names(&parts, june_1), ["0/2", "5/1", "…", "6/1", "6/2"]);
    }
}
