/**
 * The Ajv instances a contract validator compiles with, each holding the whole bundled document under
 * DOCUMENT_ID so that schemas are compiled where they live (`openapi:document#/components/schemas/Order`) and
 * their internal `$ref`s resolve. Strict schema mode: a keyword Ajv does not know fails compilation, so an
 * OpenAPI 3.0 keyword (`discriminator`, `xml`) or a typo cannot be silently ignored; only the OpenAPI
 * annotations (`example`, `externalDocs`, `x-…` extensions) and the document's own top-level fields are
 * declared as keywords without validation. Formats are ajv-formats' "full" set (dates checked against the
 * calendar, URIs against RFC 3986) unless "fast" (their shape only, ~10× cheaper) is asked for.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { DataValidateFunction } from 'ajv/dist/types/index.js';
import addFormats from 'ajv-formats';
import type { OpenApiDocument } from '../spec.ts';

export const DOCUMENT_ID = 'openapi:document';

/**
 * - `strict`: request bodies, JSON parameters and responses — no type coercion, no defaults inserted;
 * - `coerce`: path, query and header values, which arrive as strings, coerced to their schema's type;
 * - `open-enums`: responses read with v1's open enums (see openEnumKeyword).
 */
export type AjvMode = 'strict' | 'coerce' | 'open-enums';

/** Fields of an OpenAPI document (and annotations of its Schema Object) that are not JSON Schema keywords. */
const ANNOTATIONS = ['example', 'externalDocs'];

/** Every `x-…` key in the document: extensions may annotate any object, schemas included. */
function extensionKeys(doc: OpenApiDocument): string[] {
  const found = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (node: unknown) => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) return node.forEach(walk);
    for (const [key, child] of Object.entries(node)) {
      if (key.startsWith('x-')) found.add(key);
      walk(child);
    }
  };
  walk(doc);
  return [...found];
}

/**
 * v1's open enums (DESIGN "Open enums"): a value passes if it is a member, or if it is a string the enum
 * lacks altogether — not a case variant of a member (responses are canonical UPPERCASE, so `pending` for
 * `PENDING` still fails) — and the enum's members are all strings.
 */
function openEnumKeyword(ajv: Ajv2020): void {
  ajv.removeKeyword('enum');
  ajv.addKeyword({
    keyword: 'enum',
    schemaType: 'array',
    errors: true,
    compile(members: unknown[]): DataValidateFunction {
      const lowerCase = members.every((m) => typeof m === 'string') ? new Set(members.map((m) => (m as string).toLowerCase())) : undefined;
      const error = { keyword: 'enum', message: 'must be equal to one of the allowed values', params: { allowedValues: members } };
      const validate: DataValidateFunction = (data) => {
        if (members.includes(data) || (lowerCase && typeof data === 'string' && !lowerCase.has(data.toLowerCase()))) return true;
        validate.errors = [error];
        return false;
      };
      return validate;
    },
  });
}

export type FormatMode = 'full' | 'fast';

export function createAjv(doc: OpenApiDocument, mode: AjvMode, formats: FormatMode = 'full'): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    strictTypes: false,
    strictRequired: false,
    allowUnionTypes: true,
    allErrors: true,
    validateSchema: false,
    coerceTypes: mode === 'coerce',
    useDefaults: false,
  });
  (addFormats as unknown as (ajv: Ajv2020, options: { mode: FormatMode }) => void)(ajv, { mode: formats });
  const topLevel = Object.keys(doc).filter((key) => !key.startsWith('x-'));
  ajv.addVocabulary([...new Set([...topLevel, ...ANNOTATIONS, ...extensionKeys(doc)])]);
  if (mode === 'open-enums') openEnumKeyword(ajv);
  ajv.addSchema(doc as object, DOCUMENT_ID);
  return ajv;
}

/** The compiled schema at `pointer` (where the schema really lives, references already followed). */
export function schemaAt(ajv: Ajv2020, pointer: string): ValidateFunction {
  const validate = ajv.getSchema(`${DOCUMENT_ID}#${pointer}`);
  if (!validate) throw new Error(`no schema at ${pointer}`);
  return validate;
}

/** A `$ref` to the schema at `pointer`, for the wrapper schemas a validator compiles around parameters and headers. */
export const refTo = (pointer: string) => ({ $ref: `${DOCUMENT_ID}#${encodeURI(pointer)}` });

/**
 * Compiles a wrapper schema once per distinct content: most responses of an API document the same headers
 * (trace id, rate limits), and compiling costs milliseconds where a lookup costs nothing.
 */
export function compileOnce(ajv: Ajv2020, cache: Map<string, ValidateFunction>, schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = cache.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    cache.set(key, validate);
  }
  return validate;
}
