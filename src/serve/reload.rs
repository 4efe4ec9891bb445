//! What `dossier serve` changes in a page it serves: a reload script at the
//! end of the body, and the page's Content-Security-Policy widened by
//! exactly what that script needs — its own SHA-256 in `script-src`, and
//! `connect-src 'self'` for its requests to the server. The policy is
//! otherwise the built page's, so a page that breaks the policy breaks it
//! in `serve` too. Built files on disk are never changed.

use std::cell::Cell;
use std::rc::Rc;

use lol_html::html_content::ContentType;
use lol_html::{RewriteStrSettings, element, end, rewrite_str};

const SCRIPT: &str = include_str!("reload.js");

/// The policy source that allows the reload script: `'sha256-…'`.
pub fn script_source() -> String {
    crate::write::sha256_source(SCRIPT.as_bytes())
}

/// `html` with the reload script (which knows the build's `version`) and
/// the widened policy, rewritten on an HTML tokenizer (lol_html): the
/// script goes before `</body>` (at the end of a page without one), and
/// only a `<meta http-equiv=Content-Security-Policy>` is widened — text
/// that merely reads like one is left alone.
pub fn inject(html: &str, version: u64, source: &str) -> String {
    let tag = format!("<script data-version={version}>{SCRIPT}</script>");
    let placed = Rc::new(Cell::new(false));
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("meta[http-equiv][content]", |el| {
            let is_policy = el
                .get_attribute("http-equiv")
                .is_some_and(|v| v.eq_ignore_ascii_case("Content-Security-Policy"));
            if let (true, Some(policy)) = (is_policy, el.get_attribute("content")) {
                el.set_attribute("content", &widen_policy(&policy, source))?;
            }
            Ok(())
        }))
        .append_element_content_handler(element!("body", |el| {
            let (tag, placed) = (tag.clone(), Rc::clone(&placed));
            if let Some(handlers) = el.end_tag_handlers() {
                let handler: lol_html::EndTagHandler<'static> = Box::new(move |end| {
                    end.before(&tag, ContentType::Html);
                    placed.set(true);
                    Ok(())
                });
                handlers.push(handler);
            }
            Ok(())
        }))
        .append_document_content_handler(end!(|end| {
            if !placed.get() {
                end.append(&tag, ContentType::Html);
            }
            Ok(())
        }));
    // A page the tokenizer cannot read (never one dossier builds) is
    // served as it is, without the script.
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
}

/// `policy` with `source` added to its `script-src` (or a `script-src`
/// with it), and `connect-src 'self'`.
fn widen_policy(policy: &str, source: &str) -> String {
    let mut directives: Vec<String> = policy.split(';').map(|d| d.trim().to_string()).collect();
    match directives.iter_mut().find(|d| d.starts_with("script-src")) {
        Some(script) => script.push_str(&format!(" {source}")),
        None => directives.push(format!("script-src {source}")),
    }
    directives.push("connect-src 'self'".into());
    directives.join("; ")
}

/// The page served when no build has succeeded yet: the reload script
/// shows the error over it, and reloads it once the build succeeds.
pub fn waiting_page(version: u64, source: &str) -> String {
    // The policy allows the script already.
    format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8>\
         <meta content=\"default-src 'none'; script-src {source}; connect-src 'self'\" http-equiv=Content-Security-Policy>\
         <title>dossier serve</title></head><body><p>dossier serve: no build has succeeded yet.</p>\
         <script data-version={version}>{SCRIPT}</script></body></html>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_the_script_hash_to_an_existing_script_src() {
        let page = "<meta charset=utf-8><meta content=\"default-src 'none'; style-src 'sha256-s'; script-src 'self' 'sha256-a'\" http-equiv=Content-Security-Policy><title>T</title><body><p>x</body>";
        let out = inject(page, 7, "'sha256-r'");
        assert!(
            out.contains("content=\"default-src 'none'; style-src 'sha256-s'; script-src 'self' 'sha256-a' 'sha256-r'; connect-src 'self'\""),
            "{out}"
        );
        assert!(out.contains("<script data-version=7>"), "{out}");
        assert!(out.ends_with("</script></body>"), "{out}");
    }

    #[test]
    fn adds_a_script_src_to_a_page_without_scripts() {
        let page = "<meta content=\"default-src 'none'; style-src 'sha256-s'\" http-equiv=Content-Security-Policy><p>x";
        let out = inject(page, 1, "'sha256-r'");
        assert!(
            out.contains("style-src 'sha256-s'; script-src 'sha256-r'; connect-src 'self'\""),
            "{out}"
        );
    }

    /// Issue 13: text that reads like the policy's `<meta>` or like
    /// `</body>` (in a title, a comment, a script) is not what is changed.
    #[test]
    fn changes_only_the_policy_meta_and_the_real_body_end() {
        let page = "<meta charset=utf-8><!-- <meta content=\"y\" http-equiv=Content-Security-Policy> --><meta content=\"default-src 'none'\" http-equiv=Content-Security-Policy><title>T</title><body><script>let s = '</body>'.length</script><p>x</body><!-- </body> --></html>";
        let out = inject(page, 2, "'sha256-r'");
        assert!(
            out.contains("<!-- <meta content=\"y\" http-equiv=Content-Security-Policy> -->"),
            "{out}"
        );
        assert!(
            out.contains("\"default-src 'none'; script-src 'sha256-r'; connect-src 'self'\""),
            "{out}"
        );
        assert!(out.contains("'</body>'.length</script>"), "{out}");
        assert!(out.contains("<p>x<script data-version=2>"), "{out}");
        assert!(out.ends_with("</script></body><!-- </body> --></html>"), "{out}");
    }

    #[test]
    fn a_page_without_a_body_end_gets_the_script_at_its_end() {
        let out = inject("<meta charset=utf-8><p>x", 4, "'sha256-r'");
        assert!(
            out.starts_with("<meta charset=utf-8><p>x<script data-version=4>"),
            "{out}"
        );
        assert!(out.ends_with("</script>"), "{out}");
    }

    #[test]
    fn the_hash_is_of_the_script_served() {
        let out = inject("<body></body>", 3, &script_source());
        let inline = out
            .split("<script data-version=3>")
            .nth(1)
            .unwrap()
            .split("</script>")
            .next()
            .unwrap();
        assert_eq!(inline, SCRIPT);
        // A SHA-256 is 44 characters of base64.
        assert_eq!(script_source().len(), "'sha256-'".len() + 44);
    }
}
