import { child, segments } from './pointer.ts';

export type JsonObject = Record<string, unknown>;

/** A node of a document and the pointer it sits at (after following any `$ref`). */
export interface Located {
  node: unknown;
  pointer: string;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function refOf(value: unknown): string | undefined {
  return isObject(value) && typeof value.$ref === 'string' ? value.$ref : undefined;
}

// Ref chains in bundled documents are short (a component aliasing another); the bound stops a cycle.
const MAX_HOPS = 32;

/**
 * A bundled OpenAPI document: every `$ref` is internal (`#/...`). Targets are looked up by pointer and
 * cached per ref string, so following the same ref from thousands of places costs one walk.
 */
export class SpecDocument {
  readonly #targets = new Map<string, unknown>();

  constructor(readonly root: JsonObject) {}

  get(pointer: string): unknown {
    let node: unknown = this.root;
    for (const segment of segments(pointer)) {
      if (Array.isArray(node)) node = node[Number(segment)];
      else if (isObject(node)) node = Object.hasOwn(node, segment) ? node[segment] : undefined;
      else return undefined;
    }
    return node;
  }

  #target(ref: string): unknown {
    if (!this.#targets.has(ref)) this.#targets.set(ref, ref.startsWith('#') ? this.get(ref) : undefined);
    return this.#targets.get(ref);
  }

  /** Follows a `$ref` chain; siblings of a `$ref` are dropped (callers that need them read the original node). */
  deref(located: Located): Located {
    let current = located;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const ref = refOf(current.node);
      if (ref === undefined) return current;
      const target = this.#target(ref);
      if (target === undefined) return current;
      current = { node: target, pointer: ref };
    }
    return current;
  }

  /** `node[key]` located, dereferenced. */
  at(located: Located, ...keys: Array<string | number>): Located {
    let current = this.deref(located);
    for (const key of keys) {
      const container = current.node;
      const next = Array.isArray(container) ? container[Number(key)] : isObject(container) ? container[String(key)] : undefined;
      current = this.deref({ node: next, pointer: child(current.pointer, key) });
    }
    return current;
  }

  /** Entries of an object node, each located (not dereferenced). */
  entries(located: Located, key?: string): Array<[string, Located]> {
    const container = key === undefined ? located : { node: isObject(located.node) ? located.node[key] : undefined, pointer: child(located.pointer, key) };
    if (!isObject(container.node)) return [];
    return Object.entries(container.node).map(([name, node]) => [name, { node, pointer: child(container.pointer, name) }]);
  }
}
