/**
 * Helpers for the middleware tests: a pipeline (trace id → the middlewares under test → error envelope)
 * served on loopback, a settable clock and a logger whose lines the test can read.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { pino, type Logger } from 'pino';
import type { Clock } from '../engine.ts';
import type { RequestContext } from '../http/context.ts';
import { errorEnvelope } from '../http/error-envelope.ts';
import { traceId } from '../http/trace-id.ts';

export const silentLogger: Logger = pino({ level: 'silent' });

export function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

export function settableClock(seconds: number): Clock & { set(seconds: number): void } {
  let now = seconds;
  return {
    now: () => new Date(now * 1000),
    nowSeconds: () => now,
    set: (value) => {
      now = value;
    },
  };
}

export interface PipelineOptions {
  mount?: string;
  logger?: Logger;
  configure?: (app: Express) => void;
  /** Receives each request's context once its response is sent. */
  contexts?: RequestContext[];
  /** Replaces the final handler. */
  terminal?: RequestHandler;
  /** Error middleware between the terminal handler and the envelope. */
  after?: ErrorRequestHandler[];
}

/** trace id → handlers → terminal (default: 200 `{ ok: true, locals: verdicts }`) → error envelope, mounted at `mount`. */
export function pipeline(
  handlers: (RequestHandler | ErrorRequestHandler)[],
  { mount = '/', logger = silentLogger, configure, contexts, terminal, after = [] }: PipelineOptions = {},
): Express {
  const app = express();
  configure?.(app);
  app.use(traceId());
  app.use((_req, res, next) => {
    res.once('finish', () => contexts?.push(res.locals.starship));
    next();
  });
  const router = express.Router();
  router.use(...(handlers as RequestHandler[]));
  router.use(
    terminal ??
      ((_req, res) => {
        res.json({ ok: true, locals: res.locals.starship.verdicts });
      }),
  );
  for (const handler of after) router.use(handler);
  app.use(mount, router);
  app.use(errorEnvelope(logger));
  return app;
}

export interface Served {
  url: string;
  close(): Promise<void>;
}

export async function serve(app: Express, host = '127.0.0.1'): Promise<Served> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      resolve({
        url,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
    server.once('error', reject);
  });
}

export async function json(response: Response): Promise<Record<string, any>> {
  return (await response.json()) as Record<string, any>;
}

/**
 * A GET with headers exactly as listed, repeats included (fetch merges a repeated name into one line and
 * node:http's object form cannot repeat one): `[['Authorization', 'Bearer a'], ['Authorization', 'Bearer b']]`.
 */
export function getWithRawHeaders(url: string, headers: [string, string][]): Promise<{ status: number; body: Record<string, any> }> {
  return new Promise((resolve, reject) => {
    // The list form of headers sends no Host of its own.
    const req = httpRequest(url, { method: 'GET', headers: ['Host', new URL(url).host, ...headers.flat()] }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, any> });
        } catch (error) {
          reject(error as Error);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** The headers the spec requires on every partner response, which the app's rate-limit middleware sets. */
export const rateLimitHeaders: RequestHandler = (_req, res, next) => {
  res.set({ 'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': '99', 'X-RateLimit-Reset': '1776000000' });
  next();
};

/** Product 1001 as the spec's examples show it: a valid listProducts/getProduct body for pipeline tests. */
export const product = {
  id: 1001,
  name: 'Amazon Gift Card - USD',
  category: 'Gift Cards',
  sub_category: 'E-commerce',
  country_id: 1,
  currency_id: 1,
  country: 'US',
  currency: 'USD',
  image_url: 'https://cdn.starship.com/products/amazon-gc.jpg',
  delivery_type: 'CODE',
  delivery_time: 'INSTANT',
  validity: '12 months from issue',
  available_denominations: [{ min_value: 10, max_value: 500, discount: 2.5 }],
};
