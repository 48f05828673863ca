import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createIdFactory, ID_PREFIXES, isId, type IdKind } from './ids.ts';

test('every kind gets its prefix and a 26-character ULID', () => {
  const newId = createIdFactory();
  for (const kind of Object.keys(ID_PREFIXES) as IdKind[]) {
    const id = newId(kind, Date.UTC(2026, 3, 14));
    assert.ok(id.startsWith(`${ID_PREFIXES[kind]}_`), id);
    assert.ok(isId(kind, id), id);
  }
});

test('ids made in the same millisecond sort in creation order', () => {
  const newId = createIdFactory();
  const t = Date.UTC(2026, 3, 14, 8, 43, 15);
  const ids = Array.from({ length: 500 }, () => newId('order', t));
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
});

test('isId rejects other prefixes and malformed bodies', () => {
  assert.equal(isId('order', 'ord_01KP5JHE5RPHMY8VB485T2M51E'), true);
  assert.equal(isId('order', 'itm_01KP5JHE5RPHMY8VB485T2M51E'), false);
  assert.equal(isId('order', 'ord_01KP5JHE5RPHMY8VB485T2M51'), false);
  assert.equal(isId('order', 'ord_01KP5JHE5RPHMY8VB485T2M51I'), false);
});
