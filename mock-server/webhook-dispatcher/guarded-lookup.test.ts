/**
 * DNS rebinding: a name public when it was registered that resolves to an internal address at delivery. The
 * resolver is swapped for one that answers as a rebinding DNS server would; the connection itself is real,
 * to a loopback receiver that must see nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { lookup } from 'node:dns';
import { request } from 'node:http';
import type { LookupFunction } from 'node:net';
import { webhookHosting } from '../domain/webhook-url-policy.ts';
import { TestReceiver } from '../test-support/webhook-receiver.ts';
import { ForbiddenAddressError, guardedLookup } from './guarded-lookup.ts';

/** A resolver that answers `addresses` for every name, as `dns.lookup` with `all` would. */
function answering(...addresses: string[]): typeof lookup {
  return ((_host: string, _options: unknown, callback: (error: null, found: { address: string; family: number }[]) => void) => {
    queueMicrotask(() => callback(null, addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))));
  }) as unknown as typeof lookup;
}

function post(url: string, lookupFn: LookupFunction | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', ...(lookupFn ? { lookup: lookupFn } : {}) }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end('{}');
  });
}

test('hosted: a name resolving to a forbidden address is never connected to; an allowed host is', async () => {
  const receiver = await TestReceiver.start();
  const port = new URL(receiver.url).port;
  try {
    const hosted = webhookHosting({ hosted: true });
    for (const addresses of [['127.0.0.1'], ['93.184.215.14', '127.0.0.1'], ['::1'], ['169.254.169.254']]) {
      await assert.rejects(post(`http://hooks.rebind.example:${port}/hooks/starship`, guardedLookup(hosted, answering(...addresses))), ForbiddenAddressError, addresses.join());
    }
    assert.equal(receiver.received.length, 0, 'nothing reached the loopback receiver');

    const allowed = webhookHosting({ hosted: true, allowHosts: ['hooks.rebind.example'] });
    assert.equal(await post(`http://hooks.rebind.example:${port}/hooks/starship`, guardedLookup(allowed, answering('127.0.0.1'))), 204);
    assert.equal(receiver.received.length, 1);
    assert.equal(guardedLookup(webhookHosting()), undefined, 'not hosted: the system resolver, unchecked');
  } finally {
    await receiver.close();
  }
});
