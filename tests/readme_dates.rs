//! The README's date table and its sentence on publication dates say how
//! the engine writes dates in French and English: both are read here and
//! compared with what the engine prints for each EDTF date they show, with
//! the default theme's words (`DateWords`: `since`, `until`, `between`,
//! `not_before`…). Issue 15: the table said `../2021` reads « depuis 2021 ».

use dossier::load::Theme;
use dossier::model::EdtfDate;
use dossier::render::i18n::I18n;

const README: &str = include_str!("../README.md");

/// The lines of the README's `### Dates` section.
fn dates_section() -> Vec<&'static str> {
    let lines = README.lines();
    let start = lines
        .clone()
        .position(|l| l.trim() == "### Dates")
        .expect("README has a `### Dates` section");
    README
        .lines()
        .skip(start + 1)
        .take_while(|l| !l.starts_with('#'))
        .collect()
}

/// Text as a reader sees it: no-break spaces as spaces, runs of white
/// space as one.
fn plain(text: &str) -> String {
    text.replace(['\u{a0}', '\u{202f}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The table's rows: (EDTF as written, French, English).
fn table_rows() -> Vec<(String, String, String)> {
    let mut rows = Vec::new();
    for line in dates_section().into_iter().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        assert_eq!(cells.len(), 3, "a row of three cells: {line}");
        let edtf = cells[0].trim_matches('`');
        // A note in parentheses after the words is not part of them.
        let shown = cells[2].split(" (").next().unwrap_or_default();
        let (fr, en) = shown.split_once(" / ").unwrap_or((shown, shown));
        rows.push((edtf.to_string(), plain(fr), plain(en)));
    }
    rows
}

/// The sentence on publication dates: each `EDTF` followed by « French »
/// / "English".
fn bounds_examples() -> Vec<(String, String, String)> {
    let section = dates_section().join("\n");
    let paragraph = section
        .split("\n\n")
        .find(|p| p.contains("published") && p.contains('«'))
        .expect("README says how a publication date reads");
    let parts: Vec<&str> = paragraph.split('`').collect();
    let mut examples = Vec::new();
    for pair in parts[1..].chunks(2) {
        let [code, after] = pair else { continue };
        let Ok(_) = EdtfDate::parse(code) else { continue };
        let Some((_, rest)) = after.split_once('«') else {
            continue;
        };
        let (fr, rest) = rest.split_once('»').expect("« closed by »");
        let en = rest.split('"').nth(1).expect("the English words in quotes");
        examples.push((code.to_string(), plain(fr), plain(en)));
    }
    examples
}

fn words(language: &str) -> dossier::render::dates::DateWords {
    I18n::load(&Theme::embedded(), language)
        .expect("the default theme has the language")
        .dates
}

#[test]
fn readme_date_table_says_what_the_engine_prints_r15() {
    let (fr, en) = (words("fr"), words("en"));
    let rows = table_rows();
    assert!(rows.len() >= 8, "the table lost rows: {rows:?}");
    assert!(rows.iter().any(|r| r.0 == "../2021"), "the open start is in the table");
    for (edtf, french, english) in rows {
        let date = EdtfDate::parse(&edtf).unwrap_or_else(|e| panic!("README's `{edtf}`: {}", e.message));
        assert_eq!(plain(&fr.format(&date, true)), french, "README's French for `{edtf}`");
        assert_eq!(plain(&en.format(&date, true)), english, "README's English for `{edtf}`");
    }
}

#[test]
fn readme_publication_dates_say_what_the_engine_prints_r15() {
    let (fr, en) = (words("fr"), words("en"));
    let examples = bounds_examples();
    assert!(examples.len() >= 2, "the sentence lost its examples: {examples:?}");
    for (edtf, french, english) in examples {
        let date = EdtfDate::parse(&edtf).unwrap();
        assert_eq!(
            plain(&fr.format_bounds(&date)),
            french,
            "README's French for the published date `{edtf}`"
        );
        assert_eq!(
            plain(&en.format_bounds(&date)),
            english,
            "README's English for the published date `{edtf}`"
        );
    }
}
