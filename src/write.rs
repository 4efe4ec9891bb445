//! Stage 4, *write*: minify the pages and put the site on disk without ever
//! leaving a half-written site or touching a folder dossier did not make.
//!
//! The site is written whole into a temporary folder beside the output,
//! then swapped in: on Linux with one atomic `renameat2(RENAME_EXCHANGE)`,
//! so an interrupted build leaves the old site or the new one, never a mix;
//! elsewhere with two renames. A marker file says a folder is dossier's
//! output; a non-empty folder without it is refused, and left as it was.

use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::Context as _;
use rayon::prelude::*;

use crate::render::Site;

/// The file that marks a folder as dossier's output.
pub const MARKER: &str = ".dossier-build";
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

/// Writes `site` to `out`; returns the number of pages written.
pub fn write(site: &Site, out: &Path) -> Result<usize, WriteError> {
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
    remove_abandoned_staging(&parent, &name);
    let staging = parent.join(format!("{}{}", staging_prefix(&name), std::process::id()));
    let result = stage(site, &staging).and_then(|()| swap(&staging, out));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result?;
    Ok(site.files.iter().filter(|f| f.path.ends_with(".html")).count())
}

fn staging_prefix(out_name: &str) -> String {
    format!(".{out_name}.dossier-tmp-")
}

/// Removes the staging folders of builds that were killed (Ctrl-C, a
/// crash): those whose process no longer runs. A build still running keeps
/// its own.
fn remove_abandoned_staging(parent: &Path, out_name: &str) {
    let prefix = staging_prefix(out_name);
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        if pid.parse::<u32>().is_ok_and(|pid| !process_runs(pid)) {
            let _ = fs::remove_dir_all(entry.path());
        }
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

fn stage(site: &Site, staging: &Path) -> Result<(), WriteError> {
    if staging.exists() {
        fs::remove_dir_all(staging).with_context(|| format!("removing `{}`", staging.display()))?;
    }
    fs::create_dir_all(staging).with_context(|| format!("creating `{}`", staging.display()))?;
    let cfg = minify_config();
    site.files.par_iter().try_for_each(|file| -> anyhow::Result<()> {
        let path = safe_join(staging, &file.path)?;
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).with_context(|| format!("creating `{}`", dir.display()))?;
        }
        let bytes = if file.path.ends_with(".html") {
            let minified = minify_html::minify(file.contents.as_bytes(), &cfg);
            with_content_security_policy(&escape_title(minified))
        } else {
            file.contents.as_bytes().to_vec()
        };
        fs::write(&path, bytes).with_context(|| format!("writing `{}`", path.display()))
    })?;
    fs::write(staging.join(MARKER), MARKER_TEXT).context("writing the output marker")?;
    Ok(())
}

/// The minifier writes a `<` of the title's text as is, which is valid (a
/// title holds only text) but reads like a tag to every tool that is not a
/// browser, the policy's own scan included: it is escaped back.
fn escape_title(html: Vec<u8>) -> Vec<u8> {
    let (Some(start), Some(end)) = (find(&html, b"<title>"), find(&html, b"</title>")) else {
        return html;
    };
    let text = start + b"<title>".len();
    if end < text || !html[text..end].contains(&b'<') {
        return html;
    }
    let mut out = Vec::with_capacity(html.len() + 16);
    out.extend_from_slice(&html[..text]);
    for &b in &html[text..end] {
        match b {
            b'<' => out.extend_from_slice(b"&lt;"),
            b => out.push(b),
        }
    }
    out.extend_from_slice(&html[end..]);
    out
}

/// Adds a strict Content-Security-Policy to a (minified) page: nothing may
/// load but, on a page that has scripts, the site's own script files (`'self'`:
/// the search page's index shards, which work from `file://` too); the only
/// styles and inline scripts that run are the page's own, allowed by the
/// SHA-256 of their exact bytes. The hashes must be of the final bytes, so
/// this runs after minification.
fn with_content_security_policy(html: &[u8]) -> Vec<u8> {
    let policy = content_security_policy(html);
    let meta = format!("<meta content=\"{policy}\" http-equiv=Content-Security-Policy>");
    // As early as possible: the policy governs only what follows it.
    let at = find(html, b"<meta charset=utf-8>")
        .map(|i| i + b"<meta charset=utf-8>".len())
        .or_else(|| find(html, b"<title>"))
        .unwrap_or(0);
    [&html[..at], meta.as_bytes(), &html[at..]].concat()
}

fn content_security_policy(html: &[u8]) -> String {
    let mut policy = String::from("default-src 'none'; base-uri 'none'; form-action 'self'");
    for (directive, tag) in [("style-src", "style"), ("script-src", "script")] {
        let hashes = inline_contents(html, tag)
            .map(|content| {
                use base64::Engine as _;
                use sha2::Digest as _;
                let digest = sha2::Sha256::digest(content);
                format!(" 'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
            })
            .collect::<String>();
        if !hashes.is_empty() {
            // A page's scripts may load the site's own (the search shards).
            let own = if directive == "script-src" { " 'self'" } else { "" };
            policy.push_str(&format!("; {directive}{own}{hashes}"));
        }
    }
    policy
}

/// The contents of each `<tag …>…</tag>` element without a `src`.
fn inline_contents<'a>(html: &'a [u8], tag: &str) -> impl Iterator<Item = &'a [u8]> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut rest = html;
    std::iter::from_fn(move || {
        loop {
            let start = find(rest, open.as_bytes())?;
            let after = &rest[start + open.len()..];
            let tag_end = find(after, b">")?;
            let attributes = &after[..tag_end];
            let content = &after[tag_end + 1..];
            let end = find(content, close.as_bytes())?;
            rest = &content[end + close.len()..];
            let is_element = attributes.is_empty() || attributes[0] == b' ';
            if is_element && find(attributes, b"src=").is_none() {
                return Some(&content[..end]);
            }
        }
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// Standard-compliant minification: the output passes the Nu HTML checker.
fn minify_config() -> minify_html::Cfg {
    minify_html::Cfg {
        minify_css: true,
        minify_js: true,
        ..minify_html::Cfg::default()
    }
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

fn swap(staging: &Path, out: &Path) -> Result<(), WriteError> {
    if !out.exists() {
        fs::rename(staging, out).with_context(|| format!("moving the new site to `{}`", out.display()))?;
        return Ok(());
    }
    exchange(staging, out).with_context(|| format!("replacing `{}`", out.display()))?;
    // `staging` now holds the previous site.
    fs::remove_dir_all(staging).with_context(|| format!("removing the previous site from `{}`", staging.display()))?;
    Ok(())
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
    use crate::render::OutputFile;

    fn site(text: &str) -> Site {
        Site {
            files: vec![
                OutputFile {
                    path: "index.html".into(),
                    contents: format!("<!doctype html><p>{text}</p>"),
                },
                OutputFile {
                    path: "a/b.html".into(),
                    contents: "<p>b</p>".into(),
                },
            ],
        }
    }

    #[test]
    fn writes_then_replaces_its_own_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&site("one"), &out).unwrap();
        assert!(out.join(MARKER).is_file());
        fs::write(out.join("stale.html"), "x").unwrap();
        write(&site("two"), &out).unwrap();
        assert!(fs::read_to_string(out.join("index.html")).unwrap().contains("two"));
        assert!(!out.join("stale.html").exists(), "the old site is replaced whole");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary folder is left behind");
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
        write(&site("one"), &out).unwrap();
        assert!(!abandoned.exists(), "a dead build's staging folder is removed");
        assert!(other.exists(), "another output's folder is not ours to remove");
        assert!(
            running.exists(),
            "a running build's folder is left to it (pid 1 always runs)"
        );
    }

    #[test]
    fn refuses_a_folder_it_did_not_make() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("docs");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("thesis.txt"), "precious").unwrap();
        assert!(matches!(write(&site("x"), &out), Err(WriteError::Refused(_))));
        assert_eq!(fs::read_to_string(out.join("thesis.txt")).unwrap(), "precious");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn the_policy_allows_exactly_the_inline_styles_and_scripts() {
        let html = b"<meta charset=utf-8><title>x</title><style>p{color:red}</style><script>go()</script><script src=a.js></script><p>";
        let out = String::from_utf8(with_content_security_policy(html)).unwrap();
        // echo -n 'p{color:red}' | openssl dgst -sha256 -binary | base64
        let style = "'sha256-p0bF+un5yUb9MBO6xRb8kPHlY2BdpHVtLiFkDrZPF64='";
        // echo -n 'go()' | openssl dgst -sha256 -binary | base64
        let script = "'sha256-5KYv+PUboo5h+0+YAtGRPbwv5d/QxzHslP4YGnUaxRw='";
        let expected = format!(
            "<meta charset=utf-8><meta content=\"default-src 'none'; base-uri 'none'; form-action 'self'; style-src {style}; script-src 'self' {script}\" http-equiv=Content-Security-Policy><title>"
        );
        assert!(out.starts_with(&expected), "{out}");
    }

    #[test]
    fn a_title_that_looks_like_markup_is_escaped_and_never_allowed() {
        let html = b"<title><script>alert(1)</script> & co</title><style>p{}</style>".to_vec();
        let out = String::from_utf8(with_content_security_policy(&escape_title(html))).unwrap();
        assert!(
            out.contains("<title>&lt;script>alert(1)&lt;/script> & co</title>"),
            "{out}"
        );
        assert!(!out.contains("script-src"), "no script to allow: {out}");
    }

    #[test]
    fn refuses_paths_that_leave_the_output() {
        for bad in ["../x.html", "/etc/x", "a/../../x", ""] {
            assert!(safe_join(Path::new("/tmp/out"), bad).is_err(), "{bad}");
        }
    }
}
