/**
 * JSON Pointers (RFC 6901) and `$ref` following over a bundled OpenAPI document: the one implementation the
 * validator, the sandbox, conformance, the diff, the generator and the docs builder share. Bundled documents
 * hold only internal references (`#/components/...`), so a reference is a pointer into the same document; an
 * external one (`other.yaml#/x`) means the document was not bundled, and is an error.
 *
 * Pointers are accepted and written in both forms: `/paths/~1orders` and its URI-fragment form
 * `#/paths/~1orders` (the form `$ref`s use). Only own members are followed, so a token such as `constructor`
 * or `__proto__` never reaches Object.prototype, and an array step must be an RFC 6901 index (`0`, `12`, not
 * `01`, `-` or `1e1`).
 */
export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export const escapePointerToken = (token: string): string => token.replace(/~/g, '~0').replace(/\//g, '~1');
export const unescapePointerToken = (token: string): string => token.replace(/~1/g, '/').replace(/~0/g, '~');

/** `/paths/~1orders/post` from its tokens. */
export const pointerOf = (tokens: readonly (string | number)[]): string => tokens.map((t) => `/${escapePointerToken(String(t))}`).join('');

/** `pointer` extended by `tokens`, in the pointer's own form: `childPointer('#/paths', '/orders')` is `#/paths/~1orders`. */
export const childPointer = (pointer: string, ...tokens: (string | number)[]): string => pointer + pointerOf(tokens);

/** The unescaped tokens of a pointer (`#/a~1b/0` → `['a/b', '0']`); undefined when it is not a pointer. */
export function pointerTokens(pointer: string): string[] | undefined {
  const path = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  if (path === '') return [];
  if (!path.startsWith('/')) return undefined;
  return path.slice(1).split('/').map(unescapePointerToken);
}

const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

/** The value at a pointer (`/a/b` or `#/a/b`), or undefined when a step is missing or the pointer is malformed. */
export function resolvePointer(doc: unknown, pointer: string): unknown {
  const tokens = pointerTokens(pointer);
  if (tokens === undefined) return undefined;
  let current: unknown = doc;
  for (const token of tokens) {
    if (Array.isArray(current)) current = ARRAY_INDEX.test(token) ? current[Number(token)] : undefined;
    else if (isObject(current)) current = Object.hasOwn(current, token) ? current[token] : undefined;
    else return undefined;
  }
  return current;
}

// A reference may land on another (a components alias of a split file); the bound stops a cycle.
const MAX_HOPS = 32;

/** The `$ref` of a reference object, if `node` is one. */
export const refOf = (node: unknown): string | undefined => (isObject(node) && typeof node.$ref === 'string' ? node.$ref : undefined);

function internal(ref: string): string {
  if (!ref.startsWith('#')) throw new Error(`external $ref ${ref}: bundle the spec first`);
  return ref;
}

/**
 * Follows internal `#/…` references until a node that is not one: undefined when a reference does not
 * resolve (lint reports those; a reader skips them). Throws on a cycle and on an external reference.
 */
export function deref(doc: unknown, node: unknown): unknown {
  let current = node;
  for (let hops = 0; ; hops++) {
    const ref = refOf(current);
    if (ref === undefined) return current;
    if (hops > MAX_HOPS) throw new Error(`reference cycle at ${ref}`);
    current = resolvePointer(doc, internal(ref));
  }
}

/**
 * The object at a pointer, with the references on the way and at the end followed (`/paths/~1orders/post/
 * responses/200/content` passes through a `#/components/responses/...` reference), and the pointer where it
 * really lives, in the form the pointer was given: a schema compiler resolves the references inside it from
 * there. Undefined when a step is missing or lands on something other than an object at the end.
 */
export function locate(doc: unknown, pointer: string): { node: Json; pointer: string } | undefined {
  const tokens = pointerTokens(pointer);
  if (tokens === undefined) return undefined;
  const prefix = pointer.startsWith('#') ? '#' : '';
  let node: unknown = doc;
  let at: string[] = [];
  const follow = () => {
    for (let hops = 0; ; hops++) {
      const ref = refOf(node);
      if (ref === undefined) return;
      if (hops > MAX_HOPS) throw new Error(`reference cycle at ${ref}`);
      at = pointerTokens(internal(ref)) ?? [];
      node = resolvePointer(doc, ref);
    }
  };
  for (const token of tokens) {
    follow();
    node = resolvePointer(node, pointerOf([token]));
    at = [...at, token];
  }
  follow();
  return isObject(node) ? { node, pointer: prefix + pointerOf(at) } : undefined;
}
