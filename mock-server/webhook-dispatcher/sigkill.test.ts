/**
 * Crash safety: the sandbox as a child process (`starship mock` on a SQLite file) is killed with SIGKILL while
 * deliveries are pending — some failed and waiting for their retry, some claimed and in flight to a receiver
 * that never answers — then started again on the same file. Every event still arrives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signRequest } from '@starship/sdk';
import { cliBin, repoRoot } from '../../tools/repo.ts';
import { TestReceiver, eventually } from '../test-support/webhook-receiver.ts';

const ADMIN = 'adm_sigkill_test';

interface Child {
  process: ChildProcess;
  origin: string;
  exited: Promise<void>;
}

async function startSandbox(db: string): Promise<Child> {
  const child = spawn(process.execPath, [cliBin, 'mock', '--port', '0', '--db', db, '--admin-token', ADMIN], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => reject(new Error(`the sandbox exited:\n${output}`)));
  });
  return { process: child, origin, exited };
}

async function control(origin: string, method: string, route: string, body?: unknown): Promise<any> {
  const response = await fetch(`${origin}/sandbox/v1${route}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  assert.ok(response.ok, `${method} ${route} → ${response.status}`);
  return response.status === 204 ? undefined : response.json();
}

async function partnerCall(origin: string, partner: { api_key: string; api_secret: string }, route: string, body: unknown, key: string): Promise<any> {
  const raw = JSON.stringify(body);
  const now = (await control(origin, 'GET', '/clock')).now as string;
  const signed = signRequest({ secret: partner.api_secret, method: 'POST', path: `/api/v1${route}`, body: raw, timestamp: Math.floor(Date.parse(now) / 1000) });
  const response = await fetch(`${origin}/api/v1${route}`, {
    method: 'POST',
    headers: { 'X-API-Key': partner.api_key, 'X-API-Secret': partner.api_secret, 'Content-Type': 'application/json', 'Idempotency-Key': key, ...signed.headers },
    body: raw,
  });
  assert.equal(response.status, route === '/webhooks' ? 201 : 200, await response.clone().text());
  return response.json();
}

test('SIGKILL with deliveries pending and in flight, restart on the same file: every event arrives', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'starship-sigkill-'));
  const db = path.join(dir, 'sandbox.db');
  const receiver = await TestReceiver.start();
  let child: Child | undefined;
  try {
    child = await startSandbox(db);
    const partner = await control(child.origin, 'POST', '/partners', { name: 'Crash test', wallets: [{ currency: 'USD', balance: '1000.00' }] });
    await partnerCall(child.origin, partner, '/webhooks', { url: receiver.url, events: ['order.pending', 'order.delivered'] }, 'hook');

    // Failed once, waiting for their retry.
    receiver.answer = () => 503;
    const orders: string[] = [];
    for (let i = 0; i < 5; i++) {
      orders.push((await partnerCall(child.origin, partner, '/orders', { product_id: 2001, amount: '10.00', quantity: 1, currency: 'USD', reference: `SANDBOX_FORCE_PENDING:${i}` }, `a${i}`)).id);
    }
    await eventually(async () => (await control(child!.origin, 'GET', '/webhook-deliveries?status=RETRYING')).length === 5, 'five RETRYING');
    // Claimed and in flight when the process dies.
    receiver.answer = () => 'hang';
    const before = receiver.received.length;
    for (let i = 0; i < 5; i++) {
      orders.push((await partnerCall(child.origin, partner, '/orders', { product_id: 2001, amount: '10.00', quantity: 1, currency: 'USD', reference: `SANDBOX_FORCE_DELIVERED:${i}` }, `b${i}`)).id);
    }
    await receiver.until(() => receiver.received.length >= before + 5, 'five deliveries in flight');

    child.process.kill('SIGKILL');
    await child.exited;
    child = undefined;

    receiver.answer = () => 204;
    child = await startSandbox(db);
    // Past the 30 s retries and the dead process's 30 s claims.
    await control(child.origin, 'POST', '/clock/advance', { seconds: 60 });
    const log = await eventually(async () => {
      const list = await control(child!.origin, 'GET', '/webhook-deliveries?limit=100');
      return list.length === 10 && list.every((d: any) => d.status === 'SUCCEEDED') && list;
    }, 'every delivery SUCCEEDED', 20_000);

    const accepted = receiver.received.slice(before + 5);
    const arrivedOrders = new Set(accepted.map((r) => JSON.parse(r.body).data.order_id));
    assert.deepEqual([...arrivedOrders].sort(), [...orders].sort(), 'every order\'s event arrived after the restart');
    assert.equal(new Set(log.map((d: any) => d.event_id)).size, 10, 'one event per order, none duplicated as a new event');
    for (const d of log) assert.ok(d.attempts.at(-1).status_code === 204);
  } finally {
    child?.process.kill('SIGKILL');
    await child?.exited;
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
