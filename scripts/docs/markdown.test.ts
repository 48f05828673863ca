import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeBlocks, renderMarkdown, siteHref, slugify } from './markdown.ts';

test('links to sibling guides point at the rendered pages; other links are untouched', () => {
  assert.equal(siteHref('signing.md'), 'signing.html');
  assert.equal(siteHref('signing.md#worked-example'), 'signing.html#worked-example');
  assert.equal(siteHref('https://example.com/readme.md'), 'https://example.com/readme.md');
  assert.equal(siteHref('partner-api.html#/orders'), 'partner-api.html#/orders');
  const { html } = renderMarkdown('# T\n\nSee [signing](signing.md#the-rule) and [the API](partner-api.html).\n');
  assert.match(html, /<a href="signing\.html#the-rule">signing<\/a>/);
  assert.match(html, /<a href="partner-api\.html">the API<\/a>/);
});

test('headings get unique ids and the first level-1 heading is the title', () => {
  const { title, html, headings } = renderMarkdown('# The `Idempotency-Key` guide\n\n## What to retry\n\n## What to retry\n');
  assert.equal(title, 'The Idempotency-Key guide');
  assert.deepEqual(
    headings.map((h) => h.id),
    ['the-idempotency-key-guide', 'what-to-retry', 'what-to-retry-1'],
  );
  assert.match(html, /<h1 id="the-idempotency-key-guide">The <code>Idempotency-Key<\/code> guide<\/h1>/);
  assert.equal(slugify('Versioning & stability'), 'versioning-stability');
});

test('a guide without a title is rejected', () => {
  assert.throws(() => renderMarkdown('## Only a section\n'), /level-1 heading/);
});

test('code blocks come out with their language, and code is escaped in HTML', () => {
  const source = '# T\n\n```ts\nconst a = 1 < 2;\n```\n\n```\nplain\n```\n';
  assert.deepEqual(codeBlocks(source), [
    { lang: 'ts', text: 'const a = 1 < 2;' },
    { lang: '', text: 'plain' },
  ]);
  assert.match(renderMarkdown(source).html, /const a = 1 &lt; 2;/);
});
