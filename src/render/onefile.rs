//! `dossier.html`: the whole dossier in one file — home, sectors,
//! chronology, actors, figures, every source with its ¶ anchors and the
//! editorial pages — to email, archive or print. It is assembled from the
//! site's own pages: each page's `<main>` becomes a part with an anchor,
//! its ids are prefixed with the part's key so they stay unique, its
//! headings go one level down under the dossier's title, every internal
//! link becomes a link to an anchor in the file, and an external address
//! (a source's URL) is shown as text: the file links only inside itself.

use std::sync::LazyLock;

use lol_html::errors::RewritingError;
use lol_html::html_content::{ContentType, Element};
use lol_html::{AsciiCompatibleEncoding, HtmlRewriter, Selector, Settings};
use rustc_hash::{FxHashMap, FxHashSet};

use super::handlers::{on, selector};
use super::inline_code::{InlineCode, Reader};
use super::routes::{ROOT, root_prefix};
use crate::marker::MAIN_EDGE;

/// The anchor of a part: its path without `.html`, `/` made `-` (made
/// unique by [`Editions::new`]).
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
    placements: FxHashMap<String, Placed>,
}

/// A placement with its part's anchor, made once rather than for each
/// of the hundreds of thousands of links to it.
struct Placed {
    placement: Placement,
    anchor: String,
}

/// `key`, or when a part has it already, `key_2`, `key_3`… (`_` is in no
/// key: slugs have none). Two pages can have one key: `acteurs-2.html`,
/// the index's page 2, and `acteurs/2.html`, an actor whose slug is `2`.
fn unique(key: String, taken: &mut FxHashSet<String>) -> String {
    let mut anchor = key.clone();
    let mut n = 1;
    while !taken.insert(anchor.clone()) {
        n += 1;
        anchor = format!("{key}_{n}");
    }
    anchor
}

/// How deep `Like` placements may chain; the site's are one or two deep.
const MAX_FALLBACKS: usize = 4;

impl Editions {
    pub fn new(files: Vec<String>, pages: impl Iterator<Item = (String, Placement)>) -> Editions {
        let mut taken = FxHashSet::default();
        let mut placements: FxHashMap<String, Placed> = FxHashMap::default();
        for (path, placement) in pages {
            let anchor = match placement {
                Placement::In(_) => unique(key(&path), &mut taken),
                Placement::Like(_) => String::new(),
            };
            placements.insert(path, Placed { placement, anchor });
        }
        for (i, file) in files.iter().enumerate() {
            let placed = Placed {
                placement: Placement::In(i),
                anchor: key(file),
            };
            placements.insert(file.clone(), placed);
        }
        Editions { files, placements }
    }

    /// The anchor of the part a page is, if it is one.
    pub fn anchor(&self, path: &str) -> Option<&str> {
        self.placements.get(path).map(|p| p.anchor.as_str())
    }

    /// The edition and anchor a link to `path` leads to, and whether it is
    /// the page itself (so a `#fragment` in it still means something).
    fn resolve(&self, path: &str) -> Option<(usize, &str, bool)> {
        let mut at = path;
        for depth in 0..MAX_FALLBACKS {
            let placed = self.placements.get(at)?;
            match &placed.placement {
                Placement::In(file) if self.files[*file] == at => return Some((*file, "main", false)),
                Placement::In(file) => return Some((*file, &placed.anchor, depth == 0)),
                Placement::Like(other) => at = other,
            }
        }
        None
    }

    /// The `<main>` of a page (at `path`, links still marked), rewritten
    /// as a part of edition `file`, and the page's inline code, read on
    /// the way (see [`super::inline_code`]).
    pub fn part(&self, file: usize, path: &str, html: &[u8]) -> Result<(Part, InlineCode), RewritingError> {
        let reader = Reader::default();
        let own = self.anchor(path).map_or_else(|| key(path), str::to_string);
        let page = rewrite(html, Some(&reader), Some(&own), file, self)?;
        let code = reader.finish(html.len());
        let inside = between_main_edges(&page);
        Ok((Part { page, inside }, code))
    }

    /// Rewrites the links of an edition's own frame (header, navigation).
    pub fn frame(&self, file: usize, html: &[u8]) -> Result<Vec<u8>, RewritingError> {
        rewrite(html, None, None, file, self)
    }
}

/// A page rewritten as a part, and where in it the part is (the page is
/// not copied to cut it).
pub struct Part {
    page: Vec<u8>,
    inside: std::ops::Range<usize>,
}

impl Part {
    pub fn html(&self) -> &[u8] {
        &self.page[self.inside.clone()]
    }
}

/// The part is cut out of the rewritten page between the marks the
/// rewrite puts at either end of `<main>`: reserved characters, which no
/// dossier text can bring.
fn between_main_edges(html: &[u8]) -> std::ops::Range<usize> {
    match (
        memchr::memmem::find(html, MAIN_EDGE.as_bytes()),
        memchr::memmem::rfind(html, MAIN_EDGE.as_bytes()),
    ) {
        (Some(first), Some(last)) if first < last => first + MAIN_EDGE.len()..last,
        _ => 0..0,
    }
}

/// An element a theme marks with this attribute is part of the site's
/// pages but not of the one-file editions (a paragraph's own citation
/// block, say, which the source's citation stands for there).
pub const SITE_ONLY: &str = "data-site-only";

const ID_ATTRIBUTES: [&str; 4] = ["id", "for", "aria-labelledby", "aria-describedby"];

/// Rewrites a rendered page on an HTML tokenizer (lol_html), reading its
/// inline code on the way when `reader` is given: in a part (`own` is its
/// key), prefixes ids, moves headings one level down, drops what is
/// [`SITE_ONLY`] and marks the edges of `<main>`; everywhere, turns
/// internal hrefs into anchors and external ones into text. The result is
/// the page's bytes (UTF-8, as the page is): the parts of the editions are
/// hundreds of megabytes, not checked again on the way to the file.
fn rewrite(
    html: &[u8],
    reader: Option<&Reader>,
    own: Option<&str>,
    file: usize,
    editions: &Editions,
) -> Result<Vec<u8>, RewritingError> {
    // One handler for every element rather than a selector for each
    // attribute: the attributes of every element are read either way, and
    // on the pages of 10,000 sources lol_html's matching of five selector
    // lists cost a fifth more than a call for each element.
    let mut rewriter = Rewriter {
        html,
        own,
        file,
        editions,
        // A part is cut from its page's first `<main>` on: what comes
        // before (the head, the site's header) is read, for the page's
        // inline code, but not rewritten for nothing.
        main_seen: own.is_none(),
    };
    let mut settings = settings().append_element_content_handler(on(&EVERY_ELEMENT, |el| {
        let tag = start_tag_name(el, html);
        if let Some(reader) = reader {
            reader.element(el, tag);
        }
        rewriter.element(el, tag);
        Ok(())
    }));
    if let Some(reader) = reader {
        settings = reader.title_text_handler(settings);
    }
    rewrite_bytes(html, settings)
}

static EVERY_ELEMENT: LazyLock<Selector> = LazyLock::new(|| selector("*"));

/// The name of an element's start tag, as written: lol_html makes a new
/// `String` for each call of `tag_name`, which on every element of a large
/// dossier's pages is millions of allocations; the tokenizer's own record
/// of where the tag is names it without one.
fn start_tag_name<'a>(el: &Element, html: &'a [u8]) -> &'a [u8] {
    let tag = html.get(el.source_location().bytes()).unwrap_or_default();
    let name = tag.strip_prefix(b"<").unwrap_or_default();
    let end = name
        .iter()
        .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
        .unwrap_or(name.len());
    &name[..end]
}

/// The state of one page's rewrite.
struct Rewriter<'a> {
    html: &'a [u8],
    own: Option<&'a str>,
    file: usize,
    editions: &'a Editions,
    main_seen: bool,
}

/// The attributes a rewrite changes, as an element has them.
#[derive(Default)]
struct Found {
    href: Option<String>,
    ids: [Option<String>; ID_ATTRIBUTES.len()],
    site_only: bool,
}

impl Rewriter<'_> {
    fn element(&mut self, el: &mut Element, tag: &[u8]) {
        let found = self.found(el);
        if found.site_only {
            // Out of the part with all it holds, were it `<main>` itself
            // or around it.
            el.remove();
            return;
        }
        if !self.main_seen {
            if !tag.eq_ignore_ascii_case(b"main") {
                return;
            }
            // The part is the first `<main>`: a page has one that shows
            // (HTML), any other is hidden and stays out.
            self.main_seen = true;
            el.prepend(MAIN_EDGE, ContentType::Text);
            el.append(MAIN_EDGE, ContentType::Text);
        }
        if let Some(value) = found.href {
            self.link(el, tag, &value);
        }
        let Some(own) = self.own else {
            return;
        };
        if let Some(lower) = heading_below(tag) {
            // A valid name: it cannot fail.
            let _ = el.set_tag_name(lower);
        }
        for (name, value) in ID_ATTRIBUTES.iter().zip(&found.ids) {
            if let Some(value) = value {
                set(el, name, &prefixed_ids(own, value));
            }
        }
    }

    /// The element's attributes that matter, read in one walk over them
    /// (the first of a name counts, as in HTML), their names compared as
    /// the tokenizer found them.
    fn found(&self, el: &Element) -> Found {
        let mut found = Found::default();
        for attribute in el.attributes() {
            let name = attribute
                .name_source_location()
                .and_then(|at| self.html.get(at.bytes()))
                .unwrap_or_default();
            if name.eq_ignore_ascii_case(b"href") {
                found.href.get_or_insert_with(|| attribute.value());
            } else if name.eq_ignore_ascii_case(SITE_ONLY.as_bytes()) {
                found.site_only = self.own.is_some();
            } else if let Some(i) = ID_ATTRIBUTES
                .iter()
                .position(|id| name.eq_ignore_ascii_case(id.as_bytes()))
            {
                found.ids[i].get_or_insert_with(|| attribute.value());
            }
        }
        found
    }

    fn link(&self, el: &mut Element, tag: &[u8], value: &str) {
        let (file, editions) = (self.file, self.editions);
        if tag.eq_ignore_ascii_case(b"link") {
            // The head's links (the feed, the canonical address) load
            // nothing and are no part of the reading: they name the site's
            // file and address as written, from the edition's folder.
            set(el, "href", &value.replace(ROOT, &root_prefix(&editions.files[file])));
        } else if is_external(value) {
            // The file links only inside itself: the address stays, as
            // text the stylesheet shows after the words; `rel` needs an
            // `href`.
            el.remove_attribute("href");
            el.remove_attribute("rel");
            set(el, "data-href", value);
        } else {
            set(el, "href", &href(value, self.own, file, editions));
        }
    }
}

/// The pages are UTF-8 whatever their `<meta charset>` says.
fn settings<'h, 's>() -> Settings<'h, 's> {
    Settings::new()
        .with_adjust_charset_on_meta_tag(false)
        .with_encoding(AsciiCompatibleEncoding::utf_8())
}

/// `lol_html::rewrite_str`, without turning the output into a `String`.
fn rewrite_bytes(html: &[u8], settings: Settings<'_, '_>) -> Result<Vec<u8>, RewritingError> {
    let mut output = Vec::with_capacity(html.len());
    let mut rewriter = HtmlRewriter::new(settings, |chunk: &[u8]| output.extend_from_slice(chunk));
    rewriter.write(html)?;
    rewriter.end()?;
    Ok(output)
}

/// Sets an attribute whose name is one of this module's constants: valid,
/// so it cannot fail.
fn set(el: &mut Element, name: &str, value: &str) {
    let _ = el.set_attribute(name, value);
}

/// Each id of a space-separated list, prefixed with the part's key.
fn prefixed_ids(own: &str, ids: &str) -> String {
    let mut prefixed = String::with_capacity(ids.len() + 2 * (own.len() + 2));
    for id in ids.split_ascii_whitespace() {
        if !prefixed.is_empty() {
            prefixed.push(' ');
        }
        prefixed.extend([own, "--", id]);
    }
    prefixed
}

/// `h1`…`h5` one level down; `None` for any other tag (`h6` stays).
fn heading_below(tag: &[u8]) -> Option<&'static str> {
    const BELOW: [&str; 5] = ["h2", "h3", "h4", "h5", "h6"];
    match tag {
        [b'h' | b'H', d @ b'1'..=b'5'] => Some(BELOW[usize::from(d - b'1')]),
        _ => None,
    }
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
        .unwrap_or((0, "main", false));
    let mut link = String::with_capacity(value.len() + anchor.len());
    if target != file {
        link.push_str(&editions.files[target]);
    }
    link.extend(["#", anchor]);
    if exact && !fragment.is_empty() {
        link.extend(["--", fragment]);
    }
    link
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: Vec<u8>) -> String {
        String::from_utf8(bytes).unwrap()
    }

    fn part_text((part, _): (Part, InlineCode)) -> String {
        text(part.html().to_vec())
    }

    /// The page at `path` as a part of the first edition, as text.
    fn part_of(editions: &Editions, path: &str, page: &str) -> String {
        editions.part(0, path, page.as_bytes()).map(part_text).unwrap()
    }

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
            part_of(&editions, "sources/a.html", source),
            "<h2 id=\"sources-a--t\">Titre</h2><p id=\"sources-a--p3\"><a href=\"#sources-a--p3\">¶3</a> <a href=\"#secteurs-energie\">énergie</a> <a href=\"#chronologie\">2025</a> <a data-href=\"https://a.org\">a</a></p><section aria-labelledby=\"sources-a--t\"></section>"
        );
        assert_eq!(part_of(&editions, "secteurs/energie.html", sector), "<h3>Énergie</h3>");
    }

    #[test]
    fn reads_attributes_as_html_does_whatever_their_quotes() {
        let page = "<main><h6 id='t'>T</h6><a href='\u{FDD0}secteurs/energie.html' class=x>É</a><a href=https://a.org>a</a></main>";
        assert_eq!(
            part_of(&editions(&["secteurs/energie.html"]), "sources/a.html", page),
            "<h6 id=\"sources-a--t\">T</h6><a href=\"#secteurs-energie\" class=x>É</a><a data-href=\"https://a.org\">a</a>"
        );
    }

    /// Tags and attribute names are read as HTML reads them, whatever their
    /// case, and of two attributes of one name the first counts.
    #[test]
    fn reads_tags_and_attribute_names_in_any_case() {
        let page = "<MAIN><H1 ID=\"t\">T</H1><P Data-Site-Only>x</P><A HREF=\"#t\" href=\"#u\">t</A><Label For=\"t\">l</Label></MAIN>";
        assert_eq!(
            part_of(&editions(&[]), "sources/a.html", page),
            "<h2 ID=\"sources-a--t\">T</h2><A HREF=\"#sources-a--t\" href=\"#u\">t</A><Label For=\"sources-a--t\">l</Label>"
        );
    }

    /// What the theme keeps for the site stays out with all it holds, be
    /// it around `<main>`; a second, hidden `<main>` is no part of it.
    #[test]
    fn a_part_is_the_first_main_unless_the_site_keeps_it() {
        let part = |page: &str| part_of(&editions(&[]), "sources/a.html", page);
        assert_eq!(part("<div data-site-only><main><p id=a>x</p></main></div>"), "");
        assert_eq!(part("<main data-site-only><p id=a>x</p></main>"), "");
        assert_eq!(
            part("<main><p id=a>x</p></main><main hidden><p id=b>y</p></main>"),
            "<p id=\"sources-a--a\">x</p>"
        );
    }

    /// The inline code read on the way to a part is, once moved, what
    /// reading the page as written finds: the policy of a page in an
    /// edition is that of the page on its own.
    #[test]
    fn reads_the_pages_inline_code_on_the_way_to_its_part() {
        let page = "<!doctype html><meta charset=utf-8><title>A <b> \u{FDD0}</title><link rel=alternate href=\"\u{FDD0}feed.xml\"><style>p{color:red}</style><script>var root = \"\u{FDD0}\";</script><script type=application/ld+json>{}</script><main><a href=\"\u{FDD0}x.html\">x</a><details data-site-only><script>site()</script></details><script src=\"\u{FDD0}s.js\"></script></main><script>go(\"\u{FDD0}\")</script>";
        let editions = editions(&["x.html"]);
        for path in ["index.html", "sources/a.html", "secteurs/x/2024.html"] {
            let written = super::super::routes::resolve_root(page.as_bytes(), path);
            let (_, code) = editions.part(0, path, page.as_bytes()).unwrap();
            let alone = super::super::inline_code::scan(&written.html);
            assert_eq!(code.moved(&written.marks, written.grown), alone, "{path}");
            assert_eq!(alone.scripts.len(), 3, "{path}");
        }
    }

    #[test]
    fn parts_whose_paths_make_one_key_get_different_anchors() {
        let editions = Editions::new(
            vec!["dossier.html".into()],
            [
                ("index.html", Placement::In(0)),
                ("acteurs-2.html", Placement::In(0)),
                ("acteurs/2.html", Placement::In(0)),
                ("secteurs/a/2024.html", Placement::Like("secteurs/a.html".into())),
                ("secteurs/a-2024.html", Placement::In(0)),
            ]
            .map(|(path, placement)| (path.to_string(), placement))
            .into_iter(),
        );
        let anchors =
            ["index.html", "acteurs-2.html", "acteurs/2.html", "secteurs/a-2024.html"].map(|p| editions.anchor(p));
        assert_eq!(
            anchors,
            [
                Some("index"),
                Some("acteurs-2"),
                Some("acteurs-2_2"),
                Some("secteurs-a-2024")
            ]
        );
    }

    #[test]
    fn prefixes_each_id_of_a_list() {
        let page = "<main><p aria-describedby=\"n1  n2\" id=\"p1\">Un.</p><label for=\"\">x</label></main>";
        assert_eq!(
            part_of(&editions(&[]), "sources/a.html", page),
            "<p aria-describedby=\"sources-a--n1 sources-a--n2\" id=\"sources-a--p1\">Un.</p><label for=\"\">x</label>"
        );
    }

    #[test]
    fn leaves_out_what_the_theme_keeps_for_the_site() {
        let page =
            "<main><p id=\"p1\">Un.</p><details data-site-only><summary>Citer</summary><p>¶1</p></details></main>";
        assert_eq!(
            part_of(&editions(&[]), "sources/a.html", page),
            "<p id=\"sources-a--p1\">Un.</p>"
        );
    }

    #[test]
    fn keeps_the_frame_ids_and_rewrites_its_links() {
        let frame = "<a class=\"skip\" href=\"#main\">x</a><nav><a href=\"\u{FDD0}secteurs/energie.html\">É</a></nav><h1>D</h1>";
        assert_eq!(
            editions(&["secteurs/energie.html"])
                .frame(0, frame.as_bytes())
                .map(text)
                .unwrap(),
            "<a class=\"skip\" href=\"#main\">x</a><nav><a href=\"#secteurs-energie\">É</a></nav><h1>D</h1>"
        );
    }

    #[test]
    fn keeps_the_heads_feed_and_canonical_links_r15() {
        let frame = "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"\u{FDD0}feed.xml\" title=\"D\">\n<link rel=\"canonical\" href=\"https://a.org/d/dossier.html\"><a href=\"https://a.org\" rel=\"external\">a</a>";
        assert_eq!(
            editions(&[]).frame(0, frame.as_bytes()).map(text).unwrap(),
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
            editions
                .part(1, "sources/a.html", html.as_bytes())
                .map(part_text)
                .unwrap(),
            "<a href=\"dossier-2025.html#sources-b--p2\">b</a><a href=\"#sources-a--p1\">a</a><a href=\"dossier.html#sources\">2024</a><a href=\"dossier-2025.html#main\">2025</a><a href=\"dossier.html#index\">?</a>"
        );
    }
}
