//! The dossier's `language:` against the theme's strings (`i18n/*.yaml`),
//! checked with the configuration so that E0500 points at the
//! `language:` line. Issue 12: `language: english` was reported at line 1,
//! with no `en` suggested, and told a dossier started with `dossier init`
//! (which has no `themes/` folder) to copy a file of `themes/default/`.

use crate::diagnostic::Diagnostic;
use crate::load::Inputs;
use crate::load::i18n::missing;

use crate::span::field_span;

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
