//! Diagnostics are data: a severity, a stable code, a message, a place
//! (file and byte range) and an optional hint. Every stage collects them for
//! every file before anyone returns, so a journalist sees all their mistakes
//! in one run. Byte ranges are turned into `line:col` and a caret only when
//! the diagnostic is rendered, against the text of the file as it was read.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::code::Code;
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in the input, located by byte range in a file of the dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable code such as `E0201`, documented in the README and in [`Code`].
    pub code: Code,
    pub message: String,
    /// Path relative to the dossier root, as shown to the user.
    pub file: PathBuf,
    /// Byte range in the file's text; empty when the problem is the file itself.
    pub span: Range<usize>,
    pub help: Option<String>,
    /// For an "unknown target" error, the target (`event:slug`), so that the
    /// error can be dropped when the target's own file failed to load: one
    /// mistake, one message.
    pub target: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, file: &Path, span: Range<usize>, message: String) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message,
            file: file.to_path_buf(),
            span,
            help: None,
            target: None,
        }
    }

    pub fn warning(code: Code, file: &Path, span: Range<usize>, message: String) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, span, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn about_target(mut self, target: impl Into<String>) -> Self {
        self.target = Some(target.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The text of every file read, by the path diagnostics name it with.
/// Hashed, not ordered: a `BTreeMap` compares paths component by
/// component, and filling one with a dossier of 10,000 sources' 20,000
/// files was 60 ms of the load stage on one core.
#[derive(Debug, Default, Clone)]
pub struct SourceFiles {
    texts: FxHashMap<PathBuf, Arc<str>>,
    /// Files read whose text is not held: read again if a diagnostic
    /// points into one.
    not_held: FxHashSet<PathBuf>,
}

impl SourceFiles {
    pub fn insert(&mut self, path: PathBuf, text: Arc<str>) {
        self.texts.insert(path, text);
    }

    /// A file read whose text is not held, to read again for a diagnostic.
    pub fn insert_not_held(&mut self, path: PathBuf) {
        self.not_held.insert(path);
    }

    pub fn get(&self, path: &Path) -> Option<&str> {
        self.texts.get(path).map(|t| &**t)
    }

    /// Reads the files `diagnostics` point into whose text is not held (a
    /// source or an original, which the load stage does not keep) with
    /// `read`, under the load stage's rules; a file that cannot be read
    /// again is shown without its excerpt.
    pub fn read_missing(&mut self, diagnostics: &[Diagnostic], read: impl Fn(&Path) -> Option<Arc<str>>) {
        for d in diagnostics {
            if self.not_held.contains(&d.file)
                && !self.texts.contains_key(&d.file)
                && let Some(text) = read(&d.file)
            {
                self.texts.insert(d.file.clone(), text);
            }
        }
    }

    /// Keeps only the texts of the files `diagnostics` point into, and the
    /// theme's (which the render stage may still report on): a large
    /// dossier's texts are not held through the build for nothing.
    pub fn keep_for(&mut self, diagnostics: &[Diagnostic]) {
        let named: std::collections::BTreeSet<&Path> = diagnostics.iter().map(|d| d.file.as_path()).collect();
        self.texts.retain(|path, _| {
            named.contains(path.as_path()) || !path.starts_with("content") && !path.starts_with("seeds")
        });
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

pub(crate) fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Sorts by file, then position, then severity, and drops exact repeats.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.span.start, a.severity, a.code, &a.message).cmp(&(
            &b.file,
            b.span.start,
            b.severity,
            b.code,
            &b.message,
        ))
    });
    diagnostics.dedup();
}

/// Renders diagnostics the way rustc does: code, message, `file:line:col`,
/// the source line with a caret under the span, and the hint. Linear in
/// the files and the diagnostics: positions are found by one cursor per
/// file walking forwards (diagnostics come sorted), and each excerpt is a
/// bounded window around its span, however long the line.
pub fn render(diagnostics: &[Diagnostic], files: &SourceFiles, styled: bool) -> String {
    let renderer = if styled { Renderer::styled() } else { Renderer::plain() };
    let mut out = String::new();
    let mut cursor = Cursor::default();
    for diagnostic in diagnostics {
        let _ = writeln!(out, "{}\n", render_one(diagnostic, files, &renderer, &mut cursor));
    }
    out
}

fn render_one(diagnostic: &Diagnostic, files: &SourceFiles, renderer: &Renderer, cursor: &mut Cursor) -> String {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let path = diagnostic.file.display().to_string();
    let title = level
        .primary_title(diagnostic.message.as_str())
        .id(diagnostic.code.as_str());
    let located = files.get(&diagnostic.file).filter(|t| !t.is_empty()).map(|text| {
        let span = clamp_span(text, &diagnostic.span);
        (text, cursor.locate(&diagnostic.file, text, span.start), span)
    });
    let mut group = match located {
        Some((text, at, span)) if span.start - at.line_start <= EXCERPT => {
            let window = excerpt(text, at.line_start, &span);
            let local = span.start - window.start..span.end.min(window.end).max(span.start) - window.start;
            title.element(
                Snippet::source(&text[window])
                    .path(path.as_str())
                    .line_start(at.line)
                    .annotation(AnnotationKind::Primary.span(local)),
            )
        }
        // Far into a long line: the place alone, not the line.
        Some((_, at, _)) => title.element(Origin::path(path.as_str()).line(at.line).char_column(at.col)),
        // A folder has no lines: its path alone.
        None if path.ends_with('/') => title.element(Origin::path(path.as_str())),
        None => title.element(Origin::path(path.as_str()).line(1).char_column(1)),
    };
    if let Some(help) = &diagnostic.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let report: Vec<Group> = vec![group];
    renderer.render(&report)
}

/// The longest stretch of a line shown before a span, in bytes; past it,
/// a diagnostic shows its place but not its line.
const EXCERPT: usize = 4096;

/// The part of `text` shown for `span`: from the start of its line to the
/// end of its last line, at most [`EXCERPT`] bytes past the span's start.
fn excerpt(text: &str, line_start: usize, span: &Range<usize>) -> Range<usize> {
    let limit = floor_char_boundary(text, (span.start + EXCERPT).min(text.len()));
    let from = span.end.clamp(span.start, limit);
    let end = memchr::memchr(b'\n', &text.as_bytes()[from..limit]).map_or(limit, |i| from + i);
    line_start..end
}

/// A line, a column (in characters, 1-based) and where the line starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Position {
    line: usize,
    col: usize,
    line_start: usize,
}

/// Walks a file forwards from one diagnostic to the next.
#[derive(Default)]
struct Cursor {
    file: PathBuf,
    offset: usize,
    line: usize,
    line_start: usize,
    col: usize,
}

impl Cursor {
    fn locate(&mut self, file: &Path, text: &str, offset: usize) -> Position {
        if self.file != file || offset < self.offset {
            *self = Cursor {
                file: file.to_path_buf(),
                line: 1,
                col: 1,
                ..Cursor::default()
            };
        }
        let between = &text.as_bytes()[self.offset..offset];
        match memchr::memrchr(b'\n', between) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', between).count();
                self.line_start = self.offset + last + 1;
                self.col = 1 + count_chars(&between[last + 1..]);
            }
            None => self.col += count_chars(between),
        }
        self.offset = offset;
        Position {
            line: self.line,
            col: self.col,
            line_start: self.line_start,
        }
    }
}

/// A span that is valid in `text`: on char boundaries, never past the end, and
/// at least one character wide so the caret shows.
fn clamp_span(text: &str, span: &Range<usize>) -> Range<usize> {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let mut end = floor_char_boundary(text, span.end.min(text.len())).max(start);
    if end == start {
        end = text[start..].chars().next().map_or(start, |c| start + c.len_utf8());
    }
    start..end
}

/// Characters in UTF-8 bytes that start and end on character boundaries.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// `text` with every character a reader cannot see written as its code
/// point, `⟨U+200B⟩`: zero-width and other format characters (soft
/// hyphen, joiners, direction marks, BOM), controls, and spaces other than
/// the ASCII one. Issue 13: a difference in a zero-width space showed as
/// «Bank» against «Ba​nk».
pub fn visible(text: &str) -> String {
    let invisible = |c: char| {
        c.is_control()
            || matches!(c, '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}')
            || c.is_whitespace() && c != ' '
    };
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if invisible(c) {
            let _ = write!(out, "⟨U+{:04X}⟩", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// Names longer than this get no did-you-mean: no slug is that long, and
/// comparing two names costs the product of their lengths.
const MAX_WORD: usize = 64;
/// Candidates compared with a name, at most.
const MAX_CANDIDATES: usize = 1000;
/// Did-you-mean searches one file may ask for; past them, a hint lists
/// what exists instead. A file full of unknown names stays linear.
pub const SUGGESTIONS_PER_FILE: usize = 100;

/// The closest candidate to `word`, if it is close enough to be a likely
/// typo. Bounded: long words are not compared, candidates of a very
/// different length are skipped, and at most [`MAX_CANDIDATES`] are.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = word.chars().count();
    if len > MAX_WORD {
        return None;
    }
    // Jaro–Winkler over 0.8 needs lengths within a factor of about two.
    let close = |c: &&str| c.len() <= 2 * word.len() + 2 && word.len() <= 2 * c.len() + 2;
    candidates
        .into_iter()
        .filter(close)
        .take(MAX_CANDIDATES)
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// A `help:` text suggesting the closest known name, or listing what exists.
pub fn suggestion<'a>(word: &str, what: &str, candidates: impl IntoIterator<Item = &'a str> + Clone) -> String {
    match did_you_mean(word, candidates.clone()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => listing(what, candidates),
    }
}

/// A `help:` text listing the first known names. `what` is singular
/// (`source`): issue 12 quoted "no sources is defined yet".
fn listing<'a>(what: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let known: Vec<&str> = candidates.into_iter().take(12).collect();
    if known.is_empty() {
        format!("no {what} is defined yet")
    } else {
        format!("known {what}s: {}", known.join(", "))
    }
}

/// The did-you-mean searches one file (or one pass) may still make: the
/// first [`SUGGESTIONS_PER_FILE`] misses get a suggestion, later ones a
/// listing. Not shared between threads, so output never depends on them.
#[derive(Debug)]
pub struct Budget(std::cell::Cell<usize>);

impl Default for Budget {
    fn default() -> Self {
        Budget(std::cell::Cell::new(SUGGESTIONS_PER_FILE))
    }
}

impl Budget {
    /// Takes one search from the budget, if any is left.
    pub fn take(&self) -> bool {
        let left = self.0.get();
        self.0.set(left.saturating_sub(1));
        left > 0
    }

    /// [`suggestion`] while the budget lasts, then [`listing`].
    pub fn suggestion<'a>(
        &self,
        word: &str,
        what: &str,
        candidates: impl IntoIterator<Item = &'a str> + Clone,
    ) -> String {
        if self.take() {
            suggestion(word, what, candidates)
        } else {
            listing(what, candidates)
        }
    }

    /// [`did_you_mean`] while the budget lasts.
    pub fn did_you_mean<'a>(&self, word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
        self.take().then(|| did_you_mean(word, candidates)).flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "ab\nçé[x]";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, text.find('[').unwrap()), (2, 3));
    }

    #[test]
    fn line_col_survives_offsets_inside_a_character() {
        let text = "é";
        assert_eq!(line_col(text, 1), (1, 1));
        assert_eq!(line_col(text, 99), (1, 2));
    }

    #[test]
    fn renders_location_caret_and_help() {
        let mut files = SourceFiles::default();
        let path = PathBuf::from("seeds/a.md");
        files.insert(path.clone(), Arc::from("line one\nsee [x]{sector=energy}\n"));
        let start = 21;
        let d = Diagnostic::error(Code::E0201, &path, start..start + 6, "unknown sector `energy`".into())
            .with_help("did you mean `energie`?");
        let text = render(&[d], &files, false);
        assert!(text.contains("error[E0201]: unknown sector `energy`"), "{text}");
        assert!(text.contains("seeds/a.md:2:13"), "{text}");
        assert!(text.contains("^^^^^^"), "{text}");
        assert!(text.contains("help: did you mean `energie`?"), "{text}");
    }

    #[test]
    fn shows_invisible_characters_by_their_code_point() {
        assert_eq!(visible("Ba\u{200B}nk"), "Ba⟨U+200B⟩nk");
        assert_eq!(visible("co\u{00AD}operation"), "co⟨U+00AD⟩operation");
        assert_eq!(visible("10\u{00A0}000\tx"), "10⟨U+00A0⟩000⟨U+0009⟩x");
        assert_eq!(visible("Café, «ok» — 2024"), "Café, «ok» — 2024");
    }

    /// Issue 12: an empty folder was reported at `content:1:1`.
    #[test]
    fn renders_a_folder_without_line_and_column() {
        let d = Diagnostic::error(Code::E0002, Path::new("drafts/"), 0..0, "no dossier".into()).with_help("init");
        let text = render(&[d], &SourceFiles::default(), false);
        assert!(text.contains("--> drafts/\n"), "{text}");
        assert!(!text.contains(":1:1"), "{text}");
    }

    /// Issue 13: 400 near-miss names against 400 took 31 s. The work of
    /// one search is bounded, and so is the number of searches.
    #[test]
    fn bounds_did_you_mean() {
        let long = "a".repeat(MAX_WORD + 1);
        assert_eq!(
            did_you_mean(&long, [long.as_str()]),
            None,
            "long words are not compared"
        );
        assert_eq!(
            did_you_mean("energy", ["energie-energie-energie"]),
            None,
            "lengths too far apart"
        );
        let many: Vec<String> = (0..MAX_CANDIDATES + 1).map(|i| format!("zz{i:04}")).collect();
        let mut names: Vec<&str> = many.iter().map(String::as_str).collect();
        names.push("energie");
        assert_eq!(
            did_you_mean("energy", names.iter().copied()),
            None,
            "at most MAX_CANDIDATES compared"
        );
        let budget = Budget::default();
        let helps: Vec<String> = (0..SUGGESTIONS_PER_FILE + 1)
            .map(|_| budget.suggestion("energy", "sector", ["energie"]))
            .collect();
        assert!(
            helps[..SUGGESTIONS_PER_FILE]
                .iter()
                .all(|h| h == "did you mean `energie`?")
        );
        assert_eq!(helps[SUGGESTIONS_PER_FILE], "known sectors: energie");
    }

    /// Issue 12: "help: no sources is defined yet".
    #[test]
    fn lists_known_names_in_good_grammar() {
        assert_eq!(suggestion("x", "source", []), "no source is defined yet");
        assert_eq!(
            suggestion("zzz", "sector", ["water", "fisheries"]),
            "known sectors: water, fisheries"
        );
    }

    #[test]
    fn suggests_near_misses_only() {
        assert_eq!(did_you_mean("energy", ["energie", "mines"]), Some("energie"));
        assert_eq!(did_you_mean("zzz", ["energie", "mines"]), None);
    }
}
