/**
 * The suite's own webhook receiver on loopback: records every delivery with its raw bytes (signatures are
 * over the raw body) and answers 2xx, or 500 to the first attempts of an endpoint told to fail, so the
 * server's retry can be observed.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery {
  /** The endpoint path the server posted to. */
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  /** Parsed JSON, undefined when the body is not JSON. */
  json: any;
  answered: number;
}

export class WebhookReceiver {
  readonly deliveries: Delivery[] = [];
  private readonly failuresLeft = new Map<string, number>();
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    readonly origin: string,
  ) {}

  static async start(): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver | undefined;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => receiver?.record(request.url ?? '/', request.headers, Buffer.concat(chunks), response));
    });
    // Longer than the sender's keep-alive, so a busy machine never hands it a socket the receiver is closing.
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}`);
    return receiver;
  }

  private record(path: string, headers: IncomingHttpHeaders, raw: Buffer, response: ServerResponse): void {
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      json = undefined;
    }
    const left = this.failuresLeft.get(path) ?? 0;
    const answered = left > 0 ? 500 : 204;
    if (left > 0) this.failuresLeft.set(path, left - 1);
    this.deliveries.push({ path, headers, raw, json, answered });
    response.statusCode = answered;
    response.end();
    for (const wake of this.waiters) wake();
  }

  /** The next `count` deliveries to `path` are answered 500. */
  failNext(path: string, count: number): void {
    this.failuresLeft.set(path, count);
  }

  /** Resolves with the deliveries matching `predicate` once there are `count` of them, or undefined at the timeout. */
  async waitFor(predicate: (delivery: Delivery) => boolean, timeoutMs: number, count = 1): Promise<Delivery[] | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.deliveries.filter(predicate);
      if (found.length >= count) return found;
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
