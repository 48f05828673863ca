/**
 * The sandbox's operational log (pino, JSON lines on stderr). It records failures, not traffic: the request
 * log in the engine is where per-request detail lives, so nothing is written per request at info level.
 * Credentials are never passed to it.
 */
import { pino, type Logger } from 'pino';

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: 'starship-sandbox', level }, pino.destination(2));
}
