/**
 * Prefixed ULIDs (`ord_01KP5…`). The time part comes from the caller (the sandbox's virtual clock) so ids
 * sort like the timestamps stored beside them; the factory is monotonic, so ids made in the same
 * millisecond still sort in creation order.
 */
import { monotonicFactory } from 'ulid';
import { randomBytesPooled } from './random.ts';

export const ID_PREFIXES = {
  order: 'ord',
  orderItem: 'itm',
  transaction: 'txn',
  webhook: 'wh',
  event: 'evt',
  partner: 'ptr',
  fault: 'flt',
  request: 'req',
  delivery: 'dlv',
  attempt: 'att',
  webhookFault: 'wfl',
  drift: 'drf',
  voucher: 'vch',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const ULID_BODY = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export type IdFactory = (kind: IdKind, timeMs: number) => string;

export function createIdFactory(): IdFactory {
  // ulid's default source asks the OS for one byte per character; the pool gives the same quality faster.
  const next = monotonicFactory(() => randomBytesPooled(1)[0]! / 256);
  return (kind, timeMs) => `${ID_PREFIXES[kind]}_${next(timeMs)}`;
}

export function isId(kind: IdKind, value: string): boolean {
  const prefix = `${ID_PREFIXES[kind]}_`;
  return value.startsWith(prefix) && ULID_BODY.test(value.slice(prefix.length));
}

