//! The menu of a page that is one of several showing one thing too long
//! for a page (a long source, the index of thousands of actors): each page
//! named by what it shows, the current one marked, previous and next.

use std::ops::Range;

use serde::Serialize;

use super::context::Link;
use super::html::Renderer;
use super::routes::href;
use crate::model::Source;

/// A menu of the pages a page is one of (a long source's, the actors'
/// index's), each named by what it shows, with previous and next.
#[derive(Serialize)]
pub struct PageMenu {
    /// The menu's name for assistive technology, and the pager's.
    label: String,
    pager: String,
    pages: Vec<PageLink>,
    previous: Option<Link>,
    next: Option<Link>,
}

/// A page of the menu, or a gap between two (`…`) where pages are left out.
#[derive(Serialize)]
struct PageLink {
    href: String,
    text: String,
    current: bool,
    gap: bool,
}

/// A menu names every page up to this many; past it, the first and the
/// last, and [`AROUND`] on either side of the current one: a source of
/// thousands of pages would else carry thousands of links on each.
pub(super) const ALL_SHOWN: usize = 15;
pub(super) const AROUND: usize = 3;

/// The pages a menu names, in order, `None` for a gap.
fn shown(count: usize, current: usize) -> Vec<Option<usize>> {
    if count <= ALL_SHOWN {
        return (0..count).map(Some).collect();
    }
    with_gaps(count, |i| i == 0 || i == count - 1 || i.abs_diff(current) <= AROUND)
}

/// The indices `0..count` that `keep` keeps, in order, with a `None` for
/// each run of those left out.
pub(super) fn with_gaps(count: usize, keep: impl Fn(usize) -> bool) -> Vec<Option<usize>> {
    let mut out = Vec::new();
    let mut left_out = false;
    for i in 0..count {
        if !keep(i) {
            left_out = true;
            continue;
        }
        if std::mem::take(&mut left_out) {
            out.push(None);
        }
        out.push(Some(i));
    }
    if left_out {
        out.push(None);
    }
    out
}

impl PageMenu {
    /// The menu of page `current` of `count`, `link` naming each page.
    fn new(r: &Renderer, key: &str, count: usize, current: usize, link: impl Fn(usize) -> Link) -> PageMenu {
        let t = |k: String| r.i18n.strings.get(&k).cloned().unwrap_or_default();
        let pages = shown(count, current)
            .into_iter()
            .map(|page| match page {
                Some(i) => {
                    let Link { href, text } = link(i);
                    PageLink {
                        href,
                        text,
                        current: i == current,
                        gap: false,
                    }
                }
                None => PageLink {
                    href: String::new(),
                    text: String::new(),
                    current: false,
                    gap: true,
                },
            })
            .collect();
        PageMenu {
            label: t(format!("{key}_pages")),
            pager: t(format!("{key}_pager")),
            previous: current.checked_sub(1).map(&link),
            next: (current + 1 < count).then(|| link(current + 1)),
            pages,
        }
    }
}

/// The pages of a source too long for one, each named by its paragraphs.
pub fn source(r: &Renderer, s: &Source, pages: &[Range<usize>], current: usize) -> PageMenu {
    PageMenu::new(r, "source", pages.len(), current, |page| Link {
        href: href(&r.routes.source_page(&s.slug, page + 1)),
        text: format!("¶{}–¶{}", pages[page].start + 1, pages[page].end),
    })
}

/// The pages of the actors' index, each named by its first and last actor.
pub fn actors(r: &Renderer, order: &[usize], pages: &[Range<usize>], current: usize) -> PageMenu {
    let d = r.dossier;
    let name = |i: usize| order.get(i).map_or("", |&a| d.actors[a].name.as_str());
    PageMenu::new(r, "actors", pages.len(), current, |page| Link {
        href: href(&r.routes.actors_page(page + 1)),
        text: format!(
            "{} – {}",
            name(pages[page].start),
            name(pages[page].end.saturating_sub(1))
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_menu_names_every_page() {
        assert_eq!(shown(3, 1), [Some(0), Some(1), Some(2)]);
        assert_eq!(shown(ALL_SHOWN, 0).len(), ALL_SHOWN);
    }

    #[test]
    fn a_long_menu_names_the_ends_and_the_pages_around_the_current_one() {
        let none = None;
        assert_eq!(
            shown(100, 50),
            [
                Some(0),
                none,
                Some(47),
                Some(48),
                Some(49),
                Some(50),
                Some(51),
                Some(52),
                Some(53),
                none,
                Some(99)
            ]
        );
        assert_eq!(shown(100, 0), [Some(0), Some(1), Some(2), Some(3), none, Some(99)]);
        assert_eq!(shown(100, 99), [Some(0), none, Some(96), Some(97), Some(98), Some(99)]);
        assert_eq!(
            shown(100, 4),
            [
                Some(0),
                Some(1),
                Some(2),
                Some(3),
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                none,
                Some(99)
            ]
        );
    }
}
