//! The typography of the dossier's language, applied to text nodes only
//! (never to URLs, attributes or code), at render time: the stored sources
//! keep their own characters. French: a narrow no-break space before `; ! ?`
//! and inside « », a no-break space before `:`.

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
    if !text.contains([';', '!', '?', ':', '«', '»']) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(french_spaces(text))
}

fn french_spaces(text: &str) -> String {
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
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(entity)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
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

    #[test]
    fn leaves_other_languages_alone() {
        assert_eq!(apply("What ? « x »", "en"), "What ? « x »");
    }
}
