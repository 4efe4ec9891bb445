//! The body of a source: top-level blocks, annotation brackets and
//! attributes, inline Markdown. Every span must lie inside the text, on
//! character boundaries, and every error must render.
#![no_main]

use std::path::Path;
use std::sync::Arc;

use dossier::diagnostic::{self, Diagnostic, SourceFiles};
use dossier::model::{annotation, paragraph};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let parsed = paragraph::parse_body(text, 0);
    let inside = |r: &std::ops::Range<usize>| r.start <= r.end && r.end <= text.len();
    for p in &parsed.paragraphs {
        assert!(inside(&p.span), "paragraph {:?}", p.span);
    }
    for s in &parsed.spans {
        assert!(inside(&s.raw.span), "span {:?}", s.raw.span);
        assert!(
            (1..=parsed.paragraphs.len()).contains(&s.paragraph),
            "¶ numbers start at 1"
        );
    }
    let path = Path::new("seeds/fuzz.md");
    let mut files = SourceFiles::default();
    files.insert(path.to_path_buf(), Arc::from(text));
    let diagnostics: Vec<Diagnostic> = parsed
        .errors
        .iter()
        .map(|e| {
            assert!(inside(&e.span), "error {:?}", e.span);
            Diagnostic::error(e.code, path, e.span.clone(), e.message.clone()).with_help(e.help)
        })
        .collect();
    let _ = diagnostic::render(&diagnostics, &files, false);
    // Stripping never grows the text: it only removes markup.
    let stripped = annotation::strip(text, 0);
    assert!(stripped.text.len() <= text.len());
});
