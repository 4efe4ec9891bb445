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

/// The dark-mode variant of a sector colour.
pub fn dark_variant(color: [u8; 3]) -> [u8; 3] {
    adjust(color, parse(DARK_BACKGROUND).expect("constant"), [255, 255, 255])
}

#[cfg(test)]
mod tests {
    use super::*;

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
