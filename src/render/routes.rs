//! Where every page of the site is, as paths relative to the site's root
//! (flat `.html` files, folders named in the dossier's language), and how
//! to link to them from any page: every internal href is written with the
//! [`ROOT`] mark in front, replaced per page by `""` or `"../"`, so links
//! are relative and work from `file://` and from any sub-path.

use super::i18n::RouteNames;
use crate::model::{Dossier, Target};

pub use crate::marker::ROOT;

/// File names the site uses for itself; a page slug may not take them.
pub const FIXED: &[&str] = &["index", "404", "dossier", "feed", "sitemap", "data"];

#[derive(Debug, Clone)]
pub struct Routes {
    pub names: RouteNames,
}

impl Routes {
    pub fn home(&self) -> String {
        "index.html".into()
    }

    pub fn sectors(&self) -> String {
        format!("{}.html", self.names.sectors)
    }

    pub fn sector(&self, slug: &str) -> String {
        format!("{}/{slug}.html", self.names.sectors)
    }

    pub fn chronology(&self) -> String {
        format!("{}.html", self.names.chronology)
    }

    pub fn year(&self, year: i32) -> String {
        format!("{}/{year}.html", self.names.chronology)
    }

    pub fn event(&self, slug: &str) -> String {
        format!("{}.html#{}", self.names.chronology, event_anchor(slug))
    }

    pub fn sources(&self) -> String {
        format!("{}.html", self.names.sources)
    }

    pub fn source(&self, slug: &str) -> String {
        format!("{}/{slug}.html", self.names.sources)
    }

    pub fn paragraph(&self, slug: &str, number: usize) -> String {
        format!("{}/{slug}.html#p{number}", self.names.sources)
    }

    pub fn actors(&self) -> String {
        format!("{}.html", self.names.actors)
    }

    pub fn actor(&self, slug: &str) -> String {
        format!("{}/{slug}.html", self.names.actors)
    }

    pub fn figures(&self) -> String {
        format!("{}.html", self.names.figures)
    }

    pub fn figure(&self, slug: &str) -> String {
        format!("{}.html#{}", self.names.figures, figure_anchor(slug))
    }

    pub fn search(&self) -> String {
        format!("{}.html", self.names.search)
    }

    pub fn page(&self, slug: &str) -> String {
        format!("{slug}.html")
    }

    /// The path of a link target.
    pub fn target(&self, d: &Dossier, target: Target) -> String {
        match target {
            Target::Source(s, Some(p)) => self.paragraph(&d.sources[s].slug, p),
            Target::Source(s, None) => self.source(&d.sources[s].slug),
            Target::Sector(s) => self.sector(&d.sectors[s].slug),
            Target::Actor(a) => self.actor(&d.actors[a].slug),
            Target::Event(e) => self.event(&d.events[e].slug),
            Target::Page(p) => self.page(&d.pages[p].slug),
            Target::Figure(f) => self.figure(&d.figures[f].slug),
        }
    }

    /// Names a page slug may not take.
    pub fn reserved(&self) -> Vec<&str> {
        let n = &self.names;
        let mut names: Vec<&str> = FIXED.to_vec();
        names.extend([&n.sectors, &n.chronology, &n.sources, &n.actors, &n.figures, &n.search].map(String::as_str));
        names
    }
}

/// An href from any page: the root mark and the path.
pub fn href(path: &str) -> String {
    format!("{ROOT}{path}")
}

pub fn event_anchor(slug: &str) -> String {
    format!("e-{slug}")
}

pub fn figure_anchor(slug: &str) -> String {
    format!("f-{slug}")
}

/// How far a page is from the root: `""` or `"../"`.
pub fn root_prefix(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}
