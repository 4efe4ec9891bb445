//! `data/annotations.jsonld`: every annotation as a W3C Web Annotation
//! (<https://www.w3.org/TR/annotation-model/>), its target anchored twice in
//! the source's plain text — a `TextQuoteSelector` (the words, with what
//! comes before and after) and a `TextPositionSelector` (character
//! offsets) — and its keys as tagging bodies.
//!
//! The plain text is published beside it (`data/texts/<slug>.txt`): the
//! source's paragraphs as the fidelity check compares them (NFC, white
//! space collapsed), separated by blank lines. It is therefore also the
//! original's text, normalised the same way: the selectors anchor in both.

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};

use super::Exporter;
use crate::model::fidelity::normalise;
use crate::model::{Annotation, Dossier, Source};

/// Characters of context kept on each side by a `TextQuoteSelector`.
const CONTEXT: usize = 32;

pub fn text_path(slug: &str) -> String {
    format!("texts/{slug}.txt")
}

/// Each source's plain text, by slug.
pub fn texts(x: &Exporter) -> Vec<(String, String)> {
    x.dossier
        .sources
        .iter()
        .map(|s| (s.slug.clone(), plain_text(s).text))
        .collect()
}

/// A source's normalised text, its paragraphs, and where each starts in it
/// (in characters).
struct PlainText {
    text: String,
    chars: Vec<char>,
    paragraphs: Vec<String>,
    paragraph_starts: Vec<usize>,
}

fn plain_text(s: &Source) -> PlainText {
    let paragraphs: Vec<String> = s.paragraphs.iter().map(|p| normalise(&p.plain)).collect();
    let joined = paragraphs.join("\n\n");
    // Selectors see the paragraphs only; the file ends with a line break.
    let chars = joined.chars().collect();
    let text = joined + "\n";
    let mut paragraph_starts = Vec::with_capacity(paragraphs.len());
    let mut at = 0;
    for p in &paragraphs {
        paragraph_starts.push(at);
        at += p.chars().count() + 2;
    }
    PlainText {
        chars,
        text,
        paragraphs,
        paragraph_starts,
    }
}

#[derive(Serialize)]
struct Collection {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    label: String,
    total: usize,
    first: Page,
}

#[derive(Serialize)]
struct Page {
    #[serde(rename = "type")]
    kind: &'static str,
    items: Vec<Value>,
}

pub fn collection(x: &Exporter) -> String {
    let d = x.dossier;
    let items: Vec<Value> = d
        .sources
        .par_iter()
        .flat_map_iter(|s| {
            let plain = plain_text(s);
            let target = x.url(&format!("{}/{}", super::FOLDER, text_path(&s.slug)));
            s.annotations
                .iter()
                .enumerate()
                .map(|(i, a)| annotation(d, s, i, a, &plain, &target))
                .collect::<Vec<_>>()
        })
        .collect();
    let collection = Collection {
        context: "http://www.w3.org/ns/anno.jsonld",
        kind: "AnnotationCollection",
        label: d.config.title.clone(),
        total: items.len(),
        first: Page {
            kind: "AnnotationPage",
            items,
        },
    };
    let mut json = serde_json::to_string_pretty(&collection).expect("plain data serialises");
    json.push('\n');
    json
}

fn annotation(d: &Dossier, s: &Source, index: usize, a: &Annotation, plain: &PlainText, target: &str) -> Value {
    let (start, end) = anchor(s, a, plain);
    let chars = &plain.chars;
    let slice = |from: usize, to: usize| chars[from..to].iter().collect::<String>();
    json!({
        "id": format!("urn:uuid:{}", super::stable_uuid(&d.config.title, "annotation", &format!("{}/{index}", s.slug))),
        "type": "Annotation",
        "motivation": "tagging",
        "body": bodies(d, a),
        "target": {
            "source": target,
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": slice(start, end),
                    "prefix": slice(start.saturating_sub(CONTEXT), start),
                    "suffix": slice(end, (end + CONTEXT).min(chars.len())),
                },
                { "type": "TextPositionSelector", "start": start, "end": end },
            ],
        },
    })
}

/// Character offsets of an annotation's words in the normalised text.
fn anchor(s: &Source, a: &Annotation, plain: &PlainText) -> (usize, usize) {
    let paragraph = &s.paragraphs[a.paragraph - 1].plain;
    let normal = &plain.paragraphs[a.paragraph - 1];
    let words = normalise(&a.text);
    let before = normalise(&paragraph[..a.plain_range.start]);
    // Where the words are in the normalised paragraph: at the normalised
    // length of what precedes them, give or take the collapsed space.
    let guess = crate::diagnostic::floor_char_boundary(normal, before.len().saturating_sub(1).min(normal.len()));
    let at = normal
        .get(guess..)
        .and_then(|rest| rest.find(&words).map(|i| guess + i))
        .or_else(|| normal.find(&words))
        .unwrap_or(0);
    let start = plain.paragraph_starts[a.paragraph - 1] + normal[..at].chars().count();
    (start, start + words.chars().count())
}

fn bodies(d: &Dossier, a: &Annotation) -> Vec<Value> {
    let tag = |value: String| json!({ "type": "TextualBody", "purpose": "tagging", "value": value });
    let mut bodies: Vec<Value> = Vec::new();
    bodies.extend(a.sectors.iter().map(|&i| tag(format!("sector:{}", d.sectors[i].slug))));
    bodies.extend(a.actors.iter().map(|&i| tag(format!("actor:{}", d.actors[i].slug))));
    bodies.extend(a.said.map(|i| tag(format!("said:{}", d.actors[i].slug))));
    bodies.extend(a.event.map(|i| tag(format!("event:{}", d.events[i].slug))));
    bodies.extend(a.figure.map(|i| tag(format!("figure:{}", d.figures[i].slug))));
    bodies.extend(a.date.map(|date| tag(format!("date:{date}"))));
    bodies.extend(a.lang.as_ref().map(|l| tag(format!("lang:{l}"))));
    if a.sic {
        bodies.push(tag("sic".into()));
    }
    if let Some(note) = &a.note {
        bodies.push(json!({
            "type": "TextualBody",
            "purpose": "commenting",
            "format": "text/markdown",
            "value": note.text,
        }));
    }
    bodies
}
