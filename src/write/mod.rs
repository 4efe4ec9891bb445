//! Stage 4, *write*: give each page its policy and put the site on disk
//! without ever leaving a half-written site or touching a folder dossier
//! did not make.
//!
//! The render stage hands each file over as soon as it is made, from any
//! thread ([`Staging`] is its [`Sink`]): a page gets its policy and is
//! written at once, so the site is never held in memory whole. The shared
//! stylesheet and scripts are minified once (minify-html); pages are not:
//! the templates and the render stage write them compact, and minifying
//! every page took a third of a build's time to save 1.5 % of its bytes
//! (measured on 1,000 sources), less than any host's compression does. Everything goes into a
//! staging folder beside the output, which is then swapped in: on Linux
//! with one atomic `renameat2(RENAME_EXCHANGE)`, so an interrupted build
//! leaves the old site or the new one, never a mix; elsewhere with two
//! renames. A marker file says a folder is dossier's output; a non-empty
//! folder without it is refused, and left as it was.

use std::fs;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Context as _;
use rustc_hash::FxHashSet;

use crate::marker::PART;
use crate::render::inline_code::InlineCode;
use crate::render::{Asset, Sink, Stashed};
use overwrite::{Old, Overwrite};
use prefetch::Prefetch;
use record::{Kept, Record, Stamp, Written};
use shared::SharedAssets;
pub(crate) use shared::sha256_source;

mod mount;
mod overwrite;
mod policy;
mod prefetch;
mod preview;
mod record;
mod shared;

pub use preview::{Pages, Preview};

pub use crate::marker::OUTPUT_FOLDER as MARKER;
const MARKER_TEXT: &str = "This folder is written by `dossier build` and replaced whole on every build.\n";

#[derive(Debug)]
pub enum WriteError {
    /// The output folder is not ours to replace.
    Refused(String),
    Io(anyhow::Error),
}

impl From<anyhow::Error> for WriteError {
    fn from(e: anyhow::Error) -> Self {
        WriteError::Io(e)
    }
}

/// A site being written: files go into a staging folder beside the output
/// as the render stage hands them over; [`Staging::commit`] swaps it in.
/// Dropped without a commit, it removes what it wrote.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    pages: AtomicUsize,
    committed: bool,
    shared: SharedAssets,
    /// Files the recycled folder held (see [`Staging::create`]); those not
    /// written again are removed before the swap.
    stale: Mutex<FxHashSet<PathBuf>>,
    /// The folders made (or found) so far: a site of 20,000 files has a
    /// few dozen, and asking the file system again for each file was
    /// 75,000 system calls at 10,000 sources.
    folders: Mutex<FxHashSet<PathBuf>>,
    /// The parts of the one-file editions, put aside until their edition
    /// is written: a file beside the staging folder, and its length.
    stash: Mutex<Option<(fs::File, u64)>>,
    /// The output is a mount point: the site is staged inside it and
    /// swapped in entry by entry (see [`mount`]).
    in_place: bool,
    /// Swaps two folders; a failure is injected in tests.
    exchange: fn(&Path, &Path) -> std::io::Result<()>,
    /// Reads the recycled folder's files ahead of their comparison;
    /// stopped before the folder is swapped or removed.
    prefetch: Option<Prefetch>,
    /// What dossier wrote in the folders it writes over (see [`record`]).
    records: Records,
}

/// The records of a build (see [`record`]): where they are kept, what
/// the recycled folder's says of its files (each taken when its file is
/// written over), the output folder's (kept for when it is recycled in
/// turn), and what this build writes.
#[derive(Default)]
struct Records {
    /// `None` when the output is a mount point, whose staging folder is
    /// never kept.
    place: Option<PathBuf>,
    staging_id: Option<(u64, u64)>,
    output_id: Option<(u64, u64)>,
    recycled: Mutex<rustc_hash::FxHashMap<String, Written>>,
    output: Option<Kept>,
    written: Mutex<rustc_hash::FxHashMap<String, Written>>,
}

impl Staging {
    /// Checks that `out` may be replaced, and makes the staging folder
    /// beside it: the previous build's site (or what a killed build left),
    /// to be written over, when there is one. Creating thousands of files
    /// where thousands were just deleted is the costliest part of writing a
    /// site on ext4 (a quarter of a build's time), and overwriting a file
    /// costs no new inode.
    pub fn create(out: &Path) -> Result<Staging, WriteError> {
        check_output(out)?;
        let name = out
            .file_name()
            .ok_or_else(|| WriteError::Refused(format!("`{}` cannot be an output folder", out.display())))?
            .to_string_lossy()
            .into_owned();
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).with_context(|| format!("creating `{}`", parent.display()))?;
        let in_place = mount::is_mount_point(out);
        let beside = if in_place { out } else { parent.as_path() };
        let dir = beside.join(format!("{}{}", staging_prefix(&name), std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).with_context(|| format!("removing `{}`", dir.display()))?;
        }
        let recycled = !in_place && recycle(&parent, &name, &dir);
        if !recycled {
            fs::create_dir_all(&dir).with_context(|| format!("creating `{}`", dir.display()))?;
        }
        let stale = if recycled {
            regular_files(&dir)
        } else {
            Default::default()
        };
        let records = if in_place {
            Records::default()
        } else {
            Records::read(record::place(&parent, &name), &dir, recycled, out)
        };
        let prefetch = recycled.then(|| Prefetch::start(records.unrecorded(&dir, &stale)));
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            pages: AtomicUsize::new(0),
            committed: false,
            shared: SharedAssets::default(),
            stale: Mutex::new(stale),
            folders: Mutex::default(),
            stash: Mutex::new(None),
            in_place,
            exchange,
            prefetch,
            records,
        })
    }

    /// Marks the staged site as dossier's and swaps it in for the output;
    /// returns the number of pages written.
    pub fn commit(mut self) -> Result<usize, WriteError> {
        self.prefetch = None;
        let stale = std::mem::take(&mut *lock(&self.stale));
        for path in stale {
            // A stale file may have made way for a folder of the new site.
            if fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
                fs::remove_file(&path).with_context(|| format!("removing `{}`", path.display()))?;
            }
        }
        self.drop_stash();
        remove_empty_folders(&self.dir);
        fs::write(self.dir.join(MARKER), MARKER_TEXT).context("writing the output marker")?;
        let sealed = self.records.seal();
        let swapped = self.swap()?;
        self.committed = true;
        self.records.keep(sealed, swapped);
        let had_site = swapped != Swapped::Moved;
        if self.in_place {
            // The staging folder, inside the output, holds the old site.
            let _ = fs::remove_dir_all(&self.dir);
        } else if had_site {
            // The staging folder now holds the previous site: kept, to be
            // written over by the next build.
            keep_as_previous(&self.dir, &self.out);
        }
        Ok(self.pages.load(Ordering::Relaxed))
    }

    /// Gives the staged site up without swapping it in (`serve` has a
    /// newer build to write): the output stays as it was, and what was
    /// written is kept beside it, as the previous site is, for the next
    /// build to write over rather than create again.
    pub fn give_up(mut self) {
        self.prefetch = None;
        self.drop_stash();
        if !self.in_place {
            let sealed = self.records.seal();
            keep_as_previous(&self.dir, &self.out);
            self.committed = true;
            // As after an exchange: the new files in the staging folder,
            // the output's where they were.
            self.records.keep(sealed, Swapped::Exchanged);
        }
    }

    /// Puts the staged site in place of the output, in one atomic step
    /// when there is a site to replace (the staging folder then holds
    /// it). A mount point's contents are swapped entry by entry instead.
    fn swap(&self) -> Result<Swapped, WriteError> {
        let (staging, out) = (&self.dir, &self.out);
        if self.in_place {
            return self.swap_contents();
        }
        if !out.exists() {
            fs::rename(staging, out).with_context(|| format!("moving the new site to `{}`", out.display()))?;
            return Ok(Swapped::Moved);
        }
        match (self.exchange)(staging, out) {
            Ok(()) => Ok(Swapped::Exchanged),
            Err(e) if mount::is_busy(&e) => self.swap_contents(),
            Err(e) => Err(anyhow::Error::new(e)
                .context(format!("replacing `{}`", out.display()))
                .into()),
        }
    }

    fn swap_contents(&self) -> Result<Swapped, WriteError> {
        mount::swap_contents(&self.dir, &self.out, |a, b| fs::rename(a, b))
            .map_err(|e| WriteError::Io(anyhow::anyhow!(mount::failed(&self.out, &self.dir, &e))))?;
        Ok(Swapped::ByEntries)
    }

    fn create_file(&self, rel: &str) -> anyhow::Result<Overwrite> {
        let path = safe_join(&self.dir, rel)?;
        lock(&self.stale).remove(&path);
        if let Some(dir) = path.parent() {
            self.make_folder(dir)?;
        }
        let file = open_over(&path).with_context(|| format!("writing `{}`", path.display()))?;
        let stamp = Stamp::of(&file.metadata()?);
        Ok(Overwrite::new(file, self.records.old(rel, stamp)))
    }

    /// Writes the end of a file, and records what it holds.
    fn close(&self, file: Overwrite, rel: &str) -> anyhow::Result<()> {
        let (file, blocks) = file.finish().with_context(|| format!("writing `{rel}`"))?;
        let stamp = Stamp::of(&file.metadata()?);
        lock(&self.records.written).insert(rel.to_string(), Written { stamp, blocks });
        Ok(())
    }

    /// Makes `dir` a folder of the staged site, once (the lock is held
    /// while a folder is made: a few dozen times a build).
    fn make_folder(&self, dir: &Path) -> anyhow::Result<()> {
        let mut folders = lock(&self.folders);
        if !folders.contains(dir) {
            make_folder(&self.dir, dir)?;
            folders.insert(dir.to_path_buf());
        }
        Ok(())
    }

    /// A page with its title escaped and its policy added.
    fn finish_page(&self, html: &[u8]) -> Vec<u8> {
        policy::finish(html, None, &self.shared)
    }

    /// Inside the staging folder, removed before the swap (and, left by
    /// a killed build, removed as a stale file of the recycled folder).
    fn stash_path(&self) -> PathBuf {
        self.dir.join(".dossier-parts")
    }

    fn stash_file(&self) -> anyhow::Result<fs::File> {
        let stash = lock(&self.stash);
        let (file, _) = stash.as_ref().context("no part of a one-file edition was put aside")?;
        Ok(file.try_clone()?)
    }

    fn drop_stash(&self) {
        if lock(&self.stash).take().is_some() {
            let _ = fs::remove_file(self.stash_path());
        }
    }

    /// Where the next `len` bytes of the stash go: reserved under the
    /// lock, written outside it.
    fn reserve(&self, len: u64) -> anyhow::Result<(fs::File, u64)> {
        let mut stash = lock(&self.stash);
        if stash.is_none() {
            let path = self.stash_path();
            // Not truncated: only the bytes this build puts there are read
            // back, and ext4 makes the close of a file truncated to nothing
            // wait for the blocks of all that was written to it since (the
            // 170 MB of a 10,000-source dossier's parts: 0.12 s, measured,
            // with both cores waiting at the end of the build).
            let file = open_over(&path).with_context(|| format!("writing `{}`", path.display()))?;
            *stash = Some((file, 0));
        }
        let (file, end) = stash.as_mut().expect("opened above");
        let offset = *end;
        *end += len;
        Ok((file.try_clone()?, offset))
    }

    fn written(&self, file: Overwrite, path: &str) -> anyhow::Result<()> {
        self.close(file, path)?;
        self.pages.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        self.prefetch = None;
        self.drop_stash();
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

impl Sink for Staging {
    fn shared_asset(&self, kind: Asset, text: &str) -> String {
        self.shared.add(kind, text)
    }

    fn page(&self, path: &str, html: &[u8], code: Option<&InlineCode>) -> anyhow::Result<()> {
        let mut file = self.create_file(path)?;
        policy::write_finished(html, code, &self.shared, &mut file).with_context(|| format!("writing `{path}`"))?;
        self.written(file, path)
    }

    fn stash(&self, part: &[u8]) -> anyhow::Result<Stashed> {
        use std::os::unix::fs::FileExt as _;
        let len = part.len() as u64;
        let (file, offset) = self.reserve(len)?;
        file.write_all_at(part, offset)
            .context("putting a part of a one-file edition aside")?;
        Ok(Stashed { offset, len })
    }

    fn page_with_parts(&self, path: &str, frame: &[u8], parts: &[Stashed]) -> anyhow::Result<()> {
        let frame = self.finish_page(frame);
        let mut mark = [0u8; 4];
        let mark = PART.encode_utf8(&mut mark).as_bytes();
        let mut file = self.create_file(path)?;
        let mut pieces = split_bytes(&frame, mark);
        let stash = if parts.is_empty() {
            None
        } else {
            Some(self.stash_file()?)
        };
        let mut parts = parts.iter();
        let mut part_bytes = Vec::new();
        if let Some(first) = pieces.next() {
            file.write_all(first)?;
        }
        for piece in pieces {
            if let (Some(part), Some(stash)) = (parts.next(), &stash) {
                use std::os::unix::fs::FileExt as _;
                part_bytes.resize(usize::try_from(part.len)?, 0);
                stash.read_exact_at(&mut part_bytes, part.offset)?;
                file.write_all(&part_bytes)?;
            }
            file.write_all(piece)?;
        }
        self.written(file, path)
    }

    fn file(
        &self,
        path: &str,
        produce: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        let mut file = self.create_file(path)?;
        produce(&mut file).with_context(|| format!("writing `{path}`"))?;
        self.close(file, path)
    }
}

/// How the new site took the output's place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Swapped {
    /// There was no site: the staging folder became the output.
    Moved,
    /// The two folders swapped names: the staging folder holds the old site.
    Exchanged,
    /// Their contents swapped, entry by entry: the output folder holds the
    /// new site, the staging folder the old one.
    ByEntries,
}

impl Records {
    /// The records kept at `place`: the one of the folder recycled as
    /// `staging`, if any, and the output's.
    fn read(place: PathBuf, staging: &Path, recycled: bool, out: &Path) -> Records {
        let staging_id = record::folder_id(staging);
        let output_id = record::folder_id(out);
        let mut records = Records {
            staging_id,
            output_id,
            ..Records::default()
        };
        for kept in record::read(&place) {
            if recycled && Some(kept.folder) == staging_id {
                records.recycled = Mutex::new(kept.files().unwrap_or_default());
            } else if Some(kept.folder) == output_id {
                records.output = Some(kept);
            }
        }
        records.place = Some(place);
        records
    }

    /// The files of the recycled folder that its record does not speak
    /// for, which are read to be compared.
    fn unrecorded(&self, dir: &Path, files: &FxHashSet<PathBuf>) -> Vec<PathBuf> {
        let recorded = lock(&self.recycled);
        let is_recorded = |path: &Path| {
            (path.strip_prefix(dir).ok())
                .and_then(Path::to_str)
                .is_some_and(|rel| recorded.contains_key(rel))
        };
        files.iter().filter(|p| !is_recorded(p)).cloned().collect()
    }

    /// What is known of the file at `rel` in the recycled folder, whose
    /// stamp is now `stamp`: its record, if the file is still as recorded.
    fn old(&self, rel: &str, stamp: Stamp) -> Old {
        match lock(&self.recycled).remove(rel) {
            Some(w) if w.stamp == stamp => Old::Recorded {
                len: stamp.len,
                blocks: w.blocks,
            },
            _ => Old::Unknown {
                len: stamp.len,
                same_so_far: stamp.len > 0,
            },
        }
    }

    /// Begins the record file, once every file is written and before the
    /// site is swapped in (see [`record::seal`]).
    fn seal(&self) -> Option<record::Sealed> {
        record::seal(self.place.as_ref()?).ok()
    }

    /// Keeps the record of what this build wrote and, when the output had
    /// a site, the output's, each under the folder that now holds its
    /// files. Failing costs the next builds but a comparison of bytes.
    fn keep(&mut self, sealed: Option<record::Sealed>, swapped: Swapped) {
        let Some(sealed) = sealed else { return };
        let (new_folder, old_folder) = match swapped {
            Swapped::Moved | Swapped::Exchanged => (self.staging_id, self.output_id),
            Swapped::ByEntries => (self.output_id, self.staging_id),
        };
        let Some(folder) = new_folder else { return };
        let new = Record {
            folder,
            files: std::mem::take(&mut *lock(&self.written)),
            ..Record::default()
        };
        let old = match (swapped, self.output.take(), old_folder) {
            (Swapped::Moved, ..) | (_, None, _) | (_, _, None) => None,
            (_, Some(mut kept), Some(folder)) => {
                kept.folder = folder;
                Some(kept)
            }
        };
        let _ = sealed.keep(new, old.as_ref());
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Opens `path` for writing over (see [`Overwrite`]), never through a
/// symbolic link; a folder in its place (from the recycled site) is
/// removed first.
fn open_over(path: &Path) -> std::io::Result<fs::File> {
    let open = || {
        let mut options = fs::OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NOFOLLOW);
        options.open(path)
    };
    open().or_else(|_| {
        match fs::symlink_metadata(path) {
            Ok(meta) if meta.is_dir() => fs::remove_dir_all(path)?,
            Ok(_) => fs::remove_file(path)?,
            Err(_) => {}
        }
        open()
    })
}

/// Makes `dir` (inside `root`) a folder, removing a file the recycled site
/// had in the way of it or of one of its parents.
fn make_folder(root: &Path, dir: &Path) -> anyhow::Result<()> {
    if fs::create_dir_all(dir).is_ok() && dir.is_dir() {
        return Ok(());
    }
    let mut at = dir;
    while at != root {
        if fs::symlink_metadata(at).is_ok_and(|m| !m.is_dir()) {
            fs::remove_file(at).with_context(|| format!("removing `{}`", at.display()))?;
        }
        at = at.parent().unwrap_or(root);
    }
    fs::create_dir_all(dir).with_context(|| format!("creating `{}`", dir.display()))
}

/// `bytes` cut at each `mark`.
fn split_bytes<'a>(bytes: &'a [u8], mark: &'a [u8]) -> impl Iterator<Item = &'a [u8]> {
    let mut rest = Some(bytes);
    std::iter::from_fn(move || {
        let text = rest?;
        match memchr::memmem::find(text, mark) {
            Some(i) => {
                rest = Some(&text[i + mark.len()..]);
                Some(&text[..i])
            }
            None => {
                rest = None;
                Some(text)
            }
        }
    })
}

fn staging_prefix(out_name: &str) -> String {
    format!(".{out_name}.dossier-tmp-")
}

fn previous_name(out_name: &str) -> String {
    format!(".{out_name}.dossier-previous")
}

/// Moves a folder to be written over to `staging`: the previous site, or
/// the staging folder of a build that was killed (Ctrl-C, a crash: its
/// process no longer runs). A build still running keeps its own; any other
/// abandoned folder is removed. Returns whether one was taken.
fn recycle(parent: &Path, out_name: &str, staging: &Path) -> bool {
    let prefix = staging_prefix(out_name);
    let mut candidates = vec![parent.join(previous_name(out_name))];
    if let Ok(entries) = fs::read_dir(parent) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
                continue;
            };
            if pid.parse::<u32>().is_ok_and(|pid| !process_runs(pid)) {
                candidates.push(entry.path());
            }
        }
    }
    let mut taken = false;
    for candidate in candidates {
        let is_folder = fs::symlink_metadata(&candidate).is_ok_and(|m| m.is_dir());
        if !taken && is_folder && fs::rename(&candidate, staging).is_ok() {
            taken = true;
        } else if is_folder {
            let _ = fs::remove_dir_all(&candidate);
        }
    }
    taken
}

/// The regular files of a recycled folder; anything else in it (a
/// symbolic link, a device) is removed, so that nothing is ever written
/// through it.
fn regular_files(dir: &Path) -> FxHashSet<PathBuf> {
    let mut files = FxHashSet::default();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).into_iter().flatten() {
        let kind = entry.file_type();
        if kind.is_file() {
            files.insert(entry.into_path());
        } else if !kind.is_dir() {
            let _ = fs::remove_file(entry.path());
        }
    }
    files
}

/// Removes the folders left empty once stale files are gone.
fn remove_empty_folders(dir: &Path) {
    for entry in walkdir::WalkDir::new(dir)
        .min_depth(1)
        .contents_first(true)
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_dir() {
            // Fails, as it should, on a folder that is not empty.
            let _ = fs::remove_dir(entry.path());
        }
    }
}

/// Keeps the previous site, now in `staging`, for the next build to
/// write over; if that place is taken, it is removed instead.
fn keep_as_previous(staging: &Path, out: &Path) {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let previous = staging.with_file_name(previous_name(&name));
    if fs::rename(staging, &previous).is_err() {
        let _ = fs::remove_dir_all(staging);
    }
}

#[cfg(unix)]
fn process_runs(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn process_runs(_pid: u32) -> bool {
    true
}

/// Refuses an output that exists and is not an (empty or) dossier folder.
fn check_output(out: &Path) -> Result<(), WriteError> {
    let Ok(meta) = fs::symlink_metadata(out) else {
        return Ok(());
    };
    let refuse = |why: &str| {
        Err(WriteError::Refused(format!(
            "`{}` {why}; dossier only replaces folders it created (they contain `{MARKER}`). Choose another --out, or empty the folder yourself",
            out.display()
        )))
    };
    if !meta.is_dir() {
        return refuse("exists and is not a folder");
    }
    if out.join(MARKER).is_file() {
        return Ok(());
    }
    let mut entries = fs::read_dir(out).with_context(|| format!("reading `{}`", out.display()))?;
    if entries.next().is_some() {
        return refuse("is not empty and was not made by dossier");
    }
    Ok(())
}

/// `root/rel`, refusing any `rel` that could leave `root`.
fn safe_join(root: &Path, rel: &str) -> anyhow::Result<PathBuf> {
    let rel_path = Path::new(rel);
    let normal = rel_path.components().all(|c| matches!(c, Component::Normal(_)));
    anyhow::ensure!(
        normal && !rel.is_empty(),
        "refusing to write `{rel}`: not a plain relative path"
    );
    Ok(root.join(rel_path))
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths; AT_FDCWD resolves them
    // like `rename` does.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    let old = b.with_extension("dossier-old");
    fs::rename(b, &old)?;
    fs::rename(a, b)?;
    fs::rename(&old, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes a two-page site whose home page says `text`.
    fn write(text: &str, out: &Path) -> Result<usize, WriteError> {
        write_waiting(text, out, std::time::Duration::ZERO)
    }

    /// Writes like [`write`], the record made a while after the files:
    /// files changed in the tick the record is made in are not trusted.
    fn write_then_wait(text: &str, out: &Path) {
        write_waiting(text, out, std::time::Duration::from_millis(50)).unwrap();
    }

    fn write_waiting(text: &str, out: &Path, wait: std::time::Duration) -> Result<usize, WriteError> {
        let staging = Staging::create(out)?;
        staging.page("index.html", format!("<!doctype html><p>{text}</p>").as_bytes(), None)?;
        staging.page("a/b.html", "<p>b</p>".as_bytes(), None)?;
        std::thread::sleep(wait);
        staging.commit()
    }

    #[test]
    fn writes_then_replaces_its_own_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write("one", &out).unwrap();
        assert!(out.join(MARKER).is_file());
        fs::write(out.join("stale.html"), "x").unwrap();
        write("two", &out).unwrap();
        assert!(fs::read_to_string(out.join("index.html")).unwrap().contains("two"));
        assert!(!out.join("stale.html").exists(), "the old site is replaced whole");
        assert_eq!(
            beside(dir.path()),
            [".public.dossier-previous", ".public.dossier-record", "public"]
        );
    }

    /// The names in `dir`, sorted.
    fn beside(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn the_previous_site_is_written_over_without_a_stale_file_or_a_link_followed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let secret = dir.path().join("secret.txt");
        fs::write(&secret, "secret").unwrap();
        write("one", &out).unwrap();
        write("two", &out).unwrap();
        let previous = dir.path().join(".public.dossier-previous");
        fs::write(previous.join("stale.html"), "x").unwrap();
        fs::create_dir_all(previous.join("old/deep")).unwrap();
        fs::write(previous.join("old/deep/page.html"), "x").unwrap();
        fs::remove_file(previous.join("index.html")).unwrap();
        std::os::unix::fs::symlink(&secret, previous.join("index.html")).unwrap();
        fs::remove_dir_all(previous.join("a")).unwrap();
        fs::write(previous.join("a"), "a file where a folder goes").unwrap();
        write("three", &out).unwrap();
        assert_eq!(
            fs::read_to_string(&secret).unwrap(),
            "secret",
            "no link is written through"
        );
        let site: Vec<String> = walkdir::WalkDir::new(&out)
            .sort_by_file_name()
            .into_iter()
            .map(|e| {
                e.unwrap()
                    .path()
                    .strip_prefix(&out)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(
            site,
            ["", MARKER, "a", "a/b.html", "index.html"],
            "exactly the new site"
        );
        assert!(fs::read_to_string(out.join("index.html")).unwrap().contains("three"));
        assert_eq!(
            beside(dir.path()),
            [
                ".public.dossier-previous",
                ".public.dossier-record",
                "public",
                "secret.txt"
            ]
        );
    }

    #[test]
    fn removes_what_killed_builds_left_behind() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        // No process has this pid: pids are below 2^22 on Linux.
        let abandoned = dir.path().join(format!("{}{}", staging_prefix("public"), 99_999_999));
        let running = dir.path().join(format!("{}1", staging_prefix("public")));
        let other = dir.path().join(".notes.dossier-tmp-1");
        for d in [&abandoned, &running, &other] {
            fs::create_dir_all(d.join("sub")).unwrap();
        }
        write("one", &out).unwrap();
        assert!(!abandoned.exists(), "a dead build's staging folder is taken over");
        assert!(other.exists(), "another output's folder is not ours to remove");
        assert!(
            running.exists(),
            "a running build's folder is left to it (pid 1 always runs)"
        );
    }

    /// Issue 13: an output that is a mount point cannot be swapped whole
    /// (`EBUSY`); its contents are swapped entry by entry.
    #[test]
    fn a_busy_output_is_replaced_entry_by_entry() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write("one", &out).unwrap();
        fs::write(out.join("stale.html"), "x").unwrap();
        let mut staging = Staging::create(&out).unwrap();
        staging.exchange = |_, _| Err(std::io::Error::from_raw_os_error(libc::EBUSY));
        staging.page("index.html", "<p>two".as_bytes(), None).unwrap();
        staging.commit().unwrap();
        assert!(fs::read_to_string(out.join("index.html")).unwrap().contains("two"));
        assert!(out.join(MARKER).is_file());
        assert!(!out.join("stale.html").exists(), "the old site is replaced whole");
        assert!(!out.join("a").exists(), "{:?}", beside(&out));
        assert_eq!(
            beside(dir.path()),
            [".public.dossier-previous", ".public.dossier-record", "public"]
        );
    }

    /// Swapped entry by entry, the new files are in the output folder and
    /// the old ones in the staging folder, which becomes the previous
    /// site: each record goes with its files.
    #[test]
    fn records_follow_their_files_when_swapped_entry_by_entry() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_then_wait("one", &out);
        let mut staging = Staging::create(&out).unwrap();
        staging.exchange = |_, _| Err(std::io::Error::from_raw_os_error(libc::EBUSY));
        staging.page("index.html", "<p>two".as_bytes(), None).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(50));
        staging.commit().unwrap();
        let previous = dir.path().join(".public.dossier-previous");
        let records = record::read(&record::place(dir.path(), "public"));
        let folders: Vec<_> = records.iter().map(|r| Some(r.folder)).collect();
        assert_eq!(folders, [record::folder_id(&out), record::folder_id(&previous)]);
        let new = records[0].files().unwrap();
        assert_eq!(new.keys().collect::<Vec<_>>(), ["index.html"]);
        let old = records[1].files().unwrap();
        assert!(old.contains_key("a/b.html"), "{old:?}");
    }

    #[test]
    fn refuses_a_folder_it_did_not_make() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("docs");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("thesis.txt"), "precious").unwrap();
        assert!(matches!(write("x", &out), Err(WriteError::Refused(_))));
        assert_eq!(fs::read_to_string(out.join("thesis.txt")).unwrap(), "precious");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn shared_assets_are_minified_once_and_allowed_by_their_hash() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::create(&dir.path().join("public")).unwrap();
        let css = staging.shared_asset(Asset::Style, "p {\n  color : red ;\n}\n");
        assert_eq!(css, crate::marker::asset(0));
        let page = |css: &str| format!("<!doctype html><meta charset=utf-8><title>t</title><style>{css}</style><p>x");
        staging.page("index.html", page(&css).as_bytes(), None).unwrap();
        let written = fs::read_to_string(staging.dir.join("index.html")).unwrap();
        let policy = "<meta content=\"default-src 'none'; base-uri 'none'; form-action 'self'; style-src 'sha256-p0bF+un5yUb9MBO6xRb8kPHlY2BdpHVtLiFkDrZPF64='\" http-equiv=Content-Security-Policy>";
        assert_eq!(
            written,
            page("p{color:red}").replace("<title>", &format!("{policy}<title>"))
        );
    }

    /// A frame's stylesheet is put in like a page's, and its parts after.
    #[test]
    fn a_page_with_parts_gets_the_shared_assets_text() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = Staging::create(&out).unwrap();
        let css = staging.shared_asset(Asset::Style, "p { color: red }");
        let frame = format!("<!doctype html><title>t</title><style>{css}</style><main>{PART}</main>");
        let parts = [staging.stash(b"<p>one</p>").unwrap()];
        staging.page_with_parts("all.html", frame.as_bytes(), &parts).unwrap();
        staging.commit().unwrap();
        let page = fs::read_to_string(out.join("all.html")).unwrap();
        assert!(
            page.ends_with("<style>p{color:red}</style><main><p>one</p></main>"),
            "{page}"
        );
        assert!(
            page.contains("style-src 'sha256-p0bF+un5yUb9MBO6xRb8kPHlY2BdpHVtLiFkDrZPF64='"),
            "{page}"
        );
    }

    /// Stages a page of two parts, commits, and gives the page as written.
    fn page_of_two_parts(out: &Path) -> String {
        let staging = Staging::create(out).unwrap();
        let frame = format!("<!doctype html><title>t</title><main>{PART}{PART}</main>");
        let parts = ["<p>one</p>", "<p>two</p>"].map(|p| staging.stash(p.as_bytes()).unwrap());
        staging.page_with_parts("all.html", frame.as_bytes(), &parts).unwrap();
        staging.commit().unwrap();
        fs::read_to_string(out.join("all.html")).unwrap()
    }

    #[test]
    fn a_page_with_parts_gets_each_part_at_its_mark() {
        let dir = tempfile::tempdir().unwrap();
        let page = page_of_two_parts(&dir.path().join("public"));
        assert!(page.ends_with("<main><p>one</p><p>two</p></main>"), "{page}");
    }

    /// A killed build can leave a longer stash in the folder the next one
    /// writes over: its bytes are never read, and the file is not published.
    #[test]
    fn a_longer_stash_left_in_the_recycled_folder_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write("one", &out).unwrap();
        write("two", &out).unwrap();
        let left = dir.path().join(".public.dossier-previous/.dossier-parts");
        fs::write(&left, "<p>stale</p>".repeat(100)).unwrap();
        let page = page_of_two_parts(&out);
        assert!(page.ends_with("<main><p>one</p><p>two</p></main>"), "{page}");
        assert!(!out.join(".dossier-parts").exists());
    }

    #[test]
    fn an_uncommitted_site_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write("old", &out).unwrap();
        let staging = Staging::create(&out).unwrap();
        staging.page("index.html", "<p>new".as_bytes(), None).unwrap();
        drop(staging);
        assert!(fs::read_to_string(out.join("index.html")).unwrap().contains("old"));
        assert_eq!(
            beside(dir.path()),
            [".public.dossier-record", "public"],
            "the staging folder is gone"
        );
    }

    #[test]
    fn a_site_given_up_is_written_over_by_the_next_and_never_served() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write("old", &out).unwrap();
        let staging = Staging::create(&out).unwrap();
        staging.page("index.html", b"<p>given up", None).unwrap();
        staging.page("only-in-the-given-up.html", b"<p>x", None).unwrap();
        staging.give_up();
        assert!(fs::read_to_string(out.join("index.html")).unwrap().contains("old"));
        assert_eq!(
            beside(dir.path()),
            [".public.dossier-previous", ".public.dossier-record", "public"]
        );
        write("new", &out).unwrap();
        assert!(fs::read_to_string(out.join("index.html")).unwrap().contains("new"));
        assert!(!out.join("only-in-the-given-up.html").exists());
    }

    /// The third build writes over the first's site, which the first
    /// build's record describes: its files are compared by digest.
    #[test]
    fn a_rebuild_knows_the_recycled_site_from_its_record() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_then_wait("one", &out);
        write_then_wait("two", &out);
        let staging = Staging::create(&out).unwrap();
        let mut known: Vec<String> = lock(&staging.records.recycled).keys().cloned().collect();
        known.sort();
        assert_eq!(known, ["a/b.html", "index.html"]);
        assert!(staging.records.output.is_some(), "the output's record is kept");
        drop(staging);
        write("one", &out).unwrap();
        assert!(fs::read_to_string(out.join("index.html")).unwrap().contains("one"));
    }

    /// A file changed since it was recorded is not taken for what the
    /// record says, even when the new page is what it said.
    #[test]
    fn a_file_changed_since_its_record_is_compared_byte_for_byte() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_then_wait("one", &out);
        write_then_wait("two", &out);
        let previous = dir.path().join(".public.dossier-previous/index.html");
        let changed = fs::read_to_string(&previous).unwrap().replace("one", "onX");
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(&previous, changed).unwrap();
        write("one", &out).unwrap();
        let page = fs::read_to_string(out.join("index.html")).unwrap();
        assert!(page.ends_with("<p>one</p>"), "{page}");
    }

    /// A broken record costs a comparison, never a wrong page.
    #[test]
    fn a_broken_record_is_no_record() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write("one", &out).unwrap();
        write("two", &out).unwrap();
        fs::write(record::place(dir.path(), "public"), b"dossier record 2\n\x01").unwrap();
        write("three", &out).unwrap();
        assert!(fs::read_to_string(out.join("index.html")).unwrap().contains("three"));
        write("four", &out).unwrap();
        assert!(fs::read_to_string(out.join("index.html")).unwrap().contains("four"));
    }

    #[test]
    fn refuses_paths_that_leave_the_output() {
        for bad in ["../x.html", "/etc/x", "a/../../x", ""] {
            assert!(safe_join(Path::new("/tmp/out"), bad).is_err(), "{bad}");
        }
    }
}
