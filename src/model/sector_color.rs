//! The checks of a sector's `color:`: a colour, readable as text on the
//! theme's light background, and — lightened as dark mode shows it — on
//! its dark one. A dark background too light for light text is the
//! theme's problem, not the sectors': it is reported once, at the `--bg`
//! that sets it, naming the sectors it leaves unreadable (issue 13: each
//! sector got an error of its own, twelve for twelve sectors).

use std::ops::Range;
use std::path::PathBuf;

use super::Sector;
use super::color::{Backgrounds, MIN_CONTRAST, contrast, dark_variant, readable_on, to_hex};
use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::load::theme::ThemeFile;
use crate::load::{Document, Inputs, RawSector};
use crate::span::field_span;

/// The theme's stylesheets as render puts them on a page: `style.css`,
/// then the other `static/*.css`, one after the other.
pub struct Stylesheet<'a> {
    pub text: String,
    /// Each file, with the offset in `text` it starts at.
    files: Vec<(usize, &'a ThemeFile)>,
}

impl<'a> Stylesheet<'a> {
    pub fn of(inputs: &'a Inputs) -> Option<Self> {
        let files = &inputs.theme.files;
        let main = files.get("static/style.css").into_iter();
        let others = files
            .iter()
            .filter(|(path, _)| path.starts_with("static/") && path.ends_with(".css") && *path != "static/style.css")
            .map(|(_, file)| file);
        let (mut text, mut starts) = (String::new(), Vec::new());
        for file in main.chain(others) {
            if !starts.is_empty() {
                text.push('\n');
            }
            starts.push((text.len(), file));
            text.push_str(&file.text);
        }
        (!starts.is_empty()).then_some(Stylesheet { text, files: starts })
    }

    /// The file a span of `text` is in, and the span in that file.
    fn locate(&self, span: Range<usize>) -> Option<(PathBuf, Range<usize>)> {
        let &(start, file) = self.files.iter().rev().find(|(start, _)| *start <= span.start)?;
        Some((file.origin.clone(), span.start - start..span.end - start))
    }
}

/// A sector colour must be `#rrggbb` and readable as text on the page's
/// light background (the theme's `--bg`); in dark mode it is lightened
/// until it reads on the dark one (see [`unreadable_in_dark_mode`]).
/// Returns the dark-mode colour.
pub fn check_color(
    doc: &Document<RawSector>,
    color: &str,
    backgrounds: &Backgrounds,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let span = field_span(&doc.text, &doc.yaml, "color");
    let Some(rgb) = super::color::parse(color) else {
        let (message, help) = not_a_colour(&doc.front.color, &doc.text[span.clone()]);
        diags.push(Diagnostic::error(Code::E0205, &doc.path, span, message).with_help(help));
        return color.to_string();
    };
    let ratio = contrast(rgb, backgrounds.light);
    if ratio < MIN_CONTRAST {
        let (readable, darker) = readable_on(rgb, backgrounds.light);
        let shade = if darker { "darker" } else { "lighter" };
        let message = format!(
            "the colour `{color}` has a contrast of {}:1 on the page; text needs {MIN_CONTRAST}:1",
            ratio_text(ratio)
        );
        let help = format!("use a {shade} shade, e.g. `\"{}\"`", to_hex(readable));
        diags.push(Diagnostic::error(Code::E0212, &doc.path, span, message).with_help(help));
    }
    to_hex(dark_variant(rgb, backgrounds.dark))
}

/// One E0212 at the theme's dark `--bg` when the sectors' colours, even
/// lightened to white, cannot be read on it: the sectors named, in order.
pub fn unreadable_in_dark_mode(
    sectors: &[Sector],
    backgrounds: &Backgrounds,
    stylesheet: Option<&Stylesheet>,
) -> Option<Diagnostic> {
    let unreadable: Vec<String> = sectors
        .iter()
        .filter(|s| super::color::parse(&s.dark_color).is_some_and(|c| contrast(c, backgrounds.dark) < MIN_CONTRAST))
        .map(|s| format!("`{}`", s.slug))
        .collect();
    if unreadable.is_empty() {
        return None;
    }
    let (path, span) = stylesheet
        .and_then(|sheet| sheet.locate(backgrounds.dark_declared_at.clone()?))
        .unwrap_or_else(|| (PathBuf::from("themes"), 0..0));
    let message = format!(
        "the theme's dark background `{}` is too light for {}: even white has a contrast of {}:1 on it; text \
         needs {MIN_CONTRAST}:1",
        to_hex(backgrounds.dark),
        sectors_named(&unreadable),
        ratio_text(contrast([255; 3], backgrounds.dark))
    );
    let help = "in dark mode a sector colour is lightened until it reads on the page; give this `--bg` of the \
                theme's `@media (prefers-color-scheme: dark)` block a darker colour, e.g. `#15171a`";
    Some(Diagnostic::error(Code::E0212, &path, span, message).with_help(help))
}

/// `the colour of the sector `a`` or `the colours of the sectors `a`,
/// `b` and `c``.
fn sectors_named(slugs: &[String]) -> String {
    match slugs {
        [one] => format!("the colour of the sector {one}"),
        [init @ .., last] => format!("the colours of the sectors {} and {last}", init.join(", ")),
        [] => "no sector".into(),
    }
}

/// Issue 12: "a contrast of 4.5:1 on the page; text needs 4.5:1". A ratio
/// is shown rounded down, to two decimals, so one just under the minimum
/// never reads as the minimum.
fn ratio_text(ratio: f64) -> String {
    format!("{:.2}", (ratio * 100.0).floor() / 100.0)
}

/// The message and hint for a `color:` that is not a colour. `value` is
/// what YAML read, `written` what the line holds after `color:`. Issue 12:
/// an unquoted `color: #6b46c1` is a YAML comment, and the message said
/// "`` is not a colour".
fn not_a_colour(value: &str, written: &str) -> (String, String) {
    let quote = "write a colour as `\"#rrggbb\"` (quoted: `#` starts a YAML comment)";
    match (value.trim().is_empty(), written.trim()) {
        (true, comment) if comment.starts_with('#') => (
            format!("`color:` has no value: YAML reads `{comment}` as a comment"),
            format!("quote the colour: `color: \"{comment}\"`"),
        ),
        (true, _) => ("`color:` has no value".into(), quote.into()),
        (false, _) => (format!("`{value}` is not a colour"), quote.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 12: "a contrast of 4.5:1 on the page; text needs 4.5:1".
    #[test]
    fn never_rounds_a_ratio_up_to_the_minimum() {
        assert_eq!(ratio_text(4.4999), "4.49");
        assert_eq!(ratio_text(4.4951), "4.49");
        assert_eq!(ratio_text(1.0), "1.00");
        let green = super::super::color::parse("#2f855a").unwrap();
        let ratio = super::super::color::contrast(green, super::super::color::light_background());
        assert!(ratio_text(ratio) != "4.50", "{ratio}");
    }

    /// Issue 12: an unquoted `color: #6b46c1` said "`` is not a colour".
    #[test]
    fn says_an_unquoted_colour_is_a_comment() {
        let (message, help) = not_a_colour("", "#6b46c1");
        assert_eq!(message, "`color:` has no value: YAML reads `#6b46c1` as a comment");
        assert_eq!(help, "quote the colour: `color: \"#6b46c1\"`");
        let (message, _) = not_a_colour("", "");
        assert!(!message.contains("``"), "{message}");
        assert_eq!(not_a_colour("blue", "blue").0, "`blue` is not a colour");
    }

    #[test]
    fn names_one_sector_or_several() {
        let slugs = |s: &[&str]| s.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>();
        assert_eq!(sectors_named(&slugs(&["a"])), "the colour of the sector `a`");
        assert_eq!(
            sectors_named(&slugs(&["a", "b", "c"])),
            "the colours of the sectors `a`, `b` and `c`"
        );
    }
}
