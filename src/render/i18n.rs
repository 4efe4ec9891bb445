//! The wording of the theme's language file: labels, counts in words,
//! numbers in the language's format. The file itself is read and checked
//! by load ([`crate::load::i18n`]); render only reads the checked value.

pub use crate::load::i18n::{I18n, NumberFormat, RouteNames};

use super::plural::Plurals;

impl I18n {
    /// The label of `value` in the group `group` (`event_kind`, `status`…),
    /// or the value itself when the theme has none.
    pub fn label(&self, group: &str, value: &str) -> String {
        self.labels
            .get(group)
            .and_then(|g| g.get(value))
            .cloned()
            .unwrap_or_else(|| value.to_string())
    }

    pub fn plurals(&self) -> Plurals<'_> {
        Plurals {
            rule: &self.plural,
            counts: &self.counts,
        }
    }

    /// `n` things of kind `key` in words (`1 événement`, `2 events`).
    pub fn count(&self, key: &str, n: u64) -> Option<String> {
        self.plurals().count(key, n, |n| self.number(&n.to_string()))
    }

    /// The name of a kind of actor for `n` of them (`Personne`,
    /// `Personnes`), from `counts.actor_kind_<kind>`, or else its label.
    pub fn actor_kind(&self, kind: &str, n: u64) -> String {
        self.count(&format!("actor_kind_{kind}"), n)
            .unwrap_or_else(|| self.label("actor_kind", kind))
    }

    /// `50000` → `50 000` (fr) or `50,000` (en); `2.5` → `2,5` (fr).
    pub fn number(&self, value: &str) -> String {
        let (int, frac) = value.split_once('.').unwrap_or((value, ""));
        let digits: Vec<char> = int.chars().collect();
        let mut out = String::new();
        for (i, c) in digits.iter().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) && digits.len() >= self.numbers.group_from_digits {
                out.push_str(&self.numbers.thousands);
            }
            out.push(*c);
        }
        if !frac.is_empty() {
            out.push_str(&self.numbers.decimal);
            out.push_str(frac);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::load::Theme;

    fn i18n(lang: &str) -> I18n {
        I18n::load(&Theme::embedded(), lang).unwrap()
    }

    #[test]
    fn formats_numbers_by_language() {
        let fr = i18n("fr");
        assert_eq!(fr.number("50000"), "50\u{202f}000");
        assert_eq!(fr.number("2000000"), "2\u{202f}000\u{202f}000");
        assert_eq!(fr.number("2.5"), "2,5");
        assert_eq!(fr.number("1000"), "1000", "four digits stay together");
        let en = i18n("en");
        assert_eq!(en.number("40000"), "40,000");
        assert_eq!(en.number("12.5"), "12.5");
        assert_eq!(en.number("2480"), "2,480");
    }

    #[test]
    fn languages_have_the_same_keys() {
        let fr = i18n("fr");
        let en = i18n("en");
        let keys = |i: &I18n| i.strings.keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&fr), keys(&en));
        let labels = |i: &I18n| {
            i.labels
                .iter()
                .map(|(g, m)| (g.clone(), m.keys().cloned().collect::<Vec<_>>()))
                .collect::<Vec<_>>()
        };
        assert_eq!(labels(&fr), labels(&en));
    }
}
