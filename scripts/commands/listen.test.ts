/**
 * `starship listen` as partners run it: a separate process streaming from a sandbox started as another process,
 * forwarding to a local receiver. A triggered order.delivered arrives within 2 s, signed with the secret listen
 * printed (verifyWebhook); the stream is then cut mid-way (a loopback relay between listen and the sandbox drops
 * every connection) while events keep coming, and every event still arrives exactly once, in order. A receiver
 * that cannot be reached keeps its event pending (and listen says so) until it answers. Bad input: an unknown
 * event type for `trigger` or `--events` lists the valid ones; listen without --forward-to is a usage error.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';
import { test } from 'node:test';
import { createStarshipTestHelpers, verifyWebhook } from '@starship/sdk';
import { starshipWebhookEventTypes } from '@starship/spec/starship-operations';
import { SandboxClient, type Credentials } from '../../reliability/http.ts';
import { spawnSandbox } from '../../reliability/sandbox-process.ts';
import { TestReceiver } from '@starship/sandbox/test-support/webhook-receiver';
import { cliBin, repoRoot } from '../../tools/repo.ts';
import { listenSecret } from './listen.ts';

/** A loopback TCP relay to `port` whose open connections can all be dropped at once. */
async function relay(port: number) {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cut: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** `starship listen` in its own process; its stdout and stderr lines as they come. */
function startListen(args: string[], credentials: Credentials, baseUrl: string) {
  const child: ChildProcess = spawn(process.execPath, [cliBin, 'listen', ...args], {
    cwd: repoRoot,
    env: { ...process.env, STARSHIP_BASE_URL: baseUrl, STARSHIP_API_KEY: credentials.api_key, STARSHIP_API_SECRET: credentials.api_secret },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, what: string, timeoutMs = 15_000): Promise<RegExpExecArray> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(stdout + stderr);
      if (match) return match;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`listen: no ${what}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return {
    waitFor,
    output: () => ({ stdout, stderr }),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}

const cli = (...args: string[]) => spawnSync(process.execPath, [cliBin, ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, STARSHIP_BASE_URL: '', STARSHIP_API_KEY: '', STARSHIP_API_SECRET: '' } });

test('starship listen forwards signed within 2 s, survives a cut stream with nothing lost or repeated, and keeps events for an unreachable receiver', { timeout: 90_000 }, async (t) => {
  const sandbox = await spawnSandbox({ db: ':memory:' });
  t.after(() => sandbox.kill('SIGTERM'));
  const operator = new SandboxClient(sandbox.origin, sandbox.adminToken);
  t.after(() => operator.agent.destroy());
  const partner = await operator.createPartner({ wallets: [{ currency: 'USD', balance: '5000.00' }] });
  const helpers = createStarshipTestHelpers({ baseUrl: `${sandbox.origin}/api/v1`, apiKey: partner.api_key, apiSecret: partner.api_secret });
  const receiver = await TestReceiver.start();
  t.after(() => receiver.close());
  const proxy = await relay(Number(new URL(sandbox.origin).port));
  t.after(() => proxy.close());

  const listen = startListen(['--forward-to', receiver.url], partner, `http://127.0.0.1:${proxy.port}/api/v1`);
  t.after(() => listen.stop());
  const secret = (await listen.waitFor(/Webhook signing secret for this session: (whsec_\w+)/, 'secret'))[1]!;
  assert.equal(secret, listenSecret(partner.api_secret), 'the same secret every run, for these credentials');

  // One event, forwarded as a real delivery within 2 s.
  const started = Date.now();
  const triggered = await helpers.events.trigger('order.delivered');
  const [emitted] = triggered.events;
  assert.ok(emitted, 'an open stream keeps the event');
  await receiver.until(() => receiver.eventIds().has(emitted.event_id), 'the forwarded order.delivered', 2_000);
  const first = receiver.received.find((r) => r.eventId === emitted.event_id)!;
  assert.ok(first.receivedAt - started < 2_000, `forwarded in ${first.receivedAt - started} ms`);
  const event = verifyWebhook(first.body, String(first.headers['x-signature']), secret) as { event_id: string; data: { order_id: string } };
  assert.deepEqual([event.event_id, event.data.order_id, first.eventType], [emitted.event_id, triggered.order_id, 'order.delivered']);
  await listen.waitFor(new RegExp(`#${emitted.sequence}  order\\.delivered  ${emitted.event_id}  → 204`), 'the line with the local answer');

  // The stream is cut mid-way while events keep coming: every one still arrives, once, in order.
  const expected: string[] = [emitted.event_id];
  for (let i = 0; i < 8; i++) {
    if (i === 3) proxy.cut();
    const { events } = await helpers.events.trigger(i % 2 ? 'order.pending' : 'order.delivered');
    expected.push(...events.map((e) => e.event_id));
  }
  assert.equal(expected.length, 9);
  await receiver.until(() => expected.every((id) => receiver.eventIds().has(id)), 'every event after the cut', 20_000);
  await listen.waitFor(/stream dropped/, 'the reported drop');
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.deepEqual(
    receiver.received.map((r) => r.eventId),
    expected,
    'each event exactly once, in the order it happened',
  );
  assert.equal(await listen.stop(), 0);

  // A receiver that cannot be reached: the event stays pending, listen says so, and it goes through once one answers.
  const closedPort = await new Promise<number>((resolve) => {
    const probe = createHttpServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  const unreachable = startListen(['--forward-to', `http://127.0.0.1:${closedPort}/hooks`, '--events', 'order.failed'], partner, `${sandbox.origin}/api/v1`);
  t.after(() => unreachable.stop());
  await unreachable.waitFor(/Ready/, 'ready');
  const failed = (await helpers.events.trigger('order.failed')).events[0]!;
  await unreachable.waitFor(new RegExp(`${failed.event_id}  → not delivered: ECONNREFUSED[^\\n]*kept pending`), 'the pending line');
  const late: string[] = [];
  const server = createHttpServer((req, res) => {
    late.push(String(req.headers['x-event-id']));
    res.writeHead(200).end();
  });
  await new Promise<void>((resolve) => server.listen(closedPort, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  await unreachable.waitFor(new RegExp(`${failed.event_id}  → 200`), 'the delivery once the receiver answers', 20_000);
  assert.deepEqual(late, [failed.event_id]);
});

test('bad input: trigger and --events name the valid event types; listen needs --forward-to and credentials', () => {
  const trigger = cli('trigger', 'order.shipped', '--base-url', 'http://127.0.0.1:1/api/v1', '--api-key', 'pk_test_x', '--api-secret', 'sk_test_x');
  assert.equal(trigger.status, 2);
  assert.match(trigger.stderr, /unknown event type "order\.shipped"; the event types are /);
  for (const type of starshipWebhookEventTypes) assert.ok(trigger.stderr.includes(type), type);
  const events = cli('listen', '--forward-to', 'http://127.0.0.1:9/', '--events', 'order.delivered,order.lost', '--base-url', 'http://127.0.0.1:1/api/v1', '--api-key', 'k', '--api-secret', 's');
  assert.equal(events.status, 2);
  assert.match(events.stderr, /unknown event type order\.lost; the event types are order\.cancelled/);
  const noTarget = cli('listen', '--base-url', 'http://127.0.0.1:1/api/v1', '--api-key', 'k', '--api-secret', 's');
  assert.equal(noTarget.status, 2);
  assert.match(noTarget.stderr, /--forward-to URL is required/);
  const noCredentials = cli('logs');
  assert.equal(noCredentials.status, 2);
  assert.match(noCredentials.stderr, /give your sandbox credentials: --base-url, --api-key and --api-secret/);
  const partial = cli('trigger', 'order.delivered', '--api-key', 'k');
  assert.match(partial.stderr, /incomplete: give --base-url \(or STARSHIP_BASE_URL\), --api-secret \(or STARSHIP_API_SECRET\)/);
});
