//! schema.org JSON-LD for the pages where it means something: the home
//! page describes the dossier as a `Dataset` (its downloads, its language),
//! a source's page the source as an `Article` (author, publisher, date,
//! `isBasedOn` its original text). Built with serde_json, never by pasting
//! text together, and with every `<` escaped, so that no text of the
//! dossier can end the `<script type="application/ld+json">` holding it.
//! Addresses are absolute under `base_url`, otherwise relative to the page
//! that holds them, as a JSON-LD processor reading the page resolves them.

use serde_json::{Value, json};

use super::{Exporter, FOLDER, annotations, feed};
use crate::model::Source;
use crate::render::routes;

/// What a page of the site can say about itself as data.
pub enum Subject {
    Home,
    Source(usize),
}

/// The JSON-LD of a page at `path`, ready to go between script tags.
pub fn json_ld(x: &Exporter, subject: &Subject, path: &str) -> String {
    let value = match *subject {
        Subject::Home => dataset(x, path),
        Subject::Source(i) => article(x, &x.dossier.sources[i], path),
    };
    script_safe(&value)
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

fn dataset(x: &Exporter, page: &str) -> Value {
    let d = x.dossier;
    let chronology = &x.routes.names.chronology;
    let download = |file: String, format: &str| json!({"@type": "DataDownload", "contentUrl": link(x, page, &file), "encodingFormat": format});
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": d.config.title,
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
    if d.config.base_url.is_some() {
        value["url"] = json!(x.url(&x.routes.home()));
    }
    value
}

fn article(x: &Exporter, s: &Source, page: &str) -> Value {
    let d = x.dossier;
    let text = format!("{FOLDER}/{}", annotations::text_path(&s.slug));
    let mut based_on = vec![json!(link(x, page, &text))];
    based_on.extend(s.url.as_ref().map(|u| json!(u)));
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": s.title,
        "inLanguage": s.language,
        "isBasedOn": based_on,
        "isPartOf": {"@type": "Dataset", "name": d.config.title, "url": link(x, page, &x.routes.home())},
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
    if d.config.base_url.is_some() {
        value["url"] = json!(x.url(&x.routes.source(&s.slug)));
    }
    value
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

    #[test]
    fn describes_the_dossier_and_each_source_r15() {
        for f in fixtures() {
            let x = f.exporter();
            let home: Value = serde_json::from_str(&json_ld(&x, &Subject::Home, "index.html")).unwrap();
            assert_eq!(home["@type"], "Dataset");
            assert_eq!(home["name"], f.dossier.config.title.as_str());
            let downloads = home["distribution"].as_array().unwrap();
            assert!(
                downloads
                    .iter()
                    .any(|d| d["contentUrl"].as_str().unwrap().ends_with("data/dossier.json"))
            );
            for (i, s) in f.dossier.sources.iter().enumerate() {
                let path = x.routes.source(&s.slug);
                let article: Value = serde_json::from_str(&json_ld(&x, &Subject::Source(i), &path)).unwrap();
                assert_eq!(article["headline"], s.title.as_str());
                let original = article["isBasedOn"][0].as_str().unwrap();
                let expected = match &f.dossier.config.base_url {
                    Some(_) => x.url(&format!("data/texts/{}.txt", s.slug)),
                    None => format!("{}data/texts/{}.txt", routes::root_prefix(&path), s.slug),
                };
                assert_eq!(original, expected);
                assert_eq!(article["author"]["name"].as_str(), s.author.as_deref());
                let known = s.published.as_ref().filter(|p| !p.is_estimate());
                assert_eq!(
                    article["datePublished"].as_str(),
                    known.map(|p| p.to_string()).as_deref()
                );
            }
        }
    }
}
