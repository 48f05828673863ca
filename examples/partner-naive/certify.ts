/**
 * A naive partner integration, the kind certification exists to catch. It follows the certification script
 * (scripts/guides/certification.md) with a hand-written client, and gets four things wrong:
 * - it retries a failed POST with a new Idempotency-Key (a new key per attempt);
 * - it retries a 429 at once, ignoring Retry-After;
 * - its webhook receiver trusts every delivery without checking the signature or the timestamp;
 * - it parses responses strictly (strict.ts): an unknown key or enum value aborts the step.
 * Signing is done right (by hand), and each script step runs on even when an earlier one failed, like test
 * cases of one suite; the process exits 1 when a step failed.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { strictParse } from './strict.ts';

const env = (name: string): string => process.env[name] ?? '';
const base = new URL(env('STARSHIP_BASE_URL'));
const key = env('STARSHIP_API_KEY');
const secret = env('STARSHIP_API_SECRET');
const instant = { product_id: Number(env('STARSHIP_CERT_INSTANT_PRODUCT_ID')), amount: env('STARSHIP_CERT_INSTANT_AMOUNT'), currency: env('STARSHIP_CERT_INSTANT_CURRENCY') };
const delayed = { product_id: Number(env('STARSHIP_CERT_DELAYED_PRODUCT_ID')), amount: env('STARSHIP_CERT_DELAYED_AMOUNT'), currency: env('STARSHIP_CERT_DELAYED_CURRENCY') };

interface Order {
  id: string;
  status: string;
  items: Array<{ voucher?: { code: string } }>;
}

async function call(method: string, path: string, body?: unknown): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    const fullPath = `${base.pathname}${path}`;
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers: Record<string, string> = { 'X-API-Key': key, 'X-API-Secret': secret };
    if (method !== 'GET') {
      const ts = String(Math.floor(Date.now() / 1000));
      headers['X-Timestamp'] = ts;
      headers['X-Signature'] = `t=${ts},v1=${createHmac('sha256', secret).update(ts + method + fullPath + text).digest('hex')}`;
      headers['Content-Type'] = 'application/json';
      // A fresh key on every attempt: the retry of a failed order is a brand-new order to the server.
      if (path === '/orders') headers['Idempotency-Key'] = randomUUID();
    }
    const response = await fetch(new URL(fullPath, base), { method, headers, body: method === 'GET' ? undefined : text });
    // Retried straight away, whatever Retry-After says.
    if ((response.status === 429 || response.status >= 500) && attempt < 3) continue;
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${await response.text()}`);
    return response.json();
  }
}

// Webhook receiver: takes every delivery at its word.
const waiting = new Map<string, () => void>();
const deliveredOrders = new Set<string>();
const receiver = createServer((req, res) => {
  let raw = '';
  req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
  req.on('end', () => {
    const event = JSON.parse(raw) as { event_type: string; data: { order_id: string } };
    if (event.event_type === 'order.delivered') {
      deliveredOrders.add(event.data.order_id);
      waiting.get(event.data.order_id)?.();
    }
    res.writeHead(204).end();
  });
});
receiver.listen(0, env('STARSHIP_CERT_WEBHOOK_HOST'));
await once(receiver, 'listening');
const { port } = receiver.address() as AddressInfo;

const failures: string[] = [];
async function step(name: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
    console.log(`ok   ${name}`);
  } catch (error) {
    failures.push(name);
    console.error(`FAIL ${name}: ${(error as Error).message}`);
  }
}

const readOrder = async (id: string) => strictParse<Order>(await call('GET', `/orders/${id}`), 'Order');

await step('register the webhook receiver', async () => {
  strictParse(await call('POST', '/webhooks', { url: `http://${env('STARSHIP_CERT_WEBHOOK_HOST')}:${port}/hooks`, events: ['order.pending', 'order.delivered'] }), 'WebhookEndpointWithSecret');
});
await step('browse the catalogue', async () => {
  for (const category of (await call('GET', '/categories')) as unknown[]) strictParse(category, 'Category');
  for (const page of [1, 2]) for (const product of (await call('GET', `/products?limit=5&page=${page}`)) as unknown[]) strictParse(product, 'Product');
});
await step('product details and availability', async () => {
  strictParse(await call('GET', `/products/${instant.product_id}`), 'Product');
  strictParse(await call('POST', `/products/${instant.product_id}/availability`, { denomination: Number(instant.amount), quantity: 1 }), 'Availability');
});
await step('INSTANT order and its vouchers', async () => {
  const order = strictParse<Order>(await call('POST', '/orders', { ...instant, quantity: 1 }), 'Order');
  if (!(await readOrder(order.id)).items.some((item) => item.voucher)) throw new Error('no voucher');
});
await step('DELAYED order, its webhook and its vouchers', async () => {
  strictParse(await call('POST', `/products/${delayed.product_id}/availability`, { denomination: Number(delayed.amount), quantity: 1 }), 'Availability');
  const order = strictParse<Order>(await call('POST', '/orders', { ...delayed, quantity: 1 }), 'Order');
  if (order.status !== 'DELIVERED' && !deliveredOrders.has(order.id)) await new Promise<void>((resolve) => waiting.set(order.id, resolve));
  if (!(await readOrder(order.id)).items.some((item) => item.voucher)) throw new Error('no voucher');
});

receiver.close();
receiver.closeAllConnections();
if (failures.length > 0) {
  console.error(`${failures.length} step(s) failed: ${failures.join('; ')}`);
  process.exit(1);
}
