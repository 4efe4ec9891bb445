//! The hint under a YAML error: what to write instead, naming the field
//! the error is about. serde's message carries the field's path
//! (`numbers.group_from_digits: invalid type: …`); the hint names the
//! last key of that path, the one whose value is wrong (issue 13: it
//! named the first, `numbers`, and wrote `numbers: 3`).

use crate::diagnostic::suggestion;

pub fn yaml_help(message: &str) -> Option<String> {
    if let Some(rest) = message.split("unknown field `").nth(1) {
        let field = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = message
            .split("expected ")
            .nth(1)
            .unwrap_or("")
            .split(['`', ',', ' '])
            .filter(|w| !w.is_empty() && *w != "one" && *w != "of" && *w != "or")
            .collect();
        return Some(suggestion(field, "field", expected.iter().copied()));
    }
    if let Some(rest) = message.split("missing field `").nth(1) {
        let field = rest.split('`').next().unwrap_or("");
        return Some(format!(
            "add a `{field}: …` line between the `---` lines; the README lists the fields of each kind of file"
        ));
    }
    if message.contains("quoted scalar") {
        return Some("this quoted value is never closed: end it with the same quote on the same line".into());
    }
    if message.contains("invalid type") {
        return Some(wrong_type_help(message));
    }
    if message.contains("repetition limit") || message.contains("recursion limit") {
        return Some("front matter is a flat list of fields; anchors, aliases and deep nesting are not needed".into());
    }
    Some("YAML needs `key: value` lines; quote values that contain `:` or start with `[`, `{`, `*`, `&` or `#`".into())
}

/// The field a type error is about: the key whose value has the wrong
/// type, the keys it is nested under (`numbers`), and whether the value is
/// an item of a list. `None` when the whole file has the wrong type.
#[derive(Debug, PartialEq, Eq)]
struct WrongField<'a> {
    key: &'a str,
    parent: Option<&'a str>,
    in_list: bool,
}

/// Reads the path of `invalid YAML: numbers.group_from_digits: invalid
/// type: …` (the part before `: invalid type`).
fn wrong_field(message: &str) -> Option<WrongField<'_>> {
    let (_, rest) = message.split_once(": ")?;
    let (path, _) = rest.split_once(": invalid type")?;
    let keys = path.split('[').next().unwrap_or(path);
    let (parent, key) = match keys.rsplit_once('.') {
        Some((parent, key)) => (Some(parent), key),
        None => (None, keys),
    };
    Some(WrongField {
        key,
        parent,
        in_list: path.contains('['),
    })
}

fn wrong_type_help(message: &str) -> String {
    let Some(WrongField { key, parent, in_list }) = wrong_field(message) else {
        return "the file is a list of `key: value` lines, one field per line".into();
    };
    let under = parent.map_or_else(String::new, |parent| format!(" (under `{parent}:`)"));
    let help = if message.ends_with("expected a whole number") {
        format!("write digits only, without quotes: `{key}: 3`")
    } else if message.contains("expected a date") {
        format!(
            "write one date as text: `{key}: 2025-06-24`, `{key}: 2025-06` or `{key}: 2025`, or a range `2025-06-21/2025-06-26`"
        )
    } else if message.contains("expected a sequence") {
        format!("write a list: `{key}: [a, b]`")
    } else if in_list {
        format!("each item of `{key}` is a plain value: `{key}: [a, b]`")
    } else if message.contains("expected `key: value` fields") {
        format!("`{key}` holds `key: value` lines, indented under `{key}:`")
    } else if message.contains("expected a string") {
        format!("`{key}` takes text; quote it if it contains `:`, `[` or `{{`: `{key}: \"…\"`")
    } else if message.contains("expected a boolean") {
        format!("write `{key}: true` or `{key}: false`")
    } else {
        format!("check the type of `{key}`: text, a number, or a list like `[a, b]`")
    };
    format!("{help}{under}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 13: the hint named the first key of a nested path.
    #[test]
    fn names_the_field_whose_value_is_wrong() {
        let cases = [
            (
                "invalid YAML: numbers.group_from_digits: invalid type: string \"many\", expected a whole number",
                "write digits only, without quotes: `group_from_digits: 3` (under `numbers:`)",
            ),
            (
                "invalid YAML: routes.sectors: invalid type: sequence, expected a string",
                "`sectors` takes text; quote it if it contains `:`, `[` or `{`: `sectors: \"…\"` (under `routes:`)",
            ),
            (
                "invalid YAML: dates.months: invalid type: integer `3`, expected a sequence",
                "write a list: `months: [a, b]` (under `dates:`)",
            ),
            (
                "invalid YAML: dates.months[2]: invalid type: map, expected a string",
                "each item of `months` is a plain value: `months: [a, b]` (under `dates:`)",
            ),
            (
                "invalid YAML: counts.events.one: invalid type: sequence, expected a string",
                "`one` takes text; quote it if it contains `:`, `[` or `{`: `one: \"…\"` (under `counts.events:`)",
            ),
            (
                "invalid front matter: parties: invalid type: string \"a\", expected a sequence",
                "write a list: `parties: [a, b]`",
            ),
            (
                "invalid front matter: key_figures[1]: invalid type: sequence, expected a string",
                "each item of `key_figures` is a plain value: `key_figures: [a, b]`",
            ),
            (
                "invalid YAML: allow_html: invalid type: integer `3`, expected a boolean",
                "write `allow_html: true` or `allow_html: false`",
            ),
            (
                "invalid YAML: routes: invalid type: sequence, expected `key: value` fields",
                "`routes` holds `key: value` lines, indented under `routes:`",
            ),
            (
                "invalid front matter: invalid type: sequence, expected `key: value` fields",
                "the file is a list of `key: value` lines, one field per line",
            ),
        ];
        for (message, help) in cases {
            assert_eq!(yaml_help(message).as_deref(), Some(help), "{message}");
        }
    }

    #[test]
    fn names_a_date_of_the_wrong_type() {
        let help = yaml_help("invalid front matter: date: invalid type: sequence, expected a date such as 2025-06-24");
        assert!(help.unwrap().starts_with("write one date as text: `date: 2025-06-24`"));
    }
}
