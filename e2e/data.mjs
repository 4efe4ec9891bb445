// The open-data exports and the search of a built dossier, checked with
// parsers that are not dossier's own, and in Chromium from file://:
//
//   dossier.json        validates against schema/dossier.schema.json (Ajv, JSON Schema 2020-12)
//   *.jsonl             every line parses; one line per paragraph / annotation, as in dossier.json
//   <chronology>.csv    parses as RFC 4180 (csv-parse, strict), one row per event
//   <chronology>.ics    parses as iCalendar (ical.js, Mozilla's parser): all-day
//                       events, DTEND after DTSTART, unique UIDs
//   annotations.jsonld  every selector re-anchors in the source's ORIGINAL text;
//                       the W3C Web Annotation suite's MUST assertions pass
//                       (w3c/web-annotation-tests, vendored: annotation-suite.mjs)
//                       and the SHOULDs the dossier fills (ids, paging,
//                       creator, created, bodies' format and language);
//                       expanded by jsonld.js, every id and source resolves
//                       to a file of the site (or is a urn:uuid)
//   pages' JSON-LD      the home page's schema.org CreativeWork and Dataset,
//                       each source's Article (NewsArticle for an article),
//                       each actor's Person/Country/Organization/…, each
//                       event as an Event on the page its link leads to, with
//                       its dates and citing paragraphs; every address
//                       resolves to a file of the site; a page's policy
//                       allows no data block as script; extruct (PyPI, in
//                       opendata.py) reads a sample of pages (the home page,
//                       a source and an actor of each kind, every page of
//                       events) with the types and properties expected
//   self-test           tampered copies of annotations.jsonld make the suite
//                       and the resolution check go red; of feed.xml, the
//                       W3C Feed Validator; of pages' JSON-LD, the extruct
//                       check; of timeline.json, TimelineJS's loader
//   timeline.json       has what TimelineJS requires of each slide, and
//                       TimelineJS's own TimelineConfig (timelinejs.mjs,
//                       under jsdom) is valid and keeps every event
//   feed.xml            is well-formed Atom with unique entry ids, and the
//                       W3C Feed Validator (vendored, offline, in
//                       opendata.py) finds no error and no warning but the
//                       two it is told why to expect; sitemap.xml exists
//                       exactly when base_url is set
//   search              in Chromium from file://, "energie" finds the energy
//                       passages, "poutine" finds Vladimir Poutine's statements;
//                       the page loads only the shards a query needs (one term
//                       shard per word prefix, document shards for the results
//                       shown, more when asked), embeds no index; in
//                       Cyrillic, on 200 generated sources of Russian text;
//                       and in Chinese and Japanese, in pairs of characters;
//                       in an Arabic dossier, its count in the plural form
//                       the browser's CLDR rules give it
//   reproducible        a second build is byte-identical
//
// Usage: node e2e/data.mjs (DOSSIER_BIN as for run.mjs; DOSSIER_PYTHON the
// Python where e2e/requirements.txt is installed, by default the venv
// .ci/run makes in ~/.cache/dossier-e2e-py). Exit 1 on any failure.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import ICAL from 'ical.js';
import { chromium } from 'playwright-core';

import { expand, identifiers, mustFailures, optionals } from './annotation-suite.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const target = process.env.CARGO_TARGET_DIR || path.join(repo, 'target');
const bin = process.env.DOSSIER_BIN || path.join(target, 'release/dossier');
const failures = [];
let passed = 0;

function check(name, ok, detail = '') {
  if (ok) { passed++; } else { failures.push(`${name}${detail ? `: ${detail}` : ''}`); }
}

function build(root, out) {
  execFileSync(bin, ['build', '--root', root, '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
}

function files(dir) {
  const found = new Map();
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) { walk(p); } else { found.set(path.relative(dir, p), fs.readFileSync(p)); }
    }
  };
  walk(dir);
  return found;
}

// The same paragraphs the fidelity check reads in an original, normalised
// as it normalises them (NFC, white space collapsed).
function originalText(original) {
  const lines = original.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const blank = (l) => l.trim() === '';
  const first = lines.findIndex((l) => !blank(l));
  const last = lines.findLastIndex((l) => !blank(l));
  const inner = first < 0 ? [] : lines.slice(first, last + 1);
  let paragraphs = inner;
  if (inner.some(blank)) {
    paragraphs = [];
    let group = [];
    for (const l of [...inner, '']) {
      if (blank(l)) { if (group.length) { paragraphs.push(group.join(' ')); } group = []; } else { group.push(l); }
    }
  }
  return paragraphs.map((p) => p.normalize('NFC').split(/\s+/u).filter(Boolean).join(' ')).join('\n\n');
}

function checkDossier(name, root, site) {
  const data = path.join(site, 'data');
  const dossier = JSON.parse(fs.readFileSync(path.join(data, 'dossier.json'), 'utf8'));

  // dossier.json against its schema
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  const schema = JSON.parse(fs.readFileSync(path.join(repo, 'schema/dossier.schema.json'), 'utf8'));
  const valid = ajv.validate(schema, dossier);
  check(`${name} dossier.json validates`, valid, ajv.errorsText(ajv.errors));
  check(`${name} dossier.json has sources, events, annotations`,
    dossier.sources.length > 0 && dossier.events.length > 0 && dossier.sources.some((s) => s.annotations.length > 0));
  for (const s of dossier.sources) {
    for (const a of s.annotations) {
      const text = [...s.paragraphs[a.paragraph - 1].text].slice(a.start, a.end).join('');
      if (text !== a.text) { check(`${name} ${s.slug} annotation ${a.index} offsets`, false, `${JSON.stringify(text)} ≠ ${JSON.stringify(a.text)}`); }
    }
  }

  // JSON Lines: every line parses; one per paragraph, one per annotation,
  // saying what dossier.json says
  const jsonLines = (file) => {
    const text = fs.readFileSync(path.join(data, file), 'utf8');
    check(`${name} ${file}: every line ended`, text.endsWith('\n'));
    return text.slice(0, -1).split('\n').map((l, i) => {
      try { return JSON.parse(l); } catch (e) { check(`${name} ${file} line ${i + 1} parses`, false, e.message); return null; }
    });
  };
  const paragraphs = dossier.sources.flatMap((s) => s.paragraphs.map((p) => ({ source: s.slug, paragraph: p.number, kind: p.kind, text: p.text })));
  const paragraphLines = jsonLines('paragraphs.jsonl');
  check(`${name} paragraphs.jsonl: one line per paragraph`, paragraphLines.length === paragraphs.length, `${paragraphLines.length} lines, ${paragraphs.length} paragraphs`);
  check(`${name} paragraphs.jsonl: as in dossier.json, with the paragraph's address`,
    paragraphLines.every((l, i) => l && isDeepStrictEqual({ ...l, url: undefined }, { ...paragraphs[i], url: undefined }) && l.url.endsWith(`/${l.source}.html#p${l.paragraph}`)));
  const annotations = dossier.sources.flatMap((s) => s.annotations.map((a) => ({ source: s.slug, ...a })));
  const annotationLines = jsonLines('annotations.jsonl');
  check(`${name} annotations.jsonl: one line per annotation`, annotationLines.length === annotations.length, `${annotationLines.length} lines, ${annotations.length} annotations`);
  check(`${name} annotations.jsonl: as in dossier.json, with the source's slug`, annotationLines.every((l, i) => isDeepStrictEqual(l, annotations[i])));

  // CSV
  const chronology = fs.readdirSync(data).find((f) => f.endsWith('.csv')).replace(/\.csv$/, '');
  const csvText = fs.readFileSync(path.join(data, `${chronology}.csv`), 'utf8');
  const rows = parseCsv(csvText, { columns: true, strict: true, record_delimiter: '\r\n', relax_quotes: false });
  check(`${name} CSV: one row per event`, rows.length === dossier.events.length, `${rows.length} rows, ${dossier.events.length} events`);
  check(`${name} CSV: slugs and dates match dossier.json`,
    rows.every((r, i) => r.slug === dossier.events[i].slug && r.start === (dossier.events[i].date.start ?? '') && r.precision === dossier.events[i].date.precision));

  // iCalendar
  const ics = fs.readFileSync(path.join(data, `${chronology}.ics`), 'utf8');
  check(`${name} ICS: CRLF line ends`, !/[^\r]\n/.test(ics));
  check(`${name} ICS: lines of at most 75 octets`, ics.split('\r\n').every((l) => Buffer.byteLength(l) <= 75));
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const vevents = calendar.getAllSubcomponents('vevent');
  // An open range ("since 2021") has no first or no last day: the calendar
  // leaves it out and names it, rather than invent a day.
  const open = dossier.events.filter((e) => e.date.start === null || e.date.end === null);
  const bounded = dossier.events.filter((e) => !open.includes(e));
  check(`${name} ICS: one event per event with a first and a last day`, vevents.length === bounded.length, `${vevents.length} ≠ ${bounded.length}`);
  const omitted = calendar.getFirstPropertyValue('x-dossier-omitted') ?? '';
  check(`${name} ICS: the open-dated events are named as left out`, open.every((e) => omitted.includes(e.slug)), omitted);
  const uids = new Set();
  vevents.forEach((v, i) => {
    const e = new ICAL.Event(v);
    uids.add(e.uid);
    const event = bounded[i];
    check(`${name} ICS ${event.slug}: all-day`, e.startDate.isDate && e.endDate.isDate);
    check(`${name} ICS ${event.slug}: ends after it starts`, e.endDate.compare(e.startDate) > 0);
    check(`${name} ICS ${event.slug}: summary`, e.summary === event.title, `${e.summary} ≠ ${event.title}`);
    const last = event.date.end;
    const lastDay = e.endDate.clone();
    lastDay.adjust(-1, 0, 0, 0);
    check(`${name} ICS ${event.slug}: DTEND is the day after the last`, lastDay.toString() === last, `${lastDay} ≠ ${last}`);
  });
  check(`${name} ICS: unique UIDs`, uids.size === vevents.length);

  // Web Annotations, re-anchored in the originals
  const anno = JSON.parse(fs.readFileSync(path.join(data, 'annotations.jsonld'), 'utf8'));
  check(`${name} annotations: a W3C collection`, anno['@context'] === 'http://www.w3.org/ns/anno.jsonld' && anno.type === 'AnnotationCollection');
  const items = anno.first.items;
  check(`${name} annotations: one per span`, items.length === dossier.sources.reduce((n, s) => n + s.annotations.length, 0));
  const originals = new Map();
  for (const s of dossier.sources) {
    const source = fs.readFileSync(path.join(root, 'seeds', `${s.slug}.md`), 'utf8');
    const original = source.match(/^original:\s*(.+)$/m)[1].trim().replace(/^["']|["']$/g, '');
    originals.set(`${s.slug}`, [...originalText(fs.readFileSync(path.join(root, 'seeds', original), 'utf8'))]);
  }
  let anchored = 0;
  for (const item of items) {
    const slug = path.basename(item.target.source, '.txt');
    const text = originals.get(slug);
    const quote = item.target.selector.find((s) => s.type === 'TextQuoteSelector');
    const position = item.target.selector.find((s) => s.type === 'TextPositionSelector');
    const exact = text.slice(position.start, position.end).join('');
    const before = text.slice(Math.max(0, position.start - quote.prefix.length), position.start).join('');
    const after = text.slice(position.end, position.end + [...quote.suffix].length).join('');
    if (exact === quote.exact && before === quote.prefix && after === quote.suffix && item.body.length > 0) { anchored++; } else {
      check(`${name} annotation ${item.id} re-anchors in ${slug}'s original`, false, `${JSON.stringify(exact)} ≠ ${JSON.stringify(quote.exact)}`);
    }
  }
  check(`${name} annotations: every selector re-anchors in its original`, anchored === items.length, `${anchored}/${items.length}`);

  // TimelineJS
  const timeline = JSON.parse(fs.readFileSync(path.join(data, 'timeline.json'), 'utf8'));
  check(`${name} timeline: one slide per event`, timeline.events.length === dossier.events.length);
  check(`${name} timeline: slides have a start year and a headline`,
    timeline.events.every((e) => Number.isInteger(e.start_date?.year) && typeof e.text?.headline === 'string' && e.text.headline.length > 0));
  check(`${name} timeline: unique ids`, new Set(timeline.events.map((e) => e.unique_id)).size === timeline.events.length);

  // Atom and sitemap
  const feed = fs.readFileSync(path.join(site, 'feed.xml'), 'utf8');
  check(`${name} feed.xml is well-formed XML`, XMLValidator.validate(feed) === true);
  const atom = new XMLParser({ ignoreAttributes: false }).parse(feed).feed;
  const entries = [atom.entry].flat().filter(Boolean);
  check(`${name} feed: Atom with an id, a title and updated`, atom['@_xmlns'] === 'http://www.w3.org/2005/Atom' && atom.id && atom.title && atom.updated);
  check(`${name} feed: an entry per source and event`, entries.length === dossier.sources.length + dossier.events.length);
  check(`${name} feed: unique entry ids`, new Set(entries.map((e) => e.id)).size === entries.length);
  check(`${name} feed: RFC 3339 dates`, entries.every((e) => /^\d{4}-\d{2}-\d{2}T00:00:00Z$/.test(e.updated)));
  check(`${name} feed: no entry updated after the feed`, entries.every((e) => e.updated <= atom.updated));
  check(`${name} feed: every entry has a summary`, entries.every((e) => typeof e.summary === 'string' && e.summary.length > 0));
  const links = [atom.link].flat();
  const self = links.find((l) => l['@_rel'] === 'self');
  const hasBase = /^base_url:/m.test(fs.readFileSync(path.join(root, 'content/dossier.yaml'), 'utf8'));
  check(`${name} feed: rel=self exactly when base_url is set`, hasBase ? /^https?:\/\/.*\/feed\.xml$/.test(self?.['@_href']) : self === undefined, self?.['@_href']);
  const sitemap = path.join(site, 'sitemap.xml');
  check(`${name} sitemap.xml exactly when base_url is set`, fs.existsSync(sitemap) === hasBase);
  if (hasBase) {
    const xml = fs.readFileSync(sitemap, 'utf8');
    check(`${name} sitemap.xml is well-formed`, XMLValidator.validate(xml) === true);
    const urls = [new XMLParser().parse(xml).urlset.url].flat().map((u) => u.loc);
    check(`${name} sitemap: absolute URLs`, urls.length > 0 && urls.every((u) => /^https?:\/\//.test(u)));
  }
}

// The base_url a dossier declares, ending in '/', or null.
function baseUrl(root) {
  const m = fs.readFileSync(path.join(root, 'content/dossier.yaml'), 'utf8').match(/^base_url:\s*["']?([^"'\s]+)/m);
  return m ? `${m[1].replace(/\/$/, '')}/` : null;
}

// The file of the site an absolute URL names (under base_url, or file://
// inside the site), or null.
function fileOf(site, base, url) {
  const u = new URL(url);
  u.hash = '';
  if (base && u.href.startsWith(base)) { return path.join(site, decodeURIComponent(u.href.slice(base.length))); }
  if (u.protocol === 'file:') {
    const p = fileURLToPath(u);
    return p.startsWith(site + path.sep) ? p : null;
  }
  return null;
}

// What a reference read in a document at `url` names: urn:uuid, or a file of the site.
function resolves(site, base, id) {
  if (/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) { return true; }
  const file = fileOf(site, base, id);
  return file !== null && fs.existsSync(file);
}

// The collection with every reference resolved against the file's own
// address: what a JSON-LD processor reads (the suite's `format: uri` wants
// absolute IRIs; without base_url, the file holds references relative to itself).
function asRead(collection, url) {
  const abs = (r) => (typeof r === 'string' ? new URL(r, url).href : r);
  const page = collection.first;
  return {
    ...collection,
    id: abs(collection.id),
    last: abs(collection.last),
    first: { ...page, id: abs(page.id), partOf: abs(page.partOf), items: page.items.map((i) => ({ ...i, target: { ...i.target, source: abs(i.target.source) } })) },
  };
}

// Runs the W3C suite and the resolution check on a collection read from
// `url`; returns the failures, each a message.
async function annotationFailures(site, base, collection, url) {
  const failures = mustFailures(base ? collection : asRead(collection, url)).map((f) => `MUST ${f}`);
  const expanded = await expand(collection, url);
  for (const id of identifiers(expanded)) {
    if (!resolves(site, base, id)) { failures.push(`${id} does not resolve to a file of the site`); }
  }
  if (expanded[0]?.['@id'] !== url) { failures.push(`the collection is named ${expanded[0]?.['@id']}, not by its own address ${url}`); }
  return failures;
}

async function checkAnnotationSuite(name, root, site) {
  const base = baseUrl(root);
  const file = path.join(site, 'data/annotations.jsonld');
  const url = base ? `${base}data/annotations.jsonld` : pathToFileURL(file).href;
  const collection = JSON.parse(fs.readFileSync(file, 'utf8'));
  const failures = await annotationFailures(site, base, collection, url);
  check(`${name} annotations: W3C suite MUSTs pass${base ? '' : ' (as read: relative references resolved)'}, every reference resolves`,
    failures.length === 0, failures.slice(0, 5).join('; '));
  const should = (test, input, names) => optionals(test, input, names).filter((r) => !r.passed).map((r) => r.name);
  const read = base ? collection : asRead(collection, url);
  const missing = [
    ...should('collections/collectionOptionals.test', read, ['5.1-collectionLabelImplemented.json', '5.1-collectionLastImplemented.json', '5.1-collectionTotalImplemented.json', '5.1-collectionFirstImplemented.json', '3.3.1-collectionCreatorImplemented.json', '3.3.1-collectionCreatedImplemented.json', '3.3.2-collectionCreatorAgentNameImplemented.json', '3.3.2-collectionCreatorAgentTypeImplemented.json']),
    ...should('collections/pages/pageOptionals.test', read, ['5.2-pagePartOfImplemented.json', '5.2-pageStartIndexImplemented.json']),
  ];
  const items = read.first.items.map((i) => ({ '@context': read['@context'], ...i }));
  for (const item of items) {
    missing.push(...should('annotations/annotationOptionals.test', item, ['3.3.1-annotationCreatedImplemented.json', '3.3.5-annotationMotivationImplemented.json', '3.2.1-bodyFormat.json', '4.2.4-textQuoteSelector.json', '4.2.5-textPositionSelector.json']).map((n) => `${item.id} ${n}`));
  }
  const noted = items.filter((i) => i.body.some((b) => b.purpose === 'commenting'));
  for (const item of noted) {
    missing.push(...should('annotations/annotationOptionals.test', item, ['3.2.1-bodyLanguage.json']).map((n) => `${item.id} ${n}`));
  }
  check(`${name} annotations: the SHOULDs the dossier can fill (paging, creator, created, format, a note's language)`, missing.length === 0, missing.slice(0, 5).join('; '));
}

// Each page's <script type=application/ld+json>, parsed.
function jsonLdOf(html) {
  return [...html.matchAll(/<script type="?application\/ld\+json"?>([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]));
}

// The things a block describes: the nodes of its @graph, or itself.
const nodesOf = (block) => block['@graph'] ?? [block];

// Every address a node holds, at any depth: url, contentUrl, @id, and the
// site's own files among isBasedOn.
function addressesOf(node, base) {
  if (Array.isArray(node)) { return node.flatMap((n) => addressesOf(n, base)); }
  if (node === null || typeof node !== 'object') { return []; }
  const own = ['url', 'contentUrl', '@id'].map((k) => node[k]).filter((v) => typeof v === 'string');
  const based = [node.isBasedOn ?? []].flat().filter((u) => typeof u === 'string' && (!/^https?:/.test(u) || (base && u.startsWith(base))));
  return [...own, ...based, ...Object.entries(node).filter(([k]) => k !== 'isBasedOn').flatMap(([, v]) => addressesOf(v, base))];
}

// What schema.org's startDate and endDate should say of an EDTF date: each
// known end as written, unless approximate or uncertain; a single date
// only starts.
function expectedDates(edtf) {
  const exact = (p) => (p && p !== '..' && !/[~?%]$/.test(p) ? p : undefined);
  if (!edtf.includes('/')) { return [exact(edtf), undefined]; }
  const [a, b] = edtf.split('/');
  return [exact(a), exact(b)];
}

const ACTOR_TYPES = { person: 'Person', state: 'Country', organisation: 'Organization', company: 'Corporation', place: 'Place' };

function checkStructuredData(name, root, site) {
  const base = baseUrl(root);
  const dossier = JSON.parse(fs.readFileSync(path.join(site, 'data/dossier.json'), 'utf8'));
  const pages = [...files(site).keys()].filter((p) => p.endsWith('.html'));
  const described = new Map();
  const events = new Map();
  for (const p of pages) {
    const html = fs.readFileSync(path.join(site, p), 'utf8');
    let data = [];
    try { data = jsonLdOf(html); } catch (e) { check(`${name} ${p}: JSON-LD parses`, false, e.message); }
    const nodes = data.flatMap(nodesOf);
    described.set(p, nodes);
    for (const n of nodes.filter((n) => n['@type'] === 'Event')) { events.set(new URL(n.url, base ?? 'file:///x/').hash.slice(1), { page: p, node: n }); }
    check(`${name} ${p}: JSON-LD in the schema.org context`, data.every((d) => d['@context'] === 'https://schema.org'));
    const pageUrl = base ? `${base}${p}` : pathToFileURL(path.join(site, p)).href;
    const unresolved = addressesOf(data, base).filter((a) => !resolves(site, base, new URL(a, pageUrl).href));
    check(`${name} ${p}: JSON-LD addresses resolve to files of the site`, unresolved.length === 0, unresolved.join(', '));
    // Data blocks are no script: a policy hash per executable inline script, none for JSON-LD.
    const policy = html.match(/<meta content="([^"]*)" http-equiv=Content-Security-Policy>/)?.[1] ?? '';
    const hashes = (policy.match(/'sha256-/g) ?? []).length;
    const styles = [...html.matchAll(/<style\b[^>]*>/g)].length;
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].filter((m) => !/\bsrc=/.test(m[1]) && !/type="?application\/(ld\+)?json/.test(m[1])).length;
    check(`${name} ${p}: the policy allows the page's scripts, never its data`, hashes === styles + scripts && (scripts > 0 || !policy.includes('script-src')), `${hashes} hashes, ${styles} styles, ${scripts} scripts: ${policy}`);
    // The one-file editions too: they are pages of the published site (in
    // its sitemap), and neither link loads anything.
    const canonical = (html.match(/<link[^>]*rel="?canonical"?[^>]*>/)?.[0] ?? '').match(/href="?([^" >]+)/)?.[1];
    check(`${name} ${p}: rel=canonical exactly when base_url is set (not on the 404 page)`, base && p !== '404.html' ? canonical === `${base}${p}` : canonical === undefined, canonical);
    check(`${name} ${p}: announces the feed`, /<link[^>]*type="?application\/atom\+xml"?[^>]*>/.test(html) && /href="?(\.\.\/)*feed\.xml/.test(html));
  }
  const home = described.get('index.html') ?? [];
  const work = home.find((n) => n['@type'] === 'CreativeWork');
  const set = home.find((n) => n['@type'] === 'Dataset');
  check(`${name} home: the dossier as a schema.org CreativeWork and a Dataset, each part of the other`,
    work?.name === dossier.title && set?.name === dossier.title && set.distribution.length > 0 && work.hasPart['@id'] === set['@id'] && set.isPartOf['@id'] === work['@id'], JSON.stringify(home).slice(0, 300));
  const rel = (url) => url.replace(/^(\.\.\/)+/, '').replace(base ?? '\0', '');
  const pageOf = (url) => rel(url).split('#')[0];
  for (const s of dossier.sources) {
    const page = pageOf(s.page);
    const [a] = described.get(page) ?? [];
    const type = s.kind === 'article' ? 'NewsArticle' : 'Article';
    check(`${name} ${page}: a schema.org ${type} of the source`, a?.['@type'] === type && a.headline === s.title && a.inLanguage === s.language
      && [a.isBasedOn].flat()[0].endsWith(`data/texts/${s.slug}.txt`) && (s.author === null || a.author?.name === s.author)
      && (s.outlet === null || a.publisher?.name === s.outlet) && (s.url === null || [a.isBasedOn].flat().includes(s.url)), JSON.stringify(a));
  }
  for (const actor of dossier.actors) {
    const page = pageOf(actor.url);
    const [a] = described.get(page) ?? [];
    check(`${name} ${page}: a schema.org ${ACTOR_TYPES[actor.kind]} named as the actor`, a?.['@type'] === ACTOR_TYPES[actor.kind] && a.name === actor.name, JSON.stringify(a));
  }
  check(`${name} chronology: one schema.org Event per event`, events.size === dossier.events.length, `${events.size} ≠ ${dossier.events.length}`);
  for (const e of dossier.events) {
    const found = [...events.values()].find((f) => rel(f.node.url) === rel(e.url));
    const [start, end] = expectedDates(e.date.edtf);
    const paragraphs = new Set(e.citations.map((c) => rel(c.url)));
    const cited = (found?.node.subjectOf ?? []).map((c) => rel(c.url));
    check(`${name} event ${e.slug}: an Event named as the event on the page its link leads to, with its dates and citing paragraphs`,
      found && found.node.name === e.title && found.page === pageOf(e.url) && found.node.startDate === start && found.node.endDate === end
      && cited.length === paragraphs.size && cited.every((u) => paragraphs.has(u)), JSON.stringify(found?.node));
  }
}

// Other people's validators, each in a process of its own: the W3C Feed
// Validator and extruct (Python, opendata.py) and TimelineJS's loader
// (timelinejs.mjs, under jsdom).
const python = process.env.DOSSIER_PYTHON || path.join(os.homedir(), '.cache/dossier-e2e-py/bin/python');

function pythonJobs(jobs) {
  const out = execFileSync(python, [path.join(here, 'opendata.py')], { input: JSON.stringify(jobs), maxBuffer: 64 << 20 });
  return JSON.parse(out);
}

function timelineConfigs(files) {
  return JSON.parse(execFileSync(process.execPath, [path.join(here, 'timelinejs.mjs'), ...files], { cwd: here, maxBuffer: 64 << 20 }));
}

// The feed validator's messages that are no failure, and why:
// DuplicateUpdated: an entry's `updated` is the last day the dossier
// speaks of (never the clock), so entries share it; MissingSelf: without
// base_url the feed's own address is unknown.
function feedFailures(messages, base) {
  if (!Array.isArray(messages)) { return [`the validator crashed: ${messages.crash}`]; }
  const allowed = (m) => m.level === 'warning' && (m.class === 'DuplicateUpdated' || (m.class === 'MissingSelf' && !base));
  return messages.filter((m) => !allowed(m)).map((m) => `${m.level} ${m.class}: ${m.message}`);
}

// What each schema.org type the site emits must carry, as extruct reads it.
const REQUIRED = {
  CreativeWork: ['name', 'url', 'inLanguage'],
  Dataset: ['name', 'url', 'distribution'],
  Article: ['headline', 'url', 'inLanguage', 'isBasedOn', 'isPartOf'],
  NewsArticle: ['headline', 'url', 'inLanguage', 'isBasedOn', 'isPartOf'],
  Event: ['name', 'url'],
  Person: ['name', 'url'],
  Organization: ['name', 'url'],
  Corporation: ['name', 'url'],
  Country: ['name', 'url'],
  Place: ['name', 'url'],
};
const ISO_DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

// The failures of the JSON-LD extruct found in a page that should
// describe things of the types `expected` (each at least once).
function jsonLdFailures(extracted, expected) {
  if (!Array.isArray(extracted)) { return [`extruct crashed: ${extracted.crash}`]; }
  const nodes = extracted.flatMap(nodesOf);
  const failures = [];
  for (const n of nodes) {
    const required = REQUIRED[n['@type']];
    if (!required) { failures.push(`unexpected type ${n['@type']}`); continue; }
    const missing = required.filter((k) => n[k] === undefined || n[k] === '' || (Array.isArray(n[k]) && n[k].length === 0));
    if (missing.length) { failures.push(`${n['@type']} ${n.name ?? n.headline ?? ''} without ${missing.join(', ')}`); }
    for (const k of ['startDate', 'endDate', 'datePublished', 'dateModified']) {
      if (n[k] !== undefined && !ISO_DATE.test(n[k])) { failures.push(`${n['@type']} ${k} ${n[k]} is not an ISO 8601 date`); }
    }
  }
  for (const t of expected) {
    if (!nodes.some((n) => t.includes(n['@type']))) { failures.push(`no ${t.join(' or ')}`); }
  }
  return failures;
}

// The pages whose JSON-LD extruct reads: the home page, a source of each
// kind, an actor of each kind, every page listing events, found from
// dossier.json's own addresses.
function sampledPages(site, base) {
  const dossier = JSON.parse(fs.readFileSync(path.join(site, 'data/dossier.json'), 'utf8'));
  const local = (url) => url.split('#')[0].replace(/^(\.\.\/)+/, '').replace(base ?? '\0', '');
  const firstOfEach = (items, kind) => [...new Map(items.map((i) => [kind(i), i])).values()];
  const actorTypes = (kind) => [ACTOR_TYPES[kind]];
  return [
    ['index.html', [['CreativeWork'], ['Dataset']]],
    ...firstOfEach(dossier.sources, (s) => s.kind).map((s) => [local(s.page), [s.kind === 'article' ? ['NewsArticle'] : ['Article']]]),
    ...firstOfEach(dossier.actors, (a) => a.kind).map((a) => [local(a.url), [actorTypes(a.kind)]]),
    ...[...new Set(dossier.events.map((e) => local(e.url)))].map((p) => [p, [['Event']]]),
  ];
}

function urlOf(site, base, file) {
  return base ? `${base}${file}` : pathToFileURL(path.join(site, file)).href;
}

function checkValidators(name, root, site) {
  const base = baseUrl(root);
  const pages = sampledPages(site, base);
  const jobs = [
    { kind: 'feed', file: path.join(site, 'feed.xml'), url: urlOf(site, base, 'feed.xml') },
    ...pages.map(([p]) => ({ kind: 'jsonld', file: path.join(site, p), url: urlOf(site, base, p) })),
  ];
  const [feed, ...extracted] = pythonJobs(jobs);
  const broken = feedFailures(feed, base);
  check(`${name} feed.xml: the W3C Feed Validator finds no error (and no warning but the known ones)`, broken.length === 0, broken.join('; '));
  pages.forEach(([p, expected], i) => {
    const failures = jsonLdFailures(extracted[i], expected);
    check(`${name} ${p}: extruct reads its schema.org ${expected.map((t) => t.join('/')).join(', ')} with their properties`, failures.length === 0, failures.join('; '));
  });
  const [timeline] = timelineConfigs([path.join(site, 'data/timeline.json')]);
  check(`${name} timeline.json: TimelineJS's TimelineConfig is valid and keeps every event`, timeline.valid && timeline.kept === timeline.given,
    `valid ${timeline.valid}, ${timeline.kept} of ${timeline.given} kept: ${timeline.errors.join('; ')}`);
}

// The validators must be able to fail: tampered copies of a site's feed,
// pages and timeline go red, each for the reason meant.
function validatorSelfTest(site, root) {
  const base = baseUrl(root);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-tampered-'));
  const write = (file, text) => { const p = path.join(dir, file); fs.writeFileSync(p, text); return p; };
  const atom = fs.readFileSync(path.join(site, 'feed.xml'), 'utf8');
  const feeds = [
    ['an entry without its id (RFC 4287 4.1.2: MUST)', atom.replace(/(<entry>[\s\S]*?)<id>[^<]*<\/id>/, '$1'), /error MissingElement/],
    ['an updated that is no date', atom.replace(/<updated>[^<]*<\/updated>/, '<updated>yesterday</updated>'), /error InvalidRFC3339Date|error InvalidW3CDTFDate/],
  ];
  const home = fs.readFileSync(path.join(site, 'index.html'), 'utf8');
  const [event] = sampledPages(site, base).filter(([, t]) => t[0][0] === 'Event');
  const chronology = fs.readFileSync(path.join(site, event[0]), 'utf8');
  const pages = [
    ['the Dataset without a name', home.replace(/("@type":"Dataset"[^]*?)"name":"[^"]*",?/, '$1'), [['Dataset']], /Dataset\s+without name/],
    ['an Event without a name', chronology.replace(/("@type":"Event"[^]*?)"name":"(?:[^"\\]|\\.)*",?/, '$1'), [['Event']], /Event\s+without name/],
    ['an Event on a day that EDTF does not give', chronology.replace(/"startDate":"([^"]*)"/, '"startDate":"$1T00:00:00Z"'), [['Event']], /startDate .* is not an ISO 8601 date/],
  ];
  const jobs = [
    ...feeds.map(([what, text], i) => ({ kind: 'feed', file: write(`feed-${i}.xml`, text), url: urlOf(site, base, 'feed.xml') })),
    ...pages.map(([what, text], i) => ({ kind: 'jsonld', file: write(`page-${i}.html`, text), url: urlOf(site, base, 'index.html') })),
  ];
  const results = pythonJobs(jobs);
  const label = `self-test ${base ?? 'without base_url'}`;
  check(`${label}: the untouched feed passes the W3C Feed Validator`, feedFailures(pythonJobs([jobs[0]].map((j) => ({ ...j, file: path.join(site, 'feed.xml') })))[0], base).length === 0);
  feeds.forEach(([what, text, expected], i) => {
    const failures = feedFailures(results[i], base);
    check(`${label}: ${what} goes red in the W3C Feed Validator`, text !== atom && failures.some((f) => expected.test(f)), failures.join('; ') || 'no failure');
  });
  pages.forEach(([what, text, types, expected], i) => {
    const failures = jsonLdFailures(results[feeds.length + i], types);
    check(`${label}: ${what} goes red in extruct's reading`, failures.some((f) => expected.test(f)), failures.join('; ') || 'no failure');
  });
  const timeline = JSON.parse(fs.readFileSync(path.join(site, 'data/timeline.json'), 'utf8'));
  const noStart = structuredClone(timeline);
  delete noStart.events[0].start_date;
  const noYear = structuredClone(timeline);
  noYear.events[0].start_date = { year: 'MMXXIII' };
  const [skipped, invalid] = timelineConfigs([write('no-start.json', JSON.stringify(noStart)), write('no-year.json', JSON.stringify(noYear))]);
  check(`${label}: a slide without start_date is dropped by TimelineJS, and seen`, skipped.kept === skipped.given - 1, JSON.stringify(skipped));
  check(`${label}: a slide whose year is no number makes TimelineJS's config invalid`, !invalid.valid, JSON.stringify(invalid));
  fs.rmSync(dir, { recursive: true, force: true });
}

// The checks above must be able to fail: tampered copies of a collection
// go red, an untouched one does not.
async function selfTest(site, root) {
  const base = baseUrl(root);
  const file = path.join(site, 'data/annotations.jsonld');
  const url = base ? `${base}data/annotations.jsonld` : pathToFileURL(file).href;
  const collection = JSON.parse(fs.readFileSync(file, 'utf8'));
  const missing = base ? `${base}data/texts/missing.txt` : 'texts/missing.txt';
  check(`self-test ${base ?? 'without base_url'}: the untouched collection passes`, (await annotationFailures(site, base, collection, url)).length === 0);
  const tamperings = [
    ['the collection without an id (MUST 5.1)', (c) => { delete c.id; }, /MUST collection: .*5\.1-collectionIdValidated/],
    ['the page without an id (MUST 5.2)', (c) => { delete c.first.id; }, /MUST page: .*5\.2-pageIdValidated/],
    ['a source relative to the site\'s root, as before issue 15', (c) => { c.first.items[0].target.source = 'data/texts/x.txt'; }, /does not resolve|targetObjectsRecognized/],
    ['a target source to a missing text', (c) => { c.first.items[0].target.source = missing; }, /missing\.txt does not resolve/],
  ];
  for (const [what, tamper, expected] of tamperings) {
    const copy = structuredClone(collection);
    tamper(copy);
    const failures = await annotationFailures(site, base, copy, url);
    check(`self-test ${base ?? 'without base_url'}: ${what} goes red`, failures.some((f) => expected.test(f)), failures.join('; ') || 'no failure');
  }
}

// Types `query` in the header's search box of the home page, submits it
// (to the search page's ?q=) and waits for the results: the status, then
// as many results as a page shows. `expect(results, info)`: info has the
// status text, the search shards the page requested (file names, in
// order), its script[src] elements and the page itself, still open.
async function checkSearch(browser, site, query, expect) {
  const page = await browser.newPage();
  const errors = [];
  const requests = [];
  page.on('console', (m) => { if (m.type() === 'error') { errors.push(m.text()); } });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`file://${path.join(site, 'index.html')}`);
  await page.fill('input[type=search][name=q]', query);
  await Promise.all([page.waitForNavigation(), page.press('input[type=search][name=q]', 'Enter')]);
  await waitForResults(page);
  const results = await resultsOf(page);
  const folder = await page.$eval('#search-index', (e) => new URL(e.dataset.shards, document.baseURI).href);
  const shards = () => requests.filter((u) => u.startsWith(folder)).map((u) => u.slice(folder.length).split('?')[0]);
  const info = {
    status: await page.$eval('#search-status', (e) => e.textContent),
    shards,
    scripts: () => page.$$eval('script[src]', (ss) => ss.map((s) => s.getAttribute('src'))),
    page,
    errors,
  };
  await expect(results, info);
  await page.close();
  check(`search "${query}": no console error`, errors.length === 0, errors.join('; '));
}

// The status says how many results there are; a page shows up to 20.
async function waitForResults(page, shown = 0) {
  await page.waitForFunction(() => document.getElementById('search-status').textContent !== '', null, { timeout: 5000 }).catch(() => {});
  await page.waitForFunction((shown) => {
    const n = parseInt(document.getElementById('search-status').textContent, 10) || 0;
    return document.querySelectorAll('#search-results li').length >= Math.min(n, shown + 20);
  }, shown, { timeout: 5000 }).catch(() => {});
}

function resultsOf(page) {
  return page.$$eval('#search-results li', (lis) => lis.map((li) => ({
    href: li.querySelector('a').getAttribute('href'),
    marked: [...li.querySelectorAll('mark')].map((m) => m.textContent),
  })));
}

// Search in another script, on 200 sources of Russian text made by the
// peer corpus's generator: a query finds every paragraph with a word that
// begins with it, whatever its case and whether it writes ё or е, loads
// the term shard of its first two letters, and marks the words found.
// The count is worked out here from data/paragraphs.jsonl, folding as the
// search page says it does (case and accents: NFD without its marks).
async function checkCyrillicSearch(browser, dir) {
  const root = path.join(dir, 'ru-root');
  const site = path.join(dir, 'ru');
  const generator = path.resolve(repo, '../shared/bench/gen_corpus.py');
  execFileSync('python3', [generator, '-n', '200', '--flavor', 'dossier', '--seed', '31', '--out', root,
    '--paragraphs', path.join(repo, 'tests/fixtures/paragraphs-ru.txt')], { stdio: 'ignore' });
  build(root, site);
  const fold = (text) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const paragraphs = fs.readFileSync(path.join(site, 'data/paragraphs.jsonl'), 'utf8').split('\n').filter(Boolean)
    .map((line) => fold(JSON.parse(line).text).split(/[^\p{L}\p{N}]+/u));
  const withWord = (query) => paragraphs.filter((words) => words.some((w) => w.startsWith(fold(query)))).length;
  const shard = (query) => `t-${[...fold(query)].slice(0, 2).map((c) => (/[a-z0-9]/.test(c) ? c : `_${c.codePointAt(0).toString(16)}_`)).join('')}.js`;
  for (const query of ['золота', 'ЗОЛОТА', 'партнерстве', 'партнёрстве', 'военно']) {
    await checkSearch(browser, site, query, (results, info) => {
      const n = parseInt(info.status, 10);
      const expected = withWord(query);
      check(`Cyrillic search "${query}": every paragraph with a word it begins`, expected > 0 && n === expected, `${n} found, ${expected} expected`);
      check(`Cyrillic search "${query}": marks the words found`, results.length > 0
        && results.every((r) => r.marked.some((m) => fold(m).startsWith(fold(query)))), JSON.stringify(results.slice(0, 3)));
      check(`Cyrillic search "${query}": loads its term shard, ${shard(query)}`,
        info.shards().filter((f) => f.startsWith('t-')).join() === shard(query), info.shards().join());
    });
  }
}

// Search in scripts written without spaces: tests/fixtures/scripts adds
// a Chinese and a Japanese source to a copy of en-harbor. A query is cut
// into pairs of characters, as the index is; a result is a paragraph whose
// text or source title has every pair of the query (folded as the search
// page folds: the Japanese voiced mark goes with the accents), a query of
// two characters loads the term shard of its first one alone, and the
// characters found are marked.
async function checkUnspacedSearch(browser, dir) {
  const root = path.join(dir, 'unspaced-root');
  const site = path.join(dir, 'unspaced');
  fs.cpSync(path.join(repo, 'tests/fixtures/en-harbor'), root, { recursive: true });
  fs.cpSync(path.join(repo, 'tests/fixtures/scripts/seeds'), path.join(root, 'seeds'), { recursive: true });
  build(root, site);
  const fold = (text) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const titles = new Map(JSON.parse(fs.readFileSync(path.join(site, 'data/dossier.json'), 'utf8')).sources.map((s) => [s.slug, s.title]));
  const paragraphs = fs.readFileSync(path.join(site, 'data/paragraphs.jsonl'), 'utf8').split('\n').filter(Boolean)
    .map((line) => JSON.parse(line)).map((p) => `${fold(p.text)} ${fold(titles.get(p.source))}`);
  const pairs = (query) => { const c = [...fold(query)]; return c.slice(1).map((x, i) => c[i] + x); };
  const expected = (query) => paragraphs.filter((text) => pairs(query).every((pair) => text.includes(pair))).length;
  const shard = (query) => `t-_${[...fold(query)][0].codePointAt(0).toString(16)}_.js`;
  for (const query of ['合作', '合作协议', 'ケルヴラ', '港湾局']) {
    await checkSearch(browser, site, query, (results, info) => {
      const n = parseInt(info.status, 10);
      check(`search "${query}": every paragraph with each pair of its characters`, expected(query) > 0 && n === expected(query), `${n} found, ${expected(query)} expected`);
      check(`search "${query}": loads the term shards of its first characters`,
        info.shards().filter((f) => f.startsWith('t-')).includes(shard(query)), info.shards().join());
    });
  }
  await checkSearch(browser, site, '合作', (results, info) => {
    check('search "合作": loads one term shard', info.shards().filter((f) => f.startsWith('t-')).join() === shard('合作'), info.shards().join());
    check('search "合作": marks the two characters in every result', results.length > 0
      && results.every((r) => r.marked.join('').includes('合作')), JSON.stringify(results));
  });
}

// Counts in a language with six plural forms: en-harbor as an Arabic
// dossier, with the tests' Arabic strings (tests/fixtures/i18n/ar.yaml).
// The search page's count of its results is the form that the browser's
// own CLDR rules (Intl.PluralRules, not the engine's) pick for the number
// of results it lists, for queries found once, twice, a few times (3 to
// 10) and many times (11 to 20, all on the first page).
async function checkArabicCounts(browser, dir) {
  const root = path.join(dir, 'ar-root');
  const site = path.join(dir, 'ar');
  fs.cpSync(path.join(repo, 'tests/fixtures/en-harbor'), root, { recursive: true });
  fs.mkdirSync(path.join(root, 'themes/default/i18n'), { recursive: true });
  fs.copyFileSync(path.join(repo, 'tests/fixtures/i18n/ar.yaml'), path.join(root, 'themes/default/i18n/ar.yaml'));
  const config = path.join(root, 'content/dossier.yaml');
  fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace(/^language: en$/m, 'language: ar'));
  build(root, site);
  const rules = new Intl.PluralRules('ar');
  const categories = new Set();
  for (const query of QUERIES_IN_EACH_ARABIC_CATEGORY) {
    await checkSearch(browser, site, query, async (results, info) => {
      const listed = () => info.page.$$eval('#search-results li', (lis) => lis.length);
      await info.page.waitForFunction(() => document.querySelectorAll('#search-results li').length > 0
        && document.getElementById('search-more').hidden, null, { timeout: 5000 }).catch(() => {});
      const n = await listed();
      const forms = await info.page.$eval('#search-status', (e) => JSON.parse(e.dataset.forms));
      const expected = (forms[rules.select(n)] ?? forms.other).replace('{n}', n);
      categories.add(rules.select(n));
      check(`Arabic search "${query}": counts the ${n} results it lists in the form CLDR gives ${n}`,
        n > 0 && info.status === expected, `“${info.status}”, expected “${expected}” (${rules.select(n)})`);
    });
  }
  check('Arabic search: the queries meet one, two, few and many', ['one', 'two', 'few', 'many'].every((c) => categories.has(c)), [...categories].join());
}
// Found 1, 2, 3 and 15 times in en-harbor (its texts, titles and pages).
const QUERIES_IN_EACH_ARABIC_CATEGORY = ['annual', 'basin', 'agency', 'minister'];

// The search page embeds a small description of its index, never the
// index; its shards are classic scripts in a folder beside it.
function checkSearchPage(name, site) {
  const html = fs.readFileSync(path.join(site, 'recherche.html'), 'utf8');
  const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter((m) => !/\bsrc\b/.test(m[1]));
  const data = inline.find((m) => /id="?search-index/.test(m[1]));
  check(`${name} search page: embeds its index description`, data !== undefined);
  check(`${name} search page: no inline data bigger than 4 KB`, inline.every((m) => m[2].length < 4096 || !/application\/json/.test(m[1])),
    inline.map((m) => m[2].length).join(', '));
  check(`${name} search page: under 64 KB`, html.length < 65536, `${html.length} bytes`);
  const meta = JSON.parse(data[2]);
  const folder = path.join(site, data[1].match(/data-shards="?([^" >]*)/)[1]);
  const shards = fs.readdirSync(folder);
  check(`${name} search shards: one per term prefix and per ${meta.per} documents`,
    shards.length === meta.terms.split(' ').length + Math.ceil(meta.docs / meta.per), `${shards.length} files`);
  check(`${name} search shards: classic scripts calling dossierSearch`,
    shards.every((f) => /^dossierSearch\.(add|docs)\(/.test(fs.readFileSync(path.join(folder, f), 'utf8'))));
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-data-'));
  const dossiers = [['mali-russie', repo], ['en-harbor', path.join(repo, 'tests/fixtures/en-harbor')], ['fr-lagune', path.join(repo, 'tests/fixtures/fr-lagune')]];
  for (const [name, root] of dossiers) {
    const site = path.join(dir, name);
    build(root, site);
    checkDossier(name, root, site);
    await checkAnnotationSuite(name, root, site);
    checkStructuredData(name, root, site);
    checkValidators(name, root, site);
    const again = path.join(dir, `${name}-again`);
    build(root, again);
    const [a, b] = [files(site), files(again)];
    check(`${name}: reproducible byte for byte`, a.size === b.size && [...a].every(([p, bytes]) => b.get(p)?.equals(bytes)));
  }

  for (const [name, root] of dossiers) {
    await selfTest(path.join(dir, name), root);
    validatorSelfTest(path.join(dir, name), root);
  }

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const site = path.join(dir, 'mali-russie');
    const dossier = JSON.parse(fs.readFileSync(path.join(site, 'data/dossier.json'), 'utf8'));
    const energy = new Set(dossier.sectors.find((s) => s.slug === 'energie').passages.map((c) => `sources/${c.source}.html#p${c.paragraph}`));
    await checkSearch(browser, site, 'energie', (results) => {
      const found = results.filter((r) => energy.has(r.href));
      check('search "energie": finds the energy passages', found.length > 0 && [...energy].every((h) => results.some((r) => r.href === h)),
        `${found.length} of ${energy.size}: ${[...energy].filter((h) => !results.some((r) => r.href === h)).join(', ')}`);
      check('search "energie": marks "énergie"', results.some((r) => r.marked.some((m) => m.toLowerCase().startsWith('énergie'))));
    });
    const poutine = dossier.actors.find((a) => a.slug === 'vladimir-poutine');
    const statements = new Set(poutine.statements.map((c) => `sources/${c.source}.html#p${c.paragraph}`));
    await checkSearch(browser, site, 'poutine', (results) => {
      check('search "poutine": finds his page first', results[0]?.href === 'acteurs/vladimir-poutine.html', results[0]?.href);
      check('search "poutine": finds every statement of his', statements.size > 0 && [...statements].every((h) => results.some((r) => r.href === h)),
        [...statements].filter((h) => !results.some((r) => r.href === h)).join(', '));
    });
    await checkSearch(browser, site, 'coeur', (results) => check('search "coeur": ligatures (no error, any result)', Array.isArray(results)));
    checkSearchPage('mali-russie', site);
    await checkCyrillicSearch(browser, dir);
    await checkUnspacedSearch(browser, dir);
    await checkArabicCounts(browser, dir);

    // What the page loads: the term shard of each word's first two letters,
    // and the document shards of the results shown, nothing else.
    let energie = 0;
    await checkSearch(browser, site, 'energie', async (results, info) => {
      energie = parseInt(info.status, 10);
      const shards = info.shards();
      check('search "energie": loads one term shard, t-en.js', shards.filter((f) => f.startsWith('t-')).join() === 't-en.js', shards.join());
      const docs = shards.filter((f) => f.startsWith('d-'));
      check('search "energie": loads document shards for the results shown only', docs.length >= 1 && docs.length <= results.length, docs.join());
      const scripts = await info.scripts();
      check('search "energie": one script element per shard loaded', scripts.length === shards.length && scripts.every((s) => s.startsWith('recherche/') && s.includes('?v=')), scripts.join());
    });
    await checkSearch(browser, site, 'Énergie RUSSIE', async (results, info) => {
      const shards = info.shards();
      check('search "Énergie RUSSIE": needs and loads two term shards', shards.filter((f) => f.startsWith('t-')).sort().join() === 't-en.js,t-ru.js', shards.join());
      const n = parseInt(info.status, 10);
      check('search "Énergie RUSSIE": fewer results than "energie", every word matches', n > 0 && n <= energie && results.length === n, `${n} of ${energie}`);
      check('search "Énergie RUSSIE": marks both words', results.some((r) => r.marked.some((m) => /^[ée]nergie/i.test(m))) && results.some((r) => r.marked.some((m) => /^russie/i.test(m))));
    });
    await checkSearch(browser, site, 'xyzzy', async (results, info) => {
      check('search "xyzzy": no result, said so', results.length === 0 && info.status === 'Aucun résultat.', info.status);
      check('search "xyzzy": no prefix "xy", no shard loaded', info.shards().length === 0, info.shards().join());
    });
    await checkSearch(browser, site, 'energiezzz', async (results, info) => {
      check('search "energiezzz": no result', results.length === 0 && info.status === 'Aucun résultat.', info.status);
      check('search "energiezzz": only its term shard loaded', info.shards().join() === 't-en.js', info.shards().join());
    });
    // More than a page: the rest comes when asked, in order, and the
    // first new result takes the focus.
    await checkSearch(browser, site, 'de la', async (results, info) => {
      const n = parseInt(info.status, 10);
      check('search "de la": a first page of 20 results', n > 20 && results.length === 20, `${results.length} of ${n}`);
      const before = info.shards().length;
      await info.page.click('#search-more');
      await waitForResults(info.page, 20);
      const more = await resultsOf(info.page);
      check('search "de la": "more" shows the next 20', more.length === Math.min(n, 40) && more.slice(0, 20).every((r, i) => r.href === results[i].href), `${more.length}`);
      check('search "de la": the first new result has the focus', await info.page.evaluate(() => document.activeElement === document.querySelectorAll('#search-results li a')[20]));
      check('search "de la": "more" loads no term shard', info.shards().slice(before).every((f) => f.startsWith('d-')), info.shards().join());
    });
  } finally {
    await browser.close();
  }

  fs.rmSync(dir, { recursive: true, force: true });
  for (const f of failures) { console.log(`FAIL ${f}`); }
  console.log(`data and search: ${passed} passed, ${failures.length} failed`);
  process.exit(failures.length ? 1 : 0);
}

await main();
