import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { diffDocuments } from './diff.ts';
import { loadSpec } from './load.ts';
import { SourceMap } from './source-map.ts';

const ROOT = `openapi: 3.1.0
info: {title: Split, version: 1.0.0}
paths:
  /orders/{order_id}:
    $ref: paths/order.yaml
components:
  schemas:
    Order:
      $ref: ./components/Order.yaml
`;
const PATH_ITEM = `get:
  operationId: getOrder
  parameters:
    - {name: order_id, in: path, required: true, schema: {type: string}}
  responses:
    '200':
      description: The order.
      content:
        application/json:
          schema:
            $ref: ../components/Order.yaml
`;
const ORDER = `type: object
required: [id]
properties:
  id:
    type: string
  reference:
    type: string
`;

/** A private git repository holding a split spec in `spec/`, committed once; the working tree is then edited by the test. */
function repository(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'starship-diff-load-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  write('spec/root.yaml', ROOT);
  write('spec/paths/order.yaml', PATH_ITEM);
  write('spec/components/Order.yaml', ORDER);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=diff test', '-c', 'user.email=diff@test', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, stdio: 'pipe' });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'v1');
  return dir;
}

test('REF:path bundles a split spec with the referenced files as they were at REF', async (t) => {
  const dir = repository(t);
  writeFileSync(path.join(dir, 'spec/components/Order.yaml'), ORDER.replace(/ {2}reference:\n {4}type: string\n/, ''));
  const before = await loadSpec('HEAD:spec/root.yaml', dir);
  const after = await loadSpec('spec/root.yaml', dir);
  const changes = diffDocuments(before.document, after.document);
  assert.deepEqual(changes.map((c) => `${c.rule} ${c.location}`), ['response-property-removed #/components/schemas/Order/properties/reference']);
  assert.equal(before.sources.root, 'spec/root.yaml');
  assert.match(before.sources.read('spec/components/Order.yaml'), /reference:/, 'sources are read at REF');
});

test('REF:./path is relative to the working directory, as git reads it', async (t) => {
  const dir = repository(t);
  const loaded = await loadSpec('HEAD:./root.yaml', path.join(dir, 'spec'));
  assert.equal(loaded.sources.root, 'spec/root.yaml');
  assert.ok(loaded.document.paths);
});

test('a missing file or revision is one clear error', async (t) => {
  const dir = repository(t);
  await assert.rejects(loadSpec('nope.yaml', dir), /nope\.yaml: no such file \(and not REF:path\)/);
  await assert.rejects(loadSpec('HEAD:spec/nope.yaml', dir), /git show HEAD:spec\/nope\.yaml failed: fatal: path 'spec\/nope\.yaml' does not exist in 'HEAD'/);
  await assert.rejects(loadSpec('v9:spec/root.yaml', dir), /git show v9:spec\/root\.yaml failed/);
});

test('a self-contained JSON document is used as it is; one with external refs is bundled', async (t) => {
  const dir = repository(t);
  const bundled = await loadSpec('spec/root.yaml', dir);
  writeFileSync(path.join(dir, 'bundled.json'), JSON.stringify(bundled.document));
  const direct = await loadSpec('bundled.json', dir);
  assert.deepEqual(direct.document, bundled.document);
  writeFileSync(path.join(dir, 'spec/external.json'), JSON.stringify({ ...bundled.document, paths: { '/orders/{order_id}': { $ref: 'paths/order.yaml' } } }));
  const external = await loadSpec('spec/external.json', dir);
  assert.deepEqual(diffDocuments(bundled.document, external.document), []);
});

test('a spec that does not bundle is one error naming it', async (t) => {
  const dir = repository(t);
  writeFileSync(path.join(dir, 'spec/broken.yaml'), ROOT.replace('paths/order.yaml', 'paths/missing.yaml'));
  await assert.rejects(loadSpec('spec/broken.yaml', dir), (error: Error) => /^cannot bundle spec\/broken\.yaml: /.test(error.message) && !error.message.includes('\n'));
});

test('source positions follow $refs from file to file, at REF too', async (t) => {
  const dir = repository(t);
  for (const spec of ['spec/root.yaml', 'HEAD:spec/root.yaml']) {
    const map = new SourceMap((await loadSpec(spec, dir)).sources);
    assert.deepEqual(map.locate('#/components/schemas/Order/properties/reference'), { file: 'spec/components/Order.yaml', line: 6 });
    assert.deepEqual(map.locate('#/components/schemas/Order'), { file: 'spec/components/Order.yaml', line: 1 });
    assert.deepEqual(map.locate('#/paths/~1orders~1{order_id}/get/responses/200'), { file: 'spec/paths/order.yaml', line: 6 });
    assert.deepEqual(map.locate('#/paths/~1orders~1{order_id}/get/parameters/0'), { file: 'spec/paths/order.yaml', line: 4 });
    // A pointer the sources do not spell (a component the bundler invented) falls back to its nearest ancestor.
    assert.deepEqual(map.locate('#/components/schemas/Invented/properties/x'), { file: 'spec/root.yaml', line: 7 });
  }
});
