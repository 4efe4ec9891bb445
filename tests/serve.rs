//! `dossier serve` as a journalist uses it: a page is served with the
//! reload script allowed by its policy, an edit shows in the served page,
//! a failed build keeps the last good site and tells the pages, and the
//! site is never written into the dossier.

mod common;

use std::time::Duration;

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
    // Nothing was shown of the failed build: the page stays, under the error.
    let told = wait(server.port, "/sectors/water.html", version_of(&page));
    assert!(told["error"].is_string(), "{told}");
    assert!(told["reload"] == false && told["built"] == true, "{told}");

    assert!(
        !dir.path().join("public").exists(),
        "serve never writes into the dossier"
    );
}

/// The version a served page was built for, from its reload script.
fn version_of(html: &str) -> u64 {
    let after = html.split("data-version=").nth(1).expect("the reload script");
    let digits = after.split(|c: char| !c.is_ascii_digit()).next().unwrap();
    digits.parse().unwrap()
}

/// `html` without the version its reload script carries: the page's own
/// bytes, whichever version served it.
fn without_version(html: &str) -> String {
    html.replacen(&format!("data-version={}", version_of(html)), "data-version=", 1)
}

/// The server's answer to a tab's long poll: the tab shows version `seen`
/// of `page` (an absolute path) and no error.
fn wait(port: u16, page: &str, seen: u64) -> serde_json::Value {
    long_poll(port, &format!("v={seen}&e=0&p={}", page.replace('/', "%2F")))
}

/// [`wait`], for a tab that shows the error of version `seen` over its page.
fn wait_under_error(port: u16, page: &str, seen: u64) -> serde_json::Value {
    long_poll(port, &format!("v={seen}&e=1&p={}", page.replace('/', "%2F")))
}

fn long_poll(port: u16, query: &str) -> serde_json::Value {
    serde_json::from_str(&get(port, &format!("/__dossier/wait?{query}")).1).unwrap()
}

/// What a tab on `page` showing `html` comes to, driven as the reload
/// script drives it (reloading whenever the server says so) until it is
/// told an error: the page it then shows, and what it was told.
fn tab_until_told_an_error(server: &Serving, page: &str, mut html: String) -> (String, serde_json::Value) {
    // Each answer is a change, or a long poll's end: a few are plenty.
    for _ in 0..20 {
        let told = wait(server.port, page, version_of(&html));
        if told["reload"] == true {
            html = server.get(page);
        } else if told["error"].is_string() {
            return (html, told);
        }
    }
    panic!("the tab on {page} was never told the error");
}

/// Breaks the actor pages' template in the dossier's own theme: an error
/// only a build rendering an actor's page finds.
fn break_the_actor_template(root: &std::path::Path) {
    let template = common::repo().join("themes/default/templates/actor.html");
    let broken = std::fs::read_to_string(template).unwrap().replacen(
        "{% block content %}",
        "{% block content %}{{ no_such_value }}",
        1,
    );
    let templates = root.join("themes/default/templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(templates.join("actor.html"), broken).unwrap();
}

/// Issue 12: an error only the whole build finds (a template of a page
/// that is not open) comes after the open page was shown with the edit.
/// That page is the failed build's, not the last good one: the server
/// serves it no more, and the tab reloads once into the last good page,
/// to show the error over it.
#[test]
fn an_error_found_after_the_open_pages_were_shown_reaches_the_tab() {
    let dir = copy_of(&fixture("en-harbor"));
    let tmp = tempfile::tempdir().unwrap();
    let server = Serving::start(dir.path(), tmp.path());
    let page = "/sectors/water.html";
    let good = server.get(page);
    let port = server.port;
    let tab = std::thread::spawn(move || wait(port, page, version_of(&good)));
    // Time for the tab's request to arrive before the edit: a page counts
    // as open while its tab waits.
    std::thread::sleep(Duration::from_millis(300));

    break_the_actor_template(dir.path());
    edit(
        dir.path(),
        "content/sectors/water.md",
        "Monitoring the estuary",
        "Watching the estuary",
    );
    let told = tab.join().unwrap();
    assert!(
        told["reload"] == true && told["error"].is_null(),
        "the open page is shown first: {told}"
    );
    let reloaded = server.get(page);
    let (shown, told) = tab_until_told_an_error(&server, page, reloaded);
    let error = told["error"].as_str().unwrap();
    assert!(error.contains("actor.html"), "{error}");
    assert_eq!(told["built"], true, "there is a last good build: {told}");
    assert_eq!(
        without_version(&shown),
        without_version(&server.get(page)),
        "the tab shows the page served now"
    );
    assert!(
        shown.contains("Monitoring the estuary") && !shown.contains("Watching the estuary"),
        "the tab shows the last good build's page, not the failed build's"
    );
    assert_eq!(
        version_of(&shown),
        told["version"].as_u64().unwrap(),
        "and reloads no more"
    );
    let (code, actor) = get(server.port, "/actors/norland.html");
    assert_eq!(code, 200, "the last good site is still served");
    assert!(actor.contains("Norland"));
}

/// Issue 12: a first build that fails leaves no site to serve: the
/// terminal and the page say so (no "last good build" to speak of), and
/// the tab reloads into the site once a build succeeds.
#[test]
fn a_first_build_that_fails_says_there_is_no_site_yet() {
    let dir = copy_of(&fixture("en-harbor"));
    edit(
        dir.path(),
        "content/sectors/water.md",
        "color: \"#287ab7\"",
        "color: \"#zzz\"",
    );
    let tmp = tempfile::tempdir().unwrap();
    let (server, first) = Serving::launch(dir.path(), tmp.path());
    let line = first.expect_err("the first build fails");
    assert!(line.ends_with("; no site to serve until a build succeeds"), "{line}");

    let page = "/sectors/water.html";
    let (code, waiting) = get(server.port, page);
    assert_eq!(code, 503);
    assert!(waiting.contains("no build has succeeded yet"), "{waiting}");
    let told = wait(server.port, page, version_of(&waiting));
    assert!(
        told["error"].as_str().unwrap().contains("content/sectors/water.md"),
        "{told}"
    );
    assert!(told["built"] == false && told["reload"] == false, "{told}");

    edit(
        dir.path(),
        "content/sectors/water.md",
        "color: \"#zzz\"",
        "color: \"#287ab7\"",
    );
    assert!(server.wait_for_build(), "the fixed build succeeds");
    let told = wait_under_error(server.port, page, told["version"].as_u64().unwrap());
    assert!(told["reload"] == true && told["error"].is_null(), "{told}");
    let (code, built) = get(server.port, page);
    assert_eq!(code, 200);
    assert!(built.contains("Monitoring the estuary"));
}
