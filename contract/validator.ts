/**
 * The contract's one validator (`@starship/contract/validator`): requests and responses of a bundled OpenAPI
 * 3.1 document, checked with Ajv (JSON Schema 2020-12), compiled per operation on first use and kept. The
 * sandbox validates every request and its own responses with it; conformance judges observed responses with
 * it (open enums, so a value the spec lags on is told apart from a broken contract). Problems come back
 * structured; problemText writes them as the error envelope's `messages` and reports show them.
 *
 * The document must use JSON Schema 2020-12 keywords only, plus OpenAPI's annotations (`example`,
 * `externalDocs`, `x-…`): Ajv compiles in strict mode, so OpenAPI 3.0's `discriminator` or `xml` fails
 * compilation instead of being ignored, and `nullable`, `readOnly` and `writeOnly` (which Ajv would read
 * without OpenAPI's request/response semantics) are refused when the validator is created.
 */
import { escapePointerToken, isObject, locate } from './pointer.ts';
import type { OpenApiDocument } from './spec.ts';
import { createAjv, type FormatMode } from './validator/ajv.ts';
import { compileRequest, type OperationRef, type RequestCheck, type RequestInput, type RequestVerdict } from './validator/request.ts';
import { compileResponse, RememberedTexts, statusKeyFor, type ResponseCheck, type ResponseDocuments, type ResponseInput } from './validator/response.ts';
import type { ContractProblem } from './validator/problems.ts';

export { problemText, type ContractProblem, type ProblemLocation } from './validator/problems.ts';
export type { RequestInput, RequestVerdict, HeaderValue } from './validator/request.ts';
export type { ResponseInput } from './validator/response.ts';

export interface ContractValidatorOptions {
  /**
   * Read response enums as v1 defines them, open (DESIGN "Open enums"): a string an enum lacks, and that is
   * no case variant of a member, is reported with `newEnumValue` instead of as a contract break. Conformance
   * judges servers this way; the sandbox validates its own responses closed (a value it does not document is
   * its own bug).
   */
  openResponseEnums?: boolean;
  /**
   * How closely formats in response bodies are checked: `full` (the default: dates against the calendar,
   * URIs against RFC 3986) or `fast` (their shape, about ten times cheaper). The sandbox checks its own
   * responses fast — it writes dates with Date#toISOString — and judging another server's needs full.
   * Requests are always checked in full.
   */
  responseFormats?: FormatMode;
}

export interface ContractValidator {
  readonly operationIds: readonly string[];
  /** What is wrong with a request to the operation, and its parameters as the operation reads them. */
  validateRequest(operationId: string, request: RequestInput): RequestVerdict;
  /** What is wrong with a response of the operation; [] when it conforms. */
  validateResponse(operationId: string, response: ResponseInput): ContractProblem[];
  /** Compiles every operation's request and responses now (start-up pays instead of each first request). */
  compileAll(): void;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** OpenAPI semantics Ajv does not give these keywords: supporting them means preprocessing the schemas. */
const UNSUPPORTED_KEYWORDS = new Set(['nullable', 'readOnly', 'writeOnly']);

function operationsOf(doc: OpenApiDocument): Map<string, OperationRef> {
  const operations = new Map<string, OperationRef>();
  for (const path of Object.keys(isObject(doc.paths) ? doc.paths : {})) {
    const item = locate(doc, `/paths/${escapePointerToken(path)}`);
    if (!item) continue;
    const pathItemPointer = item.pointer;
    for (const method of METHODS) {
      const operation = item.node[method];
      if (isObject(operation) && typeof operation.operationId === 'string') {
        operations.set(operation.operationId, { operationId: operation.operationId, pathItemPointer, pointer: `${pathItemPointer}/${method}` });
      }
    }
  }
  return operations;
}

/** Keys whose children are names (of properties, schemas…), not keywords. */
const NAMES = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas', 'schemas']);
/** Keys whose children are example data, not schemas. */
const DATA = new Set(['example', 'examples', 'default', 'const', 'enum']);

/** Throws when the document uses a keyword the validator would misread. */
function refuseUnsupportedKeywords(doc: OpenApiDocument): void {
  const seen = new Set<unknown>();
  const walk = (node: unknown, pointer: string, names: boolean): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) return node.forEach((child, i) => walk(child, `${pointer}/${i}`, false));
    for (const [key, child] of Object.entries(node)) {
      if (!names && UNSUPPORTED_KEYWORDS.has(key)) throw new Error(`${pointer}: the contract validator does not support the keyword ${key}`);
      if (!names && DATA.has(key)) continue;
      walk(child, `${pointer}/${escapePointerToken(key)}`, !names && NAMES.has(key));
    }
  };
  walk(doc, '', false);
}

function responseKeys(doc: OpenApiDocument, operation: OperationRef): Record<string, unknown> {
  const responses = locate(doc, `${operation.pointer}/responses`);
  return responses ? responses.node : {};
}

export function createContractValidator(doc: OpenApiDocument, options: ContractValidatorOptions = {}): ContractValidator {
  refuseUnsupportedKeywords(doc);
  const operations = operationsOf(doc);
  const formats = options.responseFormats ?? 'full';
  const strict = createAjv(doc, 'strict');
  let openEnums: ReturnType<typeof createAjv> | undefined;
  const documents: ResponseDocuments = {
    doc,
    strict,
    coerce: createAjv(doc, 'coerce'),
    responses: formats === 'full' ? strict : createAjv(doc, 'strict', formats),
    wrappers: new Map(),
    remembered: new RememberedTexts(),
    ...(options.openResponseEnums ? { openEnums: () => (openEnums ??= createAjv(doc, 'open-enums', formats)) } : {}),
  };
  const requests = new Map<string, RequestCheck>();
  /** Per operation: checks by status key, and the status key each seen status resolved to. */
  const responses = new Map<string, { byKey: Map<string, ResponseCheck>; byStatus: Map<number, ResponseCheck | null>; keys: Record<string, unknown> }>();

  const operation = (operationId: string): OperationRef => {
    const found = operations.get(operationId);
    if (!found) throw new Error(`unknown operationId ${operationId}`);
    return found;
  };
  const requestCheck = (operationId: string): RequestCheck => {
    let check = requests.get(operationId);
    if (!check) {
      check = compileRequest(documents, operation(operationId));
      requests.set(operationId, check);
    }
    return check;
  };
  const responsesOf = (operationId: string) => {
    let entry = responses.get(operationId);
    if (!entry) {
      entry = { byKey: new Map(), byStatus: new Map(), keys: responseKeys(doc, operation(operationId)) };
      responses.set(operationId, entry);
    }
    return entry;
  };
  const keyCheck = (operationId: string, key: string): ResponseCheck => {
    const entry = responsesOf(operationId);
    let check = entry.byKey.get(key);
    if (!check) {
      check = compileResponse(documents, operation(operationId), key);
      entry.byKey.set(key, check);
    }
    return check;
  };

  return {
    operationIds: [...operations.keys()],
    validateRequest: (operationId, request) => requestCheck(operationId)(request),
    validateResponse(operationId, response) {
      const entry = responsesOf(operationId);
      let check = entry.byStatus.get(response.status);
      if (check === undefined) {
        const key = statusKeyFor(entry.keys, response.status);
        check = key === undefined ? null : keyCheck(operationId, key);
        entry.byStatus.set(response.status, check);
      }
      if (check === null) {
        return [{ in: 'status', instancePath: '', keyword: 'undocumented', message: `status ${response.status} is not documented for ${operationId}`, params: { status: response.status } }];
      }
      return check(response);
    },
    compileAll() {
      for (const operationId of operations.keys()) {
        requestCheck(operationId);
        for (const key of Object.keys(responsesOf(operationId).keys)) keyCheck(operationId, key);
      }
    },
  };
}
