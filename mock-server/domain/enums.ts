/**
 * Enum values the engine stores and emits (always the canonical UPPERCASE form), and the one place input
 * enums are normalised: any case is accepted and the legacy `REALTIME` reads as `INSTANT` (DESIGN "Enums").
 */
import type { components } from '@starship/spec/starship';

type Schemas = components['schemas'];
export type OrderStatus = Schemas['OrderStatus'];
export type OrderSubStatus = Schemas['OrderSubStatus'];
export type OrderItemStatus = Schemas['OrderItemStatus'];
export type TransactionType = Schemas['TransactionType'];
export type DeliveryTime = Schemas['DeliveryTime'];
export type DeliveryType = Schemas['DeliveryType'];
export type Vendor = Schemas['Vendor'];
export type WebhookEventType = Schemas['WebhookEventType'];

export const ORDER_STATUSES = ['PLACED', 'PENDING', 'DELIVERED', 'PARTIALLY_DELIVERED', 'CANCELLED', 'FAILED'] as const satisfies readonly OrderStatus[];
export const TRANSACTION_TYPES = ['DEBIT', 'REFUND', 'CREDIT', 'ADJUSTMENT'] as const satisfies readonly TransactionType[];
export const VENDORS = ['VOUCHERKART', 'BAMBOO', 'PINELABS'] as const satisfies readonly Vendor[];

/** Inventory unit states (internal, from the Orders seed). */
export type VoucherStatus = 'AVAILABLE' | 'ALLOCATED' | 'DELIVERED' | 'COMPLETED' | 'BLOCKED' | 'REVOKED';

/** Legacy spellings read as a canonical member, wherever an enum has that member (DESIGN "Enums"). */
export const ENUM_ALIASES: Readonly<Record<string, string>> = { REALTIME: 'INSTANT' };

/** The canonical value of `input` among `allowed`, or undefined. */
export function parseEnum<T extends string>(input: string, allowed: readonly T[]): T | undefined {
  const upper = input.trim().toUpperCase();
  const canonical = ENUM_ALIASES[upper] ?? upper;
  return allowed.find((value) => value === canonical);
}
