//! What `serve`'s threads share: the outcome of the latest build, which
//! the pages long-poll for; the pages open in a browser (those waiting);
//! the open pages of a build whose site is still being written, served
//! instead of the last good site's until it is swapped in (or taken back
//! if a build fails); and the latest generation (one per burst of edits),
//! which gives up the write of an older one.
//!
//! A page's long poll is answered with whether it must reload: whether
//! what is served changed since the version it shows. A failure with no
//! page shown first changes nothing served, so its tabs keep their page
//! (the last good build's) and show the error over it.
//!
//! Outcomes arrive from two threads (a build that fails to load is told by
//! the watcher, a written site by the writer), so each carries its
//! generation: an older generation's, coming after a newer one's, is
//! ignored.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::write::Pages;

/// The outcome of the latest build, which the pages poll for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Status {
    /// Counts builds, failed or not.
    pub(super) version: u64,
    /// The diagnostics of a failed build, as plain text.
    pub(super) error: Option<String>,
    /// Whether any build has succeeded, i.e. whether there is a site.
    pub(super) built: bool,
    /// The generation the pages show: the latest shown first or published.
    pub(super) generation: u64,
    /// The version at which what is served last changed (a site written,
    /// pages shown first, or pages shown first taken back).
    pub(super) pages_changed: u64,
}

impl Status {
    /// Whether a page served at version `seen` may no longer be what is
    /// served, and must reload.
    pub(super) fn must_reload(&self, seen: u64) -> bool {
        seen < self.pages_changed
    }
}

/// How long a page still counts as open once its long poll has been
/// answered: its tab is reloading it and will wait again. With rapid edits
/// the next build is often ready within that gap (measured: 2 bursts of
/// 14 at 1,000 sources showed no page first, waiting for the whole site).
const RELOADING: Duration = Duration::from_secs(3);

/// A page open in a browser: how many tabs wait on it, and when the last
/// wait ended.
#[derive(Debug, Clone, Copy, Default)]
struct OpenPage {
    waiting: usize,
    answered: Option<Instant>,
}

impl OpenPage {
    fn is_open(&self) -> bool {
        self.waiting > 0 || self.answered.is_some_and(|at| at.elapsed() < RELOADING)
    }
}

#[derive(Default)]
pub(super) struct Shared {
    status: Mutex<Status>,
    changed: Condvar,
    /// The pages open in a browser, by path relative to the site's root.
    open: Mutex<HashMap<String, OpenPage>>,
    /// The open pages of a build whose site is still being written,
    /// served instead of the (previous) site's, with its generation.
    first: Mutex<(u64, Arc<Pages>)>,
    /// The generation of the latest burst of edits.
    latest: AtomicU64,
}

impl Shared {
    pub(super) fn status(&self) -> Status {
        self.status.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// A new burst of edits: its generation, which makes every older
    /// one's write superseded.
    pub(super) fn begin_generation(&self) -> u64 {
        self.latest.fetch_add(1, Ordering::AcqRel) + 1
    }

    /// Whether a newer burst of edits than `generation` has begun.
    pub(super) fn is_superseded(&self, generation: u64) -> bool {
        self.latest.load(Ordering::Acquire) > generation
    }

    /// A build's outcome, once its site is written (or it failed). When
    /// its open pages were shown first, they are the site's now: the pages
    /// have reloaded already, and are told nothing more unless it failed.
    /// Pages shown first are served no more after a failure (theirs or a
    /// newer edit's): they are not the last good site's, so the tabs
    /// showing them reload into it. The outcome of a generation older than
    /// the one shown is ignored.
    pub(super) fn publish(&self, generation: u64, error: Option<String>) {
        let mut first = self.first.lock().unwrap_or_else(|e| e.into_inner());
        let mut status = self.status.lock().unwrap_or_else(|e| e.into_inner());
        if generation < status.generation {
            return;
        }
        let (shown, pages) = std::mem::take(&mut *first);
        let shown_first = !pages.is_empty();
        status.generation = generation;
        if shown_first && shown == generation && error.is_none() {
            return;
        }
        status.version += 1;
        if shown_first || error.is_none() {
            status.pages_changed = status.version;
        }
        status.built |= error.is_none();
        status.error = error;
        self.changed.notify_all();
    }

    /// Serves `pages` (of a build whose site is being written) at once, and
    /// tells the pages to reload.
    pub(super) fn show_first(&self, generation: u64, pages: Pages) {
        let mut first = self.first.lock().unwrap_or_else(|e| e.into_inner());
        let mut status = self.status.lock().unwrap_or_else(|e| e.into_inner());
        *first = (generation, Arc::new(pages));
        status.generation = generation;
        status.version += 1;
        status.pages_changed = status.version;
        status.error = None;
        self.changed.notify_all();
    }

    pub(super) fn first_page(&self, path: &str) -> Option<Vec<u8>> {
        let first = Arc::clone(&self.first.lock().unwrap_or_else(|e| e.into_inner()).1);
        first.get(path).cloned()
    }

    /// The pages open in a browser now (or reloading), sorted.
    pub(super) fn open_pages(&self) -> Vec<String> {
        let open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let mut pages: Vec<String> = open
            .iter()
            .filter(|(_, p)| p.is_open())
            .map(|(p, _)| p.clone())
            .collect();
        pages.sort();
        pages
    }

    /// Counts `page` as open while `wait` runs, and for [`RELOADING`]
    /// after.
    pub(super) fn wait_on(&self, page: Option<String>, wait: impl FnOnce() -> Status) -> Status {
        let Some(page) = page else {
            return wait();
        };
        self.open
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(page.clone())
            .or_default()
            .waiting += 1;
        let status = wait();
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(p) = open.get_mut(&page) {
            p.waiting -= 1;
            p.answered = Some(Instant::now());
        }
        open.retain(|_, p| p.is_open());
        status
    }

    /// Waits (at most [`LONG_POLL`](super::LONG_POLL)) until the version is not `seen`, or
    /// there is an error the page does not show yet.
    pub(super) fn wait(&self, seen: u64, showing_error: bool) -> Status {
        let status = self.status.lock().unwrap_or_else(|e| e.into_inner());
        let (status, _) = self
            .changed
            .wait_timeout_while(status, super::LONG_POLL, |s| {
                s.version == seen && (s.error.is_none() || showing_error)
            })
            .unwrap_or_else(|e| e.into_inner());
        status.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_returns_at_once_for_a_new_version_or_an_unseen_error() {
        let shared = Shared::default();
        shared.publish(1, Some("E0201".into()));
        let status = shared.wait(1, false);
        assert_eq!(status.error.as_deref(), Some("E0201"));
        assert_eq!(shared.wait(0, true).version, 1);
        assert!(
            !status.built && !status.must_reload(1),
            "the waiting page stays, the error over it"
        );
        shared.publish(2, None);
        let status = shared.wait(1, true);
        assert_eq!((status.version, status.error.as_deref(), status.built), (2, None, true));
        assert!(status.must_reload(1), "the first site is shown");
    }

    #[test]
    fn pages_shown_first_are_served_until_the_site_is_written() {
        let shared = Shared::default();
        shared.publish(1, None);
        shared.show_first(2, Pages::from([("index.html".to_string(), b"new".to_vec())]));
        assert_eq!(shared.status().version, 2, "the open pages reload");
        assert_eq!(shared.first_page("index.html").as_deref(), Some(&b"new"[..]));
        assert_eq!(shared.first_page("other.html"), None);
        shared.publish(2, None);
        assert_eq!(shared.status().version, 2, "and are not reloaded again");
        assert_eq!(shared.first_page("index.html"), None, "the written site serves them");
    }

    /// Issue 12: pages shown first of a build that then fails are not the
    /// last good site's: they are served no more, and their tabs reload
    /// into the last good site's pages, to show the error over them.
    #[test]
    fn pages_shown_first_of_a_failed_build_are_taken_back() {
        let shared = Shared::default();
        shared.publish(1, None);
        shared.show_first(2, Pages::from([("index.html".to_string(), b"failed".to_vec())]));
        let preview = shared.status().version;
        shared.publish(2, Some("error: disk full".into()));
        let status = shared.status();
        assert_eq!(status.error.as_deref(), Some("error: disk full"));
        assert_eq!(shared.first_page("index.html"), None, "the last good site serves it");
        assert!(
            status.must_reload(preview),
            "a tab showing the failed build's page reloads"
        );
        assert!(!status.must_reload(status.version), "once, into the last good page");
    }

    /// A build that fails without having shown anything leaves the pages as
    /// they are: the tabs show its error over the last good site's pages.
    #[test]
    fn a_failure_with_nothing_shown_first_reloads_no_tab() {
        let shared = Shared::default();
        shared.publish(1, None);
        let good = shared.status().version;
        shared.publish(2, Some("E0201".into()));
        let status = shared.status();
        assert!(status.built && !status.must_reload(good));
        shared.publish(3, Some("E0202".into()));
        assert!(!shared.status().must_reload(good), "nor does a second one");
        shared.publish(4, None);
        assert!(shared.status().must_reload(good), "a good build does");
    }

    /// A newer edit that fails to load takes back an older edit's pages
    /// shown first (its write was given up for the newer edit).
    #[test]
    fn a_newer_failure_takes_back_an_older_edits_pages() {
        let shared = Shared::default();
        shared.publish(1, None);
        shared.show_first(2, Pages::from([("index.html".to_string(), b"older".to_vec())]));
        let preview = shared.status().version;
        shared.publish(3, Some("E0201".into()));
        assert_eq!(shared.first_page("index.html"), None);
        assert!(shared.status().must_reload(preview));
    }

    /// Issue 12: a write given up for a newer edit, or one that lost the
    /// race and finished anyway, never hides the newer generation.
    #[test]
    fn an_older_generation_never_replaces_a_newer_one() {
        let shared = Shared::default();
        shared.publish(1, None);
        let older = shared.begin_generation();
        let newer = shared.begin_generation();
        assert!(shared.is_superseded(older) && !shared.is_superseded(newer));
        shared.show_first(newer, Pages::from([("index.html".to_string(), b"newer".to_vec())]));
        shared.publish(older, None);
        assert_eq!(shared.first_page("index.html").as_deref(), Some(&b"newer"[..]));
        shared.publish(newer, Some("error: E0201".into()));
        shared.publish(older, None);
        let status = shared.status();
        assert_eq!(status.error.as_deref(), Some("error: E0201"), "the newer error stays");
        assert_eq!(shared.first_page("index.html"), None);
    }

    #[test]
    fn counts_a_page_open_while_it_waits() {
        let shared = Shared::default();
        let open = shared.wait_on(Some("a.html".into()), || {
            assert_eq!(shared.open_pages(), ["a.html"]);
            shared.status()
        });
        assert_eq!(open.version, 0);
        assert_eq!(shared.open_pages(), ["a.html"], "while its tab reloads");
        shared.open.lock().unwrap().get_mut("a.html").unwrap().answered = Instant::now().checked_sub(RELOADING);
        assert!(shared.open_pages().is_empty());
    }
}
