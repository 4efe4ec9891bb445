//! Where every page of the site is, as paths relative to the site's root
//! (flat `.html` files, folders named in the dossier's language), and how
//! to link to them from any page: every internal href is written with the
//! [`ROOT`] mark in front, replaced per page by `""` or `"../"`, so links
//! are relative and work from `file://` and from any sub-path.

use std::fmt::Write as _;

use rustc_hash::FxHashMap;

use super::i18n::RouteNames;
use crate::model::{Dossier, Target};

pub use crate::marker::ROOT;

pub use crate::load::i18n::FIXED;

#[derive(Debug, Clone)]
pub struct Routes {
    pub names: RouteNames,
    /// The page each event is shown on in the chronology, when it is not
    /// the chronology's own page (a split chronology).
    pub event_pages: FxHashMap<String, String>,
    /// The page each figure is on, when the figures' page is split.
    pub figure_pages: FxHashMap<String, String>,
    /// For each source too long for one page, the number of the paragraph
    /// each of its pages starts with (`1` first).
    pub source_page_starts: FxHashMap<String, Vec<usize>>,
}

impl Routes {
    pub fn home(&self) -> String {
        "index.html".into()
    }

    pub fn sectors(&self) -> String {
        concat(&[&self.names.sectors, ".html"])
    }

    pub fn sector(&self, slug: &str) -> String {
        concat(&[&self.names.sectors, "/", slug, ".html"])
    }

    /// A source's plain text, as the exports publish it.
    pub fn text(&self, slug: &str) -> String {
        concat(&["data/texts/", slug, ".txt"])
    }

    pub fn chronology(&self) -> String {
        concat(&[&self.names.chronology, ".html"])
    }

    pub fn year(&self, year: i32) -> String {
        self.chronology_part(&year.to_string())
    }

    /// A part of the chronology: a year (`2024`), a month (`2024-03`)…
    pub fn chronology_part(&self, key: &str) -> String {
        concat(&[&self.names.chronology, "/", key, ".html"])
    }

    pub fn event(&self, slug: &str) -> String {
        anchored(self.event_pages.get(slug), || self.chronology(), EVENT_ANCHOR, slug)
    }

    /// A period of a sector's page, in a folder of the sector's own.
    pub fn sector_part(&self, slug: &str, key: &str) -> String {
        concat(&[&self.names.sectors, "/", slug, "/", key, ".html"])
    }

    pub fn actor_part(&self, slug: &str, key: &str) -> String {
        concat(&[&self.names.actors, "/", slug, "/", key, ".html"])
    }

    /// A period of the sources' list: beside it, as `sources/` holds the
    /// sources' own pages, whose slugs could be any period's name.
    pub fn sources_part(&self, key: &str) -> String {
        concat(&[&self.names.sources, "-", key, ".html"])
    }

    pub fn figures_part(&self, key: &str) -> String {
        concat(&[&self.names.figures, "-", key, ".html"])
    }

    pub fn sources(&self) -> String {
        concat(&[&self.names.sources, ".html"])
    }

    pub fn source(&self, slug: &str) -> String {
        concat(&[&self.names.sources, "/", slug, ".html"])
    }

    /// Page `page` (from 1) of a source: the source's own page first,
    /// the next ones in a folder of its own.
    pub fn source_page(&self, slug: &str, page: usize) -> String {
        match page {
            0 | 1 => self.source(slug),
            _ => format!("{}/{slug}/{page}.html", self.names.sources),
        }
    }

    /// A paragraph, on the page of its source that shows it.
    pub fn paragraph(&self, slug: &str, number: usize) -> String {
        // Appended to the page's path rather than formatted anew: the
        // exports and the search make one for each of a large dossier's
        // hundreds of thousands of paragraphs.
        let mut path = self.page_of(slug, number);
        let _ = write!(path, "#p{number}");
        path
    }

    /// The page of a source that shows its paragraph `number`.
    pub fn page_of(&self, slug: &str, number: usize) -> String {
        let page = match self.source_page_starts.get(slug) {
            Some(starts) => starts.partition_point(|&start| start <= number),
            None => 1,
        };
        self.source_page(slug, page)
    }

    pub fn actors(&self) -> String {
        concat(&[&self.names.actors, ".html"])
    }

    /// Page `page` (from 1) of the actors' index, beside it: `acteurs/`
    /// holds the actors' pages, whose slugs could be any name.
    pub fn actors_page(&self, page: usize) -> String {
        match page {
            0 | 1 => self.actors(),
            _ => format!("{}-{page}.html", self.names.actors),
        }
    }

    pub fn actor(&self, slug: &str) -> String {
        concat(&[&self.names.actors, "/", slug, ".html"])
    }

    pub fn figures(&self) -> String {
        concat(&[&self.names.figures, ".html"])
    }

    pub fn figure(&self, slug: &str) -> String {
        anchored(self.figure_pages.get(slug), || self.figures(), FIGURE_ANCHOR, slug)
    }

    pub fn search(&self) -> String {
        concat(&[&self.names.search, ".html"])
    }

    pub fn page(&self, slug: &str) -> String {
        concat(&[slug, ".html"])
    }

    /// The path of a link target.
    pub fn target(&self, d: &Dossier, target: Target) -> String {
        match target {
            Target::Source(s, Some(p)) => self.paragraph(&d.sources[s].slug, p),
            Target::Source(s, None) => self.source(&d.sources[s].slug),
            Target::Sector(s) => self.sector(&d.sectors[s].slug),
            Target::Actor(a) => self.actor(&d.actors[a].slug),
            Target::Event(e) => self.event(&d.events[e].slug),
            Target::Page(p) => self.page(&d.pages[p].slug),
            Target::Figure(f) => self.figure(&d.figures[f].slug),
        }
    }

    /// Whether an editorial page's slug could clash with a period of a
    /// split list written beside it (`sources-2024`) or a page of the
    /// actors' index (`acteurs-2`).
    pub fn is_period_name(&self, slug: &str) -> bool {
        [
            self.names.sources.as_str(),
            self.names.figures.as_str(),
            self.names.actors.as_str(),
            "dossier",
        ]
        .iter()
        .any(|list| {
            slug.strip_prefix(list)
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|rest| {
                    rest.starts_with(|c: char| c.is_ascii_digit()) || rest.starts_with(&self.names.undated)
                })
        })
    }

    /// Whether an editorial page's slug is the name of an edition of the
    /// actors' pages (`dossier-acteurs-1`), which a large dossier writes.
    pub fn is_actors_edition_name(&self, slug: &str) -> bool {
        slug.strip_prefix("dossier-")
            .and_then(|rest| rest.strip_prefix(self.names.actors.as_str()))
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    }

    /// Names a page slug may not take.
    pub fn reserved(&self) -> Vec<&str> {
        let n = &self.names;
        let mut names: Vec<&str> = FIXED.to_vec();
        names.extend([&n.sectors, &n.chronology, &n.sources, &n.actors, &n.figures, &n.search].map(String::as_str));
        names
    }
}

/// An href from any page: the root mark and the path.
pub fn href(path: &str) -> String {
    concat(&[ROOT, path])
}

const EVENT_ANCHOR: &str = "e-";
const FIGURE_ANCHOR: &str = "f-";

pub fn event_anchor(slug: &str) -> String {
    concat(&[EVENT_ANCHOR, slug])
}

pub fn figure_anchor(slug: &str) -> String {
    concat(&[FIGURE_ANCHOR, slug])
}

/// How far a page is from the root: `""` or `"../"`.
pub fn root_prefix(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// A page as written: each [`ROOT`] mark of the rendered page made the
/// page's way back to the site's root.
pub struct Resolved {
    pub html: Vec<u8>,
    /// Where the marks were in the rendered page, in order.
    pub marks: Vec<usize>,
    /// How many bytes longer each mark became (fewer at the root).
    pub grown: isize,
}

/// Resolves the root marks of a rendered page: a substring search that
/// skips through the page's bytes.
pub fn resolve_root(html: &[u8], path: &str) -> Resolved {
    let prefix = root_prefix(path);
    let mut out = Vec::with_capacity(html.len() + html.len() / 16);
    let mut marks = Vec::new();
    let mut from = 0;
    for at in memchr::memmem::find_iter(html, ROOT.as_bytes()) {
        out.extend_from_slice(&html[from..at]);
        out.extend_from_slice(prefix.as_bytes());
        marks.push(at);
        from = at + ROOT.len();
    }
    out.extend_from_slice(&html[from..]);
    Resolved {
        html: out,
        marks,
        grown: prefix.len() as isize - ROOT.len() as isize,
    }
}

/// The parts one after the other, in a string of exactly their length and
/// room for a paragraph's `#pN`: `format!` grows its string as it writes,
/// and routes are made for each of a large dossier's links.
fn concat(parts: &[&str]) -> String {
    let mut path = String::with_capacity(parts.iter().map(|p| p.len()).sum::<usize>() + FRAGMENT_ROOM);
    parts.iter().for_each(|p| path.push_str(p));
    path
}

/// The anchor `kind` + `slug` on `page`, or on the page `otherwise` makes.
fn anchored(page: Option<&String>, otherwise: impl FnOnce() -> String, kind: &str, slug: &str) -> String {
    match page {
        Some(page) => concat(&[page, "#", kind, slug]),
        None => concat(&[&otherwise(), "#", kind, slug]),
    }
}

/// `#p` and up to six digits.
const FRAGMENT_ROOM: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_become_the_way_back_to_the_root() {
        let html = "<a href=\"\u{FDD0}a.html\">a</a>\u{FDD0}".as_bytes();
        let at_root = resolve_root(html, "index.html");
        assert_eq!(at_root.html, b"<a href=\"a.html\">a</a>");
        assert_eq!((at_root.marks, at_root.grown), (vec![9, 25], -3));
        let deep = resolve_root(html, "secteurs/x/2024.html");
        assert_eq!(deep.html, b"<a href=\"../../a.html\">a</a>../../");
        assert_eq!(deep.grown, 3);
    }

    fn routes() -> Routes {
        Routes {
            names: RouteNames {
                sectors: "secteurs".into(),
                chronology: "chronologie".into(),
                sources: "sources".into(),
                actors: "acteurs".into(),
                figures: "chiffres".into(),
                search: "recherche".into(),
                undated: "sans-date".into(),
            },
            event_pages: FxHashMap::default(),
            figure_pages: FxHashMap::default(),
            source_page_starts: FxHashMap::default(),
        }
    }

    #[test]
    fn a_paragraph_links_to_the_page_of_its_source_that_shows_it() {
        let mut routes = routes();
        routes.source_page_starts.insert("long".into(), vec![1, 40, 90]);
        let pages: Vec<String> = [1, 39, 40, 89, 90, 500].map(|n| routes.paragraph("long", n)).into();
        assert_eq!(
            pages,
            [
                "sources/long.html#p1",
                "sources/long.html#p39",
                "sources/long/2.html#p40",
                "sources/long/2.html#p89",
                "sources/long/3.html#p90",
                "sources/long/3.html#p500"
            ]
        );
        assert_eq!(routes.paragraph("short", 3), "sources/short.html#p3");
    }

    #[test]
    fn page_slugs_that_a_split_list_could_take_are_periods() {
        let routes = routes();
        for taken in [
            "sources-2024",
            "chiffres-2024-03",
            "dossier-2025",
            "sources-sans-date",
            "acteurs-2",
        ] {
            assert!(routes.is_period_name(taken), "{taken}");
        }
        for free in ["sources-et-methode", "a-propos", "dossier-special", "sources"] {
            assert!(!routes.is_period_name(free), "{free}");
        }
    }

    #[test]
    fn page_slugs_of_the_actors_editions_are_taken_and_no_others() {
        let routes = routes();
        for taken in ["dossier-acteurs-1", "dossier-acteurs-12"] {
            assert!(routes.is_actors_edition_name(taken), "{taken}");
        }
        let free = [
            "dossier-acteurs",
            "dossier-acteurs-",
            "dossier-acteurs-apercu",
            "dossier-acteurs-1b",
            "acteurs-1",
        ];
        for free in free {
            assert!(!routes.is_actors_edition_name(free), "{free}");
        }
    }
}
