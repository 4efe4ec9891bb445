//! What a long build shows on a terminal: the stage it is in (reading,
//! checking, indexing), then the pages written out of pages to write, then
//! the swap of the new site for the old. Nothing for the first second (a
//! small dossier builds faster than a bar could be read), and nothing when
//! standard error is not a terminal (the caller decides).

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::render::inline_code::InlineCode;
use crate::render::{Asset, Sink, Stashed};

const QUIET_FOR: Duration = Duration::from_secs(1);
/// How often the spinner turns while a stage shows no count.
const SPIN_EVERY: Duration = Duration::from_millis(100);

/// The build's progress, shown once it has run for [`QUIET_FOR`]; cleared
/// from the terminal when dropped, even by a panic.
pub struct Progress {
    bar: ProgressBar,
    /// Dropped when the build is over: wakes the thread that would show
    /// the bar, which then leaves it hidden.
    over: Option<Sender<()>>,
    /// That thread.
    watcher: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts counting time; shows on standard error after a second.
    pub fn start() -> Progress {
        Progress::showing_after(QUIET_FOR, ProgressDrawTarget::stderr_with_hz(10))
    }

    fn showing_after(delay: Duration, target: ProgressDrawTarget) -> Progress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        let shown = bar.clone();
        let (over, build_over) = mpsc::channel::<()>();
        // A thread, not a check on each page: the first stages of a large
        // dossier (reading, checking) run for seconds with no page written.
        let watcher = std::thread::spawn(move || {
            if build_over.recv_timeout(delay) == Err(RecvTimeoutError::Timeout) {
                shown.set_draw_target(target);
                shown.enable_steady_tick(SPIN_EVERY);
            }
        });
        Progress {
            bar,
            over: Some(over),
            watcher: Some(watcher),
        }
    }

    /// The stage the build is in, beside a spinner.
    pub fn stage(&self, name: &str) {
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
            self.bar.set_style(style);
        }
        self.bar.set_message(name.to_string());
    }

    /// The pages stage: a sink that counts the pages going through it to
    /// `inner`.
    pub fn pages<'a>(&'a self, inner: &'a dyn Sink) -> Pages<'a> {
        Pages { progress: self, inner }
    }

    fn expect_pages(&self, pages: usize) {
        self.bar.set_length(pages as u64);
        let template = "{spinner} {msg} [{bar:30}] {pos}/{len} pages, {eta} left";
        if let Ok(style) = ProgressStyle::with_template(template) {
            self.bar.set_style(style.progress_chars("=> "));
        }
        self.bar.set_message("writing");
    }

    fn page_written(&self) {
        if self.bar.position() == 0 {
            // The time to the first page went to reading and indexing, not
            // to pages: counted in, it made the first estimate ten minutes
            // for a build of four seconds.
            self.bar.reset_eta();
        }
        self.bar.inc(1);
    }
}

impl Drop for Progress {
    /// Wakes the thread that would show the bar (it returns at once, the
    /// bar hidden) and clears the bar if it was shown.
    fn drop(&mut self) {
        self.over.take();
        if let Some(watcher) = self.watcher.take() {
            let _ = watcher.join();
        }
        self.bar.finish_and_clear();
    }
}

/// [`Progress`] as the sink of the pages stage.
pub struct Pages<'a> {
    progress: &'a Progress,
    inner: &'a dyn Sink,
}

impl Sink for Pages<'_> {
    fn expect_pages(&self, pages: usize) {
        self.progress.expect_pages(pages);
        self.inner.expect_pages(pages);
    }

    fn shared_asset(&self, kind: Asset, text: &str) -> String {
        self.inner.shared_asset(kind, text)
    }

    fn page(&self, path: &str, html: &[u8], code: Option<&InlineCode>) -> anyhow::Result<()> {
        self.inner.page(path, html, code)?;
        self.progress.page_written();
        Ok(())
    }

    fn stash(&self, part: &[u8]) -> anyhow::Result<Stashed> {
        self.inner.stash(part)
    }

    fn page_with_parts(&self, path: &str, frame: &[u8], parts: &[Stashed]) -> anyhow::Result<()> {
        self.inner.page_with_parts(path, frame, parts)?;
        self.progress.page_written();
        Ok(())
    }

    fn file(
        &self,
        path: &str,
        produce: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        self.inner.file(path, produce)
    }
}

#[cfg(test)]
mod tests {
    use std::io;
    use std::sync::{Arc, Mutex};

    use indicatif::TermLike;

    use super::*;
    use crate::render::Discard;

    /// A terminal that keeps every line drawn on it.
    #[derive(Debug, Clone, Default)]
    struct Screen(Arc<Mutex<Vec<String>>>);

    impl Screen {
        fn lines(&self) -> Vec<String> {
            self.0.lock().unwrap().clone()
        }
    }

    impl TermLike for Screen {
        fn width(&self) -> u16 {
            100
        }
        fn move_cursor_up(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> io::Result<()> {
            self.write_str(s)
        }
        fn write_str(&self, s: &str) -> io::Result<()> {
            if !s.is_empty() {
                self.0.lock().unwrap().push(s.to_string());
            }
            Ok(())
        }
        fn clear_line(&self) -> io::Result<()> {
            Ok(())
        }
        fn flush(&self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Waits (at most five seconds) for the screen to show `words`.
    fn shows(screen: &Screen, words: &str) -> bool {
        (0..500).any(|_| {
            let found = screen.lines().iter().any(|line| line.contains(words));
            if !found {
                std::thread::sleep(Duration::from_millis(10));
            }
            found
        })
    }

    #[test]
    fn shows_each_stage_then_the_pages_written() {
        let screen = Screen::default();
        let progress = Progress::showing_after(Duration::ZERO, ProgressDrawTarget::term_like(Box::new(screen.clone())));
        progress.stage("reading");
        assert!(shows(&screen, "reading"), "{:?}", screen.lines());
        progress.stage("checking");
        assert!(shows(&screen, "checking"), "{:?}", screen.lines());
        let pages = progress.pages(&Discard);
        pages.expect_pages(3);
        for path in ["a.html", "b.html"] {
            pages.page(path, b"", None).unwrap();
        }
        pages.page_with_parts("dossier.html", b"", &[]).unwrap();
        assert!(shows(&screen, "3/3 pages"), "{:?}", screen.lines());
        drop(progress);
    }

    #[test]
    fn a_build_over_within_its_quiet_time_shows_nothing() {
        let screen = Screen::default();
        let an_hour = Duration::from_secs(3600);
        let progress = Progress::showing_after(an_hour, ProgressDrawTarget::term_like(Box::new(screen.clone())));
        progress.stage("reading");
        let pages = progress.pages(&Discard);
        pages.expect_pages(1);
        pages.page("a.html", b"", None).unwrap();
        // Returns at once: the end of the build wakes the waiting thread.
        drop(progress);
        assert_eq!(screen.lines(), Vec::<String>::new());
    }
}
