import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PartnerCredentials } from '../engine.ts';
import { clearOnControlWrites, PartnerCache } from './partner-cache.ts';
import { pipeline, serve } from '../test-support/http-harness.ts';

const partner: PartnerCredentials = { partnerId: 'ptr_1', apiKey: 'pk_test_1', apiSecret: 'sk_test_1', ipAllowlist: [] };

function setup() {
  let now = 0;
  let lookups = 0;
  const stored = new Map([[partner.apiKey, partner]]);
  const engine = {
    findPartnerByApiKey: async (key: string) => {
      lookups++;
      return stored.get(key);
    },
  };
  const cache = new PartnerCache(engine, 1_000, () => now);
  return { cache, stored, lookups: () => lookups, advance: (ms: number) => (now += ms) };
}

test('known keys are served from memory until they expire; unknown keys always ask the engine', async () => {
  const { cache, lookups, advance, stored } = setup();
  assert.equal(await cache.findPartnerByApiKey('pk_test_1'), partner);
  assert.equal(await cache.findPartnerByApiKey('pk_test_1'), partner);
  assert.equal(lookups(), 1);
  stored.delete('pk_test_1');
  advance(999);
  assert.equal(await cache.findPartnerByApiKey('pk_test_1'), partner, 'still fresh');
  advance(1);
  assert.equal(await cache.findPartnerByApiKey('pk_test_1'), undefined, 'expired, and gone from the engine');
  assert.equal(await cache.findPartnerByApiKey('pk_test_nobody'), undefined);
  assert.equal(await cache.findPartnerByApiKey('pk_test_nobody'), undefined);
  assert.equal(lookups(), 4);
});

test('any control-API write clears it; reads do not', async () => {
  const { cache, lookups } = setup();
  const served = await serve(pipeline([clearOnControlWrites(cache)]));
  try {
    await cache.findPartnerByApiKey('pk_test_1');
    await fetch(`${served.url}/sandbox/v1/clock`);
    await cache.findPartnerByApiKey('pk_test_1');
    assert.equal(lookups(), 1);
    await fetch(`${served.url}/sandbox/v1/reset`, { method: 'POST' });
    await cache.findPartnerByApiKey('pk_test_1');
    assert.equal(lookups(), 2);
  } finally {
    await served.close();
  }
});
