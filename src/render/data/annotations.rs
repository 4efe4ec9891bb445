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

use std::io::{self, Write};

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

/// A source's plain text: its normalised paragraphs, a blank line between
/// two. The file ends with a line break, which selectors never see.
pub fn text(s: &Source, w: &mut dyn Write) -> io::Result<()> {
    for (i, p) in s.paragraphs.iter().enumerate() {
        if i > 0 {
            w.write_all(b"\n\n")?;
        }
        w.write_all(p.normal.as_bytes())?;
    }
    w.write_all(b"\n")
}

/// A source's normalised text (its paragraphs as the model normalised
/// them once) and where each paragraph starts in it, in characters.
struct PlainText {
    chars: Vec<char>,
    paragraph_starts: Vec<usize>,
}

fn plain_text(s: &Source) -> PlainText {
    let joined = s
        .paragraphs
        .iter()
        .map(|p| p.normal.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    let chars = joined.chars().collect();
    let mut paragraph_starts = Vec::with_capacity(s.paragraphs.len());
    let mut at = 0;
    for p in &s.paragraphs {
        paragraph_starts.push(at);
        at += p.normal.chars().count() + 2;
    }
    PlainText {
        chars,
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

pub fn collection(x: &Exporter, w: &mut dyn Write) -> io::Result<()> {
    let d = x.dossier;
    let items: Vec<Value> = d
        .sources
        .par_iter()
        .flat_map_iter(|s| {
            let plain = plain_text(s);
            let target = x.url(&format!("{}/{}", super::FOLDER, text_path(&s.slug)));
            let mut cursor = Cursor::default();
            s.annotations
                .iter()
                .enumerate()
                .map(|(i, a)| annotation(d, s, i, a, &plain, &mut cursor, &target))
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
    w.write_all(json.as_bytes())
}

fn annotation(
    d: &Dossier,
    s: &Source,
    index: usize,
    a: &Annotation,
    plain: &PlainText,
    cursor: &mut Cursor,
    target: &str,
) -> Value {
    let (start, end) = anchor(s, a, plain, cursor);
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
/// Annotations come in the order of the text, so the cursor walks each
/// paragraph once: linear in the source, however many annotations.
fn anchor(s: &Source, a: &Annotation, plain: &PlainText, cursor: &mut Cursor) -> (usize, usize) {
    let paragraph = &s.paragraphs[a.paragraph - 1];
    let words: Vec<char> = normalise(&a.text).chars().collect();
    let base = plain.paragraph_starts[a.paragraph - 1];
    let guess = base + cursor.normal_chars_before(a.paragraph, &paragraph.plain, a.plain_range.start);
    let found = |at: usize| plain.chars.get(at..at + words.len()) == Some(&words[..]);
    let start = if found(guess) {
        guess
    } else {
        // Text that NFC changes: find the words in the paragraph instead.
        let normal = &paragraph.normal;
        let exact: String = words.iter().collect();
        normal.find(&exact).map_or(base, |i| base + normal[..i].chars().count())
    };
    (start, start + words.len())
}

/// Walks a paragraph's plain text forwards, counting the characters that
/// precede a point once white space is collapsed as the model's
/// normalisation collapses it.
#[derive(Default)]
struct Cursor {
    paragraph: usize,
    at: usize,
    kept: usize,
    seen_text: bool,
    pending_space: bool,
}

impl Cursor {
    fn normal_chars_before(&mut self, paragraph: usize, plain: &str, offset: usize) -> usize {
        if paragraph != self.paragraph || offset < self.at {
            *self = Cursor {
                paragraph,
                ..Cursor::default()
            };
        }
        let end = crate::diagnostic::floor_char_boundary(plain, offset.min(plain.len()));
        for c in plain.get(self.at..end).unwrap_or_default().chars() {
            if c.is_whitespace() {
                self.pending_space = self.seen_text;
            } else {
                self.kept += 1 + usize::from(self.pending_space);
                self.pending_space = false;
                self.seen_text = true;
            }
        }
        self.at = end.max(self.at);
        self.kept + usize::from(self.pending_space)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cursor_counts_the_normalised_prefix_of_every_offset() {
        let plain = "  Le  président\u{a0}a dit :  « oui »  ";
        let mut offsets: Vec<usize> = plain.char_indices().map(|(i, _)| i).collect();
        offsets.push(plain.len());
        let mut cursor = Cursor::default();
        for &offset in &offsets {
            let expected = normalise(&plain[..offset]).chars().count()
                + usize::from(plain[..offset].ends_with(char::is_whitespace) && !plain[..offset].trim().is_empty());
            assert_eq!(
                cursor.normal_chars_before(1, plain, offset),
                expected,
                "at byte {offset}"
            );
        }
        // Going back (a new paragraph, or an earlier point) starts again.
        assert_eq!(cursor.normal_chars_before(1, plain, 4), 2);
        assert_eq!(cursor.normal_chars_before(2, "ab", 1), 1);
    }
}
