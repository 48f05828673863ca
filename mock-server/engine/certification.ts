/**
 * Partner certification sessions (issue 8): the sandbox plays the server for one partner's integration test,
 * provokes what the seeds warn about, and grades what the partner's code did next from its own records.
 *
 * A session is a fresh partner (funded wallets, loopback allowlist), an INSTANT product (stock pumped) and a
 * DELAYED one (a denomination with no stock), and these provocations, all scoped to that partner and armed
 * through the existing fault machinery:
 * - the first GET /categories answers 429 with Retry-After (injectFault HTTP_ERROR);
 * - the first GET /products carries unknown keys, the first GET /products/{id} an unknown enum value
 *   (injectFault UNKNOWN_FIELDS / UNKNOWN_ENUM: the response-decorating layer, past response validation);
 * - the first POST /orders answers 503 without executing (injectFault HTTP_ERROR);
 * - the first order.delivered delivery is signed with a forged secret, the first order.pending one with a
 *   stale timestamp (injectWebhookFault), and the forged one's event is then replayed twice with a valid
 *   signature (replayWebhookDelivery): a valid delivery and a duplicate;
 * - the DELAYED order stays PENDING for `pending_seconds`, then is fulfilled from a vendor once the webhook
 *   probes above have been sent, so they all land while the partner's receiver is still listening.
 * Raw requests carrying the session's API key are witnessed (http/certification-witness.ts) for what the
 * request log does not keep: the X-Signature sent, the raw body, calls outside /api/v1.
 *
 * A session is opened by an operator (admin token) or by a partner with its own credentials
 * (testHelperCreateCertificationSession): either way it runs as a fresh partner of its own, so the partner's
 * account is never touched; a partner's session records it as the owner (in the session and the signed report)
 * and only that partner (or an operator) can grade it. Reports of a practice sandbox (`starship conformance
 * partner` run locally) say so: its key is not one Starship trusts.
 *
 * Sessions live in the memory of the sandbox instance that created them (grade on the same instance).
 * Grading (conformance/partner/grade.ts) ends the session: the driver stops, the witness forgets the key and
 * the partner's webhook endpoints are deleted so nothing more is sent to a receiver that has gone. The
 * report is signed with the sandbox's Ed25519 key (db/report-signing-key.ts).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import type { Evidence, WitnessRecord } from '@starship/conformance/partner/evidence';
import { gradeSession } from '@starship/conformance/partner/grade';
import { PARTNER_CHECK_BY_ID, WEBHOOK_PROBES } from '@starship/conformance/partner/catalogue';
import { keyIdOf, publicKeyPem, signReport, SIGNATURE_ALGORITHM } from '@starship/conformance/partner/report-signature';
import { formatJson, type ReportInput } from '@starship/conformance/report/index';
import type { C, Engine, ListResult } from '../engine.ts';
import { notFound } from './errors.ts';

export const SCRIPT_VERSION = 1;
export const CERTIFICATION_SUITE = 'starship conformance partner';
const RETRY_AFTER_SECONDS = 1;
const MIN_POLL_INTERVAL_SECONDS = 5;
const DEFAULT_PENDING_SECONDS = 3;
/** Longest the DELAYED order waits for the webhook probes before it is delivered anyway. */
const PROBE_WAIT_SECONDS = 10;
const TICK_MS = 200;
/** A session never graded (its runner died) stops provoking after this long. */
const MAX_SESSION_SECONDS = 3_600;
const PAGE = 1_000;

const INSTANT = { product_id: 1001, amount: '25.00', currency: 'USD' } as const;
/** Denominations tried for the DELAYED product until one has no stock (products pinned in the catalog seed). */
const DELAYED_CANDIDATES = [2001, 1001].flatMap((product_id) => ['7.00', '9.00', '11.00', '13.00', '17.00', '19.00'].map((amount) => ({ product_id, amount, currency: 'USD' })));

const ulid = monotonicFactory();

interface Session {
  id: string;
  createdAt: string;
  partner: C['Partner'];
  /** The partner whose credentials opened it; null for an operator's session. */
  owner: string | null;
  instant: C['CertificationProduct'];
  delayed: C['CertificationProduct'];
  pendingSeconds: number;
  witness: WitnessRecord[];
  timer: NodeJS.Timeout | undefined;
  /** The driver's current tick, awaited before grading. */
  ticking: Promise<void> | undefined;
  replayed: boolean;
  fulfilled: boolean;
  report: C['CertificationReport'] | undefined;
}

async function all<T>(list: (page: number) => Promise<ListResult<T>>): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const result = await list(page);
    items.push(...result.items);
    if (items.length >= result.total || result.items.length === 0) return items;
  }
}

export class Certification {
  readonly #sessions = new Map<string, Session>();
  readonly #byApiKey = new Map<string, Session>();
  readonly #publicKey: KeyObject;

  constructor(
    private readonly engine: Engine,
    private readonly signingKey: KeyObject,
    private readonly options: { practice: boolean },
    private readonly onError: (error: unknown) => void = (error) => console.error('certification driver:', error),
  ) {
    this.#publicKey = createPublicKey(signingKey);
  }

  signingKeyInfo(): C['ReportSigningKey'] {
    return { algorithm: SIGNATURE_ALGORITHM, key_id: keyIdOf(this.#publicKey), public_key_pem: publicKeyPem(this.#publicKey) };
  }

  witness(apiKey: string): ((record: WitnessRecord) => void) | undefined {
    const session = this.#byApiKey.get(apiKey);
    return session && ((record) => session.witness.push(record));
  }

  async create(body: C['CertificationSessionRequest'], ownerPartnerId?: string): Promise<C['CertificationSession']> {
    const { engine } = this;
    const id = `cert_${ulid()}`;
    const partner = await engine.createPartner({
      name: ownerPartnerId ? `Certification ${id} for ${ownerPartnerId}` : `Certification ${id}`,
      wallets: [
        { currency: 'USD', balance: '1000.00' },
        { currency: 'EUR', balance: '1000.00' },
      ],
      ip_allowlist: body.ip_allowlist ?? ['127.0.0.1/32', '::1/128'],
    });
    await engine.pumpInventory({ ...INSTANT, partner_id: partner.partner_id, count: 5 });
    const delayed = await this.#pickDelayed(partner.partner_id);
    const partner_id = partner.partner_id;
    await engine.injectFault({ operation_id: 'listCategories', partner_id, kind: 'HTTP_ERROR', status: 429, retry_after: RETRY_AFTER_SECONDS });
    await engine.injectFault({ operation_id: 'listProducts', partner_id, kind: 'UNKNOWN_FIELDS' });
    await engine.injectFault({ operation_id: 'getProduct', partner_id, kind: 'UNKNOWN_ENUM' });
    await engine.injectFault({ operation_id: 'createOrder', partner_id, kind: 'HTTP_ERROR', status: 503 });
    for (const [kind, event_type] of Object.entries(WEBHOOK_PROBES) as [keyof typeof WEBHOOK_PROBES, (typeof WEBHOOK_PROBES)[keyof typeof WEBHOOK_PROBES]][]) {
      await engine.injectWebhookFault({ partner_id, event_type, kind });
    }

    const session: Session = {
      id,
      createdAt: engine.clock.now().toISOString(),
      partner,
      owner: ownerPartnerId ?? null,
      instant: { ...INSTANT },
      delayed,
      pendingSeconds: body.pending_seconds ?? DEFAULT_PENDING_SECONDS,
      witness: [],
      timer: undefined,
      ticking: undefined,
      replayed: false,
      fulfilled: false,
      report: undefined,
    };
    session.timer = setInterval(() => {
      session.ticking ??= this.#tick(session)
        .catch(this.onError)
        .finally(() => (session.ticking = undefined));
    }, TICK_MS);
    session.timer.unref();
    this.#sessions.set(id, session);
    this.#byApiKey.set(partner.api_key, session);
    return {
      session_id: id,
      partner_id,
      owner_partner_id: session.owner,
      api_key: partner.api_key,
      api_secret: partner.api_secret,
      script_version: SCRIPT_VERSION,
      instant_product: session.instant,
      delayed_product: delayed,
      retry_after_seconds: RETRY_AFTER_SECONDS,
      pending_seconds: session.pendingSeconds,
      created_at: session.createdAt,
    };
  }

  async #pickDelayed(partnerId: string): Promise<C['CertificationProduct']> {
    const { allow_auto_vendor_fulfill: autoFulfilled } = await this.engine.getSettings();
    for (const candidate of DELAYED_CANDIDATES) {
      if (autoFulfilled.includes(candidate.product_id)) continue;
      const availability = await this.engine.checkAvailability(partnerId, candidate.product_id, { denomination: Number(candidate.amount), quantity: 1 });
      if (availability.is_available && availability.delivery_time === 'DELAYED') return candidate;
    }
    throw new Error('no product denomination without stock is left for the DELAYED order');
  }

  /** Replays the forged delivery's event twice (valid + duplicate), then delivers the DELAYED order. */
  async #tick(session: Session): Promise<void> {
    const expired = this.engine.clock.now().getTime() - Date.parse(session.createdAt) > MAX_SESSION_SECONDS * 1000;
    if (expired || (session.replayed && session.fulfilled)) {
      clearInterval(session.timer);
      return;
    }
    // Nothing to act on before an order is placed: an idle session costs no query.
    if (!session.witness.some((w) => w.api && w.method === 'POST' && w.status < 300 && w.path.split('?', 1)[0]!.endsWith('/orders'))) return;
    const partner_id = session.partner.partner_id;
    const deliveries = () => all((page) => this.engine.listWebhookDeliveries({ partner_id, page, limit: PAGE }));
    if (!session.replayed) {
      const forged = (await deliveries()).find((d) => d.attempts.some((a) => a.fault === 'FORGED_SIGNATURE'));
      if (forged) {
        await this.engine.replayWebhookDelivery(forged.id);
        await this.engine.replayWebhookDelivery(forged.id);
        session.replayed = true;
      }
    }
    if (session.fulfilled) return;
    const orders = await all((page) => this.engine.listOrders(partner_id, { page, limit: PAGE }));
    const order = orders.find((o) => o.product_id === session.delayed.product_id && o.amount === session.delayed.amount && o.status === 'PENDING');
    if (!order) return;
    const age = (this.engine.clock.now().getTime() - Date.parse(order.created_at)) / 1000;
    if (age < session.pendingSeconds) return;
    const pendingSent = (await deliveries()).some((d) => d.event_type === 'order.pending' && d.payload.data.order_id === order.id && d.attempts.length > 0);
    const endpoints = await this.engine.listWebhooks(partner_id, { limit: 100 });
    const probesDone = endpoints.total === 0 || (session.replayed && pendingSent);
    if (!probesDone && age < session.pendingSeconds + PROBE_WAIT_SECONDS) return;
    await this.engine.fulfillOrderFromVendor(order.id, {});
    session.fulfilled = true;
  }

  /** With `ownerPartnerId` (a partner's test helper) only that partner's sessions exist. */
  async grade(sessionId: string, body: C['CertificationGradeRequest'], ownerPartnerId?: string): Promise<C['CertificationReport']> {
    const session = this.#sessions.get(sessionId);
    if (!session || (ownerPartnerId !== undefined && session.owner !== ownerPartnerId)) throw notFound(`Certification session ${sessionId} not found.`);
    if (session.report) return session.report;
    clearInterval(session.timer);
    await session.ticking;
    this.#byApiKey.delete(session.partner.api_key);
    const partner_id = session.partner.partner_id;
    const [requests, deliveries, orders, endpoints] = await Promise.all([
      all((page) => this.engine.listRequests({ partner_id, page, limit: PAGE })),
      all((page) => this.engine.listWebhookDeliveries({ partner_id, page, limit: PAGE })),
      all((page) => this.engine.listOrders(partner_id, { page, limit: PAGE })),
      all((page) => this.engine.listWebhooks(partner_id, { page, limit: 100 })),
    ]);
    const byArrival = <T extends { at: string }>(items: T[]) => [...items].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    const evidence: Evidence = {
      partner: { partner_id, api_key: session.partner.api_key, api_secret: session.partner.api_secret },
      instant: session.instant,
      delayed: session.delayed,
      retryAfterSeconds: RETRY_AFTER_SECONDS,
      minPollIntervalSeconds: MIN_POLL_INTERVAL_SECONDS,
      // The log lists newest first; ids are monotonic within a millisecond.
      requests: byArrival(requests.reverse()),
      witness: byArrival(session.witness),
      deliveries,
      orders,
      endpoints,
      run: body.run,
    };
    const gradedAt = this.engine.clock.now().toISOString();
    const input: ReportInput = {
      suite: CERTIFICATION_SUITE,
      target: `partner ${partner_id} (session ${session.id})`,
      checks: gradeSession(evidence).map(({ id, result, detail }) => {
        const definition = PARTNER_CHECK_BY_ID.get(id)!;
        return { id, title: definition.title, level: definition.level, result, detail };
      }),
      durationMs: body.run.duration_ms,
      generatedAt: gradedAt,
    };
    const report = JSON.parse(formatJson(input)) as Pick<C['CertificationReport'], 'checks' | 'summary'>;
    session.report = signReport(
      {
        ...report,
        certification: {
          suite: CERTIFICATION_SUITE,
          script_version: SCRIPT_VERSION,
          session_id: session.id,
          partner_id,
          started_at: session.createdAt,
          graded_at: gradedAt,
          run: body.run,
          instant_product: session.instant,
          delayed_product: session.delayed,
          owner_partner_id: session.owner,
          practice: this.options.practice,
        },
      },
      this.signingKey,
    );
    for (const endpoint of endpoints) await this.engine.deleteWebhook(partner_id, endpoint.id);
    session.witness = [];
    return session.report;
  }

  /** Stops every session's driver and waits for a tick in flight, so none runs against a closed database. */
  async close(): Promise<void> {
    for (const session of this.#sessions.values()) clearInterval(session.timer);
    await Promise.all([...this.#sessions.values()].map((session) => session.ticking));
  }
}
