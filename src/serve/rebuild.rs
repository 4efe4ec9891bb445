//! One rebuild of `serve`, in two steps on two threads. The watcher
//! prepares it: load and model with what the previous builds kept; if
//! that succeeds and pages are open in a browser, render those pages
//! first, in memory, and have them reload (a journalist sees an edit in a
//! fraction of the time the whole site takes). The writer then writes the
//! whole site and swaps it in, unless a newer edit comes first: that write
//! is given up at its next page, and the newer edit is prepared at once
//! rather than after it. Writes are one at a time, in the order of the
//! edits, so an older site is never swapped in after a newer one.
//!
//! The pages shown first are byte for byte those of the site being
//! written, so the served site is always a whole build's pages: the new
//! build's open pages, and the last good site's others until the swap. A
//! build that fails keeps the last good site, and its open pages shown
//! first are taken back: the tabs reload into the last good site's.

use std::path::Path;
use std::time::Instant;

use super::shared::Shared;
use super::superseded::{Superseded, UnlessSuperseded};
use crate::{Failure, Kept, Ready, Summary};

/// A build of the dossier that loaded and modelled without error, its
/// open pages shown: its whole site is still to be written.
pub(super) struct Prepared {
    generation: u64,
    ready: Ready,
    /// What changed, for the line printed.
    why: String,
    started: Instant,
    /// When the open pages were shown, in seconds from the start.
    first: Option<f64>,
}

/// Loads and models the dossier for `generation` and shows the open pages
/// at once; a build that fails is told here, and gives nothing to write.
pub(super) fn prepare(
    root: &Path,
    (shared, kept): (&Shared, &mut Kept),
    generation: u64,
    why: &str,
) -> Option<Prepared> {
    let started = Instant::now();
    match crate::check_cached(root, kept) {
        Ok(ready) => {
            let first = show_open_pages_first(&ready, shared, generation).then(|| started.elapsed().as_secs_f64());
            Some(Prepared {
                generation,
                ready,
                why: why.to_string(),
                started,
                first,
            })
        }
        Err(failure) => {
            shared.publish(generation, Some(report_failure(failure, shared)));
            None
        }
    }
}

/// Writes a prepared build's whole site and swaps it in for `out`, unless
/// a newer generation begins first; prints and tells what happened.
pub(super) fn write(prepared: Prepared, out: &Path, shared: &Shared) {
    let Prepared {
        generation,
        ready,
        why,
        started,
        first,
    } = prepared;
    let first = first.map(|s| format!(" (open pages in {s:.2} s)")).unwrap_or_default();
    if shared.is_superseded(generation) {
        println!("{why}whole site skipped for a newer edit{first}");
        return;
    }
    let result = write_unless_superseded(ready, out, generation, shared);
    let elapsed = started.elapsed().as_secs_f64();
    match result {
        Ok(summary) => {
            eprint!("{}", summary.diagnostics_text(crate::cli::styled()));
            println!("{why}{}{first} in {elapsed:.2} s", summary.line());
            shared.publish(generation, None);
        }
        // Whatever stopped it (the sink, or an error while a newer edit
        // waits), the newer build will tell its own outcome.
        Err(_) if shared.is_superseded(generation) => {
            println!("{why}whole site given up for a newer edit{first} after {elapsed:.2} s");
        }
        Err(failure) => shared.publish(generation, Some(report_failure(failure, shared))),
    }
}

/// The last two stages through a sink that stops once `generation` is
/// superseded; a superseded site is not swapped in, but kept for the next
/// write to write over.
fn write_unless_superseded(ready: Ready, out: &Path, generation: u64, shared: &Shared) -> Result<Summary, Failure> {
    let staging = crate::write::Staging::create(out).map_err(crate::write_failure)?;
    let sink = UnlessSuperseded {
        sink: &staging,
        generation,
        shared,
    };
    let rendered = ready.render(&sink);
    if shared.is_superseded(generation) {
        staging.give_up();
        return Err(Failure::Io(Superseded.into()));
    }
    let mut summary = rendered?;
    summary.pages_written = Some(staging.commit().map_err(crate::write_failure)?);
    Ok(summary)
}

/// Prints why a build failed, and what is served instead; the text shown
/// over the pages.
fn report_failure(failure: Failure, shared: &Shared) -> String {
    let served = match shared.status().built {
        true => "still serving the last good build",
        false => "no site to serve until a build succeeds",
    };
    match failure {
        Failure::Content(summary) => {
            eprint!("{}", summary.diagnostics_text(crate::cli::styled()));
            eprintln!("{}; {served}", summary.problem_line());
            format!("{}{}", summary.diagnostics_text(false), summary.problem_line())
        }
        Failure::Usage(message) => report_error(message, served),
        Failure::Io(err) => report_error(format!("{err:#}"), served),
    }
}

fn report_error(message: String, served: &str) -> String {
    eprintln!("error: {message}\n{served}");
    format!("error: {message}")
}

/// Renders the pages open in a browser and serves them at once, if there
/// is a site to show them in (the first build shows everything at once);
/// whether it did.
fn show_open_pages_first(ready: &Ready, shared: &Shared, generation: u64) -> bool {
    let open = shared.open_pages();
    if open.is_empty() || !shared.status().built {
        return false;
    }
    match ready.pages(&open) {
        Some(pages) if !pages.is_empty() => {
            shared.show_first(generation, pages);
            true
        }
        _ => false,
    }
}
