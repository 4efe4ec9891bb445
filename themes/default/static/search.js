// Search for a dossier, offline: the index is the JSON data block of the
// page (never fetched). Queries are normalised as the index was (lower
// case, no accents, ligatures spelled out); every word of the query must
// match the start of a word of a result. Results are built with DOM nodes,
// never from HTML strings.
(function () {
  "use strict";
  var index = JSON.parse(document.getElementById("search-index").textContent);
  var docs = index.docs;
  var terms = index.terms;
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var LIMIT = 50;
  var SNIPPET_WORDS = 24;

  function normalise(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/œ/g, "oe").replace(/æ/g, "ae").replace(/ß/g, "ss");
  }

  function words(text) {
    return normalise(text).split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 1; });
  }

  // The first term not less than `prefix` (terms are sorted).
  function lowerBound(prefix) {
    var lo = 0, hi = terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (terms[mid][0] < prefix) { lo = mid + 1; } else { hi = mid; }
    }
    return lo;
  }

  // Documents holding a term that starts with `word`: an exact term
  // weighs more than a longer one.
  function matches(word) {
    var found = new Map();
    for (var i = lowerBound(word); i < terms.length && terms[i][0].startsWith(word); i++) {
      var weight = terms[i][0] === word ? 2 : 1;
      terms[i][1].forEach(function (d) { found.set(d, Math.max(found.get(d) || 0, weight)); });
    }
    return found;
  }

  function search(query) {
    var qwords = words(query);
    if (qwords.length === 0) { return { words: [], results: [] }; }
    var scores = null;
    qwords.forEach(function (w) {
      var found = matches(w);
      var next = new Map();
      found.forEach(function (weight, d) {
        if (scores === null || scores.has(d)) { next.set(d, (scores ? scores.get(d) : 0) + weight); }
      });
      scores = next;
    });
    var results = Array.from(scores.keys()).map(function (d) {
      var title = words(docs[d][0]);
      var inTitle = qwords.filter(function (w) { return title.some(function (t) { return t.startsWith(w); }); }).length;
      return { doc: d, score: scores.get(d) + 2 * inTitle };
    });
    results.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return { words: qwords, results: results };
  }

  // The text around the first matching word, with every matching word
  // marked.
  function snippet(text, qwords) {
    var parts = text.split(/([\p{L}\p{N}]+)/u);
    var hit = function (part) {
      var n = normalise(part);
      return n.length > 1 && qwords.some(function (w) { return n.startsWith(w); });
    };
    var first = parts.findIndex(hit);
    var from = Math.max(0, first - SNIPPET_WORDS);
    var to = Math.min(parts.length, Math.max(first, 0) + SNIPPET_WORDS * 2);
    var p = document.createElement("p");
    p.className = "search-snippet";
    if (from > 0) { p.append("… "); }
    parts.slice(from, to).forEach(function (part) {
      if (hit(part)) {
        var mark = document.createElement("mark");
        mark.textContent = part;
        p.append(mark);
      } else {
        p.append(part);
      }
    });
    if (to < parts.length) { p.append(" …"); }
    return p;
  }

  function show(query) {
    var found = search(query);
    list.replaceChildren();
    if (found.words.length === 0) { status.textContent = ""; return; }
    var n = found.results.length;
    status.textContent = n === 0 ? status.dataset.none
      : n === 1 ? status.dataset.one : status.dataset.many.replace("{n}", n);
    found.results.slice(0, LIMIT).forEach(function (r) {
      var doc = docs[r.doc];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = doc[2];
      a.textContent = doc[0];
      var kind = document.createElement("span");
      kind.className = "search-kind";
      kind.textContent = doc[1];
      var h = document.createElement("h2");
      h.append(a, " ", kind);
      li.append(h, snippet(doc[3], found.words));
      list.append(li);
    });
  }

  document.getElementById("search-nojs").hidden = true;
  form.hidden = false;
  var initial = new URLSearchParams(window.location.search).get("q") || "";
  input.value = initial;
  show(initial);
  input.addEventListener("input", function () { show(input.value); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(input.value);
  });
}());
