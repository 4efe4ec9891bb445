//! HTML fragments, rendered once and reused by every page that shows them:
//! a source's paragraphs (with annotation spans highlighted by sector and
//! links to editor's notes) and each annotation's own words (the passages
//! shown on sector and actor pages), and editorial Markdown with internal
//! links turned into relative hrefs.
//!
//! Fragments carry no `id`: the same passage can appear twice on a page
//! (nested in another), and ids belong to the templates that place them.

use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};
use rustc_hash::FxHashMap;

use super::i18n::I18n;
use super::routes::{Routes, href};
use super::typography::{self, escape_text_into};
use crate::model::{Annotation, Dossier, Inline, Markdown, Paragraph, Source};
use std::cell::Cell;

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(text, &mut out);
    out
}

/// Escapes `text` for an attribute value or, through
/// [`super::typography::escape_text`], a text node.
pub(super) fn escape_into(text: &str, out: &mut String) {
    escape_runs(text, html_entity, |run| out.push_str(run));
}

pub(super) fn html_entity(byte: u8) -> Option<&'static str> {
    match byte {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        _ => None,
    }
}

/// Hands `push` the runs of `text` between the ASCII bytes that `entity`
/// escapes, and their entities: copied in runs, not a character at a time.
/// `entity` is a type parameter, not a function pointer, so that the test
/// of each byte is inlined: through a pointer, the call per byte was
/// a per cent of a build.
pub(super) fn escape_runs(text: &str, entity: impl Fn(u8) -> Option<&'static str>, mut push: impl FnMut(&str)) {
    let mut start = 0;
    for (at, &byte) in text.as_bytes().iter().enumerate() {
        if let Some(escaped) = entity(byte) {
            // An ASCII byte is a character boundary.
            push(&text[start..at]);
            push(escaped);
            start = at + 1;
        }
    }
    push(&text[start..]);
}

pub struct Renderer<'a> {
    pub dossier: &'a Dossier,
    pub routes: &'a Routes,
    pub i18n: &'a I18n,
}

impl Renderer<'_> {
    /// The HTML of the `i`-th source's paragraphs in `paragraphs` (indexes),
    /// the content of each without its `<p>`; its editor's notes numbered
    /// in the order of the whole source.
    pub fn source_of(&self, i: usize, paragraphs: Range<usize>) -> Vec<String> {
        let source = &self.dossier.sources[i];
        let notes = &self.dossier.index.source_notes[i];
        let shown = self.dossier.notes_of(i, &(paragraphs.start + 1..paragraphs.end + 1));
        let note_numbers: FxHashMap<usize, usize> = shown.map(|n| (notes[n], n + 1)).collect();
        let ctx = SourceCtx {
            source,
            note_numbers: &note_numbers,
        };
        let paragraphs = source.paragraphs.get(paragraphs).unwrap_or_default();
        paragraphs
            .iter()
            .map(|p| {
                let mut out = String::new();
                self.inlines(&p.inlines, p, &ctx, &mut out);
                out
            })
            .collect()
    }

    /// Recurses once per level of the paragraph's tree, which the model
    /// bounds (`model::nesting`: at most 49 levels).
    fn inlines(&self, inlines: &[Inline], p: &Paragraph, ctx: &SourceCtx, out: &mut String) {
        for inline in inlines {
            match inline {
                Inline::Text(t) => escape_text_into(p.text(t), &ctx.source.language, out),
                Inline::Code(t) => {
                    out.push_str("<code>");
                    escape_into(p.text(t), out);
                    out.push_str("</code>");
                }
                Inline::Break => out.push_str("<br>"),
                Inline::Emphasis(c) => self.wrap("em", c, p, ctx, out),
                Inline::Strong(c) => self.wrap("strong", c, p, ctx, out),
                Inline::Strikethrough(c) => self.wrap("s", c, p, ctx, out),
                Inline::Link(link) => {
                    let _ = write!(out, "<a href=\"{}\" rel=\"external noopener\">", escape(&link.url));
                    self.inlines(&link.children, p, ctx, out);
                    out.push_str("</a>");
                }
                Inline::Annotation { id, children } => {
                    let mut inner = String::new();
                    self.inlines(children, p, ctx, &mut inner);
                    let id = *id as usize;
                    self.annotation(&ctx.source.annotations[id], &inner, id, ctx, out);
                }
            }
        }
    }

    fn wrap(&self, tag: &str, children: &[Inline], p: &Paragraph, ctx: &SourceCtx, out: &mut String) {
        let _ = write!(out, "<{tag}>");
        self.inlines(children, p, ctx, out);
        let _ = write!(out, "</{tag}>");
    }

    fn annotation(&self, a: &Annotation, inner: &str, id: usize, ctx: &SourceCtx, out: &mut String) {
        let d = self.dossier;
        let mut classes = String::from("ann");
        for &s in &a.sectors {
            let _ = write!(classes, " sec-{}", d.sectors[s].slug);
        }
        for (flag, class) in [(a.said.is_some(), " said"), (a.sic, " sic"), (a.event.is_some(), " ev")] {
            if flag {
                classes.push_str(class);
            }
        }
        let _ = write!(
            out,
            "<span class=\"{classes}\" title=\"{}\"",
            escape(&self.annotation_title(a))
        );
        if let Some(lang) = &a.lang {
            let _ = write!(out, " lang=\"{}\"", escape(lang));
        }
        out.push('>');
        match &a.date {
            Some(date) => {
                let _ = write!(out, "<time datetime=\"{}\">{inner}</time>", date.datetime_attr());
            }
            None => out.push_str(inner),
        }
        out.push_str("</span>");
        if a.sic {
            out.push_str("<span class=\"sic-mark\">[sic]</span>");
        }
        if let Some(n) = ctx.note_numbers.get(&id) {
            let target = format!("{}#n{n}", self.routes.page_of(&ctx.source.slug, a.paragraph));
            let _ = write!(
                out,
                "<sup class=\"note-ref\"><a href=\"{}\" aria-label=\"{} {n}\">{n}</a></sup>",
                href(&target),
                escape(self.i18n.strings.get("note").map_or("Note", String::as_str))
            );
        }
    }

    /// What an annotation says, in words, for its tooltip.
    fn annotation_title(&self, a: &Annotation) -> String {
        let d = self.dossier;
        let mut parts: Vec<String> = Vec::new();
        if !a.sectors.is_empty() {
            parts.push(
                a.sectors
                    .iter()
                    .map(|&s| d.sectors[s].title.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        }
        let actors: Vec<&str> = a
            .actors
            .iter()
            .chain(&a.said)
            .map(|&x| d.actors[x].name.as_str())
            .collect();
        if !actors.is_empty() {
            parts.push(actors.join(", "));
        }
        if let Some(date) = &a.date {
            parts.push(self.i18n.dates.format(date, true));
        }
        if let Some(e) = a.event {
            parts.push(d.events[e].title.clone());
        }
        parts.join(" · ")
    }

    /// Editorial Markdown as HTML: internal links resolved, headings shifted
    /// one level down (the page's title is the `h1`), raw HTML escaped unless
    /// the dossier allows it.
    pub fn markdown(&self, md: &Markdown) -> String {
        let d = self.dossier;
        let in_code_block = Cell::new(false);
        let events = Parser::new_ext(&md.text, crate::model::paragraph::markdown_options()).map(|event| match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code_block.set(true);
                Event::Start(Tag::CodeBlock(kind))
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block.set(false);
                Event::End(TagEnd::CodeBlock)
            }
            Event::Text(t) if !in_code_block.get() => match typography::apply(&t, &d.config.language) {
                std::borrow::Cow::Borrowed(_) => Event::Text(t),
                std::borrow::Cow::Owned(spaced) => Event::Text(spaced.into()),
            },
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = match md.links.get(dest_url.as_ref()) {
                    Some(&target) => CowStr::from(href(&self.routes.target(d, target))),
                    None => dest_url,
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => Event::Start(Tag::Heading {
                level: shift(level, md.top_heading),
                id,
                classes,
                attrs,
            }),
            Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shift(level, md.top_heading))),
            Event::Html(h) | Event::InlineHtml(h) if !d.config.allow_html || md.in_source => Event::Text(h),
            e => e,
        });
        let mut out = String::with_capacity(md.text.len() + md.text.len() / 4);
        pulldown_cmark::html::push_html(&mut out, events);
        restore_root(&out)
    }

    /// Inline Markdown (a note) without its wrapping paragraph.
    pub fn markdown_inline(&self, md: &Markdown) -> String {
        let html = self.markdown(md);
        let trimmed = html.trim();
        match trimmed.strip_prefix("<p>").and_then(|h| h.strip_suffix("</p>")) {
            Some(inner) if !inner.contains("<p>") => inner.to_string(),
            _ => trimmed.to_string(),
        }
    }
}

/// push_html percent-encodes hrefs, the root mark included: it is put
/// back at the start of an href only, never in text that reads
/// `%EF%B7%90` (a `"` in text is always `&quot;`).
fn restore_root(html: &str) -> String {
    html.replace(
        &format!("href=\"{ROOT_PERCENT_ENCODED}"),
        &format!("href=\"{}", super::routes::ROOT),
    )
}

/// The root mark as it comes out of pulldown-cmark's href escaping.
const ROOT_PERCENT_ENCODED: &str = "%EF%B7%90";

struct SourceCtx<'a> {
    source: &'a Source,
    note_numbers: &'a FxHashMap<usize, usize>,
}

/// Moves a heading so that the text's highest one is an `h2`, under the
/// page's `h1`, whether its author started at `#` or at `##`.
fn shift(level: HeadingLevel, top: Option<u8>) -> HeadingLevel {
    let shifted = level as u8 + 2 - top.unwrap_or(1).min(level as u8);
    HeadingLevel::try_from(usize::from(shifted.min(6))).unwrap_or(HeadingLevel::H6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_mark_survives_href_escaping() {
        let link = format!("[x]({}a.html)", super::super::routes::ROOT);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, Parser::new(&link));
        assert!(
            html.contains(&format!("href=\"{ROOT_PERCENT_ENCODED}a.html\"")),
            "{html}"
        );
    }

    /// Issue 13: the text `%EF%B7%90` was taken for the root mark and deleted.
    #[test]
    fn percent_encoded_mark_text_is_kept() {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, Parser::new("Encoded: %EF%B7%90 and `%EF%B7%90`."));
        let fixed = restore_root(&html);
        assert_eq!(fixed.matches("%EF%B7%90").count(), 2, "{fixed}");
    }

    #[test]
    fn the_highest_heading_of_a_text_becomes_an_h2() {
        use HeadingLevel::*;
        assert_eq!(shift(H2, Some(2)), H2, "`##` under a page title");
        assert_eq!(shift(H3, Some(2)), H3);
        assert_eq!(shift(H1, Some(1)), H2, "`#` under a page title");
        assert_eq!(shift(H3, Some(3)), H2);
        assert_eq!(shift(H6, Some(1)), H6, "never past h6");
    }

    #[test]
    fn escapes_markup_characters() {
        assert_eq!(
            escape("<script>\"a\" & b</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; b&lt;/script&gt;"
        );
    }
}
