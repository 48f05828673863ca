import { childPointer, isObject, refOf, resolvePointer, type Json } from '@starship/contract';

/** A node of a document and the pointer it sits at (after following any `$ref`). */
export interface Located {
  node: unknown;
  pointer: string;
}

// Ref chains in bundled documents are short (a component aliasing another); the bound stops a cycle. Unlike
// the contract's deref, a broken or cyclic reference is not an error here: a revision under review may hold
// one, and the diff still has to describe everything else in it.
const MAX_HOPS = 32;

/**
 * A bundled OpenAPI document: every `$ref` is internal (`#/...`). Targets are looked up by pointer and
 * cached per ref string, so following the same ref from thousands of places costs one walk.
 */
export class SpecDocument {
  readonly #targets = new Map<string, unknown>();

  constructor(readonly root: Json) {}

  get(pointer: string): unknown {
    return resolvePointer(this.root, pointer);
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
      current = this.deref({ node: next, pointer: childPointer(current.pointer, key) });
    }
    return current;
  }

  /** Entries of an object node, each located (not dereferenced). */
  entries(located: Located, key?: string): Array<[string, Located]> {
    const container = key === undefined ? located : { node: isObject(located.node) ? located.node[key] : undefined, pointer: childPointer(located.pointer, key) };
    if (!isObject(container.node)) return [];
    return Object.entries(container.node).map(([name, node]) => [name, { node, pointer: childPointer(container.pointer, name) }]);
  }
}
