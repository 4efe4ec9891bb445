//! The dossier's `language:` against the theme's strings (`i18n/*.yaml`),
//! checked with the configuration so that E0500 points at the
//! `language:` line. Issue 12: `language: english` was reported at line 1,
//! with no `en` suggested, and told a dossier started with `dossier init`
//! (which has no `themes/` folder) to copy a file of `themes/default/`.

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::load::{CONFIG_PATH, Inputs};

use crate::span::field_span;

/// Language names people write instead of a code, and the code.
const NAMES: &[(&str, &str)] = &[
    ("english", "en"),
    ("anglais", "en"),
    ("french", "fr"),
    ("francais", "fr"),
    ("français", "fr"),
];

/// The languages the theme has strings for, in order.
pub fn available(inputs: &Inputs) -> Vec<&str> {
    inputs
        .theme
        .files
        .keys()
        .filter_map(|k| k.strip_prefix("i18n/")?.strip_suffix(".yaml"))
        .collect()
}

/// E0500 at the `language:` line when the theme has no strings for it.
pub fn check(inputs: &Inputs) -> Option<Diagnostic> {
    let (file, raw) = inputs.config.as_ref()?;
    if inputs.theme.files.is_empty() {
        return None; // the theme could not be loaded, and that is reported
    }
    let known = available(inputs);
    if known.contains(&raw.language.as_str()) {
        return None;
    }
    let span = field_span(&file.text, &(0..file.text.len()), "language");
    Some(missing(&raw.language, &known, &inputs.theme.name, span))
}

/// The E0500 for `language`, which the theme `theme` has no strings for,
/// at `span` of the configuration.
pub fn missing(language: &str, known: &[&str], theme: &str, span: std::ops::Range<usize>) -> Diagnostic {
    Diagnostic::error(
        Code::E0500,
        std::path::Path::new(CONFIG_PATH),
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
