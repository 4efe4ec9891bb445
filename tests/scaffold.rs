//! `dossier init` and `dossier new` as a journalist meets them: what they
//! write builds and passes the checks at once, and they never overwrite.

mod common;

use common::dossier;
use predicates::prelude::PredicateBooleanExt as _;
use predicates::str::contains;

#[test]
fn init_writes_a_dossier_that_passes_check_deny_warnings_in_each_language() {
    for language in ["en", "fr"] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("my-dossier");
        dossier()
            .args(["init", "--language", language])
            .arg(&root)
            .assert()
            .success()
            .stdout(contains("created a dossier in"));
        dossier()
            .arg("check")
            .arg(&root)
            .arg("--deny-warnings")
            .assert()
            .success();
        dossier()
            .arg("build")
            .arg(&root)
            .assert()
            .success()
            .stdout(contains("index.html"));
        assert!(root.join("public/index.html").is_file(), "{language}");
    }
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    dossier()
        .arg("init")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(contains("is not empty"))
        .stderr(contains("notes.txt"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// Issue 12: a numbered or bulleted line, a `#`, a `>` or an emphasis
/// mark of the original was eaten by Markdown, and fidelity failed.
#[test]
fn a_source_drafted_from_an_original_passes_check_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("d");
    dossier().arg("init").arg(&root).assert().success();
    let original = dir.path().join("statement.txt");
    std::fs::write(
        &original,
        "Joint Statement\n\n1. A provision on *strategic* weapons.\n\n2) Another, on [sic] cooperation.\n\n\
         - A bullet\n\n+ Another\n\n* A star\n\n# of warheads: 1,700\n\n> A quote & more &amp; less\n\n\
         `code` and _under_score_ <b>tag</b> C:\\temp\n\n###\n",
    )
    .unwrap();
    dossier()
        .args(["new", "source", "statement", "--original"])
        .arg(&original)
        .arg("--root")
        .arg(&root)
        .assert()
        .success()
        .stdout(contains("seeds/statement.md"))
        .stdout(contains("10 paragraphs"));
    assert_eq!(
        std::fs::read(root.join("seeds/originals/statement.txt")).unwrap(),
        std::fs::read(&original).unwrap(),
        "the original is copied byte for byte"
    );
    dossier()
        .arg("check")
        .arg(&root)
        .assert()
        .success()
        .stderr(contains("E04").not());
}

#[test]
fn a_hard_wrapped_original_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("d");
    dossier().arg("init").arg(&root).assert().success();
    let original = dir.path().join("wire.txt");
    std::fs::write(
        &original,
        "WASHINGTON, May 24 (Wire) - The presidents of the two countries signed\n\
         on Friday a treaty that cuts their strategic arsenals by two thirds over\n\
         ten years, officials said.\n",
    )
    .unwrap();
    dossier()
        .args(["new", "source", "wire", "--original"])
        .arg(&original)
        .arg("--root")
        .arg(&root)
        .assert()
        .success()
        .stdout(contains("hard-wrapped"))
        .stdout(contains("put a blank line between its real paragraphs"));
    dossier().arg("check").arg(&root).assert().success();
}

#[test]
fn new_drafts_each_kind_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("d");
    dossier().arg("init").arg(&root).assert().success();
    for (kind, path) in [
        ("sector", "content/sectors/trade.md"),
        ("actor", "content/actors/trade.md"),
        ("event", "content/events/trade.md"),
        ("page", "content/pages/trade.md"),
    ] {
        dossier()
            .args(["new", kind, "trade", "--root"])
            .arg(&root)
            .assert()
            .success()
            .stdout(contains(path));
        std::fs::write(
            root.join(path),
            std::fs::read_to_string(root.join(path)).unwrap() + "mine\n",
        )
        .unwrap();
        dossier()
            .args(["new", kind, "trade", "--root"])
            .arg(&root)
            .assert()
            .code(2)
            .stderr(contains(path))
            .stderr(contains("never overwrites"));
        assert!(std::fs::read_to_string(root.join(path)).unwrap().ends_with("mine\n"));
    }
    // Warnings only (a new sector has no passage yet): the files are valid.
    dossier().arg("check").arg(&root).assert().success();
    dossier()
        .args(["new", "source", "about", "--original"])
        .arg(root.join("seeds/originals/joint-statement.txt"))
        .arg("--root")
        .arg(&root)
        .assert()
        .success();
    dossier()
        .args(["new", "source", "about", "--original"])
        .arg(root.join("seeds/originals/joint-statement.txt"))
        .arg("--root")
        .arg(&root)
        .assert()
        .code(2)
        .stderr(contains("seeds/about.md"));
}

#[test]
fn new_refuses_an_invalid_slug_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    dossier().arg("init").arg(dir.path()).assert().success();
    dossier()
        .args(["new", "sector", "Énergie Verte", "--root"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(contains("`energie-verte`"));
}

/// The kinds of front matter, their schema and where their files are.
const KINDS: [(&str, &str); 6] = [
    ("dossier", "content/dossier.yaml"),
    ("source", "seeds"),
    ("sector", "content/sectors"),
    ("actor", "content/actors"),
    ("event", "content/events"),
    ("page", "content/pages"),
];

fn schema(kind: &str) -> serde_json::Value {
    let path = common::repo().join(format!("schema/front-matter/{kind}.schema.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The front matter of every file of `kind` in the dossier at `root`, as
/// JSON values, by path.
fn front_matters(root: &std::path::Path, kind: &str, place: &str) -> Vec<(String, serde_json::Value)> {
    let files: Vec<std::path::PathBuf> = if kind == "dossier" {
        vec![root.join(place)]
    } else {
        let mut files: Vec<_> = std::fs::read_dir(root.join(place))
            .map(|dir| dir.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|e| e == "md"));
        files.sort();
        files
    };
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let yaml = match kind {
                "dossier" => text.as_str(),
                _ => text["---\n".len()..].split("\n---").next().unwrap(),
            };
            let value = serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (path.display().to_string(), value)
        })
        .collect()
}

/// What `value` breaks of `schema`: the keywords the front-matter schemas
/// use (`type`, `enum`, `required`, `properties`, `additionalProperties`,
/// `items`, `minItems`, `maxItems`); `pattern` is left to `dossier check`.
fn violations(schema: &serde_json::Value, value: &serde_json::Value, at: &str, out: &mut Vec<String>) {
    use serde_json::Value;
    let type_of = |v: &Value| match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if !types.is_empty() && !types.contains(&type_of(value)) {
        out.push(format!("{at}: a {} where {types:?} is expected", type_of(value)));
    }
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.contains(value)
    {
        out.push(format!("{at}: {value} is not one of {allowed:?}"));
    }
    if let Value::Object(fields) = value {
        for key in schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !fields.contains_key(key) {
                out.push(format!("{at}: `{key}` is missing"));
            }
        }
        for (key, field) in fields {
            match schema["properties"].get(key) {
                Some(property) => violations(property, field, &format!("{at}.{key}"), out),
                None if schema["additionalProperties"] == false => out.push(format!("{at}: `{key}` is not a field")),
                None => {}
            }
        }
    }
    if let Value::Array(items) = value {
        let len = items.len() as u64;
        if schema["minItems"].as_u64().is_some_and(|min| len < min)
            || schema["maxItems"].as_u64().is_some_and(|max| len > max)
        {
            out.push(format!("{at}: {len} items"));
        }
        for (i, item) in items.iter().enumerate() {
            violations(&schema["items"], item, &format!("{at}[{i}]"), out);
        }
    }
}

/// The fields the engine reads for a kind: those its raw struct writes
/// back when serialized.
fn engine_fields(kind: &str, value: &serde_json::Value) -> Vec<String> {
    use dossier::load::raw::*;
    let back = |v: Result<serde_json::Value, _>| v.unwrap();
    let json = match kind {
        "dossier" => back(serde_json::to_value(
            serde_json::from_value::<RawConfig>(value.clone()).unwrap(),
        )),
        "source" => back(serde_json::to_value(
            serde_json::from_value::<RawSource>(value.clone()).unwrap(),
        )),
        "sector" => back(serde_json::to_value(
            serde_json::from_value::<RawSector>(value.clone()).unwrap(),
        )),
        "actor" => back(serde_json::to_value(
            serde_json::from_value::<RawActor>(value.clone()).unwrap(),
        )),
        "event" => back(serde_json::to_value(
            serde_json::from_value::<RawEvent>(value.clone()).unwrap(),
        )),
        _ => back(serde_json::to_value(
            serde_json::from_value::<RawPage>(value.clone()).unwrap(),
        )),
    };
    let mut keys: Vec<String> = json.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

/// Issue 12: a JSON Schema per kind of front matter, for editors. Each
/// accepts every file of the repository's dossier, of the fixtures and of
/// `init`'s examples, refuses a missing or an unknown field, and lists the
/// fields the engine reads, no more, no less.
#[test]
fn front_matter_schemas_accept_every_dossier_and_name_the_engine_fields() {
    let dir = tempfile::tempdir().unwrap();
    let mut roots = vec![
        common::repo(),
        common::fixture("en-harbor"),
        common::fixture("fr-lagune"),
    ];
    for language in ["en", "fr"] {
        let root = dir.path().join(language);
        dossier()
            .args(["init", "--language", language])
            .arg(&root)
            .assert()
            .success();
        for (kind, _) in KINDS {
            let written =
                std::fs::read_to_string(root.join(format!("schema/front-matter/{kind}.schema.json"))).unwrap();
            assert_eq!(
                serde_json::from_str::<serde_json::Value>(&written).unwrap(),
                schema(kind),
                "init writes the schemas"
            );
        }
        roots.push(root);
    }
    for (kind, place) in KINDS {
        let schema = schema(kind);
        let mut checked = 0;
        for root in &roots {
            for (path, value) in front_matters(root, kind, place) {
                let mut out = Vec::new();
                violations(&schema, &value, &path, &mut out);
                assert!(out.is_empty(), "{out:#?}");
                let mut properties: Vec<String> = schema["properties"].as_object().unwrap().keys().cloned().collect();
                properties.sort();
                assert_eq!(
                    properties,
                    engine_fields(kind, &value),
                    "{kind}: the schema's fields are the engine's"
                );
                checked += 1;
            }
        }
        assert!(checked >= 5, "{kind}: {checked} files checked");
        let (_, mut value) = front_matters(&roots[1], kind, place).remove(0);
        let required = schema["required"][0].as_str().unwrap();
        value.as_object_mut().unwrap().remove(required);
        value.as_object_mut().unwrap().insert("titel".into(), "x".into());
        let mut out = Vec::new();
        violations(&schema, &value, kind, &mut out);
        assert_eq!(
            out,
            [
                format!("{kind}: `{required}` is missing"),
                format!("{kind}: `titel` is not a field")
            ]
        );
    }
}
