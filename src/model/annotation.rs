//! The annotation syntax: Pandoc-style bracketed spans `[TEXT]{ATTRS}` in
//! the Markdown of a source. This module only reads the syntax: it removes
//! the markup, giving back the Markdown the source would have without
//! annotations, and lists each span with its attributes and their places in
//! the file. What the keys mean is the model's business.
//!
//! - Brackets not followed by `{` stay literal (`[sic]`, Markdown links).
//! - Spans nest: `[[Poutine]{actor=p} a dit]{sector=s}`.
//! - `\[`, `\]` and code spans are never annotation markup: the text
//!   `[a]{b}` is written `\[a\]{b}`, as in Pandoc.
//! - ATTRS are space-separated `key=value`, `key="quoted \" value"` or bare
//!   `flag`s.

use std::ops::Range;

use super::nesting::MAX_ANNOTATION_DEPTH;
use crate::code::Code;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    pub key: String,
    pub value: Option<String>,
    /// File offsets of the key, and of the whole `key=value`.
    pub key_span: Range<usize>,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawSpan {
    /// The annotated words, as a range of [`Stripped::text`].
    pub range: Range<usize>,
    pub attrs: Vec<Attr>,
    /// File offsets of the whole `[TEXT]{ATTRS}`.
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub code: Code,
    pub message: String,
    pub span: Range<usize>,
    pub help: &'static str,
}

/// A block of Markdown with its annotation markup removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stripped {
    pub text: String,
    /// Spans in the order their closing bracket appears (inner spans first).
    pub spans: Vec<RawSpan>,
    pub errors: Vec<SyntaxError>,
}

/// Reads the annotations of `block`, a piece of a file starting at byte
/// `base` of that file.
pub fn strip(block: &str, base: usize) -> Stripped {
    let mut parser = Parser::new(block, base);
    parser.run();
    parser.finish()
}

struct Parser<'a> {
    src: &'a str,
    base: usize,
    pos: usize,
    /// The text with every `[` kept (removed ones are dropped in `finish`).
    out: String,
    /// Unmatched `[`: (offset in `out`, offset in `src`, depth of the
    /// annotations closed inside it so far).
    open: Vec<(usize, usize, usize)>,
    /// Offsets in `out` of the `[` that opened annotations.
    removed: Vec<usize>,
    spans: Vec<RawSpan>,
    errors: Vec<SyntaxError>,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str, base: usize) -> Self {
        Parser {
            src,
            base,
            pos: 0,
            out: String::with_capacity(src.len()),
            open: Vec::new(),
            removed: Vec::new(),
            spans: Vec::new(),
            errors: Vec::new(),
        }
    }

    fn run(&mut self) {
        loop {
            // The text up to the next mark is copied whole: the marks are
            // ASCII, so the run ends on a character boundary.
            let rest = &self.src.as_bytes()[self.pos..];
            let run = rest
                .iter()
                .position(|b| matches!(b, b'\\' | b'`' | b'[' | b']'))
                .unwrap_or(rest.len());
            self.copy(run);
            let Some(&mark) = self.src.as_bytes().get(self.pos) else {
                break;
            };
            match mark {
                b'\\' => self.copy_escape(),
                b'`' => self.copy_code_span(),
                b'[' => {
                    self.open.push((self.out.len(), self.pos, 0));
                    self.copy(1);
                }
                _ if self.src[self.pos + 1..].starts_with('{') => self.close_span(),
                _ => {
                    if let Some((_, _, inner)) = self.open.pop() {
                        self.nested_in_parent(inner);
                    }
                    self.copy(1);
                }
            }
        }
    }

    fn copy(&mut self, len: usize) {
        self.out.push_str(&self.src[self.pos..self.pos + len]);
        self.pos += len;
    }

    fn copy_escape(&mut self) {
        let next = self.src[self.pos + 1..].chars().next().map_or(0, char::len_utf8);
        self.copy(1 + next);
    }

    /// Copies a code span whole: brackets inside code are never markup.
    fn copy_code_span(&mut self) {
        let rest = &self.src[self.pos..];
        let ticks = rest.len() - rest.trim_start_matches('`').len();
        let fence = &rest[..ticks];
        match rest[ticks..].find(fence) {
            Some(i) => self.copy(ticks + i + ticks),
            None => self.copy(ticks),
        }
    }

    fn close_span(&mut self) {
        let bracket = self.pos;
        let attrs_start = bracket + 2;
        let attrs_end = match find_attrs_end(self.src, attrs_start) {
            Ok(end) => end,
            Err(unclosed) => return self.unclosed_attrs(bracket, unclosed),
        };
        let attrs = self.parse_attrs(attrs_start, attrs_end);
        match self.open.pop() {
            Some((_, src_at, inner)) if inner >= MAX_ANNOTATION_DEPTH => return self.too_deep(src_at),
            Some((out_at, src_at, inner)) => {
                self.nested_in_parent(inner + 1);
                self.removed.push(out_at);
                self.spans.push(RawSpan {
                    range: out_at..self.out.len(),
                    attrs,
                    span: self.base + src_at..self.base + attrs_end + 1,
                });
            }
            None => self.error(
                Code::E0101,
                "`]{` closes an annotation that was never opened".into(),
                bracket..attrs_end + 1,
                "put `[` before the words the annotation is about: `[words]{key=value}`",
            ),
        }
        self.pos = attrs_end + 1;
    }

    /// Annotations `depth` deep end inside the innermost open bracket.
    fn nested_in_parent(&mut self, depth: usize) {
        if let Some(parent) = self.open.last_mut() {
            parent.2 = parent.2.max(depth);
        }
    }

    /// Reports annotations nested too deep, at the `[` that goes past the
    /// limit. The rest of the block is kept as text: nothing recursive ever
    /// sees the nesting.
    fn too_deep(&mut self, src_at: usize) {
        self.error(
            Code::E0107,
            format!("annotations are nested more than {MAX_ANNOTATION_DEPTH} deep here"),
            src_at..src_at + 1,
            "no passage needs this many levels: give one annotation several keys, `[words]{sector=a actor=b}`",
        );
        self.open.clear();
        self.copy(self.src.len() - self.pos);
    }

    /// Reports attributes that never end. The rest of the block cannot be
    /// read as annotations, so it is kept as text and its `[` is consumed:
    /// one mistake, one message.
    fn unclosed_attrs(&mut self, bracket: usize, unclosed: Unclosed) {
        match unclosed {
            Unclosed::Quote(at) => self.error(
                Code::E0102,
                "this quoted value is never closed".into(),
                at..at + 1,
                "end the value with `\"`; a `\"` inside a quoted value is written `\\\"`",
            ),
            Unclosed::Braces => self.error(
                Code::E0102,
                "the annotation's attributes are never closed".into(),
                bracket..bracket + 2,
                "end the attributes with `}`",
            ),
        }
        self.open.pop();
        self.copy(self.src.len() - self.pos);
    }

    fn parse_attrs(&mut self, start: usize, end: usize) -> Vec<Attr> {
        let errors_before = self.errors.len();
        let mut attrs: Vec<Attr> = Vec::new();
        let mut at = start;
        while at < end {
            let rest = &self.src[at..end];
            let skipped = rest.len() - rest.trim_start().len();
            at += skipped;
            if at >= end {
                break;
            }
            match self.parse_attr(at, end) {
                Ok((attr, next)) => {
                    if attrs.iter().any(|a| a.key == attr.key) {
                        self.error(
                            Code::E0104,
                            format!("the key `{}` is given twice", attr.key),
                            attr.key_span.start - self.base..attr.key_span.end - self.base,
                            "give each key once; several values go in one key: `sector=a,b`",
                        );
                    } else {
                        attrs.push(attr);
                    }
                    at = next;
                }
                Err(next) => at = next,
            }
        }
        if attrs.is_empty() && self.errors.len() == errors_before {
            self.error(
                Code::E0103,
                "the annotation has no attributes".into(),
                start - 1..end + 1,
                "write at least one `key=value`, e.g. `{sector=energie}`, or remove the braces",
            );
        }
        attrs
    }

    /// One attribute at `at`; on error, reports it and returns where to
    /// resume.
    fn parse_attr(&mut self, at: usize, end: usize) -> Result<(Attr, usize), usize> {
        let rest = &self.src[at..end];
        let key_len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        if key_len == 0 {
            let bad_len = rest.chars().next().map_or(1, char::len_utf8);
            let next = skip_word(self.src, at, end);
            let message = if rest.starts_with('=') {
                "an attribute has a value but no key".to_string()
            } else {
                format!("unexpected `{}` in the attributes", &rest[..bad_len])
            };
            self.error(
                Code::E0103,
                message,
                at..at + bad_len,
                "attributes are `key=value`, `key=\"quoted value\"` or a bare flag like `sic`",
            );
            return Err(next);
        }
        let key = &rest[..key_len];
        let key_span = self.base + at..self.base + at + key_len;
        let after_key = at + key_len;
        if !self.src[after_key..end].starts_with('=') {
            let attr = Attr {
                key: key.to_string(),
                value: None,
                key_span: key_span.clone(),
                span: key_span,
            };
            return Ok((attr, after_key));
        }
        let value_at = after_key + 1;
        let (value, next) = if self.src[value_at..end].starts_with('"') {
            read_quoted(self.src, value_at + 1, end).ok_or_else(|| {
                self.error(
                    Code::E0102,
                    "a quoted value is never closed".into(),
                    value_at..end,
                    "end the value with `\"`; a `\"` inside it is written `\\\"`",
                );
                end
            })?
        } else {
            let next = skip_word(self.src, value_at, end);
            (self.src[value_at..next].to_string(), next)
        };
        if value.is_empty() && !self.src[value_at..end].starts_with('"') {
            self.error(
                Code::E0103,
                format!("`{key}=` has an empty value"),
                at..value_at,
                "give a value after `=`, or quote an empty one: `key=\"\"`",
            );
            return Err(next);
        }
        let attr = Attr {
            key: key.to_string(),
            value: Some(value),
            key_span,
            span: self.base + at..self.base + next,
        };
        Ok((attr, next))
    }

    fn error(&mut self, code: Code, message: String, span: Range<usize>, help: &'static str) {
        self.errors.push(SyntaxError {
            code,
            message,
            span: self.base + span.start..self.base + span.end,
            help,
        });
    }

    /// Drops the `[` of every annotation from the text and shifts the spans
    /// accordingly; reports `[` left open before something that looks like
    /// attributes.
    fn finish(mut self) -> Stripped {
        let last_attrs = last_attrs_like(self.src);
        for &(_, src_at, _) in &self.open {
            if last_attrs.is_some_and(|at| at > src_at) {
                self.errors.push(SyntaxError {
                    code: Code::E0100,
                    message: "`[` opens an annotation that is never closed".into(),
                    span: self.base + src_at..self.base + src_at + 1,
                    help: "close the annotated words with `]` right before `{`; a literal bracket followed by an annotation is written `\\[`",
                });
            }
        }
        let mut removed = self.removed;
        removed.sort_unstable();
        let shift = |pos: usize| removed.partition_point(|&r| r < pos);
        let mut text = String::with_capacity(self.out.len());
        let mut last = 0;
        for &r in &removed {
            text.push_str(&self.out[last..r]);
            last = r + 1;
        }
        text.push_str(&self.out[last..]);
        for span in &mut self.spans {
            // The span's own `[` is at `range.start` and is removed.
            let start = span.range.start - shift(span.range.start);
            let end = span.range.end - shift(span.range.end);
            span.range = start..end;
        }
        Stripped {
            text,
            spans: self.spans,
            errors: self.errors,
        }
    }
}

/// The offset of the `}` closing attributes that start at `from`, skipping
/// quoted values; `None` if there is none.
fn find_attrs_end(src: &str, from: usize) -> Result<usize, Unclosed> {
    let mut quote_at = None;
    let mut escaped = false;
    for (i, c) in src[from..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quote_at.is_some() => escaped = true,
            '"' if quote_at.is_some() => quote_at = None,
            '"' => quote_at = Some(from + i),
            '}' if quote_at.is_none() => return Ok(from + i),
            _ => {}
        }
    }
    Err(match quote_at {
        Some(at) => Unclosed::Quote(at),
        None => Unclosed::Braces,
    })
}

/// The offset of the `}` that ends attributes opened at `from`, if any:
/// how the fidelity check steps over annotation markup.
pub(crate) fn attrs_end(src: &str, from: usize) -> Option<usize> {
    find_attrs_end(src, from).ok()
}

/// Why attributes never end.
enum Unclosed {
    /// A quoted value opened at this offset is never closed.
    Quote(usize),
    /// There is no `}`.
    Braces,
}

/// Reads a quoted value starting after its opening quote; returns the
/// unescaped value and the offset after the closing quote.
fn read_quoted(src: &str, from: usize, end: usize) -> Option<(String, usize)> {
    let mut value = String::new();
    let mut chars = src[from..end].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((value, from + i + 1)),
            '\\' => match chars.next() {
                Some((_, n)) => value.push(n),
                None => return None,
            },
            c => value.push(c),
        }
    }
    None
}

fn skip_word(src: &str, from: usize, end: usize) -> usize {
    src[from..end].find(char::is_whitespace).map_or(end, |i| from + i)
}

/// The offset of the last `{` in the block that looks like attributes
/// (`{word=` or `{word}`): an unmatched `[` before it is reported. One
/// pass, however many brackets are left open.
fn last_attrs_like(src: &str) -> Option<usize> {
    src.rmatch_indices('{').map(|(i, _)| i).find(|&i| {
        let rest = &src[i + 1..];
        let word = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        word > 0 && (rest[word..].starts_with('=') || rest[word..].starts_with('}'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value<'a>(span: &'a RawSpan, key: &str) -> Option<&'a str> {
        span.attrs
            .iter()
            .find(|a| a.key == key)
            .and_then(|a| a.value.as_deref())
    }

    /// What `strip` was when its loop went a character at a time: the
    /// reference for the loop that copies runs of text whole.
    fn strip_a_character_at_a_time(block: &str, base: usize) -> Stripped {
        let mut p = Parser::new(block, base);
        while let Some(c) = p.src[p.pos..].chars().next() {
            match c {
                '\\' => p.copy_escape(),
                '`' => p.copy_code_span(),
                '[' => {
                    p.open.push((p.out.len(), p.pos, 0));
                    p.copy(1);
                }
                ']' if p.src[p.pos + 1..].starts_with('{') => p.close_span(),
                ']' => {
                    if let Some((_, _, inner)) = p.open.pop() {
                        p.nested_in_parent(inner);
                    }
                    p.copy(1);
                }
                c => p.copy(c.len_utf8()),
            }
        }
        p.finish()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        #[test]
        fn copying_runs_whole_matches_the_reference(text in r#"[aé \[\]{}\\`="x]{0,24}"#) {
            proptest::prop_assert_eq!(strip(&text, 7), strip_a_character_at_a_time(&text, 7));
        }
    }

    #[test]
    fn strips_a_span_and_keeps_its_words() {
        let s = strip("Le [24 juin 2025]{date=2025-06-24} à Moscou", 100);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(s.text, "Le 24 juin 2025 à Moscou");
        assert_eq!(&s.text[s.spans[0].range.clone()], "24 juin 2025");
        assert_eq!(value(&s.spans[0], "date"), Some("2025-06-24"));
        assert_eq!(s.spans[0].span, 103..134);
    }

    #[test]
    fn reads_quoted_values_flags_and_lists() {
        let s = strip(r#"[x]{sic note="dit « \"non\" »" sector=a,b}"#, 0);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        let span = &s.spans[0];
        assert_eq!(value(span, "note"), Some("dit « \"non\" »"));
        assert_eq!(value(span, "sector"), Some("a,b"));
        assert!(span.attrs.iter().any(|a| a.key == "sic" && a.value.is_none()));
    }

    #[test]
    fn keeps_literal_brackets_and_links() {
        let text = "Il a dit [sic] et [lien](https://x.org) puis \\[a\\]{b}.";
        let s = strip(text, 0);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert!(s.spans.is_empty());
        assert_eq!(s.text, text);
    }

    #[test]
    fn an_escaped_bracket_never_closes_or_opens() {
        let s = strip("[un \\[ seul]{sector=s} et \\]{x}", 0);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(s.spans.len(), 1);
        assert_eq!(&s.text[s.spans[0].range.clone()], "un \\[ seul");
    }

    #[test]
    fn nests_spans_and_keeps_literal_brackets_inside() {
        let s = strip("[[Poutine]{actor=p} a dit [sic] oui]{sector=s}.", 0);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(s.text, "Poutine a dit [sic] oui.");
        let inner = &s.spans[0];
        let outer = &s.spans[1];
        assert_eq!(&s.text[inner.range.clone()], "Poutine");
        assert_eq!(&s.text[outer.range.clone()], "Poutine a dit [sic] oui");
    }

    #[test]
    fn ignores_brackets_in_code() {
        let s = strip("`[a]{b}` et [c]{d=e}", 0);
        assert_eq!(s.text, "`[a]{b}` et c");
        assert_eq!(s.spans.len(), 1);
    }

    #[test]
    fn locates_syntax_errors() {
        let cases: &[(&str, Code, &str)] = &[
            ("[a]{note=\"x}", Code::E0102, "\""),
            ("[a]{sector=x", Code::E0102, "]{"),
            ("a]{sector=x}", Code::E0101, "]{sector=x}"),
            ("[a{sector=x}", Code::E0100, "["),
            ("[a]{=x}", Code::E0103, "="),
            ("[a]{sector=}", Code::E0103, "sector="),
            ("[a]{}", Code::E0103, "{}"),
            ("[a]{sector=x sector=y}", Code::E0104, "sector"),
            ("[a]{.class}", Code::E0103, "."),
        ];
        for (text, code, at) in cases {
            let s = strip(text, 10);
            assert_eq!(s.errors.len(), 1, "{text}: one mistake, one message: {:?}", s.errors);
            let err = &s.errors[0];
            assert_eq!(err.code, *code, "{text}: {err:?}");
            let span = err.span.start - 10..err.span.end - 10;
            assert_eq!(&text[span], *at, "{text}");
        }
    }

    #[test]
    fn survives_unicode_everywhere() {
        let s = strip("« [Ça]{note=\"é\"} » ]{ [", 0);
        assert_eq!(s.spans.len(), 1);
        assert!(s.text.starts_with("« Ça »"));
    }
}
