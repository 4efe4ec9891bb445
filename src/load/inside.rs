//! Nothing is read from outside the dossier's folder. A symbolic link
//! inside the dossier may point anywhere inside it; one that leads out (to
//! `~/.ssh`, `/etc`, a CI's secrets) is reported and never opened, so no
//! byte of what it points to can reach the site or an error message.

use std::path::{Path, PathBuf};

use crate::code::Code;
use crate::diagnostic::Diagnostic;

/// The dossier's folder, with every link in its own path resolved.
#[derive(Debug, Clone)]
pub struct Root {
    real: PathBuf,
}

impl Root {
    pub fn new(root: &Path) -> std::io::Result<Root> {
        Ok(Root {
            real: std::fs::canonicalize(root)?,
        })
    }

    /// Whether `path` (a path under the root) resolves outside it. A link
    /// that leads nowhere is not: reading it reports it as broken.
    pub fn escapes(&self, path: &Path) -> bool {
        std::fs::canonicalize(path).is_ok_and(|real| !real.starts_with(&self.real))
    }
}

/// The error for a link that leads out of the dossier, at `rel`. It names
/// the link, never its target.
pub fn outside(rel: &Path) -> Diagnostic {
    Diagnostic::error(
        Code::E0008,
        rel,
        0..0,
        "this symbolic link leads outside the dossier's folder and is not read".into(),
    )
    .with_help("copy the file into the dossier, or remove the link: a build reads nothing outside its folder")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_inside_are_fine_and_links_out_escape() {
        let outer = tempfile::tempdir().unwrap();
        let root = outer.path().join("dossier");
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("a/x.md"), "x").unwrap();
        std::fs::write(outer.path().join("secret"), "s").unwrap();
        std::os::unix::fs::symlink("a/x.md", root.join("inside.md")).unwrap();
        std::os::unix::fs::symlink("../secret", root.join("out.md")).unwrap();
        std::os::unix::fs::symlink("..", root.join("up")).unwrap();
        std::os::unix::fs::symlink("nowhere", root.join("broken.md")).unwrap();
        let r = Root::new(&root).unwrap();
        assert!(!r.escapes(&root.join("inside.md")));
        assert!(!r.escapes(&root.join("a/x.md")));
        assert!(r.escapes(&root.join("out.md")));
        assert!(r.escapes(&root.join("up")));
        assert!(!r.escapes(&root.join("broken.md")));
    }
}
