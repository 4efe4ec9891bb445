//! The stylesheet and scripts that many pages carry inline: minified once
//! (minify-html), hashed once for the pages' policies, and put into each
//! page only as it is written.
//!
//! The render stage gets a mark for each ([`crate::marker::asset`]), a
//! few bytes where the text would be 17 KB: the templates copy it, the
//! tokenizer that reads each page's inline code passes over it, and the
//! writer puts the text in its place. Before, the stylesheet was 45 % of
//! the bytes a source page's tokenizer read.

use std::io::{self, Write};
use std::sync::RwLock;

use crate::marker::{self, ASSET};
use crate::render::Asset;

/// The shared assets, numbered in the order the render stage gave them.
#[derive(Default)]
pub(super) struct SharedAssets(RwLock<Vec<SharedAsset>>);

struct SharedAsset {
    text: String,
    /// Its policy source (`'sha256-…'`).
    hash: String,
}

impl SharedAssets {
    /// Minifies `text` and gives the mark that stands for it in pages.
    pub(super) fn add(&self, kind: Asset, text: &str) -> String {
        let text = minify_asset(kind, text);
        let hash = sha256_source(text.as_bytes());
        let mut shared = self.0.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        shared.push(SharedAsset { text, hash });
        marker::asset(shared.len() - 1)
    }

    /// The policy source of an inline style's or script's contents as
    /// the render stage made them: known for a shared asset's mark,
    /// computed on the text as written for any other.
    pub(super) fn source(&self, content: &[u8]) -> String {
        let shared = self.0.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        let marks = marks(content, &shared);
        match marks.as_slice() {
            [] => sha256_source(content),
            [(range, asset)] if *range == (0..content.len()) => shared[*asset].hash.clone(),
            _ => {
                let mut expanded = Vec::with_capacity(content.len());
                // Writing to a Vec cannot fail.
                let _ = write_with(content, &marks, &shared, &mut expanded);
                sha256_source(&expanded)
            }
        }
    }

    /// Writes `bytes` with each shared asset's mark replaced by its text.
    pub(super) fn write_expanded(&self, bytes: &[u8], out: &mut dyn Write) -> io::Result<()> {
        let shared = self.0.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        write_with(bytes, &marks(bytes, &shared), &shared, out)
    }
}

/// Where each mark of a known asset is in `bytes`, and which asset. A mark
/// is two [`ASSET`] around a number; anything else between two of them
/// is not one (the second may open the next).
fn marks(bytes: &[u8], shared: &[SharedAsset]) -> Vec<(std::ops::Range<usize>, usize)> {
    let edge = ASSET.as_bytes();
    let mut found = Vec::new();
    let mut open: Option<usize> = None;
    for at in memchr::memmem::find_iter(bytes, edge) {
        let Some(start) = open else {
            open = Some(at);
            continue;
        };
        let number = std::str::from_utf8(&bytes[start + edge.len()..at]).ok();
        match number
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|&n| n < shared.len())
        {
            Some(asset) => {
                found.push((start..at + edge.len(), asset));
                open = None;
            }
            None => open = Some(at),
        }
    }
    found
}

fn write_with(
    bytes: &[u8],
    marks: &[(std::ops::Range<usize>, usize)],
    shared: &[SharedAsset],
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut from = 0;
    for (range, asset) in marks {
        out.write_all(&bytes[from..range.start])?;
        out.write_all(shared[*asset].text.as_bytes())?;
        from = range.end;
    }
    out.write_all(&bytes[from..])
}

/// `'sha256-…'`: the policy source that allows exactly these bytes.
pub(crate) fn sha256_source(content: &[u8]) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(content);
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
}

/// A stylesheet or script minified on its own, as the pages will carry it.
fn minify_asset(kind: Asset, text: &str) -> String {
    let tag = match kind {
        Asset::Style => "style",
        Asset::Script => "script",
    };
    let cfg = minify_html::Cfg {
        minify_css: true,
        minify_js: true,
        ..minify_html::Cfg::default()
    };
    let wrapped = format!("<{tag}>{text}</{tag}>");
    let minified = String::from_utf8(minify_html::minify(wrapped.as_bytes(), &cfg)).unwrap_or_default();
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    minified
        .strip_prefix(&open)
        .map(|m| m.strip_suffix(&close).unwrap_or(m))
        .map_or_else(|| text.to_string(), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expanded(shared: &SharedAssets, bytes: &str) -> String {
        let mut out = Vec::new();
        shared.write_expanded(bytes.as_bytes(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn an_asset_is_minified_once_and_its_mark_becomes_its_text() {
        let shared = SharedAssets::default();
        let css = shared.add(Asset::Style, "p {\n  color : red ;\n}\n");
        let js = shared.add(Asset::Script, "go ( ) ;");
        assert_eq!((css.as_str(), js.as_str()), ("\u{FDD3}0\u{FDD3}", "\u{FDD3}1\u{FDD3}"));
        assert_eq!(
            expanded(&shared, &format!("<style>{css}</style><script>{js}</script>")),
            "<style>p{color:red}</style><script>go();</script>"
        );
    }

    #[test]
    fn a_mark_is_allowed_by_the_hash_of_its_text() {
        let shared = SharedAssets::default();
        let css = shared.add(Asset::Style, "p { color: red }");
        // echo -n 'p{color:red}' | openssl dgst -sha256 -binary | base64
        let red = "'sha256-p0bF+un5yUb9MBO6xRb8kPHlY2BdpHVtLiFkDrZPF64='";
        assert_eq!(shared.source(css.as_bytes()), red);
        // A style that holds the mark and more is hashed as written.
        assert_eq!(
            shared.source(format!("{css}p{{}}").as_bytes()),
            sha256_source(b"p{color:red}p{}")
        );
        assert_eq!(shared.source(b"p{color:red}"), red);
    }

    #[test]
    fn what_is_not_a_known_mark_stays_as_it_is() {
        let shared = SharedAssets::default();
        let css = shared.add(Asset::Style, "p{color:red}");
        for text in [
            "\u{FDD3}7\u{FDD3}",
            "\u{FDD3}x\u{FDD3}",
            "\u{FDD3}",
            "a\u{FDD3}b",
            "\u{FDD3}\u{FDD3}0",
        ] {
            assert_eq!(expanded(&shared, text), text);
        }
        // A stray edge before a mark does not hide the mark.
        assert_eq!(expanded(&shared, &format!("\u{FDD3}x{css}")), "\u{FDD3}xp{color:red}");
    }
}
