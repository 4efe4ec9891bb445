//! An output folder that cannot be swapped whole: a mount point (a
//! container's volume, a network share or a bind mount at `--out`). Renaming a
//! mount point fails (`EBUSY`), and nothing can be renamed across it
//! (`EXDEV`), so the site is staged *inside* the folder and its contents
//! are swapped entry by entry: the old entries are moved aside, the new
//! ones moved in. That is not atomic — a build killed in the middle leaves
//! a mix — which is why it is only the fallback.

use std::fs;
use std::io;
use std::path::Path;

/// Moves `from` to `to`: `fs::rename`, or a failure a test injects.
pub(super) type Rename = fn(&Path, &Path) -> io::Result<()>;

/// Whether `path` is a mount point: its device differs from its parent's,
/// or the kernel lists it as one. A bind mount of a folder of the same
/// file system has its parent's device, and only the list tells; without
/// it (not Linux, no `/proc`) such a swap fails with `EBUSY` and the error
/// says what to do.
pub(super) fn is_mount_point(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    let Ok(meta) = fs::symlink_metadata(path) else {
        return false;
    };
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    meta.is_dir() && (fs::metadata(parent).is_ok_and(|p| p.dev() != meta.dev()) || is_listed(path))
}

/// Whether `/proc/self/mountinfo` has `path` as a mount point.
fn is_listed(path: &Path) -> bool {
    let (Ok(path), Ok(table)) = (fs::canonicalize(path), fs::read_to_string("/proc/self/mountinfo")) else {
        return false;
    };
    mount_points(&table).any(|point| point == path.as_os_str())
}

/// The mount points of a `mountinfo` table: each line's fifth field, in
/// which the kernel writes a space, a tab, a newline and a backslash as
/// `\040`, `\011`, `\012` and `\134`.
fn mount_points(table: &str) -> impl Iterator<Item = std::ffi::OsString> + '_ {
    use std::os::unix::ffi::OsStringExt as _;
    table.lines().filter_map(|line| line.split(' ').nth(4)).map(|field| {
        let mut bytes = Vec::with_capacity(field.len());
        let mut rest = field.as_bytes();
        while let Some((&b, after)) = rest.split_first() {
            let octal = after.get(..3).filter(|d| d.iter().all(|d| (b'0'..=b'7').contains(d)));
            match octal {
                Some(d) if b == b'\\' => {
                    let value = d.iter().fold(0u32, |n, d| n * 8 + u32::from(d - b'0'));
                    bytes.push(u8::try_from(value).unwrap_or(b'?'));
                    rest = &after[3..];
                }
                _ => {
                    bytes.push(b);
                    rest = after;
                }
            }
        }
        std::ffi::OsString::from_vec(bytes)
    })
}

/// Whether a swap failed because `out` is a mount point.
pub(super) fn is_busy(e: &io::Error) -> bool {
    e.raw_os_error() == Some(libc::EBUSY)
}

/// Puts the entries of `staging` in place of those of `out`, one by one;
/// afterwards `staging` holds the old entries. `staging` may be inside
/// `out` (it is then left where it is).
pub(super) fn swap_contents(staging: &Path, out: &Path, rename: Rename) -> anyhow::Result<()> {
    let hold = staging.join(".dossier-old");
    fs::create_dir(&hold)?;
    for name in names(out, staging)? {
        moved(rename, &out.join(&name), &hold.join(&name))?;
    }
    for name in names(staging, &hold)? {
        moved(rename, &staging.join(&name), &out.join(&name))?;
    }
    for name in names(&hold, &hold)? {
        moved(rename, &hold.join(&name), &staging.join(&name))?;
    }
    fs::remove_dir(&hold)?;
    Ok(())
}

/// The names in `dir`, without `skip` (the staging folder inside it).
fn names(dir: &Path, skip: &Path) -> io::Result<Vec<std::ffi::OsString>> {
    let mut names = vec![];
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.path() != skip {
            names.push(entry.file_name());
        }
    }
    names.sort();
    Ok(names)
}

fn moved(rename: Rename, from: &Path, to: &Path) -> anyhow::Result<()> {
    rename(from, to).map_err(|e| anyhow::anyhow!("moving `{}` to `{}`: {e}", from.display(), to.display()))
}

/// What to tell the user when even the entry-by-entry swap failed.
pub(super) fn failed(out: &Path, staging: &Path, e: &anyhow::Error) -> String {
    format!(
        "`{}` could not be replaced whole (it is a mount point) nor entry by entry ({e}); the new site is in `{}`. Build into a folder inside it instead (--out {}/site), or into a folder that is not a mount point",
        out.display(),
        staging.display(),
        out.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(dir: &Path) -> Vec<String> {
        let mut files: Vec<String> = walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                match fs::read_to_string(e.path()) {
                    Ok(text) => format!("{rel}={text}"),
                    Err(_) => rel,
                }
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn swaps_the_contents_with_a_staging_folder_inside_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = out.join(".dossier-tmp-1");
        fs::create_dir_all(out.join("old")).unwrap();
        fs::write(out.join("index.html"), "old").unwrap();
        fs::write(out.join("old/page.html"), "old").unwrap();
        fs::create_dir_all(staging.join("new")).unwrap();
        fs::write(staging.join("index.html"), "new").unwrap();
        fs::write(staging.join("new/page.html"), "new").unwrap();
        swap_contents(&staging, &out, |a, b| fs::rename(a, b)).unwrap();
        assert_eq!(
            tree(&out),
            [
                ".dossier-tmp-1",
                ".dossier-tmp-1/index.html=old",
                ".dossier-tmp-1/old",
                ".dossier-tmp-1/old/page.html=old",
                "index.html=new",
                "new",
                "new/page.html=new"
            ]
        );
    }

    #[test]
    fn reads_the_mount_points_the_kernel_lists() {
        let table = "22 1 254:0 / / rw - ext4 /dev/vda rw\n\
                     43 22 254:0 /srv/site /work/my\\040site rw,relatime - ext4 /dev/vda rw\n\
                     44 22 0:5 / /a\\134b\\011c rw - tmpfs tmpfs rw\n\
                     short line\n\
                     45 22 0:6 / /odd\\9x\\400 rw - tmpfs tmpfs rw\n";
        let points: Vec<_> = mount_points(table).collect();
        assert_eq!(points, ["/", "/work/my site", "/a\\b\tc", "/odd\\9x?"]);
        assert!(is_listed(Path::new("/")) || !Path::new("/proc/self/mountinfo").exists());
    }

    #[test]
    fn names_the_mount_point_when_even_the_entries_cannot_move() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = dir.path().join(".public.dossier-tmp-1");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("index.html"), "old").unwrap();
        fs::create_dir_all(&staging).unwrap();
        let cross_device: Rename = |_, _| Err(io::Error::from_raw_os_error(libc::EXDEV));
        let e = swap_contents(&staging, &out, cross_device).unwrap_err();
        let message = failed(&out, &staging, &e);
        assert!(message.contains("(it is a mount point)"), "{message}");
        assert!(message.contains("--out"), "{message}");
        assert!(!is_mount_point(&out), "a folder of the temporary file system");
    }
}
