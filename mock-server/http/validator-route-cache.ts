/**
 * express-openapi-validator 5.6 looks a request's route up by recompiling every path of the spec with
 * path-to-regexp on every request (middlewares/openapi.metadata.js, lookupRoute): ~30 µs per route here,
 * more than the rest of a product lookup. It calls `pathToRegexp` through the module object, so memoising
 * that export — a pure function of (path, options) whose result it only reads — removes the cost without
 * touching its code. Resolved from the validator's own location so it is the copy the validator loads.
 */
import { createRequire } from 'node:module';

type PathToRegexp = (path: string, options?: Record<string, unknown>) => unknown;
const MEMOISED = Symbol.for('starship.pathToRegexp.memoised');

export function memoiseValidatorRouteLookup(): void {
  const fromValidator = createRequire(createRequire(import.meta.url).resolve('express-openapi-validator'));
  const module = fromValidator('path-to-regexp') as { pathToRegexp: PathToRegexp & { [MEMOISED]?: true } };
  if (module.pathToRegexp[MEMOISED]) return;
  const compile = module.pathToRegexp;
  const cache = new Map<string, unknown>();
  const memoised = (path: string, options?: Record<string, unknown>) => {
    // The validator passes a string and { sensitive, strict }; any other call is compiled as before.
    const plain = typeof path === 'string' && (options === undefined || Object.keys(options).every((k) => k === 'sensitive' || k === 'strict'));
    if (!plain) return compile(path, options);
    const key = `${options?.sensitive ? 's' : '-'}${options?.strict ? 's' : '-'}${path}`;
    let compiled = cache.get(key);
    if (compiled === undefined) {
      compiled = compile(path, options);
      cache.set(key, compiled);
    }
    return compiled;
  };
  module.pathToRegexp = Object.assign(memoised, { [MEMOISED]: true as const });
}
