/**
 * fast-check arbitraries for values that satisfy a JSON Schema of the bundled specs (the subset they use:
 * $ref, type (also as a list), enum, const, properties/required/additionalProperties false, anyOf of
 * `required` branches, minProperties, items/minItems/maxItems/uniqueItems, minimum/maximum, minLength/
 * maxLength, pattern, and the formats uri, email, date and date-time). `hints` replace the arbitrary for a
 * property or parameter by name, so generated requests can name things that exist (a stocked product,
 * a real order) instead of only random ids that all end in 404.
 */
import fc from 'fast-check';
import { deref, isObject, type Json, type OpenApiDocument } from '@starship/contract';

export type Hints = Record<string, fc.Arbitrary<unknown>>;

const MAX_STRING = 40;

function typesOf(node: Json): string[] {
  if (Array.isArray(node.type)) return node.type.filter((t): t is string => typeof t === 'string');
  if (typeof node.type === 'string') return [node.type];
  if (isObject(node.properties)) return ['object'];
  return [];
}

function stringArbitrary(node: Json): fc.Arbitrary<string> {
  const minLength = typeof node.minLength === 'number' ? node.minLength : 0;
  const maxLength = typeof node.maxLength === 'number' ? Math.min(node.maxLength, MAX_STRING) : MAX_STRING;
  const schemaMax = typeof node.maxLength === 'number' ? node.maxLength : Infinity;
  switch (node.format) {
    case 'uri':
      return fc.webUrl({ withQueryParameters: true }).filter((url) => url.length <= schemaMax);
    case 'email':
      return fc.emailAddress();
    case 'date':
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case 'date-time':
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
  }
  if (typeof node.pattern === 'string') {
    const pattern = new RegExp(node.pattern);
    return fc.stringMatching(pattern).filter((s) => s.length >= minLength && s.length <= schemaMax);
  }
  return fc.string({ minLength, maxLength: Math.max(minLength, maxLength), unit: 'grapheme' });
}

function numberArbitrary(node: Json, integer: boolean): fc.Arbitrary<number> {
  const min = typeof node.minimum === 'number' ? node.minimum : -1_000_000;
  const max = typeof node.maximum === 'number' ? node.maximum : min + 1_000_000;
  if (integer) return fc.integer({ min: Math.ceil(min), max: Math.floor(Math.min(max, Number.MAX_SAFE_INTEGER)) });
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

function objectArbitrary(doc: OpenApiDocument, node: Json, hints: Hints, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = isObject(node.properties) ? node.properties : {};
  const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
  // anyOf branches that only add `required` (InjectFaultRequest): one branch's names become required.
  const branches = Array.isArray(node.anyOf) ? node.anyOf.filter(isObject).map((b) => (Array.isArray(b.required) ? (b.required as string[]) : [])) : [];
  const build = (extra: string[]) => {
    const requiredKeys = [...required, ...extra];
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [name, schema] of Object.entries(properties)) model[name] = hints[name] ?? valueArbitrary(doc, schema, hints, depth + 1);
    return fc.record(model, { requiredKeys: requiredKeys.filter((k) => k in model) });
  };
  let arbitrary = branches.length ? fc.oneof(...branches.map(build)) : build([]);
  const minProperties = typeof node.minProperties === 'number' ? node.minProperties : 0;
  if (minProperties > 0) arbitrary = arbitrary.filter((value) => Object.keys(value).length >= minProperties);
  return arbitrary;
}

/** Values valid against `schema` (a node of `doc`, $refs allowed). */
export function valueArbitrary(doc: OpenApiDocument, schema: unknown, hints: Hints = {}, depth = 0): fc.Arbitrary<unknown> {
  const node = deref(doc, schema);
  if (!isObject(node)) return fc.constant(null);
  if ('const' in node) return fc.constant(node.const);
  if (Array.isArray(node.enum)) return fc.constantFrom(...(node.enum as unknown[]));
  if (Array.isArray(node.allOf) && node.allOf.length === 1) return valueArbitrary(doc, node.allOf[0], hints, depth);
  const choices = typesOf(node).map((type): fc.Arbitrary<unknown> => {
    switch (type) {
      case 'object':
        return objectArbitrary(doc, node, hints, depth);
      case 'array': {
        const items = valueArbitrary(doc, node.items, hints, depth + 1);
        const minLength = typeof node.minItems === 'number' ? node.minItems : 0;
        const maxLength = typeof node.maxItems === 'number' ? node.maxItems : minLength + 3;
        return node.uniqueItems === true
          ? fc.uniqueArray(items, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
          : fc.array(items, { minLength, maxLength });
      }
      case 'string':
        return stringArbitrary(node);
      case 'integer':
        return numberArbitrary(node, true);
      case 'number':
        return numberArbitrary(node, false);
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      default:
        return fc.constant(null);
    }
  });
  if (choices.length === 0) return fc.constant(null);
  return choices.length === 1 ? choices[0]! : fc.oneof(...choices);
}

/** The JSON types a schema node admits (for "wrong type" mutations); empty when it admits any. */
export function admittedTypes(doc: OpenApiDocument, schema: unknown): Set<string> {
  const node = deref(doc, schema);
  if (!isObject(node)) return new Set();
  if (Array.isArray(node.enum)) return new Set(node.enum.map((m) => (m === null ? 'null' : typeof m)));
  const types = typesOf(node).map((t) => (t === 'integer' ? 'number' : t));
  return new Set(types);
}
