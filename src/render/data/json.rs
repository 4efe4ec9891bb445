//! `data/dossier.json`: the whole dossier as data — every source with its
//! paragraphs and annotations, every sector, actor, event and figure with
//! their citations. Its shape is `schema/dossier.schema.json`; references
//! are slugs, citations are (source slug, ¶ number, annotation index).

use std::io::{self, Write};

use serde::Serialize;
use serde_json::value::RawValue;

use super::stream;
use super::{Exporter, lines};
use crate::model::{BlockKind, Citation, Dossier, EdtfDate, Paragraph, Precision, Source};

/// Bumped when a field changes meaning or disappears.
pub const FORMAT: &str = "dossier-json/1";

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
    // then `passages`, written by [`with_citations`]
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
    // then `mentions` and `statements`, written by [`with_citations`]
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
    // then `citations`, written by [`with_citations`]
}

#[derive(Serialize)]
struct FigureJson<'a> {
    slug: &'a str,
    /// As written: digits with an optional decimal point.
    value: &'a str,
    /// `more-than`, `less-than`, `about`, `at-least`, `up-to`, or none.
    bound: Option<&'a str>,
    unit: Option<&'a str>,
    label: &'a str,
    sectors: Vec<&'a str>,
    url: String,
    // then `citations`, written by [`with_citations`]
}

#[derive(Serialize)]
struct SourceJson<'a> {
    slug: &'a str,
    title: &'a str,
    published: Option<DateJson>,
    author: Option<&'a str>,
    outlet: Option<&'a str>,
    url: Option<&'a str>,
    license: Option<&'a str>,
    retrieved_from: Option<&'a str>,
    language: &'a str,
    kind: &'a str,
    note: Option<&'a str>,
    sectors: Vec<&'a str>,
    page: String,
    paragraphs: Vec<ParagraphJson<'a>>,
    /// Each an [`AnnotationJson`], serialised once for this file and
    /// `annotations.jsonl`.
    annotations: &'a [Box<RawValue>],
}

#[derive(Serialize)]
struct ParagraphJson<'a> {
    number: usize,
    /// `paragraph`, or `heading` for a sub-heading of the original.
    kind: &'static str,
    /// The paragraph's text, serialised once for this file and
    /// `paragraphs.jsonl`.
    text: &'a RawValue,
}

#[derive(Serialize)]
pub struct AnnotationJson<'a> {
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

/// One record of a list of dossier.json, written into the file: the
/// `i`th sector, actor…
type Record<'a> = &'a dyn Fn(usize, &mut dyn Write) -> io::Result<()>;

/// `dossier.json`, `paragraphs.jsonl` and `annotations.jsonl`, in one
/// pass over the sources: the dossier's own fields on the first line of
/// dossier.json, then each list with one record (a sector, an actor… a
/// source with its paragraphs and annotations) per line; each paragraph's
/// text and each annotation are serialised once for the three files.
pub fn dossier_and_lines(
    x: &Exporter,
    json: &mut dyn Write,
    paragraphs: &mut dyn Write,
    annotations: &mut dyn Write,
) -> io::Result<()> {
    let d = x.dossier;
    let head: [(&str, Option<&str>); 5] = [
        ("format", Some(FORMAT)),
        ("title", Some(&d.config.title)),
        ("subtitle", d.config.subtitle.as_deref()),
        ("description", d.config.description.as_deref()),
        ("language", Some(&d.config.language)),
    ];
    json.write_all(b"{")?;
    for (name, value) in head {
        stream::member(json, name, &value)?;
        json.write_all(b",")?;
    }
    let parties: Vec<&str> = d.config.parties.iter().map(|&a| d.actors[a].slug.as_str()).collect();
    stream::member(json, "parties", &parties)?;
    let lists: [(&str, usize, Record); 4] = [
        ("sectors", d.sectors.len(), &|i, w| {
            with_citations(x, w, &sector(x, i), sector_lists(d, i))
        }),
        ("actors", d.actors.len(), &|i, w| {
            with_citations(x, w, &actor(x, i), actor_lists(d, i))
        }),
        ("events", d.events.len(), &|i, w| {
            with_citations(x, w, &event(x, i), event_lists(d, i))
        }),
        ("figures", d.figures.len(), &|i, w| {
            with_citations(x, w, &figure(x, i), figure_lists(d, i))
        }),
    ];
    for (name, count, record) in lists {
        write!(json, ",\n\"{name}\":")?;
        stream::each(json, &stream::ARRAY, count, record)?;
    }
    json.write_all(b",\n\"sources\":")?;
    let writers: [(&mut dyn Write, &stream::Frame); 3] = [
        (&mut *json, &stream::ARRAY),
        (&mut *paragraphs, &stream::LINES),
        (&mut *annotations, &stream::LINES),
    ];
    stream::lists(
        writers,
        d.sources.len(),
        |i, [source_out, paragraphs_out, annotations_out]| {
            let s = &d.sources[i];
            let texts = s
                .paragraphs
                .iter()
                .map(|p| raw(&p.plain))
                .collect::<io::Result<Vec<_>>>()?;
            let notes = self::annotations(d, s)
                .iter()
                .map(raw)
                .collect::<io::Result<Vec<_>>>()?;
            source_out.push(&source(x, i, &texts, &notes))?;
            lines::paragraphs(x, s, &texts, paragraphs_out)?;
            lines::annotations(s, &notes, annotations_out)
        },
    )?;
    json.write_all(b"}\n")
}

fn citation<'a>(x: &Exporter<'a>, c: &Citation) -> CitationJson<'a> {
    CitationJson {
        source: &x.dossier.sources[c.source].slug,
        paragraph: c.paragraph,
        annotation: c.annotation,
        url: x.citation_url(c),
    }
}

/// Writes a record, `head`'s members then the citation `lists` as its
/// last members. A list is streamed ([`stream::list`]), never held: a
/// sector of a large dossier is cited hundreds of thousands of times.
fn with_citations<const N: usize>(
    x: &Exporter,
    w: &mut dyn Write,
    head: &impl Serialize,
    lists: [(&str, &[Citation]); N],
) -> io::Result<()> {
    let head = serde_json::to_vec(head)?;
    // A struct serialises as an object: its members, then `}`.
    let Some((b'}', members)) = head.split_last() else {
        return Err(io::Error::other("a record's head is not a JSON object"));
    };
    w.write_all(members)?;
    for (k, (name, list)) in lists.into_iter().enumerate() {
        if k > 0 || members.len() > 1 {
            w.write_all(b",")?;
        }
        write!(w, "\"{name}\":")?;
        stream::list(w, &stream::COMPACT, list.len(), |i, out| {
            out.push(&citation(x, &list[i]))
        })?;
    }
    w.write_all(b"}")
}

fn sector_lists(d: &Dossier, i: usize) -> [(&'static str, &[Citation]); 1] {
    [("passages", &d.index.sector_passages[i])]
}

fn event_lists(d: &Dossier, i: usize) -> [(&'static str, &[Citation]); 1] {
    [("citations", &d.events[i].citations)]
}

fn figure_lists(d: &Dossier, i: usize) -> [(&'static str, &[Citation]); 1] {
    [("citations", &d.figures[i].citations)]
}

fn actor_lists(d: &Dossier, i: usize) -> [(&'static str, &[Citation]); 2] {
    [
        ("mentions", &d.index.actor_mentions[i]),
        ("statements", &d.index.actor_statements[i]),
    ]
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

fn sector<'a>(x: &Exporter<'a>, i: usize) -> SectorJson<'a> {
    let d = x.dossier;
    let s = &d.sectors[i];
    SectorJson {
        slug: &s.slug,
        title: &s.title,
        order: s.order,
        color: &s.color,
        summary: &s.summary,
        url: x.url(x.routes.sector(&s.slug)),
    }
}

fn actor<'a>(x: &Exporter<'a>, i: usize) -> ActorJson<'a> {
    let d = x.dossier;
    let a = &d.actors[i];
    ActorJson {
        slug: &a.slug,
        name: &a.name,
        kind: a.kind.as_str(),
        country: a.country.map(|c| d.actors[c].slug.as_str()),
        role: a.role.as_deref(),
        aliases: &a.aliases,
        url: x.url(x.routes.actor(&a.slug)),
    }
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
        url: x.url(x.routes.event(&e.slug)),
    }
}

fn figure<'a>(x: &Exporter<'a>, i: usize) -> FigureJson<'a> {
    let d = x.dossier;
    let f = &d.figures[i];
    FigureJson {
        slug: &f.slug,
        value: &f.value,
        bound: f.bound.as_deref(),
        unit: f.unit.as_deref(),
        label: &f.label,
        sectors: slugs(d, &f.sectors, sector_slug),
        url: x.url(x.routes.figure(&f.slug)),
    }
}

/// A source's record, its paragraphs' texts and its annotations already
/// serialised.
fn source<'a>(x: &Exporter<'a>, i: usize, texts: &'a [Box<RawValue>], notes: &'a [Box<RawValue>]) -> SourceJson<'a> {
    let d = x.dossier;
    let s = &d.sources[i];
    SourceJson {
        slug: &s.slug,
        title: &s.title,
        published: s.published.as_ref().map(date),
        author: s.author.as_deref(),
        outlet: s.outlet.as_deref(),
        url: s.url.as_deref(),
        license: s.license.as_deref(),
        retrieved_from: s.retrieved_from.as_deref(),
        language: &s.language,
        kind: &s.kind,
        note: s.note.as_ref().map(|m| m.text.as_str()),
        sectors: slugs(d, &s.sectors, sector_slug),
        page: x.url(x.routes.source(&s.slug)),
        paragraphs: s
            .paragraphs
            .iter()
            .zip(texts)
            .map(|(p, text)| ParagraphJson {
                number: p.number,
                kind: paragraph_kind(p),
                text,
            })
            .collect(),
        annotations: notes,
    }
}

/// A value serialised once, to be written as it is into several files.
fn raw(value: &(impl Serialize + ?Sized)) -> io::Result<Box<RawValue>> {
    serde_json::value::to_raw_value(value).map_err(io::Error::from)
}

/// `paragraph`, or `heading` for a sub-heading of the original.
pub fn paragraph_kind(p: &Paragraph) -> &'static str {
    match p.kind {
        BlockKind::Paragraph => "paragraph",
        BlockKind::Heading(_) => "heading",
    }
}

/// A source's annotations, in order: the index of each is its place.
pub fn annotations<'a>(d: &'a Dossier, s: &'a Source) -> Vec<AnnotationJson<'a>> {
    let mut chars = CharOffsets::default();
    s.annotations
        .iter()
        .enumerate()
        .map(|(index, a)| {
            let plain = &s.paragraphs[a.paragraph - 1].plain;
            let start = chars.of(a.paragraph, plain, a.plain_range.start);
            AnnotationJson {
                index,
                paragraph: a.paragraph,
                text: s.words(a),
                start,
                end: start + plain[a.plain_range.clone()].chars().count(),
                sectors: slugs(d, &a.sectors, sector_slug),
                actors: slugs(d, &a.actors, actor_slug),
                said: a.said.map(|s| d.actors[s].slug.as_str()),
                date: a.date.as_deref().map(date),
                event: a.event.map(|e| d.events[e].slug.as_str()),
                figure: a.figure.map(|f| d.figures[f].slug.as_str()),
                note: a.note.as_ref().map(|m| m.text.as_str()),
                sic: a.sic,
                lang: a.lang.as_deref(),
            }
        })
        .collect()
}

/// Character offsets of byte offsets in a paragraph's text, counted on
/// from the previous one: annotations come in the order of their starts,
/// so a paragraph is walked once however many annotations it holds
/// (counting from the paragraph's start for each was quadratic).
#[derive(Default)]
struct CharOffsets {
    paragraph: usize,
    byte: usize,
    chars: usize,
}

impl CharOffsets {
    fn of(&mut self, paragraph: usize, text: &str, byte: usize) -> usize {
        if paragraph != self.paragraph || byte < self.byte {
            *self = CharOffsets {
                paragraph,
                ..CharOffsets::default()
            };
        }
        self.chars += text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json, to_value};

    use super::super::testing::{Fixture, fixtures};
    use super::*;

    #[test]
    fn counts_characters_to_any_offset_in_any_order() {
        let text = "Énergie : « oui », dit-il — 😀 fin";
        let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        let forwards = offsets.clone();
        offsets.reverse();
        let mut chars = CharOffsets::default();
        for (paragraph, offsets) in [(1, &forwards), (1, &offsets), (2, &forwards)] {
            for &byte in offsets {
                assert_eq!(
                    chars.of(paragraph, text, byte),
                    text[..byte].chars().count(),
                    "¶{paragraph} at {byte}"
                );
            }
        }
    }

    /// The whole dossier serialised at once, as it was before it was
    /// streamed: the streamed file must say the same.
    fn at_once(x: &Exporter) -> Value {
        let d = x.dossier;
        let all = |n: usize, record: &dyn Fn(usize) -> Value| (0..n).map(record).collect::<Vec<_>>();
        json!({
            "format": FORMAT,
            "title": d.config.title,
            "subtitle": d.config.subtitle,
            "description": d.config.description,
            "language": d.config.language,
            "parties": d.config.parties.iter().map(|&a| &d.actors[a].slug).collect::<Vec<_>>(),
            "sectors": all(d.sectors.len(), &|i| whole(x, sector(x, i), sector_lists(d, i))),
            "actors": all(d.actors.len(), &|i| whole(x, actor(x, i), actor_lists(d, i))),
            "events": all(d.events.len(), &|i| whole(x, event(x, i), event_lists(d, i))),
            "figures": all(d.figures.len(), &|i| whole(x, figure(x, i), figure_lists(d, i))),
            "sources": all(d.sources.len(), &|i| {
                let s = &d.sources[i];
                let texts: Vec<_> = s.paragraphs.iter().map(|p| raw(&p.plain).unwrap()).collect();
                let notes: Vec<_> = annotations(d, s).iter().map(|a| raw(a).unwrap()).collect();
                to_value(source(x, i, &texts, &notes)).unwrap()
            }),
        })
    }

    /// A record with its citation lists, made whole.
    fn whole<const N: usize>(x: &Exporter, head: impl Serialize, lists: [(&str, &[Citation]); N]) -> Value {
        let mut record = to_value(head).unwrap();
        for (name, list) in lists {
            let list: Vec<CitationJson> = list.iter().map(|c| citation(x, c)).collect();
            record[name] = to_value(list).unwrap();
        }
        record
    }

    #[test]
    fn streams_the_dossier_it_would_serialise_at_once() {
        for f in fixtures() {
            let streamed: Value = serde_json::from_slice(&f.exports()["data/dossier.json"]).unwrap();
            assert_eq!(streamed, at_once(&f.exporter()), "{}", f.name);
        }
    }

    #[test]
    fn writes_one_record_a_line() {
        for f in fixtures() {
            let d = &f.dossier;
            let text = Fixture::text(&f.exports(), "data/dossier.json");
            assert!(text.ends_with("]}\n"));
            let records: Vec<Value> = text
                .lines()
                .filter(|l| l.starts_with('{') && !l.starts_with("{\"format\""))
                .map(|l| serde_json::from_str(l.trim_end_matches(',')).unwrap())
                .collect();
            let expected = d.sectors.len() + d.actors.len() + d.events.len() + d.figures.len() + d.sources.len();
            assert_eq!(records.len(), expected, "{}", f.name);
            let sources = &records[records.len() - d.sources.len()..];
            for (record, s) in sources.iter().zip(&d.sources) {
                assert_eq!(record["slug"], s.slug.as_str());
                assert_eq!(record["paragraphs"].as_array().unwrap().len(), s.paragraphs.len());
                assert_eq!(record["annotations"].as_array().unwrap().len(), s.annotations.len());
            }
        }
    }
}
