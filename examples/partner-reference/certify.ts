/**
 * A partner integration test that follows the certification script (scripts/guides/certification.md) the way
 * Starship asks integrations to be written, on the TypeScript SDK:
 * - the SDK's client signs every write afresh, sends one Idempotency-Key per order and reuses it on every
 *   retry, and retries 429/5xx honouring Retry-After;
 * - webhooks are verified by the SDK's Express helper (forged or stale deliveries are refused), acknowledged
 *   at once and de-duplicated on event_id;
 * - responses are read tolerantly: unknown keys are ignored, unknown enum values fall back to a default;
 * - a PENDING order is awaited through its webhook, with a polite poll (every 30 s) as the fallback.
 * Run by `starship conformance partner --run "node --import tsx examples/partner-reference/certify.ts"`.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import { createStarshipClient, isWebhookEventType, starshipWebhooks, type WebhookEvent } from '@starship/sdk';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this through starship conformance partner`);
  return value;
};

const POLL_INTERVAL_MS = 30_000;
const DELIVERY_TIMEOUT_MS = 90_000;

const starship = createStarshipClient({ baseUrl: env('STARSHIP_BASE_URL'), apiKey: env('STARSHIP_API_KEY'), apiSecret: env('STARSHIP_API_SECRET'), maxAttempts: 4 });
const { v1 } = starship;
const instant = { product_id: Number(env('STARSHIP_CERT_INSTANT_PRODUCT_ID')), amount: env('STARSHIP_CERT_INSTANT_AMOUNT'), currency: env('STARSHIP_CERT_INSTANT_CURRENCY') };
const delayed = { product_id: Number(env('STARSHIP_CERT_DELAYED_PRODUCT_ID')), amount: env('STARSHIP_CERT_DELAYED_AMOUNT'), currency: env('STARSHIP_CERT_DELAYED_CURRENCY') };

/** Unknown enum values are informational: compare case-insensitively and fall back to a default. */
const is = (value: unknown, expected: string) => typeof value === 'string' && value.toUpperCase() === expected;

// Webhook receiver: verified deliveries are recorded once per event_id and acknowledged straight away.
const seen = new Set<string>();
const delivered = new Map<string, () => void>();
const deliveredOrders = new Set<string>();
function onEvent(event: WebhookEvent): void {
  if (seen.has(event.event_id)) return;
  seen.add(event.event_id);
  if (isWebhookEventType(event, 'order.delivered')) {
    deliveredOrders.add(event.data.order_id);
    delivered.get(event.data.order_id)?.();
  }
}
// The signing secret comes with the registration, which needs the receiver's URL first.
let receive: RequestHandler = (_req, res) => void res.status(503).end();
const app = express();
app.post('/starship/webhooks', (req, res, next) => receive(req, res, next));
const server = app.listen(0, env('STARSHIP_CERT_WEBHOOK_HOST'));
await once(server, 'listening');
const { port } = server.address() as AddressInfo;

function vouchersOf(order: { items?: Array<{ voucher?: unknown }> }): unknown[] {
  return (order.items ?? []).flatMap((item) => (item.voucher ? [item.voucher] : []));
}

/** Resolves when the order's order.delivered webhook arrives; polls GET /orders/{id} every 30 s meanwhile. */
async function waitForDelivery(orderId: string): Promise<void> {
  const started = Date.now();
  while (!deliveredOrders.has(orderId)) {
    if (Date.now() - started > DELIVERY_TIMEOUT_MS) throw new Error(`order ${orderId} was not delivered within ${DELIVERY_TIMEOUT_MS / 1000} s`);
    const arrived = new Promise<void>((resolve) => delivered.set(orderId, resolve));
    let timer: NodeJS.Timeout | undefined;
    const polled = new Promise<'poll'>((resolve) => (timer = setTimeout(() => resolve('poll'), POLL_INTERVAL_MS)));
    if ((await Promise.race([arrived, polled])) === 'poll' && is((await v1.orders.get(orderId)).status, 'DELIVERED')) return;
    clearTimeout(timer);
  }
}

try {
  // 1. Register the receiver.
  const endpoint = await v1.webhooks.upsert({ url: `http://${env('STARSHIP_CERT_WEBHOOK_HOST')}:${port}/starship/webhooks`, events: ['order.pending', 'order.delivered', 'order.cancelled', 'order.failed'] });
  receive = starshipWebhooks({ secret: endpoint.secret, onEvent, onRejected: (error) => console.error(`webhook refused: ${error.code} ${error.message}`) });

  // 2. Browse.
  const categories = await v1.categories.list();
  const page1 = await v1.products.list({ limit: 5, page: 1 });
  const page2 = page1.pagination.has_more ? await v1.products.list({ limit: 5, page: 2 }) : undefined;
  console.log(`catalogue: ${categories.items.length} categories, ${page1.items.length + (page2?.items.length ?? 0)} products browsed`);

  // 3. Product details and availability.
  const product = await v1.products.get(instant.product_id);
  const availability = await v1.products.checkAvailability(instant.product_id, { denomination: Number(instant.amount), quantity: 1 });
  console.log(`${product.name}: ${availability.is_available ? 'available' : 'unavailable'}, ${availability.delivery_time}`);

  // 4. INSTANT order: vouchers are read with GET /orders/{id}.
  const first = await v1.orders.create({ ...instant, quantity: 1, reference: 'cert-instant' });
  const firstRead = await v1.orders.get(first.id);
  if (vouchersOf(firstRead).length === 0) throw new Error(`order ${first.id} (${firstRead.status}) has no vouchers`);
  console.log(`order ${first.id}: ${firstRead.status}, ${vouchersOf(firstRead).length} voucher(s)`);

  // 5. DELAYED order: PENDING is normal; the webhook says when to read it.
  await v1.products.checkAvailability(delayed.product_id, { denomination: Number(delayed.amount), quantity: 1 });
  const second = await v1.orders.create({ ...delayed, quantity: 1, reference: 'cert-delayed' });
  if (!is(second.status, 'DELIVERED')) await waitForDelivery(second.id);
  const secondRead = await v1.orders.get(second.id);
  if (vouchersOf(secondRead).length === 0) throw new Error(`order ${second.id} (${secondRead.status}) has no vouchers`);
  console.log(`order ${second.id}: ${secondRead.status}, ${vouchersOf(secondRead).length} voucher(s)`);
} finally {
  server.close();
  server.closeAllConnections();
}
