/**
 * The partner credentials the sandbox commands take (`listen`, `trigger`, `logs`, `conformance partner`):
 * `--base-url` (the API root including /api/v1), `--api-key`, `--api-secret`, each falling back to
 * STARSHIP_BASE_URL, STARSHIP_API_KEY and STARSHIP_API_SECRET — the variables the certification script and the
 * examples already read.
 */
import type { Command } from 'commander';

export interface CredentialOptions {
  baseUrl?: string;
  apiKey?: string;
  apiSecret?: string;
}

export interface ResolvedCredentials {
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
}

const SOURCES = [
  { key: 'baseUrl', flag: '--base-url', env: 'STARSHIP_BASE_URL' },
  { key: 'apiKey', flag: '--api-key', env: 'STARSHIP_API_KEY' },
  { key: 'apiSecret', flag: '--api-secret', env: 'STARSHIP_API_SECRET' },
] as const;

/** Adds the three options to a command. */
export function withCredentialOptions(command: Command): Command {
  return command
    .option('--base-url <url>', 'sandbox API root including /api/v1 (or STARSHIP_BASE_URL)')
    .option('--api-key <key>', 'your sandbox API key (or STARSHIP_API_KEY)')
    .option('--api-secret <secret>', 'your sandbox API secret (or STARSHIP_API_SECRET)');
}

/** Flags first, then the environment; undefined when none of the three is given; anything partial is a usage error. */
export function credentialsFrom(options: CredentialOptions, env: NodeJS.ProcessEnv = process.env): ResolvedCredentials | undefined {
  const values = Object.fromEntries(SOURCES.map((s) => [s.key, options[s.key] || env[s.env] || ''])) as unknown as ResolvedCredentials;
  const missing = SOURCES.filter((s) => values[s.key] === '');
  if (missing.length === SOURCES.length) return undefined;
  if (missing.length > 0) {
    throw new Error(`partner credentials are incomplete: give ${missing.map((s) => `${s.flag} (or ${s.env})`).join(', ')}`);
  }
  if (!URL.canParse(values.baseUrl)) {
    throw new Error(`--base-url must be a URL such as https://api-playground.starshiprewards.com/api/v1 (got ${values.baseUrl})`);
  }
  return values;
}

/** As credentialsFrom, but required. */
export function requireCredentials(options: CredentialOptions, env: NodeJS.ProcessEnv = process.env): ResolvedCredentials {
  const credentials = credentialsFrom(options, env);
  if (!credentials) {
    throw new Error('give your sandbox credentials: --base-url, --api-key and --api-secret (or STARSHIP_BASE_URL, STARSHIP_API_KEY and STARSHIP_API_SECRET)');
  }
  return credentials;
}
