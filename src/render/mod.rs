//! Stage 3, *render*: from the [`Dossier`] and the theme to the site's
//! files, in memory. Shared fragments (source paragraphs, events, passages)
//! are rendered once; then every page is rendered in parallel with a small
//! context of its own, while site-wide values live in Tera's global context.
//! Pages come out with relative links only and the CSS inlined.

mod context;
mod data;
mod html;
pub mod i18n;
mod layout;
mod lists;
mod onefile;
mod pages;
mod parts;
pub mod routes;
mod search;
pub mod split;
mod svg;
pub mod typography;

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::load::Theme;
use crate::marker::PART;
use crate::model::Dossier;
use context::{SiteView, Views};
use html::Renderer;
use i18n::I18n;
use pages::PageKind;
use routes::{ROOT, Routes};

/// One file of the site: its path relative to the site's root and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub contents: String,
}

/// A stylesheet or a script that many pages carry inline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asset {
    Style,
    Script,
}

/// Where the render stage puts the site's files as it makes them, from any
/// thread: the site is never held in memory whole. Paths are relative to
/// the site's root; pages come complete, their links relative.
pub trait Sink: Sync {
    /// A stylesheet or script as the pages will carry it (the writer
    /// minifies it here, once, rather than in every page).
    fn shared_asset(&self, kind: Asset, text: &str) -> String;
    /// A finished page.
    fn page(&self, path: &str, html: &str) -> anyhow::Result<()>;
    /// A page made of a frame and parts: each [`PART`] mark of the frame
    /// stands for the next part.
    fn page_with_parts(&self, path: &str, frame: &str, parts: &[String]) -> anyhow::Result<()>;
    /// Any other file, written as `produce` makes it.
    fn file(
        &self,
        path: &str,
        produce: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()>;
}

/// A sink that keeps nothing: `check` renders every page to find what
/// `build` would refuse, and throws the pages away.
pub struct Discard;

impl Sink for Discard {
    fn shared_asset(&self, _: Asset, text: &str) -> String {
        text.to_string()
    }
    fn page(&self, _: &str, _: &str) -> anyhow::Result<()> {
        Ok(())
    }
    fn page_with_parts(&self, _: &str, _: &str, _: &[String]) -> anyhow::Result<()> {
        Ok(())
    }
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
    let content = RenderError::Content;
    let i18n = I18n::load(theme, &d.config.language).map_err(|e| content(vec![*e]))?;
    let layout = layout::Layout::new(d);
    let routes = routes_of(d, &layout, &i18n);
    check_page_slugs(d, &routes).map_err(content)?;
    let mut tera = templates(theme).map_err(content)?;
    let r = Renderer {
        dossier: d,
        routes: &routes,
        i18n: &i18n,
    };
    let source_html = d
        .sources
        .par_iter()
        .enumerate()
        .map(|(i, s)| {
            let numbers: HashMap<usize, usize> = d.index.source_notes[i]
                .iter()
                .enumerate()
                .map(|(n, &a)| (a, n + 1))
                .collect();
            r.source(s, &numbers)
        })
        .collect();
    let views = Views::build(&r, source_html);
    let site = site_view(d, theme, &routes, &i18n, sink);
    tera.global_context().insert("site", &site);
    tera.global_context().insert("t", &i18n.strings);
    let kinds = PageKind::all(d, &layout);
    let paths: Vec<String> = kinds.iter().map(|k| k.path(d, &layout, &routes)).collect();
    let edition = onefile::Edition::new(
        kinds
            .iter()
            .zip(&paths)
            .filter(|(k, _)| k.in_one_file(&layout))
            .map(|(_, p)| p.as_str()),
        onefile::Fallbacks {
            chronology: routes.chronology(),
            chronology_folder: routes.names.chronology.clone(),
        },
    );
    let language = &d.config.language;
    let ctx = lists::Ctx {
        r: &r,
        v: &views,
        layout: &layout,
    };
    let rendered: Vec<Result<Option<pages::Part>, RenderError>> = kinds
        .par_iter()
        .zip(&paths)
        .map(|(kind, path)| {
            let page = pages::build(kind, path.clone(), &ctx);
            let title = page.title.clone();
            let html = render_page(page, &tera, theme, language).map_err(|e| content(vec![e]))?;
            sink.page(path, &html.replace(ROOT, &routes::root_prefix(path)))
                .map_err(RenderError::Output)?;
            Ok(kind.in_one_file(&layout).then(|| pages::Part {
                key: onefile::key(path),
                title,
                html: edition.part(path, &html),
            }))
        })
        .collect();
    let parts = collect_parts(rendered)?;
    one_file(&edition, parts, &tera, theme, language, sink)?;
    let mut site_pages: Vec<String> = paths.into_iter().filter(|p| p != "404.html").collect();
    site_pages.push("dossier.html".into());
    site_pages.sort();
    let exporter = data::Exporter {
        dossier: d,
        routes: &routes,
        i18n: &i18n,
        pages: site_pages,
    };
    exporter.write(sink).map_err(RenderError::Output)
}

/// The routes, knowing where the layout puts each event and figure.
fn routes_of(d: &Dossier, layout: &layout::Layout, i18n: &I18n) -> Routes {
    let mut routes = Routes {
        names: i18n.routes.clone(),
        event_pages: HashMap::new(),
        figure_pages: HashMap::new(),
    };
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

/// The one-file parts, in page order, or every page's error.
fn collect_parts(rendered: Vec<Result<Option<pages::Part>, RenderError>>) -> Result<Vec<pages::Part>, RenderError> {
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

/// A page's HTML, typography applied, its links still marked with [`ROOT`].
fn render_page(page: pages::Page, tera: &tera::Tera, theme: &Theme, language: &str) -> Result<String, Diagnostic> {
    let html = page.render(tera, theme)?;
    Ok(typography::apply_to_html(&html, language))
}

/// `dossier.html`: a frame with a mark for each part, the parts apart, so
/// the writer can minify them in parallel and never holds the file whole.
fn one_file(
    edition: &onefile::Edition,
    parts: Vec<pages::Part>,
    tera: &tera::Tera,
    theme: &Theme,
    language: &str,
    sink: &dyn Sink,
) -> Result<(), RenderError> {
    let (marked, bodies): (Vec<pages::Part>, Vec<String>) = parts
        .into_iter()
        .map(|p| {
            let body = p.html;
            let marked = pages::Part {
                key: p.key,
                title: p.title,
                html: PART.to_string(),
            };
            (marked, body)
        })
        .unzip();
    let frame =
        render_page(pages::one_file(&marked), tera, theme, language).map_err(|e| RenderError::Content(vec![e]))?;
    let frame = edition.frame(&frame);
    sink.page_with_parts("dossier.html", &frame, &bodies)
        .map_err(RenderError::Output)
}

fn check_page_slugs(d: &Dossier, routes: &Routes) -> Result<(), Vec<Diagnostic>> {
    let reserved = routes.reserved();
    let clashes: Vec<Diagnostic> = d
        .pages
        .iter()
        .filter(|p| reserved.contains(&p.slug.as_str()) || routes.is_period_name(&p.slug))
        .map(|p| {
            Diagnostic::error(
                "E0502",
                &p.path,
                0..0,
                format!(
                    "a page cannot be called `{}`: the site uses `{}.html` for itself",
                    p.slug, p.slug
                ),
            )
            .with_help(format!(
                "rename the file; these names are taken: {}",
                reserved.join(", ")
            ))
        })
        .collect();
    if clashes.is_empty() { Ok(()) } else { Err(clashes) }
}

fn templates(theme: &Theme) -> Result<tera::Tera, Vec<Diagnostic>> {
    let mut tera = tera::Tera::default();
    tera.autoescape_on([".html", ".xml"]);
    let all: Vec<(&str, &str)> = theme.templates().map(|(name, file)| (name, &*file.text)).collect();
    if let Err(e) = tera.add_raw_templates(all) {
        let origin = Path::new("themes").join(&theme.name).join("templates");
        return Err(vec![template_error(&origin, &e)]);
    }
    Ok(tera)
}

pub fn template_error(origin: &Path, err: &tera::Error) -> Diagnostic {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    Diagnostic::error("E0510", origin, 0..0, format!("template error: {message}"))
        .with_help("fix the theme's template; the default theme's templates are in `themes/default/templates/`")
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
    SiteView {
        title: d.config.title.clone(),
        subtitle: d.config.subtitle.clone(),
        description: d.config.description.clone(),
        lang: d.config.language.clone(),
        css: sink.shared_asset(Asset::Style, &stylesheet(d, theme)),
        nav,
        home: routes::href(&routes.home()),
        search: routes::href(&routes.search()),
        search_js: theme
            .get("static/search.js")
            .map(|f| sink.shared_asset(Asset::Script, &f.text))
            .unwrap_or_default(),
    }
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
        let dark_color = crate::model::color::parse(&s.color).map_or_else(
            || s.color.clone(),
            |c| crate::model::color::to_hex(crate::model::color::dark_variant(c)),
        );
        css.push_str(&format!("\n.sec-{}{{--sec:{}}}", s.slug, s.color));
        dark.push_str(&format!(".sec-{}{{--sec:{dark_color}}}", s.slug));
    }
    css.push_str(&dark);
    css.push('}');
    css
}
