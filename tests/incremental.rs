//! Issue 12: `dossier serve` rebuilds with what the previous builds read
//! and resolved kept (and renders the open pages first). Whatever it kept,
//! the site it serves after a run of edits must be byte for byte the site
//! a fresh `dossier build` makes of the same content.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{Serving, copy_of, dossier, edit, files_under, fixture, get, try_get};

/// With a tab open on `page` (its long poll waiting, as the reload script
/// does), an edit by `act` is shown in that page before the whole site is
/// written; the page shown first must be the one the whole site has.
fn shown_first_is_written(serving: &Serving, page: &str, act: impl FnOnce()) {
    let before = serving.get(page);
    let version = before
        .split("data-version=")
        .nth(1)
        .unwrap()
        .split('>')
        .next()
        .unwrap()
        .to_string();
    let poll = format!("/__dossier/wait?v={version}&e=0&p={}", page.replace('/', "%2F"));
    let port = serving.port;
    let tab = std::thread::spawn(move || get(port, &poll).1);
    std::thread::sleep(Duration::from_millis(300));
    act();
    let answer = tab.join().unwrap();
    assert!(answer.contains("\"error\":null"), "{answer}");
    let first = serving.get(page);
    let line = serving.wait_for_build_line().expect("the edit builds");
    assert!(
        line.contains("(open pages in "),
        "the open page was shown first: {line}"
    );
    assert_ne!(first, before, "the page shown first has the edit");
    assert_eq!(first, serving.get(page), "the page shown first is the written one");
}

/// Sources numbered `numbers`, each with its original, citing the fixture's sectors
/// and actors: enough for a dossier where most sources are untouched.
fn add_generated_sources(root: &Path, numbers: std::ops::Range<usize>) {
    let sectors = ["water", "fisheries", "health", "ports-shipping"];
    let actors = ["norland", "estmark", "port-of-kelvra", "tavi-rennik"];
    for i in numbers {
        let sector = sectors[i % sectors.len()];
        let actor = actors[i % actors.len()];
        let plain = [
            format!("Dispatch {i}: Norland and Estmark met again in Kelvra."),
            format!("The talks, the {i}th of the year, were about the Grey Banks."),
        ];
        let body = format!(
            "Dispatch {i}: [Norland]{{actor={actor}}} and Estmark met again in Kelvra.\n\n\
             The talks, the {i}th of the year, were about [the Grey Banks]{{sector={sector}}}.\n"
        );
        let source = format!(
            "---\ntitle: \"Dispatch {i}\"\npublished: 2023-01-{day:02}\noutlet: \"Kelvra Post\"\n\
             language: en\nkind: article\noriginal: originals/dispatch-{i}.txt\nsectors: [{sector}]\n---\n{body}",
            day = i % 28 + 1
        );
        std::fs::write(root.join(format!("seeds/dispatch-{i}.md")), source).unwrap();
        std::fs::write(
            root.join(format!("seeds/originals/dispatch-{i}.txt")),
            format!("{}\n", plain.join("\n\n")),
        )
        .unwrap();
    }
}

/// Every file of a fresh `dossier build` of `root`.
fn fresh_build(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    dossier()
        .arg("build")
        .arg(root)
        .arg("--out")
        .arg(&site)
        .assert()
        .success();
    files_under(&site)
}

/// The first path where two sites differ, and how.
fn first_difference(
    served: &std::collections::BTreeMap<String, Vec<u8>>,
    fresh: &std::collections::BTreeMap<String, Vec<u8>>,
) -> Option<String> {
    for path in served.keys().chain(fresh.keys()) {
        match (served.get(path), fresh.get(path)) {
            (Some(a), Some(b)) if a == b => {}
            (Some(_), Some(_)) => return Some(format!("{path} differs")),
            (Some(_), None) => return Some(format!("{path} is served but not built afresh")),
            (None, _) => return Some(format!("{path} is built afresh but not served")),
        }
    }
    None
}

fn assert_same_as_fresh(root: &Path, tmp: &Path, after: &str) {
    let served = files_under(&Serving::site(tmp));
    let fresh = fresh_build(root);
    if let Some(difference) = first_difference(&served, &fresh) {
        panic!("after {after}, the served site is not the fresh build's: {difference}");
    }
}

/// An edit, and the rebuild it triggers; whether the rebuild succeeded.
fn change(serving: &Serving, act: impl FnOnce()) -> bool {
    // Apart from the previous build's last event, so each edit is a build.
    std::thread::sleep(Duration::from_millis(150));
    act();
    serving.wait_for_build()
}

#[test]
fn a_served_site_after_edits_is_the_fresh_builds_byte_for_byte() {
    let dir = copy_of(&fixture("en-harbor"));
    let root = dir.path();
    add_generated_sources(root, 0..40);
    let tmp = tempfile::tempdir().unwrap();
    let serving = Serving::start(root, tmp.path());
    assert_same_as_fresh(root, tmp.path(), "the first build");

    let edited = change(&serving, || {
        edit(
            root,
            "seeds/dispatch-7.md",
            "title: \"Dispatch 7\"",
            "title: \"Dispatch seven\"",
        )
    });
    assert!(edited);
    let edited = change(&serving, || {
        edit(
            root,
            "content/sectors/water.md",
            "Monitoring the estuary",
            "Watching the estuary",
        )
    });
    assert!(edited);
    // Open pages first: a source's page, and a sector's (the home page
    // too), shown before the rest is written, as written.
    std::thread::sleep(Duration::from_millis(150));
    shown_first_is_written(&serving, "/sources/dispatch-5.html", || {
        edit(
            root,
            "seeds/dispatch-5.md",
            "title: \"Dispatch 5\"",
            "title: \"Dispatch five\"",
        )
    });
    std::thread::sleep(Duration::from_millis(150));
    shown_first_is_written(&serving, "/sectors/water.html", || {
        edit(root, "content/sectors/water.md", "title: Water", "title: Clean water")
    });
    assert_same_as_fresh(root, tmp.path(), "a source and a sector edited");

    // A sector renamed: every source citing it must be resolved again.
    let edited = change(&serving, || {
        edit(
            root,
            "content/sectors/health.md",
            "title: Health",
            "title: Public health",
        )
    });
    assert!(edited);
    let added = change(&serving, || add_generated_sources(root, 40..41));
    assert!(added);
    let deleted = change(&serving, || {
        std::fs::remove_file(root.join("seeds/dispatch-3.md")).unwrap();
        std::fs::remove_file(root.join("seeds/originals/dispatch-3.txt")).unwrap();
    });
    assert!(deleted);
    assert_same_as_fresh(root, tmp.path(), "a sector edited, a source added and one deleted");

    let broken = change(&serving, || {
        edit(root, "seeds/dispatch-9.md", "sector=", "sector=no-such-sector,")
    });
    assert!(!broken, "an unknown sector is an error");
    // The last good site stays served, as it was.
    let fixed = change(&serving, || {
        edit(root, "seeds/dispatch-9.md", "sector=no-such-sector,", "sector=")
    });
    assert!(fixed);
    let edited = change(&serving, || {
        edit(
            root,
            "seeds/originals/dispatch-12.txt",
            "Dispatch 12:",
            "Dispatch twelve:",
        );
        edit(root, "seeds/dispatch-12.md", "Dispatch 12: [", "Dispatch twelve: [");
    });
    assert!(edited);
    assert_same_as_fresh(
        root,
        tmp.path(),
        "an error introduced and fixed, a source and its original edited",
    );
}

/// A tab on `page` that reloads after every build, as the reload script
/// does, until `done`: so each edit's open page is shown first.
fn open_tab(port: u16, page: &'static str, done: std::sync::Arc<std::sync::atomic::AtomicBool>) {
    std::thread::spawn(move || {
        let query = format!("/__dossier/wait?v={{}}&e=0&p={}", page.replace('/', "%2F"));
        let mut seen = 0;
        while !done.load(std::sync::atomic::Ordering::Relaxed) {
            // The server stops at the end of the test, perhaps mid-poll.
            let Some((_, answer)) = try_get(port, &query.replace("{}", &seen.to_string())) else {
                return;
            };
            let status: serde_json::Value = serde_json::from_str(&answer).unwrap_or_default();
            let Some(version) = status["version"].as_u64() else {
                return;
            };
            seen = version;
            try_get(port, page);
        }
    });
}

/// Issue 12: edits in quick succession, each while the previous one's
/// site is being written (which a newer edit gives up): the site served
/// at the end is the last edit's, byte for byte what a fresh build makes.
#[test]
fn rapid_edits_end_on_the_last_edits_site() {
    let dir = copy_of(&fixture("en-harbor"));
    let root = dir.path();
    add_generated_sources(root, 0..300);
    let tmp = tempfile::tempdir().unwrap();
    let serving = Serving::start(root, tmp.path());
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    open_tab(serving.port, "/sources/dispatch-5.html", done.clone());
    std::thread::sleep(Duration::from_millis(300));

    let mut title = "Dispatch 5".to_string();
    for (take, pause) in [70, 120, 90, 150, 80, 110].into_iter().enumerate() {
        let next = format!("Dispatch 5, take {take}");
        let (from, to) = (format!("title: \"{title}\""), format!("title: \"{next}\""));
        edit(root, "seeds/dispatch-5.md", &from, &to);
        title = next;
        std::thread::sleep(Duration::from_millis(pause));
    }
    let written = Serving::site(tmp.path()).join("sources/dispatch-5.html");
    let mut given_up = 0;
    while !std::fs::read_to_string(&written).unwrap().contains(&title) {
        let line = loop {
            let line = serving.next_line();
            given_up += usize::from(line.contains("for a newer edit"));
            if line.contains("built ") || line.contains("still serving") {
                break line;
            }
        };
        assert!(line.contains("built "), "every edit builds: {line}");
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    eprintln!("{given_up} writes given up or skipped for a newer edit");
    assert!(serving.get("/sources/dispatch-5.html").contains(&title));
    assert_same_as_fresh(root, tmp.path(), "six edits in quick succession");
}
