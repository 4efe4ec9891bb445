//! One rebuild of `serve`: load and model with what the previous builds
//! kept; if that succeeds and pages are open in a browser, render those
//! pages first, in memory, and have them reload (a journalist sees an edit
//! in a fraction of the time the whole site takes); then write the whole
//! site and swap it in. The pages shown first are byte for byte those of
//! the site being written, so the served site is always a whole build's
//! pages: the new build's open pages, and the last good site's others
//! until the swap. A build that fails keeps the last good site.

use std::path::Path;
use std::time::Instant;

use super::shared::Shared;
use crate::{Failure, Kept};

/// Builds the dossier into `out` and tells the pages; prints what happened.
pub(super) fn rebuild(root: &Path, out: &Path, (shared, kept): (&Shared, &mut Kept), why: &str) {
    let started = Instant::now();
    let mut first = None;
    let result = crate::check_cached(root, kept).and_then(|ready| {
        first = show_open_pages_first(&ready, shared).then(|| started.elapsed().as_secs_f64());
        ready.write(out)
    });
    let elapsed = started.elapsed().as_secs_f64();
    let first = first.map(|s| format!(" (open pages in {s:.2} s)")).unwrap_or_default();
    let styled = crate::cli::styled();
    let error = match result {
        Ok(summary) => {
            eprint!("{}", summary.diagnostics_text(styled));
            println!("{why}{}{first} in {elapsed:.2} s", summary.line());
            None
        }
        Err(Failure::Content(summary)) => {
            eprint!("{}", summary.diagnostics_text(styled));
            eprintln!("{}; still serving the last good build", summary.problem_line());
            Some(format!("{}{}", summary.diagnostics_text(false), summary.problem_line()))
        }
        Err(Failure::Usage(message)) => Some(report_error(message)),
        Err(Failure::Io(err)) => Some(report_error(format!("{err:#}"))),
    };
    shared.publish(error);
}

fn report_error(message: String) -> String {
    eprintln!("error: {message}");
    format!("error: {message}")
}

/// Renders the pages open in a browser and serves them at once, if there
/// is a site to show them in (the first build shows everything at once);
/// whether it did.
fn show_open_pages_first(ready: &crate::Ready, shared: &Shared) -> bool {
    let open = shared.open_pages();
    if open.is_empty() || !shared.status().built {
        return false;
    }
    match ready.pages(&open) {
        Some(pages) if !pages.is_empty() => {
            shared.show_first(pages);
            true
        }
        _ => false,
    }
}
