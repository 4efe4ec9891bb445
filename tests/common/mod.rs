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

/// A copy of a dossier in a temporary folder, to break on purpose.
pub fn copy_of(root: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, bytes) in files_under(root) {
        if rel.starts_with("public/") || rel.starts_with("target/") || rel.starts_with(".git/") {
            continue;
        }
        let path = dir.path().join(&rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
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
