/**
 * The response half of the runtime contract check: a JSON body is valid for its operation and status (the
 * status's own response, else its `4XX`-style range, else `default`). It replaces express-openapi-validator's
 * response validation, which gives the same verdicts (Ajv 2020, formats in "fast" mode, strict numbers and
 * tuples, no defaults inserted, the first problem) but costs a content-type parse, a cache-key build and a
 * validator lookup on every response; here each (operation, status) validator is compiled on first use and
 * then found with two map reads. The spec uses no OpenAPI-only schema keywords (nullable, readOnly,
 * writeOnly, discriminator) that would need the library's preprocessing.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { isObject, type Json, type OpenApiDocument } from '@starship/contract';

const SPEC_ID = 'starship:spec';

type Check = (body: unknown) => string[];

const MAX_REMEMBERED = 256;
const MAX_REMEMBERED_TEXT = 32 * 1024;

const escapeToken = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');

export class ResponseValidator {
  readonly #ajv: Ajv2020;
  readonly #operations = new Map<string, string>();
  readonly #checks = new Map<string, Check>();
  /** Texts found valid, oldest first (a bounded FIFO: at most MAX_REMEMBERED × MAX_REMEMBERED_TEXT bytes). */
  readonly #validTexts = new Set<string>();

  constructor(private readonly doc: OpenApiDocument) {
    // Unknown keywords (x-…, example) sit beside JSON Schema's; the spec was validated when it was bundled.
    this.#ajv = new Ajv2020({ strict: false, strictNumbers: true, strictTuples: true, validateSchema: false, allErrors: false });
    (addFormats as unknown as (ajv: Ajv2020, options: { mode: 'fast' }) => void)(this.#ajv, { mode: 'fast' });
    this.#ajv.addSchema(doc as object, SPEC_ID);
    for (const [path, item] of Object.entries(isObject(doc.paths) ? doc.paths : {})) {
      for (const [method, operation] of Object.entries(isObject(item) ? item : {})) {
        if (isObject(operation) && typeof operation.operationId === 'string') {
          this.#operations.set(operation.operationId, `/paths/${escapeToken(path)}/${method}`);
        }
      }
    }
  }

  /** What is wrong with sending `body` as `status` for the operation; [] when nothing is. */
  problems(operationId: string, status: number, body: unknown): string[] {
    const key = `${operationId} ${status}`;
    let check = this.#checks.get(key);
    if (!check) {
      check = this.#compile(operationId, status);
      this.#checks.set(key, check);
    }
    return check(body);
  }

  /**
   * problems() for a body about to be sent as `text` (its JSON; undefined when it has none). Validity is a function of the JSON sent, so
   * a text already found valid for the same operation and status is not walked again: a product page or a
   * list is sent unchanged many times over, and checking it cost more than everything else it needed.
   */
  problemsOfSent(operationId: string, status: number, body: unknown, text: string | undefined): string[] {
    const remembered = text !== undefined && text.length <= MAX_REMEMBERED_TEXT;
    const key = remembered ? `${operationId} ${status} ${text}` : '';
    if (remembered && this.#validTexts.has(key)) return [];
    const problems = this.problems(operationId, status, body);
    if (remembered && problems.length === 0) {
      if (this.#validTexts.size >= MAX_REMEMBERED) this.#validTexts.delete(this.#validTexts.values().next().value!);
      this.#validTexts.add(key);
    }
    return problems;
  }

  #compile(operationId: string, status: number): Check {
    const operation = this.#operations.get(operationId);
    if (!operation) throw new Error(`unknown operationId ${operationId}`);
    const responses = this.#locate(`${operation}/responses`);
    const statusKey = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => responses && k in responses.node);
    if (!responses || !statusKey) return () => [`no schema defined for status code ${status} in the spec`];
    const response = this.#locate(`${responses.pointer}/${statusKey}`);
    const media = response && this.#locate(`${response.pointer}/content/application~1json`);
    if (!media) return () => ['the response should not have a JSON body'];
    if (!isObject(media.node.schema)) return () => [];
    const validate = this.#ajv.getSchema(`${SPEC_ID}#${media.pointer}/schema`) as ValidateFunction | undefined;
    if (!validate) throw new Error(`no schema at ${media.pointer}/schema`);
    return (body) => (validate(body) ? [] : (validate.errors ?? []).map((e) => `response${e.instancePath} ${e.message ?? 'is invalid'}`));
  }

  /** The node at a JSON pointer, `$ref`s followed, with the pointer where it really lives (Ajv resolves from there). */
  #locate(pointer: string): { node: Json; pointer: string } | undefined {
    let current = pointer;
    for (let hops = 0; hops < 32; hops++) {
      const node = current
        .split('/')
        .slice(1)
        .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce<unknown>((parent, token) => (isObject(parent) ? parent[token] : undefined), this.doc);
      if (!isObject(node)) return undefined;
      if (typeof node.$ref !== 'string') return { node, pointer: current };
      current = node.$ref.slice(1);
    }
    throw new Error(`reference cycle at ${pointer}`);
  }
}
