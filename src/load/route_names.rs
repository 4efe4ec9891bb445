//! The theme's names of the site's sections (`routes:` in its language
//! file), which are file and folder names: two sections named alike, or
//! one named like a file the site uses for itself, would write over each
//! other's pages. Checked here, with the file's other problems, each
//! clash at its own value (issue 13: render found the first one only, by
//! searching the file's text for the key).

use std::ops::Range;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::located;
use crate::code::Code;
use crate::diagnostic::Diagnostic;

/// File names the site uses for itself; a section or a page slug may not
/// take them.
pub const FIXED: &[&str] = &["index", "404", "dossier", "feed", "sitemap", "data"];

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

/// A section named like an earlier one or like a file of the site's own.
#[derive(Debug, PartialEq, Eq)]
pub struct RouteClash<'a> {
    /// The section's key in `routes:` and its name.
    pub key: &'static str,
    pub name: &'a str,
    /// The earlier section's key, or `None` for a file of the site's own.
    pub taken_by: Option<&'static str>,
}

impl RouteNames {
    /// Every key of `routes:` with its name, `undated` included.
    pub fn named(&self) -> [(&'static str, &str); 7] {
        let [a, b, c, d, e, f] = self.sections();
        [a, b, c, d, e, f, ("undated", self.undated.as_str())]
    }

    /// The sections, in the order the file lists them.
    pub fn sections(&self) -> [(&'static str, &str); 6] {
        [
            ("sectors", &self.sectors),
            ("chronology", &self.chronology),
            ("sources", &self.sources),
            ("actors", &self.actors),
            ("figures", &self.figures),
            ("search", &self.search),
        ]
        .map(|(key, name)| (key, name.as_str()))
    }

    /// Every section whose name is taken, by a file of the site's own or
    /// by an earlier section.
    pub fn clashes(&self) -> Vec<RouteClash<'_>> {
        let sections = self.sections();
        sections
            .iter()
            .enumerate()
            .filter_map(|(i, &(key, name))| {
                let earlier = sections[..i].iter().find(|(_, other)| *other == name);
                match (FIXED.contains(&name), earlier) {
                    (true, _) => Some(RouteClash {
                        key,
                        name,
                        taken_by: None,
                    }),
                    (false, Some(&(taken_by, _))) => Some(RouteClash {
                        key,
                        name,
                        taken_by: Some(taken_by),
                    }),
                    (false, None) => None,
                }
            })
            .collect()
    }
}

impl RouteClash<'_> {
    /// The E0503 at the clashing name in the language file `origin`.
    pub fn diagnostic(&self, origin: &Path, text: &str) -> Diagnostic {
        let (key, name) = (self.key, self.name);
        let message = match self.taken_by {
            Some(other) => format!(
                "the route name `{name}` of `{key}` is already the name of `{other}`: one would overwrite the other's pages"
            ),
            None => format!("the route name `{name}` of `{key}` is a name the site uses for itself (`{name}.html`)"),
        };
        Diagnostic::error(Code::E0503, origin, value_span(text, key, name), message).with_help(format!(
            "give each of `routes:` a name of its own, none of: {}",
            FIXED.join(", ")
        ))
    }
}

/// The value `name` of the route `key` (`sectors`) in the language file
/// `text`, as the file writes it.
pub(super) fn value_span(text: &str, key: &str, name: &str) -> Range<usize> {
    located::scalar_span(text, 0..text.len(), &["routes", key], name).unwrap_or(0..0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes(yaml: &str) -> RouteNames {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn finds_every_clash() {
        let names = routes(
            "sectors: sectors\nchronology: index\nsources: sectors\nactors: actors\nfigures: actors\nsearch: search\n",
        );
        let found: Vec<(&str, &str, Option<&str>)> =
            names.clashes().iter().map(|c| (c.key, c.name, c.taken_by)).collect();
        assert_eq!(
            found,
            [
                ("chronology", "index", None),
                ("sources", "sectors", Some("sectors")),
                ("figures", "actors", Some("actors")),
            ]
        );
        let fine = "sectors: a\nchronology: b\nsources: c\nactors: d\nfigures: e\nsearch: f\n";
        assert!(routes(fine).clashes().is_empty());
    }

    #[test]
    fn places_each_clash_at_its_own_value() {
        let text = "routes:\n  sectors: sectors\n  actors: \"sectors\"\n  sources: sectors\n";
        assert_eq!(&text[value_span(text, "actors", "sectors")], "\"sectors\"");
        assert_eq!(
            value_span(text, "sources", "sectors").start,
            text.rfind("sectors").unwrap()
        );
    }
}
