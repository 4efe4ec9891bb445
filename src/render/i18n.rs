//! The theme's language file, `i18n/<language>.yaml`: route names, UI
//! strings, labels of kinds and statuses, date words and number format. A
//! new language is a new file; the engine has no language built in.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::dates::DateWords;
use super::plural::{Forms, PluralRule, Plurals};
use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::load::{Theme, parse_yaml};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct I18n {
    pub routes: RouteNames,
    pub numbers: NumberFormat,
    pub dates: DateWords,
    pub strings: BTreeMap<String, String>,
    pub labels: BTreeMap<String, BTreeMap<String, String>>,
    /// The CLDR plural rule of the language (see `plural`).
    pub plural: PluralRule,
    /// Counted things (`events`, `passages`…), one form per plural category.
    pub counts: BTreeMap<String, Forms>,
    /// The language's code, the file's name (`fr` for `i18n/fr.yaml`).
    #[serde(skip)]
    pub language: String,
}

/// The language's names of the site's sections, used as file and folder
/// names: `secteurs.html`, `secteurs/energie.html`…
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RouteNames {
    pub sectors: String,
    pub chronology: String,
    pub sources: String,
    pub actors: String,
    pub figures: String,
    pub search: String,
    /// The name of the part of a split list that holds undated items.
    #[serde(default = "undated_route")]
    pub undated: String,
}

fn undated_route() -> String {
    "undated".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberFormat {
    pub thousands: String,
    pub decimal: String,
    /// Numbers with fewer digits are not grouped (French writes "1000").
    pub group_from_digits: usize,
}

impl I18n {
    pub fn load(theme: &Theme, language: &str) -> Result<I18n, Box<Diagnostic>> {
        let name = format!("i18n/{language}.yaml");
        let Some(file) = theme.get(&name) else {
            let known: Vec<&str> = theme
                .files
                .keys()
                .filter_map(|k| k.strip_prefix("i18n/")?.strip_suffix(".yaml"))
                .collect();
            return Err(Box::new(crate::model::language::missing(
                language,
                &known,
                &theme.name,
                0..0,
            )));
        };
        let mut i18n: I18n = parse_yaml(&file.origin, &file.text, 0..file.text.len())?;
        i18n.language = language.to_string();
        i18n.validate(&file.origin, &file.text)?;
        Ok(i18n)
    }

    /// Checks what serde cannot; each error at the key it is about (they
    /// were all at line 1).
    fn validate(&self, origin: &Path, text: &str) -> Result<(), Box<Diagnostic>> {
        let routes = [
            &self.routes.sectors,
            &self.routes.chronology,
            &self.routes.sources,
            &self.routes.actors,
            &self.routes.figures,
            &self.routes.search,
            &self.routes.undated,
        ];
        if let Some((key, category)) = self.plurals().missing_form() {
            return Err(Box::new(
                Diagnostic::error(
                    Code::E0501,
                    origin,
                    key_span(text, &["counts", key]),
                    format!("the count `{key}` has no `{category}` form"),
                )
                .with_help(format!(
                    "the plural rule `{:?}` needs a form for each of: {}",
                    self.plural,
                    self.plural
                        .categories()
                        .iter()
                        .map(|c| c.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            ));
        }
        let bad = routes.iter().find(|r| !crate::slug::is_valid(r));
        let months = self.dates.months.len();
        match (bad, months) {
            (Some(r), _) => Err(Box::new(
                Diagnostic::error(
                    Code::E0501,
                    origin,
                    route_span(text, r),
                    format!("the route name `{r}` cannot be a file name"),
                )
                .with_help("route names are lower-case ASCII letters, digits and hyphens"),
            )),
            (None, 12) => Ok(()),
            (None, n) => Err(Box::new(
                Diagnostic::error(
                    Code::E0501,
                    origin,
                    key_span(text, &["dates", "months"]),
                    format!("`dates.months` has {n} names instead of 12"),
                )
                .with_help("list the twelve month names, January first"),
            )),
        }
    }

    /// The label of `value` in the group `group` (`event_kind`, `status`…),
    /// or the value itself when the theme has none.
    pub fn label(&self, group: &str, value: &str) -> String {
        self.labels
            .get(group)
            .and_then(|g| g.get(value))
            .cloned()
            .unwrap_or_else(|| value.to_string())
    }

    pub fn plurals(&self) -> Plurals<'_> {
        Plurals {
            rule: self.plural,
            counts: &self.counts,
        }
    }

    /// `n` things of kind `key` in words (`1 événement`, `2 events`).
    pub fn count(&self, key: &str, n: u64) -> Option<String> {
        self.plurals().count(key, n, |n| self.number(&n.to_string()))
    }

    /// The name of a kind of actor for `n` of them (`Personne`,
    /// `Personnes`), from `counts.actor_kind_<kind>`, or else its label.
    pub fn actor_kind(&self, kind: &str, n: u64) -> String {
        self.count(&format!("actor_kind_{kind}"), n)
            .unwrap_or_else(|| self.label("actor_kind", kind))
    }

    /// `50000` → `50 000` (fr) or `50,000` (en); `2.5` → `2,5` (fr).
    pub fn number(&self, value: &str) -> String {
        let (int, frac) = value.split_once('.').unwrap_or((value, ""));
        let digits: Vec<char> = int.chars().collect();
        let mut out = String::new();
        for (i, c) in digits.iter().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) && digits.len() >= self.numbers.group_from_digits {
                out.push_str(&self.numbers.thousands);
            }
            out.push(*c);
        }
        if !frac.is_empty() {
            out.push_str(&self.numbers.decimal);
            out.push_str(frac);
        }
        out
    }
}

/// The value of the key at `path` (`["dates", "months"]`) in a YAML
/// text, found line by line: each key of the path on a later line than
/// the one before it. The start of the text if a key is not found.
fn key_span(text: &str, path: &[&str]) -> std::ops::Range<usize> {
    let mut at = 0;
    let mut found = 0..0;
    for key in path {
        let mut offset = at;
        let hit = text[at..].split_inclusive('\n').find_map(|line| {
            let start = offset;
            offset += line.len();
            let value = line.trim_start().strip_prefix(key)?.strip_prefix(':')?;
            let value_at = start + line.len() - value.len();
            let lead = value.len() - value.trim_start().len();
            Some((offset, value_at + lead..value_at + lead + value.trim().len()))
        });
        let Some((next, span)) = hit else { return 0..0 };
        (at, found) = (next, span);
    }
    found
}

/// The value `name` of a key under `routes:`.
fn route_span(text: &str, name: &str) -> std::ops::Range<usize> {
    let start = key_span(text, &["routes"]).start;
    text[start..]
        .find(&format!(": {name}\n"))
        .map_or(0..0, |i| start + i + 2..start + i + 2 + name.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i18n(lang: &str) -> I18n {
        I18n::load(&Theme::embedded(), lang).unwrap()
    }

    #[test]
    fn formats_numbers_by_language() {
        let fr = i18n("fr");
        assert_eq!(fr.number("50000"), "50\u{202f}000");
        assert_eq!(fr.number("2000000"), "2\u{202f}000\u{202f}000");
        assert_eq!(fr.number("2.5"), "2,5");
        assert_eq!(fr.number("1000"), "1000", "four digits stay together");
        let en = i18n("en");
        assert_eq!(en.number("40000"), "40,000");
        assert_eq!(en.number("12.5"), "12.5");
        assert_eq!(en.number("2480"), "2,480");
    }

    #[test]
    fn languages_have_the_same_keys() {
        let fr = i18n("fr");
        let en = i18n("en");
        let keys = |i: &I18n| i.strings.keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&fr), keys(&en));
        let labels = |i: &I18n| {
            i.labels
                .iter()
                .map(|(g, m)| (g.clone(), m.keys().cloned().collect::<Vec<_>>()))
                .collect::<Vec<_>>()
        };
        assert_eq!(labels(&fr), labels(&en));
    }

    #[test]
    fn finds_the_key_an_error_is_about() {
        let text = "routes:\n  sectors: Bad Name\ndates:\n  months: [a, b]\ncounts:\n  events: {one: x}\n";
        assert_eq!(&text[key_span(text, &["dates", "months"])], "[a, b]");
        assert_eq!(&text[key_span(text, &["counts", "events"])], "{one: x}");
        assert_eq!(&text[route_span(text, "Bad Name")], "Bad Name");
        assert_eq!(key_span(text, &["nope"]), 0..0);
    }

    #[test]
    fn rejects_a_language_without_strings() {
        let err = I18n::load(&Theme::embedded(), "xx").unwrap_err();
        assert_eq!(err.code, Code::E0500);
        assert!(err.help.unwrap().contains("`en`, `fr`"));
    }
}
