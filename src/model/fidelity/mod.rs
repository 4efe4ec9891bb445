//! Fidelity: a source without its annotation and Markdown markup must be its
//! original, paragraph by paragraph. The comparison normalises only Unicode
//! (NFC) and runs of white space.
//!
//! Every difference of a source is reported in one run (at most
//! [`MAX_REPORTS`], then a count of the rest): the two lists of paragraphs
//! are aligned first, so that a paragraph missing, added, split in two or
//! joined to the next is one message, not a difference in every paragraph
//! after it. A differing paragraph is reported at its first differing
//! character, with the Markdown syntax that ate the words when that is the
//! cause (`locate`).
//!
//! An original is split into paragraphs on blank lines when it has any, and
//! on line breaks otherwise (the common "one paragraph per line" export).

mod locate;
mod report;

use unicode_normalization::UnicodeNormalization;

use super::Source;
use crate::diagnostic::Diagnostic;

/// Differences reported per source, at most; one more message counts the
/// rest.
pub const MAX_REPORTS: usize = 20;

/// How far ahead the alignment looks for a paragraph missing or added.
const LOOKAHEAD: usize = 3;

/// One difference between the source's paragraphs (`ours`, 0-based) and
/// the original's (`theirs`).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    /// Our paragraph `.0` is the original's `.1`, with other words.
    Differs(usize, usize),
    /// The original's paragraphs `theirs` are missing before ours `at`.
    Missing { at: usize, theirs: std::ops::Range<usize> },
    /// Our paragraphs are not in the original.
    Extra(std::ops::Range<usize>),
    /// Our paragraphs `.0` and `.0 + 1` are the original's `.1`.
    Split(usize, usize),
    /// Our paragraph `at` is the original's paragraphs `theirs` (two or
    /// more) run together.
    Joined { at: usize, theirs: std::ops::Range<usize> },
    /// Our paragraph `.0` is the original's `.1`, word for word, in
    /// another place.
    Moved(usize, usize),
}

/// Compares `source`, whose file reads `text`, with its original, except
/// for the paragraphs in `skip` (0-based, sorted), whose syntax errors are
/// reported already.
pub fn check(source: &Source, text: &str, original: &str, skip: &[usize]) -> Vec<Diagnostic> {
    let theirs = original_paragraphs(original);
    let ours: Vec<&str> = source.paragraphs.iter().map(|p| p.normal()).collect();
    let steps = moves_paired(align(&ours, &theirs, skip), &ours, &theirs);
    report::diagnostics(source, text, (&ours, &theirs, one_per_line(original)), &steps)
}

/// The differences between `ours` and `theirs`, in order: equal paragraphs
/// are passed over, and a short look ahead tells a paragraph missing or
/// added from one that differs.
fn align(ours: &[&str], theirs: &[String], skip: &[usize]) -> Vec<Step> {
    let mut steps = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < ours.len() && j < theirs.len() {
        if ours[i] == theirs[j] || skip.binary_search(&i).is_ok() {
            (i, j) = (i + 1, j + 1);
            continue;
        }
        let step = step_at(ours, theirs, i, j);
        (i, j) = match &step {
            Step::Differs(..) => (i + 1, j + 1),
            Step::Missing { theirs, .. } => (i, theirs.end),
            Step::Extra(ours) => (ours.end, j),
            Step::Split(..) => (i + 2, j + 1),
            Step::Joined { theirs, .. } => (i + 1, theirs.end),
            // Never from `step_at`: `moves_paired` makes moves afterwards,
            // from a missing and an added paragraph of these steps.
            Step::Moved(..) => (i + 1, j + 1),
        };
        steps.push(step);
    }
    if i < ours.len() {
        steps.push(Step::Extra(i..ours.len()));
    }
    if j < theirs.len() {
        steps.push(Step::Missing {
            at: i,
            theirs: j..theirs.len(),
        });
    }
    steps
}

/// A paragraph of the original missing in one place and one of ours added
/// in another, with the same words, is one paragraph moved: one step (at
/// the added one, where the journalist cuts it), not two. Only single
/// paragraphs are paired; each missing one with the first added one that
/// has its words.
fn moves_paired(steps: Vec<Step>, ours: &[&str], theirs: &[String]) -> Vec<Step> {
    let mut missing: rustc_hash::FxHashMap<&str, Vec<(usize, usize)>> = Default::default();
    for (k, step) in steps.iter().enumerate().rev() {
        if let Step::Missing { theirs: range, .. } = step
            && range.len() == 1
        {
            missing
                .entry(theirs[range.start].as_str())
                .or_default()
                .push((k, range.start));
        }
    }
    if missing.is_empty() {
        return steps;
    }
    // A missing paragraph paired with a later added one is taken out.
    let mut steps: Vec<Option<Step>> = steps.into_iter().map(Some).collect();
    for k in 0..steps.len() {
        if let Some(Step::Extra(range)) = &steps[k]
            && range.len() == 1
            && let Some((missing_at, j)) = missing.get_mut(ours[range.start]).and_then(Vec::pop)
        {
            steps[k] = Some(Step::Moved(range.start, j));
            steps[missing_at] = None;
        }
    }
    steps.into_iter().flatten().collect()
}

/// What differs where our paragraph `i` and the original's `j` differ.
fn step_at(ours: &[&str], theirs: &[String], i: usize, j: usize) -> Step {
    let joins = |a: &str, b: &str, whole: &str| {
        whole.len() == a.len() + 1 + b.len()
            && whole.starts_with(a)
            && whole.ends_with(b)
            && whole.as_bytes()[a.len()] == b' '
    };
    if let Some(next) = ours.get(i + 1)
        && joins(ours[i], next, &theirs[j])
    {
        return Step::Split(i, j);
    }
    if let Some(k) = joined_count(ours[i], theirs, j) {
        return Step::Joined {
            at: i,
            theirs: j..j + k,
        };
    }
    let missing = (1..=LOOKAHEAD).find(|k| theirs.get(j + k).is_some_and(|t| t == ours[i]));
    let extra = (1..=LOOKAHEAD).find(|k| ours.get(i + k).is_some_and(|o| *o == theirs[j]));
    match (missing, extra) {
        (Some(k), e) if e.is_none_or(|e| k <= e) => Step::Missing {
            at: i,
            theirs: j..j + k,
        },
        (_, Some(k)) => Step::Extra(i..i + k),
        _ => Step::Differs(i, j),
    }
}

/// The most paragraphs of the original one paragraph is taken to join.
const MAX_JOINED: usize = 100;

/// How many of the original's paragraphs from `j` on `whole` is, run
/// together with spaces, if it is two or more of them exactly: a hard-wrapped
/// original's lines, or a missing blank line.
fn joined_count(whole: &str, theirs: &[String], j: usize) -> Option<usize> {
    let mut at = 0;
    for (k, part) in theirs.get(j..)?.iter().enumerate().take(MAX_JOINED) {
        if !whole[at..].starts_with(part.as_str()) {
            return None;
        }
        at += part.len();
        if at == whole.len() {
            return (k >= 1).then_some(k + 1);
        }
        if whole.as_bytes()[at] != b' ' {
            return None;
        }
        at += 1;
    }
    None
}

/// Whether the original has no blank line between its paragraphs, which
/// are then its lines.
fn one_per_line(original: &str) -> bool {
    !original.trim().lines().any(|l| l.trim().is_empty())
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
    // Most text is NFC already, which the quick check tells without
    // decomposing and recomposing every character.
    match unicode_normalization::is_nfc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes if is_collapsed(text) => text.to_owned(),
        unicode_normalization::IsNormalized::Yes => collapse_white_space(text),
        _ => collapse_white_space(&text.nfc().collect::<String>()),
    }
}

/// Whether [`normalise`] would return `text` as it is.
pub fn is_normal(text: &str) -> bool {
    is_collapsed(text) && unicode_normalization::is_nfc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes
}

/// Whether the only white space in `text` is single ASCII spaces between
/// words. Each kind of byte that can begin other white space is looked
/// for with memchr (vectorised), and a character is decoded only where
/// its first byte could start one (U+0085, U+00A0, U+1680, U+2000–U+3000):
/// a byte-at-a-time loop cost as much as collapsing the text.
fn is_collapsed(text: &str) -> bool {
    let bytes = text.as_bytes();
    let ascii_ok = bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ')
        && memchr::memmem::find(bytes, b"  ").is_none()
        && memchr::memchr3(b'\t', b'\n', b'\r', bytes).is_none()
        && memchr::memchr2(0x0B, 0x0C, bytes).is_none();
    let starts_white_space = |at: usize| text[at..].chars().next().is_some_and(char::is_whitespace);
    ascii_ok
        && !memchr::memchr3_iter(0xC2, 0xE1, 0xE2, bytes).any(starts_white_space)
        && !memchr::memchr_iter(0xE3, bytes).any(starts_white_space)
}

/// The words of `text` joined by one space, copied a word at a time.
fn collapse_white_space(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::Code;
    use crate::model::paragraph::parse_body;

    fn source(body: &str) -> Source {
        Source {
            slug: "s".into(),
            title: "S".into(),
            published: None,
            author: None,
            outlet: None,
            url: None,
            license: None,
            retrieved_from: None,
            language: "fr".into(),
            kind: "article".into(),
            note: None,
            sectors: vec![],
            original: "seeds/originals/s.txt".into(),
            paragraphs: parse_body(body, 0).paragraphs.into(),
            annotations: vec![],
            path: "seeds/s.md".into(),
        }
    }

    #[test]
    fn text_is_collapsed_only_with_single_ascii_spaces_between_words() {
        // U+2010 and U+3001 start with the bytes of white space characters.
        for text in ["", "a", "a b", "é à", "l’été", "a\u{2010}b", "a\u{3001}b", "\u{c2}"] {
            assert!(is_collapsed(text), "{text:?}");
            assert_eq!(normalise(text), text);
        }
        for text in [
            " a",
            "a ",
            "a  b",
            "a\tb",
            "a\nb",
            "a\u{a0}b",
            "a\u{85}b",
            "a\u{1680}b",
            "a\u{2003}b",
            "a\u{202F}b",
            "a\u{205F}b",
            "a\u{3000}b",
        ] {
            assert!(!is_collapsed(text), "{text:?}");
            assert_ne!(normalise(text), text);
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
    fn collapses_white_space_as_split_and_join_would() {
        for text in [
            "",
            " a",
            "a ",
            " \u{2003}a \n\t b\u{a0} ",
            "a\u{202f}:\u{a0}b",
            "  x  y  z  ",
            "\n",
        ] {
            let reference = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(normalise(text), reference, "{text:?}");
        }
    }

    #[test]
    fn accepts_a_faithful_annotated_source() {
        let body = "Le [24 juin]{date=2025-06-24} à Moscou.\n\n## Titre\n\nFin\u{a0}!\n";
        assert!(check_body(body, "Le 24 juin à Moscou.\nTitre\nFin !", &[]).is_empty());
    }

    #[test]
    fn splits_originals_on_blank_lines_when_they_have_them() {
        let paras = original_paragraphs("Un\ndeux.\n\nTrois.\r\n\r\n\r\nQuatre.");
        assert_eq!(paras, ["Un deux.", "Trois.", "Quatre."]);
        assert_eq!(original_paragraphs("A\nB\n\n"), ["A", "B"]);
    }

    /// Issue 12: the headline that opens the original was shown twice.
    #[test]
    fn a_first_paragraph_that_is_the_title_is_a_headline() {
        let mut s = source("JOINT  STATEMENT\n\nText.");
        s.title = "Joint statement".into();
        assert!(s.opens_with_title(), "whatever its case and spaces");
        s.title = "Joint statement on fisheries".into();
        assert!(!s.opens_with_title(), "another title");
        s.title = "Joint statement".into();
        s.annotations.push(crate::model::Annotation {
            paragraph: 1,
            ..Default::default()
        });
        assert!(!s.opens_with_title(), "an annotated ¶1 stays in the text");
    }

    fn check_body(body: &str, original: &str, skip: &[usize]) -> Vec<Diagnostic> {
        check(&source(body), body, original, skip)
    }

    #[test]
    fn compares_in_nfc() {
        assert!(check_body("Cafe\u{301} noir.", "Café noir.", &[]).is_empty());
    }

    #[test]
    fn reports_the_first_differing_words_at_their_character() {
        let body = "Un.\n\nLe [Mali]{actor=mali} et le Niger signent.";
        let d = check_body(body, "Un.\nLe Mali et le Burkina signent.", &[]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, Code::E0401);
        assert_eq!(d[0].message, "¶2 differs from the original `seeds/originals/s.txt`");
        assert_eq!(
            &body[d[0].span.clone()],
            "N",
            "the caret is on the first differing character"
        );
        let help = d[0].help.as_deref().unwrap();
        assert!(
            help.starts_with(
                "the source reads «…Niger signent.» where the original reads «…Burkina signent.»; annotations must keep"
            ),
            "{help}"
        );
    }

    #[test]
    fn reports_every_differing_paragraph_in_one_run() {
        let body = "1. Un.\n\nDeux.\n\n2. Trois.\n\n### \n\nUn *grand* jour.";
        let original = "1. Un.\nDeux.\n2. Trois.\n###\nUn *grand* jour.";
        let d = check_body(body, original, &[]);
        let numbers: Vec<&str> = d.iter().map(|d| &d.message[..d.message.find(' ').unwrap()]).collect();
        assert_eq!(numbers, ["¶1", "¶3", "¶4", "¶5"], "{d:#?}");
        let spans: Vec<&str> = d.iter().map(|d| &body[d.span.clone()]).collect();
        assert_eq!(spans, ["1.", "2.", "###", "*"]);
        let helps: Vec<&str> = d.iter().map(|d| d.help.as_deref().unwrap()).collect();
        assert!(helps[0].ends_with("`1.` at the start of a paragraph makes it a Markdown list item, which drops the `1.`: escape it: `1\\.`"), "{}", helps[0]);
        assert!(
            helps[2].ends_with("makes it a Markdown heading, which drops the `###`: escape it: `\\###`"),
            "{}",
            helps[2]
        );
        assert!(
            helps[3].ends_with("`*` around words makes Markdown emphasis, which drops the `*`: escape each one: `\\*`"),
            "{}",
            helps[3]
        );
    }

    /// Issue 12: "a ten-item list costs ten runs". The items of a list
    /// are one Markdown block: the first differs, the others are missing,
    /// and both messages say why.
    #[test]
    fn a_list_in_the_source_is_two_messages_that_name_it() {
        let body = "Intro.\n\n1. Un.\n\n2. Deux.\n\n3. Trois.\n\nFin.";
        let original = "Intro.\n1. Un.\n2. Deux.\n3. Trois.\nFin.";
        let d = check_body(body, original, &[]);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert!(d[0].help.as_deref().unwrap().ends_with("escape it: `1\\.`"));
        assert!(
            d[1].message.ends_with("¶3–¶4 of the original are missing"),
            "{}",
            d[1].message
        );
        let help = d[1].help.as_deref().unwrap();
        assert!(
            help.ends_with("are one Markdown list, read as one paragraph; escape each marker: `2\\.`"),
            "{help}"
        );
    }

    #[test]
    fn bounds_the_reports_of_one_source() {
        let n = MAX_REPORTS + 5;
        let body: Vec<String> = (0..n).map(|i| format!("Point *{i}*.")).collect();
        let original: Vec<String> = (0..n).map(|i| format!("Point *{i}*.")).collect();
        let d = check_body(&body.join("\n\n"), &original.join("\n"), &[]);
        assert_eq!(d.len(), MAX_REPORTS + 1);
        let last = d.last().unwrap();
        assert_eq!(
            last.message,
            "and 5 more differences with the original `seeds/originals/s.txt`, from ¶21"
        );
        assert!(last.help.as_deref().unwrap().contains("only the first 20"));
    }

    #[test]
    fn asks_whether_a_missing_first_paragraph_is_a_headline() {
        let d = check_body("Body one.\n\nBody two.", "The Headline\nBody one.\nBody two.", &[]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, Code::E0402);
        assert!(
            d[0].message.ends_with("¶1 of the original is missing"),
            "{}",
            d[0].message
        );
        let help = d[0].help.as_deref().unwrap();
        assert!(
            help.starts_with("a paragraph is missing: is ¶1 a headline? The original begins «The Headline»"),
            "{help}"
        );
    }

    #[test]
    fn one_paragraph_missing_or_added_is_one_message() {
        let d = check_body("Un.\n\nTrois.\n\nQuatre.", "Un.\nDeux.\nTrois.\nQuatre.", &[]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.ends_with("¶2 of the original is missing"),
            "{}",
            d[0].message
        );
        assert_eq!(d[0].help.as_deref(), Some("the original's ¶2 begins «Deux.»"));
        let d = check_body("Un.\n\nAjout.\n\nDeux.", "Un.\nDeux.", &[]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.ends_with("¶2 is not in the original"), "{}", d[0].message);
    }

    #[test]
    fn a_paragraph_moved_is_one_message_at_its_new_place() {
        // Moved two places down: within the alignment's look-ahead.
        let d = check_body("Un.\n\nTrois.\n\nQuatre.\n\nDeux.", "Un.\nDeux.\nTrois.\nQuatre.", &[]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.starts_with("¶4 is ¶2 of the original"), "{}", d[0].message);
        assert!(d[0].message.ends_with(", moved"), "{}", d[0].message);
        assert!(
            d[0].help
                .as_deref()
                .unwrap()
                .starts_with("the original has it after its ¶1 «Un.»"),
            "{d:?}"
        );
        // Moved from the start to the end, far beyond the look-ahead.
        let ours: Vec<String> = (2..=9).chain([1]).map(|n| format!("P{n}.")).collect();
        let theirs: Vec<String> = (1..=9).map(|n| format!("P{n}.")).collect();
        let d = check_body(&ours.join("\n\n"), &theirs.join("\n"), &[]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.starts_with("¶9 is ¶1 of the original"), "{}", d[0].message);
        assert!(
            d[0].help.as_deref().unwrap().starts_with("the original opens with it"),
            "{d:?}"
        );
        // Different words are no move: one missing, one added.
        let d = check_body("Un.\n\nTrois.\n\nDeux bis.", "Un.\nDeux.\nTrois.", &[]);
        assert_eq!(d.len(), 2, "{d:?}");
    }

    #[test]
    fn a_paragraph_split_or_joined_is_one_message() {
        let body = "Un.\n\nDeux a.\n\nDeux b.\n\nTrois.";
        let d = check_body(body, "Un.\nDeux a. Deux b.\nTrois.", &[]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.starts_with("¶2 and ¶3 are one paragraph"),
            "{}",
            d[0].message
        );
        let body = "Un.\nDeux.\n\nTrois.";
        let d = check_body(body, "Un.\n\nDeux.\n\nTrois.", &[]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.starts_with("¶1 holds two paragraphs"), "{}", d[0].message);
        assert_eq!(&body[d[0].span.clone()], "D");
        assert!(!d[0].help.as_deref().unwrap().contains("no blank line"));
    }

    /// Issue 12: a hard-wrapped original (no blank line) made every line
    /// a paragraph, and a source written with its real paragraphs got a
    /// message for each line.
    #[test]
    fn a_hard_wrapped_original_is_one_message_per_real_paragraph() {
        let original = "The two Parties\nagreed on a joint\nquota.\nThey will meet\nagain in May.\n";
        let body = "The two Parties agreed on a joint quota.\n\nThey will meet again in May.\n";
        let d = check_body(body, original, &[]);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert!(
            d[0].message.starts_with("¶1 holds 3 paragraphs of the original"),
            "{}",
            d[0].message
        );
        assert!(
            d[1].message.starts_with("¶2 holds two paragraphs of the original"),
            "{}",
            d[1].message
        );
        assert_eq!(&body[d[0].span.clone()], "a", "at the original's second line");
        let help = d[0].help.as_deref().unwrap();
        assert!(help.starts_with("the original has no blank line, so each of its lines is a paragraph, and its line «The two Parties» ends mid-sentence: it looks hard-wrapped"), "{help}");
    }

    #[test]
    fn skips_paragraphs_whose_syntax_is_already_reported() {
        let body = "Un.\n\nLe Mali et le Niger signent.\n\nTrois.";
        let original = "Un.\nLe Mali et le Burkina signent.\nQuatre.";
        let d = check_body(body, original, &[1]);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.starts_with("¶3"), "{}", d[0].message);
        assert!(check_body(body, original, &[1, 2]).is_empty());
    }

    #[test]
    fn reports_missing_and_extra_paragraphs_at_the_end() {
        let d = check_body("Un.", "Un.\nDeux.", &[]);
        assert_eq!(d[0].code, Code::E0402);
        assert!(d[0].help.as_deref().unwrap().contains("Deux."));
        let d = check_body("Un.\n\nDeux.", "Un.", &[]);
        assert!(d[0].message.contains("¶2 is not in the original"), "{}", d[0].message);
        let d = check_body("", "Un.\nDeux.", &[]);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].help.as_deref().unwrap().starts_with("the source has no text yet"),
            "{d:?}"
        );
    }
}
