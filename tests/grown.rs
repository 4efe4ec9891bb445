//! Dossiers grown past what one page can show (`tests/fixtures/grow.py`):
//! thousands of actors, whose index is split into pages beside it
//! (`actors-2.html`…), every actor on exactly one, in the order of the
//! whole index; an event that thousands of sources report, whose list of
//! citations stays a few lines long; thousands of two-paragraph wire
//! items of one day, whose one-file edition is split though their text is
//! short; fifty years of sources, whose year menus name a year per
//! decade; so many actors that their pages take editions of their own;
//! tens of thousands of events of years no source was published in,
//! whose chronology takes an edition a year. Every page stays small
//! enough for a phone. A small dossier
//! keeps its pages (the other tests' fixtures).

mod common;

use std::path::Path;
use std::process::Command;

use common::{assert_pager, attributes, broken_links, build, copy_of, dossier_at, fixture, repo};

/// The limit for every page but the one-file editions (issue 10).
const PAGE_LIMIT: usize = 300_000;
/// The limit for each one-file edition (issue 10).
const EDITION_LIMIT: usize = 25_000_000;
const ACTORS: usize = 3_000;

/// Grows a dossier in `fisheries` with `tests/fixtures/grow.py` (which the
/// browser suite uses too): `what` is `--actors` or `--reports`.
fn grow(root: &Path, what: &str, count: usize) {
    let status = Command::new("python3")
        .arg(repo().join("tests/fixtures/grow.py"))
        .arg(root)
        .args(["--sector", "fisheries", what, &count.to_string()])
        .status()
        .expect("python3 runs");
    assert!(status.success(), "grow.py failed");
}

/// `dossier.html`, or an edition of a period (`dossier-2023.html`).
fn is_edition(page: &str) -> bool {
    page == "dossier.html" || (page.starts_with("dossier-") && !page.contains('/'))
}

fn pages_over_the_limit(site: &common::Site) -> Vec<String> {
    site.html_pages()
        .into_iter()
        .filter(|p| !is_edition(p))
        .filter(|p| site.read(p).len() > PAGE_LIMIT)
        .collect()
}

#[test]
fn thousands_of_actors_are_listed_on_several_pages() {
    let dossier = copy_of(&fixture("en-harbor"));
    grow(dossier.path(), "--actors", ACTORS);
    let site = build(dossier.path());

    let mut pages = vec!["actors.html".to_string()];
    while site.exists(&format!("actors-{}.html", pages.len() + 1)) {
        pages.push(format!("actors-{}.html", pages.len() + 1));
    }
    assert!(pages.len() > 2, "the index is split: {pages:?}");
    let mut listed: Vec<String> = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let html = site.read(page);
        assert!(html.len() <= PAGE_LIMIT, "{page}: {} bytes", html.len());
        let list = &html[html.find("<h2").expect("a kind's heading")..];
        listed.extend(
            attributes(list, "href")
                .into_iter()
                .filter(|h| h.starts_with("actors/"))
                .map(|h| h.trim_start_matches("actors/").trim_end_matches(".html").to_string()),
        );
        assert_pager(&html, page, i, pages.len());
    }
    let officers: Vec<&String> = listed.iter().filter(|s| s.starts_with("officer-")).collect();
    let expected: Vec<String> = (0..ACTORS).map(|i| format!("officer-{i:04}")).collect();
    assert_eq!(
        officers,
        expected.iter().collect::<Vec<_>>(),
        "each officer once, in order"
    );
    assert_eq!(listed.len(), ACTORS + 8, "the fixture's 8 actors too");

    // The sector names its most cited actors, not all 3,008, and links
    // to the index of every actor.
    let sector = site.read("sectors/fisheries.html");
    let start = sector.find("id=\"sector-actors\"").expect("the sector's actors");
    let section = &sector[start..start + sector[start..].find("</section>").unwrap()];
    let named = attributes(section, "href");
    assert_eq!(named.len(), 60 + 1, "60 actors and the index: {named:?}");
    assert_eq!(named.last().map(String::as_str), Some("../actors.html"));
    // Tavi Rennik, named three times in the sector, comes before the
    // officers (once each), who come before him in the dossier's order.
    let at = |actor: &str| named.iter().position(|h| *h == format!("../actors/{actor}.html"));
    assert!(at("tavi-rennik") < at("officer-0000"), "{named:?}");
    assert!(at("officer-0000").is_some(), "{named:?}");
    assert!(sector.len() <= PAGE_LIMIT, "{} bytes", sector.len());

    let broken = broken_links(&site);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn a_page_cannot_take_the_name_of_a_page_of_the_actors_index() {
    // Nor the name of an edition of the actors' pages.
    for slug in ["actors-2", "dossier-actors-1", "dossier-actors-3"] {
        let dossier = copy_of(&fixture("en-harbor"));
        std::fs::write(
            dossier.path().join(format!("content/pages/{slug}.md")),
            "---\ntitle: Actors, continued\n---\nText.\n",
        )
        .unwrap();
        let out = dossier_at("build", dossier.path()).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{slug}: {stderr}");
        assert!(
            stderr.contains("E0502") && stderr.contains(&format!("`{slug}`")),
            "{stderr}"
        );
    }
}

#[test]
fn so_many_actors_that_their_pages_take_editions_of_their_own() {
    // 15,000 actors, each named once: their pages made dossier.html
    // 16.2 MB (estimated 26 MB, over the 20 MB allowed them). A hundred and fifty actors each cited thousands of times
    // (pages of up to 175 KB) would take it past 25 MB.
    const MANY: usize = 15_000;
    let dossier = copy_of(&fixture("en-harbor"));
    grow(dossier.path(), "--actors", MANY);
    let site = build(dossier.path());
    let editions: Vec<String> = site.html_pages().into_iter().filter(|p| is_edition(p)).collect();
    let actor_editions = ["dossier-actors-1.html", "dossier-actors-2.html"];
    for edition in actor_editions {
        assert!(editions.contains(&edition.to_string()), "{editions:?}");
    }
    // Each officer's page in one edition, in the order of the index: the
    // dossier's, by slug (`officer-10000` before `officer-1001`).
    let mut placed: Vec<(String, usize)> = Vec::new();
    for edition in &editions {
        let html = site.read(edition);
        assert!(html.len() <= EDITION_LIMIT, "{edition}: {} bytes", html.len());
        let at = actor_editions.iter().position(|e| e == edition);
        for id in attributes(&html, "id") {
            if let Some(n) = id.strip_prefix("actors-officer-").filter(|n| !n.contains("--")) {
                placed.push((n.to_string(), at.unwrap_or(usize::MAX)));
            }
        }
    }
    placed.sort();
    assert_eq!(placed.len(), MANY, "each officer once");
    assert!(placed.windows(2).all(|w| w[0].1 <= w[1].1), "in the index's order");
    assert!(
        placed.iter().all(|(_, at)| *at < actor_editions.len()),
        "none elsewhere"
    );
    // The contents name them after the years.
    let contents = site.read("dossier.html");
    assert!(contents.len() < 1_000_000, "{} bytes", contents.len());
    let start = contents.find("class=\"editions\"").expect("the editions' list");
    let list = &contents[start..start + contents[start..].find("</ul>").unwrap()];
    let named = attributes(list, "href");
    assert_eq!(
        named[named.len() - 2..],
        ["dossier-actors-1.html#main", "dossier-actors-2.html#main"],
        "{list}"
    );
    let broken = broken_links(&site);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn an_event_that_thousands_of_sources_report_names_ten() {
    const REPORTS: usize = 2_000;
    let dossier = copy_of(&fixture("en-harbor"));
    grow(dossier.path(), "--reports", REPORTS);
    let site = build(dossier.path());
    let chronology = site.read("chronology/2022.html");
    let start = chronology.find("id=\"e-kelvra-port-agreement\"").expect("the event");
    let event = &chronology[start..start + chronology[start..].find("</article>").unwrap()];
    let citations = &event[event.find("class=\"citations\"").expect("its citations")..];
    let cited = citations.matches("<li>").count();
    assert_eq!(cited, 10 + 1, "ten sources and a line for the others: {event}");
    // 2,000 reports and the fixture's article and communiqué: 2,002.
    assert!(citations.contains("and 1,992 other sources"), "{citations}");
    // The first report cites it in 12 paragraphs: ten are named.
    let first = &citations[citations.find("report-0000.html\"").expect("the first report")..];
    let first = &first[..first.find("</li>").unwrap()];
    assert_eq!(first.matches("#p").count(), 10, "{first}");
    assert!(first.contains("and 2 more"), "{first}");
    assert_eq!(pages_over_the_limit(&site), Vec::<String>::new());
    let broken = broken_links(&site);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn thousands_of_short_wire_items_split_the_one_file_edition() {
    // 5,000 items of two sentences: 0.8 MB of text with their titles, but
    // a 30 MB edition in one file when its size was judged by the text
    // alone.
    const WIRES: usize = 5_000;
    let dossier = copy_of(&fixture("en-harbor"));
    grow(dossier.path(), "--wires", WIRES);
    let site = build(dossier.path());
    let editions: Vec<String> = site.html_pages().into_iter().filter(|p| is_edition(p)).collect();
    assert!(editions.len() > 1, "split: {editions:?}");
    let mut placed = vec![0; WIRES];
    // The editions holding pages of the day's chronology, and those
    // holding the chronology of en-harbor's years without a source.
    let mut with_chronology = Vec::new();
    let mut with_sourceless_years = Vec::new();
    for edition in &editions {
        let html = site.read(edition);
        assert!(html.len() <= EDITION_LIMIT, "{edition}: {} bytes", html.len());
        let ids = attributes(&html, "id");
        for id in &ids {
            if let Some(n) = id.strip_prefix("sources-wire-").and_then(|n| n.parse::<usize>().ok()) {
                placed[n] += 1;
            }
        }
        if ids.iter().any(|id| id.starts_with("chronology-2023-05")) {
            with_chronology.push(edition.clone());
        }
        for year in ["2018", "2019", "2021"] {
            if ids.iter().any(|id| *id == format!("chronology-{year}")) {
                with_sourceless_years.push((year, edition.clone()));
            }
        }
    }
    let misplaced: Vec<usize> = (0..WIRES).filter(|&n| placed[n] != 1).collect();
    assert_eq!(misplaced, Vec::<usize>::new(), "each item in exactly one edition");
    // The day's sources take two editions, which share its chronology.
    assert_eq!(
        with_chronology,
        ["dossier-2023-05-p2.html", "dossier-2023-05.html"],
        "{editions:?}"
    );
    // en-harbor's sources are of 2022 and 2024: the chronology of each
    // year before has an edition of its own, not dossier.html, which no
    // budget bounds.
    with_sourceless_years.sort();
    assert_eq!(
        with_sourceless_years,
        ["2018", "2019", "2021"].map(|year| (year, format!("dossier-{year}.html")))
    );

    // The chronology of the day takes dozens of pages; the menu of one
    // names the month's first and last and three on either side of it.
    let mut last = 1;
    while site.exists(&format!("chronology/2023-05-p{}.html", last + 1)) {
        last += 1;
    }
    assert!(last > 20, "the month in {last} pages");
    let page = site.read("chronology/2023-05-p7.html");
    let start = page.find("periods-months").expect("the month's pages");
    let menu = &page[start..start + page[start..].find("</ul>").unwrap()];
    let named: Vec<String> = attributes(menu, "href");
    let expected: Vec<String> = ["../chronology/2023-05.html".to_string()]
        .into_iter()
        .chain((4..=10).map(|p| format!("../chronology/2023-05-p{p}.html")))
        .chain([format!("../chronology/2023-05-p{last}.html")])
        .collect();
    assert_eq!(named, expected, "{menu}");
    assert_eq!(menu.matches("<li>…</li>").count(), 2, "{menu}");
    assert_eq!(pages_over_the_limit(&site), Vec::<String>::new());
    let broken = broken_links(&site);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn a_past_that_no_source_was_published_in_takes_an_edition_a_year() {
    // 32,000 events of 1950–1999 that digests of 2017 report: a chronology
    // of 30 MB that went whole with the first source of 2017, whose
    // edition passed 32 MB.
    let dossier = copy_of(&fixture("en-harbor"));
    grow(dossier.path(), "--history", 32_000);
    let site = build(dossier.path());
    let editions: Vec<String> = site.html_pages().into_iter().filter(|p| is_edition(p)).collect();
    let mut misplaced = Vec::new();
    for edition in &editions {
        let html = site.read(edition);
        assert!(html.len() <= EDITION_LIMIT, "{edition}: {} bytes", html.len());
        for id in attributes(&html, "id") {
            let Some(period) = id.strip_prefix("chronology-19") else {
                continue;
            };
            let year = format!("19{}", &period[..2]);
            if *edition != format!("dossier-{year}.html") {
                misplaced.push((id, edition.clone()));
            }
        }
    }
    assert_eq!(misplaced, Vec::<(String, String)>::new());
    let years = (1950..2000).filter(|year| editions.contains(&format!("dossier-{year}.html")));
    assert_eq!(years.count(), 50, "{editions:?}");
    assert_eq!(pages_over_the_limit(&site), Vec::<String>::new());
    let broken = broken_links(&site);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn a_dossier_of_decades_names_a_year_per_decade_in_its_menus() {
    let dossier = copy_of(&fixture("en-harbor"));
    grow(dossier.path(), "--years", 50);
    let site = build(dossier.path());

    // Years 1967 to 2016 (grown), then en-harbor's 2018, 2019, 2021–2024.
    let years_named = |page: &str| -> (Vec<String>, usize, String) {
        let page = site.read(page);
        let start = page.find("periods-years").expect("the year menu");
        let menu = &page[start..start + page[start..].find("</ul>").unwrap()];
        let named = attributes(menu, "href")
            .into_iter()
            .map(|href| href.rsplit('/').next().unwrap().trim_end_matches(".html").to_string())
            .collect();
        (named, menu.matches("<li>…</li>").count(), menu.to_string())
    };
    let decade_firsts = |years: &[&str]| -> Vec<String> { years.iter().map(|y| y.to_string()).collect() };
    let mut expected = decade_firsts(&["1967", "1970", "1980"]);
    expected.extend((1990..=1999).map(|y| y.to_string()));
    expected.extend(decade_firsts(&["2000", "2010", "2021", "2024"]));
    let (named, gaps, menu) = years_named("chronology/1994.html");
    assert_eq!((named, gaps), (expected, 6), "{menu}");
    let (named, gaps, menu) = years_named("chronology.html");
    let expected = decade_firsts(&["1967", "1970", "1980", "1990", "2000", "2010", "2021", "2024"]);
    assert_eq!((named, gaps), (expected, 7), "{menu}");
    assert_eq!(pages_over_the_limit(&site), Vec::<String>::new());
    let broken = broken_links(&site);
    assert!(broken.is_empty(), "{broken:#?}");
}
