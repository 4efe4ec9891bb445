//! Splits a Markdown file into its YAML front matter and its body, keeping
//! byte offsets into the file so that every later diagnostic (a YAML error,
//! an annotation in the body) can name the file's own line and column.
//!
//! Accepted: an optional byte-order mark, `---` on the first line, the YAML,
//! and a closing `---` (or `...`) line; CRLF line endings anywhere.

use std::ops::Range;

/// Front matter larger than this is refused before parsing: no dossier needs
/// it, and it bounds the work a malicious file can ask of the YAML parser.
pub const MAX_FRONT_MATTER: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The YAML, between the fences.
    pub yaml: Range<usize>,
    /// Everything after the closing fence's line.
    pub body: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line; the span is the first line.
    Missing(Range<usize>),
    /// No closing fence; the span is the opening fence.
    Unclosed(Range<usize>),
    /// The front matter is larger than [`MAX_FRONT_MATTER`].
    TooLarge(Range<usize>),
}

pub fn split(text: &str) -> Result<Split, SplitError> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lines = LineIter { text, pos: start };
    let Some(first) = lines.next() else {
        return Err(SplitError::Missing(start..start));
    };
    if trim_line(&text[first.clone()]) != "---" {
        return Err(SplitError::Missing(first.start..line_end(text, first.start)));
    }
    let yaml_start = first.end;
    for line in lines {
        if line.start - yaml_start > MAX_FRONT_MATTER {
            return Err(SplitError::TooLarge(first.start..first.start + 3));
        }
        let content = trim_line(&text[line.clone()]);
        if content == "---" || content == "..." {
            return Ok(Split {
                yaml: yaml_start..line.start,
                body: line.end..text.len(),
            });
        }
    }
    Err(SplitError::Unclosed(first.start..first.start + 3))
}

fn trim_line(line: &str) -> &str {
    line.trim_end_matches(['\n', '\r', ' ', '\t'])
}

fn line_end(text: &str, from: usize) -> usize {
    text[from..].find(['\r', '\n']).map_or(text.len(), |i| from + i)
}

/// Lines as byte ranges, each including its line terminator.
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl Iterator for LineIter<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let end = self.text[start..].find('\n').map_or(self.text.len(), |i| start + i + 1);
        self.pos = end;
        Some(start..end)
    }
}

/// Byte offset in `text` of a 1-based line and 1-based character column, as
/// reported by the YAML parser relative to the front matter.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for _ in 1..line {
        match text[offset..].find('\n') {
            Some(i) => offset += i + 1,
            None => return text.len(),
        }
    }
    let rest = &text[offset..];
    offset
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_body() {
        let text = "---\ntitle: A\n---\nBody\n";
        let split = split(text).unwrap();
        assert_eq!(&text[split.yaml], "title: A\n");
        assert_eq!(&text[split.body], "Body\n");
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let text = "\u{feff}---\r\ntitle: A\r\n---\r\nBody\r\n";
        let split = split(text).unwrap();
        assert_eq!(&text[split.yaml], "title: A\r\n");
        assert_eq!(&text[split.body], "Body\r\n");
    }

    #[test]
    fn accepts_empty_front_matter_and_empty_body() {
        let text = "---\n---\n";
        let split = split(text).unwrap();
        assert!(split.yaml.is_empty());
        assert!(split.body.is_empty());
    }

    #[test]
    fn rejects_missing_and_unclosed_fences() {
        assert_eq!(split("title: A\n"), Err(SplitError::Missing(0..8)));
        assert_eq!(split(""), Err(SplitError::Missing(0..0)));
        assert_eq!(split("---\ntitle: A\n"), Err(SplitError::Unclosed(0..3)));
    }

    #[test]
    fn rejects_huge_front_matter() {
        let text = format!("---\n{}---\nbody", "a: b\n".repeat(20_000));
        assert!(matches!(split(&text), Err(SplitError::TooLarge(_))));
    }

    #[test]
    fn maps_line_and_column_to_offset() {
        let text = "a: 1\nbé: x\n";
        assert_eq!(offset_of(text, 1, 1), 0);
        assert_eq!(offset_of(text, 2, 3), text.find(':').map(|_| 8).unwrap());
        assert_eq!(offset_of(text, 9, 1), text.len());
    }
}
