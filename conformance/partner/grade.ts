/**
 * Grades a certification session from its evidence (evidence.ts): one result per check of the catalogue,
 * each with the request ids, trace ids or delivery ids it rests on. Pure: the sandbox gathers, this judges.
 */
import { isDelivered } from '@starship/contract/webhook-delivery';
import type { Result } from '../report/types.ts';
import { PARTNER_CHECKS, WEBHOOK_PROBES, type PartnerCheckId } from './catalogue.ts';
import type { Evidence, RequestLogEntry, WebhookDelivery, WitnessRecord } from './evidence.ts';
import { diagnoseSignature, diagnosisLines } from './signature-diagnosis.ts';

export interface GradedCheck {
  id: PartnerCheckId;
  result: Result;
  detail: string;
}

type Verdict = { result: Result; detail: string };
const pass = (detail: string): Verdict => ({ result: 'PASS', detail });
const fail = (detail: string): Verdict => ({ result: 'FAIL', detail });
const warn = (detail: string): Verdict => ({ result: 'WARN', detail });
const skip = (detail: string): Verdict => ({ result: 'SKIP', detail });

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Slack for clock granularity between the 429 leaving and the next request arriving. */
const RETRY_AFTER_SLACK_MS = 50;
const WEBHOOK_BUDGET_MS = 5_000;

const ms = (iso: string) => Date.parse(iso);
const ref = (e: RequestLogEntry) => `${e.id} (trace ${e.trace_id})`;
const line = (e: RequestLogEntry) => `${e.method} ${e.path} → ${e.status} ${ref(e)}`;
const listOf = (lines: string[], max = 8) => (lines.length > max ? [...lines.slice(0, max), `… and ${lines.length - max} more`] : lines).join('\n');
const queryOf = (path: string) => new URLSearchParams(path.split('?', 2)[1] ?? '');

class Grader {
  readonly ops = new Map<string, RequestLogEntry[]>();

  constructor(readonly e: Evidence) {
    for (const entry of e.requests) {
      if (entry.operation_id) this.ops.set(entry.operation_id, [...(this.ops.get(entry.operation_id) ?? []), entry]);
    }
  }

  op(id: string): RequestLogEntry[] {
    return this.ops.get(id) ?? [];
  }

  /** The raw request behind a log entry: same trace id, method and path, nearest arrival. */
  witnessOf(entry: RequestLogEntry): WitnessRecord | undefined {
    const candidates = this.e.witness.filter((w) => w.trace_id === entry.trace_id && w.method === entry.method && w.path === entry.path);
    return candidates.sort((a, b) => Math.abs(ms(a.at) - ms(entry.at)) - Math.abs(ms(b.at) - ms(entry.at)))[0];
  }

  get instantOrder() {
    return this.e.orders.find((o) => o.product_id === this.e.instant.product_id && o.amount === this.e.instant.amount);
  }

  get delayedOrder() {
    return this.e.orders.find((o) => o.product_id === this.e.delayed.product_id && o.amount === this.e.delayed.amount);
  }

  attempts(): Array<{ delivery: WebhookDelivery; attempt: WebhookDelivery['attempts'][number] }> {
    return this.e.deliveries.flatMap((delivery) => delivery.attempts.map((attempt) => ({ delivery, attempt })));
  }

  run(): Verdict {
    const { exit_code, timed_out, duration_ms } = this.e.run;
    const took = `${(duration_ms / 1000).toFixed(1)} s`;
    if (timed_out) return fail(`the command was stopped after ${took}: it did not finish within the time limit`);
    if (exit_code === 0) return pass(`exited 0 after ${took}`);
    return fail(`exited ${exit_code ?? 'on a signal'} after ${took}: the partner's own test reports a failure`);
  }

  signatures(): Verdict {
    const writes = this.e.requests.filter((r) => WRITES.has(r.method) && r.verdicts.auth.result === 'PASS' && r.verdicts.signature.result !== 'NOT_EVALUATED');
    if (writes.length === 0) return skip('no authenticated write reached the signature check');
    // A replayed signature was computed right: reusing it with a new key is an idempotency mistake (IDEM-002).
    const bad = writes.filter((r) => r.verdicts.signature.result === 'FAIL' && !/TIMESTAMP_TOO_(OLD|NEW)|^REPLAYED/.test(r.verdicts.signature.reason ?? ''));
    if (bad.length === 0) return pass(`${writes.length} writes, every signature verified`);
    const explained = bad.map((r) => {
      const seen = this.witnessOf(r);
      if (!seen) return `${line(r)}: ${r.verdicts.signature.reason}`;
      const d = diagnoseSignature(
        { method: seen.method, path: seen.path, host: seen.host, body: seen.body ?? '', timestampHeader: seen.timestamp_header, signatureHeader: seen.signature_header },
        this.e.partner.api_secret,
        this.e.partner.api_key,
      );
      return [line(r), ...diagnosisLines(d).map((text) => `  ${text}`)].join('\n');
    });
    return fail(`${bad.length} of ${writes.length} writes failed signature verification:\n${listOf(explained, 5)}`);
  }

  timestamps(): Verdict {
    const writes = this.e.requests.filter((r) => WRITES.has(r.method) && r.verdicts.signature.canonical_string);
    if (writes.length === 0) return skip('no write carried a usable X-Timestamp');
    const stale = writes.filter((r) => /TIMESTAMP_TOO_(OLD|NEW)/.test(r.verdicts.signature.reason ?? ''));
    const skews = writes.map((r) => Math.abs(Math.floor(ms(r.at) / 1000) - Number(/^[0-9]+/.exec(r.verdicts.signature.canonical_string!)?.[0] ?? 0)));
    const worst = Math.max(...skews);
    if (stale.length > 0) return fail(`${stale.length} writes carried a timestamp outside ±300 s:\n${listOf(stale.map((r) => `${line(r)}: ${r.verdicts.signature.reason}`))}`);
    return pass(`${writes.length} writes, largest distance between X-Timestamp and arrival ${worst} s`);
  }

  idempotencyPresent(): Verdict {
    const orders = this.op('createOrder');
    if (orders.length === 0) return fail('no POST /orders was made');
    const missing = orders.filter((r) => !(r.verdicts.idempotency.key ?? this.witnessOf(r)?.idempotency_key));
    if (missing.length > 0) return fail(`${missing.length} of ${orders.length} POST /orders had no Idempotency-Key:\n${listOf(missing.map(line))}`);
    return pass(`${orders.length} POST /orders, each with an Idempotency-Key`);
  }

  keyOf(r: RequestLogEntry): string | null {
    return r.verdicts.idempotency.key ?? this.witnessOf(r)?.idempotency_key ?? null;
  }

  retryReusesKey(): Verdict {
    const orders = this.op('createOrder');
    const provoked = orders.find((r) => r.status === 503);
    if (!provoked) return orders.length === 0 ? skip('no POST /orders was made, so none was answered 503') : skip('no POST /orders reached the provoked 503');
    const retry = orders.find((r) => ms(r.at) > ms(provoked.at) || (r.at === provoked.at && r.id > provoked.id));
    const key = this.keyOf(provoked);
    if (!retry) return fail(`POST /orders ${ref(provoked)} was answered 503 and never retried: the order was not placed`);
    const retryKey = this.keyOf(retry);
    if (key !== null && retryKey === key) return pass(`503 ${ref(provoked)} retried by ${ref(retry)} with the same Idempotency-Key ${JSON.stringify(key)}`);
    const refused = /^REPLAYED/.test(retry.verdicts.signature.reason ?? '')
      ? ' (signed in the same second, the retry repeated the first signature and was refused 401 E_SIGNATURE_REPLAYED)'
      : '';
    return fail(
      `503 ${ref(provoked)} carried Idempotency-Key ${JSON.stringify(key)}; its retry ${ref(retry)} carried ${JSON.stringify(retryKey)}${refused}: ` +
        'had the first attempt been executed before the 503, the retry would have placed the order twice',
    );
  }

  newKeyPerOrder(): Verdict {
    const orders = this.op('createOrder');
    const reused = orders.filter((r) => r.verdicts.idempotency.result === 'MISMATCH');
    if (reused.length > 0) return fail(`an Idempotency-Key was reused for a different order (422 E_IDEMPOTENCY_KEY_REUSED):\n${listOf(reused.map(line))}`);
    const placed = orders.filter((r) => r.status === 200 && r.verdicts.idempotency.result === 'NEW');
    const keys = new Set(placed.map((r) => this.keyOf(r)));
    if (placed.length < 2) return skip(`${placed.length} order placed; two are needed to compare keys`);
    if (keys.size < placed.length) return fail(`${placed.length} orders placed with only ${keys.size} distinct Idempotency-Keys`);
    return pass(`${placed.length} orders placed, each with its own Idempotency-Key`);
  }

  retryAfter(): Verdict {
    const limited = this.e.requests.find((r) => r.status === 429);
    if (!limited) return skip('no call reached the provoked 429 (GET /categories was never called)');
    const answeredAt = ms(limited.at) + limited.duration_ms;
    const next = [...this.e.requests.filter((r) => r !== limited && ms(r.at) >= ms(limited.at) && r.id > limited.id), ...this.e.witness.filter((w) => !w.api && ms(w.at) >= ms(limited.at))].sort(
      (a, b) => ms(a.at) - ms(b.at),
    )[0];
    const waitMs = this.e.retryAfterSeconds * 1000;
    if (!next) return pass(`429 ${ref(limited)} (Retry-After: ${this.e.retryAfterSeconds}) was followed by no further call`);
    const gap = ms(next.at) - answeredAt;
    const nextRef = 'id' in next ? ref(next) : `${next.method} ${next.path} (trace ${next.trace_id})`;
    if (gap + RETRY_AFTER_SLACK_MS >= waitMs) return pass(`429 ${ref(limited)} (Retry-After: ${this.e.retryAfterSeconds}); next call ${nextRef} ${gap} ms later`);
    return fail(`429 ${ref(limited)} said Retry-After: ${this.e.retryAfterSeconds}, but the next call ${nextRef} came ${gap} ms later`);
  }

  unknownFields(): Verdict {
    const pages = this.op('listProducts');
    const decorated = pages.find((r) => r.status === 200);
    if (!decorated) return fail('GET /products was never answered 200: the catalogue was not browsed');
    const page = queryOf(decorated.path).get('page') ?? '1';
    const after = pages.find((r) => ms(r.at) >= ms(decorated.at) && r.id > decorated.id && (queryOf(r.path).get('page') ?? '1') !== page);
    if (after) return pass(`GET /products page ${page} ${ref(decorated)} carried unknown keys; the next page was requested by ${ref(after)}`);
    return fail(`GET /products page ${page} ${ref(decorated)} carried unknown keys, and no other page was requested after it: the flow stopped there`);
  }

  unknownEnum(): Verdict {
    const decorated = this.op('getProduct').find((r) => r.status === 200);
    if (!decorated) return fail('GET /products/{id} was never answered 200: no product was looked at');
    const productPath = decorated.path.split('?', 1)[0]!;
    const after = this.op('checkProductAvailability').find((r) => ms(r.at) >= ms(decorated.at) && r.path.startsWith(`${productPath}/availability`));
    if (after) return pass(`GET ${productPath} ${ref(decorated)} carried an unknown enum value; its availability was then checked by ${ref(after)}`);
    return fail(`GET ${productPath} ${ref(decorated)} carried an unknown enum value, and its availability was never checked after it: the flow stopped there`);
  }

  fetchedAfter(orderId: string, sinceIso: string): RequestLogEntry | undefined {
    return this.op('getOrder').find((r) => r.status === 200 && r.path.split('?', 1)[0]!.endsWith(`/orders/${orderId}`) && ms(r.at) >= ms(sinceIso));
  }

  instantVouchers(): Verdict {
    const order = this.instantOrder;
    if (!order) return fail(`no order for the INSTANT product ${this.e.instant.product_id} (${this.e.instant.amount} ${this.e.instant.currency}) was placed`);
    const read = this.fetchedAfter(order.id, order.created_at);
    if (read) return pass(`order ${order.id} (${order.status}) read by GET /orders/${order.id} ${ref(read)}`);
    return fail(`order ${order.id} (${order.status}) was never read with GET /orders/${order.id}: its vouchers were not fetched`);
  }

  deliveredAt(order: NonNullable<Grader['delayedOrder']>): string | undefined {
    return order.timeline.find((t) => t.status === 'DELIVERED')?.at;
  }

  delayedVouchers(): Verdict {
    const order = this.delayedOrder;
    if (!order) return fail(`no order for the DELAYED product ${this.e.delayed.product_id} (${this.e.delayed.amount} ${this.e.delayed.currency}) was placed`);
    const delivered = this.deliveredAt(order);
    if (!delivered) return fail(`order ${order.id} is ${order.status}: the command ended before the sandbox delivered it`);
    const read = this.fetchedAfter(order.id, delivered);
    if (read) return pass(`order ${order.id} went PENDING, was delivered at ${delivered} and read by ${ref(read)}`);
    return fail(`order ${order.id} was delivered at ${delivered} but never read with GET /orders/${order.id} afterwards: its vouchers were not fetched`);
  }

  polling(): Verdict {
    const order = this.delayedOrder;
    if (!order) return skip('no DELAYED order was placed');
    const until = this.deliveredAt(order) ?? new Date(8.64e15).toISOString();
    const polls = this.op('getOrder').filter((r) => r.path.split('?', 1)[0]!.endsWith(`/orders/${order.id}`) && ms(r.at) >= ms(order.created_at) && ms(r.at) < ms(until));
    if (polls.length === 0) return pass(`order ${order.id} was not polled while PENDING (webhook-driven)`);
    const gaps = polls.slice(1).map((r, i) => ({ r, gap: ms(r.at) - ms(polls[i]!.at) }));
    const hot = gaps.filter((g) => g.gap < this.e.minPollIntervalSeconds * 1000);
    if (hot.length > 0) {
      return fail(
        `order ${order.id} was polled ${polls.length} times while PENDING, ${hot.length} of them less than ${this.e.minPollIntervalSeconds} s after the previous one:\n` +
          listOf(hot.map((g) => `${ref(g.r)} ${g.gap} ms after the previous poll`)),
      );
    }
    return pass(`order ${order.id} was polled ${polls.length} times while PENDING, at least ${this.e.minPollIntervalSeconds} s apart`);
  }

  registered(): Verdict {
    const upserts = this.op('upsertWebhook').filter((r) => r.status < 300);
    if (upserts.length === 0 || this.e.endpoints.length === 0) return fail('no webhook endpoint was registered with POST /webhooks');
    const firstOrder = this.op('createOrder')[0];
    const first = upserts[0]!;
    if (firstOrder && ms(first.at) > ms(firstOrder.at)) {
      return fail(`the endpoint was registered by ${ref(first)} after the first order ${ref(firstOrder)}: that order's events had nowhere to go`);
    }
    return pass(`registered by ${ref(first)}: ${this.e.endpoints.map((e) => `${e.id} ${e.url} [${e.events.join(', ')}]`).join('; ')}`);
  }

  /** How the partner's command ended, for reasons that depend on it. */
  ended(): string {
    const { exit_code, timed_out, duration_ms } = this.e.run;
    const took = `${(duration_ms / 1000).toFixed(1)} s`;
    if (timed_out) return `the command was stopped after ${took}`;
    if (exit_code === 0) return `the command finished (exit 0) after ${took}`;
    return `the command exited ${exit_code ?? 'on a signal'} after ${took}`;
  }

  /**
   * Why no delivery of `eventType` (or of any order event) was made, from what the session shows: no
   * endpoint, an endpoint not subscribed to it, or a command that ended before such an event happened.
   */
  whyUndelivered(eventType?: string): string {
    const endpoints = this.e.endpoints;
    const wanted = eventType ?? 'order events';
    if (endpoints.length === 0) return 'no webhook endpoint was registered (POST /webhooks)';
    const subscribed = endpoints.filter((e) => (eventType === undefined ? e.events.some((name) => name.startsWith('order.')) : e.events.includes(eventType as never)));
    if (subscribed.length === 0) return `no registered endpoint subscribes to ${wanted} (${endpoints.map((e) => `${e.id}: ${e.events.join(', ')}`).join('; ')})`;
    const who = `endpoint ${subscribed.map((e) => e.id).join(', ')} subscribes to ${wanted}`;
    const orders = this.e.orders.length;
    if (orders === 0) return `${who}, but no order was placed before ${this.ended()}`;
    return `${who}, but no ${eventType ?? 'order'} event was delivered before ${this.ended()} (${orders} order${orders === 1 ? '' : 's'} placed)`;
  }

  faulted(kind: keyof typeof WEBHOOK_PROBES): Verdict {
    const eventType = WEBHOOK_PROBES[kind];
    const what = kind === 'FORGED_SIGNATURE' ? 'forged-signature' : 'stale-timestamp';
    const probes = this.attempts().filter((a) => a.attempt.fault === kind);
    if (probes.length === 0) return skip(`no ${what} delivery was sent (it is armed on ${eventType}): ${this.whyUndelivered(eventType)}`);
    const accepted = probes.filter((p) => isDelivered(p.attempt.status_code));
    const describe = (p: (typeof probes)[number]) =>
      `${p.delivery.id} ${p.delivery.event_type} ${p.delivery.event_id} → ${p.attempt.status_code ?? p.attempt.error} in ${p.attempt.latency_ms} ms`;
    const danger =
      kind === 'FORGED_SIGNATURE'
        ? 'the receiver trusts a webhook whose signature does not verify'
        : 'its signature verifies but its timestamp is outside ±300 s, so the receiver would also accept a captured delivery replayed later';
    if (accepted.length > 0) return fail(`the ${what} delivery was acknowledged: ${danger}\n${listOf(accepted.map(describe))}`);
    const unanswered = probes.filter((p) => p.attempt.status_code === null);
    if (unanswered.length === probes.length) return fail(`the ${what} delivery got no answer at all (is the receiver up?)\n${listOf(probes.map(describe))}`);
    return pass(`refused: ${probes.map(describe).join('; ')}`);
  }

  validAcknowledged(): Verdict {
    const valid = this.attempts().filter((a) => a.attempt.fault === null || a.attempt.fault === undefined || a.attempt.fault === 'DUPLICATE');
    if (valid.length === 0) return fail(`no valid delivery was made: ${this.whyUndelivered()}`);
    const bad = valid.filter((a) => !isDelivered(a.attempt.status_code) || a.attempt.latency_ms > WEBHOOK_BUDGET_MS);
    const describe = (a: (typeof valid)[number]) =>
      `${a.delivery.id} ${a.delivery.event_type} ${a.delivery.event_id} at ${a.attempt.at} → ${a.attempt.status_code ?? a.attempt.error} in ${a.attempt.latency_ms} ms`;
    if (bad.length > 0) return fail(`${bad.length} of ${valid.length} validly signed deliveries were not acknowledged 2xx within 5 s:\n${listOf(bad.map(describe))}`);
    const slowest = Math.max(...valid.map((a) => a.attempt.latency_ms));
    return pass(`${valid.length} valid deliveries acknowledged, slowest in ${slowest} ms`);
  }

  duplicate(): Verdict {
    const duplicated = this.e.deliveries.filter((d) => d.attempts.filter((a) => a.fault === null || a.fault === undefined || a.fault === 'DUPLICATE').length >= 2);
    if (duplicated.length === 0) return skip('no event was delivered twice');
    const refused = duplicated.filter((d) => d.attempts.some((a) => (a.fault ?? null) !== 'FORGED_SIGNATURE' && a.fault !== 'STALE_TIMESTAMP' && !isDelivered(a.status_code)));
    const describe = (d: WebhookDelivery) => `${d.id} ${d.event_type} ${d.event_id}: ${d.attempts.map((a) => `${a.fault ?? 'valid'}→${a.status_code ?? a.error}`).join(', ')}`;
    if (refused.length > 0) return fail(`a repeated delivery of an event was refused; Starship would keep retrying it:\n${listOf(refused.map(describe))}`);
    return pass(`every copy acknowledged: ${duplicated.map(describe).join('; ')}`);
  }

  forbiddenCalls(): Verdict {
    const outside = this.e.witness.filter((w) => !w.api).map((w) => `${w.method} ${w.path} → ${w.status} (trace ${w.trace_id}): outside the partner API`);
    const unknown = this.e.requests.filter((r) => r.operation_id === null).map((r) => `${line(r)}: no such operation in the partner API`);
    const all = [...outside, ...unknown];
    if (all.length > 0) return fail(`${all.length} calls a partner integration should not make:\n${listOf(all)}`);
    return pass(`${this.e.requests.length} calls, all to partner API operations`);
  }

  rejections(): Verdict {
    const provoked = new Set([this.e.requests.find((r) => r.status === 429), this.op('createOrder').find((r) => r.status === 503)]);
    const rejected = this.e.requests.filter((r) => r.status >= 400 && !provoked.has(r));
    if (rejected.length > 0) return warn(`${rejected.length} requests were rejected:\n${listOf(rejected.map((r) => `${line(r)} ${r.error_code ?? ''}`.trim()))}`);
    return pass('no request was rejected apart from the provoked 429 and 503');
  }
}

export function gradeSession(evidence: Evidence): GradedCheck[] {
  const g = new Grader(evidence);
  const verdicts: Record<PartnerCheckId, () => Verdict> = {
    'PARTNER-RUN-001': () => g.run(),
    'PARTNER-SIGN-001': () => g.signatures(),
    'PARTNER-SIGN-002': () => g.timestamps(),
    'PARTNER-IDEM-001': () => g.idempotencyPresent(),
    'PARTNER-IDEM-002': () => g.retryReusesKey(),
    'PARTNER-IDEM-003': () => g.newKeyPerOrder(),
    'PARTNER-RATE-001': () => g.retryAfter(),
    'PARTNER-COMPAT-001': () => g.unknownFields(),
    'PARTNER-COMPAT-002': () => g.unknownEnum(),
    'PARTNER-ORDER-001': () => g.instantVouchers(),
    'PARTNER-ORDER-002': () => g.delayedVouchers(),
    'PARTNER-POLL-001': () => g.polling(),
    'PARTNER-WH-001': () => g.registered(),
    'PARTNER-WH-002': () => g.faulted('FORGED_SIGNATURE'),
    'PARTNER-WH-003': () => g.faulted('STALE_TIMESTAMP'),
    'PARTNER-WH-004': () => g.validAcknowledged(),
    'PARTNER-WH-005': () => g.duplicate(),
    'PARTNER-HYG-001': () => g.forbiddenCalls(),
    'PARTNER-HYG-002': () => g.rejections(),
  };
  return PARTNER_CHECKS.map(({ id }) => ({ id, ...verdicts[id]() }));
}
