//! The pipeline's stages import only from earlier stages and from leaf
//! modules (issue 13): load < model < render < write. A stage that names a
//! later one — in a `use`, a path or a grouped `use crate::{…}` — fails
//! here, with the file and line.

use std::path::{Path, PathBuf};

const STAGES: [&str; 4] = ["load", "model", "render", "write"];

/// The Rust files of a stage: `src/<stage>.rs` or everything under
/// `src/<stage>/`.
fn files_of(stage: &str) -> Vec<PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    let single = src.join(format!("{stage}.rs"));
    if single.is_file() {
        files.push(single);
    }
    for entry in walkdir::WalkDir::new(src.join(stage)).into_iter().flatten() {
        if entry.path().extension().is_some_and(|e| e == "rs") {
            files.push(entry.into_path());
        }
    }
    files
}

/// The top-level modules of the crate that `code` names after `crate::`
/// (`crate::model::x`, `crate::{model, render::y}`), with their lines.
fn crate_modules(code: &str) -> Vec<(usize, String)> {
    let mut found = vec![];
    for (i, line) in code.lines().enumerate() {
        let line = line.split("//").next().unwrap_or("");
        for (at, _) in line.match_indices("crate::") {
            let rest = &line[at + "crate::".len()..];
            let group = rest.strip_prefix('{');
            let names = group.map_or(rest, |g| g.split('}').next().unwrap_or(g));
            for name in names.split(',') {
                let name: String = name
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                found.push((i + 1, name));
                if group.is_none() {
                    break;
                }
            }
        }
    }
    found
}

/// Every place a stage names a later stage.
fn violations() -> Vec<String> {
    let mut bad = vec![];
    for (i, stage) in STAGES.iter().enumerate() {
        let later = &STAGES[i + 1..];
        for file in files_of(stage) {
            let code = std::fs::read_to_string(&file).unwrap();
            for (line, module) in crate_modules(&code) {
                if later.contains(&module.as_str()) {
                    bad.push(format!("{}:{line}: {stage} uses {module}", file.display()));
                }
            }
        }
    }
    bad
}

#[test]
fn no_stage_imports_a_later_one() {
    let bad = violations();
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn finds_every_form_of_a_crate_path() {
    let code = "use crate::model::x;\nuse crate::{diagnostic, render::y};\n// crate::write\nlet a = crate::write::f();";
    let names: Vec<String> = crate_modules(code).into_iter().map(|(_, m)| m).collect();
    assert_eq!(names, ["model", "diagnostic", "render", "write"]);
    assert!(!files_of("load").is_empty() && !files_of("write").is_empty());
}
