//! `feed.xml`, an Atom 1.0 feed (RFC 4287) of the dossier's sources and
//! events, and `sitemap.xml`, written only when `base_url` says where the
//! site lives (a sitemap needs absolute addresses). Entry ids are name-based
//! UUIDs: the same on every build. Dates come from the content, never from
//! the clock: an entry's `updated` is when what it says last changed — a
//! source's publication, the latest publication that reports an event (an
//! event of 1933 did not change in 1933), at most the dossier's last day.
//! Every entry has a summary: its byline or date, then the words it
//! begins with (a source's first paragraph, an event's first citing one).

use std::io::{self, Write};

use chrono::NaiveDate;

use super::Exporter;
use crate::model::{BlockKind, EdtfDate, Event, Paragraph, Source};

/// Text escaped for XML, and without the characters XML 1.0 forbids
/// (most C0 controls, U+FFFE, U+FFFF): the feed stays valid XML whatever
/// a text holds. Front matter refuses them already (E0014); a source's or
/// an editor's text may still carry one.
fn xml(text: &str) -> String {
    let allowed = |c: &char| (*c >= ' ' || matches!(c, '\t' | '\n' | '\r')) && !matches!(c, '\u{FFFE}' | '\u{FFFF}');
    if text.chars().all(|c| allowed(&c)) {
        // HTML's escape is XML's for text and double-quoted attributes.
        return crate::render::html::escape(text);
    }
    crate::render::html::escape(&text.chars().filter(allowed).collect::<String>())
}

/// Entries in the feed, at most: a feed reader fetches the feed again and
/// again, and a dossier of 100,000 sources made it 133 MB. The latest are
/// kept, as Hugo's `rssLimit` and Zola's `feed_limit` do; a smaller
/// dossier's feed has every source and event.
const FEED_ENTRIES: usize = 200;

pub fn atom(x: &Exporter, w: &mut dyn Write) -> io::Result<()> {
    atom_of_latest(x, w, FEED_ENTRIES)
}

fn atom_of_latest(x: &Exporter, w: &mut dyn Write, limit: usize) -> io::Result<()> {
    let d = x.dossier;
    w.write_all(b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")?;
    write!(
        w,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\"",
        xml(&d.config.language)
    )?;
    if let Some(base) = &d.config.base_url {
        write!(w, " xml:base=\"{}\"", xml(base))?;
    }
    w.write_all(b">\n")?;
    writeln!(
        w,
        "  <id>urn:uuid:{}</id>",
        super::stable_uuid(&d.config.title, "feed", "")
    )?;
    writeln!(w, "  <title>{}</title>", xml(&d.config.title))?;
    if let Some(subtitle) = &d.config.subtitle {
        writeln!(w, "  <subtitle>{}</subtitle>", xml(subtitle))?;
    }
    let last_day = x.last_day();
    writeln!(w, "  <updated>{}</updated>", timestamp(last_day))?;
    writeln!(w, "  <link href=\"{}\"/>", xml(&x.url(x.routes.home())))?;
    if d.config.base_url.is_some() {
        writeln!(
            w,
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
            xml(&x.url(FILE))
        )?;
    }
    writeln!(w, "  <author><name>{}</name></author>", xml(&d.config.title))?;
    w.write_all(b"  <generator>dossier</generator>\n")?;
    let sources = d.sources.len();
    for (n, updated) in latest(x, last_day, limit) {
        match n.checked_sub(sources) {
            None => source_entry(x, &d.sources[n], updated).write(x, w)?,
            Some(e) => event_entry(x, &d.events[e], updated).write(x, w)?,
        }
    }
    w.write_all(b"</feed>\n")
}

/// The `limit` latest entries by `updated` (the sources numbered first,
/// then the events), in that numbering's order, with their `updated`;
/// among entries of one day, the first numbered are kept.
fn latest(x: &Exporter, last_day: NaiveDate, limit: usize) -> Vec<(usize, NaiveDate)> {
    let d = x.dossier;
    let mut all: Vec<(usize, NaiveDate)> = (d.sources.iter().map(|s| source_updated(s, last_day)))
        .chain(d.events.iter().map(|e| event_updated(x, e, last_day)))
        .enumerate()
        .collect();
    if all.len() > limit {
        let newest_first = |a: &(usize, NaiveDate), b: &(usize, NaiveDate)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
        if limit > 0 {
            all.select_nth_unstable_by(limit - 1, newest_first);
        }
        all.truncate(limit);
        all.sort_unstable();
    }
    all
}

/// A source's `updated`: its publication (an inferred date's last
/// possible day), at most the dossier's last day.
fn source_updated(s: &Source, last_day: NaiveDate) -> NaiveDate {
    s.published.as_ref().map_or(last_day, EdtfDate::latest).min(last_day)
}

/// An event's `updated`: when the latest source that reports it was
/// published, at most the dossier's last day.
fn event_updated(x: &Exporter, e: &Event, last_day: NaiveDate) -> NaiveDate {
    let d = x.dossier;
    let reported = (e.citations.iter())
        .filter_map(|c| d.sources[c.source].published.as_ref())
        .map(EdtfDate::latest)
        .max();
    reported.unwrap_or(last_day).min(last_day)
}

/// The feed's file, at the site's root.
pub const FILE: &str = "feed.xml";

/// Characters of a paragraph a summary quotes, at most.
const EXCERPT: usize = 280;

/// An entry of the feed: a source or an event.
struct Entry<'a> {
    kind: &'a str,
    slug: &'a str,
    title: &'a str,
    path: String,
    updated: NaiveDate,
    /// Only for a source whose day of publication is known.
    published: Option<NaiveDate>,
    summary: String,
}

/// A source's entry: dated by its publication (an inferred date is a
/// range: its last possible day, published only when the day is known),
/// summed up by its byline and its first words.
fn source_entry<'a>(x: &Exporter, s: &'a Source, updated: NaiveDate) -> Entry<'a> {
    let when = s.published.as_ref().map(|p| x.i18n.dates.format_bounds(p));
    let byline = [s.author.as_deref(), s.outlet.as_deref(), when.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    let opening = s.paragraphs.iter().find(|p| p.kind == BlockKind::Paragraph);
    Entry {
        kind: "source",
        slug: &s.slug,
        title: &s.title,
        path: x.routes.source(&s.slug),
        updated,
        published: s.published.as_ref().filter(|p| is_one_day(p)).map(EdtfDate::earliest),
        summary: summary(&byline, opening.or(s.paragraphs.first())),
    }
}

/// An event's entry: updated when the latest source that reports it was
/// published, summed up by its date and the first paragraph citing it.
fn event_entry<'a>(x: &Exporter, e: &'a Event, updated: NaiveDate) -> Entry<'a> {
    let d = x.dossier;
    let first = e.citations.first();
    let paragraph = first.map(|c| &d.sources[c.source].paragraphs[c.paragraph - 1]);
    Entry {
        kind: "event",
        slug: &e.slug,
        title: &e.title,
        path: x.routes.event(&e.slug),
        updated,
        published: None,
        summary: summary(&x.i18n.dates.format(&e.date, true), paragraph),
    }
}

/// A byline or a date, then a paragraph's first words (whole words, at
/// most [`EXCERPT`] characters, an ellipsis when cut).
fn summary(lead: &str, paragraph: Option<&Paragraph>) -> String {
    let text = paragraph.map_or("", |p| p.normal());
    let excerpt = match text.char_indices().nth(EXCERPT) {
        None => text.to_string(),
        Some((cut, _)) => {
            let words = text[..cut].rsplit_once(' ').map_or(&text[..cut], |(w, _)| w);
            format!("{words}…")
        }
    };
    match (lead.is_empty(), excerpt.is_empty()) {
        (_, true) => lead.to_string(),
        (true, false) => excerpt,
        (false, false) => format!("{lead} — {excerpt}"),
    }
}

impl Entry<'_> {
    fn write(&self, x: &Exporter, w: &mut dyn Write) -> io::Result<()> {
        let id = super::stable_uuid(&x.dossier.config.title, self.kind, self.slug);
        w.write_all(b"  <entry>\n")?;
        writeln!(w, "    <id>urn:uuid:{id}</id>")?;
        writeln!(w, "    <title>{}</title>", xml(self.title))?;
        writeln!(w, "    <updated>{}</updated>", timestamp(self.updated))?;
        if let Some(day) = self.published {
            writeln!(w, "    <published>{}</published>", timestamp(day))?;
        }
        writeln!(w, "    <link href=\"{}\"/>", xml(&x.url(&self.path)))?;
        writeln!(w, "    <category term=\"{}\"/>", self.kind)?;
        writeln!(w, "    <summary>{}</summary>", xml(&self.summary))?;
        w.write_all(b"  </entry>\n")
    }
}

/// Whether a date is one known day (not a range, not approximate).
fn is_one_day(date: &EdtfDate) -> bool {
    !date.is_estimate() && date.earliest() == date.latest()
}

fn timestamp(day: NaiveDate) -> String {
    format!("{}T00:00:00Z", day.format("%Y-%m-%d"))
}

/// Every page of the site, absolute; written only with `base_url`.
pub fn sitemap(x: &Exporter, w: &mut dyn Write) -> io::Result<()> {
    w.write_all(
        b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    )?;
    for page in &x.pages {
        writeln!(w, "  <url><loc>{}</loc></url>", xml(&x.url(page)))?;
    }
    w.write_all(b"</urlset>\n")
}

#[cfg(test)]
mod tests {
    use super::super::testing::{Fixture, fixtures};
    use super::*;

    /// The text of each `<tag>…</tag>` of an entry, in order.
    fn values<'a>(entry: &'a str, tag: &str) -> Vec<&'a str> {
        let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
        entry
            .split(&open)
            .skip(1)
            .map(|rest| rest.split(&close).next().unwrap())
            .collect()
    }

    /// Issue 15: a self link under `base_url`; every entry summed up by
    /// more than a name; `updated` never before the entry's sources were
    /// published, never after the dossier's last day, never an event's date.
    #[test]
    fn links_itself_and_dates_and_sums_up_every_entry_r15() {
        for f in fixtures() {
            let feed = Fixture::text(&f.exports(), FILE);
            let x = f.exporter();
            let self_link = format!(
                "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
                x.url(FILE)
            );
            assert_eq!(
                feed.contains(&self_link),
                f.dossier.config.base_url.is_some(),
                "{}",
                f.name
            );
            let entries: Vec<&str> = feed.split("<entry>").skip(1).collect();
            assert_eq!(entries.len(), f.dossier.sources.len() + f.dossier.events.len());
            let last_day = x.last_day();
            let last = timestamp(last_day);
            for (entry, s) in entries.iter().zip(&f.dossier.sources) {
                let summary = values(entry, "summary");
                assert_eq!(summary.len(), 1, "{entry}");
                let author = s.author.as_deref().unwrap_or("\u{0}");
                assert!(summary[0].len() > author.len() + 20, "{}: {}", s.slug, summary[0]);
            }
            for (entry, e) in entries[f.dossier.sources.len()..].iter().zip(&f.dossier.events) {
                let updated = values(entry, "updated")[0];
                assert!(updated <= last.as_str(), "{updated}");
                let reported = (e.citations.iter())
                    .filter_map(|c| f.dossier.sources[c.source].published.as_ref())
                    .map(|p| p.latest().min(last_day))
                    .max();
                if let Some(reported) = reported {
                    assert_eq!(updated, timestamp(reported), "{}", e.slug);
                }
                assert_eq!(values(entry, "summary").len(), 1, "{entry}");
            }
        }
    }

    /// A dossier of 100,000 sources had a feed of 133 MB: past its limit,
    /// the feed keeps the latest entries, and no entry it drops is newer
    /// than one it keeps.
    #[test]
    fn keeps_only_the_latest_entries_past_its_limit() {
        for f in fixtures() {
            let x = f.exporter();
            let total = f.dossier.sources.len() + f.dossier.events.len();
            let limit = total / 2;
            assert!(limit >= 2, "{}: a fixture with entries to drop", f.name);
            let mut out = Vec::new();
            atom_of_latest(&x, &mut out, limit).unwrap();
            let feed = String::from_utf8(out).unwrap();
            let kept: Vec<&str> = feed.split("<entry>").skip(1).map(|e| values(e, "updated")[0]).collect();
            assert_eq!(kept.len(), limit, "{}", f.name);
            let all: Vec<String> = latest(&x, x.last_day(), usize::MAX)
                .into_iter()
                .map(|(_, day)| timestamp(day))
                .collect();
            assert_eq!(all.len(), total);
            let oldest_kept = kept.iter().min().unwrap();
            let newer = all.iter().filter(|day| day.as_str() > *oldest_kept).count();
            assert!(
                newer <= limit,
                "{}: every entry newer than the oldest kept is kept",
                f.name
            );
            assert_eq!(
                kept.iter().filter(|day| *day > oldest_kept).count(),
                newer,
                "{}",
                f.name
            );
        }
    }

    #[test]
    fn cuts_a_summary_between_words() {
        let long = "mot ".repeat(100);
        let p = Paragraph {
            number: 1,
            kind: BlockKind::Paragraph,
            inlines: Vec::new(),
            plain: long.clone(),
            normal: Some(long.trim().to_string()),
            span: 0..0,
        };
        let s = summary("Le Monde", Some(&p));
        assert!(s.starts_with("Le Monde — mot mot") && s.ends_with("mot…"), "{s}");
        assert!(s.chars().count() <= "Le Monde — ".len() + EXCERPT + 1);
        assert_eq!(summary("", None), "");
    }

    #[test]
    fn xml_text_never_holds_a_forbidden_character() {
        assert_eq!(xml("a\u{1}b\u{b}<c>\u{FFFF}\td"), "ab&lt;c&gt;\td");
    }
}
