/**
 * The load generator's HTTP: node:http on a keep-alive agent (requests sent exactly as built: raw paths,
 * repeated headers, any body bytes), a raw-socket sender for what node:http refuses to send (CR/LF in a
 * header), signed partner calls against a sandbox at `origin`, and its control API: ordinary operator calls
 * through the typed control client, raw requests only where a scenario must send what the client would not.
 */
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { createControlClient, type ControlClient } from '@starship/conformance/control-client';
import { ReplaySafeSigner } from '@starship/sdk';
import type { components } from '@starship/spec/sandbox';

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed body, or undefined when it is empty or not JSON. */
  json: any;
}

export interface OutgoingRequest {
  method: string;
  /** Path and query exactly as sent. */
  path: string;
  headers?: Record<string, string | string[]>;
  body?: Buffer | string;
}

function parse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function keepAliveAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}

/**
 * Long enough for the last of 2,000 simultaneous orders on a busy 2-vCPU machine: the scenarios judge
 * what the answers say, not how fast they come (bench/ measures speed).
 */
export const REQUEST_TIMEOUT_MS = 120_000;

export async function send(origin: string, agent: Agent, req: OutgoingRequest, timeoutMs = REQUEST_TIMEOUT_MS): Promise<RawReply> {
  try {
    return await sendOnce(origin, agent, req, timeoutMs);
  } catch (error) {
    // The server may close an idle keep-alive connection just as a request goes out on it (Node's documented
    // race); that request never reached the server, so it is sent once more on a fresh connection.
    if ((error as { reusedSocket?: boolean }).reusedSocket) return sendOnce(origin, agent, req, timeoutMs);
    throw error;
  }
}

function sendOnce(origin: string, agent: Agent, req: OutgoingRequest, timeoutMs: number): Promise<RawReply> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
    const outgoing = request(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        agent,
        headers: { ...req.headers, ...(body ? { 'Content-Length': String(body.length) } : {}) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: parse(text) });
        });
        res.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`${req.method} ${req.path}: no answer within ${timeoutMs} ms`)));
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      const resetBeforeAnswer = outgoing.reusedSocket && (error.code === 'ECONNRESET' || error.message === 'socket hang up');
      reject(Object.assign(error, { reusedSocket: resetBeforeAnswer }));
    });
    outgoing.end(body);
  });
}

/**
 * Writes `head` (request line and headers, CRLF-separated, without the blank line) and `body` on a fresh
 * connection and reads until the server closes it or a full response arrived. Resolves with the status
 * (0 when the server closed without answering) and the raw response.
 */
export function sendRaw(origin: string, head: string, body = ''): Promise<{ status: number; raw: string }> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let raw = '';
    const done = () => {
      socket.destroy();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1];
      resolve({ status: status ? Number(status) : 0, raw });
    };
    socket.setEncoding('latin1');
    socket.setTimeout(30_000, () => reject(new Error(`raw request got no answer: ${JSON.stringify(head.slice(0, 80))}`)));
    socket.on('data', (chunk: string) => {
      raw += chunk;
      const end = raw.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = /\r\ncontent-length: (\d+)/i.exec(raw.slice(0, end))?.[1];
      if (length !== undefined && Buffer.byteLength(raw.slice(end + 4), 'latin1') >= Number(length)) done();
    });
    socket.on('end', done);
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? done() : reject(error)));
    socket.write(Buffer.from(`${head}\r\nConnection: close\r\n\r\n`, 'latin1'));
    socket.end(Buffer.from(body, 'latin1'));
  });
}

export interface Credentials {
  partner_id: string;
  api_key: string;
  api_secret: string;
}

/** Talks to one sandbox: control calls with the admin token, partner calls signed (with real time, as the sandbox checks). */
export class SandboxClient {
  private readonly signer = new ReplaySafeSigner();
  readonly control: ControlClient;

  constructor(
    readonly origin: string,
    readonly adminToken: string,
    readonly agent: Agent = keepAliveAgent(64),
  ) {
    this.control = createControlClient({ origin, adminToken });
  }

  /** A control-API request sent as given (the scenarios that present wrong credentials on purpose). */
  rawControl(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawReply> {
    return send(this.origin, this.agent, {
      method,
      path: `/sandbox/v1${path}`,
      headers: {
        Authorization: `Bearer ${this.adminToken}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  /** Headers that authenticate (and, for writes, sign: never one signature for two requests) one partner request as it will be sent. */
  partnerHeaders(partner: Credentials, method: string, path: string, body?: Buffer | string, idempotencyKey: string | null = null): Record<string, string> {
    const headers: Record<string, string> = { 'X-API-Key': partner.api_key, 'X-API-Secret': partner.api_secret };
    if (!['GET', 'HEAD'].includes(method.toUpperCase())) {
      Object.assign(headers, this.signer.sign({ secret: partner.api_secret, timestamp: Math.floor(Date.now() / 1000), method, path, body: body ?? '', idempotencyKey }).headers);
    }
    return headers;
  }

  /** A signed partner call; `path` is relative to /api/v1 and may carry a query string. */
  partner(partner: Credentials, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawReply> {
    const fullPath = `/api/v1${path}`;
    const text = body === undefined ? undefined : JSON.stringify(body);
    return send(this.origin, this.agent, {
      method,
      path: fullPath,
      headers: {
        ...this.partnerHeaders(partner, method, fullPath, text, headers['Idempotency-Key'] ?? null),
        ...(text === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      ...(text === undefined ? {} : { body: text }),
    });
  }

  /** Every item of a partner list operation, page by page. */
  async listAll(partner: Credentials, path: string): Promise<any[]> {
    const items: any[] = [];
    for (let page = 1; ; page++) {
      const reply = await this.partner(partner, 'GET', `${path}${path.includes('?') ? '&' : '?'}limit=1000&page=${page}`);
      if (reply.status !== 200) throw new Error(`GET ${path} page ${page} → ${reply.status} ${reply.text}`);
      items.push(...(reply.json as any[]));
      if (reply.headers['x-has-more'] !== 'true') return items;
    }
  }

  createPartner(request: Partial<components['schemas']['CreatePartnerRequest']> = {}): Promise<components['schemas']['Partner']> {
    return this.control.createPartner({
      body: {
        name: 'Reliability partner',
        wallets: [
          { currency: 'USD', balance: '1000000.00' },
          { currency: 'EUR', balance: '1000000.00' },
        ],
        ...request,
      },
    });
  }
}

/** Rate limits high enough that load never meets them (the rate-limit checks use their own partner). */
export const UNLIMITED = { product_list: 1_000_000, product_details: 1_000_000, orders: 1_000_000, default: 1_000_000, burst: 1_000_000 };
