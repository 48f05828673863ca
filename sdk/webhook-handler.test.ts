import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import express, { type Request } from 'express';
import { signingVectors } from '../testdata/vectors.ts';
import { starshipWebhooks, type StarshipWebhooksOptions } from './webhook-handler.ts';
import { signWebhookPayload } from './webhooks.ts';
import type { WebhookEvent } from './webhook-event.ts';

const [vector] = signingVectors.webhook_signing;
const { secret, body, timestamp } = vector!;
const now = () => timestamp;

async function serve(server: Server, run: (url: string) => Promise<void>): Promise<void> {
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

function post(url: string, payload: string, signature: string | undefined) {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(signature ? { 'X-Signature': signature } : {}) }, body: payload });
}

async function withHandler(options: Partial<StarshipWebhooksOptions>, run: (url: string, events: WebhookEvent[]) => Promise<void>, mount?: (app: express.Express) => void) {
  const events: WebhookEvent[] = [];
  const app = express();
  mount?.(app);
  app.post('/hooks', starshipWebhooks({ secret, now, onEvent: (event) => void events.push(event), ...options }));
  await serve(createServer(app), (url) => run(url, events));
}

test('one line: a signed delivery is verified over its raw bytes, handed over typed, and answered 204', async () => {
  await withHandler({}, async (url, events) => {
    const response = await post(url, body, vector!.x_signature);
    assert.equal(response.status, 204);
    assert.deepEqual(events, [JSON.parse(body)]);
  });
});

test('forged → 401, stale, malformed or not an event → 400, in the error envelope; onEvent never runs', async () => {
  const rejected: string[] = [];
  await withHandler({ onRejected: (error) => void rejected.push(error.code) }, async (url, events) => {
    const cases: Array<[string, string | undefined, number, string]> = [
      ['forged', signWebhookPayload({ secrets: 'whsec_not_the_secret', timestamp, body }), 401, 'E_SIGNATURE_INVALID'],
      ['tampered body', vector!.x_signature, 401, 'E_SIGNATURE_INVALID'],
      ['stale', signWebhookPayload({ secrets: secret, timestamp: timestamp - 301, body }), 400, 'E_TIMESTAMP_OUT_OF_WINDOW'],
      ['missing header', undefined, 400, 'E_SIGNATURE_MALFORMED'],
      ['not an event', signWebhookPayload({ secrets: secret, timestamp, body: '{"hello":1}' }), 400, 'E_PAYLOAD_INVALID'],
    ];
    for (const [name, signature, status, code] of cases) {
      const payload = name === 'tampered body' ? body.replace('}', ' }') : name === 'not an event' ? '{"hello":1}' : body;
      const response = await post(url, payload, signature);
      assert.equal(response.status, status, name);
      const envelope = (await response.json()) as { error: { code: string; name: string; message: string } };
      assert.equal(envelope.error.code, code, name);
      assert.ok(envelope.error.message.length > 0);
    }
    assert.equal(events.length, 0);
  });
  assert.equal(rejected.length, 5);
});

test('during a rotation both secrets are accepted', async () => {
  await withHandler({ secret: ['whsec_new_one', secret] }, async (url, events) => {
    assert.equal((await post(url, body, vector!.x_signature)).status, 204);
    assert.equal(events.length, 1);
  });
});

test('works behind express.raw(); a body already parsed by express.json() is refused with a clear 500', async () => {
  await withHandler({}, async (url, events) => {
    assert.equal((await post(url, body, vector!.x_signature)).status, 204);
    assert.equal(events.length, 1);
  }, (app) => app.use(express.raw({ type: 'application/json' })));
  await withHandler({}, async (url, events) => {
    const response = await post(url, body, vector!.x_signature);
    assert.equal(response.status, 500);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'E_RAW_BODY_UNAVAILABLE');
    assert.equal(events.length, 0);
  }, (app) => app.use(express.json()));
});

test('a failing onEvent is answered 500 (so Starship retries) and reported through onError', async () => {
  const failures: unknown[] = [];
  await withHandler(
    {
      onEvent: () => {
        throw new Error('database down');
      },
      onError: (error) => void failures.push(error),
    },
    async (url) => {
      const response = await post(url, body, vector!.x_signature);
      assert.equal(response.status, 500);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'E_HANDLER_FAILED');
    },
  );
  assert.equal(failures.length, 1);
});

test('a body over the limit is refused with 413 before verification', async () => {
  await withHandler({ limitBytes: 10 }, async (url, events) => {
    assert.equal((await post(url, body, vector!.x_signature)).status, 413);
    assert.equal(events.length, 0);
  });
});

test('plain node:http: the handler is a request listener, with the same answers and envelope', async () => {
  const events: WebhookEvent[] = [];
  const rejected: string[] = [];
  const handler = starshipWebhooks({ secret, now, onEvent: (event) => void events.push(event), onRejected: (error) => void rejected.push(error.code) });
  await serve(createServer(handler), async (url) => {
    assert.equal((await post(url, body, vector!.x_signature)).status, 204);
    const forged = await post(url, body, signWebhookPayload({ secrets: 'whsec_not_the_secret', timestamp, body }));
    assert.equal(forged.status, 401);
    assert.match(forged.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(((await forged.json()) as { error: { code: string; name: string } }).error.code, 'E_SIGNATURE_INVALID');
  });
  assert.deepEqual(events, [JSON.parse(body)]);
  assert.deepEqual(rejected, ['E_SIGNATURE_INVALID']);
});

test("in Express, onEvent is typed with Express's request when it asks for one", async () => {
  const paths: string[] = [];
  const app = express();
  app.post('/hooks', starshipWebhooks({ secret, now, onEvent: (_event, req: Request) => void paths.push(req.path) }));
  await serve(createServer(app), async (url) => {
    assert.equal((await post(url, body, vector!.x_signature)).status, 204);
  });
  assert.deepEqual(paths, ['/hooks']);
});
