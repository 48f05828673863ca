/**
 * The request half of the contract: one operation's parameters and JSON body, compiled once into a check.
 * Path, query and header values are strings on the wire and are coerced to their schema's type (Ajv's
 * coercion: `limit=50` is 50); JSON parameters are parsed; the body is validated as sent (no coercion, no
 * defaults). Unknown query parameters, repeated single-valued ones and empty values (unless
 * `allowEmptyValue`) are problems; an absent query parameter takes its schema's default.
 */
import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js';
import { locate, pointerOf, unescapePointerToken } from '../pointer.ts';
import type { OpenApiDocument } from '../spec.ts';
import { compileOnce, refTo, schemaAt } from './ajv.ts';
import { parameterPlans, type ParameterIn, type ParameterPlan } from './parameters.ts';
import { fromAjv, type ContractProblem } from './problems.ts';

export type HeaderValue = string | readonly string[] | undefined;

export interface RequestInput {
  /** Path segments by template name, as matched from the URL (still percent-encoded). */
  pathParams?: Readonly<Record<string, string>>;
  /** The decoded query (URLSearchParams or node:querystring: `+` is a space); a repeated key as an array. */
  query?: Readonly<Record<string, HeaderValue>>;
  /** Request headers by lower-case name (node:http's IncomingHttpHeaders). */
  headers?: Readonly<Record<string, HeaderValue>>;
  /** The Content-Type header as sent; undefined when there was none. */
  contentType?: string;
  /** The parsed JSON body; undefined when the request has none. */
  body?: unknown;
}

export interface RequestVerdict {
  /** Empty when the request conforms. */
  problems: ContractProblem[];
  /** Path parameters decoded and coerced to their schema's type. */
  pathParams: Record<string, unknown>;
  /** Query parameters coerced (JSON ones parsed), absent ones' defaults filled in. */
  query: Record<string, unknown>;
}

export type RequestCheck = (request: RequestInput) => RequestVerdict;

export interface Documents {
  doc: OpenApiDocument;
  strict: Ajv2020;
  coerce: Ajv2020;
  /** Wrapper schemas compiled with `coerce`, by content (compileOnce). */
  wrappers: Map<string, ValidateFunction>;
}

/** Where an operation sits in the document. */
export interface OperationRef {
  operationId: string;
  pathItemPointer: string;
  pointer: string;
}

interface MediaCheck {
  /** Lower-case media type as documented. */
  type: string;
  /** Undefined for a media type that is not JSON: its bytes are not checked. */
  validate?: ValidateFunction;
}

interface BodyPlan {
  required: boolean;
  media: MediaCheck[];
  /** The documented JSON media type that `application/<anything>+json` falls back to, if any. */
  json?: MediaCheck;
}

const JSON_MEDIA = /^application\/(?:[\w.+-]+\+)?json$/;
/** Decimal text for a numeric parameter (JSON's number grammar; an integer without fraction or exponent). */
const DECIMAL: Record<NonNullable<ParameterPlan['numeric']>, RegExp> = {
  integer: /^-?\d+$/,
  number: /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/,
};
const NO_PARAMETERS: Readonly<Record<string, HeaderValue>> = Object.freeze({});

function bodyPlan(documents: Documents, operation: OperationRef): BodyPlan | undefined {
  const body = locate(documents.doc, `${operation.pointer}/requestBody`);
  if (!body || !body.node.content || typeof body.node.content !== 'object') return undefined;
  const media = Object.keys(body.node.content).map((type): MediaCheck => {
    const schema = locate(documents.doc, `${body.pointer}/content/${pointerOf([type]).slice(1)}/schema`);
    const lower = type.toLowerCase();
    return JSON_MEDIA.test(lower) && schema ? { type: lower, validate: schemaAt(documents.strict, schema.pointer) } : { type: lower };
  });
  if (media.length === 0) return undefined;
  const json = media.find((m) => m.type === 'application/json');
  return { required: body.node.required === true, media, ...(json ? { json } : {}) };
}

function mediaFor(plan: BodyPlan, contentType: string): MediaCheck | undefined {
  const essence = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return plan.media.find((m) => m.type === essence) ?? (JSON_MEDIA.test(essence) ? plan.json : undefined);
}

/** Ajv's errors from the wrapper schema (`/query/limit/…`) as problems of the parameter they are in. */
function parameterProblems(errors: ValidateFunction['errors']): ContractProblem[] {
  return (errors ?? []).flatMap((error) => {
    const [location, name] = error.instancePath.split('/', 3).slice(1);
    return fromAjv([error], { in: location as ParameterIn, name: unescapePointerToken(name ?? '') }, 2);
  });
}

const problem = (at: ParameterPlan, keyword: string, message: string): ContractProblem => ({
  in: at.in,
  name: at.name,
  instancePath: '',
  keyword,
  message,
  params: {},
});

export function compileRequest(documents: Documents, operation: OperationRef): RequestCheck {
  const plans = parameterPlans(documents.doc, operation.pathItemPointer, operation.pointer, operation.operationId);
  const wrapper = { type: 'object', properties: { path: {}, query: {}, header: {} } as Record<ParameterIn, object> };
  const json = new Map<ParameterPlan, ValidateFunction>();
  for (const location of ['path', 'query', 'header'] as const) {
    const properties = Object.fromEntries(plans.filter((p) => p.in === location && p.shape !== 'json').map((p) => [p.name, refTo(p.schemaPointer)]));
    wrapper.properties[location] = { type: 'object', properties };
  }
  for (const plan of plans) if (plan.shape === 'json') json.set(plan, schemaAt(documents.strict, plan.schemaPointer));
  const coerce = plans.some((p) => p.shape !== 'json') ? compileOnce(documents.coerce, documents.wrappers, wrapper) : undefined;
  const queryNames = new Set(plans.filter((p) => p.in === 'query').map((p) => p.name));
  const body = bodyPlan(documents, operation);

  /** The value a parameter's strings stand for, before coercion; undefined (with a problem) when unreadable. */
  const read = (plan: ParameterPlan, value: HeaderValue, problems: ContractProblem[]): unknown => {
    if (typeof value !== 'string') {
      if (plan.shape === 'array' && plan.delimiter === undefined) return [...value!];
      problems.push(problem(plan, 'repeated', 'must be given at most once'));
      return undefined;
    }
    if (value === '' && plan.in === 'query' && !plan.allowEmptyValue) {
      problems.push(problem(plan, 'empty', `Empty value found for query parameter '${plan.name}'`));
      return undefined;
    }
    if (plan.shape === 'value') {
      if (plan.numeric && !DECIMAL[plan.numeric].test(value)) {
        problems.push(problem(plan, 'type', `must be ${plan.numeric === 'integer' ? 'an integer' : 'a number'} written in decimal digits`));
        return undefined;
      }
      return value;
    }
    if (plan.shape === 'array') return plan.delimiter === undefined ? [value] : value.split(plan.delimiter);
    try {
      const parsed: unknown = JSON.parse(value);
      const validate = json.get(plan)!;
      if (!validate(parsed)) problems.push(...fromAjv(validate.errors, { in: plan.in, name: plan.name }));
      return parsed;
    } catch {
      problems.push(problem(plan, 'json', 'must be valid JSON'));
      return undefined;
    }
  };

  return (request) => {
    const problems: ContractProblem[] = [];
    const values: Record<ParameterIn, Record<string, unknown>> = { path: {}, query: {}, header: {} };
    const sources: Record<ParameterIn, Readonly<Record<string, HeaderValue>>> = {
      path: request.pathParams ?? NO_PARAMETERS,
      query: request.query ?? NO_PARAMETERS,
      header: request.headers ?? NO_PARAMETERS,
    };
    for (const name in sources.query) {
      if (!queryNames.has(name)) problems.push({ in: 'query', name, instancePath: '', keyword: 'unknown', message: `Unknown query parameter '${name}'`, params: {} });
    }
    for (const plan of plans) {
      const source = sources[plan.in];
      let raw = Object.hasOwn(source, plan.name) ? source[plan.name] : undefined;
      if (raw === undefined) {
        if (plan.required || plan.in === 'path') problems.push(problem(plan, 'required', 'is required'));
        else if ('default' in plan) values[plan.in][plan.name] = typeof plan.default === 'object' && plan.default !== null ? structuredClone(plan.default) : plan.default;
        continue;
      }
      if (plan.in === 'path') {
        try {
          // A delimiter inside an element is percent-encoded, so a path array is split before decoding.
          if (plan.shape === 'array') {
            values.path[plan.name] = (raw as string).split(plan.delimiter!).map(decodeURIComponent);
            continue;
          }
          raw = decodeURIComponent(raw as string);
        } catch {
          problems.push(problem(plan, 'encoding', 'must be percent-encoded UTF-8'));
          continue;
        }
      }
      const value = read(plan, raw, problems);
      if (value !== undefined) values[plan.in][plan.name] = value;
    }
    if (coerce && !coerce(values)) problems.push(...parameterProblems(coerce.errors));

    if (body) {
      // A body handed over without its Content-Type is taken to be of the first documented type.
      const media = request.contentType === undefined ? (body.json ?? body.media[0]) : mediaFor(body, request.contentType);
      if (!media) {
        const sent = request.contentType!.split(';', 1)[0]!.trim();
        problems.push({
          in: 'content-type',
          instancePath: '',
          keyword: 'media-type',
          message: `unsupported media type ${sent || '""'}`,
          params: { supported: body.media.map((m) => m.type) },
        });
      } else if (request.body === undefined) {
        if (body.required) problems.push({ in: 'body', instancePath: '', keyword: 'required', message: 'is required', params: {} });
      } else if (media.validate && !media.validate(request.body)) {
        problems.push(...fromAjv(media.validate.errors, { in: 'body' }));
      }
    }
    return { problems, pathParams: values.path, query: values.query };
  };
}
