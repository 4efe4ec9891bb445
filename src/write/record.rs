//! What dossier wrote into a site's folder, kept beside it, so that a
//! rebuild knows what a file of the previous site holds without reading
//! it: for each file, its stamp once written (inode, length, modification
//! and change times) and the digest of each [`BLOCK`] of its bytes.
//!
//! A rebuild writes over the site of two builds before (see
//! [`super::Staging::create`]). A file whose stamp is still the one
//! recorded holds what was recorded: its blocks are compared by digest,
//! and only those that differ are written. Any other file is compared
//! byte for byte, as if there were no record. Reading the previous site
//! to compare it was a tenth of a rebuild's CPU at 10,000 sources, and
//! at 100,000 its 15 GB no longer fit in memory and came from the disk.
//!
//! The record is only ever a hint to skip work: a missing, unreadable or
//! foreign record means comparing bytes. The stamp catches any change
//! made to a file since it was recorded: a write, a truncation, a copy
//! over it, or a file put in its place, each set the change time to the
//! clock's time then, which no call can set to a chosen value. Three
//! cases it cannot catch are kept out otherwise:
//! - a write in the same tick of the file system's clock as the recorded
//!   one, after it: as git does for its index ("racy git"), files whose
//!   change time is not before the record's seal are not trusted, and
//!   the seal is taken before the new site is swapped in;
//! - a crash of the machine, after which a file's new times may be on
//!   the disk and its new bytes not: a record is trusted only in the boot
//!   it was made in (the kernel's boot id);
//! - the clock set back to the very nanosecond of a recorded time.
//!
//! The digests are BLAKE3's, whole (256 bits): no text can be made to
//! pass for another, so a correction is never taken for the page it
//! corrects.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

/// The bytes each digest covers.
pub const BLOCK: usize = 64 * 1024;

pub type Digest = [u8; 32];

/// The digest of one block.
pub fn digest(block: &[u8]) -> Digest {
    *blake3::hash(block).as_bytes()
}

/// The kernel's identifier of this boot; `None` where there is none,
/// and then no record is trusted.
fn this_boot() -> Option<String> {
    let id = fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?;
    Some(id.trim().to_string()).filter(|id| !id.is_empty())
}

/// What changes when a file's content does, as the file system says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stamp {
    pub inode: u64,
    pub len: u64,
    pub modified: (i64, i64),
    pub changed: (i64, i64),
}

impl Stamp {
    #[cfg(unix)]
    pub fn of(meta: &fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt as _;
        Stamp {
            inode: meta.ino(),
            len: meta.len(),
            modified: (meta.mtime(), meta.mtime_nsec()),
            changed: (meta.ctime(), meta.ctime_nsec()),
        }
    }
}

/// One file as dossier wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Written {
    pub stamp: Stamp,
    pub blocks: Vec<Digest>,
}

/// A folder (by device and inode, which a rename keeps) and its files
/// as dossier wrote them, by path inside the folder.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Record {
    pub folder: (u64, u64),
    /// The change time of the record file when the record was made:
    /// a file changed at that time or later is not trusted.
    pub sealed: (i64, i64),
    /// The boot the record was made in.
    pub boot: String,
    pub files: FxHashMap<String, Written>,
}

/// The identity of a folder, if it has one.
#[cfg(unix)]
pub fn folder_id(dir: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt as _;
    let meta = fs::symlink_metadata(dir).ok()?;
    meta.is_dir().then(|| (meta.dev(), meta.ino()))
}

/// Where the records of an output named `out_name` are kept, in `parent`:
/// a hidden folder (which the `.NAME.dossier-*/` line of a dossier's
/// `.gitignore` already covers), holding one file.
pub fn place(parent: &Path, out_name: &str) -> PathBuf {
    parent.join(format!(".{out_name}.dossier-record")).join("written")
}

const MAGIC: &[u8] = b"dossier record 3\n";

/// The most a record file is read of: that of a site of 1,000 sources
/// (150 MB in 2,768 files) and its previous site is 1 MB.
const MAX_LEN: u64 = 1 << 30;

/// A record as kept, not read any further: the output's, kept for when
/// it is recycled in turn, is only ever copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub folder: (u64, u64),
    bytes: Vec<u8>,
}

impl Kept {
    /// The record's files, those changed at or after the record was made
    /// left out; `None` if it cannot be read or was made in another boot.
    pub fn files(&self) -> Option<FxHashMap<String, Written>> {
        let mut record = decode(&self.bytes)?;
        if Some(&record.boot) != this_boot().as_ref() {
            return None;
        }
        let sealed = record.sealed;
        record.files.retain(|_, w| w.stamp.changed < sealed);
        Some(record.files)
    }
}

/// The records kept at `file`; none if there is no file or it cannot be
/// read as records.
pub fn read(file: &Path) -> Vec<Kept> {
    read_regular(file).and_then(|bytes| split(&bytes)).unwrap_or_default()
}

/// The bytes of `file` if it is a regular file (never through a link,
/// never waiting on a pipe) of at most [`MAX_LEN`] bytes.
fn read_regular(file: &Path) -> Option<Vec<u8>> {
    use std::io::Read as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(file)
        .ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() > MAX_LEN {
        return None;
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).ok()?);
    file.take(MAX_LEN).read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

fn split(bytes: &[u8]) -> Option<Vec<Kept>> {
    let mut input = Input(bytes.strip_prefix(MAGIC)?);
    let mut records = Vec::new();
    while !input.0.is_empty() {
        let folder = (input.u64()?, input.u64()?);
        let len = input.count(1)?;
        let bytes = input.take(len)?.to_vec();
        records.push(Kept { folder, bytes });
    }
    Some(records)
}

/// A record file begun: its seal taken, its records to come.
pub struct Sealed {
    file: fs::File,
    temporary: PathBuf,
    place: PathBuf,
    sealed: (i64, i64),
    boot: Option<String>,
}

/// Begins the record file at `place` once every file of the new record
/// is written, before the site is swapped in: its change time, from the
/// clock that stamps the files, is the new record's seal.
pub fn seal(place: &Path) -> io::Result<Sealed> {
    let dir = place.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let temporary = place.with_extension(format!("{}.tmp", std::process::id()));
    let file = fs::File::create(&temporary)?;
    let sealed = Stamp::of(&file.metadata()?).changed;
    Ok(Sealed {
        file,
        temporary,
        place: place.to_path_buf(),
        sealed,
        boot: this_boot(),
    })
}

impl Sealed {
    /// Keeps `new`, with this seal, and `kept`, replacing the record file
    /// in one rename once its bytes are on the disk.
    pub fn keep(mut self, mut new: Record, kept: Option<&Kept>) -> io::Result<()> {
        new.sealed = self.sealed;
        new.boot = self.boot.take().unwrap_or_default();
        let new = Kept {
            folder: new.folder,
            bytes: encode(&new),
        };
        let mut bytes = MAGIC.to_vec();
        for record in std::iter::once(&new).chain(kept) {
            bytes.extend_from_slice(&record.folder.0.to_le_bytes());
            bytes.extend_from_slice(&record.folder.1.to_le_bytes());
            bytes.extend_from_slice(&(record.bytes.len() as u64).to_le_bytes());
            bytes.extend_from_slice(&record.bytes);
        }
        self.file.write_all(&bytes)?;
        self.file.sync_data()?;
        fs::rename(&self.temporary, &self.place)
    }
}

impl Drop for Sealed {
    /// A record file not kept leaves nothing (once kept, it has moved).
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.temporary);
    }
}

fn encode(record: &Record) -> Vec<u8> {
    let mut out = Vec::new();
    let put = |out: &mut Vec<u8>, n: u64| out.extend_from_slice(&n.to_le_bytes());
    put(&mut out, record.sealed.0 as u64);
    put(&mut out, record.sealed.1 as u64);
    put(&mut out, record.boot.len() as u64);
    out.extend_from_slice(record.boot.as_bytes());
    let mut files: Vec<_> = record.files.iter().collect();
    files.sort_unstable_by(|a, b| a.0.cmp(b.0));
    for (path, written) in files {
        put(&mut out, path.len() as u64);
        out.extend_from_slice(path.as_bytes());
        let s = &written.stamp;
        for n in [s.inode, s.len, s.modified.0 as u64, s.modified.1 as u64] {
            put(&mut out, n);
        }
        put(&mut out, s.changed.0 as u64);
        put(&mut out, s.changed.1 as u64);
        put(&mut out, written.blocks.len() as u64);
        for block in &written.blocks {
            out.extend_from_slice(block);
        }
    }
    out
}

/// Reads what [`encode`] wrote; `None` at the first thing out of place.
/// Every count is checked against the bytes left before anything is
/// allocated for it.
fn decode(bytes: &[u8]) -> Option<Record> {
    let mut input = Input(bytes);
    let sealed = (input.i64()?, input.i64()?);
    let len = input.count(1)?;
    let boot = std::str::from_utf8(input.take(len)?).ok()?.to_string();
    let mut record = Record {
        sealed,
        boot,
        ..Record::default()
    };
    while !input.0.is_empty() {
        let len = input.count(1)?;
        let path = std::str::from_utf8(input.take(len)?).ok()?.to_string();
        let stamp = Stamp {
            inode: input.u64()?,
            len: input.u64()?,
            modified: (input.i64()?, input.i64()?),
            changed: (input.i64()?, input.i64()?),
        };
        let blocks = input.count(32)?;
        let blocks = (0..blocks)
            .map(|_| input.take(32).and_then(|b| b.try_into().ok()))
            .collect::<Option<Vec<Digest>>>()?;
        record.files.insert(path, Written { stamp, blocks });
    }
    Some(record)
}

struct Input<'a>(&'a [u8]);

impl<'a> Input<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (taken, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(taken)
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn i64(&mut self) -> Option<i64> {
        Some(self.u64()? as i64)
    }

    /// A count of things of at least `each` bytes, which the bytes left
    /// must be able to hold.
    fn count(&mut self, each: usize) -> Option<usize> {
        let n = usize::try_from(self.u64()?).ok()?;
        (n.checked_mul(each)? <= self.0.len()).then_some(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        let mut files = FxHashMap::default();
        let stamp = |changed| Stamp {
            inode: 7,
            len: 70_000,
            modified: (5, 6),
            changed,
        };
        files.insert(
            "sources/a.html".to_string(),
            Written {
                stamp: stamp((10, 5)),
                blocks: vec![digest(b"one"), digest(b"two")],
            },
        );
        files.insert(
            "index.html".to_string(),
            Written {
                stamp: stamp((10, 9)),
                blocks: vec![],
            },
        );
        Record {
            folder: (1, 2),
            sealed: (10, 9),
            boot: this_boot().expect("Linux says which boot this is"),
            files,
        }
    }

    #[test]
    fn reads_what_it_wrote() {
        let mut expected = record();
        expected.folder = (0, 0);
        assert_eq!(decode(&encode(&record())), Some(expected));
    }

    #[test]
    fn refuses_anything_out_of_place() {
        let bytes = encode(&record());
        for cut in [0, 8, 16 + 8, bytes.len() - 1] {
            assert_eq!(decode(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode(&longer), None);
        // A count larger than the bytes left allocates nothing.
        let mut huge = vec![0; 16];
        huge.extend_from_slice(&u64::MAX.to_le_bytes());
        assert_eq!(decode(&huge), None);
        let mut file = MAGIC.to_vec();
        file.extend_from_slice(&[0; 16]);
        file.extend_from_slice(&u64::MAX.to_le_bytes());
        assert_eq!(split(&file), None);
    }

    #[test]
    fn a_missing_or_broken_record_is_no_record() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("written");
        assert!(read(&file).is_empty());
        fs::write(&file, [MAGIC, b"broken"].concat()).unwrap();
        assert!(read(&file).is_empty());
        fs::write(&file, b"dossier record 2\n").unwrap();
        assert!(read(&file).is_empty(), "another version is no record");
    }

    /// A link is not followed and a pipe not waited on: the build goes on
    /// without a record.
    #[test]
    fn reads_only_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        let mut old = MAGIC.to_vec();
        old.extend_from_slice(&[0; 16]);
        old.extend_from_slice(&0u64.to_le_bytes());
        fs::write(&real, &old).unwrap();
        assert_eq!(read(&real).len(), 1);
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert!(read(&link).is_empty());
        let pipe = dir.path().join("pipe");
        let name = std::ffi::CString::new(pipe.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        assert!(read(&pipe).is_empty());
    }

    /// After a crash a file's new times may be on the disk without its new
    /// bytes: a record of another boot is not trusted.
    #[test]
    fn a_record_of_another_boot_is_not_trusted() {
        let kept = |boot: &str| Kept {
            folder: (1, 2),
            bytes: encode(&Record {
                boot: boot.to_string(),
                ..record()
            }),
        };
        assert_eq!(kept(&this_boot().unwrap()).files().map(|f| f.len()), Some(1));
        assert_eq!(kept("another boot").files(), None);
        assert_eq!(kept("").files(), None);
    }

    /// A file changed in the tick the record was made in may have changed
    /// after it was stamped: it is not trusted. A kept record is copied
    /// as it was, its seal with it.
    #[test]
    fn keeps_a_new_record_sealed_by_the_file_systems_clock_and_an_old_one_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let file = place(dir.path(), "public");
        let old = Kept {
            folder: (1, 2),
            bytes: encode(&record()),
        };
        let mut new = record();
        new.folder = (3, 4);
        seal(&file).unwrap().keep(new, Some(&old)).unwrap();
        let read = read(&file);
        assert_eq!(read.len(), 2);
        assert_eq!(read[0].folder, (3, 4));
        assert_eq!(
            read[0].files().unwrap().len(),
            2,
            "sealed after both files were changed"
        );
        assert_eq!(read[1], old);
        let files = read[1].files().unwrap();
        let paths: Vec<_> = files.keys().collect();
        assert_eq!(paths, ["sources/a.html"], "changed as late as the seal: left out");
        assert_eq!(
            fs::read_dir(file.parent().unwrap()).unwrap().count(),
            1,
            "no temporary file is left"
        );
    }
}
