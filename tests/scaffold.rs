//! `dossier init` and `dossier new` as a journalist meets them: what they
//! write builds and passes the checks at once, and they never overwrite.

mod common;

use common::dossier;
use predicates::prelude::PredicateBooleanExt as _;
use predicates::str::contains;

#[test]
fn init_writes_a_dossier_that_passes_check_deny_warnings_in_each_language() {
    for language in ["en", "fr"] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("my-dossier");
        dossier()
            .args(["init", "--language", language])
            .arg(&root)
            .assert()
            .success()
            .stdout(contains("created a dossier in"));
        dossier()
            .arg("check")
            .arg(&root)
            .arg("--deny-warnings")
            .assert()
            .success();
        dossier()
            .arg("build")
            .arg(&root)
            .assert()
            .success()
            .stdout(contains("index.html"));
        assert!(root.join("public/index.html").is_file(), "{language}");
    }
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    dossier()
        .arg("init")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(contains("is not empty"))
        .stderr(contains("notes.txt"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// Issue 12: a numbered or bulleted line, a `#`, a `>` or an emphasis
/// mark of the original was eaten by Markdown, and fidelity failed.
#[test]
fn a_source_drafted_from_an_original_passes_check_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("d");
    dossier().arg("init").arg(&root).assert().success();
    let original = dir.path().join("statement.txt");
    std::fs::write(
        &original,
        "Joint Statement\n\n1. A provision on *strategic* weapons.\n\n2) Another, on [sic] cooperation.\n\n\
         - A bullet\n\n+ Another\n\n* A star\n\n# of warheads: 1,700\n\n> A quote & more &amp; less\n\n\
         `code` and _under_score_ <b>tag</b> C:\\temp\n\n###\n",
    )
    .unwrap();
    dossier()
        .args(["new", "source", "statement", "--original"])
        .arg(&original)
        .arg("--root")
        .arg(&root)
        .assert()
        .success()
        .stdout(contains("seeds/statement.md"))
        .stdout(contains("10 paragraphs"));
    assert_eq!(
        std::fs::read(root.join("seeds/originals/statement.txt")).unwrap(),
        std::fs::read(&original).unwrap(),
        "the original is copied byte for byte"
    );
    dossier()
        .arg("check")
        .arg(&root)
        .assert()
        .success()
        .stderr(contains("E04").not());
}

#[test]
fn a_hard_wrapped_original_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("d");
    dossier().arg("init").arg(&root).assert().success();
    let original = dir.path().join("wire.txt");
    std::fs::write(
        &original,
        "WASHINGTON, May 24 (Wire) - The presidents of the two countries signed\n\
         on Friday a treaty that cuts their strategic arsenals by two thirds over\n\
         ten years, officials said.\n",
    )
    .unwrap();
    dossier()
        .args(["new", "source", "wire", "--original"])
        .arg(&original)
        .arg("--root")
        .arg(&root)
        .assert()
        .success()
        .stdout(contains("hard-wrapped"))
        .stdout(contains("put a blank line between its real paragraphs"));
    dossier().arg("check").arg(&root).assert().success();
}

#[test]
fn new_drafts_each_kind_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("d");
    dossier().arg("init").arg(&root).assert().success();
    for (kind, path) in [
        ("sector", "content/sectors/trade.md"),
        ("actor", "content/actors/trade.md"),
        ("event", "content/events/trade.md"),
        ("page", "content/pages/trade.md"),
    ] {
        dossier()
            .args(["new", kind, "trade", "--root"])
            .arg(&root)
            .assert()
            .success()
            .stdout(contains(path));
        std::fs::write(
            root.join(path),
            std::fs::read_to_string(root.join(path)).unwrap() + "mine\n",
        )
        .unwrap();
        dossier()
            .args(["new", kind, "trade", "--root"])
            .arg(&root)
            .assert()
            .code(2)
            .stderr(contains(path))
            .stderr(contains("never overwrites"));
        assert!(std::fs::read_to_string(root.join(path)).unwrap().ends_with("mine\n"));
    }
    // Warnings only (a new sector has no passage yet): the files are valid.
    dossier().arg("check").arg(&root).assert().success();
    dossier()
        .args(["new", "source", "about", "--original"])
        .arg(root.join("seeds/originals/joint-statement.txt"))
        .arg("--root")
        .arg(&root)
        .assert()
        .success();
    dossier()
        .args(["new", "source", "about", "--original"])
        .arg(root.join("seeds/originals/joint-statement.txt"))
        .arg("--root")
        .arg(&root)
        .assert()
        .code(2)
        .stderr(contains("seeds/about.md"));
}

#[test]
fn new_refuses_an_invalid_slug_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    dossier().arg("init").arg(dir.path()).assert().success();
    dossier()
        .args(["new", "sector", "Énergie Verte", "--root"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(contains("`energie-verte`"));
}
