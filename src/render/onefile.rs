//! `dossier.html`: the whole dossier in one file — home, sectors,
//! chronology, actors, figures, every source with its ¶ anchors and the
//! editorial pages — to email, archive or print. It is assembled from the
//! site's own pages: each page's `<main>` becomes a part with an anchor,
//! its ids are prefixed with the part's key so they stay unique, its
//! headings go one level down under the dossier's title, every internal
//! link becomes a link to an anchor in the file, and an external address
//! (a source's URL) is shown as text: the file links only inside itself.

use std::collections::HashMap;

use super::routes::ROOT;

/// The anchor of a part: its path without `.html`, `/` made `-`.
pub fn key(path: &str) -> String {
    path.trim_end_matches(".html").replace('/', "-")
}

/// Where a link to a page that is not a part goes instead (year pages to
/// the chronology, anything else to the home part).
pub struct Fallbacks {
    pub chronology: String,
    pub chronology_folder: String,
}

/// The one-file edition: which pages are its parts, and how links to them
/// become anchors.
pub struct Edition {
    keys: HashMap<String, String>,
    fallbacks: Fallbacks,
}

impl Edition {
    pub fn new<'a>(paths: impl Iterator<Item = &'a str>, fallbacks: Fallbacks) -> Edition {
        Edition {
            keys: paths.map(|p| (p.to_string(), key(p))).collect(),
            fallbacks,
        }
    }

    /// The `<main>` of a page (at `path`, links still marked), rewritten as
    /// a part of the one file.
    pub fn part(&self, path: &str, html: &str) -> String {
        rewrite(main_content(html), Some(&key(path)), self)
    }

    /// Rewrites the links of the file's own frame (header, navigation).
    pub fn frame(&self, html: &str) -> String {
        rewrite(html, None, self)
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
fn rewrite(html: &str, own: Option<&str>, edition: &Edition) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    while let Some(i) = rest.find(['<', ' ']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
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
            rest = after;
            continue;
        }
        let value = match (name, own) {
            ("href", _) => href(value, own, edition),
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
    let name = ["href"]
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

fn href(value: &str, own: Option<&str>, edition: &Edition) -> String {
    let (keys, fallbacks) = (&edition.keys, &edition.fallbacks);
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
    let target = match keys.get(path) {
        Some(key) => key.clone(),
        None if path.starts_with(&format!("{}/", fallbacks.chronology_folder)) => key(&fallbacks.chronology),
        None => key("index.html"),
    };
    if fragment.is_empty() || !keys.contains_key(path) {
        format!("#{target}")
    } else {
        format!("#{target}--{fragment}")
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

    fn edition(paths: &[&str]) -> Edition {
        Edition::new(
            paths.iter().copied(),
            Fallbacks {
                chronology: "chronologie.html".into(),
                chronology_folder: "chronologie".into(),
            },
        )
    }

    #[test]
    fn turns_a_page_into_a_part_with_anchors() {
        let source = "<main id=\"main\"><h1 id=\"t\">Titre</h1><p id=\"p3\"><a href=\"#p3\">¶3</a> <a href=\"\u{FDD0}secteurs/energie.html\">énergie</a> <a href=\"\u{FDD0}chronologie/2025.html#e-x\">2025</a> <a href=\"https://a.org\">a</a></p><section aria-labelledby=\"t\"></section></main>";
        let sector = "<main><h2>Énergie</h2></main>";
        let edition = edition(&["sources/a.html", "secteurs/energie.html"]);
        assert_eq!(key("sources/a.html"), "sources-a");
        assert_eq!(
            edition.part("sources/a.html", source),
            "<h2 id=\"sources-a--t\">Titre</h2><p id=\"sources-a--p3\"><a href=\"#sources-a--p3\">¶3</a> <a href=\"#secteurs-energie\">énergie</a> <a href=\"#chronologie\">2025</a> <a data-href=\"https://a.org\">a</a></p><section aria-labelledby=\"sources-a--t\"></section>"
        );
        assert_eq!(edition.part("secteurs/energie.html", sector), "<h3>Énergie</h3>");
    }

    #[test]
    fn keeps_the_frame_ids_and_rewrites_its_links() {
        let frame = "<a class=\"skip\" href=\"#main\">x</a><nav><a href=\"\u{FDD0}secteurs/energie.html\">É</a></nav><h1>D</h1>";
        assert_eq!(
            edition(&["secteurs/energie.html"]).frame(frame),
            "<a class=\"skip\" href=\"#main\">x</a><nav><a href=\"#secteurs-energie\">É</a></nav><h1>D</h1>"
        );
    }
}
