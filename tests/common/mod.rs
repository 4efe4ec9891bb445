//! Helpers for the integration tests: build a dossier with the real binary
//! and look at the site it wrote.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

pub fn dossier() -> Command {
    let mut cmd = Command::cargo_bin("dossier").expect("the binary is built");
    cmd.env("NO_COLOR", "1");
    cmd
}

/// `dossier <command> --root <root>`.
pub fn dossier_at(command: &str, root: &Path) -> Command {
    let mut cmd = dossier();
    cmd.arg(command).arg("--root").arg(root);
    cmd
}

/// A built site in a temporary folder.
pub struct Site {
    _dir: tempfile::TempDir,
    pub out: PathBuf,
}

impl Site {
    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.out.join(path).is_file()
    }

    /// Every file of the site, by path relative to its root.
    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        files_under(&self.out)
    }

    pub fn html_pages(&self) -> Vec<String> {
        self.files().into_keys().filter(|p| p.ends_with(".html")).collect()
    }
}

pub fn files_under(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

pub fn build(root: &Path) -> Site {
    build_with(root, &[])
}

pub fn build_with(root: &Path, env: &[(&str, &str)]) -> Site {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let mut cmd = dossier();
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.arg("build")
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    Site { _dir: dir, out }
}

/// The values of attribute `name` in an HTML text, quoted or not.
pub fn attributes(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=");
    let mut values = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
            _ => rest.split([' ', '>']).next().unwrap_or(""),
        };
        values.push(decode(value));
    }
    values
}

/// Where the element with this `id` starts its `id` attribute, quoted or not.
pub fn find_id(html: &str, id: &str) -> Option<usize> {
    [format!(" id=\"{id}\""), format!(" id={id}>"), format!(" id={id} ")]
        .iter()
        .filter_map(|needle| html.find(needle.as_str()))
        .min()
}

fn decode(value: &str) -> String {
    value
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

/// The text of an HTML page without its tags, entities decoded, white
/// space collapsed: what a reader sees.
pub fn text(html: &str) -> String {
    let html = match (html.find("<style>"), html.find("</style>")) {
        (Some(a), Some(b)) if a < b => format!("{}{}", &html[..a], &html[b..]),
        _ => html.to_string(),
    };
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = decode(&out).replace("&lt;", "<").replace("&gt;", ">");
    // Only ASCII white space is folded: no-break spaces are typography.
    out.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every link of every page that does not resolve: a missing file or a
/// missing `id` for the fragment. External links are returned too.
pub fn broken_links(site: &Site) -> Vec<String> {
    let pages = site.html_pages();
    let ids: BTreeMap<String, BTreeSet<String>> = pages
        .iter()
        .map(|p| (p.clone(), attributes(&site.read(p), "id").into_iter().collect()))
        .collect();
    let mut broken = Vec::new();
    for page in &pages {
        let html = site.read(page);
        let dir = Path::new(page).parent().unwrap_or(Path::new(""));
        for href in attributes(&html, "href") {
            // The page's own published address (rel=canonical, issue 15).
            let own_address = href.starts_with("https://") && href.ends_with(&format!("/{page}"));
            if own_address {
                continue;
            }
            if href.contains("://") || href.starts_with("//") || href.starts_with('/') {
                broken.push(format!("{page}: external or absolute link {href}"));
                continue;
            }
            let (file, fragment) = href.split_once('#').unwrap_or((&href, ""));
            let target = if file.is_empty() {
                page.clone()
            } else {
                normalise(&dir.join(file))
            };
            match ids.get(&target) {
                // A file that is not a page (a source's plain text): it must exist.
                None if fragment.is_empty() && !target.ends_with(".html") && site.exists(&target) => {}
                None => broken.push(format!("{page}: {href} -> missing file {target}")),
                Some(found) if !fragment.is_empty() && !found.contains(fragment) => {
                    broken.push(format!("{page}: {href} -> no id {fragment} in {target}"))
                }
                _ => {}
            }
        }
    }
    broken
}

fn normalise(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

/// A copy of a dossier in a temporary folder, to break on purpose. The
/// repository's own dossier is its root: its build output, `target/`
/// (which can hold a benchmark's sites of many gigabytes) and `.git/` are
/// left out without being read.
pub fn copy_of(root: &Path) -> tempfile::TempDir {
    const NOT_THE_DOSSIER: [&str; 3] = ["public", "target", ".git"];
    let dir = tempfile::tempdir().unwrap();
    let entries = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| {
            !(e.depth() == 1 && e.file_type().is_dir() && NOT_THE_DOSSIER.iter().any(|name| e.file_name() == *name))
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file());
    for entry in entries {
        let path = dir.path().join(entry.path().strip_prefix(root).unwrap());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::copy(entry.path(), path).unwrap();
    }
    dir
}

/// Replaces the first `from` with `to` in a file of a dossier copy.
pub fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} does not contain {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// A copy of a dossier with its site built once, as a newsroom would have
/// it published: to break, then to check that the published site survives.
pub struct Published {
    pub dossier: tempfile::TempDir,
    /// The folder holding the site (and nothing else).
    pub place: tempfile::TempDir,
    pub out: PathBuf,
    /// The site's files as first built.
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Published {
    pub fn root(&self) -> &Path {
        self.dossier.path()
    }
}

pub fn published_copy(root: &Path) -> Published {
    let dossier = copy_of(root);
    let place = tempfile::tempdir().unwrap();
    let out = place.path().join("site");
    dossier_at("build", dossier.path())
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let files = files_under(&out);
    Published {
        dossier,
        place,
        out,
        files,
    }
}

/// A running `dossier serve` whose first build succeeded, stopped when
/// dropped: what it prints (both streams, line by line) and its port.
pub struct Serving {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    pub port: u16,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serving {
    /// `dossier serve root`, with the system's temporary folder at `tmp`.
    pub fn start(root: &Path, tmp: &Path) -> Serving {
        let (serving, first) = Serving::launch(root, tmp);
        assert!(first.is_ok(), "the first build succeeds: {first:?}");
        serving
    }

    /// [`Serving::start`], whether its first build succeeds or not: with
    /// the line that ends that build, as [`Serving::wait_for_build_line`].
    pub fn launch(root: &Path, tmp: &Path) -> (Serving, Result<String, String>) {
        use std::io::BufRead as _;
        use std::process::Stdio;
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("dossier"))
            .arg("serve")
            .arg(root)
            .env("TMPDIR", tmp)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("dossier serve starts");
        let (send, lines) = std::sync::mpsc::channel();
        for out in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let send = send.clone();
            std::thread::spawn(move || {
                for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
                    let _ = send.send(line);
                }
            });
        }
        let mut serving = Serving { child, lines, port: 0 };
        // The first build's last line and the address come on two pipes
        // (a failure on standard error, the address on standard output),
        // read by two threads: in either order.
        let (mut first, mut port) = (None, None);
        while first.is_none() || port.is_none() {
            let line = serving.next_line();
            if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
                port = Some(rest.split('/').next().unwrap().parse().unwrap());
            } else if first.is_none() {
                first = Serving::build_outcome(line);
            }
        }
        serving.port = port.unwrap();
        (serving, first.unwrap())
    }

    pub fn next_line(&self) -> String {
        self.lines
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("serve reports each build within a minute")
    }

    /// Waits for the end of the next build, whole site written or failed:
    /// returns whether it succeeded.
    pub fn wait_for_build(&self) -> bool {
        self.wait_for_build_line().is_ok()
    }

    /// The line that ends the next build: `Ok` if it succeeded.
    pub fn wait_for_build_line(&self) -> Result<String, String> {
        loop {
            if let Some(outcome) = Serving::build_outcome(self.next_line()) {
                return outcome;
            }
        }
    }

    /// Whether `line` ends a build, and how: `Ok` if it succeeded.
    fn build_outcome(line: String) -> Option<Result<String, String>> {
        if line.contains("built ") && line.ends_with(" s") {
            Some(Ok(line))
        } else if line.contains("still serving the last good build")
            || line.contains("no site to serve until a build succeeds")
        {
            Some(Err(line))
        } else {
            None
        }
    }

    /// The body of `GET path`.
    pub fn get(&self, path: &str) -> String {
        get(self.port, path).1
    }

    /// The served site: `TMPDIR/dossier-serve/<dossier>/site`.
    pub fn site(tmp: &Path) -> PathBuf {
        let folder = std::fs::read_dir(tmp.join("dossier-serve"))
            .unwrap()
            .next()
            .expect("serve made its folder")
            .unwrap()
            .path();
        folder.join("site")
    }
}

/// The status code and body of `GET path` from the server at `port`.
pub fn get(port: u16, path: &str) -> (u16, String) {
    try_get(port, path).expect("the server answers")
}

/// [`get`], or `None` if the server is gone.
pub fn try_get(port: u16, path: &str) -> Option<(u16, String)> {
    use std::io::{Read as _, Write as _};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let code = response.get(9..12)?.parse().ok()?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Some((code, body))
}

/// Polls `GET path` until its body satisfies `test`, for at most a minute.
pub fn eventually(port: u16, path: &str, test: impl Fn(&str) -> bool) -> String {
    let started = std::time::Instant::now();
    loop {
        let (_, body) = get(port, path);
        if test(&body) {
            return body;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "never served as expected:\n{body}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// Page `i` of `count` pages showing one thing (a long source, the index
/// of actors) links back to the one before and on to the one after, and
/// only those that exist.
pub fn assert_pager(html: &str, page: &str, i: usize, count: usize) {
    let rel = attributes(html, "rel");
    assert_eq!(rel.iter().any(|r| r == "prev"), i > 0, "{page}: a link back");
    assert_eq!(rel.iter().any(|r| r == "next"), i + 1 < count, "{page}: a link on");
}
