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

use std::borrow::Cow;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use super::{Exporter, stream};
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
        w.write_all(p.normal().as_bytes())?;
    }
    w.write_all(b"\n")
}

/// A place in a source's normalised text: the selectors count
/// characters, the text is sliced in bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct At {
    byte: usize,
    char: usize,
}

impl std::ops::Add for At {
    type Output = At;
    fn add(self, other: At) -> At {
        At {
            byte: self.byte + other.byte,
            char: self.char + other.char,
        }
    }
}

/// A source's normalised text (its paragraphs as the model normalised
/// them once), as `data/texts/<slug>.txt` has it, and where each
/// paragraph starts and ends in it.
struct PlainText {
    text: String,
    paragraphs: Vec<(At, At)>,
}

fn plain_text(s: &Source) -> PlainText {
    let mut text = String::new();
    let mut paragraphs = Vec::with_capacity(s.paragraphs.len());
    let mut at = At::default();
    for (i, p) in s.paragraphs.iter().enumerate() {
        if i > 0 {
            text.push_str("\n\n");
            at.char += 2;
        }
        let start = At {
            byte: text.len(),
            char: at.char,
        };
        text.push_str(p.normal());
        at.char += p.normal().chars().count();
        paragraphs.push((
            start,
            At {
                byte: text.len(),
                char: at.char,
            },
        ));
    }
    PlainText { text, paragraphs }
}

/// The collection's head; its one page follows, its items written by
/// source. (Members of an annotation are in alphabetical order, as they
/// always were.)
#[derive(Serialize)]
struct Head<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    label: &'a str,
    total: usize,
    creator: &'a Agent<'a>,
    created: &'a str,
    generator: Agent<'a>,
    /// The one page is the first and the last.
    last: &'a str,
}

/// The head of the collection's one page, before its items.
#[derive(Serialize)]
struct PageHead<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "partOf")]
    part_of: &'a str,
    #[serde(rename = "startIndex")]
    start_index: usize,
}

/// Who made the annotations (the dossier's editors, under its title) or
/// wrote them out (this program).
#[derive(Serialize)]
struct Agent<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    homepage: Option<String>,
}

#[derive(Serialize)]
struct Item<'a> {
    body: Vec<Body<'a>>,
    created: &'a str,
    creator: &'a Agent<'a>,
    id: String,
    motivation: &'static str,
    target: Target<'a>,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Body<'a> {
    format: &'static str,
    /// Only for words in a language (a note): a tag is an identifier.
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    purpose: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    value: Cow<'a, str>,
}

#[derive(Serialize)]
struct Target<'a> {
    selector: (QuoteSelector<'a>, PositionSelector),
    source: &'a str,
}

#[derive(Serialize)]
struct QuoteSelector<'a> {
    exact: &'a str,
    prefix: &'a str,
    suffix: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct PositionSelector {
    end: usize,
    start: usize,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// The file's name in the data folder.
pub const FILE: &str = "annotations.jsonld";

/// What every annotation of the collection shares: who made it, when, and
/// the dossier it belongs to.
struct Common<'a> {
    dossier: &'a Dossier,
    creator: Agent<'a>,
    created: String,
}

/// A W3C `AnnotationCollection` of one `AnnotationPage`, its items one per
/// line. References are absolute under `base_url`, otherwise relative to
/// this file (`texts/<slug>.txt`), as a JSON-LD processor resolves them.
/// Annotations are named by stable `urn:uuid:` ids, which need no base.
pub fn collection(x: &Exporter, w: &mut dyn Write) -> io::Result<()> {
    let d = x.dossier;
    let id = x.data_url(FILE);
    let page = format!("{id}#page-1");
    let common = Common {
        dossier: d,
        creator: Agent {
            kind: "Organization",
            name: &d.config.title,
            homepage: d.config.base_url.as_ref().map(|_| x.url(x.routes.home())),
        },
        // The dossier's last day, never the clock: the same on every build.
        created: format!("{}T00:00:00Z", x.last_day().format("%Y-%m-%d")),
    };
    let head = Head {
        context: "http://www.w3.org/ns/anno.jsonld",
        id: &id,
        kind: "AnnotationCollection",
        label: &d.config.title,
        total: d.sources.iter().map(|s| s.annotations.len()).sum(),
        creator: &common.creator,
        created: &common.created,
        generator: Agent {
            kind: "Software",
            name: "dossier",
            homepage: None,
        },
        last: &page,
    };
    let page_head = PageHead {
        id: &page,
        kind: "AnnotationPage",
        part_of: &id,
        start_index: 0,
    };
    write_open(w, &head)?;
    w.write_all(b",\"first\":")?;
    write_open(w, &page_head)?;
    w.write_all(b",\"items\":")?;
    stream::list(w, &stream::ARRAY, d.sources.len(), |i, out| {
        let s = &d.sources[i];
        let plain = plain_text(s);
        let target = x.data_url(&text_path(&s.slug));
        let mut cursor = Cursor::default();
        s.annotations
            .iter()
            .enumerate()
            .try_for_each(|(i, a)| out.push(&annotation(&common, s, i, a, &plain, &mut cursor, &target)))
    })?;
    w.write_all(b"}}\n")
}

/// Writes a JSON object without its closing brace: more members follow.
fn write_open(w: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    let mut bytes = serde_json::to_vec(value)?;
    bytes.pop();
    w.write_all(&bytes)
}

fn annotation<'a>(
    common: &'a Common<'a>,
    s: &Source,
    index: usize,
    a: &'a Annotation,
    plain: &'a PlainText,
    cursor: &mut Cursor,
    target: &'a str,
) -> Item<'a> {
    let d = common.dossier;
    let (start, end) = anchor(s, a, plain, cursor);
    let text = &plain.text;
    Item {
        body: bodies(d, a),
        created: &common.created,
        creator: &common.creator,
        id: format!(
            "urn:uuid:{}",
            super::stable_uuid(&d.config.title, "annotation", &format!("{}/{index}", s.slug))
        ),
        motivation: "tagging",
        target: Target {
            selector: (
                QuoteSelector {
                    exact: &text[start.byte..end.byte],
                    prefix: &text[back(text, start.byte, CONTEXT)..start.byte],
                    suffix: &text[end.byte..forward(text, end.byte, CONTEXT)],
                    kind: "TextQuoteSelector",
                },
                PositionSelector {
                    end: end.char,
                    start: start.char,
                    kind: "TextPositionSelector",
                },
            ),
            source: target,
        },
        kind: "Annotation",
    }
}

/// The byte `chars` characters before `byte` in `text`, or its start.
fn back(text: &str, byte: usize, chars: usize) -> usize {
    text[..byte]
        .char_indices()
        .rev()
        .take(chars)
        .last()
        .map_or(byte, |(i, _)| i)
}

/// The byte `chars` characters after `byte` in `text`, or its end.
fn forward(text: &str, byte: usize, chars: usize) -> usize {
    text[byte..]
        .char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| byte + i)
}

/// Where an annotation's words are in the normalised text. Annotations
/// come in the order of the text, so the cursor walks each paragraph
/// once: linear in the source, however many annotations.
fn anchor(s: &Source, a: &Annotation, plain: &PlainText, cursor: &mut Cursor) -> (At, At) {
    let paragraph = &s.paragraphs[a.paragraph - 1];
    let words = normalise(s.words(a));
    let (base, end) = plain.paragraphs[a.paragraph - 1];
    let text = &plain.text[base.byte..end.byte];
    let guess = cursor.normal_before(a.paragraph, &paragraph.plain, a.plain_range.start, text);
    let length = words.chars().count();
    let (start, end) = match near(text, guess, &words) {
        Some(start) => (
            start,
            At {
                byte: start.byte + words.len(),
                char: start.char + length,
            },
        ),
        // Not found: as many characters from the guess, within the paragraph.
        None => {
            let byte = forward(text, guess.byte, length);
            let char = guess.char + text[guess.byte..byte].chars().count();
            (guess, At { byte, char })
        }
    };
    (base + start, base + end)
}

/// How far from the cursor's guess the words are looked for: only an
/// annotation whose boundary splits a character that NFC composes moves
/// its words, by a character or two.
const SEARCH: usize = 8;

/// The place nearest to `guess` where `words` are in `text`, looking at
/// most [`SEARCH`] characters either way: constant work per annotation.
/// At the same distance, before wins: the cursor counts a paragraph by
/// pieces, each normalised alone, which never gives fewer characters than
/// the whole normalised, so a guess is at or after the words.
fn near(text: &str, guess: At, words: &str) -> Option<At> {
    let found = |byte: usize| text[byte..].starts_with(words);
    if found(guess.byte) {
        return Some(guess);
    }
    let after = text[guess.byte..].char_indices().map(|(i, _)| guess.byte + i);
    let after: Vec<usize> = after.chain([text.len()]).take(SEARCH + 1).collect();
    let before: Vec<usize> = text[..guess.byte]
        .char_indices()
        .rev()
        .map(|(i, _)| i)
        .take(SEARCH)
        .collect();
    (0..=SEARCH).find_map(|d| {
        let earlier = if d == 0 { after.first() } else { before.get(d - 1) };
        let earlier = earlier.filter(|&&b| found(b)).map(|&byte| At {
            byte,
            char: guess.char - d,
        });
        earlier.or_else(|| {
            after.get(d).filter(|&&b| found(b)).map(|&byte| At {
                byte,
                char: guess.char + d,
            })
        })
    })
}

/// Walks a paragraph's plain text forwards, counting the characters that
/// precede a point once it is normalised as the model normalises it (NFC,
/// white space collapsed).
#[derive(Default)]
struct Cursor {
    paragraph: usize,
    at: usize,
    kept: usize,
    seen_text: bool,
    pending_space: bool,
    /// Characters read since the cursor was made: the work it did.
    walked: usize,
    /// How far the paragraph's normalised text has been read.
    normal: At,
}

impl Cursor {
    /// Where the point `offset` of a paragraph's plain text is in its
    /// normalised text `normal`, as far as counting tells (at most the
    /// text's end). Both texts are read forwards once per paragraph.
    fn normal_before(&mut self, paragraph: usize, plain: &str, offset: usize, normal: &str) -> At {
        let chars = self.normal_chars_before(paragraph, plain, offset);
        if chars < self.normal.char {
            self.normal = At::default();
        }
        let rest = &normal[self.normal.byte..];
        self.normal = match rest.char_indices().nth(chars - self.normal.char) {
            Some((i, _)) => At {
                byte: self.normal.byte + i,
                char: chars,
            },
            None => At {
                byte: normal.len(),
                char: self.normal.char + rest.chars().count(),
            },
        };
        self.normal
    }

    fn normal_chars_before(&mut self, paragraph: usize, plain: &str, offset: usize) -> usize {
        if paragraph != self.paragraph || offset < self.at {
            *self = Cursor {
                paragraph,
                walked: self.walked,
                ..Cursor::default()
            };
        }
        let end = crate::diagnostic::floor_char_boundary(plain, offset.min(plain.len()));
        let segment = plain.get(self.at..end).unwrap_or_default();
        match unicode_normalization::is_nfc_quick(segment.chars()) {
            unicode_normalization::IsNormalized::Yes => segment.chars().for_each(|c| self.step(c)),
            _ => segment.nfc().for_each(|c| self.step(c)),
        }
        self.at = end.max(self.at);
        self.kept + usize::from(self.pending_space)
    }

    fn step(&mut self, c: char) {
        self.walked += 1;
        if c.is_whitespace() {
            self.pending_space = self.seen_text;
        } else {
            self.kept += 1 + usize::from(self.pending_space);
            self.pending_space = false;
            self.seen_text = true;
        }
    }
}

fn bodies<'a>(d: &'a Dossier, a: &'a Annotation) -> Vec<Body<'a>> {
    let tag = |value: String| Body {
        format: "text/plain",
        language: None,
        purpose: "tagging",
        kind: "TextualBody",
        value: Cow::Owned(value),
    };
    let mut bodies = Vec::new();
    bodies.extend(a.sectors.iter().map(|&i| tag(format!("sector:{}", d.sectors[i].slug))));
    bodies.extend(a.actors.iter().map(|&i| tag(format!("actor:{}", d.actors[i].slug))));
    bodies.extend(a.said.map(|i| tag(format!("said:{}", d.actors[i].slug))));
    bodies.extend(a.event.map(|i| tag(format!("event:{}", d.events[i].slug))));
    bodies.extend(a.figure.map(|i| tag(format!("figure:{}", d.figures[i].slug))));
    bodies.extend(a.date.as_deref().map(|date| tag(format!("date:{date}"))));
    bodies.extend(a.lang.as_ref().map(|l| tag(format!("lang:{l}"))));
    if a.sic {
        bodies.push(tag("sic".into()));
    }
    if let Some(note) = &a.note {
        bodies.push(Body {
            format: "text/markdown",
            language: Some(&d.config.language),
            purpose: "commenting",
            kind: "TextualBody",
            value: Cow::Borrowed(&note.text),
        });
    }
    bodies
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::super::testing::{Fixture, fixtures};
    use super::*;

    #[test]
    fn writes_every_annotation_one_a_line_anchored_in_the_texts() {
        for f in fixtures() {
            let files = f.exports();
            let text = Fixture::text(&files, "data/annotations.jsonld");
            let collection: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(collection["@context"], "http://www.w3.org/ns/anno.jsonld");
            assert_eq!(collection["type"], "AnnotationCollection");
            assert_eq!(collection["first"]["type"], "AnnotationPage");
            let items = collection["first"]["items"].as_array().unwrap();
            let total: usize = f.dossier.sources.iter().map(|s| s.annotations.len()).sum();
            assert!(total > 0);
            assert_eq!(
                (items.len(), &collection["total"]),
                (total, &Value::from(total)),
                "{}",
                f.name
            );
            let lines: Vec<&str> = text.lines().collect();
            assert_eq!(lines.len(), total + 2, "the head, an item a line, the end");
            for (line, item) in lines[1..=total].iter().zip(items) {
                assert_eq!(
                    &serde_json::from_str::<Value>(line.trim_end_matches(',')).unwrap(),
                    item
                );
            }
            for item in items {
                let source = item["target"]["source"].as_str().unwrap();
                let path = resolve(&f, source);
                let chars: Vec<char> = Fixture::text(&files, &path).chars().collect();
                let [quote, position] = [0, 1].map(|i| &item["target"]["selector"][i]);
                let at = |key: &str| position[key].as_u64().unwrap() as usize;
                let (start, end) = (at("start"), at("end"));
                let exact: String = chars[start..end].iter().collect();
                assert_eq!(quote["exact"].as_str().unwrap(), exact, "{}", item["id"]);
                let prefix = quote["prefix"].as_str().unwrap();
                let before: String = chars[start - prefix.chars().count()..start].iter().collect();
                assert_eq!(prefix, before);
            }
        }
    }

    /// The anchoring as it was before it read the text in bytes: on the
    /// characters of the whole text, collected, with the same cursor.
    fn anchor_on_chars(s: &Source, a: &Annotation, cursor: &mut Cursor) -> (usize, usize, String, String, String) {
        let mut chars = Vec::new();
        let mut starts = Vec::new();
        for (i, p) in s.paragraphs.iter().enumerate() {
            if i > 0 {
                chars.extend(['\n', '\n']);
            }
            starts.push(chars.len());
            chars.extend(p.normal().chars());
        }
        let words: Vec<char> = normalise(s.words(a)).chars().collect();
        let base = starts[a.paragraph - 1];
        let end = starts.get(a.paragraph).map_or(chars.len(), |&next| next - 2);
        let plain = &s.paragraphs[a.paragraph - 1].plain;
        let guess = (base + cursor.normal_chars_before(a.paragraph, plain, a.plain_range.start)).min(end);
        let text = &chars[base..end];
        let found = |at: usize| text.get(at..at + words.len()) == Some(&words[..]);
        let near = (0..=SEARCH).find_map(|d| {
            [(guess - base).checked_sub(d), (guess - base).checked_add(d)]
                .into_iter()
                .flatten()
                .find(|&at| found(at))
        });
        let start = near.map_or(guess, |i| base + i);
        let end = (start + words.len()).min(end);
        let slice = |from: usize, to: usize| chars[from..to].iter().collect::<String>();
        (
            start,
            end,
            slice(start, end),
            slice(start.saturating_sub(CONTEXT), start),
            slice(end, (end + CONTEXT).min(chars.len())),
        )
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        /// Words that NFC composes or that are not all one byte, white
        /// space of several kinds, and plain ASCII.
        fn word() -> impl Strategy<Value = String> {
            prop::sample::select(vec![
                "e\u{301}", "é", "ﬁ", "\u{301}", "Å", "mot", "a", "«", "»", "日本", "\u{a0}", " ", "  ", "\t",
            ])
            .prop_map(str::to_string)
        }

        fn body() -> impl Strategy<Value = String> {
            let piece = (word(), any::<bool>(), any::<bool>()).prop_map(|(w, annotated, space)| {
                let w = if annotated { format!("[{w}]{{sector=s}}") } else { w };
                if space { format!("{w} ") } else { w }
            });
            let paragraph = prop::collection::vec(piece, 1..12).prop_map(|p| format!("x {} y", p.concat()));
            prop::collection::vec(paragraph, 1..4).prop_map(|ps| ps.join("\n\n"))
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(1000))]
            #[test]
            fn anchors_as_on_the_characters_of_the_text(body in body()) {
                let source = source_of(&body);
                let plain = plain_text(&source);
                let (mut cursor, mut reference) = (Cursor::default(), Cursor::default());
                for a in &source.annotations {
                    let (start, end) = anchor(&source, a, &plain, &mut cursor);
                    let text = &plain.text;
                    let got = (
                        start.char,
                        end.char,
                        text[start.byte..end.byte].to_string(),
                        text[back(text, start.byte, CONTEXT)..start.byte].to_string(),
                        text[end.byte..forward(text, end.byte, CONTEXT)].to_string(),
                    );
                    prop_assert_eq!(got, anchor_on_chars(&source, a, &mut reference));
                }
            }
        }
    }

    /// A source of one paragraph, `e` + combining acute (which NFC makes
    /// one character) then `n` annotated words `w`.
    fn decomposed_paragraph(n: usize) -> Source {
        source_of(&format!("e\u{301} {}", vec!["[w]{sector=s}"; n].join(" ")))
    }

    /// A source from an annotated body (blank lines between paragraphs).
    fn source_of(body: &str) -> Source {
        let parsed = crate::model::paragraph::parse_body(body, 0);
        let annotations = parsed
            .spans
            .iter()
            .map(|span| Annotation {
                paragraph: span.paragraph,
                plain_range: span.plain_range.clone(),
                ..Annotation::default()
            })
            .collect();
        Source {
            slug: "s".into(),
            title: "S".into(),
            published: None,
            author: None,
            outlet: None,
            url: None,
            license: None,
            retrieved_from: None,
            language: "en".into(),
            kind: "article".into(),
            note: None,
            sectors: Vec::new(),
            original: "o.txt".into(),
            paragraphs: parsed.paragraphs.into(),
            annotations,
            path: "seeds/s.md".into(),
        }
    }

    /// Counting a paragraph by pieces, the cursor never finds fewer
    /// characters than NFC leaves (it composes only within a piece): a
    /// guess is at or after the words. Here `e` then a combining accent
    /// annotated alone count two, where the text has `é`: the guess for
    /// `a` is on `c`, one after the `a` annotated and one before another.
    #[test]
    fn a_guess_too_far_finds_the_words_before_it() {
        let source = source_of("e[\u{301}]{sector=s}[a]{sector=s}ca");
        let plain = plain_text(&source);
        assert_eq!(plain.text, "éaca");
        let mut cursor = Cursor::default();
        let anchors: Vec<_> = source
            .annotations
            .iter()
            .map(|a| anchor(&source, a, &plain, &mut cursor))
            .map(|(start, end)| (start.char, end.char))
            .collect();
        assert_eq!(anchors[1], (1, 2), "the annotated `a`, not the last one");
    }

    /// An accent annotated alone after its letter is not in the text, where
    /// NFC made them one character: its anchor is where the count puts it,
    /// empty at the end of the paragraph, never past the text.
    #[test]
    fn words_not_found_at_the_end_of_a_paragraph_stay_inside_it() {
        let source = source_of("e[\u{301}]{sector=s}\n\nb");
        let plain = plain_text(&source);
        assert_eq!(plain.text, "é\n\nb");
        let a = &source.annotations[0];
        let (start, end) = anchor(&source, a, &plain, &mut Cursor::default());
        assert_eq!((start.char, end.char), (1, 1));
        assert_eq!((start.byte, end.byte), (2, 2));
        let reference = anchor_on_chars(&source, a, &mut Cursor::default());
        assert_eq!((reference.0, reference.1), (1, 1));
    }

    /// Issue 13: after a character that NFC composes, every annotation
    /// searched its paragraph from the start (quadratic, and anchored
    /// repeated words at their first occurrence). Each is now anchored at
    /// its own place, the cursor reading each character once.
    #[test]
    fn anchors_every_annotation_in_one_walk_of_its_paragraph() {
        let n = 2_000;
        let source = decomposed_paragraph(n);
        let plain = plain_text(&source);
        let mut cursor = Cursor::default();
        for (i, a) in source.annotations.iter().enumerate() {
            let (start, end) = anchor(&source, a, &plain, &mut cursor);
            assert_eq!((start.char, end.char), (2 + 2 * i, 3 + 2 * i), "annotation {i}");
            assert_eq!((start.byte, end.byte), (3 + 2 * i, 4 + 2 * i), "annotation {i}");
        }
        let paragraph_chars = source.paragraphs[0].plain.chars().count();
        assert!(
            cursor.walked <= paragraph_chars,
            "{} > {paragraph_chars}",
            cursor.walked
        );
    }

    /// Where a reference read in `data/annotations.jsonld` leads, as a path
    /// of the site: what a JSON-LD processor makes of it.
    fn resolve(f: &Fixture, reference: &str) -> String {
        let reference = reference.split('#').next().unwrap();
        match &f.dossier.config.base_url {
            Some(base) => {
                let base = format!("{}/", base.trim_end_matches('/'));
                let path = reference.strip_prefix(&base);
                path.unwrap_or_else(|| panic!("{reference} is not under {base}"))
                    .to_string()
            }
            None => {
                assert!(!reference.contains(':'), "{reference}: relative without base_url");
                format!("data/{reference}")
            }
        }
    }

    /// Issue 15: the collection and its page have ids (MUST, 5.1, 5.2), the
    /// paging, the agents and the date the model recommends; every
    /// reference resolves, from this file, to a file the build wrote.
    #[test]
    fn names_the_collection_and_its_page_and_resolves_every_reference_r15() {
        for f in fixtures() {
            let files = f.exports();
            let text = Fixture::text(&files, "data/annotations.jsonld");
            let collection: Value = serde_json::from_str(&text).unwrap();
            let page = &collection["first"];
            let id = collection["id"].as_str().unwrap();
            assert_eq!(resolve(&f, id), "data/annotations.jsonld", "{}", f.name);
            assert_eq!(page["id"], collection["last"]);
            assert_eq!(resolve(&f, page["id"].as_str().unwrap()), "data/annotations.jsonld");
            assert_ne!(page["id"], collection["id"]);
            assert_eq!(
                (&page["partOf"], &page["startIndex"]),
                (&collection["id"], &Value::from(0))
            );
            assert_eq!(collection["creator"]["name"], f.dossier.config.title.as_str());
            assert_eq!(collection["generator"]["type"], "Software");
            let day = f.exporter().last_day().format("%Y-%m-%dT00:00:00Z").to_string();
            assert_eq!(collection["created"], day.as_str());
            let mut ids = std::collections::BTreeSet::new();
            for item in page["items"].as_array().unwrap() {
                let source = item["target"]["source"].as_str().unwrap();
                assert!(files.contains_key(&resolve(&f, source)), "{source}");
                let id = item["id"].as_str().unwrap();
                assert!(id.starts_with("urn:uuid:") && ids.insert(id.to_string()), "{id}");
                assert_eq!(
                    (&item["created"], &item["creator"]),
                    (&collection["created"], &collection["creator"])
                );
                for body in item["body"].as_array().unwrap() {
                    assert!(body["format"].is_string(), "{body}");
                    if body["purpose"] == "commenting" {
                        assert_eq!(body["language"], f.dossier.config.language.as_str());
                    }
                }
            }
        }
    }

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
