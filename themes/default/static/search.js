// Search for a dossier, offline and in pieces. The page embeds only a small
// description of the index (its version, the number of documents, how many
// go in a document shard, which term shards exist); the index itself is in
// classic-script shards beside the page, which call dossierSearch.add
// (terms by their first two characters, or the first alone in a script
// written without spaces) or dossierSearch.docs (documents by number) when
// they run. A query inserts a script element for each shard it needs and
// waits for them: that works from file://, where fetch(), modules and
// WebAssembly do not. Term shards are enough to rank; documents are loaded
// only for the results shown, a page at a time.
//
// Queries are normalised and cut into words as the index was (lower case,
// no accents, ligatures spelled out; Chinese or Japanese in pairs of
// characters); every word of the query must match the start of a word of
// a result. Results are built with DOM nodes, never from HTML
// strings. The file formats are described in src/render/search.rs.
(function () {
  "use strict";
  var data = document.getElementById("search-index");
  var meta = JSON.parse(data.textContent);
  var base = data.dataset.shards;
  var root = data.dataset.root;
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var more = document.getElementById("search-more");
  var PAGE = 20;
  var SNIPPET_WORDS = 24;

  // "1 résultat", "21 результат": the language's CLDR plural rule as the
  // engine gives it (src/load/i18n.rs, PluralRule::table: a digit for the
  // category of each number from 0 to 199, then one for a million; from
  // 100 on, but for multiples of a million, only the last two digits
  // count) and the forms of `results`.
  var forms = JSON.parse(status.dataset.forms || "{}");
  var CATEGORIES = ["zero", "one", "two", "few", "many", "other"];
  var plural = status.dataset.plural || "";
  function category(n) {
    var at = n < 200 ? n : n % 1000000 === 0 ? 200 : 100 + n % 100;
    return CATEGORIES[plural.charAt(at)] || "other";
  }
  function counted(n) {
    return (forms[category(n)] || forms.other || "{n}").replace("{n}", n);
  }

  var prefixes = new Set(meta.terms ? meta.terms.split(" ") : []);
  var termShards = new Map(); // prefix -> body as loaded, then its parsed entries
  var docShards = new Map(); // number -> Promise of [[title, kind, path, text], …]
  var loads = new Map(); // file -> Promise

  window.dossierSearch = {
    add: function (prefix, body) { termShards.set(prefix, body); },
    docs: function (n, packed) {
      docShards.set(n, inflate(packed).then(function (json) {
        var docs = JSON.parse(json);
        for (var i = 1; i < docs.length; i++) {
          if (docs[i][0] === 0) { docs[i][0] = docs[i - 1][0]; }
          if (docs[i][2].charAt(0) === "#") { docs[i][2] = docs[i - 1][2].split("#")[0] + docs[i][2]; }
        }
        return docs;
      }));
    }
  };

  // A document shard is deflated (raw, RFC 1951) and in base64: the
  // browser inflates it itself, without a network or a library.
  function inflate(base64) {
    var bytes = Uint8Array.from(atob(base64), function (c) { return c.charCodeAt(0); });
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Response(stream).text();
  }

  // A document shard's documents, once it has run and been inflated.
  function loadDocs(n) {
    return load(docFile(n)).then(function () { return docShards.get(n); });
  }

  // Runs a shard once; the promise settles when it has run or failed (a
  // failed one is tried again by the next query that needs it).
  function load(file) {
    if (!loads.has(file)) {
      loads.set(file, new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = base + file + "?v=" + meta.v;
        script.onload = resolve;
        script.onerror = function () {
          loads.delete(file);
          script.remove();
          reject(new Error("cannot load " + file));
        };
        document.head.append(script);
      }));
      loads.get(file).catch(function () {}); // whoever waits for it handles a failure
    }
    return loads.get(file);
  }

  function termFile(prefix) {
    return "t-" + Array.from(prefix).map(function (c) {
      return /[a-z0-9]/.test(c) ? c : "_" + c.codePointAt(0).toString(16) + "_";
    }).join("") + ".js";
  }

  function docFile(n) { return "d-" + n + ".js"; }

  function normalise(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/œ/g, "oe").replace(/æ/g, "ae").replace(/ß/g, "ss").replace(/ς/g, "σ");
  }

  // The scripts written without spaces (Chinese, Japanese kana, Thai, Lao,
  // Khmer, Myanmar), as src/render/search/words.rs has them: a run of
  // them is cut into its pairs of characters, as the index was.
  var UNSPACED = /[\u{0E00}-\u{0EFF}\u{1000}-\u{109F}\u{1780}-\u{17FF}\u{3040}-\u{30FF}\u{31F0}-\u{31FF}\u{3400}-\u{4DBF}\u{4E00}-\u{9FFF}\u{F900}-\u{FAFF}\u{FF66}-\u{FF9F}\u{20000}-\u{3134F}]/u;
  var UNSPACED_RUN = new RegExp("(" + UNSPACED.source + "+)", "u");
  var UNSPACED_CHAR = new RegExp("(" + UNSPACED.source + ")", "u");

  // The words of a text, cut as the index's: at anything that is not a
  // letter or a digit (as Rust's is_alphanumeric), and where a run passes
  // into or out of an unspaced script. A word of an unspaced script is
  // each pair of neighbouring characters, or a character alone; any other
  // has two characters or more, counted in characters, not UTF-16 units.
  function words(text) {
    var out = [];
    normalise(text).split(/[^\p{Alphabetic}\p{N}]+/u).forEach(function (run) {
      run.split(UNSPACED_RUN).forEach(function (segment) {
        var chars = Array.from(segment);
        if (chars.length === 0) { return; }
        if (!UNSPACED.test(chars[0])) {
          if (chars.length > 1) { out.push(segment); }
        } else if (chars.length === 1) {
          out.push(segment);
        } else {
          for (var i = 0; i + 1 < chars.length; i++) { out.push(chars[i] + chars[i + 1]); }
        }
      });
    });
    return out;
  }

  // The shard of a word: its first two characters, its first alone in an
  // unspaced script.
  function prefixOf(word) {
    var chars = Array.from(word);
    return chars.slice(0, UNSPACED.test(chars[0]) ? 1 : 2).join("");
  }

  // The compact posting lists of src/render/search/codec.rs: base-32
  // digits, continuation digits from the second half of the alphabet;
  // the first id as is, then each gap minus one; "." and a count for a run
  // of neighbours.
  var DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  var RUN = 46; // "."
  var VALUE = new Int8Array(128).fill(-1);
  for (var i = 0; i < DIGITS.length; i++) { VALUE[DIGITS.charCodeAt(i)] = i; }
  function decode(text, each) {
    var value = 0, id = -1, run = false;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c === RUN) { run = true; continue; }
      var digit = VALUE[c];
      if (digit >= 32) {
        value = value * 32 + digit - 32;
        continue;
      }
      value = value * 32 + digit;
      if (run) {
        for (var end = id + value; id < end;) { each(++id); }
        run = false;
      } else {
        id += value + 1;
        each(id);
      }
      value = 0;
    }
  }

  // The entries [term, documents, documents by title] of a loaded shard.
  function entries(prefix) {
    var shard = termShards.get(prefix);
    if (typeof shard === "string") {
      shard = shard.split(";").map(function (entry) {
        var fields = entry.split(",");
        return [prefix + fields[0], fields[1], fields[2] || ""];
      });
      termShards.set(prefix, shard);
    }
    return shard || [];
  }

  // How each document matches `word`, by document id: 0 when it does not;
  // else 2 for a term equal to the word, 1 for a longer one, plus 4 when
  // its title has such a term.
  function matches(word) {
    var match = new Uint8Array(meta.docs);
    entries(prefixOf(word)).forEach(function (entry) {
      if (!entry[0].startsWith(word)) { return; }
      var weight = entry[0] === word ? 2 : 1;
      decode(entry[1], function (d) { if ((match[d] & 3) < weight) { match[d] = (match[d] & 4) | weight; } });
      decode(entry[2], function (d) { match[d] |= 4; });
    });
    return match;
  }

  // The ids of the documents every word matches, best first: a word
  // scores its weight, and 2 more when it matches the title; equal scores
  // keep the documents' order. Typed arrays and a counting sort, as a
  // common word matches a large part of a large dossier.
  function rank(qwords) {
    var n = meta.docs;
    var scores = null;
    qwords.forEach(function (w) {
      var match = matches(w);
      if (scores === null) { scores = new Uint16Array(n).fill(1); }
      for (var d = 0; d < n; d++) {
        if (scores[d] === 0) { continue; }
        var m = match[d];
        scores[d] = m === 0 ? 0 : scores[d] + (m & 3) + (m & 4 ? 2 : 0);
      }
    });
    var counts = new Uint32Array(4 * qwords.length + 2);
    for (var d = 0; d < n; d++) { counts[scores[d]]++; }
    var at = new Uint32Array(counts.length);
    var total = 0;
    for (var s = counts.length - 1; s > 0; s--) { at[s] = total; total += counts[s]; }
    var results = new Uint32Array(total);
    for (d = 0; d < n; d++) {
      if (scores[d] > 0) { results[at[scores[d]]++] = d; }
    }
    return results;
  }

  // The text around the first matching word, with every matching word
  // marked. A character of an unspaced script is a part of its own, marked
  // when the query has it, or it and a neighbour, as a word.
  function snippet(text, qwords) {
    var parts = [];
    text.split(/([\p{Alphabetic}\p{N}]+)/u).forEach(function (run) {
      run.split(UNSPACED_CHAR).forEach(function (part) { if (part) { parts.push(part); } });
    });
    var unspaced = function (i) {
      return i >= 0 && i < parts.length && UNSPACED.test(parts[i]) ? normalise(parts[i]) : null;
    };
    var hit = function (part, i) {
      var n = normalise(part);
      if (UNSPACED.test(part)) {
        var before = unspaced(i - 1), after = unspaced(i + 1);
        return qwords.some(function (w) {
          return w === n || (after !== null && w === n + after) || (before !== null && w === before + n);
        });
      }
      return Array.from(n).length > 1 && qwords.some(function (w) { return n.startsWith(w); });
    };
    var first = parts.findIndex(hit);
    var from = Math.max(0, first - SNIPPET_WORDS);
    var to = Math.min(parts.length, Math.max(first, 0) + SNIPPET_WORDS * 2);
    var p = document.createElement("p");
    p.className = "search-snippet";
    p.dir = "auto"; // a quote in Arabic or Hebrew reads from the right
    if (from > 0) { p.append("… "); }
    var mark = null; // the mark of the part before, if it has one
    parts.slice(from, to).forEach(function (part, k) {
      if (!hit(part, from + k)) {
        p.append(part);
        mark = null;
      } else if (mark !== null && UNSPACED.test(part)) {
        mark.textContent += part; // characters found side by side, one mark
      } else {
        mark = document.createElement("mark");
        mark.textContent = part;
        p.append(mark);
      }
    });
    if (to < parts.length) { p.append(" …"); }
    return p;
  }

  function item(doc, qwords) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = root + doc[2];
    a.textContent = doc[0];
    a.dir = "auto";
    var kind = document.createElement("span");
    kind.className = "search-kind";
    kind.textContent = doc[1];
    var h = document.createElement("h2");
    h.append(a, " ", kind);
    li.append(h, snippet(doc[3], qwords));
    return li;
  }

  // The search under way: a newer query makes the older one's loads and
  // results moot.
  var current = { generation: 0 };

  function failed(search) {
    if (search === current) { status.textContent = status.dataset.failed; more.hidden = true; }
  }

  function show(query) {
    var search = { generation: current.generation + 1, words: words(query), results: [], shown: 0, tail: null };
    current = search;
    list.replaceChildren();
    more.hidden = true;
    if (search.words.length === 0) { status.textContent = ""; return; }
    var needed = Array.from(new Set(search.words.map(prefixOf)));
    // A word whose prefix has no shard matches nothing, and every word must match.
    var loading = needed.every(function (p) { return prefixes.has(p); })
      ? Promise.all(needed.map(function (p) { return load(termFile(p)); })) : null;
    search.tail = (loading || Promise.resolve()).then(function () {
      if (search !== current) { return; }
      search.results = loading ? rank(search.words) : [];
      var n = search.results.length;
      status.textContent = n === 0 ? status.dataset.none : counted(n);
      showMore(search);
    }, function () { failed(search); });
  }

  // The next page of results: every document shard it needs is loaded at
  // once, and each result appears, in order, as soon as its shard has.
  // Asked for by the reader, the page's first result takes the focus.
  function showMore(search, focus) {
    var page = search.results.slice(search.shown, search.shown + PAGE);
    search.shown += page.length;
    more.hidden = search.shown >= search.results.length;
    Array.prototype.forEach.call(page, function (doc, i) {
      var n = Math.floor(doc / meta.per);
      var ready = loadDocs(n);
      var first = focus && i === 0;
      search.tail = search.tail.then(function () { return ready; }).then(function (docs) {
        if (search !== current) { return; }
        var li = item(docs[doc % meta.per], search.words);
        list.append(li);
        if (first) { li.querySelector("a").focus(); }
      });
    });
    search.tail = search.tail.catch(function () { failed(search); });
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
  more.addEventListener("click", function () { showMore(current, true); });
}());
