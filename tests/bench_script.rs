//! `bench/compare.py`, which makes the README's figures against Hugo, run
//! as a reader of the README would run it on another corpus (`--seed`,
//! `--paragraphs`), on a few sources and without Hugo: the corpus is made
//! of the given text, kept in a folder named after it, and the report and
//! its JSON say which corpus they measured.

mod common;

use std::fs;
use std::process::Command;

use common::repo;

const SOURCES: usize = 6;

/// Paragraphs of a harbour's text, a line each, with none of the
/// characters the generator refuses; each names itself (`harborlineN`).
fn harbor_text() -> String {
    (0..16)
        .map(|i| {
            format!(
                "The pilot boat met the cargo vessel at the outer quay before the tide turned, line harborline{i}.\n"
            )
        })
        .collect()
}

#[test]
fn the_benchmark_measures_a_corpus_of_other_text_in_a_folder_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("harbor-text.txt");
    fs::write(&text, harbor_text()).unwrap();
    let work = dir.path().join("work");
    let json = dir.path().join("report.json");
    let run = Command::new("python3")
        .arg(repo().join("bench/compare.py"))
        .args(["-n", &SOURCES.to_string(), "--runs", "1", "--no-hugo", "--seed", "5"])
        .arg("--paragraphs")
        .arg(&text)
        .arg("--dossier-bin")
        .arg(env!("CARGO_BIN_EXE_dossier"))
        .arg("--work")
        .arg(&work)
        .arg("--json")
        .arg(&json)
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "compare.py failed (it needs /usr/bin/time: apt-get install time):\n{}",
        String::from_utf8_lossy(&run.stderr)
    );

    let corpus = work.join(format!("corpus/dossier-{SOURCES}-seed-5-paragraphs-harbor-text"));
    let seeds: Vec<String> = fs::read_dir(corpus.join("seeds"))
        .unwrap_or_else(|e| panic!("no corpus at {}: {e}", corpus.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .map(|path| fs::read_to_string(path).unwrap())
        .collect();
    assert_eq!(seeds.len(), SOURCES);
    assert!(
        seeds.iter().all(|seed| seed.contains("harborline")),
        "every article is made of the given text"
    );
    assert!(
        !work.join(format!("corpus/dossier-{SOURCES}")).exists(),
        "the usual corpus's folder is left to the usual corpus"
    );

    let heading = format!("## N = {SOURCES} (seed 5, paragraphs {})", text.display());
    assert!(stdout.contains(&heading), "no `{heading}` in:\n{stdout}");
    let report: serde_json::Value = serde_json::from_str(&fs::read_to_string(&json).unwrap()).unwrap();
    let result = &report["results"][0];
    assert_eq!(result["n"], SOURCES);
    assert_eq!(result["runs"]["dossier"].as_array().map(Vec::len), Some(1));
    assert_eq!(result["runs"]["hugo"].as_array().map(Vec::len), Some(0));
    assert_eq!(result["runs"]["dossier_cold"].as_array().map(Vec::len), Some(1));
    assert_eq!(result["runs"]["hugo_cold"].as_array().map(Vec::len), Some(0));
    assert!(result["runs"]["dossier"][0]["wall"].as_f64().is_some());
    assert!(
        result["runs"]["dossier"][0]["rss_kib"]
            .as_u64()
            .is_some_and(|kib| kib > 0)
    );
    assert!(
        result["output"]["html_pages"]
            .as_u64()
            .is_some_and(|pages| pages > SOURCES as u64)
    );
}
