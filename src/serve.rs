//! `dossier serve`: builds the site into a folder of the system's temporary
//! directory (never `public/`, never inside the dossier), serves it on
//! 127.0.0.1, watches `content/`, `seeds/` and `themes/`, and rebuilds the
//! dossier on every change, as `build` does, but with what the previous
//! build read and resolved kept ([`Kept`]): only the files whose stamp
//! changed are read, and only the sources whose inputs changed are
//! resolved again. The output is that of a fresh build (Zola moved to full
//! rebuilds because incremental ones bred bugs: `tests/incremental.rs`
//! compares the two).
//!
//! A failed build leaves the last good site in place (the write stage swaps
//! a site in only when every stage succeeded): it keeps being served, and
//! the error is printed in the terminal and shown over the open pages.
//! Each page served gets a small script (see [`reload`]) that long-polls
//! the server for the next build and reloads the page when it succeeds.
//! The whole site is written on a thread of its own, and a newer edit
//! gives up the write of an older one (see [`rebuild`]).

mod rebuild;
mod reload;
mod shared;
mod superseded;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecursiveMode, Watcher as _};
use tiny_http::{Header, Request, Response, Server};

use crate::Kept;
use shared::Shared;

pub struct Options {
    pub root: PathBuf,
    pub port: Option<u16>,
    pub open: bool,
}

/// The folders whose changes trigger a rebuild.
const WATCHED: [&str; 3] = ["content", "seeds", "themes"];
/// How long the files must be quiet before a rebuild: an editor's save is
/// often several events.
const DEBOUNCE: Duration = Duration::from_millis(50);
/// How long a page's request for the next build is held open.
const LONG_POLL: Duration = Duration::from_secs(25);

pub fn run(options: &Options) -> ExitCode {
    match serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn serve(options: &Options) -> anyhow::Result<()> {
    let root = &options.root;
    if !root.is_dir() {
        anyhow::bail!("`{}` is not a folder", root.display());
    }
    let out = output_folder(root)?;
    let shared = Arc::new(Shared::default());
    let (events, changes) = channel();
    let mut watcher = notify::recommended_watcher(events)?;
    for folder in WATCHED.iter().map(|f| root.join(f)).filter(|f| f.is_dir()) {
        watcher.watch(&folder, RecursiveMode::Recursive)?;
    }
    let mut kept = Kept::new();
    let generation = shared.begin_generation();
    if let Some(prepared) = rebuild::prepare(root, (&shared, &mut kept), generation, "") {
        rebuild::write(prepared, &out, &shared);
    }
    let server = Server::http(("127.0.0.1", options.port.unwrap_or(0)))
        .map_err(|e| anyhow::anyhow!("cannot listen on 127.0.0.1: {e}"))?;
    let port = server.server_addr().to_ip().map_or(0, |a| a.port());
    let url = format!("http://127.0.0.1:{port}/");
    println!("serving {url} (Ctrl-C to stop); watching content/, seeds/ and themes/");
    if options.open {
        open_browser(&url);
    }
    let serving = Arc::clone(&shared);
    let site = out.clone();
    std::thread::spawn(move || respond_forever(&server, &site, &serving));
    let (to_write, prepared) = channel();
    let writing = Arc::clone(&shared);
    std::thread::spawn(move || {
        for build in prepared {
            rebuild::write(build, &out, &writing);
        }
    });
    watch_forever(root, (&shared, &mut kept), &changes, &to_write);
    Ok(())
}

/// A folder of the system's temporary directory, one per dossier (so a
/// second `serve` of the same dossier starts from its last site).
fn output_folder(root: &Path) -> anyhow::Result<PathBuf> {
    use std::hash::{Hash, Hasher};
    let root = root.canonicalize()?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    root.hash(&mut hasher);
    let name = root.file_name().map_or("dossier".into(), |n| n.to_string_lossy());
    let folder = std::env::temp_dir().join("dossier-serve").join(format!(
        "{}-{:016x}",
        crate::slug::suggest(&name),
        hasher.finish()
    ));
    std::fs::create_dir_all(&folder)?;
    Ok(folder.join("site"))
}

/// Rebuilds after each burst of changes in the watched folders (once they
/// have been quiet for [`DEBOUNCE`]), until the watcher stops: prepares
/// each build and hands it to the writer. The first change of a burst
/// begins a new generation, which gives up the write under way.
fn watch_forever(
    root: &Path,
    (shared, kept): (&Shared, &mut Kept),
    changes: &Receiver<notify::Result<Event>>,
    to_write: &Sender<rebuild::Prepared>,
) {
    while let Ok(first) = changes.recv() {
        let mut changed = relevant(first);
        if changed.is_empty() {
            continue;
        }
        let generation = shared.begin_generation();
        loop {
            match changes.recv_timeout(DEBOUNCE) {
                Ok(more) => changed.extend(relevant(more)),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        changed.sort();
        changed.dedup();
        let base = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let shown = changed[0]
            .strip_prefix(&base)
            .unwrap_or(&changed[0])
            .display()
            .to_string();
        let why = match changed.len() {
            1 => format!("{shown} changed: "),
            n => format!("{shown} and {} more changed: ", n - 1),
        };
        let Some(prepared) = rebuild::prepare(root, (shared, kept), generation, &why) else {
            continue;
        };
        if to_write.send(prepared).is_err() {
            return;
        }
    }
}

/// The files an event changed, if it changed any: reading a file (as
/// every build does) is not a change, nor are an editor's hidden, backup
/// and lock files.
fn relevant(event: notify::Result<Event>) -> Vec<PathBuf> {
    let Ok(event) = event else {
        return Vec::new();
    };
    let changes = match event.kind {
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any => true,
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Other => false,
    };
    if !changes {
        return Vec::new();
    }
    event
        .paths
        .into_iter()
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
            !name.starts_with('.') && !name.ends_with('~') && !name.starts_with('#')
        })
        .collect()
}

fn respond_forever(server: &Server, site: &Path, shared: &Arc<Shared>) {
    let source = Arc::new(reload::script_source());
    for request in server.incoming_requests() {
        let (site, shared, source) = (site.to_path_buf(), Arc::clone(shared), Arc::clone(&source));
        // A thread per request: pages hold their long poll open.
        std::thread::spawn(move || {
            let _ = respond(request, &site, &shared, &source);
        });
    }
}

fn respond(request: Request, site: &Path, shared: &Shared, source: &str) -> std::io::Result<()> {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    if path == "/__dossier/wait" {
        let (seen, showing, page) = wait_query(query);
        let status = shared.wait_on(page, || shared.wait(seen, showing));
        let body = serde_json::json!({
            "version": status.version,
            "reload": status.must_reload(seen),
            "error": status.error,
            "built": status.built,
        });
        return request.respond(with_type(Response::from_data(body.to_string()), "application/json"));
    }
    let status = shared.status();
    if !status.built {
        let page = reload::waiting_page(status.version, source);
        return request.respond(with_type(Response::from_data(page), "text/html; charset=utf-8").with_status_code(503));
    }
    if let Some(bytes) = page_key(path).and_then(|key| shared.first_page(&key)) {
        let body = reload::inject(&String::from_utf8_lossy(&bytes), status.version, source).into_bytes();
        return request.respond(with_type(Response::from_data(body), "text/html; charset=utf-8"));
    }
    let (file, code) = match site_file(site, path) {
        Some(file) => (file, 200),
        None => (site.join("404.html"), 404),
    };
    let kind = content_type(&file);
    let Ok(bytes) = std::fs::read(&file) else {
        return request.respond(Response::from_string("not found").with_status_code(404));
    };
    let body = if kind.starts_with("text/html") {
        reload::inject(&String::from_utf8_lossy(&bytes), status.version, source).into_bytes()
    } else {
        bytes
    };
    request.respond(with_type(Response::from_data(body), kind).with_status_code(code))
}

/// `v=3&e=1&p=%2Fsectors%2Fwater.html`: the version the page shows,
/// whether it shows its error, and which page it is.
fn wait_query(query: &str) -> (u64, bool, Option<String>) {
    let mut seen = 0;
    let mut showing = false;
    let mut page = None;
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("v", v)) => seen = v.parse().unwrap_or(0),
            Some(("e", e)) => showing = e == "1",
            Some(("p", p)) => page = percent_decode(p).as_deref().and_then(page_key),
            _ => {}
        }
    }
    (seen, showing, page)
}

/// The path of the page a URL's path names, relative to the site's root
/// (`/` and folders are their `index.html`); `None` for what is no page.
fn page_key(path: &str) -> Option<String> {
    let decoded = percent_decode(path)?;
    let parts: Vec<&str> = decoded.split('/').filter(|p| !p.is_empty()).collect();
    if parts
        .iter()
        .any(|p| *p == "." || *p == ".." || p.contains('\\') || p.starts_with('.'))
    {
        return None;
    }
    let key = parts.join("/");
    match key.as_str() {
        "" => Some("index.html".into()),
        _ if decoded.ends_with('/') => Some(format!("{key}/index.html")),
        _ if key.ends_with(".html") => Some(key),
        _ => None,
    }
}

/// The file of the site that `path` (from a URL) names, if there is one:
/// `/` and folders are their `index.html`; `..` never leaves the site.
fn site_file(site: &Path, path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(path)?;
    let mut file = site.to_path_buf();
    for part in decoded.split('/').filter(|p| !p.is_empty()) {
        if part == "." || part == ".." || part.contains('\\') || part.starts_with('.') {
            return None;
        }
        file.push(part);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" | "jsonld" => "application/json",
        "jsonl" | "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "csv" => "text/csv; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn with_type<R: std::io::Read>(response: Response<R>, kind: &str) -> Response<R> {
    let header = |name: &str, value: &str| Header::from_bytes(name, value).expect("an ASCII header");
    response
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"))
}

/// Opens `url` in the default browser, if the system says how.
fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd").args(["/C", "start", "", url]).spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if let Err(err) = command {
        eprintln!("could not open a browser ({err}); open {url}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_urls_to_files_of_the_site_only() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path();
        std::fs::create_dir_all(site.join("sources")).unwrap();
        std::fs::write(site.join("index.html"), "i").unwrap();
        std::fs::write(site.join("sources/a b.html"), "a").unwrap();
        assert_eq!(site_file(site, "/"), Some(site.join("index.html")));
        assert_eq!(
            site_file(site, "/sources/a%20b.html"),
            Some(site.join("sources/a b.html"))
        );
        assert_eq!(site_file(site, "/../etc/passwd"), None);
        assert_eq!(site_file(site, "/sources/%2e%2e/%2e%2e/x"), None);
        assert_eq!(site_file(site, "/missing.html"), None);
    }

    /// Every build reads every file: reads must not trigger a rebuild, or
    /// serve rebuilds forever (what notify-debouncer-mini did).
    #[test]
    fn only_changes_trigger_a_rebuild() {
        use notify::event::{CreateKind, ModifyKind};
        let event = |kind, name: &str| Ok(Event::new(kind).add_path(PathBuf::from(name)));
        let read = EventKind::Access(AccessKind::Close(AccessMode::Read));
        let open = EventKind::Access(AccessKind::Open(AccessMode::Any));
        assert!(relevant(event(read, "seeds/a.md")).is_empty());
        assert!(relevant(event(open, "seeds/a.md")).is_empty());
        let written = EventKind::Access(AccessKind::Close(AccessMode::Write));
        assert_eq!(relevant(event(written, "seeds/a.md")), [PathBuf::from("seeds/a.md")]);
        assert_eq!(relevant(event(EventKind::Modify(ModifyKind::Any), "b.md")).len(), 1);
        assert!(relevant(event(EventKind::Create(CreateKind::File), "seeds/.a.md.swp")).is_empty());
        assert!(relevant(event(EventKind::Create(CreateKind::File), "seeds/a.md~")).is_empty());
    }

    #[test]
    fn reads_the_wait_query() {
        assert_eq!(wait_query("v=12&e=1"), (12, true, None));
        assert_eq!(wait_query("v=x"), (0, false, None));
        let page = Some("sectors/water.html".to_string());
        assert_eq!(wait_query("v=2&p=%2Fsectors%2Fwater.html"), (2, false, page));
        assert_eq!(page_key("/"), Some("index.html".into()));
        assert_eq!(page_key("/secteurs/"), Some("secteurs/index.html".into()));
        assert_eq!(page_key("/../x.html"), None);
    }
}
