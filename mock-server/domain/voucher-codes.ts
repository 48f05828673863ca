/**
 * Voucher material for generated vouchers (inventory pumps, the initial stock, simulated vendors), shaped by
 * the product's delivery_type: CODE → `AMZN-7K4Q-9XPL-2M8D`; CODE_WITH_PIN → a 16-character card number and
 * a 4-digit PIN; URL → a redemption link whose token is also the `code`. Codes are random (crypto), never
 * derived from the seed: they are secrets even in the sandbox.
 */
import type { DeliveryType } from './enums.ts';
import { randomBytesPooled, randomIntPooled } from './random.ts';

export interface VoucherSecret {
  code: string;
  pin: string | null;
  url: string | null;
}

/** Crockford base32: no I, L, O, U, so codes read back unambiguously. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const REDEMPTION_BASE_URL = 'https://redeem.sandbox.starshiprewards.com/v/';

export function generateVoucher(productName: string, deliveryType: DeliveryType): VoucherSecret {
  switch (deliveryType) {
    case 'CODE':
      return { code: `${codePrefix(productName)}-${chars(4)}-${chars(4)}-${chars(4)}`, pin: null, url: null };
    case 'CODE_WITH_PIN':
      return { code: `${codePrefix(productName)}${chars(12)}`, pin: String(randomIntPooled(10_000)).padStart(4, '0'), url: null };
    case 'URL': {
      const token = chars(24);
      return { code: token, pin: null, url: REDEMPTION_BASE_URL + token };
    }
  }
}

/** `Amazon Gift Card - USD` → `AMZN`: the first word's first letter and its next consonants. */
export function codePrefix(productName: string): string {
  const word = (productName.toUpperCase().match(/[A-Z0-9]+/) ?? ['SHIP'])[0];
  const consonants = word.slice(1).replace(/[AEIOU]/g, '');
  return (word[0] + consonants + word.slice(1) + 'XXXX').slice(0, 4);
}

function chars(length: number): string {
  const bytes = randomBytesPooled(length);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return out;
}
