//! Where a value is in a YAML text, as the YAML parser places it: the
//! value at a path of keys (`["routes", "actors"]`) is walked to through
//! the parsed mappings, and the parser's own mark for it — which it puts
//! on any error about the value — gives its line and column. No search
//! over the text: a key that is quoted, indented another way, commented
//! or repeated in a string is found as the parser reads it.

use std::fmt;
use std::ops::Range;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use super::frontmatter::offset_of;

/// What the walk's error says on reaching the value, to tell it from a
/// real error (a key that is not text, an unparsable file).
const FOUND: &str = "\u{1}the value looked for";

/// The byte offset in `text` of the value at `path` in the YAML at `yaml`
/// of `text`; `None` if a key of the path is absent or not in a mapping.
/// For YAML that parses: what a broken file holds up to its error may be
/// found.
pub fn value_offset(text: &str, yaml: Range<usize>, path: &[&str]) -> Option<usize> {
    let source = &text[yaml.clone()];
    let walked = Walk { path }.deserialize(serde_yaml::Deserializer::from_str(source));
    let error = walked.err()?;
    let location = error.location().filter(|_| error.to_string().contains(FOUND))?;
    Some(yaml.start + offset_of(source, location.line(), location.column()))
}

/// The span of a scalar value `value` at `path`, quotes included.
pub fn scalar_span(text: &str, yaml: Range<usize>, path: &[&str], value: &str) -> Option<Range<usize>> {
    let at = value_offset(text, yaml, path)?;
    let quotes = if text[at..].starts_with(['"', '\'']) { 2 } else { 0 };
    let end = (at + value.len() + quotes).min(text.len());
    Some(at..crate::diagnostic::floor_char_boundary(text, end).max(at))
}

/// The span of the value at `path` as its first line writes it: a flow
/// list or mapping, or the first line of a block one.
pub fn value_line_span(text: &str, yaml: Range<usize>, path: &[&str]) -> Option<Range<usize>> {
    let at = value_offset(text, yaml, path)?;
    let line = text[at..].split('\n').next().unwrap_or("");
    Some(at..at + line.trim_end().len())
}

/// Walks down the mappings along `path`, skipping every other value.
struct Walk<'a> {
    path: &'a [&'a str],
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        match self.path.split_first() {
            None => d.deserialize_any(Found),
            Some((key, rest)) => d.deserialize_map(Keys { key, rest }),
        }
    }
}

struct Keys<'a> {
    key: &'a str,
    rest: &'a [&'a str],
}

impl<'de> Visitor<'de> for Keys<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a mapping with `{}`", self.key)
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == self.key {
                return map.next_value_seed(Walk { path: self.rest });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

/// Refuses whatever value it is given (every method of a visitor does by
/// default), so that the parser marks the error with the value's place.
struct Found;

impl Visitor<'_> for Found {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(FOUND)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_values_where_the_parser_reads_them() {
        let text = "# routes: no\nroutes:\n  \"sectors\": 'secteurs'\n  actors:   acteurs # a comment\n\
                    dates:\n  months: [a, b]\ncounts:\n  events: {one: x}\nempty:\n";
        let all = 0..text.len();
        let span = |path: &[&str]| value_line_span(text, all.clone(), path).map(|s| &text[s]);
        assert_eq!(span(&["dates", "months"]), Some("[a, b]"));
        assert_eq!(span(&["counts", "events"]), Some("{one: x}"));
        let route = |key, value| scalar_span(text, all.clone(), &["routes", key], value).map(|s| &text[s]);
        assert_eq!(route("sectors", "secteurs"), Some("'secteurs'"));
        assert_eq!(route("actors", "acteurs"), Some("acteurs"));
        assert!(value_offset(text, all.clone(), &["empty"]).is_some());
        assert_eq!(value_offset(text, all.clone(), &["nope"]), None);
        assert_eq!(value_offset(text, all.clone(), &["routes", "nope"]), None);
        assert_eq!(value_offset("just text", 0..9, &["a"]), None);
    }

    #[test]
    fn finds_values_inside_a_range_of_the_file() {
        let text = "---\ntitle: A\ncolor: \"#123456\"\n---\nbody";
        let at = value_offset(text, 4..text.len() - 9, &["color"]).unwrap();
        assert_eq!(&text[at..at + 9], "\"#123456\"");
    }
}
