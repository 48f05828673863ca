/**
 * What every check receives: the recorded API client, the control client when `--sandbox-url` is given,
 * the webhook receiver (started on first use), the server clock and memoised fixtures shared by checks
 * (a product to order, the partner's id, a registered webhook endpoint).
 */
import { ApiClient } from './api-client.ts';
import { createControlClient, type ControlClient } from '../control-client.ts';
import { WebhookReceiver, type Delivery } from './receiver.ts';
import { skip } from './types.ts';

export interface SuiteOptions {
  /** API root including `/api/v1`. */
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  /** The sandbox origin; the control API is under its `/sandbox/v1`. */
  sandboxUrl?: string;
  adminToken?: string;
  /** Run the destructive RATE checks (they exhaust a rate-limit window). */
  includeRateLimits?: boolean;
  /** How long to wait for a webhook delivery (default 8 s). */
  webhookTimeoutMs?: number;
  /** Only checks whose id or group is listed. */
  only?: string[];
}

export const NO_CONTROL = 'needs the sandbox control API (--sandbox-url and --admin-token), which a real server does not expose';

export class SuiteContext {
  readonly api: ApiClient;
  readonly control: ControlClient | undefined;
  /** Seconds the server's clock runs ahead of ours (the sandbox clock can be advanced). */
  private clockOffset = 0;
  private receiverStarted: Promise<WebhookReceiver> | undefined;
  private receiverInstance: WebhookReceiver | undefined;
  private readonly memos = new Map<string, Promise<unknown>>();
  private readonly cleanups: Array<() => Promise<unknown>> = [];

  constructor(readonly options: SuiteOptions) {
    this.control = options.sandboxUrl && options.adminToken ? createControlClient({ origin: options.sandboxUrl, adminToken: options.adminToken }) : undefined;
    this.api = new ApiClient({
      baseUrl: options.baseUrl,
      credentials: { apiKey: options.apiKey, apiSecret: options.apiSecret },
      now: () => this.now(),
      waitOut: (seconds) => this.letTimePass(seconds),
    });
  }

  get webhookTimeoutMs(): number {
    return this.options.webhookTimeoutMs ?? 8_000;
  }

  /** Real time, unix seconds: what request and webhook signatures carry (a sandbox checks them against real time too). */
  now(): number {
    return Math.floor(Date.now() / 1000);
  }

  /** The server's clock, unix seconds (the sandbox clock, which rate-limit windows follow, can be advanced). */
  serverNow(): number {
    return this.now() + this.clockOffset;
  }

  /** Reads the sandbox clock's offset. */
  async syncClock(): Promise<void> {
    if (!this.control) return;
    const clock = await this.control.getClock();
    this.clockOffset = Math.round(Date.parse(clock.now) / 1000 - Date.now() / 1000);
  }

  /** Advances the sandbox clock (retries become due, windows reset). */
  async advanceClock(seconds: number): Promise<void> {
    const clock = await this.requireControl().advanceClock({ body: { seconds } });
    this.clockOffset = Math.round(Date.parse(clock.now) / 1000 - Date.now() / 1000);
  }

  private async letTimePass(seconds: number): Promise<void> {
    if (this.control) await this.advanceClock(seconds);
    else await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }

  requireControl(): ControlClient {
    if (!this.control) skip(NO_CONTROL);
    return this.control;
  }

  /** One promise per key for the whole run: fixtures several checks share. A failed fixture fails each of them. */
  memo<T>(key: string, make: () => Promise<T>): Promise<T> {
    let promise = this.memos.get(key) as Promise<T> | undefined;
    if (!promise) {
      promise = make();
      this.memos.set(key, promise);
    }
    return promise;
  }

  /** Deliveries received so far (none when the receiver never started). */
  receiverDeliveries(): Delivery[] {
    return this.receiverInstance?.deliveries ?? [];
  }

  receiver(): Promise<WebhookReceiver> {
    this.receiverStarted ??= WebhookReceiver.start().then((receiver) => (this.receiverInstance = receiver));
    return this.receiverStarted;
  }

  /** Undoes something the run left on the server (a registered webhook endpoint), when the run ends. */
  onClose(cleanup: () => Promise<unknown>): void {
    this.cleanups.push(cleanup);
  }

  async close(): Promise<void> {
    // Best effort: a failed cleanup must not hide the report.
    for (const cleanup of this.cleanups) await cleanup().catch(() => undefined);
    if (this.receiverStarted) await (await this.receiverStarted).close();
  }
}
