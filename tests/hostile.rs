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
