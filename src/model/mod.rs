//! Stage 2, *model*: from the raw [`Inputs`](crate::load::Inputs) to one
//! immutable, validated [`Dossier`]. Every reference is resolved to an index
//! into the dossier's tables (so later stages never look anything up by
//! name), every date is parsed, every source is checked against its
//! original, and all the problems of all the files are collected.
//!
//! Tables are in display order: sectors by `order`, events
//! chronologically, everything else by slug. Every cross-reference a page
//! needs (a sector's passages, an actor's statements, a paragraph's
//! back-links) is computed once here, in [`Index`].

pub mod annotation;
mod build;
pub mod color;
pub mod date;
pub(crate) mod entities;
pub mod fidelity;
mod index;
pub mod language;
pub(crate) mod links;
mod memo;
pub mod nesting;
mod original;
pub mod paragraph;
mod resolve;
mod sector_color;
pub mod weight;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use build::{Checked, build, build_with_memo};
pub use date::{EdtfDate, PartialDate, Precision};
pub use memo::Memo;
pub use paragraph::{BlockKind, Inline, Paragraph};

pub type SectorId = usize;
pub type ActorId = usize;
pub type EventId = usize;
pub type SourceId = usize;
pub type FigureId = usize;
pub type PageId = usize;

#[derive(Debug, Clone)]
pub struct Dossier {
    pub config: Config,
    pub sectors: Vec<Sector>,
    pub actors: Vec<Actor>,
    pub events: Vec<Event>,
    pub sources: Vec<Source>,
    pub figures: Vec<Figure>,
    pub pages: Vec<Page>,
    pub index: Index,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub subtitle: Option<String>,
    pub description: Option<String>,
    pub language: String,
    pub parties: Vec<ActorId>,
    /// The figures the editor chose for the home page, in their order.
    pub key_figures: Vec<FigureId>,
    pub base_url: Option<String>,
    pub allow_html: bool,
    /// Whether the site has its one-file editions (`dossier.html`…).
    pub one_file: bool,
}

/// Markdown written by the editors, with its internal links resolved.
#[derive(Debug, Clone, Default)]
pub struct Markdown {
    pub text: String,
    /// Byte offset of `text` in its file, for diagnostics.
    pub at: usize,
    /// Every internal link destination (`source:x#p3`…) found in `text`.
    pub links: BTreeMap<String, Target>,
    /// Written in a source file (a note): raw HTML there is always shown as
    /// text, whatever `allow_html` says, as it is for the source's own words.
    pub in_source: bool,
    /// The level of the text's highest heading (1 for `#`), if it has any:
    /// rendering puts it right under the page's title.
    pub top_heading: Option<u8>,
}

/// What an internal link points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    Source(SourceId, Option<usize>),
    Sector(SectorId),
    Actor(ActorId),
    Event(EventId),
    Page(PageId),
    Figure(FigureId),
}

/// The editorial text a link or a citation appears in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Owner {
    Sector(SectorId),
    Actor(ActorId),
    Event(EventId),
    Page(PageId),
    Source(SourceId),
}

#[derive(Debug, Clone)]
pub struct Sector {
    pub slug: String,
    pub title: String,
    pub order: i64,
    /// `#rrggbb`, lower-case.
    pub color: String,
    /// Its dark-mode variant, readable on the theme's dark background (the
    /// colour as written when it is not one).
    pub dark_color: String,
    pub summary: String,
    pub intro: Markdown,
    pub path: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ActorKind {
    Person,
    State,
    Organisation,
    Company,
    Place,
}

impl ActorKind {
    pub const ALL: [ActorKind; 5] = [
        ActorKind::State,
        ActorKind::Person,
        ActorKind::Organisation,
        ActorKind::Company,
        ActorKind::Place,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Person => "person",
            ActorKind::State => "state",
            ActorKind::Organisation => "organisation",
            ActorKind::Company => "company",
            ActorKind::Place => "place",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Actor {
    pub slug: String,
    pub name: String,
    pub kind: ActorKind,
    /// The actor (a state) the actor belongs to.
    pub country: Option<ActorId>,
    pub role: Option<String>,
    pub aliases: Vec<String>,
    pub profile: Markdown,
    pub path: PathBuf,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub slug: String,
    pub title: String,
    pub date: EdtfDate,
    pub kind: Option<String>,
    pub status: Option<String>,
    /// Declared sectors and those of every citing passage, in sector order.
    pub sectors: Vec<SectorId>,
    pub actors: Vec<ActorId>,
    pub description: Markdown,
    pub citations: Vec<Citation>,
    /// The file that defines it (an event file, or the source that defines
    /// it inline).
    pub path: PathBuf,
}

/// A place in a source: an annotation in a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Citation {
    pub source: SourceId,
    pub paragraph: usize,
    pub annotation: usize,
}

#[derive(Debug, Clone)]
pub struct Figure {
    pub slug: String,
    /// As written (digits, optional decimals), for machines.
    pub value: String,
    pub unit: Option<String>,
    /// `more-than`, `about`…: how the source bounds the value (`BOUNDS`).
    pub bound: Option<String>,
    pub label: String,
    pub sectors: Vec<SectorId>,
    pub citations: Vec<Citation>,
}

#[derive(Debug, Clone)]
pub struct Source {
    pub slug: String,
    pub title: String,
    pub published: Option<EdtfDate>,
    pub author: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub license: Option<String>,
    pub retrieved_from: Option<String>,
    pub language: String,
    pub kind: String,
    pub note: Option<Markdown>,
    pub sectors: Vec<SectorId>,
    /// Path of the original, relative to the dossier root.
    pub original: PathBuf,
    /// Shared: never changed once parsed, and kept by `serve` between
    /// builds (see `memo`), which then costs no copy.
    pub paragraphs: std::sync::Arc<[Paragraph]>,
    /// In the order of the text, so by paragraph: a page showing some of
    /// the paragraphs finds theirs with a binary search.
    pub annotations: Vec<Annotation>,
    pub path: PathBuf,
}

impl Source {
    /// The words an annotation of this source marks, as plain text.
    pub fn words(&self, a: &Annotation) -> &str {
        &self.paragraphs[a.paragraph - 1].plain[a.plain_range.clone()]
    }

    /// The indexes of the annotations of the paragraphs numbered in
    /// `numbers`: one run, as the annotations are in the order of the text.
    pub fn annotations_of(&self, numbers: &std::ops::Range<usize>) -> std::ops::Range<usize> {
        let first = self.annotations.partition_point(|a| a.paragraph < numbers.start);
        let end = self.annotations.partition_point(|a| a.paragraph < numbers.end);
        first..end.max(first)
    }

    /// Whether the source's ¶1 is its title (the original's headline,
    /// whatever its case) and carries no annotation: pages show it once,
    /// as the title, which takes the ¶1 anchor.
    pub fn opens_with_title(&self) -> bool {
        let title = fidelity::normalise(&self.title).to_lowercase();
        self.paragraphs
            .first()
            .is_some_and(|p| p.normal().to_lowercase() == title)
            && self.annotations.iter().all(|a| a.paragraph != 1)
    }
}

/// One annotated span of a source, with every key interpreted.
#[derive(Debug, Clone, Default)]
pub struct Annotation {
    pub paragraph: usize,
    /// File offsets of the whole `[TEXT]{ATTRS}`, for diagnostics.
    pub span: std::ops::Range<usize>,
    /// Byte range of the words in the paragraph's plain text; read them
    /// with [`Source::words`] (a copy here was a fifth of a large
    /// dossier's memory).
    pub plain_range: std::ops::Range<usize>,
    pub sectors: Vec<SectorId>,
    pub actors: Vec<ActorId>,
    /// Boxed, as `note`: an `EdtfDate` is 48 bytes, and most annotations
    /// have no date of their own.
    pub date: Option<Box<EdtfDate>>,
    pub event: Option<EventId>,
    pub figure: Option<FigureId>,
    /// Boxed: most annotations have none, and there are millions.
    pub note: Option<Box<Markdown>>,
    pub sic: bool,
    pub said: Option<ActorId>,
    pub lang: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub order: i64,
    pub body: Markdown,
    pub path: PathBuf,
}

/// Cross-references, computed once. Vectors indexed by id; lists in source
/// order (source, paragraph, annotation) unless said otherwise.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// Annotations tagged with each sector.
    pub sector_passages: Vec<Vec<Citation>>,
    /// Events of each sector, chronologically.
    pub sector_events: Vec<Vec<EventId>>,
    pub sector_figures: Vec<Vec<FigureId>>,
    /// Actors mentioned in each sector's passages or events, by slug.
    pub sector_actors: Vec<Vec<ActorId>>,
    /// Annotations mentioning each actor.
    pub actor_mentions: Vec<Vec<Citation>>,
    /// Annotations that are statements by each actor.
    pub actor_statements: Vec<Vec<Citation>>,
    pub actor_events: Vec<Vec<EventId>>,
    /// Editorial texts linking to each paragraph: (source, ¶) → owners.
    pub cited_in: BTreeMap<(SourceId, usize), Vec<Owner>>,
    /// Annotations with an editor's note, per source, in order: their
    /// position is the note's number.
    pub source_notes: Vec<Vec<usize>>,
}

impl Dossier {
    pub fn annotation(&self, c: &Citation) -> &Annotation {
        &self.sources[c.source].annotations[c.annotation]
    }

    /// The editor's notes of source `source`'s paragraphs numbered in
    /// `numbers`, as indexes into `index.source_notes[source]` (a note's
    /// number is its index + 1): one run, as the notes are annotations in
    /// the order of the text.
    pub fn notes_of(&self, source: usize, numbers: &std::ops::Range<usize>) -> std::ops::Range<usize> {
        let notes = &self.index.source_notes[source];
        let shown = self.sources[source].annotations_of(numbers);
        let first = notes.partition_point(|&a| a < shown.start);
        let end = notes.partition_point(|&a| a < shown.end);
        first..end.max(first)
    }
}
