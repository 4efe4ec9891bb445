//! The codes of the diagnostics: one variant per code, one meaning per
//! code, and a short title each. A code is printed as written here
//! (`error[E0201]`), documented in the README's table (a test checks the
//! table against [`Code::ALL`] both ways), and produced by at least one
//! case of `tests/bad_inputs.rs` (a test checks that too). A leaf module:
//! every stage may import it.

use std::fmt;

macro_rules! codes {
    ($($(#[doc = $doc:literal])* $code:ident => $title:literal,)*) => {
        /// A diagnostic's stable code. The title of each is its doc.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(#[doc = $title] $(#[doc = $doc])* $code,)*
        }

        impl Code {
            /// Every code, in the order they are numbered.
            pub const ALL: &[Code] = &[$(Code::$code,)*];

            /// The code as printed: `E0201`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($code),)*
                }
            }

            /// What the code means, in a few words.
            pub fn title(self) -> &'static str {
                match self {
                    $(Code::$code => $title,)*
                }
            }
        }
    };
}

codes! {
    E0001 => "no configuration file",
    E0002 => "no `content/` or `seeds/` folder",
    E0003 => "a file cannot be read",
    E0004 => "a binary file",
    E0005 => "invalid UTF-8",
    E0006 => "the theme does not exist",
    E0007 => "a file over the size limit",
    E0008 => "a symbolic link leading outside the dossier",
    E0009 => "a character reserved for the engine's marks",
    E0010 => "no front matter",
    E0011 => "front matter never closed",
    E0012 => "YAML over the size limit",
    E0013 => "invalid YAML",
    E0014 => "a control character in front matter",
    E0100 => "an annotation never closed",
    E0101 => "an annotation never opened",
    E0102 => "attributes or a quoted value never closed",
    E0103 => "an empty key, value or list of attributes",
    E0104 => "a key given twice",
    E0106 => "an annotation crossing emphasis or a link",
    E0107 => "annotations nested too deep",
    E0108 => "Markdown nested too deep",
    E0110 => "an unknown annotation key",
    E0111 => "a flag given a value, or a key without one",
    E0112 => "not a language code",
    E0113 => "`sic` without a note",
    E0114 => "`title=` without `event=`",
    E0115 => "a figure's key without `figure=`",
    E0116 => "`said=` naming more than one actor",
    E0117 => "a figure's value that is not a number",
    E0118 => "an unknown `bound=`",
    E0200 => "not a slug",
    E0201 => "an unknown sector",
    E0202 => "an unknown actor",
    E0203 => "a party listed twice",
    E0204 => "not two parties",
    E0205 => "not a colour",
    E0206 => "an unknown actor kind",
    E0207 => "an event kind that is not a slug",
    E0208 => "an unknown status",
    E0209 => "a source kind that is not a slug",
    E0210 => "an unknown link target",
    E0211 => "an image in editorial text",
    E0212 => "a colour with too little contrast",
    E0213 => "a link scheme that is not allowed",
    E0214 => "a `base_url` that is not a web address",
    ///
    /// No input can produce it today: a source's slug is its file name in
    /// `seeds/`, and only `.md` files are sources, so two files cannot
    /// share one. It guards the day a second extension is accepted
    /// (`tests/bad_inputs.rs` exempts it, with this reason).
    E0220 => "two sources with one slug",
    E0300 => "an impossible date or a reversed range",
    E0302 => "an event defined in a file and inline",
    E0303 => "an event defined inline twice, differently",
    E0304 => "an event defined inline without a date",
    E0305 => "an unknown event",
    E0306 => "a passage dated outside its event",
    E0307 => "an unknown figure",
    E0310 => "a figure given twice with different values",
    E0400 => "an original that does not exist",
    E0401 => "a paragraph differs from the original",
    E0402 => "a paragraph too many, too few or out of place",
    E0403 => "an original's path that cannot name one",
    E0404 => "an original whose lines end with CR only",
    E0500 => "no strings for the dossier's language",
    E0501 => "invalid strings in a theme",
    E0502 => "a page named like one of the site's own",
    E0503 => "route names that collide",
    E0510 => "a template error",
    W0001 => "a file that is not part of the dossier",
    W0002 => "an original that is not text, named by no source",
    W0101 => "a sector with no passage",
    W0102 => "an actor never mentioned",
    W0103 => "an event never cited",
    W0104 => "a source without annotation",
    W0105 => "a figure without unit",
    W0106 => "a kind close to a known one",
    W0107 => "an original no source uses",
    W0108 => "a paragraph too long for one page",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// So that a test can compare a code with the text it prints as.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_numbered_in_order_and_printed_as_named() {
        let printed: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let mut sorted = printed.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(printed, sorted, "ALL is sorted, each code once");
        assert_eq!(Code::E0201.to_string(), "E0201");
        assert_eq!(Code::W0105, "W0105");
        assert!(Code::ALL.iter().all(|c| !c.title().is_empty()));
    }

    /// The first cell of each row of the README's table of codes, in order.
    fn readme_codes(readme: &str) -> Vec<&str> {
        let section = readme
            .split("\n## ")
            .find(|s| s.starts_with("Errors and warnings"))
            .expect("the README has a section `## Errors and warnings`");
        section
            .lines()
            .filter_map(|l| l.strip_prefix("| "))
            .filter_map(|row| row.split(" |").next())
            .filter(|cell| *cell != "code" && !cell.starts_with('-'))
            .collect()
    }

    /// Issue 13: the README listed codes nothing emits (E0203, E0105) and
    /// missed one that is (E0500). Its table has one row per code, the
    /// codes of [`Code::ALL`] in the same order.
    #[test]
    fn the_readme_lists_every_code_and_no_other() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        let listed = readme_codes(&readme);
        let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let unknown: Vec<&&str> = listed.iter().filter(|l| !codes.contains(l)).collect();
        let missing: Vec<&&str> = codes.iter().filter(|c| !listed.contains(c)).collect();
        assert!(
            unknown.is_empty(),
            "README rows that are not one code of `Code`: {unknown:?}"
        );
        assert!(missing.is_empty(), "codes missing from the README's table: {missing:?}");
        assert_eq!(listed, codes, "one row per code, in order");
    }

    #[test]
    fn reads_the_first_cell_of_each_row_only() {
        let readme = "# x\n\n## Errors and warnings\n\n| code | what |\n|---|---|\n| E0001 | a |\n| E0002 / E0003 | b |\n\n## Next\n\n| crate | why |\n";
        assert_eq!(readme_codes(readme), ["E0001", "E0002 / E0003"]);
    }
}
