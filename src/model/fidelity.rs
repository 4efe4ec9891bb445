//! Fidelity: a source without its annotation and Markdown markup must be its
//! original, paragraph by paragraph. The comparison normalises only Unicode
//! (NFC) and runs of white space. The first paragraph that differs is
//! reported with the first differing words of both versions.
//!
//! An original is split into paragraphs on blank lines when it has any, and
//! on line breaks otherwise (the common "one paragraph per line" export).

use std::path::Path;

use unicode_normalization::UnicodeNormalization;

use super::Source;
use crate::code::Code;
use crate::diagnostic::Diagnostic;

/// Compares `source` with its original, except for the paragraphs in
/// `skip` (sorted), whose syntax errors are reported already.
pub fn check(source: &Source, original: &str, skip: &[usize]) -> Option<Diagnostic> {
    let theirs = original_paragraphs(original);
    let ours: Vec<&str> = source.paragraphs.iter().map(|p| p.normal.as_str()).collect();
    let first_diff = ours
        .iter()
        .zip(&theirs)
        .enumerate()
        .position(|(i, (a, b))| *a != b.as_str() && skip.binary_search(&i).is_err())
        .or_else(|| (ours.len() != theirs.len()).then(|| ours.len().min(theirs.len())))?;
    Some(mismatch(source, &ours, &theirs, first_diff))
}

fn mismatch(source: &Source, ours: &[&str], theirs: &[String], at: usize) -> Diagnostic {
    let path: &Path = &source.path;
    let original = source.original.display();
    let span = source
        .paragraphs
        .get(at)
        .or(source.paragraphs.last())
        .map_or(0..0, |p| p.span.clone());
    let number = at + 1;
    match (ours.get(at), theirs.get(at)) {
        (Some(a), Some(b)) => {
            let (mine, orig) = first_difference(a, b);
            Diagnostic::error(
                Code::E0401,
                path,
                span,
                format!("¶{number} differs from the original `{original}`"),
            )
            .with_help(format!(
                "the source reads «{mine}» where the original reads «{orig}»; annotations must keep the source's words exactly (corrections go in `note=`), and paragraphs are separated by one blank line"
            ))
        }
        (Some(_), None) => Diagnostic::error(
            Code::E0402,
            path,
            span,
            format!(
                "the source has {} paragraphs but the original `{original}` has {}; ¶{number} is not in the original",
                ours.len(),
                theirs.len()
            ),
        )
        .with_help("is a paragraph split in two by a blank line, or added?"),
        _ => Diagnostic::error(
            Code::E0402,
            path,
            span,
            format!(
                "the source has {} paragraphs but the original `{original}` has {}; ¶{number} of the original is missing",
                ours.len(),
                theirs.len()
            ),
        )
        .with_help(format!(
            "the original's ¶{number} begins «{}»",
            excerpt(&theirs[at], 0)
        )),
    }
}

pub fn original_paragraphs(original: &str) -> Vec<String> {
    let text = original.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = text.lines().collect();
    let blank = |l: &&str| l.trim().is_empty();
    let first = lines.iter().position(|l| !blank(l)).unwrap_or(lines.len());
    let last = lines.iter().rposition(|l| !blank(l)).map_or(first, |i| i + 1);
    let inner = &lines[first..last.max(first)];
    let paragraphs: Vec<String> = if inner.iter().any(blank) {
        inner
            .split(blank)
            .filter(|group| !group.is_empty())
            .map(|group| group.join(" "))
            .collect()
    } else {
        inner.iter().map(|l| l.to_string()).collect()
    };
    paragraphs.iter().map(|p| normalise(p)).collect()
}

/// NFC, and every run of white space (including no-break spaces) as one space.
pub fn normalise(text: &str) -> String {
    let collapse = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    // Most text is NFC already, which the quick check tells without
    // decomposing and recomposing every character.
    match unicode_normalization::is_nfc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => collapse(text),
        _ => collapse(&text.nfc().collect::<String>()),
    }
}

/// A few words around the first place where `a` and `b` differ.
fn first_difference(a: &str, b: &str) -> (String, String) {
    let common = a
        .char_indices()
        .zip(b.chars())
        .find(|((_, ca), cb)| ca != cb)
        .map_or(a.len().min(b.len()), |((i, _), _)| i);
    let start = a[..common].rfind(' ').map_or(0, |i| i + 1);
    (excerpt(a, start), excerpt(b, start))
}

/// Characters an excerpt shows at most, however long its words.
const EXCERPT_CHARS: usize = 80;

fn excerpt(text: &str, start: usize) -> String {
    let start = crate::diagnostic::floor_char_boundary(text, start.min(text.len()));
    let words: Vec<&str> = text[start..].split(' ').take(8).collect();
    let mut out = words.join(" ");
    if let Some((cut, _)) = out.char_indices().nth(EXCERPT_CHARS) {
        out.truncate(cut);
    }
    if out.len() < text.len() - start {
        out.push('…');
    }
    if start > 0 {
        out.insert(0, '…');
    }
    crate::diagnostic::visible(&out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::paragraph::parse_body;

    fn source(body: &str) -> Source {
        Source {
            slug: "s".into(),
            title: "S".into(),
            published: None,
            author: None,
            outlet: None,
            url: None,
            language: "fr".into(),
            kind: "article".into(),
            note: None,
            sectors: vec![],
            original: "seeds/originals/s.txt".into(),
            paragraphs: parse_body(body, 0).paragraphs,
            annotations: vec![],
            path: "seeds/s.md".into(),
        }
    }

    #[test]
    fn normalises_to_nfc_whether_or_not_the_text_is_nfc_already() {
        let decomposed = "Mali\u{a0}: e\u{301}nergie  et\tmines";
        assert_eq!(normalise(decomposed), "Mali : \u{e9}nergie et mines");
        assert_eq!(
            normalise("Mali\u{a0}: \u{e9}nergie et mines"),
            "Mali : \u{e9}nergie et mines"
        );
        assert_eq!(normalise("  "), "");
    }

    #[test]
    fn accepts_a_faithful_annotated_source() {
        let s = source("Le [24 juin]{date=2025-06-24} à Moscou.\n\n## Titre\n\nFin\u{a0}!\n");
        assert!(check(&s, "Le 24 juin à Moscou.\nTitre\nFin !", &[]).is_none());
    }

    #[test]
    fn splits_originals_on_blank_lines_when_they_have_them() {
        let paras = original_paragraphs("Un\ndeux.\n\nTrois.\r\n\r\n\r\nQuatre.");
        assert_eq!(paras, ["Un deux.", "Trois.", "Quatre."]);
        assert_eq!(original_paragraphs("A\nB\n\n"), ["A", "B"]);
    }

    #[test]
    fn compares_in_nfc() {
        let s = source("Cafe\u{301} noir.");
        assert!(check(&s, "Café noir.", &[]).is_none());
    }

    #[test]
    fn reports_the_first_differing_words() {
        let s = source("Un.\n\nLe Mali et le Niger signent.");
        let d = check(&s, "Un.\nLe Mali et le Burkina signent.", &[]).expect("a mismatch");
        assert_eq!(d.code, Code::E0401);
        assert!(d.message.contains("¶2"), "{}", d.message);
        let help = d.help.unwrap();
        assert!(help.contains("«…Niger signent.»"), "{help}");
        assert!(help.contains("«…Burkina signent.»"), "{help}");
    }

    #[test]
    fn skips_paragraphs_whose_syntax_is_already_reported() {
        let s = source("Un.\n\nLe Mali et le Niger signent.\n\nTrois.");
        let original = "Un.\nLe Mali et le Burkina signent.\nQuatre.";
        let d = check(&s, original, &[1]).expect("¶3 still differs");
        assert!(d.message.contains("¶3"), "{}", d.message);
        assert!(check(&s, original, &[1, 2]).is_none());
    }

    #[test]
    fn reports_missing_and_extra_paragraphs() {
        let d = check(&source("Un."), "Un.\nDeux.", &[]).unwrap();
        assert_eq!(d.code, Code::E0402);
        assert!(d.help.unwrap().contains("Deux."));
        let d = check(&source("Un.\n\nDeux."), "Un.", &[]).unwrap();
        assert!(d.message.contains("¶2 is not in the original"), "{}", d.message);
    }
}
