import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeSelfContained } from './redoc.ts';

const page = [
  '<html><head><style>body{margin:0}</style></head><body>',
  '<div id="redoc"><nav><a href="/">Overview</a><a href="/orders">Orders</a><a href="//elsewhere.example/x">x</a>',
  '<a href="https://redocly.com/redoc/">API docs by</a></nav></div>',
  '<script type="module">const logo = `https://cdn.redoc.ly/redoc/logo-mini-full.svg`; const link = "href=\\"/keep\\"";',
  "hydrate(__redoc_definition, __redoc_options, document.getElementById('redoc'));</script>",
  '</body></html>',
].join('');

test('prerendered menu links take the hash-router form, so the page works from any directory', () => {
  const html = makeSelfContained(page);
  assert.match(html, /<a href="#\/">Overview<\/a><a href="#\/orders">Orders<\/a>/);
  assert.match(html, /<a href="\/\/elsewhere\.example\/x">/, 'protocol-relative links are not routes');
  assert.ok(html.includes('const link = "href=\\"/keep\\""'), 'the script is left alone');
});

test("Redoc's CDN logo becomes an inline SVG", () => {
  const html = makeSelfContained(page);
  assert.ok(!html.includes('cdn.redoc.ly'));
  assert.match(html, /const logo = `data:image\/svg\+xml,%3Csvg/);
});

test('an unexpected page shape is an error rather than a silently unpatched page', () => {
  assert.throws(() => makeSelfContained('<html><body><div id="app"></div></body></html>'), /no prerendered/);
});

test('the extra head goes into <head>, and the served-origin hook runs before Redoc renders', () => {
  const html = makeSelfContained(page, '<link rel="icon" href="favicon.svg">');
  assert.match(html, /<link rel="icon" href="favicon.svg">\n<\/head>/);
  assert.match(html, /window\.starshipDocs\?\.prepareReference\(__redoc_definition, document\.getElementById\('redoc'\)\);\n\s+hydrate\(__redoc_definition/);
  assert.throws(() => makeSelfContained(page.replace('hydrate(', 'render(')), /does not call hydrate/);
});
