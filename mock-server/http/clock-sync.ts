/**
 * When several sandbox instances share PostgreSQL, any of them may move the virtual clock (advanceClock):
 * each request first catches up with the shared offset, so an advance on one instance is seen by the next
 * request on every other. Absent (no layer at all) when this process owns its clock.
 */
import type { RequestHandler } from 'express';
import type { Clock } from '../engine.ts';

export function clockSync(clock: Clock): RequestHandler[] {
  const sync = clock.sync?.bind(clock);
  if (!sync) return [];
  return [(_req, _res, next) => sync().then(() => next(), next)];
}
