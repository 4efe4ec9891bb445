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
    /// The CLDR plural rule of the language (see `plural`).
    pub plural: PluralRule,
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
                "the plural rule `{:?}` needs a form for each of: {}",
                self.plural,
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
            one: Some("{n} thing".into()),
            few: None,
            many: Some("{n} many".into()),
            other: "{n} things".into(),
        };
        i18n.counts = BTreeMap::from([("things".to_string(), forms)]);
        i18n.plural = PluralRule::EastSlavic;
        assert_eq!(i18n.missing_form(), Some(("things", "few")));
        i18n.plural = PluralRule::OneIs1;
        assert_eq!(i18n.missing_form(), None);
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
