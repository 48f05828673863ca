import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { memoiseValidatorRouteLookup } from './validator-route-cache.ts';

test("the validator's path-to-regexp returns one compiled pattern per (path, options), with the same behaviour", () => {
  const module = createRequire(createRequire(import.meta.url).resolve('express-openapi-validator'))('path-to-regexp') as {
    pathToRegexp: (path: string, options?: object) => { regexp: RegExp; keys: { name: string }[] };
  };
  memoiseValidatorRouteLookup();
  memoiseValidatorRouteLookup();
  const options = { sensitive: false, strict: false };
  const first = module.pathToRegexp('/api/v1/products/:product_id', options);
  assert.equal(module.pathToRegexp('/api/v1/products/:product_id', { ...options }), first);
  assert.notEqual(module.pathToRegexp('/api/v1/products/:product_id', { sensitive: true, strict: false }), first);
  assert.deepEqual(first.keys.map((k) => k.name), ['product_id']);
  assert.deepEqual(first.regexp.exec('/API/V1/products/1001/')?.slice(1), ['1001']);
  assert.equal(first.regexp.exec('/api/v1/products'), null);
});
