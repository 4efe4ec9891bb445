//! `dossier` turns a folder of annotated primary sources and editorial
//! Markdown into a self-contained static website. The pipeline is four
//! stages, each a module, with plain data between them:
//!
//! `load(root) -> Inputs` → `model::build(&mut Inputs) -> Checked` →
//! `render(&Dossier, &Theme, &dyn Sink)` → `write::Staging` (the sink that
//! minifies each page and writes it as it comes, then swaps the site in).

pub mod cli;
pub mod code;
pub mod diagnostic;
pub mod load;
pub mod marker;
pub mod model;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod slug;
pub mod span;
pub mod write;

use std::path::Path;

use diagnostic::{Diagnostic, SourceFiles};

/// What a successful run did, for the summary line.
#[derive(Debug)]
pub struct Summary {
    pub diagnostics: Vec<Diagnostic>,
    pub files: SourceFiles,
    pub counts: Counts,
    pub pages_written: Option<usize>,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub sources: usize,
    pub paragraphs: usize,
    pub annotations: usize,
    pub sectors: usize,
    pub actors: usize,
    pub events: usize,
    pub figures: usize,
}

impl Summary {
    pub fn diagnostics_text(&self, styled: bool) -> String {
        diagnostic::render(&self.diagnostics, &self.files, styled)
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.iter().filter(|d| !d.is_error()).count()
    }

    fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn line(&self) -> String {
        let c = &self.counts;
        let what = format!(
            "{} ({} ¶, {}), {}, {}, {}, {}",
            counted(c.sources, "source"),
            c.paragraphs,
            counted(c.annotations, "annotation"),
            counted(c.sectors, "sector"),
            counted(c.actors, "actor"),
            counted(c.events, "event"),
            counted(c.figures, "figure"),
        );
        let warnings = match self.warnings() {
            0 => String::new(),
            n => format!(", {}", counted(n, "warning")),
        };
        match self.pages_written {
            Some(pages) => format!("built {} from {what}{warnings}", counted(pages, "page")),
            None => format!("checked {what}{warnings}"),
        }
    }

    pub fn problem_line(&self) -> String {
        format!(
            "{}, {}",
            counted(self.errors(), "error"),
            counted(self.warnings(), "warning")
        )
    }
}

/// `1 source`, `2 sources`: the command line speaks English.
fn counted(n: usize, thing: &str) -> String {
    if n == 1 {
        format!("1 {thing}")
    } else {
        format!("{n} {thing}s")
    }
}

#[derive(Debug)]
pub enum Failure {
    /// The content has errors; every diagnostic is in the summary.
    Content(Summary),
    /// The command was used wrongly (e.g. an output folder it must not touch).
    Usage(String),
    Io(anyhow::Error),
}

/// Whether warnings stop a build, as errors do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strictness {
    #[default]
    AllowWarnings,
    DenyWarnings,
}

/// Loads, validates and renders the dossier at `root`, writing nothing:
/// whatever `build` would refuse, `check` reports.
pub fn check(root: &Path, strictness: Strictness) -> Result<Summary, Failure> {
    let (summary, dossier, theme) = checked(root, strictness, &mut Kept::default())?;
    render_into(summary, &dossier, &theme, &render::Discard)
}

/// Checks the dossier at `root` and writes its site to `out`: the four
/// stages, in order. The pages stream from render to write; nothing
/// replaces `out` unless every stage succeeds.
/// With `progress`, once the build has run for a second, standard error
/// shows the stage it is in and then the pages written (see [`progress`]).
pub fn build(root: &Path, out: &Path, strictness: Strictness, progress: bool) -> Result<Summary, Failure> {
    build_kept(root, out, strictness, progress, &mut Kept::default())
}

/// What `serve` keeps from one build to the next: the files read and each
/// source's model, so that a build after an edit reads and resolves only
/// what the edit changed. A build with a `Kept` makes the same site, and
/// reports the same diagnostics, as a fresh one.
#[derive(Debug, Default)]
pub struct Kept {
    files: load::FileCache,
    memo: model::Memo,
}

impl Kept {
    /// A state that remembers (the default remembers nothing of the model).
    pub fn new() -> Kept {
        Kept {
            files: load::FileCache::keeping(),
            memo: model::Memo::keeping(),
        }
    }

    /// How many sources the last build resolved afresh.
    pub fn sources_resolved(&self) -> usize {
        self.memo.resolved_last
    }
}

/// [`build`] for `serve`: with what the previous builds left in `kept`.
pub fn build_cached(root: &Path, out: &Path, kept: &mut Kept) -> Result<Summary, Failure> {
    check_cached(root, kept)?.write(out)
}

/// A dossier through the first two stages without an error, ready to be
/// rendered: `serve` renders the pages open in a browser first.
pub struct Ready {
    summary: Summary,
    dossier: model::Dossier,
    theme: load::Theme,
}

/// Loads and models the dossier at `root` with what `kept` holds.
pub fn check_cached(root: &Path, kept: &mut Kept) -> Result<Ready, Failure> {
    let (summary, dossier, theme) = checked(root, Strictness::AllowWarnings, kept)?;
    Ok(Ready {
        summary,
        dossier,
        theme,
    })
}

impl Ready {
    /// The pages at `paths` (relative to the site's root) exactly as
    /// [`Ready::write`] will write them, in memory; `None` if the theme
    /// cannot render them (`write` then says why).
    pub fn pages(&self, paths: &[String]) -> Option<write::Pages> {
        let preview = write::Preview::default();
        render::render_pages(&self.dossier, &self.theme, &preview, paths).ok()?;
        Some(preview.into_pages())
    }

    /// The last two stages: the whole site, swapped in for `out`.
    pub fn write(self, out: &Path) -> Result<Summary, Failure> {
        let staging = write::Staging::create(out).map_err(write_failure)?;
        let mut summary = self.render(&staging)?;
        summary.pages_written = Some(staging.commit().map_err(write_failure)?);
        Ok(summary)
    }

    /// The third stage, into `sink` (`serve` wraps the staging folder in a
    /// sink that gives up once a newer edit exists).
    fn render(self, sink: &dyn render::Sink) -> Result<Summary, Failure> {
        render_into(self.summary, &self.dossier, &self.theme, sink)
    }
}

fn build_kept(
    root: &Path,
    out: &Path,
    strictness: Strictness,
    progress: bool,
    kept: &mut Kept,
) -> Result<Summary, Failure> {
    let progress = progress.then(progress::Progress::start);
    let stage = |name: &str| {
        if let Some(p) = &progress {
            p.stage(name);
        }
    };
    let built = checked_in_stages(root, strictness, kept, &stage).and_then(|(summary, dossier, theme)| {
        let staging = write::Staging::create(out).map_err(write_failure)?;
        // The search index, then the pages (which announce themselves).
        stage("indexing");
        let rendered = match &progress {
            Some(p) => render_into(summary, &dossier, &theme, &p.pages(&staging)),
            None => render_into(summary, &dossier, &theme, &staging),
        };
        let mut summary = rendered?;
        stage("replacing the previous site");
        summary.pages_written = Some(staging.commit().map_err(write_failure)?);
        // Freeing a large dossier's model is millions of small frees (0.1 s
        // at 10,000 sources): done on a thread of its own, which a process
        // that exits now does not wait for.
        std::thread::spawn(move || drop((dossier, theme)));
        Ok(summary)
    });
    // Clears the bar, if shown, before the summary is printed.
    drop(progress);
    built
}

fn write_failure(e: write::WriteError) -> Failure {
    match e {
        write::WriteError::Refused(message) => Failure::Usage(message),
        write::WriteError::Io(err) => Failure::Io(err),
    }
}

/// The first two stages: the dossier, or every problem with it.
fn checked(
    root: &Path,
    strictness: Strictness,
    kept: &mut Kept,
) -> Result<(Summary, model::Dossier, load::Theme), Failure> {
    checked_in_stages(root, strictness, kept, &|_| {})
}

/// [`checked`], naming each stage to `stage` as it begins.
fn checked_in_stages(
    root: &Path,
    strictness: Strictness,
    kept: &mut Kept,
    stage: &dyn Fn(&str),
) -> Result<(Summary, model::Dossier, load::Theme), Failure> {
    stage("reading");
    let mut inputs = load::load_cached(root, &mut kept.files).map_err(Failure::Io)?;
    stage("checking");
    let checked = model::build_with_memo(&mut inputs, &mut kept.memo);
    let counts = checked.dossier.as_ref().map(counts).unwrap_or_default();
    let mut files = inputs.files;
    files.keep_for(&checked.diagnostics);
    files.read_missing(&checked.diagnostics, load::read_again(root));
    let mut summary = Summary {
        diagnostics: checked.diagnostics,
        files,
        counts,
        pages_written: None,
    };
    let Some(dossier) = checked.dossier else {
        return Err(Failure::Content(summary));
    };
    if strictness == Strictness::DenyWarnings && summary.warnings() > 0 {
        for d in &mut summary.diagnostics {
            d.severity = diagnostic::Severity::Error;
        }
        return Err(Failure::Content(summary));
    }
    Ok((summary, dossier, inputs.theme))
}

fn counts(d: &model::Dossier) -> Counts {
    Counts {
        sources: d.sources.len(),
        paragraphs: d.sources.iter().map(|s| s.paragraphs.len()).sum(),
        annotations: d.sources.iter().map(|s| s.annotations.len()).sum(),
        sectors: d.sectors.len(),
        actors: d.actors.len(),
        events: d.events.len(),
        figures: d.figures.len(),
    }
}

/// The third stage, into `sink`; a theme that cannot render the dossier
/// adds its diagnostics to the others.
fn render_into(
    mut summary: Summary,
    dossier: &model::Dossier,
    theme: &load::Theme,
    sink: &dyn render::Sink,
) -> Result<Summary, Failure> {
    match render::render(dossier, theme, sink) {
        Ok(()) => Ok(summary),
        Err(render::RenderError::Output(err)) => Err(Failure::Io(err)),
        Err(render::RenderError::Content(diagnostics)) => {
            summary.diagnostics.extend(diagnostics);
            diagnostic::sort(&mut summary.diagnostics);
            Err(Failure::Content(summary))
        }
    }
}
