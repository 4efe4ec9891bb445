//! Cross-references between the dossier's tables, computed once in a single
//! pass over each table (no page ever scans all sources), and the warnings
//! that only the whole dossier can reveal: a sector nobody tagged, an actor
//! nobody mentions, an event nobody cites.

use std::collections::{BTreeMap, BTreeSet};

use super::links::Citing;
use super::{Citation, Dossier, Index};
use crate::code::Code;
use crate::diagnostic::Diagnostic;

pub fn build(d: &Dossier, citing: Vec<Citing>) -> Index {
    let mut index = Index {
        sector_passages: vec![Vec::new(); d.sectors.len()],
        sector_events: vec![Vec::new(); d.sectors.len()],
        sector_figures: vec![Vec::new(); d.sectors.len()],
        sector_actors: vec![Vec::new(); d.sectors.len()],
        actor_mentions: vec![Vec::new(); d.actors.len()],
        actor_statements: vec![Vec::new(); d.actors.len()],
        actor_events: vec![Vec::new(); d.actors.len()],
        cited_in: BTreeMap::new(),
        source_notes: vec![Vec::new(); d.sources.len()],
    };
    let mut sector_actors = vec![BTreeSet::new(); d.sectors.len()];
    for (s, source) in d.sources.iter().enumerate() {
        for (i, a) in source.annotations.iter().enumerate() {
            let citation = Citation {
                source: s,
                paragraph: a.paragraph,
                annotation: i,
            };
            for &sector in &a.sectors {
                index.sector_passages[sector].push(citation);
                sector_actors[sector].extend(a.actors.iter().chain(&a.said));
            }
            for &actor in &a.actors {
                index.actor_mentions[actor].push(citation);
            }
            if let Some(actor) = a.said {
                index.actor_statements[actor].push(citation);
            }
            if a.note.is_some() {
                index.source_notes[s].push(i);
            }
        }
    }
    for (e, event) in d.events.iter().enumerate() {
        for &sector in &event.sectors {
            index.sector_events[sector].push(e);
            sector_actors[sector].extend(&event.actors);
        }
        for &actor in &event.actors {
            index.actor_events[actor].push(e);
        }
    }
    for (f, figure) in d.figures.iter().enumerate() {
        for &sector in &figure.sectors {
            index.sector_figures[sector].push(f);
        }
    }
    index.sector_actors = sector_actors.into_iter().map(|s| s.into_iter().collect()).collect();
    for (paragraph, owner) in citing {
        index.cited_in.entry(paragraph).or_default().push(owner);
    }
    for owners in index.cited_in.values_mut() {
        owners.sort();
        owners.dedup();
    }
    index
}

/// The most text one paragraph may hold before its page passes the
/// 300 KB that issue 10 sets for every page: the default theme's frame
/// (head, stylesheet, menus) takes about 21 KB, and a paragraph without
/// annotations little more than its text (measured: 258 KB of text, a
/// 280 KB page).
const LONGEST_PARAGRAPH: usize = 280_000;

pub fn warnings(d: &Dossier) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, sector) in d.sectors.iter().enumerate() {
        if d.index.sector_passages[i].is_empty() && d.index.sector_events[i].is_empty() {
            out.push(
                Diagnostic::warning(
                    Code::W0101,
                    &sector.path,
                    0..0,
                    format!("no passage or event is tagged with the sector `{}`", sector.slug),
                )
                .with_help(format!(
                    "tag a passage with `sector={}`, or remove the sector",
                    sector.slug
                )),
            );
        }
    }
    for (i, actor) in d.actors.iter().enumerate() {
        let used = !d.index.actor_mentions[i].is_empty()
            || !d.index.actor_statements[i].is_empty()
            || !d.index.actor_events[i].is_empty()
            || d.config.parties.contains(&i);
        if !used {
            out.push(
                Diagnostic::warning(
                    Code::W0102,
                    &actor.path,
                    0..0,
                    format!("the actor `{}` is never mentioned", actor.slug),
                )
                .with_help(format!(
                    "annotate a mention with `actor={}`, or remove the actor",
                    actor.slug
                )),
            );
        }
    }
    for event in d.events.iter().filter(|e| e.citations.is_empty()) {
        out.push(
            Diagnostic::warning(
                Code::W0103,
                &event.path,
                0..0,
                format!("the event `{}` is never cited", event.slug),
            )
            .with_help(format!(
                "annotate the passage that reports it with `event={}`",
                event.slug
            )),
        );
    }
    for source in d.sources.iter().filter(|s| s.annotations.is_empty()) {
        out.push(
            Diagnostic::warning(Code::W0104, &source.path, 0..0, "this source has no annotation".into())
                .with_help("annotate its passages (`[words]{sector=…}`) so they appear in sectors and the chronology"),
        );
    }
    for source in &d.sources {
        let long = source.paragraphs.iter().filter(|p| p.plain.len() > LONGEST_PARAGRAPH);
        for p in long {
            out.push(
                Diagnostic::warning(
                    Code::W0108,
                    &source.path,
                    p.span.start..p.span.start,
                    format!(
                        "¶{} holds {} KB of text, which its page shows whole: the page will pass the 300 KB a page should weigh to open on a phone",
                        p.number,
                        p.plain.len() / 1000
                    ),
                )
                .with_help("a source's pages are split between paragraphs, never inside one (a list or a table is one paragraph); if the original's paragraph breaks were lost, restore them, in the original and here"),
            );
        }
    }
    for figure in d.figures.iter().filter(|f| f.unit.is_none()) {
        let c = &figure.citations[0];
        let source = &d.sources[c.source];
        let span = source.annotations[c.annotation].span.clone();
        out.push(
            Diagnostic::warning(
                Code::W0105,
                &source.path,
                span,
                format!("the figure `{}` has no unit", figure.slug),
            )
            .with_help("add `unit=\"…\"` (tonnes, dollars, people…) so readers know what the number counts"),
        );
    }
    out
}
