/**
 * `npm run bench` (webhooks): the sandbox as a child process (`starship mock` on a temp SQLite file) delivering
 * to a node:http receiver in this process, at 1,000 orders.
 * - live: 1,000 orders placed over HTTP (signed), paced at BENCH_WEBHOOK_RATE orders/s (500 by default: the
 *   issue's target rate; an open loop, each order sent on its schedule whatever the answers before it),
 *   receiver up. Delivery lag = arrival time − the event's created_at (same machine, same clock: the sandbox
 *   clock is not advanced before this run); events/s = events ÷ (last arrival − first event created).
 * - backlog: 1,000 more orders while the receiver answers 503, then the clock is advanced past the first retry
 *   and the receiver answers 204: how fast the dispatcher drains a backlog (events ÷ drain time).
 * Writes bench/webhook-results.json.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { signRequest } from '@starship/sdk';
import { freePort } from '../tools/prism.ts';
import { repoRoot } from '../tools/repo.ts';
import { startProcess, cliNode } from './processes.ts';
import { ADMIN_TOKEN, benchControl, benchPartner } from './sandbox-load.ts';

const ORDERS = Number(process.env.BENCH_WEBHOOK_ORDERS ?? 1_000);
const IN_FLIGHT = 32;
const RATE = Number(process.env.BENCH_WEBHOOK_RATE ?? 500);

interface Arrival {
  eventId: string;
  createdAt: number;
  arrivedAt: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'starship-bench-webhooks-'));
  const port = await freePort();
  const sandbox = await startProcess(
    'sandbox',
    ...cliNode('mock', '--port', String(port), '--db', path.join(dir, 'bench.db'), '--admin-token', ADMIN_TOKEN),
    /listening/i,
    `http://127.0.0.1:${port}`,
  );
  let status = 204;
  const arrivals = new Map<string, Arrival>();
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (status < 300) {
        const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { event_id: string; created_at: string };
        if (!arrivals.has(event.event_id)) arrivals.set(event.event_id, { eventId: event.event_id, createdAt: Date.parse(event.created_at), arrivedAt: Date.now() });
      }
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

  try {
    const control = benchControl(sandbox.origin);
    const partner = await benchPartner(control, 'Webhook benchmark');
    const partnerPost = async (route: string, body: unknown, key: string) => {
      const raw = JSON.stringify(body);
      const signed = signRequest({ secret: partner.apiSecret, method: 'POST', path: `/api/v1${route}`, body: raw });
      const response = await fetch(`${sandbox.origin}/api/v1${route}`, {
        method: 'POST',
        headers: { 'X-API-Key': partner.apiKey, 'X-API-Secret': partner.apiSecret, 'Content-Type': 'application/json', 'Idempotency-Key': key, ...signed.headers },
        body: raw,
      });
      if (!response.ok) throw new Error(`POST ${route}: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    };
    await partnerPost('/webhooks', { url: receiverUrl, events: ['order.delivered'] }, 'bench-hook');
    await control.pumpInventory({ body: { product_id: 1001, amount: '25.00', currency: 'USD', count: 2 * ORDERS } });

    const placeOrders = async (prefix: string) => {
      let next = 0;
      const started = Date.now();
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (next < ORDERS) {
            const i = next++;
            await partnerPost('/orders', { product_id: 1001, amount: '25.00', quantity: 1, currency: 'USD', reference: `${prefix}-${i}` }, `${prefix}-${i}`);
          }
        }),
      );
      return Date.now() - started;
    };
    /** ORDERS orders, the i-th sent at i / RATE seconds. */
    const placePaced = async (prefix: string) => {
      const started = performance.now();
      const sent: Promise<void>[] = [];
      for (let i = 0; i < ORDERS; i++) {
        const wait = started + (i * 1000) / RATE - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        sent.push(partnerPost('/orders', { product_id: 1001, amount: '25.00', quantity: 1, currency: 'USD' }, `${prefix}-${i}`));
      }
      await Promise.all(sent);
      return performance.now() - started;
    };
    const waitFor = async (count: number) => {
      const deadline = Date.now() + 120_000;
      while (arrivals.size < count) {
        if (Date.now() > deadline) throw new Error(`only ${arrivals.size} of ${count} events arrived`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };

    // live
    const liveMs = await placePaced('live');
    await waitFor(ORDERS);
    const live = [...arrivals.values()];
    const lags = live.map((a) => a.arrivedAt - a.createdAt).sort((a, b) => a - b);
    const liveSpanMs = Math.max(...live.map((a) => a.arrivedAt)) - Math.min(...live.map((a) => a.createdAt));

    // backlog
    status = 503;
    await placeOrders('backlog');
    const backlogDeadline = Date.now() + 120_000;
    while ((await control.listWebhookDeliveries({ query: { status: 'PENDING', limit: 1 } })).length > 0) {
      if (Date.now() > backlogDeadline) throw new Error('the first attempts of the backlog did not finish');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    status = 204;
    const drainStart = Date.now();
    await control.advanceClock({ body: { seconds: 60 } });
    await waitFor(2 * ORDERS);
    const drainMs = Math.max(...[...arrivals.values()].map((a) => a.arrivedAt)) - drainStart;

    const results = {
      started: new Date().toISOString(),
      machine: { cpus: cpus().length, cpu_model: cpus()[0]?.model, node: process.version },
      settings: { orders: ORDERS, live_orders_per_second: RATE, backlog_orders_in_flight: IN_FLIGHT, event: 'order.delivered', endpoints: 1 },
      live: {
        orders_placed_per_second: Math.round((ORDERS / liveMs) * 1000),
        events_delivered: live.length,
        events_delivered_per_second: Math.round((live.length / liveSpanMs) * 1000),
        delivery_lag_p50_ms: percentile(lags, 50),
        delivery_lag_p99_ms: percentile(lags, 99),
        delivery_lag_max_ms: lags.at(-1),
      },
      backlog: {
        events: ORDERS,
        drain_ms: drainMs,
        events_delivered_per_second: Math.round((ORDERS / drainMs) * 1000),
      },
    };
    writeFileSync(path.join(repoRoot, 'bench/webhook-results.json'), JSON.stringify(results, null, 2) + '\n');
    console.log(JSON.stringify(results, null, 2));
  } finally {
    await sandbox.stop().catch(() => {});
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
