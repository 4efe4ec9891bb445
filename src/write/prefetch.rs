//! Asks the kernel to read the recycled site's files ahead of the build.
//!
//! A rebuild compares each new file with the old one at its path (see
//! [`super::overwrite`]), so it reads the whole previous site. When that
//! site is not in the page cache (100,000 sources make 15 GB), each of its
//! small files costs the writing thread a wait on the disk, with the CPU
//! idle: the kernel reads ahead within a file, not across files. A thread
//! here walks the files in path order and asks for each to be read
//! (`posix_fadvise(WILLNEED)`, which starts the reads and returns), so
//! that the disk works while the pages are rendered. Measured at 100,000
//! sources with the cache emptied before each build: 91 and 101 s instead
//! of 135 and 123 s. When the files are in memory already, as a small
//! site's are, asking for them cost 4 % of a build's CPU at 1,000 sources:
//! the thread first reads a byte of a few of them without waiting
//! (`preadv2(RWF_NOWAIT)`), and asks for nothing when all of those are
//! cached.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

/// The reading-ahead thread; stopped and joined when dropped.
pub struct Prefetch {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<usize>>,
}

impl Prefetch {
    /// Starts reading `files` ahead, in path order (the order the build's
    /// lists and sources come in, near enough).
    pub fn start(mut files: Vec<PathBuf>) -> Prefetch {
        files.sort_unstable();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("prefetch".into())
            .spawn(move || read_ahead(&files, &stopped, is_cached))
            .ok();
        Prefetch { stop, thread }
    }
}

/// Asks for `files` to be read, unless those probed are all `cached`, until
/// `stop`; gives how many it asked for.
fn read_ahead(files: &[PathBuf], stop: &AtomicBool, cached: impl Fn(&std::path::Path) -> bool) -> usize {
    if !any_uncached(files, cached) {
        return 0;
    }
    files
        .iter()
        .take_while(|_| !stop.load(Ordering::Relaxed))
        .filter(|path| advise_will_need(path))
        .count()
}

impl Drop for Prefetch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// How many files, spread over the site, show whether it is in memory.
const PROBES: usize = 16;

/// Whether any of [`PROBES`] files spread evenly over `files` is not in
/// the page cache, as `cached` tells.
fn any_uncached(files: &[PathBuf], cached: impl Fn(&std::path::Path) -> bool) -> bool {
    let step = files.len().div_ceil(PROBES).max(1);
    files.iter().step_by(step).any(|f| !cached(f))
}

/// Whether the first byte of `path` is in the page cache: read without
/// waiting for the disk. A file that cannot be read counts as cached:
/// there is nothing to read ahead.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn is_cached(path: &std::path::Path) -> bool {
    use std::os::fd::AsRawFd as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let Ok(file) = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
    else {
        return true;
    };
    let mut byte = 0u8;
    let buffer = libc::iovec {
        iov_base: (&raw mut byte).cast(),
        iov_len: 1,
    };
    // SAFETY: one valid iovec of one byte, alive for the call.
    let read = unsafe { libc::preadv2(file.as_raw_fd(), &raw const buffer, 1, 0, libc::RWF_NOWAIT) };
    read >= 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::EAGAIN)
}

/// Without a way to ask, every site counts as on disk.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn is_cached(_path: &std::path::Path) -> bool {
    false
}

/// A hint, whether it was given: failing to open or advise a file changes
/// nothing but speed. Opened without blocking: a named pipe put where a
/// file was would otherwise hold the thread, and the build joining it.
#[cfg(target_os = "linux")]
fn advise_will_need(path: &std::path::Path) -> bool {
    use std::os::fd::AsRawFd as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let Ok(file) = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
    else {
        return false;
    };
    // SAFETY: the descriptor is open for the call; the kernel only
    // schedules reads of the file's pages.
    unsafe { libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_WILLNEED) == 0 }
}

#[cfg(not(target_os = "linux"))]
fn advise_will_need(_path: &std::path::Path) -> bool {
    false
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn asks_for_each_file_that_is_there_until_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let files: Vec<PathBuf> = ["a.html", "b.html", "gone.html"]
            .iter()
            .map(|f| dir.path().join(f))
            .collect();
        std::fs::write(&files[0], "a").unwrap();
        std::fs::write(&files[1], "b").unwrap();
        let on_disk = |_: &std::path::Path| false;
        assert_eq!(read_ahead(&files, &AtomicBool::new(false), on_disk), 2);
        assert_eq!(read_ahead(&files, &AtomicBool::new(true), on_disk), 0);
        assert_eq!(read_ahead(&files, &AtomicBool::new(false), |_| true), 0);
    }

    /// A named pipe in place of a file neither blocks the thread nor is
    /// read: the build waits for the thread when it ends.
    #[test]
    fn a_named_pipe_does_not_hold_the_thread() {
        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join("a.html");
        let name = std::ffi::CString::new(pipe.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let probed = is_cached(&pipe);
            done.send(read_ahead(&[pipe], &AtomicBool::new(false), |_| false) + usize::from(probed))
        });
        let finished = finished.recv_timeout(std::time::Duration::from_secs(20));
        assert!(finished.is_ok(), "the thread is still opening the pipe");
    }

    /// A site in memory is not asked for: sixteen files spread over it,
    /// the first among them, say so; one of them on disk is enough to ask.
    #[test]
    fn asks_only_when_a_probed_file_is_not_in_memory() {
        let files: Vec<PathBuf> = (0..1_000).map(|i| PathBuf::from(format!("{i:04}"))).collect();
        let probed = std::cell::RefCell::new(Vec::new());
        let all_cached = |f: &std::path::Path| {
            probed.borrow_mut().push(f.to_path_buf());
            true
        };
        assert!(!any_uncached(&files, all_cached));
        let probed = probed.into_inner();
        assert_eq!(probed.len(), PROBES);
        assert_eq!(probed.first(), Some(&files[0]));
        assert!(any_uncached(&files, |f| f != files[945]));
        assert!(!any_uncached(&files[..3], |_| true));
        assert!(any_uncached(&files[..3], |f| f != files[2]));
    }

    #[cfg(target_env = "gnu")]
    #[test]
    fn a_file_just_written_is_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.html");
        std::fs::write(&file, "a").unwrap();
        assert!(is_cached(&file));
    }
}
