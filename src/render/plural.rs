//! Counts in words: "1 événement", "0 événement", "2 événements", "1 event",
//! "0 events". Each language file names its CLDR plural rule and gives,
//! for each counted thing, one form per category the rule uses.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The CLDR plural rules for integers that the engine knows, named after
/// what decides the `one` form. Languages that share a rule share a name:
/// English, German, Spanish, Italian… are `one_is_1`; French and
/// Portuguese `one_is_0_or_1`; Japanese, Chinese, Korean `no_plural`;
/// Russian, Ukrainian `east_slavic`; Czech, Slovak `west_slavic`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PluralRule {
    #[serde(rename = "one_is_1")]
    OneIs1,
    #[serde(rename = "one_is_0_or_1")]
    OneIs0Or1,
    NoPlural,
    EastSlavic,
    WestSlavic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    One,
    Few,
    Many,
    Other,
}

impl Category {
    pub fn name(self) -> &'static str {
        match self {
            Category::One => "one",
            Category::Few => "few",
            Category::Many => "many",
            Category::Other => "other",
        }
    }
}

impl PluralRule {
    pub fn category(self, n: u64) -> Category {
        let (last, last_two) = (n % 10, n % 100);
        match self {
            PluralRule::OneIs1 if n == 1 => Category::One,
            PluralRule::OneIs0Or1 if n <= 1 => Category::One,
            PluralRule::EastSlavic if last == 1 && last_two != 11 => Category::One,
            PluralRule::EastSlavic if (2..=4).contains(&last) && !(12..=14).contains(&last_two) => Category::Few,
            PluralRule::EastSlavic => Category::Many,
            PluralRule::WestSlavic if n == 1 => Category::One,
            PluralRule::WestSlavic if (2..=4).contains(&n) => Category::Few,
            _ => Category::Other,
        }
    }

    /// The rule's name, as language files write it.
    pub fn name(self) -> &'static str {
        match self {
            PluralRule::OneIs1 => "one_is_1",
            PluralRule::OneIs0Or1 => "one_is_0_or_1",
            PluralRule::NoPlural => "no_plural",
            PluralRule::EastSlavic => "east_slavic",
            PluralRule::WestSlavic => "west_slavic",
        }
    }

    /// The categories a language file must give forms for.
    pub fn categories(self) -> &'static [Category] {
        match self {
            PluralRule::OneIs1 | PluralRule::OneIs0Or1 => &[Category::One, Category::Other],
            PluralRule::NoPlural => &[Category::Other],
            PluralRule::EastSlavic => &[Category::One, Category::Few, Category::Many, Category::Other],
            PluralRule::WestSlavic => &[Category::One, Category::Few, Category::Other],
        }
    }
}

/// The forms of one counted thing: `{n}` stands for the number.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Forms {
    pub one: Option<String>,
    pub few: Option<String>,
    pub many: Option<String>,
    pub other: String,
}

impl Forms {
    pub fn get(&self, category: Category) -> Option<&str> {
        match category {
            Category::One => self.one.as_deref(),
            Category::Few => self.few.as_deref(),
            Category::Many => self.many.as_deref(),
            Category::Other => Some(&self.other),
        }
    }
}

/// Every counted thing with its forms, and the rule that picks one.
#[derive(Debug, Clone, Copy)]
pub struct Plurals<'a> {
    pub rule: PluralRule,
    pub counts: &'a BTreeMap<String, Forms>,
}

impl Plurals<'_> {
    /// The first count that lacks a form its rule needs: `(key, category)`.
    pub fn missing_form(&self) -> Option<(&str, &'static str)> {
        self.counts.iter().find_map(|(key, forms)| {
            self.rule
                .categories()
                .iter()
                .find(|c| forms.get(**c).is_none())
                .map(|c| (key.as_str(), c.name()))
        })
    }

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

    #[test]
    fn a_count_without_a_needed_form_is_named() {
        let mut counts = counts();
        counts.get_mut("things").unwrap().few = None;
        let p = Plurals {
            rule: PluralRule::EastSlavic,
            counts: &counts,
        };
        assert_eq!(p.missing_form(), Some(("things", "few")));
        let p = Plurals {
            rule: PluralRule::OneIs1,
            counts: &counts,
        };
        assert_eq!(p.missing_form(), None);
    }
}
