/**
 * Two engines on one PostgreSQL database (two sandbox instances) patch different settings at the same time:
 * every patch survives. Skipped without STARSHIP_TEST_DATABASE_URL (CI sets it).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ENCRYPTION_KEY_ENV } from '../db/encryption-key.ts';
import { createTestDatabase, TEST_DATABASE_URL_ENV, testServerUrl } from '../test-support/postgres-database.ts';
import { generateKey } from '../domain/voucher-crypto.ts';
import { openEngine } from './index.ts';
import { DEFAULT_SETTINGS, type FeatureFlag } from './settings.ts';

const serverUrl = testServerUrl();
const FLAGS = Object.keys(DEFAULT_SETTINGS.feature_flags) as FeatureFlag[];

test(
  'concurrent settings patches from two instances on one PostgreSQL database are all kept',
  { skip: serverUrl ? false : `${TEST_DATABASE_URL_ENV} is not set` },
  async (t) => {
    const database = await createTestDatabase(serverUrl!);
    t.after(() => database.drop());
    const env = { [ENCRYPTION_KEY_ENV]: generateKey().toString('hex') };
    const first = await openEngine({ databaseUrl: database.url, env });
    t.after(() => first.close());
    const second = await openEngine({ databaseUrl: database.url, env });
    t.after(() => second.close());

    for (let round = 0; round < 20; round++) {
      const on = round % 2 === 0;
      // Each instance sets two flags of its own, one patch per flag, all at once; and the other settings too.
      await Promise.all([
        first.updateSettings({ feature_flags: { [FLAGS[0]!]: on } }),
        second.updateSettings({ feature_flags: { [FLAGS[1]!]: on } }),
        first.updateSettings({ feature_flags: { [FLAGS[2]!]: on } }),
        second.updateSettings({ feature_flags: { [FLAGS[3]!]: on } }),
        first.updateSettings({ disable_auto_order_retry: !on }),
        second.updateSettings({ allow_auto_vendor_fulfill: on ? [1001] : [] }),
      ]);
      const expected = {
        disable_auto_order_retry: !on,
        allow_auto_vendor_fulfill: on ? [1001] : [],
        feature_flags: Object.fromEntries(FLAGS.map((flag) => [flag, on])),
      };
      assert.deepEqual(await first.getSettings(), expected, `round ${round}, as the first instance reads them`);
      assert.deepEqual(await second.getSettings(), expected, `round ${round}, as the second instance reads them`);
    }
  },
);
