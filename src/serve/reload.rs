//! What `dossier serve` changes in a page it serves: a reload script at the
//! end of the body, and the page's Content-Security-Policy widened by
//! exactly what that script needs — its own SHA-256 in `script-src`, and
//! `connect-src 'self'` for its requests to the server. The policy is
//! otherwise the built page's, so a page that breaks the policy breaks it
//! in `serve` too. Built files on disk are never changed.

const SCRIPT: &str = include_str!("reload.js");

/// The policy source that allows the reload script: `'sha256-…'`.
pub fn script_source() -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(SCRIPT.as_bytes());
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
}

/// `html` with the reload script (which knows the build's `version`) and
/// the widened policy.
pub fn inject(html: &str, version: u64, source: &str) -> String {
    let tag = format!("<script data-version={version}>{SCRIPT}</script>");
    let html = widen_policy(html, source);
    match html.rfind("</body>") {
        Some(at) => format!("{}{tag}{}", &html[..at], &html[at..]),
        None => format!("{html}{tag}"),
    }
}

/// Adds `source` to the `script-src` of the page's policy `<meta>` (or a
/// `script-src` with it), and `connect-src 'self'`.
fn widen_policy(html: &str, source: &str) -> String {
    const END: &str = " http-equiv=Content-Security-Policy>";
    let Some(end) = html.find(END) else {
        return html.to_string();
    };
    let Some(start) = html[..end]
        .rfind("<meta content=\"")
        .map(|i| i + "<meta content=\"".len())
    else {
        return html.to_string();
    };
    let Some(policy) = html[start..end].strip_suffix('"') else {
        return html.to_string();
    };
    let mut directives: Vec<String> = policy.split(';').map(|d| d.trim().to_string()).collect();
    match directives.iter_mut().find(|d| d.starts_with("script-src")) {
        Some(script) => script.push_str(&format!(" {source}")),
        None => directives.push(format!("script-src {source}")),
    }
    directives.push("connect-src 'self'".into());
    format!("{}{}\"{}", &html[..start], directives.join("; "), &html[end..])
}

/// The page served when no build has succeeded yet: the reload script
/// shows the error over it, and reloads it once the build succeeds.
pub fn waiting_page(version: u64, source: &str) -> String {
    let page = format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8>\
         <meta content=\"default-src 'none'; script-src {source}; connect-src 'self'\" http-equiv=Content-Security-Policy>\
         <title>dossier serve</title></head><body><p>dossier serve: no build has succeeded yet.</p></body></html>"
    );
    // The policy above allows the script already.
    let tag = format!("<script data-version={version}>{SCRIPT}</script>");
    page.replace("</body>", &format!("{tag}</body>"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_the_script_hash_to_an_existing_script_src() {
        let page = "<meta charset=utf-8><meta content=\"default-src 'none'; style-src 'sha256-s'; script-src 'self' 'sha256-a'\" http-equiv=Content-Security-Policy><title>T</title><body><p>x</body>";
        let out = inject(page, 7, "'sha256-r'");
        assert!(
            out.contains("<meta content=\"default-src 'none'; style-src 'sha256-s'; script-src 'self' 'sha256-a' 'sha256-r'; connect-src 'self'\" http-equiv=Content-Security-Policy>"),
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
