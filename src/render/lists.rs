//! The pages that show a list: a sector, an actor, the chronology, the
//! sources and the figures. Each is one page while its list fits; past its
//! budget, the first page shows the latest items and the periods, and
//! each period has a page of its own (see `layout` and `split`).

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::context::{EventView, FigureView, Link, Views};
use super::html::Renderer;
use super::layout::{Entry, Layout, List};
use super::pages::Page;
use super::parts::{self, PartNav};
use super::passages::{self, PassageGroup};
use super::routes::href;
use super::split::Period;

/// What a list page needs: the renderer, the shared views, the layout.
pub struct Ctx<'a> {
    pub r: &'a Renderer<'a>,
    pub v: &'a Views,
    pub layout: &'a Layout,
    /// What the search page embeds of the search index.
    pub search_data: &'a str,
    /// The chronology's overview chart, shown on it and on the home page.
    pub overview: &'a str,
}

impl Ctx<'_> {
    fn t(&self, key: &str) -> String {
        self.r.i18n.strings.get(key).cloned().unwrap_or_default()
    }

    /// The items a page of `list` shows: a part's, all of them while the
    /// list is whole, the latest once it is split.
    fn shown<T: Copy>(&self, list: &List<T>, part: Option<usize>) -> Vec<T> {
        match part {
            Some(_) => list.part(part).to_vec(),
            None if list.is_split() => list.latest(),
            None => list.items.clone(),
        }
    }

    /// As [`Ctx::shown`], the latest of each kind of entry.
    fn shown_entries(&self, list: &List<Entry>, part: Option<usize>) -> Vec<Entry> {
        match part {
            None if list.is_split() => list.latest_of_each(Entry::kind),
            _ => self.shown(list, part),
        }
    }

    fn nav<T>(
        &self,
        list: &List<T>,
        part: Option<usize>,
        up: Link,
        path: &dyn Fn(&Period) -> String,
    ) -> Option<PartNav> {
        let parts = list.parts.as_ref()?;
        Some(parts::nav(self.r, parts, part, up, path))
    }
}

/// A page's events, passages and statements, in the order of its list.
#[derive(Default, Serialize)]
struct Entries {
    events: Vec<EventView>,
    passages: Vec<PassageGroup>,
    statements: Vec<PassageGroup>,
}

fn entries(c: &Ctx, items: &[Entry]) -> Entries {
    let mut events = Vec::new();
    let mut passages = Vec::new();
    let mut statements = Vec::new();
    for item in items {
        match item {
            Entry::Event(e) => events.push(c.v.events[*e].clone()),
            Entry::Passage(p) => passages.push(p),
            Entry::Statement(p) => statements.push(p),
        }
    }
    Entries {
        events,
        passages: passages::groups(c.r, &passages),
        statements: passages::groups(c.r, &statements),
    }
}

/// A sector's or an actor's period navigation and the entries its page
/// shows; `first` is its first page's path and title, `part_page` the path
/// of a period's page from the period's key.
fn entity_lists(
    c: &Ctx,
    list: &List<Entry>,
    part: Option<usize>,
    first: (String, &str),
    part_page: &dyn Fn(&str) -> String,
) -> (Option<PartNav>, Entries) {
    let up = Link {
        href: href(&first.0),
        text: first.1.to_string(),
    };
    let undated = &c.r.routes.names.undated;
    let nav = c.nav(list, part, up, &|p| part_page(&p.key(undated)));
    (nav, entries(c, &c.shown_entries(list, part)))
}

/// A title with its period: `Énergie — 2024`.
fn titled(title: &str, nav: &Option<PartNav>) -> String {
    match nav.as_ref().and_then(|n| n.current.as_ref()) {
        Some(period) => format!("{title} — {period}"),
        None => title.to_string(),
    }
}

pub fn sector(c: &Ctx, path: String, i: usize, part: Option<usize>) -> Page {
    let (r, v, d) = (c.r, c.v, c.r.dossier);
    let s = &d.sectors[i];
    let list = &c.layout.sectors[i];
    let (nav, shown) = entity_lists(c, list, part, (r.routes.sector(&s.slug), &s.title), &|key| {
        r.routes.sector_part(&s.slug, key)
    });
    let first_page = part.is_none();
    let (actors, more_actors) = if first_page {
        sector_actors(c, i)
    } else {
        (Vec::new(), false)
    };
    let all_figures = &d.index.sector_figures[i];
    let figures: Vec<&FigureView> = all_figures.iter().take(FIGURES_SHOWN).map(|&f| &v.figures[f]).collect();
    Page::new(path, "sector.html", "sectors", titled(&s.title, &nav))
        .with("sector", &v.sectors[i])
        .with(
            "intro",
            &if first_page {
                r.markdown(&s.intro)
            } else {
                String::new()
            },
        )
        .with("figures", &if first_page { figures } else { Vec::new() })
        .with("more_figures", &(first_page && all_figures.len() > FIGURES_SHOWN))
        .with("events", &shown.events)
        .with("passages", &shown.passages)
        .with("actors", &actors)
        .with("more_actors", &more_actors)
        .with("periods", &nav)
        .with("latest", &(first_page && list.is_split()))
        .with("links", &super::pages::section_links(r))
}

/// Figures a sector's page shows; the figures' page has them all.
const FIGURES_SHOWN: usize = 12;

/// How many actors a sector's page names: all of them up to this many,
/// else this many of the most cited in the sector, and a link to the
/// index of every actor.
const ACTORS_SHOWN: usize = 60;

/// The actors a sector's page names, in the index's order or, when they
/// are too many, the most cited first; and whether some are left out.
fn sector_actors(c: &Ctx, i: usize) -> (Vec<Link>, bool) {
    let (v, d) = (c.v, c.r.dossier);
    let involved = &d.index.sector_actors[i];
    let link = |&a: &usize| Link {
        href: v.actors[a].href.clone(),
        text: v.actors[a].name.clone(),
    };
    if involved.len() <= ACTORS_SHOWN {
        return (involved.iter().map(link).collect(), false);
    }
    let mut cited: FxHashMap<usize, usize> = FxHashMap::default();
    for citation in &d.index.sector_passages[i] {
        let a = d.annotation(citation);
        for &actor in a.actors.iter().chain(&a.said) {
            *cited.entry(actor).or_default() += 1;
        }
    }
    for &e in &d.index.sector_events[i] {
        for &actor in &d.events[e].actors {
            *cited.entry(actor).or_default() += 1;
        }
    }
    let mut most: Vec<usize> = involved.clone();
    most.sort_by_key(|a| (std::cmp::Reverse(cited.get(a).copied().unwrap_or(0)), *a));
    (most.iter().take(ACTORS_SHOWN).map(link).collect(), true)
}

pub fn actor(c: &Ctx, path: String, i: usize, part: Option<usize>) -> Page {
    let (r, v, d) = (c.r, c.v, c.r.dossier);
    let a = &d.actors[i];
    let list = &c.layout.actors[i];
    let first_page = r.routes.actor(&a.slug);
    let (nav, shown) = entity_lists(c, list, part, (first_page, &a.name), &|key| {
        r.routes.actor_part(&a.slug, key)
    });
    let first_page = part.is_none();
    Page::new(path, "actor.html", "actors", titled(&a.name, &nav))
        .with("actor", &v.actors[i])
        .with("aliases", &a.aliases)
        .with(
            "profile",
            &if first_page {
                r.markdown(&a.profile)
            } else {
                String::new()
            },
        )
        .with("statements", &shown.statements)
        .with("mentions", &shown.passages)
        .with("events", &shown.events)
        .with("periods", &nav)
        .with("latest", &(first_page && list.is_split()))
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

/// The chronology's page (`part` `None`) or one of its years or months.
pub fn chronology(c: &Ctx, path: String, part: Option<usize>) -> Page {
    let (r, v, d) = (c.r, c.v, c.r.dossier);
    let list = &c.layout.chronology;
    let mut events: Vec<usize> = match part {
        Some(_) => list.part(part).to_vec(),
        None if c.layout.chronology_whole => list.items.clone(),
        None => list.latest(),
    };
    // Events are in chronological order; a year holds the open-start
    // ranges that end in it.
    events.sort_by_key(|&e| (d.events[e].date.year(), e));
    let groups = group_by_year_and_month(r, v, &events);
    let up = Link {
        href: href(&r.routes.chronology()),
        text: c.t("chronology"),
    };
    let nav = c.nav(list, part, up, &|p| {
        r.routes.chronology_part(&p.key(&r.routes.names.undated))
    });
    let year = part
        .and_then(|p| list.parts.as_ref().map(|parts| parts[p].period.year))
        .flatten();
    let mut page = Page::new(path, "chronology.html", "chronology", titled(&c.t("chronology"), &nav))
        .with("years", &groups)
        .with("year", &year)
        .with("periods", &nav)
        .with("sector_chips", &v.sector_chips)
        .with("latest", &(part.is_none() && !c.layout.chronology_whole));
    if part.is_none() {
        page = page.with("overview", &c.overview);
    }
    page
}

fn group_by_year_and_month<'a>(r: &Renderer, v: &'a Views, events: &[usize]) -> Vec<YearView<'a>> {
    let d = r.dossier;
    let mut groups: Vec<YearView> = Vec::new();
    for &e in events {
        let event = &d.events[e];
        let year = event.date.year();
        if groups.last().is_none_or(|g| g.year != year) {
            groups.push(YearView {
                year,
                href: href(&r.routes.year(year)),
                months: Vec::new(),
            });
        }
        let label = match event.date.month() {
            Some(m) => r.i18n.dates.months[m as usize - 1].clone(),
            None => String::new(),
        };
        let months = &mut groups.last_mut().expect("pushed").months;
        if months.last().is_none_or(|m| m.label != label) {
            months.push(MonthView {
                label,
                events: Vec::new(),
            });
        }
        months.last_mut().expect("pushed").events.push(&v.events[e]);
    }
    groups
}

pub fn sources(c: &Ctx, path: String, part: Option<usize>) -> Page {
    let routes = c.r.routes;
    let list = CardList {
        name: "sources",
        template: "sources.html",
        list: &c.layout.sources,
        cards: &c.v.sources,
        first_page: routes.sources(),
        part_page: &|key| routes.sources_part(key),
    };
    list.page(c, path, part)
}

pub fn figures(c: &Ctx, path: String, part: Option<usize>) -> Page {
    let routes = c.r.routes;
    let list = CardList {
        name: "figures",
        template: "figures.html",
        list: &c.layout.figures,
        cards: &c.v.figures,
        first_page: routes.figures(),
        part_page: &|key| routes.figures_part(key),
    };
    list.page(c, path, part)
}

/// A list of cards (the sources, the figures): `name` is its section, its
/// title's i18n key and its cards' name in its template.
struct CardList<'a, V> {
    name: &'static str,
    template: &'static str,
    list: &'a List<usize>,
    cards: &'a [V],
    first_page: String,
    part_page: &'a dyn Fn(&str) -> String,
}

impl<V: Serialize> CardList<'_, V> {
    fn page(&self, c: &Ctx, path: String, part: Option<usize>) -> Page {
        let title = c.t(self.name);
        let up = Link {
            href: href(&self.first_page),
            text: title.clone(),
        };
        let undated = &c.r.routes.names.undated;
        let nav = c.nav(self.list, part, up, &|p| (self.part_page)(&p.key(undated)));
        let shown: Vec<&V> = c.shown(self.list, part).iter().map(|&i| &self.cards[i]).collect();
        Page::new(path, self.template, self.name, titled(&title, &nav))
            .with(self.name, &shown)
            .with("periods", &nav)
            .with("latest", &(part.is_none() && self.list.is_split()))
    }
}
