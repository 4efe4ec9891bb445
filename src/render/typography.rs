//! The typography of a text's language, applied to text nodes only (never
//! to URLs, attributes or code), at render time: the stored sources keep
//! their own characters. A source's words take its language's (a French
//! source quoted in an English dossier keeps its French spacing, an
//! English one in a French dossier gets none); the dossier's own words
//! take the dossier's. French: a narrow no-break space before `; ! ?` and
//! inside « », a no-break space before `:`.

use std::borrow::Cow;
use std::io::Write;

const NARROW_NBSP: char = '\u{202f}';
const NBSP: char = '\u{a0}';

pub fn apply<'a>(text: &'a str, language: &str) -> Cow<'a, str> {
    if !is_french(language) {
        return Cow::Borrowed(text);
    }
    french(text)
}

fn french(text: &str) -> Cow<'_, str> {
    let mut marks = punctuation(text).peekable();
    if marks.peek().is_none() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(french_spaces(text, marks))
}

/// Where `text` has `; ! ? :` or a guillemet, in order: two memchr
/// passes (vectorised; most of a paragraph is copied as it is), the
/// second also finding the first byte of `«` and `»`.
fn punctuation(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    let marks = memchr::memchr3_iter(b';', b'!', b'?', bytes);
    let colons_and_guillemets = memchr::memchr2_iter(b':', 0xC2, bytes)
        .filter(move |&at| bytes[at] == b':' || matches!(bytes.get(at + 1), Some(0xAB | 0xBB)));
    merge(marks, colons_and_guillemets)
}

fn merge(a: impl Iterator<Item = usize>, b: impl Iterator<Item = usize>) -> impl Iterator<Item = usize> {
    let (mut a, mut b) = (a.peekable(), b.peekable());
    std::iter::from_fn(move || match (a.peek(), b.peek()) {
        (Some(x), Some(y)) if x <= y => a.next(),
        (_, Some(_)) => b.next(),
        _ => a.next(),
    })
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | NBSP | NARROW_NBSP)
}

/// The spaces around each mark at `marks`: a space before `; ! ? »`
/// becomes narrow and no-break, one before `:` no-break; `«` is followed
/// by one narrow no-break space (the spaces after it are dropped) and `»`
/// always preceded by one. The text between marks is copied as it is.
fn french_spaces(text: &str, marks: impl Iterator<Item = usize>) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    // The text from here on is still to be copied; before `skipped`, the
    // spaces after a `«` are dropped.
    let (mut copied, mut skipped) = (0, 0);
    for at in marks {
        if at < skipped {
            continue;
        }
        let before = &text[copied..at];
        let mark = text[at..].chars().next().unwrap_or_default();
        let space = before.chars().next_back().filter(|&c| is_space(c));
        match (space, mark) {
            (Some(space), ';' | '!' | '?' | '»') => {
                out.push_str(&before[..before.len() - space.len_utf8()]);
                out.push(NARROW_NBSP);
            }
            (Some(space), ':') => {
                out.push_str(&before[..before.len() - space.len_utf8()]);
                out.push(NBSP);
            }
            _ => out.push_str(before),
        }
        copied = at + mark.len_utf8();
        match mark {
            '«' => {
                out.push_str("«\u{202f}");
                skipped = copied + text[copied..].len() - text[copied..].trim_start_matches(is_space).len();
                copied = skipped;
            }
            '»' => {
                if !out.ends_with(NARROW_NBSP) {
                    let trimmed = out.trim_end_matches([' ', NBSP]).len();
                    out.truncate(trimmed);
                    out.push(NARROW_NBSP);
                }
                out.push('»');
            }
            mark => out.push(mark),
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// `text` escaped for an HTML text node, with the language's typography.
/// The render stage sets every text node through this or through
/// [`escaper`] (Tera's values), and never rescans a page it has rendered.
pub fn escape_text(text: &str, language: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_text_into(text, language, &mut out);
    out
}

pub fn escape_text_into(text: &str, language: &str, out: &mut String) {
    super::html::escape_into(&apply(text, language), out);
}

/// Tera's escape function for a dossier in `language`: Tera's escaping,
/// with the typography applied first. Attribute values get it too, which
/// is harmless: no URL or slug holds a space before `;!?:` or a guillemet.
pub fn escaper(language: &str) -> tera::EscapeFn {
    if is_french(language) {
        escape_french
    } else {
        escape_plain
    }
}

fn is_french(language: &str) -> bool {
    language == "fr" || language.starts_with("fr-")
}

fn escape_french(text: &str, out: &mut dyn Write) -> std::io::Result<()> {
    escape_plain(&french(text), out)
}

/// The five characters `tera::escape_html` escapes, written in runs
/// rather than a byte at a time.
fn escape_plain(text: &str, out: &mut dyn Write) -> std::io::Result<()> {
    let mut written = Ok(());
    super::html::escape_runs(text, tera_entity, |run| {
        if written.is_ok() {
            written = out.write_all(run.as_bytes());
        }
    });
    written
}

/// Tera's entities: the text nodes' and attributes' own, and `'`.
fn tera_entity(byte: u8) -> Option<&'static str> {
    match byte {
        b'\'' => Some("&#39;"),
        byte => super::html::html_entity(byte),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tera_values_are_escaped_then_spaced_in_french_only() {
        let escape = |language: &str, text: &str| {
            let mut out = Vec::new();
            escaper(language)(text, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        let text = "Oui : <b> & 'x' \"y\" ?";
        assert_eq!(
            escape("fr", text),
            "Oui\u{a0}: &lt;b&gt; &amp; &#39;x&#39; &quot;y&quot;\u{202f}?"
        );
        let mut tera = Vec::new();
        tera::escape_html(text, &mut tera).unwrap();
        assert_eq!(escape("en", text).into_bytes(), tera, "Tera's own escaping");
    }

    #[test]
    fn text_nodes_are_spaced_and_escaped() {
        assert_eq!(escape_text("a < b ?", "fr-CA"), "a &lt; b\u{202f}?");
        assert_eq!(escape_text("a < b ?", "en"), "a &lt; b ?");
    }

    #[test]
    fn spaces_french_punctuation() {
        let cases = [
            (
                "Quoi ? Non ! Oui ; enfin : « bien »",
                "Quoi\u{202f}? Non\u{202f}! Oui\u{202f}; enfin\u{a0}: «\u{202f}bien\u{202f}»",
            ),
            ("«Nous»", "«\u{202f}Nous\u{202f}»"),
            ("http://a.org/?q=1 et 10:30", "http://a.org/?q=1 et 10:30"),
        ];
        for (text, expected) in cases {
            assert_eq!(apply(text, "fr"), expected, "{text}");
        }
    }

    /// The spacing as it was written first, a character at a time: the
    /// faster pass must give the same text for any input.
    fn reference(text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 8);
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                ' ' | NBSP | NARROW_NBSP if matches!(chars.peek(), Some(';' | '!' | '?' | '»')) => {
                    out.push(NARROW_NBSP);
                }
                ' ' | NBSP | NARROW_NBSP if chars.peek() == Some(&':') => out.push(NBSP),
                '«' => {
                    out.push('«');
                    out.push(NARROW_NBSP);
                    while chars.peek().is_some_and(|n| matches!(*n, ' ' | NBSP | NARROW_NBSP)) {
                        chars.next();
                    }
                }
                '»' => {
                    if !out.ends_with(NARROW_NBSP) {
                        let trimmed = out.trim_end_matches([' ', NBSP]).len();
                        out.truncate(trimmed);
                        out.push(NARROW_NBSP);
                    }
                    out.push('»');
                }
                c => out.push(c),
            }
        }
        out
    }

    #[test]
    fn spacing_matches_the_reference_on_hard_cases() {
        for text in [
            "« ; »",
            "«  :x",
            "a  »",
            "a \u{a0}»",
            "«»",
            "»»",
            "««",
            " ! ? ; :",
            "a\u{202f}:",
            "« « »",
            "x :: y",
            "ab\u{a0}\u{a0};",
            "\u{c2}\u{ab}",
            "é«é»é",
            "a !",
            "",
        ] {
            assert_eq!(apply(text, "fr"), reference(text), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn spacing_matches_the_reference(text in "[a é«»;:!?\u{a0}\u{202f}\u{ab}x]{0,24}") {
            proptest::prop_assert_eq!(apply(&text, "fr").into_owned(), reference(&text));
        }
    }

    #[test]
    fn leaves_other_languages_alone() {
        assert_eq!(apply("What ? « x »", "en"), "What ? « x »");
    }
}
