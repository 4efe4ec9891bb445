//! Stage 3, *render*: from the [`Dossier`] and the theme to the site's
//! files, in memory. Shared fragments (source paragraphs, events, passages)
//! are rendered once; then every page is rendered in parallel with a small
//! context of its own, while site-wide values live in Tera's global context.
//! Pages come out with relative links only and the CSS inlined.

mod context;
mod data;
pub mod dates;
mod direction;
mod handlers;
mod html;
pub mod i18n;
pub mod inline_code;
mod layout;
mod lists;
mod onefile;
mod page_menu;
mod pages;
mod parts;
mod passage;
mod passages;
pub mod plural;
pub mod routes;
mod search;
pub mod split;
mod svg;
pub mod typography;

use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::load::Theme;
use crate::marker::PART;
use crate::model::Dossier;
use context::{SiteView, Views};
use html::Renderer;
use i18n::I18n;
use inline_code::InlineCode;
use pages::PageKind;
use routes::Routes;

/// A stylesheet or a script that many pages carry inline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asset {
    Style,
    Script,
}

/// Where the render stage puts the site's files as it makes them, from any
/// thread: the site is never held in memory whole. Paths are relative to
/// the site's root; pages come complete, their links relative. The
/// provided methods keep no page: a sink that only looks at the data files
/// (`check`, tests) implements [`Sink::file`] alone.
pub trait Sink: Sync {
    /// How many pages are coming (for a progress bar).
    fn expect_pages(&self, _pages: usize) {}
    /// A stylesheet or script as the pages will carry it (the writer
    /// minifies it here, once, for every page).
    fn shared_asset(&self, _kind: Asset, text: &str) -> String {
        text.to_string()
    }
    /// A finished page, with its inline code when the render stage read
    /// it already (a page that is also a part of a one-file edition).
    fn page(&self, _path: &str, _html: &[u8], _code: Option<&InlineCode>) -> anyhow::Result<()> {
        Ok(())
    }
    /// Puts a part of a one-file edition aside until its edition is
    /// written (the writer keeps it on disk: the editions of 100,000
    /// sources would hold gigabytes in memory).
    fn stash(&self, _part: &[u8]) -> anyhow::Result<Stashed> {
        Ok(Stashed::default())
    }
    /// A page made of a frame and parts: each [`PART`] mark of the frame
    /// stands for the next stashed part (so that a one-file edition of
    /// many megabytes is never held whole).
    fn page_with_parts(&self, _path: &str, _frame: &[u8], _parts: &[Stashed]) -> anyhow::Result<()> {
        Ok(())
    }
    /// Any other file, written as `produce` makes it.
    fn file(
        &self,
        path: &str,
        produce: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()>;
}

/// Where [`Sink::stash`] put a part: plain data for the sink that made it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stashed {
    pub offset: u64,
    pub len: u64,
}

/// A sink that keeps nothing: `check` renders every page to find what
/// `build` would refuse, and throws the pages away.
pub struct Discard;

impl Sink for Discard {
    fn file(
        &self,
        _: &str,
        produce: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        Ok(produce(&mut std::io::sink())?)
    }
}

/// Why rendering stopped.
#[derive(Debug)]
pub enum RenderError {
    /// The theme cannot render the dossier (a template error, a clash).
    Content(Vec<Diagnostic>),
    /// The sink could not keep a file.
    Output(anyhow::Error),
}

/// Renders every file of the site into `sink`, pages in parallel.
pub fn render(d: &Dossier, theme: &Theme, sink: &dyn Sink) -> Result<(), RenderError> {
    render_some(d, theme, sink, None)
}

/// Renders only the pages at `paths` (relative to the site's root) into
/// `sink`: no data file, no one-file edition. Each page is the one
/// [`render`] makes (`serve` shows the pages open in a browser first).
pub fn render_pages(d: &Dossier, theme: &Theme, sink: &dyn Sink, paths: &[String]) -> Result<(), RenderError> {
    render_some(d, theme, sink, Some(paths))
}

fn render_some(d: &Dossier, theme: &Theme, sink: &dyn Sink, only: Option<&[String]>) -> Result<(), RenderError> {
    let content = RenderError::Content;
    let i18n = theme.i18n(&d.config.language).map_err(content)?;
    let layout = layout::Layout::new(d);
    let routes = routes_of(d, &layout, &i18n);
    check_page_slugs(d, &routes).map_err(content)?;
    let mut tera = templates(theme, &i18n).map_err(content)?;
    let r = Renderer {
        dossier: d,
        routes: &routes,
        i18n: &i18n,
    };
    let kinds = PageKind::all(d, &layout);
    let paths: Vec<String> = kinds.iter().map(|k| k.path(d, &layout, &routes)).collect();
    let plan = pages::EditionPlan::new(d, &layout);
    let placements: Vec<onefile::Placement> = kinds.iter().map(|k| k.placement(d, &layout, &routes, &plan)).collect();
    let editions = onefile::Editions::new(
        plan.files(&routes.names.undated, &routes.names.actors),
        paths.iter().cloned().zip(placements.iter().cloned()),
    );
    let mut edition_labels = vec![d.config.title.clone()];
    edition_labels.extend(plan.periods().iter().map(|p| parts::label(&r, p)));
    let actors = i18n.strings.get("actors").unwrap_or(&routes.names.actors);
    edition_labels.extend((0..plan.actor_editions()).map(|k| match k {
        0 => actors.clone(),
        _ => format!("{actors} ({})", k + 1),
    }));
    let described = data::Exporter {
        dossier: d,
        routes: &routes,
        i18n: &i18n,
        pages: Vec::new(),
    };
    let events_by_page = data::events_by_page(&described);
    // The editions written: none when the dossier has them off, none when
    // only some pages are shown.
    let edition_files: &[String] = match (d.config.one_file, only) {
        (true, None) => &editions.files,
        _ => &[],
    };
    let writes_editions = !edition_files.is_empty();
    let mut site_pages: Vec<String> = paths.iter().filter(|p| *p != "404.html").cloned().collect();
    site_pages.extend(edition_files.iter().cloned());
    site_pages.sort();
    let exporter = data::Exporter {
        dossier: d,
        routes: &routes,
        i18n: &i18n,
        pages: site_pages,
    };
    // The exports (a few large files, each written by one thread) go
    // alongside the search index and the pages rather than after them, to
    // keep both cores busy. Once the sink fails (a full disk, or serve's
    // write given up for a newer edit), the pages left are not rendered:
    // its error is the outcome.
    let sink_failed = std::sync::atomic::AtomicBool::new(false);
    let to_sink = |e: anyhow::Error| {
        sink_failed.store(true, std::sync::atomic::Ordering::Relaxed);
        RenderError::Output(e)
    };
    let mut write_pages = || -> Result<(), RenderError> {
        // First: the index's postings (the size of the text) are the
        // render stage's largest transient memory, over before the pages'
        // views exist; each shard is written as soon as it is made. Only
        // the search page carries the index's data: the pages shown first
        // need it only when the search page is one of them, and write no
        // shard.
        let write_shard = |path: &str, contents: &str| sink.file(path, &mut |w| w.write_all(contents.as_bytes()));
        let search_data = match only {
            Some(paths) if !paths.iter().any(|p| *p == routes.search()) => String::new(),
            Some(_) => search::index(d, &routes, &i18n, &|_, _| Ok(())).map_err(RenderError::Output)?,
            None => search::index(d, &routes, &i18n, &write_shard).map_err(RenderError::Output)?,
        };
        let views = Views::build(&r);
        let site = site_view(d, theme, &routes, &i18n, sink);
        tera.global_context().insert("site", &site);
        tera.global_context().insert("t", &i18n.strings);
        let ctx = lists::Ctx {
            r: &r,
            v: &views,
            layout: &layout,
            search_data: &search_data,
            overview: &svg::overview(&r, &views, &layout),
        };
        // Announced once the index is made: a bar of pages that shows
        // none written, and no time left, while the index is made says
        // nothing true.
        sink.expect_pages(paths.len() + edition_files.len());
        let rendered: Vec<Result<Option<EditionPart>, RenderError>> = kinds
            .par_iter()
            .zip(&paths)
            .zip(&placements)
            // rayon splits a range only as far as its idle threads ask, then
            // runs each piece to its end: one piece of a few hundred pages
            // kept one core busy for the last tenths of a second while the
            // other waited. Short pieces can be stolen until the end.
            .with_max_len(PAGES_PER_PIECE)
            .filter(|((_, path), _)| only.is_none_or(|only| only.contains(path)))
            .map(|((kind, path), placement)| {
                if sink_failed.load(std::sync::atomic::Ordering::Relaxed) {
                    return Ok(None);
                }
                let page = pages::build(kind, path.clone(), &ctx);
                let page = page.with("json_ld", &structured_data(&described, &events_by_page, kind, path));
                let title = page.title.clone();
                let html = page.render(&tera, theme).map_err(|e| content(vec![e]))?;
                let written = routes::resolve_root(&html, path);
                let (onefile::Placement::In(file), true) = (placement, writes_editions) else {
                    sink.page(path, &written.html, None).map_err(to_sink)?;
                    return Ok(None);
                };
                let file = *file;
                // The page is read once: its inline code on the way to
                // its part, moved to where the page as written has it.
                let (part, code) = editions
                    .part(file, path, &html)
                    .map_err(|e| RenderError::Output(e.into()))?;
                let code = code.moved(&written.marks, written.grown);
                sink.page(path, &written.html, Some(&code)).map_err(to_sink)?;
                let stashed = sink.stash(part.html()).map_err(to_sink)?;
                let part = pages::Part {
                    key: editions.anchor(path).unwrap_or_default().to_string(),
                    title,
                    html: PART.to_string(),
                };
                Ok(Some((file, part, stashed)))
            })
            .collect();
        let parts = collect_parts(rendered)?;
        if !writes_editions {
            return Ok(());
        }
        let one_file = OneFile {
            editions: &editions,
            labels: &edition_labels,
            tera: &tera,
            theme,
            title: &d.config.title,
        };
        one_file.write(parts, sink)?;
        Ok(())
    };
    if only.is_some() {
        return write_pages();
    }
    let (pages, exports) = rayon::join(write_pages, || exporter.write(sink).map_err(RenderError::Output));
    pages.and(exports)
}

/// The routes, knowing where the layout puts each event and figure.
fn routes_of(d: &Dossier, layout: &layout::Layout, i18n: &I18n) -> Routes {
    let mut routes = Routes {
        names: i18n.routes.clone(),
        event_pages: FxHashMap::default(),
        figure_pages: FxHashMap::default(),
        source_page_starts: Default::default(),
    };
    for (&s, pages) in &layout.source_pages {
        let starts = pages.iter().map(|range| range.start + 1).collect();
        routes.source_page_starts.insert(d.sources[s].slug.clone(), starts);
    }
    if !layout.chronology_whole {
        for (e, part) in layout.event_parts() {
            let period = layout
                .chronology
                .parts
                .as_ref()
                .map(|p| p[part].period)
                .unwrap_or_default();
            let path = routes.chronology_part(&period.key(&routes.names.undated));
            routes.event_pages.insert(d.events[e].slug.clone(), path);
        }
    }
    for part in layout.figures.parts.iter().flatten() {
        let path = routes.figures_part(&part.period.key(&routes.names.undated));
        for &f in &layout.figures.items[part.items.clone()] {
            routes.figure_pages.insert(d.figures[f].slug.clone(), path.clone());
        }
    }
    routes
}

/// The most pages one thread renders in a row before another may take
/// what is left; a page takes about a millisecond.
const PAGES_PER_PIECE: usize = 8;

/// The one-file parts with their edition, in page order, or every page's
/// error: each part's place in its edition's frame (a [`PART`] mark) and
/// where the sink put its HTML aside.
type EditionPart = (usize, pages::Part, Stashed);

fn collect_parts(rendered: Vec<Result<Option<EditionPart>, RenderError>>) -> Result<Vec<EditionPart>, RenderError> {
    let mut parts = Vec::new();
    let mut diagnostics = Vec::new();
    for result in rendered {
        match result {
            Ok(part) => parts.extend(part),
            Err(RenderError::Content(d)) => diagnostics.extend(d),
            Err(output) => return Err(output),
        }
    }
    if diagnostics.is_empty() {
        Ok(parts)
    } else {
        Err(RenderError::Content(diagnostics))
    }
}

/// The one-file editions: for each, a frame with a mark for each part and
/// the parts apart (minified already), so the writer never holds a file
/// whole.
struct OneFile<'a> {
    editions: &'a onefile::Editions,
    /// Each edition's name: the dossier's title, then the periods', then
    /// the actors' editions'.
    labels: &'a [String],
    tera: &'a tera::Tera,
    theme: &'a Theme,
    title: &'a str,
}

impl OneFile<'_> {
    fn write(&self, parts: Vec<EditionPart>, sink: &dyn Sink) -> Result<(), RenderError> {
        let mut by_file: Vec<Vec<(pages::Part, Stashed)>> = self.editions.files.iter().map(|_| Vec::new()).collect();
        for (file, part, stashed) in parts {
            by_file[file].push((part, stashed));
        }
        by_file
            .into_par_iter()
            .enumerate()
            .try_for_each(|(file, parts)| self.edition(file, parts, sink))
    }

    fn edition(&self, file: usize, parts: Vec<(pages::Part, Stashed)>, sink: &dyn Sink) -> Result<(), RenderError> {
        let path = &self.editions.files[file];
        let (marked, bodies): (Vec<pages::Part>, Vec<Stashed>) = parts.into_iter().unzip();
        let title = match file {
            0 => self.title.to_string(),
            _ => format!("{} — {}", self.title, self.labels[file]),
        };
        let links: Vec<pages::EditionLink> = self
            .editions
            .files
            .iter()
            .enumerate()
            .filter(|_| self.labels.len() > 1)
            .map(|(i, f)| pages::EditionLink {
                href: routes::href(f),
                text: self.labels[i].clone(),
                current: i == file,
            })
            .collect();
        let frame = pages::one_file(path, title, &marked, &links)
            .render(self.tera, self.theme)
            .map_err(|e| RenderError::Content(vec![e]))?;
        let frame = self
            .editions
            .frame(file, &frame)
            .map_err(|e| RenderError::Output(e.into()))?;
        sink.page_with_parts(path, &frame, &bodies).map_err(RenderError::Output)
    }
}

fn check_page_slugs(d: &Dossier, routes: &Routes) -> Result<(), Vec<Diagnostic>> {
    let reserved = routes.reserved();
    let clashes: Vec<Diagnostic> = d
        .pages
        .iter()
        .filter(|p| {
            reserved.contains(&p.slug.as_str())
                || routes.is_period_name(&p.slug)
                || routes.is_actors_edition_name(&p.slug)
        })
        .map(|p| {
            Diagnostic::error(
                Code::E0502,
                &p.path,
                0..0,
                format!(
                    "a page cannot be called `{}`: the site uses `{}.html` for itself",
                    p.slug, p.slug
                ),
            )
            .with_help(if routes.is_actors_edition_name(&p.slug) {
                format!(
                    "rename the file: `dossier-{actors}-1.html`, `dossier-{actors}-2.html`… are the one-file editions of the actors' pages in a large dossier",
                    actors = routes.names.actors
                )
            } else if routes.is_period_name(&p.slug) {
                format!(
                    "rename the file: a list's name, `-` and a digit name a page of that list once it is split (`{}-2024`, `{}-2`)",
                    routes.names.sources, routes.names.actors
                )
            } else {
                format!("rename the file; these names are taken: {}", reserved.join(", "))
            })
        })
        .collect();
    if clashes.is_empty() { Ok(()) } else { Err(clashes) }
}

fn templates(theme: &Theme, i18n: &I18n) -> Result<tera::Tera, Vec<Diagnostic>> {
    let mut tera = tera::Tera::default();
    tera.autoescape_on([".html", ".xml"]);
    tera.set_escape_fn(typography::escaper(&i18n.language));
    register_count(&mut tera, i18n);
    let all: Vec<(&str, &str)> = theme.templates().map(|(name, file)| (name, &*file.text)).collect();
    if let Err(e) = tera.add_raw_templates(all) {
        let origin = Path::new("themes").join(&theme.name).join("templates");
        return Err(vec![template_error(&origin, &e, theme)]);
    }
    Ok(tera)
}

/// `{{ n | count(key="events") }}`: a count in words, in the plural form
/// the language gives `n`; a key the language file lacks is an error.
fn register_count(tera: &mut tera::Tera, i18n: &I18n) {
    let i18n = std::sync::Arc::new(i18n.clone());
    tera.register_filter("count", move |n: u64, kwargs: tera::Kwargs, _: &tera::State| {
        let key: &str = kwargs.must_get("key")?;
        i18n.count(key, n).ok_or_else(|| {
            tera::Error::message(format!(
                "the language file `i18n/{}.yaml` has no count `{key}` under `counts:`",
                i18n.language
            ))
        })
    });
}

/// A template error, at its place in the theme's file when Tera knows it.
/// Issue 13: errors found while the templates were parsed pointed at
/// `themes/default/templates:1:1`.
pub fn template_error(origin: &Path, err: &tera::Error, theme: &Theme) -> Diagnostic {
    let help = "fix the theme's template; the default theme's templates are in `themes/default/templates/`";
    if let Some((file, span, message)) = template_place(err, theme) {
        return Diagnostic::error(Code::E0510, &file, span, format!("template error: {message}")).with_help(help);
    }
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    Diagnostic::error(Code::E0510, origin, 0..0, format!("template error: {message}")).with_help(help)
}

/// The theme file, byte range and message of the first error in `err`'s
/// chain that Tera located in a template.
fn template_place(err: &tera::Error, theme: &Theme) -> Option<(std::path::PathBuf, std::ops::Range<usize>, String)> {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = next {
        if let Some(tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r)) =
            e.downcast_ref::<tera::Error>().map(tera::Error::kind)
            && let Some(file) = theme.get(&format!("templates/{}", r.filename()))
        {
            return Some((file.origin.clone(), r.span().range.clone(), r.message().to_string()));
        }
        next = e.source();
    }
    place_in_report(&err.to_string(), theme)
}

/// Errors found when the templates are checked together (a block no
/// parent defines, an unknown filter) come from Tera as text only, its
/// report: `error: MESSAGE` then `--> NAME:LINE:COL`. Read the first.
fn place_in_report(report: &str, theme: &Theme) -> Option<(std::path::PathBuf, std::ops::Range<usize>, String)> {
    let message = report.lines().next()?.trim().strip_prefix("error: ")?;
    let place = report.lines().find_map(|l| l.trim().strip_prefix("--> "))?;
    let mut parts = place.rsplitn(3, ':');
    let col: usize = parts.next()?.parse().ok()?;
    let line: usize = parts.next()?.parse().ok()?;
    let file = theme.get(&format!("templates/{}", parts.next()?))?;
    let line_start: usize = file
        .text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let offset = file.text[line_start..]
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(file.text.len(), |(i, _)| line_start + i);
    Some((file.origin.clone(), offset..offset, message.to_string()))
}

fn site_view(d: &Dossier, theme: &Theme, routes: &Routes, i18n: &I18n, sink: &dyn Sink) -> SiteView {
    let t = |k: &str| i18n.strings.get(k).cloned().unwrap_or_else(|| k.to_string());
    let mut nav: Vec<context::NavItem> = [
        ("sectors", routes.sectors(), t("sectors")),
        ("chronology", routes.chronology(), t("chronology")),
        ("actors", routes.actors(), t("actors")),
        ("figures", routes.figures(), t("figures")),
        ("sources", routes.sources(), t("sources")),
    ]
    .into_iter()
    .map(|(section, path, text)| context::NavItem {
        section: section.into(),
        href: routes::href(&path),
        text,
    })
    .collect();
    nav.extend(d.pages.iter().map(|p| context::NavItem {
        section: format!("page-{}", p.slug),
        href: routes::href(&routes.page(&p.slug)),
        text: p.title.clone(),
    }));
    // A theme's scripts, minified once; a theme may leave any out.
    let script = |name: &str| {
        theme
            .get(name)
            .map(|f| sink.shared_asset(Asset::Script, &f.text))
            .unwrap_or_default()
    };
    SiteView {
        title: d.config.title.clone(),
        subtitle: d.config.subtitle.clone(),
        description: d.config.description.clone(),
        lang: d.config.language.clone(),
        dir: direction::of(&d.config.language),
        css: sink.shared_asset(Asset::Style, &stylesheet(d, theme)),
        nav,
        home: routes::href(&routes.home()),
        search: routes::href(&routes.search()),
        search_js: script("static/search.js"),
        chronology_js: script("static/chronology.js"),
        cite_js: script("static/cite.js"),
        feed: routes::href(data::FEED),
        one_file: match d.config.one_file {
            true => routes::href(pages::ONE_FILE),
            false => String::new(),
        },
        base_url: d
            .config
            .base_url
            .as_ref()
            .map(|b| format!("{}/", b.trim_end_matches('/'))),
    }
}

/// The schema.org JSON-LD of the pages that describe something as data.
fn structured_data(
    x: &data::Exporter,
    events: &FxHashMap<String, Vec<usize>>,
    kind: &PageKind,
    path: &str,
) -> Option<String> {
    let subject = match *kind {
        PageKind::Home => data::Subject::Home,
        PageKind::Source(i) => data::Subject::Source(i),
        PageKind::Actor(i) => data::Subject::Actor(i),
        PageKind::Chronology | PageKind::ChronologyPart(_) => data::Subject::Events(events.get(path)?),
        _ => return None,
    };
    Some(data::json_ld(x, &subject, path))
}

/// The theme's CSS, every other stylesheet of the theme after it, and one
/// rule per sector giving its colour to the class `sec-<slug>`.
fn stylesheet(d: &Dossier, theme: &Theme) -> String {
    let mut css = String::new();
    if let Some(main) = theme.get("static/style.css") {
        css.push_str(&main.text);
    }
    for (path, file) in &theme.files {
        if path.starts_with("static/") && path.ends_with(".css") && path != "static/style.css" {
            css.push('\n');
            css.push_str(&file.text);
        }
    }
    // The dark rules come after the light ones: same selectors, so the
    // later wins whenever the reader's system is in dark mode.
    let mut dark = String::from("\n@media (prefers-color-scheme: dark){");
    for s in &d.sectors {
        css.push_str(&format!("\n.sec-{}{{--sec:{}}}", s.slug, s.color));
        dark.push_str(&format!(".sec-{}{{--sec:{}}}", s.slug, s.dark_color));
    }
    css.push_str(&dark);
    css.push('}');
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_probe(template: &str) -> Result<String, String> {
        let theme = Theme::embedded();
        let i18n = I18n::load(&theme, "fr").unwrap();
        let mut tera = templates(&theme, &i18n).unwrap();
        tera.global_context().insert("t", &i18n.strings);
        tera.add_raw_template("probe.html", template).unwrap();
        tera.render("probe.html", &tera::Context::new()).map_err(|e| {
            let d = template_error(Path::new("probe.html"), &e, &theme);
            d.message
        })
    }

    /// Issue 13: template errors pointed at `themes/default/templates:1:1`.
    #[test]
    fn places_an_error_of_tera_s_report_in_the_theme_file() {
        let theme = Theme::embedded();
        let report = "error: Block `x` is not defined in any parent template\n   --> page.html:2:3\n    |\n";
        let (file, span, message) = place_in_report(report, &theme).unwrap();
        assert_eq!(file, theme.get("templates/page.html").unwrap().origin);
        let text = &theme.get("templates/page.html").unwrap().text;
        assert_eq!(crate::diagnostic::line_col(text, span.start), (2, 3));
        assert_eq!(message, "Block `x` is not defined in any parent template");
        assert!(place_in_report("error: x\n --> nope.html:1:1", &theme).is_none());
    }

    #[test]
    fn counts_follow_the_languages_plural_rule() {
        let shown = render_probe(
            r#"{{ 0 | count(key="events") }}|{{ 1 | count(key="events") }}|{{ 2 | count(key="events") }}"#,
        );
        assert_eq!(shown.unwrap(), "0 événement|1 événement|2 événements");
    }

    #[test]
    fn a_count_the_language_lacks_is_an_error_naming_it() {
        let err = render_probe(r#"{{ 2 | count(key="villages") }}"#).unwrap_err();
        assert!(err.contains("`villages`") && err.contains("i18n/fr.yaml"), "{err}");
    }

    #[test]
    fn a_string_the_language_lacks_is_an_error_naming_it() {
        let err = render_probe("{{ t.no_such_string }}").unwrap_err();
        assert!(err.contains("no_such_string"), "{err}");
    }
}
