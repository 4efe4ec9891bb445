//! Writing a file over the one the recycled site has at its path (see
//! [`super::Staging::create`]), touching only the bytes that changed.
//!
//! A rebuild mostly writes what is there already. Truncating a file and
//! writing it again dirties every page of it, and on ext4 a file truncated
//! to nothing is flushed to disk when it is closed (`auto_da_alloc`), which
//! made closing files a tenth of a build's time. Here the new bytes are
//! compared with the old ones as they come, nothing is written while they
//! match, and from the first difference on they are written in place; the
//! file is cut to its new length at the end. An unchanged file keeps its
//! bytes and its modification time, which also spares `rsync` and static
//! hosts a re-upload.
//!
//! The new content is taken in blocks of [`BLOCK`] bytes, each given its
//! digest for the next build's record (see [`super::record`]). When the
//! record says what the old file holds, a block is compared by digest
//! and the old file is not read at all.

use std::fs;
use std::io;
use std::os::unix::fs::FileExt as _;

use super::record::{BLOCK, Digest, digest};

/// A file being written over; [`Overwrite::finish`] sets its length.
pub struct Overwrite {
    file: fs::File,
    /// Where the pending block starts in the file.
    at: u64,
    /// The new content's bytes not yet a whole block.
    pending: Vec<u8>,
    old: Old,
    /// The digests of the new content's blocks so far.
    blocks: Vec<Digest>,
    scratch: Vec<u8>,
}

/// What is known of the file being written over.
#[derive(Debug)]
pub enum Old {
    /// Its length only: its bytes are read and compared while the new
    /// content is the same so far.
    Unknown { len: u64, same_so_far: bool },
    /// What the previous build wrote in it, from the record: its length
    /// and its blocks' digests.
    Recorded { len: u64, blocks: Vec<Digest> },
}

impl Overwrite {
    pub fn new(file: fs::File, old: Old) -> Self {
        Overwrite {
            file,
            at: 0,
            pending: Vec::new(),
            old,
            blocks: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// Writes the last block, ends the file where the new content ends,
    /// and gives the file and the digests of its blocks.
    pub fn finish(mut self) -> io::Result<(fs::File, Vec<Digest>)> {
        if !self.pending.is_empty() {
            let last = std::mem::take(&mut self.pending);
            self.block(&last)?;
        }
        // Only this writer changes the file: it is as long as it was, or as
        // the new content if that is longer (what lies past the old end
        // cannot have matched, and was written).
        let (Old::Recorded { len, .. } | Old::Unknown { len, .. }) = self.old;
        if len != self.at {
            self.file.set_len(self.at)?;
        }
        Ok((self.file, self.blocks))
    }

    /// Writes what of one block of the new content the old file lacks.
    fn block(&mut self, new: &[u8]) -> io::Result<()> {
        let digest = digest(new);
        let kept = match &mut self.old {
            Old::Recorded { blocks, .. } if blocks.get(self.blocks.len()) == Some(&digest) => new.len(),
            Old::Recorded { .. } | Old::Unknown { same_so_far: false, .. } => 0,
            Old::Unknown { same_so_far: true, .. } => {
                let kept = self.matching(new)?;
                if let (true, Old::Unknown { same_so_far, .. }) = (kept < new.len(), &mut self.old) {
                    *same_so_far = false;
                }
                kept
            }
        };
        self.blocks.push(digest);
        if kept < new.len() {
            self.file.write_all_at(&new[kept..], self.at + kept as u64)?;
        }
        self.at += new.len() as u64;
        Ok(())
    }

    /// How many leading bytes of `new` the old file already holds at `self.at`.
    fn matching(&mut self, new: &[u8]) -> io::Result<usize> {
        self.scratch.resize(new.len(), 0);
        let mut read = 0;
        while read < new.len() {
            match self.file.read_at(&mut self.scratch[read..], self.at + read as u64) {
                Ok(0) => break,
                Ok(n) => read += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(common_prefix(&self.scratch[..read], new))
    }
}

/// How many leading bytes `a` and `b` share. Whole blocks are compared
/// first (`memcmp`), then one byte at a time in the block that differs:
/// a byte loop over every page was a few per cent of a rebuild.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let len = a.len().min(b.len());
    let mut at = 0;
    while at + BLOCK <= len && a[at..at + BLOCK] == b[at..at + BLOCK] {
        at += BLOCK;
    }
    at + a[at..len].iter().zip(&b[at..len]).take_while(|(x, y)| x == y).count()
}

/// Takes the new content in whole blocks, as it comes: straight from
/// what is given when no part of a block is pending, so that a page
/// given whole is not copied.
impl io::Write for Overwrite {
    fn write(&mut self, new: &[u8]) -> io::Result<usize> {
        let mut rest = new;
        if !self.pending.is_empty() {
            let taken = rest.len().min(BLOCK - self.pending.len());
            self.pending.extend_from_slice(&rest[..taken]);
            rest = &rest[taken..];
            if self.pending.len() < BLOCK {
                return Ok(new.len());
            }
            let mut whole = std::mem::take(&mut self.pending);
            self.block(&whole)?;
            whole.clear();
            self.pending = whole;
        }
        while rest.len() >= BLOCK {
            self.block(&rest[..BLOCK])?;
            rest = &rest[BLOCK..];
        }
        if !rest.is_empty() {
            self.pending.reserve_exact(BLOCK);
            self.pending.extend_from_slice(rest);
        }
        Ok(new.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::{BLOCK, Old, Overwrite, digest};

    fn over(old: &[u8], new: &[&[u8]]) -> (Vec<u8>, bool) {
        let len = old.len() as u64;
        over_known(old, Old::Unknown { len, same_so_far: true }, new)
    }

    /// Writes `new` over a file holding `old`, of which `known` is known;
    /// gives what the file then holds and whether it was left untouched.
    fn over_known(old: &[u8], known: Old, new: &[&[u8]]) -> (Vec<u8>, bool) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, old).unwrap();
        let before = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let file = std::fs::OpenOptions::new().read(true).write(true).open(&path).unwrap();
        let mut w = Overwrite::new(file, known);
        for chunk in new {
            w.write_all(chunk).unwrap();
        }
        let (_, blocks) = w.finish().unwrap();
        let whole = new.concat();
        let expected: Vec<_> = whole.chunks(BLOCK).map(digest).collect();
        assert_eq!(blocks, expected, "a digest for each block of the new content");
        let untouched = std::fs::metadata(&path).unwrap().modified().unwrap() == before;
        (std::fs::read(&path).unwrap(), untouched)
    }

    #[test]
    fn the_common_prefix_ends_at_the_first_difference_in_any_block() {
        let a: Vec<u8> = (0..1000u32).map(|i| (i % 251) as u8).collect();
        for at in [0, 1, 255, 256, 257, 511, 512, 999] {
            let mut b = a.clone();
            b[at] ^= 1;
            assert_eq!(super::common_prefix(&a, &b), at);
        }
        assert_eq!(super::common_prefix(&a, &a), 1000);
        assert_eq!(super::common_prefix(&a[..600], &a), 600);
        assert_eq!(super::common_prefix(&a, &a[..3]), 3);
    }

    #[test]
    fn the_same_bytes_are_not_written_again() {
        assert_eq!(over(b"abcdef", &[b"abc", b"def"]), (b"abcdef".to_vec(), true));
    }

    #[test]
    fn a_difference_is_written_from_where_it_starts() {
        assert_eq!(over(b"abcdef", &[b"abX", b"def"]).0, b"abXdef");
        assert_eq!(over(b"abcdef", &[b"abc", b"dxf"]).0, b"abcdxf");
    }

    #[test]
    fn a_shorter_or_longer_content_sets_the_length() {
        assert_eq!(over(b"abcdef", &[b"abc"]), (b"abc".to_vec(), false));
        assert_eq!(over(b"abc", &[b"abc", b"def"]), (b"abcdef".to_vec(), false));
        assert_eq!(over(b"", &[b"new"]).0, b"new");
        assert_eq!(over(b"old", &[]).0, b"");
    }

    /// The record is trusted: a block whose digest it holds is neither
    /// read nor written (here the file holds other bytes, which stay), and
    /// only the blocks that differ are written.
    #[test]
    fn a_block_the_record_knows_is_not_read_again() {
        let recorded: Vec<u8> = (0..3 * BLOCK).map(|i| (i % 251) as u8).collect();
        let mut on_disk = recorded.clone();
        on_disk[10] = b'x';
        on_disk[2 * BLOCK + 10] = b'x';
        let known = || Old::Recorded {
            len: recorded.len() as u64,
            blocks: recorded.chunks(BLOCK).map(digest).collect(),
        };
        assert_eq!(over_known(&on_disk, known(), &[&recorded]), (on_disk.clone(), true));
        let mut new = recorded.clone();
        new[BLOCK + 1] = b'y';
        let (written, _) = over_known(&on_disk, known(), &[&new[..7], &new[7..]]);
        let mut expected = on_disk.clone();
        expected[BLOCK..2 * BLOCK].copy_from_slice(&new[BLOCK..2 * BLOCK]);
        assert_eq!(written, expected, "the second block only");
    }

    #[test]
    fn a_content_shorter_or_longer_than_the_record_sets_the_length() {
        let recorded = vec![7u8; BLOCK + 5];
        let known = || Old::Recorded {
            len: recorded.len() as u64,
            blocks: recorded.chunks(BLOCK).map(digest).collect(),
        };
        let shorter = &recorded[..BLOCK];
        assert_eq!(over_known(&recorded, known(), &[shorter]).0, shorter);
        let longer = vec![7u8; BLOCK + 6];
        assert_eq!(over_known(&recorded, known(), &[&longer]).0, longer);
        assert_eq!(over_known(&recorded, known(), &[]).0, b"");
    }
}
