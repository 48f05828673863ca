import { isObject, childPointer } from '@starship/contract';
import type { DiffContext } from './context.ts';

/** Server URLs carry the `/api/v1` prefix partners build every call on. */
function servers(root: Record<string, unknown>): Map<string, string> {
  const result = new Map<string, string>();
  const list = Array.isArray(root.servers) ? root.servers : [];
  list.forEach((server, i) => {
    if (isObject(server) && typeof server.url === 'string') result.set(server.url.replace(/\/+$/, ''), childPointer('#/servers', i));
  });
  return result;
}

export function compareServers(ctx: DiffContext): void {
  const before = servers(ctx.base.root);
  const after = servers(ctx.revision.root);
  for (const [url, pointer] of before) {
    if (!after.has(url)) ctx.report('server-removed', undefined, { location: pointer, anchor: '#/servers', message: `Server \`${url}\` was removed` });
  }
  for (const [url, pointer] of after) {
    if (!before.has(url)) ctx.report('server-added', undefined, { location: pointer, anchor: pointer, message: `New server \`${url}\`` });
  }
}
