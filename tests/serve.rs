//! `dossier serve` as a journalist uses it: a page is served with the
//! reload script allowed by its policy, an edit shows in the served page,
//! a failed build keeps the last good site and tells the pages, and the
//! site is never written into the dossier.

mod common;

use std::time::{Duration, Instant};

use common::{Serving, copy_of, edit, eventually, fixture, get};

#[test]
fn serves_rebuilds_on_change_and_keeps_the_last_good_site() {
    let dir = copy_of(&fixture("en-harbor"));
    let tmp = tempfile::tempdir().unwrap();
    let server = Serving::start(dir.path(), tmp.path());

    let (code, page) = get(server.port, "/sectors/water.html");
    assert_eq!(code, 200);
    assert!(page.contains("Monitoring the estuary"), "{page}");
    assert!(
        page.contains("<script data-version="),
        "the reload script is in the page"
    );
    assert!(page.contains("connect-src 'self'"), "the policy lets it poll");
    let (code, _) = get(server.port, "/no-such-page.html");
    assert_eq!(code, 404);
    let (code, _) = get(server.port, "/../../etc/passwd");
    assert_eq!(code, 404);

    edit(
        dir.path(),
        "content/sectors/water.md",
        "Monitoring the estuary",
        "Watching the estuary",
    );
    eventually(server.port, "/sectors/water.html", |p| {
        p.contains("Watching the estuary")
    });

    // A broken edit: the pages are told, and the last good site stays.
    edit(
        dir.path(),
        "content/sectors/water.md",
        "color: \"#287ab7\"",
        "color: \"#zzz\"",
    );
    let status = eventually(server.port, "/__dossier/wait?v=0&e=0", |s| {
        s.contains("\"error\":\"error[")
    });
    assert!(status.contains("content/sectors/water.md"), "{status}");
    let (code, page) = get(server.port, "/sectors/water.html");
    assert_eq!(code, 200);
    assert!(page.contains("Watching the estuary"));

    assert!(
        !dir.path().join("public").exists(),
        "serve never writes into the dossier"
    );
}

/// Issue 12: an error only the whole build finds (a template of a page
/// that is not open) comes after the open page was shown with the edit;
/// the tab waiting on that page is told, to show it over the page.
#[test]
fn an_error_found_after_the_open_pages_were_shown_reaches_the_tab() {
    let dir = copy_of(&fixture("en-harbor"));
    let tmp = tempfile::tempdir().unwrap();
    let server = Serving::start(dir.path(), tmp.path());
    let page = "/sectors/water.html";
    let version = |html: &str| -> u64 {
        let after = html.split("data-version=").nth(1).expect("the reload script");
        after
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let shown = version(&server.get(page));
    let poll = |seen: u64| {
        let port = server.port;
        let query = format!("/__dossier/wait?v={seen}&e=0&p=%2Fsectors%2Fwater.html");
        std::thread::spawn(move || get(port, &query).1)
    };
    let tab = poll(shown);
    std::thread::sleep(Duration::from_millis(300));

    let template = common::repo().join("themes/default/templates/actor.html");
    let broken = std::fs::read_to_string(template).unwrap().replacen(
        "{% block content %}",
        "{% block content %}{{ no_such_value }}",
        1,
    );
    let templates = dir.path().join("themes/default/templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(templates.join("actor.html"), broken).unwrap();
    edit(
        dir.path(),
        "content/sectors/water.md",
        "Monitoring the estuary",
        "Watching the estuary",
    );

    let answer = tab.join().unwrap();
    assert!(
        answer.contains("\"error\":null"),
        "the open page is shown first: {answer}"
    );
    eventually(server.port, page, |p| p.contains("Watching the estuary"));
    // The tab, reloaded, waits again: it must be told of the error.
    let started = Instant::now();
    let mut seen = version(&server.get(page));
    let error = loop {
        let answer = poll(seen).join().unwrap();
        let status: serde_json::Value = serde_json::from_str(&answer).unwrap();
        if let Some(error) = status["error"].as_str() {
            break error.to_string();
        }
        assert!(started.elapsed() < Duration::from_secs(60), "never told: {answer}");
        seen = status["version"].as_u64().unwrap();
    };
    assert!(error.contains("actor.html"), "{error}");
    let (code, actor) = get(server.port, "/actors/norland.html");
    assert_eq!(code, 200, "the last good site is still served");
    assert!(actor.contains("Norland"));
}
