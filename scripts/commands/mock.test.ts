import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CATALOG_SIZE_ENV, catalogSizeOf } from './mock.ts';

test('--catalog-size, else STARSHIP_CATALOG_SIZE, else the default catalog; anything but an integer in bounds is refused', () => {
  assert.equal(catalogSizeOf({}, {}), undefined);
  assert.equal(catalogSizeOf({}, { [CATALOG_SIZE_ENV]: '10000' }), 10_000);
  assert.equal(catalogSizeOf({ catalogSize: '500' }, { [CATALOG_SIZE_ENV]: '10000' }), 500, 'the flag wins');
  assert.equal(catalogSizeOf({}, { [CATALOG_SIZE_ENV]: '' }), undefined, 'an empty variable is unset');
  for (const bad of ['1', '100001', '2.5', 'many', '-5', '1e4']) {
    assert.throws(() => catalogSizeOf({ catalogSize: bad }, {}), /--catalog-size must be an integer from 2 to 100000/, bad);
  }
});
