/**
 * Regression (issue 18): POST /sandbox/v1/reset while orders were being placed made some of them 500 (a
 * foreign-key failure: the order of a partner the reset had just deleted). Orders in flight now either
 * complete before the reset or get the clean 401 a deleted partner's key gets; nothing is half-written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestEngine } from './test-support/engine.ts';
import { TestSandbox } from './test-support/sandbox.ts';

test('resets while orders run: every order answers 200 or 401, never 5xx; the sandbox is empty and consistent after', { timeout: 120_000 }, async () => {
  const ts = await TestSandbox.start();
  try {
    const statuses = new Map<number, number>();
    for (let round = 0; round < 3; round++) {
      const partners = await Promise.all([ts.partner(), ts.partner()]);
      const orders = partners.flatMap((partner, p) =>
        Array.from({ length: 20 }, (_, i) =>
          partner.call('POST', '/api/v1/orders', {
            body: JSON.stringify({ product_id: 1001, amount: '10.00', quantity: 1 }),
            headers: { 'Idempotency-Key': `reset-${round}-${p}-${i}` },
          }),
        ),
      );
      const reset = new Promise((resolve) => setTimeout(resolve, 15)).then(() => ts.control('POST', '/reset'));
      const [replies, resetReply] = await Promise.all([ts.withoutSpecCheck(() => Promise.all(orders)), reset]);
      assert.ok(resetReply.status < 300, JSON.stringify(ts.logLines.filter((line) => Number(line.level) >= 50)).slice(0, 1500));
      for (const reply of replies) {
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        assert.ok(reply.status === 200 || reply.status === 401, `${reply.status} ${JSON.stringify(ts.logLines.filter((line) => Number(line.level) >= 50)).slice(0, 1200)}`);
      }
      const left = await (ts.sandbox.engine as TestEngine).context.db.selectFrom('orders').select('id').execute();
      assert.deepEqual(left, [], 'orders committed before the reset were wiped with it; none was written after');
    }
    assert.ok((statuses.get(401) ?? 0) > 0, `some orders met the reset: ${JSON.stringify([...statuses])}`);
    ts.assertConforming();
  } finally {
    await ts.close();
  }
});
