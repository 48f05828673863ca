/**
 * Code samples for the reference, generated from each operation of the spec (method, path, parameter and
 * request-body examples, the signing scheme in `x-starship-signing`), so a new operation gets samples without
 * anyone writing them. They are injected as Redoc's `x-codeSamples` into a copy of the spec used only by the
 * docs build.
 */
import type { Json } from '@starship/contract';
import {
  fillPath,
  listOperations,
  listWebhookEvents,
  parameterExample,
  pathParameterValues,
  primaryServer,
  requestBodyExample,
  signingScheme,
  type ApiOperation,
  type SigningScheme,
} from './spec-walk.ts';

export interface CodeSample {
  lang: string;
  label: string;
  source: string;
}

/** Headers the signing code or the SDK computes for every request; the samples never hard-code them. */
const IDEMPOTENCY_HEADER = 'idempotency-key';

/** The npm package name partners import the SDK from. */
export const SDK_PACKAGE = '@starship/sdk';

export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function isManagedHeader(name: string, signing: SigningScheme | undefined): boolean {
  const lower = name.toLowerCase();
  return (
    lower === IDEMPOTENCY_HEADER ||
    lower === signing?.timestampHeader.toLowerCase() ||
    lower === signing?.signatureHeader.toLowerCase()
  );
}

/** Required query parameters with their examples, already encoded; optional ones stay out of the samples. */
function requiredQuery(doc: Json, op: ApiOperation): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const parameter of op.parameters.filter((p) => p.in === 'query' && p.required)) {
    const value = parameterExample(doc, parameter);
    if (value === undefined) throw new Error(`${op.operationId}: required query parameter ${parameter.name} has no example`);
    query[parameter.name] = value;
  }
  return query;
}

function requiredHeaders(doc: Json, op: ApiOperation, signing: SigningScheme | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const parameter of op.parameters.filter((p) => p.in === 'header' && p.required && !isManagedHeader(p.name, signing))) {
    const value = parameterExample(doc, parameter);
    if (value === undefined) throw new Error(`${op.operationId}: required header ${parameter.name} has no example`);
    headers[parameter.name] = String(value);
  }
  return headers;
}

function queryString(query: Record<string, unknown>): string {
  const entries = Object.entries(query).map(([k, v]): [string, string] => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]);
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
}

function declaresIdempotencyKey(op: ApiOperation): boolean {
  return op.parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === IDEMPOTENCY_HEADER);
}

/**
 * curl for one operation. Writes compute the signature with openssl over exactly the bytes curl sends:
 * the body lives in one shell variable that is both signed and passed to `--data-raw`.
 */
export function curlSample(doc: Json, op: ApiOperation): string {
  const server = primaryServer(doc);
  const signing = signingScheme(doc);
  const pathWithQuery = server.basePath + fillPath(op.path, pathParameterValues(doc, op)) + queryString(requiredQuery(doc, op));
  const body = requestBodyExample(doc, op);
  const signed = signing?.appliesTo.includes(op.method) ?? false;
  const lines = [
    `# Credentials: export STARSHIP_API_KEY and STARSHIP_API_SECRET (printed by \`npm start\` in the sandbox).`,
    `STARSHIP_ORIGIN="\${STARSHIP_ORIGIN:-${server.origin}}"`,
    `PATH_WITH_QUERY=${shellQuote(pathWithQuery)}`,
  ];
  if (body) lines.push(`BODY=${shellQuote(typeof body.value === 'string' ? body.value : JSON.stringify(body.value))}`);
  if (signed && signing) {
    lines.push(
      `# ${signing.signatureHeader}: t=<ts>,v1=hex(HMAC-SHA256(api_secret, ts + METHOD + path_with_query + raw_body))`,
      `TS=$(date +%s)`,
      `SIG=$(printf '%s' "\${TS}${op.method}\${PATH_WITH_QUERY}${body ? '${BODY}' : ''}" | openssl dgst -sha256 -hmac "$STARSHIP_API_SECRET" | awk '{print $NF}')`,
    );
  }
  if (declaresIdempotencyKey(op)) {
    lines.push('# Keep the same key when you retry this request; use a new key for a new request.');
    lines.push(`IDEMPOTENCY_KEY="\${IDEMPOTENCY_KEY:-$(openssl rand -hex 16)}"`);
  }
  const args = [
    `curl -sS ${op.method === 'GET' ? '' : `-X ${op.method} `}"\${STARSHIP_ORIGIN}\${PATH_WITH_QUERY}"`,
    `-H "X-API-Key: $STARSHIP_API_KEY"`,
    `-H "X-API-Secret: $STARSHIP_API_SECRET"`,
  ];
  if (signed && signing) {
    args.push(`-H "${signing.timestampHeader}: $TS"`, `-H "${signing.signatureHeader}: t=$TS,v1=$SIG"`);
  }
  if (declaresIdempotencyKey(op)) args.push(`-H "Idempotency-Key: $IDEMPOTENCY_KEY"`);
  for (const [name, value] of Object.entries(requiredHeaders(doc, op, signing))) args.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  if (body) args.push(`-H ${shellQuote(`Content-Type: ${body.contentType}`)}`, `--data-raw "$BODY"`);
  lines.push(args.join(' \\\n  '));
  return lines.join('\n');
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function tsString(value: string): string {
  return `'${JSON.stringify(value).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/** A JSON value as a TypeScript literal in the project's style: unquoted keys, single-quoted strings. */
export function tsLiteral(value: unknown, indent = ''): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => `${inner}${tsLiteral(v, inner)},`).join('\n')}\n${indent}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const lines = entries.map(([k, v]) => `${inner}${IDENTIFIER.test(k) ? k : tsString(k)}: ${tsLiteral(v, inner)},`);
    return `{\n${lines.join('\n')}\n${indent}}`;
  }
  return typeof value === 'string' ? tsString(value) : JSON.stringify(value);
}

/** The SDK's openapi-fetch client: typed for every operation, and it signs writes and adds Idempotency-Keys. */
export function typescriptSample(doc: Json, op: ApiOperation): string {
  const server = primaryServer(doc);
  const signing = signingScheme(doc);
  const params: Record<string, unknown> = {};
  const pathValues = pathParameterValues(doc, op);
  if (Object.keys(pathValues).length) params.path = pathValues;
  const query = requiredQuery(doc, op);
  if (Object.keys(query).length) params.query = query;
  const headers = requiredHeaders(doc, op, signing);
  if (Object.keys(headers).length) params.header = headers;
  const body = requestBodyExample(doc, op);

  const init: string[] = [];
  if (Object.keys(params).length) init.push(`  params: ${tsLiteral(params, '  ')},`);
  if (body) init.push(`  body: ${tsLiteral(body.value, '  ')},`);
  const signed = signing?.appliesTo.includes(op.method) ?? false;
  const note = signed
    ? `// The SDK signs this request (${signing?.timestampHeader}, ${signing?.signatureHeader})${
        op.method === 'POST' ? ' and adds an Idempotency-Key it reuses on retries' : ''
      }.\n`
    : '';
  const call = init.length
    ? `await starship.client.${op.method}('${op.path}', {\n${init.join('\n')}\n})`
    : `await starship.client.${op.method}('${op.path}')`;
  return [
    `import { createStarshipClient } from '${SDK_PACKAGE}';`,
    ``,
    `const starship = createStarshipClient({`,
    `  baseUrl: '${server.url}',`,
    `  apiKey: process.env.STARSHIP_API_KEY!,`,
    `  apiSecret: process.env.STARSHIP_API_SECRET!,`,
    `});`,
    ``,
    `${note}const { data, error, response } = ${call};`,
    `if (error) {`,
    `  // Branch on the stable error code, never on the message.`,
    `  console.error(response.status, error.error.code);`,
    `} else {`,
    `  console.log(data);`,
    `}`,
  ].join('\n');
}

/** A receiver for one webhook event, verified over the raw bytes with the SDK's verifyWebhook. */
export function webhookSample(eventName: string): string {
  return [
    `import express from 'express';`,
    `import { verifyWebhook, WebhookVerificationError } from '${SDK_PACKAGE}';`,
    ``,
    `const app = express();`,
    ``,
    `// express.raw keeps the exact bytes that were signed; never verify a re-serialised object.`,
    `app.post('/hooks/starship', express.raw({ type: 'application/json' }), (req, res) => {`,
    `  try {`,
    `    const event = verifyWebhook(req.body, req.get('X-Signature'), process.env.STARSHIP_WEBHOOK_SECRET!);`,
    `    if (event.event_type === '${eventName}') {`,
    `      // De-duplicate on event.event_id, then act on event.data; answer within 5 s.`,
    `      console.log(event.event_id, event.data);`,
    `    }`,
    `    res.sendStatus(204);`,
    `  } catch (error) {`,
    `    if (!(error instanceof WebhookVerificationError)) throw error;`,
    `    res.status(400).send(error.code);`,
    `  }`,
    `});`,
    ``,
    `app.listen(3000);`,
  ].join('\n');
}

const CURL = { lang: 'Shell', label: 'curl' } as const;
const TYPESCRIPT_SDK = { lang: 'TypeScript', label: 'TypeScript SDK' } as const;

/**
 * Redoc's `codeSamples.languages` option: its sample menu shows only the `x-codeSamples` whose label (or
 * lang) is listed there, in this order (the default list knows curl but not TypeScript). `Payload` is the
 * request body Redoc renders itself.
 */
export const REDOC_SAMPLE_LANGUAGES = [CURL, TYPESCRIPT_SDK, { lang: 'Payload' }] as const;

export function operationSamples(doc: Json, op: ApiOperation): CodeSample[] {
  return [
    { ...CURL, source: curlSample(doc, op) },
    { ...TYPESCRIPT_SDK, source: typescriptSample(doc, op) },
  ];
}

/** A deep copy of the spec with `x-codeSamples` on every operation and webhook event; the input is untouched. */
export function withCodeSamples<T extends Json>(spec: T): T {
  const copy = structuredClone(spec);
  for (const op of listOperations(copy)) op.operation['x-codeSamples'] = operationSamples(copy, op);
  for (const event of listWebhookEvents(copy)) {
    event.operation['x-codeSamples'] = [{ ...TYPESCRIPT_SDK, source: webhookSample(event.name) }];
  }
  return copy;
}
