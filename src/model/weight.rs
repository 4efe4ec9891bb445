//! What a source will weigh as HTML in a one-file edition, estimated from
//! its model before anything is rendered, so that the render stage can
//! plan the editions. Measured on the default theme.

use std::ops::Range;

use super::Source;

/// Estimated bytes an annotation adds to its paragraph: its mark and its
/// tag in the margin.
pub const ANNOTATION_WEIGHT: usize = 250;

/// A source's part of an edition, in estimated bytes of HTML: its heading
/// and metadata, a frame around each paragraph, the text (escaped, with
/// typography), and each annotation's marks and links. Measured on the
/// shared benchmark corpus (about 19 KB for an article of 22 paragraphs)
/// and on two-paragraph wire items (about 3 KB), where the frames weigh
/// more than the text.
pub fn edition_part(s: &Source) -> usize {
    heading(s) + paragraphs(&s.paragraphs) + ANNOTATION_WEIGHT * s.annotations.len()
}

/// A source's heading and metadata in its part.
fn heading(s: &Source) -> usize {
    1_400 + 3 * s.title.len()
}

/// Paragraphs in a part: a frame each, and their text.
fn paragraphs(paragraphs: &[super::Paragraph]) -> usize {
    let text: usize = paragraphs.iter().map(|p| p.plain.len()).sum();
    290 * paragraphs.len() + text * 11 / 10
}

/// [`edition_part`] for a source shown on several pages (`pages`: ranges
/// of its paragraphs, in order), page by page: the first page carries the
/// source's heading. So that an edition can hold a source in part, and
/// no source makes one heavier than its budget.
pub fn edition_pages(s: &Source, pages: &[Range<usize>]) -> Vec<usize> {
    let mut weights: Vec<usize> = pages
        .iter()
        .map(|range| paragraphs(s.paragraphs.get(range.clone()).unwrap_or_default()))
        .collect();
    let starts: Vec<usize> = pages.iter().map(|range| range.start).collect();
    for a in &s.annotations {
        // `paragraph` counts from 1; the page whose range holds it.
        let at = a.paragraph.saturating_sub(1);
        let page = starts.partition_point(|&start| start <= at).saturating_sub(1);
        if let Some(weight) = weights.get_mut(page) {
            *weight += ANNOTATION_WEIGHT;
        }
    }
    if let Some(first) = weights.first_mut() {
        *first += heading(s);
    }
    weights
}
