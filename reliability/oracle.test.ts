/**
 * express-openapi-validator as the independent oracle of the contract validator: the bad-input corpus
 * (bad-input-cases.ts: valid and mutated requests for every partner and control operation) goes to the
 * sandbox's request validation (raw body → operation → enum normalisation → contract validator) and to the
 * oracle (the same reading of the body, then express-openapi-validator as shipped, unpatched), over real HTTP
 * on loopback, and both must agree on accept/reject for every request.
 *
 * The sandbox's documented leniencies (README "Request validation") are applied to what the oracle sees,
 * each shown below to be needed (the bare oracle rejects what the sandbox accepts):
 * 1. enum values in any case, `realtime` as INSTANT (DESIGN "Enums"), where the spec does not already say so
 *    (the partner API's input enums accept any case in the spec itself): enum-normalisation.ts runs before
 *    both validators;
 * 2. `+` in a query is a space (application/x-www-form-urlencoded, as URLSearchParams sends it): the oracle
 *    rejects an unencoded `+` as a reserved character, so it sees `%20`;
 * 3. reserved characters RFC 3986 allows in a query, unencoded (`from=2026-04-14T00:00:00Z`): percent-encoded
 *    for the oracle, which rejects them;
 * 4. any JSON media type (`application/json` with parameters, `application/<anything>+json`) is JSON: the
 *    oracle sees `application/json` (it answers 415 to a `+json` type the spec does not list).
 * Where the sandbox is stricter than the oracle, the difference is listed (STRICTER) rather than adapted:
 * - the oracle decides whether a required request body may be empty from the schema's `required` list, not
 *   from `requestBody.required`, so it accepts an empty body for createCertificationSession (whose
 *   properties are all optional); the sandbox refuses it (400, where it used to answer 500 from the handler);
 * - the oracle takes an empty Content-Type for none and ignores a body it cannot read when the operation's
 *   body is optional; the sandbox refuses a body whose type is not JSON, as it always did;
 * - the oracle reads a numeric parameter with Number(), so `0x7D1`, `1e3`, `Infinity` and `5 ` are numbers
 *   to it; the sandbox wants decimal digits (issue 18: /products/0x7D1 was product 2001).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { pino } from 'pino';
import { loadSpec, type OpenApiDocument } from '@starship/contract';
import { signRequest } from '@starship/sdk';
import { contextOf } from '@starship/sandbox/http/context';
import { enumNormalisation } from '@starship/sandbox/http/enum-normalisation';
import { openApiValidation } from '@starship/sandbox/http/openapi-validation';
import { buildOperationTable, type OperationTable } from '@starship/sandbox/http/operations';
import { JSON_TYPE, rawBody } from '@starship/sandbox/http/raw-body';
import { resolveOperation } from '@starship/sandbox/http/resolve-operation';
import { traceId } from '@starship/sandbox/http/trace-id';
import { serve, type Served } from '@starship/sandbox/test-support/http-harness';
import { casesFor, KINDS, targets, type Case } from './bad-input-cases.ts';
import { keepAliveAgent, send, type OutgoingRequest } from './http.ts';

const PER_TARGET = 120;
const SEED = 20_261_203;
const NO_OPERATION = 299;
const silent = pino({ level: 'silent' });

type Validation = (doc: OpenApiDocument, table: OperationTable) => RequestHandler[];

/** trace id → raw body → operation (requests to none are set aside) → [enum normalisation] → validation → 200. */
function validatingApp(validation: Validation, { normaliseEnums }: { normaliseEnums: boolean }): Express {
  const app = express();
  app.use(traceId());
  for (const doc of [loadSpec('starship'), loadSpec('sandbox')]) {
    const table = buildOperationTable(doc);
    const addressed: RequestHandler = (_req, res, next) => (contextOf(res).operation ? next() : void res.status(NO_OPERATION).end());
    app.use(table.basePath, rawBody(), resolveOperation(table), addressed, ...(normaliseEnums ? [enumNormalisation(doc, table)] : []), ...validation(doc, table), (_req, res) => {
      res.status(200).json({ ok: true });
    });
  }
  const answer: ErrorRequestHandler = (error, _req, res, _next) => {
    const status = typeof error.status === 'number' ? error.status : 500;
    res.status(status).json({ message: error.message, problems: error.errors ?? error.options?.messages });
  };
  app.use(answer);
  return app;
}

/** express-openapi-validator as the sandbox used it until it had its own validator (formats in full). */
const oracle: Validation = (doc) =>
  OpenApiValidator.middleware({
    // It mutates the document it is given.
    apiSpec: structuredClone(doc) as unknown as Parameters<typeof OpenApiValidator.middleware>[0]['apiSpec'],
    validateApiSpec: false,
    validateRequests: { allowUnknownQueryParameters: false, coerceTypes: false, allErrors: true },
    validateResponses: false,
    validateSecurity: false,
    validateFormats: true,
    ajvFormats: { mode: 'full' },
    fileUploader: false,
    ignoreUndocumented: false,
    $refParser: { mode: 'bundle' },
  }) as unknown as RequestHandler[];

const RESERVED = /[:/?#[\]@!$'()*,;]/g;

/** Leniencies 2–4 as the oracle should see them (1, enum case, is the normalisation both pipelines run). */
const lenient: RequestHandler = (req, _res, next) => {
  const type = req.headers['content-type'];
  if (type !== undefined && JSON_TYPE.test(type)) req.headers['content-type'] = 'application/json';
  const at = req.originalUrl.indexOf('?');
  if (at >= 0) {
    const query = req.originalUrl
      .slice(at + 1)
      .split('&')
      .map((pair) => pair.replaceAll('+', '%20').replace(RESERVED, (c) => encodeURIComponent(c)))
      .join('&');
    const rewrite = (url: string) => url.slice(0, url.indexOf('?') + 1) + query;
    req.originalUrl = rewrite(req.originalUrl);
    req.url = rewrite(req.url);
  }
  next();
};

const sandboxValidation: Validation = (doc) => [openApiValidation({ doc, validateResponses: false, logger: silent })];

let sandbox: Served;
let adaptedOracle: Served;
let bareOracle: Served;
const agent = keepAliveAgent(16);

before(async () => {
  sandbox = await serve(validatingApp(sandboxValidation, { normaliseEnums: true }));
  adaptedOracle = await serve(validatingApp((doc, table) => [lenient, ...oracle(doc, table)], { normaliseEnums: true }));
  bareOracle = await serve(validatingApp(oracle, { normaliseEnums: false }));
});
after(async () => {
  agent.destroy();
  await Promise.all([sandbox?.close(), adaptedOracle?.close(), bareOracle?.close()]);
});

/** A case as sent: partner writes carry a well-formed signature (the declared X-Timestamp and X-Signature). */
function request(c: Case): OutgoingRequest {
  const { method } = c.target.operation;
  const signed = c.target.api === 'partner' && method !== 'GET' ? signRequest({ secret: 'sk_oracle', method, path: c.path, body: c.body ?? '' }).headers : {};
  return { method, path: c.path, headers: { ...signed, ...c.headers }, ...(c.body ? { body: c.body } : {}) };
}

const statusAt = async (served: Served, outgoing: OutgoingRequest) => (await send(served.url, agent, outgoing)).status;

async function pool<T>(items: readonly T[], concurrency: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await run(items[next++]!);
  }));
}

/** Whether a path segment or query value reads as a number to Number() without being decimal digits. */
function nonDecimalNumber(path: string): boolean {
  const url = new URL(path, 'http://oracle.invalid');
  const decoded = (segment: string) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return '';
    }
  };
  const values = [...url.pathname.split('/').map(decoded), ...url.searchParams.values()];
  return values.some((v) => v.trim() !== '' && !Number.isNaN(Number(v)) && !/^-?\d+(?:\.\d+)?$/.test(v));
}

/** Requests the sandbox refuses and the oracle accepts, on purpose (see the header). */
const STRICTER: Record<string, (c: Case) => boolean> = {
  'an empty body where requestBody.required is true but the schema requires no property': (c) =>
    c.body === undefined && c.target.operation.operationId === 'createCertificationSession',
  'a body sent with an empty Content-Type': (c) => c.body !== undefined && c.headers['Content-Type'] === '',
  'a numeric parameter not written in decimal digits': (c) => nonDecimalNumber(c.path),
};

test('the contract validator and express-openapi-validator agree on accept/reject for the whole bad-input corpus', { timeout: 300_000 }, async () => {
  const cases = targets().flatMap((target, i) => casesFor(target, {}, PER_TARGET, SEED + i));
  const compared = Object.fromEntries(KINDS.map((kind) => [kind, { accepted: 0, rejected: 0 }]));
  const disagreements: string[] = [];
  const stricter: Record<string, number> = {};
  const errors: string[] = [];
  await pool(cases, 8, async (c) => {
    const outgoing = request(c);
    const [ours, theirs] = await Promise.all([statusAt(sandbox, outgoing), statusAt(adaptedOracle, outgoing)]);
    if (ours === NO_OPERATION) return;
    if (ours >= 500 || theirs >= 500) errors.push(`${ours}/${theirs} ${c.kind} ${c.target.operation.operationId} ${c.note}`);
    const accepted = ours < 400;
    if (accepted !== theirs < 400) {
      const line = `sandbox ${ours}, oracle ${theirs}: ${c.target.operation.operationId} [${c.kind}] ${c.note} — ${c.path.slice(0, 160)}`;
      const listed = accepted ? undefined : Object.keys(STRICTER).find((why) => STRICTER[why]!(c));
      if (listed) stricter[listed] = (stricter[listed] ?? 0) + 1;
      else disagreements.push(line);
    }
    compared[c.kind]![accepted ? 'accepted' : 'rejected']++;
  });
  assert.deepEqual(errors, [], 'neither side answers 5xx');
  assert.deepEqual(disagreements, []);
  const total = Object.values(compared).reduce((sum, k) => sum + k.accepted + k.rejected, 0);
  assert.ok(total >= 4_000, `${total} requests compared`);
  for (const kind of ['wrong-type', 'unknown-query', 'path-param', 'missing-required', 'extra-property'] as const) {
    assert.ok(compared[kind]!.rejected > 0, `no ${kind} request was rejected`);
  }
  assert.ok(compared.valid!.accepted > 100, `only ${compared.valid!.accepted} valid requests were accepted`);
  console.log(`oracle: ${total} requests compared; listed differences ${JSON.stringify(stricter)}; by kind ${JSON.stringify(compared)}`);
});

test('each documented leniency is one the bare oracle does not have, and the adapted oracle agrees with the sandbox on it', async () => {
  const charges = JSON.stringify({ product_id: 1001, amount: '25.00', quantity: 1 });
  const signed = (path: string, body: string, contentType: string): OutgoingRequest => ({
    method: 'POST',
    path,
    headers: { ...signRequest({ secret: 'sk_oracle', method: 'POST', path, body }).headers, 'Content-Type': contentType },
    body,
  });
  const lenientRequests: Record<string, OutgoingRequest> = {
    // The partner API declares its input enums in any case; the control API's lower case is normalisation's.
    'enum case': { method: 'GET', path: '/sandbox/v1/webhook-deliveries?status=pending' },
    '+ as a space': { method: 'GET', path: '/api/v1/products?category=Gift+Cards' },
    'reserved characters in a query value': { method: 'GET', path: '/api/v1/orders?from=2026-04-14T00:00:00Z' },
    'a +json media type': signed('/api/v1/charges', charges, 'application/vnd.merchant+json'),
  };
  for (const [leniency, outgoing] of Object.entries(lenientRequests)) {
    assert.equal(await statusAt(sandbox, outgoing), 200, `the sandbox accepts: ${leniency}`);
    assert.ok((await statusAt(bareOracle, outgoing)) >= 400, `the bare oracle rejects: ${leniency}`);
    assert.equal(await statusAt(adaptedOracle, outgoing), 200, `the adapted oracle accepts: ${leniency}`);
  }
  // The listed differences are still there (drop one from STRICTER once the oracle agrees).
  const empty = { method: 'POST', path: '/sandbox/v1/certification/sessions', headers: { 'Content-Type': 'application/json' } };
  const untyped = { method: 'POST', path: '/sandbox/v1/orders/ord_01KP5JHE5RPHMY8VB485T2M51E/cancel', headers: { 'Content-Type': '' }, body: '{}' };
  const hex = { method: 'GET', path: '/api/v1/products/0x7D1' };
  for (const outgoing of [empty, untyped, hex]) {
    assert.equal(await statusAt(sandbox, outgoing), 400, outgoing.path);
    assert.equal(await statusAt(adaptedOracle, outgoing), 200, outgoing.path);
  }
});
