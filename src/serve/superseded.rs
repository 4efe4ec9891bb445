//! The write of a whole site that a newer edit has made useless: a sink
//! around the staging folder that fails at the next file (or the next
//! bytes of a long one) once a newer generation exists. The render stage
//! stops at a sink's error, the staging folder is given up without being
//! swapped in (the last good site stays served, on disk as it was; what
//! was written is kept for the next write to write over), and the newer
//! edit's build goes ahead.

use std::io::Write;

use super::shared::Shared;
use crate::render::inline_code::InlineCode;
use crate::render::{Asset, Sink, Stashed};

/// Why a write stopped: a newer generation exists.
#[derive(Debug)]
pub(super) struct Superseded;

impl std::fmt::Display for Superseded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("given up for a newer edit")
    }
}

impl std::error::Error for Superseded {}

/// `sink`, for generation `generation` until a newer one begins.
pub(super) struct UnlessSuperseded<'a> {
    pub(super) sink: &'a dyn Sink,
    pub(super) generation: u64,
    pub(super) shared: &'a Shared,
}

impl UnlessSuperseded<'_> {
    fn go_on(&self) -> Result<(), Superseded> {
        match self.shared.is_superseded(self.generation) {
            true => Err(Superseded),
            false => Ok(()),
        }
    }
}

impl Sink for UnlessSuperseded<'_> {
    fn expect_pages(&self, pages: usize) {
        self.sink.expect_pages(pages);
    }

    fn shared_asset(&self, kind: Asset, text: &str) -> String {
        self.sink.shared_asset(kind, text)
    }

    fn page(&self, path: &str, html: &[u8], code: Option<&InlineCode>) -> anyhow::Result<()> {
        self.go_on()?;
        self.sink.page(path, html, code)
    }

    fn stash(&self, part: &[u8]) -> anyhow::Result<Stashed> {
        self.go_on()?;
        self.sink.stash(part)
    }

    fn page_with_parts(&self, path: &str, frame: &[u8], parts: &[Stashed]) -> anyhow::Result<()> {
        self.go_on()?;
        self.sink.page_with_parts(path, frame, parts)
    }

    fn file(&self, path: &str, produce: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>) -> anyhow::Result<()> {
        self.go_on()?;
        self.sink
            .file(path, &mut |w| produce(&mut Stopping { w, unless: self }))
    }
}

/// A file's writer that fails once its write is superseded: the data
/// exports are a few large files.
struct Stopping<'w, 'a> {
    w: &'w mut dyn Write,
    unless: &'w UnlessSuperseded<'a>,
}

impl Write for Stopping<'_, '_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.unless.go_on().map_err(std::io::Error::other)?;
        self.w.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.w.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::Preview;

    #[test]
    fn fails_at_the_next_file_once_a_newer_generation_begins() {
        let shared = Shared::default();
        let preview = Preview::default();
        let sink = UnlessSuperseded {
            sink: &preview,
            generation: shared.begin_generation(),
            shared: &shared,
        };
        sink.page("a.html", b"<p>a</p>", None).unwrap();
        let mut written = Vec::new();
        sink.file("data.json", &mut |w| {
            w.write_all(b"[1")?;
            shared.begin_generation();
            written.push(w.write_all(b",2]").is_err());
            Ok(())
        })
        .unwrap();
        assert_eq!(written, [true], "a long file stops too");
        let error = sink.page("b.html", b"<p>b</p>", None).unwrap_err();
        assert!(error.downcast_ref::<Superseded>().is_some(), "{error}");
        assert_eq!(preview.into_pages().into_keys().collect::<Vec<_>>(), ["a.html"]);
    }
}
