//! The site's pages: which exist, where each is written, which template
//! renders it and the small context it gets.

use std::collections::BTreeMap;
use std::ops::Range;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use tera::Context;

use super::context::{ActorCard, Chip, EventView, FigureView, Link, SourceCard, Views, cited_in};
use super::html::Renderer;
use super::layout::Layout;
use super::lists::{self, Ctx};
use super::onefile::Placement;
use super::page_menu;
use super::routes::{Routes, href};
use super::split;
use crate::diagnostic::Diagnostic;
use crate::load::Theme;
use crate::model::entities::is_web_address;
use crate::model::weight;
use crate::model::{Actor, BlockKind, Dossier, Source};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Home,
    Sectors,
    Sector(usize),
    /// A period of a sector too big for one page: (sector, part).
    SectorPart(usize, usize),
    Chronology,
    /// A year of the chronology, or a month of a year too big for a page.
    ChronologyPart(usize),
    Sources,
    SourcesPart(usize),
    Source(usize),
    /// A page after the first of a source too long for one: (source,
    /// page from 1, the source's own page being 0).
    SourcePage(usize, usize),
    Actors,
    /// A page after the first of an actors' index too long for one.
    ActorIndexPage(usize),
    Actor(usize),
    ActorPart(usize, usize),
    Figures,
    FiguresPart(usize),
    Page(usize),
    Search,
    NotFound,
}

impl PageKind {
    pub fn all(d: &Dossier, layout: &Layout) -> Vec<PageKind> {
        let mut kinds = vec![
            PageKind::Home,
            PageKind::Sectors,
            PageKind::Chronology,
            PageKind::Sources,
            PageKind::Actors,
            PageKind::Figures,
            PageKind::Search,
            PageKind::NotFound,
        ];
        for (s, list) in layout.sectors.iter().enumerate() {
            kinds.push(PageKind::Sector(s));
            kinds.extend((0..list.part_count()).map(|p| PageKind::SectorPart(s, p)));
        }
        kinds.extend((0..layout.chronology.part_count()).map(PageKind::ChronologyPart));
        kinds.extend((0..layout.sources.part_count()).map(PageKind::SourcesPart));
        kinds.extend((0..layout.figures.part_count()).map(PageKind::FiguresPart));
        for i in 0..d.sources.len() {
            kinds.push(PageKind::Source(i));
            let pages = layout.source_pages.get(&i).map_or(0, Vec::len);
            kinds.extend((1..pages).map(|p| PageKind::SourcePage(i, p)));
        }
        let index_pages = layout.actor_pages.as_ref().map_or(0, Vec::len);
        kinds.extend((1..index_pages).map(PageKind::ActorIndexPage));
        for (a, list) in layout.actors.iter().enumerate() {
            kinds.push(PageKind::Actor(a));
            kinds.extend((0..list.part_count()).map(|p| PageKind::ActorPart(a, p)));
        }
        kinds.extend((0..d.pages.len()).map(PageKind::Page));
        kinds
    }

    /// Where the page is written, relative to the site's root.
    pub fn path(&self, d: &Dossier, layout: &Layout, routes: &Routes) -> String {
        let undated = &routes.names.undated;
        let key = |list_parts: &Option<Vec<split::Part>>, p: usize| {
            list_parts
                .as_ref()
                .map(|parts| parts[p].period.key(undated))
                .unwrap_or_default()
        };
        match *self {
            PageKind::Home => routes.home(),
            PageKind::Sectors => routes.sectors(),
            PageKind::Sector(i) => routes.sector(&d.sectors[i].slug),
            PageKind::SectorPart(i, p) => routes.sector_part(&d.sectors[i].slug, &key(&layout.sectors[i].parts, p)),
            PageKind::Chronology => routes.chronology(),
            PageKind::ChronologyPart(p) => routes.chronology_part(&key(&layout.chronology.parts, p)),
            PageKind::Sources => routes.sources(),
            PageKind::SourcesPart(p) => routes.sources_part(&key(&layout.sources.parts, p)),
            PageKind::Source(i) => routes.source(&d.sources[i].slug),
            PageKind::SourcePage(i, p) => routes.source_page(&d.sources[i].slug, p + 1),
            PageKind::Actors => routes.actors(),
            PageKind::ActorIndexPage(p) => routes.actors_page(p + 1),
            PageKind::Actor(i) => routes.actor(&d.actors[i].slug),
            PageKind::ActorPart(i, p) => routes.actor_part(&d.actors[i].slug, &key(&layout.actors[i].parts, p)),
            PageKind::Figures => routes.figures(),
            PageKind::FiguresPart(p) => routes.figures_part(&key(&layout.figures.parts, p)),
            PageKind::Page(i) => routes.page(&d.pages[i].slug),
            PageKind::Search => routes.search(),
            PageKind::NotFound => "404.html".into(),
        }
    }

    /// Where the page goes in the one-file editions. In one file: all but
    /// search and "not found" (which mean nothing there) and the
    /// chronology's years while its page shows them all. Split: each
    /// source in its period's file, each part of the chronology with its
    /// period's sources, the rest in `dossier.html`, and a list's
    /// periods stand for themselves no more (links go to the list's first
    /// page); the actors' pages go to editions of their own when there
    /// are too many for `dossier.html`.
    pub fn placement(&self, d: &Dossier, layout: &Layout, routes: &Routes, editions: &EditionPlan) -> Placement {
        let like = |path: String| Placement::Like(path);
        match *self {
            PageKind::Search | PageKind::NotFound => like(routes.home()),
            PageKind::ChronologyPart(_) if layout.chronology_whole => like(routes.chronology()),
            // An actor in an edition of the actors' stands for its periods.
            PageKind::Actor(i) if editions.of_actor(i) > 0 => Placement::In(editions.of_actor(i)),
            PageKind::ActorPart(i, _) if editions.of_actor(i) > 0 => like(routes.actor(&d.actors[i].slug)),
            _ if editions.is_empty() => Placement::In(0),
            PageKind::ChronologyPart(p) => Placement::In(editions.of_chronology(p)),
            PageKind::Source(i) => Placement::In(editions.of_source(i)),
            PageKind::SourcePage(i, p) => Placement::In(editions.of_source_page(i, p)),
            PageKind::SectorPart(i, _) => like(routes.sector(&d.sectors[i].slug)),
            PageKind::ActorPart(i, _) => like(routes.actor(&d.actors[i].slug)),
            PageKind::SourcesPart(_) => like(routes.sources()),
            PageKind::ActorIndexPage(_) => like(routes.actors()),
            PageKind::FiguresPart(_) => like(routes.figures()),
            _ => Placement::In(0),
        }
    }
}

/// The one-file editions for a dossier too big for one file: edition `0`
/// is `dossier.html` (the dossier's pages and the contents), then one per
/// period of the sources: a year, or a month of a year too big for one
/// file ([`split::periods`]). Empty for a dossier that fits one file.
#[derive(Debug, Default)]
pub struct EditionPlan {
    periods: Vec<split::Period>,
    /// The edition of each source (of its first page).
    of_source: Vec<usize>,
    /// The edition of each later page of a source shown on several,
    /// (source, page), where it is not the first page's.
    of_source_page: FxHashMap<(usize, usize), usize>,
    /// The edition of each part of the chronology.
    of_chronology: Vec<usize>,
    /// The actors' editions, after the periods', when their pages would
    /// make `dossier.html` too big: ranges of the actors in the order of
    /// their index ([`Layout::actor_order`]).
    actor_pieces: Vec<Range<usize>>,
    /// The edition of each actor's page; empty when all are in
    /// `dossier.html`.
    of_actor: Vec<usize>,
}

/// Past this many estimated bytes of HTML (the sources' parts and the
/// lists' pages: about 300 articles of the benchmark corpus, or 2,000
/// two-paragraph wire items), one file would be too big to open on a
/// phone: the edition is split.
const ONE_FILE_BUDGET: usize = 12_000_000;

/// What one edition's sources and pages of the chronology may weigh, in
/// estimated bytes of HTML: editions stay under 25 MB.
const EDITION_BUDGET: usize = 20_000_000;

/// What the actors' pages may weigh in `dossier.html`, in estimated
/// bytes of HTML, beside the dossier's other pages (which are few and
/// bounded: the home page, the sectors', the lists' first pages). Past
/// it, hundreds of actors each cited in thousands of passages would take
/// `dossier.html` past 25 MB: their pages go to editions of their own.
const ACTORS_IN_ONE_FILE: usize = EDITION_BUDGET;

/// An actor's page in an edition, in estimated bytes of HTML, but for
/// its list: its heading, name, role and profile.
fn actor_own_weight(a: &Actor) -> usize {
    1_000 + 2 * (a.name.len() + a.role.as_ref().map_or(0, String::len)) + a.profile.text.len() * 5 / 4
}

/// An actor's page in an edition, in estimated bytes of HTML: its own
/// and what its list shows, which is never more than a page's budget
/// (the latest items once the list is split).
fn actor_page_weight(a: &Actor, list: &super::layout::List<super::layout::Entry>) -> usize {
    actor_own_weight(a) + list.weight.min(split::PAGE_BUDGET)
}

/// What the editions are cut from: a source (its position among the
/// sources in date order) or a page of the chronology (its part).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    Source(usize),
    /// A later page (from 1) of a source shown on several.
    SourcePage(usize, usize),
    Chronology(usize),
}

/// Where a page of the chronology of `at` goes among the sources
/// (`dates`: their periods in date order), as the period it takes in the
/// split and its rank there, the sources' being 1: after its period's
/// sources (2), in their edition; a year's own pages, when none of the
/// year's sources is dated to the year only, before the year's first
/// source or first month of the chronology (`first_month`), whichever
/// comes first, and in its period (0), so that they open the year's first
/// edition; a period without sources (events of the past that later
/// sources report) in its own period (2), an edition of its own.
fn chronology_place(dates: &[split::When], at: split::When, first_month: Option<split::When>) -> (split::When, u8) {
    if at.month.is_none() && dates.binary_search(&at).is_err() {
        let first = dates.partition_point(|w| w.year < at.year);
        let first_source = dates.get(first).filter(|w| w.year == at.year).copied();
        if let Some(when) = first_source.into_iter().chain(first_month).min() {
            return (when, 0);
        }
    }
    (at, 2)
}

/// A source shown on several pages (its position in date order) and the
/// weights of its pages after the first, which an edition need not hold
/// with it.
type LaterPages = (usize, Vec<usize>);

/// The sources (`dates` and `weights`, in date order; `later_pages`, in
/// that order too, for those shown on several pages, whose `weights` are
/// then their first page's) and the pages of the
/// chronology (each part's period and weight, in date order) as one
/// sequence in date order for the split, each page where
/// [`chronology_place`] puts it: a source's edition takes its period's
/// chronology, and a page too many for it goes to the next edition
/// rather than past the budget.
fn sequence(
    dates: &[split::When],
    weights: &[usize],
    later_pages: &[LaterPages],
    chronology: &[(split::Period, usize)],
) -> Vec<(split::When, usize, Piece)> {
    let when = |period: &split::Period| split::When {
        year: period.year,
        month: period.month,
    };
    let mut first_months: FxHashMap<Option<i32>, split::When> = FxHashMap::default();
    for (period, _) in chronology.iter().filter(|(period, _)| period.month.is_some()) {
        first_months.entry(period.year).or_insert_with(|| when(period));
    }
    let sources = (0..dates.len()).map(|k| ((dates[k], 1, k, 0), weights[k], Piece::Source(k)));
    let later = later_pages.iter().flat_map(|(k, weights)| {
        (weights.iter().enumerate())
            .map(|(p, &weight)| ((dates[*k], 1, *k, p + 1), weight, Piece::SourcePage(*k, p + 1)))
    });
    let pages = chronology.iter().enumerate().map(|(part, &(period, weight))| {
        let first_month = first_months.get(&period.year).copied();
        let (when, rank) = chronology_place(dates, when(&period), first_month);
        ((when, rank, part, 0), weight, Piece::Chronology(part))
    });
    let mut all: Vec<_> = sources.chain(later).chain(pages).collect();
    all.sort_by_key(|(key, ..)| *key);
    all.into_iter()
        .map(|((when, ..), weight, piece)| (when, weight, piece))
        .collect()
}

impl EditionPlan {
    pub fn new(d: &Dossier, layout: &Layout) -> EditionPlan {
        let weights: Vec<usize> = d.sources.iter().map(weight::edition_part).collect();
        // The lists' weight counts the actors' entries, not their pages.
        let actors_own: usize = d.actors.iter().map(actor_own_weight).sum();
        if weights.iter().sum::<usize>() + layout.lists_weight() + actors_own <= ONE_FILE_BUDGET {
            return EditionPlan::default();
        }
        let when = |i: usize| {
            d.sources[i]
                .published
                .as_ref()
                .map(super::layout::when)
                .unwrap_or_default()
        };
        let mut order: Vec<usize> = (0..d.sources.len()).collect();
        order.sort_by_key(|&i| (when(i), i));
        let dates: Vec<split::When> = order.iter().map(|&i| when(i)).collect();
        let mut weights: Vec<usize> = order.iter().map(|&i| weights[i]).collect();
        let mut later_pages: Vec<LaterPages> = Vec::new();
        for (k, &i) in order.iter().enumerate() {
            let Some(pages) = layout.source_pages.get(&i) else {
                continue;
            };
            if let [first, later @ ..] = &weight::edition_pages(&d.sources[i], pages)[..] {
                weights[k] = *first;
                later_pages.push((k, later.to_vec()));
            }
        }
        // A chronology on one page is in `dossier.html`, as its parts are.
        let parts = layout.chronology.parts.as_deref().filter(|_| !layout.chronology_whole);
        let chronology: Vec<(split::Period, usize)> = (parts.unwrap_or_default().iter())
            .map(|part| {
                let events = &layout.chronology.items[part.items.clone()];
                (part.period, events.iter().map(|&e| layout.event_weights[e]).sum())
            })
            .collect();
        let sequence = sequence(&dates, &weights, &later_pages, &chronology);
        let mut plan = EditionPlan::of(&order, chronology.len(), &sequence, EDITION_BUDGET);
        let actor_weights = (layout.actor_order.iter()).map(|&a| actor_page_weight(&d.actors[a], &layout.actors[a]));
        plan.place_actors(&layout.actor_order, actor_weights.collect(), ACTORS_IN_ONE_FILE);
        plan
    }

    /// Gives the actors (`order`: as their index lists them) editions of
    /// their own, each within the edition budget, when their pages
    /// (`weights`, in that order) weigh more than `in_one_file` together.
    fn place_actors(&mut self, order: &[usize], weights: Vec<usize>, in_one_file: usize) {
        if weights.iter().sum::<usize>() <= in_one_file {
            return;
        }
        let first = self.periods.len() + 1;
        self.actor_pieces = split::pieces(weights, EDITION_BUDGET);
        self.of_actor = vec![0; order.len()];
        for (k, piece) in self.actor_pieces.iter().enumerate() {
            for &actor in &order[piece.clone()] {
                self.of_actor[actor] = first + k;
            }
        }
    }

    fn of_actor(&self, actor: usize) -> usize {
        self.of_actor.get(actor).copied().unwrap_or(0)
    }

    /// How many editions the actors' pages take (0: they are in
    /// `dossier.html`).
    pub fn actor_editions(&self) -> usize {
        self.actor_pieces.len()
    }

    /// The plan for a [`sequence`] of the sources (`order`: their indices
    /// in date order) and `pages` pages of the chronology, with `budget`
    /// per edition.
    fn of(order: &[usize], pages: usize, sequence: &[(split::When, usize, Piece)], budget: usize) -> EditionPlan {
        let items: Vec<(split::When, usize)> = sequence.iter().map(|&(when, weight, _)| (when, weight)).collect();
        let parts = split::periods(&items, budget);
        let mut editions = EditionPlan {
            periods: Vec::with_capacity(parts.len()),
            of_source: vec![0; order.len()],
            of_chronology: vec![0; pages],
            ..EditionPlan::default()
        };
        // A year's part for the sources dated to the year only may be
        // empty: it gets no file of its own.
        for part in parts.into_iter().filter(|p| !p.items.is_empty()) {
            let edition = editions.periods.len() + 1;
            for &(_, _, piece) in &sequence[part.items.clone()] {
                match piece {
                    Piece::Source(k) => editions.of_source[order[k]] = edition,
                    Piece::SourcePage(k, page) => {
                        editions.of_source_page.insert((order[k], page), edition);
                    }
                    Piece::Chronology(page) => editions.of_chronology[page] = edition,
                }
            }
            editions.periods.push(part.period);
        }
        editions
    }

    /// Whether the sources and the chronology are in `dossier.html` (the
    /// actors may still have editions of their own).
    pub fn is_empty(&self) -> bool {
        self.periods.is_empty()
    }

    /// The period of each edition but `dossier.html`, in order.
    pub fn periods(&self) -> &[split::Period] {
        &self.periods
    }

    fn of_source(&self, source: usize) -> usize {
        self.of_source[source]
    }

    fn of_source_page(&self, source: usize, page: usize) -> usize {
        (self.of_source_page.get(&(source, page)).copied()).unwrap_or_else(|| self.of_source(source))
    }

    /// The edition of part `part` of the chronology.
    fn of_chronology(&self, part: usize) -> usize {
        self.of_chronology.get(part).copied().unwrap_or(0)
    }

    /// The editions' file names, `dossier.html` first, then the periods'
    /// (`undated` names the sources' without a date) and the actors'
    /// (named after their index, `actors`, and numbered from 1: no
    /// period's name is a name and a number without `p`, whatever the
    /// theme calls the actors and the undated items).
    pub fn files(&self, undated: &str, actors: &str) -> Vec<String> {
        let mut files = vec![ONE_FILE.to_string()];
        files.extend(self.periods.iter().map(|p| format!("dossier-{}.html", p.key(undated))));
        files.extend((1..=self.actor_pieces.len()).map(|k| format!("dossier-{actors}-{k}.html")));
        files
    }
}

/// The one-file edition, or the contents of the editions by year.
pub const ONE_FILE: &str = "dossier.html";

/// A page of the site as a part of `dossier.html`.
#[derive(Serialize)]
pub struct Part {
    pub key: String,
    pub title: String,
    pub html: String,
}

/// An edition's frame: its parts, and the list of editions when there
/// are several (`current` marks this one).
pub fn one_file(path: &str, title: String, parts: &[Part], editions: &[EditionLink]) -> Page {
    // The home page, when it is the first part, is the edition's title page.
    let title_part = parts
        .first()
        .is_some_and(|p| p.key == super::onefile::key("index.html"));
    Page::new(path.to_string(), "dossier.html", "dossier", title)
        .with("parts", &parts)
        .with("title_part", &title_part)
        .with("editions", &editions)
}

#[derive(Serialize)]
pub struct EditionLink {
    pub href: String,
    pub text: String,
    pub current: bool,
}

/// What the search script needs to count its results in the language:
/// the plural rule as the categories of 0 to 199 and of a million, and
/// the forms of `counts.results`.
#[derive(Serialize)]
struct ResultsCount {
    /// [`crate::load::i18n::PluralRule::table`].
    plural: String,
    /// The forms as JSON, `{"one": "{n} résultat", …}`.
    forms: String,
}

fn results_count(r: &Renderer) -> ResultsCount {
    ResultsCount {
        plural: r.i18n.plural.table(),
        forms: serde_json::to_string(&r.i18n.counts.get("results")).unwrap_or_default(),
    }
}

/// Where to go when search cannot run.
fn search_links(r: &Renderer) -> BTreeMap<&'static str, String> {
    BTreeMap::from([
        ("sectors", href(&r.routes.sectors())),
        ("chronology", href(&r.routes.chronology())),
    ])
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

    /// The page's HTML, as bytes: the templates write UTF-8, and a site's
    /// worth of pages is not checked again on its way to the files.
    pub fn render(mut self, tera: &tera::Tera, theme: &Theme) -> Result<Vec<u8>, Diagnostic> {
        let meta = PageMeta {
            path: &self.path,
            section: &self.section,
            title: &self.title,
        };
        self.context.insert("page", &meta);
        let mut html = Vec::new();
        tera.render_to(self.template, &self.context, &mut html).map_err(|e| {
            let origin = theme
                .get(&format!("templates/{}", self.template))
                .map_or_else(|| std::path::PathBuf::from(self.template), |f| f.origin.clone());
            super::template_error(&origin, &e, theme)
        })?;
        Ok(html)
    }
}

pub fn build(kind: &PageKind, path: String, c: &Ctx) -> Page {
    let (r, v, d) = (c.r, c.v, c.r.dossier);
    let t = |k: &str| r.i18n.strings.get(k).cloned().unwrap_or_default();
    match *kind {
        PageKind::Home => home(c, path),
        PageKind::Sectors => Page::new(path, "sectors.html", "sectors", t("sectors")).with("sectors", &v.sectors),
        PageKind::Sector(i) => lists::sector(c, path, i, None),
        PageKind::SectorPart(i, p) => lists::sector(c, path, i, Some(p)),
        PageKind::Chronology => lists::chronology(c, path, None),
        PageKind::ChronologyPart(p) => lists::chronology(c, path, Some(p)),
        PageKind::Sources => lists::sources(c, path, None),
        PageKind::SourcesPart(p) => lists::sources(c, path, Some(p)),
        PageKind::Source(i) => source(c, path, i, 0),
        PageKind::SourcePage(i, p) => source(c, path, i, p),
        PageKind::Actors => actors(c, path, 0),
        PageKind::ActorIndexPage(p) => actors(c, path, p),
        PageKind::Actor(i) => lists::actor(c, path, i, None),
        PageKind::ActorPart(i, p) => lists::actor(c, path, i, Some(p)),
        PageKind::Figures => lists::figures(c, path, None),
        PageKind::FiguresPart(p) => lists::figures(c, path, Some(p)),
        PageKind::Page(i) => {
            let p = &d.pages[i];
            Page::new(path, "page.html", &format!("page-{}", p.slug), p.title.clone())
                .with("body", &r.markdown(&p.body))
        }
        PageKind::NotFound => Page::new(path, "404.html", "404", t("not_found_title")),
        PageKind::Search => Page::new(path, "search.html", "search", t("search"))
            .with("index", &c.search_data)
            .with("results", &results_count(r))
            .with("shards", &href(&format!("{}/", super::search::folder(r.routes))))
            .with("root", &href(""))
            .with("links", &search_links(r))
            .with("examples", &search_examples(d)),
    }
}

/// What the search box suggests typing, taken from the dossier itself (a
/// theme's examples would name another dossier's people): its first
/// sector and its first party.
fn search_examples(d: &Dossier) -> Vec<&str> {
    let sector = d.sectors.first().map(|s| s.title.as_str());
    let party = d.config.parties.first().map(|&a| d.actors[a].name.as_str());
    sector.into_iter().chain(party).collect()
}

/// How many sources the home page lists once the sources' list is split.
const HOME_SOURCES: usize = 10;
/// Figures the home page shows when the editor chose none.
const HOME_FIGURES: usize = 6;

fn home(c: &Ctx, path: String) -> Page {
    let (r, v, d) = (c.r, c.v, c.r.dossier);
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
    let sources: Vec<&SourceCard> = if c.layout.sources.is_split() {
        c.layout
            .sources
            .items
            .iter()
            .rev()
            .take(HOME_SOURCES)
            .map(|&s| &v.sources[s])
            .collect()
    } else {
        v.sources.iter().collect()
    };
    // The editor's choice, or else the first few.
    let key_figures: Vec<&FigureView> = if d.config.key_figures.is_empty() {
        v.figures.iter().take(HOME_FIGURES).collect()
    } else {
        d.config.key_figures.iter().map(|&f| &v.figures[f]).collect()
    };
    Page::new(path, "index.html", "home", d.config.title.clone())
        .with("parties", &parties)
        .with("figures", &key_figures)
        .with("more_figures", &(v.figures.len() > key_figures.len()))
        .with("latest_events", &latest)
        .with("overview", &c.overview)
        .with("sectors", &v.sectors)
        .with("sources", &sources)
        .with("more_sources", &c.layout.sources.is_split())
        .with("pages", &pages)
        .with("links", &section_links(r))
}

/// Hrefs of the section pages, for templates.
pub fn section_links(r: &Renderer) -> BTreeMap<&'static str, String> {
    let routes = r.routes;
    BTreeMap::from([
        ("sectors", href(&routes.sectors())),
        ("chronology", href(&routes.chronology())),
        ("sources", href(&routes.sources())),
        ("actors", href(&routes.actors())),
        ("figures", href(&routes.figures())),
    ])
}

#[derive(Serialize)]
struct ParagraphView<'a> {
    number: usize,
    html: String,
    heading: Option<u8>,
    cited_in: Vec<Link>,
    /// The editor's notes on the paragraph's annotations, in the margin.
    notes: Vec<NoteView>,
    /// What the paragraph's annotations say, for readers who cannot hover.
    tags: ParagraphTags<'a>,
}

#[derive(Serialize, Default)]
struct ParagraphTags<'a> {
    sectors: Vec<&'a Chip>,
    actors: Vec<Link>,
    events: Vec<Link>,
}

#[derive(Serialize)]
struct NoteView {
    number: usize,
    html: String,
    sic: bool,
}

#[derive(Serialize)]
struct SourceMeta<'a> {
    title: &'a str,
    published: Option<&'a str>,
    published_estimate: bool,
    author: Option<&'a str>,
    outlet: Option<&'a str>,
    url: Option<&'a str>,
    /// `url` is a web address, shown as a link (else as text).
    url_is_link: bool,
    license: Option<&'a str>,
    retrieved_from: Option<&'a str>,
    retrieved_from_is_link: bool,
    /// The title is the source's ¶1 (its headline), shown once: the
    /// title carries the ¶1 anchor and the text starts at ¶2.
    headline: bool,
    language: &'a str,
    /// The language's name in the dossier's language (`français`).
    language_name: String,
    kind: &'a str,
    /// The original as the site publishes it (`data/texts/<slug>.txt`).
    original: String,
    note: Option<String>,
    sectors: Vec<&'a Chip>,
    other_language: bool,
    /// The way the source's language is written, when it is not the
    /// dossier's (`rtl` for an Arabic source in a French dossier).
    dir: Option<&'static str>,
    paragraphs: usize,
    annotations: usize,
    /// How to cite the source: author, title, outlet, date.
    citation: String,
    /// The source's address, when the dossier knows where it is published.
    address: Option<String>,
    /// This page's address (a long source's later pages have their own).
    page_address: Option<String>,
}

fn source(c: &Ctx, path: String, i: usize, page: usize) -> Page {
    let s = &c.r.dossier.sources[i];
    let pages = c.layout.source_pages.get(&i);
    let shown = shown_on(pages.map(Vec::as_slice), page, s.paragraphs.len());
    // The headline is the title of the source's first page only.
    let headline = page == 0 && s.opens_with_title();
    let paragraphs = paragraph_views(c, i, shown.clone(), headline);
    let meta = source_meta(c, i, &path, headline);
    // Each page of a long source is named for the browser's tab and the
    // one-file edition's contents by the paragraphs it shows.
    let title = match pages {
        Some(_) => format!("{} (¶{}–¶{})", s.title, shown.start + 1, shown.end),
        None => s.title.clone(),
    };
    Page::new(path, "source.html", "sources", title)
        .with("source", &meta)
        .with("paragraphs", &paragraphs)
        .with("pages", &pages.map(|p| page_menu::source(c.r, s, p, page)))
}

/// What page `page` of a thing shown on several pages shows: its range
/// of the `len` items, or all of them when the thing has one page.
fn shown_on(pages: Option<&[Range<usize>]>, page: usize, len: usize) -> Range<usize> {
    pages.and_then(|p| p.get(page)).cloned().unwrap_or(0..len)
}

/// The paragraphs of source `i` at `shown` (indexes), with what the margin
/// says of each; the headline left out when the title shows it.
fn paragraph_views<'v>(c: &Ctx<'v>, i: usize, shown: Range<usize>, headline: bool) -> Vec<ParagraphView<'v>> {
    let (r, d) = (c.r, c.r.dossier);
    let numbers = shown.start + 1..shown.end + 1;
    let html = r.source_of(i, shown.clone());
    let mut backlinks = cited_in(d, r.routes, i, numbers.clone());
    let mut notes = source_notes(r, i, &numbers);
    let mut tags = paragraph_tags(c.v, &d.sources[i], &numbers);
    d.sources[i].paragraphs[shown]
        .iter()
        .zip(html)
        .skip(usize::from(headline))
        .map(|(p, html)| ParagraphView {
            number: p.number,
            html,
            heading: match p.kind {
                BlockKind::Heading(level) => Some((level + 1).min(6)),
                BlockKind::Paragraph => None,
            },
            cited_in: backlinks.remove(&p.number).unwrap_or_default(),
            notes: notes.remove(&p.number).unwrap_or_default(),
            tags: tags.remove(&p.number).unwrap_or_default(),
        })
        .collect()
}

fn source_meta<'v>(c: &Ctx<'v>, i: usize, path: &str, headline: bool) -> SourceMeta<'v> {
    let (r, v, d) = (c.r, c.v, c.r.dossier);
    let s = &d.sources[i];
    let card = &v.sources[i];
    let address = |page: &str| {
        d.config
            .base_url
            .as_ref()
            .map(|base| format!("{}/{page}", base.trim_end_matches('/')))
    };
    SourceMeta {
        title: &s.title,
        published: card.published.as_deref(),
        published_estimate: card.published_estimate,
        author: s.author.as_deref(),
        outlet: s.outlet.as_deref(),
        url: s.url.as_deref(),
        url_is_link: s.url.as_deref().is_some_and(is_web_address),
        license: s.license.as_deref(),
        retrieved_from: s.retrieved_from.as_deref(),
        retrieved_from_is_link: s.retrieved_from.as_deref().is_some_and(is_web_address),
        headline,
        language: &s.language,
        language_name: r.i18n.label("language", &s.language),
        kind: &card.kind,
        original: href(&r.routes.text(&s.slug)),
        note: s.note.as_ref().map(|m| r.markdown(m)),
        sectors: s.sectors.iter().map(|&x| &v.sector_chips[x]).collect(),
        other_language: s.language != d.config.language,
        dir: super::direction::unlike(&s.language, &d.config.language),
        paragraphs: s.paragraphs.len(),
        annotations: s.annotations.len(),
        citation: citation(r, s, card.published.as_deref()),
        address: address(&r.routes.source(&s.slug)),
        page_address: address(path),
    }
}

/// A source as a reference: `Author, « Title », Outlet, date`, each part
/// the source has, the title quoted as the language quotes.
fn citation(r: &Renderer, s: &Source, published: Option<&str>) -> String {
    let quote = r.i18n.strings.get("cite_title").map_or("“{title}”", String::as_str);
    let title = quote.replace("{title}", &s.title);
    let parts = [
        s.author.as_deref(),
        Some(title.as_str()),
        s.outlet.as_deref(),
        published,
    ];
    parts.into_iter().flatten().collect::<Vec<_>>().join(", ")
}

/// The editor's notes of a source, numbered in order, by paragraph.
fn source_notes(r: &Renderer, i: usize, numbers: &Range<usize>) -> FxHashMap<usize, Vec<NoteView>> {
    let s = &r.dossier.sources[i];
    let mut out: FxHashMap<usize, Vec<NoteView>> = FxHashMap::default();
    let notes = &r.dossier.index.source_notes[i];
    for n in r.dossier.notes_of(i, numbers) {
        let ann = &s.annotations[notes[n]];
        out.entry(ann.paragraph).or_default().push(NoteView {
            number: n + 1,
            html: ann.note.as_ref().map(|m| r.markdown_inline(m)).unwrap_or_default(),
            sic: ann.sic,
        });
    }
    out
}

/// The sectors, actors and events each paragraph's annotations name, each
/// once, in the order they first appear. A paragraph can carry thousands
/// of annotations: what it names already is looked up, not searched for.
fn paragraph_tags<'v>(v: &'v Views, s: &Source, numbers: &Range<usize>) -> FxHashMap<usize, ParagraphTags<'v>> {
    let mut out: FxHashMap<usize, ParagraphTags> = FxHashMap::default();
    let link = |href: &str, text: &str| Link {
        href: href.to_string(),
        text: text.to_string(),
    };
    let (mut sectors, mut actors, mut events) = (FxHashSet::default(), FxHashSet::default(), FxHashSet::default());
    for run in s.annotations[s.annotations_of(numbers)].chunk_by(|a, b| a.paragraph == b.paragraph) {
        let mut tags = ParagraphTags::default();
        for a in run {
            for &s in &a.sectors {
                if sectors.insert(s) {
                    tags.sectors.push(&v.sector_chips[s]);
                }
            }
            for &x in a.actors.iter().chain(&a.said) {
                if actors.insert(x) {
                    tags.actors.push(link(&v.actors[x].href, &v.actors[x].name));
                }
            }
            if let Some(e) = a.event.filter(|e| events.insert(*e)) {
                tags.events.push(link(&v.events[e].href, &v.events[e].title));
            }
        }
        out.insert(run[0].paragraph, tags);
        sectors.clear();
        actors.clear();
        events.clear();
    }
    out
}

#[derive(Serialize)]
struct ActorGroup<'a> {
    label: String,
    actors: Vec<&'a ActorCard>,
}

fn actors(c: &Ctx, path: String, page: usize) -> Page {
    let (r, v, d) = (c.r, c.v, c.r.dossier);
    let layout = c.layout;
    let pages = layout.actor_pages.as_deref();
    let shown = shown_on(pages, page, layout.actor_order.len());
    let order = &layout.actor_order[shown];
    let groups: Vec<ActorGroup> = order
        .chunk_by(|&a, &b| d.actors[a].kind == d.actors[b].kind)
        .map(|run| {
            let kind = d.actors[run[0]].kind;
            // "Personne" over one person, "Personnes" over two: on a page
            // of the index, its own.
            let label = r.i18n.actor_kind(kind.as_str(), run.len() as u64);
            ActorGroup {
                label,
                actors: run.iter().map(|&a| &v.actors[a]).collect(),
            }
        })
        .collect();
    let title = r.i18n.strings.get("actors").cloned().unwrap_or_default();
    Page::new(path, "actors.html", "actors", title)
        .with("groups", &groups)
        .with(
            "pages",
            &pages.map(|p| page_menu::actors(r, &layout.actor_order, p, page)),
        )
}

#[cfg(test)]
mod edition_tests {
    use super::*;

    fn when(year: i32, month: Option<u8>) -> split::When {
        split::When {
            year: Some(year),
            month,
        }
    }

    fn period(year: i32, month: Option<u8>, page: usize) -> split::Period {
        split::Period {
            year: Some(year),
            month,
            page,
        }
    }

    /// The plan for sources alone (`items`: their periods and weights, in
    /// date order), with `budget` per edition.
    fn of_sources(items: &[(split::When, usize)], budget: usize) -> EditionPlan {
        let order: Vec<usize> = (0..items.len()).collect();
        let (dates, weights): (Vec<_>, Vec<_>) = items.iter().copied().unzip();
        EditionPlan::of(&order, 0, &sequence(&dates, &weights, &[], &[]), budget)
    }

    #[test]
    fn a_year_too_big_for_one_edition_is_split_by_month_and_each_source_placed_once() {
        // Sources 0–1 in 2023 (light); 2–4 in 2024, too heavy together.
        let items = [
            (when(2023, Some(1)), 10),
            (when(2023, Some(5)), 10),
            (when(2024, None), 10),
            (when(2024, Some(3)), 60),
            (when(2024, Some(7)), 60),
        ];
        let plan = of_sources(&items, 100);
        assert_eq!(
            plan.files("sans-date", "acteurs"),
            [
                "dossier.html",
                "dossier-2023.html",
                "dossier-2024.html",
                "dossier-2024-03.html",
                "dossier-2024-07.html"
            ]
        );
        assert_eq!(plan.of_source, [1, 1, 2, 3, 4]);
    }

    #[test]
    fn a_page_of_the_chronology_goes_with_its_periods_sources_or_has_an_edition_of_its_own() {
        let dates = [
            split::When::default(), // undated
            when(2019, None),       // dated to the year only
            when(2019, Some(4)),
            when(2024, Some(3)),
            when(2024, Some(3)),
            when(2024, Some(7)),
        ];
        let march = Some(when(2024, Some(3)));
        let january = Some(when(2024, Some(1)));
        // (the page's period, the year's first month in the chronology)
        let cases = [
            // Its own period's sources: after them.
            ((when(2024, Some(3)), march), (when(2024, Some(3)), 2)),
            ((when(2019, None), None), (when(2019, None), 2)),
            // A year's own pages, when no source is dated to the year
            // only: before the year's first source or first month of the
            // chronology, whichever comes first, in its period.
            ((when(2024, None), march), (when(2024, Some(3)), 0)),
            ((when(2024, None), january), (when(2024, Some(1)), 0)),
            ((when(1962, None), Some(when(1962, Some(5)))), (when(1962, Some(5)), 0)),
            // A month or a year without sources: its own period.
            ((when(2024, Some(5)), march), (when(2024, Some(5)), 2)),
            ((when(2021, Some(6)), None), (when(2021, Some(6)), 2)),
            ((when(1962, None), None), (when(1962, None), 2)),
        ];
        for ((at, first_month), expected) in cases {
            assert_eq!(chronology_place(&dates, at, first_month), expected, "{at:?}");
        }
        assert_eq!(chronology_place(&[], when(2024, None), None), (when(2024, None), 2));
    }

    #[test]
    fn the_chronology_follows_its_sources_and_what_an_edition_cannot_take_goes_to_the_next() {
        // Sources in March and July 2024; the chronology of 2020 (a year
        // without sources), of 2024 (the year's own page), of March (its
        // sources') and of May (no source).
        let dates = [when(2024, Some(3)), when(2024, Some(3)), when(2024, Some(7))];
        let chronology = [
            (period(2020, None, 1), 5),
            (period(2024, None, 1), 5),
            (period(2024, Some(3), 1), 40),
            (period(2024, Some(3), 2), 40),
            (period(2024, Some(3), 3), 40),
            (period(2024, Some(5), 1), 20),
        ];
        let sequence = sequence(&dates, &[10, 10, 10], &[], &chronology);
        let pieces: Vec<Piece> = sequence.iter().map(|&(_, _, piece)| piece).collect();
        use Piece::{Chronology, Source};
        assert_eq!(
            pieces,
            [
                Chronology(0),
                Chronology(1),
                Source(0),
                Source(1),
                Chronology(2),
                Chronology(3),
                Chronology(4),
                Chronology(5),
                Source(2)
            ]
        );
        // Sources 2 and 0 in March, 1 in July. March's sources and its
        // chronology weigh 145: the pages that would pass the budget go
        // to March's next edition, never past the budget.
        let plan = EditionPlan::of(&[2, 0, 1], chronology.len(), &sequence, 90);
        assert_eq!(
            plan.files("sans-date", "acteurs")[1..],
            [
                "dossier-2020.html",
                "dossier-2024-03.html",
                "dossier-2024-03-p2.html",
                "dossier-2024-05.html",
                "dossier-2024-07.html"
            ]
        );
        assert_eq!(plan.of_source, [2, 5, 2]);
        // The year's page and March's first with March's sources (65);
        // its second and third in the next edition (80).
        assert_eq!(plan.of_chronology, [1, 2, 2, 3, 3, 4]);
    }

    #[test]
    fn the_pages_of_a_source_heavier_than_an_edition_go_to_the_next_ones() {
        // The first source in date order (the dossier's source 1), in
        // March, shown on three pages of 60, 60 and 50; the second (source
        // 0) in March too, of 30.
        let dates = [when(2024, Some(3)), when(2024, Some(3))];
        let later_pages = [(0, vec![60, 50])];
        let sequence = sequence(&dates, &[60, 30], &later_pages, &[]);
        let pieces: Vec<Piece> = sequence.iter().map(|&(_, _, piece)| piece).collect();
        use Piece::{Source, SourcePage};
        assert_eq!(pieces, [Source(0), SourcePage(0, 1), SourcePage(0, 2), Source(1)]);
        let plan = EditionPlan::of(&[1, 0], 0, &sequence, 100);
        assert_eq!(
            plan.files("sans-date", "acteurs")[1..],
            [
                "dossier-2024-03.html",
                "dossier-2024-03-p2.html",
                "dossier-2024-03-p3.html"
            ]
        );
        // Each of source 1's pages in an edition of its own, the last
        // with source 0; a source on one page has its first page's.
        assert_eq!(plan.of_source, [3, 1]);
        assert_eq!(
            [
                plan.of_source_page(1, 1),
                plan.of_source_page(1, 2),
                plan.of_source_page(0, 1)
            ],
            [2, 3, 3]
        );
    }

    #[test]
    fn a_chronology_heavier_than_an_edition_takes_editions_of_its_own() {
        // One source in 2024; events of the years 1950–1999, which no
        // source was published in: each year's own page (the list of its
        // months, empty) and six pages of January, 180 a year, would make
        // the source's edition ninety times the budget.
        let chronology: Vec<(split::Period, usize)> = (1950..2000)
            .flat_map(|year| {
                let january = (1..=6).map(move |page| (period(year, Some(1), page), 30));
                std::iter::once((period(year, None, 1), 0)).chain(january)
            })
            .collect();
        let sequence = sequence(&[when(2024, Some(3))], &[10], &[], &chronology);
        let budget = 100;
        let plan = EditionPlan::of(&[0], chronology.len(), &sequence, budget);
        let files = plan.files("sans-date", "acteurs");
        let mut weights = vec![0; files.len()];
        weights[plan.of_source[0]] += 10;
        for (page, &edition) in plan.of_chronology.iter().enumerate() {
            weights[edition] += chronology[page].1;
        }
        // Nothing in dossier.html, no edition past the budget, and none
        // that only a year's empty page would make.
        assert_eq!(weights[0], 0, "{weights:?}");
        assert!(weights[1..].iter().all(|&w| w > 0 && w <= budget), "{weights:?}");
        // A year's pages in its own editions, January in two of 90 and
        // 90, the year's page opening the first.
        let year = 1975 - 1950;
        let editions = &plan.of_chronology[7 * year..7 * year + 7];
        assert_eq!(
            editions.iter().map(|&e| files[e].as_str()).collect::<Vec<_>>(),
            [
                "dossier-1975-01.html",
                "dossier-1975-01.html",
                "dossier-1975-01.html",
                "dossier-1975-01.html",
                "dossier-1975-01-p2.html",
                "dossier-1975-01-p2.html",
                "dossier-1975-01-p2.html"
            ]
        );
        assert_eq!(files.len(), 1 + 50 * 2 + 1, "{files:?}");
        assert_eq!(files[plan.of_source[0]], "dossier-2024.html");
    }

    #[test]
    fn actors_too_heavy_for_dossier_html_take_editions_of_their_own_after_the_years() {
        let items = [(when(2023, Some(1)), 10), (when(2024, Some(3)), 10)];
        let mut plan = of_sources(&items, 15);
        // Actors 2, 0, 1 in the index's order.
        let order = [2, 0, 1];
        let mb = 1_000_000;
        plan.place_actors(&order, vec![12 * mb, 9 * mb, 9 * mb], 30 * mb);
        assert_eq!(plan.actor_editions(), 0, "they fit in dossier.html");
        assert_eq!([0, 1, 2].map(|a| plan.of_actor(a)), [0, 0, 0]);
        plan.place_actors(&order, vec![12 * mb, 9 * mb, 9 * mb], 20 * mb);
        assert_eq!(
            plan.files("sans-date", "acteurs"),
            [
                "dossier.html",
                "dossier-2023.html",
                "dossier-2024.html",
                "dossier-acteurs-1.html",
                "dossier-acteurs-2.html"
            ]
        );
        // 12 + 9 MB would pass an edition's 20: a second edition, in the
        // index's order.
        assert_eq!([0, 1, 2].map(|a| plan.of_actor(a)), [4, 4, 3]);
    }

    #[test]
    fn a_months_chronology_in_pages_fills_its_editions_in_order() {
        // Five sources in May 2024, then June; each of May's five pages
        // of chronology and June's two weighs as much as a source.
        let mut dates = vec![when(2024, Some(5)); 5];
        dates.push(when(2024, Some(6)));
        let may = (1..=5).map(|page| (period(2024, Some(5), page), 40));
        let june = (1..=2).map(|page| (period(2024, Some(6), page), 40));
        let chronology: Vec<_> = may.chain(june).collect();
        let sequence = sequence(&dates, &[40; 6], &[], &chronology);
        let plan = EditionPlan::of(&[0, 1, 2, 3, 4, 5], chronology.len(), &sequence, 100);
        assert_eq!(
            plan.files("sans-date", "acteurs")[1..],
            [
                "dossier-2024-05.html",
                "dossier-2024-05-p2.html",
                "dossier-2024-05-p3.html",
                "dossier-2024-05-p4.html",
                "dossier-2024-05-p5.html",
                "dossier-2024-06.html",
                "dossier-2024-06-p2.html"
            ]
        );
        assert_eq!(plan.of_source, [1, 1, 2, 2, 3, 6]);
        assert_eq!(plan.of_chronology, [3, 4, 4, 5, 5, 6, 7]);
    }
}
