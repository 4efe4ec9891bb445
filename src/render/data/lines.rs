//! `data/paragraphs.jsonl` and `data/annotations.jsonl`: the text and its
//! annotations as JSON Lines, one record a line, for tools that read a
//! line at a time (`jq`, `grep`, a spreadsheet's import, pandas'
//! `read_json(lines=True)`, a database's bulk loader): a dossier of
//! 10,000 sources is processed in constant memory, where dossier.json
//! must be parsed whole. Both are keyed by source slug and paragraph
//! number, and join on them.

use std::io;

use serde::Serialize;
use serde_json::value::RawValue;

use super::Exporter;
use super::json::paragraph_kind;
use super::stream::Records;
use crate::model::Source;

#[derive(Serialize)]
struct ParagraphLine<'a> {
    source: &'a str,
    paragraph: usize,
    kind: &'static str,
    text: &'a RawValue,
    url: String,
}

/// A source's lines of `paragraphs.jsonl`, with the address of each
/// paragraph's anchor; `texts` are the paragraphs' texts, serialised.
pub fn paragraphs(x: &Exporter, s: &Source, texts: &[Box<RawValue>], out: &mut Records) -> io::Result<()> {
    s.paragraphs.iter().zip(texts).try_for_each(|(p, text)| {
        out.push(&ParagraphLine {
            source: &s.slug,
            paragraph: p.number,
            kind: paragraph_kind(p),
            text,
            url: x.url(x.routes.paragraph(&s.slug, p.number)),
        })
    })
}

/// A source's lines of `annotations.jsonl`: each annotation as
/// dossier.json has it (`annotations`, serialised), its source's slug
/// first.
pub fn annotations(s: &Source, annotations: &[Box<RawValue>], out: &mut Records) -> io::Result<()> {
    let slug = serde_json::to_vec(&s.slug)?;
    annotations.iter().try_for_each(|annotation| {
        // An annotation is an object with members: `{` and the rest.
        let members = annotation.get().strip_prefix('{').expect("an annotation is an object");
        out.push_with(|line| {
            line.extend_from_slice(b"{\"source\":");
            line.extend_from_slice(&slug);
            line.push(b',');
            line.extend_from_slice(members.as_bytes());
            Ok(())
        })
    })
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
