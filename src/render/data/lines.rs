//! `data/paragraphs.jsonl` and `data/annotations.jsonl`: the text and its
//! annotations as JSON Lines, one record a line, for tools that read a
//! line at a time (`jq`, `grep`, a spreadsheet's import, pandas'
//! `read_json(lines=True)`, a database's bulk loader): a dossier of
//! 10,000 sources is processed in constant memory, where dossier.json
//! must be parsed whole. Both are keyed by source slug and paragraph
//! number, and join on them.

use std::io::{self, Write};

use serde::Serialize;

use super::Exporter;
use super::json::{self, AnnotationJson, paragraph_kind};
use super::stream::{self, LINES};

#[derive(Serialize)]
struct ParagraphLine<'a> {
    source: &'a str,
    paragraph: usize,
    kind: &'static str,
    text: &'a str,
    url: String,
}

/// An annotation of dossier.json with its source's slug first.
#[derive(Serialize)]
struct AnnotationLine<'a> {
    source: &'a str,
    #[serde(flatten)]
    annotation: AnnotationJson<'a>,
}

/// Every paragraph of every source, with the address of its anchor.
pub fn paragraphs(x: &Exporter, w: &mut dyn Write) -> io::Result<()> {
    let d = x.dossier;
    stream::list(w, &LINES, d.sources.len(), |i, out| {
        let s = &d.sources[i];
        s.paragraphs.iter().try_for_each(|p| {
            out.push(&ParagraphLine {
                source: &s.slug,
                paragraph: p.number,
                kind: paragraph_kind(p),
                text: &p.plain,
                url: x.url(&x.routes.paragraph(&s.slug, p.number)),
            })
        })
    })
    .map(drop)
}

/// Every annotation of every source, as in dossier.json.
pub fn annotations(x: &Exporter, w: &mut dyn Write) -> io::Result<()> {
    let d = x.dossier;
    stream::list(w, &LINES, d.sources.len(), |i, out| {
        let s = &d.sources[i];
        json::annotations(d, s).into_iter().try_for_each(|annotation| {
            out.push(&AnnotationLine {
                source: &s.slug,
                annotation,
            })
        })
    })
    .map(drop)
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::super::testing::{Fixture, fixtures};

    /// Each line of a JSON Lines file, parsed.
    fn records(text: &str) -> Vec<Value> {
        assert!(text.is_empty() || text.ends_with('\n'), "the last line is ended");
        text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }

    #[test]
    fn writes_a_line_per_paragraph() {
        for f in fixtures() {
            let files = f.exports();
            let lines = records(&Fixture::text(&files, "data/paragraphs.jsonl"));
            let paragraphs: Vec<_> = f
                .dossier
                .sources
                .iter()
                .flat_map(|s| s.paragraphs.iter().map(move |p| (s, p)))
                .collect();
            assert_eq!(lines.len(), paragraphs.len(), "{}", f.name);
            for (line, (s, p)) in lines.iter().zip(paragraphs) {
                assert_eq!(line["source"], s.slug.as_str());
                assert_eq!(line["paragraph"], p.number);
                assert_eq!(line["text"], p.plain.as_str());
                assert!(
                    line["url"]
                        .as_str()
                        .unwrap()
                        .ends_with(&format!("/{}.html#p{}", s.slug, p.number))
                );
            }
        }
    }

    #[test]
    fn writes_a_line_per_annotation_as_dossier_json_has_it() {
        for f in fixtures() {
            let files = f.exports();
            let lines = records(&Fixture::text(&files, "data/annotations.jsonl"));
            let dossier: Value = serde_json::from_slice(&files["data/dossier.json"]).unwrap();
            let mut expected = Vec::new();
            for source in dossier["sources"].as_array().unwrap() {
                for annotation in source["annotations"].as_array().unwrap() {
                    let mut line = serde_json::Map::new();
                    line.insert("source".into(), source["slug"].clone());
                    line.extend(annotation.as_object().unwrap().clone());
                    expected.push(Value::Object(line));
                }
            }
            let total: usize = f.dossier.sources.iter().map(|s| s.annotations.len()).sum();
            assert_eq!(lines.len(), total, "{}", f.name);
            assert_eq!(lines, expected, "{}", f.name);
        }
    }
}
