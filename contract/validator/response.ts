/**
 * The response half of the contract, for one operation and one documented status key (the status itself,
 * else its `4XX`-style range, else `default`): documented headers present when required and valid (coerced
 * from their string), a body exactly when one is documented, of a documented media type, valid against its
 * schema. With open enums (conformance), a body that breaks the closed schema only by values its enums lack
 * is reported as the spec lagging (ContractProblem.newEnumValue), not as a contract break.
 */
import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js';
import { escapePointerToken, isObject, locate, pointerOf, resolvePointer, unescapePointerToken } from '../pointer.ts';
import { compileOnce, refTo, schemaAt } from './ajv.ts';
import { fromAjv, type ContractProblem } from './problems.ts';
import type { Documents, OperationRef } from './request.ts';

export interface ResponseInput {
  status: number;
  /** The response headers (a fetch `Headers`, or anything that looks one up by lower-case name); omitted: not checked. */
  headers?: { get(name: string): string | number | readonly string[] | null | undefined };
  /** The Content-Type sent (else read from `headers`); a body of a type not documented is a problem. */
  contentType?: string | null;
  /** The parsed JSON body; undefined when the response has none. */
  body?: unknown;
  /**
   * The JSON text `body` is sent as, when the caller has it: a text already found valid for the same
   * operation and status is not walked again (a product page or a list goes out unchanged many times).
   */
  bodyText?: string;
  /**
   * `body` is deeply frozen (Object.freeze all the way down), so it can never change: once found valid for
   * the operation and status it is not walked again, remembered by identity (no size bound, no text to hash;
   * a catalog page of 10,000 products is sent unchanged until the stock moves).
   */
  frozenBody?: boolean;
}

export type ResponseCheck = (response: ResponseInput) => ContractProblem[];

export interface ResponseDocuments extends Documents {
  /** The Ajv response bodies compile with (strict, formats as the validator's options say). */
  responses: Ajv2020;
  /** The Ajv with open enums, created on first need (a validator with open enums only). */
  openEnums?: () => Ajv2020;
  remembered: RememberedTexts;
}

const MAX_REMEMBERED = 256;
const MAX_REMEMBERED_TEXT = 32 * 1024;

/**
 * Texts found valid, per compiled check, oldest evicted first across all of them: at most MAX_REMEMBERED ×
 * MAX_REMEMBERED_TEXT characters for a validator.
 */
export class RememberedTexts {
  readonly #order: [Set<string>, string][] = [];

  add(set: Set<string>, text: string): void {
    if (text.length > MAX_REMEMBERED_TEXT || set.has(text)) return;
    if (this.#order.length >= MAX_REMEMBERED) {
      const [oldestSet, oldest] = this.#order.shift()!;
      oldestSet.delete(oldest);
    }
    set.add(text);
    this.#order.push([set, text]);
  }
}

interface HeaderPlan {
  name: string;
  required: boolean;
}

interface MediaPlan {
  type: string;
  schemaPointer?: string;
  validate?: ValidateFunction;
  open?: ValidateFunction;
}

const JSON_MEDIA = /^application\/(?:[\w.+-]+\+)?json$/;

/** The documented status key that covers `status`, or undefined. */
export function statusKeyFor(responses: Record<string, unknown>, status: number): string | undefined {
  const exact = String(status);
  if (exact in responses) return exact;
  const range = `${exact[0]}XX`;
  if (range in responses) return range;
  return 'default' in responses ? 'default' : undefined;
}

function headerValue(value: string | number | readonly string[] | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : value.join(', ');
}

/** `newEnumValue` for an enum problem whose value is a string no member matches, even ignoring case. */
function markNewEnumValues(problems: ContractProblem[], body: unknown): ContractProblem[] {
  return problems.flatMap((problem) => {
    if (problem.keyword !== 'enum') return [];
    const value = resolvePointer(body, problem.instancePath);
    const members = problem.params.allowedValues;
    if (typeof value !== 'string' || !Array.isArray(members) || !members.every((m) => typeof m === 'string')) return [];
    if (members.some((m: string) => m.toLowerCase() === value.toLowerCase())) return [];
    return [{ ...problem, newEnumValue: true as const }];
  });
}

export function compileResponse(documents: ResponseDocuments, operation: OperationRef, statusKey: string): ResponseCheck {
  const { doc } = documents;
  const response = locate(doc, `${operation.pointer}/responses/${escapePointerToken(statusKey)}`);
  if (!response) throw new Error(`${operation.operationId}: no response at ${statusKey}`);
  const headers: HeaderPlan[] = [];
  const properties: Record<string, object> = {};
  for (const name of Object.keys(isObject(response.node.headers) ? response.node.headers : {})) {
    // Content-Type is described by `content`, never by a header entry (OpenAPI ignores one).
    if (name.toLowerCase() === 'content-type') continue;
    const header = locate(doc, `${response.pointer}/headers/${escapePointerToken(name)}`);
    const schema = header && locate(doc, `${header.pointer}/schema`);
    if (!header || !schema) throw new Error(`${operation.operationId} ${statusKey}: header ${name} has no schema`);
    headers.push({ name: name.toLowerCase(), required: header.node.required === true });
    properties[name.toLowerCase()] = refTo(schema.pointer);
  }
  const validateHeaders = headers.length > 0 ? compileOnce(documents.coerce, documents.wrappers, { type: 'object', properties }) : undefined;
  const media: MediaPlan[] = Object.keys(isObject(response.node.content) ? response.node.content : {}).map((type) => {
    const schema = locate(doc, `${response.pointer}/content/${pointerOf([type]).slice(1)}/schema`);
    const lower = type.toLowerCase();
    return JSON_MEDIA.test(lower) && schema ? { type: lower, schemaPointer: schema.pointer, validate: schemaAt(documents.responses, schema.pointer) } : { type: lower };
  });
  const valid = new Set<string>();
  const validFrozen = new WeakSet<object>();
  const where = `for ${operation.operationId} ${statusKey}`;

  const bodyProblems = (plan: MediaPlan, body: unknown, bodyText: string | undefined, frozen: boolean): ContractProblem[] => {
    const validate = plan.validate;
    if (!validate) return [];
    const identity = frozen && typeof body === 'object' && body !== null && Object.isFrozen(body) ? body : undefined;
    if (identity ? validFrozen.has(identity) : bodyText !== undefined && valid.has(bodyText)) return [];
    if (validate(body)) {
      if (identity) validFrozen.add(identity);
      else if (bodyText !== undefined) documents.remembered.add(valid, bodyText);
      return [];
    }
    const closed = fromAjv(validate.errors, { in: 'body' });
    if (!documents.openEnums) return closed;
    plan.open ??= schemaAt(documents.openEnums(), plan.schemaPointer!);
    const lagging = markNewEnumValues(closed, body);
    // Valid once enums are open: every closed-schema problem follows from the new values (an anyOf branch
    // failing because of one, say), so only those are reported.
    if (plan.open(body)) return lagging.length > 0 ? lagging : closed;
    return [...fromAjv(plan.open.errors, { in: 'body' }), ...lagging];
  };

  return ({ headers: sent, contentType, body, bodyText, frozenBody = false }) => {
    const problems: ContractProblem[] = [];
    if (sent && validateHeaders) {
      const values: Record<string, string> = {};
      for (const plan of headers) {
        const value = headerValue(sent.get(plan.name));
        if (value !== undefined) values[plan.name] = value;
        else if (plan.required) problems.push({ in: 'header', name: plan.name, instancePath: '', keyword: 'required', message: 'is required', params: {} });
      }
      if (!validateHeaders(values)) {
        for (const error of validateHeaders.errors ?? []) {
          problems.push(...fromAjv([error], { in: 'header', name: unescapePointerToken(error.instancePath.split('/', 2)[1] ?? '') }, 1));
        }
      }
    }
    if (media.length === 0) {
      if (body !== undefined) problems.push({ in: 'body', instancePath: '', keyword: 'no-content', message: `must be empty: no body is documented ${where}`, params: {} });
      return problems;
    }
    if (body === undefined) {
      problems.push({ in: 'body', instancePath: '', keyword: 'required', message: `is required: ${media.map((m) => m.type).join(' or ')} is documented ${where}`, params: {} });
      return problems;
    }
    const type = contentType !== undefined ? (contentType ?? '') : sent ? (headerValue(sent.get('content-type')) ?? '') : undefined;
    let plan = media[0]!;
    if (type !== undefined) {
      const essence = type.split(';', 1)[0]!.trim().toLowerCase();
      const found = media.find((m) => m.type === essence) ?? (JSON_MEDIA.test(essence) ? media.find((m) => m.type === 'application/json') : undefined);
      if (!found) {
        const documented = media.map((m) => m.type);
        problems.push({ in: 'content-type', instancePath: '', keyword: 'media-type', message: `content-type ${JSON.stringify(type)} is not documented (${documented.join(', ')})`, params: { supported: documented } });
        return problems;
      }
      plan = found;
    }
    problems.push(...bodyProblems(plan, body, bodyText, frozenBody));
    return problems;
  };
}
