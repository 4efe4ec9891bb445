//! Drafting the annotated copy of an original: the same paragraphs, split
//! as the fidelity check splits them (on blank lines when the original has
//! any, on line breaks otherwise), each on one line, with whatever
//! Markdown or the annotation syntax would read as markup escaped — list
//! markers (`1.`, `-`, `+`, `*`), `#`, `>`, emphasis, code, brackets,
//! HTML, entities. A draft is checked against its original before it is
//! written, by the same code `dossier check` runs.

/// How the original's text was cut into paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Paragraphs separated by blank lines.
    Blocks,
    /// No blank lines: one paragraph per line.
    Lines,
    /// No blank lines, and lines that look cut at a fixed width: still one
    /// paragraph per line (what `check` compares), which the user should know.
    HardWrapped { mid_sentence: usize, breaks: usize },
}

#[derive(Debug)]
pub struct Draft {
    /// The Markdown body: one escaped paragraph per line, blank lines between.
    pub body: String,
    pub paragraphs: Vec<String>,
    /// Paragraphs (¶ number, lines) that join lines of the original which
    /// each end a sentence: a list, perhaps, whose items could be
    /// paragraphs of their own.
    pub joined_lines: Vec<(usize, usize)>,
    pub layout: Layout,
}

/// Drafts the body of a source whose original is `original`.
pub fn draft(original: &str) -> Draft {
    let (blocks, layout) = split(original);
    let paragraphs: Vec<String> = blocks.iter().map(|b| b.join(" ")).collect();
    let body = paragraphs.iter().map(|p| escape(p)).collect::<Vec<_>>().join("\n\n") + "\n";
    Draft {
        body,
        joined_lines: blocks
            .iter()
            .enumerate()
            .filter(|(_, lines)| lines.len() > 1 && lines.windows(2).all(|w| !breaks_a_sentence(w[0], w[1])))
            .map(|(i, lines)| (i + 1, lines.len()))
            .collect(),
        paragraphs,
        layout,
    }
}

/// Whether `body` passes the fidelity check against `original`.
pub fn is_faithful(body: &str, original: &str) -> bool {
    let parsed = crate::model::paragraph::parse_body(body, 0);
    let ours: Vec<&str> = parsed.paragraphs.iter().map(|p| p.normal()).collect();
    parsed.errors.is_empty() && ours == crate::model::fidelity::original_paragraphs(original)
}

/// The paragraphs of `original` as the fidelity check counts them, each
/// as the lines it is made of.
fn split(original: &str) -> (Vec<Vec<&str>>, Layout) {
    let text = original.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let first = lines.iter().position(|l| !l.is_empty()).unwrap_or(lines.len());
    let last = lines.iter().rposition(|l| !l.is_empty()).map_or(first, |i| i + 1);
    let inner = &lines[first..last];
    if inner.iter().any(|l| l.is_empty()) {
        let blocks = inner.split(|l| l.is_empty()).filter(|b| !b.is_empty());
        return (blocks.map(<[&str]>::to_vec).collect(), Layout::Blocks);
    }
    let layout = match hard_wrapped(inner) {
        Some((mid_sentence, breaks)) => Layout::HardWrapped { mid_sentence, breaks },
        None => Layout::Lines,
    };
    (inner.iter().map(|l| vec![*l]).collect(), layout)
}

/// Whether lines without blank lines between them look cut at a fixed width
/// (a wire copy, an e-mail): many line breaks fall inside a sentence, where
/// a line ends without closing punctuation and the next goes on in lower
/// case (or is too long for a heading), or ends with a comma or a hyphen. Gives (such breaks, all breaks).
fn hard_wrapped(lines: &[&str]) -> Option<(usize, usize)> {
    let breaks = lines.len().saturating_sub(1);
    if breaks < 2 {
        return None;
    }
    let mid_sentence = lines.windows(2).filter(|w| breaks_a_sentence(w[0], w[1])).count();
    (mid_sentence * 3 >= breaks).then_some((mid_sentence, breaks))
}

fn breaks_a_sentence(line: &str, next: &str) -> bool {
    let Some(end) = line.chars().next_back() else {
        return false;
    };
    // A heading is a short line without closing punctuation: a long one
    // stops where the width ran out.
    let goes_on = next.chars().next().is_some_and(char::is_lowercase) || line.chars().count() >= 40;
    matches!(end, ',' | '-' | '\u{2010}' | '\u{2011}') || (end.is_alphanumeric() && goes_on)
}

/// One paragraph as Markdown that reads back as exactly its words.
pub fn escape(paragraph: &str) -> String {
    let mut out = String::with_capacity(paragraph.len() + 8);
    let rest = escape_block_start(paragraph, &mut out);
    for (i, c) in rest.char_indices() {
        let escaped = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '~' => true,
            '&' => starts_an_entity(&rest[i + 1..]),
            _ => false,
        };
        if escaped {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes what would open a block other than a paragraph at the start of
/// a line (`#`, `>`, `-`, `+`, `=`, `1.`, `1)`), and returns the rest.
fn escape_block_start<'a>(paragraph: &'a str, out: &mut String) -> &'a str {
    if let Some(c @ ('#' | '>' | '-' | '+' | '=')) = paragraph.chars().next() {
        out.push('\\');
        out.push(c);
        return &paragraph[1..];
    }
    let digits = paragraph.bytes().take_while(u8::is_ascii_digit).count();
    let marker = paragraph.as_bytes().get(digits);
    if (1..=9).contains(&digits) && matches!(marker, Some(b'.' | b')')) {
        out.push_str(&paragraph[..digits]);
        out.push('\\');
        return &paragraph[digits..];
    }
    paragraph
}

/// Whether `after` (what follows a `&`) would make an HTML entity:
/// `amp;`, `#233;`, `#x2019;`.
fn starts_an_entity(after: &str) -> bool {
    let name = after.strip_prefix('#').unwrap_or(after);
    let len = name.bytes().take_while(u8::is_ascii_alphanumeric).count();
    len > 0 && name.as_bytes().get(len) == Some(&b';')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_markdown_would_eat() {
        let cases = [
            ("1. A provision", "1\\. A provision"),
            ("12) Another", "12\\) Another"),
            ("- a dash", "\\- a dash"),
            ("+ plus", "\\+ plus"),
            ("* star", "\\* star"),
            ("### END", "\\### END"),
            ("> quoted", "\\> quoted"),
            ("a *b* _c_ `d`", "a \\*b\\* \\_c\\_ \\`d\\`"),
            ("see [sic] and [a](b)", "see \\[sic\\] and \\[a\\](b)"),
            ("<b>bold</b> &amp; AT&T", "\\<b>bold\\</b> \\&amp; AT&T"),
            ("C:\\path", "C:\\\\path"),
            ("~~gone~~", "\\~\\~gone\\~\\~"),
            ("2024 was a year", "2024 was a year"),
        ];
        for (text, markdown) in cases {
            assert_eq!(escape(text), markdown, "{text}");
        }
    }

    #[test]
    fn every_escaped_paragraph_reads_back_as_its_words() {
        let original = "1. A provision\n\n### \n\n> quoted\n\n- a\n\n* b\n\n+ c\n\n---\n\n===\n\n\
                        [a]{sector=x} and [b](c) and [^1] and ![i](j)\n\n<div>html</div> &amp; &#233; &#x41;\n\n\
                        a *b* __c__ `d` ~~e~~ \\[f\\] \\\\g\n\n    indented code\n\n```\n\n~~~\n\n\
                        1) x\n\n1234567890. y\n\n| a | b |\n\n[x]: http://example.com\n\n<http://example.com>";
        let d = draft(original);
        assert_eq!(d.layout, Layout::Blocks);
        assert!(is_faithful(&d.body, original), "{}", d.body);
    }

    #[test]
    fn splits_as_the_fidelity_check_does() {
        let d = draft("\u{feff}\n Un\ndeux.\n\n\nTrois.\n");
        assert_eq!(d.paragraphs, ["Un deux.", "Trois."]);
        assert_eq!(d.joined_lines, []);
        let d = draft("Principles:\n\n1. One.\n2. Two.\n\nEnd, with a line that\ngoes on.");
        assert_eq!(d.joined_lines, [(2, 2)]);
        assert_eq!(d.layout, Layout::Blocks);
        let d = draft("Un.\nDeux.\nTrois.\n");
        assert_eq!(d.paragraphs, ["Un.", "Deux.", "Trois."]);
        assert_eq!(d.layout, Layout::Lines);
    }

    #[test]
    fn detects_a_hard_wrapped_original() {
        let wire = "MOSCOW, June 5 (Wire) - The two ministers met on\n\
                    Tuesday to discuss the supply of grain and fertiliser,\n\
                    officials said, adding that talks would resume\n\
                    in July.\n";
        let (_, layout) = split(wire);
        assert_eq!(
            layout,
            Layout::HardWrapped {
                mid_sentence: 3,
                breaks: 3
            }
        );
        let lines = "The ministers met on Tuesday.\nThey talked about grain.\nTalks resume in July.\n";
        assert_eq!(split(lines).1, Layout::Lines);
    }

    #[test]
    fn a_draft_of_lines_is_faithful() {
        let original = "Title\n1. First\n2. Second\n# end\n";
        let d = draft(original);
        assert_eq!(d.paragraphs.len(), 4);
        assert!(is_faithful(&d.body, original), "{}", d.body);
    }
}
