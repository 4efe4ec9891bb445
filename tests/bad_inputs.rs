//! Every kind of mistake a journalist can make in a dossier, each refused
//! the same way by `check` and by `build`: exit code 1, the error's code,
//! its `file:line:col`, a hint, no panic, and the previous build left
//! byte for byte as it was. A warning's case is reported by `check`
//! (exit 0) and refused by `build --deny-warnings`.
//!
//! Every code of [`Code::ALL`] has a case here (a test fails otherwise),
//! and the full text `check` prints for each case is a snapshot
//! (`tests/snapshots/`, reviewed with `cargo insta review`), so no
//! message can change unseen.
//!
//! Set `DOSSIER_REPORT=<folder>` to keep what each case prints, for the
//! error catalogue.

mod common;

use std::path::Path;

use common::{dossier_at, edit, files_under, fixture, published_copy};
use dossier::code::Code;

const COMMUNIQUE: &str = "seeds/joint-communique-kelvra.md";
const TALKS: &str = "content/events/grey-banks-talks.md";
const WATER: &str = "content/sectors/water.md";
const NORLAND: &str = "content/actors/norland.md";

/// What a refused build must say about the mistake.
struct Expect {
    code: Code,
    /// `file:line:col`.
    at: &'static str,
    /// Part of the hint.
    help: &'static str,
}

/// Builds a copy of the English fixture, breaks it with `break_it`, and
/// checks that `check` and `build` refuse it as `expect` says (a warning:
/// that `check` reports it and `build --deny-warnings` refuses it).
fn refused(name: &str, expect: Expect, break_it: impl FnOnce(&Path)) {
    let published = published_copy(&fixture("en-harbor"));
    let (root, out) = (published.root(), &published.out);
    break_it(root);
    let warning = expect.code.as_str().starts_with('W');
    for command in ["check", "build"] {
        let mut cmd = dossier_at(command, root);
        if command == "build" {
            cmd.arg("--out").arg(out);
            if warning {
                cmd.arg("--deny-warnings");
            }
        }
        let output = cmd.timeout(std::time::Duration::from_secs(60)).output().unwrap();
        let stderr = stable(&String::from_utf8(output.stderr).expect("diagnostics are UTF-8"), root);
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        // `--deny-warnings` reports a warning as an error.
        let (status, severity) = if warning && command == "check" {
            (0, "warning")
        } else {
            (1, "error")
        };
        assert_eq!(
            output.status.code(),
            Some(status),
            "{name}: `{command}` exit code\n{stderr}"
        );
        let header = format!("{severity}[{}]", expect.code);
        let block = stderr
            .split("\n\n")
            .find(|b| b.starts_with(&header) && b.contains(&format!("--> {}\n", expect.at)))
            .unwrap_or_else(|| panic!("{name}: no {header} at {}\n{stderr}", expect.at));
        let help = block.lines().find(|l| l.contains("= help: ")).unwrap_or("");
        assert!(help.len() > "= help: ".len() + 10, "{name}: no useful hint\n{block}");
        assert!(
            help.contains(expect.help),
            "{name}: the hint should say {:?}\n{block}",
            expect.help
        );
        if command == "check" {
            insta::assert_snapshot!(name, stderr);
            if let Some(dir) = std::env::var_os("DOSSIER_REPORT") {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(Path::new(&dir).join(format!("{name}.txt")), &stderr).unwrap();
            }
        }
    }
    assert!(
        files_under(out) == published.files,
        "{name}: the previous build was changed"
    );
}

/// What `check` printed, the same on every machine: the dossier's
/// temporary folder is written `[ROOT]`.
fn stable(stderr: &str, root: &Path) -> String {
    stderr.replace(&root.display().to_string(), "[ROOT]")
}

fn write(root: &Path, file: &str, bytes: impl AsRef<[u8]>) {
    let path = root.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// One test per case, named after it, and the list of every case's code.
macro_rules! refused {
    ($($(#[$doc:meta])* $name:ident: $code:ident at $at:literal, help $help:literal, $break_it:expr;)*) => {
        $(
            $(#[$doc])*
            #[test]
            fn $name() {
                refused(stringify!($name), Expect { code: Code::$code, at: $at, help: $help }, $break_it);
            }
        )*

        /// Every case, by name, and the code it is about.
        const CASES: &[(&str, Code)] = &[$((stringify!($name), Code::$code),)*];
    };
}

refused! {
    malformed_yaml: E0013 at "content/events/grey-banks-talks.md:2:8", help "never closed",
        |r| edit(r, TALKS, "Kelvra\"", "Kelvra");
    missing_required_field: E0013 at "content/sectors/water.md:2:1", help "add a `title: …` line",
        |r| edit(r, WATER, "title: Water\n", "");
    unknown_field: E0013 at "content/events/grey-banks-talks.md:4:1", help "did you mean `sectors`?",
        |r| edit(r, TALKS, "sectors:", "sector:");
    wrong_type: E0013 at "content/sectors/water.md:3:8", help "write digits only",
        |r| edit(r, WATER, "order: 3", "order: three");
    wrong_type_list: E0013 at "content/events/grey-banks-talks.md:4:10", help "write a list",
        |r| edit(r, TALKS, "[fisheries]", "fisheries");
    impossible_day: E0300 at "content/events/grey-banks-talks.md:3:15", help "check the day of the month",
        |r| edit(r, TALKS, "2019-03-30/2019-04-02", "2025-02-30");
    impossible_month: E0300 at "content/events/grey-banks-talks.md:3:12", help "months go from 01 to 12",
        |r| edit(r, TALKS, "2019-03-30/2019-04-02", "2025-13");
    reversed_range: E0300 at "content/events/grey-banks-talks.md:3:18", help "write the earlier date first",
        |r| edit(r, TALKS, "2019-03-30/2019-04-02", "2019-04-02/2019-03-30");
    // Issue 12: "`14` is not a date".
    date_written_day_first: E0300 at "seeds/joint-communique-kelvra.md:3:12", help "`2022-11-05`",
        |r| edit(r, COMMUNIQUE, "published: 2022-11-05", "published: 05/11/2022");
    // Issue 12: "`2024-09-01 ` is not a date".
    range_with_spaces_around_the_slash: E0300 at "content/events/grey-banks-talks.md:3:17", help "`2019-03-30/2019-04-02`",
        |r| edit(r, TALKS, "2019-03-30/2019-04-02", "2019-03-30 / 2019-04-02");
    // Issue 13: a spurious E0304 "defined inline without a date" came first.
    reversed_range_defining_an_event_inline: E0300 at "seeds/joint-communique-kelvra.md:17:71", help "write the earlier date first",
        |r| edit(r, COMMUNIQUE, "{actor=norland} will", "{actor=norland event=desal-deal title=\"Deal\" date=2024-09-02/2024-09-01} will");
    impossible_date_in_annotation: E0300 at "seeds/joint-communique-kelvra.md:15:136", help "check the day of the month",
        |r| edit(r, COMMUNIQUE, "date=2021-03 ", "date=2021-02-29 ");
    unclosed_bracket: E0100 at "seeds/joint-communique-kelvra.md:13:27", help "close the annotated words",
        |r| edit(r, COMMUNIQUE, "[a joint annual", "[[a joint annual");
    unopened_bracket: E0101 at "seeds/joint-communique-kelvra.md:17:30", help "put `[` before the words",
        |r| edit(r, COMMUNIQUE, "{actor=norland} will", "{actor=norland} will]{sector=water}");
    annotation_crossing_emphasis: E0106 at "seeds/joint-communique-kelvra.md:17:40", help "inside",
        |r| edit(r, COMMUNIQUE, "will finance [three desalination", "*will finance [three* desalination");
    unterminated_quote: E0102 at "seeds/joint-communique-kelvra.md:17:170", help "end the value with",
        |r| edit(r, COMMUNIQUE, "unit=\"units\"", "unit=\"units");
    unclosed_attributes: E0102 at "seeds/joint-communique-kelvra.md:23:183", help "end the attributes with `}`",
        |r| edit(r, COMMUNIQUE, "sector=tourism date=2024}", "sector=tourism date=2024");
    empty_key: E0103 at "seeds/joint-communique-kelvra.md:17:113", help "`key=value`",
        |r| edit(r, COMMUNIQUE, "value=3 ", "value=3 =x ");
    empty_attributes: E0103 at "seeds/joint-communique-kelvra.md:17:10", help "at least one",
        |r| edit(r, COMMUNIQUE, "[Norland]{actor=norland}", "[Norland]{}");
    duplicate_key: E0104 at "seeds/joint-communique-kelvra.md:17:113", help "give each key once",
        |r| edit(r, COMMUNIQUE, "value=3 ", "value=3 value=4 ");
    unknown_annotation_key: E0110 at "seeds/joint-communique-kelvra.md:17:105", help "did you mean `value`?",
        |r| edit(r, COMMUNIQUE, "value=3 ", "valeu=3 ");
    // Issue 12: "unknown annotation key `diplomacy`", and no `lang` among the keys.
    space_after_a_comma_in_a_list: E0110 at "seeds/joint-communique-kelvra.md:15:150", help "`sector=water,fisheries`",
        |r| edit(r, COMMUNIQUE, "sector=water}, and", "sector=water, fisheries}, and");
    unknown_annotation_key_far_from_every_key: E0110 at "seeds/joint-communique-kelvra.md:17:105", help "lang",
        |r| edit(r, COMMUNIQUE, "value=3 ", "zzzzzz=3 ");
    unknown_sector: E0201 at "seeds/joint-communique-kelvra.md:15:143", help "did you mean `water`?",
        |r| edit(r, COMMUNIQUE, "sector=water}, and", "sector=watr}, and");
    unknown_sector_in_front_matter: E0201 at "content/events/grey-banks-talks.md:4:11", help "did you mean `fisheries`?",
        |r| edit(r, TALKS, "[fisheries]", "[fisheres]");
    unknown_actor: E0202 at "seeds/joint-communique-kelvra.md:17:17", help "did you mean `norland`?",
        |r| edit(r, COMMUNIQUE, "{actor=norland} will", "{actor=norlan} will");
    unknown_event: E0305 at "seeds/joint-communique-kelvra.md:15:100", help "did you mean `joint-water-commission`?",
        |r| edit(r, COMMUNIQUE, "event=joint-water-commission", "event=joint-water-comission");
    unknown_figure: E0307 at "seeds/kelvra-port-deal.md:12:359", help "did you mean `cod-quota`?",
        |r| edit(r, "seeds/kelvra-port-deal.md", "figure=cod-quota value=40000 unit=\"tonnes a year\" label=\"Joint cod quota on the Grey Banks\"", "figure=cod-qouta");
    unknown_key_figure: E0307 at "content/dossier.yaml:7:15", help "did you mean `cod-quota`?",
        |r| edit(r, "content/dossier.yaml", "key_figures: [cod-quota,", "key_figures: [cod-qota,");
    unknown_link_target: E0210 at "content/sectors/water.md:7:5", help "did you mean `joint-water-commission`?",
        |r| edit(r, WATER, "event:joint-water-commission", "event:joint-watr-commission");
    unknown_paragraph: E0210 at "content/sectors/water.md:7:182", help "the source has 10 paragraphs",
        |r| edit(r, WATER, "kelvra#p3", "kelvra#p30");
    unknown_link_scheme_target: E0210 at "content/sectors/water.md:7:5", help "known figures",
        |r| edit(r, WATER, "event:joint-water-commission", "figure:commission");
    image_in_editorial_text: E0211 at "content/sectors/water.md:7:1", help "describe the image",
        |r| edit(r, WATER, "The [Joint", "![map](map.png) The [Joint");
    event_defined_in_file_and_inline: E0302 at "seeds/joint-communique-kelvra.md:19:178", help "an event is defined once",
        |r| edit(r, COMMUNIQUE, "event=hospital-cooperation date=2019", "event=grey-banks-talks title=\"x\" date=2019");
    inline_event_defined_twice_with_other_dates: E0303 at "seeds/joint-communique-kelvra.md:23:206", help "first defined in `seeds/interview-tavi-rennik.md`",
        |r| edit(r, COMMUNIQUE, "{sector=tourism date=2024}", "{sector=tourism event=norest-1-launch title=\"Launch of the NorEst-1 water-monitoring satellite\" date=2024-09-13}");
    // Issue 12: the two values were never shown.
    figure_given_twice_with_other_values: E0310 at "seeds/kelvra-port-deal.md:12:359", help "with `value=40000`",
        |r| edit(r, "seeds/kelvra-port-deal.md", "value=40000", "value=41000");
    figure_given_twice_with_other_units: E0310 at "seeds/kelvra-port-deal.md:12:359", help "with `unit=\"tonnes a year\"`",
        |r| edit(r, "seeds/kelvra-port-deal.md", "unit=\"tonnes a year\"", "unit=tonnes");
    page_named_like_a_site_page: E0502 at "content/pages/chronology.md:1:1", help "rename the file",
        |r| {
            std::fs::rename(r.join("content/pages/about.md"), r.join("content/pages/chronology.md")).unwrap();
            edit(r, "content/pages/methodology.md", "page:about", "page:chronology");
        };
    // Stop 26: a split index of actors writes `actors-2.html` beside its page.
    page_named_like_a_page_of_a_split_list: E0502 at "content/pages/actors-2.md:1:1", help "name a page of that list once it is split",
        |r| {
            std::fs::rename(r.join("content/pages/about.md"), r.join("content/pages/actors-2.md")).unwrap();
            edit(r, "content/pages/methodology.md", "page:about", "page:actors-2");
        };
    // Issue 12: the caret on the first differing character, not the paragraph.
    fidelity_mismatch: E0401 at "seeds/joint-communique-kelvra.md:11:162", help "«…the Agreement on Port Access",
        |r| edit(r, COMMUNIQUE, "signed an Agreement", "signed the Agreement");
    // Issue 12: the Markdown that ate the original's words is named, with its escape.
    fidelity_list_marker_eaten: E0401 at "seeds/joint-communique-kelvra.md:17:1", help "a Markdown list item, which drops the `1.`: escape it: `1\\.`",
        |r| {
            edit(r, "seeds/originals/joint-communique-kelvra.txt", "Norland will finance", "1. Norland will finance");
            edit(r, COMMUNIQUE, "[Norland]{actor=norland} will", "1. [Norland]{actor=norland} will");
        };
    fidelity_end_mark_eaten: E0401 at "seeds/joint-communique-kelvra.md:31:1", help "a Markdown heading, which drops the `###`: escape it: `\\###`",
        |r| {
            let original = std::fs::read_to_string(r.join("seeds/originals/joint-communique-kelvra.txt")).unwrap();
            write(r, "seeds/originals/joint-communique-kelvra.txt", format!("{}\n###\n", original.trim_end()));
            let text = std::fs::read_to_string(r.join(COMMUNIQUE)).unwrap();
            write(r, COMMUNIQUE, format!("{}\n\n###\n", text.trim_end()));
        };
    fidelity_headline_missing: E0402 at "seeds/joint-communique-kelvra.md:11:1", help "a paragraph is missing: is ¶1 a headline?",
        |r| {
            let original = std::fs::read_to_string(r.join("seeds/originals/joint-communique-kelvra.txt")).unwrap();
            write(r, "seeds/originals/joint-communique-kelvra.txt", format!("JOINT COMMUNIQUÉ\n{original}"));
        };
    // Issue 12: a hard-wrapped original made each of its lines a paragraph.
    hard_wrapped_original: E0402 at "seeds/joint-communique-kelvra.md:13:262", help "ends mid-sentence: it looks hard-wrapped (a wire copy, an e-mail); mark its real paragraphs with blank lines in the original",
        |r| edit(r, "seeds/originals/joint-communique-kelvra.txt", "40,000 tonnes on the Grey Banks", "40,000 tonnes\non the Grey Banks");
    // Issue 13: «Bank» against «Ba​nk»: the difference could not be seen.
    invisible_character_difference: E0401 at "seeds/joint-communique-kelvra.md:11:170", help "⟨U+200B⟩",
        |r| edit(r, COMMUNIQUE, "signed an Agreement", "signed an Agree\u{200B}ment");
    // Issue 13: an original with CR-only line endings got no hint.
    original_with_cr_only_line_endings: E0404 at "seeds/joint-communique-kelvra.md:8:11", help "LF (Unix)",
        |r| {
            let original = "seeds/originals/joint-communique-kelvra.txt";
            let text = std::fs::read_to_string(r.join(original)).unwrap();
            write(r, original, text.replace('\n', "\r"));
        };
    paragraph_count_mismatch: E0402 at "seeds/joint-communique-kelvra.md:31:1", help "added?",
        |r| {
            let text = std::fs::read_to_string(r.join(COMMUNIQUE)).unwrap();
            write(r, COMMUNIQUE, format!("{text}\nA paragraph the original does not have.\n"));
        };
    // Seen on a generated corpus: "the source has 11 paragraphs but the original has 11".
    paragraph_moved_to_the_end: E0402 at "seeds/joint-communique-kelvra.md:29:1", help "move it back there",
        |r| {
            let text = std::fs::read_to_string(r.join(COMMUNIQUE)).unwrap();
            let moved = "[Norland]{actor=norland} will finance [three desalination units]{sector=water figure=desalination-units value=3 unit=\"units\" label=\"Desalination units financed by Norland\"} for the Estmark islands.\n\n";
            assert!(text.contains(moved));
            write(r, COMMUNIQUE, format!("{}\n{}", text.replacen(moved, "", 1), moved.trim_end()));
        };
    missing_original: E0400 at "seeds/joint-communique-kelvra.md:8:11", help "did you mean `originals/joint-communique-kelvra.txt`?",
        |r| edit(r, COMMUNIQUE, "kelvra.txt", "kelvr.txt");
    original_outside_seeds: E0403 at "seeds/joint-communique-kelvra.md:8:11", help "read from `seeds/originals/` only",
        |r| edit(r, COMMUNIQUE, "originals/joint-communique-kelvra.txt", "../../../etc/passwd");
    // Issue 13: E0400 said "is not under `seeds/`" for each of these three.
    original_through_the_parent_folder: E0403 at "seeds/joint-communique-kelvra.md:8:11", help "write the plain path: `originals/joint-communique-kelvra.txt`",
        |r| edit(r, COMMUNIQUE, "originals/joint-communique-kelvra.txt", "originals/../originals/joint-communique-kelvra.txt");
    hidden_original: E0403 at "seeds/joint-communique-kelvra.md:8:11", help "without the leading `.`",
        |r| {
            let originals = r.join("seeds/originals");
            std::fs::rename(originals.join("joint-communique-kelvra.txt"), originals.join(".joint-communique-kelvra.txt")).unwrap();
            edit(r, COMMUNIQUE, "originals/joint", "originals/.joint");
        };
    // Issue 12: "is not under `seeds/`", "help: no originals is defined yet", for a file simply absent.
    absent_original_and_no_other: E0400 at "seeds/joint-communique-kelvra.md:8:11", help "put the text of the source, as plain UTF-8, in `seeds/originals/joint-communique-kelvra.txt`",
        |r| std::fs::remove_dir_all(r.join("seeds/originals")).unwrap();
    invalid_utf8: E0005 at "content/sectors/water.md:10:4", help "save the file as UTF-8",
        |r| {
            let mut bytes = std::fs::read(r.join(WATER)).unwrap();
            bytes.extend(b"Caf\xe9");
            write(r, WATER, bytes);
        };
    empty_file: E0010 at "content/actors/norland.md:1:1", help "start the file with a `---` line",
        |r| write(r, NORLAND, "");
    empty_source: E0010 at "seeds/empty.md:1:1", help "start the file with a `---` line",
        |r| write(r, "seeds/empty.md", "");
    unclosed_front_matter: E0011 at "content/actors/norland.md:1:1", help "`---`",
        |r| write(r, NORLAND, "---\nname: Norland\nkind: state\n\nOne of the two parties.\n");
    binary_file: E0004 at "content/actors/logo.md:1:1", help "UTF-8 text",
        |r| write(r, "content/actors/logo.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    binary_original_named_by_a_source: E0004 at "seeds/originals/joint-communique-kelvra.txt:1:1", help "UTF-8 text",
        |r| write(r, "seeds/originals/joint-communique-kelvra.txt", b"%PDF-1.7\n\0\0binary");
    huge_source: E0007 at "seeds/huge.md:1:1", help "split a long source",
        |r| {
            let paragraph = "The Parties agreed on [a joint quota]{sector=fisheries} for the Grey Banks.\n\n";
            let body = paragraph.repeat(50 * 1024 * 1024 / paragraph.len() + 1);
            write(r, "seeds/huge.md", format!("---\ntitle: Huge\npublished: 2024\noutlet: X\nlanguage: en\nkind: article\noriginal: originals/huge.txt\n---\n{body}"));
        };
    yaml_alias_bomb: E0013 at "content/actors/norland.md:4:11", help "each item of `aliases` is a plain value",
        |r| {
            let mut bomb = String::from("[&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]");
            for i in 1..12 {
                bomb += &format!(", &a{i} [{}]", vec![format!("*a{}", i - 1); 9].join(", "));
            }
            edit(r, NORLAND, "kind: state", &format!("kind: state\naliases: {bomb}]"));
        };
    deeply_nested_yaml: E0013 at "content/dossier.yaml:5:42", help "a flat list",
        |r| edit(r, "content/dossier.yaml", "parties: [norland, estmark]", &format!("parties: {}{}", "[".repeat(20_000), "]".repeat(20_000)));
    huge_yaml: E0012 at "content/dossier.yaml:1:1", help "short list of fields",
        |r| edit(r, "content/dossier.yaml", "base_url:", &format!("aliases: [{}]\nbase_url:", vec!["x"; 40_000].join(", ")));
    slug_with_a_slash: E0200 at "seeds/joint-communique-kelvra.md:19:178", help "slugs are lower-case",
        |r| edit(r, COMMUNIQUE, "event=hospital-cooperation date=2019", "event=../../etc/x title=\"x\" date=2019");
    slug_with_a_backslash: E0200 at "seeds/joint-communique-kelvra.md:17:86", help "slugs are lower-case",
        |r| edit(r, COMMUNIQUE, "figure=desalination-units", "figure=a\\b");
    slug_with_a_control_character: E0200 at "seeds/joint-communique-kelvra.md:17:86", help "slugs are lower-case",
        |r| edit(r, COMMUNIQUE, "figure=desalination-units", "figure=\"a\u{1}b\"");
    file_name_that_is_not_a_slug: E0200 at "content/actors/nor\tland.md:1:1", help "rename the file",
        |r| write(r, "content/actors/nor\tland.md", "---\nname: Norland again\nkind: state\n---\n");
    source_file_name_with_dots: E0200 at "seeds/a..b.md:1:1", help "rename the file",
        |r| std::fs::copy(r.join(COMMUNIQUE), r.join("seeds/a..b.md")).map(drop).unwrap();
    theme_name_outside_themes: E0200 at "content/dossier.yaml:6:8", help "a theme is a folder of `themes/`",
        |r| edit(r, "content/dossier.yaml", "base_url:", "theme: \"../../../tmp\"\nbase_url:");
    missing_theme: E0006 at "content/dossier.yaml:6:8", help "create `themes/night/`",
        |r| edit(r, "content/dossier.yaml", "base_url:", "theme: night\nbase_url:");
    symlink_loop: E0003 at "content/actors/loop:1:1", help "remove the link",
        |r| std::os::unix::fs::symlink("..", r.join("content/actors/loop")).unwrap();
    broken_symlink: E0003 at "content/actors/ghost.md:1:1", help "point it at a file that exists",
        |r| std::os::unix::fs::symlink("/nonexistent/ghost.md", r.join("content/actors/ghost.md")).unwrap();
    missing_configuration: E0001 at "content/dossier.yaml:1:1", help "create `content/dossier.yaml`",
        |r| std::fs::remove_file(r.join("content/dossier.yaml")).unwrap();
    bad_sector_colour: E0205 at "content/sectors/water.md:4:8", help "`\"#rrggbb\"`",
        |r| edit(r, WATER, "#287ab7", "blue-ish");
    low_contrast_sector_colour: E0212 at "content/sectors/water.md:4:8", help "use a darker shade, e.g. `\"#787800\"`",
        |r| edit(r, WATER, "#287ab7", "#ffff00");
    // Issue 12: "the colour `#2f855a` has a contrast of 4.5:1 on the page; text needs 4.5:1".
    colour_just_under_the_contrast_minimum: E0212 at "content/sectors/water.md:4:8", help "use a darker shade",
        |r| edit(r, WATER, "\"#287ab7\"", "\"#2f855a\"");
    // Issue 13: the contrast is checked on the theme's own background.
    colour_unreadable_on_the_theme_background: E0212 at "content/sectors/water.md:4:8", help "use a lighter shade",
        |r| {
            edit(r, "content/dossier.yaml", "base_url:", "theme: night\nbase_url:");
            write(r, "themes/night/static/style.css", ":root { --bg: #101010; --fg: #eeeeee; }\n");
        };
    // Issue 13: the dark mode is checked on the theme's own dark `--bg`,
    // not on the default theme's: a grey one leaves light text unreadable.
    // Issue 13: one error at the theme's dark `--bg`, naming the sectors,
    // not one per sector blaming its colour (six for the six sectors here).
    colour_unreadable_on_the_theme_dark_background: E0212 at "themes/dusk/static/style.css:3:17", help "a darker colour, e.g. `#15171a`",
        |r| {
            edit(r, "content/dossier.yaml", "base_url:", "theme: dusk\nbase_url:");
            write(r, "themes/dusk/static/style.css", DUSK);
        };
    // Issue 12: "`` is not a colour".
    unquoted_colour: E0205 at "content/sectors/water.md:4:8", help "quote the colour: `color: \"#6b46c1\"`",
        |r| edit(r, WATER, "\"#287ab7\"", "#6b46c1");
    // Issue 12: kinds are open (any slug), but a kind must be a slug.
    event_kind_not_a_slug: E0207 at "content/events/grey-banks-talks.md:6:7", help "a kind is a slug (lower-case ASCII letters, digits and hyphens): `round-table`",
        |r| edit(r, TALKS, "kind: meeting", "kind: Round Table");
    source_kind_not_a_slug: E0209 at "seeds/kelvra-port-deal.md:8:7", help "(lower-case ASCII letters, digits and hyphens): `analysis-piece`",
        |r| edit(r, "seeds/kelvra-port-deal.md", "kind: article", "kind: Analysis Piece");
    // Issue 12: `country` is an actor's slug, checked.
    country_written_as_a_name: E0202 at "content/actors/tavi-rennik.md:4:10", help "write `country: estmark`",
        |r| edit(r, "content/actors/tavi-rennik.md", "country: estmark", "country: Estmark");
    unknown_country: E0202 at "content/actors/tavi-rennik.md:4:10", help "did you mean `estmark`?",
        |r| edit(r, "content/actors/tavi-rennik.md", "country: estmark", "country: estmrk");
    sic_without_note: E0113 at "seeds/joint-communique-kelvra.md:19:51", help "note",
        |r| edit(r, COMMUNIQUE, "{sic note=\"Read “Ministry of Health”.\"}", "{sic}");
    figure_bound_unknown: E0118 at "seeds/joint-communique-kelvra.md:17:119", help "more-than",
        |r| edit(r, COMMUNIQUE, "value=3 ", "value=3 bound=over ");
    figure_value_not_a_number: E0117 at "seeds/joint-communique-kelvra.md:17:111", help "digits",
        |r| edit(r, COMMUNIQUE, "value=3 ", "value=three ");
    passage_dated_outside_its_event: E0306 at "seeds/joint-communique-kelvra.md:15:100", help "within the event's",
        |r| edit(r, COMMUNIQUE, "date=2021-03 sector=water", "date=2021-04 sector=water");
    // Issue 13: nesting that overflowed the stack of `build` (and of `check`).
    deep_block_quotes_in_a_page: E0108 at "content/pages/deep.md:4:33", help "no text needs this many levels",
        |r| write(r, "content/pages/deep.md", format!("---\ntitle: Deep\n---\n{} x\n", ">".repeat(4_000)));
    deep_emphasis_in_a_source: E0108 at "seeds/joint-communique-kelvra.md:13:65", help "no text needs this many levels",
        |r| edit(r, COMMUNIQUE, "The two Parties agreed", &format!("{0}The{0} two Parties agreed", "*".repeat(8_000)));
    deep_annotations_in_a_source: E0107 at "seeds/joint-communique-kelvra.md:13:7984", help "give one annotation several keys",
        |r| edit(r, COMMUNIQUE, "The two Parties agreed", &format!("{}The{} two Parties agreed", "[".repeat(8_000), "]{sector=water}".repeat(8_000)));
    deep_block_quotes_in_a_note: E0108 at "seeds/joint-communique-kelvra.md:13:218", help "no text needs this many levels",
        |r| edit(r, COMMUNIQUE, "note=\"The same figure", &format!("note=\"{} The same figure", ">".repeat(4_000)));
    // Issue 13: each of 800 errors measured its 7 MB line again (47 s).
    eight_hundred_errors_on_one_long_line: E0201 at "seeds/long.md:9:6986412", help "known sectors",
        |r| {
            let annotations = "[w]{sector=nope} ".repeat(800);
            let body = format!("{}{annotations}\n", "x".repeat(7_000_000 - annotations.len()));
            write(r, "seeds/long.md", format!("---\ntitle: Long\npublished: 2024\noutlet: X\nlanguage: en\nkind: article\noriginal: originals/long.txt\n---\n{body}"));
            write(r, "seeds/originals/long.txt", "x\n");
        };
    // Issue 13: nothing is read through a link that leaves the dossier.
    source_linked_outside_the_dossier: E0008 at "seeds/leak.md:1:1", help "copy the file into the dossier",
        |r| std::os::unix::fs::symlink("/etc/passwd", r.join("seeds/leak.md")).unwrap();
    folder_linked_outside_the_dossier: E0008 at "content/actors/etc:1:1", help "copy the file into the dossier",
        |r| std::os::unix::fs::symlink("/etc", r.join("content/actors/etc")).unwrap();
    theme_file_linked_outside_the_dossier: E0008 at "themes/default/static/z.css:1:1", help "copy the file into the dossier",
        |r| {
            std::fs::create_dir_all(r.join("themes/default/static")).unwrap();
            std::os::unix::fs::symlink("/etc/passwd", r.join("themes/default/static/z.css")).unwrap();
        };
    huge_theme_file: E0007 at "themes/default/static/big.css:1:1", help "at most 8 MiB a file",
        |r| write(r, "themes/default/static/big.css", "a{}".repeat(3 << 20));
    // Issue 13: links lead to web addresses and the dossier's pages only.
    javascript_link_in_editorial_text: E0213 at "content/sectors/water.md:7:5", help "`https:`",
        |r| edit(r, WATER, "event:joint-water-commission", "javascript:alert(1)");
    data_link_in_a_note: E0213 at "seeds/joint-communique-kelvra.md:13:217", help "`https:`",
        |r| edit(r, COMMUNIQUE, "source:kelvra-port-deal#p1", "data:text/html,<script>alert(1)</script>");
    vbscript_link_in_a_source: E0213 at "seeds/joint-communique-kelvra.md:13:19", help "`https:`",
        |r| edit(r, COMMUNIQUE, "The two Parties agreed", "The two [Parties](VBScript:x) agreed");
    base_url_that_is_not_a_web_address: E0214 at "content/dossier.yaml:6:11", help "e.g. `base_url:",
        |r| edit(r, "content/dossier.yaml", "https://example.org/norland-estmark/", "javascript:alert(1)//");
    // Issue 13: the engine's marks and XML-illegal characters are refused.
    reserved_character_in_a_title: E0009 at "seeds/joint-communique-kelvra.md:2:14", help "noncharacters are never text",
        |r| edit(r, COMMUNIQUE, "title: \"Joint", "title: \"Joint\u{FDD1}");
    reserved_character_in_text: E0009 at "content/sectors/water.md:7:4", help "noncharacters are never text",
        |r| edit(r, WATER, "The [Joint", "The\u{FDD0} [Joint");
    escaped_reserved_character_in_front_matter: E0014 at "seeds/joint-communique-kelvra.md:2:8", help "control characters",
        |r| edit(r, COMMUNIQUE, "title: \"Joint", "title: \"Joint\\uFDD1");
    control_character_in_a_title: E0014 at "seeds/joint-communique-kelvra.md:2:14", help "control characters",
        |r| edit(r, COMMUNIQUE, "title: \"Joint", "title: \"Joint\u{1}");
    escaped_control_character_in_the_configuration: E0014 at "content/dossier.yaml:1:8", help "control characters",
        |r| edit(r, "content/dossier.yaml", "Norland –", "Norland\\x07 –");
    // Issue 13: accepted without a word until now.
    duplicate_parties: E0203 at "content/dossier.yaml:5:10", help "two different parties",
        |r| edit(r, "content/dossier.yaml", "[norland, estmark]", "[norland, norland]");
    said_with_two_actors: E0116 at "seeds/interview-tavi-rennik.md:16:255", help "one speaker",
        |r| edit(r, "seeds/interview-tavi-rennik.md", "said=tavi-rennik sector", "said=tavi-rennik,norland sector");
    route_names_that_collide: E0503 at "themes/default/i18n/en.yaml:7:11", help "give each of `routes:`",
        |r| write(r, "themes/default/i18n/en.yaml", default_strings().replacen("  actors: actors", "  actors: sectors", 1));
    route_named_like_the_home_page: E0503 at "themes/default/i18n/en.yaml:4:12", help "give each of `routes:`",
        |r| write(r, "themes/default/i18n/en.yaml", default_strings().replacen("  sectors: sectors", "  sectors: index", 1));
    // Issue 13: E0503 was checked in render, found by a search of the
    // file's text, and only the first clash was reported.
    every_route_name_that_collides: E0503 at "themes/default/i18n/en.yaml:9:11", help "give each of `routes:`",
        |r| write(
            r,
            "themes/default/i18n/en.yaml",
            default_strings()
                .replacen("  actors: actors", "  actors: sectors", 1)
                .replacen("  figures: figures", "  figures: index", 1)
                .replacen("  search: search", "  search: \"sectors\"", 1),
        );
    // Issue 13: YAML type errors named another key, or none, in the
    // message's place and in the hint. One case per kind of file.
    date_written_as_a_list: E0013 at "content/events/grey-banks-talks.md:3:7", help "`date: 2025-06-24`",
        |r| edit(r, TALKS, "2019-03-30/2019-04-02", "[2019]");
    publication_date_written_as_a_list: E0013 at "seeds/joint-communique-kelvra.md:3:12", help "`published: 2025-06-24`",
        |r| edit(r, COMMUNIQUE, "published: 2022-11-05", "published: [2022-11-05]");
    wrong_type_after_other_fields: E0013 at "content/actors/norland.md:4:10", help "`country` takes text",
        |r| edit(r, NORLAND, "country: norland", "country: [norland]");
    wrong_type_map_in_a_sector: E0013 at "content/sectors/water.md:5:10", help "`summary` takes text",
        |r| edit(r, WATER, "summary: Monitoring the estuary and desalinating for the islands.", "summary: {a: b}");
    wrong_type_map_as_a_page_title: E0013 at "content/pages/about.md:2:8", help "`title` takes text",
        |r| edit(r, "content/pages/about.md", "title: About this dossier", "title: {about: dossier}");
    wrong_type_in_the_configuration: E0013 at "content/dossier.yaml:5:10", help "write a list: `parties: [a, b]`",
        |r| edit(r, "content/dossier.yaml", "parties: [norland, estmark]", "parties: norland");
    wrong_type_of_a_list_item: E0013 at "content/events/grey-banks-talks.md:5:19", help "each item of `actors`",
        |r| edit(r, TALKS, "actors: [norland, estmark", "actors: [norland, [estmark]");
    front_matter_that_is_a_list: E0013 at "content/pages/about.md:2:1", help "one field per line",
        |r| write(r, "content/pages/about.md", "---\n- title\n- order\n---\nText.\n");
    wrong_type_in_a_nested_field_of_the_language_file: E0013 at "themes/default/i18n/en.yaml:14:22", help "`group_from_digits: 3` (under `numbers:`)",
        |r| write(r, "themes/default/i18n/en.yaml", default_strings().replacen("  group_from_digits: 4", "  group_from_digits: many", 1));
    // Issue 13: the codes that had no case.
    missing_seeds_folder: E0002 at "seeds/", help "create `seeds/` in `[ROOT]`",
        |r| std::fs::remove_dir_all(r.join("seeds")).unwrap();
    key_without_a_value: E0111 at "seeds/joint-communique-kelvra.md:15:136", help "write `sector=…`",
        |r| edit(r, COMMUNIQUE, "sector=water}, and", "sector}, and");
    flag_with_a_value: E0111 at "seeds/joint-communique-kelvra.md:19:71", help "write `sic` alone",
        |r| edit(r, COMMUNIQUE, "{sic note=", "{sic=yes note=");
    language_that_is_not_a_code: E0112 at "seeds/joint-communique-kelvra.md:17:30", help "BCP 47",
        |r| edit(r, COMMUNIQUE, "{actor=norland} will", "{actor=norland lang=english} will");
    title_without_event: E0114 at "seeds/joint-communique-kelvra.md:17:31", help "event=",
        |r| edit(r, COMMUNIQUE, "{actor=norland} will", "{actor=norland title=\"Talks\"} will");
    figure_key_without_figure: E0115 at "seeds/joint-communique-kelvra.md:17:30", help "figure=",
        |r| edit(r, COMMUNIQUE, "{actor=norland} will", "{actor=norland unit=units} will");
    three_parties: E0204 at "content/dossier.yaml:5:10", help "two",
        |r| edit(r, "content/dossier.yaml", "[norland, estmark]", "[norland, estmark, port-of-kelvra]");
    unknown_actor_kind: E0206 at "content/actors/norland.md:3:7", help "did you mean `state`?",
        |r| edit(r, NORLAND, "kind: state", "kind: stat");
    unknown_status: E0208 at "content/events/kelvra-port-agreement.md:7:9", help "did you mean `signed`?",
        |r| edit(r, "content/events/kelvra-port-agreement.md", "status: signed", "status: sined");
    // Issue 12: kinds are open; a near miss of a known kind is a likely typo.
    source_kind_close_to_a_known_one: W0106 at "seeds/joint-communique-kelvra.md:7:7", help "did you mean `communique`?",
        |r| edit(r, COMMUNIQUE, "kind: communique", "kind: comunique");
    event_kind_close_to_a_known_one: W0106 at "content/events/grey-banks-talks.md:6:7", help "did you mean `meeting`?",
        |r| edit(r, TALKS, "kind: meeting", "kind: meting");
    inline_event_without_a_date: E0304 at "seeds/joint-communique-kelvra.md:17:31", help "date=",
        |r| edit(r, COMMUNIQUE, "{actor=norland} will", "{actor=norland event=desalination-deal title=\"Desalination deal\"} will");
    // Issue 12: at line 1, no `en` suggested, a file of `themes/default/` to copy.
    language_the_theme_has_no_strings_for: E0500 at "content/dossier.yaml:4:11", help "write `language: en`",
        |r| edit(r, "content/dossier.yaml", "language: en", "language: english");
    language_with_no_strings_anywhere: E0500 at "content/dossier.yaml:4:11", help "write `themes/default/i18n/pt.yaml`",
        |r| edit(r, "content/dossier.yaml", "language: en", "language: pt");
    // Issue 13: every E0501 was at line 1.
    // Issue 13: a broken language file is reported with the other files'
    // errors, not once they are fixed.
    broken_language_file_beside_a_broken_sector: E0013 at "themes/default/i18n/en.yaml:5:13", help "quote values",
        |r| {
            write(r, "themes/default/i18n/en.yaml", default_strings().replacen("  sectors: sectors", "  sectors: [sectors", 1));
            edit(r, WATER, "order: 3", "order: three");
        };
    // Issue 13: what the language file's keys hold is checked in load too,
    // so a missing month is reported with the dossier's own errors.
    missing_month_name_beside_a_broken_sector: E0501 at "themes/default/i18n/en.yaml:18:11", help "twelve month names",
        |r| {
            write(r, "themes/default/i18n/en.yaml", default_strings().replacen(", December]", "]", 1));
            edit(r, WATER, "order: 3", "order: three");
        };
    eleven_month_names: E0501 at "themes/default/i18n/en.yaml:18:11", help "twelve month names",
        |r| write(r, "themes/default/i18n/en.yaml", default_strings().replacen(", December]", "]", 1));
    route_name_that_is_not_a_file_name: E0501 at "themes/default/i18n/en.yaml:4:12", help "lower-case ASCII",
        |r| write(r, "themes/default/i18n/en.yaml", default_strings().replacen("  sectors: sectors", "  sectors: Sectors and more", 1));
    count_without_a_form: E0501 at "themes/default/i18n/en.yaml:44:11", help "a form for each of: one, other",
        |r| write(r, "themes/default/i18n/en.yaml", default_strings().replacen("events: {one: \"{n} event\", other", "events: {other", 1));
    template_error: E0510 at "themes/default/templates/page.html:1:4", help "template",
        |r| write(r, "themes/default/templates/page.html", "{{ no_such_variable }}");
    // Issue 13: errors found while parsing templates pointed at `themes/default/templates:1:1`.
    template_that_does_not_parse: E0510 at "themes/default/templates/page.html:1:35", help "template",
        |r| write(r, "themes/default/templates/page.html", "{% extends \"base.html\" %}{% block nowhere %}x{% endblock %}");
    template_with_a_syntax_error: E0510 at "themes/default/templates/page.html:2:1", help "template",
        |r| write(r, "themes/default/templates/page.html", "<p>{{ page.title\n</p>");
    file_that_is_not_part_of_the_dossier: W0001 at "content/notes.txt:1:1", help "sources are `seeds/*.md`",
        |r| write(r, "content/notes.txt", "to do\n");
    binary_original_named_by_no_source: W0002 at "seeds/originals/scan.pdf:1:1", help "originals are UTF-8 text",
        |r| write(r, "seeds/originals/scan.pdf", b"%PDF-1.7\n\0\0binary");
    sector_with_no_passage: W0101 at "content/sectors/energy.md:1:1", help "sector=energy",
        |r| write(r, "content/sectors/energy.md", "---\ntitle: Energy\norder: 9\nsummary: Pipelines and grids.\ncolor: \"#2f6f4f\"\n---\nPipelines.\n");
    actor_never_mentioned: W0102 at "content/actors/lone-envoy.md:1:1", help "actor=lone-envoy",
        |r| write(r, "content/actors/lone-envoy.md", "---\nname: Lone Envoy\nkind: person\n---\n");
    event_never_cited: W0103 at "content/events/quiet-visit.md:1:1", help "event=quiet-visit",
        |r| write(r, "content/events/quiet-visit.md", "---\ntitle: Quiet visit\ndate: 2020-05-04\nkind: visit\n---\n");
    source_without_annotation: W0104 at "seeds/plain.md:1:1", help "annotate",
        |r| {
            write(r, "seeds/plain.md", "---\ntitle: Plain\npublished: 2024\noutlet: X\nlanguage: en\nkind: article\noriginal: originals/plain.txt\n---\nNothing annotated here.\n");
            write(r, "seeds/originals/plain.txt", "Nothing annotated here.\n");
        };
    // Issue 12: an original with no annotated copy.
    original_no_source_uses: W0107 at "seeds/originals/never-annotated.txt:1:1", help "dossier new source SLUG --original seeds/originals/never-annotated.txt",
        |r| write(r, "seeds/originals/never-annotated.txt", "A copy no source uses.\n");
    // Issue 10: a paragraph that alone makes its page too heavy, written
    // as Markdown's lines of a few words.
    paragraph_too_long_for_one_page: W0108 at "seeds/long-paragraph.md:9:1", help "paragraph breaks were lost",
        |r| {
            let text = "The quay was rebuilt in stone after the storm.\n".repeat(7_000);
            let front = "---\ntitle: Long\npublished: 2024\noutlet: X\nlanguage: en\nkind: article\noriginal: originals/long-paragraph.txt\n---\n";
            write(r, "seeds/long-paragraph.md", format!("{front}[The quay]{{sector=fisheries}} was rebuilt.\n{text}"));
            // An original holds a paragraph a line.
            write(r, "seeds/originals/long-paragraph.txt", format!("The quay was rebuilt. {}\n", text.replace('\n', " ").trim_end()));
        };
    figure_without_unit: W0105 at "seeds/joint-communique-kelvra.md:17:39", help "unit=",
        |r| edit(r, COMMUNIQUE, " unit=\"units\"", "");
    // Issue 12: an empty folder gave `content:1:1` and `seeds:1:1`.
    empty_folder: E0002 at "[ROOT]/", help "`dossier init [ROOT]`",
        |r| {
            std::fs::remove_dir_all(r.join("content")).unwrap();
            std::fs::remove_dir_all(r.join("seeds")).unwrap();
        };
    // Issue 12: 54 "no sources is defined yet" for profiles written first.
    profiles_written_before_their_sources: E0210 at "content/actors/estmark-orbital-agency.md:7:77", help "write the sources in `seeds/` first",
        |r| {
            std::fs::remove_dir_all(r.join("seeds")).unwrap();
            std::fs::create_dir(r.join("seeds")).unwrap();
        };
}

/// A theme whose dark background is too light for light text.
const DUSK: &str = ":root { --bg: #fdfdfb; }\n@media (prefers-color-scheme: dark) {\n  :root { --bg: #808080; }\n}\n";

/// Issue 13: a dark background too light gave one E0212 per sector (12
/// for 12 sectors), each blaming the sector's colour.
#[test]
fn one_error_for_a_dark_background_too_light() {
    let copy = common::copy_of(&fixture("en-harbor"));
    let root = copy.path();
    edit(root, "content/dossier.yaml", "base_url:", "theme: dusk\nbase_url:");
    write(root, "themes/dusk/static/style.css", DUSK);
    let sectors = std::fs::read_dir(root.join("content/sectors")).unwrap().count();
    assert!(sectors >= 3, "the fixture has {sectors} sectors");
    let output = dossier_at("check", root).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.matches("error[E0212]").count(), 1, "{stderr}");
    assert!(stderr.contains("--> themes/dusk/static/style.css:3:17\n"), "{stderr}");
    assert!(stderr.contains("`fisheries`") && stderr.contains("`water`"), "{stderr}");
}

/// A source that fails to load hides only what its absence may cause
/// (an unknown figure, a sector or event never cited): what is wrong with
/// the sources that did load is still told.
#[test]
fn a_source_that_fails_to_load_hides_only_what_it_may_cause() {
    let copy = common::copy_of(&fixture("en-harbor"));
    let root = copy.path();
    edit(root, COMMUNIQUE, "published: 2022-11-05", "published: [2022-11-05]");
    let text = "A note with no annotation.\n";
    write(root, "seeds/originals/bare-note.txt", text);
    let front = "---\ntitle: Bare note\npublished: 2023\noutlet: X\nlanguage: en\nkind: article\noriginal: originals/bare-note.txt\n---\n";
    write(root, "seeds/bare-note.md", format!("{front}{text}"));
    let output = dossier_at("check", root).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("error[E0013]"), "{stderr}");
    assert!(
        stderr.contains("warning[W0104]") && stderr.contains("seeds/bare-note.md"),
        "{stderr}"
    );
    for hidden in ["E0307", "W0101", "W0102", "W0103"] {
        assert!(!stderr.contains(hidden), "{hidden} in {stderr}");
    }
}

fn default_strings() -> String {
    std::fs::read_to_string(common::repo().join("themes/default/i18n/en.yaml")).unwrap()
}

/// Codes that no input can produce, each with the reason. Every other
/// code of [`Code::ALL`] must have a case above.
const NO_CASE: &[(Code, &str)] = &[(
    Code::E0220,
    "a source's slug is its file name in `seeds/`, and only `.md` files are sources: two files cannot share one",
)];

/// Issue 13: 13 codes that the engine emits had no case here, so their
/// messages were never seen by a test.
#[test]
fn every_code_has_a_case() {
    let has_case = |code: &Code| CASES.iter().any(|(_, c)| c == code);
    let exempt = |code: &Code| NO_CASE.iter().any(|(c, _)| c == code);
    let missing: Vec<&Code> = Code::ALL.iter().filter(|c| !has_case(c) && !exempt(c)).collect();
    assert!(
        missing.is_empty(),
        "codes with no case in tests/bad_inputs.rs: {missing:?}"
    );
    let needless: Vec<&Code> = NO_CASE.iter().map(|(c, _)| c).filter(|c| has_case(c)).collect();
    assert!(needless.is_empty(), "exempt, yet with a case: {needless:?}");
}
