//! The model's entry point: the order in which the dossier is validated and
//! assembled. Sources are parsed and checked in parallel; events and figures
//! are merged across sources in source order, so the result (and every
//! message) is the same whatever the thread count.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap, FxHashSet};

use super::entities::{self, EventFile};
use super::links::{self, Citing, LinkTables};
use super::memo::Memo;
use super::resolve::{self, EventRef, FigureRef, SourceDraft};
use super::{Citation, Dossier, Event, Figure, Markdown, Owner, Source, index};
use crate::code::Code;
use crate::diagnostic::{self, Diagnostic};
use crate::load::Inputs;

/// The outcome of checking a dossier: the dossier when it has no error, and
/// every diagnostic (errors and warnings), sorted by file and position.
#[derive(Debug)]
pub struct Checked {
    pub dossier: Option<Dossier>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }
}

/// Takes the sources out of `inputs` (their texts are dropped one by one
/// as they are resolved); the rest is left for the caller.
pub fn build(inputs: &mut Inputs) -> Checked {
    build_with_memo(inputs, &mut Memo::default())
}

/// [`build`], taking from `memo` the sources whose inputs did not change
/// since the build that filled it (and keeping this build's for the next):
/// the same dossier and diagnostics as `build`.
pub fn build_with_memo(inputs: &mut Inputs, memo: &mut Memo) -> Checked {
    let sources = std::mem::take(&mut inputs.sources);
    let invalid_source_slugs = invalid_slugs(&sources);
    let inputs = &*inputs;
    let mut diags = inputs.diagnostics.clone();
    let sectors = entities::sectors(inputs, &mut diags);
    let mut actors = entities::actors(inputs, &mut diags);
    let pages = entities::pages(inputs, &mut diags);
    let names = entities::names(&sectors, &actors);
    entities::countries(inputs, &names, &mut actors, &mut diags);
    let config = entities::config(inputs, &names, &mut diags);
    diags.extend(super::language::check(inputs));
    let event_files = entities::event_files(inputs, &names, &mut diags);
    let mut drafts = memo.sources(sources, inputs, &names);
    check_duplicate_slugs(&drafts, &mut diags);
    for d in &mut drafts {
        diags.append(&mut d.diagnostics);
    }
    diags.extend(unreadable_originals(inputs, &drafts));
    diags.extend(unused_originals(inputs, &drafts));
    let undated: Vec<String> = event_files
        .iter()
        .filter(|f| f.date.is_none())
        .map(|f| format!("event:{}", f.slug))
        .collect();
    let mut events = merge_events(event_files, &drafts, &mut diags);
    let figures = merge_figures(&drafts, &mut diags);
    let key_figures = super::entities::key_figures(inputs, &figures, &mut diags);
    let sources = attach(drafts, &events, &figures);
    for event in &mut events {
        event.citations.sort();
    }
    let mut config = config.unwrap_or_else(|| missing_config(&mut diags));
    config.key_figures = key_figures;
    let mut dossier = Dossier {
        config,
        sectors,
        actors,
        events,
        sources: Vec::new(),
        figures,
        pages,
        index: Default::default(),
    };
    let citing = resolve_links(&mut dossier, sources, &mut diags);
    dossier.index = index::build(&dossier, citing);
    diags.extend(index::warnings(&dossier));
    if inputs.failed.iter().chain(&invalid_source_slugs).any(|p| is_source(p)) {
        diags.retain(|d| !NEEDS_EVERY_SOURCE.contains(&d.code));
    }
    let broken = broken_targets(inputs, invalid_source_slugs, undated);
    diags.retain(|d| d.target.as_ref().is_none_or(|t| !broken.contains(t)));
    links::collapse_links_to_nothing(&mut diags, |scheme| defines_none(&dossier, scheme));
    diagnostic::sort(&mut diags);
    let failed = diags.iter().any(Diagnostic::is_error);
    Checked {
        dossier: (!failed).then_some(dossier),
        diagnostics: diags,
    }
}

/// Whether the dossier defines nothing that a link of `scheme` can name.
fn defines_none(d: &Dossier, scheme: &str) -> bool {
    match scheme {
        "source" => d.sources.is_empty(),
        "sector" => d.sectors.is_empty(),
        "actor" => d.actors.is_empty(),
        "event" => d.events.is_empty(),
        "page" => d.pages.is_empty(),
        _ => d.figures.is_empty(),
    }
}

/// An original that is not text is an error when a source names it, and
/// otherwise a warning: newsrooms keep the PDF beside the transcript.
fn unreadable_originals(inputs: &Inputs, drafts: &[SourceDraft]) -> Vec<Diagnostic> {
    let named: FxHashSet<&Path> = drafts.iter().map(|d| d.source.original.as_path()).collect();
    inputs
        .unreadable_originals
        .iter()
        .map(|d| {
            if named.contains(d.file.as_path()) {
                return d.clone();
            }
            Diagnostic::warning(Code::W0002, &d.file, d.span.clone(), d.message.clone())
                .with_help("no source that could be read names this file as its `original:`, so it is ignored; originals are UTF-8 text")
        })
        .collect()
}

/// An original that no source names is a copy never annotated (or a
/// source's `original:` that went astray). Not reported while a source
/// failed to load or names an original that cannot be read: it may be
/// that source's, and the error says so already.
fn unused_originals(inputs: &Inputs, drafts: &[SourceDraft]) -> Vec<Diagnostic> {
    let astray = drafts.iter().any(|d| !d.has_original);
    if astray || inputs.failed.iter().any(|p| p.starts_with("seeds")) {
        return Vec::new();
    }
    let named: FxHashSet<&Path> = drafts.iter().map(|d| d.source.original.as_path()).collect();
    inputs
        .originals
        .values()
        .filter(|file| !named.contains(file.path.as_path()))
        .map(|file| {
            let path = file.path.display();
            let key = file.path.strip_prefix("seeds").unwrap_or(&file.path).display();
            Diagnostic::warning(Code::W0107, &file.path, 0..0, format!("no source uses the original `{path}`"))
                .with_help(format!(
                    "draft its annotated copy with `dossier new source SLUG --original {path}`, or name it in a source's front matter as `original: {key}`; else remove it"
                ))
        })
        .collect()
}

/// What the files that failed would have defined (`event:slug`): their
/// error is reported, so references to them are not reported again.
fn broken_targets(inputs: &Inputs, invalid_sources: Vec<PathBuf>, undated_events: Vec<String>) -> FxHashSet<String> {
    let invalid = [
        invalid_slugs(&inputs.sectors),
        invalid_slugs(&inputs.actors),
        invalid_slugs(&inputs.events),
        invalid_slugs(&inputs.pages),
        invalid_sources,
    ];
    inputs
        .failed
        .iter()
        .chain(invalid.iter().flatten())
        .filter_map(|path| target_of(path))
        .chain(undated_events)
        .collect()
}

/// The files whose slug (their name) is not a valid slug.
fn invalid_slugs<T>(docs: &[crate::load::Document<T>]) -> Vec<PathBuf> {
    docs.iter()
        .filter(|d| !crate::slug::is_valid(&d.slug))
        .map(|d| d.path.clone())
        .collect()
}

/// What is told only when every source was read: a source that could not
/// be may define the figure (E0307) or cite the sector, actor or event
/// (W0101–W0103) these report. Its own error comes first; they are told
/// once it is fixed, if they still hold.
const NEEDS_EVERY_SOURCE: [Code; 4] = [Code::E0307, Code::W0101, Code::W0102, Code::W0103];

/// Whether `path` is a source's file (`seeds/x.md`).
fn is_source(path: &Path) -> bool {
    target_of(path).is_some_and(|t| t.starts_with("source:"))
}

/// The link target a file defines: `seeds/x.md` is `source:x`,
/// `content/events/x.md` is `event:x`.
fn target_of(path: &Path) -> Option<String> {
    let parts: Vec<_> = path.iter().map(|p| p.to_string_lossy()).collect();
    let slug = path.file_stem()?.to_string_lossy();
    let scheme = match parts.as_slice() {
        [seeds, _] if seeds == "seeds" => "source",
        [content, folder, _] if content == "content" => match folder.as_ref() {
            "sectors" => "sector",
            "actors" => "actor",
            "events" => "event",
            "pages" => "page",
            _ => return None,
        },
        _ => return None,
    };
    Some(format!("{scheme}:{slug}"))
}

fn missing_config(diags: &mut [Diagnostic]) -> super::Config {
    debug_assert!(
        diags.iter().any(Diagnostic::is_error),
        "a missing configuration is reported by load"
    );
    super::Config {
        title: String::new(),
        subtitle: None,
        description: None,
        language: String::new(),
        parties: Vec::new(),
        key_figures: Vec::new(),
        base_url: None,
        allow_html: false,
        one_file: true,
    }
}

/// Two source files can only share a slug through different extensions or
/// case; both would write the same page.
fn check_duplicate_slugs(drafts: &[SourceDraft], diags: &mut Vec<Diagnostic>) {
    let mut seen: FxHashMap<&str, &Path> = FxHashMap::default();
    for d in drafts {
        if let Some(first) = seen.insert(&d.source.slug, &d.source.path) {
            diags.push(
                Diagnostic::error(
                    Code::E0220,
                    &d.source.path,
                    0..0,
                    format!("the slug `{}` is already used by `{}`", d.source.slug, first.display()),
                )
                .with_help("rename one of the files"),
            );
        }
    }
}

/// An event being assembled from its file or inline definition and its
/// citations.
struct EventDraft {
    event: Event,
    /// Defined by an annotation rather than a file.
    inline: bool,
}

fn merge_events(files: Vec<EventFile>, drafts: &[SourceDraft], diags: &mut Vec<Diagnostic>) -> Vec<Event> {
    let mut table: BTreeMap<String, EventDraft> = BTreeMap::new();
    for f in files {
        let Some(date) = f.date else { continue };
        let event = Event {
            slug: f.slug.clone(),
            title: f.title,
            date,
            kind: f.kind,
            status: f.status,
            sectors: f.sectors,
            actors: f.actors,
            description: f.description,
            citations: Vec::new(),
            path: f.path,
        };
        table.insert(f.slug, EventDraft { event, inline: false });
    }
    for draft in drafts {
        for r in draft.events.iter().filter(|r| r.title.is_some()) {
            define_inline(&mut table, draft, r, diags);
        }
    }
    for (s, draft) in drafts.iter().enumerate() {
        let budget = diagnostic::Budget::default();
        for r in &draft.events {
            cite_event(&mut table, s, draft, (r, &budget), diags);
        }
    }
    let mut events: Vec<Event> = table.into_values().map(|d| d.event).collect();
    // Events of the same date keep the order their sources tell them in
    // (source, then paragraph); the slug settles what is left.
    let told_at = |e: &Event| {
        e.citations
            .iter()
            .min()
            .map_or((usize::MAX, 0), |c| (c.source, c.paragraph))
    };
    events.sort_by(|a, b| {
        a.date
            .chronological(&b.date)
            .then_with(|| told_at(a).cmp(&told_at(b)))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    for e in &mut events {
        e.sectors.sort_unstable();
        e.sectors.dedup();
        e.actors.sort_unstable();
        e.actors.dedup();
    }
    events
}

fn define_inline(
    table: &mut BTreeMap<String, EventDraft>,
    draft: &SourceDraft,
    r: &EventRef,
    diags: &mut Vec<Diagnostic>,
) {
    let path = &draft.source.path;
    let title = r.title.clone().unwrap_or_default();
    match table.get(&r.slug) {
        Some(existing) if !existing.inline => diags.push(
            Diagnostic::error(
                Code::E0302,
                path,
                r.span.clone(),
                format!(
                    "the event `{}` is defined in `{}` and again here",
                    r.slug,
                    existing.event.path.display()
                ),
            )
            .with_help(
                "remove `title=` (and keep `date=` only if it falls within the event): an event is defined once",
            ),
        ),
        Some(existing) => {
            let e = &existing.event;
            if r.date.is_some_and(|d| d != e.date) || title != e.title {
                let what = if title != e.title { "title" } else { "date" };
                diags.push(
                    Diagnostic::error(Code::E0303, path, r.span.clone(), format!("the event `{}` is defined inline twice, with a different {what}", r.slug))
                        .with_help(format!(
                            "it is first defined in `{}` as “{}” ({}); give `title=` and `date=` once, other citations need only `event={}`",
                            e.path.display(), e.title, e.date, r.slug
                        )),
                );
            }
        }
        None => match r.date {
            // Issue 13: a reversed range gave this E0304 before its E0300.
            None if r.date_refused => {}
            None => diags.push(
                Diagnostic::error(
                    Code::E0304,
                    path,
                    r.span.clone(),
                    format!("the event `{}` is defined inline without a date", r.slug),
                )
                .with_help("add `date=YYYY-MM-DD` (or a month, a year, a range) to the annotation"),
            ),
            Some(date) => {
                let event = Event {
                    slug: r.slug.clone(),
                    title,
                    date,
                    kind: None,
                    status: None,
                    sectors: Vec::new(),
                    actors: Vec::new(),
                    description: Markdown::default(),
                    citations: Vec::new(),
                    path: path.clone(),
                };
                table.insert(r.slug.clone(), EventDraft { event, inline: true });
            }
        },
    }
}

fn cite_event(
    table: &mut BTreeMap<String, EventDraft>,
    s: usize,
    draft: &SourceDraft,
    (r, budget): (&EventRef, &diagnostic::Budget),
    diags: &mut Vec<Diagnostic>,
) {
    let path = &draft.source.path;
    let Some(entry) = table.get_mut(&r.slug) else {
        if r.title.is_none() {
            diags.push(
                Diagnostic::error(Code::E0305, path, r.span.clone(), format!("unknown event `{}`", r.slug))
                    .with_help(match budget.did_you_mean(&r.slug, table.keys().map(String::as_str)) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!(
                            "create `content/events/{}.md`, or define it here with `date=` and `title=\"…\"`",
                            r.slug
                        ),
                    })
                    .about_target(format!("event:{}", r.slug)),
            );
        }
        return;
    };
    let event = &mut entry.event;
    if let Some(date) = r.date
        && !event.date.contains(&date)
    {
        diags.push(
            Diagnostic::error(Code::E0306, path, r.span.clone(), format!("this passage is dated {date}, outside the event `{}` ({})", r.slug, event.date))
                .with_help("a passage citing an event must have a date within the event's; fix one of the dates, or cite another event"),
        );
    }
    event.sectors.extend(&r.sectors);
    event.actors.extend(&r.actors);
    event.citations.push(Citation {
        source: s,
        paragraph: r.paragraph,
        annotation: r.annotation,
    });
}

/// Figures are defined by the annotations that give their `value=`, in
/// source order; annotations that name a figure without a value cite it.
fn merge_figures(drafts: &[SourceDraft], diags: &mut Vec<Diagnostic>) -> Vec<Figure> {
    let mut figures: Vec<Figure> = Vec::new();
    let mut table: FxHashMap<&str, (usize, &FigureRef, &Path)> = FxHashMap::default();
    let refs = || {
        drafts
            .iter()
            .enumerate()
            .flat_map(|(s, draft)| draft.figures.iter().map(move |r| (s, draft, r)))
    };
    for (s, draft, r) in refs() {
        let Some(value) = &r.value else { continue };
        let annotation = &draft.source.annotations[r.annotation];
        match table.get(r.slug.as_str()) {
            Some(&(i, first, first_path)) => {
                if let Some(conflict) = figure_conflict(first, r) {
                    diags.push(figure_conflict_error(draft, r, &conflict, first_path));
                }
                let figure = &mut figures[i];
                if figure.unit.is_none() {
                    figure.unit.clone_from(&r.unit);
                }
                if figure.bound.is_none() {
                    figure.bound.clone_from(&r.bound);
                }
                cite_figure(figure, s, r, &annotation.sectors);
            }
            None => {
                table.insert(&r.slug, (figures.len(), r, &draft.source.path));
                figures.push(Figure {
                    slug: r.slug.clone(),
                    value: value.clone(),
                    unit: r.unit.clone(),
                    bound: r.bound.clone(),
                    label: r
                        .label
                        .clone()
                        .unwrap_or_else(|| draft.source.words(annotation).to_string()),
                    sectors: annotation.sectors.clone(),
                    citations: vec![citation(s, r)],
                });
            }
        }
    }
    let budget = diagnostic::Budget::default();
    for (s, draft, r) in refs().filter(|(_, _, r)| r.value.is_none()) {
        match table.get(r.slug.as_str()) {
            Some(&(i, _, _)) => {
                cite_figure(&mut figures[i], s, r, &draft.source.annotations[r.annotation].sectors);
            }
            None => diags.push(unknown_figure(
                draft,
                r,
                budget.did_you_mean(&r.slug, figures.iter().map(|f| f.slug.as_str())),
            )),
        }
    }
    for f in &mut figures {
        f.sectors.sort_unstable();
        f.sectors.dedup();
        f.citations.sort();
    }
    figures
}

fn citation(source: usize, r: &FigureRef) -> Citation {
    Citation {
        source,
        paragraph: r.paragraph,
        annotation: r.annotation,
    }
}

fn cite_figure(figure: &mut Figure, source: usize, r: &FigureRef, sectors: &[usize]) {
    figure.sectors.extend(sectors);
    figure.citations.push(citation(source, r));
}

/// Issue 12: E0310 never showed the two values.
fn figure_conflict_error(draft: &SourceDraft, r: &FigureRef, conflict: &Conflict, first_path: &Path) -> Diagnostic {
    let Conflict { key, first, other } = conflict;
    let written = |v: &str| match v.contains(char::is_whitespace) {
        true => format!("{key}=\"{v}\""),
        false => format!("{key}={v}"),
    };
    let (first, other) = (written(first), written(other));
    Diagnostic::error(
        Code::E0310,
        &draft.source.path,
        r.span.clone(),
        format!(
            "the figure `{}` is given twice with a different {key}: `{other}` here, `{first}` first",
            r.slug
        ),
    )
    .with_help(format!(
        "it is first given in `{}` with `{first}`; a figure cited twice must be the same figure: give the same {key}, or this one another slug",
        first_path.display()
    ))
}

fn unknown_figure(draft: &SourceDraft, r: &FigureRef, best: Option<&str>) -> Diagnostic {
    let help = match best {
        Some(best) => format!("did you mean `{best}`?"),
        None => "a figure is defined where a source states it, with its number: `figure=slug value=50000 unit=\"…\"`"
            .to_string(),
    };
    Diagnostic::error(
        Code::E0307,
        &draft.source.path,
        r.span.clone(),
        format!("unknown figure `{}`: no annotation gives its `value=`", r.slug),
    )
    .with_help(help)
    .about_target(format!("figure:{}", r.slug))
}

/// What differs between two definitions of a figure: the key, and its
/// value in the first and in the other.
struct Conflict<'a> {
    key: &'static str,
    first: &'a str,
    other: &'a str,
}

fn figure_conflict<'a>(first: &'a FigureRef, other: &'a FigureRef) -> Option<Conflict<'a>> {
    let differs = |key, a: &'a Option<String>, b: &'a Option<String>, both: bool| {
        (a != b && (!both || a.is_some() && b.is_some())).then(|| Conflict {
            key,
            first: a.as_deref().unwrap_or_default(),
            other: b.as_deref().unwrap_or_default(),
        })
    };
    differs("value", &first.value, &other.value, false)
        .or_else(|| differs("unit", &first.unit, &other.unit, true))
        .or_else(|| differs("bound", &first.bound, &other.bound, true))
        .or_else(|| differs("label", &first.label, &other.label, true))
}

/// Sets each annotation's event and figure ids, now that they are known.
fn attach(drafts: Vec<SourceDraft>, events: &[Event], figures: &[Figure]) -> Vec<(Source, Vec<resolve::NoteRef>)> {
    let event_ids: FxHashMap<&str, usize> = events.iter().enumerate().map(|(i, e)| (e.slug.as_str(), i)).collect();
    let figure_ids: FxHashMap<&str, usize> = figures.iter().enumerate().map(|(i, f)| (f.slug.as_str(), i)).collect();
    drafts
        .into_iter()
        .map(|mut d| {
            for r in &d.events {
                d.source.annotations[r.annotation].event = event_ids.get(r.slug.as_str()).copied();
            }
            for r in &d.figures {
                d.source.annotations[r.annotation].figure = figure_ids.get(r.slug.as_str()).copied();
            }
            (d.source, d.notes)
        })
        .collect()
}

/// Resolves the internal links of every editorial text and note, and
/// returns which paragraphs they cite.
fn resolve_links(
    dossier: &mut Dossier,
    sources: Vec<(Source, Vec<resolve::NoteRef>)>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Citing> {
    let tables = link_tables(dossier, &sources);
    let mut citing = Vec::new();
    let mut run = |md: &mut Markdown, path: &Path, owner: Owner| {
        let (c, d) = links::resolve(md, path, &tables, owner);
        citing.extend(c);
        diags.extend(d);
    };
    for (i, s) in dossier.sectors.iter_mut().enumerate() {
        run(&mut s.intro, &s.path, Owner::Sector(i));
    }
    for (i, a) in dossier.actors.iter_mut().enumerate() {
        run(&mut a.profile, &a.path, Owner::Actor(i));
    }
    for (i, e) in dossier.events.iter_mut().enumerate() {
        run(&mut e.description, &e.path, Owner::Event(i));
    }
    for (i, p) in dossier.pages.iter_mut().enumerate() {
        run(&mut p.body, &p.path, Owner::Page(i));
    }
    for (i, (mut source, notes)) in sources.into_iter().enumerate() {
        for note in notes {
            let mut md = entities::markdown(&note.text, note.span.start + 1);
            md.in_source = true;
            run(&mut md, &source.path, Owner::Source(i));
            match note.annotation {
                Some(a) => source.annotations[a].note = Some(Box::new(md)),
                None => source.note = Some(md),
            }
        }
        dossier.sources.push(source);
    }
    citing
}

fn link_tables(dossier: &Dossier, sources: &[(Source, Vec<resolve::NoteRef>)]) -> LinkTables {
    let by_slug = |slugs: Vec<&String>| -> BTreeMap<String, usize> {
        slugs.into_iter().enumerate().map(|(i, s)| (s.clone(), i)).collect()
    };
    LinkTables {
        sources: sources
            .iter()
            .enumerate()
            .map(|(i, (s, _))| (s.slug.clone(), (i, s.paragraphs.len())))
            .collect(),
        sectors: by_slug(dossier.sectors.iter().map(|s| &s.slug).collect()),
        actors: by_slug(dossier.actors.iter().map(|a| &a.slug).collect()),
        events: by_slug(dossier.events.iter().map(|e| &e.slug).collect()),
        pages: by_slug(dossier.pages.iter().map(|p| &p.slug).collect()),
        figures: by_slug(dossier.figures.iter().map(|f| &f.slug).collect()),
    }
}
