//! Where a source's `original:` is, or why it cannot be used. The path is
//! read lexically, never resolved on disk: an original is looked up among
//! the files load read under `seeds/originals/`, so nothing a front matter
//! says can make the engine read anything else. Each way a path can be
//! wrong gets its own message (issues 12 and 13 quoted "is not under
//! `seeds/`" for a file that was simply absent, a hidden one and
//! `originals/../originals/x.txt`).

use std::path::{Component, Path};

/// Why the path written in `original:` names no original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// It leads out of `seeds/` (`..` too many, or an absolute path).
    Outside,
    /// It stays inside, but through `..`: the plain path it means.
    NotPlain(String),
    /// A file or folder of it starts with `.`: load never reads those.
    Hidden,
    /// It is not in `seeds/originals/`, where originals are read from.
    NotInOriginals,
}

/// The key of the original in `Inputs::originals` (`originals/x.txt`), or
/// why the path cannot name one.
pub fn key(written: &str) -> Result<String, Refusal> {
    let written = written.replace('\\', "/");
    let mut parts: Vec<&str> = Vec::new();
    let mut through_parent = false;
    for component in Path::new(&written).components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str().unwrap_or_default()),
            Component::CurDir => {}
            Component::ParentDir => {
                through_parent = true;
                parts.pop().ok_or(Refusal::Outside)?;
            }
            Component::RootDir | Component::Prefix(_) => return Err(Refusal::Outside),
        }
    }
    let plain = parts.join("/");
    if through_parent {
        return Err(Refusal::NotPlain(plain));
    }
    if parts.iter().any(|p| p.starts_with('.')) {
        return Err(Refusal::Hidden);
    }
    if parts.len() < 2 || parts[0] != "originals" {
        return Err(Refusal::NotInOriginals);
    }
    Ok(plain)
}

impl Refusal {
    /// The message and the hint for `written`.
    pub fn explain(&self, written: &str) -> (String, String) {
        let file = Path::new(written)
            .file_name()
            .map_or(written.into(), |f| f.to_string_lossy());
        match self {
            Refusal::Outside => (
                format!("the original `{written}` is outside `seeds/`"),
                format!(
                    "originals are read from `seeds/originals/` only: copy the file there and write `originals/{file}`"
                ),
            ),
            Refusal::NotPlain(plain) => (
                format!("the original `{written}` goes through `..`"),
                format!("write the plain path: `{plain}`"),
            ),
            Refusal::Hidden => (
                format!(
                    "the original `{written}` is a hidden file (its name starts with `.`), which dossier never reads"
                ),
                "rename the file (and the `original:` line) without the leading `.`".into(),
            ),
            Refusal::NotInOriginals => (
                format!("the original `{written}` is not in `seeds/originals/`"),
                format!("originals are read from `seeds/originals/`: move the file there and write `originals/{file}`"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_path_of_an_original_lexically() {
        let cases = [
            ("originals/a.txt", Ok("originals/a.txt".to_string())),
            ("./originals/a.txt", Ok("originals/a.txt".into())),
            ("originals\\a.txt", Ok("originals/a.txt".into())),
            ("originals/2024/a.txt", Ok("originals/2024/a.txt".into())),
            (
                "originals/../originals/a.txt",
                Err(Refusal::NotPlain("originals/a.txt".into())),
            ),
            ("../../etc/passwd", Err(Refusal::Outside)),
            ("originals/../../x", Err(Refusal::Outside)),
            ("/etc/passwd", Err(Refusal::Outside)),
            ("originals/.a.txt", Err(Refusal::Hidden)),
            (".originals/a.txt", Err(Refusal::Hidden)),
            ("a.txt", Err(Refusal::NotInOriginals)),
            ("notes/a.txt", Err(Refusal::NotInOriginals)),
            ("originals", Err(Refusal::NotInOriginals)),
        ];
        for (written, expected) in cases {
            assert_eq!(key(written), expected, "{written}");
        }
    }

    #[test]
    fn never_says_not_under_seeds_for_a_path_that_is() {
        for refusal in [
            Refusal::NotPlain("originals/a.txt".into()),
            Refusal::Hidden,
            Refusal::NotInOriginals,
        ] {
            let (message, help) = refusal.explain("originals/x/../a.txt");
            assert!(!message.contains("not under"), "{message}");
            assert!(!help.is_empty());
        }
    }
}
