//! `data/timeline.json`: the chronology in the TimelineJS format
//! (<https://timeline.knightlab.com/docs/json-format.html>), to drop into a
//! TimelineJS embed as is. Each event is grouped under its first sector and
//! links to the paragraphs that report it.

use std::io::{self, Write};

use serde::Serialize;

use super::Exporter;
use crate::model::{Event, PartialDate};
use crate::render::html::escape;

#[derive(Serialize)]
struct Timeline<'a> {
    title: Slide,
    events: Slides<'a>,
}

/// The events' slides, made as they are written.
struct Slides<'a>(&'a Exporter<'a>);

impl Serialize for Slides<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.dossier.events.iter().map(|e| slide(self.0, e)))
    }
}

#[derive(Serialize)]
struct Slide {
    #[serde(skip_serializing_if = "Option::is_none")]
    start_date: Option<TimelineDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<TimelineDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_date: Option<String>,
    text: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unique_id: Option<String>,
}

#[derive(Serialize)]
struct Text {
    headline: String,
    text: String,
}

#[derive(Serialize)]
struct TimelineDate {
    year: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    month: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    day: Option<u32>,
}

pub fn timeline(x: &Exporter, w: &mut dyn Write) -> io::Result<()> {
    let d = x.dossier;
    let timeline = Timeline {
        title: Slide {
            start_date: None,
            end_date: None,
            display_date: None,
            text: Text {
                headline: escape(&d.config.title),
                text: d.config.subtitle.as_deref().map(escape).unwrap_or_default(),
            },
            group: None,
            unique_id: None,
        },
        events: Slides(x),
    };
    serde_json::to_writer_pretty(&mut *w, &timeline)?;
    w.write_all(b"\n")
}

fn slide(x: &Exporter, e: &Event) -> Slide {
    let d = x.dossier;
    let (start, end) = ends(e);
    let links: Vec<String> = (super::paragraphs_cited(&e.citations).into_iter())
        .map(|c| {
            let source = &d.sources[c.source];
            format!(
                "<a href=\"{}\">{} ¶{}</a>",
                escape(&x.citation_url(c)),
                escape(&source.title),
                c.paragraph
            )
        })
        .collect();
    Slide {
        start_date: start.map(date),
        end_date: end.map(date),
        display_date: Some(x.i18n.dates.format(&e.date, true)),
        text: Text {
            headline: escape(&e.title),
            text: if links.is_empty() {
                String::new()
            } else {
                format!("<p>{}</p>", links.join("<br>"))
            },
        },
        group: e.sectors.first().map(|&s| d.sectors[s].title.clone()),
        unique_id: Some(e.slug.clone()),
    }
}

/// The known ends of an event's date; an open start is shown at its end.
fn ends(e: &Event) -> (Option<PartialDate>, Option<PartialDate>) {
    match e.date {
        crate::model::EdtfDate::Single(d) => (Some(d), None),
        crate::model::EdtfDate::Range { start: None, end } => (end, None),
        crate::model::EdtfDate::Range { start, end } => (start, end),
    }
}

fn date(p: PartialDate) -> TimelineDate {
    TimelineDate {
        year: p.year,
        month: p.month,
        day: p.day,
    }
}
