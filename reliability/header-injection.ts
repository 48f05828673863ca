/**
 * Header injection at the socket: CR, LF, CRLF, NUL and obsolete line folding inside header values and
 * names and in the request line, and request-smuggling framing (Content-Length with Transfer-Encoding,
 * two Content-Lengths). node:http refuses to send these, so requests are written by hand. A correctly
 * signed request is the base, so anything the parser lets through meets the full pipeline.
 */
import fc from 'fast-check';

export interface InjectionCase {
  note: string;
  /** Request line and headers, CRLF-separated, without the final blank line. */
  head: string;
  body: string;
  /** Response headers that would prove the injection worked (lower case). */
  forbidden: string[];
}

export interface InjectionBase {
  method: 'GET' | 'POST';
  path: string;
  /** Authentication (and signature) headers for this exact method, path and body. */
  headers: Record<string, string>;
  body: string;
}

const INJECTIONS: { note: string; apply: (head: string[]) => string[] }[] = [
  { note: 'CRLF in X-Trace-ID adds Set-Cookie', apply: (h) => [...h, 'X-Trace-ID: abc\r\nSet-Cookie: injected=1'] },
  { note: 'bare LF in a value', apply: (h) => [...h, 'X-Trace-ID: abc\nSet-Cookie: injected=1'] },
  { note: 'bare CR in a value', apply: (h) => [...h, 'X-Trace-ID: abc\rSet-Cookie: injected=1'] },
  { note: 'NUL in a value', apply: (h) => [...h, 'Idempotency-Key: a\u0000b'] },
  { note: 'obsolete line folding', apply: (h) => [...h, 'X-Trace-ID: abc', ' Set-Cookie: injected=1'] },
  { note: 'CR in a header name', apply: (h) => [...h, 'X-Inj\rected: 1'] },
  { note: 'space before the colon', apply: (h) => [...h, 'X-Injected : 1'] },
  { note: 'CRLF in the request target', apply: ([line, ...rest]) => [line!.replace(' HTTP/1.1', '%0d%0aSet-Cookie:%20injected=1 HTTP/1.1'), ...rest] },
  { note: 'raw CRLF in the request target', apply: ([line, ...rest]) => [line!.replace(' HTTP/1.1', '\r\nSet-Cookie: injected=1 HTTP/1.1'), ...rest] },
  { note: 'Content-Length and Transfer-Encoding', apply: (h) => [...h, 'Transfer-Encoding: chunked'] },
  { note: 'two different Content-Lengths', apply: (h) => [...h, 'Content-Length: 0'] },
  { note: 'smuggled second request', apply: (h) => [...h, 'X-Trace-ID: a\r\n\r\nGET /sandbox/v1/settings HTTP/1.1\r\nHost: x'] },
  { note: 'CRLF in the signature header', apply: (h) => h.map((l) => (l.startsWith('X-Signature:') ? `${l}\r\nX-Injected: 1` : l)) },
  { note: 'NUL in the API key', apply: (h) => h.map((l) => (l.startsWith('X-API-Key:') ? l.replace(': ', ': \u0000') : l)) },
  { note: 'header line without a colon', apply: (h) => [...h, 'Set-Cookie injected=1'] },
  { note: 'DEL and 0x7f-0xff bytes in a value', apply: (h) => [...h, 'X-Trace-ID: a\u007f\u00ff'] },
];

export function injectionCases(bases: InjectionBase[], count: number, seed: number): InjectionCase[] {
  const arbitrary = fc.tuple(fc.nat(bases.length - 1), fc.nat(INJECTIONS.length - 1));
  return fc.sample(arbitrary, { numRuns: count, seed }).map(([b, i], index) => {
    const base = bases[b]!;
    const injection = INJECTIONS[(i + index) % INJECTIONS.length]!;
    const lines = [
      `${base.method} ${base.path} HTTP/1.1`,
      'Host: 127.0.0.1',
      ...Object.entries(base.headers).map(([k, v]) => `${k}: ${v}`),
      ...(base.body ? ['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(base.body)}`] : []),
    ];
    return {
      note: `${injection.note} (${base.method} ${base.path})`,
      head: injection.apply(lines).join('\r\n'),
      body: base.body,
      forbidden: ['set-cookie', 'x-injected'],
    };
  });
}
