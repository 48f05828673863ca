/** Money invariants read back through the partner API: every wallet equals the sum of its ledger. */
import { formatMinor, toMinor } from '@starship/sandbox/domain/money';
import type { Credentials, SandboxClient } from './http.ts';

const SIGN: Record<string, number> = { CREDIT: 1, REFUND: 1, DEBIT: -1 };

export interface LedgerView {
  wallets: { currency: string; balance: string }[];
  transactions: { id: string; type: string; amount: string; currency: string; order_id: string | null }[];
  orders: { id: string; status: string; total_amount: string; currency: string; items: { status: string; voucher?: { code: string } | null }[] }[];
}

export async function readLedger(client: SandboxClient, partner: Credentials): Promise<LedgerView> {
  const [wallets, transactions, orders] = await Promise.all([
    client.listAll(partner, '/wallets'),
    client.listAll(partner, '/transactions'),
    client.listAll(partner, '/orders'),
  ]);
  return { wallets, transactions, orders };
}

/**
 * Wallet = Σ ledger (CREDIT and REFUND add, DEBIT subtracts), every debit names an order of this partner,
 * every order has exactly one debit of its total. Empty when all hold.
 */
export function ledgerProblems({ wallets, transactions, orders }: LedgerView): string[] {
  const problems: string[] = [];
  for (const wallet of wallets) {
    let sum = 0;
    for (const t of transactions.filter((t) => t.currency === wallet.currency)) {
      const sign = SIGN[t.type];
      if (sign === undefined) problems.push(`transaction ${t.id} has type ${t.type}, which no scenario here makes`);
      else sum += sign * toMinor(t.amount);
    }
    if (sum !== toMinor(wallet.balance)) problems.push(`${wallet.currency} wallet is ${wallet.balance} but its ledger sums to ${formatMinor(sum)}`);
  }
  const orderIds = new Map(orders.map((o) => [o.id, o]));
  const debits = new Map<string, number>();
  for (const t of transactions.filter((t) => t.type === 'DEBIT')) {
    if (t.order_id === null || !orderIds.has(t.order_id)) problems.push(`debit ${t.id} has no order (${t.order_id})`);
    else debits.set(t.order_id, (debits.get(t.order_id) ?? 0) + 1);
  }
  for (const order of orders) {
    const count = debits.get(order.id) ?? 0;
    if (count !== 1) problems.push(`order ${order.id} has ${count} debits`);
    const debit = transactions.find((t) => t.type === 'DEBIT' && t.order_id === order.id);
    if (debit && toMinor(debit.amount) !== toMinor(order.total_amount)) problems.push(`order ${order.id} totals ${order.total_amount} but was debited ${debit.amount}`);
  }
  return problems;
}
