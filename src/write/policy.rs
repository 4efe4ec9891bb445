//! A page's Content-Security-Policy and its title, on an HTML tokenizer
//! (lol_html): the page is scanned once, read-only, for the byte ranges
//! of its inline styles and scripts, of the `<` in its title's text and of
//! the place the policy goes; the finished page is assembled from those
//! ranges. Nothing here searches the page's bytes for a tag: text that
//! merely mentions `<style>` (a description in an attribute, a title)
//! never reads as one.
//!
//! The policy: nothing may load, and the only styles and scripts that run
//! are the page's own inline ones, allowed by the SHA-256 of their exact
//! bytes. The hashes must be of the final bytes, so this runs on the page
//! as it is written.

use std::cell::RefCell;
use std::io::{self, Write};
use std::ops::Range;
use std::rc::Rc;

use lol_html::html_content::{Element, TextChunk};
use lol_html::{HtmlRewriter, Settings, element, text};

/// What the scan found, as byte ranges of the page.
#[derive(Debug, Default)]
struct Scan {
    /// The contents of each inline `<style>`, in order.
    styles: Vec<Range<usize>>,
    /// The contents of each inline `<script>` that runs, in order.
    scripts: Vec<Range<usize>>,
    /// Where each `<` of the title's text is.
    title_lt: Vec<usize>,
    /// Where the policy goes: before `<title>`, the head's first element
    /// after `<meta charset>` (the render stage puts nothing that loads
    /// or runs before it), else after `<meta charset>`, else first.
    before_title: Option<usize>,
    after_charset: Option<usize>,
    /// The style or script whose end tag is awaited, if its contents count.
    open: Option<Open>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Style,
    Script,
    Ignored,
}

/// The page with its title's `<` escaped and its policy added; `source`
/// turns the bytes of an inline style or script into a policy source.
pub(super) fn finish(html: &[u8], source: &dyn Fn(&[u8]) -> String) -> Vec<u8> {
    let mut page = Vec::with_capacity(html.len() + 512);
    // Writing to a Vec cannot fail.
    let _ = write_finished(html, source, &mut page);
    page
}

/// [`finish`], written to `out` piece by piece rather than copied whole
/// into a buffer first.
pub(super) fn write_finished(html: &[u8], source: &dyn Fn(&[u8]) -> String, out: &mut dyn Write) -> io::Result<()> {
    let scan = scan(html);
    let policy = content_security_policy(html, &scan, source);
    assemble(html, &scan, &policy, out)
}

/// Reads the page on the tokenizer. A page the tokenizer cannot read
/// (never one the render stage makes) gets the strictest policy: no
/// style, no script.
fn scan(html: &[u8]) -> Scan {
    let state = Rc::new(RefCell::new(Scan::default()));
    let settings = Settings::new()
        .append_element_content_handler(element!("meta[charset]", |el| {
            let mut s = state.borrow_mut();
            s.after_charset.get_or_insert(el.source_location().bytes().end);
            Ok(())
        }))
        .append_element_content_handler(element!("title", |el| {
            let mut s = state.borrow_mut();
            s.before_title.get_or_insert(el.source_location().bytes().start);
            Ok(())
        }))
        .append_element_content_handler(text!("title", |t| {
            title_text(&mut state.borrow_mut(), t);
            Ok(())
        }))
        .append_element_content_handler(element!("style, script", |el| {
            open_element(&state, el);
            Ok(())
        }));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    let read = rewriter.write(html).and_then(|()| rewriter.end());
    let mut scan = Rc::try_unwrap(state).map_or_else(|shared| shared.take(), RefCell::into_inner);
    if scan.open.is_some() {
        // An element left open runs to the end of the page.
        close_element(&mut scan, html.len());
    }
    match read {
        Ok(()) => scan,
        Err(_) => Scan {
            before_title: scan.before_title,
            after_charset: scan.after_charset,
            ..Scan::default()
        },
    }
}

fn title_text(scan: &mut Scan, t: &TextChunk) {
    let start = t.source_location().bytes().start;
    let lt = t.as_str().bytes().enumerate().filter(|&(_, b)| b == b'<');
    scan.title_lt.extend(lt.map(|(i, _)| start + i));
}

/// A `<style>` or `<script>` starts: its contents count unless it loads
/// a file (`src`) or is a script that does not run (a data block). They
/// run from the end of its start tag to the start of its end tag, which
/// the tokenizer reports without handing over the text between.
fn open_element(state: &Rc<RefCell<Scan>>, el: &mut Element) {
    let after_tag = el.source_location().bytes().end;
    let kind = match el.tag_name().as_str() {
        _ if el.has_attribute("src") => Open::Ignored,
        "style" => Open::Style,
        _ if runs_as_script(el.get_attribute("type").as_deref()) => Open::Script,
        _ => Open::Ignored,
    };
    let mut scan = state.borrow_mut();
    let empty = after_tag..after_tag;
    match kind {
        Open::Style => scan.styles.push(empty),
        Open::Script => scan.scripts.push(empty),
        Open::Ignored => return,
    }
    scan.open = Some(kind);
    if let Some(handlers) = el.end_tag_handlers() {
        let state = Rc::clone(state);
        handlers.push(Box::new(move |end| {
            close_element(&mut state.borrow_mut(), end.source_location().bytes().start);
            Ok(())
        }));
    }
}

/// The contents of the style or script open end at `end`.
fn close_element(scan: &mut Scan, end: usize) {
    let contents = match scan.open.take() {
        Some(Open::Style) => scan.styles.last_mut(),
        Some(Open::Script) => scan.scripts.last_mut(),
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

/// A page with inline scripts may also load scripts from the site itself
/// (`'self'`): the search page inserts its index shards, which `file://`
/// allows only as classic scripts. A page with only data blocks keeps no
/// script-src.
fn content_security_policy(html: &[u8], scan: &Scan, source: &dyn Fn(&[u8]) -> String) -> String {
    let mut policy = String::from("default-src 'none'; base-uri 'none'; form-action 'self'");
    for (directive, own, ranges) in [
        ("style-src", "", &scan.styles),
        ("script-src", " 'self'", &scan.scripts),
    ] {
        if ranges.is_empty() {
            continue;
        }
        policy.push_str(&format!("; {directive}{own}"));
        for range in ranges {
            policy.push(' ');
            policy.push_str(&source(&html[range.clone()]));
        }
    }
    policy
}

/// The page with the policy's `<meta>` at its place (as early as
/// possible: the policy governs only what follows it) and the title's
/// `<` written `&lt;`: the minifier leaves them as they are, valid in a
/// title but read as a tag by every tool that is not a browser.
fn assemble(html: &[u8], scan: &Scan, policy: &str, out: &mut dyn Write) -> io::Result<()> {
    let meta = format!("<meta content=\"{policy}\" http-equiv=Content-Security-Policy>");
    // (where, how many bytes it replaces, what goes there)
    let mut edits: Vec<(usize, usize, &[u8])> = scan.title_lt.iter().map(|&at| (at, 1, &b"&lt;"[..])).collect();
    let policy_at = scan.before_title.or(scan.after_charset).unwrap_or(0);
    edits.push((policy_at, 0, meta.as_bytes()));
    edits.sort_by_key(|&(at, replaced, _)| (at, replaced));
    let mut from = 0;
    for (at, replaced, text) in edits {
        out.write_all(&html[from..at])?;
        out.write_all(text)?;
        from = at + replaced;
    }
    out.write_all(&html[from..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::sha256_source;

    fn finished(html: &str) -> String {
        String::from_utf8(finish(html.as_bytes(), &sha256_source)).unwrap()
    }

    fn policy(html: &str) -> String {
        let page = finished(html);
        let start = page.find("<meta content=\"").unwrap() + "<meta content=\"".len();
        page[start..start + page[start..].find('"').unwrap()].to_string()
    }

    // echo -n 'p{color:red}' | openssl dgst -sha256 -binary | base64
    const RED: &str = "'sha256-p0bF+un5yUb9MBO6xRb8kPHlY2BdpHVtLiFkDrZPF64='";
    // echo -n 'go()' | openssl dgst -sha256 -binary | base64
    const GO: &str = "'sha256-5KYv+PUboo5h+0+YAtGRPbwv5d/QxzHslP4YGnUaxRw='";

    #[test]
    fn the_policy_allows_exactly_the_inline_styles_and_scripts() {
        let out = finished(
            "<meta charset=utf-8><title>x</title><style>p{color:red}</style><script>go()</script><script src=a.js></script><p>",
        );
        let expected = format!(
            "<meta charset=utf-8><meta content=\"default-src 'none'; base-uri 'none'; form-action 'self'; style-src {RED}; script-src 'self' {GO}\" http-equiv=Content-Security-Policy><title>"
        );
        assert!(out.starts_with(&expected), "{out}");
    }

    /// Issue 15: JSON-LD is data; a page whose only script is data keeps a
    /// policy without script-src, and data beside a script is not allowed
    /// as script.
    #[test]
    fn data_blocks_are_not_allowed_as_scripts_r15() {
        let data = r#"<meta charset=utf-8><title>x</title><script type=application/ld+json>{"a":1}</script><script type="application/json" id=i>[]</script><p>"#;
        assert!(!policy(data).contains("script-src"), "{}", policy(data));
        let both = format!(
            "{data}<script type=module>go()</script><script TYPE='Text/JavaScript '>go()</script><script data-type=x type=a/b>go()</script>"
        );
        let policy = policy(&both);
        assert!(policy.ends_with(&format!("; script-src 'self' {GO} {GO}")), "{policy}");
    }

    #[test]
    fn a_title_that_looks_like_markup_is_escaped_and_never_allowed() {
        let out = finished("<title><script>alert(1)</script> & co</title><style>p{}</style>");
        assert!(
            out.contains("<title>&lt;script>alert(1)&lt;/script> & co</title>"),
            "{out}"
        );
        assert!(!out.contains("script-src"), "no script to allow: {out}");
        assert!(out.starts_with("<meta content="), "before the title: {out}");
    }

    /// Issue 13: a description that mentions `<style>` is an attribute's
    /// text, not a stylesheet; the page's own stylesheet and script keep
    /// their hashes.
    #[test]
    fn a_description_mentioning_style_costs_no_hash_r13() {
        let page = "<meta charset=utf-8><meta content=\"How to read <style> guides. <script>x\" name=description><title>How to read <style> guides.</title><style>p{color:red}</style><script>go()</script>";
        let out = finished(page);
        assert!(
            out.contains(&format!("style-src {RED}; script-src 'self' {GO}\"")),
            "{out}"
        );
        assert!(out.contains("<title>How to read &lt;style> guides.</title>"), "{out}");
    }

    #[test]
    fn a_style_left_open_runs_to_the_end_of_the_page() {
        let open = policy("<meta charset=utf-8><title>x</title><style>p{color:red}");
        assert!(open.ends_with(&format!("style-src {RED}")), "{open}");
        let closed = policy("<meta charset=utf-8><style>p{color:red}</style><p>go()</p><script>go()</script>");
        assert!(
            closed.ends_with(&format!("style-src {RED}; script-src 'self' {GO}")),
            "{closed}"
        );
    }

    #[test]
    fn an_empty_script_is_allowed_by_the_hash_of_nothing() {
        // echo -n '' | openssl dgst -sha256 -binary | base64
        let nothing = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='";
        let policy = policy("<meta charset=utf-8><script></script>");
        assert!(policy.ends_with(&format!("script-src 'self' {nothing}")), "{policy}");
    }
}
