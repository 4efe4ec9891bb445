//! What the model computed for each source at the previous build, for
//! `serve`: a source whose inputs have not changed is not parsed, resolved
//! and checked against its original again.
//!
//! A source's draft (paragraphs, annotations, the events and figures it
//! cites, its diagnostics) and its fidelity report depend on exactly:
//! its file's text (path and slug included), the text of the original its
//! `original:` names, and the [`World`] — the sector and actor slugs it is
//! resolved against, and the originals that exist (a missing original's
//! help suggests one of them). An entry is used only when all three are
//! equal to what they were, compared by value, never by a hash: the
//! drafts, and so the diagnostics, are those a fresh build computes.

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::entities::Names;
use super::resolve::{self, SourceDraft};
use crate::load::{Document, Inputs, RawSource};

/// Everything besides its own files that a source's draft depends on.
#[derive(Debug, Default, PartialEq, Eq)]
struct World {
    sectors: Vec<String>,
    actors: Vec<String>,
    originals: Vec<String>,
    unreadable: Vec<PathBuf>,
}

impl World {
    fn of(inputs: &Inputs, names: &Names) -> World {
        World {
            sectors: names.sector_slugs.clone(),
            actors: names.actor_slugs.clone(),
            originals: inputs.originals.keys().cloned().collect(),
            unreadable: inputs.unreadable_originals.iter().map(|d| d.file.clone()).collect(),
        }
    }
}

/// A source as the model left it, with what it was computed from.
#[derive(Debug, Clone)]
struct Entry {
    text: Arc<str>,
    /// The key the draft's original has among the originals, and that
    /// original's text then (`None` if there was none under that key).
    original_key: String,
    original: Option<Arc<str>>,
    /// With its fidelity report among its diagnostics.
    draft: SourceDraft,
}

impl Entry {
    fn fits(&self, doc: &Document<RawSource>, inputs: &Inputs) -> bool {
        let original = inputs.originals.get(&self.original_key).map(|f| &f.text);
        let same_original = match (&self.original, original) {
            (Some(kept), Some(now)) => same(kept, now),
            (kept, now) => kept.is_none() && now.is_none(),
        };
        same(&self.text, &doc.text) && same_original
    }
}

fn same(a: &Arc<str>, b: &Arc<str>) -> bool {
    Arc::ptr_eq(a, b) || a == b
}

/// The sources of the last build, by path.
#[derive(Debug, Default)]
pub struct Memo {
    /// Whether to keep anything: a one-off build keeps nothing (and clones
    /// nothing, so each source's text goes as soon as it is resolved).
    keep: bool,
    world: World,
    entries: FxHashMap<PathBuf, Entry>,
    /// How many sources the last build resolved afresh (for tests, and
    /// `serve`'s curiosity).
    pub resolved_last: usize,
}

impl Memo {
    /// A memo that keeps each build's sources for the next.
    pub fn keeping() -> Memo {
        Memo {
            keep: true,
            ..Memo::default()
        }
    }

    /// Each source of `docs`, in order, resolved and checked against its
    /// original: from the memo when its inputs are unchanged.
    pub(super) fn sources(
        &mut self,
        docs: Vec<Document<RawSource>>,
        inputs: &Inputs,
        names: &Names,
    ) -> Vec<SourceDraft> {
        let world = World::of(inputs, names);
        if world != self.world {
            self.entries.clear();
            self.world = world;
        }
        let present: FxHashSet<PathBuf> = docs.iter().map(|d| d.path.clone()).collect();
        let count = docs.len();
        let (entries, keep) = (&self.entries, self.keep);
        let resolved: Vec<(Option<Entry>, SourceDraft, bool)> = docs
            .into_par_iter()
            .map(|doc| match entries.get(&doc.path).filter(|e| e.fits(&doc, inputs)) {
                Some(e) => (None, e.draft.clone(), true),
                None if keep => {
                    let entry = fresh(&doc, inputs, names);
                    let draft = entry.draft.clone();
                    (Some(entry), draft, false)
                }
                None => (None, resolve::source(&doc, inputs, names), false),
            })
            .collect();
        self.entries.retain(|path, _| present.contains(path));
        let hits = resolved.iter().filter(|r| r.2).count();
        let mut out = Vec::with_capacity(resolved.len());
        for (entry, draft, _) in resolved {
            if let Some(entry) = entry {
                self.entries.insert(entry.draft.source.path.clone(), entry);
            }
            out.push(draft);
        }
        self.resolved_last = count - hits;
        out
    }
}

/// Resolves a source and checks it against its original, as a fresh
/// build does, with what the result was computed from.
fn fresh(doc: &Document<RawSource>, inputs: &Inputs, names: &Names) -> Entry {
    let draft = resolve::source(doc, inputs, names);
    let original_key = draft
        .source
        .original
        .strip_prefix("seeds")
        .unwrap_or(&draft.source.original)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    let original = inputs.originals.get(&original_key).map(|f| f.text.clone());
    Entry {
        text: doc.text.clone(),
        original_key,
        original,
        draft,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::load::{FileCache, load, load_cached};
    use crate::model::{build, build_with_memo};

    /// A copy of the English fixture, to edit.
    fn copy_of_fixture() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/en-harbor");
        for entry in walkdir::WalkDir::new(&fixture).into_iter().filter_map(Result::ok) {
            let to = dir.path().join(entry.path().strip_prefix(&fixture).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        dir
    }

    fn edit(root: &Path, rel: &str, from: &str, to: &str) {
        let path = root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} has no {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    /// The dossier and every diagnostic, as text to compare.
    fn outcome(checked: &crate::model::Checked) -> String {
        format!("{:#?}\n{:#?}", checked.dossier, checked.diagnostics)
    }

    /// Builds with the kept state and afresh; they must agree.
    fn both(root: &Path, files: &mut FileCache, memo: &mut Memo) -> String {
        let kept = build_with_memo(&mut load_cached(root, files).unwrap(), memo);
        let fresh = build(&mut load(root).unwrap());
        assert_eq!(outcome(&kept), outcome(&fresh));
        outcome(&kept)
    }

    #[test]
    fn resolves_only_the_edited_source_and_agrees_with_a_fresh_build() {
        let dir = copy_of_fixture();
        let root = dir.path();
        let (mut files, mut memo) = (FileCache::keeping(), Memo::keeping());
        let first = both(root, &mut files, &mut memo);
        assert_eq!(memo.resolved_last, 3);
        both(root, &mut files, &mut memo);
        assert_eq!(memo.resolved_last, 0);
        edit(root, "seeds/kelvra-port-deal.md", "title: ", "title: Edited ");
        let edited = both(root, &mut files, &mut memo);
        assert_eq!(memo.resolved_last, 1);
        assert_ne!(first, edited);
        // An error in a source, then fixed: reported, then gone, as afresh.
        edit(root, "seeds/kelvra-port-deal.md", "title: Edited ", "title: [unclosed ");
        let broken = both(root, &mut files, &mut memo);
        assert!(broken.contains("Error"), "{broken}");
        edit(root, "seeds/kelvra-port-deal.md", "title: [unclosed ", "title: ");
        assert_eq!(both(root, &mut files, &mut memo), first);
    }

    #[test]
    fn a_sector_renamed_resolves_every_source_again() {
        let dir = copy_of_fixture();
        let root = dir.path();
        let (mut files, mut memo) = (FileCache::keeping(), Memo::keeping());
        both(root, &mut files, &mut memo);
        let sectors = root.join("content/sectors");
        let first = std::fs::read_dir(&sectors).unwrap().next().unwrap().unwrap().path();
        std::fs::rename(&first, sectors.join("renamed.md")).unwrap();
        let after = both(root, &mut files, &mut memo);
        assert_eq!(memo.resolved_last, 3);
        assert!(after.contains("E0"), "a source citing the old slug is told: {after}");
    }

    #[test]
    fn an_edited_original_checks_its_source_again() {
        let dir = copy_of_fixture();
        let root = dir.path();
        let (mut files, mut memo) = (FileCache::keeping(), Memo::keeping());
        both(root, &mut files, &mut memo);
        let originals = root.join("seeds/originals");
        let original = walkdir::WalkDir::new(&originals)
            .into_iter()
            .filter_map(Result::ok)
            .find(|e| e.file_type().is_file())
            .unwrap();
        let text = std::fs::read_to_string(original.path()).unwrap();
        std::fs::write(original.path(), format!("{text}\nA paragraph added to the original.\n")).unwrap();
        both(root, &mut files, &mut memo);
        assert_eq!(memo.resolved_last, 1);
    }
}
