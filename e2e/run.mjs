#!/usr/bin/env node
// End-to-end checks of built dossier sites, as a reader's browser sees them.
//
// Builds the repository's dossier (French), the fixture
// tests/fixtures/en-harbor (English), a sample of 1,000 generated sources
// (and of 1,000 more in Russian),
// en-harbor grown past one page (a long source, thousands of actors), and
// the examples of
// `dossier init` with the release binary, then opens
// EVERY page from file:// in headless Chromium and checks:
//
//   network   no request leaves the site's folder (every request is
//             intercepted; anything but file:// inside the site is aborted)
//   console   no console error, uncaught exception, failed request or crash
//   csp       a strict Content-Security-Policy meta (default-src 'none') is
//             there, and nothing violates it (securitypolicyviolation events
//             and Chromium's CSP console errors); the suite never bypasses it
//   axe       axe-core, WCAG 2.0/2.1 A and AA and WCAG 2.2 AA: no violation
//   vnu       the Nu Html Checker (vnu-jar): no error
//   links     every a/link/area href resolves to a file of the site, every
//             #fragment to an id of the target page; http(s) only on <a>
//   nojs      with JavaScript disabled, <main> has the same, non-empty text
//   overflow  at 360 px wide nothing scrolls horizontally
//
// and saves full-page screenshots at 360 and 1280 px of the home page, a
// sector page, the chronology and a source page of each dossier (and of a
// list's period and a long source's next page where there are some), found
// from the home page's navigation (no route is hard-coded).
//
// A self-test copies a built site, tampers with it in one way per check
// and asserts that the right check goes red for each.
//
//   node e2e/run.mjs                 the sites, then the self-test
//   node e2e/run.mjs --self-test     the self-test only
//   node e2e/run.mjs --no-self-test  the sites only
//   --keep                           keep the built sites (their folder is printed)
//
// Environment: DOSSIER_BIN (the binary; else cargo build --release --locked
// and CARGO_TARGET_DIR or the repository's target/), E2E_ARTIFACTS (where
// screenshots and report.json go; default e2e/artifacts), CHROMIUM
// (default /usr/bin/chromium), E2E_CONCURRENCY (pages at once; default 2),
// E2E_SITES (the ids of the sites to check, comma-separated, while working
// on one; en-harbor is built for the self-test whatever it says).
//
// Exit status: 0 when every check passed, 1 when one failed, 2 when the
// suite could not run (no binary, no browser, no Java…).

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..');
const ARGS = new Set(process.argv.slice(2));
for (const a of ARGS) {
  if (!['--self-test', '--no-self-test', '--keep', '--help', '-h'].includes(a)) {
    console.error(`unknown argument ${a}; see the head of e2e/run.mjs`);
    process.exit(2);
  }
}
if (ARGS.has('--help') || ARGS.has('-h')) {
  console.log('usage: node e2e/run.mjs [--self-test | --no-self-test] [--keep]');
  process.exit(0);
}
const RUN_SITES = !ARGS.has('--self-test');
const RUN_SELF_TEST = !ARGS.has('--no-self-test');
const KEEP = ARGS.has('--keep');
const ONLY_SITES = process.env.E2E_SITES ? new Set(process.env.E2E_SITES.split(',').map((id) => id.trim())) : null;
const CONCURRENCY = Math.max(1, Number(process.env.E2E_CONCURRENCY) || 2);
const ARTIFACTS = path.resolve(process.env.E2E_ARTIFACTS || path.join(HERE, 'artifacts'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const WIDE = { width: 1280, height: 800 };
const NARROW = { width: 360, height: 800 };
const CHECKS = ['network', 'console', 'csp', 'axe', 'vnu', 'links', 'nojs', 'overflow', 'reading'];

const SITES = [
  { id: 'mali-russie', label: 'Mali – Russie (repository, fr)', root: REPO },
  { id: 'en-harbor', label: 'Norland – Estmark (tests/fixtures/en-harbor, en)', root: path.join(REPO, 'tests/fixtures/en-harbor') },
  // Sources in other scripts: Chinese and Japanese, written without
  // spaces, and Arabic, written from right to left.
  { id: 'scripts', label: 'en-harbor with sources in Chinese, Japanese and Arabic (tests/fixtures/scripts)', copy: 'tests/fixtures/en-harbor', seeds: 'tests/fixtures/scripts/seeds' },
  // 1,000 sources of the shared peer corpus: its lists are split by period
  // and its one-file edition by year. A sample of its pages is checked:
  // every kind of page, the first, middle and last of each split list.
  { id: 'corpus-1000', label: '1,000 generated sources (../shared/bench, fr, a sample)', generate: 1000, sample: true },
  // The same shape from another seed and in another script: Russian
  // sentences (tests/fixtures/paragraphs-ru.txt), whose words, word lengths
  // and letters the suite was not written against. (E2E_CORPUS_SEED and
  // E2E_CORPUS_PARAGRAPHS vary corpus-1000 only.)
  { id: 'corpus-ru', label: '1,000 generated sources of Russian text, seed 31 (tests/fixtures/paragraphs-ru.txt, a sample)', generate: 1000, seed: '31', paragraphs: 'tests/fixtures/paragraphs-ru.txt', sample: true },
  // A source and an index of actors too long for one page each, and an
  // event reported by a hundred sources (tests/fixtures/grow.py grows a
  // copy of en-harbor): each shown on several pages, or a few lines. Sizes
  // just past the splits: the one-file edition, checked too, holds it all.
  // Thousands of two-sentence wire items on one day: a month of 18
  // chronology pages, whose menus leave pages out (past 15 in a year), and
  // a one-file edition split by year.
  // Its edition of the year (10 MB) is left out: axe takes minutes on it,
  // and tests/grown.rs checks the size and links of the editions of this
  // shape; the other sites' editions are checked here.
  { id: 'wires', label: 'en-harbor with 3,000 wire items of one day (tests/fixtures/grow.py, en, a sample)', copy: 'tests/fixtures/en-harbor', grow: ['--sector', 'fisheries', '--wires', '3000'], sample: true, maxBytes: 2_000_000 },
  // Fifty years of sources, one a year: past 15 years the year menus name
  // a year per decade, with gaps, on every part of every split list.
  { id: 'decades', label: 'en-harbor with a source a year for fifty years (tests/fixtures/grow.py, en, a sample)', copy: 'tests/fixtures/en-harbor', grow: ['--sector', 'fisheries', '--years', '50'], sample: true },
  { id: 'grown', label: 'en-harbor with a 1,000-paragraph source, 1,200 actors, 100 reports of one event (tests/fixtures/grow.py, en, a sample)', copy: 'tests/fixtures/en-harbor', grow: ['--sector', 'fisheries', '--long-source', '--paragraphs', '1000', '--actors', '1200', '--reports', '100'], sample: true },
  // What a newcomer starts from: the examples `dossier init` writes.
  { id: 'init-en', label: 'dossier init (en)', init: 'en' },
  { id: 'init-fr', label: 'dossier init --language fr', init: 'fr' },
];
const GENERATOR = path.resolve(REPO, '../shared/bench/gen_corpus.py');
const unknownSites = [...(ONLY_SITES ?? [])].filter((id) => !SITES.some((s) => s.id === id));
if (unknownSites.length) {
  console.error(`E2E_SITES names no site: ${unknownSites.join(', ')}; the sites are ${SITES.map((s) => s.id).join(', ')}`);
  process.exit(2);
}

class Fatal extends Error {}
const t0 = Date.now();
const secs = () => ((Date.now() - t0) / 1000).toFixed(1) + ' s';

// ---------------------------------------------------------------- building

function dossierBinary() {
  if (process.env.DOSSIER_BIN) {
    if (!fs.existsSync(process.env.DOSSIER_BIN)) throw new Fatal(`DOSSIER_BIN=${process.env.DOSSIER_BIN} does not exist`);
    return path.resolve(process.env.DOSSIER_BIN);
  }
  const target = process.env.CARGO_TARGET_DIR || path.join(REPO, 'target');
  const bin = path.join(path.resolve(REPO, target), 'release/dossier');
  // Always let cargo decide: a no-op when the binary is fresh, and never a
  // stale binary tested after an edit of src/.
  const cargo = spawnSync('cargo', ['build', '--release', '--locked', '--quiet'], {
    cwd: REPO,
    stdio: 'inherit',
    env: { ...process.env, CARGO_TARGET_DIR: path.resolve(REPO, target) },
  });
  if (cargo.error && !fs.existsSync(bin)) throw new Fatal(`no ${bin} and cargo could not run: ${cargo.error.message}`);
  if (cargo.status !== 0 && !cargo.error) throw new Fatal(`cargo build --release --locked failed (exit ${cargo.status})`);
  if (!fs.existsSync(bin)) throw new Fatal(`no binary at ${bin}`);
  return bin;
}

// Another corpus of the same shape, to check the suite on what it was not
// tuned for: the generator's --seed and --paragraphs (a text file, one
// paragraph a line), from E2E_CORPUS_SEED and E2E_CORPUS_PARAGRAPHS.
function corpusVariant() {
  const args = [];
  if (process.env.E2E_CORPUS_SEED) args.push('--seed', process.env.E2E_CORPUS_SEED);
  if (process.env.E2E_CORPUS_PARAGRAPHS) args.push('--paragraphs', path.resolve(process.env.E2E_CORPUS_PARAGRAPHS));
  return args;
}

function buildSite(bin, site, out) {
  if (site.generate) {
    if (!fs.existsSync(GENERATOR)) throw new Fatal(`${GENERATOR} is missing: the shared folder must sit beside the repository`);
    site.root = `${out}-root`;
    const variant = site.paragraphs ? ['--seed', site.seed, '--paragraphs', path.join(REPO, site.paragraphs)] : corpusVariant();
    const g = spawnSync('python3', [GENERATOR, '-n', String(site.generate), '--flavor', 'dossier', '--out', site.root, ...variant], { encoding: 'utf8' });
    if (g.status !== 0) throw new Fatal(`the corpus generator failed (exit ${g.status}):\n${g.stdout}${g.stderr}`);
  }
  if (site.copy) {
    site.root = `${out}-root`;
    fs.cpSync(path.join(REPO, site.copy), site.root, { recursive: true });
    if (site.seeds) fs.cpSync(path.join(REPO, site.seeds), path.join(site.root, 'seeds'), { recursive: true });
    if (site.grow) {
      const script = path.join(REPO, 'tests/fixtures/grow.py');
      const g = spawnSync('python3', [script, site.root, ...site.grow], { encoding: 'utf8' });
      if (g.status !== 0) throw new Fatal(`grow.py failed (exit ${g.status}):\n${g.stdout}${g.stderr}`);
    }
  }
  if (site.init) {
    site.root = `${out}-root`;
    const i = spawnSync(bin, ['init', '--language', site.init, site.root], { encoding: 'utf8' });
    if (i.status !== 0) throw new Fatal(`dossier init failed (exit ${i.status}):\n${i.stdout}${i.stderr}`);
  }
  const r = spawnSync(bin, ['build', '--root', site.root, '--out', out], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) {
    throw new Fatal(`dossier build --root ${site.root} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  }
  console.log(`  ${site.id}: ${(r.stdout + r.stderr).trim()}`);
}

/**
 * The pages of a large site worth checking: every page at the root that is
 * not a period, and of each group of like pages (a list's periods, the
 * sources, the actors, the editions by year) the first, the middle and
 * the last.
 */
function samplePages(pages) {
  const groups = new Map();
  for (const page of pages) {
    const parts = page.split('/');
    const period = parts.length === 1 && /^(.+)-(\d{4}|[a-z-]*date[a-z-]*)/.exec(page);
    const group = parts.length > 1 ? parts.slice(0, -1).join('/') + '/' : period ? period[1] + '-' : page;
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group).push(page);
  }
  // The first, the middle and the last of each group, in the list's order
  // (`2023`, `2023-05`, `2023-05-p2`… `2023-05-p18`): a middle page of a
  // long split list is one whose menus leave pages out.
  const sample = new Set();
  for (const list of groups.values()) {
    list.sort(inListOrder);
    for (const at of [0, Math.floor(list.length / 2), list.length - 1]) sample.add(list[at]);
  }
  return [...sample].sort();
}

/** Page names compared as a list orders its pages: numbers as numbers, a name before the pages it goes on to. */
function inListOrder(a, b) {
  const runs = (name) => name.replace(/\.html$/, '').match(/\d+|\D+/g) ?? [];
  const [x, y] = [runs(a), runs(b)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] === y[i]) continue;
    const numbers = /^\d/.test(x[i]) && /^\d/.test(y[i]);
    if (numbers && Number(x[i]) !== Number(y[i])) return Number(x[i]) - Number(y[i]);
    return x[i] < y[i] ? -1 : 1;
  }
  return x.length - y.length;
}

function htmlFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.html')) out.push(path.relative(dir, p).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out;
}

// ---------------------------------------------------------------- results

/** One site under test: its folder, its pages, and what went wrong where. */
class Run {
  constructor(id, label, dir, pages) {
    this.id = id;
    this.label = label;
    this.dir = dir;
    this.pages = pages; // relative paths, '/'-separated
    this.failures = []; // { check, page, message }
    this.info = new Map(); // page -> what the browser saw
    this.checked = Object.fromEntries(CHECKS.map((c) => [c, 0]));
  }
  fail(check, page, message) {
    if (!this.failures.some((f) => f.check === check && f.page === page && f.message === message)) {
      this.failures.push({ check, page, message });
    }
  }
  url(page) {
    return pathToFileURL(path.join(this.dir, page)).href;
  }
  /** The page of this site a file:// URL points to, or null if outside. */
  pageOf(url) {
    let u;
    try {
      u = new URL(url);
    } catch {
      return null;
    }
    if (u.protocol !== 'file:') return null;
    const p = fileURLToPath(u.href.split(/[?#]/)[0]);
    const rel = path.relative(this.dir, p);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
    return rel.split(path.sep).join('/');
  }
}

// ---------------------------------------------------------------- the Nu Html Checker

function vnuJar() {
  const jar = path.join(HERE, 'node_modules/vnu-jar/build/dist/vnu.jar');
  if (!fs.existsSync(jar)) throw new Fatal(`no ${jar}: run npm ci --prefix e2e`);
  return jar;
}

/** Starts ONE java process over every file; resolves to its messages. */
function startVnu(files) {
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin/java') : 'java';
  const args = ['-Xss8m', '-jar', vnuJar(), '--errors-only', '--format', 'json', '--stdout', ...files];
  return new Promise((resolve, reject) => {
    const child = spawn(java, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => reject(new Fatal(`could not run java (${e.message}): install a JRE 11+`)));
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(out).messages);
      } catch {
        reject(new Fatal(`vnu exited ${code} without JSON:\n${out}${err}`));
      }
    });
  });
}

function applyVnu(runs, messages) {
  for (const run of runs) for (const p of run.pages) run.checked.vnu++;
  for (const m of messages) {
    if (m.type !== 'error' && m.type !== 'non-document-error') continue;
    let file = null;
    try {
      file = m.url ? fileURLToPath(new URL(m.url)) : null;
    } catch {}
    const run = file && runs.find((r) => r.pageOf(pathToFileURL(file).href) !== null);
    const where = m.lastLine ? `line ${m.lastLine}, col ${m.firstColumn ?? m.lastColumn}` : '';
    const extract = m.extract ? ` — …${m.extract.replace(/\s+/g, ' ')}…` : '';
    const message = `${where}: ${m.message}${extract}`;
    if (run) run.fail('vnu', run.pageOf(pathToFileURL(file).href), message);
    else runs[0].fail('vnu', m.url || '(vnu)', message);
  }
}

// ---------------------------------------------------------------- in the page

// These functions run inside the page (serialised by Playwright); they must
// not close over anything. They work with JavaScript disabled too: page
// evaluation is not page script.

function collectInPage() {
  const cssPath = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && parts.length < 5; e = e.parentElement) {
      if (e.id) {
        parts.unshift(`${e.localName}#${CSS.escape(e.id)}`);
        break;
      }
      let s = e.localName;
      const cls = [...e.classList].slice(0, 2).map((c) => '.' + CSS.escape(c)).join('');
      s += cls;
      const parent = e.parentElement;
      if (parent) {
        const same = [...parent.children].filter((c) => c.localName === e.localName);
        if (same.length > 1) s += `:nth-of-type(${same.indexOf(e) + 1})`;
      }
      parts.unshift(s);
    }
    return parts.join(' > ');
  };
  const main = document.querySelector('main');
  // The text of <main> but for what a page shows only with JavaScript
  // ([data-js-only]) or only without it ([data-nojs-only]).
  const contentText = (root) => {
    let text = root.innerText;
    for (const el of root.querySelectorAll('[data-js-only], [data-nojs-only]')) {
      const own = el.innerText;
      if (own) text = text.replace(own, '');
    }
    return text.replace(/\s+/g, ' ').trim();
  };
  const absolute = (el) => {
    try {
      return new URL(el.getAttribute('href'), document.baseURI).href;
    } catch {
      return null;
    }
  };
  const links = [...document.querySelectorAll('a[href], link[href], area[href]')].map((el) => {
    return { tag: el.localName, rel: el.getAttribute('rel'), raw: el.getAttribute('href'), abs: absolute(el), sel: cssPath(el) };
  });
  const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
  for (const a of document.querySelectorAll('a[name]')) ids.push(a.getAttribute('name'));
  const csp = [...document.querySelectorAll('meta[http-equiv]')]
    .filter((m) => m.httpEquiv.toLowerCase() === 'content-security-policy')
    .map((m) => m.content);
  const navHrefs = [...document.querySelectorAll('nav a[href]')].map(absolute).filter(Boolean);
  // Links whose element (or an ancestor) has the colour class of a sector,
  // sec-<slug>, and whose target is <slug>.html: a link to that sector.
  const sectorHrefs = [];
  for (const a of document.querySelectorAll('a[href]')) {
    const holder = a.closest('[class*="sec-"]');
    if (!holder) continue;
    const slug = [...holder.classList].find((c) => c.startsWith('sec-'))?.slice(4);
    const href = (absolute(a) || '').split(/[?#]/)[0];
    if (slug && href.endsWith(`/${slug}.html`)) sectorHrefs.push(href);
  }
  return {
    title: document.title,
    mainCount: document.querySelectorAll('main').length,
    mainText: main ? contentText(main) : null,
    nojsOnlyShown: main ? [...main.querySelectorAll('[data-nojs-only]')].filter((el) => el.checkVisibility()).length : 0,
    links,
    ids,
    csp,
    navHrefs,
    sectorHrefs,
  };
}

function overflowInPage() {
  const vw = window.innerWidth;
  const sw = document.documentElement.scrollWidth;
  if (sw <= vw) return { vw, sw, culprits: [] };
  const cssPath = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && parts.length < 5; e = e.parentElement) {
      if (e.id) {
        parts.unshift(`${e.localName}#${CSS.escape(e.id)}`);
        break;
      }
      let s = e.localName + [...e.classList].slice(0, 2).map((c) => '.' + CSS.escape(c)).join('');
      const parent = e.parentElement;
      if (parent) {
        const same = [...parent.children].filter((c) => c.localName === e.localName);
        if (same.length > 1) s += `:nth-of-type(${same.indexOf(e) + 1})`;
      }
      parts.unshift(s);
    }
    return parts.join(' > ');
  };
  const clipped = (el) => {
    for (let e = el.parentElement; e && e !== document.body && e !== document.documentElement; e = e.parentElement) {
      const o = getComputedStyle(e).overflowX;
      if (o !== 'visible') return true;
    }
    return false;
  };
  const sticksOut = (el) => {
    const r = el.getBoundingClientRect();
    return (r.width > 0 || r.height > 0) && (r.right > vw + 0.5 || r.left < -0.5);
  };
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!sticksOut(el) || clipped(el)) continue;
    if (el.parentElement && el.parentElement !== document.body && sticksOut(el.parentElement)) continue;
    const r = el.getBoundingClientRect();
    culprits.push(`${cssPath(el)} (left ${Math.round(r.left)}, right ${Math.round(r.right)}, width ${Math.round(r.width)})`);
    if (culprits.length >= 5) break;
  }
  return { vw, sw, culprits };
}


/**
 * The passages whose first character is no sentence's usual start, checked
 * against the paragraph each links to, as the site's open data gives it
 * (`data/paragraphs.jsonl`): the passage must be in it and start it or
 * follow the end of a sentence. Its link names the paragraph as a page of
 * the site (`sources/x.html#p3`) or, in a one-file edition, as the part's
 * anchor (`#sources-x--p3`). A passage whose paragraph cannot be found is
 * judged as a bare passage would be.
 */
function passageStarts(run, passages) {
  const problems = [];
  for (const { text, href } of passages) {
    const paragraph = paragraphsOf(run).texts.get(paragraphKey(run, href));
    if (paragraph === undefined) {
      problems.push(`passage does not start a sentence: “${text.slice(0, 60)}”`);
      continue;
    }
    const whole = comparable(paragraph);
    const at = whole.indexOf(comparable(text.replace(/…$/, '')));
    if (at < 0) problems.push(`passage not found in its paragraph (${href.split('/').pop()}): “${text.slice(0, 60)}”`);
    else if (at > 0 && !/[.!?…:;»"”)]$/u.test(whole.slice(0, at))) {
      problems.push(`passage does not start a sentence of its paragraph: “${text.slice(0, 60)}”`);
    }
  }
  return problems;
}

/** A paragraph's key in paragraphsOf (its source's slug and its number),
 * from a link to it: a page of the site (`sources/x.html#p3`, or
 * `sources/x/2.html#p40` for a source on several pages) or a part of a
 * one-file edition (`dossier-2024.html#sources-x--p3`). */
function paragraphKey(run, href) {
  const url = new URL(href);
  const number = /(?:^#|--)p(\d+)$/.exec(url.hash)?.[1];
  if (!number) return undefined;
  const page = path.relative(run.dir, fileURLToPath(url));
  const { slugs } = paragraphsOf(run);
  let candidates;
  if (/^dossier(-[^/]*)?\.html$/.test(page)) {
    const anchor = url.hash.slice(1).replace(/--p\d+$/, '');
    const tails = [...anchor.matchAll(/-/g)].map((m) => anchor.slice(m.index + 1));
    candidates = tails.flatMap((tail) => [tail, tail.replace(/-\d+$/, '')]);
  } else {
    candidates = [path.basename(page, '.html'), path.basename(path.dirname(page))];
  }
  const slug = candidates.find((c) => slugs.has(c));
  return slug === undefined ? undefined : `${slug}#${number}`;
}

/** Text as the check compares it: without white space (the typography
 * adds no-break spaces) and with one kind of quote and apostrophe. */
function comparable(text) {
  return text.normalize('NFC').replace(/[\s\u00a0\u202f\u2009]+/gu, '').replace(/[’‘]/gu, "'").replace(/[“”«»„]/gu, '"');
}

/** Every paragraph of the site's open data (`data/paragraphs.jsonl`) by
 * its source's slug and its number, and the slugs; read once per site. */
function paragraphsOf(run) {
  if (run.paragraphs) return run.paragraphs;
  run.paragraphs = { texts: new Map(), slugs: new Set() };
  const file = path.join(run.dir, 'data', 'paragraphs.jsonl');
  if (!fs.existsSync(file)) return run.paragraphs;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const { source, paragraph, text } = JSON.parse(line);
    run.paragraphs.texts.set(`${source}#${paragraph}`, text);
    run.paragraphs.slugs.add(source);
  }
  return run.paragraphs;
}

// What a reader meets, checked on the page as rendered (issue 11): counts
// in the right plural, passages that are whole sentences, every anchor
// target highlighted, the annotation switch working. Each returns the
// problems found (readingInPage also the passages for passageStarts).
function readingInPage() {
  const problems = [];
  const lang = document.documentElement.lang;
  // Counts the engine writes: "1 événements", "0 passages" (fr), "1 events".
  const singular = lang === 'fr' ? /^[01]\s\p{L}+s\b/u : /^1\s\p{L}+s\b/u;
  const counted = document.querySelectorAll('.counts span, .overview-strip a[aria-label], .source-meta dd');
  for (const el of counted) {
    for (const part of (el.getAttribute('aria-label') || el.textContent).split(/[,:·]\s*/)) {
      if (singular.test(part.trim())) problems.push(`plural: “${part.trim()}”`);
    }
  }
  // A passage is a sentence: it starts as one (or with … where it is cut),
  // and holds its marked words. One that starts as no sentence usually
  // does (a capital, a figure, a quote) goes to the paragraph it links to
  // (see passageStarts): « a) Convey… » is how its paragraph starts.
  const passages = [];
  for (const q of document.querySelectorAll('.passage blockquote')) {
    const text = q.textContent.trim();
    const marks = [...q.querySelectorAll('mark')];
    if (!marks.length) problems.push(`passage without marked words: “${text.slice(0, 60)}”`);
    if (/^(…|[\p{Lu}\p{N}«"“—–¿¡(\[])/u.test(text)) continue;
    const link = q.closest('.passage')?.querySelector('a.para-link');
    if (link) passages.push({ text, href: link.href });
    else problems.push(`passage does not start a sentence: “${text.slice(0, 60)}”`);
  }
  // Text in a language written from right to left reads from the right
  // (an Arabic source in an English dossier), and the dossier's own words
  // inside it from the left again: the script its tag names, else its
  // language's (src/render/direction.rs has the same lists).
  const rtlScripts = new Set(['adlm', 'arab', 'hebr', 'mand', 'nkoo', 'rohg', 'samr', 'syrc', 'thaa']);
  const rtlLanguages = new Set(['ar', 'arc', 'azb', 'bal', 'bqi', 'ckb', 'dv', 'fa', 'glk', 'he', 'iw', 'ji', 'ks', 'lrc', 'mzn', 'nqo', 'pnb', 'prs', 'ps', 'sd', 'syr', 'ug', 'ur', 'yi']);
  const written = (tag) => {
    const [language, ...rest] = tag.toLowerCase().split(/[-_]/);
    const script = rest.find((s) => /^[a-z]{4}$/.test(s));
    return (script ? rtlScripts.has(script) : rtlLanguages.has(language)) ? 'rtl' : 'ltr';
  };
  for (const el of document.querySelectorAll('[lang]')) {
    const direction = getComputedStyle(el).direction;
    if (el.lang && direction !== written(el.lang)) problems.push(`<${el.localName} lang="${el.lang}"> reads ${direction}`);
  }
  // Whatever a link can point at is highlighted when it is the target.
  const targets = [...document.querySelectorAll('.event[id], .para[id], .figure[id], .side-note[id]')].slice(0, 60);
  for (const el of targets) {
    location.hash = el.id;
    const style = getComputedStyle(el);
    if (style.outlineStyle === 'none' && style.backgroundColor === getComputedStyle(el.parentElement).backgroundColor) {
      problems.push(`#${el.id} is not highlighted when targeted`);
    }
  }
  if (targets.length) history.replaceState(null, '', location.pathname);
  // Every citation block names the source (the page's title), the site and,
  // for a paragraph, its ¶.
  // (In a one-file edition, each source is a part with its own heading.)
  const site = (document.querySelector('.site-title') ?? document.querySelector('main h1'))?.textContent.trim();
  for (const c of document.querySelectorAll('.citation')) {
    const text = c.textContent.replace(/\s+/g, ' ');
    // A source that opens with its headline shows it as its title, with
    // the ¶1 link in front: that number is no part of the title.
    const heading = (c.closest('article.source') ?? document).querySelector('h1, h2');
    const words = heading ? [...heading.childNodes].filter((n) => !n.classList?.contains('pnum')) : [];
    const title = words.map((n) => n.textContent).join('').replace(/\s+/g, ' ').trim();
    const para = c.closest('.para-block')?.querySelector('.pnum')?.textContent.trim();
    const missing = [];
    if (title && !text.includes(title)) missing.push('the source title');
    if (site && !text.includes(site)) missing.push(`the dossier (${site})`);
    if (para && !text.includes(para)) missing.push(para);
    if (missing.length) problems.push(`a citation lacks ${missing.join(', ')}: “${text.slice(0, 80)}”`);
    // On the site's pages (the editions carry no script), cite.js adds a
    // copy button labelled with the words the page gives it once.
    const button = c.nextElementSibling;
    const edition = /\/dossier(-[^/]*)?\.html$/.test(location.pathname);
    if (!edition && c.closest('details.cite') && !(button?.matches('button.copy') && /^\p{L}/u.test(button.textContent))) {
      problems.push(`a citation has no labelled copy button: “${text.slice(0, 60)}”`);
    }
  }
  // The sector filter (with JavaScript) keeps only its sector's events.
  const chip = document.querySelector('#sector-filter [data-sector]');
  if (chip) {
    chip.click();
    const shown = [...document.querySelectorAll('main .event')].filter((e) => e.checkVisibility());
    const strays = shown.filter((e) => !e.querySelector(`.chips .${chip.dataset.sector}`));
    if (strays.length) problems.push(`the sector filter ${chip.dataset.sector} still shows ${strays.length} other events`);
    if (chip.getAttribute('aria-pressed') !== 'true') problems.push('the pressed sector chip does not say so (aria-pressed)');
    document.querySelector('#filter-reset')?.click();
    const hidden = [...document.querySelectorAll('main .event')].filter((e) => !e.checkVisibility()).length;
    if (hidden) problems.push(`${hidden} events stay hidden after “show all”`);
  }
  // The annotation layer is quiet until the switch shows it.
  const sw = document.querySelector('#show-annotations');
  const ann = document.querySelector('.source-text .ann');
  if (sw && ann) {
    const before = getComputedStyle(ann).borderBottomStyle;
    sw.click();
    const after = getComputedStyle(ann).borderBottomStyle;
    sw.click();
    if (before !== 'none' || after === 'none') problems.push(`the annotation switch does not work (border ${before} → ${after})`);
  }
  return { problems, passages };
}

// The overview chart fits the phone's width, every disc on screen.
function chartInPage() {
  const vw = window.innerWidth;
  const problems = [];
  for (const chart of document.querySelectorAll('.overview')) {
    const r = chart.getBoundingClientRect();
    if (r.right > vw + 0.5 || r.left < -0.5) problems.push(`the overview spans ${Math.round(r.left)}–${Math.round(r.right)} px of ${vw}`);
    for (const c of chart.querySelectorAll('circle')) {
      const b = c.getBoundingClientRect();
      if (b.right > vw + 0.5 || b.left < -0.5) {
        problems.push(`a disc of the overview is off screen (${Math.round(b.left)}–${Math.round(b.right)} px)`);
        break;
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------- the browser

const INIT_SCRIPT = `(() => {
  const seen = [];
  Object.defineProperty(window, '__e2eCsp', { value: seen });
  document.addEventListener('securitypolicyviolation', (e) => {
    seen.push({ directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber, sample: e.sample });
  }, true);
})();`;

let strayRequests = 0;
const isCspMessage = (text) => /^Refused to /.test(text) || /Content[- ]Security[- ]Policy/i.test(text);

/** Two contexts per browser (JavaScript on and off) whose every request is guarded. */
async function makeContexts(browser) {
  const guard = async (route) => {
    const req = route.request();
    const url = req.url();
    let page = null;
    try {
      page = req.frame().page();
    } catch {}
    const st = page && page.__e2e;
    const inside = st && st.run.pageOf(url) !== null;
    if (inside) return route.continue();
    if (st) {
      st.aborted.add(url);
      st.fail('network', `request to ${url} (${req.resourceType()}) outside the site's folder: aborted`);
    } else {
      console.error(`  [network] request to ${url} from no known page: aborted`);
      strayRequests++;
    }
    return route.abort('blockedbyclient');
  };
  const js = await browser.newContext({ viewport: WIDE, deviceScaleFactor: 1, serviceWorkers: 'block' });
  await js.addInitScript({ content: INIT_SCRIPT });
  await js.route('**/*', guard);
  const nojs = await browser.newContext({ viewport: WIDE, deviceScaleFactor: 1, javaScriptEnabled: false, serviceWorkers: 'block' });
  await nojs.route('**/*', guard);
  return { js, nojs };
}

/**
 * A browser tab that is reused from page to page (a new tab per page costs
 * more than the page): its listeners turn every problem into a failure of
 * the page it is showing now.
 */
class Tab {
  constructor(context, label) {
    this.context = context;
    this.label = label;
    this.p = null;
  }
  async ensure() {
    if (this.p && !this.p.isClosed() && !this.crashed) return this.p;
    this.crashed = false;
    const p = await this.context.newPage();
    p.setDefaultTimeout(30_000);
    p.__e2e = null;
    const st = () => p.__e2e;
    p.on('console', (m) => {
      if ((m.type() !== 'error' && m.type() !== 'assert') || !st()) return;
      const text = m.text();
      const at = m.location()?.url;
      if (at && st().aborted.has(at)) return; // reported by the network guard
      if (isCspMessage(text)) st().fail('csp', `console: ${text}`);
      else st().fail('console', `console.error: ${text}${at ? ` (${at})` : ''}`);
    });
    p.on('pageerror', (e) => st()?.fail('console', `uncaught exception: ${e.message}`));
    p.on('crash', () => {
      this.crashed = true;
      st()?.fail('console', 'the page crashed');
    });
    p.on('requestfailed', (r) => {
      if (!st() || st().aborted.has(r.url())) return;
      const why = r.failure()?.errorText || '?';
      if (why === 'csp' || /BLOCKED_BY_CSP/i.test(why)) st().fail('csp', `request to ${r.url()} blocked by the Content-Security-Policy`);
      else st().fail('console', `request failed: ${r.url()} (${why})`);
    });
    this.p = p;
    return p;
  }
  /** Shows one page of a run; every problem from now on is that page's. */
  async open(run, page, viewport = WIDE, { quiet = false } = {}) {
    const p = await this.ensure();
    const label = this.label;
    const st = {
      run,
      aborted: new Set(),
      // quiet: a second look at a page the checks have already judged.
      fail: quiet ? () => {} : (check, message) => run.fail(check, page, label ? `${message} [${label}]` : message),
    };
    await p.setViewportSize(viewport);
    p.__e2e = st;
    const ok = await p.goto(run.url(page), { waitUntil: 'load' }).then(
      () => true,
      (e) => {
        st.fail('console', `could not load: ${e.message.split('\n')[0]}`);
        return false;
      },
    );
    return { p, st, ok };
  }
  /** Leaves the page, so that nothing it does later is blamed on the next one. */
  async leave() {
    if (!this.p || this.p.isClosed() || this.crashed) return;
    await this.p.goto('about:blank').catch(() => {});
    this.p.__e2e = null;
  }
  async close() {
    if (this.p && !this.p.isClosed()) await this.p.close().catch(() => {});
  }
}

async function settle(p) {
  // Lets violation reports and late console messages arrive.
  await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 30)))).catch(() => {});
}

async function checkPage(tabs, run, page, axeSource) {
  // ---- JavaScript on, 1280 px: CSP, console, axe; then 360 px: overflow
  const { p, st, ok } = await tabs.js.open(run, page);
  let info = null;
  try {
    if (ok) {
      await settle(p);
      info = await p.evaluate(collectInPage);
      run.info.set(page, info);

      run.checked.csp++;
      const strict = info.csp.some((c) => /(^|;)\s*default-src\s+'none'\s*(;|$)/i.test(c));
      if (!strict) {
        st.fail('csp', info.csp.length
          ? `the Content-Security-Policy meta does not say default-src 'none': ${info.csp.join(' | ')}`
          : 'no <meta http-equiv=Content-Security-Policy> in the page');
      }

      run.checked.axe++;
      await p.evaluate(axeSource);
      const axe = await p.evaluate(
        (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'], preload: false }),
        AXE_TAGS,
      );
      for (const v of axe.violations) {
        const targets = v.nodes.map((n) => n.target.join(' '));
        const shown = targets.slice(0, 8).join(' ; ') + (targets.length > 8 ? ` ; … ${targets.length - 8} more` : '');
        const summary = v.nodes[0]?.failureSummary?.split('\n').slice(1, 2).join(' ').trim();
        st.fail('axe', `${v.id} (${v.impact}): ${v.help} — ${shown}${summary ? ` — e.g. ${summary}` : ''}`);
      }
      // Contrast again in dark mode: sector colours have a dark variant.
      await p.emulateMedia({ colorScheme: 'dark' });
      const dark = await p.evaluate(
        () => window.axe.run(document, { runOnly: { type: 'rule', values: ['color-contrast'] }, resultTypes: ['violations'], preload: false }),
      );
      for (const v of dark.violations) {
        st.fail('axe', `dark mode: ${v.id}: ${v.help} — ${v.nodes.slice(0, 8).map((n) => n.target.join(' ')).join(' ; ')}`);
      }
      // In print: no navigation, no search box, nor the skip link.
      await p.emulateMedia({ colorScheme: 'light', media: 'print' });
      const printed = await p.evaluate(() => [...document.querySelectorAll('nav, .skip, form[role=search]')]
        .filter((el) => !el.closest('main') && getComputedStyle(el).display !== 'none').map((el) => el.localName));
      if (printed.length) st.fail('axe', `print: the page prints its ${printed.join(', ')}`);
      await p.emulateMedia({ media: 'screen' });

      run.checked.reading++;
      const reading = await p.evaluate(readingInPage);
      for (const problem of [...reading.problems, ...passageStarts(run, reading.passages)]) st.fail('reading', problem);

      run.checked.overflow++;
      await p.setViewportSize(NARROW);
      for (const problem of await p.evaluate(chartInPage)) st.fail('reading', problem);
      const o = await p.evaluate(overflowInPage);
      if (o.sw > o.vw) {
        st.fail('overflow', `at ${o.vw} px, scrollWidth is ${o.sw} px; sticking out: ${o.culprits.join(' ; ') || '(no single element found)'}`);
      }
      await settle(p);
      const csp = await p.evaluate(() => window.__e2eCsp || []).catch(() => []);
      for (const v of csp) {
        st.fail('csp', `securitypolicyviolation: ${v.directive} blocked ${v.blocked}${v.sample ? ` (“${v.sample}”)` : ''}`);
      }
      run.checked.console++;
      run.checked.network++;
    }
  } finally {
    await tabs.js.leave();
  }
  if (!info) return;

  // ---- JavaScript off: the same text in <main>
  const off = await tabs.nojs.open(run, page);
  try {
    if (off.ok) {
      run.checked.nojs++;
      await off.p.waitForTimeout(30);
      const [text, nojsOnly] = await off.p.evaluate(() => {
        const contentText = (root) => {
          let text = root.innerText;
          for (const el of root.querySelectorAll('[data-js-only], [data-nojs-only]')) {
            const own = el.innerText;
            if (own) text = text.replace(own, '');
          }
          return text.replace(/\s+/g, ' ').trim();
        };
        const main = document.querySelector('main');
        const only = main ? [...main.querySelectorAll('[data-nojs-only]')] : [];
        const shown = (el) => el.checkVisibility() && !!el.innerText.trim();
        return [main ? contentText(main) : null, only.map((el) => ({ shown: shown(el), links: el.querySelectorAll('a[href]').length }))];
      });
      if (info.nojsOnlyShown) st.fail('nojs', 'a [data-nojs-only] element shows while JavaScript is on');
      for (const el of nojsOnly) {
        if (!el.shown || !el.links) st.fail('nojs', 'a [data-nojs-only] element must show, with links to the content, when JavaScript is off');
      }
      if (info.mainCount !== 1) st.fail('nojs', `${info.mainCount} <main> elements (expected exactly one)`);
      if (!info.mainText || !info.mainText.trim()) st.fail('nojs', '<main> is missing or has no text');
      else if (text !== info.mainText) st.fail('nojs', `<main> text differs with JavaScript off: ${firstDifference(info.mainText, text ?? '')}`);
    }
  } finally {
    await tabs.nojs.leave();
  }
}

function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const show = (s) => JSON.stringify(s.slice(Math.max(0, i - 30), i + 50));
  return `at character ${i}: JS on ${show(a)}, JS off ${show(b)} (lengths ${a.length} and ${b.length})`;
}

async function pool(items, n, fn) {
  let next = 0;
  const worker = async (w) => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item, w);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, (_, w) => worker(w)));
}

// ---------------------------------------------------------------- links

/** Ids of a page of the run: from the checks, or loaded once (JS off) when not checked. */
async function idsOf(ctx, run, page) {
  if (run.info.has(page)) return new Set(run.info.get(page).ids);
  run.extraIds ??= new Map();
  if (!run.extraIds.has(page)) {
    const tab = ctx.idsTab;
    let ids = [];
    try {
      const { p, ok } = await tab.open(run, page, WIDE, { quiet: true });
      if (ok) ids = await p.evaluate(() => [...document.querySelectorAll('[id]')].map((e) => e.id).concat([...document.querySelectorAll('a[name]')].map((a) => a.getAttribute('name'))));
    } catch (e) {
      // A page that cannot be read is that page's failure, named, not the
      // end of the whole run.
      run.fail('links', page, `could not read the ids of this page (a link's target): ${e.message.split('\n')[0]}`);
      await tab.close();
    } finally {
      await tab.leave();
    }
    run.extraIds.set(page, new Set(ids));
  }
  return run.extraIds.get(page);
}

async function checkLinks(ctx, run) {
  for (const [page, info] of run.info) {
    run.checked.links++;
    for (const l of info.links) {
      const what = `<${l.tag}${l.rel ? ` rel=${l.rel}` : ''} href="${l.raw}"> (${l.sel})`;
      if (!l.abs) {
        run.fail('links', page, `${what}: not a URL`);
        continue;
      }
      const u = new URL(l.abs);
      if (u.protocol === 'http:' || u.protocol === 'https:') {
        // rel=canonical names the page's published address, loading nothing.
        if (l.tag !== 'a' && l.rel !== 'canonical') run.fail('links', page, `${what}: an external URL on <${l.tag}>; only <a> (and rel=canonical) may point outside the site`);
        continue;
      }
      if (u.protocol === 'mailto:' || u.protocol === 'tel:') {
        if (l.tag !== 'a') run.fail('links', page, `${what}: ${u.protocol} only on <a>`);
        continue;
      }
      if (u.protocol !== 'file:') {
        run.fail('links', page, `${what}: ${u.protocol} URLs are not allowed`);
        continue;
      }
      const target = run.pageOf(u.href);
      if (target === null) {
        run.fail('links', page, `${what}: points outside the site's folder`);
        continue;
      }
      if (u.search) run.fail('links', page, `${what}: a query string does not work from file://`);
      const file = path.join(run.dir, target);
      let stat = null;
      try {
        stat = fs.statSync(file);
      } catch {}
      if (!stat) {
        run.fail('links', page, `${what}: no file ${target}`);
        continue;
      }
      if (!stat.isFile()) {
        run.fail('links', page, `${what}: ${target || '.'} is a folder; from file:// a link must name a file`);
        continue;
      }
      if (u.hash && u.hash !== '#') {
        let id;
        try {
          id = decodeURIComponent(u.hash.slice(1));
        } catch {
          run.fail('links', page, `${what}: bad fragment encoding`);
          continue;
        }
        if (!target.endsWith('.html')) {
          run.fail('links', page, `${what}: a #fragment on a file that is not a page`);
          continue;
        }
        const ids = await idsOf(ctx, run, target);
        if (!ids.has(id)) run.fail('links', page, `${what}: no element with id "${id}" in ${target}`);
      }
    }
  }
}

// ---------------------------------------------------------------- screenshots

/** Home, a sector, the chronology and a source, found from the home page's links. */
function pickScreenshotPages(run) {
  const home = run.info.get('index.html');
  const picks = { home: home ? 'index.html' : null, sector: null, chronology: null, source: null };
  if (!home) return picks;
  const rel = (href) => run.pageOf(href);
  const navPages = [...new Set(home.navHrefs.map(rel).filter(Boolean))];
  // The sector pages: linked from the home page by a link in sec-<slug>
  // colours that points to <slug>.html.
  picks.sector = home.sectorHrefs.map(rel).find((p) => p && run.info.has(p)) ?? null;
  for (const nav of navPages) {
    const info = run.info.get(nav);
    if (!info) continue;
    const folder = nav.replace(/\.html$/, '/');
    const linked = info.links.map((l) => l.abs && rel(l.abs.split('#')[0]));
    // A sampled site checks only some of a section's pages: those count too.
    const checked = run.pages.filter((p) => p.startsWith(folder));
    const children = [...new Set([...linked, ...checked].filter((p) => p && p.startsWith(folder)))];
    // The chronology: the section whose index has year sections (#y2024).
    if (!picks.chronology && info.ids.some((id) => /^y\d{4}$/.test(id))) picks.chronology = nav;
    // The sources: the section whose pages carry numbered paragraphs, #p1.
    if (!picks.source) picks.source = children.find((c) => run.info.get(c)?.ids.includes('p1')) ?? null;
  }
  // A large dossier's lists are split: a period of a sector (a page two
  // folders down), shown too when there is one,
  // and a long source's next page (its paragraphs have ids p1, p2…).
  const deep = run.pages.filter((p) => p.split('/').length === 3 && run.info.has(p));
  const isSourcePage = (p) => run.info.get(p).ids.some((id) => /^p\d+$/.test(id));
  // Else a year of the chronology, the middle one: where a dossier of
  // decades shows its year menu with gaps on both sides.
  const years = picks.chronology
    ? run.pages.filter((p) => p.startsWith(picks.chronology.replace(/\.html$/, '/')) && /\/\d{4}\.html$/.test(p)).sort()
    : [];
  const period = deep.find((p) => !isSourcePage(p)) ?? years[Math.floor(years.length / 2)];
  if (period) picks.period = period;
  const sourcePage = deep.find(isSourcePage);
  if (sourcePage) picks['source-page'] = sourcePage;
  // An actor: the pages with a list of mentions or statements.
  picks.actor = run.pages.find((p) => ['mentions', 'statements'].some((id) => run.info.get(p)?.ids.includes(id))) ?? null;
  return picks;
}

async function screenshots(ctx, run) {
  const picks = pickScreenshotPages(run);
  const saved = [];
  for (const [kind, page] of Object.entries(picks)) {
    if (!page) {
      run.fail('screenshots', '(site)', `could not find the ${kind} page from the home page's navigation`);
      continue;
    }
    for (const size of [NARROW, WIDE]) {
      try {
        const { p, ok } = await ctx.shotTab.open(run, page, size, { quiet: true });
        if (!ok) continue;
        const file = path.join(ARTIFACTS, `${run.id}-${kind}-${size.width}.png`);
        await p.screenshot({ path: file, fullPage: true });
        saved.push(path.relative(process.cwd(), file) || file);
        if (kind === 'source' && size === WIDE) {
          // The source as printed: no link paths, the text first.
          await p.emulateMedia({ media: 'print' });
          const printed = path.join(ARTIFACTS, `${run.id}-${kind}-print.png`);
          await p.screenshot({ path: printed, fullPage: true });
          await p.emulateMedia({ media: 'screen' });
          saved.push(path.relative(process.cwd(), printed) || printed);
        }
      } catch (e) {
        run.fail('screenshots', page, `could not take the ${kind} screenshot at ${size.width} px: ${e.message.split('\n')[0]}`);
        await ctx.shotTab.close();
      } finally {
        await ctx.shotTab.leave();
      }
    }
  }
  return { picks, saved };
}

// ---------------------------------------------------------------- the self-test

// Each tampering breaks a copy of one page in one way; `check` must fail on
// that copy with a message matching `match`, and must not on the untouched
// control copy. Where the strict CSP would stop a tampering before the check
// it is meant for could see it (an inline script, a stylesheet from
// elsewhere, an image), the tampered copy also widens its own policy, as a
// theme that meant to do so would: each check is proven on its own.
const TAMPERINGS = [
  {
    name: 'wrong-plural',
    what: 'a count in the wrong plural, “1 événements”',
    check: 'reading',
    match: /plural: “1 événements”/,
    body: '<p class="counts"><span>1 événements</span></p>',
  },
  {
    name: 'incomplete-citation',
    what: 'a « cite this » block without the dossier or the ¶',
    check: 'reading',
    match: /a citation lacks .*¶99/,
    body: '<div class="para-block"><p id="p99" class="para"><a class="pnum" href="#p99">¶99</a>x</p><details class="cite" open><summary>Citer</summary><p class="citation">Quelqu’un, « Autre chose »</p></details></div>',
  },
  {
    name: 'bare-passage',
    what: 'a passage that is the annotated words alone, not their sentence',
    check: 'reading',
    match: /does not start a sentence: “énergie”/,
    body: '<ul class="passages"><li class="passage"><blockquote><p><mark>énergie</mark></p></blockquote></li></ul>',
  },
  {
    name: 'mid-sentence-passage',
    what: 'a passage that starts in the middle of a sentence of the paragraph it links to',
    check: 'reading',
    match: /does not start a sentence of its paragraph: “been Estmark/,
    body: '<ul class="passages"><li class="passage"><blockquote><p><mark>been</mark> Estmark’s Minister of Health since 2021.</p></blockquote><p class="passage-cite"><a class="para-link" href="sources/interview-tavi-rennik.html#p1">¶1</a></p></li></ul>',
  },

  {
    name: 'img-alt',
    what: 'an <img> without alt text (a data: GIF, allowed by img-src data:)',
    check: 'axe',
    match: /image-alt/,
    also: [{ check: 'vnu', match: /alt/ }],
    body: '<p><img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==" width=40 height=40></p>',
    csp: { 'img-src': ['data:'] },
  },
  {
    name: 'missing-anchor',
    what: 'a link to a missing #anchor',
    check: 'links',
    match: /e2e-no-such-anchor/,
    body: '<p><a href="#e2e-no-such-anchor">nowhere</a></p>',
  },
  {
    name: 'external-stylesheet',
    what: 'an external stylesheet <link rel=stylesheet href="https://example.org/x.css">, the CSP untouched',
    check: 'csp',
    match: /example\.org/,
    also: [{ check: 'links', match: /example\.org/ }],
    head: '<link rel=stylesheet href="https://example.org/x.css">',
  },
  {
    name: 'external-stylesheet-allowed',
    what: 'the same external stylesheet, allowed by the page\'s CSP: only the network guard stands',
    check: 'network',
    match: /example\.org/,
    head: '<link rel=stylesheet href="https://example.org/x.css">',
    csp: { 'style-src': ['https://example.org'] },
  },
  {
    name: 'console-error',
    what: 'an inline script calling console.error, allowed by its sha256 in script-src',
    check: 'console',
    match: /e2e self-test: console error/,
    body: '<script>console.error("e2e self-test: console error")</script>',
    hashScript: true,
  },
  {
    name: 'script-only-text',
    what: 'text that only a script puts in <main> (allowed by its sha256)',
    check: 'nojs',
    match: /differs/,
    body: '<script>document.querySelector("main").append("e2e: only with JavaScript")</script>',
    hashScript: true,
  },
  {
    name: 'overflow',
    what: 'an element 2000 px wide (a class from a <style> allowed by its sha256)',
    check: 'overflow',
    match: /e2e-wide/,
    head: '<style>.e2e-wide{width:2000px}</style>',
    hashStyle: true,
    body: '<div class=e2e-wide>wide</div>',
  },
];

const sha256 = (s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

function widenCsp(html, add) {
  return html.replace(/(<meta\b[^>]*?content=")([^"]*)("[^>]*http-equiv="?Content-Security-Policy"?[^>]*>)/i, (_, a, policy, b) => {
    const directives = policy.split(';').map((d) => d.trim()).filter(Boolean);
    for (const [name, sources] of Object.entries(add)) {
      const i = directives.findIndex((d) => d.split(/\s+/)[0].toLowerCase() === name);
      if (i >= 0) directives[i] += ' ' + sources.join(' ');
      else directives.push(`${name} ${sources.join(' ')}`);
    }
    return a + directives.join('; ') + b;
  });
}

function tamper(html, t) {
  const add = { ...(t.csp || {}) };
  const scripts = [...(t.body || '').matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  const styles = [...(t.head || '').matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
  if (t.hashScript) add['script-src'] = [...(add['script-src'] || []), ...scripts.map(sha256)];
  if (t.hashStyle) add['style-src'] = [...(add['style-src'] || []), ...styles.map(sha256)];
  let out = widenCsp(html, add);
  if (t.head) {
    if (!/<title>/.test(out)) throw new Fatal('self-test: no <title> in the base page to insert before');
    out = out.replace('<title>', `${t.head}<title>`);
  }
  if (t.body) {
    if (!/<main\b[^>]*>/.test(out)) throw new Fatal('self-test: no <main> in the base page');
    out = out.replace(/<main\b[^>]*>/, (m) => m + t.body);
  }
  if (out === html) throw new Fatal(`self-test: tampering ${t.name} changed nothing`);
  return out;
}

/** A copy of a built site with one tampered copy of its home page per tampering, and an untouched control. */
function prepareSelfTest(builtDir, tmp) {
  const dir = path.join(tmp, 'self-test');
  fs.cpSync(builtDir, dir, { recursive: true });
  const base = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  const pages = ['e2e-control.html'];
  fs.writeFileSync(path.join(dir, 'e2e-control.html'), base);
  for (const t of TAMPERINGS) {
    const page = `e2e-${t.name}.html`;
    fs.writeFileSync(path.join(dir, page), tamper(base, t));
    pages.push(page);
  }
  return new Run('self-test', 'self-test (tampered copies of en-harbor\'s index.html)', dir, pages);
}

function judgeSelfTest(run) {
  const of = (page, check) => run.failures.filter((f) => f.page === page && f.check === check);
  const control = new Set(run.failures.filter((f) => f.page === 'e2e-control.html').map((f) => f.check));
  let passed = 0;
  let failed = 0;
  console.log(`\n== Self-test: each tampering must turn its check red (${run.dir})`);
  if (control.size) console.log(`  the untouched control copy already fails: ${[...control].join(', ')} (the real failures of the base page)`);
  for (const t of TAMPERINGS) {
    const page = `e2e-${t.name}.html`;
    const expectations = [{ check: t.check, match: t.match }, ...(t.also || [])];
    const results = expectations.map((e) => {
      const hit = of(page, e.check).find((f) => e.match.test(f.message));
      const inControl = of('e2e-control.html', e.check).some((f) => e.match.test(f.message));
      return { ...e, hit, ok: !!hit && !inControl };
    });
    const ok = results.every((r) => r.ok);
    const others = [...new Set(run.failures.filter((f) => f.page === page && !control.has(f.check) && !expectations.some((e) => e.check === f.check)).map((f) => f.check))];
    ok ? passed++ : failed++;
    console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${t.name}: ${t.what}`);
    for (const r of results) {
      console.log(`       ${r.ok ? 'caught by' : 'NOT caught by'} ${r.check}${r.hit ? `: ${clip(r.hit.message, 200)}` : ''}`);
    }
    if (others.length) console.log(`       also caught by: ${others.join(', ')}`);
  }
  return { passed, failed };
}

// ---------------------------------------------------------------- reporting

const clip = (s, n) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

function printFailures(run) {
  if (!run.failures.length) return;
  console.log(`\n== Failures: ${run.label} (${run.dir})`);
  const byPage = new Map();
  for (const f of run.failures) {
    if (!byPage.has(f.page)) byPage.set(f.page, []);
    byPage.get(f.page).push(f);
  }
  for (const [page, fs_] of [...byPage].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    console.log(`  ${page}`);
    for (const f of fs_.sort((a, b) => CHECKS.indexOf(a.check) - CHECKS.indexOf(b.check))) {
      console.log(`    [${f.check}] ${clip(f.message, 1200)}`);
    }
  }
}

function summarise(runs) {
  console.log('\n== Summary (pages passing / pages checked, per check)');
  const head = ['site'.padEnd(14), 'pages', ...CHECKS.map((c) => c.padStart(9))].join(' ');
  console.log('  ' + head);
  let passed = 0;
  let failed = 0;
  for (const run of runs) {
    const cells = CHECKS.map((c) => {
      const bad = new Set(run.failures.filter((f) => f.check === c).map((f) => f.page)).size;
      const n = run.checked[c];
      const missed = run.pages.length - n; // pages a check never got to (a page that did not load)
      passed += n - bad;
      failed += bad + missed;
      return `${n - bad}/${run.pages.length}`.padStart(9);
    });
    const extra = run.failures.filter((f) => !CHECKS.includes(f.check));
    failed += extra.length;
    console.log('  ' + [run.id.padEnd(14), String(run.pages.length).padStart(5), ...cells].join(' '));
    for (const f of extra) console.log(`  ${run.id}: [${f.check}] ${f.message}`);
  }
  return { passed, failed };
}

// ---------------------------------------------------------------- main

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-e2e-'));
  let browser = null;
  try {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const axeSource = fs.readFileSync(path.join(HERE, 'node_modules/axe-core/axe.min.js'), 'utf8');
    vnuJar();
    if (!fs.existsSync(CHROMIUM)) throw new Fatal(`no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`);

    console.log('== Building the sites');
    const bin = dossierBinary();
    console.log(`  binary: ${bin} (${secs()})`);
    const built = {};
    const checked = (site) => RUN_SITES && (!ONLY_SITES || ONLY_SITES.has(site.id));
    for (const site of SITES) {
      if (!checked(site) && !(RUN_SELF_TEST && site.id === 'en-harbor')) continue;
      built[site.id] = path.join(tmp, site.id);
      buildSite(bin, site, built[site.id]);
    }
    const runs = SITES.filter(checked).map((s) => {
      const all = htmlFiles(built[s.id]);
      const sampled = s.sample ? samplePages(all) : all;
      const pages = sampled.filter((p) => !s.maxBytes || fs.statSync(path.join(built[s.id], p)).size <= s.maxBytes);
      const run = new Run(s.id, s.label, built[s.id], pages);
      run.leftOut = sampled.filter((p) => !pages.includes(p));
      if (run.leftOut.length) console.log(`  ${s.id}: left out, over ${s.maxBytes} bytes: ${run.leftOut.join(', ')}`);
      return run;
    });
    const selfTest = RUN_SELF_TEST ? prepareSelfTest(built['en-harbor'], tmp) : null;
    const all = selfTest ? [...runs, selfTest] : runs;

    // One java process for every page of every run, while the browser works.
    const files = all.flatMap((r) => r.pages.map((p) => path.join(r.dir, p)));
    const vnu = startVnu(files);
    vnu.catch(() => {});

    const launchStart = Date.now();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    console.log(`== Chromium ${browser.version()}, axe-core ${JSON.parse(fs.readFileSync(path.join(HERE, 'node_modules/axe-core/package.json'), 'utf8')).version}, ${CONCURRENCY} pages at a time (launched in ${((Date.now() - launchStart) / 1000).toFixed(1)} s)`);
    const contexts = await makeContexts(browser);
    const ctx = {
      workers: Array.from({ length: CONCURRENCY }, () => ({ js: new Tab(contexts.js, ''), nojs: new Tab(contexts.nojs, 'JavaScript off') })),
      idsTab: new Tab(contexts.nojs, ''),
      shotTab: new Tab(contexts.js, ''),
    };
    for (const run of all) {
      const start = Date.now();
      await pool(run.pages, CONCURRENCY, async (page, worker) => {
        try {
          await checkPage(ctx.workers[worker], run, page, axeSource);
        } catch (e) {
          run.fail('suite', page, `the suite could not check this page: ${e.message.split('\n')[0]}`);
          await ctx.workers[worker].js.close();
          await ctx.workers[worker].nojs.close();
        }
      });
      await checkLinks(ctx, run);
      let shots = '';
      if (run !== selfTest) {
        const { picks, saved } = await screenshots(ctx, run);
        shots = `; screenshots of ${Object.entries(picks).map(([k, v]) => `${k}=${v ?? '?'}`).join(', ')}`;
        run.screenshots = saved;
      }
      console.log(`  ${run.id}: ${run.pages.length} pages in ${((Date.now() - start) / 1000).toFixed(1)} s${shots}`);
    }
    await browser.close();
    browser = null;

    const vnuStart = Date.now();
    applyVnu(all, await vnu);
    console.log(`  vnu: ${files.length} pages (waited ${((Date.now() - vnuStart) / 1000).toFixed(1)} s after the browser)`);

    for (const run of runs) printFailures(run);
    const totals = runs.length ? summarise(runs) : { passed: 0, failed: 0 };
    if (runs.length) console.log(`  screenshots in ${ARTIFACTS}`);

    let self = { passed: 0, failed: 0 };
    if (selfTest) self = judgeSelfTest(selfTest);

    const report = {
      runs: all.map((r) => ({ id: r.id, dir: r.dir, pages: r.pages.length, checked: r.checked, failures: r.failures, screenshots: r.screenshots, leftOut: r.leftOut ?? [] })),
      selfTest: self,
    };
    fs.writeFileSync(path.join(ARTIFACTS, 'report.json'), JSON.stringify(report, null, 2) + '\n');

    const passed = totals.passed + self.passed;
    const failed = totals.failed + self.failed + strayRequests;
    console.log(`\n  ${runs.length ? `sites: ${totals.failed} page checks failed of ${totals.passed + totals.failed}; ` : ''}${selfTest ? `self-test: ${self.passed} of ${TAMPERINGS.length} tamperings caught; ` : ''}${secs()}`);
    console.log(`e2e: ${passed} passed, ${failed} failed`);
    return failed ? 1 : 0;
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (KEEP) console.log(`  kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Fatal ? `e2e: ${e.message}` : e);
    process.exit(2);
  },
);
