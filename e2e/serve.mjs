// `dossier serve` in Chromium: a page open in the browser reloads by itself
// after an edit, a broken edit shows its error over the page (the last good
// build still shown), fixing it reloads again, an error found after the open
// page was shown with the edit takes that page back (the tab reloads into the
// last good build, under the error), a first build that fails says there is
// no site yet, and nothing on the way breaks the page's
// Content-Security-Policy (the reload script is allowed by its hash, its
// requests by connect-src 'self').
//
// It also measures how long an edit takes to show: from the file written to
// the new text in the page (serve's 50 ms of quiet, the full rebuild, the
// reload), on the English fixture and, with --corpus N, on N generated
// sources.
//
// Usage: node e2e/serve.mjs [--corpus N] (DOSSIER_BIN as for run.mjs).
// Exit 1 on any failure, 2 if it could not run.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const target = path.resolve(repo, process.env.CARGO_TARGET_DIR || 'target');
const bin = process.env.DOSSIER_BIN || path.join(target, 'release/dossier');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const corpusArg = process.argv.indexOf('--corpus');
const CORPUS = corpusArg > 0 ? Number(process.argv[corpusArg + 1]) : 0;
const failures = [];
let passed = 0;

function check(name, ok, detail = '') {
  if (ok) { passed++; console.log(`ok  ${name}`); } else { failures.push(name); console.log(`FAIL ${name}${detail ? `: ${detail}` : ''}`); }
}

/** Starts `dossier serve root`; resolves with its URL and the process. */
function serve(root, tmp) {
  const child = spawn(bin, ['serve', root], { env: { ...process.env, TMPDIR: tmp, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.on('data', () => {});
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error('serve printed no address in 120 s')), 120_000);
    const builds = [];
    lines.on('line', (line) => {
      const built = line.match(/ in (\d+\.\d+) s$/);
      if (built) builds.push(Math.round(Number(built[1]) * 1000));
      const m = line.match(/^serving (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) { clearTimeout(timer); resolve({ url: m[1], child, builds }); }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
}

function edit(file, from, to) {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no «${from}»`);
  fs.writeFileSync(file, text.replace(from, to));
}

/** Breaks the actor pages' template in the dossier's own theme: an error
 * only the whole site finds, as no actor page is open. Not watched (the
 * fixture has no themes/ when serve starts): the next edit builds it. The
 * template loops a while before its error, so that the tab has reloaded
 * into the page shown first (the failed build's) when the failure comes;
 * what must hold after it holds either way. */
function breakActorTemplate(root) {
  const template = fs.readFileSync(path.join(repo, 'themes/default/templates/actor.html'), 'utf8');
  const folder = path.join(root, 'themes/default/templates');
  const slowly = '{% for i in range(end=100000) %}{% for j in range(end=40) %}{% endfor %}{% endfor %}';
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'actor.html'), template.replace('{% block content %}', `{% block content %}${slowly}{{ no_such_value }}`));
  return () => fs.rmSync(path.join(root, 'themes'), { recursive: true });
}

/** Records the <h1> of every page loaded in `page`'s tab, reloads included. */
async function recordHeadings(page) {
  await page.addInitScript(() => addEventListener('DOMContentLoaded', () => {
    const loaded = JSON.parse(sessionStorage.getItem('headings') || '[]');
    loaded.push((document.querySelector('h1')?.textContent || '').replace(/\s+/g, ' ').trim());
    sessionStorage.setItem('headings', JSON.stringify(loaded));
  }));
}

/** The text of the page's <h1>, white space normalised. */
async function heading(page) {
  return (await page.textContent('h1')).replace(/\s+/g, ' ');
}

/** Opens `page` of the served site, recording CSP violations and errors. */
async function open(browser, url) {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP: ${e.violatedDirective} blocked ${e.blockedURI}`));
  });
  await page.goto(url);
  return { page, problems };
}

/** ms from writing the file to `text` in the page's <h1> or <main>. */
async function timeEdit(page, file, from, to, selector) {
  const started = Date.now();
  edit(file, from, to);
  const text = to.replace(/^title: /, '');
  // White space normalised: the typography pass may put a no-break space before a number.
  await page.waitForFunction(([sel, t]) => document.querySelector(sel)?.textContent.replace(/\s+/g, ' ').includes(t), [selector, text], { timeout: 120_000, polling: 10 });
  return Date.now() - started;
}

async function fixtureRun(browser, tmp) {
  const root = path.join(tmp, 'en-harbor');
  fs.cpSync(path.join(repo, 'tests/fixtures/en-harbor'), root, { recursive: true });
  const { url, child, builds } = await serve(root, tmp);
  try {
    const { page, problems } = await open(browser, `${url}sectors/water.html`);
    check('the page is served', (await heading(page)) === 'Water');
    const water = path.join(root, 'content/sectors/water.md');
    const times = [];
    for (let i = 1; i <= 5; i++) {
      const from = i === 1 ? 'title: Water' : `title: Water ${i - 1}`;
      times.push(await timeEdit(page, water, from, `title: Water ${i}`, 'h1'));
    }
    check('an edit reloads the open page', (await heading(page)) === 'Water 5');
    console.log(`    edit to page, en-harbor: ${times.join(', ')} ms (of which the rebuilds: ${builds.slice(-5).join(', ')} ms)`);

    edit(water, 'color: "#287ab7"', 'color: "#zzz"');
    await page.waitForSelector('#dossier-serve-error', { timeout: 60_000 });
    const overlay = await page.textContent('#dossier-serve-error');
    check('a failed build shows over the page', overlay.includes('content/sectors/water.md'), overlay);
    check('the last good build stays', (await heading(page)) === 'Water 5');
    const fresh = await open(browser, `${url}sectors/water.html`);
    await fresh.page.waitForSelector('#dossier-serve-error', { timeout: 30_000 });
    check('a page opened after the failure shows it too', true);
    edit(water, 'color: "#zzz"', 'color: "#287ab7"');
    await page.waitForFunction(() => !document.querySelector('#dossier-serve-error'), null, { timeout: 60_000 });
    check('fixing it reloads the page without the error', (await heading(page)) === 'Water 5');
    await errorAfterTheOpenPageWasShown(page, root, water);
    const violations = [...problems, ...fresh.problems].filter((p) => !p.includes('503'));
    check('no CSP violation or console error', violations.length === 0, violations.join('; '));
  } finally {
    child.kill();
  }
}

/** Issue 12: the open page is shown first with an edit whose whole site then
 * fails. That page was the failed build's: the tab must reload into the last
 * good build before the overlay says "this is the last good build". */
async function errorAfterTheOpenPageWasShown(page, root, water) {
  await recordHeadings(page);
  const repair = breakActorTemplate(root);
  edit(water, 'title: Water 5', 'title: Water 6');
  const overlay = page.locator('#dossier-serve-error');
  await overlay.waitFor({ timeout: 60_000 });
  const told = await overlay.textContent();
  check('an error found after the open page was shown reaches it', told.includes('actor.html'), told);
  check('the overlay says it is over the last good build', told.startsWith('dossier serve: the build failed; this is the last good build.'), told);
  const under = await heading(page);
  check('and the page under it is the last good build, not the failed one', under === 'Water 5', under);
  const loaded = JSON.parse(await page.evaluate(() => sessionStorage.getItem('headings') || '[]'));
  // Not asserted: the failure can come before the tab's reload reaches the server.
  console.log(`    pages loaded in the tab: ${loaded.join(' → ')}${loaded.includes('Water 6') ? '' : ' (the failed build\'s page was never shown)'}`);
  repair();
  edit(water, 'title: Water 6', 'title: Water 7');
  await page.waitForFunction(() => !document.querySelector('#dossier-serve-error') && document.querySelector('h1')?.textContent.includes('Water 7'), null, { timeout: 60_000 });
  check('repairing it reloads the page with the edit', true);
}

/** Issue 12: a first build that fails leaves no site; the page served says
 * so, and does not speak of a last good build. Fixing it shows the site. */
async function firstBuildFails(browser, tmp) {
  const root = path.join(tmp, 'en-harbor-broken');
  fs.cpSync(path.join(repo, 'tests/fixtures/en-harbor'), root, { recursive: true });
  const water = path.join(root, 'content/sectors/water.md');
  edit(water, 'color: "#287ab7"', 'color: "#zzz"');
  const { url, child } = await serve(root, tmp);
  try {
    const { page, problems } = await open(browser, `${url}sectors/water.html`);
    const overlay = page.locator('#dossier-serve-error');
    await overlay.waitFor({ timeout: 60_000 });
    const told = await overlay.textContent();
    check('a first build that fails shows its error', told.includes('content/sectors/water.md'), told);
    check('and says there is no page to show', told.startsWith('dossier serve: the build failed; no build has succeeded yet, so there is no page to show.'), told);
    edit(water, 'color: "#zzz"', 'color: "#287ab7"');
    await page.waitForFunction(() => !document.querySelector('#dossier-serve-error') && document.querySelector('h1')?.textContent.includes('Water'), null, { timeout: 60_000 });
    check('fixing it shows the site', true);
    const violations = problems.filter((p) => !p.includes('503'));
    check('no CSP violation or console error without a site', violations.length === 0, violations.join('; '));
  } finally {
    child.kill();
  }
}

async function corpusRun(browser, tmp) {
  const root = path.join(tmp, `c${CORPUS}`);
  execFileSync('python3', [path.join(repo, '../shared/bench/gen_corpus.py'), '-n', String(CORPUS), '--flavor', 'dossier', '--out', root], { stdio: 'ignore' });
  const started = Date.now();
  const { url, child, builds } = await serve(root, tmp);
  console.log(`    first build and start, ${CORPUS} sources: ${Date.now() - started} ms`);
  try {
    const sector = fs.readdirSync(path.join(root, 'content/sectors')).find((f) => f.endsWith('.md'));
    const file = path.join(root, 'content/sectors', sector);
    const title = fs.readFileSync(file, 'utf8').match(/^title: (.*)$/m)[1];
    const { page } = await open(browser, `${url}${sectorsRoute(root)}/${sector.replace(/\.md$/, '.html')}`);
    const times = [];
    let from = `title: ${title}`;
    for (let i = 1; i <= 3; i++) {
      const to = `title: Edited ${i}`;
      times.push(await timeEdit(page, file, from, to, 'h1'));
      from = to;
    }
    console.log(`    edit to page, ${CORPUS} sources: ${times.join(', ')} ms (of which the rebuilds: ${builds.slice(-3).join(', ')} ms)`);
    check(`an edit shows on ${CORPUS} sources`, true);
  } finally {
    child.kill();
  }
}

function sectorsRoute(root) {
  const config = fs.readFileSync(path.join(root, 'content/dossier.yaml'), 'utf8');
  return /^language:\s*fr/m.test(config) ? 'secteurs' : 'sectors';
}

async function main() {
  if (!fs.existsSync(bin)) { console.error(`no binary at ${bin} (set DOSSIER_BIN)`); process.exit(2); }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-serve-e2e-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'], headless: true });
  try {
    await fixtureRun(browser, tmp);
    await firstBuildFails(browser, tmp);
    if (CORPUS > 0) await corpusRun(browser, tmp);
  } finally {
    await browser.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`serve e2e: ${passed} passed, ${failures.length} failed`);
  process.exit(failures.length ? 1 : 0);
}

main().catch((e) => { console.error(`serve e2e could not run: ${e.stack || e}`); process.exit(2); });
