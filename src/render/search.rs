//! The search index, built at render time and written as classic-script
//! shards beside the search page, which loads only those a query needs
//! (`<script src>` works from `file://`, where `fetch`, modules and
//! WebAssembly do not).
//!
//! Documents are the sources' paragraphs (linking to their ¶) and the
//! dossier's sectors, actors, events and figures, numbered in that order.
//! Terms are normalised for matching — lower case, accents removed,
//! ligatures spelled out (`œ` → `oe`), split on anything that is not a
//! letter or a digit, so that the typographic apostrophe separates
//! `l’énergie` into `l` and `energie`; a script written without spaces
//! is indexed as pairs of characters (see [`words`]) — and the theme's
//! `search.js` normalises and cuts queries the same way.
//!
//! The files, under the folder named as the search page (`recherche/`):
//!
//! - `t-<prefix>.js`, one per first two characters of the terms, or
//!   first character in a script without spaces (a character outside
//!   `a-z0-9` is written `_<hex code point>_`):
//!   `dossierSearch.add("en", "<entry>;<entry>…")`, the terms sorted, each
//!   entry `<term without its prefix>,<documents>[,<documents whose title
//!   has the term>]`, document lists in [`codec`]'s compact form. Ranking
//!   needs nothing else, so documents load only for the results shown.
//! - `d-<n>.js`, documents `n·per` to `n·per + per − 1`:
//!   `dossierSearch.docs(n, "<base64>")`, the base64 of the raw deflate
//!   (RFC 1951) of the JSON `[[title, kind, path, text], …]`, a title `0`
//!   when it is the previous document's, a path only its `#fragment` when
//!   the previous document is on the same page. The text is the whole
//!   paragraph, for the snippets.
//!
//! The page embeds only what [`index`] returns: a version (the hash of
//! every shard, added to their URLs so a cache never mixes two builds), the
//! number of documents, `per`, and the prefixes that have a shard. Paths
//! and contents depend only on the dossier: builds are reproducible.

mod codec;
mod ids;
mod words;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;
use unicode_normalization::char::is_combining_mark;

use self::words::{each_word, prefix, words};
use super::i18n::I18n;
use super::routes::Routes;
use crate::model::Dossier;

/// The folder of the shards, relative to the site's root: named as the
/// search page that loads them, beside it (`recherche.html`,
/// `recherche/`), so the two go together and `data/` keeps only the open
/// data, whose formats are documented for reuse.
pub fn folder(routes: &Routes) -> String {
    routes.names.search.clone()
}

/// About this many bytes of documents per document shard.
const DOC_SHARD_BYTES: usize = 64 * 1024;
/// Documents per shard, whatever their size.
const DOCS_PER_SHARD: std::ops::RangeInclusive<usize> = 16..=256;

/// One search result: a title, what it is (`¶3`, a kind), where it is, the
/// text to show a snippet of, and the words it is also found by.
struct Doc<'a> {
    title: &'a str,
    kind: Cow<'a, str>,
    path: String,
    text: Cow<'a, str>,
    also: String,
}

/// The documents, numbered, each made when it is read, once for its words
/// and its shard: holding them all would cost the dossier's text a second
/// time.
trait Documents: Sync {
    fn len(&self) -> usize;
    /// About what the documents weigh in their shards (their titles,
    /// kinds, paths and texts), told without making them: it sets how
    /// many go in a shard before the first is made.
    fn weight(&self) -> usize;
    fn doc(&self, id: usize) -> Doc<'_>;
}

/// A shard file as it is handed to the writer: its path under the site's
/// root and its contents.
type WriteFile<'w> = dyn Fn(&str, &str) -> anyhow::Result<()> + Sync + 'w;

#[derive(Serialize)]
struct PageData<'a> {
    v: &'a str,
    docs: usize,
    per: usize,
    /// The prefixes that have a term shard, separated by spaces.
    terms: String,
}

/// Writes the shards through `write` as they are made, and returns what
/// the search page embeds: JSON, small whatever the dossier's size, safe
/// inside `<script type="application/json">`.
pub fn index(d: &Dossier, routes: &Routes, i18n: &I18n, write: &WriteFile) -> anyhow::Result<String> {
    build(&DossierDocuments::new(d, routes, i18n), &folder(routes), write)
}

fn build(docs: &dyn Documents, folder: &str, write: &WriteFile) -> anyhow::Result<String> {
    let per = docs_per_shard(docs.len(), docs.weight());
    let write_hashed = |name: String, contents: &str| -> anyhow::Result<Digest> {
        let path = format!("{folder}/{name}");
        write(&path, contents)?;
        Ok((path, sha256(contents)))
    };
    let (postings, mut digests) = postings_and_doc_shards(docs, per, &write_hashed)?;
    let terms = term_shards(&postings);
    drop(postings);
    let term_digests: Vec<Digest> = terms
        .par_iter()
        .map(|(prefix, body)| write_hashed(term_file(prefix), body))
        .collect::<anyhow::Result<_>>()?;
    digests.extend(term_digests);
    digests.sort();
    let version = version(&digests);
    let data = PageData {
        v: &version,
        docs: docs.len(),
        per,
        terms: terms.keys().map(String::as_str).collect::<Vec<_>>().join(" "),
    };
    let json = serde_json::to_string(&data).expect("plain data serialises");
    // `</script>` or `<!--` inside the data would end or confuse the element.
    Ok(json.replace('<', "\\u003c"))
}

/// The documents holding each term, and those whose title holds it.
#[derive(Default, Debug, PartialEq)]
struct Postings {
    all: ids::Ids,
    title: ids::Ids,
}

/// Every term with its postings, sorted by term.
type TermPostings = Vec<(String, Postings)>;

/// A file's path and the SHA-256 of its contents.
type Digest = (String, [u8; 32]);

/// Writes a shard's file, and gives its [`Digest`].
type WriteHashed<'w> = dyn Fn(String, &str) -> anyhow::Result<Digest> + Sync + 'w;

/// Each document made once: its words go to the postings and the document
/// to its shard, written at once. Built in parallel over runs of whole
/// shards, each run its own map, merged in order: the lists come out
/// ascending whatever the thread count.
fn postings_and_doc_shards(
    docs: &dyn Documents,
    per: usize,
    write: &WriteHashed,
) -> anyhow::Result<(TermPostings, Vec<Digest>)> {
    let shards = docs.len().div_ceil(per);
    let shards_per_run = (shards / (rayon::current_num_threads() * 4)).max(1);
    let runs: Vec<(TermMap, Vec<Digest>)> = (0..shards.div_ceil(shards_per_run))
        .into_par_iter()
        .map(|r| {
            run_postings(
                docs,
                per,
                r * shards_per_run..shards.min(r * shards_per_run + shards_per_run),
                write,
            )
        })
        .collect::<anyhow::Result<_>>()?;
    let mut all = TermMap::default();
    let mut digests = Vec::with_capacity(shards);
    for (map, run_digests) in runs {
        digests.extend(run_digests);
        for (term, p) in map {
            let merged = all.entry(term).or_default();
            merged.all.append(p.all);
            merged.title.append(p.title);
        }
    }
    let mut sorted: TermPostings = all.into_iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok((sorted, digests))
}

/// The index is the build's largest map, keyed by short strings: a fast
/// hash (the keys are the dossier's own words, no attacker's choice).
type TermMap = HashMap<String, Postings, rustc_hash::FxBuildHasher>;

/// The postings of the documents of a run of shards, ids ascending, and
/// the shards written.
fn run_postings(
    docs: &dyn Documents,
    per: usize,
    shards: std::ops::Range<usize>,
    write: &WriteHashed,
) -> anyhow::Result<(TermMap, Vec<Digest>)> {
    let mut map = TermMap::default();
    let mut digests = Vec::with_capacity(shards.len());
    // A source's paragraphs share its title: its words are found once.
    let mut title = String::new();
    let mut title_words: Vec<String> = Vec::new();
    let mut text = String::new();
    for n in shards {
        let ids = n * per..docs.len().min(n * per + per);
        let shard: Vec<Doc> = ids.clone().map(|id| docs.doc(id)).collect();
        for (id, doc) in ids.zip(&shard) {
            let id = u32::try_from(id).expect("fewer than 2^32 documents");
            if title != doc.title {
                title = doc.title.to_string();
                title_words = words(&normalise(doc.title)).into_iter().map(str::to_string).collect();
            }
            text.clear();
            normalise_into(&mut text, &doc.text);
            text.push(' ');
            normalise_into(&mut text, &doc.also);
            // A word's list ends with this document once it has it: each
            // document is listed once per word, without sorting its words.
            for word in each_word(&text).chain(title_words.iter().map(String::as_str)) {
                match map.get_mut(word) {
                    Some(p) if p.all.last() == Some(id) => {}
                    Some(p) => p.all.push(id),
                    None => {
                        let mut p = Postings::default();
                        p.all.push(id);
                        map.insert(word.to_string(), p);
                    }
                }
            }
            for word in &title_words {
                map.get_mut(word.as_str())
                    .expect("a title's words are its document's")
                    .title
                    .push(id);
            }
        }
        digests.push(write(doc_file(n), &doc_shard(n, &shard))?);
    }
    Ok((map, digests))
}

/// The contents of each term shard, by prefix.
fn term_shards(postings: &TermPostings) -> BTreeMap<String, String> {
    let mut bodies: BTreeMap<String, String> = BTreeMap::new();
    for (term, p) in postings {
        let key = prefix(term);
        let body = bodies.entry(key.to_string()).or_default();
        if !body.is_empty() {
            body.push(';');
        }
        body.push_str(&term[key.len()..]);
        body.push(',');
        body.push_str(&codec::encode(&p.all.to_vec()));
        if !p.title.is_empty() {
            body.push(',');
            body.push_str(&codec::encode(&p.title.to_vec()));
        }
    }
    bodies
        .into_iter()
        .map(|(key, body)| {
            let call = format!("dossierSearch.add({},{});\n", js_string(&key), js_string(&body));
            (key, call)
        })
        .collect()
}

/// The file of a term shard: `t-en.js`; a character outside `a-z0-9` is
/// written as its code point in hexadecimal between underscores.
fn term_file(prefix: &str) -> String {
    let mut name = String::from("t-");
    for c in prefix.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            name.push(c);
        } else {
            name.push_str(&format!("_{:x}_", u32::from(c)));
        }
    }
    name.push_str(".js");
    name
}

fn doc_file(n: usize) -> String {
    format!("d-{n}.js")
}

/// As many documents per shard as make about [`DOC_SHARD_BYTES`] on average.
fn docs_per_shard(docs: usize, bytes: usize) -> usize {
    (DOC_SHARD_BYTES * docs / bytes.max(1)).clamp(*DOCS_PER_SHARD.start(), *DOCS_PER_SHARD.end())
}

/// A document shard: the documents' list (JSON) compressed, so that the
/// shards (the paragraphs' own text, for the snippets) weigh less than the
/// text they index. Deflate, because browsers inflate it natively
/// (`DecompressionStream`), at the fastest level: the next levels save a
/// tenth more at less than half the speed. Base64 keeps the file a
/// classic script.
fn doc_shard(n: usize, docs: &[Doc]) -> String {
    use base64::Engine as _;
    use std::io::Write as _;
    let mut deflate = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    let written = deflate.write_all(&doc_list(docs));
    let packed = written
        .and_then(|()| deflate.finish())
        .expect("deflate into memory cannot fail");
    let mut out = format!("dossierSearch.docs({n},\"");
    base64::engine::general_purpose::STANDARD.encode_string(packed, &mut out);
    out.push_str("\");\n");
    out
}

/// The JSON list of a shard's documents, `[[title, kind, path, text], …]`.
fn doc_list(docs: &[Doc]) -> Vec<u8> {
    let mut out = b"[".to_vec();
    let mut previous: Option<&str> = None;
    for (i, doc) in docs.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'[');
        if previous == Some(doc.title) {
            out.push(b'0');
        } else {
            push_js_string(&mut out, doc.title);
        }
        out.push(b',');
        push_js_string(&mut out, &doc.kind);
        out.push(b',');
        match doc.path.find('#') {
            Some(hash) if i > 0 && page_of(&docs[i - 1].path) == page_of(&doc.path) => {
                push_js_string(&mut out, &doc.path[hash..]);
            }
            _ => push_js_string(&mut out, &doc.path),
        }
        out.push(b',');
        push_js_string(&mut out, &doc.text);
        out.push(b']');
        previous = Some(doc.title);
    }
    out.push(b']');
    out
}

/// A path without its `#fragment`.
fn page_of(path: &str) -> &str {
    path.split('#').next().unwrap_or(path)
}

/// A JavaScript string literal: JSON's, with the two line separators that
/// older engines refuse inside a string escaped too.
fn js_string(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len() + 2);
    push_js_string(&mut out, text);
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// Appends `text` to `out` as [`js_string`] writes it, without a copy
/// unless it has a line separator.
fn push_js_string(out: &mut Vec<u8>, text: &str) {
    const SEPARATORS: [(&str, &str); 2] = [("\u{2028}", "\\u2028"), ("\u{2029}", "\\u2029")];
    let start = out.len();
    serde_json::to_writer(&mut *out, text).expect("a string serialises into memory");
    if SEPARATORS
        .iter()
        .any(|(raw, _)| memchr::memmem::find(&out[start..], raw.as_bytes()).is_some())
    {
        let mut escaped = String::from_utf8_lossy(&out[start..]).into_owned();
        for (raw, written) in SEPARATORS {
            escaped = escaped.replace(raw, written);
        }
        out.truncate(start);
        out.extend_from_slice(escaped.as_bytes());
    }
}

fn sha256(contents: &str) -> [u8; 32] {
    use sha2::Digest as _;
    sha2::Sha256::digest(contents.as_bytes()).into()
}

/// The first 12 hex digits of the SHA-256 of every file's path and the
/// SHA-256 of its contents, in the order of the paths.
fn version(digests: &[Digest]) -> String {
    use sha2::Digest as _;
    let mut hash = sha2::Sha256::new();
    for (path, digest) in digests {
        hash.update(path.as_bytes());
        hash.update([0]);
        hash.update(digest);
    }
    hash.finalize()[..6].iter().map(|b| format!("{b:02x}")).collect()
}

/// The dossier's documents: each source's paragraphs, then the sectors,
/// actors, events and figures. A paragraph is found by the names of the
/// actors its annotations mention or quote and of the sectors they are
/// tagged with, so that "poutine" finds a statement of his that does not
/// name him, and "energie" a passage about oil.
struct DossierDocuments<'a> {
    d: &'a Dossier,
    routes: &'a Routes,
    i18n: &'a I18n,
    /// The first document of each source, and after the last source's
    /// paragraphs the sectors' first.
    source_starts: Vec<usize>,
}

impl<'a> DossierDocuments<'a> {
    fn new(d: &'a Dossier, routes: &'a Routes, i18n: &'a I18n) -> Self {
        let mut source_starts = Vec::with_capacity(d.sources.len() + 1);
        let mut next = 0;
        for s in &d.sources {
            source_starts.push(next);
            next += s.paragraphs.len();
        }
        source_starts.push(next);
        DossierDocuments {
            d,
            routes,
            i18n,
            source_starts,
        }
    }

    fn paragraph(&self, source: usize, index: usize) -> Doc<'a> {
        let (d, s) = (self.d, &self.d.sources[source]);
        let p = &s.paragraphs[index];
        // A source's annotations are in the order of its paragraphs.
        let first = s.annotations.partition_point(|a| a.paragraph < p.number);
        let last = s.annotations.partition_point(|a| a.paragraph <= p.number);
        let mut names: Vec<&str> = Vec::new();
        for a in &s.annotations[first..last.max(first)] {
            for actor in a.actors.iter().chain(&a.said).map(|&i| &d.actors[i]) {
                names.push(&actor.name);
                names.extend(actor.aliases.iter().map(String::as_str));
            }
            names.extend(a.sectors.iter().map(|&i| d.sectors[i].title.as_str()));
        }
        Doc {
            title: &s.title,
            kind: Cow::Owned(format!("¶{}", p.number)),
            path: self.routes.paragraph(&s.slug, p.number),
            text: Cow::Borrowed(&p.plain),
            also: names.join(" "),
        }
    }

    fn label(&self, key: &str) -> Cow<'a, str> {
        Cow::Borrowed(self.i18n.strings.get(key).map_or("", String::as_str))
    }

    fn other(&self, mut id: usize) -> Doc<'a> {
        let (d, routes) = (self.d, self.routes);
        let doc = |title: &'a str, kind: Cow<'a, str>, path: String, text: Cow<'a, str>| Doc {
            title,
            kind,
            path,
            text,
            also: String::new(),
        };
        if let Some(s) = d.sectors.get(id) {
            return doc(
                &s.title,
                self.label("sector"),
                routes.sector(&s.slug),
                Cow::Borrowed(&s.summary),
            );
        }
        id -= d.sectors.len();
        if let Some(a) = d.actors.get(id) {
            let country = a.country.map(|c| d.actors[c].name.as_str());
            let text = [a.role.as_deref(), country]
                .into_iter()
                .flatten()
                .chain(a.aliases.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(" · ");
            return doc(
                &a.name,
                self.label("actor_single"),
                routes.actor(&a.slug),
                Cow::Owned(text),
            );
        }
        id -= d.actors.len();
        if let Some(e) = d.events.get(id) {
            let date = self.i18n.dates.format(&e.date, true);
            return doc(
                &e.title,
                self.label("event_single"),
                routes.event(&e.slug),
                Cow::Owned(date),
            );
        }
        id -= d.events.len();
        let f = &d.figures[id];
        let value = format!("{} {}", self.i18n.number(&f.value), f.unit.as_deref().unwrap_or(""));
        doc(
            &f.label,
            self.label("figure_label"),
            routes.figure(&f.slug),
            Cow::Owned(value.trim().to_string()),
        )
    }
}

/// What a document's kind and path (`¶12`, `sources/<slug>.html#p12`)
/// weigh beside its slug, and the list's punctuation.
const DOC_FRAME: usize = 40;

impl Documents for DossierDocuments<'_> {
    fn len(&self) -> usize {
        let d = self.d;
        self.source_starts[d.sources.len()] + d.sectors.len() + d.actors.len() + d.events.len() + d.figures.len()
    }

    fn weight(&self) -> usize {
        let d = self.d;
        let paragraphs = d.sources.iter().map(|s| {
            let frame = s.title.len() + s.slug.len() + DOC_FRAME;
            s.paragraphs.iter().map(|p| frame + p.plain.len()).sum::<usize>()
        });
        // The others' texts: a summary, a role, a date, a value.
        let sectors = d.sectors.iter().map(|s| s.title.len() + s.slug.len() + s.summary.len());
        let actors = d
            .actors
            .iter()
            .map(|a| a.name.len() + a.slug.len() + a.role.as_ref().map_or(0, String::len));
        let events = d.events.iter().map(|e| e.title.len() + e.slug.len() + 20);
        let figures = d.figures.iter().map(|f| f.label.len() + f.slug.len() + 20);
        let others = d.sectors.len() + d.actors.len() + d.events.len() + d.figures.len();
        paragraphs.sum::<usize>()
            + sectors.chain(actors).chain(events).chain(figures).sum::<usize>()
            + others * DOC_FRAME
    }

    fn doc(&self, id: usize) -> Doc<'_> {
        let paragraphs = self.source_starts[self.d.sources.len()];
        if id >= paragraphs {
            return self.other(id - paragraphs);
        }
        let source = self.source_starts.partition_point(|&start| start <= id) - 1;
        self.paragraph(source, id - self.source_starts[source])
    }
}

/// Text as the index and the queries see it: lower case, no accents,
/// ligatures spelled out, one sigma (as `search.js`, whose `toLowerCase`
/// writes a final `ς`).
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalise_into(&mut out, text);
    out
}

fn normalise_into(out: &mut String, text: &str) {
    let mut rest = text;
    loop {
        // ASCII, most of a French text, is lowered in runs.
        let ascii = rest.bytes().position(|b| !b.is_ascii()).unwrap_or(rest.len());
        let from = out.len();
        out.push_str(&rest[..ascii]);
        out[from..].make_ascii_lowercase();
        rest = &rest[ascii..];
        let Some(c) = rest.chars().next() else {
            break;
        };
        // Char by char is the string's NFD but for the order of the
        // combining marks, which are dropped.
        unicode_normalization::char::decompose_canonical(c, |d| {
            if !is_combining_mark(d) {
                d.to_lowercase().for_each(|l| push_folded(out, l));
            }
        });
        rest = &rest[c.len_utf8()..];
    }
}

fn push_folded(out: &mut String, c: char) {
    match c {
        'œ' => out.push_str("oe"),
        'æ' => out.push_str("ae"),
        'ß' => out.push_str("ss"),
        // JavaScript's lower case of `Σ` at the end of a word.
        'ς' => out.push('σ'),
        c => out.push(c),
    }
}

/// The distinct searchable terms of a text: its normalised words.
#[cfg(test)]
fn terms(text: &str) -> Vec<String> {
    words(&normalise(text)).into_iter().map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_ignore_case_accents_ligatures_and_apostrophes() {
        assert_eq!(terms("L’Énergie"), ["energie"]);
        assert_eq!(terms("le cœur d'Œdipe"), ["coeur", "le", "oedipe"]);
        assert_eq!(terms("Straße 2025"), ["2025", "strasse"]);
        assert_eq!(terms("ΟΔΟΣ οδος"), ["οδοσ"]);
    }

    /// The whole string's NFD, without combining marks, in lower case.
    fn reference(text: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        let mut out = String::new();
        for c in text
            .nfd()
            .filter(|&c| !is_combining_mark(c))
            .flat_map(char::to_lowercase)
        {
            push_folded(&mut out, c);
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn normalising_matches_the_reference(text in "[aZ 1,’éÉœŒßΣ\u{301}\u{323}\u{1e09}한İ]{0,24}") {
            proptest::prop_assert_eq!(normalise(&text), reference(&text));
        }
    }

    #[test]
    fn normalises_as_the_whole_string_nfd_would() {
        for text in [
            "",
            "ASCII Only, 2025",
            "L’Énergie nucléaire: Œuvre, STRASSE, Straße, ΟΔΟΣ",
            "e\u{301}\u{323} \u{1e09} Ḉ ǅ ﬁ Å Å 한국어 İstanbul",
            "Кириллица Ёлка 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ½ ²",
        ] {
            assert_eq!(normalise(text), reference(text), "{text}");
        }
    }

    /// A document as the tests write it, every field its own.
    struct Owned {
        title: String,
        kind: String,
        path: String,
        text: String,
        also: String,
    }

    impl Documents for Vec<Owned> {
        fn len(&self) -> usize {
            Vec::len(self)
        }

        fn weight(&self) -> usize {
            self.iter()
                .map(|o| o.title.len() + o.kind.len() + o.path.len() + o.text.len() + 12)
                .sum()
        }

        fn doc(&self, id: usize) -> Doc<'_> {
            let o = &self[id];
            Doc {
                title: &o.title,
                kind: Cow::Borrowed(&o.kind),
                path: o.path.clone(),
                text: Cow::Borrowed(&o.text),
                also: o.also.clone(),
            }
        }
    }

    /// What [`build`] wrote, sorted by path, and the page data.
    struct SearchIndex {
        page_data: String,
        files: Vec<(String, String)>,
    }

    fn build_all(docs: &Vec<Owned>, folder: &str) -> SearchIndex {
        let files = std::sync::Mutex::new(Vec::new());
        let write = |path: &str, contents: &str| {
            files.lock().unwrap().push((path.to_string(), contents.to_string()));
            Ok(())
        };
        let page_data = build(docs, folder, &write).unwrap();
        let mut files = files.into_inner().unwrap();
        files.sort();
        SearchIndex { page_data, files }
    }

    fn doc(title: &str, text: &str, also: &str) -> Owned {
        Owned {
            title: title.into(),
            kind: "¶1".into(),
            path: format!("sources/{}.html#p1", title.to_lowercase()),
            text: text.into(),
            also: also.into(),
        }
    }

    fn sample() -> Vec<Owned> {
        let mut docs = vec![
            doc("Énergie", "Le pétrole et le gaz.", ""),
            doc(
                "Accord",
                "L’énergie nucléaire, « </script><!-- » et Straße.",
                "Vladimir Poutine",
            ),
            doc("Accord", "Les termes de l’accord de coopération.", "Énergie"),
            doc("Тест", "Кириллица и 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 énergétique", ""),
            doc("协议", "两国签署了合作协议。2024年", ""),
        ];
        for i in 0..600 {
            let mut paragraph = doc(
                &format!("Source {}", i / 10),
                &format!("Paragraphe {i} sur l’énergie"),
                "",
            );
            paragraph.path = format!("sources/source-{}.html#p{}", i / 10, i % 10 + 1);
            docs.push(paragraph);
        }
        docs
    }

    /// The shard files as Rust values: term shards by prefix, the
    /// documents of each doc shard by shard number.
    type Parsed = (BTreeMap<String, String>, BTreeMap<usize, Vec<serde_json::Value>>);

    fn parse(index: &SearchIndex) -> Parsed {
        let (mut terms, mut docs) = (BTreeMap::new(), BTreeMap::new());
        for (path, contents) in &index.files {
            let call = contents.strip_suffix(");\n").expect("one call per file");
            if let Some(args) = call.strip_prefix("dossierSearch.add(") {
                let (key, body): (String, String) = serde_json::from_str(&format!("[{args}]")).unwrap();
                assert_eq!(path, &format!("search/{}", term_file(&key)));
                terms.insert(key, body);
            } else {
                let args = call.strip_prefix("dossierSearch.docs(").expect("a term or doc shard");
                let (n, packed): (usize, String) = serde_json::from_str(&format!("[{args}]")).unwrap();
                let list: Vec<serde_json::Value> = serde_json::from_slice(&inflate(&packed)).unwrap();
                assert_eq!(path, &format!("search/{}", doc_file(n)));
                docs.insert(n, list);
            }
        }
        (terms, docs)
    }

    /// What `search.js` does with a document shard's argument.
    fn inflate(packed: &str) -> Vec<u8> {
        use base64::Engine as _;
        use std::io::Read as _;
        let deflated = base64::engine::general_purpose::STANDARD
            .decode(packed)
            .expect("base64");
        let mut json = Vec::new();
        flate2::read::DeflateDecoder::new(&deflated[..])
            .read_to_end(&mut json)
            .expect("raw deflate");
        json
    }

    /// Every term of a term shard with its postings, decoded.
    fn decode_shard(key: &str, body: &str) -> Vec<(String, Decoded)> {
        body.split(';')
            .map(|entry| {
                let mut fields = entry.split(',');
                let term = format!("{key}{}", fields.next().unwrap());
                let all = codec::decode(fields.next().expect("postings")).expect("valid postings");
                let title = fields.next().map_or(Some(Vec::new()), codec::decode).expect("valid");
                assert_eq!(fields.next(), None);
                (term, Decoded { all, title })
            })
            .collect()
    }

    /// A term's postings as ids.
    #[derive(Debug, PartialEq)]
    struct Decoded {
        all: Vec<u32>,
        title: Vec<u32>,
    }

    impl From<Postings> for Decoded {
        fn from(p: Postings) -> Decoded {
            Decoded {
                all: p.all.to_vec(),
                title: p.title.to_vec(),
            }
        }
    }

    #[test]
    fn every_term_is_in_the_shard_of_its_prefix_with_its_postings() {
        let docs = sample();
        let per = docs_per_shard(docs.len(), docs.weight());
        let discard = |name: String, contents: &str| Ok((name, sha256(contents)));
        let (postings, _) = postings_and_doc_shards(&docs, per, &discard).unwrap();
        let expected: BTreeMap<String, Decoded> = postings.into_iter().map(|(t, p)| (t, p.into())).collect();
        let index = build_all(&docs, "search");
        let (shards, _) = parse(&index);
        let mut decoded = BTreeMap::new();
        for (key, body) in &shards {
            for (term, p) in decode_shard(key, body) {
                assert_eq!(prefix(&term), key, "{term} is in the shard of its prefix");
                assert!(decoded.insert(term, p).is_none(), "one entry per term");
            }
        }
        assert_eq!(decoded, expected);
        assert_eq!(decoded["energie"].title, [0]);
        assert_eq!(decoded["poutine"].all, [1], "a paragraph is found by its actors' names");
        assert!(decoded["energie"].all.contains(&2), "and by its sectors' titles");
        assert!(decoded.contains_key("oe") || decoded.contains_key("coeur") || decoded.contains_key("strasse"));
        let data: serde_json::Value = serde_json::from_str(&index.page_data).unwrap();
        let listed: Vec<&str> = data["terms"].as_str().unwrap().split(' ').collect();
        assert_eq!(listed, shards.keys().map(String::as_str).collect::<Vec<_>>());
        assert!(shards.contains_key("ки"), "prefixes in any script: {listed:?}");
        assert!(index.files.iter().any(|(p, _)| p == "search/t-_43a__438_.js"));
        assert_eq!(decoded["合作"].all, [4], "Chinese, in pairs of characters");
        assert_eq!(decoded["协议"].title, [4]);
        assert_eq!(decoded["年"].all, [4], "a character of its own after digits");
        assert!(!decoded.contains_key("两国签署了合作协议"), "never a whole run");
        assert!(
            index.files.iter().any(|(p, _)| p == "search/t-_5408_.js"),
            "the shard of 合"
        );
    }

    #[test]
    fn a_doc_is_in_the_shard_of_its_number() {
        let docs = sample();
        let index = build_all(&docs, "search");
        let data: serde_json::Value = serde_json::from_str(&index.page_data).unwrap();
        let per = data["per"].as_u64().unwrap() as usize;
        assert_eq!(data["docs"].as_u64(), Some(docs.len() as u64));
        assert!(DOCS_PER_SHARD.contains(&per));
        assert!(docs.len() > per, "the sample spans several doc shards");
        let (_, shards) = parse(&index);
        assert_eq!(shards.len(), docs.len().div_ceil(per));
        for (id, doc) in docs.iter().enumerate() {
            let shard = &shards[&(id / per)];
            let entry = shard[id % per].as_array().unwrap();
            // A title `0` is the previous document's, never across shards.
            let title = (0..=id % per).rev().find_map(|i| shard[i][0].as_str()).unwrap();
            assert_eq!(title, doc.title);
            assert_eq!(entry[1], doc.kind.as_str());
            let path = entry[2].as_str().unwrap();
            if path.starts_with('#') {
                let previous = &docs[id - 1].path;
                assert!(id % per > 0, "a whole path first in a shard");
                assert_eq!(format!("{}{path}", previous.split('#').next().unwrap()), doc.path);
            } else {
                assert_eq!(path, doc.path);
            }
            assert_eq!(entry[3], doc.text.as_str());
        }
    }

    #[test]
    fn strings_escape_the_line_separators_and_nothing_else_json_leaves() {
        assert_eq!(js_string("l’a\u{2028}b\u{2029}"), "\"l’a\\u2028b\\u2029\"");
        let mut out = b"[".to_vec();
        push_js_string(&mut out, "\"é\"\n");
        push_js_string(&mut out, "x\u{2029}");
        assert_eq!(String::from_utf8(out).unwrap(), "[\"\\\"é\\\"\\n\"\"x\\u2029\"");
    }

    #[test]
    fn the_page_data_is_small_and_cannot_close_its_script_element() {
        let docs = sample();
        let index = build_all(&docs, "search");
        assert!(!index.page_data.contains('<'));
        assert!(index.page_data.len() < 1024, "{}", index.page_data);
        // Ten times the documents, the same words: only the counts grow.
        let ten: Vec<Owned> = (0..10).flat_map(|_| sample()).collect();
        let bigger = build_all(&ten, "search");
        assert!(
            bigger.page_data.len() <= index.page_data.len() + 2,
            "{}",
            bigger.page_data
        );
        let (_, docs) = parse(&index);
        let texts: Vec<&str> = docs.values().flatten().filter_map(|doc| doc[3].as_str()).collect();
        assert!(
            texts.iter().any(|t| t.contains("</script><!--")),
            "shards are scripts of their own: no escaping needed"
        );
    }

    #[test]
    fn the_files_depend_only_on_the_documents() {
        let (a, b) = (build_all(&sample(), "search"), build_all(&sample(), "search"));
        assert_eq!(a.files, b.files);
        assert_eq!(a.page_data, b.page_data);
        let mut other = sample();
        other[3].text.push_str(" encore");
        let c = build_all(&other, "search");
        assert_ne!(a.page_data, c.page_data, "the version changes with the contents");
        let paths = |i: &SearchIndex| i.files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        assert!(paths(&a).windows(2).all(|w| w[0] < w[1]), "sorted, no duplicate");
        assert_eq!(paths(&a), paths(&c));
    }

    #[test]
    fn file_names_are_portable() {
        assert_eq!(term_file("en"), "t-en.js");
        assert_eq!(term_file("20"), "t-20.js");
        assert_eq!(term_file("ки"), "t-_43a__438_.js");
        assert_eq!(term_file("𝔘a"), "t-_1d518_a.js");
        assert_eq!(prefix("energie"), "en");
        assert_eq!(prefix("ки"), "ки");
        assert_eq!(prefix("𝔘𝔫𝔦"), "𝔘𝔫");
    }
}
