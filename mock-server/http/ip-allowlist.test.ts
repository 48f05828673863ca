import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestHandler } from 'express';
import type { PartnerCredentials } from '../engine.ts';
import { contextOf } from './context.ts';
import { ipAllowlist, isAllowed, normaliseIp } from './ip-allowlist.ts';
import { json, pipeline, serve } from '../test-support/http-harness.ts';

test('CIDR matching: IPv4, IPv6, IPv4-mapped IPv6, host routes, empty lists', () => {
  assert.equal(isAllowed(['203.0.113.0/24'], '203.0.113.7'), true);
  assert.equal(isAllowed(['203.0.113.0/24'], '203.0.114.7'), false);
  assert.equal(isAllowed(['127.0.0.1/32'], '127.0.0.1'), true);
  assert.equal(isAllowed(['127.0.0.1/32'], '::ffff:127.0.0.1'), true);
  assert.equal(isAllowed(['::ffff:10.0.0.0/104'], '10.1.2.3'), true);
  assert.equal(isAllowed(['::1/128'], '::1'), true);
  assert.equal(isAllowed(['2001:db8::/32'], '2001:db8:1::5'), true);
  assert.equal(isAllowed(['2001:db8::/32'], '2001:db9::5'), false);
  assert.equal(isAllowed(['0.0.0.0/0', '::/0'], '198.51.100.1'), true);
  assert.equal(isAllowed([], '127.0.0.1'), false);
  assert.equal(isAllowed(['127.0.0.1/32'], 'not-an-ip'), false);
  assert.equal(normaliseIp('::ffff:192.0.2.1'), '192.0.2.1');
  assert.equal(normaliseIp('::1'), '::1');
});

function partnerWith(ipAllowlist: string[]): RequestHandler {
  return (_req, res, next) => {
    const partner: PartnerCredentials = { partnerId: 'ptr_1', apiKey: 'pk_test_1', apiSecret: 'sk_test_1', ipAllowlist };
    contextOf(res).partner = partner;
    next();
  };
}

test('outside the allowlist → 403 E_IP_NOT_ALLOWED; X-Forwarded-For counts only behind a trusted proxy', async () => {
  const direct = await serve(pipeline([partnerWith(['203.0.113.0/24']), ipAllowlist()]));
  const proxied = await serve(pipeline([partnerWith(['203.0.113.0/24']), ipAllowlist()], { configure: (app) => app.set('trust proxy', true) }));
  const local = await serve(pipeline([partnerWith(['127.0.0.1/32', '::1/128']), ipAllowlist()]));
  try {
    const refused = await fetch(`${direct.url}/x`, { headers: { 'X-Forwarded-For': '203.0.113.9' } });
    assert.equal(refused.status, 403);
    const body = await json(refused);
    assert.equal(body.error.code, 'E_IP_NOT_ALLOWED');
    assert.equal(body.error.name, 'IpNotAllowed');
    assert.match(body.error.message, /127\.0\.0\.1/);

    const viaProxy = await fetch(`${proxied.url}/x`, { headers: { 'X-Forwarded-For': '203.0.113.9' } });
    assert.equal(viaProxy.status, 200);
    assert.deepEqual((await json(viaProxy)).locals.ip, { result: 'PASS', client_ip: '203.0.113.9', reason: null });

    const spoofedOut = await fetch(`${proxied.url}/x`, { headers: { 'X-Forwarded-For': '198.51.100.1' } });
    assert.equal(spoofedOut.status, 403);

    const loopback = await fetch(`${local.url}/x`);
    assert.equal(loopback.status, 200);
  } finally {
    await Promise.all([direct.close(), proxied.close(), local.close()]);
  }
});

test('IPv6 loopback is matched by ::1/128', async (t) => {
  const served = await serve(pipeline([partnerWith(['::1/128']), ipAllowlist()]), '::1').catch(() => undefined);
  if (!served) return t.skip('this host has no IPv6 loopback');
  try {
    const response = await fetch(`${served.url}/x`);
    assert.equal(response.status, 200);
    assert.equal((await json(response)).locals.ip.client_ip, '::1');
  } finally {
    await served.close();
  }
});
