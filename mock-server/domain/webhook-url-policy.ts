/**
 * Which webhook URLs a hosted sandbox may send to (DESIGN "Hosted mode"). A shared sandbox that POSTs to any
 * URL a partner registers is a request forger into its own network: the metadata service, the database, its
 * own control API. So, hosted, a URL is refused when it names (or, at delivery, resolves to) a loopback,
 * unspecified, private, shared (CGNAT), link-local, multicast or reserved address, an IPv6 form that embeds
 * an IPv4 address, or a cloud metadata host. URLs go through the WHATWG parser first, so the odd IPv4 forms
 * (`2130706433`, `0x7f.1`, `127.1`) are read as the addresses they are. In every mode a URL with credentials
 * is refused: it can never be delivered, and nothing should repeat its password. Hosts the operator allows
 * (`--allow-webhook-host`) skip the address rules, never the credentials rule. The rules are net.BlockList
 * subnets; the DNS half (each delivery connects to the address it checked) is webhook-dispatcher/guarded-lookup.ts.
 */
import { BlockList, isIP } from 'node:net';

export interface WebhookUrlPolicy {
  /** Refuse internal addresses (hosted mode). */
  guardAddresses: boolean;
  /** Host names or IP literals exempt from the address rules, as written in a URL (lower case, IPv6 without brackets). */
  allowHosts: ReadonlySet<string>;
}

export const OPEN_POLICY: WebhookUrlPolicy = { guardAddresses: false, allowHosts: new Set() };

/** The URL policy and the per-partner endpoint cap, as the sandbox was started with. */
export interface WebhookHosting extends WebhookUrlPolicy {
  maxEndpointsPerPartner: number;
}

/**
 * Endpoints one partner may register. Each event is delivered to every subscribed endpoint, so the cap bounds
 * how many sends one order can cost (500 endpoints made 10 orders 5,000 deliveries); a real integration
 * needs a handful.
 */
export const DEFAULT_MAX_ENDPOINTS_PER_PARTNER = 10;

export const LOCAL_HOSTING: WebhookHosting = { ...OPEN_POLICY, maxEndpointsPerPartner: DEFAULT_MAX_ENDPOINTS_PER_PARTNER };

/** The hosting settings from what an operator gives (`--hosted`, `--allow-webhook-host`, `--max-webhook-endpoints`). */
export function webhookHosting(options: { hosted?: boolean; allowHosts?: readonly string[]; maxEndpointsPerPartner?: number } = {}): WebhookHosting {
  return {
    guardAddresses: options.hosted === true,
    allowHosts: new Set((options.allowHosts ?? []).map((host) => host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, ''))),
    maxEndpointsPerPartner: options.maxEndpointsPerPartner ?? DEFAULT_MAX_ENDPOINTS_PER_PARTNER,
  };
}

/** A refusal: the stable rule name and a sentence that never quotes the URL's userinfo. */
export interface UrlRefusal {
  rule: string;
  message: string;
}

type Family = 'ipv4' | 'ipv6';
const RULES: [rule: string, family: Family, network: string, prefix: number][] = [
  ['LOOPBACK', 'ipv4', '127.0.0.0', 8],
  ['LOOPBACK', 'ipv6', '::1', 128],
  ['UNSPECIFIED', 'ipv4', '0.0.0.0', 8],
  ['UNSPECIFIED', 'ipv6', '::', 128],
  ['PRIVATE', 'ipv4', '10.0.0.0', 8],
  ['PRIVATE', 'ipv4', '172.16.0.0', 12],
  ['PRIVATE', 'ipv4', '192.168.0.0', 16],
  ['PRIVATE', 'ipv6', 'fc00::', 7],
  ['SHARED_CGNAT', 'ipv4', '100.64.0.0', 10],
  ['LINK_LOCAL', 'ipv4', '169.254.0.0', 16],
  ['LINK_LOCAL', 'ipv6', 'fe80::', 10],
  ['MULTICAST', 'ipv4', '224.0.0.0', 4],
  ['MULTICAST', 'ipv6', 'ff00::', 8],
  ['RESERVED', 'ipv4', '240.0.0.0', 4],
  ['RESERVED', 'ipv4', '192.0.0.0', 24],
  ['RESERVED', 'ipv4', '198.18.0.0', 15],
  ['RESERVED', 'ipv6', '100::', 64],
  ['IPV4_EMBEDDED', 'ipv6', '::ffff:0:0', 96],
  ['IPV4_EMBEDDED', 'ipv6', '::', 96],
  ['IPV4_EMBEDDED', 'ipv6', '64:ff9b::', 96],
  ['IPV4_EMBEDDED', 'ipv6', '2002::', 16],
];
/**
 * Per family, a BlockList per rule, in RULES' order. Kept apart because a BlockList also matches an IPv4
 * address against IPv6 subnets (as ::ffff:a.b.c.d), which would put every IPv4 address under IPV4_EMBEDDED.
 */
const LISTS: Record<Family, Map<string, BlockList>> = { ipv4: new Map(), ipv6: new Map() };
for (const [rule, family, network, prefix] of RULES) {
  let list = LISTS[family].get(rule);
  if (!list) LISTS[family].set(rule, (list = new BlockList()));
  list.addSubnet(network, prefix, family);
}

/** Cloud metadata services by name (their addresses are link-local, but a name could be made to resolve anywhere). */
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal', 'metadata.azure.internal']);

/** The rule an IP address breaks, if any. */
export function addressRule(address: string): string | undefined {
  const version = isIP(address);
  if (version === 0) return undefined;
  const family: Family = version === 4 ? 'ipv4' : 'ipv6';
  for (const [rule, list] of LISTS[family]) if (list.check(address, family)) return rule;
  return undefined;
}

/** A URL's host as compared with allowHosts: lower case, IPv6 brackets removed, a trailing dot dropped. */
export function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

const refusal = (rule: string, message: string): UrlRefusal => ({ rule, message: `url is refused (${rule}): ${message}` });

/** Why `url` may not be registered under `policy`; undefined when it may. Checks the URL as written (no DNS). */
export function refuseWebhookUrl(url: string, policy: WebhookUrlPolicy): UrlRefusal | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refusal('NOT_A_URL', 'it must be an absolute http(s) URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return refusal('SCHEME', 'it must be an http(s) URL');
  if (parsed.username || parsed.password) return refusal('CREDENTIALS', 'it must not hold a user name or password; authenticate deliveries by their signature');
  if (!policy.guardAddresses) return undefined;
  const host = hostOf(parsed);
  if (policy.allowHosts.has(host)) return undefined;
  if (isIP(host)) {
    const rule = addressRule(host);
    return rule ? refusal(rule, `${host} is not a public address`) : undefined;
  }
  if (host === 'localhost' || host.endsWith('.localhost')) return refusal('LOOPBACK', `${host} is a loopback name`);
  if (METADATA_HOSTS.has(host)) return refusal('METADATA', `${host} is a cloud metadata service`);
  if (!host.includes('.') || /\.(?:internal|local|lan|home\.arpa)$/.test(host)) return refusal('INTERNAL_NAME', `${host} is not a public host name`);
  return undefined;
}

/** The URL without user name and password, for messages and logs. */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
