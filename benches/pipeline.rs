//! Times each stage of the pipeline on generated dossiers of growing size,
//! to check that the work grows linearly with the corpus and to see where
//! the time goes. Run with `cargo bench --bench pipeline` (sizes can be set
//! with `DOSSIER_BENCH_SIZES=100,1000`).

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

const SECTORS: usize = 12;
const ACTORS: usize = 60;
const PARAGRAPHS: usize = 10;
const RUNS: usize = 3;

fn main() {
    let sizes: Vec<usize> = std::env::var("DOSSIER_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100, 1000]);
    println!(
        "{:>8} {:>10} {:>10} {:>10} {:>10} {:>10} {:>8} {:>10} {:>10}",
        "sources", "load", "model", "render", "write", "total", "pages", "text", "search"
    );
    for n in sizes {
        let dir = tempfile::tempdir().unwrap();
        generate(dir.path(), n);
        let mut best = [Duration::MAX; 4];
        let mut pages = 0;
        let (mut text, mut index) = (0, 0);
        for _ in 0..RUNS {
            let t = Instant::now();
            let mut inputs = dossier::load::load(dir.path()).unwrap();
            let load = t.elapsed();
            let t = Instant::now();
            let checked = dossier::model::build(&mut inputs);
            let model = t.elapsed();
            let d = checked
                .dossier
                .unwrap_or_else(|| panic!("{:?}", &checked.diagnostics[..3]));
            let t = Instant::now();
            dossier::render::render(&d, &inputs.theme, &dossier::render::Discard).unwrap();
            let render = t.elapsed();
            text = d
                .sources
                .iter()
                .flat_map(|s| s.paragraphs.iter())
                .map(|p| p.plain.len())
                .sum();
            let t = Instant::now();
            let staging = dossier::write::Staging::create(&dir.path().join("public")).unwrap();
            dossier::render::render(&d, &inputs.theme, &staging).unwrap();
            pages = staging.commit().unwrap();
            let write = t.elapsed().saturating_sub(render);
            index = search_index_bytes(&dir.path().join("public"));
            for (b, x) in best.iter_mut().zip([load, model, render, write]) {
                *b = (*b).min(x);
            }
        }
        let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
        let total: Duration = best.iter().sum();
        let kb = |b: usize| format!("{:.0} KB", b as f64 / 1000.0);
        println!(
            "{n:>8} {:>10} {:>10} {:>10} {:>10} {:>10} {pages:>8} {:>10} {:>10}",
            ms(best[0]),
            ms(best[1]),
            ms(best[2]),
            ms(best[3]),
            ms(total),
            kb(text),
            kb(index)
        );
    }
}

/// The size of the search index: the shards beside the search page.
fn search_index_bytes(site: &Path) -> usize {
    walkdir::WalkDir::new(site.join("search"))
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len() as usize)
        .sum()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A dossier of `n` sources of `PARAGRAPHS` paragraphs, each paragraph
/// tagged with a sector and an actor, one event cited per source.
fn generate(root: &Path, n: usize) {
    write(
        &root.join("content/dossier.yaml"),
        "title: Bench\nlanguage: en\nparties: [actor-0, actor-1]\n",
    );
    for s in 0..SECTORS {
        let text = format!(
            "---\ntitle: Sector {s}\norder: {s}\ncolor: \"#1f5fa8\"\nsummary: Sector {s}.\n---\nIntro of sector {s}.\n"
        );
        write(&root.join(format!("content/sectors/sector-{s}.md")), &text);
    }
    for a in 0..ACTORS {
        let text = format!("---\nname: Actor {a}\nkind: person\n---\nProfile.\n");
        write(&root.join(format!("content/actors/actor-{a}.md")), &text);
    }
    for i in 0..n {
        let mut body = String::new();
        let mut original = String::new();
        for p in 0..PARAGRAPHS {
            let words = "The delegation discussed cooperation, trade and the next steps of the partnership in detail";
            let sector = (i + p) % SECTORS;
            let actor = (i * 7 + p) % ACTORS;
            let plain = format!("Paragraph {p} of source {i}. Minister {actor} said that {words}. {words}.");
            let annotated = if p == 0 {
                let year = 2000 + i % 25;
                format!(
                    "[Paragraph {p} of source {i}.]{{event=event-{i} date={year} title=\"Event {i}\"}} [Minister {actor}]{{actor=actor-{actor}}} said that [{words}]{{sector=sector-{sector}}}. {words}."
                )
            } else {
                format!(
                    "Paragraph {p} of source {i}. [Minister {actor}]{{actor=actor-{actor}}} said that [{words}]{{sector=sector-{sector} figure=figure-{i}-{p} value={p}00 unit=\"t\"}}. {words}."
                )
            };
            let _ = writeln!(body, "{annotated}\n");
            let _ = writeln!(original, "{plain}");
        }
        let front =
            format!("---\ntitle: Source {i}\noriginal: originals/source-{i}.txt\nlanguage: en\nkind: article\n---\n");
        write(&root.join(format!("seeds/source-{i}.md")), &format!("{front}{body}"));
        write(&root.join(format!("seeds/originals/source-{i}.txt")), &original);
    }
}
