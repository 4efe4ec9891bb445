//! Dates in words, in the dossier's language: the theme's patterns
//! (`i18n/<lang>.yaml`, `dates:`) filled with a [`EdtfDate`]'s parts. A
//! new language needs no code. Wording is the render stage's business;
//! the model only knows what a date is.

use crate::model::{EdtfDate, PartialDate, Precision};

/// How dates read in one language (the theme's `dates:`, read and
/// checked by load); their wording is here.
pub use crate::load::i18n::DateWords;

impl DateWords {
    /// The date in words; `with_year: false` drops the year of single days
    /// and months (for lists already grouped by year).
    pub fn format(&self, date: &EdtfDate, with_year: bool) -> String {
        match date {
            EdtfDate::Single(d) => self.single(d, with_year),
            EdtfDate::Range {
                start: Some(s),
                end: Some(e),
            } => self.range(s, e),
            EdtfDate::Range {
                start: Some(s),
                end: None,
            } => self.since.replace("{date}", &self.single(s, true)),
            EdtfDate::Range {
                start: None,
                end: Some(e),
            } => self.until.replace("{date}", &self.single(e, true)),
            EdtfDate::Range { .. } => String::new(),
        }
    }

    /// A date that says when one day was, at the earliest or the latest (a
    /// publication date): a range is the interval the day lies in, not a
    /// span of days.
    pub fn format_bounds(&self, date: &EdtfDate) -> String {
        let is_day = |d: &PartialDate| d.precision() == Precision::Day;
        match date {
            EdtfDate::Single(d) => self.single(d, true),
            EdtfDate::Range {
                start: Some(s),
                end: Some(e),
            } => {
                let pattern = if is_day(s) && is_day(e) {
                    &self.between_days
                } else {
                    &self.between
                };
                pattern
                    .replace("{start}", &self.single(s, s.year != e.year))
                    .replace("{end}", &self.single(e, true))
            }
            EdtfDate::Range {
                start: Some(s),
                end: None,
            } => {
                let pattern = if is_day(s) {
                    &self.not_before_day
                } else {
                    &self.not_before
                };
                pattern.replace("{date}", &self.single(s, true))
            }
            EdtfDate::Range {
                start: None,
                end: Some(e),
            } => {
                let pattern = if is_day(e) {
                    &self.not_after_day
                } else {
                    &self.not_after
                };
                pattern.replace("{date}", &self.single(e, true))
            }
            EdtfDate::Range { .. } => String::new(),
        }
    }

    fn single(&self, d: &PartialDate, with_year: bool) -> String {
        let plain = self.plain(d, with_year);
        let plain = if d.approximate {
            self.approximate.replace("{date}", &plain)
        } else {
            plain
        };
        if d.uncertain {
            self.uncertain.replace("{date}", &plain)
        } else {
            plain
        }
    }

    fn plain(&self, d: &PartialDate, with_year: bool) -> String {
        let pattern = match (d.precision(), with_year) {
            (Precision::Day, true) => &self.day,
            (Precision::Day, false) => &self.day_no_year,
            (Precision::Month, true) => &self.month,
            (Precision::Month, false) => &self.month_no_year,
            (Precision::Year, _) => &self.year,
        };
        self.fill(pattern, d, "")
    }

    fn fill(&self, pattern: &str, d: &PartialDate, suffix: &str) -> String {
        let day = d.day.map(|n| self.day_name(n)).unwrap_or_default();
        let month = d.month.map(|m| self.month_name(m)).unwrap_or_default();
        pattern
            .replace(&format!("{{day{suffix}}}"), &day)
            .replace(&format!("{{month{suffix}}}"), month)
            .replace(&format!("{{year{suffix}}}"), &d.year.to_string())
    }

    fn range(&self, s: &PartialDate, e: &PartialDate) -> String {
        let qualified = s.approximate || s.uncertain || e.approximate || e.uncertain;
        let same_year = s.year == e.year;
        let collapsed = match (s.precision(), e.precision()) {
            _ if qualified => None,
            (Precision::Day, Precision::Day) if same_year && s.month == e.month => Some(&self.range_days),
            (Precision::Day, Precision::Day) if same_year => Some(&self.range_months),
            (Precision::Month, Precision::Month) if same_year => Some(&self.range_month_names),
            (Precision::Year, Precision::Year) => Some(&self.range_years),
            _ => None,
        };
        match collapsed {
            Some(pattern) => {
                let once = self.fill(pattern, s, "1");
                let both = self.fill(&once, e, "2");
                self.fill(&both, s, "")
            }
            None => self
                .range
                .replace("{start}", &self.single(s, true))
                .replace("{end}", &self.single(e, true)),
        }
    }

    fn day_name(&self, day: u32) -> String {
        self.day_names.get(&day).cloned().unwrap_or_else(|| day.to_string())
    }

    fn month_name(&self, month: u32) -> &str {
        self.months.get(month as usize - 1).map_or("", String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> EdtfDate {
        EdtfDate::parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    fn words(lang: &str) -> DateWords {
        let path = format!("{}/themes/default/i18n/{lang}.yaml", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).unwrap();
        let value: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        serde_yaml::from_value(value["dates"].clone()).unwrap()
    }

    #[test]
    fn formats_in_french_by_precision() {
        let fr = words("fr");
        let cases = [
            ("2023-07", "juillet 2023"),
            ("2025-06-24", "24 juin 2025"),
            ("2025-03-01", "1er mars 2025"),
            ("2025-06-21/2025-06-26", "21–26 juin 2025"),
            ("2023-02-06/2023-02-07", "6–7 février 2023"),
            ("2019-03-30/2019-04-02", "30 mars – 2 avril 2019"),
            ("2024-12/2025-01", "décembre 2024 – janvier 2025"),
            ("2021/..", "depuis 2021"),
            ("2023-07~", "vers juillet 2023"),
            ("2025", "2025"),
            ("2025/2026", "2025–2026"),
        ];
        for (text, expected) in cases {
            assert_eq!(fr.format(&d(text), true), expected, "{text}");
        }
        assert_eq!(fr.format(&d("2025-03-01"), false), "1er mars");
    }

    #[test]
    fn a_publication_date_reads_as_bounds_not_a_span() {
        let fr = words("fr");
        let cases = [
            ("2025-04-17/2025-06-21", "entre le 17 avril et le 21 juin 2025"),
            (
                "2024-12-30/2025-01-02",
                "entre le 30 décembre 2024 et le 2 janvier 2025",
            ),
            ("2025-06-24/..", "au plus tôt le 24 juin 2025"),
            ("../2021", "au plus tard en 2021"),
            ("2025-06", "juin 2025"),
        ];
        for (text, expected) in cases {
            assert_eq!(fr.format_bounds(&d(text)), expected, "{text}");
        }
        let en = words("en");
        assert_eq!(en.format_bounds(&d("2025-06-24/..")), "on or after 24 June 2025");
    }

    #[test]
    fn formats_in_english_by_precision() {
        let en = words("en");
        let cases = [
            ("2023-07", "July 2023"),
            ("2025-06-24", "24 June 2025"),
            ("2019-03-30/2019-04-02", "30 March – 2 April 2019"),
            ("2025-06-21/2025-06-26", "21–26 June 2025"),
            ("2015/..", "since 2015"),
            ("2020-05?", "May 2020?"),
            ("2018~", "c. 2018"),
        ];
        for (text, expected) in cases {
            assert_eq!(en.format(&d(text), true), expected, "{text}");
        }
    }
}
