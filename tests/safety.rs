//! What a newsroom must be able to rely on: input that is odd but valid is
//! accepted, text from sources and YAML can never become markup, warnings
//! can be made to stop a build, and no build — failed, refused or killed —
//! damages the published site or writes where it should not.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{build, copy_of, dossier_at, edit, files_under, fixture, published_copy};
use predicates::prelude::PredicateBooleanExt;

fn convert_to_bom_and_crlf(root: &Path) {
    for (rel, bytes) in files_under(root) {
        let is_text = rel.ends_with(".md") || rel.ends_with(".yaml") || rel.ends_with(".txt");
        if !is_text {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap().replace('\n', "\r\n");
        std::fs::write(root.join(&rel), format!("\u{feff}{text}")).unwrap();
    }
}

#[test]
fn byte_order_marks_and_crlf_line_endings_are_accepted_and_change_nothing() {
    let unix = build(&fixture("en-harbor"));
    let dossier = copy_of(&fixture("en-harbor"));
    convert_to_bom_and_crlf(dossier.path());
    let windows = build(dossier.path());
    assert!(
        unix.files() == windows.files(),
        "a dossier saved on Windows builds the same site"
    );
}

#[test]
fn a_named_pipe_is_never_opened() {
    let dossier = copy_of(&fixture("en-harbor"));
    let fifo = dossier.path().join("seeds/pipe.md");
    let status = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    // Reading a FIFO with no writer blocks forever; the timeout would fail.
    dossier_at("check", dossier.path())
        .timeout(Duration::from_secs(30))
        .assert()
        .success()
        .stderr(predicates::str::contains("warning[W0001]: this is not a regular file"))
        .stderr(predicates::str::contains("seeds/pipe.md:1:1"));
}

#[test]
fn a_site_built_inside_the_dossier_is_not_read_as_content() {
    let dossier = copy_of(&fixture("en-harbor"));
    let out = dossier.path().join("content/site");
    for _ in 0..2 {
        dossier_at("build", dossier.path())
            .arg("--out")
            .arg(&out)
            .assert()
            .success()
            .stderr(predicates::str::contains("W0001").not());
    }
}

#[test]
fn deny_warnings_turns_warnings_into_errors_and_keeps_the_site() {
    let published = published_copy(&fixture("en-harbor"));
    let (root, out) = (published.root(), &published.out);
    edit(root, "seeds/joint-communique-kelvra.md", "unit=\"units\" ", "");
    dossier_at("check", root)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "warning[W0105]: the figure `desalination-units` has no unit",
        ));
    dossier_at("build", root)
        .arg("--deny-warnings")
        .arg("--out")
        .arg(out)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("error[W0105]"))
        .stderr(predicates::str::contains("seeds/joint-communique-kelvra.md:17:39"));
    assert!(
        files_under(out) == published.files,
        "a denied warning leaves the site as it was"
    );
}

/// Every warning the issue names, each on its own.
#[test]
fn warns_of_what_is_defined_but_never_used() {
    let dossier = copy_of(&fixture("en-harbor"));
    let root = dossier.path();
    let write = |rel: &str, text: &str| std::fs::write(root.join(rel), text).unwrap();
    write(
        "content/sectors/defence.md",
        "---\ntitle: Defence\norder: 9\ncolor: \"#8a3b12\"\nsummary: Nothing yet.\n---\n",
    );
    write("content/actors/nobody.md", "---\nname: Nobody\nkind: person\n---\n");
    write(
        "content/events/unreported.md",
        "---\ntitle: Unreported\ndate: 2020\nsectors: [water]\n---\n",
    );
    write(
        "seeds/bare.md",
        "---\ntitle: Bare\npublished: 2024\noutlet: X\nlanguage: en\nkind: comunique\noriginal: originals/bare.txt\n---\nNothing annotated.\n",
    );
    write("seeds/originals/bare.txt", "Nothing annotated.\n");
    write("seeds/originals/never-annotated.txt", "A copy no source uses.\n");
    edit(root, "seeds/joint-communique-kelvra.md", "unit=\"units\" ", "");
    let output = dossier_at("check", root).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8(output.stderr).unwrap();
    for (code, at) in [
        ("W0101", "content/sectors/defence.md:1:1"),
        ("W0102", "content/actors/nobody.md:1:1"),
        ("W0103", "content/events/unreported.md:1:1"),
        ("W0104", "seeds/bare.md:1:1"),
        ("W0105", "seeds/joint-communique-kelvra.md:17:39"),
        ("W0106", "seeds/bare.md:6:7"),
        ("W0107", "seeds/originals/never-annotated.txt:1:1"),
    ] {
        let block = stderr
            .split("\n\n")
            .find(|b| b.starts_with(&format!("warning[{code}]")));
        let block = block.unwrap_or_else(|| panic!("no {code}\n{stderr}"));
        assert!(block.contains(&format!("--> {at}\n")), "{code} at {at}\n{block}");
        assert!(block.contains("= help: "), "{code} has a hint\n{block}");
    }
    assert!(
        stderr.contains("warning[W0106]: `comunique` is not a known source kind"),
        "{stderr}"
    );
    assert!(stderr.contains("help: did you mean `communique`? A source kind of your own is shown as written"));
    assert!(stderr.contains("warning[W0107]: no source uses the original `seeds/originals/never-annotated.txt`"));
    assert!(stderr.contains(
        "help: draft its annotated copy with `dossier new source SLUG --original seeds/originals/never-annotated.txt`"
    ));
}

/// A dossier whose titles, names and texts try to inject markup.
fn hostile_dossier(allow_html: bool) -> tempfile::TempDir {
    let dossier = copy_of(&fixture("en-harbor"));
    let root = dossier.path();
    edit(
        root,
        "seeds/kelvra-port-deal.md",
        "title: \"",
        "title: \"<script>alert(1)</script></title><script>alert(5)</script> ",
    );
    edit(
        root,
        "content/sectors/water.md",
        "title: Water",
        "title: \"Water <img src=x onerror=alert(2)>\"",
    );
    edit(
        root,
        "content/sectors/water.md",
        "The [Joint",
        "<span class=\"raw-html\">raw</span> <script>alert(3)</script>\n\nThe [Joint",
    );
    edit(
        root,
        "content/actors/norland.md",
        "name: Norland",
        "name: \"Norland\\\" onmouseover=\\\"alert(4)\"",
    );
    edit(
        root,
        "seeds/joint-communique-kelvra.md",
        "note=\"Read “Ministry of Health”.\"",
        "note=\"<b onclick=alert(6)>Read</b> “Ministry of Health”.\"",
    );
    if allow_html {
        edit(
            root,
            "content/dossier.yaml",
            "language: en",
            "language: en\nallow_html: true",
        );
    }
    dossier
}

/// The tags of a page, each as its name and attribute names, read as a
/// browser would: quoted attribute values may hold `<` and `>`, and the
/// content of `<title>` (RCDATA) is text whatever it holds.
fn tags(html: &str) -> Vec<(String, Vec<String>)> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .collect();
        let mut attrs = Vec::new();
        let mut chars = rest[name.len()..].char_indices();
        let mut end = rest.len();
        while let Some((j, c)) = chars.next() {
            match c {
                '>' => {
                    end = name.len() + j + 1;
                    break;
                }
                '"' | '\'' => skip_quoted(&mut chars, c),
                '=' => match chars.clone().next() {
                    Some((_, q @ ('"' | '\''))) => {
                        chars.next();
                        skip_quoted(&mut chars, q);
                    }
                    _ => {
                        while chars
                            .clone()
                            .next()
                            .is_some_and(|(_, v)| !v.is_whitespace() && v != '>')
                        {
                            chars.next();
                        }
                    }
                },
                c if c.is_ascii_alphabetic() => {
                    let start = name.len() + j;
                    let len = rest[start..]
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                        .unwrap_or(0);
                    attrs.push(rest[start..start + len].to_ascii_lowercase());
                    for _ in 1..len {
                        chars.next();
                    }
                }
                _ => {}
            }
        }
        rest = &rest[end..];
        if name.eq_ignore_ascii_case("title") {
            rest = &rest[rest.find("</title>").unwrap_or(0)..];
        }
        tags.push((name.to_ascii_lowercase(), attrs));
    }
    tags
}

fn skip_quoted(chars: &mut std::str::CharIndices, quote: char) {
    for (_, c) in chars.by_ref() {
        if c == quote {
            break;
        }
    }
}

/// Whatever the hostile dossier injected that reached the markup.
fn injected(html: &str) -> Vec<String> {
    tags(html)
        .into_iter()
        .filter(|(name, attrs)| {
            matches!(name.as_str(), "script" | "img" | "b") || attrs.iter().any(|a| a.starts_with("on"))
        })
        .map(|(name, attrs)| format!("<{name} {}>", attrs.join(" ")))
        .collect()
}

#[test]
fn the_tag_reader_finds_injections_and_ignores_text() {
    let html =
        "<title><script>x</script></title><p title='a <img> b' class=x>Norland\" onmouseover=\"x</p><b onclick=y>";
    assert_eq!(injected(html), ["<b onclick>"]);
    assert_eq!(injected("<img src=x onerror=alert(2)>"), ["<img src onerror>"]);
}

/// The suspicious tags of each page of `site` that the same page of the
/// clean fixture does not have (the search page has scripts of its own).
fn injected_beyond_clean(site: &common::Site) -> Vec<(String, String)> {
    let clean = build(&fixture("en-harbor"));
    let mut found = Vec::new();
    for page in site.html_pages() {
        let mut expected = if clean.exists(&page) {
            injected(&clean.read(&page))
        } else {
            Vec::new()
        };
        for tag in injected(&site.read(&page)) {
            match expected.iter().position(|t| *t == tag) {
                Some(i) => {
                    expected.remove(i);
                }
                None => found.push((page.clone(), tag)),
            }
        }
    }
    found
}

#[test]
fn text_from_yaml_and_sources_never_becomes_markup() {
    let dossier = hostile_dossier(false);
    let site = build(dossier.path());
    assert_eq!(injected_beyond_clean(&site), Vec::<(String, String)>::new());
    for page in site.html_pages() {
        let html = site.read(&page);
        assert!(
            !html.contains("<span class=\"raw-html\""),
            "{page}: content HTML is escaped by default"
        );
    }
    let water = common::text(&site.read("sectors/water.html"));
    assert!(water.contains("<script>alert(3)</script>"), "raw HTML is shown as text");
    let source = site.read("sources/kelvra-port-deal.html");
    assert!(
        common::text(&source).contains("<script>alert(1)</script></title><script>alert(5)</script>"),
        "a hostile title reads as text"
    );
}

#[test]
fn raw_html_in_content_passes_only_when_allowed_and_never_from_seeds() {
    let dossier = hostile_dossier(true);
    let site = build(dossier.path());
    let water = site.read("sectors/water.html");
    assert!(
        water.contains("<span class=\"raw-html\">raw</span>"),
        "allow_html passes content HTML"
    );
    let communique = site.read("sources/joint-communique-kelvra.html");
    assert!(
        common::text(&communique).contains("<b onclick=alert(6)>Read</b>"),
        "a note in a source is text"
    );
    assert_eq!(
        injected_beyond_clean(&site),
        [
            ("dossier.html".to_string(), "<script >".to_string()),
            ("sectors/water.html".to_string(), "<script >".to_string())
        ],
        "only the content's own HTML passes"
    );
}

#[test]
fn a_build_writes_nothing_outside_its_output() {
    let dossier = copy_of(&fixture("en-harbor"));
    let before = files_under(dossier.path());
    let place = tempfile::tempdir().unwrap();
    let out = place.path().join("site");
    for _ in 0..2 {
        dossier_at("build", dossier.path())
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
    }
    assert!(
        files_under(dossier.path()) == before,
        "the dossier is read, never written"
    );
    assert_eq!(
        beside(place.path()),
        [".site.dossier-previous", ".site.dossier-record", "site"],
        "beside the output, only the previous site, kept to be written over, and the record of what was written"
    );
}

/// Kills builds at many moments; after each, the output is the old site or
/// the new one, whole, and the next build cleans up what the killed one
/// left.
#[test]
fn a_killed_build_leaves_the_old_site_or_the_new_one() {
    let published = published_copy(&fixture("en-harbor"));
    let (root, out, place) = (published.root(), &published.out, &published.place);
    let old = published.files.clone();
    edit(root, "content/sectors/water.md", "title: Water", "title: Fresh water");
    let new = build(root).files();
    assert!(old != new);
    let binary = assert_cmd::cargo::cargo_bin("dossier");
    // Kill from the start to past the end of a typical build, wherever the
    // build is at that moment: loading, rendering, writing or swapping.
    let started = std::time::Instant::now();
    build(root);
    let typical = started.elapsed().as_millis() as u64;
    let mut saw_old = false;
    for step in 0..40 {
        let delay_ms = typical * step / 25;
        let mut child = Command::new(&binary)
            .args(["build", "--root"])
            .arg(root)
            .arg("--out")
            .arg(out)
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        child.wait().unwrap();
        let now = files_under(out);
        assert!(
            now == old || now == new,
            "killed after {delay_ms} ms: a mix of two sites"
        );
        saw_old |= now == old;
        if now == new {
            // Start again from the old site, so every delay tests a swap.
            std::fs::remove_dir_all(out).unwrap();
            copy_site(&old, out);
        }
    }
    assert!(saw_old, "some build was killed before its swap");
    dossier_at("build", root).arg("--out").arg(out).assert().success();
    assert_eq!(
        beside(place.path()),
        [".site.dossier-previous", ".site.dossier-record", "site"],
        "what killed builds left is taken over or cleaned up"
    );
}

/// A build writes over the site of two builds before, and trusts the
/// record of what that site holds. A build killed while writing over it
/// leaves that folder holding other bytes than its record says; the next
/// build recycles it, and must still publish exactly its own site. Here
/// the killed build writes the newer site's bytes into a folder recorded
/// as holding the older one, which the next build then makes again: a
/// stale record that were trusted would leave the killed build's bytes
/// in the published site. The edit keeps most files' lengths, so only
/// their times tell the writes apart.
#[test]
fn a_build_after_a_killed_one_publishes_its_own_site_whatever_the_record_says() {
    let published = published_copy(&fixture("en-harbor"));
    let (root, out) = (published.root(), &published.out);
    let sector = "content/sectors/water.md";
    let variants = ["title: Water", "title: Wader"];
    let first = build(root).files();
    edit(root, sector, variants[0], variants[1]);
    let expected = [first, build(root).files()];
    assert!(expected[0] != expected[1]);
    // Pages that differ and keep their length: only their times can tell
    // what wrote them.
    let same_length_changes = expected[0]
        .iter()
        .filter(|(path, old)| {
            expected[1]
                .get(*path)
                .is_some_and(|new| new != *old && new.len() == old.len())
        })
        .count();
    assert!(
        same_length_changes > 20,
        "{same_length_changes} files change and keep their length"
    );
    // The site of two builds before holds variant 0, the published one 1.
    let started = std::time::Instant::now();
    dossier_at("build", root).arg("--out").arg(out).assert().success();
    let typical = started.elapsed().as_millis() as u64;
    let binary = assert_cmd::cargo::cargo_bin("dossier");
    let mut published_variant = 1;
    for step in 0..24 {
        let older = 1 - published_variant;
        // The killed build makes the published site again, over the folder
        // that holds the other one.
        let mut child = Command::new(&binary)
            .args(["build", "--root"])
            .arg(root)
            .arg("--out")
            .arg(out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(typical * step / 16));
        let _ = child.kill();
        child.wait().unwrap();
        edit(root, sector, variants[published_variant], variants[older]);
        dossier_at("build", root).arg("--out").arg(out).assert().success();
        assert!(
            files_under(out) == expected[older],
            "after a build killed at step {step}, the next build published other bytes than its own site"
        );
        published_variant = older;
    }
}

/// The names in a folder, sorted.
fn beside(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn copy_site(files: &std::collections::BTreeMap<String, Vec<u8>>, out: &Path) {
    for (rel, bytes) in files {
        let path = out.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// Unmounts a bind mount when the test ends, whatever its outcome.
struct BindMount(std::path::PathBuf);

impl Drop for BindMount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Issue 13: an `--out` bind-mounted from a folder of the same file system
/// (a container's volume) has its parent's device; the site was staged
/// beside it and could be moved neither whole (`EBUSY`) nor entry by
/// entry (`EXDEV`). It is now seen as a mount point and built in place.
/// Needs the right to mount (root): skipped otherwise.
#[test]
fn builds_into_a_bind_mount_of_the_same_file_system() {
    let dossier = copy_of(&fixture("en-harbor"));
    let dir = tempfile::tempdir().unwrap();
    let (volume, out) = (dir.path().join("volume"), dir.path().join("public"));
    std::fs::create_dir_all(&volume).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    let mounted = Command::new("mount")
        .arg("--bind")
        .arg(&volume)
        .arg(&out)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: cannot bind-mount here");
        return;
    }
    let _unmount = BindMount(out.clone());
    for edition in ["first", "second"] {
        let output = dossier_at("build", dossier.path())
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{edition} build: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        edit(dossier.path(), "content/dossier.yaml", "title: \"", "title: \"Again ");
    }
    let index = std::fs::read_to_string(volume.join("index.html")).unwrap();
    assert!(
        index.contains("Again Norland"),
        "the second build's site is in the volume"
    );
    assert!(volume.join(".dossier-build").is_file());
    let left: Vec<String> = std::fs::read_dir(&volume)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("dossier-") && n != ".dossier-build")
        .collect();
    assert!(left.is_empty(), "no staging folder left: {left:?}");
    assert_eq!(beside(dir.path()), ["public", "volume"], "nothing staged beside it");
}
