//! Sector colours and their contrast (WCAG 2 relative luminance). A sector's
//! colour is used for text on the page background, so it must reach 4.5:1;
//! its dark-mode variant is derived here by mixing with white until it
//! reaches the same ratio on the dark background.

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

/// The page's background as the theme's stylesheet sets it: the first
/// `--bg: #rrggbb` declaration (the default theme's `:root`, before its
/// dark-mode one), or the default theme's light background if there is
/// none a colour can be read from.
pub fn page_background(stylesheet: Option<&str>) -> [u8; 3] {
    stylesheet.and_then(custom_property_bg).unwrap_or_else(light_background)
}

fn custom_property_bg(css: &str) -> Option<[u8; 3]> {
    let mut rest = css;
    loop {
        // Comments cannot hold a declaration.
        let at = rest.find("--bg")?;
        if let Some(open) = rest[..at].rfind("/*")
            && !rest[open..at].contains("*/")
        {
            rest = rest[at..].split_once("*/").map_or("", |(_, after)| after);
            continue;
        }
        let after = &rest[at + "--bg".len()..];
        if let Some(value) = after.trim_start().strip_prefix(':') {
            let value = value.split([';', '}']).next().unwrap_or("").trim();
            return parse(&value.to_ascii_lowercase());
        }
        rest = after;
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

/// The dark-mode variant of a sector colour.
pub fn dark_variant(color: [u8; 3]) -> [u8; 3] {
    adjust(color, parse(DARK_BACKGROUND).expect("constant"), [255, 255, 255])
}

#[cfg(test)]
mod tests {
    use super::*;

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
            let variant = dark_variant(c);
            assert!(contrast(variant, dark) >= MIN_CONTRAST, "{hex} -> {}", to_hex(variant));
        }
        let pale = parse("#ffcc00").unwrap();
        let fixed = adjust(pale, light_background(), [0, 0, 0]);
        assert!(contrast(fixed, light_background()) >= MIN_CONTRAST);
    }
}
