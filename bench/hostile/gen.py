"""Hostile inputs of issue 13, each a copy of tests/fixtures/en-harbor.

    python3 bench/hostile/gen.py CASE N [OUT]   # prints the dossier's folder
    /usr/bin/time -v target/release/dossier build --root FOLDER --out /tmp/site

CASE: ann (one paragraph of N annotations), annnfc2 (the same, distinct
words, after a character NFC composes), paras (N short paragraphs), errs
(N errors on one 7 MB line), slugs / longslugs (N near-miss sector slugs
against N sectors), quote / emph / nest (N nested `>`, `*`, annotations).
"""
import sys, os
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = sys.argv[3] if len(sys.argv) > 3 else "/tmp"
name, n = sys.argv[1], int(sys.argv[2])
d = f"{OUT}/{name}-{n}"
os.system(f"rm -rf {d}; mkdir -p {OUT}; cp -r {REPO}/tests/fixtures/en-harbor {d}")
fm = "---\ntitle: T\npublished: 2024\noutlet: X\nlanguage: en\nkind: article\noriginal: originals/h.txt\n---\n"
def src(body, orig):
    open(f"{d}/seeds/h.md","w").write(fm+body)
    open(f"{d}/seeds/originals/h.txt","w").write(orig)
if name == "ann":   # one paragraph of n annotations
    src(" ".join(["[w]{sector=water}"]*n)+"\n", " ".join(["w"]*n)+"\n")
elif name == "paras":  # n short paragraphs
    src("\n\n".join([f"Paragraph number {i} of the text."] * 1 for i in range(n)) if False else "\n\n".join(f"Paragraph number {i} of the text." for i in range(n))+"\n",
        "\n\n".join(f"Paragraph number {i} of the text." for i in range(n))+"\n")
elif name == "errs":   # n errors on one line
    src(" ".join(["[w]{sector=nope}"]*n) + " " + "x"*(7_000_000 - 16*n) + "\n", "w\n")
elif name == "quote":  # n nested > in a page
    open(f"{d}/content/pages/deep.md","w").write("---\ntitle: Deep\n---\n" + ">"*n + " x\n")
elif name == "emph":
    src("*"*n + "w" + "*"*n + "\n", "w\n")
elif name == "nest":
    src("["*n + "w" + "]{sector=water}"*n + "\n", "w\n")
elif name == "slugs":  # n sectors and n near-miss slugs
    for i in range(n):
        open(f"{d}/content/sectors/sector-number-{i:04}.md","w").write(f"---\ntitle: S{i}\norder: {i+10}\ncolor: \"#287ab7\"\nsummary: s\n---\n")
    src(" ".join(f"[w]{{sector=sector-numbr-{i:04}}}" for i in range(n))+"\n", " ".join(["w"]*n)+"\n")
print(d)
if name == "longslugs":  # n sectors with long slugs and n long near-miss slugs
    for i in range(n):
        open(f"{d}/content/sectors/{'sector-'*15}{i:04}.md","w").write(f"---\ntitle: S{i}\norder: {i+10}\ncolor: \"#287ab7\"\nsummary: s\n---\n")
    src(" ".join(f"[w]{{sector={'sector-'*14}sectr-{i:04}}}" for i in range(n))+"\n", " ".join(["w"]*n)+"\n")
    print(d)
if name == "annnfc":   # one paragraph of n annotations after a character NFC composes
    src("e\u0301 " + " ".join(["[w]{sector=water}"]*n)+"\n", "e\u0301 " + " ".join(["w"]*n)+"\n")
    print(d)
if name == "annnfc2":
    src("e\u0301 " + " ".join([f"[w{i}]{{sector=water}}" for i in range(n)])+"\n", "e\u0301 " + " ".join([f"w{i}" for i in range(n)])+"\n")
    print(d)
if name == "ann2":
    src(" ".join([f"[w{i}]{{sector=water}}" for i in range(n)])+"\n", " ".join([f"w{i}" for i in range(n)])+"\n")
    print(d)
