//! The search index, built at render time and embedded in the search page
//! as a JSON data block (never fetched, so search works from `file://`).
//!
//! Documents are the sources' paragraphs (linking to their ¶) and the
//! dossier's sectors, actors, events and figures. Terms are normalised for
//! matching — lower case, accents removed, ligatures spelled out (`œ` →
//! `oe`), split on anything that is not a letter or a digit, so that the
//! typographic apostrophe separates `l’énergie` into `l` and `energie` —
//! and the theme's `search.js` normalises queries the same way. The index
//! maps each term to the documents holding it: its size grows with the
//! text, and a prefix lookup is a binary search.

use std::collections::BTreeMap;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::i18n::I18n;
use super::routes::Routes;
use crate::model::Dossier;

/// One search result: a title, what it is (`¶3`, a kind), where it is, and
/// the text to show a snippet of.
#[derive(Serialize)]
struct Doc(String, String, String, String);

#[derive(Serialize)]
struct Index {
    docs: Vec<Doc>,
    /// Sorted terms, each with the ids of the documents holding it.
    terms: Vec<(String, Vec<u32>)>,
}

/// The index as JSON, safe inside `<script type="application/json">`.
pub fn index_json(d: &Dossier, routes: &Routes, i18n: &I18n) -> String {
    let (docs, also): (Vec<Doc>, Vec<String>) = documents(d, routes, i18n).into_iter().unzip();
    let mut postings: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (id, (doc, also)) in docs.iter().zip(&also).enumerate() {
        for term in terms(&format!("{} {} {also}", doc.0, doc.3)) {
            let list = postings.entry(term).or_default();
            if list.last() != Some(&(id as u32)) {
                list.push(id as u32);
            }
        }
    }
    let index = Index {
        docs,
        terms: postings.into_iter().collect(),
    };
    let json = serde_json::to_string(&index).expect("plain data serialises");
    // `</script>` or `<!--` inside the data would end or confuse the element.
    json.replace('<', "\\u003c")
}

/// The documents, each with the words it is also found by: a paragraph is
/// found by the names of the actors its annotations mention or quote and of
/// the sectors they are tagged with, so that "poutine" finds a statement of
/// his that does not name him, and "energie" a passage about oil.
fn documents(d: &Dossier, routes: &Routes, i18n: &I18n) -> Vec<(Doc, String)> {
    let t = |key: &str| i18n.strings.get(key).cloned().unwrap_or_default();
    let mut docs = Vec::new();
    for s in &d.sources {
        let mut names: Vec<Vec<&str>> = vec![Vec::new(); s.paragraphs.len()];
        for a in &s.annotations {
            let names = &mut names[a.paragraph - 1];
            for actor in a.actors.iter().chain(&a.said).map(|&i| &d.actors[i]) {
                names.push(&actor.name);
                names.extend(actor.aliases.iter().map(String::as_str));
            }
            names.extend(a.sectors.iter().map(|&i| d.sectors[i].title.as_str()));
        }
        for (p, names) in s.paragraphs.iter().zip(names) {
            let path = routes.paragraph(&s.slug, p.number);
            let doc = Doc(s.title.clone(), format!("¶{}", p.number), path, p.plain.clone());
            docs.push((doc, names.join(" ")));
        }
    }
    for s in &d.sectors {
        docs.push((
            Doc(s.title.clone(), t("sector"), routes.sector(&s.slug), s.summary.clone()),
            String::new(),
        ));
    }
    for a in &d.actors {
        let text = [a.role.as_deref(), a.country.as_deref()]
            .into_iter()
            .flatten()
            .chain(a.aliases.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" · ");
        docs.push((
            Doc(a.name.clone(), t("actor_single"), routes.actor(&a.slug), text),
            String::new(),
        ));
    }
    for e in &d.events {
        let date = i18n.dates.format(&e.date, true);
        docs.push((
            Doc(e.title.clone(), t("event_single"), routes.event(&e.slug), date),
            String::new(),
        ));
    }
    for f in &d.figures {
        let value = format!("{} {}", i18n.number(&f.value), f.unit.as_deref().unwrap_or(""));
        docs.push((
            Doc(
                f.label.clone(),
                t("figure_label"),
                routes.figure(&f.slug),
                value.trim().to_string(),
            ),
            String::new(),
        ));
    }
    docs
}

/// Text as the index and the queries see it: lower case, no accents,
/// ligatures spelled out.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text
        .nfd()
        .filter(|&c| !is_combining_mark(c))
        .flat_map(char::to_lowercase)
    {
        match c {
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            c => out.push(c),
        }
    }
    out
}

/// The distinct searchable terms of a text: normalised words of two
/// characters or more.
pub fn terms(text: &str) -> Vec<String> {
    let normal = normalise(text);
    let mut terms: Vec<String> = normal
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 1)
        .map(str::to_string)
        .collect();
    terms.sort_unstable();
    terms.dedup();
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_ignore_case_accents_ligatures_and_apostrophes() {
        assert_eq!(terms("L’Énergie"), ["energie"]);
        assert_eq!(terms("le cœur d'Œdipe"), ["coeur", "le", "oedipe"]);
        assert_eq!(terms("Straße 2025"), ["2025", "strasse"]);
    }

    #[test]
    fn the_json_cannot_close_its_script_element() {
        let json = serde_json::to_string("</script><!--").unwrap().replace('<', "\\u003c");
        assert!(!json.contains('<'));
        assert_eq!(serde_json::from_str::<String>(&json).unwrap(), "</script><!--");
    }
}
