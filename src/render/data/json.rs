//! `data/dossier.json`: the whole dossier as data — every source with its
//! paragraphs and annotations, every sector, actor, event and figure with
//! their citations. Its shape is `schema/dossier.schema.json`; references
//! are slugs, citations are (source slug, ¶ number, annotation index).

use std::io::{self, Write};

use serde::Serialize;

use super::Exporter;
use crate::model::{BlockKind, Citation, Dossier, EdtfDate, Precision};

/// Bumped when a field changes meaning or disappears.
pub const FORMAT: &str = "dossier-json/1";

#[derive(Serialize)]
struct Export<'a> {
    format: &'static str,
    title: &'a str,
    subtitle: Option<&'a str>,
    description: Option<&'a str>,
    language: &'a str,
    parties: Vec<&'a str>,
    sectors: Vec<SectorJson<'a>>,
    actors: Vec<ActorJson<'a>>,
    events: Vec<EventJson<'a>>,
    figures: Vec<FigureJson<'a>>,
    sources: Vec<SourceJson<'a>>,
}

#[derive(Serialize)]
pub struct CitationJson<'a> {
    pub source: &'a str,
    pub paragraph: usize,
    pub annotation: usize,
    pub url: String,
}

#[derive(Serialize)]
pub struct DateJson {
    /// As written (EDTF).
    pub edtf: String,
    /// First and last day it can mean; `None` for an open end.
    pub start: Option<String>,
    pub end: Option<String>,
    pub precision: &'static str,
}

#[derive(Serialize)]
struct SectorJson<'a> {
    slug: &'a str,
    title: &'a str,
    order: i64,
    color: &'a str,
    summary: &'a str,
    url: String,
    passages: Vec<CitationJson<'a>>,
}

#[derive(Serialize)]
struct ActorJson<'a> {
    slug: &'a str,
    name: &'a str,
    kind: &'static str,
    country: Option<&'a str>,
    role: Option<&'a str>,
    aliases: &'a [String],
    url: String,
    mentions: Vec<CitationJson<'a>>,
    statements: Vec<CitationJson<'a>>,
}

#[derive(Serialize)]
struct EventJson<'a> {
    slug: &'a str,
    title: &'a str,
    date: DateJson,
    kind: Option<&'a str>,
    status: Option<&'a str>,
    sectors: Vec<&'a str>,
    actors: Vec<&'a str>,
    url: String,
    citations: Vec<CitationJson<'a>>,
}

#[derive(Serialize)]
struct FigureJson<'a> {
    slug: &'a str,
    /// As written: digits with an optional decimal point.
    value: &'a str,
    unit: Option<&'a str>,
    label: &'a str,
    sectors: Vec<&'a str>,
    url: String,
    citations: Vec<CitationJson<'a>>,
}

#[derive(Serialize)]
struct SourceJson<'a> {
    slug: &'a str,
    title: &'a str,
    published: Option<DateJson>,
    author: Option<&'a str>,
    outlet: Option<&'a str>,
    url: Option<&'a str>,
    language: &'a str,
    kind: &'a str,
    note: Option<&'a str>,
    sectors: Vec<&'a str>,
    page: String,
    paragraphs: Vec<ParagraphJson<'a>>,
    annotations: Vec<AnnotationJson<'a>>,
}

#[derive(Serialize)]
struct ParagraphJson<'a> {
    number: usize,
    /// `paragraph`, or `heading` for a sub-heading of the original.
    kind: &'static str,
    text: &'a str,
}

#[derive(Serialize)]
struct AnnotationJson<'a> {
    index: usize,
    paragraph: usize,
    text: &'a str,
    /// Character offsets of `text` in its paragraph's `text`.
    start: usize,
    end: usize,
    sectors: Vec<&'a str>,
    actors: Vec<&'a str>,
    said: Option<&'a str>,
    date: Option<DateJson>,
    event: Option<&'a str>,
    figure: Option<&'a str>,
    note: Option<&'a str>,
    sic: bool,
    lang: Option<&'a str>,
}

pub fn dossier(x: &Exporter, w: &mut dyn Write) -> io::Result<()> {
    let d = x.dossier;
    let export = Export {
        format: FORMAT,
        title: &d.config.title,
        subtitle: d.config.subtitle.as_deref(),
        description: d.config.description.as_deref(),
        language: &d.config.language,
        parties: d.config.parties.iter().map(|&a| d.actors[a].slug.as_str()).collect(),
        sectors: sectors(x),
        actors: actors(x),
        events: d.events.iter().enumerate().map(|(i, _)| event(x, i)).collect(),
        figures: figures(x),
        sources: d.sources.iter().enumerate().map(|(i, _)| source(x, i)).collect(),
    };
    let mut json = serde_json::to_string_pretty(&export).expect("plain data serialises");
    json.push('\n');
    w.write_all(json.as_bytes())
}

pub fn citations<'a>(x: &Exporter<'a>, list: &[Citation]) -> Vec<CitationJson<'a>> {
    list.iter()
        .map(|c| CitationJson {
            source: &x.dossier.sources[c.source].slug,
            paragraph: c.paragraph,
            annotation: c.annotation,
            url: x.citation_url(c),
        })
        .collect()
}

pub fn date(date: &EdtfDate) -> DateJson {
    let known = |day: chrono::NaiveDate| {
        (day != chrono::NaiveDate::MIN && day != chrono::NaiveDate::MAX).then(|| day.to_string())
    };
    DateJson {
        edtf: date.to_string(),
        start: known(date.earliest()),
        end: known(date.latest()),
        precision: match date.precision() {
            Precision::Day => "day",
            Precision::Month => "month",
            Precision::Year => "year",
        },
    }
}

fn slugs<'a>(d: &'a Dossier, ids: &[usize], of: fn(&'a Dossier, usize) -> &'a str) -> Vec<&'a str> {
    ids.iter().map(|&i| of(d, i)).collect()
}

fn sector_slug(d: &Dossier, i: usize) -> &str {
    &d.sectors[i].slug
}

fn actor_slug(d: &Dossier, i: usize) -> &str {
    &d.actors[i].slug
}

fn sectors<'a>(x: &Exporter<'a>) -> Vec<SectorJson<'a>> {
    let d = x.dossier;
    d.sectors
        .iter()
        .enumerate()
        .map(|(i, s)| SectorJson {
            slug: &s.slug,
            title: &s.title,
            order: s.order,
            color: &s.color,
            summary: &s.summary,
            url: x.url(&x.routes.sector(&s.slug)),
            passages: citations(x, &d.index.sector_passages[i]),
        })
        .collect()
}

fn actors<'a>(x: &Exporter<'a>) -> Vec<ActorJson<'a>> {
    let d = x.dossier;
    d.actors
        .iter()
        .enumerate()
        .map(|(i, a)| ActorJson {
            slug: &a.slug,
            name: &a.name,
            kind: a.kind.as_str(),
            country: a.country.as_deref(),
            role: a.role.as_deref(),
            aliases: &a.aliases,
            url: x.url(&x.routes.actor(&a.slug)),
            mentions: citations(x, &d.index.actor_mentions[i]),
            statements: citations(x, &d.index.actor_statements[i]),
        })
        .collect()
}

fn event<'a>(x: &Exporter<'a>, i: usize) -> EventJson<'a> {
    let d = x.dossier;
    let e = &d.events[i];
    EventJson {
        slug: &e.slug,
        title: &e.title,
        date: date(&e.date),
        kind: e.kind.as_deref(),
        status: e.status.as_deref(),
        sectors: slugs(d, &e.sectors, sector_slug),
        actors: slugs(d, &e.actors, actor_slug),
        url: x.url(&x.routes.event(&e.slug)),
        citations: citations(x, &e.citations),
    }
}

fn figures<'a>(x: &Exporter<'a>) -> Vec<FigureJson<'a>> {
    let d = x.dossier;
    d.figures
        .iter()
        .map(|f| FigureJson {
            slug: &f.slug,
            value: &f.value,
            unit: f.unit.as_deref(),
            label: &f.label,
            sectors: slugs(d, &f.sectors, sector_slug),
            url: x.url(&x.routes.figure(&f.slug)),
            citations: citations(x, &f.citations),
        })
        .collect()
}

fn source<'a>(x: &Exporter<'a>, i: usize) -> SourceJson<'a> {
    let d = x.dossier;
    let s = &d.sources[i];
    SourceJson {
        slug: &s.slug,
        title: &s.title,
        published: s.published.as_ref().map(date),
        author: s.author.as_deref(),
        outlet: s.outlet.as_deref(),
        url: s.url.as_deref(),
        language: &s.language,
        kind: &s.kind,
        note: s.note.as_ref().map(|m| m.text.as_str()),
        sectors: slugs(d, &s.sectors, sector_slug),
        page: x.url(&x.routes.source(&s.slug)),
        paragraphs: s
            .paragraphs
            .iter()
            .map(|p| ParagraphJson {
                number: p.number,
                kind: match p.kind {
                    BlockKind::Paragraph => "paragraph",
                    BlockKind::Heading(_) => "heading",
                },
                text: &p.plain,
            })
            .collect(),
        annotations: s
            .annotations
            .iter()
            .enumerate()
            .map(|(index, a)| {
                let plain = &s.paragraphs[a.paragraph - 1].plain;
                AnnotationJson {
                    index,
                    paragraph: a.paragraph,
                    text: &a.text,
                    start: plain[..a.plain_range.start].chars().count(),
                    end: plain[..a.plain_range.end].chars().count(),
                    sectors: slugs(d, &a.sectors, sector_slug),
                    actors: slugs(d, &a.actors, actor_slug),
                    said: a.said.map(|s| d.actors[s].slug.as_str()),
                    date: a.date.as_ref().map(date),
                    event: a.event.map(|e| d.events[e].slug.as_str()),
                    figure: a.figure.map(|f| d.figures[f].slug.as_str()),
                    note: a.note.as_ref().map(|m| m.text.as_str()),
                    sic: a.sic,
                    lang: a.lang.as_deref(),
                }
            })
            .collect(),
    }
}
