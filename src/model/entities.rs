//! Validation of the editorial files: the configuration, sectors, actors,
//! pages and event files. Each becomes a model value and a slug → id entry;
//! each problem becomes a diagnostic pointing at the field in the file.

use std::ops::Range;
use std::path::Path;

use rustc_hash::FxHashMap;

use super::date::EdtfDate;
use super::sector_color::{Stylesheet, check_color, unreadable_in_dark_mode};
use super::{Actor, ActorKind, Config, Markdown, Page, Sector};
use crate::code::Code;
use crate::diagnostic::{Budget, Diagnostic};
use crate::load::{CONFIG_PATH, Document, Inputs, RawEvent};
use crate::slug;
use crate::span::{field_span, item_span};

pub const EVENT_KINDS: &[&str] = &[
    "visit",
    "summit",
    "meeting",
    "conference",
    "agreement",
    "delivery",
    "donation",
    "appointment",
    "statement",
    "other",
];
pub const STATUSES: &[&str] = &["planned", "announced", "signed", "in force"];
pub const SOURCE_KINDS: &[&str] = &["article", "communique", "interview", "speech", "report", "other"];

/// The kinds the engine knows, which the theme labels; any other slug is
/// a dossier's own kind, shown as written.
pub struct Vocabulary {
    pub known: &'static [&'static str],
    /// `source kind`, `event kind`.
    pub what: &'static str,
    /// The error for a kind that is not a slug.
    pub code: Code,
}

pub const SOURCE_VOCABULARY: Vocabulary = Vocabulary {
    known: SOURCE_KINDS,
    what: "source kind",
    code: Code::E0209,
};

pub const EVENT_VOCABULARY: Vocabulary = Vocabulary {
    known: EVENT_KINDS,
    what: "event kind",
    code: Code::E0207,
};

/// A kind is open: a known one, or any slug. A slug close to a known kind
/// is likely a typo and gets a warning with the known kind; any other is
/// the dossier's own word, accepted as it is.
pub fn check_kind(value: &str, vocabulary: &Vocabulary, path: &Path, span: Range<usize>) -> Option<Diagnostic> {
    let Vocabulary { known, what, code } = vocabulary;
    if known.contains(&value) {
        return None;
    }
    if !slug::is_valid(value) {
        let slug = slug::suggest(value);
        return Some(
            Diagnostic::error(*code, path, span, format!("`{value}` cannot be used as a {what}")).with_help(format!(
                "a kind is a slug (lower-case ASCII letters, digits and hyphens): `{slug}`; the theme labels {}",
                known.join(", ")
            )),
        );
    }
    let best = crate::diagnostic::did_you_mean(value, known.iter().copied())?;
    Some(
        Diagnostic::warning(Code::W0106, path, span, format!("`{value}` is not a known {what}")).with_help(format!(
            "did you mean `{best}`? A {what} of your own is shown as written; the known ones are labelled by the theme: {}",
            known.join(", ")
        )),
    )
}

/// Slug → index of each table, for resolving references in O(1).
#[derive(Debug, Default)]
pub struct Names {
    pub sectors: FxHashMap<String, usize>,
    pub actors: FxHashMap<String, usize>,
    /// Slugs in table order, for suggestions.
    pub sector_slugs: Vec<String>,
    pub actor_slugs: Vec<String>,
}

pub fn config(inputs: &Inputs, names: &Names, diags: &mut Vec<Diagnostic>) -> Option<Config> {
    let (file, raw) = inputs.config.as_ref()?;
    let yaml = 0..file.text.len();
    let path = Path::new(CONFIG_PATH);
    let mut parties = Vec::new();
    let budget = Budget::default();
    let actors = Lookup::actors(names, &budget);
    for party in &raw.parties {
        match actors.find(party, path, item_span(&file.text, &yaml, "parties", party)) {
            Ok(id) => parties.push(id),
            Err(d) => diags.push(d),
        }
    }
    if let [first, second] = raw.parties.as_slice()
        && first == second
    {
        diags.push(
            Diagnostic::error(
                Code::E0203,
                path,
                field_span(&file.text, &yaml, "parties"),
                format!("`{first}` is listed twice in `parties`"),
            )
            .with_help("a dossier is about two different parties: `parties: [first-actor, second-actor]`"),
        );
    }
    if raw.parties.len() != 2 {
        diags.push(
            Diagnostic::error(
                Code::E0204,
                path,
                field_span(&file.text, &yaml, "parties"),
                format!("a dossier is about two parties, but {} are listed", raw.parties.len()),
            )
            .with_help("write `parties: [first-actor, second-actor]` with two actor slugs"),
        );
    }
    if let Some(url) = &raw.base_url
        && !is_web_address(url)
    {
        diags.push(
            Diagnostic::error(
                Code::E0214,
                path,
                field_span(&file.text, &yaml, "base_url"),
                format!("`base_url` must be an `https:` or `http:` address, not `{url}`"),
            )
            .with_help("write the address the site is published at, e.g. `base_url: \"https://example.org/dossier/\"`"),
        );
    }
    Some(Config {
        title: raw.title.clone(),
        subtitle: raw.subtitle.clone(),
        description: raw.description.clone(),
        language: raw.language.clone(),
        parties,
        key_figures: Vec::new(),
        base_url: raw.base_url.clone(),
        allow_html: raw.allow_html.unwrap_or(false),
        one_file: raw.one_file.unwrap_or(true),
    })
}

/// The figures `dossier.yaml` lists as key, once figures are known.
pub fn key_figures(inputs: &Inputs, figures: &[crate::model::Figure], diags: &mut Vec<Diagnostic>) -> Vec<usize> {
    let Some((file, raw)) = inputs.config.as_ref() else {
        return Vec::new();
    };
    let table: FxHashMap<&str, usize> = figures.iter().enumerate().map(|(i, f)| (f.slug.as_str(), i)).collect();
    let mut out = Vec::new();
    for slug in &raw.key_figures {
        match table.get(slug.as_str()) {
            Some(&i) if !out.contains(&i) => out.push(i),
            Some(_) => {}
            None => {
                let span = item_span(&file.text, &(0..file.text.len()), "key_figures", slug);
                let help = match crate::diagnostic::did_you_mean(slug, figures.iter().map(|f| f.slug.as_str())) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => "list the slugs of figures that annotations define with `figure=slug value=…`".to_string(),
                };
                diags.push(
                    Diagnostic::error(
                        Code::E0307,
                        Path::new(CONFIG_PATH),
                        span,
                        format!("unknown figure `{slug}` in `key_figures`"),
                    )
                    .with_help(help),
                );
            }
        }
    }
    out
}

/// An `http(s)://host…` address without spaces, controls or characters
/// that would end an attribute or a tag.
pub fn is_web_address(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = match () {
        _ if lower.starts_with("https://") => &url[8..],
        _ if lower.starts_with("http://") => &url[7..],
        _ => return false,
    };
    let clean = |c: char| !(c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`'));
    !rest.is_empty() && !rest.starts_with('/') && url.chars().all(clean)
}

/// An "unknown X" error with a did-you-mean over `known`, while `budget`
/// lasts.
pub fn unknown(path: &Path, span: Range<usize>, lookup: &Lookup, slug: &str) -> Diagnostic {
    let what = lookup.what;
    Diagnostic::error(lookup.code, path, span, format!("unknown {what} `{slug}`")).with_help(lookup.budget.suggestion(
        slug,
        what,
        lookup.known.iter().map(String::as_str),
    ))
}

/// The documents whose slug is valid; the others are reported.
fn valid<'a, T>(docs: &'a [Document<T>], diags: &mut Vec<Diagnostic>) -> Vec<&'a Document<T>> {
    docs.iter().filter(|doc| check_slug(doc, diags)).collect()
}

/// Checks a file's slug; returns whether it is usable.
pub fn check_slug<T>(doc: &Document<T>, diags: &mut Vec<Diagnostic>) -> bool {
    if slug::is_valid(&doc.slug) {
        return true;
    }
    diags.push(
        Diagnostic::error(
            Code::E0200,
            &doc.path,
            0..0,
            format!("`{}` cannot be used as a slug", doc.slug),
        )
        .with_help(format!(
            "file names are slugs: lower-case ASCII letters, digits and hyphens; rename the file to `{}.md`",
            slug::suggest(&doc.slug)
        )),
    );
    false
}

pub fn sectors(inputs: &Inputs, diags: &mut Vec<Diagnostic>) -> Vec<Sector> {
    let stylesheet = Stylesheet::of(inputs);
    let backgrounds = super::color::backgrounds(stylesheet.as_ref().map(|s| s.text.as_str()));
    let mut sectors: Vec<Sector> = valid(&inputs.sectors, diags)
        .into_iter()
        .map(|doc| {
            let color = doc.front.color.trim().to_ascii_lowercase();
            let dark_color = check_color(doc, &color, &backgrounds, diags);
            Sector {
                slug: doc.slug.clone(),
                title: doc.front.title.clone(),
                order: doc.front.order,
                color,
                dark_color,
                summary: doc.front.summary.clone(),
                intro: markdown(doc.body(), doc.body.start),
                path: doc.path.clone(),
            }
        })
        .collect();
    sectors.sort_by(|a, b| (a.order, &a.slug).cmp(&(b.order, &b.slug)));
    diags.extend(unreadable_in_dark_mode(&sectors, &backgrounds, stylesheet.as_ref()));
    sectors
}

pub fn actors(inputs: &Inputs, diags: &mut Vec<Diagnostic>) -> Vec<Actor> {
    valid(&inputs.actors, diags)
        .into_iter()
        .map(|doc| {
            let kind = ActorKind::ALL
                .into_iter()
                .find(|k| k.as_str() == doc.front.kind)
                .unwrap_or_else(|| {
                    diags.push(not_one_of(
                        Code::E0206,
                        &doc.path,
                        field_span(&doc.text, &doc.yaml, "kind"),
                        "actor kind",
                        &doc.front.kind,
                        &ActorKind::ALL.map(ActorKind::as_str),
                    ));
                    ActorKind::Organisation
                });
            Actor {
                slug: doc.slug.clone(),
                name: doc.front.name.clone(),
                kind,
                country: None,
                role: doc.front.role.clone(),
                aliases: doc.front.aliases.clone(),
                profile: markdown(doc.body(), doc.body.start),
                path: doc.path.clone(),
            }
        })
        .collect()
}

/// Resolves each actor's `country`, an actor slug, once every actor is
/// known; a name written instead of the slug gets the slug in the hint.
pub fn countries(inputs: &Inputs, names: &Names, actors: &mut [Actor], diags: &mut Vec<Diagnostic>) {
    let budget = Budget::default();
    let lookup = Lookup::actors(names, &budget);
    for doc in &inputs.actors {
        let (Some(country), Some(&id)) = (&doc.front.country, names.actors.get(&doc.slug)) else {
            continue;
        };
        let span = field_span(&doc.text, &doc.yaml, "country");
        match lookup.find(country, &doc.path, span) {
            Ok(country) => actors[id].country = Some(country),
            Err(d) => diags.push(match slug::suggest(country) {
                slug if names.actors.contains_key(&slug) => d.with_help(format!(
                    "`country` is the slug of an actor of the dossier (a state): write `country: {slug}`"
                )),
                _ => d,
            }),
        }
    }
}

pub fn not_one_of(
    code: Code,
    path: &Path,
    span: Range<usize>,
    what: &str,
    value: &str,
    allowed: &[&str],
) -> Diagnostic {
    Diagnostic::error(code, path, span, format!("`{value}` is not a known {what}")).with_help(
        match crate::diagnostic::did_you_mean(value, allowed.iter().copied()) {
            Some(best) => format!("did you mean `{best}`? (one of: {})", allowed.join(", ")),
            None => format!("use one of: {}", allowed.join(", ")),
        },
    )
}

pub fn pages(inputs: &Inputs, diags: &mut Vec<Diagnostic>) -> Vec<Page> {
    let mut pages: Vec<Page> = valid(&inputs.pages, diags)
        .into_iter()
        .map(|doc| Page {
            slug: doc.slug.clone(),
            title: doc.front.title.clone(),
            order: doc.front.order.unwrap_or(0),
            body: markdown(doc.body(), doc.body.start),
            path: doc.path.clone(),
        })
        .collect();
    pages.sort_by(|a, b| (a.order, &a.slug).cmp(&(b.order, &b.slug)));
    pages
}

pub fn markdown(text: &str, at: usize) -> Markdown {
    Markdown {
        text: text.to_string(),
        at,
        links: Default::default(),
        in_source: false,
        top_heading: None,
    }
}

/// Builds the slug tables once the tables are sorted.
pub fn names(sectors: &[Sector], actors: &[Actor]) -> Names {
    let index = |slugs: Vec<&String>| -> FxHashMap<String, usize> {
        slugs.into_iter().enumerate().map(|(i, s)| (s.clone(), i)).collect()
    };
    Names {
        sectors: index(sectors.iter().map(|s| &s.slug).collect()),
        actors: index(actors.iter().map(|a| &a.slug).collect()),
        sector_slugs: sectors.iter().map(|s| s.slug.clone()).collect(),
        actor_slugs: actors.iter().map(|a| a.slug.clone()).collect(),
    }
}

/// A front-matter field's file, for placing diagnostics.
pub struct Place<'a> {
    pub text: &'a str,
    pub yaml: &'a Range<usize>,
    pub path: &'a Path,
}

impl<'a> Place<'a> {
    pub fn of<T>(doc: &'a Document<T>) -> Self {
        Place {
            text: &doc.text,
            yaml: &doc.yaml,
            path: &doc.path,
        }
    }
}

/// A table to resolve slugs in, and how to report a miss.
pub struct Lookup<'a> {
    pub table: &'a FxHashMap<String, usize>,
    pub known: &'a [String],
    pub what: &'static str,
    pub code: Code,
    /// The did-you-mean searches left to the file being checked.
    pub budget: &'a Budget,
}

impl<'a> Lookup<'a> {
    pub fn sectors(names: &'a Names, budget: &'a Budget) -> Self {
        Lookup {
            table: &names.sectors,
            known: &names.sector_slugs,
            what: "sector",
            code: Code::E0201,
            budget,
        }
    }

    pub fn actors(names: &'a Names, budget: &'a Budget) -> Self {
        Lookup {
            table: &names.actors,
            known: &names.actor_slugs,
            what: "actor",
            code: Code::E0202,
            budget,
        }
    }

    /// The id of `slug`, or an "unknown" diagnostic placed at `span`.
    pub fn find(&self, slug: &str, path: &Path, span: Range<usize>) -> Result<usize, Diagnostic> {
        self.table
            .get(slug)
            .copied()
            .ok_or_else(|| unknown(path, span, self, slug).about_target(format!("{}:{slug}", self.what)))
    }

    /// The sorted, distinct ids of `slugs`; each miss is reported at the
    /// place `span_of` gives for it.
    pub fn resolve_all<'s>(
        &self,
        slugs: impl IntoIterator<Item = &'s str>,
        path: &Path,
        span_of: impl Fn(&str) -> Range<usize>,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<usize> {
        let mut ids: Vec<usize> = slugs
            .into_iter()
            .filter_map(|s| self.find(s, path, span_of(s)).map_err(|d| diags.push(d)).ok())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// Resolves a list of slugs written in a front-matter field; sorted ids.
pub fn resolve_list(
    place: &Place,
    key: &str,
    slugs: &[String],
    lookup: &Lookup,
    diags: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    let span_of = |s: &str| item_span(place.text, place.yaml, key, s);
    lookup.resolve_all(slugs.iter().map(String::as_str), place.path, span_of, diags)
}

/// An event defined in `content/events/`, before citations are attached.
#[derive(Debug, Clone)]
pub struct EventFile {
    pub slug: String,
    pub title: String,
    pub date: Option<EdtfDate>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub sectors: Vec<usize>,
    pub actors: Vec<usize>,
    pub description: Markdown,
    pub path: std::path::PathBuf,
}

pub fn event_files(inputs: &Inputs, names: &Names, diags: &mut Vec<Diagnostic>) -> Vec<EventFile> {
    valid(&inputs.events, diags)
        .into_iter()
        .map(|doc| event_file(doc, names, diags))
        .collect()
}

fn event_file(doc: &Document<RawEvent>, names: &Names, diags: &mut Vec<Diagnostic>) -> EventFile {
    let f = &doc.front;
    let span_of = |key: &str| field_span(&doc.text, &doc.yaml, key);
    let date = match EdtfDate::parse(&f.date) {
        Ok(d) => Some(d),
        Err(e) => {
            let span = span_of("date");
            let at = value_offset(&doc.text, &span, e.at);
            diags
                .push(Diagnostic::error(Code::E0300, &doc.path, at..span.end.max(at + 1), e.message).with_help(e.help));
            None
        }
    };
    if let Some(kind) = &f.kind {
        diags.extend(check_kind(kind, &EVENT_VOCABULARY, &doc.path, span_of("kind")));
    }
    check_choice(
        f.status.as_deref(),
        STATUSES,
        "status",
        Code::E0208,
        &doc.path,
        span_of("status"),
        diags,
    );
    let place = Place::of(doc);
    let budget = Budget::default();
    EventFile {
        slug: doc.slug.clone(),
        title: f.title.clone(),
        date,
        kind: f.kind.clone(),
        status: f.status.clone(),
        sectors: resolve_list(&place, "sectors", &f.sectors, &Lookup::sectors(names, &budget), diags),
        actors: resolve_list(&place, "actors", &f.actors, &Lookup::actors(names, &budget), diags),
        description: markdown(doc.body(), doc.body.start),
        path: doc.path.clone(),
    }
}

/// The file offset of byte `at` of a value whose span is `span`, allowing for
/// quotes around it.
pub fn value_offset(text: &str, span: &Range<usize>, at: usize) -> usize {
    let quoted = text[span.clone()].starts_with(['"', '\'']);
    (span.start + at + usize::from(quoted)).min(span.end)
}

pub fn check_choice(
    value: Option<&str>,
    allowed: &[&str],
    what: &str,
    code: Code,
    path: &Path,
    span: Range<usize>,
    diags: &mut Vec<Diagnostic>,
) {
    if let Some(v) = value
        && !allowed.contains(&v)
    {
        diags.push(not_one_of(code, path, span, what, v, allowed));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_web_addresses() {
        for ok in ["https://example.org/", "http://a.b/c/", "HTTPS://EXAMPLE.ORG"] {
            assert!(is_web_address(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)//",
            "https://",
            "https:///x",
            "ftp://a",
            "https://a b",
            "https://a\"onload=x",
            "/site/",
        ] {
            assert!(!is_web_address(bad), "{bad}");
        }
    }

    #[test]
    fn kinds_are_open_slugs_with_near_misses_warned() {
        let path = Path::new("seeds/s.md");
        let outcome = |kind: &str| check_kind(kind, &SOURCE_VOCABULARY, path, 0..0).map(|d| (d.code, d.severity));
        assert_eq!(outcome("communique"), None);
        assert_eq!(outcome("analysis"), None, "a kind of the dossier's own");
        assert_eq!(
            outcome("comunique"),
            Some((Code::W0106, crate::diagnostic::Severity::Warning))
        );
        assert_eq!(
            outcome("Analysis piece"),
            Some((Code::E0209, crate::diagnostic::Severity::Error))
        );
        let event = check_kind("meting", &EVENT_VOCABULARY, path, 0..0).unwrap();
        assert_eq!(event.message, "`meting` is not a known event kind");
        assert!(event.help.unwrap().starts_with("did you mean `meeting`?"));
    }
}
