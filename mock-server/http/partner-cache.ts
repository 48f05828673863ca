/**
 * Partner credentials by API key, remembered for a few seconds so that authenticating a request does not
 * cost a database read and a secret decryption every time (about a tenth of a product lookup's CPU).
 * Credentials only change through the control API (a reset deletes partners; nothing edits a key, secret,
 * allowlist or limits), so `clearOnControlWrites` forgets everything after any control-API write; the short
 * lifetime bounds staleness when another sandbox process shares the database: instances on one PostgreSQL
 * keep credentials SHARED_PARTNER_TTL_MS only, so a reset on one instance stops the others authenticating the
 * deleted partners within a second. Unknown keys are not cached.
 */
import { performance } from 'node:perf_hooks';
import type { RequestHandler } from 'express';
import type { Engine, PartnerCredentials } from '../engine.ts';

const MAX_ENTRIES = 10_000;
export const SHARED_PARTNER_TTL_MS = 1_000;

export class PartnerCache implements Pick<Engine, 'findPartnerByApiKey'> {
  private readonly entries = new Map<string, { partner: PartnerCredentials; expires: number }>();

  constructor(
    private readonly engine: Pick<Engine, 'findPartnerByApiKey'>,
    private readonly ttlMs: number = 5_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async findPartnerByApiKey(apiKey: string): Promise<PartnerCredentials | undefined> {
    const cached = this.entries.get(apiKey);
    if (cached && cached.expires > this.now()) return cached.partner;
    const partner = await this.engine.findPartnerByApiKey(apiKey);
    if (!partner) {
      this.entries.delete(apiKey);
      return undefined;
    }
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(apiKey, { partner, expires: this.now() + this.ttlMs });
    return partner;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Forgets cached credentials once a control-API write (POST/PUT/PATCH/DELETE) has been answered. */
export function clearOnControlWrites(cache: PartnerCache): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') res.once('finish', () => cache.clear());
    next();
  };
}
