#!/usr/bin/env python3
"""Edit-to-page latency of `dossier serve` (issue 12: under 300 ms at 1,000
sources).

Serves a copy of a generated dossier, and plays the part of a browser tab
showing one source's page: it holds the reload long poll open, as the
page's reload script does (`/__dossier/wait?v=…&p=<its path>`). For each
edit it writes the source file (a new title) and times:

  signal  file written → the long poll answers with the new build;
  page    file written → a GET of the page returns the new title (what the
          reloaded tab shows; no browser parsing or painting counted);
  site    file written → serve prints that the whole site is written.

Prints each edit's times and the medians. The first edit after the start
is not counted (it warms the caches); the dossier is copied, never edited
in place.

With --rapid K, each timed edit is a burst of K edits 100 to 200 ms apart
(a journalist typing and saving), while the tab reloads after every build
as the page's script does; times are from the burst's LAST edit:

  page    → a GET of the page returns the last edit's title;
  site    → the served site on disk has it (its whole site swapped in).

Usage: python3 bench/serve_latency.py [--corpus /tmp/s1k] [-n 1000]
         [--edits 7] [--rapid K] [--bin target/release/dossier]
The corpus is made with /work/shared/bench/gen_corpus.py if missing.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GEN = Path("/work/shared/bench/gen_corpus.py")


def args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", default="/tmp/s1k", help="dossier to copy (generated if missing)")
    p.add_argument("-n", type=int, default=1000, help="sources, if the corpus is generated")
    p.add_argument("--edits", type=int, default=7, help="edits timed (at least 5)")
    p.add_argument("--rapid", type=int, default=0, metavar="K",
                   help="time bursts of K edits 100-200 ms apart instead of single edits")
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    p.add_argument("--bin", default=str(target / "release/dossier"))
    return p.parse_args()


def get(url, timeout=60):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read().decode("utf-8", "replace")


class Serve:
    """`dossier serve root`, its address, and the lines it prints."""

    def __init__(self, binary, root, tmp):
        env = dict(os.environ, TMPDIR=str(tmp), NO_COLOR="1")
        self.proc = subprocess.Popen([binary, "serve", str(root)], env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, bufsize=1)
        self.lines = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        line = self.wait_line(lambda l: l.startswith("serving "), 300)
        self.url = re.match(r"serving (http://127\.0\.0\.1:\d+/)", line).group(1)

    def _read(self):
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append((time.monotonic(), line.rstrip("\n")))
                self.cond.notify_all()

    def wait_line(self, test, timeout, after=0):
        """The first line printed from index `after` on that passes `test`."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for _, line in self.lines[after:]:
                    if test(line):
                        return line
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("serve printed no expected line")
                self.cond.wait(left)

    def stop(self):
        self.proc.kill()
        self.proc.wait()


class Tab:
    """A browser tab showing `path`: its version and its long poll."""

    def __init__(self, base, path):
        self.base, self.path = base, path
        page = get(base + path.lstrip("/"))
        self.version = int(re.search(r"data-version=(\d+)", page).group(1))
        self.answer = None
        self.thread = None

    def poll(self):
        query = urllib.parse.urlencode({"v": self.version, "e": 0, "p": self.path})

        def run():
            state = json.loads(get(f"{self.base}__dossier/wait?{query}", timeout=120))
            self.answer = (time.monotonic(), state)

        self.answer = None
        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def next_build(self):
        """Waits until the poll answers with a new version (the reload)."""
        while True:
            self.thread.join()
            at, state = self.answer
            if state["version"] != self.version and state["error"] is None:
                self.version = state["version"]
                return at
            self.version = state["version"]
            self.poll()


class ReloadingTab:
    """A tab on `path` that reloads after every build, as the page's
    script does, until stopped."""

    def __init__(self, base, path):
        self.base, self.path = base, path
        self.stopped = False
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        seen = 0
        while not self.stopped:
            query = urllib.parse.urlencode({"v": seen, "e": 0, "p": self.path})
            try:
                seen = json.loads(get(f"{self.base}__dossier/wait?{query}", timeout=120))["version"]
                get(self.base + self.path.lstrip("/"))
            except OSError:
                return


def rapid_bursts(a, serve, source, path, site):
    """Times bursts of `a.rapid` edits; returns rows of (page, site) ms."""
    import random
    gaps = random.Random(12)
    text = source.read_text()
    title = re.search(r"^title: (.*)$", text, re.M).group(1).strip().strip('"')
    tab = ReloadingTab(serve.url, path)
    written = site / path.lstrip("/")
    rows = []
    for burst in range(a.edits + 1):
        time.sleep(0.5)
        for k in range(a.rapid):
            mark = f"Burst {burst} edit {k}"
            last = time.monotonic()
            source.write_text(re.sub(r"^title: .*$", f'title: "{title} {mark}"', text, count=1, flags=re.M))
            if k + 1 < a.rapid:
                time.sleep(gaps.uniform(0.1, 0.2))
        while mark not in get(serve.url + path.lstrip("/")):
            time.sleep(0.005)
        shown = time.monotonic()
        while mark not in written.read_text(errors="replace"):
            time.sleep(0.005)
        row = [(shown - last) * 1000, (time.monotonic() - last) * 1000]
        if burst > 0:
            rows.append(row)
        print(f"  burst {burst}{' (warm-up, not counted)' if burst == 0 else ''} of {a.rapid} edits: "
              f"last edit to page {row[0]:.0f} ms, to whole site {row[1]:.0f} ms")
    tab.stopped = True
    for k, name in enumerate(["page", "whole site"]):
        values = sorted(r[k] for r in rows)
        print(f"{name}: median {statistics.median(values):.0f} ms, range {values[0]:.0f}-{values[-1]:.0f} ms "
              f"({len(rows)} bursts)")
    return rows


def main():
    a = args()
    corpus = Path(a.corpus)
    if not (corpus / "seeds").is_dir():
        subprocess.run([sys.executable, str(GEN), "-n", str(a.n), "--flavor", "dossier", "--out", str(corpus)],
                       check=True, stdout=subprocess.DEVNULL)
    tmp = Path(tempfile.mkdtemp(prefix="dossier-latency-"))
    root = tmp / "dossier"
    shutil.copytree(corpus, root)
    serve = Serve(a.bin, root, tmp)
    try:
        source = sorted((root / "seeds").glob("*.md"))[len(list((root / "seeds").glob("*.md"))) // 2]
        site = next((tmp / "dossier-serve").iterdir()) / "site"
        page = next(site.rglob(source.stem + ".html")).relative_to(site)
        path = "/" + page.as_posix()
        print(f"{len(list((root / 'seeds').glob('*.md')))} sources; editing {source.relative_to(root)}, "
              f"tab on {path}")
        if a.rapid:
            rapid_bursts(a, serve, source, path, site)
            return
        tab = Tab(serve.url, path)
        text = source.read_text()
        title = re.search(r"^title: (.*)$", text, re.M).group(1).strip().strip('"')
        rows = []
        for i in range(a.edits + 1):
            tab.poll()
            time.sleep(0.4)  # the poll is registered, and the watcher quiet
            mark = f"Retitled {i}"
            lines_before = len(serve.lines)
            started = time.monotonic()
            source.write_text(re.sub(r"^title: .*$", f'title: "{title} {mark}"', text, count=1, flags=re.M))
            signal = tab.next_build()
            while mark not in get(serve.url + path.lstrip("/")):
                time.sleep(0.005)
            shown = time.monotonic()
            built = serve.wait_line(lambda l: " built " in f" {l}" and l.endswith(" s"), 120, lines_before)
            site_at = next(t for t, l in serve.lines[lines_before:] if l == built)
            row = [(signal - started) * 1000, (shown - started) * 1000, (site_at - started) * 1000]
            if i > 0:
                rows.append(row)
            print(f"  edit {i}{' (warm-up, not counted)' if i == 0 else ''}: signal {row[0]:.0f} ms, "
                  f"page {row[1]:.0f} ms, whole site {row[2]:.0f} ms  [{built.split(': ', 1)[-1]}]")
        med = [statistics.median(r[k] for r in rows) for k in range(3)]
        print(f"median of {len(rows)} edits: signal {med[0]:.0f} ms, page {med[1]:.0f} ms, "
              f"whole site {med[2]:.0f} ms")
    finally:
        serve.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
