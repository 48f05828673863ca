import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { bundle, createConfig } from '@redocly/openapi-core';
import { escapePointerToken as escape, isObject, type Json, type OpenApiDocument } from '@starship/contract';
import { createAjv } from '@starship/contract/validator/ajv';

// Every example in both documents must validate against the schema it illustrates: examples are what
// partners copy, what the docs render and what Prism serves, so a wrong one is a contract bug.

interface ExampleCase {
  pointer: string;
  schema: Json;
  value: unknown;
}

interface Coverage {
  pointer: string;
  hasExample: boolean;
}

const DOCUMENTS = ['starship.yaml', 'sandbox.yaml'] as const;
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
// Keywords whose values are schemas, maps of schemas, or arrays of schemas (JSON Schema 2020-12).
const SUBSCHEMA = ['additionalProperties', 'items', 'not', 'if', 'then', 'else', 'contains', 'propertyNames',
  'unevaluatedItems', 'unevaluatedProperties'];
const SUBSCHEMA_MAPS = ['properties', 'patternProperties', 'dependentSchemas', '$defs'];
const SUBSCHEMA_ARRAYS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];

const entries = (v: unknown): [string, unknown][] => (isObject(v) ? Object.entries(v) : []);

async function loadDereferenced(file: string): Promise<Json> {
  const config = await createConfig({});
  const ref = fileURLToPath(new URL(file, import.meta.url));
  const result = await bundle({ ref, config, dereference: true });
  const errors = result.problems.filter((p) => p.severity === 'error');
  assert.deepEqual(errors.map((p) => p.message), [], `${file} must bundle without errors`);
  const parsed: unknown = result.bundle.parsed;
  assert.ok(isObject(parsed));
  return parsed;
}

// Collects every example with the schema it must satisfy. Dereferencing copies each component into every
// place that uses it, so nodes are de-duplicated by content and reported at their first pointer, which is
// the component's own when there is one (components are walked first).
class ExampleCollector {
  readonly cases: ExampleCase[] = [];
  readonly coverage: Coverage[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly doc: Json) {}

  collect(): void {
    const components = this.doc['components'];
    const schemas = entries(isObject(components) ? components['schemas'] : undefined);
    // Named schemas before their subschemas, so an inlined copy of `ProductId` is reported as ProductId.
    for (const [name, schema] of schemas) {
      if (isObject(schema) && !this.visited(schema)) this.schemaExamples(schema, `/components/schemas/${escape(name)}`);
    }
    for (const [name, schema] of schemas) this.subschemas(schema, `/components/schemas/${escape(name)}`);
    for (const [name, param] of entries(isObject(components) ? components['parameters'] : undefined)) {
      this.parameterOrHeader(param, `/components/parameters/${escape(name)}`);
    }
    for (const [name, header] of entries(isObject(components) ? components['headers'] : undefined)) {
      this.parameterOrHeader(header, `/components/headers/${escape(name)}`);
    }
    for (const [name, body] of entries(isObject(components) ? components['requestBodies'] : undefined)) {
      this.content(body, `/components/requestBodies/${escape(name)}`);
    }
    for (const [name, response] of entries(isObject(components) ? components['responses'] : undefined)) {
      this.response(response, `/components/responses/${escape(name)}`);
    }
    for (const section of ['paths', 'webhooks']) {
      for (const [key, item] of entries(this.doc[section])) this.pathItem(item, `/${section}/${escape(key)}`);
    }
  }

  private pathItem(item: unknown, pointer: string): void {
    if (!isObject(item)) return;
    this.parameters(item['parameters'], `${pointer}/parameters`);
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const opPointer = `${pointer}/${method}`;
      this.parameters(op['parameters'], `${opPointer}/parameters`);
      const body = op['requestBody'];
      if (isObject(body)) {
        this.requireExamples(body, `${opPointer}/requestBody`);
        this.content(body, `${opPointer}/requestBody`);
      }
      for (const [status, response] of entries(op['responses'])) {
        const responsePointer = `${opPointer}/responses/${escape(status)}`;
        if (status.startsWith('2') && isObject(response)) this.requireExamples(response, responsePointer);
        this.response(response, responsePointer);
      }
    }
  }

  private requireExamples(holder: Json, pointer: string): void {
    for (const [mediaType, media] of entries(holder['content'])) {
      const hasExample = isObject(media) && ('example' in media || entries(media['examples']).length > 0);
      this.coverage.push({ pointer: `${pointer}/content/${escape(mediaType)}`, hasExample });
    }
  }

  private parameters(list: unknown, pointer: string): void {
    if (!Array.isArray(list)) return;
    list.forEach((param, i) => this.parameterOrHeader(param, `${pointer}/${i}`));
  }

  private response(response: unknown, pointer: string): void {
    if (!isObject(response) || this.visited(response)) return;
    for (const [name, header] of entries(response['headers'])) {
      this.parameterOrHeader(header, `${pointer}/headers/${escape(name)}`);
    }
    this.content(response, pointer);
  }

  private parameterOrHeader(node: unknown, pointer: string): void {
    if (!isObject(node) || this.visited(node)) return;
    if (isObject(node['schema'])) this.examplesOf(node, node['schema'], pointer);
    this.schema(node['schema'], `${pointer}/schema`);
    this.content(node, pointer);
  }

  private content(holder: unknown, pointer: string): void {
    if (!isObject(holder)) return;
    for (const [mediaType, media] of entries(holder['content'])) {
      if (!isObject(media) || this.visited(media)) continue;
      const mediaPointer = `${pointer}/content/${escape(mediaType)}`;
      if (isObject(media['schema'])) this.examplesOf(media, media['schema'], mediaPointer);
      this.schema(media['schema'], `${mediaPointer}/schema`);
    }
  }

  // `example` / named `examples` of a media type, parameter or header.
  private examplesOf(node: Json, schema: Json, pointer: string): void {
    if ('example' in node) this.cases.push({ pointer: `${pointer}/example`, schema, value: node['example'] });
    for (const [name, example] of entries(node['examples'])) {
      assert.ok(isObject(example) && 'value' in example, `${pointer}/examples/${name} must have an inline value`);
      this.cases.push({ pointer: `${pointer}/examples/${escape(name)}/value`, schema, value: example['value'] });
    }
  }

  // Schema-level `examples` (JSON Schema array) and the deprecated OpenAPI `example`, recursively.
  private schema(schema: unknown, pointer: string): void {
    if (!isObject(schema) || this.visited(schema)) return;
    this.schemaExamples(schema, pointer);
    this.subschemas(schema, pointer);
  }

  private schemaExamples(schema: Json, pointer: string): void {
    if ('example' in schema) this.cases.push({ pointer: `${pointer}/example`, schema, value: schema['example'] });
    const examples = schema['examples'];
    if (Array.isArray(examples)) {
      examples.forEach((value, i) => this.cases.push({ pointer: `${pointer}/examples/${i}`, schema, value }));
    }
  }

  private subschemas(schema: unknown, pointer: string): void {
    if (!isObject(schema)) return;
    for (const key of SUBSCHEMA) this.schema(schema[key], `${pointer}/${key}`);
    for (const key of SUBSCHEMA_MAPS) {
      for (const [name, sub] of entries(schema[key])) this.schema(sub, `${pointer}/${key}/${escape(name)}`);
    }
    for (const key of SUBSCHEMA_ARRAYS) {
      const list = schema[key];
      if (Array.isArray(list)) list.forEach((sub, i) => this.schema(sub, `${pointer}/${key}/${i}`));
    }
  }

  private visited(node: object): boolean {
    const key = JSON.stringify(node);
    if (this.seen.has(key)) return true;
    this.seen.add(key);
    return false;
  }
}

for (const file of DOCUMENTS) {
  const doc = await loadDereferenced(file);
  const collector = new ExampleCollector(doc);
  collector.collect();
  // The contract validator's Ajv: strict (an unknown keyword fails), OpenAPI annotations declared, formats in full.
  const ajv = createAjv(doc as OpenApiDocument, 'strict');

  test(`${file}: examples validate against their schemas`, async (t) => {
    assert.ok(collector.cases.length > 0, 'no examples found');
    for (const { pointer, schema, value } of collector.cases) {
      await t.test(`${file}#${pointer}`, () => {
        const validate = ajv.compile(schema);
        assert.ok(validate(value), ajv.errorsText(validate.errors, { dataVar: 'example' }));
      });
    }
  });

  test(`${file}: every request body and 2xx response body has an example`, () => {
    assert.ok(collector.coverage.length > 0, 'no operations with bodies found');
    const missing = collector.coverage.filter((c) => !c.hasExample).map((c) => c.pointer);
    assert.deepEqual(missing, []);
  });
}
