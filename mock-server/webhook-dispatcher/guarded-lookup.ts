/**
 * The delivery half of the hosted URL guard (domain/webhook-url-policy.ts): a `lookup` for node:http that
 * resolves the host and fails when any address it got breaks a rule, so the socket connects to the very
 * address that was checked. Checking a name and then letting the client resolve it again would let DNS
 * rebinding (public at registration, 169.254.169.254 at delivery) through. IP literals never reach a lookup:
 * the URL check refuses those. Allowed hosts skip the check.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { addressRule, type WebhookUrlPolicy } from '../domain/webhook-url-policy.ts';

export class ForbiddenAddressError extends Error {
  readonly code = 'E_FORBIDDEN_ADDRESS';
}

export function guardedLookup(policy: WebhookUrlPolicy, resolve: typeof dnsLookup = dnsLookup): LookupFunction | undefined {
  if (!policy.guardAddresses) return undefined;
  return (hostname, options, callback) => {
    const host = hostname.toLowerCase().replace(/\.$/, '');
    resolve(hostname, { ...options, all: true }, (error, found: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const addresses = found;
      if (!policy.allowHosts.has(host)) {
        for (const { address } of addresses) {
          const rule = addressRule(address);
          if (rule) return callback(new ForbiddenAddressError(`${host} resolved to a forbidden address (${rule})`), '', 0);
        }
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  };
}
