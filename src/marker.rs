//! Marks the engine puts in its own output, shared by the stages that
//! write them and the stages that read them back (a leaf module: it
//! imports nothing).

/// Stands for the relative path from the current page to the site's root,
/// in every internal href until the page is finished (then `""` or
/// `"../"`). A noncharacter: no text a dossier is written in brings it.
pub const ROOT: &str = "\u{FDD0}";

/// Stands for one part of a page assembled from parts (the one-file
/// edition): the writer puts the parts in, in order, one per mark.
pub const PART: char = '\u{FDD1}';

/// Marks either end of a page's `<main>` content while a page is
/// rewritten into a part of the one-file edition.
pub const MAIN_EDGE: &str = "\u{FDD2}";

/// The file that marks a folder as dossier's output.
pub const OUTPUT_FOLDER: &str = ".dossier-build";

/// Brackets the number of a stylesheet or script that many pages carry
/// inline (`\u{FDD3}0\u{FDD3}`): the render stage and its tokenizer pass
/// over a few bytes instead of the whole text, which the writer puts in
/// as it writes the page.
pub const ASSET: &str = "\u{FDD3}";

/// The mark of shared asset `n`.
pub fn asset(n: usize) -> String {
    format!("{ASSET}{n}{ASSET}")
}
