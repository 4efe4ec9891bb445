//! The theme's language file for the dossier's language,
//! `i18n/<language>.yaml`: route names, UI strings, labels of kinds and
//! statuses, date words, plural rule and number format. A new language is
//! a new file; the engine has no language built in.
//!
//! Issue 13: the file is read into its typed form here, with every other
//! file, so that a broken one — bad YAML, a missing key, a wrong type, a
//! route name that is not a slug or that another section has, a count
//! without a form its plural rule needs — is reported by `dossier check`
//! at its line with the dossier's own errors, not only once they are
//! fixed. Each error is placed at its value as the YAML parser reads it
//! ([`located`]), every one of them reported. Render receives the checked
//! value ([`Theme::i18n`]) and gives it its wording (`render::i18n`,
//! `render::dates`, `render::plural`).

use std::collections::BTreeMap;
use std::path::Path;

use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralRules};
use serde::Deserialize;

pub use super::route_names::{FIXED, RouteNames};

use super::{CONFIG_PATH, Inputs, Theme, located, parse_yaml, route_names};
use crate::code::Code;
use crate::diagnostic::Diagnostic;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct I18n {
    pub routes: RouteNames,
    pub numbers: NumberFormat,
    pub dates: DateWords,
    pub strings: BTreeMap<String, String>,
    pub labels: BTreeMap<String, BTreeMap<String, String>>,
    /// The CLDR plural rule of the language, from its code.
    #[serde(skip)]
    pub plural: PluralRule,
    /// Older language files name their plural rule; the language's code
    /// decides it now, so the name is accepted and not read.
    #[serde(default, rename = "plural")]
    pub named_plural_rule: Option<serde::de::IgnoredAny>,
    /// Counted things (`events`, `passages`…), one form per plural category.
    pub counts: BTreeMap<String, Forms>,
    /// The language's code, the file's name (`fr` for `i18n/fr.yaml`).
    #[serde(skip)]
    pub language: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberFormat {
    pub thousands: String,
    pub decimal: String,
    /// Numbers with fewer digits are not grouped (French writes "1000").
    pub group_from_digits: usize,
}

/// How dates read in one language: month names and patterns with
/// `{day}`, `{month}`, `{year}` (and numbered or `{start}`/`{end}`/`{date}`
/// variants), read from the theme's `i18n/<lang>.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateWords {
    pub months: Vec<String>,
    pub day: String,
    pub day_no_year: String,
    pub month: String,
    pub month_no_year: String,
    pub year: String,
    /// Two days of the same month: "21–26 juin 2025".
    pub range_days: String,
    /// Two days of the same year: "30 March – 2 April 2019".
    pub range_months: String,
    /// Two months of the same year: "juin – juillet 2025".
    pub range_month_names: String,
    /// Two years: "2021–2023".
    pub range_years: String,
    /// Anything else: "{start} – {end}".
    pub range: String,
    pub since: String,
    pub until: String,
    pub approximate: String,
    pub uncertain: String,
    /// A single day known to lie between two dates (a publication date
    /// inferred from the text): "entre le {start} et le {end}" when both
    /// are days, `between` otherwise.
    pub between_days: String,
    pub between: String,
    /// A day known only to be on or after a date: "au plus tôt le {date}".
    pub not_before_day: String,
    pub not_before: String,
    pub not_after_day: String,
    pub not_after: String,
    /// Special forms of a day number, e.g. `1: 1er` in French.
    #[serde(default)]
    pub day_names: BTreeMap<u32, String>,
}

/// The CLDR plural categories a count can take, in CLDR's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Zero,
        Category::One,
        Category::Two,
        Category::Few,
        Category::Many,
        Category::Other,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Category::Zero => "zero",
            Category::One => "one",
            Category::Two => "two",
            Category::Few => "few",
            Category::Many => "many",
            Category::Other => "other",
        }
    }

    fn of(cldr: PluralCategory) -> Category {
        match cldr {
            PluralCategory::Zero => Category::Zero,
            PluralCategory::One => Category::One,
            PluralCategory::Two => Category::Two,
            PluralCategory::Few => Category::Few,
            PluralCategory::Many => Category::Many,
            PluralCategory::Other => Category::Other,
        }
    }
}

/// How many whole numbers from 0 on [`PluralRule`] holds the category of.
const SMALL: u64 = 200;

/// The category of each whole number in one language, from CLDR's
/// cardinal rule for its code (ICU4X's `icu_plurals`): `ar` has all six,
/// `fr` puts 0 and 1 in `one`, `ja` has only `other`. A code with a
/// region or script CLDR has no rule for takes its language's (`fr-CA`
/// as `fr`); an unknown one has only `other`.
///
/// CLDR's rules for whole numbers look at the number itself below 100,
/// and from 100 on at its last two digits, but for multiples of a million
/// (`1 000 000 de`, French's `many`). So the categories of 0 to 199 and
/// that of a million are the whole rule (a test checks it in every kind
/// of rule CLDR has), held as plain data that the search script counts
/// with too.
#[derive(Debug, Clone)]
pub struct PluralRule {
    small: [Category; SMALL as usize],
    millions: Category,
}

impl Default for PluralRule {
    fn default() -> PluralRule {
        PluralRule {
            small: [Category::Other; SMALL as usize],
            millions: Category::Other,
        }
    }
}

impl PluralRule {
    pub fn of(language: &str) -> PluralRule {
        let Some(cldr) = cldr_rule(language) else {
            return PluralRule::default();
        };
        let mut rule = PluralRule {
            millions: Category::of(cldr.category_for(1_000_000u64)),
            ..PluralRule::default()
        };
        for (n, category) in (0..SMALL).zip(rule.small.iter_mut()) {
            *category = Category::of(cldr.category_for(n));
        }
        rule
    }

    pub fn category(&self, n: u64) -> Category {
        match n {
            n if n < SMALL => self.small[n as usize],
            n if n % 1_000_000 == 0 => self.millions,
            n => self.small[(100 + n % 100) as usize],
        }
    }

    /// The categories of 0 to 199, each a form every count must give. A
    /// category only multiples of a million take has its form if the count
    /// gives one, else `other`'s.
    pub fn categories(&self) -> Vec<Category> {
        Category::ALL.into_iter().filter(|c| self.small.contains(c)).collect()
    }

    /// The categories of 0 to 199, then a million's, as digits: 0 for
    /// `zero` to 5 for `other`, in CLDR's order; for the search script.
    pub fn table(&self) -> String {
        let digit = |c: &Category| char::from(b'0' + *c as u8);
        self.small.iter().chain([&self.millions]).map(digit).collect()
    }
}

fn cldr_rule(language: &str) -> Option<PluralRules> {
    let locale: Locale = language.parse().ok()?;
    PluralRules::try_new_cardinal(locale.into()).ok()
}

/// The forms of one counted thing: `{n}` stands for the number.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Forms {
    pub zero: Option<String>,
    pub one: Option<String>,
    pub two: Option<String>,
    pub few: Option<String>,
    pub many: Option<String>,
    pub other: String,
}

impl Forms {
    pub fn get(&self, category: Category) -> Option<&str> {
        match category {
            Category::Zero => self.zero.as_deref(),
            Category::One => self.one.as_deref(),
            Category::Two => self.two.as_deref(),
            Category::Few => self.few.as_deref(),
            Category::Many => self.many.as_deref(),
            Category::Other => Some(&self.other),
        }
    }
}

impl I18n {
    /// The strings of `language` in `theme`, read and checked: every
    /// problem found, or E0500 when the theme has no file for it.
    pub fn load(theme: &Theme, language: &str) -> Result<I18n, Vec<Diagnostic>> {
        let name = format!("i18n/{language}.yaml");
        let Some(file) = theme.get(&name) else {
            let known: Vec<&str> = theme
                .files
                .keys()
                .filter_map(|k| k.strip_prefix("i18n/")?.strip_suffix(".yaml"))
                .collect();
            return Err(vec![missing(language, &known, &theme.name, 0..0)]);
        };
        // YAML first, so that a syntax error is reported as one (an
        // unclosed `[` read as a list where text is expected said "invalid
        // type: sequence" with a hint to quote the wrong key).
        let all = 0..file.text.len();
        parse_yaml::<serde_yaml::Value>(&file.origin, &file.text, all.clone()).map_err(|d| vec![*d])?;
        let mut i18n: I18n = parse_yaml(&file.origin, &file.text, all).map_err(|d| vec![*d])?;
        i18n.language = language.to_string();
        i18n.plural = PluralRule::of(language);
        let problems = i18n.problems(&file.origin, &file.text);
        if problems.is_empty() { Ok(i18n) } else { Err(problems) }
    }

    /// What serde cannot check, each at the value it is about (they were
    /// all at line 1).
    fn problems(&self, origin: &Path, text: &str) -> Vec<Diagnostic> {
        let at = |path: &[&str]| located::value_line_span(text, 0..text.len(), path).unwrap_or(0..0);
        let mut found = Vec::new();
        if let Some((key, category)) = self.missing_form() {
            let help = format!(
                "by CLDR's plural rule, `{}` needs a form for each of: {}",
                self.language,
                self.plural
                    .categories()
                    .iter()
                    .map(|c| c.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let message = format!("the count `{key}` has no `{category}` form");
            found.push(Diagnostic::error(Code::E0501, origin, at(&["counts", key]), message).with_help(help));
        }
        if let Some((key, name)) = self
            .routes
            .named()
            .into_iter()
            .find(|(_, name)| !crate::slug::is_valid(name))
        {
            let message = format!("the route name `{name}` cannot be a file name");
            found.push(
                Diagnostic::error(Code::E0501, origin, route_names::value_span(text, key, name), message)
                    .with_help("route names are lower-case ASCII letters, digits and hyphens"),
            );
        }
        if self.dates.months.len() != 12 {
            let message = format!("`dates.months` has {} names instead of 12", self.dates.months.len());
            found.push(
                Diagnostic::error(Code::E0501, origin, at(&["dates", "months"]), message)
                    .with_help("list the twelve month names, January first"),
            );
        }
        found.extend(
            self.routes
                .clashes()
                .into_iter()
                .map(|clash| clash.diagnostic(origin, text)),
        );
        found
    }

    /// The first count that lacks a form its plural rule needs: `(key,
    /// category)`.
    fn missing_form(&self) -> Option<(&str, &'static str)> {
        self.counts.iter().find_map(|(key, forms)| {
            self.plural
                .categories()
                .iter()
                .find(|c| forms.get(**c).is_none())
                .map(|c| (key.as_str(), c.name()))
        })
    }
}

/// The dossier's strings, read and checked: `None` without a
/// configuration or when the theme has no file for its language (the
/// model reports that at the `language:` line, E0500).
pub fn for_dossier(inputs: &Inputs) -> Result<Option<I18n>, Vec<Diagnostic>> {
    let Some((_, config)) = inputs.config.as_ref() else {
        return Ok(None);
    };
    if inputs.theme.get(&format!("i18n/{}.yaml", config.language)).is_none() {
        return Ok(None);
    }
    I18n::load(&inputs.theme, &config.language).map(Some)
}

/// Language names people write instead of a code, and the code.
const NAMES: &[(&str, &str)] = &[
    ("english", "en"),
    ("anglais", "en"),
    ("french", "fr"),
    ("francais", "fr"),
    ("français", "fr"),
];

/// The E0500 for `language`, which the theme `theme` has no strings for,
/// at `span` of the configuration.
pub fn missing(language: &str, known: &[&str], theme: &str, span: std::ops::Range<usize>) -> Diagnostic {
    Diagnostic::error(
        Code::E0500,
        Path::new(CONFIG_PATH),
        span,
        format!("the theme has no strings for the language `{language}`"),
    )
    .with_help(help(language, known, theme))
}

/// What to write instead: the code of a language named in words or with
/// a region, else how to add strings for another language.
pub fn help(language: &str, known: &[&str], theme: &str) -> String {
    let lower = language.to_lowercase();
    let meant = NAMES
        .iter()
        .find(|(name, _)| *name == lower)
        .map(|(_, code)| *code)
        .or_else(|| {
            known
                .iter()
                .copied()
                .find(|k| lower.split(['-', '_']).next() == Some(*k))
        })
        .filter(|code| known.contains(code));
    match meant {
        Some(code) => format!("`language:` takes a language code: write `language: {code}`"),
        None => format!(
            "the theme has strings for {}; for another language, write `themes/{theme}/i18n/{language}.yaml` \
             with the keys of the built-in `en.yaml` (in dossier's repository: `themes/default/i18n/en.yaml`)",
            known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_a_language_without_strings() {
        let err = I18n::load(&Theme::embedded(), "xx").unwrap_err();
        assert_eq!(err[0].code, Code::E0500);
        assert!(err[0].help.clone().unwrap().contains("`en`, `fr`"));
    }

    /// Render reads the strings load checked; it reads a file itself only
    /// for a theme that did not come from load.
    #[test]
    fn the_theme_hands_over_the_checked_strings() {
        let mut theme = Theme::embedded();
        let checked = std::sync::Arc::new(I18n::load(&theme, "en").unwrap());
        theme.strings = Some(std::sync::Arc::clone(&checked));
        assert!(std::sync::Arc::ptr_eq(&theme.i18n("en").unwrap(), &checked));
        assert_eq!(theme.i18n("fr").unwrap().language, "fr");
        assert_eq!(theme.i18n("xx").unwrap_err()[0].code, Code::E0500);
    }

    #[test]
    fn a_count_without_a_needed_form_is_named() {
        let mut i18n = I18n::load(&Theme::embedded(), "en").unwrap();
        assert_eq!(i18n.missing_form(), None);
        let forms = Forms {
            zero: None,
            one: Some("{n} thing".into()),
            two: None,
            few: None,
            many: Some("{n} many".into()),
            other: "{n} things".into(),
        };
        i18n.counts = BTreeMap::from([("things".to_string(), forms)]);
        i18n.plural = PluralRule::of("ru");
        assert_eq!(i18n.missing_form(), Some(("things", "few")));
        i18n.plural = PluralRule::of("ar");
        assert_eq!(i18n.missing_form(), Some(("things", "zero")));
        i18n.plural = PluralRule::of("en");
        assert_eq!(i18n.missing_form(), None);
    }

    /// Languages with each kind of rule CLDR has for whole numbers.
    const LANGUAGES: &[&str] = &[
        "ar", "be", "br", "bs", "ca", "cs", "cy", "da", "de", "en", "es", "fa", "fr", "ga", "gd", "gv", "he", "hi",
        "hr", "is", "it", "ja", "kw", "lt", "lv", "mk", "mo", "mt", "pl", "pt", "pt-PT", "ro", "ru", "sl", "sr", "sv",
        "sw", "tr", "uk", "ur", "zh",
    ];

    /// The categories of 0 to 199 and of a million are the whole rule: a
    /// number from 100 on, but for multiples of a million, takes the
    /// category of 100 plus its last two digits.
    #[test]
    fn the_first_two_hundred_numbers_and_a_million_hold_every_kind_of_rule() {
        let numbers: Vec<u64> = (0..20_000)
            .chain((0..40_000).map(|k| 999_983 * k + 17))
            .chain((1..=12).flat_map(|e| {
                let power = 10u64.pow(e);
                [
                    power,
                    power + 1,
                    power + 2,
                    power + 11,
                    power + 103,
                    3 * power,
                    7 * power + 5,
                ]
            }))
            .collect();
        for &code in LANGUAGES {
            let rule = PluralRule::of(code);
            let cldr = cldr_rule(code).unwrap();
            for &n in &numbers {
                assert_eq!(rule.category(n), Category::of(cldr.category_for(n)), "{n} in {code}");
            }
        }
    }

    #[test]
    fn a_file_that_still_names_its_plural_rule_loads_and_its_code_decides() {
        let mut theme = Theme::embedded();
        let file = theme.files.get_mut("i18n/en.yaml").unwrap();
        file.text = format!("plural: east_slavic\n{}", file.text).into();
        let i18n = I18n::load(&theme, "en").unwrap();
        assert_eq!(i18n.plural.categories(), [Category::One, Category::Other]);
    }

    #[test]
    fn the_search_script_reads_the_rule_as_digits() {
        let table = PluralRule::of("ar").table();
        assert_eq!(table.len(), 201);
        assert_eq!(&table[..4], "0123", "zero, one, two, few");
        assert_eq!(&table[11..12], "4", "many");
        assert_eq!(&table[100..101], "5", "other");
        assert_eq!(
            &PluralRule::of("fr").table()[200..],
            "4",
            "a million is `many` in French"
        );
    }

    #[test]
    fn suggests_the_code_of_a_language_written_in_words_or_with_a_region() {
        let known = ["en", "fr"];
        for (written, code) in [("english", "en"), ("French", "fr"), ("en-GB", "en"), ("fr_CA", "fr")] {
            assert_eq!(
                help(written, &known, "default"),
                format!("`language:` takes a language code: write `language: {code}`"),
                "{written}"
            );
        }
        let other = help("pt", &known, "default");
        assert!(other.contains("`themes/default/i18n/pt.yaml`"), "{other}");
        assert!(!other.contains("copy"), "{other}");
    }
}
