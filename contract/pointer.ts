/**
 * JSON Pointers (RFC 6901) and `$ref` following over a bundled OpenAPI document: the one implementation the
 * validator, the sandbox, conformance, the diff and the docs builder share. Bundled documents hold only
 * internal references (`#/components/...`), so a reference is a pointer into the same document.
 */
export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export const escapePointerToken = (token: string): string => token.replace(/~/g, '~0').replace(/\//g, '~1');
export const unescapePointerToken = (token: string): string => token.replace(/~1/g, '/').replace(/~0/g, '~');

/** `/paths/~1orders/post` from its tokens. */
export const pointerOf = (tokens: readonly (string | number)[]): string => tokens.map((t) => `/${escapePointerToken(String(t))}`).join('');

/** The value at a pointer (`/a/b` or `#/a/b`), or undefined when a step is missing. */
export function resolvePointer(doc: unknown, pointer: string): unknown {
  const path = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  if (path === '') return doc;
  let current: unknown = doc;
  for (const raw of path.slice(1).split('/')) {
    const token = unescapePointerToken(raw);
    if (Array.isArray(current)) current = current[Number(token)];
    else if (isObject(current)) current = current[token];
    else return undefined;
  }
  return current;
}

const MAX_HOPS = 32;

/** Follows internal `#/…` references until a node that is not one. */
export function deref(doc: unknown, node: unknown): unknown {
  let current = node;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops++) {
    if (hops > MAX_HOPS) throw new Error(`reference cycle at ${current.$ref}`);
    current = resolvePointer(doc, current.$ref);
  }
  return current;
}

/**
 * The object at a pointer with its references followed, and the pointer where it really lives: a schema
 * compiler resolves the references inside it from there.
 */
export function locate(doc: unknown, pointer: string): { node: Json; pointer: string } | undefined {
  let current = pointer;
  for (let hops = 0; hops <= MAX_HOPS; hops++) {
    const node = resolvePointer(doc, current);
    if (!isObject(node)) return undefined;
    if (typeof node.$ref !== 'string') return { node, pointer: current };
    current = node.$ref.startsWith('#') ? node.$ref.slice(1) : node.$ref;
  }
  throw new Error(`reference cycle at ${pointer}`);
}
