/**
 * The demo partner `starship mock` prints at start-up, so a developer can call the API at once. The engine
 * issues credentials itself, so to find the same partner after a restart its credentials are kept in a
 * file beside the database (`.sandbox/starship.db` → `.sandbox/starship.demo.json`, mode 0600, as the
 * encryption key beside it). It is recreated when missing or gone (e.g. after resetSandbox).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { MEMORY } from './db/connect.ts';
import type { C, Engine } from './engine.ts';

export interface DemoCredentials {
  partnerId: string;
  apiKey: string;
  apiSecret: string;
}

export const DEMO_PARTNER: C['CreatePartnerRequest'] = {
  name: 'Demo Partner',
  wallets: [
    { currency: 'USD', balance: '10000.00' },
    { currency: 'EUR', balance: '10000.00' },
    { currency: 'GBP', balance: '10000.00' },
    { currency: 'INR', balance: '1000000.00' },
  ],
  ip_allowlist: ['127.0.0.1/32', '::1/128'],
};

export function demoFileFor(dbFile: string): string {
  return join(dirname(dbFile), `${basename(dbFile, extname(dbFile))}.demo.json`);
}

function readStored(path: string): DemoCredentials | undefined {
  try {
    const stored = JSON.parse(readFileSync(path, 'utf8')) as Partial<DemoCredentials>;
    const { partnerId, apiKey, apiSecret } = stored;
    return partnerId && apiKey && apiSecret ? { partnerId, apiKey, apiSecret } : undefined;
  } catch {
    return undefined;
  }
}

/** `dbFile` undefined (PostgreSQL): no file to keep the credentials in, so each start makes a demo partner. */
export async function ensureDemoPartner(engine: Engine, dbFile: string | undefined): Promise<DemoCredentials> {
  const path = dbFile === undefined || dbFile === MEMORY ? undefined : demoFileFor(dbFile);
  const stored = path ? readStored(path) : undefined;
  if (stored) {
    const existing = await engine.findPartnerByApiKey(stored.apiKey);
    if (existing?.partnerId === stored.partnerId && existing.apiSecret === stored.apiSecret) return stored;
  }
  const created = await engine.createPartner(DEMO_PARTNER);
  const credentials = { partnerId: created.partner_id, apiKey: created.api_key, apiSecret: created.api_secret };
  if (path) writeFileSync(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
}
