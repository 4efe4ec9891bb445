//! The views templates see: small `Serialize` structs, the contract between
//! the engine and themes (the model can change without breaking a theme).
//! Every href starts with the root mark (see `routes`). Views that several
//! pages show (an event, a passage, a figure) are built once, here.

use std::ops::Range;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::html::Renderer;
use super::routes::{Routes, event_anchor, href};
use crate::model::{Citation, Dossier, Event, Owner};

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub href: String,
    pub text: String,
}

/// The paragraphs of one source that something cites.
#[derive(Debug, Clone, Serialize)]
pub struct SourceCitations {
    pub source: String,
    pub href: String,
    pub paragraphs: Vec<Link>,
    /// The source's paragraphs left out of `paragraphs`.
    pub more: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Chip {
    pub href: String,
    pub text: String,
    /// `sec-<slug>`: the class that carries the sector's colour.
    pub class: String,
}

/// Site-wide values, in every template as `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub subtitle: Option<String>,
    pub description: Option<String>,
    pub lang: String,
    /// `rtl` or `ltr`: which way the dossier's language is written.
    pub dir: &'static str,
    pub css: String,
    pub nav: Vec<NavItem>,
    pub home: String,
    pub search: String,
    /// The theme's `static/search.js`, inlined in the search page.
    pub search_js: String,
    /// The theme's `static/chronology.js` (the sector filter), inlined in
    /// the chronology's pages.
    pub chronology_js: String,
    /// The theme's `static/cite.js` (copy a citation), inlined in sources.
    pub cite_js: String,
    /// The Atom feed (`feed.xml`), announced in every page's head.
    pub feed: String,
    /// The one-file edition (`dossier.html`; for a large dossier, the
    /// contents of the editions by year), offered in every page's footer:
    /// to print or read offline, it is of no use unless readers find it.
    /// Empty when the dossier has no one-file editions (`one_file: false`).
    pub one_file: String,
    /// Where the site is published, ending in `/`, when the dossier says.
    pub base_url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    /// Which page kind this item leads to, compared with `page.section`.
    pub section: String,
    pub href: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectorCard {
    pub slug: String,
    pub title: String,
    pub href: String,
    pub summary: String,
    pub class: String,
    pub passages: usize,
    pub events: usize,
    pub figures: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub anchor: String,
    pub href: String,
    pub title: String,
    pub date: String,
    pub date_short: String,
    pub datetime: String,
    pub year: i32,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub sectors: Vec<Chip>,
    pub actors: Vec<Link>,
    pub citations: Vec<SourceCitations>,
    /// The sources left out of `citations`.
    pub more_citations: usize,
    pub description: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureView {
    pub anchor: String,
    pub value: String,
    /// The bound in words (« plus de »), shown before the number.
    pub bound: Option<String>,
    pub unit: Option<String>,
    pub label: String,
    pub sectors: Vec<Chip>,
    pub citations: Vec<SourceCitations>,
    /// The sources left out of `citations`.
    pub more_citations: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceCard {
    pub title: String,
    pub href: String,
    pub published: Option<String>,
    /// The publication date is inferred (a range, or approximate).
    pub published_estimate: bool,
    pub author: Option<String>,
    pub outlet: Option<String>,
    pub kind: String,
    pub paragraphs: usize,
    pub annotations: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActorCard {
    pub name: String,
    pub href: String,
    pub kind: String,
    /// The actor's country, an actor of the dossier; none when it is the
    /// actor itself (a state).
    pub country: Option<Link>,
    pub role: Option<String>,
}

/// Everything pre-rendered once, indexed like the model's tables.
pub struct Views {
    pub sectors: Vec<SectorCard>,
    pub sector_chips: Vec<Chip>,
    pub events: Vec<EventView>,
    pub figures: Vec<FigureView>,
    pub sources: Vec<SourceCard>,
    pub actors: Vec<ActorCard>,
}

impl Views {
    pub fn build(r: &Renderer) -> Views {
        let d = r.dossier;
        let routes = r.routes;
        let sector_chips: Vec<Chip> = d
            .sectors
            .iter()
            .map(|s| Chip {
                href: href(&routes.sector(&s.slug)),
                text: s.title.clone(),
                class: format!("sec-{}", s.slug),
            })
            .collect();
        let mut views = Views {
            sectors: sector_cards(d, routes),
            sector_chips,
            events: Vec::new(),
            figures: Vec::new(),
            sources: Vec::new(),
            actors: Vec::new(),
        };
        views.events = d.events.iter().map(|e| views.event(r, e)).collect();
        views.figures = d
            .figures
            .iter()
            .map(|f| {
                let (citations, more_citations) = citations(d, routes, &f.citations);
                FigureView {
                    anchor: super::routes::figure_anchor(&f.slug),
                    value: r.i18n.number(&f.value),
                    bound: f.bound.as_ref().map(|b| r.i18n.label("figure_bound", b)),
                    unit: f.unit.clone(),
                    label: f.label.clone(),
                    sectors: f.sectors.iter().map(|&s| views.sector_chips[s].clone()).collect(),
                    citations,
                    more_citations,
                }
            })
            .collect();
        views.sources = d
            .sources
            .iter()
            .map(|s| SourceCard {
                title: s.title.clone(),
                href: href(&routes.source(&s.slug)),
                published: s.published.as_ref().map(|p| r.i18n.dates.format_bounds(p)),
                published_estimate: s.published.as_ref().is_some_and(|p| p.is_estimate()),
                author: s.author.clone(),
                outlet: s.outlet.clone(),
                kind: r.i18n.label("source_kind", &s.kind),
                paragraphs: s.paragraphs.len(),
                annotations: s.annotations.len(),
            })
            .collect();
        views.actors = d
            .actors
            .iter()
            .enumerate()
            .map(|(i, a)| ActorCard {
                name: a.name.clone(),
                href: href(&routes.actor(&a.slug)),
                kind: r.i18n.actor_kind(a.kind.as_str(), 1),
                country: a.country.filter(|&c| c != i).map(|c| Link {
                    href: href(&routes.actor(&d.actors[c].slug)),
                    text: d.actors[c].name.clone(),
                }),
                role: a.role.clone(),
            })
            .collect();
        views
    }

    fn event(&self, r: &Renderer, e: &Event) -> EventView {
        let d = r.dossier;
        let (citations, more_citations) = citations(d, r.routes, &e.citations);
        EventView {
            anchor: event_anchor(&e.slug),
            href: href(&r.routes.event(&e.slug)),
            title: e.title.clone(),
            date: r.i18n.dates.format(&e.date, true),
            date_short: r.i18n.dates.format(&e.date, false),
            datetime: e.date.datetime_attr(),
            year: e.date.year(),
            kind: e.kind.as_ref().map(|k| r.i18n.label("event_kind", k)),
            status: e.status.as_ref().map(|s| r.i18n.label("status", s)),
            sectors: e.sectors.iter().map(|&s| self.sector_chips[s].clone()).collect(),
            actors: e
                .actors
                .iter()
                .map(|&a| Link {
                    href: href(&r.routes.actor(&d.actors[a].slug)),
                    text: d.actors[a].name.clone(),
                })
                .collect(),
            citations,
            more_citations,
            description: r.markdown(&e.description),
        }
    }
}

fn sector_cards(d: &Dossier, routes: &Routes) -> Vec<SectorCard> {
    d.sectors
        .iter()
        .enumerate()
        .map(|(i, s)| SectorCard {
            slug: s.slug.clone(),
            title: s.title.clone(),
            href: href(&routes.sector(&s.slug)),
            summary: s.summary.clone(),
            class: format!("sec-{}", s.slug),
            passages: d.index.sector_passages[i].len(),
            events: d.index.sector_events[i].len(),
            figures: d.index.sector_figures[i].len(),
        })
        .collect()
}

/// How many sources a list of citations names, and how many paragraphs
/// of each: an event that thousands of sources report stays a few lines
/// long wherever it is shown, the rest counted ("and 2,990 other
/// sources"); each source's page still names the event.
pub const SOURCES_SHOWN: usize = 10;
pub const PARAGRAPHS_SHOWN: usize = 10;

/// Citations grouped by source (in source order), each paragraph once, at
/// most [`SOURCES_SHOWN`] sources; and how many sources are left out.
pub fn citations(d: &Dossier, routes: &Routes, cited: &[Citation]) -> (Vec<SourceCitations>, usize) {
    let mut sorted: Vec<(usize, usize)> = cited.iter().map(|c| (c.source, c.paragraph)).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let runs: Vec<&[(usize, usize)]> = sorted.chunk_by(|a, b| a.0 == b.0).collect();
    let groups = runs
        .iter()
        .take(SOURCES_SHOWN)
        .map(|run| {
            let source = &d.sources[run[0].0];
            SourceCitations {
                source: source.title.clone(),
                href: href(&routes.source(&source.slug)),
                paragraphs: (run.iter().take(PARAGRAPHS_SHOWN))
                    .map(|&(_, paragraph)| Link {
                        href: href(&routes.paragraph(&source.slug, paragraph)),
                        text: format!("¶{paragraph}"),
                    })
                    .collect(),
                more: run.len().saturating_sub(PARAGRAPHS_SHOWN),
            }
        })
        .collect();
    (groups, runs.len().saturating_sub(SOURCES_SHOWN))
}

/// The editorial texts citing each paragraph of a source numbered in
/// `numbers`, as links.
pub fn cited_in(d: &Dossier, routes: &Routes, source: usize, numbers: Range<usize>) -> FxHashMap<usize, Vec<Link>> {
    let mut out: FxHashMap<usize, Vec<Link>> = FxHashMap::default();
    let range = (source, numbers.start)..(source, numbers.end);
    for (&(_, paragraph), owners) in d.index.cited_in.range(range) {
        let links = owners
            .iter()
            .filter(|o| **o != Owner::Source(source))
            .map(|o| owner_link(d, routes, *o))
            .collect();
        out.insert(paragraph, links);
    }
    out
}

fn owner_link(d: &Dossier, routes: &Routes, owner: Owner) -> Link {
    let (path, text) = match owner {
        Owner::Sector(i) => (routes.sector(&d.sectors[i].slug), d.sectors[i].title.clone()),
        Owner::Actor(i) => (routes.actor(&d.actors[i].slug), d.actors[i].name.clone()),
        Owner::Event(i) => (routes.event(&d.events[i].slug), d.events[i].title.clone()),
        Owner::Page(i) => (routes.page(&d.pages[i].slug), d.pages[i].title.clone()),
        Owner::Source(i) => (routes.source(&d.sources[i].slug), d.sources[i].title.clone()),
    };
    Link {
        href: href(&path),
        text,
    }
}
