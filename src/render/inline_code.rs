//! Where a rendered page's inline styles and scripts are, read on an HTML
//! tokenizer (lol_html): the byte ranges of their contents, the `<` in
//! its title's text and the place a policy goes. The write stage allows
//! exactly these contents by their hashes.
//!
//! A page that becomes a part of a one-file edition is read once: the
//! edition's rewrite of it hands each element to [`Reader::element`], and
//! the ranges, found in the page as rendered, are moved to the page as
//! written ([`InlineCode::moved`]). Any other page is read on its own
//! ([`scan`]). Nothing here searches the page's bytes for a tag: text
//! that merely mentions `<style>` (a description in an attribute, a
//! title) never reads as one.

use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;
use std::sync::LazyLock;

use lol_html::html_content::{Element, TextChunk};
use lol_html::{HtmlRewriter, Selector, Settings};

use super::handlers::{on, on_text, selector};

/// What a page holds inline, as byte ranges of the page.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct InlineCode {
    /// The contents of each inline `<style>`, in order.
    pub styles: Vec<Range<usize>>,
    /// The contents of each inline `<script>` that runs, in order.
    pub scripts: Vec<Range<usize>>,
    /// Where each `<` of the title's text is.
    pub title_lt: Vec<usize>,
    /// Where a policy goes: before `<title>`, the head's first element
    /// after `<meta charset>` (the render stage puts nothing that loads
    /// or runs before it), else after `<meta charset>`, else first.
    pub before_title: Option<usize>,
    pub after_charset: Option<usize>,
}

/// The page's inline code, read on its own. A page the tokenizer cannot
/// read (never one the render stage makes) has no style and no script,
/// so that its policy is the strictest.
pub fn scan(html: &[u8]) -> InlineCode {
    let reader = Reader::default();
    let settings = reader.handlers(Settings::new());
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    let read = rewriter.write(html).and_then(|()| rewriter.end());
    let code = reader.finish(html.len());
    match read {
        Ok(()) => code,
        Err(_) => InlineCode {
            before_title: code.before_title,
            after_charset: code.after_charset,
            ..InlineCode::default()
        },
    }
}

impl InlineCode {
    /// The same code in the page as written, where each of `marks` (in
    /// order, positions in the page as read) became `grown` bytes longer
    /// (or shorter): the root marks made each page's way to the root.
    pub fn moved(self, marks: &[usize], grown: isize) -> InlineCode {
        if marks.is_empty() || grown == 0 {
            return self;
        }
        let at = |x: usize| x.saturating_add_signed(grown * marks.partition_point(|&m| m < x) as isize);
        let range = |r: Range<usize>| at(r.start)..at(r.end);
        InlineCode {
            styles: self.styles.into_iter().map(range).collect(),
            scripts: self.scripts.into_iter().map(range).collect(),
            title_lt: self.title_lt.into_iter().map(at).collect(),
            before_title: self.before_title.map(at),
            after_charset: self.after_charset.map(at),
        }
    }
}

/// The reader's selectors, parsed once rather than for each page.
struct Selectors {
    charset: Selector,
    title: Selector,
    code: Selector,
}

static SELECTORS: LazyLock<Selectors> = LazyLock::new(|| Selectors {
    charset: selector("meta[charset]"),
    title: selector("title"),
    code: selector("style, script"),
});

/// The handlers that read a page's inline code during any pass of the
/// tokenizer over it, and what they found.
#[derive(Default)]
pub struct Reader {
    state: Rc<RefCell<Reading>>,
}

#[derive(Default)]
struct Reading {
    code: InlineCode,
    /// The style or script whose end tag is awaited, if its contents count.
    open: Option<Open>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Style,
    Script,
    Ignored,
}

impl Reader {
    /// `settings` with the handlers that read the inline code added, each
    /// on its selector: a pass that only reads is cheapest so.
    fn handlers<'h, 's>(&self, settings: Settings<'h, 's>) -> Settings<'h, 's> {
        let (charset, title, code) = (Rc::clone(&self.state), Rc::clone(&self.state), Rc::clone(&self.state));
        let selectors = &*SELECTORS;
        let settings = settings
            .append_element_content_handler(on(&selectors.charset, move |el| {
                charset_read(&charset, el);
                Ok(())
            }))
            .append_element_content_handler(on(&selectors.title, move |el| {
                title_read(&title, el);
                Ok(())
            }))
            .append_element_content_handler(on(&selectors.code, move |el| {
                open_element(&code, el);
                Ok(())
            }));
        self.title_text_handler(settings)
    }

    /// `settings` with the handler that reads the title's text, for a pass
    /// whose own handler for every element hands each to
    /// [`Reader::element`].
    pub fn title_text_handler<'h, 's>(&self, settings: Settings<'h, 's>) -> Settings<'h, 's> {
        let title_text = Rc::clone(&self.state);
        settings.append_element_content_handler(on_text(&SELECTORS.title, move |t| {
            read_title_text(&mut title_text.borrow_mut(), t);
            Ok(())
        }))
    }

    /// Reads an element named `tag` (ASCII, any case), as the handlers of
    /// [`Reader::handlers`] do.
    pub fn element(&self, el: &mut Element, tag: &[u8]) {
        if tag.eq_ignore_ascii_case(b"meta") {
            if el.has_attribute("charset") {
                charset_read(&self.state, el);
            }
        } else if tag.eq_ignore_ascii_case(b"title") {
            title_read(&self.state, el);
        } else if tag.eq_ignore_ascii_case(b"style") || tag.eq_ignore_ascii_case(b"script") {
            open_element(&self.state, el);
        }
    }

    /// What the handlers found in a page of `len` bytes, once its pass is
    /// over.
    pub fn finish(self, len: usize) -> InlineCode {
        let mut reading = Rc::try_unwrap(self.state).map_or_else(|shared| shared.take(), RefCell::into_inner);
        if reading.open.is_some() {
            // An element left open runs to the end of the page.
            close_element(&mut reading, len);
        }
        reading.code
    }
}

/// A `<meta charset>`: a policy may go after the first.
fn charset_read(state: &RefCell<Reading>, el: &Element) {
    let mut reading = state.borrow_mut();
    reading
        .code
        .after_charset
        .get_or_insert(el.source_location().bytes().end);
}

/// A `<title>`: a policy goes before the first.
fn title_read(state: &RefCell<Reading>, el: &Element) {
    let mut reading = state.borrow_mut();
    reading
        .code
        .before_title
        .get_or_insert(el.source_location().bytes().start);
}

fn read_title_text(reading: &mut Reading, t: &TextChunk) {
    let start = t.source_location().bytes().start;
    let lt = t.as_str().bytes().enumerate().filter(|&(_, b)| b == b'<');
    reading.code.title_lt.extend(lt.map(|(i, _)| start + i));
}

/// A `<style>` or `<script>` starts: its contents count unless it loads
/// a file (`src`) or is a script that does not run (a data block). They
/// run from the end of its start tag to the start of its end tag, which
/// the tokenizer reports without handing over the text between.
fn open_element(state: &Rc<RefCell<Reading>>, el: &mut Element) {
    let after_tag = el.source_location().bytes().end;
    let kind = match el.tag_name().as_str() {
        _ if el.has_attribute("src") => Open::Ignored,
        "style" => Open::Style,
        _ if runs_as_script(el.get_attribute("type").as_deref()) => Open::Script,
        _ => Open::Ignored,
    };
    let mut reading = state.borrow_mut();
    let empty = after_tag..after_tag;
    match kind {
        Open::Style => reading.code.styles.push(empty),
        Open::Script => reading.code.scripts.push(empty),
        Open::Ignored => return,
    }
    reading.open = Some(kind);
    if let Some(handlers) = el.end_tag_handlers() {
        let state = Rc::clone(state);
        handlers.push(Box::new(move |end| {
            close_element(&mut state.borrow_mut(), end.source_location().bytes().start);
            Ok(())
        }));
    }
}

/// The contents of the style or script open end at `end`.
fn close_element(reading: &mut Reading, end: usize) {
    let contents = match reading.open.take() {
        Some(Open::Style) => reading.code.styles.last_mut(),
        Some(Open::Script) => reading.code.scripts.last_mut(),
        _ => None,
    };
    if let Some(range) = contents {
        range.end = range.end.max(end);
    }
}

/// Whether a `<script>` with this `type` runs (HTML's "prepare the script
/// element"): no type, an empty one, `module` or a JavaScript MIME type.
/// Any other type makes a data block, which no browser executes.
fn runs_as_script(kind: Option<&str>) -> bool {
    const JAVASCRIPT: [&str; 18] = [
        "",
        "module",
        "application/ecmascript",
        "application/javascript",
        "application/x-ecmascript",
        "application/x-javascript",
        "text/ecmascript",
        "text/javascript",
        "text/javascript1.0",
        "text/javascript1.1",
        "text/javascript1.2",
        "text/javascript1.3",
        "text/javascript1.4",
        "text/javascript1.5",
        "text/jscript",
        "text/livescript",
        "text/x-ecmascript",
        "text/x-javascript",
    ];
    kind.is_none_or(|kind| JAVASCRIPT.contains(&kind.trim().to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_contents_of_styles_and_running_scripts() {
        let page = "<meta charset=utf-8><title>a<b</title><style>p{}</style><script type=application/json>[]</script><script>go()</script>";
        let code = scan(page.as_bytes());
        let text = |r: &Range<usize>| &page[r.clone()];
        assert_eq!(code.styles.iter().map(text).collect::<Vec<_>>(), ["p{}"]);
        assert_eq!(code.scripts.iter().map(text).collect::<Vec<_>>(), ["go()"]);
        assert_eq!(code.title_lt, [page.find("a<b").unwrap() + 1]);
        assert_eq!(code.after_charset, Some("<meta charset=utf-8>".len()));
        assert_eq!(code.before_title, page.find("<title>"));
    }

    #[test]
    fn moved_positions_follow_the_marks_before_them() {
        let code = InlineCode {
            styles: vec![10..20, 21..22],
            scripts: vec![30..40, 50..60],
            title_lt: vec![5],
            before_title: Some(0),
            after_charset: None,
        };
        // Marks at 3 and 25 (between the styles and the scripts) and 45
        // (between the scripts), each two bytes longer once written.
        let moved = code.clone().moved(&[3, 25, 45], 2);
        assert_eq!(moved.styles, vec![12..22, 23..24]);
        assert_eq!(moved.scripts, vec![34..44, 56..66]);
        assert_eq!(moved.title_lt, [7]);
        assert_eq!(moved.before_title, Some(0));
        // Shorter; a mark where a range ends is after it.
        let shorter = code.clone().moved(&[20], -3);
        assert_eq!(shorter.styles, vec![10..20, 18..19]);
        assert_eq!(shorter.scripts, vec![27..37, 47..57]);
        assert_eq!(code.clone().moved(&[], 5), code);
    }
}
