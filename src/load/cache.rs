//! The texts of the files a previous load read, for `serve`: a file whose
//! stamp (length, modification and change times, inode on unix) has not
//! changed since it was read is not read again. Its text is the same
//! `Arc<str>` as before, so later stages can tell it unchanged by pointer.
//!
//! Invariant: what [`FileCache::read`] returns is what
//! [`read_text`](super::read_text) would return now, provided a file's
//! content never changes without its stamp changing (an edit that keeps
//! the length and lands in the same clock tick as the previous one, on a
//! file system with coarse times, would be missed). The stamp is taken
//! before the file is read, so a file changed while it is read is read
//! again next time. Files that could not be read are never kept. A
//! Markdown file's parsed front matter is kept with the text it was parsed
//! from, and used only for that very text (the same `Arc`).

use std::any::Any;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rustc_hash::{FxHashMap, FxHashSet};

use super::{Document, Unreadable, read_text};
use crate::diagnostic::Diagnostic;

/// What changes when a file's content does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    changed: (i64, i64),
    inode: u64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            changed: changed(&meta),
            inode: inode(&meta),
        })
    }
}

#[cfg(unix)]
fn changed(meta: &std::fs::Metadata) -> (i64, i64) {
    use std::os::unix::fs::MetadataExt as _;
    (meta.ctime(), meta.ctime_nsec())
}

#[cfg(not(unix))]
fn changed(_: &std::fs::Metadata) -> (i64, i64) {
    (0, 0)
}

#[cfg(unix)]
fn inode(meta: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt as _;
    meta.ino()
}

#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> u64 {
    0
}

/// Each file read, by its path relative to the dossier root.
#[derive(Default)]
pub struct FileCache {
    /// Whether to keep anything: a one-off build keeps nothing, so that
    /// each text goes as soon as the model is done with it.
    keep: bool,
    files: FxHashMap<PathBuf, (Stamp, Arc<str>)>,
    /// What parsing each Markdown file's front matter gave (a
    /// `Parsed<T>`), with the text it was parsed from.
    parsed: FxHashMap<PathBuf, (Arc<str>, Arc<dyn Any + Send + Sync>)>,
}

impl std::fmt::Debug for FileCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileCache").field("files", &self.files.len()).finish()
    }
}

/// A document with its front matter read, or why it could not be.
type Parsed<T> = Result<Document<T>, Box<Diagnostic>>;

/// A file's text, and the stamp to keep it under if it was read afresh.
pub(super) type Read = (Option<Stamp>, Result<Arc<str>, Unreadable>);

impl FileCache {
    /// A cache that keeps what each build reads for the next.
    pub fn keeping() -> FileCache {
        FileCache {
            keep: true,
            ..FileCache::default()
        }
    }

    /// The text of `rel`, from the cache when its stamp is unchanged.
    /// Only looks: [`FileCache::keep`] stores what was read.
    pub(super) fn read(&self, root: &Path, rel: &Path) -> Read {
        let stamp = Stamp::of(&root.join(rel));
        if let (Some(stamp), Some((kept, text))) = (stamp, self.files.get(rel))
            && stamp == *kept
        {
            return (None, Ok(text.clone()));
        }
        (stamp, read_text(root, rel))
    }

    /// Keeps what [`FileCache::read`] read afresh (an unreadable file is
    /// forgotten, to be read again).
    pub(super) fn keep(&mut self, rel: &Path, read: &Read) {
        if !self.keep {
            return;
        }
        match read {
            (Some(stamp), Ok(text)) => {
                self.files.insert(rel.to_path_buf(), (*stamp, text.clone()));
            }
            (None, Ok(_)) => {}
            (_, Err(_)) => {
                self.files.remove(rel);
            }
        }
    }

    /// Forgets the files not in `found` (deleted or renamed since).
    pub(super) fn retain(&mut self, found: &FxHashSet<&Path>) {
        self.files.retain(|path, _| found.contains(path.as_path()));
        self.parsed.retain(|path, _| found.contains(path.as_path()));
    }

    /// What parsing `rel` gave when its text was `text` (the same `Arc`),
    /// if it was parsed as a `T`.
    pub(super) fn parsed<T: Clone + 'static>(&self, rel: &Path, text: &Arc<str>) -> Option<Parsed<T>> {
        let (kept, parsed) = self.parsed.get(rel)?;
        if !Arc::ptr_eq(kept, text) {
            return None;
        }
        parsed.downcast_ref::<Parsed<T>>().cloned()
    }

    pub(super) fn keep_parsed<T: Clone + Send + Sync + 'static>(
        &mut self,
        rel: PathBuf,
        text: Arc<str>,
        parsed: &Parsed<T>,
    ) {
        if !self.keep {
            return;
        }
        self.parsed.insert(rel, (text, Arc::new(parsed.clone())));
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn read_kept(cache: &mut FileCache, root: &Path, rel: &str) -> (bool, String) {
        let read = cache.read(root, Path::new(rel));
        cache.keep(Path::new(rel), &read);
        let fresh = read.0.is_some();
        (fresh, read.1.map(|t| t.to_string()).unwrap_or_default())
    }

    #[test]
    fn reads_a_file_again_only_when_its_stamp_changes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "seeds/a.md", "one");
        let mut cache = FileCache::keeping();
        assert_eq!(read_kept(&mut cache, root, "seeds/a.md"), (true, "one".into()));
        assert_eq!(read_kept(&mut cache, root, "seeds/a.md"), (false, "one".into()));
        // Same length: the times or the inode tell the edit.
        write(root, "seeds/a.md", "two");
        assert_eq!(read_kept(&mut cache, root, "seeds/a.md"), (true, "two".into()));
        // Replaced by a rename, as many editors save.
        write(root, "seeds/a.tmp", "six");
        std::fs::rename(root.join("seeds/a.tmp"), root.join("seeds/a.md")).unwrap();
        assert_eq!(read_kept(&mut cache, root, "seeds/a.md"), (true, "six".into()));
    }

    #[test]
    fn never_keeps_an_unreadable_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "seeds/a.md", "ok");
        let mut cache = FileCache::keeping();
        read_kept(&mut cache, root, "seeds/a.md");
        std::fs::write(root.join("seeds/a.md"), b"bad \xff").unwrap();
        let read = cache.read(root, Path::new("seeds/a.md"));
        assert!(read.1.is_err());
        cache.keep(Path::new("seeds/a.md"), &read);
        assert!(cache.is_empty());
    }

    #[test]
    fn forgets_files_no_longer_found() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "seeds/a.md", "a");
        write(root, "seeds/b.md", "b");
        let mut cache = FileCache::keeping();
        read_kept(&mut cache, root, "seeds/a.md");
        read_kept(&mut cache, root, "seeds/b.md");
        cache.retain(&[Path::new("seeds/b.md")].into_iter().collect());
        assert_eq!(cache.len(), 1);
    }

    /// What `load` and `load_cached` read, as text to compare.
    fn shown(inputs: &crate::load::Inputs) -> String {
        format!(
            "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
            inputs.config.as_ref().map(|c| &c.1),
            inputs.sources,
            inputs.sectors,
            inputs.actors,
            inputs.originals,
            inputs.failed,
            inputs.diagnostics,
            inputs.files,
        )
    }

    #[test]
    fn loads_what_a_fresh_load_reads_after_edits() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("d");
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/en-harbor");
        for entry in walkdir::WalkDir::new(&fixture).into_iter().filter_map(Result::ok) {
            let rel = entry.path().strip_prefix(&fixture).unwrap();
            if entry.file_type().is_file() {
                write(
                    &root,
                    rel.to_str().unwrap(),
                    &std::fs::read_to_string(entry.path()).unwrap(),
                );
            }
        }
        let mut cache = FileCache::keeping();
        let first = crate::load::load_cached(&root, &mut cache).unwrap();
        assert_eq!(shown(&first), shown(&crate::load::load(&root).unwrap()));
        let source = root.join("seeds/kelvra-port-deal.md");
        let text = std::fs::read_to_string(&source).unwrap();
        std::fs::write(&source, text.replacen("title:", "title: Edited", 1)).unwrap();
        std::fs::remove_file(root.join("seeds/interview-tavi-rennik.md")).unwrap();
        write(&root, "seeds/new.md", "no front matter");
        let again = crate::load::load_cached(&root, &mut cache).unwrap();
        let fresh = crate::load::load(&root).unwrap();
        assert_eq!(shown(&again), shown(&fresh));
        assert!(shown(&again).contains("Edited"));
        assert_ne!(shown(&again), shown(&first));
    }
}
