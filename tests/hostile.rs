//! Hostile input that is *valid*: text at every limit still builds, and
//! inputs that used to take quadratic time or memory stay within bounds.
//! The refused cases are in `bad_inputs.rs`. No test here times anything:
//! each uses sizes at which the old quadratic behaviour took minutes, so a
//! regression shows as a CI timeout, and the per-operation bounds are unit
//! tests beside the code.

mod common;

use std::path::Path;

use common::{build, copy_of, fixture};

fn write(root: &Path, file: &str, text: &str) {
    let path = root.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A source `seeds/hostile.md` with `body`, and its original.
fn source(root: &Path, body: &str, original: &str) {
    let front = "---\ntitle: Hostile\npublished: 2024\noutlet: X\nlanguage: en\nkind: article\noriginal: originals/hostile.txt\n---\n";
    write(root, "seeds/hostile.md", &format!("{front}{body}"));
    write(root, "seeds/originals/hostile.txt", original);
}

/// Issue 13: every nesting limit reached at once, in a page and a source,
/// goes through render and the minifier on the build's threads.
#[test]
fn builds_text_nested_up_to_every_limit() {
    let dir = copy_of(&fixture("en-harbor"));
    let root = dir.path();
    let lists = "- ".repeat(16);
    let quotes = ">".repeat(16);
    let strong = "**".repeat(16);
    write(
        root,
        "content/pages/deep.md",
        &format!("---\ntitle: Deep\n---\n{quotes} {lists}{strong}[deep](page:about){strong}\n"),
    );
    let annotations = 16;
    let words = format!(
        "{}{}words{}{}",
        strong,
        "[".repeat(annotations),
        "]{sector=water}".repeat(annotations),
        strong
    );
    source(root, &format!("{} {words}\n", ">".repeat(32)), "words\n");
    let site = build(root);
    assert!(site.read("deep.html").contains("deep</a>"));
    assert!(site.read("sources/hostile.html").contains("words"));
}

/// Issue 13: a link inside the dossier is followed; the error for one that
/// leads out never shows a byte of what it points to.
#[test]
fn follows_links_inside_the_dossier_and_never_shows_what_is_outside() {
    let dir = copy_of(&fixture("en-harbor"));
    let root = dir.path();
    write(root, "content/style.css", "body{color:#123456}");
    std::fs::create_dir_all(root.join("themes/default/static")).unwrap();
    std::os::unix::fs::symlink(
        "../../../content/style.css",
        root.join("themes/default/static/style.css"),
    )
    .unwrap();
    let site = build(root);
    assert!(
        site.read("index.html").contains("#123456"),
        "the linked stylesheet is used"
    );
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    std::fs::write(&secret, "SECRET-FIRST-LINE\n---\n").unwrap();
    std::os::unix::fs::symlink(&secret, root.join("seeds/leak.md")).unwrap();
    let output = common::dossier_at("check", root).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("E0008") && !stderr.contains("SECRET"), "{stderr}");
}

/// Issue 13: text that reads like the engine's percent-encoded root mark is
/// text, kept as written.
#[test]
fn keeps_text_that_looks_like_an_encoded_mark() {
    let dir = copy_of(&fixture("en-harbor"));
    let root = dir.path();
    write(
        root,
        "content/pages/marks.md",
        "---\ntitle: Marks\n---\nEncoded: %EF%B7%90 and [a link](page:about).\n",
    );
    let site = build(root);
    let page = site.read("marks.html");
    assert!(page.contains("Encoded: %EF%B7%90 and"), "{page}");
    assert!(!page.contains('\u{FDD0}'));
}
