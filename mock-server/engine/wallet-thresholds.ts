/**
 * setWalletThreshold (control API): the per-wallet low-balance threshold behind `wallet.balance_threshold`.
 * The crossing itself is detected by moveMoney's debit, which reads the threshold in the same UPDATE … RETURNING
 * as the new balance (no extra query on the order path), and emitted by outbox.ts.
 */
import { formatMinor, MoneyFormatError, toMinor } from '../domain/money.ts';
import type { C } from '../engine.ts';
import type { EngineContext } from './context.ts';
import { invalid, notFound } from './errors.ts';

export async function setWalletThreshold(ctx: EngineContext, partnerId: string, currency: string, body: C['WalletThresholdRequest']): Promise<C['WalletThreshold']> {
  let thresholdMinor: number | null = null;
  if (body.threshold !== null) {
    try {
      thresholdMinor = toMinor(body.threshold);
    } catch (error) {
      if (!(error instanceof MoneyFormatError)) throw error;
      throw invalid('threshold must be a decimal string with at most two fraction digits, or null');
    }
  }
  const code = currency.toUpperCase();
  const wallet = await ctx.db
    .updateTable('wallets')
    .set({ low_balance_threshold_minor: thresholdMinor })
    .where('partner_id', '=', partnerId)
    .where('currency', '=', code)
    .returning(['balance_minor', 'low_balance_threshold_minor'])
    .executeTakeFirst();
  if (!wallet) throw notFound(`Partner ${partnerId} has no ${code} wallet.`);
  return {
    partner_id: partnerId,
    currency: code,
    balance: formatMinor(Number(wallet.balance_minor)),
    threshold: thresholdMinor === null ? null : formatMinor(thresholdMinor),
  };
}
