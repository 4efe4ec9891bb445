//! The site's pages: which exist, where each is written, which template
//! renders it and the small context it gets.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use tera::Context;

use super::context::{ActorCard, Chip, EventView, FigureView, Link, SourceCard, Views, cited_in};
use super::html::Renderer;
use super::layout::{ANNOTATION_WEIGHT, Layout};
use super::lists::{self, Ctx};
use super::onefile::Placement;
use super::page_menu;
use super::routes::{Routes, href};
use super::split;
use crate::diagnostic::Diagnostic;
use crate::load::Theme;
use crate::model::entities::is_web_address;
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
            PageKind::Source(i) | PageKind::SourcePage(i, _) => Placement::In(editions.of_source(i)),
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
    /// The edition of each source.
    of_source: Vec<usize>,
    /// The editions of each period: a month's, or a year's when it is not
    /// split by month (or for its sources dated to the year only).
    editions_of: BTreeMap<(i32, Option<u8>), Range<usize>>,
    /// The first edition of each year.
    first_of_year: BTreeMap<i32, usize>,
    /// The edition of each part of the chronology.
    of_chronology: Vec<usize>,
    /// The source whose edition takes the chronology of a month or a
    /// year that has no source of its own.
    chronology_with: BTreeMap<Orphan, usize>,
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

/// What one edition's sources and its share of their period's chronology
/// may weigh, in estimated bytes of HTML: editions stay under 25 MB.
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

/// A source's part of an edition, in estimated bytes of HTML: its heading
/// and metadata, a frame around each paragraph, the text (escaped, with
/// typography), and each annotation's marks and links. Measured on the
/// shared benchmark corpus (about 19 KB for an article of 22 paragraphs)
/// and on two-paragraph wire items (about 3 KB), where the frames weigh
/// more than the text.
fn part_weight(s: &Source) -> usize {
    let text: usize = s.paragraphs.iter().map(|p| p.plain.len()).sum();
    1_400 + 3 * s.title.len() + 290 * s.paragraphs.len() + text * 11 / 10 + ANNOTATION_WEIGHT * s.annotations.len()
}

/// A part of the chronology with no source of its own, which goes with
/// the source nearest to it (see [`orphan_chronology`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Orphan {
    /// A month of a year that has sources.
    Month(i32, u8),
    /// A year that has none.
    Year(i32),
}

/// The parts of the chronology with no source to go with (`items`: the
/// sources' periods and weights in date order), each with its weight and
/// the position in `items` of the source nearest to it:
/// - a month with pages of its own (`monthly`) in a year that has
///   sources goes with the last of them before it, else the first after
///   it. A month in a year whose chronology is one page (under a list's
///   page budget) goes with the year's first edition, as the page does.
/// - a year without any source goes with the last dated source before
///   it, else the first after it.
///
/// Undated events go with `dossier.html`, as do all events of a dossier
/// without dated sources.
fn orphan_chronology(
    items: &[(split::When, usize)],
    chronology: &BTreeMap<split::When, usize>,
    monthly: &BTreeSet<(i32, u8)>,
) -> Vec<(Orphan, usize, usize)> {
    let mut orphans = Vec::new();
    for (&at, &weight) in chronology {
        let Some(year) = at.year else { continue };
        let after = items.partition_point(|(w, _)| *w < at);
        // The last source before `at` that `keep` takes, else the first
        // after it.
        let nearest = |keep: &dyn Fn(&split::When) -> bool| {
            let kept = |k: &usize| items.get(*k).is_some_and(|(w, _)| keep(w));
            after.checked_sub(1).filter(kept).or(Some(after).filter(kept))
        };
        let year_starts = items.partition_point(|(w, _)| w.year < at.year);
        let year_has_sources = items.get(year_starts).is_some_and(|(w, _)| w.year == at.year);
        let (orphan, nearest) = if year_has_sources {
            let Some(month) = at.month else { continue };
            if !monthly.contains(&(year, month)) || items.get(after).is_some_and(|(w, _)| *w == at) {
                continue;
            }
            (Orphan::Month(year, month), nearest(&|w| w.year == at.year))
        } else {
            (Orphan::Year(year), nearest(&|w| w.year.is_some()))
        };
        if let Some(nearest) = nearest {
            orphans.push((orphan, weight, nearest));
        }
    }
    orphans
}

/// Adds the weight of each part of the chronology without a source to
/// the source it goes with (see [`orphan_chronology`]); gives that
/// source (an index of the dossier's sources, `order` being the sources
/// in the order of `items`) for each such part.
fn attach_orphans(
    order: &[usize],
    items: &mut [(split::When, usize)],
    chronology: &BTreeMap<split::When, usize>,
    monthly: &BTreeSet<(i32, u8)>,
) -> BTreeMap<Orphan, usize> {
    let mut with = BTreeMap::new();
    for (orphan, weight, nearest) in orphan_chronology(items, chronology, monthly) {
        items[nearest].1 += weight;
        with.insert(orphan, order[nearest]);
    }
    with
}

/// `weight`'s share of `whole`, as `weight` is of `total`.
fn share(weight: usize, whole: usize, total: usize) -> usize {
    let share = weight as u128 * whole as u128 / total.max(1) as u128;
    usize::try_from(share).unwrap_or(usize::MAX)
}

impl EditionPlan {
    pub fn new(d: &Dossier, layout: &Layout) -> EditionPlan {
        let weights: Vec<usize> = d.sources.iter().map(part_weight).collect();
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
        // A period's chronology goes with its sources' editions: each
        // source carries a share of it, as its weight is of theirs, so that
        // an edition's sources and its part of the chronology together
        // keep to the budget.
        let mut chronology: BTreeMap<split::When, usize> = BTreeMap::new();
        for (event, &weight) in d.events.iter().zip(&layout.event_weights) {
            *chronology.entry(super::layout::when(&event.date)).or_default() += weight;
        }
        let mut sources: BTreeMap<split::When, usize> = BTreeMap::new();
        for &i in &order {
            *sources.entry(when(i)).or_default() += weights[i];
        }
        let mut items: Vec<(split::When, usize)> = order
            .iter()
            .map(|&i| {
                let at = when(i);
                let share = chronology.get(&at).map_or(0, |&c| share(weights[i], c, sources[&at]));
                (at, weights[i] + share)
            })
            .collect();
        // The chronology of a month or a year without a source goes with
        // the source nearest to it, whose weight carries it.
        let monthly: BTreeSet<(i32, u8)> = layout
            .chronology
            .parts
            .iter()
            .flatten()
            .filter_map(|p| Some((p.period.year?, p.period.month?)))
            .collect();
        let chronology_with = attach_orphans(&order, &mut items, &chronology, &monthly);
        let mut plan = EditionPlan::of(&order, &items, EDITION_BUDGET);
        plan.chronology_with = chronology_with;
        if let Some(parts) = &layout.chronology.parts {
            plan.place_chronology(parts);
        }
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

    /// The plan for the sources `order` (indices, sorted by date), each
    /// weighing what `items` says, with `budget` per edition.
    fn of(order: &[usize], items: &[(split::When, usize)], budget: usize) -> EditionPlan {
        let parts = split::periods(items, budget);
        let mut editions = EditionPlan {
            periods: Vec::with_capacity(parts.len()),
            of_source: vec![0; order.len()],
            ..EditionPlan::default()
        };
        // A year's part for the sources dated to the year only may be
        // empty: it gets no file of its own.
        for part in parts.into_iter().filter(|p| !p.items.is_empty()) {
            let edition = editions.periods.len() + 1;
            for &source in &order[part.items.clone()] {
                editions.of_source[source] = edition;
            }
            if let Some(year) = part.period.year {
                editions.first_of_year.entry(year).or_insert(edition);
                let of_period = editions.editions_of.entry((year, part.period.month));
                of_period.or_insert(edition..edition).end = edition + 1;
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

    /// Places the chronology's `parts` (its pages, in date order): those of
    /// a period with editions of its own are shared among them in turn,
    /// each edition taking its share of the pages in order; those of a
    /// month or a year without a source go with the source that carries
    /// them (`chronology_with`); the others go to their year's first
    /// edition, or to `dossier.html` (undated events).
    fn place_chronology(&mut self, parts: &[split::Part]) {
        let mut placed = Vec::with_capacity(parts.len());
        let mut start = 0;
        while start < parts.len() {
            let period = parts[start].period;
            let pages = parts[start..]
                .iter()
                .take_while(|p| p.period.same_month(&period))
                .count();
            for page in 0..pages {
                placed.push(self.chronology_edition(&period, page, pages));
            }
            start += pages;
        }
        self.of_chronology = placed;
    }

    /// The edition of page `page` (from 0) of the `pages` of the
    /// chronology of `period`.
    fn chronology_edition(&self, period: &split::Period, page: usize, pages: usize) -> usize {
        let Some(year) = period.year else { return 0 };
        if let Some(editions) = self.editions_of.get(&(year, period.month)) {
            return editions.start + page * editions.len() / pages;
        }
        let of_month = period.month.map(|month| Orphan::Month(year, month));
        let carried = of_month
            .and_then(|month| self.chronology_with.get(&month))
            .or_else(|| self.chronology_with.get(&Orphan::Year(year)));
        match carried {
            Some(&source) => self.of_source(source),
            None => self.first_of_year.get(&year).copied().unwrap_or(0),
        }
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
/// the plural rule's name and the forms of `counts.results`.
#[derive(Serialize)]
struct ResultsCount<'a> {
    rule: &'a str,
    /// The forms as JSON, `{"one": "{n} résultat", …}`.
    forms: String,
}

fn results_count<'a>(r: &Renderer<'a>) -> ResultsCount<'a> {
    ResultsCount {
        rule: r.i18n.plural.name(),
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
            .with("links", &search_links(r)),
    }
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
        let order = [0, 1, 2, 3, 4];
        let mut plan = EditionPlan::of(&order, &items, 100);
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
        plan.place_chronology(&chronology(&[
            (Some(2020), None, 1),
            (Some(2023), Some(5), 1),
            (Some(2024), None, 1),
            (Some(2024), None, 2),
            (Some(2024), Some(7), 1),
            (Some(2024), Some(9), 1),
            (Some(2024), Some(9), 2),
        ]));
        // A year without sources and no source to carry it in
        // dossier.html; a month without an edition of its own in its
        // year's first, whatever its page; a month with one in it.
        assert_eq!(plan.of_chronology, [0, 1, 2, 2, 4, 2, 2]);
    }

    #[test]
    fn a_months_chronology_without_sources_goes_with_the_nearest_source_of_its_year() {
        let items = [
            (when(2023, Some(11)), 10),
            (when(2024, Some(3)), 10),
            (when(2024, Some(3)), 10),
            (when(2024, Some(7)), 10),
        ];
        let chronology: BTreeMap<split::When, usize> = [
            (when(2023, Some(11)), 2), // sources of its own: not an orphan
            (when(2024, Some(1)), 3),  // before the year's first source: that one
            (when(2024, Some(5)), 4),  // between: the last one before it
            (when(2024, Some(9)), 5),  // after the last: that one
        ]
        .into_iter()
        .collect();
        let monthly: BTreeSet<(i32, u8)> = [(2023, 11), (2024, 1), (2024, 5), (2024, 9)].into();
        assert_eq!(
            orphan_chronology(&items, &chronology, &monthly),
            [
                (Orphan::Month(2024, 1), 3, 1),
                (Orphan::Month(2024, 5), 4, 2),
                (Orphan::Month(2024, 9), 5, 3)
            ]
        );
        // Undated events, and events dated to the year only, have no
        // month to go with; nor has a month in a year whose chronology is
        // one page.
        let undated: BTreeMap<split::When, usize> = [(split::When::default(), 7), (when(2024, None), 8)].into();
        assert_eq!(orphan_chronology(&items, &undated, &monthly), []);
        assert_eq!(orphan_chronology(&items, &chronology, &BTreeSet::new()), []);
        assert_eq!(orphan_chronology(&[], &chronology, &monthly), []);
    }

    #[test]
    fn a_years_chronology_without_sources_goes_with_the_nearest_dated_source() {
        let items = [
            (split::When::default(), 10), // undated: carries nothing
            (when(2019, None), 10),
            (when(2019, Some(4)), 10),
            (when(2023, Some(2)), 10),
        ];
        let chronology: BTreeMap<split::When, usize> = [
            (when(1962, Some(3)), 1), // before every dated source: the first
            (when(1962, None), 2),    // the same year, to the year only
            (when(2021, Some(6)), 3), // between: the last one before it
            (when(2021, Some(9)), 4), // whatever its month
            (when(2025, None), 5),    // after the last: that one
        ]
        .into_iter()
        .collect();
        // Whether the year's chronology has month pages does not matter:
        // the year goes whole.
        for monthly in [BTreeSet::new(), [(1962, 3), (2021, 6), (2021, 9)].into()] {
            assert_eq!(
                orphan_chronology(&items, &chronology, &monthly),
                [
                    (Orphan::Year(1962), 2, 1),
                    (Orphan::Year(1962), 1, 1),
                    (Orphan::Year(2021), 3, 2),
                    (Orphan::Year(2021), 4, 2),
                    (Orphan::Year(2025), 5, 3)
                ]
            );
        }
        // Only undated sources: no edition of a year to go with.
        assert_eq!(orphan_chronology(&items[..1], &chronology, &BTreeSet::new()), []);
    }

    #[test]
    fn the_source_a_months_chronology_goes_with_carries_its_weight() {
        // Sources 2 and 0 in March 2024, 1 in July; the chronology of May
        // (weight 40) has no source.
        let order = [2, 0, 1];
        let mut items = [
            (when(2024, Some(3)), 10),
            (when(2024, Some(3)), 10),
            (when(2024, Some(7)), 10),
        ];
        let chronology: BTreeMap<split::When, usize> = [(when(2024, Some(5)), 40)].into();
        let with = attach_orphans(&order, &mut items, &chronology, &[(2024, 5)].into());
        assert_eq!(with, BTreeMap::from([(Orphan::Month(2024, 5), 0)]));
        assert_eq!(items.map(|(_, weight)| weight), [10, 50, 10]);
        // Its weight now splits the year: March's second source alone.
        let plan = EditionPlan::of(&order, &items, 55);
        assert_eq!(
            plan.files("sans-date", "acteurs")[1..],
            [
                "dossier-2024-03.html",
                "dossier-2024-03-p2.html",
                "dossier-2024-07.html"
            ]
        );
    }

    #[test]
    fn a_chronology_without_sources_is_placed_in_the_edition_that_carries_it() {
        // January, May and July 2024 in editions of their own; the
        // chronology of June, which has no source, goes with May's last
        // source, not to the year's first edition, and that of 2020 with
        // July's.
        let items = [
            (when(2024, Some(1)), 60),
            (when(2024, Some(5)), 60),
            (when(2024, Some(7)), 60),
        ];
        let mut plan = EditionPlan::of(&[0, 1, 2], &items, 100);
        plan.chronology_with.insert(Orphan::Month(2024, 6), 1);
        plan.chronology_with.insert(Orphan::Year(2020), 2);
        plan.place_chronology(&chronology(&[
            (Some(2020), None, 1),
            (Some(2024), Some(5), 1),
            (Some(2024), Some(6), 1),
            (Some(2024), Some(6), 2),
            (Some(2024), Some(7), 1),
            (Some(2024), Some(8), 1),
        ]));
        assert_eq!(
            plan.files("sans-date", "acteurs")[1..],
            ["dossier-2024-01.html", "dossier-2024-05.html", "dossier-2024-07.html"]
        );
        // 2020, a year without sources, with the source that carries it;
        // August, in no map, still goes to the year's first edition.
        assert_eq!(plan.of_chronology, [3, 2, 2, 2, 3, 1]);
    }

    #[test]
    fn actors_too_heavy_for_dossier_html_take_editions_of_their_own_after_the_years() {
        let items = [(when(2023, Some(1)), 10), (when(2024, Some(3)), 10)];
        let mut plan = EditionPlan::of(&[0, 1], &items, 15);
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

    /// The parts of a chronology, one per `(year, month, page)`.
    fn chronology(periods: &[(Option<i32>, Option<u8>, usize)]) -> Vec<split::Part> {
        periods
            .iter()
            .map(|&(year, month, page)| split::Part {
                period: split::Period { year, month, page },
                items: 0..1,
            })
            .collect()
    }

    #[test]
    fn a_months_chronology_in_pages_is_shared_among_its_editions_in_order() {
        // Five sources in May 2024, two editions of it; then June.
        let mut items = vec![(when(2024, Some(5)), 40); 5];
        items.push((when(2024, Some(6)), 40));
        let order = [0, 1, 2, 3, 4, 5];
        let mut plan = EditionPlan::of(&order, &items, 100);
        assert_eq!(
            plan.files("sans-date", "acteurs")[1..],
            [
                "dossier-2024-05.html",
                "dossier-2024-05-p2.html",
                "dossier-2024-05-p3.html",
                "dossier-2024-06.html"
            ]
        );
        let may = (1..=5).map(|page| (Some(2024), Some(5), page));
        let june = (1..=2).map(|page| (Some(2024), Some(6), page));
        plan.place_chronology(&chronology(&may.chain(june).collect::<Vec<_>>()));
        // Three editions of May share its five pages in order; June's two
        // go to its one.
        assert_eq!(plan.of_chronology, [1, 1, 2, 2, 3, 4, 4]);
    }
}
