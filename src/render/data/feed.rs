//! `feed.xml`, an Atom 1.0 feed (RFC 4287) of the dossier's sources and
//! events, and `sitemap.xml`, written only when `base_url` says where the
//! site lives (a sitemap needs absolute addresses). Entry ids are name-based
//! UUIDs: the same on every build. Dates come from the content, never from
//! the clock.

use std::io::{self, Write};

use chrono::NaiveDate;

use super::Exporter;
use crate::model::EdtfDate;

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

pub fn atom(x: &Exporter, w: &mut dyn Write) -> io::Result<()> {
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
    writeln!(w, "  <link href=\"{}\"/>", xml(&x.url(&x.routes.home())))?;
    writeln!(w, "  <author><name>{}</name></author>", xml(&d.config.title))?;
    w.write_all(b"  <generator>dossier</generator>\n")?;
    for s in &d.sources {
        // An inferred publication date is a range: the entry is dated by
        // its last possible day, published only when the day is known, and
        // the summary says the range in words.
        let updated = s.published.as_ref().map_or(last_day, EdtfDate::latest).min(last_day);
        let published = s.published.as_ref().filter(|p| is_one_day(p)).map(EdtfDate::earliest);
        let when = s.published.as_ref().map(|p| x.i18n.dates.format_bounds(p));
        let summary = [s.author.as_deref(), s.outlet.as_deref(), when.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        let entry = Entry {
            kind: "source",
            slug: &s.slug,
            title: &s.title,
            path: &x.routes.source(&s.slug),
            updated,
            published,
            summary: &summary,
        };
        entry.write(x, w)?;
    }
    for e in &d.events {
        let entry = Entry {
            kind: "event",
            slug: &e.slug,
            title: &e.title,
            path: &x.routes.event(&e.slug),
            updated: day_of(&e.date),
            published: None,
            summary: &x.i18n.dates.format(&e.date, true),
        };
        entry.write(x, w)?;
    }
    w.write_all(b"</feed>\n")
}

/// An entry of the feed: a source or an event.
struct Entry<'a> {
    kind: &'a str,
    slug: &'a str,
    title: &'a str,
    path: &'a str,
    updated: NaiveDate,
    /// Only for a source whose day of publication is known.
    published: Option<NaiveDate>,
    summary: &'a str,
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
        writeln!(w, "    <link href=\"{}\"/>", xml(&x.url(self.path)))?;
        writeln!(w, "    <category term=\"{}\"/>", self.kind)?;
        if !self.summary.is_empty() {
            writeln!(w, "    <summary>{}</summary>", xml(self.summary))?;
        }
        w.write_all(b"  </entry>\n")
    }
}

/// Whether a date is one known day (not a range, not approximate).
fn is_one_day(date: &EdtfDate) -> bool {
    !date.is_estimate() && date.earliest() == date.latest()
}

/// The day a date is filed under in a feed: its first known day.
fn day_of(date: &EdtfDate) -> NaiveDate {
    match date.earliest() {
        NaiveDate::MIN => date.latest(),
        day => day,
    }
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
    use super::*;

    #[test]
    fn xml_text_never_holds_a_forbidden_character() {
        assert_eq!(xml("a\u{1}b\u{b}<c>\u{FFFF}\td"), "ab&lt;c&gt;\td");
    }
}
