/**
 * How many times a request carried a header. node:http keeps only the first `Authorization` and joins a
 * repeated `X-API-Key` with ", ", so `req.get` cannot tell a credential sent twice (which a proxy or a
 * client bug could make either one "win") from one sent once: the raw header list can.
 */
import type { IncomingMessage } from 'node:http';

export function headerCount(req: IncomingMessage, name: string): number {
  const lower = name.toLowerCase();
  let count = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]!.toLowerCase() === lower) count++;
  return count;
}
