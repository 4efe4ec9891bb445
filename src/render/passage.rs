//! A passage in context: the sentence around annotated words, found in the
//! paragraph's plain text. Short paragraphs are shown whole; a very long
//! sentence is cut around the words. Every scan is bounded by `WINDOW`, so
//! a paragraph of ten thousand annotations costs ten thousand windows, not
//! ten thousand paragraphs.

use std::ops::Range;

use super::typography::escape_text_into;

/// A paragraph this short (in bytes) is its own context.
const WHOLE_PARAGRAPH: usize = 320;
/// How far from the words a sentence boundary is looked for.
const WINDOW: usize = 600;
/// What is kept on each side of the words when their sentence is too long.
const MARGIN: usize = 220;

/// Where a passage starts and ends in its paragraph, and whether either
/// end cuts a sentence (shown as `…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    pub range: Range<usize>,
    pub cut_start: bool,
    pub cut_end: bool,
}

/// The context of `words` (a byte range of `plain`).
pub fn context(plain: &str, words: Range<usize>) -> Context {
    if plain.len() <= WHOLE_PARAGRAPH {
        return Context {
            range: 0..plain.len(),
            cut_start: false,
            cut_end: false,
        };
    }
    let (start, cut_start) = sentence_start(plain, words.start);
    let (end, cut_end) = sentence_end(plain, words.end);
    Context {
        range: start..end,
        cut_start,
        cut_end,
    }
}

/// About how many bytes of `plain` the context of `words` shows, without
/// looking for its sentence: what the layout weighs a passage by, for
/// every citation of the dossier (a sentence is usually shorter than the
/// margins; a longer one is cut to about them).
pub fn estimated_len(plain: &str, words: &Range<usize>) -> usize {
    if plain.len() <= WHOLE_PARAGRAPH {
        plain.len()
    } else {
        (words.len() + 2 * MARGIN).min(plain.len())
    }
}

/// Two contexts of one paragraph that touch become one.
pub fn merge(a: &Context, b: &Context) -> Option<Context> {
    if b.range.start > a.range.end || a.range.start > b.range.end {
        return None;
    }
    let (first, last) = if a.range.start <= b.range.start { (a, b) } else { (b, a) };
    let (end, cut_end) = if a.range.end >= b.range.end {
        (a.range.end, a.cut_end)
    } else {
        (b.range.end, b.cut_end)
    };
    Some(Context {
        range: first.range.start..end.max(last.range.end),
        cut_start: first.cut_start,
        cut_end,
    })
}

/// The context as HTML, the words of each range of `marks` in a `<mark>`.
pub fn html(plain: &str, context: &Context, marks: &[Range<usize>], language: &str) -> String {
    let mut sorted: Vec<Range<usize>> = marks
        .iter()
        .map(|m| m.start.max(context.range.start)..m.end.min(context.range.end))
        .filter(|m| m.start < m.end)
        .collect();
    sorted.sort_by_key(|m| (m.start, m.end));
    let mut out = String::new();
    if context.cut_start {
        out.push_str("… ");
    }
    let mut at = context.range.start;
    for mark in sorted {
        if mark.end <= at {
            continue;
        }
        let start = mark.start.max(at);
        escape_text_into(&plain[at..start], language, &mut out);
        out.push_str("<mark>");
        escape_text_into(&plain[start..mark.end], language, &mut out);
        out.push_str("</mark>");
        at = mark.end;
    }
    escape_text_into(&plain[at..context.range.end], language, &mut out);
    if context.cut_end {
        out.push_str(" …");
    }
    out
}

/// Where the sentence holding byte `at` starts, looking back at most
/// `WINDOW` bytes; `true` when it had to cut.
fn sentence_start(plain: &str, at: usize) -> (usize, bool) {
    let from = floor_boundary(plain, at.saturating_sub(WINDOW));
    let before = &plain[from..at];
    match sentence_starts(before).last() {
        Some(&start) => (from + start, false),
        None if from == 0 => (0, false),
        None => (
            word_after(plain, floor_boundary(plain, at.saturating_sub(MARGIN)), at),
            true,
        ),
    }
}

/// Where the sentence holding byte `at - 1` ends, looking ahead at most
/// `WINDOW` bytes.
fn sentence_end(plain: &str, at: usize) -> (usize, bool) {
    let to = floor_boundary(plain, (at + WINDOW).min(plain.len()));
    let after = &plain[at..to];
    match sentence_starts(after).first() {
        Some(&next) => (at + after[..next].trim_end().len(), false),
        None if to == plain.len() => (plain.len(), false),
        None => (
            word_before(plain, at, floor_boundary(plain, (at + MARGIN).min(plain.len()))),
            true,
        ),
    }
}

/// Byte offsets in `text` where a new sentence starts: after `.`, `!`, `?`
/// or `…`, closing quotes and brackets, then white space, before a capital,
/// a digit, an opening quote or a dash. `M.` and `Dr.` end no sentence.
fn sentence_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !matches!(c, '.' | '!' | '?' | '…') || (c == '.' && is_abbreviation(&text[..i])) {
            continue;
        }
        // Closing quotes and brackets belong to the sentence that ends,
        // with the spaces French puts before them.
        let mut spaced = false;
        while let Some((_, c)) =
            chars.next_if(|&(_, c)| c.is_whitespace() || matches!(c, '»' | '"' | '”' | '’' | ')' | ']'))
        {
            spaced = c.is_whitespace();
        }
        if let Some(&(next, c)) = chars.peek()
            && spaced
            && (c.is_uppercase() || c.is_ascii_digit() || matches!(c, '«' | '"' | '“' | '—' | '–' | '-'))
        {
            starts.push(next);
        }
    }
    starts
}

/// Whether the word before a full stop is an abbreviation (`M`, `Mme`,
/// `Dr`, a single initial), which ends no sentence.
fn is_abbreviation(before: &str) -> bool {
    let word = before.rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("");
    let mut chars = word.chars();
    match chars.next() {
        None => false,
        Some(first) => {
            let rest: Vec<char> = chars.collect();
            rest.is_empty() || (first.is_uppercase() && rest.len() <= 2 && rest.iter().all(|c| c.is_lowercase()))
        }
    }
}

/// The start of the first whole word in `plain[from..limit]`.
fn word_after(plain: &str, from: usize, limit: usize) -> usize {
    plain[from..limit].find(char::is_whitespace).map_or(from, |i| {
        let rest = &plain[from + i..limit];
        from + i + (rest.len() - rest.trim_start().len())
    })
}

/// The end of the last whole word in `plain[limit..to]`.
fn word_before(plain: &str, limit: usize, to: usize) -> usize {
    plain[limit..to]
        .rfind(char::is_whitespace)
        .map_or(to, |i| limit + plain[limit..limit + i].trim_end().len())
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The layout weighs passages by the estimate: it must count the
    /// sentence shown, not only the annotated words.
    #[test]
    fn the_estimate_covers_a_sentence_of_ordinary_length() {
        let sentence = "La Russie et le Mali ont signé un accord sur l'énergie nucléaire civile à Moscou.";
        let plain = long(sentence);
        let words = plain.find("accord").unwrap()..plain.find(" sur").unwrap();
        let shown = context(&plain, words.clone()).range.len();
        assert!(shown > words.len() * 4, "the words are shown in their sentence");
        let estimate = estimated_len(&plain, &words);
        assert!(
            (shown..=shown * 8).contains(&estimate),
            "{estimate} for {shown} bytes shown"
        );
        let short = "Un court paragraphe.";
        assert_eq!(
            estimated_len(short, &(3..8)),
            short.len(),
            "a short paragraph is shown whole"
        );
    }

    fn long(text: &str) -> String {
        // Past WHOLE_PARAGRAPH, so sentences are looked for.
        format!("{text} {}", "Suite du texte sans rapport. ".repeat(12))
    }

    fn passage(plain: &str, words: &str) -> String {
        let start = plain.find(words).unwrap();
        let c = context(plain, start..start + words.len());
        let words = start..start + words.len();
        html(plain, &c, std::slice::from_ref(&words), "en")
    }

    #[test]
    fn a_short_paragraph_is_shown_whole() {
        let p = "Le Mali signe. La Russie aussi.";
        assert_eq!(passage(p, "Russie"), "Le Mali signe. La <mark>Russie</mark> aussi.");
    }

    #[test]
    fn a_long_paragraph_gives_the_sentence_around_the_words() {
        let p = long("Première phrase ici. Le président a reçu M. Goïta à Moscou. Troisième phrase.");
        let start = p.find("président").unwrap();
        assert_eq!(
            passage(&p, "président"),
            "Le <mark>président</mark> a reçu M. Goïta à Moscou.",
            "`M.` ends no sentence"
        );
        assert!(start > 0);
    }

    #[test]
    fn a_sentence_ends_after_its_closing_quote() {
        let p = long("Il a dit : « Nous signerons. » Puis il est parti.");
        assert_eq!(passage(&p, "signerons"), "Il a dit : « Nous <mark>signerons</mark>. »");
    }

    #[test]
    fn words_over_two_sentences_keep_both() {
        let p = long("Avant. Un accord est signé. Il entre en vigueur. Après.");
        assert_eq!(
            passage(&p, "signé. Il entre"),
            "Un accord est <mark>signé. Il entre</mark> en vigueur."
        );
    }

    #[test]
    fn a_sentence_without_end_is_cut_around_the_words() {
        let words = "mot clé";
        let p = format!(
            "{} {words} {}",
            "un peu de texte ".repeat(60),
            "et encore du texte ".repeat(60)
        );
        let shown = passage(&p, words);
        assert!(shown.starts_with("… ") && shown.ends_with(" …"), "{shown}");
        assert!(shown.contains("<mark>mot clé</mark>"));
        assert!(shown.len() < 2 * MARGIN + 60, "{}", shown.len());
        assert!(
            !shown.contains("… t") && !shown.contains("ex …"),
            "whole words only: {shown}"
        );
    }

    #[test]
    fn contexts_that_touch_merge() {
        let a = Context {
            range: 0..10,
            cut_start: false,
            cut_end: false,
        };
        let b = Context {
            range: 5..20,
            cut_start: false,
            cut_end: true,
        };
        assert_eq!(
            merge(&a, &b),
            Some(Context {
                range: 0..20,
                cut_start: false,
                cut_end: true
            })
        );
        let far = Context {
            range: 30..40,
            cut_start: false,
            cut_end: false,
        };
        assert_eq!(merge(&a, &far), None);
    }

    #[test]
    fn nested_marks_are_shown_once() {
        let p = "Un accord de coopération militaire.";
        let (start, end) = (p.find("accord").unwrap(), p.find('.').unwrap());
        let c = context(p, start..end);
        let inner = p.find("coopération").unwrap();
        assert_eq!(
            html(p, &c, &[start..end, inner..end], "en"),
            "Un <mark>accord de coopération militaire</mark>."
        );
    }
}
