/**
 * Crash recovery: the sandbox runs as a child process on a SQLite file under a load of signed orders
 * (some delivered from a pumped pool, the rest PENDING), is killed with SIGKILL mid-load and restarted on
 * the same file. Then every order that was answered 2xx is there with the status it was answered with;
 * nothing is half-written (no debit without its order, no order without its debit, every wallet equals its
 * ledger); and re-sending the requests that were in flight at the kill, with their Idempotency-Keys, ends
 * with exactly one order per key (a request that committed before the kill is replayed, one that did not
 * is placed now). Every order has its webhook event in the outbox (the webhooks issue writes it in the
 * order's transaction), checked when the database has one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { keepAliveAgent, SandboxClient, UNLIMITED, type Credentials } from './http.ts';
import { ledgerProblems, readLedger } from './ledger.ts';
import { spawnSandbox, type SandboxProcess } from './sandbox-process.ts';

export interface CrashFigures {
  runs: number;
  orders_sent: number;
  acknowledged_2xx: number;
  in_flight_at_kill: number;
  committed_unacknowledged: number;
  orders_after_restart: number;
  retried_after_restart: number;
  retry_replays: number;
  outbox_checked: boolean;
  violations: string[];
}

interface Sent {
  key: string;
  body: { product_id: number; amount: string; quantity: number; reference: string };
  outcome: 'OK' | 'LOST' | 'REJECTED';
  order?: { id: string; status: string };
}

const WORKERS = 16;

async function loadUntilKilled(client: SandboxClient, partner: Credentials, sandbox: SandboxProcess, killAfterOk: number, run: number): Promise<Sent[]> {
  const sent: Sent[] = [];
  let ok = 0;
  let killing: Promise<unknown> | undefined;
  let n = 0;
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      while (!killing) {
        const i = n++;
        // Two out of three orders ask for the pumped denomination; the rest have no stock and stay PENDING.
        // Its own reference: no two orders share a signature, however many go out in one second.
        const body = { product_id: 2001, amount: i % 3 === 2 ? '13.00' : '12.00', quantity: 1 + (i % 2), reference: `crash-${run}-${i}` };
        const entry: Sent = { key: `crash-${run}-${i}`, body, outcome: 'LOST' };
        sent.push(entry);
        try {
          const reply = await client.partner(partner, 'POST', '/orders', body, { 'Idempotency-Key': entry.key });
          if (reply.status === 200) {
            entry.outcome = 'OK';
            entry.order = { id: reply.json.id, status: reply.json.status };
            if (++ok >= killAfterOk) killing ??= sandbox.kill('SIGKILL');
          } else entry.outcome = 'REJECTED';
        } catch {
          // The connection died with the process: the outcome is unknown until the restart says.
          killing ??= sandbox.exited;
        }
      }
    }),
  );
  await killing;
  return sent;
}

/**
 * Orders without their webhook event in the outbox (webhook_events, written in the order's own transaction);
 * undefined when this database has no outbox. Read from the file directly (WAL lets a reader in beside the
 * running sandbox): the event is what a delivery is made from, whether or not it was delivered yet.
 */
function outboxProblems(file: string, orderIds: string[]): string[] | undefined {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'webhook_events'").get();
    if (!table) return undefined;
    const subjects = new Set((db.prepare('SELECT subject_id FROM webhook_events').all() as { subject_id: string | null }[]).map((r) => r.subject_id));
    const missing = orderIds.filter((id) => !subjects.has(id));
    return missing.length ? [`${missing.length} orders have no event in the outbox, e.g. ${missing[0]}`] : [];
  } finally {
    db.close();
  }
}

export async function runCrash(options: { runs?: number; killAfterOk?: number } = {}): Promise<CrashFigures> {
  const { runs = 3, killAfterOk = 150 } = options;
  const dir = mkdtempSync(path.join(tmpdir(), 'starship-crash-'));
  const db = path.join(dir, 'sandbox.db');
  const violations: string[] = [];
  const figures: CrashFigures = {
    runs,
    orders_sent: 0,
    acknowledged_2xx: 0,
    in_flight_at_kill: 0,
    committed_unacknowledged: 0,
    orders_after_restart: 0,
    retried_after_restart: 0,
    retry_replays: 0,
    outbox_checked: false,
    violations,
  };
  let sandbox = await spawnSandbox({ db });
  try {
    let client = new SandboxClient(sandbox.origin, sandbox.adminToken, keepAliveAgent(WORKERS));
    const partner = await client.createPartner({ rate_limit_overrides: UNLIMITED });
    // Subscribed to every status a placement can land in, so every order must have an event in the outbox.
    const hook = await client.partner(partner, 'POST', '/webhooks', { url: 'http://127.0.0.1:9/crash', events: ['order.delivered', 'order.partially_delivered', 'order.pending'] });
    if (hook.status !== 201) throw new Error(`webhook registration → ${hook.status} ${hook.text}`);
    const all: Sent[] = [];
    let ordersBefore = 0;
    for (let run = 0; run < runs; run++) {
      await client.control.pumpInventory({ body: { product_id: 2001, amount: '12.00', currency: 'USD', count: 200 } });
      const started = performance.now();
      const sent = await loadUntilKilled(client, partner, sandbox, killAfterOk, run);
      const killedAfterMs = performance.now() - started;
      const exit = await sandbox.exited;
      if (exit.signal !== 'SIGKILL') violations.push(`run ${run}: the sandbox ended with ${exit.code ?? exit.signal}, not SIGKILL (after ${Math.round(killedAfterMs)} ms)`);
      client.agent.destroy();

      sandbox = await spawnSandbox({ db });
      client = new SandboxClient(sandbox.origin, sandbox.adminToken, keepAliveAgent(WORKERS));
      const ledger = await readLedger(client, partner);
      const byId = new Map(ledger.orders.map((o) => [o.id, o]));
      for (const entry of sent.filter((s) => s.outcome === 'OK')) {
        const found = byId.get(entry.order!.id);
        if (!found) violations.push(`run ${run}: order ${entry.order!.id} was answered 200 but is gone after the restart`);
        else if (found.status !== entry.order!.status) violations.push(`run ${run}: order ${entry.order!.id} was ${entry.order!.status}, is ${found.status} after the restart`);
      }
      for (const problem of ledgerProblems(ledger)) violations.push(`run ${run}: ${problem}`);
      const okThisRun = sent.filter((s) => s.outcome === 'OK').length;
      const committedUnacknowledged = ledger.orders.length - ordersBefore - okThisRun;

      // Re-send what was in flight with the same keys: one order per key, however the kill fell.
      const lost = sent.filter((s) => s.outcome === 'LOST');
      const retries = await Promise.all(lost.map((s) => client.partner(partner, 'POST', '/orders', s.body, { 'Idempotency-Key': s.key })));
      let replays = 0;
      retries.forEach((reply, i) => {
        const entry = lost[i]!;
        if (reply.status !== 200) violations.push(`run ${run}: retry of ${entry.key} → ${reply.status} ${reply.text.slice(0, 200)}`);
        else {
          if (reply.headers['idempotent-replayed'] === 'true') replays++;
          entry.outcome = 'OK';
          entry.order = { id: reply.json.id, status: reply.json.status };
        }
      });
      // An in-flight request that committed before the kill is replayed; any other is placed now.
      if (replays !== committedUnacknowledged) violations.push(`run ${run}: ${committedUnacknowledged} orders committed without an answer, but ${replays} retries were replays`);
      figures.committed_unacknowledged += committedUnacknowledged;
      figures.retry_replays += replays;
      figures.orders_sent += sent.length;
      figures.acknowledged_2xx += sent.length - lost.length - sent.filter((s) => s.outcome === 'REJECTED').length;
      figures.in_flight_at_kill += lost.length;
      figures.retried_after_restart += lost.length;
      all.push(...sent);

      const settled = await readLedger(client, partner);
      const keys = all.filter((s) => s.outcome === 'OK');
      if (settled.orders.length !== keys.length) violations.push(`run ${run}: ${settled.orders.length} orders for ${keys.length} keys answered 200`);
      if (new Set(keys.map((s) => s.order!.id)).size !== keys.length) violations.push(`run ${run}: two keys share an order`);
      for (const problem of ledgerProblems(settled)) violations.push(`run ${run} after the retries: ${problem}`);
      const outbox = outboxProblems(db, settled.orders.map((o) => o.id));
      figures.outbox_checked = outbox !== undefined;
      for (const problem of outbox ?? []) violations.push(`run ${run}: ${problem}`);
      figures.orders_after_restart = settled.orders.length;
      ordersBefore = settled.orders.length;
    }
    client.agent.destroy();
    return figures;
  } finally {
    await sandbox.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
