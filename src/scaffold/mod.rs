//! Scaffolding: `dossier init` writes a small dossier that builds, and
//! `dossier new` drafts one file of a given kind, or an annotated source
//! from its original.
//!
//! Invariant: scaffolding only ever creates files. A file that exists is
//! never overwritten (the error names it), and `init` refuses a folder
//! that is not empty.

pub mod draft;
pub mod init;
pub mod new;

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

/// Why scaffolding wrote nothing (or stopped): the user's request cannot be
/// done as asked, or the file system failed.
#[derive(Debug)]
pub enum ScaffoldError {
    Refused(String),
    Io(anyhow::Error),
}

impl From<anyhow::Error> for ScaffoldError {
    fn from(err: anyhow::Error) -> Self {
        ScaffoldError::Io(err)
    }
}

/// What a scaffolding command did, for the CLI to print.
#[derive(Debug, Default)]
pub struct Created {
    /// Paths written, relative to the folder the user named.
    pub files: Vec<PathBuf>,
    /// What the user should know about the choices made.
    pub notes: Vec<String>,
}

/// Checks that `slug` can name a file of the dossier, with a suggestion if not.
fn valid_slug(slug: &str) -> Result<(), ScaffoldError> {
    if crate::slug::is_valid(slug) {
        return Ok(());
    }
    Err(ScaffoldError::Refused(format!(
        "`{slug}` is not a slug: use lower-case ASCII letters, digits and inner hyphens, e.g. `{}`",
        crate::slug::suggest(slug)
    )))
}

/// Fails, naming the file, if `path` exists.
fn refuse_existing(path: &Path) -> Result<(), ScaffoldError> {
    if path.exists() {
        return Err(ScaffoldError::Refused(format!(
            "`{}` exists already; dossier never overwrites a file (remove it or choose another slug)",
            path.display()
        )));
    }
    Ok(())
}

/// Writes `contents` to a new file at `path`, creating its folders; fails
/// (naming it) if the file exists, even if it appeared a moment ago.
fn write_new(path: &Path, contents: &[u8]) -> Result<(), ScaffoldError> {
    refuse_existing(path)?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("creating `{}`", parent.display()))?;
    }
    let mut file = match OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return refuse_existing(path),
        Err(e) => {
            return Err(anyhow::Error::new(e)
                .context(format!("creating `{}`", path.display()))
                .into());
        }
    };
    file.write_all(contents)
        .with_context(|| format!("writing `{}`", path.display()))?;
    Ok(())
}

/// `energy-policy` → `Energy policy`: a first title, for the user to edit.
fn title_from_slug(slug: &str) -> String {
    let words = slug.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A YAML double-quoted scalar holding `text` exactly (JSON strings are
/// valid YAML).
fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

/// `text` as a plain YAML scalar when it is a simple word or path that YAML
/// reads as that string (`en`, `originals/a.txt`), else quoted.
fn yaml_word(text: &str) -> String {
    let simple = text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || "._/-".contains(c))
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if simple { text.to_string() } else { yaml_string(text) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_slugs() {
        assert_eq!(title_from_slug("energy-policy"), "Energy policy");
        assert_eq!(title_from_slug("g7"), "G7");
    }

    #[test]
    fn rejects_invalid_slugs_with_a_suggestion() {
        let Err(ScaffoldError::Refused(message)) = valid_slug("Énergie Verte") else {
            panic!("an invalid slug is refused")
        };
        assert!(message.contains("`energie-verte`"), "{message}");
        assert!(valid_slug("energie-verte").is_ok());
    }

    #[test]
    fn never_overwrites_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.md");
        write_new(&path, b"one").unwrap();
        let Err(ScaffoldError::Refused(message)) = write_new(&path, b"two") else {
            panic!("the second write is refused")
        };
        assert!(message.contains("b.md"), "{message}");
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
    }

    #[test]
    fn writes_simple_words_plain() {
        for (text, yaml) in [
            ("en", "en"),
            ("originals/a b.txt", "\"originals/a b.txt\""),
            ("no", "\"no\""),
        ] {
            assert_eq!(yaml_word(text), yaml, "{text}");
            assert_eq!(serde_yaml::from_str::<String>(yaml).unwrap(), text);
        }
    }

    #[test]
    fn quotes_yaml_strings() {
        let quoted = yaml_string("a: \"b\" # c");
        let back: String = serde_yaml::from_str(&quoted).unwrap();
        assert_eq!(back, "a: \"b\" # c");
    }
}
