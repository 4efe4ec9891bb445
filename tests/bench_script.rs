//! `bench/compare.py`, which makes the README's figures against Hugo, run
//! as a reader of the README would run it on another corpus (`--seed`,
//! `--paragraphs`), on a few sources and without Hugo: the corpus is made
//! of the given text, kept in a folder named after it, and the report and
//! its JSON say which corpus they measured. And on a corpus of another
//! shape (`--shape`, `bench/shapes.py`), which only dossier is measured on.

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

/// `bench/compare.py` run once on `SOURCES` sources with this binary,
/// in `work`, its JSON report in `json`, with `extra` arguments.
fn compare(work: &std::path::Path, json: &std::path::Path, extra: &[&str]) -> std::process::Output {
    Command::new("python3")
        .arg(repo().join("bench/compare.py"))
        .args(["-n", &SOURCES.to_string(), "--runs", "1"])
        .args(extra)
        .arg("--dossier-bin")
        .arg(env!("CARGO_BIN_EXE_dossier"))
        .arg("--work")
        .arg(work)
        .arg("--json")
        .arg(json)
        .output()
        .expect("python3 runs")
}

#[test]
fn the_benchmark_measures_a_corpus_of_other_text_in_a_folder_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("harbor-text.txt");
    fs::write(&text, harbor_text()).unwrap();
    let work = dir.path().join("work");
    let json = dir.path().join("report.json");
    let paragraphs = text.to_str().unwrap();
    let run = compare(&work, &json, &["--no-hugo", "--seed", "5", "--paragraphs", paragraphs]);
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
    let left: Vec<String> = fs::read_dir(work.join("out"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("cold"))
        .collect();
    assert_eq!(
        left,
        Vec::<String>::new(),
        "a cold build leaves nothing beside the sites"
    );
}

/// Each source's `published:` value, from the seeds of the corpus at `dir`.
fn published_dates(dir: &std::path::Path) -> Vec<String> {
    fs::read_dir(dir.join("seeds"))
        .unwrap_or_else(|e| panic!("no corpus at {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .map(|path| {
            let text = fs::read_to_string(&path).unwrap();
            let line = text.lines().find(|l| l.starts_with("published:"));
            line.unwrap_or_else(|| panic!("no published: in {}", path.display()))
                .to_string()
        })
        .collect()
}

#[test]
fn the_benchmark_measures_a_corpus_reshaped_beside_the_usual_one() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    let json = dir.path().join("report.json");
    let with_hugo = compare(&work, &json, &["--shape", "same-day"]);
    assert!(!with_hugo.status.success(), "Hugo's corpus has no same-day counterpart");
    assert!(String::from_utf8_lossy(&with_hugo.stderr).contains("pass --no-hugo"));

    let run = compare(&work, &json, &["--shape", "same-day", "--no-hugo"]);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "compare.py --shape failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let usual = published_dates(&work.join(format!("corpus/dossier-{SOURCES}")));
    let reshaped = published_dates(&work.join(format!("corpus/dossier-{SOURCES}-shape-same-day")));
    assert_eq!(reshaped.len(), SOURCES);
    assert!(
        reshaped.iter().all(|d| d == "published: \"2020-03-15\""),
        "{reshaped:?}"
    );
    assert!(
        usual.iter().any(|d| d != &reshaped[0]),
        "the usual corpus keeps its dates: {usual:?}"
    );
    assert!(
        stdout.contains(&format!("## N = {SOURCES} (shape same-day)")),
        "{stdout}"
    );
    let report: serde_json::Value = serde_json::from_str(&fs::read_to_string(&json).unwrap()).unwrap();
    assert!(
        report["results"][0]["output"]["html_pages"]
            .as_u64()
            .is_some_and(|pages| pages > SOURCES as u64)
    );
    let sites = work.join("out");
    assert!(
        sites
            .join(format!("dossier-{SOURCES}-shape-same-day/index.html"))
            .is_file()
    );
    assert!(
        !sites.join(format!("dossier-{SOURCES}")).exists(),
        "the usual corpus's site is left to the usual corpus"
    );
}

/// `--without-one-file` builds a copy of the corpus whose configuration
/// leaves out the one-file editions, into a site of its own.
#[test]
fn the_benchmark_measures_the_site_without_its_one_file_editions() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    let json = dir.path().join("report.json");
    let run = compare(&work, &json, &["--without-one-file", "--no-hugo"]);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "compare.py --without-one-file failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        stdout.contains(&format!("## N = {SOURCES} (one_file false)")),
        "{stdout}"
    );
    let config = |corpus: &str| fs::read_to_string(work.join(format!("corpus/{corpus}/content/dossier.yaml"))).unwrap();
    assert!(config(&format!("dossier-{SOURCES}-without-one-file")).ends_with("one_file: false\n"));
    assert!(!config(&format!("dossier-{SOURCES}")).contains("one_file"));
    let site = work.join(format!("out/dossier-{SOURCES}-without-one-file"));
    assert!(site.join("index.html").is_file());
    assert!(!site.join("dossier.html").exists(), "no one-file edition");
}

/// `bench/shapes.py` on a corpus the generator did not make: each shape
/// stops with the file and what it lacks, never a Python traceback.
#[test]
fn the_reshaping_script_names_the_file_a_corpus_gets_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("seeds")).unwrap();
    fs::create_dir_all(root.join("content/sectors")).unwrap();
    fs::write(root.join("content/dossier.yaml"), "title: Sans parties\n").unwrap();
    fs::write(
        root.join("content/sectors/a.md"),
        "---\ntitle: A\ncolor: \"#123456\"\n---\n",
    )
    .unwrap();
    fs::write(root.join("seeds/s1.md"), "no front matter, no date\n").unwrap();
    let cases = [
        ("same-day", "seeds/s1.md has no `published:`"),
        ("long-articles", "seeds/s1.md has no front matter"),
        ("many-entities", "dossier.yaml has no `parties: [...]`"),
    ];
    for (shape, says) in cases {
        let run = Command::new("python3")
            .arg(repo().join("bench/shapes.py"))
            .arg(shape)
            .arg(root)
            .output()
            .expect("python3 runs");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(!run.status.success(), "{shape} accepted the corpus");
        assert!(stderr.contains(says), "{shape}: {stderr}");
        assert!(!stderr.contains("Traceback"), "{shape}: {stderr}");
    }
    fs::remove_dir_all(root.join("seeds")).unwrap();
    let run = Command::new("python3")
        .arg(repo().join("bench/shapes.py"))
        .args(["two-centuries"])
        .arg(root)
        .output()
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("cannot list") && !stderr.contains("Traceback"),
        "{stderr}"
    );
}

/// `bench/sentences.py` cuts a text into its sentences of 12 words or
/// more, one a line, in order: `compare.py --paragraphs` then measures the
/// same words in short paragraphs.
#[test]
fn the_sentence_script_makes_a_paragraph_of_each_long_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("text.txt");
    let long_one = "Le navire pilote a rejoint le cargo au quai extérieur avant que la marée ne tourne.";
    let long_two = "« Nous attendons la signature des accords dans les prochains jours », a déclaré le ministre.";
    let short = "Trop court pour compter ici.";
    let long_three = "Les délégations des deux pays ont ensuite examiné les détails des accords pendant trois heures.";
    fs::write(&text, format!("{long_one} {short} {long_two}\n\n{long_three}\n")).unwrap();
    let run = Command::new("python3")
        .arg(repo().join("bench/sentences.py"))
        .arg(&text)
        .output()
        .expect("python3 runs");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let lines: Vec<String> = String::from_utf8(run.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(lines, [long_one, long_two, long_three]);
}
