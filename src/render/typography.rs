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

/// Applies the typography to every text node of an HTML page, leaving
/// tags, attributes, comments and the content of `script`, `style`, `code`
/// and `pre` untouched.
pub fn apply_to_html(html: &str, language: &str) -> String {
    if !language.starts_with("fr") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + html.len() / 50);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&apply(&rest[..lt], language));
        rest = &rest[lt..];
        let tag_end = tag_end(rest);
        let tag = &rest[..tag_end];
        out.push_str(tag);
        rest = &rest[tag_end..];
        if let Some(name) = raw_element(tag) {
            let close = format!("</{name}");
            let end = rest.find(&close).unwrap_or(rest.len());
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out.push_str(&apply(rest, language));
    out
}

/// The length of the tag (or comment) at the start of `s`, quotes respected.
fn tag_end(s: &str) -> usize {
    if s.starts_with("<!--") {
        return s.find("-->").map_or(s.len(), |i| i + 3);
    }
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

/// The name of an element whose content is not prose, if `tag` opens one.
fn raw_element(tag: &str) -> Option<&'static str> {
    let name: String = tag[1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    ["script", "style", "code", "pre", "textarea"]
        .into_iter()
        .find(|raw| *raw == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touches_text_nodes_only() {
        let html = "<p title=\"a : b\">Oui : <a href=\"x?y=1\">non ?</a> <code>a ; b</code></p><style>a : b</style>";
        assert_eq!(
            apply_to_html(html, "fr"),
            "<p title=\"a : b\">Oui\u{a0}: <a href=\"x?y=1\">non\u{202f}?</a> <code>a ; b</code></p><style>a : b</style>"
        );
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
