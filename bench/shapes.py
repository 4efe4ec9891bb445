#!/usr/bin/env python3
"""Reshape a peer corpus (`gen_corpus.py --flavor dossier`) in place: the same
articles, in a shape the generator does not make, to measure dossier on
dossiers it was not tuned for. `compare.py --shape NAME` uses it.

Shapes:
  same-day       every source and its event on one day (2020-03-15): a
                 chronology, source lists and a one-file edition that
                 periods cannot split, only page numbers
  two-centuries  dates spread over 1826-2026: hundreds of years, each with
                 a few sources (year menus, one edition per year)
  many-entities  300 sectors and 3,000 actors instead of 12 and 50: long
                 indexes, many small sector and actor pages
  long-articles  each article, and its original, ten times over: the same
                 number of sources, ten times the text

Each shape is deterministic (random.Random seeded by shape and source), and
the corpus still passes `dossier check` (each source keeps matching its
original). Usage: python3 bench/shapes.py SHAPE CORPUS_DIR
"""
import os
import random
import re
import shutil
import sys
from datetime import date, timedelta

FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
PUBLISHED = re.compile(r"^published: .*$", re.M)
INLINE_EVENT_DATE = re.compile(r"(\{event=[a-z0-9-]+ date=)([0-9-]+)")
SECTORS_FIELD = re.compile(r"^sectors: \[(.*)\]$", re.M)
SECTOR_ATTR = re.compile(r"\{sector=([a-z0-9-]+)\}")
ACTOR_ATTR = re.compile(r"\{actor=([a-z0-9-]+)\}")
ORIGINAL_FIELD = re.compile(r'^original: "?([^"\n]*)"?$', re.M)
PARTIES_FIELD = re.compile(r"^parties: \[(.*)\]$", re.M)
COLOR_FIELD = re.compile(r'^color: "?(#[0-9a-fA-F]{6})"?$', re.M)


def read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError) as e:
        sys.exit(f"shapes.py: cannot read {path}: {e}")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def listdir(folder):
    try:
        return sorted(os.listdir(folder))
    except OSError as e:
        sys.exit(f"shapes.py: cannot list {folder}: {e}")


def field(pattern, text, path, what):
    """The first match of `pattern` in `text`, or a stop naming the file
    and what it lacks: a corpus not made by the generator is refused, not
    met with a traceback."""
    found = pattern.search(text)
    if found is None:
        sys.exit(f"shapes.py: {path} has no {what}")
    return found


def sources(root):
    """(slug, path) of each source, in name order."""
    seeds = os.path.join(root, "seeds")
    for name in listdir(seeds):
        if name.endswith(".md"):
            yield name[:-3], os.path.join(seeds, name)


def redate(root, shape, pick):
    """Gives each source, and the event it reports, the date pick(rng) makes."""
    for slug, path in sources(root):
        when = pick(random.Random(f"{shape}:{slug}"))
        text, dated = PUBLISHED.subn(f'published: "{when}"', read(path), count=1)
        text, events = INLINE_EVENT_DATE.subn(lambda m: m.group(1) + when, text)
        if dated != 1 or events < 1:
            sys.exit(f"shapes.py: {path} has no `published:` or no inline event date to change")
        write(path, text)


def day_between(first, last):
    days = (last - first).days
    return lambda rng: (first + timedelta(days=rng.randrange(days + 1))).isoformat()


def many_entities(root, sectors=300, actors=3000):
    """Replaces the sectors and the actors but the two parties, and spreads
    each source's sector and actor annotations over the new ones."""
    colours = [field(COLOR_FIELD, read(p), p, "`color:`").group(1) for p in sorted(entries(root, "sectors"))]
    if not colours:
        sys.exit(f"shapes.py: {os.path.join(root, 'content', 'sectors')} has no sector")
    shutil.rmtree(os.path.join(root, "content", "sectors"))
    sector_slugs = [f"secteur-{k:03d}" for k in range(1, sectors + 1)]
    for k, slug in enumerate(sector_slugs, 1):
        write(os.path.join(root, "content", "sectors", slug + ".md"),
              f'---\ntitle: "Secteur {k:03d}"\norder: {k}\ncolor: "{colours[k % len(colours)]}"\n'
              f'summary: "Les passages classés dans le secteur {k:03d}."\n---\n'
              f"Les passages des articles classés dans le secteur {k:03d}.\n")
    config = os.path.join(root, "content", "dossier.yaml")
    parties = [s.strip() for s in field(PARTIES_FIELD, read(config), config, "`parties: [...]`").group(1).split(",")]
    kept = {slug: read(os.path.join(root, "content", "actors", slug + ".md")) for slug in parties}
    shutil.rmtree(os.path.join(root, "content", "actors"))
    for slug, text in kept.items():
        write(os.path.join(root, "content", "actors", slug + ".md"), text)
    others = [f"acteur-{k:04d}" for k in range(1, actors - len(parties) + 1)]
    for k, slug in enumerate(others, 1):
        kind = "person" if k % 5 else "organisation"
        write(os.path.join(root, "content", "actors", slug + ".md"),
              f'---\nname: "Acteur {k:04d}"\nkind: {kind}\n---\nUn acteur du corpus de mesure.\n')
    for slug, path in sources(root):
        rng = random.Random(f"many-entities:{slug}")
        text = read(path)
        old = [s.strip() for s in field(SECTORS_FIELD, text, path, "`sectors: [...]`").group(1).split(",")]
        new = dict(zip(old, rng.sample(sector_slugs, len(old))))
        text = SECTORS_FIELD.sub(lambda _: "sectors: [" + ", ".join(new.values()) + "]", text, count=1)
        text = SECTOR_ATTR.sub(lambda m: "{sector=%s}" % new[m.group(1)], text)
        text = ACTOR_ATTR.sub(lambda m: "{actor=%s}" % (m.group(1) if m.group(1) in parties else rng.choice(others)), text)
        write(path, text)


def entries(root, kind):
    folder = os.path.join(root, "content", kind)
    return [os.path.join(folder, name) for name in listdir(folder) if name.endswith(".md")]


def long_articles(root, times=10):
    """Each body, and its original, `times` over: the originals' paragraphs
    are lines, the bodies' are separated by blank lines."""
    for slug, path in sources(root):
        text = read(path)
        front = field(FRONT_MATTER, text, path, "front matter between `---` lines")
        body = text[front.end():].strip("\n")
        original = os.path.join(root, "seeds", field(ORIGINAL_FIELD, front.group(1), path, "`original:`").group(1))
        write(path, front.group(0) + "\n\n".join([body] * times) + "\n")
        write(original, "\n".join([read(original).rstrip("\n")] * times) + "\n")


SHAPES = {
    "same-day": lambda root: redate(root, "same-day", lambda rng: "2020-03-15"),
    "two-centuries": lambda root: redate(root, "two-centuries", day_between(date(1826, 1, 1), date(2026, 12, 31))),
    "many-entities": many_entities,
    "long-articles": long_articles,
}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in SHAPES:
        sys.exit(f"usage: shapes.py {{{','.join(SHAPES)}}} CORPUS_DIR")
    SHAPES[sys.argv[1]](sys.argv[2])


if __name__ == "__main__":
    main()
