//! Which way a language is written, for the `dir` of the elements that
//! hold its text: an Arabic or Hebrew source quoted in a French dossier
//! reads from right to left, its paragraphs aligned to the right, while
//! the dossier's own words around it stay as they are.

/// Scripts written from right to left (ISO 15924 codes, lower case).
const RTL_SCRIPTS: &[&str] = &["adlm", "arab", "hebr", "mand", "nkoo", "rohg", "samr", "syrc", "thaa"];

/// Languages written in such a script unless their tag names another
/// (ISO 639 codes; `iw` and `ji` are Hebrew's and Yiddish's old ones).
const RTL_LANGUAGES: &[&str] = &[
    "ar", "arc", "azb", "bal", "bqi", "ckb", "dv", "fa", "glk", "he", "iw", "ji", "ks", "lrc", "mzn", "nqo", "pnb",
    "prs", "ps", "sd", "syr", "ug", "ur", "yi",
];

/// `"rtl"` or `"ltr"`, the values of the HTML attribute, from a language
/// tag (BCP 47): its script subtag when it has one (`az-Arab` is written
/// from right to left, `ku-Latn` from left to right), else the script its
/// language is written in.
pub fn of(tag: &str) -> &'static str {
    let mut subtags = tag.split(['-', '_']);
    let language = subtags.next().unwrap_or_default();
    // The script subtag is the first of four letters after the language
    // (and its extended subtags, of three).
    let script = subtags
        .take_while(|s| s.len() <= 4)
        .find(|s| s.len() == 4 && s.chars().all(|c| c.is_ascii_alphabetic()));
    let listed = |list: &[&str], code: &str| list.iter().any(|x| x.eq_ignore_ascii_case(code));
    let rtl = match script {
        Some(script) => listed(RTL_SCRIPTS, script),
        None => listed(RTL_LANGUAGES, language),
    };
    if rtl { "rtl" } else { "ltr" }
}

/// The direction of `tag` when it is not that of `around`: what an
/// element holding text in `tag` inside text in `around` must say.
pub fn unlike(tag: &str, around: &str) -> Option<&'static str> {
    let direction = of(tag);
    (direction != of(around)).then_some(direction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_is_written_in_its_script_or_in_the_one_its_tag_names() {
        for rtl in [
            "ar",
            "AR",
            "ar-EG",
            "he",
            "fa-IR",
            "ur",
            "yi",
            "az-Arab",
            "az-Arab-IR",
            "ff-Adlm",
            "ckb",
        ] {
            assert_eq!(of(rtl), "rtl", "{rtl}");
        }
        for ltr in [
            "fr",
            "en-GB",
            "ru",
            "zh-Hant-TW",
            "ja",
            "az",
            "ku-Latn",
            "ar-Latn",
            "",
            "x-private",
        ] {
            assert_eq!(of(ltr), "ltr", "{ltr}");
        }
    }

    #[test]
    fn a_direction_is_said_only_where_it_changes() {
        assert_eq!(unlike("ar", "fr"), Some("rtl"));
        assert_eq!(unlike("fr", "ar"), Some("ltr"));
        assert_eq!(unlike("he", "ar"), None);
        assert_eq!(unlike("en", "fr"), None);
    }
}
