/**
 * The partner's IP allowlist (IPv4 and IPv6 CIDRs, IPv4-mapped IPv6 addresses matched as IPv4) on Node's
 * net.BlockList. The client address is Express's `req.ip`, which reads X-Forwarded-For only when the app's
 * `trust proxy` setting says so.
 */
import { BlockList, isIP } from 'node:net';
import type { RequestHandler } from 'express';
import { ApiError } from '../api-error.ts';
import { contextOf } from './context.ts';

const MAPPED_V4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** `::ffff:127.0.0.1` → `127.0.0.1`, so logs and IPv4 rules see the address the caller thinks it has. */
export function normaliseIp(address: string): string {
  return MAPPED_V4.exec(address)?.[1] ?? address;
}

interface CompiledAllowlist {
  list: BlockList;
  /** Callers come from few addresses; BlockList.check allocates a SocketAddress per call, so answers are kept. */
  decisions: Map<string, boolean>;
}

const MAX_DECISIONS = 1024;

/** Allowlists rarely change, so each distinct one is compiled once. */
const compiled = new Map<string, CompiledAllowlist>();

function compileAllowlist(cidrs: readonly string[]): CompiledAllowlist {
  const key = cidrs.join(',');
  let entry = compiled.get(key);
  if (!entry) {
    const list = new BlockList();
    for (const cidr of cidrs) {
      const [network = '', prefix] = cidr.split('/');
      const family = isIP(network);
      if (family === 0) continue;
      const bits = prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix);
      list.addSubnet(network, bits, family === 4 ? 'ipv4' : 'ipv6');
    }
    entry = { list, decisions: new Map() };
    compiled.set(key, entry);
  }
  return entry;
}

export function isAllowed(cidrs: readonly string[], address: string): boolean {
  const { list, decisions } = compileAllowlist(cidrs);
  let allowed = decisions.get(address);
  if (allowed === undefined) {
    const family = isIP(address);
    allowed = family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
    if (decisions.size >= MAX_DECISIONS) decisions.clear();
    decisions.set(address, allowed);
  }
  return allowed;
}

export function ipAllowlist(): RequestHandler {
  return (req, res, next) => {
    const ctx = contextOf(res);
    const partner = ctx.partner;
    if (!partner) throw new Error('ipAllowlist must run after apiKeyAuth');
    const clientIp = normaliseIp(req.ip ?? req.socket.remoteAddress ?? '');
    if (!isAllowed(partner.ipAllowlist, clientIp)) {
      ctx.verdicts.ip = { result: 'FAIL', client_ip: clientIp, reason: `${clientIp} is not in the API key's allowlist` };
      throw new ApiError(403, 'E_IP_NOT_ALLOWED', `Requests from ${clientIp} are not allowed for this API key.`);
    }
    ctx.verdicts.ip = { result: 'PASS', client_ip: clientIp, reason: null };
    next();
  };
}
