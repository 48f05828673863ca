import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { sharedVectorsUrl, vectorsUrl } from './vectors.ts';

test('the repository copy of the signing vectors equals shared/vectors/signing.json', (t) => {
  if (!existsSync(sharedVectorsUrl)) {
    t.skip('shared/ is not beside this clone');
    return;
  }
  assert.equal(readFileSync(vectorsUrl, 'utf8'), readFileSync(sharedVectorsUrl, 'utf8'));
});
