import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../tools/repo.ts';
import { diffDocuments } from './diff.ts';
import { loadSpec } from './load.ts';
import { SourceMap } from './source-map.ts';

/**
 * The partner spec as it is split on disk, copied twice into a private directory; the revision copy is edited
 * the way a pull request would edit it.
 */
function copies(t: { after: (fn: () => void) => void }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'starship-diff-real-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(path.join(repoRoot, 'openapi'), path.join(dir, 'base'), { recursive: true });
  cpSync(path.join(repoRoot, 'openapi'), path.join(dir, 'revision'), { recursive: true });
  const edit = (file: string, change: (text: string) => string) => {
    const full = path.join(dir, 'revision', file);
    const before = readFileSync(full, 'utf8');
    const after = change(before);
    assert.notEqual(after, before, `the edit of ${file} applies`);
    writeFileSync(full, after);
  };
  return { dir, edit };
}

// The committed baseline is checked by `npm run diff:baseline`, which honours the ignore file; a test here would not.
test('the partner spec against its own copy has no changes', async (t) => {
  const { dir } = copies(t);
  const base = await loadSpec('base/starship.yaml', dir);
  assert.deepEqual(diffDocuments(base.document, (await loadSpec('revision/starship.yaml', dir)).document), []);
});

test('edits to the split partner spec are found, attributed to operations, and annotated on the file that changed', async (t) => {
  const { dir, edit } = copies(t);
  edit('components/schemas/Order.yaml', (text) => text.replace(/\n {2}reference:\n(?: {4}.*\n)+/, '\n'));
  edit('components/schemas/OrderStatus.yaml', (text) => text.replace(/enum: \[/, 'enum: [ON_HOLD, '));
  edit('components/responses.yaml', (text) => text.replace(/ {4}- E_NOT_FOUND\n/, ''));
  edit('starship.yaml', (text) => text.replace("separator: ''", "separator: '\\n'"));
  const base = await loadSpec('base/starship.yaml', dir);
  const revision = await loadSpec('revision/starship.yaml', dir);
  const changes = diffDocuments(base.document, revision.document);
  assert.deepEqual(
    changes.map((c) => `${c.severity} ${c.rule} ${c.location}`),
    [
      'breaking error-code-removed #/components/responses/NotFound/x-starship-error-codes/0',
      'breaking response-property-removed #/components/schemas/Order/properties/reference',
      'breaking signing-scheme-changed #/x-starship-signing/separator',
      'additive enum-value-added #/components/schemas/OrderStatus',
    ],
  );
  const removed = changes.find((c) => c.rule === 'response-property-removed')!;
  assert.match(removed.message, /^Field `reference` of schema `Order` was removed \(it was required\) \(used by GET \/orders, GET \/orders\/\{order_id\}, POST \/orders\)$/);
  const map = new SourceMap(revision.sources);
  const at = (pointer: string) => {
    const { file, line } = map.locate(pointer);
    return `${file}:${readFileSync(path.join(dir, file), 'utf8').split('\n')[line - 1]!.trim()}`;
  };
  assert.equal(at(removed.anchor), 'revision/components/schemas/Order.yaml:properties:');
  assert.match(at(changes.find((c) => c.rule === 'enum-value-added')!.anchor), /^revision\/components\/schemas\/OrderStatus\.yaml:enum: \[ON_HOLD, /);
  assert.equal(at(changes.find((c) => c.rule === 'signing-scheme-changed')!.anchor), "revision/starship.yaml:separator: '\\n'");
  assert.equal(at(changes.find((c) => c.rule === 'error-code-removed')!.anchor), 'revision/components/responses.yaml:NotFound:');
});

test('renaming a path parameter in the split spec is not a change', async (t) => {
  const { dir, edit } = copies(t);
  edit('starship.yaml', (text) => text.replace('  /orders/{order_id}:\n', '  /orders/{id}:\n'));
  edit('paths/orders_{order_id}.yaml', (text) => text.replace(/\$ref: \.\.\/components\/parameters\.yaml#\/OrderIdPath/g, '{name: id, in: path, required: true, schema: {$ref: ../components/schemas/OrderId.yaml}}'));
  const base = await loadSpec('base/starship.yaml', dir);
  const revision = await loadSpec('revision/starship.yaml', dir);
  assert.deepEqual(diffDocuments(base.document, revision.document), []);
});
