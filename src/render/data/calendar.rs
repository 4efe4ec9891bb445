//! The chronology as a spreadsheet (CSV, RFC 4180) and as a calendar
//! (iCalendar, RFC 5545): one row, or one all-day event, per event.

use std::io::{self, Write};

use chrono::{Days, NaiveDate};

use super::Exporter;
use crate::model::{Dossier, Event};

const CSV_HEADER: [&str; 11] = [
    "slug",
    "title",
    "date",
    "start",
    "end",
    "precision",
    "kind",
    "status",
    "sectors",
    "actors",
    "citations",
];

/// RFC 4180: CRLF line ends, fields quoted when they hold a comma, a quote
/// or a line break, quotes doubled. Lists are joined with `; `.
pub fn csv(x: &Exporter, w: &mut dyn Write) -> io::Result<()> {
    let d = x.dossier;
    write_row(w, CSV_HEADER.iter().map(|h| h.to_string()))?;
    for e in &d.events {
        let date = super::json::date(&e.date);
        let citations: Vec<String> = (super::paragraphs_cited(&e.citations).into_iter())
            .map(|c| x.citation_url(c))
            .collect();
        write_row(
            w,
            [
                e.slug.clone(),
                e.title.clone(),
                date.edtf,
                date.start.unwrap_or_default(),
                date.end.unwrap_or_default(),
                date.precision.to_string(),
                e.kind.clone().unwrap_or_default(),
                e.status.clone().unwrap_or_default(),
                names(e.sectors.iter().map(|&s| d.sectors[s].slug.as_str())),
                names(e.actors.iter().map(|&a| d.actors[a].slug.as_str())),
                citations.join("; "),
            ],
        )?;
    }
    Ok(())
}

fn names<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.collect::<Vec<_>>().join("; ")
}

fn write_row(w: &mut dyn Write, fields: impl IntoIterator<Item = String>) -> io::Result<()> {
    let fields: Vec<String> = fields.into_iter().map(|f| csv_field(&f)).collect();
    write!(w, "{}\r\n", fields.join(","))
}

fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// RFC 5545: all-day events (`DTEND` is the day after the last one), UIDs
/// that never change, lines folded at 75 octets, CRLF line ends. The stamp
/// is the dossier's last day, not the clock, so builds are reproducible.
/// Events without a first or a last day are left out and named.
pub fn ics(x: &Exporter, w: &mut dyn Write) -> io::Result<()> {
    let d = x.dossier;
    let stamp = format!("{}T000000Z", x.last_day().format("%Y%m%d"));
    let head = [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        format!(
            "PRODID:-//dossier//{}//{}",
            text(&d.config.title),
            d.config.language.to_uppercase()
        ),
        "CALSCALE:GREGORIAN".to_string(),
        // No METHOD: a file to subscribe to is no iTIP message (RFC 5546
        // would then require an ORGANIZER, which a dossier has none of).
        format!("X-WR-CALNAME:{}", text(&d.config.title)),
    ];
    write_lines(w, &head)?;
    // A calendar event has a first and a last day; "since 2021" has no
    // last, "until 2018" no first. Rather than invent one, such events are
    // left out, and the calendar says which.
    let (open, bounded): (Vec<&Event>, Vec<&Event>) = d.events.iter().partition(|e| e.date.is_open());
    if !open.is_empty() {
        let slugs: Vec<&str> = open.iter().map(|e| e.slug.as_str()).collect();
        let note = format!("Left out, their dates having no start or no end: {}", slugs.join(", "));
        write_lines(w, &[format!("X-DOSSIER-OMITTED:{}", text(&note))])?;
    }
    for e in bounded {
        write_lines(w, &vevent(x, e, &stamp))?;
    }
    write_lines(w, &["END:VCALENDAR".to_string()])
}

/// Content lines, folded, each ended by CRLF.
fn write_lines(w: &mut dyn Write, lines: &[String]) -> io::Result<()> {
    lines.iter().try_for_each(|l| write!(w, "{}\r\n", fold(l)))
}

fn vevent(x: &Exporter, e: &Event, stamp: &str) -> Vec<String> {
    let d: &Dossier = x.dossier;
    let (start, end) = all_day(e);
    let sources: Vec<String> = (super::paragraphs_cited(&e.citations).into_iter())
        .map(|c| x.citation_url(c))
        .collect();
    let description = format!("{}\n{}", x.i18n.dates.format(&e.date, true), sources.join("\n"));
    let mut lines = vec![
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}@dossier", super::stable_uuid(&d.config.title, "event", &e.slug)),
        format!("DTSTAMP:{stamp}"),
        format!("DTSTART;VALUE=DATE:{}", start.format("%Y%m%d")),
        format!("DTEND;VALUE=DATE:{}", end.format("%Y%m%d")),
        format!("SUMMARY:{}", text(&e.title)),
        format!("DESCRIPTION:{}", text(&description)),
    ];
    if !e.sectors.is_empty() {
        let titles: Vec<String> = e.sectors.iter().map(|&s| text(&d.sectors[s].title)).collect();
        lines.push(format!("CATEGORIES:{}", titles.join(",")));
    }
    if d.config.base_url.is_some() {
        lines.push(format!("URL:{}", x.url(x.routes.event(&e.slug))));
    }
    lines.push("END:VEVENT".to_string());
    lines
}

/// The first day and the day after the last, for an all-day event (open
/// ranges are left out of the calendar before this).
fn all_day(e: &Event) -> (NaiveDate, NaiveDate) {
    let (first, last) = (e.date.earliest(), e.date.latest());
    let start = if first == NaiveDate::MIN { last } else { first };
    let last = if last == NaiveDate::MAX { start } else { last };
    (start, last.checked_add_days(Days::new(1)).unwrap_or(last))
}

/// A TEXT value: backslash, semicolon, comma and line breaks escaped.
fn text(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
}

/// Folds a content line into lines of at most 75 octets, never inside a
/// UTF-8 character; continuation lines start with a space.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_range_is_left_out_of_the_calendar_and_named() {
        let f = &super::super::testing::fixtures()[0];
        let ics = super::super::testing::Fixture::text(&f.exports(), "data/chronologie.ics");
        let open: Vec<&str> = (f.dossier.events.iter())
            .filter(|e| e.date.is_open())
            .map(|e| e.slug.as_str())
            .collect();
        assert!(
            !open.is_empty(),
            "the repository's dossier has an event « depuis 2021 »"
        );
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), f.dossier.events.len() - open.len());
        let unfolded = ics.replace("\r\n ", "");
        let omitted = unfolded.lines().find(|l| l.starts_with("X-DOSSIER-OMITTED:")).unwrap();
        assert!(open.iter().all(|slug| omitted.contains(slug)), "{omitted}");
        // Issue 15: METHOD makes an iTIP message, which needs an ORGANIZER.
        assert!(!unfolded.contains("\r\nMETHOD:") && !unfolded.contains("ORGANIZER"));
    }

    /// Issue 15: an event citing two annotations of one paragraph lists
    /// the paragraph once, in the CSV, the calendar and the timeline.
    #[test]
    fn lists_each_cited_paragraph_once_r15() {
        let unique = |list: Vec<&str>, what: &str| {
            let set: std::collections::BTreeSet<&str> = list.iter().copied().collect();
            assert_eq!(set.len(), list.len(), "{what}: {list:?}");
        };
        let mut twice = 0;
        for f in super::super::testing::fixtures() {
            twice += (f.dossier.events.iter())
                .filter(|e| super::super::paragraphs_cited(&e.citations).len() < e.citations.len())
                .count();
            let files = f.exports();
            let text = |path: &str| super::super::testing::Fixture::text(&files, path);
            let chronology = files.keys().find(|k| k.ends_with(".csv")).unwrap().clone();
            for row in text(&chronology).lines().skip(1) {
                let cited = row.rsplit(',').next().unwrap().trim_matches('"');
                unique(cited.split("; ").collect(), row);
            }
            let ics = text(&chronology.replace(".csv", ".ics")).replace("\r\n ", "");
            for line in ics.lines().filter(|l| l.starts_with("DESCRIPTION:")) {
                unique(line.split("\\n").skip(1).collect(), line);
            }
            let timeline: serde_json::Value = serde_json::from_str(&text("data/timeline.json")).unwrap();
            for slide in timeline["events"].as_array().unwrap() {
                let html = slide["text"]["text"].as_str().unwrap();
                unique(html.split("<a href=").skip(1).collect(), html);
            }
        }
        assert!(twice > 0, "a fixture's event cites one paragraph twice");
    }

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let line = format!("SUMMARY:{}", "é".repeat(60));
        let folded = fold(&line);
        for part in folded.split("\r\n") {
            assert!(part.len() <= 75, "{} octets: {part}", part.len());
        }
        assert_eq!(folded.replace("\r\n ", ""), line);
    }

    #[test]
    fn escapes_text_values() {
        assert_eq!(text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }

    #[test]
    fn quotes_csv_fields_only_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
