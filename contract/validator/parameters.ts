/**
 * How each parameter of an operation is read from the strings a request carries (OpenAPI 3.1 "Parameter
 * Object", style and explode): a primitive as its string (coerced to its schema's type by the validator), an
 * array split by its style's delimiter or gathered from repeated query keys, a `content: application/json`
 * parameter parsed as JSON. What this validator cannot read (cookies, object parameters without `content`,
 * deepObject) is refused when the operation is compiled, never silently passed.
 */
import { isObject, locate, pointerOf, type Json } from '../pointer.ts';
import type { OpenApiDocument } from '../spec.ts';

export type ParameterIn = 'path' | 'query' | 'header';

export interface ParameterPlan {
  in: ParameterIn;
  /** As the request carries it: header names lower-case. */
  name: string;
  required: boolean;
  allowEmptyValue: boolean;
  /** `value`: one string; `array`: split or gathered; `json`: JSON text. */
  shape: 'value' | 'array' | 'json';
  /** The delimiter of a non-exploded array (`form`/`simple` comma, `spaceDelimited`, `pipeDelimited`). */
  delimiter?: string;
  /** Pointer to the schema (a `content` parameter's media type schema), references followed. */
  schemaPointer: string;
  /** The schema's `default`, filled in for an absent query parameter (handlers rely on `page` and `limit`). */
  default?: unknown;
  /**
   * A `value` whose schema is a number and not a string: its text must be written in decimal before Ajv's
   * coercion (Number()) reads it, which would take `0x7D1` for 2001, ` 7` for 7 and `1e3` for an integer.
   */
  numeric?: 'integer' | 'number';
}

const DELIMITERS: Record<string, string> = { form: ',', simple: ',', spaceDelimited: ' ', pipeDelimited: '|' };
const DEFAULT_STYLE: Record<ParameterIn, string> = { path: 'simple', query: 'form', header: 'simple' };

function typesOf(schema: Json): string[] {
  if (Array.isArray(schema.type)) return schema.type.filter((t): t is string => typeof t === 'string');
  return typeof schema.type === 'string' ? [schema.type] : [];
}

function plan(doc: OpenApiDocument, pointer: string, where: string): ParameterPlan {
  const parameter = locate(doc, pointer);
  if (!parameter) throw new Error(`${where}: no parameter at ${pointer}`);
  const p = parameter.node;
  const location = p.in;
  if (location !== 'path' && location !== 'query' && location !== 'header') {
    throw new Error(`${where}: parameter ${String(p.name)} in ${String(location)} is not supported by the contract validator`);
  }
  const name = location === 'header' ? String(p.name).toLowerCase() : String(p.name);
  const common = { in: location, name, required: p.required === true, allowEmptyValue: p.allowEmptyValue === true } as const;
  if (isObject(p.content)) {
    const mediaTypes = Object.keys(p.content);
    if (mediaTypes.length !== 1 || !/^application\/([\w.+-]+\+)?json$/i.test(mediaTypes[0]!)) {
      throw new Error(`${where}: parameter ${name} has content ${mediaTypes.join(', ')}; only one JSON media type is supported`);
    }
    const schema = locate(doc, `${parameter.pointer}/content/${pointerOf([mediaTypes[0]!]).slice(1)}/schema`);
    if (!schema) throw new Error(`${where}: parameter ${name} has no schema`);
    return { ...common, shape: 'json', schemaPointer: schema.pointer };
  }
  const schema = locate(doc, `${parameter.pointer}/schema`);
  if (!schema) throw new Error(`${where}: parameter ${name} has no schema`);
  const types = typesOf(schema.node);
  const style = typeof p.style === 'string' ? p.style : DEFAULT_STYLE[location];
  const explode = typeof p.explode === 'boolean' ? p.explode : style === 'form';
  const withDefault = 'default' in schema.node ? { default: schema.node.default } : {};
  if (types.includes('object') || style === 'deepObject') {
    throw new Error(`${where}: parameter ${name} is an object without content: describe it as content application/json`);
  }
  if (!types.includes('array')) {
    const numeric = types.includes('string') ? undefined : types.includes('number') ? 'number' : types.includes('integer') ? 'integer' : undefined;
    return { ...common, shape: 'value', schemaPointer: schema.pointer, ...withDefault, ...(numeric ? { numeric } : {}) };
  }
  const delimiter = DELIMITERS[style];
  if (!delimiter || (location === 'path' && style !== 'simple')) throw new Error(`${where}: parameter ${name} has style ${style}, which is not supported`);
  // An exploded query array repeats its key (a=1&a=2); everything else is one delimited string.
  return { ...common, shape: 'array', ...(location === 'query' && explode ? {} : { delimiter }), schemaPointer: schema.pointer, ...withDefault };
}

/** The operation's parameters (the path item's, overridden by the operation's of the same name and location). */
export function parameterPlans(doc: OpenApiDocument, pathItemPointer: string, operationPointer: string, where: string): ParameterPlan[] {
  const byKey = new Map<string, ParameterPlan>();
  for (const owner of [pathItemPointer, operationPointer]) {
    const located = locate(doc, owner);
    const list = located?.node.parameters;
    if (!located || !Array.isArray(list)) continue;
    list.forEach((_, i) => {
      const parameter = plan(doc, `${located.pointer}/parameters/${i}`, where);
      byKey.set(`${parameter.in} ${parameter.name}`, parameter);
    });
  }
  return [...byKey.values()];
}
