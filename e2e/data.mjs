// The open-data exports and the search of a built dossier, checked with
// parsers that are not dossier's own, and in Chromium from file://:
//
//   dossier.json        validates against schema/dossier.schema.json (Ajv, JSON Schema 2020-12)
//   *.jsonl             every line parses; one line per paragraph / annotation, as in dossier.json
//   <chronology>.csv    parses as RFC 4180 (csv-parse, strict), one row per event
//   <chronology>.ics    parses as iCalendar (ical.js, Mozilla's parser): all-day
//                       events, DTEND after DTSTART, unique UIDs
//   annotations.jsonld  every selector re-anchors in the source's ORIGINAL text
//   timeline.json       has what TimelineJS requires of each slide
//   feed.xml            is well-formed Atom with unique entry ids; sitemap.xml
//                       exists exactly when base_url is set
//   search              in Chromium from file://, "energie" finds the energy
//                       passages, "poutine" finds Vladimir Poutine's statements;
//                       the page loads only the shards a query needs (one term
//                       shard per word prefix, document shards for the results
//                       shown, more when asked), embeds no index
//   reproducible        a second build is byte-identical
//
// Usage: node e2e/data.mjs (DOSSIER_BIN as for run.mjs). Exit 1 on any failure.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import ICAL from 'ical.js';
import { chromium } from 'playwright-core';

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
  const hasBase = /^base_url:/m.test(fs.readFileSync(path.join(root, 'content/dossier.yaml'), 'utf8'));
  const sitemap = path.join(site, 'sitemap.xml');
  check(`${name} sitemap.xml exactly when base_url is set`, fs.existsSync(sitemap) === hasBase);
  if (hasBase) {
    const xml = fs.readFileSync(sitemap, 'utf8');
    check(`${name} sitemap.xml is well-formed`, XMLValidator.validate(xml) === true);
    const urls = [new XMLParser().parse(xml).urlset.url].flat().map((u) => u.loc);
    check(`${name} sitemap: absolute URLs`, urls.length > 0 && urls.every((u) => /^https?:\/\//.test(u)));
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
  const dossiers = [['mali-russie', repo], ['en-harbor', path.join(repo, 'tests/fixtures/en-harbor')]];
  for (const [name, root] of dossiers) {
    const site = path.join(dir, name);
    build(root, site);
    checkDossier(name, root, site);
    const again = path.join(dir, `${name}-again`);
    build(root, again);
    const [a, b] = [files(site), files(again)];
    check(`${name}: reproducible byte for byte`, a.size === b.size && [...a].every(([p, bytes]) => b.get(p)?.equals(bytes)));
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
