//! `dossier new KIND SLUG`: one new file of a dossier, with the front
//! matter of its kind, every field commented. `new source SLUG --original
//! FILE` copies the original into `seeds/originals/` and drafts the
//! annotated copy from it (see [`super::draft`]).

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::draft::{self, Layout};
use super::{Created, ScaffoldError, refuse_existing, title_from_slug, valid_slug, write_new, yaml_string, yaml_word};

/// The kinds of file `new` drafts without an original.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sector,
    Actor,
    Event,
    Page,
}

/// Colours that keep a 4.5:1 contrast in the default theme, light and dark.
const SECTOR_COLOURS: &[&str] = &["#1f6f8b", "#b03a00", "#2e6b1f", "#5b3fa0", "#a3195b", "#7a5200"];

/// Writes `content/<kind>s/<slug>.md` in the dossier at `root`.
pub fn new(root: &Path, kind: Kind, slug: &str, date: Option<&str>) -> Result<Created, ScaffoldError> {
    valid_slug(slug)?;
    dossier_config(root)?;
    let folder = match kind {
        Kind::Sector => "content/sectors",
        Kind::Actor => "content/actors",
        Kind::Event => "content/events",
        Kind::Page => "content/pages",
    };
    let rel = PathBuf::from(format!("{folder}/{slug}.md"));
    let count = markdown_files(&root.join(folder));
    let title = yaml_string(&title_from_slug(slug));
    let text = match kind {
        Kind::Sector => sector(&title, slug, count),
        Kind::Actor => actor(&title, slug),
        Kind::Event => event(&title, slug, date.map_or_else(today, str::to_string)),
        Kind::Page => page(&title, count),
    };
    write_new(&root.join(&rel), text.as_bytes())?;
    Ok(Created {
        files: vec![rel],
        notes: vec![],
    })
}

fn sector(title: &str, slug: &str, count: usize) -> String {
    let colour = SECTOR_COLOURS[count % SECTOR_COLOURS.len()];
    format!(
        "---\ntitle: {title}\norder: {order}           # position in the lists of sectors\n\
         color: \"{colour}\"   # #rrggbb, at 4.5:1 contrast on the page (`dossier check` says if not)\n\
         summary: {title}\n---\n\
         What this sector covers, in a few sentences. Tag a passage of a source with it: `[the words]{{sector={slug}}}`.\n",
        order = count + 1
    )
}

fn actor(name: &str, slug: &str) -> String {
    format!(
        "---\nname: {name}\nkind: person       # person, state, organisation, company, place\n\
         # country: norland  # the slug of the actor (a state) it belongs to\n\
         # role: \"Minister of Fisheries\"\n\
         # aliases: [\"Other name\"]   # other names the sources use\n---\n\
         A short profile. Mention the actor in a source: `[the words]{{actor={slug}}}`; a statement: `[the words]{{said={slug}}}`.\n"
    )
}

fn event(title: &str, slug: &str, date: String) -> String {
    format!(
        "---\ntitle: {title}\ndate: {date}   # 2024, 2024-03, 2024-03-14, 2024-03-10/2024-03-14, 2024-03~ (about), 2024-03? (uncertain)\n\
         kind: other        # visit, summit, meeting, conference, agreement, delivery, donation, appointment, statement, other, or your own\n\
         sectors: []        # sector slugs\n\
         actors: []         # actor slugs\n\
         # status: signed   # for agreements: planned, announced, signed, in force\n---\n\
         What happened. A source reports it with `[the words]{{event={slug}}}`.\n"
    )
}

fn page(title: &str, count: usize) -> String {
    format!(
        "---\ntitle: {title}\norder: {}           # position in the menu\n---\n\
         The text of the page, in Markdown. Link to a paragraph with `[words](source:slug#p3)`, or to a \
         `sector:`, `actor:`, `event:`, `page:` or `figure:` by its slug.\n",
        count + 1
    )
}

/// Drafts `seeds/<slug>.md` from the text file `original`, which is
/// copied into `seeds/originals/` unless it is under `seeds/` already.
pub fn new_source(root: &Path, slug: &str, original: &Path) -> Result<Created, ScaffoldError> {
    valid_slug(slug)?;
    let config = dossier_config(root)?;
    let rel = PathBuf::from(format!("seeds/{slug}.md"));
    refuse_existing(&root.join(&rel))?;
    let text = read_original(original)?;
    let drafted = draft::draft(&text);
    if !draft::is_faithful(&drafted.body, &text) {
        return Err(ScaffoldError::Refused(format!(
            "could not draft a copy of `{}` that reads back as its words (a bug: please report it with the file)",
            original.display()
        )));
    }
    let place = place_original(root, original, &text)?;
    let title = headline(&drafted).map_or_else(|| title_from_slug(slug), str::to_string);
    let language = config.language.as_deref().unwrap_or("en");
    let front = source_front_matter(&title, language, &place.in_seeds);
    let mut created = Created::default();
    if let Some(copied) = &place.copied {
        write_new(&root.join(copied), text.as_bytes())?;
        created.files.push(copied.clone());
    }
    write_new(&root.join(&rel), format!("{front}{}", drafted.body).as_bytes())?;
    created.files.push(rel);
    created.notes = source_notes(&drafted, &place.in_seeds, title != title_from_slug(slug));
    Ok(created)
}

/// Where the original goes: its path relative to `seeds/`, and the file
/// to write if it must be copied there.
struct Placed {
    in_seeds: String,
    copied: Option<PathBuf>,
}

fn place_original(root: &Path, original: &Path, text: &str) -> Result<Placed, ScaffoldError> {
    let seeds = root.join("seeds");
    if let (Ok(file), Ok(seeds)) = (original.canonicalize(), seeds.canonicalize())
        && let Ok(inside) = file.strip_prefix(&seeds)
    {
        let in_seeds = inside.to_string_lossy().replace('\\', "/");
        return Ok(Placed { in_seeds, copied: None });
    }
    let name = original
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| ScaffoldError::Refused(format!("`{}` is not a file", original.display())))?;
    let copied = PathBuf::from("seeds/originals").join(&name);
    let in_seeds = format!("originals/{name}");
    match std::fs::read(root.join(&copied)) {
        Ok(existing) if existing == text.as_bytes() => Ok(Placed { in_seeds, copied: None }),
        Ok(_) => Err(ScaffoldError::Refused(format!(
            "`{}` exists already and differs from `{}`; dossier never overwrites a file (rename one of them)",
            root.join(&copied).display(),
            original.display()
        ))),
        Err(_) => Ok(Placed {
            in_seeds,
            copied: Some(copied),
        }),
    }
}

fn read_original(original: &Path) -> Result<String, ScaffoldError> {
    let bytes = std::fs::read(original).with_context(|| format!("reading `{}`", original.display()))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        ScaffoldError::Refused(format!(
            "`{}` is not UTF-8 text; save it as plain text in UTF-8 (a PDF or a Word file needs converting first)",
            original.display()
        ))
    })?;
    if text.trim().is_empty() {
        return Err(ScaffoldError::Refused(format!(
            "`{}` holds no text",
            original.display()
        )));
    }
    Ok(text)
}

/// The first paragraph, if it is short enough to be a headline (and not
/// the first line of a hard-wrapped text).
fn headline(drafted: &draft::Draft) -> Option<&str> {
    let first = drafted.paragraphs.first()?;
    let wrapped = matches!(drafted.layout, Layout::HardWrapped { .. });
    (first.chars().count() <= 120 && drafted.paragraphs.len() > 1 && !wrapped).then_some(first.as_str())
}

fn source_front_matter(title: &str, language: &str, original: &str) -> String {
    format!(
        "---\n\
         # Annotate the words below without changing them: [the words]{{sector=slug actor=slug}}.\n\
         # `dossier check` compares them with the original, paragraph by paragraph.\n\
         title: {title}\n\
         published: null    # 2024-03-14, 2024-03 or 2024 (EDTF); null if unknown\n\
         author: null\n\
         outlet: null\n\
         url: null\n\
         license: null      # the licence the text is published under, as the outlet states it\n\
         retrieved_from: null   # where you copied the text from, if not `url` (an archive, a database)\n\
         language: {language}\n\
         kind: article      # article, communique, interview, speech, report, other, or your own\n\
         original: {original}\n\
         ---\n",
        title = yaml_string(title),
        language = yaml_word(language),
        original = yaml_word(original),
    )
}

fn source_notes(drafted: &draft::Draft, original: &str, titled: bool) -> Vec<String> {
    let n = drafted.paragraphs.len();
    let mut notes = vec![match drafted.layout {
        Layout::Blocks => format!("{n} paragraphs (¶), as separated by blank lines in the original"),
        Layout::Lines => format!("the original has no blank lines: each of its {n} lines is a paragraph (¶)"),
        Layout::HardWrapped { mid_sentence, breaks } => format!(
            "the original has no blank lines, so each of its {n} lines is a paragraph (¶), as `dossier check` \
             reads it; but {mid_sentence} of its {breaks} line breaks fall inside a sentence: it looks \
             hard-wrapped (a wire copy, an e-mail?). If so, put a blank line between its real paragraphs in \
             `seeds/{original}` (white space is not compared, the words stay the same), delete the draft and \
             run this command again"
        ),
    }];
    if let Some(joined) = joined_lines(drafted) {
        notes.push(joined);
    }
    let escapes = drafted.body.matches('\\').count();
    if escapes > 0 {
        notes.push(format!(
            "{escapes} characters are escaped with `\\` so that Markdown keeps them as text (`1\\.`, `\\#`, `\\*`…): keep the backslashes"
        ));
    }
    if titled {
        notes.push("the title is the first paragraph: edit it if that is not the headline".into());
    }
    notes.push("fill in `published`, `author`, `outlet` and `url` where known, and check `kind`".into());
    notes
}

/// Which paragraphs join lines of the original that each end a sentence
/// (lines with no blank line between them make one paragraph), if any.
fn joined_lines(drafted: &draft::Draft) -> Option<String> {
    if drafted.joined_lines.is_empty() {
        return None;
    }
    let joined: Vec<String> = drafted
        .joined_lines
        .iter()
        .map(|(number, lines)| format!("¶{number} ({lines} lines)"))
        .collect();
    Some(format!(
        "{} of the original {} lines with no blank line between them, so each is one paragraph; \
         if those lines are paragraphs of their own (the items of a list?), put blank lines between them \
         in the original, delete the draft and run this command again",
        joined.join(", "),
        if joined.len() == 1 { "joins" } else { "join" }
    ))
}

/// The fields of `content/dossier.yaml` that scaffolding uses.
#[derive(Debug, Default, serde::Deserialize)]
struct Config {
    language: Option<String>,
}

fn dossier_config(root: &Path) -> Result<Config, ScaffoldError> {
    let path = root.join(crate::load::CONFIG_PATH);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Err(ScaffoldError::Refused(format!(
            "`{}` is not a dossier (it has no `{}`): run `dossier init` first, or name the dossier's folder with --root",
            root.display(),
            crate::load::CONFIG_PATH
        )));
    };
    Ok(serde_yaml::from_str::<Config>(&text).unwrap_or_default())
}

fn markdown_files(folder: &Path) -> usize {
    std::fs::read_dir(folder).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .count()
    })
}

/// Today's date (UTC), as an event's first date.
fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date");
    (epoch + chrono::Days::new(days)).format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dossier() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/dossier.yaml"), "language: fr\n").unwrap();
        dir
    }

    #[test]
    fn writes_each_kind_with_its_front_matter() {
        let dir = dossier();
        for (kind, file, field) in [
            (Kind::Sector, "content/sectors/energie.md", "color:"),
            (Kind::Actor, "content/actors/energie.md", "kind: person"),
            (Kind::Event, "content/events/energie.md", "date: 2025-06-24"),
            (Kind::Page, "content/pages/energie.md", "order: 1"),
        ] {
            new(dir.path(), kind, "energie", Some("2025-06-24")).unwrap();
            let text = std::fs::read_to_string(dir.path().join(file)).unwrap();
            assert!(text.contains(field), "{file}: {text}");
            assert!(text.contains("\"Energie\""), "{file}: {text}");
        }
    }

    #[test]
    fn refuses_a_folder_that_is_not_a_dossier() {
        let dir = tempfile::tempdir().unwrap();
        let Err(ScaffoldError::Refused(message)) = new(dir.path(), Kind::Page, "a", None) else {
            panic!("refused")
        };
        assert!(message.contains("dossier init"), "{message}");
    }

    #[test]
    fn drafts_a_source_in_the_dossiers_language() {
        let dir = dossier();
        let original = dir.path().join("article.txt");
        std::fs::write(&original, "Le titre\n\n1. Premier point.\n\n# fin\n").unwrap();
        let created = new_source(dir.path(), "article", &original).unwrap();
        assert_eq!(created.files.len(), 2);
        let text = std::fs::read_to_string(dir.path().join("seeds/article.md")).unwrap();
        assert!(text.contains("language: fr\n"), "{text}");
        assert!(text.contains("title: \"Le titre\""), "{text}");
        assert!(text.contains("original: originals/article.txt\n"), "{text}");
        assert!(text.ends_with("Le titre\n\n1\\. Premier point.\n\n\\# fin\n"), "{text}");
        // The same original again is reused, not copied twice.
        let again = new_source(dir.path(), "article-2", &original).unwrap();
        assert_eq!(again.files, [PathBuf::from("seeds/article-2.md")]);
    }

    #[test]
    fn never_replaces_a_different_original() {
        let dir = dossier();
        std::fs::create_dir_all(dir.path().join("seeds/originals")).unwrap();
        std::fs::write(dir.path().join("seeds/originals/a.txt"), "old").unwrap();
        let other = tempfile::tempdir().unwrap();
        std::fs::write(other.path().join("a.txt"), "new").unwrap();
        let Err(ScaffoldError::Refused(message)) = new_source(dir.path(), "a", &other.path().join("a.txt")) else {
            panic!("refused")
        };
        assert!(message.contains("seeds/originals/a.txt"), "{message}");
        assert!(!dir.path().join("seeds/a.md").exists());
    }

    #[test]
    fn today_is_a_date() {
        assert!(crate::model::date::EdtfDate::parse(&today()).is_ok());
    }
}
