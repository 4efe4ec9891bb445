//! What a sector's or an actor's page shows of the sources: each annotated
//! passage in its sentence, the words marked, the speaker named for a
//! quotation; passages of one paragraph that overlap merged into one, and
//! consecutive passages of one source grouped under it.

use serde::Serialize;

use super::context::Link;
use super::html::Renderer;
use super::passage::{self, Context};
use super::routes::href;
use crate::model::Citation;

#[derive(Debug, Clone, Serialize)]
pub struct PassageGroup {
    pub source: String,
    pub href: String,
    /// The source's publication date, in words.
    pub date: Option<String>,
    /// The source's language when it is not the dossier's.
    pub lang: Option<String>,
    /// The way it is written, when it is not the dossier's way.
    pub dir: Option<&'static str>,
    pub passages: Vec<PassageView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PassageView {
    /// The sentence (or paragraph) with the annotated words in `<mark>`.
    pub html: String,
    /// The paragraph's address.
    pub href: String,
    pub paragraph: usize,
    /// Who says it, for a quotation.
    pub speaker: Option<Link>,
}

/// A passage before it is rendered: where it is and what it marks.
struct Draft {
    citation: Citation,
    context: Context,
    marks: Vec<std::ops::Range<usize>>,
    speaker: Option<usize>,
}

/// The page's passages grouped by source in the order given (oldest or
/// newest first), each source's passages in the order of its text, merged.
pub fn groups(r: &Renderer, citations: &[&Citation]) -> Vec<PassageGroup> {
    let mut groups: Vec<PassageGroup> = Vec::new();
    let mut drafts: Vec<Draft> = Vec::new();
    for run in citations.chunk_by(|a, b| a.source == b.source) {
        let mut run = run.to_vec();
        run.sort_by_key(|c| (c.paragraph, c.annotation));
        groups.push(group(r, run[0].source));
        for c in run {
            add(r, &mut drafts, c);
        }
        flush(r, &mut drafts, &mut groups);
    }
    groups
}

fn group(r: &Renderer, source: usize) -> PassageGroup {
    let s = &r.dossier.sources[source];
    PassageGroup {
        source: s.title.clone(),
        href: href(&r.routes.source(&s.slug)),
        date: s.published.as_ref().map(|p| r.i18n.dates.format_bounds(p)),
        lang: (s.language != r.dossier.config.language).then(|| s.language.clone()),
        dir: super::direction::unlike(&s.language, &r.dossier.config.language),
        passages: Vec::new(),
    }
}

/// Adds a citation to the drafts, into the previous one when it is in the
/// same paragraph and its context touches.
fn add(r: &Renderer, drafts: &mut Vec<Draft>, c: &Citation) {
    let d = r.dossier;
    let a = d.annotation(c);
    let plain = &d.sources[c.source].paragraphs[c.paragraph - 1].plain;
    let context = passage::context(plain, a.plain_range.clone());
    if let Some(last) = drafts.last_mut()
        && last.citation.paragraph == c.paragraph
        && let Some(merged) = passage::merge(&last.context, &context)
    {
        last.context = merged;
        last.marks.push(a.plain_range.clone());
        last.speaker = last.speaker.or(a.said);
        return;
    }
    drafts.push(Draft {
        citation: *c,
        context,
        marks: vec![a.plain_range.clone()],
        speaker: a.said,
    });
}

fn flush(r: &Renderer, drafts: &mut Vec<Draft>, groups: &mut [PassageGroup]) {
    let Some(group) = groups.last_mut() else {
        return;
    };
    let d = r.dossier;
    for draft in drafts.drain(..) {
        let c = draft.citation;
        let source = &d.sources[c.source];
        let plain = &source.paragraphs[c.paragraph - 1].plain;
        group.passages.push(PassageView {
            html: passage::html(plain, &draft.context, &draft.marks, &source.language),
            href: href(&r.routes.paragraph(&source.slug, c.paragraph)),
            paragraph: c.paragraph,
            speaker: draft.speaker.map(|a| Link {
                href: href(&r.routes.actor(&d.actors[a].slug)),
                text: d.actors[a].name.clone(),
            }),
        });
    }
}
