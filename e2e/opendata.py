"""Runs two Python validators other people wrote over files of a built site,
for e2e/data.mjs, which decides what their findings mean:

  feed    the W3C Feed Validator (vendored in e2e/vendor/feedvalidator:
          it is not on PyPI), offline, on an Atom file read as if served
          from `url`: every message it logs, with its level (error,
          warning, info) and its class, e.g. MissingElement.
  jsonld  extruct (PyPI) on an HTML page read from `url`: the JSON-LD it
          extracts, as a structured-data consumer sees it.

Reads a JSON list of jobs on standard input, each {"kind", "file", "url"},
and prints a JSON list of results in the same order. Run with the Python of
the venv .ci/run makes (~/.cache/dossier-e2e-py), where extruct and the
feed validator's dependencies (html5lib, lxml, rdflib) are installed.
"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "vendor", "feedvalidator"))

import extruct  # noqa: E402
import feedvalidator  # noqa: E402
from feedvalidator import logging as fvlog  # noqa: E402
from feedvalidator.formatter.text_plain import Formatter  # noqa: E402


def level(event):
    """The validator's own level of a message: error (a MUST broken),
    warning (a SHOULD) or info."""
    if isinstance(event, fvlog.Error):
        return "error"
    if isinstance(event, fvlog.Warning):
        return "warning"
    return "info"


def feed(path, url):
    with open(path, "rb") as f:
        data = f.read()
    try:
        events = feedvalidator.validateString(data, firstOccurrenceOnly=1, base=url)["loggedEvents"]
    except fvlog.ValidationFailure as failure:
        events = [failure.event]
    found = []
    for event in events:
        kind = level(event)
        if kind == "info":
            continue
        text = Formatter([event])
        found.append({"level": kind, "class": type(event).__name__, "message": " ".join(text)})
    return found


def jsonld(path, url):
    with open(path, encoding="utf-8") as f:
        html = f.read()
    return extruct.extract(html, base_url=url, syntaxes=["json-ld"], uniform=True)["json-ld"]


def main():
    jobs = json.load(sys.stdin)
    run = {"feed": feed, "jsonld": jsonld}
    results = []
    for job in jobs:
        try:
            results.append(run[job["kind"]](job["file"], job["url"]))
        except Exception as e:  # a crash is a finding, not a pass
            results.append({"crash": f"{type(e).__name__}: {e}"})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
