//! Nesting limits, checked before any recursive code sees a text. The
//! inline tree of a paragraph, its HTML and the minifier that reads that
//! HTML back all recurse once per level, so a few kilobytes of `>` or `*`
//! would overflow a thread's stack. Real text never comes near these
//! limits; a text that passes them has trees at most
//! `MAX_BLOCK_DEPTH + MAX_INLINE_DEPTH + MAX_ANNOTATION_DEPTH` deep.
//!
//! The check walks pulldown-cmark's events, which it produces without
//! recursion whatever the depth (a test below feeds it 100,000 levels).

use std::ops::Range;

use pulldown_cmark::{Tag, TagEnd};

use super::annotation::SyntaxError;
use crate::code::Code;

/// Block quotes, lists and footnote definitions inside one another.
pub const MAX_BLOCK_DEPTH: usize = 32;
/// Emphasis, strong emphasis, strikethrough, links and images inside one
/// another.
pub const MAX_INLINE_DEPTH: usize = 32;
/// Annotations inside one another: `[[[w]{…}]{…}]{…}` is 3.
pub const MAX_ANNOTATION_DEPTH: usize = 16;

/// The code of a Markdown text nested too deep.
pub const MARKDOWN_CODE: Code = Code::E0108;

/// Counts open containers along pulldown-cmark's events.
#[derive(Debug, Default, Clone, Copy)]
pub struct Depth {
    blocks: usize,
    inlines: usize,
}

impl Depth {
    /// Enters `tag`; an error if that goes past a limit.
    pub fn enter(&mut self, tag: &Tag, span: Range<usize>) -> Result<(), SyntaxError> {
        let (depth, max, what) = match tag {
            Tag::BlockQuote(_) | Tag::List(_) | Tag::FootnoteDefinition(_) => {
                self.blocks += 1;
                (self.blocks, MAX_BLOCK_DEPTH, "block quotes and lists")
            }
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. } => {
                self.inlines += 1;
                (self.inlines, MAX_INLINE_DEPTH, "emphasis and links")
            }
            _ => return Ok(()),
        };
        if depth <= max {
            return Ok(());
        }
        Err(SyntaxError {
            code: MARKDOWN_CODE,
            message: format!("{what} are nested more than {max} deep here"),
            span: span.start..span.start + 1,
            help: "no text needs this many levels: remove the extra `>`, `*`, `-` or brackets",
        })
    }

    pub fn leave(&mut self, tag: &TagEnd) {
        match tag {
            TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::FootnoteDefinition => {
                self.blocks = self.blocks.saturating_sub(1);
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image => {
                self.inlines = self.inlines.saturating_sub(1);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Event, Parser};

    /// The first place where `text` (at byte `base` of its file) is nested too
    /// deep, if any.
    fn check_markdown(text: &str, base: usize) -> Option<SyntaxError> {
        let mut depth = Depth::default();
        for (event, range) in Parser::new_ext(text, crate::model::paragraph::markdown_options()).into_offset_iter() {
            match event {
                Event::Start(tag) => {
                    if let Err(mut e) = depth.enter(&tag, range) {
                        e.span = base + e.span.start..base + e.span.end;
                        return Some(e);
                    }
                }
                Event::End(tag) => depth.leave(&tag),
                _ => {}
            }
        }
        None
    }

    #[test]
    fn accepts_what_real_text_nests() {
        let text = "> quoted\n>\n> - a *b **c** [d](x)*\n>   - e\n>     > f ~~g~~\n";
        assert_eq!(check_markdown(text, 0), None);
        let at_limit = format!("{} x\n", ">".repeat(MAX_BLOCK_DEPTH));
        assert_eq!(check_markdown(&at_limit, 0), None);
    }

    #[test]
    fn rejects_each_kind_of_deep_nesting_at_its_place() {
        let cases = [
            format!("{} x\n", ">".repeat(MAX_BLOCK_DEPTH + 1)),
            format!("{} x\n", "- ".repeat(MAX_BLOCK_DEPTH + 1)),
            format!("{0}x{0}\n", "*".repeat(2 * MAX_INLINE_DEPTH + 2)),
            format!(
                "{}x{}\n",
                "![".repeat(MAX_INLINE_DEPTH + 1),
                "](u)".repeat(MAX_INLINE_DEPTH + 1)
            ),
        ];
        for text in &cases {
            let e = check_markdown(text, 10).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(e.code, MARKDOWN_CODE);
            assert!(e.span.start >= 10 && e.span.start < 10 + text.len(), "{text}: {e:?}");
        }
    }

    /// pulldown-cmark reads any depth without recursing: the check itself
    /// cannot overflow (this runs on a test thread's small stack).
    #[test]
    fn survives_a_hundred_thousand_levels() {
        let n = 100_000;
        for text in [
            format!("{} x\n", ">".repeat(n)),
            format!("{0}x{0}\n", "*".repeat(n)),
            format!("{} x\n", "- ".repeat(n)),
            format!("{}x{}\n", "![".repeat(n), "](u)".repeat(n)),
        ] {
            assert!(check_markdown(&text, 0).is_some());
        }
        check_markdown(&format!("{}x{}\n", "[".repeat(n), "](u)".repeat(n)), 0);
    }
}
