//! A dossier of 1,000 sources, generated from the shared peer corpus
//! (`../shared/bench/gen_corpus.py`): every page a reader opens stays small
//! enough for a phone, lists too long for a page are split by period with
//! nothing lost, and every internal link still resolves.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{Site, attributes, broken_links, build_with, dossier_at, repo};

/// The limit for every page but the one-file editions, at 1,000 sources.
const PAGE_LIMIT: usize = 300_000;

fn generate(n: usize, out: &Path) {
    let generator = repo().join("../shared/bench/gen_corpus.py");
    assert!(
        generator.is_file(),
        "{} is missing: the shared folder must sit beside the repository, as in CI",
        generator.display()
    );
    let status = Command::new("python3")
        .arg(&generator)
        .args(["-n", &n.to_string(), "--flavor", "dossier", "--out"])
        .arg(out)
        .status()
        .expect("python3 runs");
    assert!(status.success(), "the corpus generator failed");
}

fn is_one_file_edition(path: &str) -> bool {
    path == "dossier.html" || (path.starts_with("dossier-") && !path.contains('/'))
}

/// The number of elements of `class` in a page (minified: quotes dropped).
fn count_class(html: &str, class: &str) -> usize {
    attributes(html, "class")
        .iter()
        .filter(|c| c.split(' ').any(|x| x == class))
        .count()
}

#[test]
fn a_thousand_sources_give_pages_a_phone_can_open_with_nothing_lost() {
    let corpus = tempfile::tempdir().unwrap();
    generate(1000, corpus.path());
    let site = build_with(corpus.path(), &[("RAYON_NUM_THREADS", "4")]);
    let files = site.files();
    let on_one_thread = build_with(corpus.path(), &[("RAYON_NUM_THREADS", "1")]);
    assert!(
        on_one_thread.files() == files,
        "the split site is the same bytes whatever the thread count"
    );
    no_progress_bar_when_not_on_a_terminal(corpus.path());
    the_progress_bar_expects_every_page_it_sees(corpus.path());

    let too_big: Vec<String> = files
        .iter()
        .filter(|(path, bytes)| path.ends_with(".html") && !is_one_file_edition(path) && bytes.len() > PAGE_LIMIT)
        .map(|(path, bytes)| format!("{path}: {} KB", bytes.len() / 1000))
        .collect();
    assert!(too_big.is_empty(), "pages over {PAGE_LIMIT} bytes: {too_big:#?}");

    // The corpus's articles link to their outlets: only internal links count.
    let broken: Vec<String> = broken_links(&site)
        .into_iter()
        .filter(|b| !b.contains("external or absolute link https://"))
        .collect();
    assert!(
        broken.is_empty(),
        "{} broken links, first: {:#?}",
        broken.len(),
        &broken[..broken.len().min(10)]
    );

    every_event_is_on_one_chronology_part(&site, &files);
    the_search_index_is_in_shards_beside_a_small_page(&files);
    the_one_file_edition_is_split_by_year_with_each_source_once(&site, &files);
    every_passage_of_a_split_sector_is_on_one_of_its_parts(&site, &files);
}

/// The chronology is split (1,000 events do not fit a page): its own page
/// shows the latest, and its parts hold every event exactly once.
fn every_event_is_on_one_chronology_part(site: &Site, files: &BTreeMap<String, Vec<u8>>) {
    let json: serde_json::Value = serde_json::from_str(&site.read("data/dossier.json")).unwrap();
    let events = json["events"].as_array().expect("events").len();
    let on_parts: usize = files
        .keys()
        .filter(|p| p.starts_with("chronologie/"))
        .map(|p| count_class(&site.read(p), "event"))
        .sum();
    assert_eq!(on_parts, events, "every event on exactly one part of the chronology");
    let first_page = count_class(&site.read("chronologie.html"), "event");
    assert!(
        first_page > 0 && first_page < events,
        "the chronology's page shows the latest events: {first_page}"
    );
}

fn every_passage_of_a_split_sector_is_on_one_of_its_parts(site: &Site, files: &BTreeMap<String, Vec<u8>>) {
    let json: serde_json::Value = serde_json::from_str(&site.read("data/dossier.json")).unwrap();
    let mut passages: BTreeMap<String, usize> = BTreeMap::new();
    for source in json["sources"].as_array().expect("sources") {
        for annotation in source["annotations"].as_array().expect("annotations") {
            for sector in annotation["sectors"].as_array().into_iter().flatten() {
                *passages.entry(sector.as_str().unwrap().to_string()).or_default() += 1;
            }
        }
    }
    let (sector, expected) = passages.iter().max_by_key(|(_, n)| **n).expect("a tagged sector");
    let folder = format!("secteurs/{sector}/");
    let parts: Vec<&String> = files.keys().filter(|p| p.starts_with(&folder)).collect();
    assert!(
        !parts.is_empty(),
        "the biggest sector, `{sector}` ({expected} passages), is split"
    );
    let on_parts: usize = parts.iter().map(|p| count_class(&site.read(p), "passage")).sum();
    assert_eq!(
        on_parts, *expected,
        "every passage of `{sector}` on exactly one of its parts"
    );
}

/// Counts what a progress bar is told: the pages announced, the pages
/// written.
#[derive(Default)]
struct PageCount {
    announced: AtomicUsize,
    expected: AtomicUsize,
    written: AtomicUsize,
}

impl dossier::render::Sink for PageCount {
    fn expect_pages(&self, pages: usize) {
        self.announced.fetch_add(1, Ordering::Relaxed);
        self.expected.store(pages, Ordering::Relaxed);
    }
    fn page(&self, _: &str, _: &[u8], _: Option<&dossier::render::inline_code::InlineCode>) -> anyhow::Result<()> {
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
    fn page_with_parts(&self, _: &str, _: &[u8], _: &[dossier::render::Stashed]) -> anyhow::Result<()> {
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
    fn file(&self, _: &str, _: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>) -> anyhow::Result<()> {
        Ok(())
    }
}

/// The bar's length is every page the build writes, the editions by year
/// among them (it counted one edition, and ended at 1,437/1,425 pages).
fn the_progress_bar_expects_every_page_it_sees(root: &Path) {
    let mut inputs = dossier::load::load(root).unwrap();
    let dossier = dossier::model::build(&mut inputs)
        .dossier
        .expect("the corpus has no error");
    let count = PageCount::default();
    dossier::render::render(&dossier, &inputs.theme, &count).unwrap();
    let (expected, written) = (count.expected.into_inner(), count.written.into_inner());
    assert_eq!(count.announced.into_inner(), 1, "the pages are announced once");
    assert!(written > 1000, "{written} pages");
    assert_eq!(expected, written, "pages announced to the progress bar, and written");
}

/// 1,000 sources are too many for one file: `dossier.html` lists the
/// editions by year, and each source is in exactly one of them.
fn the_one_file_edition_is_split_by_year_with_each_source_once(site: &Site, files: &BTreeMap<String, Vec<u8>>) {
    let editions: Vec<&String> = files
        .keys()
        .filter(|p| p.starts_with("dossier-") && p.ends_with(".html"))
        .collect();
    assert!(editions.len() > 1, "editions by year: {editions:?}");
    let contents = attributes(&site.read("dossier.html"), "href");
    for edition in &editions {
        assert!(
            contents.iter().any(|h| h.starts_with(edition.as_str())),
            "dossier.html links to {edition}"
        );
    }
    let ids: Vec<Vec<String>> = editions.iter().map(|e| attributes(&site.read(e), "id")).collect();
    for source in files
        .keys()
        .filter_map(|p| p.strip_prefix("sources/")?.strip_suffix(".html"))
        .take(50)
    {
        let anchor = format!("sources-{source}--p1");
        let holding = ids.iter().filter(|ids| ids.contains(&anchor)).count();
        assert_eq!(holding, 1, "¶1 of `{source}` in exactly one edition");
    }
}

/// The search page embeds no index: its shards sit beside it, one per
/// first two letters of the terms, and documents apart.
fn the_search_index_is_in_shards_beside_a_small_page(files: &BTreeMap<String, Vec<u8>>) {
    assert!(files["recherche.html"].len() < 64_000, "the search page stays small");
    let shards = |prefix: &str| {
        files
            .keys()
            .filter(|p| p.starts_with(prefix) && p.ends_with(".js"))
            .count()
    };
    assert!(shards("recherche/t-") > 50, "term shards");
    assert!(shards("recherche/d-") > 50, "document shards");
    let energie = String::from_utf8_lossy(&files["recherche/t-en.js"]).into_owned();
    assert!(
        energie.starts_with("dossierSearch.add(\"en\","),
        "a classic script that registers its shard"
    );
    assert!(energie.contains("ergie,"), "the term `energie` is in the shard of `en`");
    let bytes = |prefix: &str, suffix: &str| -> usize {
        files
            .iter()
            .filter(|(p, _)| p.starts_with(prefix) && p.ends_with(suffix))
            .map(|(_, contents)| contents.len())
            .sum()
    };
    let (index, text) = (bytes("recherche/", ".js"), bytes("data/texts/", ".txt"));
    assert!(
        index <= text,
        "the whole index, documents included ({index} bytes), is no larger than the text it indexes ({text})"
    );
}

/// A build that takes seconds shows a progress bar on a terminal; its
/// standard error here is a pipe, which gets nothing but the summary.
fn no_progress_bar_when_not_on_a_terminal(root: &Path) {
    let out = tempfile::tempdir().unwrap();
    let output = dossier_at("build", root)
        .arg("--out")
        .arg(out.path().join("site"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.is_empty(), "nothing on a pipe but the summary: {stderr}");
}
