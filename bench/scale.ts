/**
 * `npm run bench` (scale): the sandbox's cost as its catalog and its order history grow, as curves in
 * bench/scale-results.json. Each point is the built `starship mock` on a SQLite temp file, as users run it.
 *
 * - Catalog: `--catalog-size` 200, 1,000 and 10,000; GET /products?limit=10000 (the seeds' maximum page),
 *   sequentially (page time) and at 8 connections (rate).
 * - Orders: one bench partner places two real orders over HTTP (one DELIVERED from the stock, one PENDING);
 *   with the sandbox stopped, their rows (order, items, the delivered voucher, re-encrypted under each new id)
 *   are copied into the database file, in the schema's own form, up to 10k, 100k and 1M orders, 30 s apart
 *   going back in time, 80 % DELIVERED. At each size: start-up time (spawn to listening), then GET /orders
 *   filtered by status and the last 48 h (≈ the same matches at every size, as a back office paging today's
 *   orders sees), page 1 and page 50 of 50, sequentially; the same filtered by status alone (whose total
 *   count grows with the history: shown, no target); then the sandbox's RSS.
 *
 * Targets (issue 20): page time at 1M ≤ 2× at 10k; RSS after 1M orders < 400 MB; start-up with 1M < 5 s.
 * BENCH_SCALE_ORDERS (comma-separated) and BENCH_SCALE_CATALOGS change the points.
 */
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { signRequest } from '@starship/sdk';
import { loadEncryptionKey } from '@starship/sandbox/db/encryption-key';
import { createIdFactory } from '@starship/sandbox/domain/ids';
import { decryptText, encryptText } from '@starship/sandbox/domain/voucher-crypto';
import { freePort } from '../tools/prism.ts';
import { repoRoot } from '../tools/repo.ts';
import { cliNode, residentMemoryBytes, startProcess, type Target } from './processes.ts';
import { ADMIN_TOKEN, authHeaders, benchControl, benchPartner, type Credentials } from './sandbox-load.ts';

const ORDER_COUNTS = (process.env.BENCH_SCALE_ORDERS ?? '10000,100000,1000000').split(',').map(Number);
const CATALOG_SIZES = (process.env.BENCH_SCALE_CATALOGS ?? '200,1000,10000').split(',').map(Number);
const ORDER_SPACING_MS = 30_000;
const WINDOW_MS = 48 * 3_600_000;
const DELIVERED_SHARE = 0.8;
const SEQUENTIAL_REQUESTS = 200;
const WARMUP_REQUESTS = 20;

interface Timing {
  mean_ms: number;
  p50_ms: number;
  p99_ms: number;
}

async function startSandbox(dbFile: string, ...extra: string[]): Promise<{ target: Target; startupMs: number }> {
  const port = await freePort();
  const started = performance.now();
  const target = await startProcess(
    'sandbox',
    ...cliNode('mock', '--port', String(port), '--db', dbFile, '--admin-token', ADMIN_TOKEN, ...extra),
    /listening/i,
    `http://127.0.0.1:${port}`,
    600_000,
  );
  return { target, startupMs: Math.round(performance.now() - started) };
}

/** `requests` sent one after another (the page time a single client sees); non-2xx fails the bench. */
async function sequential(origin: string, route: string, credentials: Credentials, requests = SEQUENTIAL_REQUESTS): Promise<Timing & { bytes: number; total_count: number }> {
  const times: number[] = [];
  let bytes = 0;
  let total = 0;
  for (let i = 0; i < requests + WARMUP_REQUESTS; i++) {
    const started = performance.now();
    const response = await fetch(`${origin}/api/v1${route}`, { headers: authHeaders(credentials) });
    const body = await response.arrayBuffer();
    if (!response.ok) throw new Error(`GET ${route}: ${response.status} ${Buffer.from(body).toString()}`);
    // The first ones warm the JIT and the statement cache.
    if (i >= WARMUP_REQUESTS) times.push(performance.now() - started);
    bytes = body.byteLength;
    total = Number(response.headers.get('x-total-count'));
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => Number(times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!.toFixed(2));
  return { mean_ms: Number((times.reduce((a, b) => a + b, 0) / times.length).toFixed(2)), p50_ms: at(0.5), p99_ms: at(0.99), bytes, total_count: total };
}

async function catalogCurve() {
  const points = [];
  for (const size of CATALOG_SIZES) {
    const dir = mkdtempSync(path.join(tmpdir(), 'starship-bench-catalog-'));
    const { target, startupMs } = await startSandbox(path.join(dir, 'bench.db'), '--catalog-size', String(size));
    try {
      const credentials = await benchPartner(benchControl(target.origin), 'Catalog benchmark');
      const route = '/products?limit=10000';
      const page = await sequential(target.origin, route, credentials, 20);
      const load = await autocannon({ url: target.origin, connections: 8, duration: 10, requests: [{ method: 'GET', path: `/api/v1${route}`, headers: authHeaders(credentials) }] });
      const point = {
        catalog_size: size,
        first_start_ms: startupMs,
        page,
        at_8_connections: { requests_per_second: Math.round(load.requests.average), latency_p50_ms: load.latency.p50, latency_p99_ms: load.latency.p99, non_2xx: load.non2xx },
        rss_mb: Math.round(residentMemoryBytes(target.pid) / 1e6),
      };
      console.log(JSON.stringify(point));
      points.push(point);
    } finally {
      await target.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return points;
}

/** Places one order over HTTP, signed, and returns its id. */
async function placeOrder(origin: string, credentials: Credentials, body: object, key: string): Promise<string> {
  const raw = JSON.stringify(body);
  const signed = signRequest({ secret: credentials.apiSecret, method: 'POST', path: '/api/v1/orders', body: raw });
  const response = await fetch(`${origin}/api/v1/orders`, {
    method: 'POST',
    headers: { ...authHeaders(credentials), 'Content-Type': 'application/json', 'Idempotency-Key': key, ...signed.headers },
    body: raw,
  });
  const json = (await response.json()) as { id: string; status: string };
  if (!response.ok) throw new Error(`POST /orders: ${response.status} ${JSON.stringify(json)}`);
  return json.id;
}

type Row = Record<string, unknown>;

/** Copies the two template orders until the database holds `target` orders (the sandbox must be stopped). */
function growOrders(dbFile: string, templates: { delivered: string; pending: string }, target: number): number {
  const db = new Database(dbFile);
  try {
    const key = loadEncryptionKey({ file: dbFile, env: {} });
    const orderOf = (id: string) => db.prepare('select * from orders where id = ?').get(id) as Row;
    const itemsOf = (id: string) => db.prepare('select * from order_items where order_id = ? order by position').all(id) as Row[];
    const delivered = { order: orderOf(templates.delivered), items: itemsOf(templates.delivered) };
    const pending = { order: orderOf(templates.pending), items: itemsOf(templates.pending) };
    const voucher = db.prepare('select * from inventory_vouchers where id = ?').get(delivered.items[0]!.voucher_id) as Row;
    const secret = decryptText(key, voucher.secret_enc as string, `voucher:${voucher.id}`);
    const have = (db.prepare('select count(*) as n from orders').get() as { n: number }).n;
    const newest = Date.parse(delivered.order.created_at as string);
    const insert = (table: string, row: Row) => db.prepare(`insert into ${table} (${Object.keys(row).join(', ')}) values (${Object.keys(row).map(() => '?').join(', ')})`);
    const insertOrder = insert('orders', delivered.order);
    const insertItem = insert('order_items', delivered.items[0]!);
    const insertVoucher = insert('inventory_vouchers', voucher);
    const copy = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const at = newest - (i + 1) * ORDER_SPACING_MS;
        const iso = new Date(at).toISOString();
        const template = (i * 7919) % 100 < DELIVERED_SHARE * 100 ? delivered : pending;
        // A factory per order: a monotonic one would keep the newest time in every id, as these go back in time.
        const newId = createIdFactory();
        const orderId = newId('order', at);
        const timeline = (template.order.timeline_json as string).replaceAll(template.order.created_at as string, iso);
        insertOrder.run(Object.values({ ...template.order, id: orderId, created_at: iso, updated_at: iso, timeline_json: timeline }));
        for (const item of template.items) {
          let voucherId: unknown = null;
          if (item.voucher_id) {
            voucherId = newId('voucher', at);
            insertVoucher.run(Object.values({ ...voucher, id: voucherId, secret_enc: encryptText(key, secret, `voucher:${voucherId}`), created_at: iso, delivered_at: iso }));
          }
          insertItem.run(Object.values({ ...item, id: newId('orderItem', at), order_id: orderId, voucher_id: voucherId, ...(item.delivered_at ? { delivered_at: iso } : {}) }));
        }
      }
    });
    for (let from = have; from < target; from += 50_000) copy(from, Math.min(target, from + 50_000));
    db.pragma('wal_checkpoint(TRUNCATE)');
    return newest;
  } finally {
    db.close();
  }
}

async function ordersCurve() {
  const dir = mkdtempSync(path.join(tmpdir(), 'starship-bench-orders-'));
  const dbFile = path.join(dir, 'bench.db');
  const points = [];
  try {
    let credentials: Credentials;
    let templates: { delivered: string; pending: string };
    {
      const { target } = await startSandbox(dbFile);
      try {
        credentials = await benchPartner(benchControl(target.origin), 'Order history benchmark');
        templates = {
          delivered: await placeOrder(target.origin, credentials, { product_id: 1001, amount: '25.00', quantity: 1, currency: 'USD' }, 'scale-delivered'),
          pending: await placeOrder(target.origin, credentials, { product_id: 2001, amount: '10.00', quantity: 1, currency: 'USD' }, 'scale-pending'),
        };
      } finally {
        await target.stop();
      }
    }
    for (const count of ORDER_COUNTS) {
      const seeding = performance.now();
      const newest = growOrders(dbFile, templates, count);
      const seedMs = Math.round(performance.now() - seeding);
      const { target, startupMs } = await startSandbox(dbFile);
      try {
        const from = new Date(newest - WINDOW_MS).toISOString();
        const to = new Date(newest + 1_000).toISOString();
        const window = `status=DELIVERED&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&limit=50`;
        const point = {
          orders: count,
          bulk_insert_ms: seedMs,
          startup_ms: startupMs,
          status_and_48h: {
            page_1: await sequential(target.origin, `/orders?${window}&page=1`, credentials),
            page_50: await sequential(target.origin, `/orders?${window}&page=50`, credentials),
          },
          status_only_page_50: await sequential(target.origin, '/orders?status=DELIVERED&limit=50&page=50', credentials, 20),
          rss_mb: Math.round(residentMemoryBytes(target.pid) / 1e6),
        };
        console.log(JSON.stringify(point));
        points.push(point);
      } finally {
        await target.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return points;
}

async function main() {
  const started = new Date().toISOString();
  const loadBefore = loadavg().map((n) => Number(n.toFixed(2)));
  const catalog = await catalogCurve();
  const orders = await ordersCurve();
  const first = orders.find((p) => p.orders === Math.min(...ORDER_COUNTS));
  const last = orders.find((p) => p.orders === Math.max(...ORDER_COUNTS));
  // Medians: a busy shared machine stretches a few requests by tens of ms, which would swing a mean.
  const ratio = first && last ? Number((last.status_and_48h.page_50.p50_ms / first.status_and_48h.page_50.p50_ms).toFixed(2)) : undefined;
  const results = {
    started,
    machine: { cpus: cpus().length, cpu_model: cpus()[0]?.model, node: process.version },
    conditions: {
      sandbox: 'built starship mock, SQLite temp file, responses validated (the default)',
      orders: `bulk copies of two real orders (order, items, voucher re-encrypted per id), ${ORDER_SPACING_MS / 1000} s apart, ${DELIVERED_SHARE * 100} % DELIVERED; page time = ${SEQUENTIAL_REQUESTS} sequential requests after ${WARMUP_REQUESTS} warm-up ones (the target compares medians)`,
      load_average_before: loadBefore,
      load_average_after: loadavg().map((n) => Number(n.toFixed(2))),
    },
    catalog_curve: catalog,
    orders_curve: orders,
    targets: {
      orders_page_50_median_at_largest_vs_smallest: ratio,
      orders_page_time_at_1m_at_most_2x_10k: ratio === undefined ? undefined : ratio <= 2,
      rss_after_1m_orders_under_400mb: last ? last.rss_mb < 400 : undefined,
      startup_with_1m_orders_under_5s: last ? last.startup_ms < 5_000 : undefined,
    },
  };
  writeFileSync(path.join(repoRoot, 'bench/scale-results.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(JSON.stringify(results.targets, null, 2));
}

await main();
