//! schema.org JSON-LD for the pages where it means something: the home
//! page describes the dossier twice, as the `CreativeWork` its editors
//! wrote and as the `Dataset` of its downloads; a source's page the source
//! as an `Article` (a `NewsArticle` when its kind is `article`: author,
//! publisher, date, `isBasedOn` its original text); an actor's page the
//! actor as a `Person`, an `Organization`, a `Corporation`, a `Country` or
//! a `Place`; a page of the chronology each event it lists as an `Event`
//! (dates only as exact as the content says them, `subjectOf` the
//! paragraphs that cite it). Built with serde_json, never by pasting text
//! together, and with every `<` escaped, so that no text of the dossier can
//! end the `<script type="application/ld+json">` holding it. Addresses are
//! absolute under `base_url`, otherwise relative to the page that holds
//! them, as a JSON-LD processor reading the page resolves them.

use rustc_hash::FxHashMap;
use serde_json::{Value, json};

use super::{Exporter, FOLDER, annotations, feed, paragraphs_cited};
use crate::model::{Actor, ActorKind, EdtfDate, Event, PartialDate, Source};
use crate::render::routes;

/// What a page of the site can say about itself as data.
pub enum Subject<'a> {
    Home,
    Source(usize),
    Actor(usize),
    /// The events a page of the chronology lists.
    Events(&'a [usize]),
}

/// The JSON-LD of a page at `path`, ready to go between script tags.
pub fn json_ld(x: &Exporter, subject: &Subject, path: &str) -> String {
    let value = match *subject {
        Subject::Home => home(x, path),
        Subject::Source(i) => article(x, &x.dossier.sources[i], path),
        Subject::Actor(i) => actor(x, &x.dossier.actors[i], path),
        Subject::Events(events) => graph(events.iter().map(|&e| event(x, &x.dossier.events[e], path)).collect()),
    };
    script_safe(&value)
}

/// The events of the dossier by the page that lists them (the chronology,
/// or the part of it an event's link leads to), in the dossier's order.
pub fn events_by_page(x: &Exporter) -> FxHashMap<String, Vec<usize>> {
    let mut pages: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    for (i, e) in x.dossier.events.iter().enumerate() {
        let address = x.routes.event(&e.slug);
        let page = address.split_once('#').map_or(address.as_str(), |(page, _)| page);
        pages.entry(page.to_string()).or_default().push(i);
    }
    pages
}

/// JSON that cannot close or comment out a script element: `<` written as
/// `\u003c`, which every JSON parser reads back as `<`.
fn script_safe(value: &Value) -> String {
    value.to_string().replace('<', "\\u003c")
}

/// An address of the site as written in the page at `page`.
fn link(x: &Exporter, page: &str, target: &str) -> String {
    match x.dossier.config.base_url {
        Some(_) => x.url(target),
        None => format!("{}{target}", routes::root_prefix(page)),
    }
}

/// Several things described on one page, under one context.
fn graph(nodes: Vec<Value>) -> Value {
    json!({"@context": "https://schema.org", "@graph": nodes})
}

/// The dossier as the work its editors wrote, and as the data it publishes.
fn home(x: &Exporter, page: &str) -> Value {
    let d = x.dossier;
    let home = link(x, page, &x.routes.home());
    let mut work = json!({
        "@type": "CreativeWork",
        "@id": format!("{home}#dossier"),
        "name": d.config.title,
        "url": home,
        "inLanguage": d.config.language,
        "dateModified": x.last_day().to_string(),
        "hasPart": {"@id": format!("{home}#data")},
    });
    let mut data = dataset(x, page);
    data["@id"] = json!(format!("{home}#data"));
    data["isPartOf"] = json!({"@id": format!("{home}#dossier")});
    let description = d.config.description.as_ref().or(d.config.subtitle.as_ref());
    if let Some(description) = description {
        work["description"] = json!(description);
    }
    graph(vec![work, data])
}

/// The dossier as a reader finds it: its title and its home page.
fn dossier_ref(x: &Exporter, page: &str) -> Value {
    json!({"@type": "CreativeWork", "name": x.dossier.config.title, "url": link(x, page, &x.routes.home())})
}

fn dataset(x: &Exporter, page: &str) -> Value {
    let d = x.dossier;
    let chronology = &x.routes.names.chronology;
    let download = |file: String, format: &str| json!({"@type": "DataDownload", "contentUrl": link(x, page, &file), "encodingFormat": format});
    let mut value = json!({
        "@type": "Dataset",
        "name": d.config.title,
        "url": link(x, page, &x.routes.home()),
        "inLanguage": d.config.language,
        "isAccessibleForFree": true,
        "dateModified": x.last_day().to_string(),
        "distribution": [
            download(format!("{FOLDER}/dossier.json"), "application/json"),
            download(format!("{FOLDER}/{}", annotations::FILE), "application/ld+json"),
            download(format!("{FOLDER}/paragraphs.jsonl"), "application/jsonl"),
            download(format!("{FOLDER}/annotations.jsonl"), "application/jsonl"),
            download(format!("{FOLDER}/{chronology}.csv"), "text/csv"),
            download(format!("{FOLDER}/{chronology}.ics"), "text/calendar"),
            download(format!("{FOLDER}/timeline.json"), "application/json"),
            download(feed::FILE.to_string(), "application/atom+xml"),
        ],
    });
    let description = d.config.description.as_ref().or(d.config.subtitle.as_ref());
    if let Some(description) = description {
        value["description"] = json!(description);
    }
    value
}

/// A source: a `NewsArticle` when the editors say it is an article, an
/// `Article` otherwise (an interview, a communiqué, a statement…).
fn article(x: &Exporter, s: &Source, page: &str) -> Value {
    let text = format!("{FOLDER}/{}", annotations::text_path(&s.slug));
    let mut based_on = vec![json!(link(x, page, &text))];
    based_on.extend(s.url.as_ref().map(|u| json!(u)));
    let kind = if s.kind == "article" { "NewsArticle" } else { "Article" };
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": kind,
        "headline": s.title,
        "url": link(x, page, &x.routes.source(&s.slug)),
        "inLanguage": s.language,
        "isBasedOn": based_on,
        "isPartOf": dossier_ref(x, page),
    });
    if let Some(author) = &s.author {
        value["author"] = json!({"@type": "Person", "name": author});
    }
    if let Some(outlet) = &s.outlet {
        value["publisher"] = json!({"@type": "Organization", "name": outlet});
    }
    if let Some(date) = s.published.as_ref().filter(|p| !p.is_estimate()) {
        // A known day, month or year: EDTF's level 0 is ISO 8601.
        value["datePublished"] = json!(date.to_string());
    }
    value
}

/// The schema.org type of an actor of a kind.
fn actor_type(kind: ActorKind) -> &'static str {
    match kind {
        ActorKind::Person => "Person",
        ActorKind::State => "Country",
        ActorKind::Organisation => "Organization",
        ActorKind::Company => "Corporation",
        ActorKind::Place => "Place",
    }
}

/// An actor, with what the dossier knows of them: other names, role and
/// country, each under the property its type has for it.
fn actor(x: &Exporter, a: &Actor, page: &str) -> Value {
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": actor_type(a.kind),
        "name": a.name,
        "url": link(x, page, &x.routes.actor(&a.slug)),
        "subjectOf": dossier_ref(x, page),
    });
    if !a.aliases.is_empty() {
        value["alternateName"] = json!(a.aliases);
    }
    if let Some(role) = &a.role {
        let property = if a.kind == ActorKind::Person {
            "jobTitle"
        } else {
            "description"
        };
        value[property] = json!(role);
    }
    let country = a.country.map(|c| {
        let land = &x.dossier.actors[c];
        json!({"@type": "Country", "name": land.name, "url": link(x, page, &x.routes.actor(&land.slug))})
    });
    let property = match a.kind {
        ActorKind::Person => Some("nationality"),
        ActorKind::Organisation | ActorKind::Company => Some("location"),
        ActorKind::Place => Some("containedInPlace"),
        ActorKind::State => None,
    };
    if let (Some(country), Some(property)) = (country, property) {
        value[property] = country;
    }
    value
}

/// How many paragraphs an event's `subjectOf` names: a page's data stays
/// small when thousands of sources report the event (the exports name
/// them all).
const SUBJECT_OF_MAX: usize = 100;

/// An event, `subjectOf` every paragraph that cites it (once each), up to
/// [`SUBJECT_OF_MAX`].
fn event(x: &Exporter, e: &Event, page: &str) -> Value {
    let d = x.dossier;
    let cited: Vec<Value> = paragraphs_cited(&e.citations)
        .into_iter()
        .take(SUBJECT_OF_MAX)
        .map(|c| {
            let address = x.routes.paragraph(&d.sources[c.source].slug, c.paragraph);
            json!({"@type": "CreativeWork", "url": link(x, page, &address)})
        })
        .collect();
    let mut value = json!({
        "@type": "Event",
        "name": e.title,
        "url": link(x, page, &x.routes.event(&e.slug)),
    });
    let (start, end) = event_dates(&e.date);
    if let Some(start) = start {
        value["startDate"] = json!(start);
    }
    if let Some(end) = end {
        value["endDate"] = json!(end);
    }
    if !cited.is_empty() {
        value["subjectOf"] = json!(cited);
    }
    value
}

/// An event's `startDate` and `endDate`, ISO 8601 at the precision the
/// content gives (`2023`, `2023-07`, `2023-07-14`: never a day it does not
/// say); an end that is open, approximate or uncertain is left out.
fn event_dates(date: &EdtfDate) -> (Option<String>, Option<String>) {
    let exact = |d: &PartialDate| (!d.approximate && !d.uncertain).then(|| d.iso());
    match date {
        EdtfDate::Single(d) => (exact(d), None),
        EdtfDate::Range { start, end } => (start.as_ref().and_then(exact), end.as_ref().and_then(exact)),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::fixtures;
    use super::*;

    #[test]
    fn never_lets_text_close_the_script() {
        let value = json!({"headline": "a </script><script>alert(1)</script> <!-- b"});
        let out = script_safe(&value);
        assert!(!out.contains('<'), "{out}");
        assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), value);
    }

    /// The things of a page's JSON-LD: the nodes of its graph, or itself.
    fn nodes(json: &str) -> Vec<Value> {
        let value: Value = serde_json::from_str(json).unwrap();
        match value.get("@graph") {
            Some(Value::Array(nodes)) => nodes.clone(),
            _ => vec![value],
        }
    }

    #[test]
    fn describes_the_dossier_and_each_source_r15() {
        let mut news = 0;
        for f in fixtures() {
            let x = f.exporter();
            let home = nodes(&json_ld(&x, &Subject::Home, "index.html"));
            let types: Vec<&str> = home.iter().map(|n| n["@type"].as_str().unwrap()).collect();
            assert_eq!(types, ["CreativeWork", "Dataset"]);
            assert!(home.iter().all(|n| n["name"] == f.dossier.config.title.as_str()));
            assert_eq!(home[0]["hasPart"]["@id"], home[1]["@id"]);
            assert_eq!(home[1]["isPartOf"]["@id"], home[0]["@id"]);
            let downloads = home[1]["distribution"].as_array().unwrap();
            assert!(
                downloads
                    .iter()
                    .any(|d| d["contentUrl"].as_str().unwrap().ends_with("data/dossier.json"))
            );
            for (i, s) in f.dossier.sources.iter().enumerate() {
                let path = x.routes.source(&s.slug);
                let article: Value = serde_json::from_str(&json_ld(&x, &Subject::Source(i), &path)).unwrap();
                assert_eq!(article["headline"], s.title.as_str());
                let kind = if s.kind == "article" { "NewsArticle" } else { "Article" };
                assert_eq!(article["@type"], kind, "{}", s.slug);
                let original = article["isBasedOn"][0].as_str().unwrap();
                let expected = match &f.dossier.config.base_url {
                    Some(_) => x.url(format!("data/texts/{}.txt", s.slug)),
                    None => format!("{}data/texts/{}.txt", routes::root_prefix(&path), s.slug),
                };
                assert_eq!(original, expected);
                assert_eq!(article["author"]["name"].as_str(), s.author.as_deref());
                assert_eq!(article["publisher"]["name"].as_str(), s.outlet.as_deref());
                let known = s.published.as_ref().filter(|p| !p.is_estimate());
                assert_eq!(
                    article["datePublished"].as_str(),
                    known.map(|p| p.to_string()).as_deref()
                );
            }
            news += f.dossier.sources.iter().filter(|s| s.kind == "article").count();
        }
        assert!(news > 0, "no fixture has a news article: NewsArticle is untested");
    }

    #[test]
    fn actors_by_their_kind_r15() {
        for f in fixtures() {
            let x = f.exporter();
            for (i, a) in f.dossier.actors.iter().enumerate() {
                let path = x.routes.actor(&a.slug);
                let value: Value = serde_json::from_str(&json_ld(&x, &Subject::Actor(i), &path)).unwrap();
                assert_eq!(value["name"], a.name.as_str());
                assert_eq!(value["@type"], actor_type(a.kind));
                if a.kind == ActorKind::Person {
                    assert_eq!(value["jobTitle"].as_str(), a.role.as_deref(), "{}", a.slug);
                    assert_eq!(
                        value["nationality"]["name"].as_str(),
                        a.country.map(|c| f.dossier.actors[c].name.as_str()),
                        "{}",
                        a.slug
                    );
                }
            }
        }
        assert_eq!(actor_type(ActorKind::State), "Country");
        assert_eq!(actor_type(ActorKind::Organisation), "Organization");
    }

    #[test]
    fn event_dates_never_invent_a_day_r15() {
        let dates = |text: &str| event_dates(&EdtfDate::parse(text).unwrap());
        let some = |s: &str| Some(s.to_string());
        assert_eq!(dates("2023"), (some("2023"), None));
        assert_eq!(dates("2023-07"), (some("2023-07"), None));
        assert_eq!(dates("2025-06-24"), (some("2025-06-24"), None));
        assert_eq!(dates("2025-06-21/2025-06-26"), (some("2025-06-21"), some("2025-06-26")));
        assert_eq!(dates("2021/.."), (some("2021"), None));
        assert_eq!(dates("../2018"), (None, some("2018")));
        assert_eq!(dates("2023-07~"), (None, None));
        assert_eq!(dates("2023-07?/2024"), (None, some("2024")));
    }

    #[test]
    fn every_event_on_the_page_that_lists_it_with_its_paragraphs_r15() {
        for f in fixtures() {
            let x = f.exporter();
            let pages = events_by_page(&x);
            let listed: usize = pages.values().map(Vec::len).sum();
            assert_eq!(listed, f.dossier.events.len());
            for (page, events) in &pages {
                let graph = nodes(&json_ld(&x, &Subject::Events(events), page));
                assert_eq!(graph.len(), events.len());
                for (node, &e) in graph.iter().zip(events) {
                    let e = &f.dossier.events[e];
                    assert_eq!(node["@type"], "Event");
                    assert_eq!(node["name"], e.title.as_str());
                    let cited = node["subjectOf"].as_array().map_or(0, Vec::len);
                    assert_eq!(
                        cited,
                        paragraphs_cited(&e.citations).len().min(SUBJECT_OF_MAX),
                        "{}",
                        e.slug
                    );
                    let anchor = format!("#{}", routes::event_anchor(&e.slug));
                    assert!(node["url"].as_str().unwrap().ends_with(&anchor));
                }
            }
        }
    }
}
