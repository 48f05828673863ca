/**
 * Why a partner's X-Signature did not verify: the sandbox rebuilds the canonical string with the usual
 * mistakes — wrong path or query, body re-serialised, method case, timestamp mismatch, separators, the
 * wrong key — signs each with the partner's secret through the SDK's own signer (sdk/signing.ts, the one
 * implementation of the scheme) and reports the variation whose HMAC equals the partner's v1. It names the
 * part of the canonical string that differs; it never reveals the expected signature.
 */
import { hmacSha256Hex, parseSignatureHeader } from '@starship/sdk';
import { canonicalRequestBytes, canonicalRequestString } from '@starship/sdk';

export interface SignedRequestSeen {
  method: string;
  /** Path and query as received, including /api/v1. */
  path: string;
  host: string | null;
  body: string;
  timestampHeader: string | null;
  signatureHeader: string | null;
}

export interface Diagnosis {
  /** Which part of the canonical string differs, e.g. `body: re-serialised with 2-space indentation`. */
  part: string;
  /** What the sandbox signed and what the partner evidently signed (when a variation matched). */
  expected?: string;
  signed?: string;
}

interface Variation {
  part: string;
  bytes: Buffer;
  key?: 'api_key';
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');

/**
 * JSON text as Python's `json.dumps` writes it by default: `", "` and `": "` between items, non-ASCII
 * escaped as `\\uXXXX` (ensure_ascii). Rewritten token by token from the bytes sent, so numbers and key order
 * stay exactly as they were; only whitespace outside strings and the escapes change.
 */
export function pythonJsonDumpsSpacing(json: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const char = json[i]!;
    if (inString) {
      if (char === '\\') {
        out += char + (json[++i] ?? '');
        continue;
      }
      if (char === '"') inString = false;
      const code = char.charCodeAt(0);
      out += code > 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : char;
      continue;
    }
    if (char === '"') inString = true;
    if (/\s/.test(char)) continue;
    out += char === ',' ? ', ' : char === ':' ? ': ' : char;
  }
  return out;
}

function bodyVariations(body: string): Array<[string, string]> {
  const out: Array<[string, string]> = [['body: left out (signed as empty)', '']];
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body === '' ? [] : out;
  }
  const sortKeys = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sortKeys) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sortKeys(x)])) : v;
  out.push(
    ['body: re-serialised compactly (not the bytes sent)', JSON.stringify(parsed)],
    ['body: re-serialised with 2-space indentation (not the bytes sent)', JSON.stringify(parsed, null, 2)],
    ['body: re-serialised with keys sorted (not the bytes sent)', JSON.stringify(sortKeys(parsed))],
    [
      "body: re-serialised with Python's default json.dumps spacing (\", \" and \": \"), not the bytes sent: serialise once, then sign and send that same string",
      pythonJsonDumpsSpacing(body),
    ],
  );
  return out.filter(([, text]) => text !== body);
}

function pathVariations(path: string, host: string | null): Array<[string, string]> {
  const [pathname = path, query] = path.split('?', 2) as [string, string | undefined];
  const out: Array<[string, string]> = [];
  if (query !== undefined) {
    out.push(['path: query string left out', pathname]);
    const sorted = new URLSearchParams(query);
    sorted.sort();
    out.push(['path: query parameters re-ordered or re-encoded', `${pathname}?${sorted.toString()}`]);
    out.push(['path: query string decoded', `${pathname}?${decodeURIComponent(query)}`]);
  }
  if (pathname.startsWith('/api/v1')) out.push(['path: /api/v1 prefix left out', path.slice('/api/v1'.length) || '/']);
  if (host) {
    out.push(['path: full URL signed instead of the path', `http://${host}${path}`], ['path: full URL signed instead of the path', `https://${host}${path}`]);
  }
  if (pathname.endsWith('/')) out.push(['path: trailing slash', path.replace(/\/(\?|$)/, '$1')]);
  else out.push(['path: trailing slash', query === undefined ? `${pathname}/` : `${pathname}/?${query}`]);
  return out.filter(([, p]) => p !== path);
}

function variations(seen: SignedRequestSeen, timestamp: string, t: string): Variation[] {
  const { method, path, host, body } = seen;
  const canonical = (input: { timestamp?: string; method?: string; path?: string; body?: string }) =>
    canonicalRequestBytes({ timestamp: input.timestamp ?? timestamp, method: input.method ?? method, path: input.path ?? path, body: input.body ?? body });
  const out: Variation[] = [];
  if (t !== timestamp) out.push({ part: `timestamp: signed with t=${t}, but X-Timestamp is ${timestamp}`, bytes: canonical({ timestamp: t }) });
  for (const delta of [-3n, -2n, -1n, 1n, 2n, 3n]) {
    // BigInt: any run of digits is a valid X-Timestamp here, and a neighbour below 0 is no timestamp at all.
    const neighbour = BigInt(timestamp) + delta;
    if (neighbour < 0n) continue;
    const other = String(neighbour);
    out.push({ part: `timestamp: signed with ${other}, not the X-Timestamp sent (${timestamp}): read the clock once per request`, bytes: canonical({ timestamp: other }) });
  }
  out.push({ part: 'timestamp: milliseconds signed instead of unix seconds', bytes: canonical({ timestamp: `${timestamp}000` }) });
  // canonicalRequestBytes upper-cases the method, so a lower-case method is rebuilt by hand.
  out.push({ part: `method: signed in lower case (${method.toLowerCase()}); the canonical string has ${method.toUpperCase()}`, bytes: Buffer.concat([utf8(timestamp + method.toLowerCase() + path), utf8(body)]) });
  for (const [part, p] of pathVariations(path, host)) out.push({ part, bytes: canonical({ path: p }) });
  for (const [part, b] of bodyVariations(body)) out.push({ part, bytes: canonical({ body: b }) });
  for (const separator of ['\n', '.', ':', '|']) {
    out.push({
      part: `separator: parts joined with ${JSON.stringify(separator)}; the canonical string is plain concatenation`,
      bytes: Buffer.concat([utf8([timestamp, method.toUpperCase(), path].join(separator) + separator), utf8(body)]),
    });
  }
  out.push({ part: 'key: signed with the API key instead of the API secret', bytes: canonical({}), key: 'api_key' });
  return out;
}

/** Explains a write whose signature failed; `secret` and `apiKey` are the partner's. */
export function diagnoseSignature(seen: SignedRequestSeen, secret: string, apiKey: string): Diagnosis {
  const timestamp = seen.timestampHeader;
  if (!timestamp) return { part: 'X-Timestamp header missing' };
  if (!/^[0-9]+$/.test(timestamp)) return { part: `X-Timestamp ${JSON.stringify(timestamp)} is not unix seconds` };
  const parsed = parseSignatureHeader(seen.signatureHeader);
  if (!parsed.ok) return { part: `X-Signature header: ${parsed.message}` };
  const expected = canonicalRequestString({ timestamp, method: seen.method, path: seen.path, body: seen.body });
  const received = new Set(parsed.v1);
  if (parsed.t === timestamp && received.has(hmacSha256Hex(secret, canonicalRequestBytes({ timestamp, method: seen.method, path: seen.path, body: seen.body })))) {
    return { part: 'none: the signature matches the canonical string (rejected for its timestamp window)', expected };
  }
  for (const variation of variations(seen, timestamp, parsed.t)) {
    if (received.has(hmacSha256Hex(variation.key === 'api_key' ? apiKey : secret, variation.bytes))) {
      return { part: variation.part, expected, signed: variation.bytes.toString('utf8') };
    }
  }
  if (parsed.t !== timestamp) return { part: `timestamp: X-Signature t=${parsed.t} differs from X-Timestamp ${timestamp}`, expected };
  return { part: 'unknown: v1 matches none of the usual variations (wrong secret, or another canonical string)', expected };
}

/** The diagnosis as the report prints it and the sandbox's 401 carries it in `messages`: one line each. */
export function diagnosisLines(diagnosis: Diagnosis): string[] {
  return [
    `differs in ${diagnosis.part}`,
    ...(diagnosis.expected === undefined ? [] : [`sandbox signed: ${JSON.stringify(diagnosis.expected)}`]),
    ...(diagnosis.signed === undefined ? [] : [`you signed:     ${JSON.stringify(diagnosis.signed)}`]),
  ];
}
