// Time to the first search result, from file:// in headless Chromium: opens
// SITE/<search page>?q=QUERY in a fresh browser context (no cache) RUNS
// times and prints, per run and as a median, the time from the start of
// navigation until the first result is in the DOM (performance.now() in a
// MutationObserver), and the search shards the page loaded. Not run in CI.
//
// Usage: node e2e/bench-search.mjs SITE [QUERY=energie] [RUNS=5] [PAGE=recherche.html]
//
// A large site: python3 ../shared/bench/gen_corpus.py -n 10000 --flavor dossier
// --out /tmp/corpus-10000, then target/release/dossier build --root
// /tmp/corpus-10000 --out /tmp/site-10000.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { chromium } from 'playwright-core';

const [site, query = 'energie', runs = '5', pageName = 'recherche.html'] = process.argv.slice(2);
if (!site) {
  console.error('usage: node e2e/bench-search.mjs SITE [QUERY] [RUNS] [PAGE]');
  process.exit(2);
}

// Runs before the page's own scripts: notes when the first result appears.
const OBSERVE = `new MutationObserver((_, observer) => {
  if (document.querySelector('#search-results li')) { window.__firstResult = performance.now(); observer.disconnect(); }
}).observe(document, { childList: true, subtree: true });`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const url = `${pathToFileURL(path.join(site, pageName)).href}?q=${encodeURIComponent(query)}`;
const times = [];
const walls = [];
const ready = []; // DOMContentLoaded, for reference: what any page of that size costs
let loaded = [];
try {
  for (let i = 0; i < Number(runs); i++) {
    const context = await browser.newContext();
    await context.addInitScript({ content: OBSERVE });
    const page = await context.newPage();
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    const start = Date.now();
    await page.goto(url);
    await page.waitForFunction(() => window.__firstResult !== undefined, null, { timeout: 30000, polling: 5 });
    walls.push(Date.now() - start);
    times.push(await page.evaluate(() => window.__firstResult));
    ready.push(await page.evaluate(() => performance.getEntriesByType('navigation')[0].domContentLoadedEventStart));
    loaded = requests.filter((u) => u !== url).map((u) => new URL(u).pathname);
    await context.close();
  }
} finally {
  await browser.close();
}
const bytes = loaded.reduce((sum, p) => sum + fs.statSync(decodeURIComponent(p)).size, 0);
console.log(`"${query}" on ${site}: first result at ${times.map((t) => t.toFixed(0)).join(', ')} ms after navigation start`);
console.log(`median ${median(times).toFixed(0)} ms (the page's DOMContentLoaded: median ${median(ready).toFixed(0)} ms; wall clock from goto: median ${median(walls)} ms)`);
console.log(`shards loaded: ${loaded.length} (${(bytes / 1000).toFixed(0)} KB): ${loaded.map((p) => path.basename(p)).join(' ')}`);
