/**
 * The integration tests' sandbox: a real server on a loopback port (in-memory database unless a file is
 * given), the SDK client and the control API pointed at it, and a response check on every call: each
 * response is validated against its spec (status, documented headers, body) by the contract validator, as
 * a client sees it, on top of the server's own response validation; tests end with `assertConforming()`.
 */
import assert from 'node:assert/strict';
import { createStarshipClient, createStarshipTestHelpers, type StarshipClient, type StarshipTestHelpers } from '@starship/sdk';
import { ReplaySafeSigner, signRequest } from '@starship/sdk';
import { ENCRYPTION_KEY_ENV } from '../db/encryption-key.ts';
import { createTestDatabase, TEST_DATABASE_URL_ENV, testServerUrl, type TestDatabase } from './postgres-database.ts';
import { generateKey } from '../domain/voucher-crypto.ts';
import type { C } from '../engine.ts';
import { buildOperationTable, type OperationTable } from '../http/operations.ts';
import { loadSpec } from '@starship/contract';
import { createContractValidator, problemText } from '@starship/contract/validator';
import { capturingLogger } from './http-harness.ts';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../server.ts';

export const ADMIN_TOKEN = 'adm_test_token';

export type SandboxBackend = 'sqlite' | 'postgres';
/**
 * Set to `postgres` (see *.postgres.test.ts), sandboxes started without a file run on a fresh PostgreSQL
 * database of STARSHIP_TEST_DATABASE_URL's server, so a whole test file runs on that backend unchanged.
 */
export const SANDBOX_BACKEND_ENV = 'STARSHIP_TEST_SANDBOX_BACKEND';

function requiredTestServerUrl(): string {
  const url = testServerUrl();
  if (!url) throw new Error(`${TEST_DATABASE_URL_ENV} must name a PostgreSQL server for a postgres TestSandbox`);
  return url;
}

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestPartner {
  partner: C['Partner'];
  client: StarshipClient;
  /** The partner's test helpers (SDK), every response checked against the control spec. */
  helpers: StarshipTestHelpers;
  /** Signs (writes) and sends one partner request as given, checked against the spec. */
  call(method: string, path: string, options?: { body?: string; headers?: Record<string, string>; timestamp?: number }): Promise<Reply>;
}

function checker(spec: 'starship' | 'sandbox') {
  const validator = createContractValidator(loadSpec(spec));
  const table: OperationTable = buildOperationTable(loadSpec(spec));
  return (method: string, url: URL, status: number, headers: Headers, body: unknown): string[] => {
    const match = table.match(method, url.pathname);
    if (match.kind !== 'FOUND') return [];
    return validator.validateResponse(match.operation.operationId, { status, headers, body }).map(
      (problem) => `${method} ${url.pathname}${url.search} → ${status}: ${problemText(problem)}`,
    );
  };
}

const partnerCheck = checker('starship');
const controlCheck = checker('sandbox');

async function readBody(response: Response): Promise<unknown> {
  const text = await response.clone().text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class TestSandbox {
  readonly problems: string[] = [];
  /** While set, responses are not checked (for faults that break the contract on purpose, 405s, 413s). */
  private unchecked = false;

  private constructor(
    readonly sandbox: RunningSandbox,
    readonly logLines: Record<string, unknown>[],
    private readonly database?: TestDatabase,
  ) {}

  /** `backend: 'postgres'` runs the sandbox on a fresh database of STARSHIP_TEST_DATABASE_URL's server, dropped on close. */
  static async start(
    options: { db?: string; backend?: SandboxBackend; trustProxy?: boolean; docsDir?: string } & Pick<SandboxOptions, 'hosted' | 'allowWebhookHosts' | 'maxWebhookEndpoints'> = {},
  ): Promise<TestSandbox> {
    const { logger, lines } = capturingLogger();
    const backend = options.backend ?? (options.db === undefined && process.env[SANDBOX_BACKEND_ENV] === 'postgres' ? 'postgres' : 'sqlite');
    const database = backend === 'postgres' ? await createTestDatabase(requiredTestServerUrl()) : undefined;
    const storage = database
      ? { databaseUrl: database.url, poolSize: 4, env: { ...process.env, [ENCRYPTION_KEY_ENV]: generateKey().toString('hex') } }
      : { db: options.db ?? ':memory:' };
    const sandbox = await startSandbox({
      port: 0,
      ...storage,
      trustProxy: options.trustProxy ?? false,
      adminToken: ADMIN_TOKEN,
      logger,
      print: () => {},
      handleSignals: false,
      ...(options.docsDir ? { docsDir: options.docsDir } : {}),
      ...(options.hosted ? { hosted: true } : {}),
      ...(options.allowWebhookHosts ? { allowWebhookHosts: options.allowWebhookHosts } : {}),
      ...(options.maxWebhookEndpoints ? { maxWebhookEndpoints: options.maxWebhookEndpoints } : {}),
    }).catch(async (error: unknown) => {
      await database?.drop();
      throw error;
    });
    return new TestSandbox(sandbox, lines, database);
  }

  get baseUrl(): string {
    return this.sandbox.baseUrl;
  }

  /** fetch that checks every partner response against the spec. */
  readonly fetch = async (input: Request | string, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const response = await fetch(request);
    const url = new URL(request.url);
    if (this.unchecked) return response;
    this.problems.push(...partnerCheck(request.method, url, response.status, response.headers, await readBody(response)));
    return response;
  };

  /** fetch that checks every control-API (test-helper) response against the sandbox spec; event streams are not read. */
  readonly fetchControl = async (input: Request | string, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const response = await fetch(request);
    if (this.unchecked || response.headers.get('content-type')?.startsWith('text/event-stream')) return response;
    this.problems.push(...controlCheck(request.method, new URL(request.url), response.status, response.headers, await readBody(response)));
    return response;
  };

  async control<T = any>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
    const url = new URL(`${this.sandbox.origin}/sandbox/v1${path}`);
    const response = await fetch(url, {
      method,
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const parsed = await readBody(response);
    this.problems.push(...controlCheck(method, url, response.status, response.headers, parsed));
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  async withoutSpecCheck<T>(run: () => Promise<T>): Promise<T> {
    this.unchecked = true;
    try {
      return await run();
    } finally {
      this.unchecked = false;
    }
  }

  /** Loads `count` vouchers of one product and denomination into the cache. */
  pump(product_id: number, amount: string, currency: string, count: number): Promise<C['PumpInventoryResult']> {
    return this.admin('POST', '/inventory/pump', { product_id, amount, currency, count });
  }

  /** The control call must succeed; returns its body. */
  async admin<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const reply = await this.control<T>(method, path, body);
    assert.ok(reply.status < 300, `${method} ${path} → ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  async partner(request: Partial<C['CreatePartnerRequest']> = {}): Promise<TestPartner> {
    const partner = await this.admin<C['Partner']>('POST', '/partners', {
      name: 'Test Partner',
      wallets: [
        { currency: 'USD', balance: '1000.00' },
        { currency: 'EUR', balance: '1000.00' },
      ],
      ip_allowlist: ['127.0.0.1/32', '::1/128'],
      ...request,
    });
    const client = createStarshipClient({
      baseUrl: this.baseUrl,
      apiKey: partner.api_key,
      apiSecret: partner.api_secret,
      fetch: this.fetch,
      maxAttempts: 1,
    });
    const helpers = createStarshipTestHelpers({
      baseUrl: this.baseUrl,
      apiKey: partner.api_key,
      apiSecret: partner.api_secret,
      fetch: this.fetchControl,
      maxAttempts: 1,
    });
    const signer = new ReplaySafeSigner();
    const call: TestPartner['call'] = async (method, path, options = {}) => {
      const headers: Record<string, string> = { 'X-API-Key': partner.api_key, 'X-API-Secret': partner.api_secret };
      if (options.body !== undefined) headers['Content-Type'] = 'application/json';
      if (!['GET', 'HEAD'].includes(method)) {
        // Signatures are checked against real time, whatever the sandbox's clocks say.
        const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
        // An explicit timestamp is a test's own; otherwise signed as a careful client signs (no signature twice).
        const idempotencyKey = options.headers?.['Idempotency-Key'] ?? null;
        const signed =
          options.timestamp === undefined
            ? signer.sign({ secret: partner.api_secret, timestamp, method, path, body: options.body, idempotencyKey })
            : signRequest({ secret: partner.api_secret, timestamp, method, path, body: options.body });
        Object.assign(headers, signed.headers);
      }
      const response = await this.fetch(`${this.sandbox.origin}${path}`, {
        method,
        headers: { ...headers, ...options.headers },
        body: options.body,
      });
      return { status: response.status, body: await readBody(response), headers: response.headers };
    };
    return { partner, client, helpers, call };
  }

  /** No response broke its spec, and the server logged no error. */
  assertConforming(): void {
    assert.deepEqual(this.problems, []);
    assert.deepEqual(
      this.logLines.filter((line) => Number(line.level) >= 50),
      [],
    );
  }

  async close(): Promise<void> {
    try {
      await this.sandbox.close();
    } finally {
      await this.database?.drop();
    }
  }
}
