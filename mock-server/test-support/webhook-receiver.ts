/**
 * The tests' webhook receiver: a node:http server on a random loopback port that records every delivery
 * (raw body, headers) and answers as the test says: a status, a dropped connection, or no answer at all.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Received {
  body: string;
  headers: IncomingHttpHeaders;
  eventId: string;
  eventType: string;
  /** Date.now() when it arrived. */
  receivedAt: number;
}

/** What the receiver does with one delivery: answer this status, drop the connection, or never answer. */
export type Answer = number | 'close' | 'hang';

export class TestReceiver {
  readonly received: Received[] = [];
  answer: (delivery: Received, index: number) => Answer = () => 204;
  private readonly hanging = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(path = '/hooks/starship'): Promise<TestReceiver> {
    let receiver!: TestReceiver;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const delivery: Received = {
          body,
          headers: req.headers,
          eventId: String(req.headers['x-event-id']),
          eventType: String(req.headers['x-event-type']),
          receivedAt: Date.now(),
        };
        const answer = receiver.answer(delivery, receiver.received.length);
        receiver.received.push(delivery);
        if (answer === 'close') {
          req.socket.destroy();
        } else if (answer === 'hang') {
          const release = () => res.destroy();
          receiver.hanging.add(release);
          res.on('close', () => receiver.hanging.delete(release));
        } else {
          res.writeHead(answer).end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    receiver = new TestReceiver(server, `http://127.0.0.1:${port}${path}`);
    return receiver;
  }

  eventIds(): Set<string> {
    return new Set(this.received.map((r) => r.eventId));
  }

  /** Waits until `done()` holds, polling; fails after `timeoutMs`. */
  async until(done: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${this.received.length} deliveries received)`);
      await sleep(10);
    }
  }

  async close(): Promise<void> {
    for (const release of this.hanging) release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Polls an async condition until it holds. A probe that throws counts as "not yet": a poll over HTTP can meet
 * a keep-alive connection the server closed while the process was busy elsewhere (ECONNRESET).
 */
export async function eventually<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let failure: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      failure = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`, failure === undefined ? {} : { cause: failure });
    await sleep(20);
  }
}
