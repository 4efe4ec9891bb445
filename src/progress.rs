//! A progress bar for long builds: pages written out of pages to write,
//! on the terminal only, and only once a build has run for a second (a
//! small dossier builds faster than a bar could be read).

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::render::inline_code::InlineCode;
use crate::render::{Asset, Sink, Stashed};

const QUIET_FOR: Duration = Duration::from_secs(1);

/// A sink that counts the pages going through it to another sink.
pub struct Progress<'a> {
    inner: &'a dyn Sink,
    bar: ProgressBar,
    started: Instant,
    shown: OnceLock<()>,
}

impl<'a> Progress<'a> {
    pub fn new(inner: &'a dyn Sink) -> Progress<'a> {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} pages, {eta} left") {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message("writing");
        Progress {
            inner,
            bar,
            started: Instant::now(),
            shown: OnceLock::new(),
        }
    }

    fn tick(&self) {
        if self.bar.position() == 0 {
            // The time to the first page went to reading and indexing, not
            // to pages: counted in, it made the first estimate ten minutes
            // for a build of four seconds.
            self.bar.reset_eta();
        }
        self.bar.inc(1);
        if self.started.elapsed() > QUIET_FOR {
            self.shown.get_or_init(|| {
                self.bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(10));
            });
        }
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Sink for Progress<'_> {
    fn expect_pages(&self, pages: usize) {
        self.bar.set_length(pages as u64);
        self.inner.expect_pages(pages);
    }

    fn shared_asset(&self, kind: Asset, text: &str) -> String {
        self.inner.shared_asset(kind, text)
    }

    fn page(&self, path: &str, html: &[u8], code: Option<&InlineCode>) -> anyhow::Result<()> {
        self.inner.page(path, html, code)?;
        self.tick();
        Ok(())
    }

    fn stash(&self, part: &[u8]) -> anyhow::Result<Stashed> {
        self.inner.stash(part)
    }

    fn page_with_parts(&self, path: &str, frame: &[u8], parts: &[Stashed]) -> anyhow::Result<()> {
        self.inner.page_with_parts(path, frame, parts)?;
        self.tick();
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
