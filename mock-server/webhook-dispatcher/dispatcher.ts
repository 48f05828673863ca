/**
 * Delivers the outbox: claims due deliveries (engine/deliveries.ts), POSTs each one signed (send.ts), records
 * every attempt and schedules the retry (domain/webhook-rules.ts). Due-ness is judged on the sandbox-wide
 * clock; attempts are dated and retries scheduled on the delivery's partner's clock. Signatures carry real time
 * (`t=`), because receivers check them against their own clocks.
 *
 * The loop costs nothing while there is nothing to send: it wakes when an event enters the outbox or the clock
 * moves (EngineContext.outbox), after each finished send, and on a 1 s timer (retries coming due in real
 * time, deliveries written by another instance sharing the database). Up to `concurrency` sends are in flight;
 * claims are taken in batches of the free slots. Stopping aborts in-flight sends and gives their claims back
 * unrecorded, so they are sent again after a restart: at least once, never silently dropped.
 *
 * Slots are shared fairly: at most `perEndpoint` sends to one endpoint and `perPartner` to one partner's
 * endpoints at once, and each claim takes every partner's oldest due delivery before anyone's second
 * (engine/deliveries.ts claimDue). A receiver that hangs holds its partner's share for the 5 s timeout and
 * nothing more, so it delays only its own partner.
 */
import { randomBytes } from 'node:crypto';
import type { C } from '../engine.ts';
import type { EngineContext } from '../engine/context.ts';
import {
  anyWebhookFaultArmed,
  claimDue,
  findDelivery,
  payloadsOf,
  postpone,
  recordAttempts,
  recordReplay,
  releaseClaim,
  releaseHeld,
  renderDeliveries,
  takeWebhookFault,
  type AttemptOutcome,
  type DeliveryRow,
  type WebhookFaultKind,
} from '../engine/deliveries.ts';
import { deliveryTarget } from '../engine/webhooks.ts';
import { sendWebhook } from './send.ts';

export interface DispatcherOptions {
  /** Sends in flight at once. */
  concurrency?: number;
  /** Sends in flight at once to one endpoint. */
  perEndpoint?: number;
  /** Sends in flight at once to one partner's endpoints. */
  perPartner?: number;
  pollMs?: number;
  /** How long a claim holds (sandbox clock) before another instance may take the delivery over. */
  leaseMs?: number;
  onError?: (error: unknown) => void;
}

/** The endpoint's URL and signing secrets now (a rotated secret's 24 h are on the partner's clock). */
type TargetLookup = (ctx: EngineContext, webhookId: string) => ReturnType<typeof deliveryTarget>;

function adjust(load: Map<string, number>, id: string, by: number): void {
  const n = (load.get(id) ?? 0) + by;
  if (n > 0) load.set(id, n);
  else load.delete(id);
}

const DEFAULT_DELAY_SECONDS: Partial<Record<WebhookFaultKind, number>> = { DELAY: 60, OUT_OF_ORDER: 300, STALE_TIMESTAMP: 600 };

export class WebhookDispatcher {
  readonly #token = `dsp_${randomBytes(12).toString('hex')}`;
  readonly #concurrency: number;
  readonly #perEndpoint: number;
  readonly #perPartner: number;
  /** Sends in flight by endpoint and by partner. */
  readonly #endpointLoad = new Map<string, number>();
  readonly #partnerLoad = new Map<string, number>();
  readonly #pollMs: number;
  readonly #leaseMs: number;
  readonly #onError: (error: unknown) => void;
  #running = false;
  #inFlight = 0;
  #claiming = false;
  #more = false;
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  #abort = new AbortController();
  #idle: Array<() => void> = [];
  /** Endpoints with deliveries this instance held back (OUT_OF_ORDER), released by the endpoint's next send. */
  readonly #holding = new Set<string>();

  constructor(
    private readonly ctx: EngineContext,
    options: DispatcherOptions = {},
  ) {
    // Sends wait on the network, not the CPU: many slots are cheap, and they leave room for healthy partners
    // however many receivers hang (each partner's share is a small part of them).
    this.#concurrency = options.concurrency ?? 64;
    this.#perEndpoint = options.perEndpoint ?? 16;
    this.#perPartner = options.perPartner ?? 32;
    this.#pollMs = options.pollMs ?? 1_000;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#onError = options.onError ?? ((error) => console.error('webhook dispatcher:', error));
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#abort = new AbortController();
    this.#unsubscribe = this.ctx.outbox.on(() => this.#pump());
    this.#timer = setInterval(() => this.#pump(), this.#pollMs);
    this.#timer.unref();
    this.#pump();
  }

  async stop(): Promise<void> {
    if (!this.#running) return this.#whenIdle();
    this.#running = false;
    this.#unsubscribe?.();
    clearInterval(this.#timer);
    this.#abort.abort();
    await this.#whenIdle();
  }

  /**
   * Sends the delivery's event again now, outside its schedule, and returns it with the new attempt. With
   * `partnerId` (a test helper) another partner's delivery is the same 404 as a missing one.
   */
  async replay(deliveryId: string, partnerId?: string): Promise<C['WebhookDelivery']> {
    const delivery = await findDelivery(this.ctx, deliveryId, partnerId);
    const ctx = await this.ctx.forPartner(delivery.partner_id);
    const [payload] = (await payloadsOf(ctx, [delivery.event_id])).values();
    await recordReplay(ctx, deliveryId, await this.#attempt(ctx, delivery, payload!, null, deliveryTarget));
    const [rendered] = await renderDeliveries(ctx, [await findDelivery(ctx, deliveryId)]);
    return rendered!;
  }

  #pump(): void {
    if (!this.#running) return;
    const free = this.#concurrency - this.#inFlight;
    if (this.#claiming || free <= 0) {
      this.#more = true;
      return;
    }
    this.#claiming = true;
    this.#more = false;
    this.#claim(free).then(
      (full) => {
        this.#claiming = false;
        if (full || this.#more) this.#pump();
        else this.#settle();
      },
      (error: unknown) => {
        this.#claiming = false;
        this.#onError(error);
        this.#settle();
      },
    );
  }

  /** Claims and starts up to `free` deliveries; true when it filled every slot (more may be due). */
  async #claim(free: number): Promise<boolean> {
    const taken = await claimDue(this.ctx, this.#token, free, this.#leaseMs, {
      perEndpoint: this.#perEndpoint,
      perPartner: this.#perPartner,
      endpointLoad: this.#endpointLoad,
      partnerLoad: this.#partnerLoad,
    });
    // Sends that finished while the claim ran only free room; one that another path started could take it: give back what overflows.
    const claimed: DeliveryRow[] = [];
    for (const delivery of taken) {
      if ((this.#endpointLoad.get(delivery.webhook_id) ?? 0) >= this.#perEndpoint || (this.#partnerLoad.get(delivery.partner_id) ?? 0) >= this.#perPartner) {
        await releaseClaim(this.ctx, delivery.id, this.#token);
        continue;
      }
      adjust(this.#endpointLoad, delivery.webhook_id, 1);
      adjust(this.#partnerLoad, delivery.partner_id, 1);
      claimed.push(delivery);
    }
    if (claimed.length === 0) return false;
    const payloads = await payloadsOf(this.ctx, claimed.map((d) => d.event_id));
    // Looked up once per batch: most batches go to few endpoints, and most have no fault armed.
    const faultsArmed = await anyWebhookFaultArmed(this.ctx);
    const targets = new Map<string, ReturnType<typeof deliveryTarget>>();
    const targetOf: TargetLookup = (ctx, webhookId) => {
      let target = targets.get(webhookId);
      if (!target) targets.set(webhookId, (target = deliveryTarget(ctx, webhookId)));
      return target;
    };
    const partners = new Map<string, Promise<EngineContext>>();
    const contextOf = (partnerId: string) => {
      let ctx = partners.get(partnerId);
      if (!ctx) partners.set(partnerId, (ctx = this.ctx.forPartner(partnerId)));
      return ctx;
    };
    for (const delivery of claimed) {
      this.#inFlight += 1;
      contextOf(delivery.partner_id)
        .then((ctx) => this.#deliver(ctx, delivery, payloads.get(delivery.event_id)!, faultsArmed, targetOf))
        .catch((error: unknown) => this.#onError(error))
        .finally(() => {
          this.#inFlight -= 1;
          adjust(this.#endpointLoad, delivery.webhook_id, -1);
          adjust(this.#partnerLoad, delivery.partner_id, -1);
          this.#settle();
          // Claim again once half the slots are free (or the last send finished): claims come in batches.
          if (this.#inFlight <= this.#concurrency / 2) this.#pump();
        });
    }
    return taken.length === free;
  }

  /** `ctx` is the delivery's partner's: its clock dates the attempts and schedules the retry. */
  async #deliver(ctx: EngineContext, delivery: DeliveryRow, payload: string, faultsArmed: boolean, targetOf: TargetLookup): Promise<void> {
    const fault = faultsArmed ? await takeWebhookFault(ctx, delivery) : undefined;
    if (fault?.kind === 'DELAY' || fault?.kind === 'OUT_OF_ORDER') {
      const held = fault.kind === 'OUT_OF_ORDER';
      if (held) this.#holding.add(delivery.webhook_id);
      await postpone(ctx, delivery.id, this.#token, fault.delay_seconds ?? DEFAULT_DELAY_SECONDS[fault.kind]!, held);
      return;
    }
    let outcomes: AttemptOutcome[];
    try {
      outcomes = await this.#attempt(ctx, delivery, payload, fault ?? null, targetOf, this.#abort.signal);
    } catch (error) {
      if (!this.#abort.signal.aborted) throw error;
      await releaseClaim(ctx, delivery.id, this.#token);
      return;
    }
    await recordAttempts(ctx, delivery, this.#token, outcomes);
    if (this.#holding.delete(delivery.webhook_id)) await releaseHeld(ctx, delivery.webhook_id);
  }

  /** One send (two for DUPLICATE) to the endpoint as it is now; a deleted or disabled endpoint gets none. */
  async #attempt(
    ctx: EngineContext,
    delivery: DeliveryRow,
    payload: string,
    armed: C['WebhookFault'] | null,
    targetOf: TargetLookup,
    signal?: AbortSignal,
  ): Promise<AttemptOutcome[]> {
    const fault = armed?.kind ?? null;
    const target = await targetOf(ctx, delivery.webhook_id);
    if (!target || target.status !== 'ACTIVE') {
      const error = target ? 'Endpoint is DISABLED: not sent' : 'Endpoint was deleted: not sent';
      return [{ at: ctx.clock.nowIso(), statusCode: null, latencyMs: 0, error, fault }];
    }
    const stale = fault === 'STALE_TIMESTAMP' ? (armed?.delay_seconds ?? DEFAULT_DELAY_SECONDS.STALE_TIMESTAMP!) : 0;
    const send = async () => {
      const at = ctx.clock.nowIso();
      const result = await sendWebhook({
        url: target.url,
        body: payload,
        eventId: delivery.event_id,
        eventType: delivery.event_type,
        secrets: fault === 'FORGED_SIGNATURE' ? [`whsec_forged_${randomBytes(12).toString('hex')}`] : target.secrets,
        timestamp: Math.floor(Date.now() / 1000) - stale,
        policy: this.ctx.webhooks,
        ...(signal ? { signal } : {}),
      });
      return { at, ...result, fault };
    };
    const first = await send();
    return fault === 'DUPLICATE' ? [first, await send()] : [first];
  }

  #settle(): void {
    if (this.#inFlight > 0 || this.#claiming) return;
    for (const resolve of this.#idle.splice(0)) resolve();
  }

  #whenIdle(): Promise<void> {
    if (this.#inFlight === 0 && !this.#claiming) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }
}
