/**
 * The naive integration's decoder: every response is checked against the spec's schema as if each object
 * were `additionalProperties: false` and each enum closed — the strict parsing the stability seed warns
 * against. A key or enum value the decoder does not know throws.
 */
import { readFileSync } from 'node:fs';

type Schema = Record<string, unknown>;
const spec = JSON.parse(readFileSync(new URL('../../generated/starship.bundled.json', import.meta.url), 'utf8')) as { components: { schemas: Record<string, Schema> } };

function resolve(schema: Schema): Schema {
  const ref = schema.$ref;
  return typeof ref === 'string' ? resolve(spec.components.schemas[ref.replace('#/components/schemas/', '')]!) : schema;
}

/** Every property a schema declares, its allOf parts' included. */
function propertiesOf(schema: Schema): Record<string, Schema> | undefined {
  const parts = ((schema.allOf as Schema[] | undefined) ?? []).map((part) => propertiesOf(resolve(part)));
  const own = schema.properties as Record<string, Schema> | undefined;
  if (!own && parts.every((p) => p === undefined)) return undefined;
  return Object.assign({}, ...parts, own);
}

function check(value: unknown, raw: Schema, at: string): void {
  const schema = resolve(raw);
  const branches = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (branches) {
    const errors: string[] = [];
    for (const branch of branches) {
      try {
        check(value, branch, at);
        return;
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
    throw new Error(errors[0]);
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) throw new Error(`${at}: unexpected value ${JSON.stringify(value)}`);
  if (Array.isArray(value) && schema.items) value.forEach((item, i) => check(item, schema.items as Schema, `${at}[${i}]`));
  const properties = propertiesOf(schema);
  if (value && typeof value === 'object' && !Array.isArray(value) && properties) {
    for (const [key, child] of Object.entries(value)) {
      if (!(key in properties)) throw new Error(`${at}: unexpected key ${JSON.stringify(key)}`);
      check(child, properties[key]!, `${at}.${key}`);
    }
  }
}

/** Returns the value typed as T when it matches components.schemas[name] exactly; throws otherwise. */
export function strictParse<T>(value: unknown, name: string): T {
  check(value, { $ref: `#/components/schemas/${name}` }, name);
  return value as T;
}
