/**
 * What a certification session is graded on, gathered by the sandbox (mock-server/engine/certification.ts):
 * its request log (verdicts), the raw requests it witnessed with the partner's key (signature headers,
 * bodies, calls outside /api/v1), the webhook deliveries with every attempt, the partner's orders and
 * webhook endpoints, and what the runner reports about the command.
 */
import type { components as Control } from '@starship/spec/sandbox';
import type { components as Partner } from '@starship/spec/starship';

export type RequestLogEntry = Control['schemas']['RequestLogEntry'];
export type WebhookDelivery = Control['schemas']['WebhookDelivery'];
export type Order = Partner['schemas']['Order'];
export type WebhookEndpoint = Partner['schemas']['WebhookEndpoint'];

/** One request that carried the session's API key, as the sandbox received it. */
export interface WitnessRecord {
  /** Arrival, sandbox clock (ISO). */
  at: string;
  trace_id: string;
  method: string;
  /** Path and query as received. */
  path: string;
  host: string | null;
  status: number;
  /** Under the partner API's /api/v1. */
  api: boolean;
  timestamp_header: string | null;
  signature_header: string | null;
  idempotency_key: string | null;
  /** The raw body (UTF-8) of a write; null for reads. */
  body: string | null;
}

export interface ProductPick {
  product_id: number;
  amount: string;
  currency: string;
}

export interface RunReport {
  exit_code: number | null;
  timed_out: boolean;
  duration_ms: number;
}

export interface Evidence {
  partner: { partner_id: string; api_key: string; api_secret: string };
  instant: ProductPick;
  delayed: ProductPick;
  retryAfterSeconds: number;
  minPollIntervalSeconds: number;
  /** Oldest first. */
  requests: RequestLogEntry[];
  /** Oldest first. */
  witness: WitnessRecord[];
  deliveries: WebhookDelivery[];
  orders: Order[];
  endpoints: WebhookEndpoint[];
  run: RunReport;
}
