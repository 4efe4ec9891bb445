//! The words of normalised text, as the index and `search.js` cut them.
//!
//! Text is cut at anything that is not a letter or a digit. A run of a
//! script written without spaces between words (Chinese, Japanese kana,
//! Thai, Lao, Khmer, Myanmar) has no word ends to cut at: it is indexed as
//! its overlapping pairs of characters (`合作协议` → `合作`, `作协`,
//! `协议`), the usual way to search these scripts without a dictionary,
//! and a query is cut the same way, so that a query of two characters
//! finds every text that has them side by side. A single such character
//! is a word of its own (`年` in `2024年`); in any other script a word
//! has two characters or more.

/// The scripts written without spaces, as ranges of code points. The
/// theme's `search.js` has the same ranges (a test below checks it).
pub const UNSPACED: &[(char, char)] = &[
    ('\u{0E00}', '\u{0EFF}'),   // Thai, Lao
    ('\u{1000}', '\u{109F}'),   // Myanmar
    ('\u{1780}', '\u{17FF}'),   // Khmer
    ('\u{3040}', '\u{30FF}'),   // Hiragana, Katakana
    ('\u{31F0}', '\u{31FF}'),   // Katakana phonetic extensions
    ('\u{3400}', '\u{4DBF}'),   // CJK unified ideographs, extension A
    ('\u{4E00}', '\u{9FFF}'),   // CJK unified ideographs
    ('\u{F900}', '\u{FAFF}'),   // CJK compatibility ideographs
    ('\u{FF66}', '\u{FF9F}'),   // halfwidth Katakana
    ('\u{20000}', '\u{3134F}'), // CJK unified ideographs, extensions B to G
];

pub fn is_unspaced(c: char) -> bool {
    // Most text is in a script with spaces, all of it below U+0E00.
    c >= '\u{0E00}' && UNSPACED.iter().any(|&(first, last)| (first..=last).contains(&c))
}

/// The words of a normalised text, in order, repeated as often as they
/// occur.
pub fn each_word(normal: &str) -> impl Iterator<Item = &str> {
    normal.split(|c: char| !c.is_alphanumeric()).flat_map(RunWords::of)
}

/// The distinct words of a normalised text, sorted.
pub fn words(normal: &str) -> Vec<&str> {
    let mut words: Vec<&str> = each_word(normal).collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// The words of one run of letters and digits. The index cuts millions of
/// runs, nearly all in scripts with spaces: those are told at a glance
/// and give themselves, and only a run that may hold an unspaced script
/// is cut into pieces.
enum RunWords<'a> {
    /// The run itself, if it has two characters or more.
    Spaced(Option<&'a str>),
    /// What is left of the run, and the unspaced piece whose pairs are
    /// being given.
    Mixed { rest: &'a str, pairs: &'a str },
}

impl<'a> RunWords<'a> {
    fn of(run: &'a str) -> RunWords<'a> {
        // Below U+0800 a character takes at most two bytes, each under
        // 0xE0, and every unspaced script is above.
        if run.bytes().all(|b| b < 0xE0) {
            RunWords::Spaced(Some(run).filter(|run| run.chars().nth(1).is_some()))
        } else {
            RunWords::Mixed { rest: run, pairs: "" }
        }
    }
}

impl<'a> Iterator for RunWords<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let (rest, pairs) = match self {
            RunWords::Spaced(word) => return word.take(),
            RunWords::Mixed { rest, pairs } => (rest, pairs),
        };
        loop {
            let mut chars = pairs.char_indices();
            if let (Some(_), Some((second, _))) = (chars.next(), chars.next()) {
                let pair_end = chars.next().map_or(pairs.len(), |(third, _)| third);
                let pair = &pairs[..pair_end];
                *pairs = &pairs[second..];
                return Some(pair);
            }
            let first = rest.chars().next()?;
            let unspaced = is_unspaced(first);
            let end = rest
                .char_indices()
                .find(|&(_, c)| is_unspaced(c) != unspaced)
                .map_or(rest.len(), |(i, _)| i);
            let (piece, after) = rest.split_at(end);
            *rest = after;
            let one_character = piece.len() == first.len_utf8();
            match (unspaced, one_character) {
                // A character alone is a word in an unspaced script only.
                (true, true) => return Some(piece),
                (true, false) => *pairs = piece,
                (false, false) => return Some(piece),
                (false, true) => {}
            }
        }
    }
}

/// The shard of a term: its first two characters, or its first alone in
/// an unspaced script (whose terms are pairs: a shard for each pair
/// would be a file for each).
pub fn prefix(term: &str) -> &str {
    let length = match term.chars().next() {
        Some(c) if is_unspaced(c) => 1,
        _ => 2,
    };
    term.char_indices().nth(length).map_or(term, |(i, _)| &term[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unspaced_run_is_its_pairs_of_characters() {
        assert_eq!(each_word("合作协议").collect::<Vec<_>>(), ["合作", "作协", "协议"]);
        assert_eq!(each_word("ひらかなてす").count(), 5);
    }

    #[test]
    fn a_run_is_cut_where_its_script_changes() {
        assert_eq!(
            words("iphone手机 2024年 a 中, le cœur"),
            ["2024", "cœur", "iphone", "le", "中", "年", "手机"]
        );
    }

    #[test]
    fn scripts_with_spaces_keep_their_words_of_two_characters_or_more() {
        assert_eq!(words("l energie x 25 кириллица"), ["25", "energie", "кириллица"]);
        assert!(!"l energie кириллица 한국어".chars().any(is_unspaced));
    }

    /// The rule, written plainly: pieces of one kind of script, pairs of
    /// an unspaced piece, other pieces of two characters or more.
    fn reference(normal: &str) -> Vec<String> {
        let mut words = Vec::new();
        for run in normal.split(|c: char| !c.is_alphanumeric()) {
            let chars: Vec<char> = run.chars().collect();
            for piece in chars.chunk_by(|a, b| is_unspaced(*a) == is_unspaced(*b)) {
                match (is_unspaced(piece[0]), piece.len()) {
                    (true, 1) => words.push(piece[0].to_string()),
                    (true, _) => words.extend(piece.windows(2).map(|w| w.iter().collect())),
                    (false, 1) => {}
                    (false, _) => words.push(piece.iter().collect()),
                }
            }
        }
        words
    }

    proptest::proptest! {
        #[test]
        fn cuts_as_the_plain_rule_does(text in "[a1é é,’合作协议年ひらカナกข𠀀 ]{0,24}") {
            let words: Vec<&str> = each_word(&text).collect();
            proptest::prop_assert_eq!(words, reference(&text));
        }
    }

    #[test]
    fn an_unspaced_term_has_the_shard_of_its_first_character() {
        assert_eq!(prefix("合作"), "合");
        assert_eq!(prefix("年"), "年");
        assert_eq!(prefix("energie"), "en");
        assert_eq!(prefix("𝔘𝔫𝔦"), "𝔘𝔫");
    }

    /// `search.js` cuts queries with a character class of these ranges.
    #[test]
    fn the_search_script_has_the_same_ranges() {
        let class: String = UNSPACED
            .iter()
            .map(|&(first, last)| format!("\\u{{{:04X}}}-\\u{{{:04X}}}", u32::from(first), u32::from(last)))
            .collect();
        let script = crate::load::theme::EMBEDDED
            .iter()
            .find(|(path, _)| *path == "static/search.js")
            .map(|(_, text)| *text)
            .unwrap_or_default();
        assert!(
            script.contains(&format!("/[{class}]/u")),
            "search.js lacks /[{class}]/u"
        );
    }
}
