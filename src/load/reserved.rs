//! Characters no dossier text may hold. The engine marks its own output
//! with noncharacters (`marker::ROOT`, `marker::PART`, and the rest of
//! U+FDD0–U+FDEF kept for later marks): one in the input would be read back
//! as a mark and break the page it lands in. And XML forbids most control
//! characters, so one in a title would make `feed.xml` invalid. Both are
//! refused where they are written, the first in any file by one scan of
//! its bytes, the second in front matter, as typed or as a YAML escape.

use std::ops::Range;
use std::path::Path;

use crate::code::Code;
use crate::diagnostic::Diagnostic;

/// U+FDD0–U+FDEF in UTF-8: `EF B7 90` to `EF B7 AF`.
fn is_reserved(c: char) -> bool {
    ('\u{FDD0}'..='\u{FDEF}').contains(&c)
}

/// Characters XML 1.0 forbids, but for the line breaks and tabs a YAML
/// file is made of.
fn is_forbidden_control(c: char) -> bool {
    (c.is_control() && c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// The first reserved character of `text`: one `memmem` scan for their
/// common first two bytes.
pub fn first_reserved(text: &str) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, b"\xEF\xB7")
        .find(|&i| bytes.get(i + 2).is_some_and(|b| (0x90..=0xAF).contains(b)))
        .map(|i| i..i + 3)
}

pub fn reserved_error(rel: &Path, span: Range<usize>) -> Diagnostic {
    Diagnostic::error(
        Code::E0009,
        rel,
        span,
        "this file holds a character reserved for dossier's own marks (U+FDD0–U+FDEF)".into(),
    )
    .with_help("delete it: these noncharacters are never text (most editors show nothing there)")
}

/// The first control character typed in front matter `yaml`, which starts
/// at byte `start` of its file.
pub fn first_control(yaml: &str, start: usize) -> Option<Range<usize>> {
    yaml.char_indices()
        .find(|&(_, c)| is_forbidden_control(c))
        .map(|(i, c)| start + i..start + i + c.len_utf8())
}

/// The first field whose value holds a control or reserved character once
/// parsed (a YAML escape such as `"\x01"` or `"\uFDD0"`), and that
/// character.
pub fn first_bad_value(value: &serde_json::Value) -> Option<(String, char)> {
    let serde_json::Value::Object(fields) = value else {
        return None;
    };
    fields.iter().find_map(|(key, v)| bad_char(v).map(|c| (key.clone(), c)))
}

fn bad_char(value: &serde_json::Value) -> Option<char> {
    match value {
        serde_json::Value::String(s) => s.chars().find(|&c| is_forbidden_control(c) || is_reserved(c)),
        serde_json::Value::Array(items) => items.iter().find_map(bad_char),
        _ => None,
    }
}

pub fn control_error(rel: &Path, span: Range<usize>, what: &str) -> Diagnostic {
    Diagnostic::error(
        Code::E0014,
        rel,
        span,
        format!("the front matter holds {what}, which no title or field may contain"),
    )
    .with_help(
        "delete it (it is invisible in most editors); front matter is text, tabs and line breaks only, and XML exports such as `feed.xml` cannot hold control characters",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_reserved_character_and_nothing_else() {
        assert_eq!(first_reserved("ab\u{FDD0}c"), Some(2..5));
        assert_eq!(first_reserved("\u{FDEF}"), Some(0..3));
        assert_eq!(first_reserved("\u{FDCF}\u{FDF0}\u{FFFD} «ﷺ» %EF%B7%90"), None);
    }

    #[test]
    fn finds_controls_typed_or_escaped() {
        assert_eq!(first_control("title: a\u{1}b\n", 10), Some(18..19));
        assert_eq!(first_control("title: a\tb\r\n", 0), None);
        let value = serde_json::json!({"title": "ok", "aliases": ["x", "y\u{7}"]});
        assert_eq!(first_bad_value(&value), Some(("aliases".into(), '\u{7}')));
        let value = serde_json::json!({"title": "a\u{FDD1}"});
        assert_eq!(first_bad_value(&value), Some(("title".into(), '\u{FDD1}')));
    }
}
