//! The typography of the dossier's language, applied to text nodes only
//! (never to URLs, attributes or code), at render time: the stored sources
//! keep their own characters. French: a narrow no-break space before `; ! ?`
//! and inside « », a no-break space before `:`.

use std::borrow::Cow;

const NARROW_NBSP: char = '\u{202f}';
const NBSP: char = '\u{a0}';

pub fn apply<'a>(text: &'a str, language: &str) -> Cow<'a, str> {
    if language != "fr" && !language.starts_with("fr-") {
        return Cow::Borrowed(text);
    }
    if !text.contains([';', '!', '?', ':', '«', '»']) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(french(text))
}

fn french(text: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

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
