/**
 * Wallets and their ledger. Every balance change goes through moveMoney, which updates the wallet and
 * appends the ledger row with the resulting balance in the same statement pair (callers run it inside
 * their transaction), so a wallet's balance is always the sum of its ledger's deltas. Debits are guarded
 * in SQL (`balance_minor >= amount`), never read-then-write. A debit crossing the wallet's low-balance
 * threshold emits `wallet.balance_threshold` in the same transaction (outbox.ts). Credits are guarded alike
 * (`balance_minor <= MAX_MINOR − amount`): no balance ever leaves what the contract's DecimalAmount expresses.
 */
import { prepare, valuesOf } from '../db/prepared.ts';
import type { Database } from '../db/schema.ts';
import { parseEnum, TRANSACTION_TYPES, type TransactionType } from '../domain/enums.ts';
import { formatMinor, MAX_MINOR, MoneyRangeError } from '../domain/money.ts';
import type { ListResult, PageQuery, S, TransactionQuery } from '../engine.ts';
import type { EngineContext, Executor } from './context.ts';
import { insufficientFunds, invalid } from './errors.ts';
import { recordBalanceCrossing } from './outbox.ts';
import { pageOf } from './pagination.ts';
import { isoBound } from './time-filters.ts';

export interface Movement {
  partnerId: string;
  currency: string;
  type: TransactionType;
  /** Positive; the type gives the direction. */
  amountMinor: number;
  orderId: string | null;
  description: string;
}

const OUTGOING: readonly TransactionType[] = ['DEBIT'];

/** Every order moves money: these run prepared (db/prepared.ts). Both directions are guarded in SQL. */
type WalletChange = { delta: number; nowIso: string; partnerId: string; currency: string; amountMinor: number; ceilingMinor: number };
type WalletAfter = Pick<Database['wallets'], 'balance_minor' | 'low_balance_threshold_minor'>;
const changeWallet = (debit: boolean) =>
  prepare<WalletChange, WalletAfter>((db, p) => {
    let update = db
      .updateTable('wallets')
      .set((eb) => ({ balance_minor: eb('balance_minor', '+', p.delta), updated_at: p.nowIso }))
      .where('partner_id', '=', p.partnerId)
      .where('currency', '=', p.currency);
    update = debit ? update.where('balance_minor', '>=', p.amountMinor) : update.where('balance_minor', '<=', p.ceilingMinor);
    return update.returning(['balance_minor', 'low_balance_threshold_minor']);
  });
const debitWallet = changeWallet(true);
const creditWallet = changeWallet(false);
const LEDGER_COLUMNS = ['id', 'partner_id', 'currency', 'type', 'delta_minor', 'balance_after_minor', 'order_id', 'description', 'created_at'] as const;
const insertLedgerRow = prepare<Database['ledger_transactions'], never>((db, p) => db.insertInto('ledger_transactions').values(valuesOf(p, LEDGER_COLUMNS)));

export async function moveMoney(ctx: EngineContext, exec: Executor, m: Movement): Promise<Database['ledger_transactions']> {
  const nowIso = ctx.clock.nowIso();
  const outgoing = OUTGOING.includes(m.type);
  const delta = outgoing ? -m.amountMinor : m.amountMinor;
  const change = { delta, nowIso, partnerId: m.partnerId, currency: m.currency, amountMinor: m.amountMinor, ceilingMinor: MAX_MINOR - m.amountMinor };
  const updated = (await (outgoing ? debitWallet : creditWallet).execute(exec, change)).rows[0];
  let balance = updated?.balance_minor;
  if (balance === undefined) {
    if (outgoing) throw await shortfall(exec, m);
    if (await walletExists(exec, m)) throw ceilingReached(m);
    await exec.insertInto('wallets').values({ partner_id: m.partnerId, currency: m.currency, balance_minor: delta, updated_at: nowIso }).execute();
    balance = delta;
  }
  const row: Database['ledger_transactions'] = {
    id: ctx.newId('transaction'),
    partner_id: m.partnerId,
    currency: m.currency,
    type: m.type,
    delta_minor: delta,
    balance_after_minor: Number(balance),
    order_id: m.orderId,
    description: m.description,
    created_at: nowIso,
  };
  await insertLedgerRow.execute(exec, row);
  if (outgoing && updated) {
    const after = Number(updated.balance_minor);
    const threshold = updated.low_balance_threshold_minor;
    await recordBalanceCrossing(ctx, exec, {
      partnerId: m.partnerId,
      currency: m.currency,
      beforeMinor: after + m.amountMinor,
      afterMinor: after,
      thresholdMinor: threshold === null || threshold === undefined ? null : Number(threshold),
    });
  }
  return row;
}

async function walletExists(exec: Executor, m: Movement): Promise<boolean> {
  const wallet = await exec.selectFrom('wallets').select('currency').where('partner_id', '=', m.partnerId).where('currency', '=', m.currency).executeTakeFirst();
  return wallet !== undefined;
}

function ceilingReached(m: Movement): MoneyRangeError {
  return new MoneyRangeError(
    `Crediting ${formatMinor(m.amountMinor)} ${m.currency} would take the ${m.currency} wallet above the largest balance, ${formatMinor(MAX_MINOR)}.`,
  );
}

async function shortfall(exec: Executor, m: Movement) {
  const wallet = await exec
    .selectFrom('wallets')
    .select('balance_minor')
    .where('partner_id', '=', m.partnerId)
    .where('currency', '=', m.currency)
    .executeTakeFirst();
  const needed = `${formatMinor(m.amountMinor)} ${m.currency}`;
  return wallet
    ? insufficientFunds(`The ${m.currency} wallet holds ${formatMinor(Number(wallet.balance_minor))} ${m.currency}; this order needs ${needed}.`)
    : insufficientFunds(`You have no ${m.currency} wallet; this order needs ${needed}. Fund a ${m.currency} wallet or settle in another currency.`);
}

export function renderWallet(row: Database['wallets']): S['Wallet'] {
  return { currency: row.currency, balance: formatMinor(Number(row.balance_minor)), updated_at: row.updated_at };
}

export function renderTransaction(row: Database['ledger_transactions']): S['Transaction'] {
  return {
    id: row.id,
    type: row.type as TransactionType,
    amount: formatMinor(Math.abs(Number(row.delta_minor))),
    currency: row.currency,
    balance_after: formatMinor(Number(row.balance_after_minor)),
    order_id: row.order_id,
    description: row.description,
    created_at: row.created_at,
  };
}

export async function partnerWallets(exec: Executor, partnerId: string): Promise<S['Wallet'][]> {
  const rows = await exec.selectFrom('wallets').selectAll().where('partner_id', '=', partnerId).orderBy('currency').execute();
  return rows.map(renderWallet);
}

export async function listWallets(exec: Executor, partnerId: string, query: PageQuery): Promise<ListResult<S['Wallet']>> {
  const { limit, offset } = pageOf(query);
  const base = exec.selectFrom('wallets').where('partner_id', '=', partnerId);
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('currency').limit(limit).offset(offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(renderWallet), total: Number(count.n) };
}

export async function listTransactions(exec: Executor, partnerId: string, query: TransactionQuery): Promise<ListResult<S['Transaction']>> {
  const { limit, offset } = pageOf(query);
  const problems: string[] = [];
  const from = isoBound(query.from, 'from', problems);
  const to = isoBound(query.to, 'to', problems);
  const type = query.type === undefined ? undefined : parseEnum(query.type, TRANSACTION_TYPES);
  if (query.type !== undefined && !type) problems.push(`type must be one of ${TRANSACTION_TYPES.join(', ')}`);
  if (from && to && to < from) problems.push('to must not be before from');
  if (problems.length) throw invalid(...problems);

  let base = exec.selectFrom('ledger_transactions').where('partner_id', '=', partnerId);
  if (from) base = base.where('created_at', '>=', from);
  if (to) base = base.where('created_at', '<', to);
  if (query.order_id) base = base.where('order_id', '=', query.order_id);
  if (type) base = base.where('type', '=', type);
  if (query.currency) base = base.where('currency', '=', query.currency.toUpperCase());
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(renderTransaction), total: Number(count.n) };
}
