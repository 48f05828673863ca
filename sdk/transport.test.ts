import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStarshipTransport } from './transport.ts';
import { verifyRequestSignature } from './signing.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A real HTTP server on loopback that answers with the scripted responses in turn and records each request. */
async function scriptedServer(script: ((res: ServerResponse) => void)[]) {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) });
    const respond = script[Math.min(seen.length - 1, script.length - 1)]!;
    respond(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { seen, base: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}

const reply = (status: number, headers: Record<string, string> = {}, body = '{}') => (res: ServerResponse) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(body);
};

const credentials = { apiKey: 'pk_test_1', apiSecret: 'sk_test_5f1c9a' };

test('a POST retried after 503 and 429 keeps its Idempotency-Key, re-signs with a fresh timestamp and waits Retry-After', async (t) => {
  const server = await scriptedServer([reply(503), reply(429, { 'Retry-After': '2' }), reply(200, {}, '{"ok":true}')]);
  t.after(server.close);
  let clock = 1_744_646_400;
  const delays: number[] = [];
  const fetchSigned = createStarshipTransport({
    ...credentials,
    now: () => clock,
    sleep: async (ms) => {
      delays.push(ms);
      clock += 10;
    },
  });
  const body = '{"product_id":1001,"amount":"25.00","quantity":1,"reférence":"é"}';
  const response = await fetchSigned(new Request(`${server.base}/api/v1/orders?x=1`, { method: 'POST', body }));
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { ok: true });
  assert.equal(server.seen.length, 3);
  const keys = new Set(server.seen.map((s) => s.headers['idempotency-key']));
  assert.equal(keys.size, 1);
  assert.match(String([...keys][0]), /^idk_[0-9A-HJKMNP-TV-Z]{26}$/);
  assert.deepEqual(
    server.seen.map((s) => s.headers['x-timestamp']),
    ['1744646400', '1744646410', '1744646420'],
  );
  for (const s of server.seen) {
    assert.equal(s.headers['x-api-key'], 'pk_test_1');
    assert.equal(s.headers['x-api-secret'], 'sk_test_5f1c9a');
    assert.equal(s.body.toString('utf8'), body);
    const verdict = verifyRequestSignature({
      secret: credentials.apiSecret,
      method: s.method,
      path: s.url,
      body: s.body,
      timestampHeader: s.headers['x-timestamp'] as string,
      signatureHeader: s.headers['x-signature'] as string,
      now: Number(s.headers['x-timestamp']),
    });
    assert.equal(verdict.ok, true, JSON.stringify(verdict));
  }
  assert.ok(delays[0]! < 250, `first backoff ${delays[0]} is within the base delay`);
  assert.ok(delays[1]! >= 2000, `second wait ${delays[1]} honours Retry-After: 2`);
});

test('two logical POSTs get two different Idempotency-Keys; a caller-supplied key is kept', async (t) => {
  const server = await scriptedServer([reply(200)]);
  t.after(server.close);
  const fetchSigned = createStarshipTransport(credentials);
  await fetchSigned(new Request(`${server.base}/api/v1/orders`, { method: 'POST', body: '{}' }));
  await fetchSigned(new Request(`${server.base}/api/v1/orders`, { method: 'POST', body: '{}' }));
  await fetchSigned(
    new Request(`${server.base}/api/v1/orders`, { method: 'POST', body: '{}', headers: { 'Idempotency-Key': 'mine-1' } }),
  );
  const [a, b, c] = server.seen.map((s) => s.headers['idempotency-key']);
  assert.notEqual(a, b);
  assert.equal(c, 'mine-1');
});

test('GETs are not signed and carry no Idempotency-Key; 4xx other than 429 is not retried', async (t) => {
  const server = await scriptedServer([reply(404, {}, '{"error":{"name":"NotFound","code":"E_NOT_FOUND","message":"x"}}')]);
  t.after(server.close);
  const fetchSigned = createStarshipTransport({ ...credentials, sleep: async () => assert.fail('must not retry') });
  const response = await fetchSigned(new Request(`${server.base}/api/v1/orders/ord_1`));
  assert.equal(response.status, 404);
  assert.equal(server.seen.length, 1);
  const [only] = server.seen;
  assert.equal(only!.headers['x-signature'], undefined);
  assert.equal(only!.headers['x-timestamp'], undefined);
  assert.equal(only!.headers['idempotency-key'], undefined);
  assert.equal(only!.headers['x-api-key'], 'pk_test_1');
});

test('the last response is returned once attempts run out, and a Retry-After beyond the budget is not waited for', async (t) => {
  const server = await scriptedServer([reply(503)]);
  t.after(server.close);
  const fetchSigned = createStarshipTransport({ ...credentials, maxAttempts: 4, sleep: async () => {} });
  assert.equal((await fetchSigned(new Request(`${server.base}/api/v1/wallets`))).status, 503);
  assert.equal(server.seen.length, 4);

  const limited = await scriptedServer([reply(429, { 'Retry-After': '3600' })]);
  t.after(limited.close);
  const patient = createStarshipTransport({ ...credentials, sleep: async () => assert.fail('must not wait an hour') });
  assert.equal((await patient(new Request(`${limited.base}/api/v1/wallets`))).status, 429);
  assert.equal(limited.seen.length, 1);
});

test('connection failures are retried, then rethrown', async () => {
  // A port we just closed: connecting to it is refused, as when the API is down.
  const server = await scriptedServer([reply(200)]);
  await server.close();
  const retries: number[] = [];
  const fetchSigned = createStarshipTransport({
    ...credentials,
    sleep: async () => {},
    onRetry: (event) => retries.push(event.attempt),
  });
  await assert.rejects(fetchSigned(new Request(`${server.base}/api/v1/wallets`)), /fetch failed/);
  assert.deepEqual(retries, [1, 2]);
});
