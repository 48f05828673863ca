/** @import { Location, Oas3Rule } from '@redocly/openapi-core' */

// Component kinds whose entries a $ref can name (securitySchemes are used by name, not by $ref).
const KINDS = ['schemas', 'responses', 'parameters', 'examples', 'requestBodies', 'headers', 'links', 'callbacks', 'pathItems'];

/**
 * Every component is referenced from somewhere (Spectral's oas3-unused-component). Redocly's own
 * no-unused-components counts the root's `components` entries of a split spec (`Currency: {$ref:
 * ./components/parameters.yaml#/Currency}`) as uses of the file they point to, so in a split spec it never
 * fires; this rule ignores those aliases and counts only the $refs written elsewhere.
 * @type {Oas3Rule}
 */
const NoUnusedComponents = () => {
  /** Where each component is defined (its alias resolved) → its name in the root and where that is written. */
  /** @type {Map<string, { name: string, location: Location }>} */
  const components = new Map();
  /** @type {Set<string>} */
  const used = new Set();
  let rootFile = '';
  const alias = /^#\/components\/([^/]+)\/[^/]+$/;
  return {
    Root: {
      enter(root, ctx) {
        rootFile = ctx.location.source.absoluteRef;
        const sections = /** @type {Record<string, unknown>} */ (root.components ?? {});
        for (const kind of KINDS) {
          const entries = sections[kind];
          if (typeof entries !== 'object' || entries === null) continue;
          for (const [name, entry] of Object.entries(entries)) {
            const location = ctx.location.child(['components', kind, name]);
            const target = isRefNode(entry) ? ctx.resolve(entry, rootFile).location : location;
            if (target) components.set(target.absolutePointer, { name: `${kind}/${name}`, location: location.key() });
          }
        }
      },
      leave(_root, ctx) {
        for (const [target, { name, location }] of components) {
          if (!used.has(target)) ctx.report({ message: `Component ${name} is never referenced: remove it or use it.`, location });
        }
      },
    },
    ref: {
      enter(ref, ctx) {
        const written = ctx.location;
        const match = alias.exec(written.pointer);
        if (written.source.absoluteRef === rootFile && match && KINDS.includes(/** @type {string} */ (match[1]))) return;
        const resolved = ctx.resolve(ref, written.source.absoluteRef);
        if (resolved.location) used.add(resolved.location.absolutePointer);
      },
    },
  };
};

/**
 * @param {unknown} node
 * @returns {node is { $ref: string }}
 */
function isRefNode(node) {
  return typeof node === 'object' && node !== null && typeof (/** @type {{ $ref?: unknown }} */ (node).$ref) === 'string';
}

export default NoUnusedComponents;
