//! Open-data exports of the dossier, for data journalists and for other
//! tools: everything in one JSON file (with a JSON Schema in `schema/`),
//! paragraphs and annotations as JSON Lines, the chronology as CSV,
//! iCalendar and TimelineJS, every annotation as a W3C Web Annotation
//! anchored in the source's plain text, an Atom feed, and a sitemap when
//! the site's address is known. All are written from the model, never from
//! pages, and are reproducible byte for byte: no clock, no random
//! identifier. Each is written into the sink as it is made, record by
//! record ([`stream`]): none is ever held whole, however large the dossier.

mod annotations;
mod calendar;
mod feed;
mod json;
mod lines;
mod stream;
mod structured;
mod timeline;

pub use structured::{Subject, events_by_page, json_ld};

use std::io::{self, Write};

use chrono::NaiveDate;
use rayon::prelude::*;

use super::Sink;
use super::i18n::I18n;
use super::routes::Routes;
use crate::model::{Citation, Dossier, EdtfDate};

/// The Atom feed, at the site's root: every page announces it.
pub const FEED: &str = feed::FILE;

/// Where the exports go, below the site's root.
pub const FOLDER: &str = "data";

/// What every export needs: the dossier, where its pages are, its words.
pub struct Exporter<'a> {
    pub dossier: &'a Dossier,
    pub routes: &'a Routes,
    pub i18n: &'a I18n,
    /// The site's pages, for the sitemap.
    pub pages: Vec<String>,
}

/// One export: what it writes into its file.
type Export = fn(&Exporter, &mut dyn Write) -> io::Result<()>;

impl Exporter<'_> {
    /// Writes every export into `sink`, each as it is made, the exports in
    /// parallel with each other.
    pub fn write(&self, sink: &dyn Sink) -> anyhow::Result<()> {
        let chronology = &self.routes.names.chronology;
        let mut exports: Vec<(String, Export)> = vec![
            (format!("{FOLDER}/{}", annotations::FILE), annotations::collection),
            (format!("{FOLDER}/{chronology}.csv"), calendar::csv),
            (format!("{FOLDER}/{chronology}.ics"), calendar::ics),
            (format!("{FOLDER}/timeline.json"), timeline::timeline),
            (feed::FILE.into(), feed::atom),
        ];
        if self.dossier.config.base_url.is_some() {
            exports.push(("sitemap.xml".into(), feed::sitemap));
        }
        let (exports, (joint, texts)) = rayon::join(
            || {
                exports
                    .into_par_iter()
                    .try_for_each(|(path, export)| sink.file(&path, &mut |w| export(self, w)))
            },
            || {
                rayon::join(
                    || self.write_dossier_and_lines(sink),
                    || {
                        self.dossier.sources.par_iter().try_for_each(|s| {
                            let path = format!("{FOLDER}/{}", annotations::text_path(&s.slug));
                            sink.file(&path, &mut |w| annotations::text(s, w))
                        })
                    },
                )
            },
        );
        exports.and(joint).and(texts)
    }

    /// `dossier.json`, `paragraphs.jsonl` and `annotations.jsonl`, which
    /// share their paragraphs and annotations, written together.
    fn write_dossier_and_lines(&self, sink: &dyn Sink) -> anyhow::Result<()> {
        let path = |name: &str| format!("{FOLDER}/{name}");
        sink.file(&path("dossier.json"), &mut |dossier| {
            let written = sink.file(&path("paragraphs.jsonl"), &mut |paragraphs| {
                let written = sink.file(&path("annotations.jsonl"), &mut |annotations| {
                    json::dossier_and_lines(self, dossier, paragraphs, annotations)
                });
                written.map_err(io::Error::other)
            });
            written.map_err(io::Error::other)
        })
    }

    /// A page's address: absolute under `base_url` when there is one,
    /// otherwise relative to the site's root. A path made for the purpose
    /// is taken as it is, not copied: the exports address each of a large
    /// dossier's hundreds of thousands of paragraphs.
    pub fn url<P: AsRef<str> + Into<String>>(&self, path: P) -> String {
        match &self.dossier.config.base_url {
            Some(base) => format!("{}/{}", base.trim_end_matches('/'), path.as_ref()),
            None => path.into(),
        }
    }

    /// The address of a file of the data folder as read from another file
    /// of that folder: absolute under `base_url`, otherwise relative to
    /// the folder (`texts/a.txt`), so that it resolves where it is read.
    pub fn data_url(&self, file: &str) -> String {
        match &self.dossier.config.base_url {
            Some(_) => self.url(format!("{FOLDER}/{file}")),
            None => file.to_string(),
        }
    }

    /// The address of a citation: its source's page, at the paragraph.
    pub fn citation_url(&self, c: &Citation) -> String {
        self.url(self.routes.paragraph(&self.dossier.sources[c.source].slug, c.paragraph))
    }

    /// The latest day the dossier speaks of: the "last updated" date of the
    /// feed and the calendar, which must not come from the clock.
    pub fn last_day(&self) -> NaiveDate {
        let d = self.dossier;
        let known = |date: &EdtfDate| {
            [date.earliest(), date.latest()]
                .into_iter()
                .filter(|d| *d != NaiveDate::MAX && *d != NaiveDate::MIN)
        };
        d.events
            .iter()
            .flat_map(|e| known(&e.date))
            .chain(d.sources.iter().filter_map(|s| s.published.as_ref()).flat_map(known))
            .max()
            .unwrap_or(NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date"))
    }
}

/// Citations once per paragraph, in their order: an event that cites two
/// annotations of one paragraph cites that paragraph once. (dossier.json
/// keeps every annotation: it says which words.)
pub fn paragraphs_cited(citations: &[Citation]) -> Vec<&Citation> {
    let mut seen = std::collections::HashSet::new();
    (citations.iter())
        .filter(|c| seen.insert((c.source, c.paragraph)))
        .collect()
}

/// A stable identifier for a thing of the dossier, the same on every build
/// and on every machine: a name-based UUID (SHA-256 of the dossier's title
/// and the thing's kind and slug).
pub fn stable_uuid(dossier_title: &str, kind: &str, slug: &str) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::new()
        .chain_update(dossier_title)
        .chain_update("\n")
        .chain_update(kind)
        .chain_update("\n")
        .chain_update(slug)
        .finalize();
    let mut b: [u8; 16] = digest[..16].try_into().expect("16 bytes");
    b[6] = (b[6] & 0x0f) | 0x80; // version 8: custom, name-based
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 9562 variant
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut uuid = String::with_capacity(36);
    for (i, x) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            uuid.push('-');
        }
        uuid.push(char::from(HEX[usize::from(x >> 4)]));
        uuid.push(char::from(HEX[usize::from(x & 0x0f)]));
    }
    uuid
}

/// The exports of the dossiers the tests build.
#[cfg(test)]
pub mod testing {
    use std::collections::BTreeMap;
    use std::path::Path;
    use std::sync::Mutex;

    use super::super::{Sink, layout::Layout, routes_of};
    use super::{Exporter, I18n, Routes};
    use crate::model::Dossier;

    /// Keeps every file it is given.
    #[derive(Default)]
    struct Keep(Mutex<BTreeMap<String, Vec<u8>>>);

    impl Sink for Keep {
        fn file(
            &self,
            path: &str,
            produce: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
        ) -> anyhow::Result<()> {
            let mut bytes = Vec::new();
            produce(&mut bytes)?;
            self.0.lock().unwrap().insert(path.to_string(), bytes);
            Ok(())
        }
    }

    /// A dossier of the repository, ready to export.
    pub struct Fixture {
        pub name: &'static str,
        pub dossier: Dossier,
        routes: Routes,
        i18n: I18n,
    }

    impl Fixture {
        pub fn exporter(&self) -> Exporter<'_> {
            Exporter {
                dossier: &self.dossier,
                routes: &self.routes,
                i18n: &self.i18n,
                pages: vec!["index.html".into()],
            }
        }

        /// Every export, by path.
        pub fn exports(&self) -> BTreeMap<String, Vec<u8>> {
            let keep = Keep::default();
            self.exporter().write(&keep).unwrap();
            keep.0.into_inner().unwrap()
        }

        /// An export as text.
        pub fn text(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
            String::from_utf8(files[path].clone()).unwrap()
        }
    }

    /// The repository's dossier (French, no `base_url`) and the English
    /// fixture (with one).
    pub fn fixtures() -> Vec<Fixture> {
        ["", "tests/fixtures/en-harbor"].map(load).into()
    }

    fn load(name: &'static str) -> Fixture {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
        let mut inputs = crate::load::load(&root).unwrap();
        let dossier = crate::model::build(&mut inputs).dossier.expect("a valid dossier");
        let i18n = I18n::load(&inputs.theme, &dossier.config.language).unwrap();
        let routes = routes_of(&dossier, &Layout::new(&dossier), &i18n);
        Fixture {
            name,
            dossier,
            routes,
            i18n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_stable_well_formed_and_distinct() {
        let a = stable_uuid("Mali – Russie", "event", "visite");
        assert_eq!(a, stable_uuid("Mali – Russie", "event", "visite"));
        assert_ne!(a, stable_uuid("Mali – Russie", "source", "visite"));
        assert_ne!(a, stable_uuid("Niger – Russie", "event", "visite"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "8", "version 8: {a}");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "variant: {a}");
        // As every build before gave it: ids never change.
        assert_eq!(a, "2cd64491-acf2-849f-91a2-f6994f7323eb");
    }

    #[test]
    fn cites_each_paragraph_once_in_first_order_r15() {
        let c = |source, paragraph, annotation| Citation {
            source,
            paragraph,
            annotation,
        };
        let list = [c(1, 3, 0), c(0, 2, 1), c(1, 3, 4), c(1, 4, 5), c(0, 2, 2)];
        let kept: Vec<(usize, usize)> = paragraphs_cited(&list)
            .iter()
            .map(|c| (c.source, c.paragraph))
            .collect();
        assert_eq!(kept, [(1, 3), (0, 2), (1, 4)]);
    }
}
