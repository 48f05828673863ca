import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import vm from 'node:vm';
import { verifyRequestSignature } from '@starship/sdk';
import type { Json } from '@starship/contract';
import { signingVectors } from '../../testdata/vectors.ts';
import { bundledSpecPath } from '../../tools/repo.ts';
import { buildPostmanCollection, POSTMAN_SCHEMA, type PostmanRequestItem } from './postman.ts';
import { listOperations } from './spec-walk.ts';

const spec = JSON.parse(readFileSync(bundledSpecPath('starship'), 'utf8')) as Json;
const collection = buildPostmanCollection(spec);
const items = collection.item.flatMap((folder) => folder.item);
const script = collection.event.find((e) => e.listen === 'prerequest')!.script.exec.join('\n');

/** The template path of an item, `/products/{product_id}`, as in the spec. */
function specPath(item: PostmanRequestItem): string {
  return `/${item.request.url.path.map((s) => s.replace(/^:(.+)$/, '{$1}')).join('/')}`;
}

interface Header {
  key: string;
  value: string;
}

interface Sent {
  headers: Header[];
}

/**
 * Runs the collection's pre-request script the way Postman would for one request: `pm.request.url.toString()`
 * resolves path variables but leaves `{{baseUrl}}` for `pm.variables.replaceIn`, as postman-collection's Url
 * does; CryptoJS is a shim over node:crypto that, like CryptoJS, reads strings as UTF-8.
 */
function runPreRequest(
  item: PostmanRequestItem,
  options: {
    pathValues?: Record<string, string>;
    query?: string;
    body?: string;
    headers?: Header[];
    variables?: Record<string, string>;
    nowSeconds?: number;
  } = {},
): Sent {
  const variables: Record<string, string> = {
    baseUrl: 'http://127.0.0.1:4010/api/v1',
    apiKey: 'pk_test_postman',
    apiSecret: 'sk_test_postman',
    ...options.variables,
  };
  const replaceIn = (text: string) =>
    text.replace(/\{\{([^}]+)\}\}/g, (whole, name: string) => (name === '$guid' ? randomUUID() : (variables[name] ?? whole)));
  const pathValues = {
    ...Object.fromEntries((item.request.url.variable ?? []).map((v) => [v.key, v.value])),
    ...options.pathValues,
  };
  const headers: Header[] = [...item.request.header, ...(options.headers ?? [])].map((h) => ({ ...h }));
  const find = (key: string) => headers.find((h) => h.key.toLowerCase() === key.toLowerCase());
  const body = options.body ?? item.request.body?.raw;
  const pm = {
    request: {
      method: item.request.method,
      url: {
        toString: () =>
          `${item.request.url.host.join('.')}/${item.request.url.path
            .map((segment) => (segment.startsWith(':') ? (pathValues[segment.slice(1)] ?? segment) : segment))
            .join('/')}${options.query ? `?${options.query}` : ''}`,
      },
      body: body === undefined ? undefined : { mode: 'raw', raw: body },
      headers: {
        has: (key: string) => find(key) !== undefined,
        upsert: ({ key, value }: Header) => {
          const existing = find(key);
          if (existing) existing.value = value;
          else headers.push({ key, value });
        },
      },
    },
    variables: { get: (name: string) => variables[name], replaceIn },
  };
  const CryptoJS = {
    enc: { Hex: 'hex' },
    HmacSHA256: (message: string, key: string) => ({
      toString: (encoding: string) => createHmac('sha256', Buffer.from(key, 'utf8')).update(Buffer.from(message, 'utf8')).digest(encoding as 'hex'),
    }),
  };
  const nowMs = (options.nowSeconds ?? Math.floor(Date.now() / 1000)) * 1000;
  const FixedDate = { now: () => nowMs };
  vm.runInNewContext(script, { pm, CryptoJS, Date: FixedDate, Math, String, Error, JSON });
  return { headers };
}

function header(sent: Sent, key: string): string | undefined {
  return sent.headers.find((h) => h.key.toLowerCase() === key.toLowerCase())?.value;
}

test('the collection is Postman v2.1 with baseUrl/apiKey/apiSecret and chained-id variables and every operation of the spec', () => {
  assert.equal(collection.info.schema, POSTMAN_SCHEMA);
  assert.deepEqual(
    collection.variable.map((v) => v.key),
    ['baseUrl', 'apiKey', 'apiSecret', 'orderId', 'webhookId'],
  );
  assert.equal(collection.variable[0]!.value, 'http://127.0.0.1:4010/api/v1');
  const inCollection = items.map((item) => `${item.request.method} ${specPath(item)}`).sort();
  const inSpec = listOperations(spec)
    .map((op) => `${op.method} ${op.path}`)
    .sort();
  assert.deepEqual(inCollection, inSpec);
  for (const item of items) {
    assert.ok(item.request.url.raw.startsWith('{{baseUrl}}/'), item.name);
    assert.ok(item.request.header.some((h) => h.key === 'X-API-Key' && h.value === '{{apiKey}}'));
    assert.ok(item.request.header.some((h) => h.key === 'X-API-Secret' && h.value === '{{apiSecret}}'));
  }
});

test('the pre-request script reproduces every shared request-signing vector', () => {
  const byOperation = (method: string, path: string) => {
    const item = items.find((i) => {
      const pattern = new RegExp(`^${specPath(i).replace(/\{[^}]+\}/g, '[^/]+')}$`);
      return i.request.method === method && pattern.test(path);
    });
    assert.ok(item, `no collection item for ${method} ${path}`);
    return item;
  };
  for (const vector of signingVectors.request_signing) {
    const [fullPath = '', query] = vector.path.split('?');
    const path = fullPath.replace(/^\/api\/v1/, '');
    const item = byOperation(vector.method, path);
    const templateSegments = item.request.url.path;
    const pathValues = Object.fromEntries(
      path
        .split('/')
        .filter(Boolean)
        .flatMap((segment, i) => (templateSegments[i]?.startsWith(':') ? [[templateSegments[i]!.slice(1), segment]] : [])),
    );
    const sent = runPreRequest(item, {
      pathValues,
      ...(query === undefined ? {} : { query }),
      body: vector.body,
      variables: { apiSecret: vector.secret },
      nowSeconds: vector.timestamp,
    });
    assert.equal(header(sent, 'X-Timestamp'), String(vector.timestamp), vector.canonical);
    assert.equal(header(sent, 'X-Signature'), vector.x_signature, vector.canonical);
  }
});

test('every write item, sent as generated, carries a signature the SDK verifier accepts; reads are not signed', () => {
  for (const item of items) {
    const now = 1_800_000_000;
    const sent = runPreRequest(item, { nowSeconds: now });
    if (item.request.method === 'GET') {
      assert.equal(header(sent, 'X-Signature'), undefined, item.name);
      continue;
    }
    const path = `/api/v1/${item.request.url.path
      .map((s) => (s.startsWith(':') ? item.request.url.variable!.find((v) => v.key === s.slice(1))!.value : s))
      .join('/')}`;
    const verdict = verifyRequestSignature({
      secret: 'sk_test_postman',
      method: item.request.method,
      path,
      body: item.request.body?.raw ?? '',
      timestampHeader: header(sent, 'X-Timestamp'),
      signatureHeader: header(sent, 'X-Signature'),
      now,
    });
    assert.equal(verdict.ok, true, `${item.name}: ${JSON.stringify(verdict)}`);
  }
});

test('POST /orders gets an Idempotency-Key unless one is set, which is then kept for the retry', () => {
  const createOrder = items.find((i) => i.request.method === 'POST' && specPath(i) === '/orders')!;
  const first = header(runPreRequest(createOrder), 'Idempotency-Key');
  assert.match(first ?? '', /^[0-9a-f-]{36}$/);
  assert.notEqual(header(runPreRequest(createOrder), 'Idempotency-Key'), first, 'a new key per new request');
  const retried = runPreRequest(createOrder, { headers: [{ key: 'Idempotency-Key', value: 'order-42' }] });
  assert.equal(header(retried, 'Idempotency-Key'), 'order-42');
  const listOrders = items.find((i) => i.request.method === 'GET' && specPath(i) === '/orders')!;
  assert.equal(header(runPreRequest(listOrders), 'Idempotency-Key'), undefined);
});

test('a write without apiSecret fails loudly instead of going out unsigned', () => {
  const createOrder = items.find((i) => i.request.method === 'POST' && specPath(i) === '/orders')!;
  assert.throws(() => runPreRequest(createOrder, { variables: { apiSecret: '' } }), /Set the collection variable apiSecret/);
});

test('optional query parameters start disabled, with percent-encoded examples', () => {
  const listProducts = items.find((i) => i.request.method === 'GET' && specPath(i) === '/products')!;
  const category = listProducts.request.url.query!.find((q) => q.key === 'category')!;
  assert.deepEqual([category.value, category.disabled], ['Gift%20Cards', true]);
});

test('ids are chained: the request that creates an order or a webhook keeps its id, the requests that use one send it', () => {
  const byName = (method: string, path: string) => items.find((i) => i.request.method === method && specPath(i) === path)!;
  const script = (item: PostmanRequestItem) => item.event.find((e) => e.listen === 'test')!.script.exec.join('\n');
  assert.match(script(byName('POST', '/orders')), /pm\.collectionVariables\.set\("orderId", id\)/);
  assert.match(script(byName('POST', '/webhooks')), /pm\.collectionVariables\.set\("webhookId", id\)/);
  assert.deepEqual(byName('GET', '/orders/{order_id}').request.url.variable, [{ key: 'order_id', value: '{{orderId}}' }]);
  for (const [method, path] of [['PUT', '/webhooks/{webhook_id}'], ['DELETE', '/webhooks/{webhook_id}'], ['POST', '/webhooks/{webhook_id}/rotate-secret']] as const) {
    assert.deepEqual(byName(method, path).request.url.variable, [{ key: 'webhook_id', value: '{{webhookId}}' }], `${method} ${path}`);
  }
  const webhooks = collection.item.find((folder) => folder.name === 'Webhooks')!.item.map((i) => i.request.method);
  assert.equal(webhooks.at(-1), 'DELETE', 'a folder deletes last');
  for (const item of items) assert.match(script(item), /pm\.test\(/, `${item.name} has tests`);
});
