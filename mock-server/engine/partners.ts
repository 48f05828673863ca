/**
 * Partner accounts: credentials (pk_test_/sk_test_; the secret is encrypted at rest and returned in clear
 * only by createPartner and to the authentication check), IP allowlist, rate-limit overrides, wallets, and
 * the partner's own voucher pools (seeded at creation) and test clock (engine/clock.ts).
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { CURRENCIES, isSupportedCurrency } from '../domain/fx.ts';
import { MoneyFormatError, toMinor } from '../domain/money.ts';
import type { C, PartnerCredentials } from '../engine.ts';
import type { EngineContext, Executor } from './context.ts';
import { invalid, notFound, partnerGone } from './errors.ts';
import { shiftDueDeliveries } from './deliveries.ts';
import { plantInitialStock } from './seed.ts';
import { moveMoney, partnerWallets, renderTransaction, renderWallet } from './wallets.ts';

export const OPEN_ALLOWLIST = ['0.0.0.0/0', '::/0'];

export async function createPartner(ctx: EngineContext, body: C['CreatePartnerRequest']): Promise<C['Partner']> {
  const problems: string[] = [];
  const name = body.name.trim();
  if (name.length < 1 || name.length > 100) problems.push('name must be 1 to 100 characters');
  const wallets = (body.wallets ?? []).map((w, i) => {
    const currency = w.currency.toUpperCase();
    if (!isSupportedCurrency(currency)) problems.push(`wallets[${i}].currency must be one of ${CURRENCIES.map((c) => c.code).join(', ')}`);
    let balance = 0;
    try {
      balance = toMinor(w.balance);
    } catch (error) {
      if (!(error instanceof MoneyFormatError)) throw error;
      problems.push(`wallets[${i}].balance must be a decimal string with at most two fraction digits`);
    }
    return { currency, balance };
  });
  if (new Set(wallets.map((w) => w.currency)).size !== wallets.length) problems.push('wallets must not repeat a currency');
  const allowlist = body.ip_allowlist ?? OPEN_ALLOWLIST;
  for (const cidr of allowlist) if (!isCidr(cidr)) problems.push(`ip_allowlist entry ${cidr} is not an IPv4 or IPv6 CIDR`);
  if (problems.length) throw invalid(...problems);

  const nowIso = ctx.clock.nowIso();
  const id = ctx.newId('partner');
  const apiKey = `pk_test_${randomBytes(12).toString('hex')}`;
  const apiSecret = `sk_test_${randomBytes(16).toString('hex')}`;
  const overrides = body.rate_limit_overrides ?? {};
  return ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('partners')
      .values({
        id,
        name,
        api_key: apiKey,
        api_secret_enc: ctx.encrypt(apiSecret, secretContext(id)),
        ip_allowlist_json: JSON.stringify(allowlist),
        rate_limit_overrides_json: JSON.stringify(overrides),
        created_at: nowIso,
        clock_offset_seconds: 0,
        event_seq: 0,
        stream_lease_until_ms: 0,
      })
      .execute();
    await plantInitialStock(ctx, trx, id);
    for (const wallet of wallets) {
      if (wallet.balance > 0) {
        await moveMoney(ctx, trx, { partnerId: id, currency: wallet.currency, type: 'CREDIT', amountMinor: wallet.balance, orderId: null, description: 'Opening balance' });
      } else {
        await trx.insertInto('wallets').values({ partner_id: id, currency: wallet.currency, balance_minor: 0, updated_at: nowIso }).execute();
      }
    }
    return {
      partner_id: id,
      name,
      api_key: apiKey,
      api_secret: apiSecret,
      wallets: await partnerWallets(trx, id),
      ip_allowlist: allowlist,
      rate_limit_overrides: overrides,
      created_at: nowIso,
    };
  });
}

export async function findPartnerByApiKey(ctx: EngineContext, apiKey: string): Promise<PartnerCredentials | undefined> {
  const row = await ctx.db.selectFrom('partners').selectAll().where('api_key', '=', apiKey).executeTakeFirst();
  if (!row) return undefined;
  return {
    partnerId: row.id,
    apiKey: row.api_key,
    apiSecret: ctx.decrypt(row.api_secret_enc, secretContext(row.id)),
    ipAllowlist: JSON.parse(row.ip_allowlist_json) as string[],
    rateLimitOverrides: JSON.parse(row.rate_limit_overrides_json) as C['RateLimitOverrides'],
  };
}

/** 404 unless the partner exists. */
export async function requirePartner(ctx: EngineContext, partnerId: string): Promise<void> {
  const row = await ctx.db.selectFrom('partners').select('id').where('id', '=', partnerId).executeTakeFirst();
  if (!row) throw notFound(`Partner ${partnerId} not found.`);
}

/** Moves the partner's test clock forward; the partner's open webhook deliveries come due with it. */
export async function advancePartnerClock(ctx: EngineContext, partnerId: string, seconds: number): Promise<number> {
  const offset = await ctx.db.transaction().execute(async (trx) => {
    const moved = await ctx.partnerClocks.advance(trx, partnerId, seconds);
    if (moved === undefined) throw notFound(`Partner ${partnerId} not found.`);
    await shiftDueDeliveries(trx, partnerId, seconds);
    return moved;
  });
  ctx.partnerClocks.moved(partnerId, offset);
  ctx.outbox.notify();
  return offset;
}

export async function fundWallet(ctx: EngineContext, partnerId: string, body: C['FundWalletRequest']): Promise<C['FundWalletResult']> {
  const currency = body.currency.toUpperCase();
  const problems: string[] = [];
  if (!isSupportedCurrency(currency)) problems.push(`currency must be one of ${CURRENCIES.map((c) => c.code).join(', ')}`);
  let amountMinor = 0;
  try {
    amountMinor = toMinor(body.amount);
    if (amountMinor <= 0) problems.push('amount must be greater than 0');
  } catch (error) {
    if (!(error instanceof MoneyFormatError)) throw error;
    problems.push('amount must be a decimal string with at most two fraction digits');
  }
  return ctx.db.transaction().execute(async (trx) => {
    const partner = await trx.selectFrom('partners').select('id').where('id', '=', partnerId).executeTakeFirst();
    if (!partner) throw notFound(`Partner ${partnerId} not found.`);
    if (problems.length) throw invalid(...problems);
    const txn = await moveMoney(ctx, trx, { partnerId, currency, type: 'CREDIT', amountMinor, orderId: null, description: 'Sandbox wallet funding' });
    const wallet = await trx.selectFrom('wallets').selectAll().where('partner_id', '=', partnerId).where('currency', '=', currency).executeTakeFirstOrThrow();
    return { wallet: renderWallet(wallet), transaction: renderTransaction(txn) };
  });
}

function secretContext(partnerId: string): string {
  return `partner-secret:${partnerId}`;
}

function isCidr(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  if (rest.length || address === undefined || prefix === undefined || !/^\d{1,3}$/.test(prefix)) return false;
  const version = isIP(address);
  return version !== 0 && Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * First in a write made for a partner: the partner still exists (a reset may have removed it after the request
 * was authenticated: 401 then, not a foreign-key 500) and, on PostgreSQL, stays until the write commits: FOR KEY
 * SHARE, which only a delete waits for (the partner's own event-sequence UPDATE does not, so two orders of
 * one partner never deadlock on it), or FOR UPDATE to serialise the partner's own registrations. SQLite runs
 * one write transaction at a time, so there the check is enough.
 */
export async function holdPartner(ctx: EngineContext, exec: Executor, partnerId: string, lock: 'key-share' | 'update' = 'key-share'): Promise<void> {
  let query = exec.selectFrom('partners').select('id').where('id', '=', partnerId);
  if (ctx.shared) query = lock === 'update' ? query.forUpdate() : query.forKeyShare();
  if (!(await query.executeTakeFirst())) throw partnerGone();
}
