//! `dossier.html`: the whole dossier in one file — home, sectors,
//! chronology, actors, figures, every source with its ¶ anchors and the
//! editorial pages — to email, archive or print. It is assembled from the
//! site's own pages: each page's `<main>` becomes a part with an anchor,
//! its ids are prefixed with the part's key so they stay unique, its
//! headings go one level down under the dossier's title, every internal
//! link becomes a link to an anchor in the file, and an external address
//! (a source's URL) is shown as text: the file links only inside itself.

use std::collections::HashMap;

use super::routes::{ROOT, root_prefix};

/// The anchor of a part: its path without `.html`, `/` made `-`.
pub fn key(path: &str) -> String {
    path.trim_end_matches(".html").replace('/', "-")
}

/// Where a page of the site goes in the one-file editions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// A part of edition `i` (`0`: `dossier.html`).
    In(usize),
    /// Not a part: links to it go where the page at this path is (a
    /// year's page to the chronology, a sector's period to the sector).
    Like(String),
}

/// The one-file editions: `dossier.html`, and for a large dossier one file
/// per year beside it (`dossier-2024.html`), which parts each holds, and
/// how a link to any page of the site becomes a link inside them.
pub struct Editions {
    /// The editions' file names, `dossier.html` first.
    pub files: Vec<String>,
    placements: HashMap<String, Placement>,
}

/// How deep `Like` placements may chain; the site's are one or two deep.
const MAX_FALLBACKS: usize = 4;

impl Editions {
    pub fn new(files: Vec<String>, pages: impl Iterator<Item = (String, Placement)>) -> Editions {
        let mut placements: HashMap<String, Placement> = pages.collect();
        for (i, file) in files.iter().enumerate() {
            placements.insert(file.clone(), Placement::In(i));
        }
        Editions { files, placements }
    }

    /// The edition and anchor a link to `path` leads to, and whether it is
    /// the page itself (so a `#fragment` in it still means something).
    fn resolve(&self, path: &str) -> Option<(usize, String, bool)> {
        let mut at = path;
        for depth in 0..MAX_FALLBACKS {
            match self.placements.get(at)? {
                Placement::In(file) if self.files[*file] == at => return Some((*file, "main".into(), false)),
                Placement::In(file) => return Some((*file, key(at), depth == 0)),
                Placement::Like(other) => at = other,
            }
        }
        None
    }

    /// The `<main>` of a page (at `path`, links still marked), rewritten
    /// as a part of edition `file`.
    pub fn part(&self, file: usize, path: &str, html: &str) -> String {
        rewrite(main_content(html), Some(&key(path)), file, self)
    }

    /// Rewrites the links of an edition's own frame (header, navigation).
    pub fn frame(&self, file: usize, html: &str) -> String {
        rewrite(html, None, file, self)
    }
}

fn main_content(html: &str) -> &str {
    let Some(open) = html.find("<main") else { return "" };
    let Some(start) = html[open..].find('>').map(|i| open + i + 1) else {
        return "";
    };
    let end = html[start..].rfind("</main>").map_or(html.len(), |i| start + i);
    &html[start..end]
}

const ID_ATTRIBUTES: [&str; 4] = ["id", "for", "aria-labelledby", "aria-describedby"];

/// Prefixes ids (when `own` is a part's key), turns internal hrefs into
/// anchors, and moves headings one level down in parts.
fn rewrite(html: &str, own: Option<&str>, file: usize, editions: &Editions) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    // Whether the current tag's href was external, and dropped.
    let mut dropped_href = false;
    while let Some(i) = rest.find(['<', ' ']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            dropped_href = false;
        }
        if rest.starts_with("<link ") {
            // The head's links (the feed, the canonical address) load
            // nothing and are no part of the reading: they name the site's
            // file and address as written, from the edition's folder.
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            out.push_str(&rest[..end].replace(ROOT, &root_prefix(&editions.files[file])));
            rest = &rest[end..];
            continue;
        }
        if rest.starts_with("<h") || rest.starts_with("</h") {
            let (tag, after) = shift_heading(rest, own.is_some());
            out.push_str(&tag);
            rest = after;
            continue;
        }
        let Some((name, value, after)) = attribute(rest) else {
            out.push_str(&rest[..1]);
            rest = &rest[1..];
            continue;
        };
        if name == "href" && is_external(value) {
            // The file links only inside itself: the address stays, as text
            // the stylesheet shows after the words.
            out.push_str(&format!(" data-href=\"{value}\""));
            dropped_href = true;
            rest = after;
            continue;
        }
        if name == "rel" && dropped_href {
            // `rel` needs an `href`: a link without one is a plain `a`.
            rest = after;
            continue;
        }
        let value = match (name, own) {
            ("href", _) => href(value, own, file, editions),
            (name, Some(own)) if ID_ATTRIBUTES.contains(&name) => value
                .split(' ')
                .map(|id| format!("{own}--{id}"))
                .collect::<Vec<_>>()
                .join(" "),
            _ => value.to_string(),
        };
        out.push_str(&format!(" {name}=\"{value}\""));
        rest = after;
    }
    out.push_str(rest);
    out
}

/// ` name="value"` at the start of `text`, for the attributes rewritten.
fn attribute(text: &str) -> Option<(&str, &str, &str)> {
    let body = text.strip_prefix(' ')?;
    let name = ["href", "rel"]
        .iter()
        .chain(&ID_ATTRIBUTES)
        .find(|n| body.starts_with(**n) && body[n.len()..].starts_with("=\""))?;
    let value_start = 1 + name.len() + 2;
    let value_len = text[value_start..].find('"')?;
    Some((
        name,
        &text[value_start..value_start + value_len],
        &text[value_start + value_len + 1..],
    ))
}

fn is_external(href: &str) -> bool {
    !href.starts_with('#') && !href.starts_with(ROOT)
}

fn href(value: &str, own: Option<&str>, file: usize, editions: &Editions) -> String {
    if let Some(fragment) = value.strip_prefix('#') {
        return match own {
            Some(own) => format!("#{own}--{fragment}"),
            None => value.to_string(),
        };
    }
    let Some(internal) = value.strip_prefix(ROOT) else {
        return value.to_string();
    };
    let (path, fragment) = internal.split_once('#').unwrap_or((internal, ""));
    let (target, anchor, exact) = editions
        .resolve(path)
        .or_else(|| editions.resolve("index.html"))
        .unwrap_or((0, "main".into(), false));
    let anchor = if exact && !fragment.is_empty() {
        format!("{anchor}--{fragment}")
    } else {
        anchor
    };
    if target == file {
        format!("#{anchor}")
    } else {
        format!("{}#{anchor}", editions.files[target])
    }
}

/// `<hN` or `</hN` moved one level down (to at most `h6`) inside parts.
fn shift_heading(text: &str, in_part: bool) -> (String, &str) {
    let closing = text.starts_with("</");
    let digit_at = if closing { 3 } else { 2 };
    match text.as_bytes().get(digit_at) {
        Some(d @ b'1'..=b'5') if in_part => {
            let tag = &text[..digit_at];
            (format!("{tag}{}", (d - b'0') + 1), &text[digit_at + 1..])
        }
        _ => (text[..digit_at].to_string(), &text[digit_at..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn editions(paths: &[&str]) -> Editions {
        let mut pages: Vec<(String, Placement)> = paths.iter().map(|p| (p.to_string(), Placement::In(0))).collect();
        pages.push((
            "chronologie/2025.html".into(),
            Placement::Like("chronologie.html".into()),
        ));
        Editions::new(vec!["dossier.html".into()], pages.into_iter())
    }

    #[test]
    fn turns_a_page_into_a_part_with_anchors() {
        let source = "<main id=\"main\"><h1 id=\"t\">Titre</h1><p id=\"p3\"><a href=\"#p3\">¶3</a> <a href=\"\u{FDD0}secteurs/energie.html\">énergie</a> <a href=\"\u{FDD0}chronologie/2025.html#e-x\">2025</a> <a href=\"https://a.org\" rel=\"external noopener\">a</a></p><section aria-labelledby=\"t\"></section></main>";
        let sector = "<main><h2>Énergie</h2></main>";
        let editions = editions(&["sources/a.html", "secteurs/energie.html", "chronologie.html"]);
        assert_eq!(key("sources/a.html"), "sources-a");
        assert_eq!(
            editions.part(0, "sources/a.html", source),
            "<h2 id=\"sources-a--t\">Titre</h2><p id=\"sources-a--p3\"><a href=\"#sources-a--p3\">¶3</a> <a href=\"#secteurs-energie\">énergie</a> <a href=\"#chronologie\">2025</a> <a data-href=\"https://a.org\">a</a></p><section aria-labelledby=\"sources-a--t\"></section>"
        );
        assert_eq!(editions.part(0, "secteurs/energie.html", sector), "<h3>Énergie</h3>");
    }

    #[test]
    fn keeps_the_frame_ids_and_rewrites_its_links() {
        let frame = "<a class=\"skip\" href=\"#main\">x</a><nav><a href=\"\u{FDD0}secteurs/energie.html\">É</a></nav><h1>D</h1>";
        assert_eq!(
            editions(&["secteurs/energie.html"]).frame(0, frame),
            "<a class=\"skip\" href=\"#main\">x</a><nav><a href=\"#secteurs-energie\">É</a></nav><h1>D</h1>"
        );
    }

    #[test]
    fn keeps_the_heads_feed_and_canonical_links_r15() {
        let frame = "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"\u{FDD0}feed.xml\" title=\"D\">\n<link rel=\"canonical\" href=\"https://a.org/d/dossier.html\"><a href=\"https://a.org\" rel=\"external\">a</a>";
        assert_eq!(
            editions(&[]).frame(0, frame),
            "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"feed.xml\" title=\"D\">\n<link rel=\"canonical\" href=\"https://a.org/d/dossier.html\"><a data-href=\"https://a.org\">a</a>"
        );
    }

    #[test]
    fn links_between_editions_name_the_other_file() {
        let pages = vec![
            ("index.html".to_string(), Placement::In(0)),
            ("sources/a.html".to_string(), Placement::In(1)),
            ("sources/b.html".to_string(), Placement::In(2)),
            ("sources-2024.html".to_string(), Placement::Like("sources.html".into())),
            ("sources.html".to_string(), Placement::In(0)),
        ];
        let files = vec![
            "dossier.html".into(),
            "dossier-2024.html".into(),
            "dossier-2025.html".into(),
        ];
        let editions = Editions::new(files, pages.into_iter());
        let html = "<main><a href=\"\u{FDD0}sources/b.html#p2\">b</a><a href=\"\u{FDD0}sources/a.html#p1\">a</a><a href=\"\u{FDD0}sources-2024.html\">2024</a><a href=\"\u{FDD0}dossier-2025.html\">2025</a><a href=\"\u{FDD0}search.html\">?</a></main>";
        assert_eq!(
            editions.part(1, "sources/a.html", html),
            "<a href=\"dossier-2025.html#sources-b--p2\">b</a><a href=\"#sources-a--p1\">a</a><a href=\"dossier.html#sources\">2024</a><a href=\"dossier-2025.html#main\">2025</a><a href=\"dossier.html#index\">?</a>"
        );
    }
}
