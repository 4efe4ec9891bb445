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

#[derive(Serialize)]
struct PageLink {
    href: String,
    text: String,
    current: bool,
}

impl PageMenu {
    fn new(r: &Renderer, key: &str, pages: Vec<Link>, current: usize) -> PageMenu {
        let t = |k: String| r.i18n.strings.get(&k).cloned().unwrap_or_default();
        PageMenu {
            label: t(format!("{key}_pages")),
            pager: t(format!("{key}_pager")),
            previous: current.checked_sub(1).and_then(|p| pages.get(p)).cloned(),
            next: pages.get(current + 1).cloned(),
            pages: pages
                .into_iter()
                .enumerate()
                .map(|(i, Link { href, text })| PageLink {
                    href,
                    text,
                    current: i == current,
                })
                .collect(),
        }
    }
}

/// The pages of a source too long for one, each named by its paragraphs.
pub fn source(r: &Renderer, s: &Source, pages: &[Range<usize>], current: usize) -> PageMenu {
    let links = pages
        .iter()
        .enumerate()
        .map(|(page, range)| Link {
            href: href(&r.routes.source_page(&s.slug, page + 1)),
            text: format!("¶{}–¶{}", range.start + 1, range.end),
        })
        .collect();
    PageMenu::new(r, "source", links, current)
}

/// The pages of the actors' index, each named by its first and last actor.
pub fn actors(r: &Renderer, order: &[usize], pages: &[Range<usize>], current: usize) -> PageMenu {
    let d = r.dossier;
    let name = |i: usize| order.get(i).map_or("", |&a| d.actors[a].name.as_str());
    let links = pages
        .iter()
        .enumerate()
        .map(|(page, range)| Link {
            href: href(&r.routes.actors_page(page + 1)),
            text: format!("{} – {}", name(range.start), name(range.end.saturating_sub(1))),
        })
        .collect();
    PageMenu::new(r, "actors", links, current)
}
