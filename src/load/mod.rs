//! Stage 1, *load*: read every file of a dossier — `content/`, `seeds/` and
//! the theme — in sorted order and in parallel, split front matter from body
//! and deserialise it into the raw types of [`raw`]. Nothing is resolved
//! here; a file that cannot be read or parsed becomes a diagnostic and the
//! others go on, so one run reports every broken file.

pub mod cache;
pub mod frontmatter;
pub mod i18n;
mod inside;
mod located;
pub mod raw;
mod reserved;
mod route_names;
pub mod theme;
mod yaml_help;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::code::Code;
use crate::diagnostic::{Diagnostic, SourceFiles};
pub use cache::FileCache;
use frontmatter::SplitError;
pub use raw::{RawActor, RawConfig, RawEvent, RawPage, RawSector, RawSource};
pub use theme::Theme;

/// One Markdown file with its front matter read.
#[derive(Debug, Clone)]
pub struct Document<T> {
    /// The file name without extension; validated by the model.
    pub slug: String,
    /// Path relative to the dossier root.
    pub path: PathBuf,
    pub text: Arc<str>,
    pub front: T,
    /// Byte range of the YAML in `text`.
    pub yaml: Range<usize>,
    /// Byte range of the Markdown body in `text`.
    pub body: Range<usize>,
}

impl<T> Document<T> {
    pub fn body(&self) -> &str {
        &self.text[self.body.clone()]
    }
}

/// A file that is not Markdown (`dossier.yaml`, an original).
#[derive(Debug, Clone)]
pub struct TextFile {
    pub path: PathBuf,
    pub text: Arc<str>,
}

/// Everything read from a dossier folder, before validation.
#[derive(Debug, Default)]
pub struct Inputs {
    pub config: Option<(TextFile, RawConfig)>,
    pub sources: Vec<Document<RawSource>>,
    pub sectors: Vec<Document<RawSector>>,
    pub actors: Vec<Document<RawActor>>,
    pub events: Vec<Document<RawEvent>>,
    pub pages: Vec<Document<RawPage>>,
    /// Originals by their path relative to `seeds/`, with `/` separators.
    pub originals: BTreeMap<String, TextFile>,
    pub theme: Theme,
    /// Files that could not be read or parsed, already reported: references
    /// to what they define are not reported again.
    pub failed: Vec<PathBuf>,
    /// Originals that are not UTF-8 text (a PDF kept for reference, say):
    /// an error only if a source names one.
    pub unreadable_originals: Vec<Diagnostic>,
    /// The text of every file read, for rendering diagnostics.
    pub files: SourceFiles,
    pub diagnostics: Vec<Diagnostic>,
}

/// Where a file found under the dossier root belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Source,
    Original,
    Sector,
    Actor,
    Event,
    Page,
}

pub const CONFIG_PATH: &str = "content/dossier.yaml";

/// Reads the dossier at `root`. I/O problems with individual files are
/// diagnostics; only a missing root is an `Err`.
pub fn load(root: &Path) -> anyhow::Result<Inputs> {
    load_cached(root, &mut FileCache::default())
}

/// [`load`], reading again only the files that changed since `cache` saw
/// them (`serve` keeps one between builds): the same `Inputs` as `load`.
pub fn load_cached(root: &Path, cache: &mut FileCache) -> anyhow::Result<Inputs> {
    if !root.is_dir() {
        anyhow::bail!("`{}` is not a folder", root.display());
    }
    let real = inside::Root::new(root)?;
    let mut inputs = Inputs::default();
    let (found, mut diagnostics) = walk(root, &real);
    let seen: FxHashSet<&Path> = found
        .iter()
        .map(|(_, rel)| rel.as_path())
        .chain([Path::new(CONFIG_PATH)])
        .collect();
    cache.retain(&seen);
    let shared = &*cache;
    // The files not in memory yet wait on the disk, one read per thread:
    // more threads than cores keep more reads in flight. Their front
    // matter is then parsed on the build's own threads, in parallel too: a
    // hundred thousand sources' YAML is seconds of work.
    let read_file = |(kind, rel): (Kind, PathBuf)| {
        let read = shared.read(root, &rel);
        (kind, rel, read)
    };
    let read: Vec<(Kind, PathBuf, cache::Read)> = match reading_pool() {
        Some(pool) => pool.install(|| found.into_par_iter().map(read_file).collect()),
        None => found.into_par_iter().map(read_file).collect(),
    };
    let read: Vec<(Kind, PathBuf, cache::Read, Front)> = read
        .into_par_iter()
        .map(|(kind, rel, read)| {
            let front = match &read.1 {
                Ok(text) => Front::of(shared, kind, &rel, text),
                Err(_) => Front::Unread,
            };
            (kind, rel, read, front)
        })
        .collect();
    for (kind, rel, read, front) in read {
        cache.keep(&rel, &read);
        match read.1 {
            Ok(text) => {
                // Sources and originals, most of a dossier's bytes, are read
                // again for their diagnostics only (SourceFiles::read_missing):
                // the model drops each text once its source is resolved.
                if matches!(kind, Kind::Source | Kind::Original) {
                    inputs.files.insert_not_held(rel.clone());
                } else {
                    inputs.files.insert(rel.clone(), text.clone());
                }
                if let Err(d) = sort_into((&mut inputs, cache), rel.clone(), text, front) {
                    inputs.failed.push(rel);
                    diagnostics.push(*d);
                }
            }
            Err(Unreadable { diagnostic, lossy }) => {
                if let Some(text) = lossy {
                    inputs.files.insert(rel.clone(), text);
                }
                if kind == Kind::Original {
                    inputs.unreadable_originals.push(diagnostic);
                } else {
                    inputs.failed.push(rel);
                    diagnostics.push(diagnostic);
                }
            }
        }
    }
    load_config((root, &real), cache, &mut inputs, &mut diagnostics);
    let (theme_name, theme_span) = match &inputs.config {
        Some((file, config)) => (
            config.theme.clone().unwrap_or_else(|| theme::DEFAULT.to_string()),
            crate::span::field_span(&file.text, &(0..file.text.len()), "theme"),
        ),
        None => (theme::DEFAULT.to_string(), 0..0),
    };
    match Theme::load((root, &real), &theme_name, theme_span) {
        Ok(t) => {
            // The dossier's own theme files, so their errors show a line.
            for file in t.files.values().filter(|f| f.origin.starts_with("themes")) {
                inputs.files.insert(file.origin.clone(), file.text.clone());
            }
            inputs.theme = t;
        }
        Err(d) => diagnostics.push(*d),
    }
    match i18n::for_dossier(&inputs) {
        Ok(strings) => inputs.theme.strings = strings.map(Arc::new),
        Err(found) => diagnostics.extend(found),
    }
    inputs.diagnostics = diagnostics;
    Ok(inputs)
}

fn sort_into(
    (inputs, cache): (&mut Inputs, &mut FileCache),
    rel: PathBuf,
    text: Arc<str>,
    front: Front,
) -> Result<(), Box<Diagnostic>> {
    match front {
        Front::Original => {
            let key = rel
                .strip_prefix("seeds")
                .unwrap_or(&rel)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            inputs.originals.insert(key, TextFile { path: rel, text });
        }
        // Never: only what was read is sorted.
        Front::Unread => {}
        Front::Source(parsed) => inputs.sources.push(keep_parsed(cache, rel, text, parsed)?),
        Front::Sector(parsed) => inputs.sectors.push(keep_parsed(cache, rel, text, parsed)?),
        Front::Actor(parsed) => inputs.actors.push(keep_parsed(cache, rel, text, parsed)?),
        Front::Event(parsed) => inputs.events.push(keep_parsed(cache, rel, text, parsed)?),
        Front::Page(parsed) => inputs.pages.push(keep_parsed(cache, rel, text, parsed)?),
    }
    Ok(())
}

/// Threads for reading the dossier's files, which mostly wait: four per
/// thread of the build, at least eight. `None` if they cannot be had (the
/// build then reads on its own threads).
fn reading_pool() -> Option<rayon::ThreadPool> {
    let threads = (rayon::current_num_threads() * 4).max(8);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("dossier-read-{i}"))
        .build()
        .ok()
}

/// What parsing a document's front matter gave, or why it could not be.
type Parsed<T> = Result<Document<T>, Box<Diagnostic>>;

/// A file's front matter once read: parsed, or found in the cache (the
/// `bool` says whether it was parsed afresh).
enum Front {
    /// A file that could not be read.
    Unread,
    /// An original: plain text.
    Original,
    Source((Parsed<RawSource>, bool)),
    Sector((Parsed<RawSector>, bool)),
    Actor((Parsed<RawActor>, bool)),
    Event((Parsed<RawEvent>, bool)),
    Page((Parsed<RawPage>, bool)),
}

impl Front {
    fn of(cache: &FileCache, kind: Kind, rel: &Path, text: &Arc<str>) -> Front {
        match kind {
            Kind::Original => Front::Original,
            Kind::Source => Front::Source(parse_cached(cache, rel, text)),
            Kind::Sector => Front::Sector(parse_cached(cache, rel, text)),
            Kind::Actor => Front::Actor(parse_cached(cache, rel, text)),
            Kind::Event => Front::Event(parse_cached(cache, rel, text)),
            Kind::Page => Front::Page(parse_cached(cache, rel, text)),
        }
    }
}

/// Lists the files of a dossier, sorted, with the folder each belongs to.
fn walk(root: &Path, real: &inside::Root) -> (Vec<(Kind, PathBuf)>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut diagnostics = Vec::new();
    type Classify = fn(&Path) -> Option<Kind>;
    let folders: [(&str, Classify); 2] = [("content", classify_content), ("seeds", classify_seed)];
    if folders.iter().all(|(folder, _)| !root.join(folder).is_dir()) {
        return (found, vec![no_dossier(root)]);
    }
    for (folder, classify) in folders {
        let dir = root.join(folder);
        if !dir.is_dir() {
            diagnostics.push(
                Diagnostic::error(
                    Code::E0002,
                    Path::new(&format!("{folder}/")),
                    0..0,
                    format!("the dossier has no `{folder}/` folder"),
                )
                .with_help(format!(
                    "a dossier holds `content/` and `seeds/`: create `{folder}/` in `{}`",
                    root.display()
                )),
            );
            continue;
        }
        if real.escapes(&dir) {
            diagnostics.push(inside::outside(Path::new(folder)));
            continue;
        }
        // A site built inside the dossier (`--out content/site`) is not content.
        let is_site =
            |e: &walkdir::DirEntry| e.file_type().is_dir() && e.path().join(crate::marker::OUTPUT_FOLDER).is_file();
        // Not `sort_by_file_name`: its comparisons take each entry's name
        // from its path again, 30 ms of one core for 20,000 files; the
        // files found are sorted once below, into the same order.
        let entries = walkdir::WalkDir::new(&dir).follow_links(true);
        let mut entries = entries.into_iter().filter_entry(|e| !is_site(e));
        let first = found.len();
        while let Some(entry) = entries.next() {
            match entry {
                Ok(entry) if entry.path_is_symlink() && real.escapes(entry.path()) => {
                    let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
                    if !is_hidden(rel) {
                        diagnostics.push(inside::outside(rel));
                    }
                    if entry.file_type().is_dir() {
                        entries.skip_current_dir();
                    }
                }
                Ok(entry) if entry.file_type().is_file() => {
                    let rel = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf();
                    if is_hidden(&rel) {
                        continue;
                    }
                    match classify(&rel) {
                        Some(kind) => found.push((kind, rel)),
                        None if rel != Path::new(CONFIG_PATH) => diagnostics.push(ignored_file(&rel)),
                        None => {}
                    }
                }
                Ok(entry) if entry.file_type().is_dir() => {}
                Ok(entry) => {
                    let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
                    if !is_hidden(rel) {
                        diagnostics.push(not_regular(rel));
                    }
                }
                Err(err) => diagnostics.push(walk_error(root, &err)),
            }
        }
        found[first..].sort_unstable_by(|(_, a), (_, b)| walk_order(a, b));
    }
    (found, diagnostics)
}

/// The order of a walk that visits each folder's entries by name, the
/// folder before what it holds: the paths' bytes, a separator lowest.
fn walk_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    fn key(p: &Path) -> impl Iterator<Item = u8> + '_ {
        p.as_os_str()
            .as_encoded_bytes()
            .iter()
            .map(|&c| if std::path::is_separator(char::from(c)) { 0 } else { c })
    }
    key(a).cmp(key(b))
}

/// Issue 12: an empty folder got two errors at `content:1:1` and
/// `seeds:1:1`. It is one mistake, about the folder, named as such (a
/// path ending in `/` is shown without a line and column).
fn no_dossier(root: &Path) -> Diagnostic {
    let shown = root.display().to_string();
    let folder = format!("{}/", shown.trim_end_matches('/'));
    Diagnostic::error(
        Code::E0002,
        Path::new(&folder),
        0..0,
        format!("`{folder}` holds no dossier: it has no `content/` and no `seeds/` folder"),
    )
    .with_help(format!(
        "start a dossier there with `dossier init {shown}`, or give the folder that holds `content/` and `seeds/`"
    ))
}

fn is_hidden(rel: &Path) -> bool {
    rel.components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
}

fn classify_content(rel: &Path) -> Option<Kind> {
    let parts: Vec<_> = rel.iter().map(|p| p.to_string_lossy()).collect();
    if parts.len() != 3 || rel.extension().is_none_or(|e| e != "md") {
        return None;
    }
    match parts[1].as_ref() {
        "sectors" => Some(Kind::Sector),
        "actors" => Some(Kind::Actor),
        "events" => Some(Kind::Event),
        "pages" => Some(Kind::Page),
        _ => None,
    }
}

fn classify_seed(rel: &Path) -> Option<Kind> {
    let parts: Vec<_> = rel.iter().map(|p| p.to_string_lossy()).collect();
    if parts.len() >= 3 && parts[1] == "originals" {
        return Some(Kind::Original);
    }
    (parts.len() == 2 && rel.extension().is_some_and(|e| e == "md")).then_some(Kind::Source)
}

fn ignored_file(rel: &Path) -> Diagnostic {
    Diagnostic::warning(
        Code::W0001,
        rel,
        0..0,
        "this file is not part of the dossier and is ignored".to_string(),
    )
    .with_help(
        "sources are `seeds/*.md`, originals go under `seeds/originals/`, and editorial files are \
         `content/{sectors,actors,events,pages}/*.md`",
    )
}

fn walk_error(root: &Path, err: &walkdir::Error) -> Diagnostic {
    let path = err
        .path()
        .map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf())
        .unwrap_or_default();
    if err.loop_ancestor().is_some() {
        return Diagnostic::error(
            Code::E0003,
            &path,
            0..0,
            "this symbolic link points back to a folder that contains it".into(),
        )
        .with_help("remove the link: a dossier's folders cannot contain themselves");
    }
    unreadable_file(&path, err.io_error())
}

fn unreadable_file(rel: &Path, err: Option<&std::io::Error>) -> Diagnostic {
    let (reason, help) = match err.map(std::io::Error::kind) {
        Some(std::io::ErrorKind::NotFound) => (
            "it does not exist; is it a broken symbolic link?",
            "remove the link, or point it at a file that exists",
        ),
        Some(std::io::ErrorKind::PermissionDenied) => (
            "permission denied",
            "give yourself read access (`chmod u+r`), or move the file out of the dossier",
        ),
        _ => ("input/output error", "check the disk and the file, or remove it"),
    };
    let detail = err.map(|e| format!(" ({e})")).unwrap_or_default();
    Diagnostic::error(Code::E0003, rel, 0..0, format!("cannot be read: {reason}{detail}")).with_help(help)
}

/// A FIFO or a device would block or never end a read: never opened.
fn not_regular(rel: &Path) -> Diagnostic {
    Diagnostic::warning(
        Code::W0001,
        rel,
        0..0,
        "this is not a regular file (a pipe, socket or device) and is ignored".into(),
    )
    .with_help("remove it from the dossier")
}

/// The largest file a dossier may hold. A long book is 2 MiB of text; a
/// larger file is a mistake (a data dump, a misplaced export), and refusing
/// it keeps a build's time and memory bounded.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

enum ReadError {
    TooLarge(u64),
    Io(std::io::Error),
}

/// Reads at most [`MAX_FILE_BYTES`] of a file, without ever holding more.
fn read_bounded(path: &Path) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let size = file.metadata().map_err(ReadError::Io)?.len();
    if size > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    match bytes.len() as u64 {
        n if n > MAX_FILE_BYTES => Err(ReadError::TooLarge(n)),
        _ => Ok(bytes),
    }
}

fn too_large(rel: &Path, size: u64) -> Diagnostic {
    Diagnostic::error(
        Code::E0007,
        rel,
        0..0,
        format!(
            "this file is {:.1} MiB; a dossier's files are limited to {} MiB",
            size as f64 / (1024.0 * 1024.0),
            MAX_FILE_BYTES / (1024 * 1024)
        ),
    )
    .with_help("split a long source into several sources (one per article or chapter); is this really text?")
}

/// A file that could not be read as text: why, and what of it can be shown
/// (invalid UTF-8 is shown with the bad bytes replaced).
pub(super) struct Unreadable {
    pub diagnostic: Diagnostic,
    pub lossy: Option<Arc<str>>,
}

/// What reads the files the load stage read again, for their diagnostics'
/// excerpts, under the same rules: inside the root, under the size limit,
/// UTF-8. The root is resolved once, at the first file read.
pub fn read_again(root: &Path) -> impl Fn(&Path) -> Option<Arc<str>> + '_ {
    let real = std::cell::OnceCell::new();
    move |rel| {
        let real = real.get_or_init(|| inside::Root::new(root).ok()).as_ref()?;
        if real.escapes(&root.join(rel)) {
            return None;
        }
        read_text(root, rel).ok()
    }
}

/// Reads a file as UTF-8 text, refusing binary files and invalid UTF-8 with a
/// diagnostic that names the first bad byte.
pub(super) fn read_text(root: &Path, rel: &Path) -> Result<Arc<str>, Unreadable> {
    let unreadable = |diagnostic| Unreadable {
        diagnostic,
        lossy: None,
    };
    let bytes = read_bounded(&root.join(rel)).map_err(|e| {
        unreadable(match e {
            ReadError::TooLarge(size) => too_large(rel, size),
            ReadError::Io(e) => unreadable_file(rel, Some(&e)),
        })
    })?;
    if let Some(nul) = memchr::memchr(0, &bytes) {
        return Err(unreadable(
            Diagnostic::error(
                Code::E0004,
                rel,
                0..0,
                format!("this is a binary file, not text (NUL byte at offset {nul})"),
            )
            .with_help("sources and content files must be UTF-8 text"),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(e.as_bytes());
        let (line, col) = crate::diagnostic::line_col(&lossy, at);
        let bad = lossy[at..].chars().next().map_or(0, char::len_utf8);
        Unreadable {
            diagnostic: Diagnostic::error(
                Code::E0005,
                rel,
                at..at + bad,
                format!("invalid UTF-8 at line {line}, column {col} (byte {at})"),
            )
            .with_help("save the file as UTF-8 (in most editors: “Save with encoding”)"),
            lossy: Some(Arc::from(lossy.as_ref())),
        }
    })?;
    match reserved::first_reserved(&text) {
        Some(span) => Err(Unreadable {
            diagnostic: reserved::reserved_error(rel, span),
            lossy: Some(Arc::from(text)),
        }),
        None => Ok(Arc::from(text)),
    }
}

/// [`parse_document`], or what it gave for the same text before (kept in
/// the cache); and whether it was parsed afresh.
fn parse_cached<T: DeserializeOwned + Serialize + Clone + Send + Sync + 'static>(
    cache: &FileCache,
    path: &Path,
    text: &Arc<str>,
) -> (Parsed<T>, bool) {
    match cache.parsed::<T>(path, text) {
        Some(parsed) => (parsed, false),
        None => (parse_document::<T>(path.to_path_buf(), text.clone()), true),
    }
}

/// Keeps what was parsed afresh for the next build (`serve`).
fn keep_parsed<T: Clone + Send + Sync + 'static>(
    cache: &mut FileCache,
    path: PathBuf,
    text: Arc<str>,
    (parsed, fresh): (Parsed<T>, bool),
) -> Parsed<T> {
    if fresh {
        cache.keep_parsed(path, text, &parsed);
    }
    parsed
}

fn parse_document<T: DeserializeOwned + Serialize>(
    path: PathBuf,
    text: Arc<str>,
) -> Result<Document<T>, Box<Diagnostic>> {
    let slug = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let split = frontmatter::split(&text).map_err(|e| Box::new(split_error(&path, e)))?;
    typed_controls(&path, &text, split.yaml.clone())?;
    let front = parse_yaml::<T>(&path, &text, split.yaml.clone())?;
    escaped_controls(&path, &text, split.yaml.clone(), &front)?;
    Ok(Document {
        slug,
        path,
        text,
        front,
        yaml: split.yaml,
        body: split.body,
    })
}

fn split_error(path: &Path, err: SplitError) -> Diagnostic {
    match err {
        SplitError::Missing(span) => Diagnostic::error(
            Code::E0010,
            path,
            span,
            "the file does not start with front matter".into(),
        )
        .with_help("start the file with a `---` line, the YAML fields, and another `---` line"),
        SplitError::Unclosed(span) => {
            Diagnostic::error(Code::E0011, path, span, "the front matter is never closed".into())
                .with_help("end the YAML fields with a line containing only `---`")
        }
        SplitError::TooLarge(span) => Diagnostic::error(
            Code::E0012,
            path,
            span,
            format!(
                "the front matter is larger than {} KiB",
                frontmatter::MAX_FRONT_MATTER / 1024
            ),
        )
        .with_help("is the closing `---` line missing?"),
    }
}

/// Refuses front matter with a control character typed in it (before the
/// YAML parser, whose own message would not say which).
fn typed_controls(path: &Path, text: &str, yaml: Range<usize>) -> Result<(), Box<Diagnostic>> {
    match reserved::first_control(&text[yaml.clone()], yaml.start) {
        Some(span) => {
            let what = format!("a control character ({})", code_point(&text[span.clone()]));
            Err(Box::new(reserved::control_error(path, span, &what)))
        }
        None => Ok(()),
    }
}

/// Refuses front matter whose values hold a control character or one
/// reserved for dossier's marks through a YAML escape (`"\x07"`), located
/// at its field.
fn escaped_controls<T: Serialize>(
    path: &Path,
    text: &str,
    yaml: Range<usize>,
    front: &T,
) -> Result<(), Box<Diagnostic>> {
    let value = serde_json::to_value(front).unwrap_or_default();
    match reserved::first_bad_value(&value) {
        Some((key, c)) => {
            let span = crate::span::field_span(text, &yaml, &key);
            let what = format!("`{}` in `{key}`", code_point(c.encode_utf8(&mut [0; 4])));
            Err(Box::new(reserved::control_error(path, span, &what)))
        }
        None => Ok(()),
    }
}

/// `U+0001`: how a character no one can see is named.
fn code_point(text: &str) -> String {
    text.chars()
        .next()
        .map_or_else(String::new, |c| format!("U+{:04X}", c as u32))
}

/// Deserialises the YAML at `range` of `text`, mapping the parser's location
/// back to the file and adding a hint for the common mistakes.
pub fn parse_yaml<T: DeserializeOwned>(path: &Path, text: &str, range: Range<usize>) -> Result<T, Box<Diagnostic>> {
    let yaml = &text[range.clone()];
    if let Some(d) = yaml_too_big(path, yaml, range.start) {
        return Err(Box::new(d));
    }
    let yaml = if yaml.trim().is_empty() { "{}" } else { yaml };
    serde_yaml::from_str::<T>(yaml).map_err(|err| {
        let message = yaml_message(&err, path);
        let at = match (unclosed_quote(yaml), err.location()) {
            (Some(quote), _) if message.contains("quoted scalar") => range.start + quote,
            (_, Some(loc)) => range.start + frontmatter::offset_of(yaml, loc.line(), loc.column()),
            (_, None) => range.start,
        };
        // A value missing at the end of its line (`date:`) is marked on the
        // line break: the key's colon is shown instead.
        let at_line_end = text.get(at..).is_some_and(|rest| rest.starts_with(['\n', '\r']));
        let at = if at_line_end && at > range.start {
            crate::diagnostic::floor_char_boundary(text, at - 1)
        } else {
            at
        };
        let help = yaml_help::yaml_help(&message);
        let end = crate::diagnostic::floor_char_boundary(text, (at + 1).min(text.len()));
        let mut d = Diagnostic::error(Code::E0013, path, at..end.max(at), message);
        d.help = help;
        Box::new(d)
    })
}

/// The YAML parser's work grows with the square of the nesting depth, so
/// deep or huge YAML is refused before it is parsed. No dossier field nests
/// more than two levels, nor needs 64 KiB.
fn yaml_too_big(path: &Path, yaml: &str, start: usize) -> Option<Diagnostic> {
    const MAX_DEPTH: usize = 32;
    if yaml.len() > frontmatter::MAX_FRONT_MATTER {
        let message = format!("the YAML is larger than {} KiB", frontmatter::MAX_FRONT_MATTER / 1024);
        return Some(
            Diagnostic::error(Code::E0012, path, start..start, message)
                .with_help("a dossier's YAML is a short list of fields; is a closing `---` missing?"),
        );
    }
    let mut depth = 0usize;
    for (i, b) in yaml.bytes().enumerate() {
        match b {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_DEPTH {
            return Some(
                Diagnostic::error(
                    Code::E0013,
                    path,
                    start + i..start + i + 1,
                    format!(
                        "{}: lists or mappings nested more than {MAX_DEPTH} deep",
                        what_is_invalid(path)
                    ),
                )
                .with_help("a field's value is text, a number or a flat list like `[a, b]`"),
            );
        }
    }
    None
}

/// The YAML error without its own "at line … column …" suffix, which is
/// relative to the front matter and would contradict ours.
fn yaml_message(err: &serde_yaml::Error, path: &Path) -> String {
    let mut text = err.to_string();
    while let Some(i) = text.find(" at line ") {
        let rest = &text[i + " at line ".len()..];
        let digits = |s: &str| s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let mut end = digits(rest);
        if let Some(col) = rest[end..].strip_prefix(" column ") {
            end += " column ".len() + digits(col);
        }
        text.replace_range(i..i + " at line ".len() + end, "");
    }
    let text = ["i64", "u64", "u32", "usize", "i32"].iter().fold(text, |t, ty| {
        t.replace(&format!("expected {ty}"), "expected a whole number")
    });
    let text = without_struct_names(text);
    format!("{}: {text}", what_is_invalid(path))
}

/// `expected struct RawPage` names a type of ours, not what to write: a
/// mapping is `key: value` fields.
fn without_struct_names(mut text: String) -> String {
    while let Some(at) = text.find("expected struct ") {
        let name = &text[at + "expected struct ".len()..];
        let len = name.len()
            - name
                .trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_')
                .len();
        text.replace_range(at..at + "expected struct ".len() + len, "expected `key: value` fields");
    }
    text
}

/// How a YAML error starts: a `.yaml` file (the configuration, a theme's
/// strings) is YAML through and through; a Markdown file's YAML is its
/// front matter.
fn what_is_invalid(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("yaml" | "yml") => "invalid YAML",
        _ => "invalid front matter",
    }
}

/// The offset of the first quote in `yaml` that no later quote on its line
/// closes: where a "never closed" quoted value starts.
fn unclosed_quote(yaml: &str) -> Option<usize> {
    let mut at = 0;
    for line in yaml.split_inclusive('\n') {
        for quote in ['"', '\''] {
            let count = line.matches(quote).count() - line.matches(&format!("\\{quote}")).count();
            if count % 2 == 1 {
                return line.find(quote).map(|i| at + i);
            }
        }
        at += line.len();
    }
    None
}

fn load_config(
    (root, real): (&Path, &inside::Root),
    cache: &mut FileCache,
    inputs: &mut Inputs,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let rel = PathBuf::from(CONFIG_PATH);
    if real.escapes(&root.join(&rel)) {
        return diagnostics.push(inside::outside(&rel));
    }
    if !root.join(&rel).is_file() {
        if root.join("content").is_dir() {
            diagnostics.push(
                Diagnostic::error(Code::E0001, &rel, 0..0, "the dossier has no configuration file".into())
                    .with_help("create `content/dossier.yaml` with at least `title`, `language` and `parties`"),
            );
        }
        return;
    }
    let read = cache.read(root, &rel);
    cache.keep(&rel, &read);
    let text = match read.1 {
        Ok(text) => text,
        Err(Unreadable { diagnostic, lossy }) => {
            if let Some(text) = lossy {
                inputs.files.insert(rel, text);
            }
            return diagnostics.push(diagnostic);
        }
    };
    inputs.files.insert(rel.clone(), text.clone());
    let without_bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let yaml = without_bom..text.len();
    let parsed = typed_controls(&rel, &text, yaml.clone())
        .and_then(|()| parse_yaml::<RawConfig>(&rel, &text, yaml.clone()))
        .and_then(|config| escaped_controls(&rel, &text, yaml, &config).map(|()| config));
    match parsed {
        Ok(config) => inputs.config = Some((TextFile { path: rel, text }, config)),
        Err(d) => diagnostics.push(*d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The files come in the order a walk by file name gives, which the
    /// model's order (and so the site's bytes) follows.
    #[test]
    fn files_come_in_the_order_of_a_walk_by_file_name() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            "seeds/a.md",
            "seeds/a-b.md",
            "seeds/a0.md",
            "seeds/B.md",
            "seeds/é.md",
            "seeds/originals/a.txt",
            "seeds/originals/a/b.txt",
            "seeds/originals/a-b.txt",
            "seeds/originals/a.b/c.txt",
            "seeds/originals/a/b/c.txt",
            "content/sectors/x.md",
            "content/actors/a.md",
        ];
        for file in files {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        let real = inside::Root::new(dir.path()).unwrap();
        let (found, _) = walk(dir.path(), &real);
        let found: Vec<PathBuf> = found.into_iter().map(|(_, rel)| rel).collect();
        let by_name: Vec<PathBuf> = ["content", "seeds"]
            .into_iter()
            .flat_map(|folder| walkdir::WalkDir::new(dir.path().join(folder)).sort_by_file_name())
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(dir.path()).unwrap().to_path_buf())
            .collect();
        assert_eq!(found.len(), files.len());
        assert_eq!(found, by_name);
    }
}
