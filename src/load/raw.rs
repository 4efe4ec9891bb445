//! What the user wrote, as serde reads it: one struct per kind of file, every
//! field the README documents and no other (`deny_unknown_fields`, so a typo
//! is an error, never silently ignored). Nothing here is validated beyond
//! types; references, dates and colours are checked by the model.

use serde::{Deserialize, Serialize};

/// `content/dossier.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub title: String,
    pub subtitle: Option<String>,
    pub description: Option<String>,
    pub language: String,
    pub parties: Vec<String>,
    /// The figures the home page shows, by slug; all of them are on the
    /// figures' page.
    #[serde(default)]
    pub key_figures: Vec<String>,
    pub theme: Option<String>,
    pub base_url: Option<String>,
    pub allow_html: Option<bool>,
    pub one_file: Option<bool>,
}

/// Front matter of `seeds/<slug>.md`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub title: String,
    pub original: String,
    pub language: String,
    pub kind: String,
    #[serde(default, deserialize_with = "optional_date_as_written")]
    pub published: Option<String>,
    pub author: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    /// The licence the text is published under, as the outlet states it.
    pub license: Option<String>,
    /// Where the text was copied from (an archive, a database, a PDF's
    /// address), when that is not `url`.
    pub retrieved_from: Option<String>,
    #[serde(default)]
    pub sectors: Vec<String>,
    pub note: Option<String>,
}

/// Front matter of `content/sectors/<slug>.md`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSector {
    pub title: String,
    pub order: i64,
    pub color: String,
    pub summary: String,
}

/// Front matter of `content/actors/<slug>.md`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawActor {
    pub name: String,
    pub kind: String,
    pub country: Option<String>,
    pub role: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// Front matter of `content/events/<slug>.md`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    pub title: String,
    #[serde(deserialize_with = "date_as_written")]
    pub date: String,
    #[serde(default)]
    pub sectors: Vec<String>,
    #[serde(default)]
    pub actors: Vec<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
}

/// Front matter of `content/pages/<slug>.md`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawPage {
    pub title: String,
    pub order: Option<i64>,
}

/// A date may be written `2025` (a YAML integer) or `2025-06` (a string):
/// both are read as the text the user typed. Anything else is a type
/// error at the value, with the field's name (issue 13: an untagged enum
/// said "data did not match any variant of untagged enum Scalar" at the
/// front matter's first line, and the hint named no field).
struct DateAsWritten(String);

impl<'de> Deserialize<'de> for DateAsWritten {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DateVisitor).map(DateAsWritten)
    }
}

struct DateVisitor;

impl serde::de::Visitor<'_> for DateVisitor {
    type Value = String;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a date such as 2025-06-24")
    }

    fn visit_i64<E: serde::de::Error>(self, year: i64) -> Result<String, E> {
        Ok(year.to_string())
    }

    fn visit_u64<E: serde::de::Error>(self, year: u64) -> Result<String, E> {
        Ok(year.to_string())
    }

    fn visit_str<E: serde::de::Error>(self, date: &str) -> Result<String, E> {
        Ok(date.to_string())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<String, E> {
        Err(E::invalid_type(serde::de::Unexpected::Other("an empty value"), &self))
    }
}

fn optional_date_as_written<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<DateAsWritten>::deserialize(d)?.map(|date| date.0))
}

fn date_as_written<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    DateAsWritten::deserialize(d).map(|date| date.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_partial_dates_as_written() {
        let e: RawEvent = serde_yaml::from_str("title: T\ndate: 2025\n").unwrap();
        assert_eq!(e.date, "2025");
        let e: RawEvent = serde_yaml::from_str("title: T\ndate: 2025-06-24\n").unwrap();
        assert_eq!(e.date, "2025-06-24");
        let e: RawEvent = serde_yaml::from_str("title: T\ndate: 2025-06-21/2025-06-26\n").unwrap();
        assert_eq!(e.date, "2025-06-21/2025-06-26");
    }

    /// Issue 13: a date of the wrong type is reported at its own line, with
    /// its field's name.
    #[test]
    fn rejects_a_date_of_the_wrong_type_at_its_field() {
        for (yaml, line) in [
            ("title: T\ndate: [1]\n", 2),
            ("title: T\nkind: k\ndate: {a: b}\n", 3),
            ("title: T\ndate: 2019.5\n", 2),
            ("title: T\ndate: true\n", 2),
        ] {
            let err = serde_yaml::from_str::<RawEvent>(yaml).unwrap_err();
            assert!(err.to_string().starts_with("date: invalid type"), "{yaml}: {err}");
            assert!(err.to_string().contains("expected a date"), "{yaml}: {err}");
            assert_eq!(err.location().map(|l| l.line()), Some(line), "{yaml}");
        }
        let err = serde_yaml::from_str::<RawSource>(
            "title: T\noriginal: o.txt\nlanguage: fr\nkind: article\npublished: [2022]\n",
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("published: invalid type"), "{err}");
        assert_eq!(err.location().map(|l| (l.line(), l.column())), Some((5, 12)));
    }

    #[test]
    fn rejects_unknown_fields() {
        let err = serde_yaml::from_str::<RawPage>("title: T\ntitel: U\n").unwrap_err();
        assert!(err.to_string().contains("unknown field `titel`"), "{err}");
    }

    #[test]
    fn null_published_is_none() {
        let s: RawSource =
            serde_yaml::from_str("title: T\noriginal: o.txt\nlanguage: fr\nkind: article\npublished: null\n").unwrap();
        assert_eq!(s.published, None);
    }
}
