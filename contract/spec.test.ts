import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basePathOf, deref, loadSpec } from './index.ts';

test('bundled specs load once; references resolve; base paths come from the first server', () => {
  const partner = loadSpec('starship');
  assert.equal(loadSpec('starship'), partner);
  assert.equal(basePathOf(partner), '/api/v1');
  assert.equal(basePathOf(loadSpec('sandbox')), '/sandbox/v1');
  assert.equal(basePathOf({ openapi: '3.1.0' }), '');
  const limit = deref(partner, { $ref: '#/components/parameters/Limit' }) as { name: string };
  assert.equal(limit.name, 'limit');
  const doc = { openapi: '3.1.0', a: { $ref: '#/b' }, b: { $ref: '#/c~1d' }, 'c/d': { ok: true } };
  assert.deepEqual(deref(doc, { $ref: '#/a' }), { ok: true });
  assert.throws(() => deref({ openapi: '3.1.0', x: { $ref: '#/x' } }, { $ref: '#/x' }), /reference cycle/);
});
