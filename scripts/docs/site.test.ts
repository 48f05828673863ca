import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Json } from '@starship/contract';
import { guides } from './guides.ts';
import { POSTMAN_FILE, POSTMAN_SCHEMA, type PostmanCollection } from './postman.ts';
import { buildDocsSite, REFERENCE_PAGES, type DocsSite } from './site.ts';
import { listOperations, listWebhookEvents } from './spec-walk.ts';

let tmp: string;
let site: DocsSite;
const read = (file: string) => readFileSync(path.join(site.outDir, file), 'utf8');

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'starship-docs-site-'));
  site = await buildDocsSite(path.join(tmp, 'site'));
});

after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Every attribute value of `href`/`src` with the tag it sits on. */
function references(html: string): { tag: string; attr: string; value: string }[] {
  return [...html.matchAll(/<([a-z]+)\b[^>]*?\s(href|src)="([^"]*)"/g)].map((m) => ({ tag: m[1]!, attr: m[2]!, value: m[3]! }));
}

test('the site has an index, every guide, both references, the Postman collection and the bundled specs', () => {
  assert.deepEqual(
    site.pages.map((p) => p.file),
    ['index.html', ...guides.map((g) => `${g.slug}.html`), REFERENCE_PAGES.partner.file, REFERENCE_PAGES.sandbox.file],
  );
  for (const file of site.files) assert.ok(existsSync(path.join(site.outDir, file)), file);
  for (const file of [POSTMAN_FILE, REFERENCE_PAGES.partner.spec, REFERENCE_PAGES.sandbox.spec, 'site.css']) {
    assert.ok(site.files.includes(file), file);
  }
  const indexLinks = references(read('index.html')).map((r) => r.value);
  for (const page of site.pages.filter((p) => p.kind !== 'index')) assert.ok(indexLinks.includes(page.file), page.file);
  for (const file of [POSTMAN_FILE, REFERENCE_PAGES.partner.spec, REFERENCE_PAGES.sandbox.spec]) assert.ok(indexLinks.includes(file), file);
});

test('index and guide pages use only relative links that resolve, and load no external asset', () => {
  const ids = (file: string) => new Set([...read(file).matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
  for (const page of site.pages.filter((p) => p.kind !== 'reference')) {
    for (const { tag, value } of references(read(page.file))) {
      const where = `${page.file}: <${tag}> ${value}`;
      if (/^(https?:|mailto:)/.test(value)) {
        assert.equal(tag, 'a', `${where}: only links may point off-site, never assets`);
        continue;
      }
      assert.ok(!value.startsWith('/'), `${where}: root-absolute links break when the site is mounted under a path`);
      const [file = '', fragment] = value.split('#');
      const target = file === '' ? page.file : file;
      assert.ok(site.files.includes(target), `${where}: no such file in the site`);
      const isReference = target === REFERENCE_PAGES.partner.file || target === REFERENCE_PAGES.sandbox.file;
      if (fragment && !isReference) assert.ok(ids(target).has(fragment), `${where}: no id "${fragment}" in ${target}`);
    }
  }
});

test('the reference pages are self-contained: Redoc inlined, no CDN logo, no telemetry, relocatable menu links', () => {
  for (const file of [REFERENCE_PAGES.partner.file, REFERENCE_PAGES.sandbox.file]) {
    const html = read(file);
    assert.ok(!html.includes('cdn.redoc.ly'), `${file}: Redoc's CDN logo`);
    assert.ok(!html.includes('cdn.redocly.com/redoc/'), `${file}: Redoc bundle from the CDN`);
    assert.doesNotMatch(html, /<(script|link|img)\b[^>]*\s(src|href)="(https?:)?\/\//, `${file}: an external asset tag`);
    const prerendered = html.slice(html.indexOf('<div id="redoc">'), html.indexOf('<script type="module">'));
    assert.doesNotMatch(prerendered, / href="\/(?!\/)/, `${file}: a root-absolute link`);
    assert.match(html, /const __redoc_options = \{[^\n]*"disableTelemetry":true/, `${file}: telemetry`);
    assert.match(html, /href="index\.html"/, `${file}: a link back to the docs home`);
  }
});

test('the partner reference embeds a curl and an SDK sample for every operation and a receiver for every event', () => {
  const spec = JSON.parse(read(REFERENCE_PAGES.partner.spec)) as Json;
  const embedded = /^\s*const __redoc_definition = (.*);$/m.exec(read(REFERENCE_PAGES.partner.file))?.[1];
  assert.ok(embedded, 'the page embeds its definition');
  const rendered = JSON.parse(embedded) as Json;
  const labels = (operation: Json) => (operation['x-codeSamples'] as { label: string }[] | undefined)?.map((s) => s.label);
  assert.equal(listOperations(rendered).length, listOperations(spec).length);
  for (const op of listOperations(rendered)) assert.deepEqual(labels(op.operation), ['curl', 'TypeScript SDK'], op.operationId);
  for (const event of listWebhookEvents(rendered)) assert.deepEqual(labels(event.operation), ['TypeScript SDK'], event.name);
  assert.ok(!JSON.stringify(spec).includes('x-codeSamples'), 'the downloadable spec is the plain bundled spec');
});

test('the Postman collection is written in v2.1 format with every operation', () => {
  const collection = JSON.parse(read(POSTMAN_FILE)) as PostmanCollection;
  const spec = JSON.parse(read(REFERENCE_PAGES.partner.spec)) as Json;
  assert.equal(collection.info.schema, POSTMAN_SCHEMA);
  assert.equal(collection.item.flatMap((f) => f.item).length, listOperations(spec).length);
});
