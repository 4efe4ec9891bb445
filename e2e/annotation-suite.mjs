// The W3C Web Annotation test suite (w3c/web-annotation-tests, the JSON
// Schemas behind web-platform-tests' annotation-model), run offline from the
// copy in vendor/web-annotation-tests (W3C test suite licence, see its
// license.md; COMMIT says which). Each `.test` file lists assertions, each a
// draft-04 JSON Schema with an `assertionType` (must, should, may) and an
// `expectedResult` (valid or invalid); an assertion passes when validating
// the input gives the expected result, as the suite's own harness decides.
//
// Also: JSON-LD expansion of annotations.jsonld with jsonld.js (the W3C
// anno.jsonld context from vendor/web-annotation, W3C Document License), to
// see every reference as a JSON-LD processor resolves it.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import jsonld from 'jsonld';

const here = path.dirname(fileURLToPath(import.meta.url));
const suite = path.join(here, 'vendor/web-annotation-tests');
const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

function loadAjv() {
  const ajv = new Ajv04({ allErrors: true, strict: false, validateSchema: false });
  addFormats(ajv);
  for (const f of fs.readdirSync(path.join(suite, 'definitions'))) {
    if (f.endsWith('.json')) { ajv.addSchema(readJson(path.join(suite, 'definitions', f))); }
  }
  return ajv;
}

const ajv = loadAjv();
const compiled = new Map();

function assertion(name) {
  if (!compiled.has(name)) {
    const schema = readJson(path.join(suite, name));
    compiled.set(name, { schema, validate: ajv.compile(schema) });
  }
  return compiled.get(name);
}

// Runs the assertions of a `.test` file (e.g. 'collections/collectionMusts.test')
// on `input`: [{ name, type, passed, message }].
export function runTest(test, input) {
  const { assertions } = readJson(path.join(suite, test));
  return assertions.map((name) => {
    const { schema, validate } = assertion(name);
    const valid = validate(input);
    const passed = valid === ((schema.expectedResult ?? 'valid') === 'valid');
    return { name, type: schema.assertionType, passed, message: passed ? '' : `${schema.errorMessage ?? schema.title} ${ajv.errorsText(validate.errors)}` };
  });
}

// The failed MUST assertions of the suite's three MUST tests, for a
// collection with its page embedded: [message].
export function mustFailures(collection) {
  const failed = (results, what) => results.filter((r) => r.type === 'must' && !r.passed).map((r) => `${what}: ${r.name}: ${r.message}`);
  const context = collection['@context'];
  return [
    ...failed(runTest('collections/collectionMusts.test', collection), 'collection'),
    ...failed(runTest('collections/pages/pageMusts.test', collection), 'page'),
    ...(collection.first?.items ?? []).flatMap((item) => failed(runTest('annotations/annotationMusts.test', { '@context': context, ...item }), `annotation ${item.id}`)),
  ];
}

// Whether each of the named optional (SHOULD/MAY) assertions passes.
export function optionals(test, input, names) {
  const results = runTest(test, input);
  return names.map((n) => results.find((r) => r.name.endsWith(n)) ?? { name: n, passed: false, message: 'not in the suite' });
}

const annoContext = readJson(path.join(here, 'vendor/web-annotation/anno.jsonld'));

// Expands a Web Annotation document as read from `url`, offline.
export function expand(doc, url) {
  const documentLoader = async (u) => {
    if (u === 'http://www.w3.org/ns/anno.jsonld' || u === 'https://www.w3.org/ns/anno.jsonld') {
      return { contextUrl: null, document: annoContext, documentUrl: u };
    }
    throw new Error(`offline: no document ${u}`);
  };
  return jsonld.expand(doc, { base: url, documentLoader });
}

// Every node identifier of an expanded document but the vocabulary's own
// (motivations, purposes, types): what the document names or points to.
export function identifiers(expanded) {
  const found = [];
  const walk = (v) => {
    if (Array.isArray(v)) { v.forEach(walk); return; }
    if (v === null || typeof v !== 'object') { return; }
    for (const [k, x] of Object.entries(v)) {
      if (k === '@id' && typeof x === 'string' && !x.startsWith('http://www.w3.org/ns/')) { found.push(x); } else if (k !== '@type') { walk(x); }
    }
  };
  walk(expanded);
  return found;
}
