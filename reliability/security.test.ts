/** Isolation, control-API auth, IP allowlist vs forwarding headers, rate-limit buckets, secrets at rest and in logs (security.ts). */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { runSecurity, type SecurityFigures } from './security.ts';

let figures: SecurityFigures;
before(async () => {
  figures = await runSecurity();
});

const about = (topic: string) => figures.violations.filter((v) => v.startsWith(topic));

test("partner A can neither read nor change partner B's orders, transactions, wallets, webhooks or request log", () => {
  assert.ok(figures.isolation_checks >= 15);
  assert.deepEqual(about('isolation'), []);
});

test('partner credentials never open the control API, however presented', () => {
  assert.ok(figures.control_api_attempts > 0);
  assert.deepEqual(about('control API'), []);
});

test('X-Forwarded-For and its cousins cannot bypass the IP allowlist unless trust-proxy is configured', () => {
  assert.ok(figures.forwarded_for_attempts > 0);
  assert.deepEqual(about('IP allowlist'), []);
});

test('path case, trailing slashes and query strings share one rate-limit bucket', () => {
  assert.ok(figures.rate_limit_variants > 0);
  assert.deepEqual(about('rate limit'), []);
});

test('API secrets, webhook secrets and voucher codes are encrypted at rest and never in the logs', () => {
  assert.ok(figures.at_rest.cells > 0 && figures.logs.lines > 0);
  assert.deepEqual(about('at rest'), []);
  assert.deepEqual(about('logs'), []);
  assert.deepEqual(about('too few'), []);
});

test('no other violation', () => {
  assert.deepEqual(figures.violations, []);
});
