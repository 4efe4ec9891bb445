//! Where things are in a file: spans of front-matter fields, for every
//! stage that places a diagnostic (a leaf module: it imports nothing).

use std::ops::Range;

/// Where the value of a front-matter `key` is in the file, or the start of
/// the front matter if the key is absent. Good enough for the flat YAML of
/// dossier files; used only to place diagnostics.
pub fn field_span(text: &str, yaml: &Range<usize>, key: &str) -> Range<usize> {
    let mut at = yaml.start;
    for line in text[yaml.clone()].split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(key)
            && let Some(value) = rest.trim_start().strip_prefix(':')
        {
            let value_at = at + line.len() - value.len();
            let lead = value.len() - value.trim_start().len();
            let len = value.trim().len();
            return if len == 0 {
                at..at + key.len()
            } else {
                value_at + lead..value_at + lead + len
            };
        }
        at += line.len();
    }
    yaml.start..yaml.start
}

/// Where `item` appears in the value of a list field, for per-item errors.
pub fn item_span(text: &str, yaml: &Range<usize>, key: &str, item: &str) -> Range<usize> {
    let field = field_span(text, yaml, key);
    let region_end = text[field.start..yaml.end]
        .find("\n")
        .map(|i| {
            // A block list continues on the following indented lines.
            let mut end = field.start + i;
            for line in text[end + 1..yaml.end].split_inclusive('\n') {
                if line.starts_with([' ', '\t', '-']) {
                    end += line.len();
                } else {
                    break;
                }
            }
            end
        })
        .unwrap_or(yaml.end);
    match text[field.start..region_end.max(field.start)].find(item) {
        Some(i) if !item.is_empty() => field.start + i..field.start + i + item.len(),
        _ => field,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_field_values_and_list_items() {
        let text = "---\ntitle: A\nsectors: [energie, mines]\nactors:\n  - mali\n  - russie\n---\n";
        let yaml = 4..text.len() - 4;
        assert_eq!(&text[field_span(text, &yaml, "title")], "A");
        assert_eq!(&text[item_span(text, &yaml, "sectors", "mines")], "mines");
        assert_eq!(&text[item_span(text, &yaml, "actors", "russie")], "russie");
        assert_eq!(field_span(text, &yaml, "absent"), yaml.start..yaml.start);
    }
}
