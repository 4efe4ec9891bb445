//! Whole dossiers built by the real binary: the repository's own (French)
//! and the fixtures (English without a theme folder, French with its own
//! theme), asserting on the pages a reader gets.

mod common;

use common::{attributes, broken_links, build, build_with, copy_of, dossier_at, edit, find_id, fixture, repo, text};

#[test]
fn builds_the_repository_dossier_with_french_routes() {
    let site = build(&repo());
    for page in [
        "index.html",
        "secteurs.html",
        "secteurs/energie.html",
        "chronologie.html",
        "chronologie/2025.html",
        "sources.html",
        "sources/kremlin-accords-juin-2025.html",
        "acteurs.html",
        "acteurs/vladimir-poutine.html",
        "chiffres.html",
        "a-propos.html",
        "methodologie.html",
        "404.html",
    ] {
        assert!(site.exists(page), "{page} is missing");
    }
    assert!(site.exists(".dossier-build"), "the output is marked as ours");
    let home = site.read("index.html");
    assert_eq!(
        attributes(&home, "lang").first().map(String::as_str),
        Some("fr"),
        "{}",
        &home[..200]
    );
    assert!(text(&home).contains("Chiffres clés"));
}

#[test]
fn the_chronology_lists_every_event_in_date_order() {
    let site = build(&repo());
    let html = site.read("chronologie.html");
    let mut events: Vec<(dossier::model::EdtfDate, String)> = std::fs::read_dir(repo().join("content/events"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let date = text
                .lines()
                .find_map(|l| l.strip_prefix("date:"))
                .unwrap()
                .trim()
                .trim_matches(['"', '\''])
                .to_string();
            let slug = p.file_stem().unwrap().to_string_lossy().into_owned();
            (dossier::model::EdtfDate::parse(&date).unwrap(), slug)
        })
        .collect();
    assert!(events.len() >= 10, "the dossier has its events");
    events.sort_by(|a, b| {
        (a.0.year(), a.0.earliest(), a.0.latest())
            .cmp(&(b.0.year(), b.0.earliest(), b.0.latest()))
            .then(a.1.cmp(&b.1))
    });
    let positions: Vec<usize> = events
        .iter()
        .map(|(_, slug)| {
            find_id(&html, &format!("e-{slug}")).unwrap_or_else(|| panic!("event {slug} is not in the chronology"))
        })
        .collect();
    // Events of one date come in the order their sources tell them: only
    // events of different dates must follow the order of their dates.
    let key = |e: &(dossier::model::EdtfDate, String)| (e.0.year(), e.0.earliest(), e.0.latest());
    for (i, j) in (0..events.len()).flat_map(|i| (i + 1..events.len()).map(move |j| (i, j))) {
        if key(&events[i]) < key(&events[j]) {
            assert!(positions[i] < positions[j], "{} before {}", events[i].1, events[j].1);
        }
    }
    // The summit (¶13 of the second source) before the accords signed there.
    assert!(
        find_id(&html, "e-sommet-russie-afrique-2023") < find_id(&html, "e-accords-sommet-russie-afrique-2023"),
        "same-date events in the order their source tells them"
    );
    let words = text(&html);
    for date in [
        "24 juin 2025",
        "21–26 juin 2025",
        "6–7 février 2023",
        "juillet 2023",
        "depuis 2021",
    ] {
        assert!(words.contains(date), "{date} is not written on the chronology");
    }
}

#[test]
fn builds_an_english_dossier_without_a_theme_folder() {
    let root = fixture("en-harbor");
    assert!(
        !root.join("themes").exists(),
        "the fixture relies on the embedded theme"
    );
    let site = build(&root);
    for page in [
        "sectors.html",
        "sectors/fisheries.html",
        "chronology.html",
        "chronology/2019.html",
        "sources/kelvra-port-deal.html",
        "actors/tavi-rennik.html",
        "figures.html",
        "about.html",
    ] {
        assert!(site.exists(page), "{page} is missing");
    }
    assert!(!site.exists("secteurs.html"), "no French route in an English dossier");
    let home = site.read("index.html");
    assert_eq!(attributes(&home, "lang").first().map(String::as_str), Some("en"));
    let words = text(&home);
    assert!(
        words.contains("Key figures") && words.contains("The parties"),
        "{words}"
    );
}

/// The `<html>` start tag of a page.
fn html_tag(page: &str) -> &str {
    let start = page.find("<html").expect("an <html> tag");
    &page[start..start + page[start..].find('>').unwrap()]
}

/// en-harbor as an Arabic dossier, with the Arabic strings of the tests.
fn arabic_harbor() -> common::Site {
    let copy = copy_of(&fixture("en-harbor"));
    edit(copy.path(), "content/dossier.yaml", "language: en", "language: ar");
    let strings = copy.path().join("themes/default/i18n");
    std::fs::create_dir_all(&strings).unwrap();
    std::fs::copy(repo().join("tests/fixtures/i18n/ar.yaml"), strings.join("ar.yaml")).unwrap();
    build(copy.path())
}

#[test]
fn a_dossier_written_from_right_to_left_says_so_on_every_page_and_its_sources_in_english_read_from_the_left() {
    let site = arabic_harbor();
    let pages = site.html_pages();
    assert!(pages.len() > 20);
    for page in &pages {
        let html = site.read(page);
        let tag = html_tag(&html);
        assert!(
            attributes(tag, "dir") == ["rtl"] && attributes(tag, "lang") == ["ar"],
            "{page}: {tag}"
        );
    }
    let source = site.read("sources/kelvra-port-deal.html");
    let paragraph = &source[find_id(&source, "p1").expect("¶1")..];
    let paragraph = &paragraph[..paragraph.find('>').unwrap()];
    assert_eq!(attributes(paragraph, "dir"), ["ltr"], "{paragraph}");
    assert_eq!(attributes(paragraph, "lang"), ["en"], "{paragraph}");

    // A source's title in a list of citations is clamped to two lines: it
    // must be laid out in its own direction, or the ellipsis cuts its
    // first letters instead of its last ones.
    let home = site.read("index.html");
    let titles: Vec<&str> = home
        .split(r#"<div class="citations">"#)
        .skip(1)
        .flat_map(|list| list[..list.find("</div>").unwrap()].split("<li><a ").skip(1))
        .collect();
    assert!(titles.len() > 2, "the home page's figures cite their sources");
    for title in titles {
        let tag = &title[..title.find('>').unwrap()];
        assert_eq!(attributes(&format!(" {tag}"), "dir"), ["auto"], "{tag}");
    }

    let english = build(&fixture("en-harbor"));
    let home = english.read("index.html");
    assert!(
        attributes(html_tag(&home), "dir").is_empty(),
        "left to right needs no dir"
    );
    assert!(!english.read("sources/kelvra-port-deal.html").contains(" dir="));
}

/// Arabic counts take six forms (CLDR: zero, one, two, few for 3–10,
/// many for 11–99, other), written here as a grammar gives them.
fn arabic_count(n: usize, [one, two, few, many, other]: [&str; 5]) -> String {
    let form = match (n, n % 100) {
        (1, _) => one,
        (2, _) => two,
        (_, 3..=10) => few,
        (_, 11..=99) => many,
        _ => other,
    };
    form.replace("{n}", &n.to_string())
}

#[test]
fn an_arabic_dossier_counts_in_arabic_s_six_plural_forms() {
    let site = arabic_harbor();
    let data: serde_json::Value = serde_json::from_str(&site.read("data/dossier.json")).unwrap();
    let list = text(&site.read("sources.html"));
    let mut forms = Vec::new();
    for source in data["sources"].as_array().unwrap() {
        let paragraphs = source["paragraphs"].as_array().unwrap().len();
        let annotations = source["annotations"].as_array().unwrap().len();
        forms.push(arabic_count(
            paragraphs,
            ["فقرة واحدة", "فقرتان", "{n} فقرات", "{n} فقرةً", "{n} فقرة"],
        ));
        forms.push(arabic_count(
            annotations,
            ["تعليق واحد", "تعليقان", "{n} تعليقات", "{n} تعليقًا", "{n} تعليق"],
        ));
    }
    for form in &forms {
        assert!(list.contains(form.as_str()), "sources.html lacks “{form}”: {list}");
    }
    let few_and_many = forms
        .iter()
        .filter(|f| f.ends_with("فقرات") || f.ends_with("تعليقًا"))
        .count();
    assert!(
        few_and_many >= 2,
        "the fixture has counts in `few` and in `many`: {forms:?}"
    );
    let search = site.read("search.html");
    let table = attributes(&search, "data-plural");
    assert!(
        table.len() == 1 && table[0].starts_with("0123") && table[0].len() == 201,
        "{table:?}"
    );
}

#[test]
fn a_source_s_words_take_the_typography_of_its_language() {
    let words = "visitors from Norland.";
    let added = "visitors from Norland. Pourquoi ? Parce que.";
    let build_as = |language: &str| {
        let copy = copy_of(&fixture("en-harbor"));
        for file in ["seeds/kelvra-port-deal.md", "seeds/originals/kelvra-port-deal.txt"] {
            edit(copy.path(), file, words, added);
        }
        edit(
            copy.path(),
            "seeds/kelvra-port-deal.md",
            "language: en",
            &format!("language: {language}"),
        );
        let page = build(copy.path()).read("sources/kelvra-port-deal.html");
        (page.contains("Pourquoi\u{202f}?"), page.contains("Pourquoi ?"))
    };
    assert_eq!(
        build_as("fr"),
        (true, false),
        "French in an English dossier: its spacing"
    );
    assert_eq!(build_as("en"), (false, true), "English: none");
}

#[test]
fn a_small_dossier_lists_its_sources_in_the_order_they_came_out() {
    let site = build(&fixture("en-harbor"));
    let data: serde_json::Value = serde_json::from_str(&site.read("data/dossier.json")).unwrap();
    let mut by_date: Vec<(&str, &str)> = data["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["published"]["start"].as_str().unwrap(), s["slug"].as_str().unwrap()))
        .collect();
    by_date.sort();
    let expected: Vec<String> = by_date.iter().map(|(_, slug)| format!("sources/{slug}.html")).collect();
    let mut listed = attributes(&site.read("sources.html"), "href");
    listed.retain(|href| expected.contains(href));
    listed.dedup();
    assert_eq!(listed, expected);
    assert_ne!(
        expected,
        {
            let mut by_slug = expected.clone();
            by_slug.sort();
            by_slug
        },
        "the fixture's file names are not in date order"
    );
}

#[test]
fn english_dates_and_numbers_read_as_english() {
    let site = build(&fixture("en-harbor"));
    let chronology = text(&site.read("chronology.html"));
    for date in [
        "30 March – 2 April 2019",
        "c. 2018",
        "5 November 2022",
        "10–14 May 2023",
        "March 2021",
    ] {
        assert!(chronology.contains(date), "{date} missing from {chronology}");
    }
    let figures = text(&site.read("figures.html"));
    for number in ["40,000", "12.5", "2,480"] {
        assert!(figures.contains(number), "{number} missing from {figures}");
    }
}

#[test]
fn an_event_reported_by_two_sources_cites_both() {
    let site = build(&fixture("en-harbor"));
    let html = site.read("chronology.html");
    let start = find_id(&html, "e-kelvra-port-agreement").expect("the event is listed");
    let article = &html[start..start + html[start..].find("</article>").unwrap()];
    let hrefs = attributes(article, "href");
    assert!(
        hrefs.iter().any(|h| h == "sources/kelvra-port-deal.html#p1"),
        "{hrefs:?}"
    );
    assert!(
        hrefs.iter().any(|h| h == "sources/joint-communique-kelvra.html#p1"),
        "{hrefs:?}"
    );
}

#[test]
fn an_inline_event_reaches_the_chronology() {
    let site = build(&fixture("en-harbor"));
    let chronology = text(&site.read("chronology.html"));
    assert!(chronology.contains("Launch of the NorEst-1 water-monitoring satellite"));
    assert!(find_id(&site.read("chronology.html"), "e-norest-1-launch").is_some());
}

#[test]
fn source_pages_number_paragraphs_and_show_notes() {
    let site = build(&fixture("en-harbor"));
    let html = site.read("sources/joint-communique-kelvra.html");
    let ids = attributes(&html, "id");
    for n in 1..=10 {
        assert!(ids.contains(&format!("p{n}")), "¶{n} has no anchor");
    }
    let words = text(&html);
    assert!(words.contains("Read “Ministry of Health”."), "the sic note is shown");
    assert!(words.contains("[sic]"), "the sic mark is shown");
    assert!(
        attributes(&html, "lang").iter().any(|l| l == "la"),
        "a passage in another language is marked"
    );
    let article = text(&site.read("sources/kelvra-port-deal.html"));
    assert!(article.contains("vessles [sic]"), "literal brackets stay text");
}

#[test]
fn a_paragraph_offers_its_own_citation_and_a_heading_does_not() {
    let site = build(&fixture("en-harbor"));
    let html = site.read("sources/joint-communique-kelvra.html");
    // What a reader sees from the element of ¶n to that of the next.
    let tag_of = |n: usize| find_id(&html, &format!("p{n}")).and_then(|at| html[..at].rfind('<'));
    let markup =
        |n: usize| &html[tag_of(n).expect("the paragraph is on the page")..tag_of(n + 1).unwrap_or(html.len())];
    let block = |n: usize| text(markup(n));
    let paragraph = block(5);
    assert!(
        paragraph.contains("Cite this paragraph") && paragraph.contains("¶5. In Norland – Estmark"),
        "¶5 is cited as itself: {paragraph}"
    );
    // ¶6 is the heading « Next steps »: no claim to cite.
    let heading = block(6);
    assert!(heading.starts_with("¶6 Next steps"), "{heading}");
    assert!(!heading.contains("Cite this paragraph"), "{heading}");
    // Nor an empty margin, whose rule would stand beside it on a wide screen.
    assert!(
        !attributes(markup(6), "class").iter().any(|c| c == "para-side"),
        "{}",
        markup(6)
    );
    assert!(attributes(markup(5), "class").iter().any(|c| c == "para-side"));
}

#[test]
fn nested_annotations_appear_as_passages_and_statements() {
    let site = build(&fixture("en-harbor"));
    let health = text(&site.read("sectors/health.html"));
    assert!(
        health.contains("Minister Tavi Rennik said that the two countries would share vaccine stocks from next year")
    );
    let minister = text(&site.read("actors/tavi-rennik.html"));
    assert!(minister.contains("will tell us where the estuary is polluted before people fall ill"));
}

#[test]
fn a_dossier_theme_overrides_the_default_file_by_file() {
    let site = build(&fixture("fr-lagune"));
    for page in site.html_pages() {
        let html = site.read(&page);
        assert!(html.contains("lagune-marker"), "{page} lacks the theme's CSS");
        assert!(html.contains(".nav"), "{page} lacks the default CSS");
    }
}

#[test]
fn french_dates_and_typography() {
    let site = build(&fixture("fr-lagune"));
    let chronology = text(&site.read("chronologie.html"));
    for date in ["1er mars 2024", "6–7 février 2023", "21–26 juin 2025", "juillet 2023"] {
        assert!(chronology.contains(date), "{date} missing from {chronology}");
    }
    let figures = text(&site.read("chiffres.html"));
    assert!(figures.contains("40\u{202f}000"), "{figures}");
    let quote = site.read("sources/accord-peche-port-salin.html");
    assert!(quote.contains("«\u{202f}"), "a narrow no-break space follows «");
}

#[test]
fn every_link_resolves_nothing_is_external_and_a_strict_policy_says_so() {
    for root in [repo(), fixture("en-harbor"), fixture("fr-lagune")] {
        let site = build(&root);
        let broken = broken_links(&site);
        assert!(broken.is_empty(), "{}: {broken:#?}", root.display());
        for page in site.html_pages() {
            let html = site.read(&page);
            assert!(attributes(&html, "src").is_empty(), "{page} loads a resource");
            // Only links that load nothing: the feed announced, the
            // canonical address (issue 15).
            for tag in html.split("<link").skip(1) {
                let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
                let loads_nothing = attributes(tag, "rel")
                    .iter()
                    .any(|r| r == "alternate" || r == "canonical");
                assert!(loads_nothing, "{page} links a resource: <link{tag}>");
            }
            assert!(
                !html.contains("url(") && !html.contains("@import"),
                "{page}'s CSS loads something"
            );
            let policy = attributes(&html, "content")
                .into_iter()
                .find(|c| c.starts_with("default-src"))
                .unwrap_or_else(|| panic!("{page} has no Content-Security-Policy"));
            assert!(policy.starts_with("default-src 'none';"), "{page}: {policy}");
            assert!(!policy.contains("unsafe"), "{page}: {policy}");
            assert!(policy.contains("style-src 'sha256-"), "{page}: {policy}");
        }
    }
}

/// The search box's examples come from the dossier, not from the theme:
/// a dossier never suggests another dossier's people.
#[test]
fn the_search_box_suggests_the_dossiers_own_words() {
    let dossiers = [
        (repo(), "recherche.html", "Mali"),
        (fixture("en-harbor"), "search.html", "Norland"),
        (fixture("fr-lagune"), "recherche.html", "Lagunie"),
    ];
    for (root, search, party) in &dossiers {
        let site = build(root);
        let placeholder = attributes(&site.read(search), "placeholder").concat();
        assert!(placeholder.contains(party), "{}: {placeholder:?}", root.display());
        for (_, _, other) in dossiers.iter().filter(|(_, _, other)| other != party) {
            assert!(!placeholder.contains(other), "{}: {placeholder:?}", root.display());
        }
        assert!(!placeholder.contains("Poutine"), "{}: {placeholder:?}", root.display());
    }
}

/// The one-file edition is for print and offline reading: every page
/// offers it (its footer), except the editions themselves.
#[test]
fn every_page_but_the_editions_offers_the_one_file_edition() {
    for root in [repo(), fixture("en-harbor")] {
        let site = build(&root);
        for page in site.html_pages() {
            let is_edition = page.starts_with("dossier") && !page.contains('/');
            let to_root = "../".repeat(page.matches('/').count());
            let offers = attributes(&site.read(&page), "href").contains(&format!("{to_root}dossier.html"));
            assert_eq!(offers, !is_edition, "{}: {page}", root.display());
        }
    }
}

/// A dossier can go without the one-file editions (`one_file: false`):
/// the site is the same but for them, no page offers one, the sitemap
/// names none, and every link still resolves.
#[test]
fn a_dossier_without_one_file_editions_has_every_other_page_and_offers_none() {
    for (root, line) in [(repo(), "language: fr"), (fixture("en-harbor"), "language: en")] {
        let with = build(&root);
        let copy = copy_of(&root);
        edit(
            copy.path(),
            "content/dossier.yaml",
            line,
            &format!("{line}\none_file: false"),
        );
        let without = build(copy.path());
        let is_edition = |page: &String| page.starts_with("dossier") && !page.contains('/');
        let expected: Vec<String> = with.html_pages().into_iter().filter(|p| !is_edition(p)).collect();
        assert!(
            expected.len() < with.html_pages().len(),
            "{}: the default has editions",
            root.display()
        );
        assert_eq!(without.html_pages(), expected, "{}", root.display());
        for page in &expected {
            let hrefs = attributes(&without.read(page), "href");
            assert!(
                !hrefs
                    .iter()
                    .any(|h| h.is_empty() || h.rsplit('/').next() == Some("dossier.html")),
                "{}: {page} offers a one-file edition",
                root.display()
            );
        }
        if without.exists("sitemap.xml") {
            assert!(
                !without.read("sitemap.xml").contains("/dossier.html<"),
                "{}",
                root.display()
            );
        }
        let broken = broken_links(&without);
        assert!(broken.is_empty(), "{}: {broken:#?}", root.display());
    }
}

#[test]
fn two_builds_are_byte_identical_whatever_the_thread_count() {
    for root in [repo(), fixture("en-harbor")] {
        let one = build_with(&root, &[("RAYON_NUM_THREADS", "1")]);
        let many = build_with(&root, &[("RAYON_NUM_THREADS", "4")]);
        let (a, b) = (one.files(), many.files());
        assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
        for (path, bytes) in &a {
            assert!(bytes == &b[path], "{path} differs between builds");
        }
    }
}

#[test]
fn the_one_file_dossier_holds_everything_and_links_only_inside_itself() {
    for root in [repo(), fixture("en-harbor")] {
        let site = build(&root);
        let html = site.read("dossier.html");
        let ids = attributes(&html, "id");
        let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
        assert_eq!(
            unique.len(),
            ids.len(),
            "{}: ids are unique in dossier.html",
            root.display()
        );
        // The head announces the feed and, under base_url, the edition's
        // address (issue 15): links that load nothing, and no part of the
        // reading. Every link of the body stays inside the file.
        let (head, body) = html.split_at(html.find("<body").expect("a body tag"));
        assert!(
            attributes(head, "href").contains(&"feed.xml".to_string()),
            "{}: the feed",
            root.display()
        );
        for href in attributes(body, "href") {
            let fragment = href.strip_prefix('#');
            assert!(
                fragment.is_some_and(|f| unique.contains(&f.to_string())),
                "{}: dossier.html links to {href}",
                root.display()
            );
        }
        let content = text(&html);
        for page in site.html_pages() {
            let stem = page.rsplit('/').next().unwrap_or_default().trim_end_matches(".html");
            let is_year = stem.chars().all(|c| c.is_ascii_digit());
            if is_year || ["404", "dossier", "search", "recherche"].contains(&stem) {
                continue;
            }
            let page_html = site.read(&page);
            let title = &page_html[page_html.find("<title>").unwrap() + 7..page_html.find("</title>").unwrap()];
            let heading = text(title.split(" — ").next().unwrap_or_default());
            assert!(
                content.contains(&heading),
                "{}: dossier.html lacks {page} ({heading})",
                root.display()
            );
        }
        let source = &site
            .html_pages()
            .into_iter()
            .find(|p| p.starts_with("sources/"))
            .unwrap();
        let slug = source.trim_start_matches("sources/").trim_end_matches(".html");
        assert!(
            unique.contains(&format!("sources-{slug}--p1")),
            "every source keeps its paragraph anchors"
        );
    }
}

#[test]
fn the_home_page_shows_the_key_figures_the_editor_chose_in_order() {
    let site = build(&fixture("en-harbor"));
    let shown: Vec<String> = attributes(&site.read("index.html"), "id")
        .into_iter()
        .filter(|id| id.starts_with("f-"))
        .collect();
    assert_eq!(shown, ["f-cod-quota", "f-desalination-units"]);
    let all = attributes(&site.read("figures.html"), "id");
    assert_eq!(all.iter().filter(|id| id.starts_with("f-")).count(), 4, "{all:?}");
}

/// Issue 12: newsrooms' own kinds build, clean; known kinds keep their
/// label; `country` is an actor, linked from the actor's page.
#[test]
fn own_kinds_are_shown_as_written_and_countries_link_to_their_actor() {
    let dossier = copy_of(&fixture("en-harbor"));
    let root = dossier.path();
    edit(root, "seeds/kelvra-port-deal.md", "kind: article", "kind: analysis");
    edit(
        root,
        "content/events/grey-banks-talks.md",
        "kind: meeting",
        "kind: negotiation-round",
    );
    let check = dossier_at("check", root).arg("--deny-warnings").output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    let site = build(root);
    let kicker = |page: &str| {
        let html = site.read(page);
        let at = html
            .find("class=\"kicker\">")
            .unwrap_or_else(|| panic!("{page} has a kicker"));
        text(&html[at + "class=\"kicker\">".len()..])
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(kicker("sources/kelvra-port-deal.html"), "analysis");
    assert_eq!(kicker("sources/joint-communique-kelvra.html"), "Communiqué");
    assert!(text(&site.read("chronology.html")).contains("negotiation-round"));
    let actor = site.read("actors/tavi-rennik.html");
    assert!(
        attributes(&actor, "href").iter().any(|h| h == "../actors/estmark.html"),
        "{:?}",
        attributes(&actor, "href")
    );
}

/// Issue 12: sources as newsrooms keep them: their licence and where the
/// text was copied from, in the page's details and in the data; a
/// headline that opens the original (the source's ¶1 is its title) shown
/// once, the title taking the ¶1 anchor.
#[test]
fn a_source_shows_its_licence_its_provenance_and_its_headline_once() {
    let dossier = copy_of(&fixture("en-harbor"));
    let root = dossier.path();
    let deal = "seeds/kelvra-port-deal.md";
    let title = "Norland and Estmark sign port and fisheries deal in Kelvra";
    edit(
        root,
        deal,
        "url: null",
        "url: null\nlicense: \"CC BY 4.0\"\nretrieved_from: \"https://archive.example/harbour-ledger/2022-11-07\"",
    );
    edit(
        root,
        deal,
        "---\n[Norland]",
        &format!("---\n{}\n\n[Norland]", title.to_uppercase()),
    );
    let original = std::fs::read_to_string(root.join("seeds/originals/kelvra-port-deal.txt")).unwrap();
    std::fs::write(
        root.join("seeds/originals/kelvra-port-deal.txt"),
        format!("{}\n{original}", title.to_uppercase()),
    )
    .unwrap();
    let site = build(root);
    let html = site.read("sources/kelvra-port-deal.html");
    let h1 = &html[html.find("<h1").unwrap()..html.find("</h1>").unwrap()];
    assert!(
        find_id(h1, "p1").is_some() && text(h1).contains("¶1") && text(h1).contains(title),
        "the title takes ¶1: {h1}"
    );
    let body = &html[html.find("class=\"source-text\"").expect("the text's section")..];
    let ids = attributes(body, "id");
    assert!(!ids.iter().any(|i| i == "p1"), "the headline shows once: {ids:?}");
    assert!(ids.iter().any(|i| i == "p2"), "{ids:?}");
    assert!(!text(body).contains(&title.to_uppercase()), "the headline shows once");
    let about = text(&html[html.find("class=\"source-about\"").unwrap()..html.find("class=\"source-text\"").unwrap()]);
    assert!(about.contains("Licence CC BY 4.0"), "{about}");
    assert!(
        about.contains("Copied from https://archive.example/harbour-ledger/2022-11-07"),
        "{about}"
    );
    assert!(
        attributes(&html, "href")
            .iter()
            .any(|h| h == "https://archive.example/harbour-ledger/2022-11-07")
    );
    let data: serde_json::Value = serde_json::from_str(&site.read("data/dossier.json")).unwrap();
    let source = data["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["slug"] == "kelvra-port-deal")
        .unwrap();
    assert_eq!(source["license"], "CC BY 4.0");
    assert_eq!(
        source["retrieved_from"],
        "https://archive.example/harbour-ledger/2022-11-07"
    );
    let other = data["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["slug"] == "interview-tavi-rennik")
        .unwrap();
    assert!(other["license"].is_null() && other["retrieved_from"].is_null());
}

/// Issue 13: a sector's dark-mode colour is lightened until it reads on
/// the theme's own dark `--bg`, not on the default theme's: on a lighter
/// dark background it is lighter than the default theme would make it.
#[test]
fn dark_mode_sector_colours_read_on_the_theme_dark_background() {
    use dossier::model::color::{MIN_CONTRAST, contrast, dark_variant, parse, to_hex};
    let dossier = copy_of(&fixture("en-harbor"));
    let root = dossier.path();
    edit(root, "content/dossier.yaml", "base_url:", "theme: slate\nbase_url:");
    let css = ":root { --bg: #fdfdfb; }\n@media (prefers-color-scheme: dark) { :root { --bg: #3a3f4a; } }\n";
    std::fs::create_dir_all(root.join("themes/slate/static")).unwrap();
    std::fs::write(root.join("themes/slate/static/style.css"), css).unwrap();
    let site = build(root);
    let (water, background) = (parse("#287ab7").unwrap(), parse("#3a3f4a").unwrap());
    let dark = dark_variant(water, background);
    assert!(contrast(dark, background) >= MIN_CONTRAST);
    let default_dark = to_hex(dark_variant(water, parse("#15171a").unwrap()));
    assert_ne!(
        to_hex(dark),
        default_dark,
        "the example tells the two backgrounds apart"
    );
    let html = site.read("index.html");
    let rule = |color: &str| format!(".sec-water{{--sec:{color}}}");
    assert!(html.contains(&rule(&to_hex(dark))), "{}", to_hex(dark));
    assert!(!html.contains(&rule(&default_dark)), "{default_dark}");
}

/// A table in a source is one paragraph whose text is its cells a space
/// apart, as a plain-text copy of it reads: it passes the fidelity check,
/// shows a row a line, and its words are apart in the exports.
#[test]
fn a_table_in_a_source_reads_as_its_original_and_shows_a_row_a_line() {
    let dossier = copy_of(&fixture("en-harbor"));
    let root = dossier.path();
    let deal = "seeds/kelvra-port-deal.md";
    let table = "\n\n| Port | [Catch]{sector=fisheries} |\n|---|---|\n| Kelvra | 7 tonnes |\n| Nord | 9 tonnes |\n";
    let md = std::fs::read_to_string(root.join(deal)).unwrap();
    std::fs::write(root.join(deal), format!("{}{table}", md.trim_end())).unwrap();
    let original = root.join("seeds/originals/kelvra-port-deal.txt");
    let text_before = std::fs::read_to_string(&original).unwrap();
    std::fs::write(
        &original,
        format!("{text_before}Port Catch Kelvra 7 tonnes Nord 9 tonnes\n"),
    )
    .unwrap();
    let site = build(root);
    let html = site.read("sources/kelvra-port-deal.html");
    let last = attributes(&html, "id")
        .into_iter()
        .filter_map(|id| id.strip_prefix('p').and_then(|n| n.parse::<usize>().ok()))
        .max()
        .unwrap();
    let at = find_id(&html, &format!("p{last}")).unwrap();
    let shown = &html[at..at + html[at..].find("</p>").unwrap()];
    assert_eq!(shown.matches("<br>").count(), 2, "a row a line: {shown}");
    assert!(
        text(shown).ends_with("Port Catch Kelvra 7 tonnes Nord 9 tonnes"),
        "{shown}"
    );
    let paragraphs = site.read("data/paragraphs.jsonl");
    assert!(
        paragraphs.contains("\"text\":\"Port Catch Kelvra 7 tonnes Nord 9 tonnes\""),
        "the cells' words are apart in the exports"
    );
}
