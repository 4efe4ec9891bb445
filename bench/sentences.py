#!/usr/bin/env python3
"""The peer corpus's text cut into sentences, one a line, for
`compare.py --paragraphs`: the same words as the generator's default text,
in short paragraphs. Each sentence of 12 words or more becomes a line (66
sentences of 28 words on average from ../shared/bench/paragraphs.txt).

dossier's cost follows the number of paragraphs (each is an anchor, a
citation block, a record in the exports and a search document), Hugo's
the bytes of text: this corpus is the shape where dossier fares worst.

Usage: python3 bench/sentences.py [PARAGRAPHS] > /tmp/sentences.txt
       python3 bench/compare.py -n 10000 --runs 3 --seed 11 --paragraphs /tmp/sentences.txt
"""
import os
import re
import sys

DEFAULT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench", "paragraphs.txt")
MIN_WORDS = 12
# A sentence ends at . ! ? or », before a space and a capital (or «).
BOUNDARY = re.compile(r"(?<=[.!?»])\s+(?=[A-ZÀ-ÖØ-Ý«])")


def sentences(lines):
    for line in lines:
        for sentence in BOUNDARY.split(line.strip()):
            if len(sentence.split()) >= MIN_WORDS:
                yield sentence


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    with open(path, encoding="utf-8") as f:
        for sentence in sentences(f):
            print(sentence)


if __name__ == "__main__":
    main()
