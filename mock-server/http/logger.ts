/**
 * The sandbox's operational log (pino, JSON lines on stderr) at LOG_LEVEL (default info): start and
 * shutdown, one access line per request (access-log.ts), failures. The request log in the engine keeps the
 * per-request verdicts. Credentials are never passed to it; a key or token under a name pino redacts is
 * censored anyway, in case one is ever logged by mistake.
 */
import { pino, type Logger } from 'pino';

const REDACTED = ['apiKey', 'apiSecret', 'adminToken', 'secret', 'signature', 'authorization', '*.apiSecret', '*.secret', '*.authorization'];

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: 'starship-sandbox', level, redact: { paths: REDACTED, censor: '[redacted]' } }, pino.destination(2));
}
