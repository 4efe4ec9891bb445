//! Counts in words: "1 événement", "0 événement", "2 événements", "1 event",
//! "0 events". Each language file names its CLDR plural rule and gives,
//! for each counted thing, one form per category the rule uses.

use std::collections::BTreeMap;

/// The rules and forms as the language file gives them, read and checked
/// by load.
pub use crate::load::i18n::{Category, Forms, PluralRule};

/// Every counted thing with its forms, and the rule that picks one.
#[derive(Debug, Clone, Copy)]
pub struct Plurals<'a> {
    pub rule: PluralRule,
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
        let forms = Forms {
            one: Some("{n} thing".into()),
            few: Some("{n} few".into()),
            many: Some("{n} many".into()),
            other: "{n} things".into(),
        };
        BTreeMap::from([("things".to_string(), forms)])
    }

    fn count(rule: PluralRule, n: u64) -> String {
        let counts = counts();
        Plurals { rule, counts: &counts }
            .count("things", n, |n| n.to_string())
            .unwrap()
    }

    #[test]
    fn french_counts_zero_and_one_in_the_singular() {
        let fr = PluralRule::OneIs0Or1;
        assert_eq!(count(fr, 0), "0 thing");
        assert_eq!(count(fr, 1), "1 thing");
        assert_eq!(count(fr, 2), "2 things");
    }

    #[test]
    fn english_counts_only_one_in_the_singular() {
        let en = PluralRule::OneIs1;
        assert_eq!(count(en, 0), "0 things");
        assert_eq!(count(en, 1), "1 thing");
        assert_eq!(count(en, 21), "21 things");
    }

    #[test]
    fn russian_has_one_few_and_many() {
        let ru = PluralRule::EastSlavic;
        assert_eq!(count(ru, 1), "1 thing");
        assert_eq!(count(ru, 21), "21 thing");
        assert_eq!(count(ru, 11), "11 many");
        assert_eq!(count(ru, 3), "3 few");
        assert_eq!(count(ru, 13), "13 many");
        assert_eq!(count(ru, 25), "25 many");
    }
}
