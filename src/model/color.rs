//! Sector colours and their contrast (WCAG 2 relative luminance). A sector's
//! colour is used for text on the page background, so it must reach 4.5:1;
//! its dark-mode variant is derived here by mixing with white until it
//! reaches the same ratio on the dark background. Both backgrounds are the
//! theme's `--bg`, read from its stylesheet (user input: one bounded pass,
//! no panic).

use std::ops::Range;

pub const LIGHT_BACKGROUND: &str = "#fdfdfb";
pub const DARK_BACKGROUND: &str = "#15171a";
pub const MIN_CONTRAST: f64 = 4.5;

pub fn parse(hex: &str) -> Option<[u8; 3]> {
    let digits = hex.strip_prefix('#')?;
    if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

pub fn to_hex(rgb: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2])
}

fn luminance(rgb: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
}

pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

fn mix(a: [u8; 3], b: [u8; 3], t: f64) -> [u8; 3] {
    let m = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    [m(a[0], b[0]), m(a[1], b[1]), m(a[2], b[2])]
}

/// The colour mixed towards `towards` just enough to reach `MIN_CONTRAST`
/// on `background` (the colour itself if it already does).
pub fn adjust(color: [u8; 3], background: [u8; 3], towards: [u8; 3]) -> [u8; 3] {
    (0..=100)
        .map(|step| mix(color, towards, f64::from(step) / 100.0))
        .find(|c| contrast(*c, background) >= MIN_CONTRAST)
        .unwrap_or(towards)
}

pub fn light_background() -> [u8; 3] {
    parse(LIGHT_BACKGROUND).expect("constant")
}

/// The page's two backgrounds, as the theme's stylesheet sets them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backgrounds {
    pub light: [u8; 3],
    pub dark: [u8; 3],
    /// Where in the stylesheet the `--bg` that dark mode shows is set (the
    /// value's bytes), when a declaration sets it.
    pub dark_declared_at: Option<Range<usize>>,
}

/// The backgrounds the theme's stylesheet sets with `--bg: #rrggbb` (or
/// `#rgb`): the first declaration outside any `@media
/// (prefers-color-scheme: dark)` block is the light one (the default
/// theme's `:root`), the first inside such a block the dark one. A
/// light `--bg` that cannot be read is the default theme's. The dark mode
/// keeps the light `--bg` when its block does not set one (that is what
/// the browser does); the default theme's dark background is used only
/// for a stylesheet without a dark block, or for a dark `--bg` that is
/// not a hex colour. The stylesheet is the user's:
/// one pass over it, no recursion, no panic, whatever it holds.
pub fn backgrounds(stylesheet: Option<&str>) -> Backgrounds {
    let found = stylesheet.map(scan).unwrap_or_default();
    let light = found
        .light
        .as_ref()
        .and_then(|d| d.colour)
        .unwrap_or_else(light_background);
    let (dark, dark_declared_at) = match (found.dark_block, found.dark) {
        (true, Some(Declared { colour: Some(dark), at })) => (dark, Some(at)),
        (true, None) => (light, found.light.map(|d| d.at)),
        // No dark block, or a dark `--bg` this reader cannot tell (`black`,
        // `var(…)`): the default theme's.
        (false, _) | (true, Some(Declared { colour: None, .. })) => (parse(DARK_BACKGROUND).expect("constant"), None),
    };
    Backgrounds {
        light,
        dark,
        dark_declared_at,
    }
}

/// A `--bg` declaration: its colour if this reader can tell it, and where
/// its value is.
#[derive(Debug)]
struct Declared {
    colour: Option<[u8; 3]>,
    at: Range<usize>,
}

/// What one pass over a stylesheet found: the first `--bg` outside and
/// inside a dark block.
#[derive(Debug, Default)]
struct Found {
    light: Option<Declared>,
    dark: Option<Declared>,
    dark_block: bool,
}

/// Scans CSS for `--bg` declarations, skipping comments and strings and
/// counting braces to know whether a declaration is inside a dark-mode
/// `@media` block. Every index it slices at is the index of an ASCII
/// byte, so a char boundary.
fn scan(css: &str) -> Found {
    let bytes = css.as_bytes();
    let mut found = Found::default();
    let mut depth = 0usize;
    // The depth the dark block opened at; where the `@media` being read
    // started (its prelude ends at the next `{`, or at `;`).
    let (mut dark_at, mut media_at) = (None::<usize>, None::<usize>);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = css[i + 2..].find("*/").map_or(bytes.len(), |end| i + 2 + end + 2);
                continue;
            }
            quote @ (b'"' | b'\'') => i = skip_string(bytes, i, quote),
            b'{' => {
                if let Some(start) = media_at.take()
                    && dark_at.is_none()
                    && is_dark_query(&css[start..i])
                {
                    dark_at = Some(depth);
                    found.dark_block = true;
                }
                depth += 1;
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                if dark_at == Some(depth) {
                    dark_at = None;
                }
            }
            b';' => media_at = None,
            b'@' if css[i..].get(..6).is_some_and(|at| at.eq_ignore_ascii_case("@media")) => media_at = Some(i),
            b'-' if css[i..].starts_with("--bg") && !is_ident(bytes, i.wrapping_sub(1)) && !is_ident(bytes, i + 4) => {
                let slot = if dark_at.is_some() {
                    &mut found.dark
                } else {
                    &mut found.light
                };
                let value = css[i + 4..].trim_start().strip_prefix(':');
                if let (None, Some(value)) = (&slot, value) {
                    *slot = Some(declared(css, value));
                }
                i += 4;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The declaration whose value starts `rest`, the end of `css` after a
/// `--bg:`.
fn declared(css: &str, rest: &str) -> Declared {
    let value = rest.split([';', '}', '!']).next().unwrap_or("");
    let start = css.len() - rest.len() + (value.len() - value.trim_start().len());
    let value = value.trim();
    Declared {
        colour: parse_css_hex(value),
        at: start..start + value.len(),
    }
}

/// The index of the quote that closes the string opened at `start`, or
/// of the line's end for an unclosed one (as CSS reads it).
fn skip_string(bytes: &[u8], start: usize, quote: u8) -> usize {
    let mut i = start + 1;
    while i < bytes.len() && bytes[i] != quote && bytes[i] != b'\n' {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    i.min(bytes.len())
}

/// Whether the byte at `i` (if any) belongs to a CSS identifier, so that
/// `--bg` there is part of a longer name such as `--bg-soft`.
fn is_ident(bytes: &[u8], i: usize) -> bool {
    bytes
        .get(i)
        .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_') || !b.is_ascii())
}

/// Whether a `@media` prelude selects the dark colour scheme.
fn is_dark_query(prelude: &str) -> bool {
    let query: String = prelude.chars().filter(|c| !c.is_whitespace()).collect();
    let query = query.to_ascii_lowercase();
    query.contains("prefers-color-scheme:dark") && !query.contains("not")
}

/// `#rrggbb` or `#rgb`, in either case.
fn parse_css_hex(value: &str) -> Option<[u8; 3]> {
    let value = value.to_ascii_lowercase();
    match value.strip_prefix('#') {
        Some(short) if short.len() == 3 => {
            parse(&format!("#{}", short.chars().flat_map(|c| [c, c]).collect::<String>()))
        }
        _ => parse(&value),
    }
}

/// The colour made readable on `background`: darker on a light page,
/// lighter on a dark one (whichever way can reach the minimum), and
/// whether it went darker.
pub fn readable_on(color: [u8; 3], background: [u8; 3]) -> ([u8; 3], bool) {
    let darker = contrast([0, 0, 0], background) >= contrast([255, 255, 255], background);
    let towards = if darker { [0, 0, 0] } else { [255, 255, 255] };
    (adjust(color, background, towards), darker)
}

/// The dark-mode variant of a sector colour: lightened until it reads on
/// the dark `background`. It is white, and may not reach the minimum,
/// when the background is too light for light text.
pub fn dark_variant(color: [u8; 3], background: [u8; 3]) -> [u8; 3] {
    adjust(color, background, [255, 255, 255])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The light background alone, see [`backgrounds`].
    fn page_background(stylesheet: Option<&str>) -> [u8; 3] {
        backgrounds(stylesheet).light
    }

    #[test]
    fn reads_the_background_from_the_stylesheet() {
        let cases = [
            (":root { --bg: #101010; --fg: #eee; }", [0x10, 0x10, 0x10]),
            (":root{--bg:#FFFFFF}", [255, 255, 255]),
            ("/* --bg: #000000 */ :root { --bg : #202020 ; }", [0x20, 0x20, 0x20]),
            (":root { --bgcolor: x; --bg: #303030 }", [0x30, 0x30, 0x30]),
            (":root { --bg: white; }", light_background()),
            ("p { color: red }", light_background()),
        ];
        for (css, expected) in cases {
            assert_eq!(page_background(Some(css)), expected, "{css}");
        }
        assert_eq!(page_background(None), light_background());
    }

    #[test]
    fn reads_the_dark_background_from_the_dark_block() {
        let default_dark = parse(DARK_BACKGROUND).unwrap();
        let cases = [
            // The default theme's own stylesheet.
            (
                include_str!("../../themes/default/static/style.css"),
                light_background(),
                default_dark,
            ),
            (
                ":root{--bg:#ffffff}@media (prefers-color-scheme: dark){:root{--bg:#202020}}",
                [255, 255, 255],
                [0x20, 0x20, 0x20],
            ),
            // The dark block first, upper case, `#rgb`, `!important`.
            (
                "@MEDIA screen and (Prefers-Color-Scheme:Dark) { :root { --bg: #333 !important } }\n:root { --bg: #EEE; }",
                [0xee, 0xee, 0xee],
                [0x33, 0x33, 0x33],
            ),
            // No dark block: the default dark background.
            (":root { --bg: #101010; }", [0x10, 0x10, 0x10], default_dark),
            // A dark block without `--bg` keeps the light one, as browsers do.
            (
                ":root { --bg: #f0f0f0 } @media (prefers-color-scheme: dark) { a { color: #fff } }",
                [0xf0; 3],
                [0xf0; 3],
            ),
            // Not a dark block: a light query, a negated one, a `--bg` in a
            // string or a comment, a longer name.
            (
                "@media (prefers-color-scheme: light) { :root { --bg: #111111 } }\n\
                 @media not (prefers-color-scheme: dark) { :root { --bg: #222222 } }",
                [0x11; 3],
                default_dark,
            ),
            (
                "@media (prefers-color-scheme: dark) { a::after { content: \"}--bg: #000000\" } /* } --bg: #010101 */ :root { --bg-soft: #020202; --bg: #404040 } }",
                light_background(),
                [0x40; 3],
            ),
            // A dark `--bg` that is not a hex colour: the default dark one.
            (
                "@media (prefers-color-scheme: dark) { :root { --bg: black } }",
                light_background(),
                default_dark,
            ),
        ];
        for (css, light, dark) in cases {
            let found = backgrounds(Some(css));
            assert_eq!((found.light, found.dark), (light, dark), "{css}");
        }
    }

    /// Issue 13: a dark background too light is reported at its own
    /// declaration.
    #[test]
    fn knows_where_the_dark_background_is_set() {
        let at = |css: &str| {
            backgrounds(Some(css))
                .dark_declared_at
                .map(|span| css[span].to_string())
        };
        let dark = ":root { --bg: #fdfdfb; }\n@media (prefers-color-scheme: dark) {\n  :root { --bg:  #808080 !important; }\n}";
        assert_eq!(at(dark).as_deref(), Some("#808080"));
        // A dark block without `--bg` shows the light one.
        let kept = ":root{--bg:#eee}@media (prefers-color-scheme: dark){a{color:red}}";
        assert_eq!(at(kept).as_deref(), Some("#eee"));
        assert_eq!(at(":root { --bg: #101010 }"), None);
        assert_eq!(
            at("@media (prefers-color-scheme: dark) { :root { --bg: black } }"),
            None
        );
    }

    #[test]
    fn reads_hostile_stylesheets_without_panicking() {
        let nested = format!(
            "{}--bg:#000{}",
            "@media (prefers-color-scheme: dark){".repeat(10_000),
            "}".repeat(20_000)
        );
        assert_eq!(backgrounds(Some(&nested)).dark, [0, 0, 0]);
        for css in [
            "",
            "{",
            "}}}}",
            "/*",
            "\"",
            "'\\",
            "@media",
            "@med",
            "@médi",
            "--bg",
            "--bg:",
            "--bg: #",
            "--bg: #ééé",
            "--bg: #€",
            "-",
            "@media (prefers-color-scheme: dark) {",
            "é--bgé",
            "--bg:\u{1F600};",
        ] {
            let _ = backgrounds(Some(css));
        }
    }

    #[test]
    fn computes_known_contrasts() {
        let ratio = contrast([0, 0, 0], [255, 255, 255]);
        assert!((ratio - 21.0).abs() < 0.01, "{ratio}");
        assert!((contrast([0x76, 0x76, 0x76], [255, 255, 255]) - 4.54).abs() < 0.01);
    }

    #[test]
    fn derives_readable_variants() {
        let dark = parse(DARK_BACKGROUND).unwrap();
        for hex in ["#1f5fa8", "#8b1e3f", "#2e7d32", "#000000"] {
            let c = parse(hex).unwrap();
            let variant = dark_variant(c, dark);
            assert!(contrast(variant, dark) >= MIN_CONTRAST, "{hex} -> {}", to_hex(variant));
        }
        let pale = parse("#ffcc00").unwrap();
        let fixed = adjust(pale, light_background(), [0, 0, 0]);
        assert!(contrast(fixed, light_background()) >= MIN_CONTRAST);
    }
}
