//! The front-matter splitter and the YAML it hands on, as a file of a
//! dossier would reach them: any text, then the diagnostic rendered.
#![no_main]

use std::path::Path;
use std::sync::Arc;

use dossier::diagnostic::{self, SourceFiles};
use dossier::load::{self, RawSource, frontmatter};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let path = Path::new("seeds/fuzz.md");
    let mut files = SourceFiles::default();
    files.insert(path.to_path_buf(), Arc::from(text));
    match frontmatter::split(text) {
        Ok(split) => {
            assert!(split.yaml.end <= split.body.start && split.body.end == text.len());
            assert!(text.is_char_boundary(split.yaml.start) && text.is_char_boundary(split.yaml.end));
            assert!(text.is_char_boundary(split.body.start));
            if let Err(d) = load::parse_yaml::<RawSource>(path, text, split.yaml) {
                assert!(d.span.end <= text.len() && d.span.start <= d.span.end);
                let shown = diagnostic::render(&[*d], &files, false);
                assert!(shown.contains("seeds/fuzz.md:"), "{shown}");
            }
        }
        Err(
            frontmatter::SplitError::Missing(r)
            | frontmatter::SplitError::Unclosed(r)
            | frontmatter::SplitError::TooLarge(r),
        ) => {
            assert!(r.start <= r.end && r.end <= text.len());
        }
    }
});
