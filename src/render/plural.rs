//! Counts in words: "1 événement", "0 événement", "2 événements", "1 event",
//! "0 events". The language's CLDR plural rule picks a category, and the
//! language file gives, for each counted thing, one form per category the
//! rule uses.

use std::collections::BTreeMap;

/// The rules and forms as the language file gives them, read and checked
/// by load.
pub use crate::load::i18n::{Category, Forms, PluralRule};

/// Every counted thing with its forms, and the rule that picks one.
#[derive(Debug, Clone, Copy)]
pub struct Plurals<'a> {
    pub rule: &'a PluralRule,
    pub counts: &'a BTreeMap<String, Forms>,
}

impl Plurals<'_> {
    /// `n` things of kind `key`, `{n}` written by `number`; `None` when the
    /// language file has no such count.
    pub fn count(&self, key: &str, n: u64, number: impl Fn(u64) -> String) -> Option<String> {
        let forms = self.counts.get(key)?;
        let form = forms.get(self.rule.category(n)).unwrap_or(&forms.other);
        Some(form.replace("{n}", &number(n)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts() -> BTreeMap<String, Forms> {
        let form = |name: &str| Some(format!("{{n}} {name}"));
        let forms = Forms {
            zero: form("zero"),
            one: form("one"),
            two: form("two"),
            few: form("few"),
            many: form("many"),
            other: "{n} other".into(),
        };
        BTreeMap::from([("things".to_string(), forms)])
    }

    /// The counts of `numbers` in `language`, each in its category's form.
    fn counted(language: &str, numbers: &[u64]) -> Vec<String> {
        let counts = counts();
        let rule = PluralRule::of(language);
        let plurals = Plurals {
            rule: &rule,
            counts: &counts,
        };
        numbers
            .iter()
            .map(|&n| plurals.count("things", n, |n| n.to_string()).unwrap())
            .collect()
    }

    #[test]
    fn french_counts_zero_and_one_in_the_singular() {
        assert_eq!(counted("fr", &[0, 1, 2]), ["0 one", "1 one", "2 other"]);
    }

    #[test]
    fn english_counts_only_one_in_the_singular() {
        assert_eq!(counted("en", &[0, 1, 21]), ["0 other", "1 one", "21 other"]);
        assert_eq!(
            counted("en-GB", &[1, 2]),
            ["1 one", "2 other"],
            "a region falls back to its language"
        );
    }

    #[test]
    fn russian_has_one_few_and_many() {
        let numbers = [1, 21, 11, 3, 13, 25, 101, 112, 1_000_022];
        let expected = [
            "1 one",
            "21 one",
            "11 many",
            "3 few",
            "13 many",
            "25 many",
            "101 one",
            "112 many",
            "1000022 few",
        ];
        assert_eq!(counted("ru", &numbers), expected);
    }

    #[test]
    fn arabic_has_all_six_categories() {
        let numbers = [0, 1, 2, 3, 10, 11, 99, 100, 102, 103, 1_000_011];
        let expected = [
            "0 zero",
            "1 one",
            "2 two",
            "3 few",
            "10 few",
            "11 many",
            "99 many",
            "100 other",
            "102 other",
            "103 few",
            "1000011 many",
        ];
        assert_eq!(counted("ar", &numbers), expected);
    }

    #[test]
    fn a_language_cldr_does_not_know_has_only_other() {
        assert_eq!(counted("xx", &[0, 1, 2]), ["0 other", "1 other", "2 other"]);
        assert_eq!(PluralRule::of("xx").categories(), [Category::Other]);
    }

    #[test]
    fn a_category_without_a_form_reads_as_other() {
        let mut counts = counts();
        counts.get_mut("things").unwrap().many = None;
        let rule = PluralRule::of("ru");
        let plurals = Plurals {
            rule: &rule,
            counts: &counts,
        };
        assert_eq!(plurals.count("things", 5, |n| n.to_string()).unwrap(), "5 other");
    }
}
