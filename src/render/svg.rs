//! The chronology's overview, drawn at build time as inline SVG (no
//! script): one column per year, one row per sector, a disc whose area is
//! the number of events, and the number itself for screen readers and
//! print. Colours come from the sectors' classes, so dark mode restyles it.

use std::fmt::Write as _;

use super::context::Views;
use super::html::{Renderer, escape};
use super::routes::href;

const COLUMN: usize = 56;
const ROW: usize = 30;
const HEAD: usize = 28;

pub fn overview(r: &Renderer, v: &Views, years: &[i32]) -> String {
    let d = r.dossier;
    if years.is_empty() || d.sectors.is_empty() {
        return String::new();
    }
    let mut counts = vec![vec![0usize; years.len()]; d.sectors.len()];
    for event in &d.events {
        let column = years.binary_search(&event.date.year()).unwrap_or(0);
        for &s in &event.sectors {
            counts[s][column] += 1;
        }
    }
    let max = counts.iter().flatten().copied().max().unwrap_or(1).max(1);
    // Labels are drawn right-aligned before the first column: room for the
    // longest, at about 7.5 px a character of 13 px sans-serif.
    let longest = d.sectors.iter().map(|s| s.title.chars().count()).max().unwrap_or(0);
    let label_width = longest * 15 / 2 + 16;
    let width = label_width + COLUMN * years.len();
    let height = HEAD + ROW * d.sectors.len();
    let caption = r.i18n.strings.get("overview_caption").cloned().unwrap_or_default();
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"overview\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"group\" aria-labelledby=\"overview-title\"><title id=\"overview-title\">{}</title>",
        escape(&caption)
    );
    for (c, year) in years.iter().enumerate() {
        let x = label_width + COLUMN * c + COLUMN / 2;
        let _ = write!(
            svg,
            "<a href=\"{}\"><text class=\"year\" x=\"{x}\" y=\"18\" text-anchor=\"middle\">{year}</text></a>",
            href(&r.routes.year(*year))
        );
    }
    for (s, sector) in d.sectors.iter().enumerate() {
        let y = HEAD + ROW * s + ROW / 2;
        let _ = write!(
            svg,
            "<g class=\"{}\"><a href=\"{}\"><text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text></a>",
            v.sector_chips[s].class,
            v.sector_chips[s].href,
            label_width - 10,
            y + 5,
            escape(&sector.title)
        );
        for (c, &n) in counts[s].iter().enumerate() {
            if n == 0 {
                continue;
            }
            let x = label_width + COLUMN * c + COLUMN / 2;
            let radius = 4.0 + 9.0 * (n as f64 / max as f64).sqrt();
            let _ = write!(
                svg,
                "<circle cx=\"{x}\" cy=\"{y}\" r=\"{radius:.1}\"></circle><text class=\"count\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{n}</text>",
                y + 4
            );
        }
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    svg
}
