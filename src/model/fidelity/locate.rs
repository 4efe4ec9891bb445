//! Where a difference is in the source file, and whether Markdown caused
//! it. The check compares plain text, without markup; a journalist edits
//! the Markdown. `span` walks a paragraph's Markdown along its plain text
//! (annotation attributes and link destinations stepped over, any other
//! character that the plain text lacks taken as markup) to find the first
//! differing character. `cause` tells whether the words the source lacks
//! are Markdown syntax the original happens to contain: a line starting
//! `1.` read as a list, `###` as a heading, `*` as emphasis…

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;

use crate::model::annotation;

/// The longest run of the original's characters taken for markup.
const MAX_MARKER: usize = 12;

/// The longest annotation attributes or link destination stepped over, in
/// bytes; a longer one is walked as text.
const MAX_MARKUP: usize = 4096;

/// What Markdown made of the characters the source lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    List,
    Heading,
    Quote,
    Rule,
    Emphasis,
    Code,
}

/// Markup of the original that Markdown ate: its kind and the characters,
/// as the original has them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Cause {
    pub kind: Kind,
    pub marker: String,
}

impl Cause {
    /// The marker written so that Markdown keeps it.
    pub fn escaped(&self) -> String {
        match self.kind {
            // `1.` → `1\.`: the punctuation after the digits.
            Kind::List if self.marker.starts_with(|c: char| c.is_ascii_digit()) => {
                let digits = self.marker.trim_end_matches(['.', ')']);
                format!("{digits}\\{}", &self.marker[digits.len()..])
            }
            Kind::Emphasis | Kind::Code => self.marker.chars().map(|c| format!("\\{c}")).collect(),
            // `\###`, `\-`, `\>`, `\---`: the first character is enough.
            _ => format!("\\{}", self.marker),
        }
    }

    /// Why the words differ and how to keep them, for the hint.
    pub fn explain(&self) -> String {
        let (m, escaped) = (&self.marker, self.escaped());
        match self.kind {
            Kind::List => format!(
                "`{m}` at the start of a paragraph makes it a Markdown list item, which drops the `{m}`: escape it: `{escaped}`"
            ),
            Kind::Heading => format!(
                "`{m}` at the start of a paragraph makes it a Markdown heading, which drops the `{m}`: escape it: `{escaped}`"
            ),
            Kind::Quote => format!(
                "`{m}` at the start of a paragraph makes it a Markdown quotation, which drops the `{m}`: escape it: `{escaped}`"
            ),
            Kind::Rule => format!(
                "`{m}` alone is a Markdown rule (a line across the page), which drops the `{m}`: escape it: `{escaped}`"
            ),
            Kind::Emphasis => format!(
                "`{m}` around words makes Markdown emphasis, which drops the `{m}`: escape each one: `{escaped}`"
            ),
            Kind::Code => {
                "a backtick around words makes Markdown code, which drops the backticks: escape each one: `\\``"
                    .to_string()
            }
        }
    }
}

/// Whether the characters of `theirs` from byte `at` on, which `ours`
/// lacks, are Markdown markup. `ours` and `theirs` are equal before `at`.
pub(super) fn cause(ours: &str, theirs: &str, at: usize) -> Option<Cause> {
    let (rest_ours, rest_theirs) = (&ours[at..], &theirs[at..]);
    let next_word = rest_ours.split(' ').next().unwrap_or("");
    let eaten = (1..=rest_theirs.len().min(MAX_MARKER))
        .filter(|&k| rest_theirs.is_char_boundary(k))
        .find(|&k| match next_word {
            "" => k == rest_theirs.len(),
            word => rest_theirs[k..].starts_with(word),
        })
        .map(|k| &rest_theirs[..k])?;
    let marker = eaten.trim_end();
    let alone = rest_ours.is_empty();
    let spaced = marker.len() < eaten.len() || alone;
    let made_of = |set: &[u8]| !marker.is_empty() && marker.bytes().all(|b| set.contains(&b));
    let start = at == 0;
    let kind = match () {
        _ if start && spaced && (is_ordered(marker) || matches!(marker, "-" | "*" | "+")) => Kind::List,
        _ if start && spaced && marker.len() <= 6 && made_of(b"#") => Kind::Heading,
        _ if start && made_of(b">") => Kind::Quote,
        _ if start && alone && marker.len() >= 3 && (made_of(b"-") || made_of(b"*") || made_of(b"_")) => Kind::Rule,
        _ if !spaced && marker.len() <= 3 && made_of(b"*_~") => Kind::Emphasis,
        _ if !spaced && made_of(b"`") => Kind::Code,
        _ => return None,
    };
    Some(Cause {
        kind,
        marker: marker.to_string(),
    })
}

/// The list marker `text` starts with (`2.`, `-`), if any: Markdown would
/// read it as a list item.
pub(super) fn list_marker(text: &str) -> Option<Cause> {
    let (_, rest) = text.split_once(' ')?;
    cause(rest, text, 0).filter(|c| c.kind == Kind::List)
}

/// `1.`, `12)`: what starts an ordered list item.
fn is_ordered(marker: &str) -> bool {
    let digits = marker.trim_end_matches(['.', ')']);
    marker.len() == digits.len() + 1 && (1..=9).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Where, in the file, the paragraph whose Markdown is `text[block]` and
/// whose normalised plain text is `normal` first differs, `common` bytes
/// into `normal`: on the markup that ate the words when there is a
/// `cause`, else on the first differing character, else (the source stops
/// short) on its last character.
pub(super) fn span(
    text: &str,
    block: &Range<usize>,
    normal: &str,
    common: usize,
    cause: Option<&Cause>,
) -> Range<usize> {
    let raw = &text[block.clone()];
    let mut walker = Walker { raw, pos: 0 };
    if !normal[..common].chars().all(|c| walker.pass(c).is_some()) {
        return block.start..block.start;
    }
    let local = match (cause, normal[common..].chars().next()) {
        (Some(cause), _) if walker.rest().trim_start().starts_with(&cause.marker) => {
            let at = walker.pos + walker.rest().len() - walker.rest().trim_start().len();
            Some(at..at + cause.marker.len())
        }
        (_, Some(next)) => walker.pass(next),
        (_, None) => raw.char_indices().last().map(|(i, c)| i..i + c.len_utf8()),
    };
    local.map_or(block.start..block.start, |r| block.start + r.start..block.start + r.end)
}

/// A cursor in a paragraph's Markdown, moved along its plain text.
struct Walker<'a> {
    raw: &'a str,
    pos: usize,
}

impl Walker<'_> {
    fn rest(&self) -> &str {
        &self.raw[self.pos..]
    }

    /// Moves past the Markdown of the plain character `c`; the byte range
    /// of that Markdown character, or `None` if the text has none.
    fn pass(&mut self, c: char) -> Option<Range<usize>> {
        while let Some(r) = self.rest().chars().next() {
            if let Some(end) = self.markup_end() {
                self.pos = end;
                continue;
            }
            let at = self.pos;
            self.pos += r.len_utf8();
            if same(c, r) {
                return Some(at..self.pos);
            }
        }
        None
    }

    /// The end of annotation attributes (`]{…}`) or a link's destination
    /// (`](…)`) starting here: text the plain text never has. Looked for
    /// within [`MAX_MARKUP`] bytes, so that a long line of `](` stays
    /// linear.
    fn markup_end(&self) -> Option<usize> {
        let rest = self.rest();
        if !rest.starts_with("]{") && !rest.starts_with("](") || self.raw[..self.pos].ends_with('\\') {
            return None;
        }
        let limit = crate::diagnostic::floor_char_boundary(self.raw, (self.pos + MAX_MARKUP).min(self.raw.len()));
        let window = &self.raw[..limit];
        if rest.starts_with("]{") {
            return annotation::attrs_end(window, self.pos + 2).map(|end| end + 1);
        }
        window[self.pos..].find(')').map(|end| self.pos + end + 1)
    }
}

/// Whether the Markdown character `raw` may be the plain character `c`:
/// the same, both white space, or `raw` the base of a decomposed `c`.
fn same(c: char, raw: char) -> bool {
    c == raw || c == ' ' && raw.is_whitespace() || std::iter::once(c).nfd().next() == Some(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cause_of(ours: &str, theirs: &str) -> Option<(Kind, String, String)> {
        let at = ours.bytes().zip(theirs.bytes()).take_while(|(a, b)| a == b).count();
        cause(ours, theirs, at).map(|c| (c.kind, c.marker.clone(), c.escaped()))
    }

    #[test]
    fn names_the_markdown_that_ate_the_words() {
        let cases = [
            ("A provision.", "1. A provision.", Kind::List, "1.", "1\\."),
            ("A provision.", "12) A provision.", Kind::List, "12)", "12\\)"),
            ("An item.", "- An item.", Kind::List, "-", "\\-"),
            ("An item.", "+ An item.", Kind::List, "+", "\\+"),
            ("", "###", Kind::Heading, "###", "\\###"),
            ("End", "## End", Kind::Heading, "##", "\\##"),
            ("quoted", "> quoted", Kind::Quote, ">", "\\>"),
            ("", "---", Kind::Rule, "---", "\\---"),
            ("a big deal", "a *big* deal", Kind::Emphasis, "*", "\\*"),
            ("a big deal", "a __big__ deal", Kind::Emphasis, "__", "\\_\\_"),
            ("run ls now", "run `ls` now", Kind::Code, "`", "\\`"),
        ];
        for (ours, theirs, kind, marker, escaped) in cases {
            assert_eq!(
                cause_of(ours, theirs),
                Some((kind, marker.to_string(), escaped.to_string())),
                "{theirs}"
            );
        }
    }

    #[test]
    fn other_differences_have_no_markdown_cause() {
        for (ours, theirs) in [
            ("le Niger signe", "le Burkina signe"),
            ("A provision.", "1.A provision."),
            ("5 %", "-5 %"),
            ("the end", "the # end"),
            ("deal", "a deal"),
        ] {
            assert_eq!(cause_of(ours, theirs), None, "{theirs}");
        }
    }

    fn span_in(raw: &str, normal: &str, common: usize, cause: Option<&Cause>) -> String {
        let text = format!("---\n---\n{raw}");
        let block = 8..text.len();
        text[span(&text, &block, normal, common, cause)].to_string()
    }

    #[test]
    fn points_at_the_first_differing_character_past_the_markup() {
        let raw = "Le [Mali]{actor=mali note=\"Niger\"} et **le** [Niger](https://n.example) signent.";
        let normal = "Le Mali et le Niger signent.";
        let at = normal.find("Niger").unwrap();
        assert_eq!(span_in(raw, normal, at, None), "N");
        assert_eq!(span_in(raw, normal, normal.find("signent").unwrap(), None), "s");
        assert_eq!(span_in("Cafe\u{301} noir", "Café noir", "Café ".len(), None), "n");
        assert_eq!(
            span_in("Short", "Short", 5, None),
            "t",
            "the last character when ours stops"
        );
    }

    #[test]
    fn points_at_the_markup_that_ate_the_words() {
        let list = Cause {
            kind: Kind::List,
            marker: "1.".into(),
        };
        assert_eq!(span_in("1. A provision.", "A provision.", 0, Some(&list)), "1.");
        let emphasis = Cause {
            kind: Kind::Emphasis,
            marker: "*".into(),
        };
        assert_eq!(span_in("a *big* deal", "a big deal", 2, Some(&emphasis)), "*");
    }
}
