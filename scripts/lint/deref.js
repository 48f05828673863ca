/** @import { Location, UserContext } from '@redocly/openapi-core' */

// The lint rules run on the split source (openapi/*.yaml and the files it references), not on a bundle:
// a $ref there names another file relative to the one it is written in, which only Redocly's resolver
// (ctx.resolve, with the files it already loaded) can follow. The contract's deref (@starship/contract/
// pointer) follows references inside one bundled document, so it is the wrong tool here, not a second copy.
// A $ref may land on another $ref (a components alias of a split file); the bound stops a cyclic chain.
const MAX_HOPS = 32;

/**
 * @param {unknown} node
 * @returns {node is { $ref: string }}
 */
export function isRef(node) {
  return typeof node === 'object' && node !== null && typeof (/** @type {{ $ref?: unknown }} */ (node).$ref) === 'string';
}

/**
 * Resolves a node that may be a $ref (or a chain of them) written at `location`. The location matters:
 * a relative $ref in a split spec resolves against the file it is written in, not the root.
 * @param {UserContext} ctx
 * @param {unknown} node
 * @param {Location} location
 * @returns {{ node: any, location: Location } | undefined} undefined when a $ref does not resolve;
 *   no-unresolved-refs already reports that, so rules skip the node.
 */
export function deref(ctx, node, location) {
  let current = { node, location };
  for (let hop = 0; isRef(current.node); hop++) {
    if (hop === MAX_HOPS) return undefined;
    const next = ctx.resolve(current.node, current.location.source.absoluteRef);
    if (next.node === undefined || next.location === undefined) return undefined;
    current = { node: next.node, location: next.location };
  }
  return current;
}
