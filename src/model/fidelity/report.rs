//! The alignment's differences as diagnostics: each placed where the
//! journalist has to edit, with the words of both versions.

use std::ops::Range;

use super::{MAX_REPORTS, Step, locate};
use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::model::Source;

/// The diagnostics of `steps`: the first [`MAX_REPORTS`], then one that
/// counts the rest.
/// The source's paragraphs, the original's, and whether the original has
/// one paragraph per line (no blank line).
pub(super) type Paragraphs<'a> = (&'a [&'a str], &'a [String], bool);

pub(super) fn diagnostics(source: &Source, text: &str, paragraphs: Paragraphs, steps: &[Step]) -> Vec<Diagnostic> {
    let (ours, theirs, one_per_line) = paragraphs;
    let report = Report {
        source,
        text,
        ours,
        theirs,
        one_per_line,
    };
    let mut out: Vec<Diagnostic> = steps.iter().take(MAX_REPORTS).map(|s| report.one(s)).collect();
    if let Some(next) = steps.get(MAX_REPORTS) {
        out.push(report.more(next, steps.len() - MAX_REPORTS));
    }
    out
}

struct Report<'a> {
    source: &'a Source,
    text: &'a str,
    ours: &'a [&'a str],
    theirs: &'a [String],
    one_per_line: bool,
}

impl Report<'_> {
    fn one(&self, step: &Step) -> Diagnostic {
        match step {
            Step::Differs(i, j) => self.differs(*i, *j),
            Step::Missing { at, theirs } => self.missing(*at, theirs),
            Step::Extra(ours) => self.extra(ours),
            Step::Split(i, j) => self.split(*i, *j),
            Step::Joined { at, theirs } => self.joined(*at, theirs),
            Step::Moved(i, j) => self.moved(*i, *j),
        }
    }

    fn error(&self, code: Code, span: Range<usize>, message: String) -> Diagnostic {
        Diagnostic::error(code, &self.source.path, span, message)
    }

    fn original(&self) -> String {
        self.source.original.display().to_string()
    }

    /// Our paragraph `i`, or the end of the last one when `i` is past it.
    fn paragraph_span(&self, i: usize) -> Range<usize> {
        match (self.source.paragraphs.get(i), self.source.paragraphs.last()) {
            (Some(p), _) => p.span.clone(),
            (None, Some(last)) => last.span.end.saturating_sub(1)..last.span.end,
            (None, None) => 0..0,
        }
    }

    /// How many paragraphs each side has; when the numbers agree, a
    /// paragraph missing here and one added there still make them differ.
    fn counts(&self) -> String {
        let (ours, theirs) = (self.ours.len(), self.theirs.len());
        if ours == theirs {
            format!(
                "the source and the original `{}` both have {ours} paragraphs, but not the same ones",
                self.original()
            )
        } else {
            format!(
                "the source has {ours} paragraphs but the original `{}` has {theirs}",
                self.original()
            )
        }
    }

    fn differs(&self, i: usize, j: usize) -> Diagnostic {
        let (ours, theirs) = (self.ours[i], self.theirs[j].as_str());
        let common = common_prefix(ours, theirs);
        let cause = locate::cause(ours, theirs, common);
        let block = &self.source.paragraphs[i].span;
        let span = locate::span(self.text, block, ours, common, cause.as_ref());
        let start = ours[..common].rfind(' ').map_or(0, |i| i + 1);
        let words = format!(
            "the source reads «{}» where the original reads «{}»",
            excerpt(ours, start),
            excerpt(theirs, start)
        );
        let help = match cause {
            Some(cause) => format!("{words}: {}", cause.explain()),
            None => format!(
                "{words}; annotations must keep the source's words exactly (corrections go in `note=`), and paragraphs are separated by one blank line"
            ),
        };
        let theirs_number = if i == j {
            String::new()
        } else {
            format!(" (its ¶{})", j + 1)
        };
        self.error(
            Code::E0401,
            span,
            format!(
                "¶{} differs from the original `{}`{theirs_number}",
                i + 1,
                self.original()
            ),
        )
        .with_help(help)
    }

    fn missing(&self, at: usize, theirs: &Range<usize>) -> Diagnostic {
        let first = theirs.start + 1;
        let which = match theirs.len() {
            1 => format!("¶{first} of the original is missing"),
            _ => format!("¶{first}–¶{} of the original are missing", theirs.end),
        };
        let paragraph = &self.theirs[theirs.start];
        let begins = excerpt(paragraph, 0);
        let help = if self.ours.is_empty() {
            format!(
                "the source has no text yet: its body holds the original's paragraphs, annotated (`dossier new source SLUG --original {}` drafts it)",
                self.original()
            )
        } else if let Some(marker) = locate::list_marker(paragraph) {
            format!(
                "the original's ¶{first} begins «{begins}»: paragraphs that start with a list marker such as `{}` are one Markdown list, read as one paragraph; escape each marker: `{}`",
                marker.marker,
                marker.escaped()
            )
        } else if theirs.start == 0 {
            format!(
                "a paragraph is missing: is ¶1 a headline? The original begins «{begins}»; keep it as the source's first paragraph (`# …` if it is a heading): the source page shows it once when it is the title"
            )
        } else {
            format!("the original's ¶{first} begins «{begins}»")
        };
        self.error(
            Code::E0402,
            self.paragraph_span(at),
            format!("{}; {which}", self.counts()),
        )
        .with_help(help)
    }

    fn extra(&self, ours: &Range<usize>) -> Diagnostic {
        let first = ours.start + 1;
        let which = match ours.len() {
            1 => format!("¶{first} is not in the original"),
            _ => format!("¶{first}–¶{} are not in the original", ours.end),
        };
        self.error(
            Code::E0402,
            self.paragraph_span(ours.start),
            format!("{}; {which}", self.counts()),
        )
        .with_help("is a paragraph split in two by a blank line, or added?")
    }

    fn moved(&self, i: usize, j: usize) -> Diagnostic {
        let place = match j.checked_sub(1) {
            None => "the original opens with it: move it back to the start".to_string(),
            Some(before) => format!(
                "the original has it after its ¶{} «{}»: move it back there",
                j,
                excerpt(&self.theirs[before], 0)
            ),
        };
        self.error(
            Code::E0402,
            self.paragraph_span(i),
            format!("¶{} is ¶{} of the original `{}`, moved", i + 1, j + 1, self.original()),
        )
        .with_help(format!("{place}; a source keeps the order of its original"))
    }

    fn split(&self, i: usize, j: usize) -> Diagnostic {
        self.error(
            Code::E0402,
            self.paragraph_span(i + 1),
            format!(
                "¶{} and ¶{} are one paragraph in the original `{}` (its ¶{})",
                i + 1,
                i + 2,
                self.original(),
                j + 1
            ),
        )
        .with_help(format!(
            "join them: remove the blank line before ¶{} «{}»",
            i + 2,
            excerpt(self.ours[i + 1], 0)
        ))
    }

    fn joined(&self, i: usize, theirs: &Range<usize>) -> Diagnostic {
        let ours = self.ours[i];
        let second = self.theirs[theirs.start].len() + 1;
        let block = &self.source.paragraphs[i].span;
        let (first, last) = (theirs.start + 1, theirs.end);
        let which = match theirs.len() {
            2 => format!(
                "two paragraphs of the original `{}` (its ¶{first} and ¶{last})",
                self.original()
            ),
            n => format!(
                "{n} paragraphs of the original `{}` (its ¶{first}–¶{last})",
                self.original()
            ),
        };
        let line = &self.theirs[theirs.start];
        let mid_sentence = !line.ends_with(['.', '!', '?', ':', '»', '"', '”', ')']);
        let help = if self.one_per_line && mid_sentence {
            format!(
                "the original has no blank line, so each of its lines is a paragraph, and its line «{}» ends mid-sentence: it looks hard-wrapped (a wire copy, an e-mail); mark its real paragraphs with blank lines in the original (white space is not compared)",
                excerpt(line, last_words(line))
            )
        } else {
            format!(
                "put a blank line before «{}»: a paragraph of the original is a paragraph of the source",
                excerpt(ours, second)
            )
        };
        self.error(
            Code::E0402,
            locate::span(self.text, block, ours, second, None),
            format!("¶{} holds {which}", i + 1),
        )
        .with_help(help)
    }

    /// One message for the differences past the first [`MAX_REPORTS`].
    fn more(&self, next: &Step, count: usize) -> Diagnostic {
        let at = match next {
            Step::Differs(i, _) | Step::Split(i, _) | Step::Moved(i, _) => *i,
            Step::Missing { at, .. } | Step::Joined { at, .. } => *at,
            Step::Extra(ours) => ours.start,
        };
        let noun = if count == 1 { "difference" } else { "differences" };
        self.error(
            Code::E0401,
            self.paragraph_span(at),
            format!(
                "and {count} more {noun} with the original `{}`, from ¶{}",
                self.original(),
                at + 1
            ),
        )
        .with_help(format!(
            "only the first {MAX_REPORTS} differences of a source are shown; fix them and check again: one cause (a Markdown list, a missing blank line) often explains many"
        ))
    }
}

/// The length in bytes of the longest common prefix of `a` and `b`, on a
/// character boundary of both.
fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, ca), cb)| ca != cb)
        .map_or(a.len().min(b.len()), |((i, _), _)| i)
}

/// Where the last few words of `text` start (about 40 bytes from its end).
fn last_words(text: &str) -> usize {
    let from = crate::diagnostic::floor_char_boundary(text, text.len().saturating_sub(40));
    match from {
        0 => 0,
        _ => text[from..].find(' ').map_or(from, |i| from + i + 1),
    }
}

/// Characters an excerpt shows at most, however long its words.
const EXCERPT_CHARS: usize = 80;

/// A few words of `text` from byte `start`.
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
