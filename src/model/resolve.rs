//! Sources: each is parsed into paragraphs and its annotations' keys are
//! interpreted and resolved against the sector and actor tables. Events and
//! figures are only collected here (as references by slug), because an
//! event can be defined inline by any source: they are merged across sources
//! afterwards, in `build`.

use std::ops::Range;
use std::path::{Path, PathBuf};

use super::annotation::Attr;
use super::date::EdtfDate;
use super::entities::{self, Lookup, Names};
use super::original;
use super::paragraph::{self, SpanInParagraph};
use super::{Annotation, Source};
use crate::code::Code;
use crate::diagnostic::{Budget, Diagnostic, suggestion};
use crate::load::{Document, Inputs, RawSource};
use crate::slug;
use crate::span::field_span;

pub const KEYS: &[&str] = &[
    "sector", "actor", "date", "event", "title", "figure", "value", "unit", "bound", "label", "note", "sic", "said",
    "lang",
];

/// A citation of an event by slug, possibly defining it inline.
#[derive(Debug, Clone)]
pub struct EventRef {
    pub annotation: usize,
    pub paragraph: usize,
    pub slug: String,
    pub span: Range<usize>,
    pub title: Option<String>,
    pub date: Option<EdtfDate>,
    /// A `date=` was given but refused: its E0300 is the one message.
    pub date_refused: bool,
    pub sectors: Vec<usize>,
    pub actors: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct FigureRef {
    pub annotation: usize,
    pub paragraph: usize,
    pub slug: String,
    pub span: Range<usize>,
    /// `None` for a citation of a figure whose value another annotation gives.
    pub value: Option<String>,
    pub unit: Option<String>,
    /// How the text bounds the value: `more-than` for « plus de 10 000 ».
    pub bound: Option<String>,
    pub label: Option<String>,
}

/// Markdown in an attribute or front-matter field, to check for links
/// later: the annotation it belongs to (or `None` for the source's note),
/// its text and where it is in the file.
#[derive(Debug, Clone)]
pub struct NoteRef {
    pub annotation: Option<usize>,
    pub text: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct SourceDraft {
    pub source: Source,
    pub events: Vec<EventRef>,
    pub figures: Vec<FigureRef>,
    pub notes: Vec<NoteRef>,
    /// Whether the original was found and could be compared.
    pub has_original: bool,
    pub diagnostics: Vec<Diagnostic>,
}

/// One source parsed, resolved and checked against its original (in
/// parallel with the others, by [`super::memo`]).
pub fn source(doc: &Document<RawSource>, inputs: &Inputs, names: &Names) -> SourceDraft {
    let mut diags = Vec::new();
    let budget = Budget::default();
    entities::check_slug(doc, &mut diags);
    let f = &doc.front;
    let parsed = paragraph::parse_body(doc.body(), doc.body.start);
    for e in &parsed.errors {
        diags.push(Diagnostic::error(e.code, &doc.path, e.span.clone(), e.message.clone()).with_help(e.help));
    }
    let unparsed_paragraphs = with_errors(&parsed);
    let (original, original_text) = find_original(doc, inputs, &mut diags);
    let published = f.published.as_deref().and_then(|p| {
        let span = field_span(&doc.text, &doc.yaml, "published");
        parse_date(p, &doc.path, &span, &doc.text, &mut diags)
    });
    let kind_span = field_span(&doc.text, &doc.yaml, "kind");
    diags.extend(entities::check_kind(
        &f.kind,
        &entities::SOURCE_VOCABULARY,
        &doc.path,
        kind_span,
    ));
    let sectors = entities::resolve_list(
        &entities::Place::of(doc),
        "sectors",
        &f.sectors,
        &entities::Lookup::sectors(names, &budget),
        &mut diags,
    );
    let mut draft = SourceDraft {
        source: Source {
            slug: doc.slug.clone(),
            title: f.title.clone(),
            published,
            author: f.author.clone(),
            outlet: f.outlet.clone(),
            url: f.url.clone(),
            license: f.license.clone(),
            retrieved_from: f.retrieved_from.clone(),
            language: f.language.clone(),
            kind: f.kind.clone(),
            note: None,
            sectors,
            original,
            paragraphs: parsed.paragraphs.into(),
            annotations: Vec::with_capacity(parsed.spans.len()),
            path: doc.path.clone(),
        },
        events: Vec::new(),
        figures: Vec::new(),
        notes: Vec::new(),
        has_original: original_text.is_some(),
        diagnostics: Vec::new(),
    };
    if let Some(note) = &f.note {
        draft.notes.push(NoteRef {
            annotation: None,
            text: note.clone(),
            span: field_span(&doc.text, &doc.yaml, "note"),
        });
    }
    for (id, span) in parsed.spans.iter().enumerate() {
        let names = (names, &budget);
        let annotation = annotate(id, span, &doc.text, &doc.path, names, &mut draft, &mut diags);
        draft.source.annotations.push(annotation);
    }
    if let Some(original) = &original_text {
        // Paragraphs with a syntax error are skipped: the error already
        // says what is wrong there.
        diags.extend(super::fidelity::check(
            &draft.source,
            &doc.text,
            original,
            &unparsed_paragraphs,
        ));
    }
    draft.diagnostics = diags;
    draft
}

/// The paragraphs (0-based) in which a syntax error starts: a binary
/// search each, not a scan of every error.
fn with_errors(parsed: &paragraph::ParsedBody) -> Vec<usize> {
    let mut starts: Vec<usize> = parsed.errors.iter().map(|e| e.span.start).collect();
    starts.sort_unstable();
    let has_error = |span: &Range<usize>| {
        let first = starts.partition_point(|&s| s < span.start);
        starts.get(first).is_some_and(|&s| s < span.end)
    };
    (0..parsed.paragraphs.len())
        .filter(|&i| has_error(&parsed.paragraphs[i].span))
        .collect()
}

/// The original named by `original:`, looked up among the files read under
/// `seeds/originals/` (so no path in a front matter can make us read
/// anything else). A path that cannot name an original is E0403; an
/// original that is absent, E0400.
fn find_original(
    doc: &Document<RawSource>,
    inputs: &Inputs,
    diags: &mut Vec<Diagnostic>,
) -> (PathBuf, Option<std::sync::Arc<str>>) {
    let written = &doc.front.original;
    let span = field_span(&doc.text, &doc.yaml, "original");
    let key = match original::key(written) {
        Ok(key) => key,
        Err(refusal) => {
            let (message, help) = refusal.explain(written);
            diags.push(Diagnostic::error(Code::E0403, &doc.path, span, message).with_help(help));
            return (PathBuf::from("seeds").join(written), None);
        }
    };
    if let Some(file) = inputs.originals.get(&key) {
        if file.text.contains('\r') && !file.text.contains('\n') {
            diags.push(cr_only(&doc.path, span, written));
            return (file.path.clone(), None);
        }
        return (file.path.clone(), Some(file.text.clone()));
    }
    let path = PathBuf::from("seeds").join(&key);
    if inputs.unreadable_originals.iter().any(|d| d.file == path) {
        return (path, None); // reported with the reason it cannot be read
    }
    let help = if inputs.originals.is_empty() {
        format!(
            "put the text of the source, as plain UTF-8, in `{}`, or correct the path",
            path.display()
        )
    } else {
        suggestion(&key, "original", inputs.originals.keys().map(String::as_str))
    };
    diags.push(
        Diagnostic::error(
            Code::E0400,
            &doc.path,
            span,
            format!(
                "the original `{written}` does not exist: there is no file `{}`",
                path.display()
            ),
        )
        .with_help(help),
    );
    (path, None)
}

/// Issue 13: an original saved with classic Mac line endings (CR only)
/// is one line to dossier, and its fidelity errors gave no clue why.
/// It is not compared: this is the one message.
fn cr_only(path: &Path, span: Range<usize>, written: &str) -> Diagnostic {
    Diagnostic::error(
        Code::E0404,
        path,
        span,
        format!("the lines of the original `{written}` end with CR only, so dossier reads it as one line"),
    )
    .with_help("save the original with LF (Unix) or CR LF (Windows) line endings; most editors offer it when saving")
}

fn parse_date(
    text: &str,
    path: &Path,
    span: &Range<usize>,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<EdtfDate> {
    EdtfDate::parse(text)
        .map_err(|e| {
            let at = entities::value_offset(file, span, e.at);
            diags.push(Diagnostic::error(Code::E0300, path, at..span.end.max(at + 1), e.message).with_help(e.help));
        })
        .ok()
}

/// The message and hint for the unknown key `attrs[i]`. Issue 12:
/// `sector=infrastructure, diplomacy` gave "unknown annotation key
/// `diplomacy`" (the space after the comma is the mistake), and the list
/// of keys in the hint left out `lang`.
fn unknown_key(attrs: &[Attr], i: usize, budget: &Budget) -> (String, String) {
    let attr = &attrs[i];
    let listed_before = i.checked_sub(1).map(|p| &attrs[p]);
    if let Some(before) = listed_before
        && let Some(list) = before.value.as_deref().filter(|v| v.ends_with(','))
        && attr.value.is_none()
    {
        return (
            format!(
                "`{}` is read as a key: the space after the comma ends the value of `{}=`",
                attr.key, before.key
            ),
            format!("write a list without spaces: `{}={list}{}`", before.key, attr.key),
        );
    }
    let help = match budget.did_you_mean(&attr.key, KEYS.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("the annotation keys are {}", KEYS.join(", ")),
    };
    (format!("unknown annotation key `{}`", attr.key), help)
}

/// Interprets the keys of one annotation.
fn annotate(
    id: usize,
    span: &SpanInParagraph,
    text: &str,
    path: &Path,
    (names, budget): (&Names, &Budget),
    draft: &mut SourceDraft,
    diags: &mut Vec<Diagnostic>,
) -> Annotation {
    let mut a = Annotation {
        paragraph: span.paragraph,
        span: span.raw.span.clone(),
        plain_range: span.plain_range.clone(),
        ..Annotation::default()
    };
    let whole = span.raw.span.clone();
    let get = |key: &str| span.raw.attrs.iter().find(|a| a.key == key);
    for (i, attr) in span.raw.attrs.iter().enumerate() {
        if !KEYS.contains(&attr.key.as_str()) {
            let (message, help) = unknown_key(&span.raw.attrs, i, budget);
            diags.push(Diagnostic::error(Code::E0110, path, attr.key_span.clone(), message).with_help(help));
            continue;
        }
        let is_flag = attr.key == "sic";
        match (&attr.value, is_flag) {
            (Some(_), true) => diags.push(
                Diagnostic::error(
                    Code::E0111,
                    path,
                    attr.span.clone(),
                    "`sic` is a flag and takes no value".into(),
                )
                .with_help("write `sic` alone, and the explanation in `note=\"…\"`"),
            ),
            (None, false) => diags.push(
                Diagnostic::error(
                    Code::E0111,
                    path,
                    attr.span.clone(),
                    format!("`{}` needs a value", attr.key),
                )
                .with_help(format!("write `{}=…`", attr.key)),
            ),
            _ => {}
        }
    }
    let value = |key: &str| get(key).and_then(|a| a.value.as_ref().map(|v| (v, value_span(a))));
    if let Some((v, vspan)) = value("sector") {
        a.sectors = resolve_slugs(v, &vspan, text, path, &Lookup::sectors(names, budget), diags);
    }
    if let Some((v, vspan)) = value("actor") {
        a.actors = resolve_slugs(v, &vspan, text, path, &Lookup::actors(names, budget), diags);
    }
    if let Some((v, vspan)) = value("said") {
        let said = resolve_slugs(v, &vspan, text, path, &Lookup::actors(names, budget), diags);
        if said.len() > 1 {
            diags.push(
                Diagnostic::error(
                    Code::E0116,
                    path,
                    vspan,
                    format!("`said={v}` names {} actors", said.len()),
                )
                .with_help("a statement has one speaker: `said=actor`; the others it mentions go in `actor=a,b`"),
            );
        }
        a.said = said.first().copied();
    }
    if let Some((v, vspan)) = value("date") {
        a.date = parse_date(v, path, &vspan, text, diags).map(Box::new);
    }
    if let Some((v, vspan)) = value("lang") {
        if is_language_tag(v) {
            a.lang = Some(v.clone());
        } else {
            diags.push(
                Diagnostic::error(Code::E0112, path, vspan, format!("`{v}` is not a language code"))
                    .with_help("write a BCP 47 code such as `fr`, `en`, `ru` or `pt-BR`"),
            );
        }
    }
    a.sic = get("sic").is_some();
    if let Some((v, vspan)) = value("note") {
        draft.notes.push(NoteRef {
            annotation: Some(id),
            text: v.clone(),
            span: vspan,
        });
    } else if a.sic {
        diags.push(
            Diagnostic::error(Code::E0113, path, whole.clone(), "`sic` needs an editor's note".into())
                .with_help("say what is wrong and what the source means: `sic note=\"…\"`"),
        );
    }
    event_ref(id, &a, span, path, &value, draft, diags);
    figure_ref(id, span, path, &value, draft, diags);
    a
}

type ValueOf<'a> = dyn Fn(&str) -> Option<(&'a String, Range<usize>)> + 'a;

fn event_ref(
    id: usize,
    a: &Annotation,
    span: &SpanInParagraph,
    path: &Path,
    value: &ValueOf<'_>,
    draft: &mut SourceDraft,
    diags: &mut Vec<Diagnostic>,
) {
    let title = value("title");
    let Some((slug_text, slug_span)) = value("event") else {
        if let Some((_, tspan)) = title {
            diags.push(
                Diagnostic::error(
                    Code::E0114,
                    path,
                    tspan,
                    "`title=` names an event, but there is no `event=`".into(),
                )
                .with_help("add `event=slug` to define the event inline"),
            );
        }
        return;
    };
    if !slug::is_valid(slug_text) {
        diags.push(bad_slug(path, slug_span, slug_text));
        return;
    }
    draft.events.push(EventRef {
        annotation: id,
        paragraph: span.paragraph,
        slug: slug_text.clone(),
        span: slug_span,
        title: title.map(|(t, _)| t.clone()),
        date: a.date.as_deref().copied(),
        date_refused: a.date.is_none() && value("date").is_some(),
        sectors: a.sectors.clone(),
        actors: a.actors.iter().copied().chain(a.said).collect(),
    });
}

/// How a text can bound a number: « plus de », « moins de », « environ »,
/// « au moins », « jusqu'à ». The theme words them (`labels.figure_bound`).
pub const BOUNDS: [&str; 5] = ["more-than", "less-than", "about", "at-least", "up-to"];

fn figure_ref(
    id: usize,
    span: &SpanInParagraph,
    path: &Path,
    value: &ValueOf<'_>,
    draft: &mut SourceDraft,
    diags: &mut Vec<Diagnostic>,
) {
    let Some((slug_text, slug_span)) = value("figure") else {
        for key in ["value", "unit", "bound", "label"] {
            if let Some((_, s)) = value(key) {
                diags.push(
                    Diagnostic::error(
                        Code::E0115,
                        path,
                        s,
                        format!("`{key}=` belongs to a figure, but there is no `figure=`"),
                    )
                    .with_help("add `figure=slug` to make this a key figure"),
                );
            }
        }
        return;
    };
    if !slug::is_valid(slug_text) {
        diags.push(bad_slug(path, slug_span, slug_text));
        return;
    }
    if span.raw.attrs.iter().any(|a| !KEYS.contains(&a.key.as_str())) {
        return; // a misspelt key is reported, and may well be `value`
    }
    let number = value("value");
    if let Some((number, number_span)) = &number
        && !is_number(number)
    {
        diags.push(
            Diagnostic::error(
                Code::E0117,
                path,
                number_span.clone(),
                format!("`{number}` is not a number"),
            )
            .with_help("write digits with an optional decimal dot, no spaces or units: `value=50000`, `value=2.5`"),
        );
        return;
    }
    let bound = value("bound");
    if let Some((text, bound_span)) = &bound
        && !BOUNDS.contains(&text.as_str())
    {
        diags.push(
            Diagnostic::error(
                Code::E0118,
                path,
                bound_span.clone(),
                format!("`{text}` is not a bound"),
            )
            .with_help(format!("write one of: {}", BOUNDS.join(", "))),
        );
        return;
    }
    draft.figures.push(FigureRef {
        annotation: id,
        paragraph: span.paragraph,
        slug: slug_text.clone(),
        span: slug_span,
        value: number.map(|(n, _)| n.clone()),
        unit: value("unit").map(|(u, _)| u.clone()),
        bound: bound.map(|(b, _)| b.clone()),
        label: value("label").map(|(l, _)| l.clone()),
    });
}

fn bad_slug(path: &Path, span: Range<usize>, text: &str) -> Diagnostic {
    Diagnostic::error(Code::E0200, path, span, format!("`{text}` cannot be used as a slug")).with_help(format!(
        "slugs are lower-case ASCII letters, digits and hyphens, e.g. `{}`",
        slug::suggest(text)
    ))
}

pub fn is_number(v: &str) -> bool {
    let (int, frac) = v.split_once('.').unwrap_or((v, "1"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

fn is_language_tag(v: &str) -> bool {
    let mut parts = v.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The file span of an attribute's value (quotes included).
fn value_span(attr: &Attr) -> Range<usize> {
    attr.key_span.end + 1..attr.span.end
}

/// Resolves a comma-separated list of slugs in an attribute value whose
/// file span is `span`.
fn resolve_slugs(
    value: &str,
    span: &Range<usize>,
    text: &str,
    path: &Path,
    lookup: &Lookup,
    diags: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    let items = value.split(',').map(str::trim).filter(|s| !s.is_empty());
    let span_of = |item: &str| {
        text[span.clone()]
            .find(item)
            .map_or(span.clone(), |i| span.start + i..span.start + i + item.len())
    };
    lookup.resolve_all(items, path, span_of, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_digits_with_optional_decimals() {
        for ok in ["0", "50000", "2.5", "12.50"] {
            assert!(is_number(ok), "{ok}");
        }
        for bad in ["", ".5", "5.", "50 000", "1e6", "-3", "2,5", "10k"] {
            assert!(!is_number(bad), "{bad}");
        }
    }

    /// Issue 12: `sector=infrastructure, diplomacy`, and `lang` left out
    /// of the keys listed.
    #[test]
    fn explains_an_unknown_key_after_a_spaced_comma() {
        let attr = |key: &str, value: Option<&str>| Attr {
            key: key.into(),
            value: value.map(Into::into),
            key_span: 0..0,
            span: 0..0,
        };
        let attrs = [attr("sector", Some("infrastructure,")), attr("diplomacy", None)];
        let (message, help) = unknown_key(&attrs, 1, &Budget::default());
        assert_eq!(
            message,
            "`diplomacy` is read as a key: the space after the comma ends the value of `sector=`"
        );
        assert_eq!(help, "write a list without spaces: `sector=infrastructure,diplomacy`");
        let (message, help) = unknown_key(&[attr("zzzzzz", Some("1"))], 0, &Budget::default());
        assert_eq!(message, "unknown annotation key `zzzzzz`");
        assert!(KEYS.iter().all(|k| help.contains(k)), "{help}");
    }

    #[test]
    fn language_tags() {
        for ok in ["fr", "en", "pt-BR", "la", "zh-Hant"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in ["", "f", "french!", "fr_FR"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
}
