//! Slugs name every file of a dossier and become file names and URL parts
//! of the site, so they are restricted to what is safe everywhere: lower-case
//! ASCII letters, digits and inner hyphens. This also makes `/`, `\`, `..`
//! and control characters impossible in anything the writer builds a path
//! from.

/// Whether `slug` is a valid slug.
pub fn is_valid(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 120
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The closest valid slug to `text`: accents dropped, lower-cased, anything
/// else turned into single hyphens.
pub fn suggest(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::new();
    for c in text.nfd() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !unicode_normalization::char::is_combining_mark(c) && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() {
        "x".into()
    } else {
        trimmed.chars().take(120).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_slugs() {
        for s in ["energie", "mali-russie-2025", "a1", "2025"] {
            assert!(is_valid(s), "{s}");
        }
    }

    #[test]
    fn rejects_unsafe_slugs() {
        for s in [
            "", "Énergie", "a/b", "a\\b", "..", "a..b", "-a", "a-", "a b", "a\u{7}", "A",
        ] {
            assert!(!is_valid(s), "{s:?}");
        }
    }

    #[test]
    fn suggests_a_valid_slug() {
        assert_eq!(suggest("Énergie & Mines"), "energie-mines");
        assert_eq!(suggest("../../etc"), "etc");
        assert!(is_valid(&suggest("Œuvre — 2025")));
    }
}
