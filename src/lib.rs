//! `dossier` turns a folder of annotated primary sources and editorial
//! Markdown into a self-contained static website. The pipeline is four
//! stages, each a module, with plain data between them:
//!
//! `load(root) -> Inputs` → `model::build(&Inputs) -> Checked` →
//! `render(&Dossier, &Theme) -> Site` → `write(&Site, out)`.

pub mod cli;
pub mod diagnostic;
pub mod load;
pub mod model;
pub mod render;
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
            "{} sources ({} ¶, {} annotations), {} sectors, {} actors, {} events, {} figures",
            c.sources, c.paragraphs, c.annotations, c.sectors, c.actors, c.events, c.figures
        );
        let warnings = match self.warnings() {
            0 => String::new(),
            1 => ", 1 warning".into(),
            n => format!(", {n} warnings"),
        };
        match self.pages_written {
            Some(pages) => format!("built {pages} pages from {what}{warnings}"),
            None => format!("checked {what}{warnings}"),
        }
    }

    pub fn problem_line(&self) -> String {
        let errors = self.errors();
        let warnings = self.warnings();
        format!(
            "{errors} error{}, {warnings} warning{}",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" }
        )
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
    let (summary, _) = check_and_render(root, strictness)?;
    Ok(summary)
}

type Model = Option<(model::Dossier, load::Theme)>;

fn check_model(root: &Path) -> Result<(Summary, Model), Failure> {
    let inputs = load::load(root).map_err(Failure::Io)?;
    let checked = model::build(&inputs);
    let counts = checked.dossier.as_ref().map(counts).unwrap_or_default();
    let summary = Summary {
        diagnostics: checked.diagnostics,
        files: inputs.files,
        counts,
        pages_written: None,
    };
    match checked.dossier {
        Some(dossier) => Ok((summary, Some((dossier, inputs.theme)))),
        None => Err(Failure::Content(summary)),
    }
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

/// Checks the dossier at `root` and writes its site to `out`: the four
/// stages, in order. Nothing is written unless every stage succeeds.
pub fn build(root: &Path, out: &Path, strictness: Strictness) -> Result<Summary, Failure> {
    let (mut summary, site) = check_and_render(root, strictness)?;
    let written = write::write(&site, out).map_err(|e| match e {
        write::WriteError::Refused(message) => Failure::Usage(message),
        write::WriteError::Io(err) => Failure::Io(err),
    })?;
    summary.pages_written = Some(written);
    Ok(summary)
}

fn check_and_render(root: &Path, strictness: Strictness) -> Result<(Summary, render::Site), Failure> {
    let (mut summary, checked) = check_model(root)?;
    if strictness == Strictness::DenyWarnings && summary.warnings() > 0 {
        for d in &mut summary.diagnostics {
            d.severity = diagnostic::Severity::Error;
        }
        return Err(Failure::Content(summary));
    }
    let (dossier, theme) = checked.expect("a dossier when there is no error");
    match render::render(&dossier, &theme) {
        Ok(site) => Ok((summary, site)),
        Err(diagnostics) => {
            summary.diagnostics.extend(diagnostics);
            diagnostic::sort(&mut summary.diagnostics);
            Err(Failure::Content(summary))
        }
    }
}
