//! The command line as a user meets it: exit codes, messages with
//! file:line:col, and a previous build that survives every failure.

mod common;

use common::{copy_of, dossier, dossier_at, edit, files_under, fixture};
use predicates::str::contains;

#[test]
fn check_is_clean_on_every_shipped_dossier() {
    for root in [common::repo(), fixture("en-harbor"), fixture("fr-lagune")] {
        dossier_at("check", &root)
            .assert()
            .success()
            .stdout(contains("checked"));
    }
}

#[test]
fn content_errors_exit_1_with_location_and_hint() {
    let dir = copy_of(&fixture("fr-lagune"));
    edit(
        dir.path(),
        "seeds/accord-peche-port-salin.md",
        "sector=peche",
        "sector=peches",
    );
    dossier_at("check", dir.path())
        .assert()
        .code(1)
        .stderr(contains("error[E0201]: unknown sector `peches`"))
        .stderr(contains("seeds/accord-peche-port-salin.md:"))
        .stderr(contains("did you mean `peche`?"));
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let dir = copy_of(&fixture("en-harbor"));
    let out = dir.path().join("public");
    dossier_at("build", dir.path()).assert().success();
    let before = files_under(&out);
    edit(
        dir.path(),
        "content/events/grey-banks-talks.md",
        "2019-03-30",
        "2019-02-30",
    );
    dossier_at("build", dir.path())
        .assert()
        .code(1)
        .stderr(contains("2019-02 has no day 30"))
        .stderr(contains("content/events/grey-banks-talks.md:"));
    assert_eq!(before, files_under(&out), "the previous build is byte-identical");
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_make() {
    let dir = copy_of(&fixture("en-harbor"));
    let out = dir.path().join("thesis");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("chapter1.txt"), "precious").unwrap();
    dossier_at("build", dir.path())
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(contains("was not made by dossier"));
    assert_eq!(files_under(&out).len(), 1);
    assert_eq!(std::fs::read_to_string(out.join("chapter1.txt")).unwrap(), "precious");
}

#[test]
fn usage_and_io_errors_exit_2() {
    dossier().arg("frobnicate").assert().code(2);
    dossier_at("check", std::path::Path::new("/nonexistent/dossier"))
        .assert()
        .code(2)
        .stderr(contains("not a folder"));
}

#[test]
fn a_folder_that_is_not_a_dossier_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    dossier_at("check", dir.path())
        .assert()
        .code(1)
        .stderr(contains(
            "holds no dossier: it has no `content/` and no `seeds/` folder",
        ))
        .stderr(contains("dossier init"));
}

#[test]
fn build_prints_one_summary_line() {
    let dir = copy_of(&fixture("fr-lagune"));
    dossier_at("build", dir.path())
        .assert()
        .success()
        .stdout(predicates::str::is_match(r"^built \d+ pages from 2 sources \(16 ¶, \d+ annotations\), 4 sectors, 7 actors, 4 events, 3 figures in \d+\.\d\d s; open .*public/index\.html\n$").unwrap());
}

/// Issue 12: `dossier build DIR` failed with "unexpected argument", and a
/// build did not say where it wrote the site.
#[test]
fn the_root_is_a_positional_argument_and_the_output_is_named() {
    let dir = copy_of(&fixture("en-harbor"));
    let out = dir.path().join("site");
    dossier().arg("check").arg(dir.path()).assert().success();
    dossier()
        .arg("build")
        .arg(dir.path())
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stdout(contains(out.join("index.html").display().to_string()));
    assert!(out.join("index.html").is_file());
    dossier()
        .args(["build", "-q"])
        .arg(dir.path())
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    dossier()
        .arg("check")
        .arg(dir.path())
        .arg("--root")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(contains("cannot be used with"));
}
