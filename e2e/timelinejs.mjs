// TimelineJS's own loader on timeline.json files, for e2e/data.mjs: the
// `TimelineConfig` class of @knight-lab/timelinejs (npm, pinned), from its
// ES sources (the bundle does not export it), under jsdom, in a process of
// its own so that jsdom's globals reach nothing else.
//
// Usage: node e2e/timelinejs.mjs FILE... prints a JSON list, one result
// per file: { valid: isValid() after validate(), errors, kept: the events
// the config kept, given: the events in the file }.

import fs from 'node:fs';
import { register } from 'node:module';

// TimelineJS's sources import './Util' without an extension, as its
// bundler allows; Node's loader wants the file's name.
register('data:text/javascript,' + encodeURIComponent(`
export async function resolve(specifier, context, next) {
  try { return await next(specifier, context); } catch (e) {
    if (specifier.startsWith('.') && !specifier.endsWith('.js')) { return next(specifier + '.js', context); }
    throw e;
  }
}`));

const { JSDOM } = await import('jsdom');
const dom = new JSDOM('<!doctype html><html><body></body></html>');
for (const k of Object.getOwnPropertyNames(dom.window)) {
  if (!(k in globalThis)) {
    try { globalThis[k] = dom.window[k]; } catch { /* read-only in Node */ }
  }
}
globalThis.window = dom.window;
// The loader prints every event it skips with console.log: stdout is for the results (a skipped event shows in `kept`).
console.log = () => {};
const { TimelineConfig } = await import('@knight-lab/timelinejs/src/js/core/TimelineConfig.js');

const results = process.argv.slice(2).map((file) => {
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  const given = data.events.length;
  let config;
  try {
    config = new TimelineConfig(data);
  } catch (e) { // what stops TimelineJS from showing the timeline at all
    return { valid: false, errors: [`TimelineConfig threw ${e.message ?? e}`], kept: 0, given };
  }
  config.validate();
  return { valid: config.isValid(), errors: config.getErrors().map(String), kept: config.events.length, given };
});
process.stdout.write(JSON.stringify(results));
