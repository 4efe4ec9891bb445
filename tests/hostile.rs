//! Hostile input that is *valid*: text at every limit still builds, and
//! inputs that used to take quadratic time or memory stay within bounds.
//! The refused cases are in `bad_inputs.rs`. No test here times anything:
//! each uses sizes at which the old quadratic behaviour took minutes, so a
//! regression shows as a CI timeout, and the per-operation bounds are unit
//! tests beside the code.

mod common;

use std::path::Path;

use common::{attributes, build, copy_of, edit, fixture};

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

/// The `style-src` and `script-src` of a page's policy.
fn allowed(html: &str) -> Vec<String> {
    let policy = attributes(html, "content")
        .into_iter()
        .find(|c| c.starts_with("default-src"))
        .expect("a Content-Security-Policy");
    policy
        .split("; ")
        .filter(|d| d.starts_with("style-src") || d.starts_with("script-src"))
        .map(str::to_string)
        .collect()
}

/// Issue 13: a description that mentions `<style>` (on every page, in an
/// attribute and in the JSON-LD) and a title that holds a tag as text are
/// text: every page keeps exactly the hashes of its stylesheet and scripts.
/// (The scan itself, on a page where a minifier left the `<` raw in an
/// attribute, is `write::policy`'s unit test.)
#[test]
fn markup_written_as_text_costs_no_page_its_hashes() {
    let plain = build(&fixture("en-harbor"));
    let dir = copy_of(&fixture("en-harbor"));
    let root = dir.path();
    edit(
        root,
        "content/dossier.yaml",
        "description: \"A fictional dossier",
        "description: \"How to read <style> guides. <script>x A fictional dossier",
    );
    edit(
        root,
        "content/pages/about.md",
        "title: About this dossier",
        "title: \"About <script>alert(1)</script> <style>\"",
    );
    let site = build(root);
    assert!(site.read("index.html").contains("How to read &lt;style&gt; guides."));
    for page in plain.html_pages() {
        assert_eq!(allowed(&site.read(&page)), allowed(&plain.read(&page)), "{page}");
    }
    let about = site.read("about.html");
    let title = &about[about.find("<title>").unwrap()..about.find("</title>").unwrap()];
    assert!(!title[1..].contains('<'), "{title}");
}

/// Thousands of annotations in one paragraph: the margin names each actor
/// and event once, in the order the text names them first (what it names
/// already is looked up in a set: a search of the list was quadratic, 54 %
/// of a build with 80,000 events in one paragraph).
#[test]
fn a_paragraph_names_each_of_thousands_of_events_once() {
    const EVENTS: usize = 5_000;
    let dir = copy_of(&fixture("en-harbor"));
    let root = dir.path();
    let mut body = String::from("[Norland]{actor=norland} [Estmark]{actor=estmark} [again]{actor=norland event=ev-1}");
    let mut original = String::from("Norland Estmark again");
    for i in 0..EVENTS {
        body.push_str(&format!(
            " [w{i}]{{event=ev-{i} date=2020-01-01 title=\"Event {i}\" actor=estmark}}"
        ));
        original.push_str(&format!(" w{i}"));
    }
    source(root, &format!("{body}\n"), &format!("{original}\n"));
    let site = build(root);
    let page = site.read("sources/hostile.html");
    let start = page.find("class=\"para-tags\"").expect("the paragraph's tags");
    let tags = &page[start..start + page[start..].find("</div>").unwrap()];
    let hrefs = attributes(tags, "href");
    let actors: Vec<&String> = hrefs.iter().filter(|h| h.contains("actors/")).collect();
    assert_eq!(actors, ["../actors/norland.html", "../actors/estmark.html"]);
    let events: Vec<&String> = hrefs.iter().filter(|h| h.contains("#e-")).collect();
    assert_eq!(events.len(), EVENTS, "each event once");
    assert!(events[0].ends_with("#e-ev-1"), "first named first: {}", events[0]);
    assert!(
        events[1].ends_with("#e-ev-0"),
        "then in the text's order: {}",
        events[1]
    );
}
