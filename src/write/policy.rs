//! A page's Content-Security-Policy and its title, from its inline code
//! ([`InlineCode`]: the byte ranges of its inline styles and scripts, of
//! the `<` in its title's text and of the place the policy goes, read on
//! an HTML tokenizer by the render stage or here); the finished page is
//! assembled from those ranges.
//!
//! The policy: nothing may load, and the only styles and scripts that run
//! are the page's own inline ones, allowed by the SHA-256 of their exact
//! bytes. The hashes must be of the final bytes, so this runs on the page
//! as it is written, which is also where the marks of the shared
//! stylesheet and scripts become their text ([`SharedAssets`]).

use std::io::{self, Write};

use super::shared::SharedAssets;
use crate::render::inline_code::{self, InlineCode};

/// The page with its title's `<` escaped, its policy added and the
/// `shared` assets' marks replaced by their text.
pub(super) fn finish(html: &[u8], code: Option<&InlineCode>, shared: &SharedAssets) -> Vec<u8> {
    let mut page = Vec::with_capacity(html.len() + 512);
    // Writing to a Vec cannot fail.
    let _ = write_finished(html, code, shared, &mut page);
    page
}

/// [`finish`], written to `out` piece by piece rather than copied whole
/// into a buffer first; `code` is the page's inline code when the render
/// stage read it already, else the page is read here.
pub(super) fn write_finished(
    html: &[u8],
    code: Option<&InlineCode>,
    shared: &SharedAssets,
    out: &mut dyn Write,
) -> io::Result<()> {
    let scanned;
    let code = match code {
        Some(code) => code,
        None => {
            scanned = inline_code::scan(html);
            &scanned
        }
    };
    let policy = content_security_policy(html, code, shared);
    assemble(html, code, &policy, shared, out)
}

/// A page with inline scripts may also load scripts from the site itself
/// (`'self'`): the search page inserts its index shards, which `file://`
/// allows only as classic scripts. A page with only data blocks keeps no
/// script-src.
fn content_security_policy(html: &[u8], code: &InlineCode, shared: &SharedAssets) -> String {
    let mut policy = String::from("default-src 'none'; base-uri 'none'; form-action 'self'");
    for (directive, own, ranges) in [
        ("style-src", "", &code.styles),
        ("script-src", " 'self'", &code.scripts),
    ] {
        if ranges.is_empty() {
            continue;
        }
        policy.push_str(&format!("; {directive}{own}"));
        for range in ranges {
            policy.push(' ');
            policy.push_str(&shared.source(&html[range.clone()]));
        }
    }
    policy
}

/// The page with the policy's `<meta>` at its place (as early as
/// possible: the policy governs only what follows it) and the title's
/// `<` written `&lt;`: the minifier leaves them as they are, valid in a
/// title but read as a tag by every tool that is not a browser.
fn assemble(
    html: &[u8],
    code: &InlineCode,
    policy: &str,
    shared: &SharedAssets,
    out: &mut dyn Write,
) -> io::Result<()> {
    let meta = format!("<meta content=\"{policy}\" http-equiv=Content-Security-Policy>");
    // (where, how many bytes it replaces, what goes there)
    let mut edits: Vec<(usize, usize, &[u8])> = code.title_lt.iter().map(|&at| (at, 1, &b"&lt;"[..])).collect();
    let policy_at = code.before_title.or(code.after_charset).unwrap_or(0);
    edits.push((policy_at, 0, meta.as_bytes()));
    edits.sort_by_key(|&(at, replaced, _)| (at, replaced));
    let mut from = 0;
    for (at, replaced, text) in edits {
        shared.write_expanded(&html[from..at], out)?;
        out.write_all(text)?;
        from = at + replaced;
    }
    shared.write_expanded(&html[from..], out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finished(html: &str) -> String {
        String::from_utf8(finish(html.as_bytes(), None, &SharedAssets::default())).unwrap()
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
