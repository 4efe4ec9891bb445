//! The chronology's overview, drawn at build time (no script): a row per
//! sector, on a time axis that keeps the years without events (a silence
//! is part of the story), a disc per year whose area is the number of the
//! sector's events that year, linking to them. Positions are percentages
//! of the width, so the chart fits a phone without scrolling sideways;
//! colours come from the sectors' classes, so dark mode restyles it.

use std::fmt::Write as _;

use super::context::Views;
use super::html::{Renderer, escape};
use super::layout::{Entry, Layout};
use super::routes::{event_anchor, href};
use super::typography::escape_text;

/// Height of a sector's strip, in px; discs are centred on its middle.
const STRIP: usize = 22;
const LARGEST_RADIUS: f64 = 7.5;
const SMALLEST_RADIUS: f64 = 3.0;
/// The most year labels the axis shows.
const AXIS_LABELS: i32 = 7;

/// A sector's events in one year, and where the first of them is shown.
struct Cell {
    year: i32,
    count: usize,
    href: String,
}

pub fn overview(r: &Renderer, v: &Views, layout: &Layout) -> String {
    let d = r.dossier;
    let cells: Vec<Vec<Cell>> = (0..d.sectors.len()).map(|s| cells(r, layout, s)).collect();
    let years = cells.iter().flatten().map(|c| c.year);
    let (Some(first), Some(last)) = (years.clone().min(), years.max()) else {
        return String::new();
    };
    let max = cells.iter().flatten().map(|c| c.count).max().unwrap_or(1);
    let axis = Axis { first, last };
    let caption = r.i18n.strings.get("overview_caption").cloned().unwrap_or_default();
    let mut out = String::new();
    let _ = write!(
        out,
        "<figure class=\"overview\"><figcaption>{}</figcaption><div class=\"overview-row overview-axis\" aria-hidden=\"true\"><span></span>{}</div><ul class=\"overview-rows\">",
        escape_text(&caption, &d.config.language),
        axis.labels()
    );
    for (s, row) in cells.iter().enumerate() {
        let chip = &v.sector_chips[s];
        let _ = write!(
            out,
            "<li class=\"overview-row {}\"><a class=\"overview-label\" href=\"{}\">{}</a><svg class=\"overview-strip\" width=\"100%\" height=\"{STRIP}\" overflow=\"visible\" role=\"group\" aria-label=\"{}\"><line class=\"overview-track\" x1=\"0\" x2=\"100%\" y1=\"{y}\" y2=\"{y}\"></line>",
            chip.class,
            chip.href,
            escape_text(&chip.text, &d.config.language),
            escape(&chip.text),
            y = STRIP / 2,
        );
        for cell in row {
            let radius = SMALLEST_RADIUS + (LARGEST_RADIUS - SMALLEST_RADIUS) * (cell.count as f64 / max as f64).sqrt();
            let label = format!(
                "{} : {}",
                cell.year,
                r.i18n.count("events", cell.count as u64).unwrap_or_default()
            );
            let _ = write!(
                out,
                "<a href=\"{}\" aria-label=\"{}\"><title>{}</title><circle cx=\"{:.2}%\" cy=\"{}\" r=\"{radius:.1}\"></circle></a>",
                cell.href,
                escape(&label),
                escape_text(&label, &d.config.language),
                axis.x(cell.year),
                STRIP / 2,
            );
        }
        out.push_str("</svg></li>");
    }
    out.push_str("</ul></figure>");
    out
}

/// A sector's events by year, from its list in the layout (date order),
/// each year linking to the page and anchor of its first event.
fn cells(r: &Renderer, layout: &Layout, s: usize) -> Vec<Cell> {
    let d = r.dossier;
    let list = &layout.sectors[s];
    let slug = &d.sectors[s].slug;
    let mut out: Vec<Cell> = Vec::new();
    let mut visit = |page: String, entries: &[Entry]| {
        for entry in entries {
            let Entry::Event(e) = *entry else { continue };
            let year = d.events[e].date.year();
            // The list is in date order: a year's events are together.
            match out.last_mut() {
                Some(cell) if cell.year == year => cell.count += 1,
                _ => out.push(Cell {
                    year,
                    count: 1,
                    href: href(&format!("{page}#{}", event_anchor(&d.events[e].slug))),
                }),
            }
        }
    };
    match &list.parts {
        Some(parts) => {
            for (i, part) in parts.iter().enumerate() {
                let key = part.period.key(&r.routes.names.undated);
                visit(r.routes.sector_part(slug, &key), list.part(Some(i)));
            }
        }
        None => visit(r.routes.sector(slug), &list.items),
    }
    out
}

/// The years from the first to the last, each a band of equal width.
struct Axis {
    first: i32,
    last: i32,
}

impl Axis {
    /// The middle of `year`'s band, in percent of the width.
    fn x(&self, year: i32) -> f64 {
        let bands = f64::from(self.last - self.first + 1);
        (f64::from(year - self.first) + 0.5) / bands * 100.0
    }

    /// The axis's labels: every year, or every 2, 5, 10… years when there
    /// are too many to read on a phone.
    fn labels(&self) -> String {
        let span = self.last - self.first + 1;
        let step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
            .into_iter()
            .find(|step| span / step < AXIS_LABELS)
            .unwrap_or(span);
        let mut out = String::from("<svg class=\"overview-years\" width=\"100%\" height=\"18\" overflow=\"visible\">");
        let mut year = self.first + (step - self.first.rem_euclid(step)) % step;
        if step == 1 {
            year = self.first;
        }
        while year <= self.last {
            let _ = write!(
                out,
                "<text x=\"{:.2}%\" y=\"13\" text-anchor=\"middle\">{year}</text>",
                self.x(year)
            );
            year += step;
        }
        out.push_str("</svg>");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_keeps_years_without_events() {
        let axis = Axis {
            first: 2001,
            last: 2021,
        };
        // 2009 is a third of the way along, events or not.
        assert!((axis.x(2009) - (8.5 / 21.0 * 100.0)).abs() < 1e-9);
        assert!(axis.x(2001) > 0.0 && axis.x(2021) < 100.0);
    }

    #[test]
    fn a_long_axis_labels_round_years() {
        let labels = Axis {
            first: 1933,
            last: 2025,
        }
        .labels();
        assert!(labels.contains(">1940<") && labels.contains(">2020<"), "{labels}");
        assert!(!labels.contains(">1933<"));
        let short = Axis {
            first: 2021,
            last: 2025,
        }
        .labels();
        assert_eq!(short.matches("<text").count(), 5);
    }
}
