//! Stage 3, *render*: from the [`Dossier`] and the theme to the site's
//! files, in memory. Shared fragments (source paragraphs, events, passages)
//! are rendered once; then every page is rendered in parallel with a small
//! context of its own, while site-wide values live in Tera's global context.
//! Pages come out with relative links only and the CSS inlined.

mod context;
mod data;
mod html;
pub mod i18n;
mod onefile;
mod pages;
pub mod routes;
mod search;
mod svg;
pub mod typography;

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::load::Theme;
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

/// The whole site, in memory, sorted by path.
#[derive(Debug, Clone, Default)]
pub struct Site {
    pub files: Vec<OutputFile>,
}

pub fn render(d: &Dossier, theme: &Theme) -> Result<Site, Vec<Diagnostic>> {
    let i18n = I18n::load(theme, &d.config.language).map_err(|e| vec![*e])?;
    let routes = Routes {
        names: i18n.routes.clone(),
    };
    check_page_slugs(d, &routes)?;
    let mut tera = templates(theme)?;
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
    let search = search::index(d, &routes, &i18n);
    let site = site_view(d, theme, &routes, &i18n);
    tera.global_context().insert("site", &site);
    tera.global_context().insert("t", &i18n.strings);
    let kinds = PageKind::all(d);
    let rendered: Vec<Result<Rendered, Diagnostic>> = kinds
        .par_iter()
        .map(|kind| {
            let page = pages::build(kind, &r, &views, &search.page_data);
            render_page(page, kind.in_one_file(), &tera, theme, &d.config.language)
        })
        .collect();
    let (pages, errors): (Vec<_>, Vec<_>) = rendered.into_iter().partition(Result::is_ok);
    if !errors.is_empty() {
        return Err(errors.into_iter().filter_map(Result::err).collect());
    }
    let mut pages: Vec<Rendered> = pages.into_iter().filter_map(Result::ok).collect();
    pages.push(one_file(&pages, &routes, &tera, theme, &d.config.language).map_err(|e| vec![e])?);
    let mut files: Vec<OutputFile> = pages
        .into_par_iter()
        .map(|p| OutputFile {
            contents: p.html.replace(ROOT, &routes::root_prefix(&p.path)),
            path: p.path,
        })
        .collect();
    let exporter = data::Exporter {
        dossier: d,
        routes: &routes,
        i18n: &i18n,
        pages: {
            let mut pages: Vec<String> = files
                .iter()
                .map(|f| f.path.clone())
                .filter(|p| p != "404.html")
                .collect();
            pages.sort();
            pages
        },
    };
    files.extend(exporter.files());
    let shards = search.files.into_iter();
    files.extend(shards.map(|(path, contents)| OutputFile { path, contents }));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Site { files })
}

/// A page as rendered, its links still marked with [`ROOT`].
struct Rendered {
    path: String,
    title: String,
    /// Whether `dossier.html` includes it.
    in_one_file: bool,
    html: String,
}

fn render_page(
    page: pages::Page,
    in_one_file: bool,
    tera: &tera::Tera,
    theme: &Theme,
    language: &str,
) -> Result<Rendered, Diagnostic> {
    let (path, title) = (page.path.clone(), page.title.clone());
    let html = page.render(tera, theme)?;
    Ok(Rendered {
        path,
        title,
        in_one_file,
        html: typography::apply_to_html(&html, language),
    })
}

/// `dossier.html`, from the pages that go in it.
fn one_file(
    rendered: &[Rendered],
    routes: &Routes,
    tera: &tera::Tera,
    theme: &Theme,
    language: &str,
) -> Result<Rendered, Diagnostic> {
    let included: Vec<onefile::Rendered> = rendered
        .iter()
        .filter(|p| p.in_one_file)
        .map(|p| onefile::Rendered {
            path: &p.path,
            html: &p.html,
        })
        .collect();
    let fallbacks = onefile::Fallbacks {
        chronology: &routes.chronology(),
        chronology_folder: &routes.names.chronology,
    };
    let titles = rendered.iter().filter(|p| p.in_one_file).map(|p| &p.title);
    let (bodies, parts): (Vec<String>, Vec<pages::Part>) = onefile::parts(&included, &fallbacks)
        .into_iter()
        .zip(titles)
        .enumerate()
        .map(|(i, ((key, html), title))| {
            // The parts have their typography already: the frame gets its
            // own with a placeholder for each, filled in afterwards.
            let part = pages::Part {
                key,
                title: title.clone(),
                html: onefile::placeholder(i),
            };
            (html, part)
        })
        .unzip();
    let mut page = render_page(pages::one_file(&parts), false, tera, theme, language)?;
    page.html = onefile::fill(&onefile::rewrite_frame(&page.html, &included, &fallbacks), &bodies);
    Ok(page)
}

fn check_page_slugs(d: &Dossier, routes: &Routes) -> Result<(), Vec<Diagnostic>> {
    let reserved = routes.reserved();
    let clashes: Vec<Diagnostic> = d
        .pages
        .iter()
        .filter(|p| reserved.contains(&p.slug.as_str()))
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

fn site_view(d: &Dossier, theme: &Theme, routes: &Routes, i18n: &I18n) -> SiteView {
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
        css: stylesheet(d, theme),
        nav,
        home: routes::href(&routes.home()),
        search: routes::href(&routes.search()),
        search_js: theme
            .get("static/search.js")
            .map(|f| f.text.to_string())
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
