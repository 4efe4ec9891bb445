//! Internal links in editorial Markdown: `source:slug#p7`, `sector:slug`,
//! `actor:slug`, `event:slug`, `page:slug` and `figure:slug`. Each is resolved to a
//! [`Target`] once, here; rendering turns targets into relative URLs. An
//! unknown target or paragraph is an error. Images are refused: a dossier's
//! pages load nothing from anywhere.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag};

use super::{Markdown, Owner, Target};
use crate::code::Code;
use crate::diagnostic::{Budget, Diagnostic};

pub const SCHEMES: &[&str] = &["source", "sector", "actor", "event", "page", "figure"];

/// Slug → id of everything a link can point to, and each source's number of
/// paragraphs. Sorted, so that a hint lists names in order without
/// sorting them for each mistake.
#[derive(Debug, Default)]
pub struct LinkTables {
    pub sources: BTreeMap<String, (usize, usize)>,
    pub sectors: BTreeMap<String, usize>,
    pub actors: BTreeMap<String, usize>,
    pub events: BTreeMap<String, usize>,
    pub pages: BTreeMap<String, usize>,
    pub figures: BTreeMap<String, usize>,
}

/// A link found in a text, and which paragraph it cites, for back-links.
pub type Citing = ((usize, usize), Owner);

/// Resolves the links of `md`, a text of the file `path`.
pub fn resolve(md: &mut Markdown, path: &Path, tables: &LinkTables, owner: Owner) -> (Vec<Citing>, Vec<Diagnostic>) {
    let mut citing = Vec::new();
    let mut diags = Vec::new();
    let base = md.at;
    let parser = Parser::new_ext(&md.text, crate::model::paragraph::markdown_options());
    let mut found = Vec::new();
    let mut depth = super::nesting::Depth::default();
    for (event, range) in parser.into_offset_iter() {
        if let Event::Start(tag) = &event
            && let Err(e) = depth.enter(tag, offset(base, &range))
        {
            diags.push(Diagnostic::error(e.code, path, e.span, e.message).with_help(e.help));
            return (Vec::new(), diags);
        }
        match event {
            Event::End(tag) => depth.leave(&tag),
            Event::Start(Tag::Link { dest_url, .. }) => found.push((dest_url.to_string(), range)),
            Event::Start(Tag::Heading { level, .. }) => {
                let level = level as u8;
                md.top_heading = Some(md.top_heading.map_or(level, |top| top.min(level)));
            }
            Event::Start(Tag::Image { .. }) => diags.push(
                Diagnostic::error(
                    Code::E0211,
                    path,
                    offset(base, &range),
                    "images are not supported in a dossier".into(),
                )
                .with_help(
                    "a dossier's pages load nothing, not even images; describe the image in words, or link to it",
                ),
            ),
            _ => {}
        }
    }
    let budget = Budget::default();
    for (dest, range) in found {
        match classify(&dest) {
            Destination::Relative | Destination::External => continue,
            Destination::Refused(scheme) => {
                diags.push(refused(path, offset(base, &range), &scheme));
                continue;
            }
            Destination::Internal => {}
        }
        match target(&dest, tables, &budget) {
            Ok(target) => {
                if let Target::Source(source, Some(p)) = target {
                    citing.push(((source, p), owner));
                }
                md.links.insert(dest, target);
            }
            Err(help) => diags.push(
                Diagnostic::error(
                    Code::E0210,
                    path,
                    offset(base, &range),
                    format!("the link target `{dest}` does not exist"),
                )
                .with_help(help)
                .about_target(dest.split('#').next().unwrap_or(&dest)),
            ),
        }
    }
    (citing, diags)
}

/// Where the things a link scheme names are written, for a hint.
fn written_in(scheme: &str) -> &'static str {
    match scheme {
        "source" => "in `seeds/` first (`dossier new source SLUG --original FILE` drafts one)",
        "sector" => "in `content/sectors/` first",
        "actor" => "in `content/actors/` first",
        "event" => "in `content/events/` first, or inline with `event=… title=… date=…`",
        "page" => "in `content/pages/` first",
        _ => "first, in an annotation `figure=… value=…`",
    }
}

/// Issue 12: profiles written before their sources gave 54 E0210, each
/// "no sources is defined yet". When the dossier defines nothing of a
/// kind, every link to that kind is one mistake: reported once, at the
/// first link, with how many there are. `defines_none(scheme)` says
/// whether nothing of that kind exists.
pub fn collapse_links_to_nothing(diags: &mut Vec<Diagnostic>, defines_none: impl Fn(&str) -> bool) {
    for scheme in SCHEMES.iter().copied().filter(|s| defines_none(s)) {
        let prefix = format!("{scheme}:");
        let to_nothing =
            |d: &Diagnostic| d.code == Code::E0210 && d.target.as_deref().is_some_and(|t| t.starts_with(&prefix));
        let count = diags.iter().filter(|d| to_nothing(d)).count();
        let Some(first) = diags
            .iter()
            .filter(|d| to_nothing(d))
            .min_by(|a, b| (&a.file, a.span.start).cmp(&(&b.file, b.span.start)))
            .cloned()
        else {
            continue;
        };
        diags.retain(|d| !to_nothing(d));
        let these = match count - 1 {
            0 => format!("this `{scheme}:` link leads"),
            1 => format!("this link and one other `{scheme}:` link lead"),
            n => format!("this link and {n} other `{scheme}:` links lead"),
        };
        let mut one = first;
        one.message = format!("{these} nowhere: the dossier has no {scheme} yet");
        one.help = Some(format!(
            "write the {scheme}s {}, or remove the links until then",
            written_in(scheme)
        ));
        diags.push(one);
    }
}

/// Where a link destination leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// A path relative to the page, or a fragment.
    Relative,
    /// `http:`, `https:` or `mailto:`.
    External,
    /// One of the dossier's own [`SCHEMES`].
    Internal,
    /// Any other scheme (`javascript:`, `data:`, `vbscript:`…), lower-cased.
    Refused(String),
}

/// Reads a destination's scheme as a browser would: leading spaces and
/// controls dropped, tabs and line breaks ignored, any case.
pub fn classify(dest: &str) -> Destination {
    let cleaned: String = dest
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let Some((scheme, _)) = cleaned.split_once(':') else {
        return Destination::Relative;
    };
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let scheme = scheme.to_ascii_lowercase();
    match scheme.as_str() {
        _ if !is_scheme => Destination::Relative,
        "http" | "https" | "mailto" => Destination::External,
        s if SCHEMES.contains(&s) => Destination::Internal,
        _ => Destination::Refused(scheme),
    }
}

/// The error for a link whose scheme is refused, at `span`.
pub fn refused(path: &Path, span: Range<usize>, scheme: &str) -> Diagnostic {
    Diagnostic::error(
        Code::E0213,
        path,
        span,
        format!("a `{scheme}:` link is not allowed"),
    )
    .with_help(format!(
        "links lead to `https:`, `http:` or `mailto:` addresses, relative paths, or the dossier's own pages ({}); a `javascript:` or `data:` link would run or embed code in the reader's browser",
        SCHEMES.iter().map(|s| format!("`{s}:`")).collect::<Vec<_>>().join(", ")
    ))
}

fn offset(base: usize, range: &Range<usize>) -> Range<usize> {
    base + range.start..base + range.end
}

/// Resolves one destination, or says what would have been right.
pub fn target(dest: &str, t: &LinkTables, budget: &Budget) -> Result<Target, String> {
    let (scheme, rest) = dest.split_once(':').unwrap_or(("", dest));
    let (slug, fragment) = rest.split_once('#').unwrap_or((rest, ""));
    let find = |table: &BTreeMap<String, usize>, what: &str| {
        table
            .get(slug)
            .copied()
            .ok_or_else(|| budget.suggestion(slug, what, table.keys().map(String::as_str)))
    };
    if !fragment.is_empty() && scheme != "source" {
        return Err(format!(
            "only `source:` links take a `#` fragment (`source:slug#p3`); write `{scheme}:{slug}`"
        ));
    }
    Ok(match scheme {
        "source" => {
            let &(id, count) = t
                .sources
                .get(slug)
                .ok_or_else(|| budget.suggestion(slug, "source", t.sources.keys().map(String::as_str)))?;
            Target::Source(id, paragraph(fragment, count)?)
        }
        "sector" => Target::Sector(find(&t.sectors, "sector")?),
        "actor" => Target::Actor(find(&t.actors, "actor")?),
        "event" => Target::Event(find(&t.events, "event")?),
        "page" => Target::Page(find(&t.pages, "page")?),
        "figure" => Target::Figure(find(&t.figures, "figure")?),
        _ => return Err(format!("link schemes are {}", SCHEMES.join(", "))),
    })
}

fn paragraph(fragment: &str, count: usize) -> Result<Option<usize>, String> {
    if fragment.is_empty() {
        return Ok(None);
    }
    match fragment.strip_prefix('p').and_then(|n| n.parse::<usize>().ok()) {
        Some(n) if (1..=count).contains(&n) => Ok(Some(n)),
        Some(n) => Err(format!(
            "¶{n} does not exist: the source has {count} paragraphs (¶1 to ¶{count})"
        )),
        None => Err(format!(
            "cite a paragraph as `#p3` (¶3); the source has {count} paragraphs"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables() -> LinkTables {
        let mut t = LinkTables::default();
        t.sources.insert("article".into(), (0, 12));
        t.sectors.insert("energie".into(), 3);
        t.events.insert("visite".into(), 1);
        t
    }

    /// Issue 12: 54 links to sources written before any source, one
    /// message; links of kinds that exist are still reported one by one.
    #[test]
    fn collapses_the_links_to_a_kind_the_dossier_has_none_of() {
        let link = |file: &str, at: usize, dest: &str| {
            Diagnostic::error(
                Code::E0210,
                Path::new(file),
                at..at + 5,
                format!("the link target `{dest}` does not exist"),
            )
            .about_target(dest.split('#').next().unwrap())
        };
        let mut diags = vec![
            link("content/b.md", 3, "source:x#p1"),
            link("content/a.md", 9, "source:y"),
            link("content/a.md", 20, "sector:nope"),
            link("content/c.md", 1, "source:x#p2"),
        ];
        collapse_links_to_nothing(&mut diags, |scheme| scheme == "source");
        assert_eq!(diags.len(), 2, "{diags:?}");
        let one = diags.iter().find(|d| d.target.as_deref() == Some("source:y")).unwrap();
        assert_eq!(
            one.message,
            "this link and 2 other `source:` links lead nowhere: the dossier has no source yet"
        );
        assert!(one.help.as_deref().unwrap().contains("`seeds/`"));
        assert!(diags.iter().any(|d| d.target.as_deref() == Some("sector:nope")));
    }

    #[test]
    fn classifies_destinations_as_a_browser_reads_them() {
        use Destination::*;
        let cases = [
            ("https://a.org", External),
            ("HTTP://a.org", External),
            ("mailto:a@b.c", External),
            ("a@b.c", Relative),
            ("../x.html#p3", Relative),
            ("./a:b", Relative),
            ("#top", Relative),
            ("source:article#p7", Internal),
            ("javascript:alert(1)", Refused("javascript".into())),
            (" \u{1}JaVa\tScRipt:alert(1)", Refused("javascript".into())),
            ("data:text/html,<b>", Refused("data".into())),
            ("vbscript:x", Refused("vbscript".into())),
            ("ftp://a.org", Refused("ftp".into())),
        ];
        for (dest, expected) in cases {
            assert_eq!(classify(dest), expected, "{dest:?}");
        }
    }

    #[test]
    fn resolves_every_scheme() {
        let (t, b) = (tables(), Budget::default());
        assert_eq!(target("source:article#p7", &t, &b), Ok(Target::Source(0, Some(7))));
        assert_eq!(target("source:article", &t, &b), Ok(Target::Source(0, None)));
        assert_eq!(target("sector:energie", &t, &b), Ok(Target::Sector(3)));
        assert_eq!(target("event:visite", &t, &b), Ok(Target::Event(1)));
    }

    #[test]
    fn explains_bad_targets() {
        let (t, b) = (tables(), Budget::default());
        assert!(
            target("source:article#p13", &t, &b)
                .unwrap_err()
                .contains("12 paragraphs")
        );
        assert!(target("source:article#7", &t, &b).unwrap_err().contains("#p3"));
        assert!(target("sector:energy", &t, &b).unwrap_err().contains("energie"));
        assert!(target("sector:energie#p2", &t, &b).unwrap_err().contains("fragment"));
    }

    #[test]
    fn collects_links_and_citations_with_places() {
        let mut md = Markdown {
            text: "Voir [¶7](source:article#p7), [x](https://a.org) et [y](actor:nobody).".into(),
            at: 100,
            ..Markdown::default()
        };
        let (citing, diags) = resolve(&mut md, Path::new("content/pages/a.md"), &tables(), Owner::Page(0));
        assert_eq!(citing, vec![((0, 7), Owner::Page(0))]);
        assert_eq!(md.links.len(), 1);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, Code::E0210);
        assert_eq!(diags[0].span.start, 100 + md.text.find("[y]").unwrap());
    }
}
