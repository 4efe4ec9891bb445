//! `feed.xml`, an Atom 1.0 feed (RFC 4287) of the dossier's sources and
//! events, and `sitemap.xml`, written only when `base_url` says where the
//! site lives (a sitemap needs absolute addresses). Entry ids are name-based
//! UUIDs: the same on every build. Dates come from the content, never from
//! the clock.

use chrono::NaiveDate;

use super::Exporter;
use crate::model::EdtfDate;
// HTML's escape is XML's for text and double-quoted attributes.
use crate::render::html::escape as xml;

pub fn atom(x: &Exporter) -> String {
    let d = x.dossier;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\"",
        xml(&d.config.language)
    ));
    if let Some(base) = &d.config.base_url {
        out.push_str(&format!(" xml:base=\"{}\"", xml(base)));
    }
    out.push_str(">\n");
    out.push_str(&format!(
        "  <id>urn:uuid:{}</id>\n",
        super::stable_uuid(&d.config.title, "feed", "")
    ));
    out.push_str(&format!("  <title>{}</title>\n", xml(&d.config.title)));
    if let Some(subtitle) = &d.config.subtitle {
        out.push_str(&format!("  <subtitle>{}</subtitle>\n", xml(subtitle)));
    }
    let last_day = x.last_day();
    out.push_str(&format!("  <updated>{}</updated>\n", timestamp(last_day)));
    out.push_str(&format!("  <link href=\"{}\"/>\n", xml(&x.url(&x.routes.home()))));
    out.push_str(&format!("  <author><name>{}</name></author>\n", xml(&d.config.title)));
    out.push_str("  <generator>dossier</generator>\n");
    for s in &d.sources {
        let updated = s.published.as_ref().map_or(last_day, day_of);
        let summary = [s.outlet.as_deref(), s.author.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        out.push_str(&entry(
            x,
            "source",
            &s.slug,
            &s.title,
            &x.routes.source(&s.slug),
            updated,
            &summary,
        ));
    }
    for e in &d.events {
        let summary = x.i18n.dates.format(&e.date, true);
        out.push_str(&entry(
            x,
            "event",
            &e.slug,
            &e.title,
            &x.routes.event(&e.slug),
            day_of(&e.date),
            &summary,
        ));
    }
    out.push_str("</feed>\n");
    out
}

fn entry(x: &Exporter, kind: &str, slug: &str, title: &str, path: &str, updated: NaiveDate, summary: &str) -> String {
    let id = super::stable_uuid(&x.dossier.config.title, kind, slug);
    let mut out = String::from("  <entry>\n");
    out.push_str(&format!("    <id>urn:uuid:{id}</id>\n"));
    out.push_str(&format!("    <title>{}</title>\n", xml(title)));
    out.push_str(&format!("    <updated>{}</updated>\n", timestamp(updated)));
    out.push_str(&format!("    <link href=\"{}\"/>\n", xml(&x.url(path))));
    out.push_str(&format!("    <category term=\"{kind}\"/>\n"));
    if !summary.is_empty() {
        out.push_str(&format!("    <summary>{}</summary>\n", xml(summary)));
    }
    out.push_str("  </entry>\n");
    out
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

/// Every page of the site, absolute; `None` without `base_url`.
pub fn sitemap(x: &Exporter) -> Option<String> {
    x.dossier.config.base_url.as_ref()?;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in &x.pages {
        out.push_str(&format!("  <url><loc>{}</loc></url>\n", xml(&x.url(page))));
    }
    out.push_str("</urlset>\n");
    Some(out)
}
