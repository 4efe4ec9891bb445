//! The whole pipeline on hostile Markdown: the input becomes the body of
//! an editorial page, then of an annotated source (its original is its own
//! stripped text, so that the fidelity check lets most inputs through), of
//! the small dossier `dossier init` writes, built to a folder — load,
//! model, render and write, on the build's threads. Issue 13: deep
//! nesting once aborted the process in render; any panic or abort here is
//! a crash.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use dossier::model::annotation;
use dossier::scaffold::init::{Language, init};
use dossier::Strictness;
use libfuzzer_sys::fuzz_target;

const SOURCE_FRONT: &str = "---\ntitle: Fuzz\npublished: 2024\nlanguage: en\nkind: article\noriginal: originals/fuzz.txt\n---\n";

/// The example dossier, made once per process.
fn dossier() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("dossier-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        init(&dir, Language::En).expect("the example dossier");
        dir
    })
}

fn build(root: &Path) {
    let out = root.join("public");
    // Content errors are expected; only a panic or an abort is a finding.
    let _ = dossier::build(root, &out, Strictness::AllowWarnings, false);
}

fuzz_target!(|text: &str| {
    let root = dossier();
    let page = root.join("content/pages/fuzz.md");
    let source = root.join("seeds/fuzz.md");
    let original = root.join("seeds/originals/fuzz.txt");
    let _ = std::fs::remove_file(&source);
    let _ = std::fs::remove_file(&original);
    std::fs::write(&page, format!("---\ntitle: Fuzz\n---\n{text}")).unwrap();
    build(root);
    std::fs::remove_file(&page).unwrap();
    std::fs::write(&source, format!("{SOURCE_FRONT}{text}")).unwrap();
    std::fs::write(&original, annotation::strip(text, 0).text).unwrap();
    build(root);
});
