#!/usr/bin/env python3
"""Measure `dossier build` against Hugo on the shared peer corpus.

What it measures: whole processes, each run wrapped in `/usr/bin/time -v`,
on the same N synthetic articles (../shared/bench/gen_corpus.py, flavours
`dossier` and `hugo`). The two tools alternate run by run (dossier, Hugo,
dossier, Hugo, ...) in one session, `--runs` rounds, each round running
every N once (so that a machine slowing down mid-session slows every N
alike). Each tool is timed in the same two ways, so that every ratio
compares like with like:
  rebuild  over the tool's own previous output, as an author rebuilds
           (dossier replaces its site atomically and compares unchanged
           files rather than writing them; `hugo` writes over `public/`,
           its default); untimed builds first make that output;
  cold     into an emptied folder, where every file is created anew.
Every run starts after a `sync`, untimed. Corpora and outputs are cached
under --work (default target/bench) and regenerated only if missing or
stale.

How to read it: one Markdown table per N.
  wall     median elapsed (wall clock) time of a rebuild
  CPU      median user + system time of a rebuild (above wall = it used
           several cores)
  ratio    dossier / Hugo: below 1 means dossier is faster or smaller
  cold     median wall time of a build into an emptied folder
  RSS      median peak resident set size, MiB
  ms/src   median wall / N: flat across N means linear scaling
Absolute times drift on shared machines; quote the ratios. Under each table,
facts about dossier's output: HTML pages, total bytes, the largest files, and
HTML pages over 300 KB / 1 MB (1 KB = 1000 bytes), not counting the one-file
editions dossier.html and dossier-*.html, which are meant to be large.
dossier and Hugo do not produce the same site (dossier writes per-sector,
per-actor, chronology and source pages with cross-links, plus one-file
editions), so the ratio compares the cost of two different sites from the
same articles, not the same work.

Where the sites go matters on some disks: on this project's VM (ext4
without a journal, mounted with `discard`), creating files soon after
thousands were deleted spends most of a build in the kernel's inode
allocator (`find_inode_bit`, `recently_deleted`), for both tools and more
with every run. `--out-dir /dev/shm/bench` writes both sites to memory.

Another corpus of the same shape: --seed S (other articles from the same
paragraphs) and --paragraphs FILE (other text, one paragraph a line).
A corpus of another shape: --shape NAME (bench/shapes.py: same-day,
two-centuries, many-entities, long-articles), dossier only (--no-hugo):
the same articles, redated or regrouped, which the Hugo flavour has no
counterpart of. --without-one-file builds the dossier with `one_file:
false` (a copy of the corpus beside it): the site without its one-file
editions, which Hugo makes no counterpart of either.

Usage: python3 bench/compare.py [-n 1000,10000] [--runs 3] [--dossier-bin PATH] [--out-dir DIR]
                                [--work DIR] [--no-hugo] [--json FILE] [--seed S] [--paragraphs FILE]
                                [--shape NAME] [--without-one-file]
"""
import argparse
import fnmatch
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import shapes  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(os.path.dirname(REPO), "shared", "bench", "gen_corpus.py")
TIME = "/usr/bin/time"
MIB = 1024 * 1024


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def die(msg):
    sys.exit(f"compare.py: {msg}")


def corpus(work, n, flavor, variant):
    """Path of the N-article corpus in `flavor`, generated if missing or stale.

    `variant` is the generator's --seed and --paragraphs when given: another
    corpus of the same shape, kept in a folder of its own."""
    name = f"{flavor}-{n}" + "".join(f"-{k}-{slug(v)}" for k, v in variant if v is not None)
    out = os.path.join(work, "corpus", name)
    # --skip-if-current keeps a corpus whose stamp matches; --force replaces anything else.
    cmd = [sys.executable, GEN, "-n", str(n), "--flavor", flavor, "--out", out,
           "--skip-if-current", "--force"]
    cmd += [arg for k, v in variant if v is not None for arg in (f"--{k}", v)]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        die(f"corpus generation failed: {' '.join(cmd)}\n{p.stderr}")
    return out


def shaped(corpus_dir, shape):
    """A copy of `corpus_dir` in `shape` (see bench/shapes.py), beside it,
    made again when the corpus or shapes.py changed since."""
    if shape is None:
        return corpus_dir
    return derived(corpus_dir, f"shape-{shape}", shapes.SHAPES[shape])


def without_one_file(corpus_dir, wanted):
    """A copy of `corpus_dir` whose dossier.yaml says `one_file: false`:
    the site without its one-file editions, which Hugo has no counterpart
    of (README, *Why not half*)."""
    if not wanted:
        return corpus_dir

    def configure(root):
        with open(os.path.join(root, "content", "dossier.yaml"), "a") as f:
            f.write("one_file: false\n")
    return derived(corpus_dir, "without-one-file", configure)


def derived(corpus_dir, name, make):
    """A copy of `corpus_dir` beside it that `make` changed in place, made
    again when the corpus or the scripts changed since."""
    out = f"{corpus_dir}-{name}"
    with open(os.path.join(corpus_dir, ".corpus-stamp.json")) as f:
        corpus_stamp = json.load(f)
    scripts = hashlib.sha256()
    for script in (shapes.__file__, __file__):
        with open(script, "rb") as f:
            scripts.update(f.read())
    want = json.dumps({"corpus": corpus_stamp, "made": name, "scripts": scripts.hexdigest()}, sort_keys=True)
    stamp = os.path.join(out, ".shape-stamp.json")
    if os.path.exists(stamp):
        with open(stamp) as f:
            if f.read() == want:
                return out
    log(f"making {os.path.basename(out)}")
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(corpus_dir, out)
    make(out)
    with open(stamp, "w") as f:
        f.write(want)
    return out


def slug(value):
    """A file name's stem, or a seed, as a folder name's part."""
    stem = os.path.splitext(os.path.basename(value))[0]
    return "".join(c if c.isalnum() else "-" for c in stem)[:40]


def parse_time_v(text):
    """Wall, user, sys (seconds) and peak RSS (KiB) from GNU time -v output."""
    def field(label):
        for line in text.splitlines():
            if line.strip().startswith(label):
                return line.rsplit(": ", 1)[1].strip()
        die(f"no '{label}' in /usr/bin/time output:\n{text}")
    secs = 0.0
    for part in field("Elapsed (wall clock) time").split(":"):  # h:mm:ss or m:ss.ss
        secs = secs * 60 + float(part)
    return {"wall": secs, "user": float(field("User time")), "sys": float(field("System time")),
            "rss_kib": int(field("Maximum resident set size"))}


def timed(cmd, name):
    """Run cmd under /usr/bin/time -v; stop the script with its stderr if it fails.

    Untimed before it, `sync`: the data earlier runs wrote (1.6 GB for a
    dossier at N = 10,000) and the folders deleted between runs are on disk
    first, so no run pays for the writeback of another, whichever tool."""
    os.sync()
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        p = subprocess.run([TIME, "-v", "-o", tf.name, *cmd],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            log(f"\n{name} failed (exit {p.returncode}): {' '.join(cmd)}")
            log(p.stderr.rstrip() or p.stdout.rstrip()[-4000:])
            sys.exit(1)
        r = parse_time_v(tf.read())
    r["cpu"] = r["user"] + r["sys"]
    return r


def output_facts(out):
    """Pages, bytes and the heaviest files of dossier's output."""
    files = []
    for d, _, names in os.walk(out):
        for f in names:
            p = os.path.join(d, f)
            files.append((os.path.relpath(p, out), os.path.getsize(p)))
    html = [(p, s) for p, s in files if p.endswith(".html")]
    pages = [(p, s) for p, s in html if not (p == "dossier.html" or fnmatch.fnmatch(p, "dossier-*.html"))]
    return {
        "html_pages": len(html),
        "total_bytes": sum(s for _, s in files),
        "largest": sorted(files, key=lambda x: -x[1])[:8],
        "pages_over_300kb": sum(s > 300_000 for _, s in pages),
        "pages_over_1mb": sum(s > 1_000_000 for _, s in pages),
    }


def paths(n, args):
    """The corpora and output folders of size N. Each corpus has sites of
    its own, named as its folder is: a site of another text or shape (a
    `long-articles` one is ten times as big) is never the one a rebuild of
    the usual corpus writes over."""
    d_src = without_one_file(shaped(corpus(args.work, n, "dossier", args.variant), args.shape), args.without_one_file)
    h_src = None if args.no_hugo else corpus(args.work, n, "hugo", args.variant)
    d_name = os.path.basename(d_src)
    h_name = os.path.basename(h_src) if h_src else f"hugo-{n}"
    return {
        "d_src": d_src,
        "h_src": h_src,
        "d_out": os.path.join(args.out_dir, d_name),
        "h_out": os.path.join(args.out_dir, h_name),
        "cold_out": os.path.join(args.out_dir, f"{d_name}-cold"),
        "h_cold_out": os.path.join(args.out_dir, f"{h_name}-cold"),
    }


def dossier_cmd(args, p, out):
    return [args.dossier_bin, "build", "--root", p["d_src"], "--out", out]


def hugo_cmd(p, out):
    return ["hugo", "--quiet", "-s", p["h_src"], "-d", out]


def warm_up(n, p, args):
    """Untimed builds: a dossier rebuild writes over the site of two builds
    before (kept beside the output as `.dossier-N.dossier-previous`, what
    each build wrote recorded in `.dossier-N.dossier-record/`), so after
    two every timed run is a rebuild of this binary's own output,
    whatever an earlier binary or corpus left in the folders; Hugo's
    output is made afresh once, for its rebuilds to write over."""
    for _ in range(2):
        log(f"N={n}: untimed build, so that the timed ones are rebuilds")
        timed(dossier_cmd(args, p, p["d_out"]), "dossier")
    if p["h_src"]:
        shutil.rmtree(p["h_out"], ignore_errors=True)
        timed(hugo_cmd(p, p["h_out"]), "hugo")


def cold(cmd, out, name):
    """A build into an emptied folder, deleted again afterwards (as big as
    the site: not kept), with what dossier keeps beside its output (the
    record of what it wrote, the previous site): nothing for the build to
    read, nothing left behind."""
    def empty():
        shutil.rmtree(out, ignore_errors=True)
        parent, base = os.path.split(out)
        for kept in ("record", "previous"):
            shutil.rmtree(os.path.join(parent, f".{base}.dossier-{kept}"), ignore_errors=True)
    empty()
    run = timed(cmd, name)
    empty()
    return run


def run_once(n, p, args, runs, i):
    """One run of each kind on N articles, the tools in turn: dossier's
    rebuild, Hugo's, dossier's cold build, Hugo's."""
    log(f"N={n} run {i + 1}/{args.runs}: rebuilds")
    runs["dossier"].append(timed(dossier_cmd(args, p, p["d_out"]), "dossier"))
    if p["h_src"]:
        runs["hugo"].append(timed(hugo_cmd(p, p["h_out"]), "hugo"))
    log(f"N={n} run {i + 1}/{args.runs}: cold builds (into an emptied folder)")
    runs["dossier_cold"].append(cold(dossier_cmd(args, p, p["cold_out"]), p["cold_out"], "dossier"))
    if p["h_src"]:
        runs["hugo_cold"].append(cold(hugo_cmd(p, p["h_cold_out"]), p["h_cold_out"], "hugo"))


def bench(sizes, args):
    """--runs rounds; each round runs every N once, dossier and Hugo in turn.

    Rounds rather than all the runs of one N then the next: a machine that
    slows down during the session slows every N alike, so that the time per
    source compared across N (the scaling) measures the build, not the drift."""
    by_n = {n: paths(n, args) for n in sizes}
    runs = {n: {"dossier": [], "hugo": [], "dossier_cold": [], "hugo_cold": []} for n in sizes}
    for n in sizes:
        warm_up(n, by_n[n], args)
    for i in range(args.runs):
        for n in sizes:
            run_once(n, by_n[n], args, runs[n], i)
    results = []
    for n in sizes:
        if not os.path.isdir(by_n[n]["d_out"]):
            die(f"dossier exited 0 but wrote no {by_n[n]['d_out']}")
        results.append({"n": n, "runs": runs[n], "output": output_facts(by_n[n]["d_out"])})
    return results


def med(runs, key):
    return statistics.median(r[key] for r in runs) if runs else None


def fmt(x, spec, unit=""):
    return "—" if x is None else f"{x:{spec}}{unit}"


def ratio(a, b):
    return "—" if a is None or b is None or b == 0 else f"{a / b:.2f}"


HEADER = ("| N | dossier wall | Hugo wall | wall ratio | dossier cold | Hugo cold | cold ratio "
          "| dossier CPU | Hugo CPU | CPU ratio "
          "| dossier RSS | Hugo RSS | dossier ms/src | Hugo ms/src |\n"
          "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")


def row(res):
    n, runs = res["n"], res["runs"]
    d, h = runs["dossier"], runs["hugo"]
    dw, hw, dc, hc = med(d, "wall"), med(h, "wall"), med(d, "cpu"), med(h, "cpu")
    d_cold, h_cold = med(runs["dossier_cold"], "wall"), med(runs["hugo_cold"], "wall")
    dr, hr = (None if not r else med(r, "rss_kib") / 1024 for r in (d, h))
    per_src = (None if w is None else w * 1000 / n for w in (dw, hw))
    cells = [str(n), fmt(dw, ".2f", " s"), fmt(hw, ".2f", " s"), ratio(dw, hw),
             fmt(d_cold, ".2f", " s"), fmt(h_cold, ".2f", " s"), ratio(d_cold, h_cold),
             fmt(dc, ".2f", " s"), fmt(hc, ".2f", " s"), ratio(dc, hc),
             fmt(dr, ".0f", " MiB"), fmt(hr, ".0f", " MiB"), *(fmt(x, ".2f") for x in per_src)]
    return "| " + " | ".join(cells) + " |"


def report(res, variant):
    o = res["output"]
    other = ", ".join(f"{k} {v}" for k, v in variant if v is not None)
    print(f"\n## N = {res['n']}{f' ({other})' if other else ''}\n\n{HEADER}\n{row(res)}\n")
    print(f"dossier output: {o['html_pages']} HTML pages, {o['total_bytes']:,} bytes "
          f"({o['total_bytes'] / MIB:.1f} MiB); HTML pages over 300 KB: {o['pages_over_300kb']}, "
          f"over 1 MB: {o['pages_over_1mb']} (one-file editions excluded). Largest files:\n")
    for path, size in o["largest"]:
        print(f"- `{path}` {size:,} bytes")
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", default="1000,10000", help="comma-separated corpus sizes")
    ap.add_argument("--runs", type=int, default=3, help="rounds: runs per tool and N")
    ap.add_argument("--dossier-bin", help="default: target/release/dossier (built if missing)")
    ap.add_argument("--work", default=os.path.join(REPO, "target", "bench"))
    ap.add_argument("--out-dir", help="where both tools write their sites (default: WORK/out); "
                    "a tmpfs such as /dev/shm/bench keeps the file system's own costs out of the figures")
    ap.add_argument("--no-hugo", action="store_true", help="measure dossier only")
    ap.add_argument("--json", help="write every raw measurement to this file")
    ap.add_argument("--seed", help="the corpus generator's seed (its default: 42)")
    ap.add_argument("--paragraphs", help="the corpus generator's text, a paragraph a line "
                    "(its default: ../shared/bench/paragraphs.txt)")
    ap.add_argument("--shape", choices=list(shapes.SHAPES),
                    help="reshape the dossier corpus (bench/shapes.py); needs --no-hugo")
    ap.add_argument("--without-one-file", action="store_true",
                    help="build the dossier with `one_file: false`: its site without the one-file editions")
    args = ap.parse_args()
    if args.shape and not args.no_hugo:
        die("--shape reshapes the dossier corpus only, and Hugo's has no counterpart: pass --no-hugo")
    if args.paragraphs:
        args.paragraphs = os.path.abspath(args.paragraphs)
    args.variant = [("seed", args.seed), ("paragraphs", args.paragraphs)]
    sizes = list(dict.fromkeys(int(x) for x in args.n.split(",") if x.strip()))
    args.work = os.path.abspath(args.work)  # hugo -d wants an absolute path
    args.out_dir = os.path.abspath(args.out_dir or os.path.join(args.work, "out"))

    if args.dossier_bin is None:
        args.dossier_bin = os.path.join(REPO, "target", "release", "dossier")
        if not os.path.exists(args.dossier_bin):
            log("target/release/dossier missing: cargo build --release --locked")
            subprocess.run(["cargo", "build", "--release", "--locked"], cwd=REPO, check=True)
    args.dossier_bin = os.path.abspath(args.dossier_bin)
    if not os.access(args.dossier_bin, os.X_OK):
        die(f"no dossier binary at {args.dossier_bin}")
    if not os.path.exists(TIME):
        die(f"{TIME} missing: apt-get install time")
    if not args.no_hugo and shutil.which("hugo") is None:
        die("hugo not found: install it with `apt-get install hugo`, or pass --no-hugo")

    results = bench(sizes, args)
    described = args.variant + [("shape", args.shape), ("one_file", "false" if args.without_one_file else None)]
    for res in results:
        report(res, described)
    if len(results) > 1:
        print(f"\n## Summary\n\n{HEADER}")
        print("\n".join(row(r) for r in results))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"dossier_bin": args.dossier_bin, "runs": args.runs, "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
