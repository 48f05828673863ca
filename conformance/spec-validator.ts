/**
 * Validates observed HTTP responses against a bundled OpenAPI 3.1 document: the status must be documented,
 * documented headers present (when required) and valid, and the JSON body valid against its schema. Pure:
 * the document and an observation in, a list of problems out. The conformance suite and the SDK's contract
 * tests share it.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { OpenApiDocument } from '@starship/contract';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const escapeToken = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');
const unescapeToken = (token: string) => token.replace(/~1/g, '/').replace(/~0/g, '~');

export interface ObservedResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

interface Located {
  node: Json;
  pointer: string;
}

const SPEC_ID = 'openapi:spec';

/** Header values arrive as strings; coerce them to the type their schema declares before validating. */
function coerceHeader(value: string, schema: Json): unknown {
  if (schema.type === 'integer' || schema.type === 'number') {
    const number = Number(value);
    return value.trim() !== '' && Number.isFinite(number) ? number : value;
  }
  if (schema.type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}

export class SpecValidator {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly operationPointers = new Map<string, string>();

  constructor(private readonly doc: OpenApiDocument) {
    // OpenAPI keywords (discriminator, xml, example) sit beside JSON Schema ones; strict mode would reject them.
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    (addFormats as unknown as (ajv: Ajv2020) => void)(this.ajv);
    this.ajv.addSchema(doc as object, SPEC_ID);
    for (const [path, item] of Object.entries(isObject(doc.paths) ? doc.paths : {})) {
      for (const [method, operation] of Object.entries(isObject(item) ? item : {})) {
        if (isObject(operation) && typeof operation.operationId === 'string') {
          this.operationPointers.set(operation.operationId, `/paths/${escapeToken(path)}/${method}`);
        }
      }
    }
  }

  get operationIds(): string[] {
    return [...this.operationPointers.keys()];
  }

  private at(pointer: string): unknown {
    return pointer
      .split('/')
      .slice(1)
      .map(unescapeToken)
      .reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), this.doc);
  }

  /** Follows `$ref`s from a pointer, keeping track of where the node really lives (Ajv resolves from there). */
  private locate(pointer: string): Located | undefined {
    let current = pointer;
    for (let hops = 0; hops < 32; hops++) {
      const node = this.at(current);
      if (!isObject(node)) return undefined;
      if (typeof node.$ref !== 'string') return { node, pointer: current };
      current = node.$ref.slice(1);
    }
    throw new Error(`reference cycle at ${pointer}`);
  }

  private problems(schemaPointer: string, value: unknown, label: string): string[] {
    let validate = this.compiled.get(schemaPointer);
    if (!validate) {
      validate = this.ajv.getSchema(`${SPEC_ID}#${schemaPointer}`);
      if (!validate) throw new Error(`no schema at ${schemaPointer}`);
      this.compiled.set(schemaPointer, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${label}${e.instancePath} ${e.message ?? 'is invalid'}`);
  }

  /** Every way the observed response departs from what the operation documents; [] when it conforms. */
  validateResponse(operationId: string, observed: ObservedResponse): string[] {
    const operationPointer = this.operationPointers.get(operationId);
    if (!operationPointer) throw new Error(`unknown operationId ${operationId}`);
    const responses = this.locate(`${operationPointer}/responses`);
    const status = String(observed.status);
    const statusKey = [status, `${status[0]}XX`, 'default'].find((key) => responses && key in responses.node);
    if (!responses || !statusKey) return [`status ${status} is not documented for ${operationId}`];
    const response = this.locate(`${responses.pointer}/${statusKey}`);
    if (!response) return [];
    const found: string[] = [];

    for (const name of Object.keys(isObject(response.node.headers) ? response.node.headers : {})) {
      const header = this.locate(`${response.pointer}/headers/${escapeToken(name)}`);
      const value = observed.headers.get(name);
      if (!header) continue;
      if (value === null) {
        if (header.node.required === true) found.push(`header ${name} is required but missing`);
        continue;
      }
      const schema = this.locate(`${header.pointer}/schema`);
      if (schema) found.push(...this.problems(schema.pointer, coerceHeader(value, schema.node), `header ${name}`));
    }

    const media = this.locate(`${response.pointer}/content/application~1json`);
    if (!media) return found;
    const contentType = observed.headers.get('content-type') ?? '';
    if (!/^application\/([\w.-]+\+)?json\b/i.test(contentType)) {
      found.push(`content-type ${JSON.stringify(contentType)} is not JSON`);
    }
    if (isObject(media.node.schema)) found.push(...this.problems(`${media.pointer}/schema`, observed.body, 'body'));
    return found;
  }
}
