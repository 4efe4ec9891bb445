//! Which pages the site has, decided once before anything is rendered:
//! every list the site shows (the chronology, a sector's or an actor's
//! events and passages, the sources, the figures) in date order, and for
//! those too big for one page, their split into periods (see `split`).
//! Where each event is shown follows from it, so links to an event go to
//! the page that holds it.

use std::collections::BTreeMap;
use std::ops::Range;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::context::{PARAGRAPHS_SHOWN, SOURCES_SHOWN};
use super::split::{self, PAGE_BUDGET, Part, When};
use crate::model::weight::ANNOTATION_WEIGHT;
use crate::model::{ActorKind, Citation, Dossier, EdtfDate, Source};

/// An item of a sector's or an actor's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Event(usize),
    Passage(Citation),
    Statement(Citation),
}

impl Entry {
    /// Which of the page's lists the entry is shown in.
    pub fn kind(&self) -> usize {
        match self {
            Entry::Event(_) => 0,
            Entry::Passage(_) => 1,
            Entry::Statement(_) => 2,
        }
    }
}

/// A list in date order and, when it is too big for one page, its parts.
#[derive(Debug, Clone)]
pub struct List<T> {
    pub items: Vec<T>,
    pub parts: Option<Vec<Part>>,
    /// The estimated bytes of HTML of all its items.
    pub weight: usize,
}

impl<T: Copy> List<T> {
    fn new(mut dated: Vec<(When, usize, T)>) -> List<T> {
        // Stable: items of the same period keep the order they came in.
        dated.sort_by_key(|(when, _, _)| *when);
        let weights: Vec<(When, usize)> = dated.iter().map(|(w, weight, _)| (*w, *weight)).collect();
        List {
            parts: split::plan(&weights, PAGE_BUDGET),
            weight: weights.iter().map(|(_, weight)| weight).sum(),
            items: dated.into_iter().map(|(_, _, item)| item).collect(),
        }
    }

    /// The items of part `i`, or all of them when the list is whole.
    pub fn part(&self, i: Option<usize>) -> &[T] {
        match (i, &self.parts) {
            (Some(i), Some(parts)) => &self.items[parts[i].items.clone()],
            _ => &self.items,
        }
    }

    /// The latest items, newest first: what the first page of a split
    /// list shows.
    pub fn latest(&self) -> Vec<T> {
        self.latest_of_each(|_| 0)
    }

    /// The latest items of each kind (`kind` tells them apart), newest
    /// first: a sector's latest events are shown even when its latest
    /// hundred items are passages.
    pub fn latest_of_each(&self, kind: impl Fn(&T) -> usize) -> Vec<T> {
        let mut taken: Vec<usize> = Vec::new();
        let mut out = Vec::new();
        for item in self.items.iter().rev() {
            let k = kind(item);
            if taken.len() <= k {
                taken.resize(k + 1, 0);
            }
            if taken[k] < split::LATEST {
                taken[k] += 1;
                out.push(*item);
            }
        }
        out
    }

    pub fn is_split(&self) -> bool {
        self.parts.is_some()
    }

    pub fn part_count(&self) -> usize {
        self.parts.as_ref().map_or(0, Vec::len)
    }
}

pub struct Layout {
    /// Every event; its parts are the chronology's year (and month) pages,
    /// which exist whether or not the chronology page itself is split.
    pub chronology: List<usize>,
    /// Whether `chronology.html` shows every event (or only the latest).
    pub chronology_whole: bool,
    /// The estimated bytes of HTML of each event in the chronology.
    pub event_weights: Vec<usize>,
    pub sectors: Vec<List<Entry>>,
    pub actors: Vec<List<Entry>>,
    pub sources: List<usize>,
    pub figures: List<usize>,
    /// The pages of each source too long for one: ranges of its
    /// paragraphs (indexes into `paragraphs`), the first on the source's
    /// own page. A source not in it has one page.
    pub source_pages: BTreeMap<usize, Vec<Range<usize>>>,
    /// The actors as their index lists them: by kind, then in the
    /// dossier's order.
    pub actor_order: Vec<usize>,
    /// The index's pages, ranges of `actor_order`, when it is too long
    /// for one.
    pub actor_pages: Option<Vec<Range<usize>>>,
}

impl Layout {
    pub fn new(d: &Dossier) -> Layout {
        let event_weights: Vec<usize> = d.events.iter().map(event_weight).collect();
        let event = |e: usize| (when(&d.events[e].date), event_weights[e], e);
        let mut chronology = List::new((0..d.events.len()).map(event).collect());
        let chronology_whole = chronology.parts.is_none();
        if chronology_whole {
            chronology.parts = Some(years(&chronology.items, |&e| d.events[e].date.year()));
        }
        let passage = |c: &Citation, statement: bool| {
            let entry = if statement {
                Entry::Statement(*c)
            } else {
                Entry::Passage(*c)
            };
            (citation_when(d, c), passage_weight(d, c), entry)
        };
        // Each list sorts its entries: hundreds of thousands of passages
        // in a large dossier, sorted on both cores rather than one.
        let sectors = (0..d.sectors.len())
            .into_par_iter()
            .map(|s| {
                let events = d.index.sector_events[s].iter().map(|&e| {
                    let (w, weight, e) = event(e);
                    (w, weight, Entry::Event(e))
                });
                let passages = d.index.sector_passages[s].iter().map(|c| passage(c, false));
                List::new(events.chain(passages).collect())
            })
            .collect();
        let actors = (0..d.actors.len())
            .into_par_iter()
            .map(|a| {
                let events = d.index.actor_events[a].iter().map(|&e| {
                    let (w, weight, e) = event(e);
                    (w, weight, Entry::Event(e))
                });
                let statements = d.index.actor_statements[a].iter().map(|c| passage(c, true));
                let mentions = d.index.actor_mentions[a].iter().map(|c| passage(c, false));
                List::new(events.chain(statements).chain(mentions).collect())
            })
            .collect();
        // By the day, not only the month a list is split by: a small
        // dossier's sources, on one page, read in the order they came out.
        let mut by_date: Vec<usize> = (0..d.sources.len()).collect();
        by_date.sort_by(|&a, &b| match (&d.sources[a].published, &d.sources[b].published) {
            (Some(a), Some(b)) => a.chronological(b),
            (a, b) => a.is_some().cmp(&b.is_some()),
        });
        let sources = List::new(
            by_date
                .into_iter()
                .map(|i| {
                    let s = &d.sources[i];
                    (
                        s.published.as_ref().map(when).unwrap_or_default(),
                        400 + 2 * s.title.len(),
                        i,
                    )
                })
                .collect(),
        );
        let figures = List::new(
            d.figures
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let at = f.citations.first().map(|c| citation_when(d, c)).unwrap_or_default();
                    (at, 500 + 2 * f.label.len() + citations_weight(f.citations.len()), i)
                })
                .collect(),
        );
        let source_pages = d
            .sources
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Some((i, split_source(s, PAGE_BUDGET)?)))
            .collect();
        let (actor_order, actor_pages) = actor_index(d, PAGE_BUDGET);
        Layout {
            chronology,
            chronology_whole,
            event_weights,
            sectors,
            actors,
            sources,
            figures,
            source_pages,
            actor_order,
            actor_pages,
        }
    }

    /// The estimated bytes of HTML of every list's pages: what the lists
    /// add to a one-file edition that holds them all.
    pub fn lists_weight(&self) -> usize {
        let lists = [&self.chronology, &self.sources, &self.figures]
            .into_iter()
            .map(|l| l.weight);
        let entries = self.sectors.iter().chain(&self.actors).map(|l| l.weight);
        lists.sum::<usize>() + entries.sum::<usize>()
    }

    /// The part of the chronology each event is shown on.
    pub fn event_parts(&self) -> FxHashMap<usize, usize> {
        let mut out = FxHashMap::default();
        for (p, part) in self.chronology.parts.iter().flatten().enumerate() {
            for &e in &self.chronology.items[part.items.clone()] {
                out.insert(e, p);
            }
        }
        out
    }
}

/// The pages of a source whose text would pass `budget`: ranges of its
/// paragraphs. `None` for a source that fits one page, as all but the
/// longest reports and transcripts do, and for one whose weight is a
/// single paragraph (a page of its own either way).
fn split_source(s: &Source, budget: usize) -> Option<Vec<Range<usize>>> {
    let frame = paragraph_frame(s);
    // The sum of the paragraphs' weights, without a count per paragraph.
    let text: usize = s.paragraphs.iter().map(|p| p.plain.len()).sum();
    let total = s.paragraphs.len() * frame + text * 11 / 10 + ANNOTATION_WEIGHT * s.annotations.len();
    if total <= budget {
        return None;
    }
    let mut annotations = vec![0; s.paragraphs.len()];
    for a in &s.annotations {
        if let Some(count) = a.paragraph.checked_sub(1).and_then(|i| annotations.get_mut(i)) {
            *count += 1;
        }
    }
    let weights = s
        .paragraphs
        .iter()
        .zip(annotations)
        .map(|(p, count)| frame + p.plain.len() * 11 / 10 + ANNOTATION_WEIGHT * count);
    let pages = split::pieces(weights, budget);
    (pages.len() > 1).then_some(pages)
}

/// The actors in the index's order and, when the index would pass
/// `budget`, its pages.
fn actor_index(d: &Dossier, budget: usize) -> (Vec<usize>, Option<Vec<Range<usize>>>) {
    let mut order: Vec<usize> = (0..d.actors.len()).collect();
    // Stable: within a kind, the dossier's order.
    order.sort_by_key(|&a| ActorKind::ALL.iter().position(|k| *k == d.actors[a].kind));
    let weights: Vec<usize> = order.iter().map(|&a| actor_entry_weight(&d.actors[a])).collect();
    let pages = (weights.iter().sum::<usize>() > budget)
        .then(|| split::pieces(weights, budget))
        .filter(|pages| pages.len() > 1);
    (order, pages)
}

/// Estimated bytes of an actor's entry in the index: a link and a role.
fn actor_entry_weight(a: &crate::model::Actor) -> usize {
    100 + a.slug.len() + 2 * (a.name.len() + a.role.as_ref().map_or(0, String::len))
}

/// Estimated bytes of a paragraph's HTML on its source's page, its words
/// aside: its block, number and citation (which names the source).
fn paragraph_frame(s: &Source) -> usize {
    700 + 2 * s.title.len() + s.author.as_ref().map_or(0, String::len) + s.outlet.as_ref().map_or(0, String::len)
}

/// One part per year, for a chronology that fits whole on its page but
/// still has a page per year.
fn years(events: &[usize], year: impl Fn(&usize) -> i32) -> Vec<Part> {
    let mut parts: Vec<Part> = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let y = year(e);
        match parts.last_mut() {
            Some(p) if p.period.year == Some(y) => p.items.end = i + 1,
            _ => parts.push(Part {
                period: split::Period {
                    year: Some(y),
                    month: None,
                    page: 1,
                },
                items: i..i + 1,
            }),
        }
    }
    parts
}

pub fn when(date: &EdtfDate) -> When {
    When {
        year: Some(date.year()),
        month: date.month().and_then(|m| u8::try_from(m).ok()),
    }
}

/// A passage is dated by its annotation, or else by its source.
fn citation_when(d: &Dossier, c: &Citation) -> When {
    let a = d.annotation(c);
    a.date
        .as_deref()
        .or(d.sources[c.source].published.as_ref())
        .map(when)
        .unwrap_or_default()
}

/// Estimated bytes of an event's HTML wherever it is listed.
fn event_weight(e: &crate::model::Event) -> usize {
    700 + 2 * e.title.len()
        + e.description.text.len() * 5 / 4
        + citations_weight(e.citations.len())
        + 120 * e.sectors.len()
}

/// Estimated bytes of the citations of an event or a figure: a link each,
/// as far as a page shows them ([`SOURCES_SHOWN`], [`PARAGRAPHS_SHOWN`]).
fn citations_weight(citations: usize) -> usize {
    250 * citations.min(SOURCES_SHOWN * PARAGRAPHS_SHOWN)
}

/// Estimated bytes of a passage's HTML on a sector's or actor's page: its
/// words in their sentence, and its source's heading (title, date and two
/// links, counted for every passage). Issue 10: weighing the annotated
/// words alone left the most cited actor's pages at 1.5 times the budget.
fn passage_weight(d: &Dossier, c: &Citation) -> usize {
    let a = d.annotation(c);
    let source = &d.sources[c.source];
    let plain = &source.paragraphs[c.paragraph - 1].plain;
    400 + 2 * source.slug.len() + source.title.len() + super::passage::estimated_len(plain, &a.plain_range) * 11 / 10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_of_each_kind_are_kept_behind_many_of_another() {
        let list = List {
            items: (0..30).collect::<Vec<usize>>(),
            parts: None,
            weight: 0,
        };
        // Five old items of one kind, then 25 newer of another.
        let latest = list.latest_of_each(|&i| usize::from(i >= 5));
        let mut expected: Vec<usize> = (20..30).rev().collect();
        expected.extend((0..5).rev());
        assert_eq!(latest, expected);
        assert_eq!(list.latest(), (20..30).rev().collect::<Vec<_>>());
    }
}
