//! The theme: Tera templates, static text files (CSS, JS, SVG) and the i18n
//! files of UI strings. The default theme is compiled into the binary, so a
//! dossier folder without `themes/` builds; a `themes/<name>/` folder in the
//! dossier overrides it file by file (a theme need only contain what it
//! changes).

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::i18n::I18n;
use super::inside::{Root, outside};
use crate::code::Code;
use crate::diagnostic::Diagnostic;

pub const DEFAULT: &str = "default";

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../themes/default/", $path)))),*]
    };
}

/// Every file of `themes/default/`, by its path inside the theme. A unit test
/// checks that this list and the folder agree.
pub const EMBEDDED: &[(&str, &str)] = embed!(
    "i18n/en.yaml",
    "i18n/fr.yaml",
    "static/chronology.js",
    "static/cite.js",
    "static/search.js",
    "static/style.css",
    "templates/404.html",
    "templates/actor.html",
    "templates/actors.html",
    "templates/base.html",
    "templates/chronology.html",
    "templates/dossier.html",
    "templates/figures.html",
    "templates/index.html",
    "templates/page.html",
    "templates/partials/citations.html",
    "templates/partials/event.html",
    "templates/partials/figure.html",
    "templates/partials/page-menu.html",
    "templates/partials/page-pager.html",
    "templates/partials/pager.html",
    "templates/partials/passage.html",
    "templates/partials/periods.html",
    "templates/partials/sector-card.html",
    "templates/partials/source-card.html",
    "templates/search.html",
    "templates/sector.html",
    "templates/sectors.html",
    "templates/source.html",
    "templates/sources.html",
);

#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// Where the file came from, for diagnostics: a path relative to the
    /// dossier root, or `<default theme>/…` for an embedded file.
    pub origin: PathBuf,
    pub text: Arc<str>,
}

#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub name: String,
    /// Files by their path inside the theme, e.g. `templates/base.html`.
    pub files: BTreeMap<String, ThemeFile>,
    /// The strings of the dossier's language, read and checked by load
    /// (`None` until then, or when they could not be: that is reported).
    pub strings: Option<Arc<I18n>>,
}

impl Theme {
    /// The embedded default theme alone.
    pub fn embedded() -> Theme {
        let files = EMBEDDED
            .iter()
            .map(|(path, text)| {
                let file = ThemeFile {
                    origin: Path::new("<default theme>").join(path),
                    text: Arc::from(*text),
                };
                (path.to_string(), file)
            })
            .collect();
        Theme {
            name: DEFAULT.to_string(),
            files,
            strings: None,
        }
    }

    /// The embedded default, overridden by `themes/default/` and then by
    /// `themes/<name>/` when the dossier has them.
    /// The theme `name` (the value of `theme:`, found at `span` of the
    /// configuration file).
    pub fn load((root, real): (&Path, &Root), name: &str, span: Range<usize>) -> Result<Theme, Box<Diagnostic>> {
        let mut theme = Theme::embedded();
        theme.name = name.to_string();
        if !crate::slug::is_valid(name) {
            return Err(Box::new(
                Diagnostic::error(
                    Code::E0200,
                    Path::new(super::CONFIG_PATH),
                    span,
                    format!("`{name}` cannot be used as a theme name"),
                )
                .with_help("a theme is a folder of `themes/` named with lower-case letters, digits and hyphens"),
            ));
        }
        let own = root.join("themes").join(name);
        if name != DEFAULT && !own.is_dir() {
            return Err(Box::new(
                Diagnostic::error(
                    Code::E0006,
                    Path::new(super::CONFIG_PATH),
                    span,
                    format!("the theme `{name}` does not exist"),
                )
                .with_help(format!(
                    "create `themes/{name}/`, or remove `theme:` to use the default theme"
                )),
            ));
        }
        for dir in [root.join("themes").join(DEFAULT), own] {
            if real.escapes(&dir) {
                return Err(Box::new(outside(dir.strip_prefix(root).unwrap_or(&dir))));
            }
            if dir.is_dir() {
                theme.overlay((root, real), &dir)?;
            }
        }
        Ok(theme)
    }

    /// Reads the files of `dir` over the theme's, under the limits of every
    /// file of a dossier (size, UTF-8) and never through a link that leads
    /// out of the dossier.
    fn overlay(&mut self, (root, real): (&Path, &Root), dir: &Path) -> Result<(), Box<Diagnostic>> {
        for entry in walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name() {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(dir);
                Box::new(Diagnostic::error(
                    Code::E0003,
                    path.strip_prefix(root).unwrap_or(path),
                    0..0,
                    "this theme file cannot be read".into(),
                ))
            })?;
            let origin = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf();
            if entry.path_is_symlink() && real.escapes(entry.path()) {
                return Err(Box::new(outside(&origin)));
            }
            if !entry.file_type().is_file() {
                continue;
            }
            let inside = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let key = inside.iter().map(|c| c.to_string_lossy()).collect::<Vec<_>>().join("/");
            if key.split('/').any(|c| c.starts_with('.')) {
                continue;
            }
            let text = super::read_text(root, &origin).map_err(|e| {
                Box::new(e.diagnostic.with_help(
                    "themes hold text only (templates, CSS, JS, SVG, YAML), at most 8 MiB a file: everything is inlined into the pages",
                ))
            })?;
            self.files.insert(key, ThemeFile { origin, text });
        }
        Ok(())
    }

    pub fn get(&self, path: &str) -> Option<&ThemeFile> {
        self.files.get(path)
    }

    /// The strings of `language`: those load checked for the dossier, or,
    /// for a theme that did not come from load or another language, read
    /// and checked now.
    pub fn i18n(&self, language: &str) -> Result<Arc<I18n>, Vec<Diagnostic>> {
        match &self.strings {
            Some(strings) if strings.language == language => Ok(Arc::clone(strings)),
            _ => I18n::load(self, language).map(Arc::new),
        }
    }

    /// Templates by their name inside `templates/`.
    pub fn templates(&self) -> impl Iterator<Item = (&str, &ThemeFile)> {
        self.files
            .iter()
            .filter_map(|(k, f)| k.strip_prefix("templates/").map(|name| (name, f)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_list_matches_the_default_theme_folder() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let on_disk: Vec<String> = walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(&dir).unwrap();
                rel.iter().map(|c| c.to_string_lossy()).collect::<Vec<_>>().join("/")
            })
            .collect();
        let mut embedded: Vec<String> = EMBEDDED.iter().map(|(p, _)| p.to_string()).collect();
        embedded.sort();
        let mut on_disk = on_disk;
        on_disk.sort();
        assert_eq!(embedded, on_disk, "update EMBEDDED in src/load/theme.rs");
    }

    #[test]
    fn a_dossier_theme_overrides_file_by_file() {
        let root = tempfile::tempdir().unwrap();
        let css = root.path().join("themes/mine/static");
        std::fs::create_dir_all(&css).unwrap();
        std::fs::write(css.join("style.css"), "body{}").unwrap();
        let theme = Theme::load((root.path(), &Root::new(root.path()).unwrap()), "mine", 0..0).unwrap();
        assert_eq!(&*theme.get("static/style.css").unwrap().text, "body{}");
        assert!(theme.get("templates/base.html").is_some());
    }

    #[test]
    fn rejects_a_missing_named_theme() {
        let root = tempfile::tempdir().unwrap();
        let err = Theme::load((root.path(), &Root::new(root.path()).unwrap()), "nope", 0..0).unwrap_err();
        assert_eq!(err.code, Code::E0006);
    }
}
