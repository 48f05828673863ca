/**
 * testHelperTriggerEvent (`starship trigger EVENT_TYPE`): creates, for the calling partner and through the
 * partner API's own rules, what emits the event, and reports the events that came out of it. Orders are of the
 * cheapest denomination of a product priced in the first of the partner's wallets' currencies that can pay for
 * it, forced down the path that emits the event by a magic reference (domain/magic.ts):
 *
 * | event | what is created |
 * |---|---|
 * | order.pending / .delivered / .partially_delivered / .cancelled / .failed | an order forced to that state |
 * | reconciliation.drift | a delivered order, then a drift reported on it |
 * | wallet.balance_threshold | a delivered order whose debit crosses a threshold set at the wallet's balance; the previous threshold is then put back |
 *
 * A planned event needs its feature flag on (as subscribing to it does; the spec says which flag): 404
 * E_FEATURE_DISABLED otherwise.
 */
import { MAGIC_PREFIX, type MagicOutcome } from '../domain/magic.ts';
import { formatMinor } from '../domain/money.ts';
import type { C } from '../engine.ts';
import { starshipWebhookEventTypes } from '@starship/spec/starship-operations';
import type { EngineContext } from './context.ts';
import { featureDisabled, insufficientFunds, invalid } from './errors.ts';
import type { IdempotencyStore } from './idempotency.ts';
import { resolveLine } from './order-line.ts';
import { placeOrder } from './orders.ts';
import { injectReconciliationDrift } from './reconciliation.ts';
import { isEventEnabled, WEBHOOK_EVENT_FLAGS } from './settings.ts';
import { setWalletThreshold } from './wallet-thresholds.ts';

type EventType = (typeof starshipWebhookEventTypes)[number];

/** What each event type is made with: the forced outcome of its order. */
const RECIPES: Record<EventType, { outcome: MagicOutcome; quantity: number }> = {
  'order.pending': { outcome: 'PENDING', quantity: 1 },
  'order.delivered': { outcome: 'DELIVERED', quantity: 1 },
  'order.partially_delivered': { outcome: 'PARTIAL', quantity: 2 },
  'order.cancelled': { outcome: 'CANCEL', quantity: 1 },
  'order.failed': { outcome: 'FAIL', quantity: 1 },
  'reconciliation.drift': { outcome: 'DELIVERED', quantity: 1 },
  'wallet.balance_threshold': { outcome: 'DELIVERED', quantity: 1 },
};

function isEventType(value: string): value is EventType {
  return WEBHOOK_EVENT_FLAGS.has(value);
}

/** The cheapest (product, denomination) priced in `currency`, or undefined when the catalog has none. */
function cheapestIn(ctx: EngineContext, currency: string): { product_id: number; amount: string } | undefined {
  let best: { product_id: number; amountMinor: number } | undefined;
  for (const product of ctx.catalog.all()) {
    if (product.currency !== currency) continue;
    for (const denomination of product.denominations) {
      if (!best || denomination.minMinor < best.amountMinor) best = { product_id: product.id, amountMinor: denomination.minMinor };
    }
  }
  return best && { product_id: best.product_id, amount: formatMinor(best.amountMinor) };
}

export async function triggerEvent(ctx: EngineContext, idempotency: IdempotencyStore, partnerId: string, eventType: string): Promise<C['TriggeredEvent']> {
  if (!isEventType(eventType)) throw invalid(`event_type must be one of ${starshipWebhookEventTypes.join(', ')} (got "${eventType}")`);
  const recipe = RECIPES[eventType];
  if (!(await isEventEnabled(ctx.db, eventType))) throw featureDisabled(eventType, WEBHOOK_EVENT_FLAGS.get(eventType)!);
  const pctx = await ctx.forPartner(partnerId);
  const wallets = await ctx.db.selectFrom('wallets').select(['currency', 'balance_minor']).where('partner_id', '=', partnerId).orderBy('currency').execute();
  let order: { product_id: number; amount: string; quantity: number; currency: string } | undefined;
  for (const wallet of wallets) {
    const line = cheapestIn(ctx, wallet.currency);
    if (!line) continue;
    const candidate = { ...line, quantity: recipe.quantity, currency: wallet.currency };
    if (resolveLine(ctx.catalog, candidate).quote.totalMinor <= Number(wallet.balance_minor)) {
      order = candidate;
      break;
    }
  }
  if (!order) {
    const balances = wallets.map((w) => `${w.currency} ${formatMinor(Number(w.balance_minor))}`).join(', ') || 'none';
    throw insufficientFunds(`None of your wallets (${balances}) can pay for the order that emits ${eventType}; fund one with testHelperFundWallet.`);
  }

  const before = (await ctx.db.selectFrom('partners').select('event_seq').where('id', '=', partnerId).executeTakeFirstOrThrow()).event_seq;
  let previousThreshold: number | null | undefined;
  if (eventType === 'wallet.balance_threshold') {
    const wallet = await ctx.db
      .selectFrom('wallets')
      .select(['balance_minor', 'low_balance_threshold_minor'])
      .where('partner_id', '=', partnerId)
      .where('currency', '=', order.currency)
      .executeTakeFirstOrThrow();
    previousThreshold = wallet.low_balance_threshold_minor ?? null;
    await setWalletThreshold(ctx, partnerId, order.currency, { threshold: formatMinor(Number(wallet.balance_minor)) });
  }
  let placed: C['Order'];
  try {
    placed = await placeOrder(pctx, idempotency, partnerId, { ...order, reference: `${MAGIC_PREFIX}${recipe.outcome}: starship trigger ${eventType}` });
  } finally {
    if (previousThreshold !== undefined) {
      await setWalletThreshold(ctx, partnerId, order.currency, { threshold: previousThreshold === null ? null : formatMinor(previousThreshold) });
    }
  }
  if (eventType === 'reconciliation.drift') await injectReconciliationDrift(ctx, { order_id: placed.id });

  const events = await ctx.db
    .selectFrom('webhook_events')
    .select(['id', 'type', 'seq'])
    .where('partner_id', '=', partnerId)
    .where('seq', '>', Number(before))
    .where((eb) => eb.or([eb('subject_id', '=', placed.id), eb.and([eb('subject_id', 'is', null), eb('type', '=', eventType)])]))
    .orderBy('seq')
    .execute();
  return {
    event_type: eventType,
    order_id: placed.id,
    events: events.map((e) => ({ event_id: e.id, event_type: e.type as EventType, sequence: Number(e.seq) })),
  };
}
