//! `dossier init`: a small dossier that builds and passes
//! `check --deny-warnings` — two parties, two sectors, one source with its
//! original, an event and an about page, every file commented — in English
//! or French. The files are embedded in the binary, one set per language.

use std::path::Path;

use super::{Created, ScaffoldError, write_new};

/// The languages `init` has a template for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    En,
    Fr,
}

macro_rules! files {
    ($lang:literal: $($path:literal => $file:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("init/", $lang, "/", $file)))),*]
    };
}

type Template = &'static [(&'static str, &'static str)];

const EN: Template = files! { "en":
    "README.md" => "README.md",
    ".gitignore" => "gitignore",
    "content/dossier.yaml" => "dossier.yaml",
    "content/actors/norland.md" => "norland.md",
    "content/actors/estmark.md" => "estmark.md",
    "content/sectors/fisheries.md" => "fisheries.md",
    "content/sectors/energy.md" => "energy.md",
    "content/events/fisheries-agreement.md" => "fisheries-agreement.md",
    "content/pages/about.md" => "about.md",
    "seeds/joint-statement.md" => "joint-statement.md",
    "seeds/originals/joint-statement.txt" => "joint-statement.txt",
};

const FR: Template = files! { "fr":
    "README.md" => "README.md",
    ".gitignore" => "gitignore",
    "content/dossier.yaml" => "dossier.yaml",
    "content/actors/lagunie.md" => "lagunie.md",
    "content/actors/montagnie.md" => "montagnie.md",
    "content/sectors/peche.md" => "peche.md",
    "content/sectors/energie.md" => "energie.md",
    "content/events/accord-peche.md" => "accord-peche.md",
    "content/pages/a-propos.md" => "a-propos.md",
    "seeds/communique-commun.md" => "communique-commun.md",
    "seeds/originals/communique-commun.txt" => "communique-commun.txt",
};

/// Written in every language: the JSON Schemas of the front matter (the
/// repository's `schema/front-matter/`) and the VS Code settings that
/// point the YAML extension at `dossier.yaml`'s.
const EDITOR: Template = &[
    (".vscode/settings.json", include_str!("init/vscode-settings.json")),
    (
        "schema/front-matter/dossier.schema.json",
        include_str!("../../schema/front-matter/dossier.schema.json"),
    ),
    (
        "schema/front-matter/source.schema.json",
        include_str!("../../schema/front-matter/source.schema.json"),
    ),
    (
        "schema/front-matter/sector.schema.json",
        include_str!("../../schema/front-matter/sector.schema.json"),
    ),
    (
        "schema/front-matter/actor.schema.json",
        include_str!("../../schema/front-matter/actor.schema.json"),
    ),
    (
        "schema/front-matter/event.schema.json",
        include_str!("../../schema/front-matter/event.schema.json"),
    ),
    (
        "schema/front-matter/page.schema.json",
        include_str!("../../schema/front-matter/page.schema.json"),
    ),
];

fn template(language: Language) -> Template {
    match language {
        Language::En => EN,
        Language::Fr => FR,
    }
}

/// Writes the example dossier into `dir`, which must not exist or be empty.
pub fn init(dir: &Path, language: Language) -> Result<Created, ScaffoldError> {
    refuse_non_empty(dir)?;
    let mut created = Created::default();
    for (path, contents) in template(language).iter().chain(EDITOR) {
        write_new(&dir.join(path), contents.as_bytes())?;
        created.files.push(path.into());
    }
    Ok(created)
}

fn refuse_non_empty(dir: &Path) -> Result<(), ScaffoldError> {
    if dir.exists() && !dir.is_dir() {
        return Err(ScaffoldError::Refused(format!(
            "`{}` is a file, not a folder",
            dir.display()
        )));
    }
    let Ok(mut entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    if let Some(Ok(entry)) = entries.next() {
        return Err(ScaffoldError::Refused(format!(
            "`{}` is not empty (it holds `{}`); `dossier init` starts a dossier in a new or empty folder",
            dir.display(),
            entry.file_name().to_string_lossy()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_templates_have_the_same_shape() {
        let kinds = |t: Template| t.iter().map(|(p, _)| p.split('/').count()).collect::<Vec<_>>();
        assert_eq!(kinds(EN), kinds(FR));
    }

    #[test]
    fn refuses_a_folder_that_is_not_empty() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let Err(ScaffoldError::Refused(message)) = init(dir.path(), Language::En) else {
            panic!("a non-empty folder is refused")
        };
        assert!(message.contains("notes.txt"), "{message}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn writes_into_a_new_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("new");
        let created = init(&root, Language::Fr).unwrap();
        assert_eq!(created.files.len(), FR.len() + EDITOR.len());
        assert!(root.join("seeds/originals/communique-commun.txt").is_file());
    }
}
