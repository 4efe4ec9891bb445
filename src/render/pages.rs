//! The site's pages: which exist, where each is written, which template
//! renders it and the small context it gets.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Context;

use super::context::{ActorCard, EventView, Link, Views, cited_in};
use super::html::Renderer;
use super::routes::href;
use super::svg;
use crate::diagnostic::Diagnostic;
use crate::load::Theme;
use crate::model::{ActorKind, BlockKind, Dossier};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Home,
    Sectors,
    Sector(usize),
    Chronology,
    Year(i32),
    Sources,
    Source(usize),
    Actors,
    Actor(usize),
    Figures,
    Page(usize),
    Search,
    NotFound,
}

impl PageKind {
    pub fn all(d: &Dossier) -> Vec<PageKind> {
        let mut kinds = vec![
            PageKind::Home,
            PageKind::Sectors,
            PageKind::Chronology,
            PageKind::Sources,
        ];
        kinds.extend([
            PageKind::Actors,
            PageKind::Figures,
            PageKind::Search,
            PageKind::NotFound,
        ]);
        kinds.extend((0..d.sectors.len()).map(PageKind::Sector));
        kinds.extend(years(d).into_iter().map(PageKind::Year));
        kinds.extend((0..d.sources.len()).map(PageKind::Source));
        kinds.extend((0..d.actors.len()).map(PageKind::Actor));
        kinds.extend((0..d.pages.len()).map(PageKind::Page));
        kinds
    }
}

impl PageKind {
    /// Whether the one-file dossier includes the page: year pages repeat
    /// the chronology, and search and "not found" mean nothing there.
    pub fn in_one_file(&self) -> bool {
        !matches!(self, PageKind::Year(_) | PageKind::Search | PageKind::NotFound)
    }
}

/// A page of the site as a part of `dossier.html`.
#[derive(Serialize)]
pub struct Part {
    pub key: String,
    pub title: String,
    pub html: String,
}

pub fn one_file(parts: &[Part]) -> Page {
    Page::new("dossier.html".into(), "dossier.html", "dossier", String::new()).with("parts", &parts)
}

/// Where to go when search cannot run.
fn search_links(r: &Renderer) -> BTreeMap<&'static str, String> {
    BTreeMap::from([
        ("sectors", href(&r.routes.sectors())),
        ("chronology", href(&r.routes.chronology())),
    ])
}

/// The years the chronology has events in, in order.
pub fn years(d: &Dossier) -> Vec<i32> {
    let years: std::collections::BTreeSet<i32> = d.events.iter().map(|e| e.date.year()).collect();
    years.into_iter().collect()
}

/// Event ids grouped by the year they are filed under, chronological within
/// a year (an open-start range is filed under its end's year).
pub fn events_by_year(d: &Dossier) -> Vec<usize> {
    let mut ids: Vec<usize> = (0..d.events.len()).collect();
    ids.sort_by_key(|&e| d.events[e].date.year());
    ids
}

pub struct Page {
    pub path: String,
    template: &'static str,
    /// Which navigation item is current.
    pub section: String,
    pub title: String,
    context: Context,
}

#[derive(Serialize)]
struct PageMeta<'a> {
    path: &'a str,
    section: &'a str,
    title: &'a str,
}

impl Page {
    pub fn new(path: String, template: &'static str, section: &str, title: String) -> Page {
        Page {
            path,
            template,
            section: section.to_string(),
            title,
            context: Context::new(),
        }
    }

    pub fn with(mut self, key: &'static str, value: &impl Serialize) -> Page {
        self.context.insert(key, value);
        self
    }

    pub fn render(mut self, tera: &tera::Tera, theme: &Theme) -> Result<String, Diagnostic> {
        let meta = PageMeta {
            path: &self.path,
            section: &self.section,
            title: &self.title,
        };
        self.context.insert("page", &meta);
        tera.render(self.template, &self.context).map_err(|e| {
            let origin = theme
                .get(&format!("templates/{}", self.template))
                .map_or_else(|| std::path::PathBuf::from(self.template), |f| f.origin.clone());
            super::template_error(&origin, &e)
        })
    }
}

/// `search_data`: what the search page embeds of the search index.
pub fn build(kind: &PageKind, r: &Renderer, v: &Views, search_data: &str) -> Page {
    let d = r.dossier;
    let routes = r.routes;
    let t = |k: &str| r.i18n.strings.get(k).cloned().unwrap_or_default();
    match *kind {
        PageKind::Home => home(r, v),
        PageKind::Sectors => {
            Page::new(routes.sectors(), "sectors.html", "sectors", t("sectors")).with("sectors", &v.sectors)
        }
        PageKind::Sector(i) => sector(r, v, i),
        PageKind::Chronology => chronology(r, v, None),
        PageKind::Year(y) => chronology(r, v, Some(y)),
        PageKind::Sources => {
            Page::new(routes.sources(), "sources.html", "sources", t("sources")).with("sources", &v.sources)
        }
        PageKind::Source(i) => source(r, v, i),
        PageKind::Actors => actors(r, v),
        PageKind::Actor(i) => actor(r, v, i),
        PageKind::Figures => {
            Page::new(routes.figures(), "figures.html", "figures", t("figures")).with("figures", &v.figures)
        }
        PageKind::Page(i) => {
            let p = &d.pages[i];
            Page::new(
                routes.page(&p.slug),
                "page.html",
                &format!("page-{}", p.slug),
                p.title.clone(),
            )
            .with("body", &r.markdown(&p.body))
        }
        PageKind::NotFound => Page::new("404.html".into(), "404.html", "404", t("not_found_title")),
        PageKind::Search => Page::new(routes.search(), "search.html", "search", t("search"))
            .with("index", &search_data)
            .with("shards", &href(&format!("{}/", super::search::folder(routes))))
            .with("root", &href(""))
            .with("links", &search_links(r)),
    }
}

fn home(r: &Renderer, v: &Views) -> Page {
    let d = r.dossier;
    let parties: Vec<&ActorCard> = d.config.parties.iter().map(|&a| &v.actors[a]).collect();
    let latest: Vec<&EventView> = v.events.iter().rev().take(5).collect();
    let pages: Vec<Link> = d
        .pages
        .iter()
        .map(|p| Link {
            href: href(&r.routes.page(&p.slug)),
            text: p.title.clone(),
        })
        .collect();
    Page::new(r.routes.home(), "index.html", "home", d.config.title.clone())
        .with("parties", &parties)
        .with("figures", &v.figures.iter().take(6).collect::<Vec<_>>())
        .with("more_figures", &(v.figures.len() > 6))
        .with("latest_events", &latest)
        .with("sectors", &v.sectors)
        .with("sources", &v.sources)
        .with("pages", &pages)
        .with("links", &section_links(r))
}

/// Hrefs of the section pages, for templates.
fn section_links(r: &Renderer) -> BTreeMap<&'static str, String> {
    let routes = r.routes;
    BTreeMap::from([
        ("sectors", href(&routes.sectors())),
        ("chronology", href(&routes.chronology())),
        ("sources", href(&routes.sources())),
        ("actors", href(&routes.actors())),
        ("figures", href(&routes.figures())),
    ])
}

fn sector(r: &Renderer, v: &Views, i: usize) -> Page {
    let d = r.dossier;
    let s = &d.sectors[i];
    let actors: Vec<Link> = d.index.sector_actors[i]
        .iter()
        .map(|&a| Link {
            href: v.actors[a].href.clone(),
            text: v.actors[a].name.clone(),
        })
        .collect();
    let figures: Vec<_> = d.index.sector_figures[i].iter().map(|&f| &v.figures[f]).collect();
    Page::new(r.routes.sector(&s.slug), "sector.html", "sectors", s.title.clone())
        .with("sector", &v.sectors[i])
        .with("intro", &r.markdown(&s.intro))
        .with("figures", &figures)
        .with("events", &v.events_of(&d.index.sector_events[i]))
        .with("passages", &v.passages(r, &d.index.sector_passages[i]))
        .with("actors", &actors)
        .with("links", &section_links(r))
}

#[derive(Serialize)]
struct YearView<'a> {
    year: i32,
    href: String,
    months: Vec<MonthView<'a>>,
}

#[derive(Serialize)]
struct MonthView<'a> {
    label: String,
    events: Vec<&'a EventView>,
}

fn chronology(r: &Renderer, v: &Views, only: Option<i32>) -> Page {
    let d = r.dossier;
    let all_years = years(d);
    let mut groups: Vec<YearView> = Vec::new();
    for e in events_by_year(d) {
        let event = &d.events[e];
        let year = event.date.year();
        if only.is_some_and(|y| y != year) {
            continue;
        }
        if groups.last().is_none_or(|g| g.year != year) {
            groups.push(YearView {
                year,
                href: href(&r.routes.year(year)),
                months: Vec::new(),
            });
        }
        let label = month_label(r, event);
        let months = &mut groups.last_mut().expect("pushed").months;
        if months.last().is_none_or(|m| m.label != label) {
            months.push(MonthView {
                label,
                events: Vec::new(),
            });
        }
        months.last_mut().expect("pushed").events.push(&v.events[e]);
    }
    let year_links: Vec<Link> = all_years
        .iter()
        .map(|&y| Link {
            href: href(&r.routes.year(y)),
            text: y.to_string(),
        })
        .collect();
    let t = |k: &str| r.i18n.strings.get(k).cloned().unwrap_or_default();
    let (path, title) = match only {
        Some(y) => (r.routes.year(y), format!("{} {y}", t("chronology"))),
        None => (r.routes.chronology(), t("chronology")),
    };
    let position = only.and_then(|y| all_years.iter().position(|&x| x == y));
    let neighbour = |p: Option<usize>| p.and_then(|p| year_links.get(p)).cloned();
    let mut page = Page::new(path, "chronology.html", "chronology", title)
        .with("years", &groups)
        .with("year_links", &year_links)
        .with("year", &only)
        .with("previous", &neighbour(position.and_then(|p| p.checked_sub(1))))
        .with("next", &neighbour(position.map(|p| p + 1)));
    if only.is_none() {
        page = page.with("overview", &svg::overview(r, v, &all_years));
    }
    page
}

fn month_label(r: &Renderer, event: &crate::model::Event) -> String {
    match event.date.month() {
        Some(m) => r.i18n.dates.months[m as usize - 1].clone(),
        None => String::new(),
    }
}

#[derive(Serialize)]
struct ParagraphView<'a> {
    number: usize,
    html: &'a str,
    heading: Option<u8>,
    cited_in: Vec<Link>,
}

#[derive(Serialize)]
struct NoteView {
    number: usize,
    html: String,
    sic: bool,
    paragraph: usize,
}

#[derive(Serialize)]
struct SourceMeta<'a> {
    title: &'a str,
    published: Option<&'a str>,
    author: Option<&'a str>,
    outlet: Option<&'a str>,
    url: Option<&'a str>,
    language: &'a str,
    kind: &'a str,
    original: String,
    note: Option<String>,
    sectors: Vec<&'a super::context::Chip>,
    other_language: bool,
}

fn source(r: &Renderer, v: &Views, i: usize) -> Page {
    let d = r.dossier;
    let s = &d.sources[i];
    let html = &v.source_html[i];
    let mut backlinks = cited_in(d, r.routes, i);
    let paragraphs: Vec<ParagraphView> = s
        .paragraphs
        .iter()
        .zip(&html.paragraphs)
        .map(|(p, h)| ParagraphView {
            number: p.number,
            html: h,
            heading: match p.kind {
                BlockKind::Heading(level) => Some((level + 1).min(6)),
                BlockKind::Paragraph => None,
            },
            cited_in: backlinks.remove(&p.number).unwrap_or_default(),
        })
        .collect();
    let notes: Vec<NoteView> = d.index.source_notes[i]
        .iter()
        .enumerate()
        .map(|(n, &a)| {
            let ann = &s.annotations[a];
            NoteView {
                number: n + 1,
                html: ann.note.as_ref().map(|m| r.markdown_inline(m)).unwrap_or_default(),
                sic: ann.sic,
                paragraph: ann.paragraph,
            }
        })
        .collect();
    let card = &v.sources[i];
    let meta = SourceMeta {
        title: &s.title,
        published: card.published.as_deref(),
        author: s.author.as_deref(),
        outlet: s.outlet.as_deref(),
        url: s.url.as_deref(),
        language: &s.language,
        kind: &card.kind,
        original: s.original.display().to_string(),
        note: s.note.as_ref().map(|m| r.markdown(m)),
        sectors: s.sectors.iter().map(|&x| &v.sector_chips[x]).collect(),
        other_language: s.language != d.config.language,
    };
    Page::new(r.routes.source(&s.slug), "source.html", "sources", s.title.clone())
        .with("source", &meta)
        .with("paragraphs", &paragraphs)
        .with("notes", &notes)
}

#[derive(Serialize)]
struct ActorGroup<'a> {
    label: String,
    actors: Vec<&'a ActorCard>,
}

fn actors(r: &Renderer, v: &Views) -> Page {
    let d = r.dossier;
    let groups: Vec<ActorGroup> = ActorKind::ALL
        .iter()
        .map(|kind| ActorGroup {
            label: r.i18n.label("actor_kind", kind.as_str()),
            actors: d
                .actors
                .iter()
                .enumerate()
                .filter(|(_, a)| a.kind == *kind)
                .map(|(i, _)| &v.actors[i])
                .collect(),
        })
        .filter(|g| !g.actors.is_empty())
        .collect();
    let title = r.i18n.strings.get("actors").cloned().unwrap_or_default();
    Page::new(r.routes.actors(), "actors.html", "actors", title).with("groups", &groups)
}

fn actor(r: &Renderer, v: &Views, i: usize) -> Page {
    let d = r.dossier;
    let a = &d.actors[i];
    Page::new(r.routes.actor(&a.slug), "actor.html", "actors", a.name.clone())
        .with("actor", &v.actors[i])
        .with("aliases", &a.aliases)
        .with("profile", &r.markdown(&a.profile))
        .with("statements", &v.passages(r, &d.index.actor_statements[i]))
        .with("mentions", &v.passages(r, &d.index.actor_mentions[i]))
        .with("events", &v.events_of(&d.index.actor_events[i]))
}
