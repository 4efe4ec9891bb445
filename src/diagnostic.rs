//! Diagnostics are data: a severity, a stable code, a message, a place
//! (file and byte range) and an optional hint. Every stage collects them for
//! every file before anyone returns, so a journalist sees all their mistakes
//! in one run. Byte ranges are turned into `line:col` and a caret only when
//! the diagnostic is rendered, against the text of the file as it was read.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    /// Stable code such as `E0201`, documented in the README.
    pub code: &'static str,
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
    pub fn error(code: &'static str, file: &Path, span: Range<usize>, message: String) -> Self {
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

    pub fn warning(code: &'static str, file: &Path, span: Range<usize>, message: String) -> Self {
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
#[derive(Debug, Default, Clone)]
pub struct SourceFiles {
    texts: BTreeMap<PathBuf, Arc<str>>,
}

impl SourceFiles {
    pub fn insert(&mut self, path: PathBuf, text: Arc<str>) {
        self.texts.insert(path, text);
    }

    pub fn get(&self, path: &Path) -> Option<&str> {
        self.texts.get(path).map(|t| &**t)
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
/// the source line with a caret under the span, and the hint.
pub fn render(diagnostics: &[Diagnostic], files: &SourceFiles, styled: bool) -> String {
    let renderer = if styled { Renderer::styled() } else { Renderer::plain() };
    let mut out = String::new();
    for diagnostic in diagnostics {
        let _ = writeln!(out, "{}\n", render_one(diagnostic, files, &renderer));
    }
    out
}

fn render_one(diagnostic: &Diagnostic, files: &SourceFiles, renderer: &Renderer) -> String {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let path = diagnostic.file.display().to_string();
    let title = level.primary_title(diagnostic.message.as_str()).id(diagnostic.code);
    let mut group = match files.get(&diagnostic.file) {
        Some(text) if !text.is_empty() => {
            let span = clamp_span(text, &diagnostic.span);
            title.element(
                Snippet::source(text)
                    .path(path.as_str())
                    .annotation(AnnotationKind::Primary.span(span)),
            )
        }
        _ => title.element(Origin::path(path.as_str()).line(1).char_column(1)),
    };
    if let Some(help) = &diagnostic.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let report: Vec<Group> = vec![group];
    renderer.render(&report)
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

/// The closest candidate to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// A `help:` text suggesting the closest known name, or listing what exists.
pub fn suggestion<'a>(word: &str, what: &str, candidates: impl IntoIterator<Item = &'a str> + Clone) -> String {
    match did_you_mean(word, candidates.clone()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => {
            let known: Vec<&str> = candidates.into_iter().take(12).collect();
            if known.is_empty() {
                format!("no {what} is defined yet")
            } else {
                format!("known {what}: {}", known.join(", "))
            }
        }
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
        let d = Diagnostic::error("E0301", &path, start..start + 6, "unknown sector `energy`".into())
            .with_help("did you mean `energie`?");
        let text = render(&[d], &files, false);
        assert!(text.contains("error[E0301]: unknown sector `energy`"), "{text}");
        assert!(text.contains("seeds/a.md:2:13"), "{text}");
        assert!(text.contains("^^^^^^"), "{text}");
        assert!(text.contains("help: did you mean `energie`?"), "{text}");
    }

    #[test]
    fn suggests_near_misses_only() {
        assert_eq!(did_you_mean("energy", ["energie", "mines"]), Some("energie"));
        assert_eq!(did_you_mean("zzz", ["energie", "mines"]), None);
    }
}
