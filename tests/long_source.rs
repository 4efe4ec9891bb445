//! A source too long for one page (a report, a transcript) is shown on
//! several, each small enough for a phone: its own page first, the next
//! ones in a folder of its own, every paragraph on exactly one of them,
//! and every link to a paragraph leading to the page that shows it. In
//! both languages of the test dossiers.

mod common;

use std::path::Path;
use std::process::Command;

use common::{Site, assert_pager, attributes, broken_links, build, copy_of, find_id, fixture, repo};

/// The limit for every page but the one-file editions (issue 10).
const PAGE_LIMIT: usize = 300_000;
const PARAGRAPHS: usize = 2000;

/// Adds `seeds/long-report.md` and its original: `PARAGRAPHS` paragraphs,
/// one in three annotated in `sector` (`tests/fixtures/grow.py`, which the
/// browser suite uses too).
fn add_long_source(root: &Path, sector: &str) {
    let status = Command::new("python3")
        .arg(repo().join("tests/fixtures/grow.py"))
        .arg(root)
        .args([
            "--sector",
            sector,
            "--long-source",
            "--paragraphs",
            &PARAGRAPHS.to_string(),
        ])
        .status()
        .expect("python3 runs");
    assert!(status.success(), "grow.py failed");
}

fn is_paragraph(id: &str) -> bool {
    id.strip_prefix('p')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The long source's pages, in order: its own, then `long-report/2.html`…
fn source_pages(site: &Site, sources: &str) -> Vec<String> {
    let mut pages = vec![format!("{sources}/long-report.html")];
    let mut n = 2;
    while site.exists(&format!("{sources}/long-report/{n}.html")) {
        pages.push(format!("{sources}/long-report/{n}.html"));
        n += 1;
    }
    pages
}

/// A short source whose slug is the long one's and a page number.
fn add_neighbour(root: &Path) {
    let text = "The neighbour of the long report.\n";
    let front = "---\ntitle: \"The neighbour\"\npublished: 2023-05-03\nauthor: null\noutlet: null\nurl: null\nlanguage: en\nkind: article\noriginal: originals/long-report-2.txt\nsectors: []\n---\n";
    std::fs::write(root.join("seeds/long-report-2.md"), format!("{front}{text}")).unwrap();
    std::fs::write(root.join("seeds/originals/long-report-2.txt"), text).unwrap();
}

fn check(fixture_name: &str, sector: &str, sources: &str) {
    let dossier = copy_of(&fixture(fixture_name));
    add_long_source(dossier.path(), sector);
    add_neighbour(dossier.path());
    let site = build(dossier.path());

    let pages = source_pages(&site, sources);
    assert!(pages.len() > 2, "{fixture_name}: the long source is split: {pages:?}");
    for page in &pages {
        let size = site.read(page).len();
        assert!(size <= PAGE_LIMIT, "{page}: {size} bytes");
    }
    // Every paragraph on exactly one page, in order, and the pages'
    // navigation marks each page as the current one.
    let mut next = 1;
    for (i, page) in pages.iter().enumerate() {
        let html = site.read(page);
        let first = next;
        while next <= PARAGRAPHS && find_id(&html, &format!("p{next}")).is_some() {
            next += 1;
        }
        assert!(next > first, "{page} shows paragraphs from ¶{first}");
        let last = next - 1;
        let marked = format!("aria-current=\"page\">¶{first}–¶{last}</a>");
        assert!(
            html.contains(&marked),
            "{page}: the link to ¶{first}–¶{last} marks the page itself"
        );
        assert_pager(&html, page, i, pages.len());
    }
    assert_eq!(next, PARAGRAPHS + 1, "{fixture_name}: every paragraph is shown");
    let ids: usize = pages
        .iter()
        .map(|p| {
            attributes(&site.read(p), "id")
                .iter()
                .filter(|id| is_paragraph(id))
                .count()
        })
        .sum();
    assert_eq!(ids, PARAGRAPHS, "{fixture_name}: each paragraph on one page only");
    // ¶1 is the source's title: the heading of its first page only.
    let first = site.read(&pages[0]);
    assert!(first.contains("<h1 id=\"p1\""), "the title carries ¶1");
    let later = site.read(&pages[1]);
    let h1 = &later[later.find("<h1").expect("an h1")..];
    let h1 = &h1[..h1.find("</h1>").unwrap()];
    assert!(
        h1.ends_with(">A long report on the banks") && !h1.contains("id="),
        "a later page's heading is the title alone: {h1}"
    );

    // "Cite this source" gives the source's own address on every page;
    // "cite this paragraph" the page that shows it (en-harbor has a
    // `base_url`, fr-lagune none).
    let second = site.read(&pages[1]);
    if fixture_name == "en-harbor" {
        let cite = &second[second.find("class=\"citation\"").expect("the source's citation")..];
        let cite = &cite[..cite.find("</p>").unwrap()];
        assert!(cite.ends_with(&format!("/{sources}/long-report.html.")), "{cite}");
        let paragraph = find_id(&second, "p500").map(|_| "p500").unwrap_or("p300");
        assert!(
            second.contains(&format!("/{sources}/long-report/2.html#{paragraph}.")),
            "the ¶ citation names page 2"
        );
    }

    // The editor's note on ¶999 is beside it, on the page that shows it.
    let with_note: Vec<&String> = pages
        .iter()
        .filter(|p| find_id(&site.read(p), "n1").is_some())
        .collect();
    let of_999: Vec<&String> = pages
        .iter()
        .filter(|p| find_id(&site.read(p), "p999").is_some())
        .collect();
    assert_eq!(
        with_note, of_999,
        "{fixture_name}: the note is on the page of its paragraph"
    );
    assert_ne!(with_note.first().copied(), pages.first());

    // The sector's passages, the search and the exports link to the page
    // that shows each paragraph: no link of the site is broken.
    let broken = broken_links(&site);
    assert!(broken.is_empty(), "{fixture_name}: {broken:#?}");

    // In the one-file edition, each page's ids stay its own: page 2 of
    // `long-report` and the source `long-report-2` are different parts.
    let edition = site.read("dossier.html");
    let mut ids = attributes(&edition, "id");
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "{fixture_name}: no id twice in dossier.html");

    // The sources that fit one page have no folder and no navigation.
    let short: Vec<String> = site
        .html_pages()
        .into_iter()
        .filter(|p| p.starts_with(&format!("{sources}/")) && !p.contains("long-report"))
        .collect();
    assert!(!short.is_empty());
    for page in short {
        assert!(
            attributes(&site.read(&page), "rel")
                .iter()
                .all(|r| r != "prev" && r != "next"),
            "{page}"
        );
    }
}

#[test]
fn a_long_english_source_is_split_into_pages() {
    check("en-harbor", "fisheries", "sources");
}

#[test]
fn a_long_french_source_is_split_into_pages() {
    check("fr-lagune", "peche", "sources");
}

/// A source of one paragraph heavier than a page (a transcript without
/// paragraphs) cannot be split: it keeps its one page and its title.
#[test]
fn a_source_of_one_huge_paragraph_keeps_one_page() {
    let dossier = copy_of(&fixture("en-harbor"));
    let text = "The dock workers spoke at length. ".repeat(8_000);
    let front = "---\ntitle: \"One block\"\npublished: 2023-05-03\nauthor: null\noutlet: null\nurl: null\nlanguage: en\nkind: report\noriginal: originals/one-block.txt\nsectors: []\n---\n";
    std::fs::write(dossier.path().join("seeds/one-block.md"), format!("{front}{text}\n")).unwrap();
    std::fs::write(
        dossier.path().join("seeds/originals/one-block.txt"),
        format!("{text}\n"),
    )
    .unwrap();
    let site = build(dossier.path());
    let page = site.read("sources/one-block.html");
    assert!(page.contains("<title>One block — "), "no ¶ range in the title");
    assert!(!site.exists("sources/one-block/2.html"));
    assert!(!attributes(&page, "rel").iter().any(|r| r == "next"));
}

/// Issue 10: no one-file edition passes 25 MB, even for a source that
/// alone would (a transcript of short replies: 240,000 paragraphs in a
/// file under the 8 MiB limit, 55 MB as one part). Its pages go to
/// editions as the sources' do, one after the other, each paragraph in
/// exactly one of them, and every link between them resolves.
#[test]
fn a_source_too_heavy_for_one_edition_spans_several() {
    const REPLIES: usize = 240_000;
    let dossier = copy_of(&fixture("en-harbor"));
    let root = dossier.path();
    let text = "Yes, said the harbour master.\n\n".repeat(REPLIES);
    let front = "---\ntitle: \"Hearing\"\npublished: 2024-03-04\nauthor: null\noutlet: null\nurl: null\nlanguage: en\nkind: report\noriginal: originals/hearing.txt\nsectors: []\n---\n";
    std::fs::write(root.join("seeds/hearing.md"), format!("{front}{text}")).unwrap();
    std::fs::write(root.join("seeds/originals/hearing.txt"), &text).unwrap();
    let site = build(root);
    let editions: Vec<String> = site
        .html_pages()
        .into_iter()
        .filter(|p| p.starts_with("dossier-"))
        .collect();
    let mut paragraphs = 0;
    let mut holding = 0;
    for edition in &editions {
        let html = site.read(edition);
        assert!(html.len() < 25_000_000, "{edition}: {} bytes", html.len());
        let here = attributes(&html, "id")
            .iter()
            .filter(|id| {
                id.strip_prefix("sources-hearing")
                    .and_then(|rest| rest.rsplit_once("--"))
                    .is_some_and(|(_, p)| is_paragraph(p))
            })
            .count();
        paragraphs += here;
        holding += usize::from(here > 0);
    }
    assert_eq!(paragraphs, REPLIES, "every paragraph in exactly one edition");
    assert!(holding > 1, "the source spans several editions: {editions:?}");
    let broken = broken_links(&site);
    assert!(broken.is_empty(), "{broken:#?}");
}
