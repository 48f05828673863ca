/**
 * Security scenarios against sandboxes run as child processes on SQLite files:
 * - isolation: partner A, given partner B's ids, can neither read nor change B's orders, transactions,
 *   wallets or webhooks, nor replay B's Idempotency-Keys; nobody reads the request log with partner keys;
 * - partner credentials never open the operator's control API (every operator operation, every way of
 *   presenting them); the test helpers, which partners do call with their own credentials, and the public
 *   report-signing key are not operator operations;
 * - X-Forwarded-For (and its cousins) cannot bypass the IP allowlist unless --trust-proxy is set;
 * - rate limits: path case, trailing slashes and query strings all land in the same bucket;
 * - secrets at rest and in logs: after a scenario that creates partners, webhooks (rotated) and delivered
 *   vouchers, every column of every table and the raw database files are scanned for the plaintext API
 *   secret, webhook secrets and voucher codes, and so is everything the sandbox wrote to stdout and stderr
 *   (run at LOG_LEVEL=trace).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadSpec } from '@starship/contract';
import { buildOperationTable } from '@starship/sandbox/http/operations';
import { send, SandboxClient, UNLIMITED, type Credentials, type RawReply } from './http.ts';
import { spawnSandbox, type SandboxProcess } from './sandbox-process.ts';

export interface SecurityFigures {
  isolation_checks: number;
  control_api_attempts: number;
  forwarded_for_attempts: number;
  rate_limit_variants: number;
  secrets_tracked: { api_secrets: number; webhook_secrets: number; voucher_codes: number };
  at_rest: { tables: number; columns: number; cells: number; files_bytes: number; plaintext_hits: number };
  logs: { bytes: number; lines: number; plaintext_hits: number };
  violations: string[];
}

async function withSandbox<T>(args: string[], run: (sandbox: SandboxProcess, client: SandboxClient, dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'starship-security-'));
  const sandbox = await spawnSandbox({ db: path.join(dir, 'sandbox.db'), args, env: { LOG_LEVEL: 'trace' } });
  const client = new SandboxClient(sandbox.origin, sandbox.adminToken);
  try {
    return await run(sandbox, client, dir);
  } finally {
    client.agent.destroy();
    await sandbox.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

const is404 = (r: RawReply) => r.status === 404 && r.json?.error?.code === 'E_NOT_FOUND';

/** Partner A against partner B's resources; returns the number of checks made. */
async function isolation(client: SandboxClient, violations: string[], secrets: Secrets): Promise<number> {
  const a = await client.createPartner({ rate_limit_overrides: UNLIMITED, wallets: [{ currency: 'USD', balance: '111.00' }] });
  const b = await client.createPartner({ rate_limit_overrides: UNLIMITED, wallets: [{ currency: 'USD', balance: '999.00' }] });
  secrets.apiSecrets.push(a.api_secret, b.api_secret);
  await client.control.updateSettings({ body: { feature_flags: { reconciliation_api: true } } });
  await client.control.pumpInventory({ body: { product_id: 2001, amount: '14.00', currency: 'USD', count: 2 } });
  const order = await client.partner(b, 'POST', '/orders', { product_id: 2001, amount: '14.00', quantity: 1 }, { 'Idempotency-Key': 'shared-key' });
  const hook = await client.partner(b, 'POST', '/webhooks', { url: 'http://127.0.0.1:9/b', events: ['order.delivered'] });
  if (order.status !== 200 || hook.status !== 201) throw new Error(`B's setup failed: ${order.status} ${hook.status}`);
  secrets.webhookSecrets.push(hook.json.secret);
  const orderId: string = order.json.id;
  const webhookId: string = hook.json.id;
  const bOrderBefore = (await client.partner(b, 'GET', `/orders/${orderId}`)).text;
  const bHooksBefore = (await client.partner(b, 'GET', '/webhooks')).text;
  const bWalletsBefore = (await client.partner(b, 'GET', '/wallets')).text;
  for (const item of JSON.parse(bOrderBefore).items) if (item.voucher?.code) secrets.codes.push(item.voucher.code);

  let checks = 0;
  const expect = (what: string, ok: boolean, reply?: RawReply) => {
    checks++;
    if (!ok) violations.push(`isolation: ${what}${reply ? ` → ${reply.status} ${reply.text.slice(0, 200)}` : ''}`);
  };
  const leaks = (reply: RawReply) => reply.text.includes(orderId) || reply.text.includes(webhookId) || reply.text.includes('999.00');

  const getOrder = await client.partner(a, 'GET', `/orders/${orderId}`);
  // The 404 may name the id A sent; nothing else of B's may appear.
  expect("A reads B's order", is404(getOrder) && !leaks({ ...getOrder, text: getOrder.text.replaceAll(orderId, '') }), getOrder);
  for (const query of ['', '?status=DELIVERED', '?product_id=2001', `?limit=1000`]) {
    const list = await client.partner(a, 'GET', `/orders${query}`);
    expect(`A's order list${query} shows B's order`, list.status === 200 && !leaks(list), list);
  }
  const transactions = await client.partner(a, 'GET', `/transactions?order_id=${orderId}`);
  expect("A lists B's transactions by order id", transactions.status === 200 && transactions.json.length === 0, transactions);
  const allTransactions = await client.partner(a, 'GET', '/transactions?limit=1000');
  expect("A's transactions include B's", allTransactions.status === 200 && !leaks(allTransactions), allTransactions);
  const wallets = await client.partner(a, 'GET', '/wallets');
  expect("A's wallets show B's balance", wallets.status === 200 && !leaks(wallets) && wallets.json.length === 1 && wallets.json[0].balance === '111.00', wallets);
  const today = (await client.control.getClock({ query: { partner_id: a.partner_id } })).now.slice(0, 10);
  const reconciliation = await client.partner(a, 'GET', `/reconciliation/${today}`);
  expect("A's reconciliation shows B's order", reconciliation.status === 200 && !leaks(reconciliation), reconciliation);
  const hooks = await client.partner(a, 'GET', '/webhooks');
  expect("A lists B's webhook", hooks.status === 200 && !leaks(hooks), hooks);
  const update = await client.partner(a, 'PUT', `/webhooks/${webhookId}`, { url: 'http://127.0.0.1:9/stolen', events: ['order.failed'] });
  expect("A updates B's webhook", is404(update), update);
  const rotate = await client.partner(a, 'POST', `/webhooks/${webhookId}/rotate-secret`);
  expect("A rotates B's webhook secret", is404(rotate) && !rotate.text.includes('secret'), rotate);
  const remove = await client.partner(a, 'DELETE', `/webhooks/${webhookId}`);
  expect("A deletes B's webhook", is404(remove), remove);
  const sameUrl = await client.partner(a, 'POST', '/webhooks', { url: 'http://127.0.0.1:9/b', events: ['order.failed'] });
  expect("A's upsert of B's URL touches B's endpoint", sameUrl.status === 201 && sameUrl.json.id !== webhookId, sameUrl);
  if (sameUrl.json?.secret) secrets.webhookSecrets.push(sameUrl.json.secret);
  const replay = await client.partner(a, 'POST', '/orders', { product_id: 2001, amount: '14.00', quantity: 1 }, { 'Idempotency-Key': 'shared-key' });
  expect("A's request with B's Idempotency-Key replays B's order", replay.status === 200 && replay.json.id !== orderId && replay.headers['idempotent-replayed'] !== 'true', replay);
  for (const item of replay.json?.items ?? []) if (item.voucher?.code) secrets.codes.push(item.voucher.code);
  const log = await client.rawControl('GET', '/requests', undefined, { Authorization: '', 'X-API-Key': a.api_key, 'X-API-Secret': a.api_secret });
  expect('a partner reads the request log', log.status === 401, log);

  expect("B's order changed", (await client.partner(b, 'GET', `/orders/${orderId}`)).text === bOrderBefore);
  expect("B's webhooks changed", (await client.partner(b, 'GET', '/webhooks')).text === bHooksBefore);
  expect("B's wallet changed", (await client.partner(b, 'GET', '/wallets')).text === bWalletsBefore);
  return checks;
}

/** The operator's operations: not public, not the partners' own test helpers. */
const OPERATOR_OPERATIONS = buildOperationTable(loadSpec('sandbox')).operations.filter((op) => !op.public && !op.operationId.startsWith('testHelper'));

/** Every operator operation with partner credentials presented every way; returns the number of attempts. */
async function controlWithPartnerCredentials(client: SandboxClient, violations: string[]): Promise<number> {
  const partner = await client.createPartner();
  const ways: Record<string, string>[] = [
    { 'X-API-Key': partner.api_key, 'X-API-Secret': partner.api_secret },
    { Authorization: `Bearer ${partner.api_secret}` },
    { Authorization: `Bearer ${partner.api_key}` },
    { Authorization: `Basic ${Buffer.from(`${partner.api_key}:${partner.api_secret}`).toString('base64')}` },
    { Authorization: `Bearer ${client.adminToken}x` },
    { Authorization: `Bearer ${client.adminToken.slice(0, -1)}` },
    { Authorization: `bearer  ${partner.api_secret}` },
  ];
  let attempts = 0;
  for (const { operationId, method, path: template } of OPERATOR_OPERATIONS) {
    const opPath = template.replace(/\{[^}]+\}/g, (name) => (name.includes('partner') ? partner.partner_id : 'ord_01KP5JHE5RPHMY8VB485T2M51E'));
    for (const headers of ways) {
      attempts++;
      const reply = await client.rawControl(method, opPath, method === 'GET' ? undefined : {}, { Authorization: '', ...headers });
      if (reply.status !== 401 || reply.json?.error?.code !== 'E_UNAUTHORIZED') {
        violations.push(`control API: ${operationId} with ${Object.keys(headers).join('+')} → ${reply.status} ${reply.text.slice(0, 160)}`);
      }
    }
  }
  return attempts;
}

const FORWARDED: Record<string, string>[] = [
  { 'X-Forwarded-For': '203.0.113.7' },
  { 'X-Forwarded-For': '203.0.113.7, 127.0.0.1' },
  { 'X-Forwarded-For': '127.0.0.1, 203.0.113.7' },
  { Forwarded: 'for=203.0.113.7' },
  { 'X-Real-IP': '203.0.113.7' },
  { 'True-Client-IP': '203.0.113.7' },
  { 'X-Client-IP': '203.0.113.7' },
];

/** A partner allowed only 203.0.113.0/24 calls from loopback; returns the number of attempts. */
async function forwardedFor(client: SandboxClient, trustProxy: boolean, violations: string[]): Promise<number> {
  const partner = await client.createPartner({ ip_allowlist: ['203.0.113.0/24'] });
  let attempts = 0;
  for (const headers of FORWARDED) {
    for (const [method, target, body] of [
      ['GET', '/products/2001', undefined],
      ['POST', '/charges', { product_id: 2001, amount: '10.00', quantity: 1 }],
    ] as const) {
      attempts++;
      const reply = await client.partner(partner, method, target, body, headers);
      // Trusting every proxy (--trust-proxy), the left-most X-Forwarded-For entry is the client; the other
      // headers are never read.
      const trusted = trustProxy && headers['X-Forwarded-For'] !== undefined && headers['X-Forwarded-For'].startsWith('203.0.113.7');
      const expected = trusted ? 200 : 403;
      if (reply.status !== expected || (expected === 403 && reply.json?.error?.code !== 'E_IP_NOT_ALLOWED')) {
        violations.push(`IP allowlist (trust proxy ${trustProxy}): ${method} ${target} with ${JSON.stringify(headers)} → ${reply.status}, expected ${expected}`);
      }
    }
  }
  const plain = await client.partner(partner, 'GET', '/products/2001');
  if (plain.status !== 403) violations.push(`IP allowlist: a request from loopback without forwarding headers → ${plain.status}`);
  return attempts + 1;
}

/** Case, trailing slashes and query strings address the same bucket; returns the number of variants sent. */
async function rateLimitBuckets(client: SandboxClient, violations: string[]): Promise<number> {
  const limit = 6;
  const partner = await client.createPartner({ rate_limit_overrides: { product_list: limit, product_details: limit, burst: 1000 } });
  const families: [string, string[]][] = [
    ['/api/v1/products', ['/api/v1/products', '/API/V1/PRODUCTS', '/api/v1/products/', '/Api/V1/Products/', '/api/v1/products?limit=1', '/api/v1/PRODUCTS/?page=1', '/api/v1/products?', '/api/v1/products?x=1']],
    ['/api/v1/products/2001', ['/api/v1/products/2001', '/API/V1/PRODUCTS/2001', '/api/v1/products/2001/', '/api/v1/Products/2001?', '/api/v1/products/02001', '/api/v1/products/2001?a=b']],
  ];
  let sent = 0;
  for (const [family, variants] of families) {
    let lastRemaining = Infinity;
    for (let i = 0; i < limit * 2; i++) {
      const target = variants[i % variants.length]!;
      const reply = await send(client.origin, client.agent, { method: 'GET', path: target, headers: client.partnerHeaders(partner, 'GET', target) });
      sent++;
      const remaining = Number(reply.headers['x-ratelimit-remaining']);
      if (i < limit) {
        // Every variant, answered or rejected by validation, is counted in the one bucket.
        if (reply.status === 429) violations.push(`rate limit: ${target} → 429 after ${i} requests to ${family}, before the bucket was used up`);
        if (!(remaining < lastRemaining)) violations.push(`rate limit: ${target} did not count against the ${family} bucket (remaining ${remaining})`);
        lastRemaining = remaining;
      } else if (reply.status !== 429 || reply.json?.error?.code !== 'E_RATE_LIMITED') {
        violations.push(`rate limit: ${target} → ${reply.status} after ${limit} requests to ${family} (bucket dodged)`);
      }
    }
  }
  return sent;
}

interface Secrets {
  apiSecrets: string[];
  webhookSecrets: string[];
  codes: string[];
}

/** Creates more secrets (a rotated webhook, delivered vouchers of several orders) and reads them in clear. */
async function moreSecrets(client: SandboxClient, secrets: Secrets): Promise<Credentials> {
  const partner = await client.createPartner({ rate_limit_overrides: UNLIMITED });
  secrets.apiSecrets.push(partner.api_secret);
  const hook = await client.partner(partner, 'POST', '/webhooks', { url: 'http://127.0.0.1:9/secrets', events: ['order.delivered', 'order.failed'] });
  secrets.webhookSecrets.push(hook.json.secret);
  const rotated = await client.partner(partner, 'POST', `/webhooks/${hook.json.id}/rotate-secret`, undefined, { 'Idempotency-Key': 'rotate-1' });
  secrets.webhookSecrets.push(rotated.json.secret);
  await client.control.pumpInventory({ body: { product_id: 2001, amount: '16.00', currency: 'USD', count: 6 } });
  for (let i = 0; i < 3; i++) {
    const order = await client.partner(partner, 'POST', '/orders', { product_id: 2001, amount: '16.00', quantity: 2 }, { 'Idempotency-Key': `secret-order-${i}` });
    const read = await client.partner(partner, 'GET', `/orders/${order.json.id}`);
    for (const item of read.json.items) if (item.voucher?.code) secrets.codes.push(item.voucher.code, ...(item.voucher.pin ? [item.voucher.pin] : []));
  }
  // Failures that get logged or recorded: a wrong secret, a bad signature, a replay.
  await client.partner({ ...partner, api_secret: `${partner.api_secret}x` }, 'GET', '/orders');
  await client.partner(partner, 'POST', '/orders', { product_id: 2001, amount: '16.00', quantity: 2 }, { 'Idempotency-Key': 'secret-order-0' });
  await client.control.listRequests({ query: { limit: 100 } });
  return partner;
}

function scanDatabase(file: string, needles: string[]): { tables: number; columns: number; cells: number; hits: string[] } {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    let columns = 0;
    let cells = 0;
    const hits: string[] = [];
    for (const { name } of tables) {
      const info = db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[];
      columns += info.length;
      for (const row of db.prepare(`SELECT * FROM "${name}"`).iterate() as Iterable<Record<string, unknown>>) {
        for (const [column, value] of Object.entries(row)) {
          cells++;
          const text = Buffer.isBuffer(value) ? value.toString('latin1') : String(value);
          for (const needle of needles) if (text.includes(needle)) hits.push(`${name}.${column} holds ${needle.slice(0, 6)}…`);
        }
      }
    }
    return { tables: tables.length, columns, cells, hits };
  } finally {
    db.close();
  }
}

export async function runSecurity(): Promise<SecurityFigures> {
  const violations: string[] = [];
  const secrets: Secrets = { apiSecrets: [], webhookSecrets: [], codes: [] };
  const figures: SecurityFigures = {
    isolation_checks: 0,
    control_api_attempts: 0,
    forwarded_for_attempts: 0,
    rate_limit_variants: 0,
    secrets_tracked: { api_secrets: 0, webhook_secrets: 0, voucher_codes: 0 },
    at_rest: { tables: 0, columns: 0, cells: 0, files_bytes: 0, plaintext_hits: 0 },
    logs: { bytes: 0, lines: 0, plaintext_hits: 0 },
    violations,
  };

  await withSandbox([], async (sandbox, client, dir) => {
    figures.isolation_checks = await isolation(client, violations, secrets);
    figures.control_api_attempts = await controlWithPartnerCredentials(client, violations);
    figures.forwarded_for_attempts += await forwardedFor(client, false, violations);
    figures.rate_limit_variants = await rateLimitBuckets(client, violations);
    await moreSecrets(client, secrets);

    // A clean stop checkpoints the WAL, then every cell and every byte of the files is searched.
    await sandbox.kill('SIGTERM');
    const needles = [...secrets.apiSecrets, ...secrets.webhookSecrets, ...secrets.codes].filter((s) => s.length >= 8);
    figures.secrets_tracked = { api_secrets: secrets.apiSecrets.length, webhook_secrets: secrets.webhookSecrets.length, voucher_codes: secrets.codes.length };
    if (secrets.codes.length < 6 || secrets.webhookSecrets.length < 3) violations.push(`too few secrets to scan for: ${JSON.stringify(figures.secrets_tracked)}`);
    const file = path.join(dir, 'sandbox.db');
    const scan = scanDatabase(file, needles);
    let bytes = 0;
    const rawHits: string[] = [];
    for (const part of [file, `${file}-wal`, `${file}-journal`]) {
      if (!existsSync(part)) continue;
      const content = readFileSync(part);
      bytes += content.length;
      for (const needle of needles) if (content.includes(Buffer.from(needle, 'utf8'))) rawHits.push(`${path.basename(part)} bytes hold ${needle.slice(0, 6)}…`);
    }
    figures.at_rest = { tables: scan.tables, columns: scan.columns, cells: scan.cells, files_bytes: bytes, plaintext_hits: scan.hits.length + rawHits.length };
    for (const hit of [...scan.hits, ...rawHits].slice(0, 20)) violations.push(`at rest: ${hit}`);

    const { stdout, stderr } = sandbox.output();
    const logs = `${stdout}\n${stderr}`;
    const logHits = needles.filter((needle) => logs.includes(needle));
    figures.logs = { bytes: Buffer.byteLength(logs), lines: logs.split('\n').filter(Boolean).length, plaintext_hits: logHits.length };
    for (const hit of logHits.slice(0, 20)) violations.push(`logs: the sandbox's output holds ${hit.slice(0, 6)}…`);
  });

  await withSandbox(['--trust-proxy'], async (_sandbox, client) => {
    figures.forwarded_for_attempts += await forwardedFor(client, true, violations);
  });
  return figures;
}
