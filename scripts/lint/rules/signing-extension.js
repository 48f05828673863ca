/** @import { Location, Oas3Rule, UserContext } from '@redocly/openapi-core' */
import { deref } from '../deref.js';

// The signing scheme is part of the contract: clients and the diff read these keys, so they must exist.
const REQUIRED = {
  'x-starship-signing': ['algorithm', 'canonical', 'tolerance_seconds', 'signature_header', 'timestamp_header'],
  'x-starship-webhook-signing': ['algorithm', 'canonical', 'tolerance_seconds', 'signature_header'],
};

/**
 * @param {UserContext} ctx
 * @param {Record<string, unknown>} scheme
 * @param {Location} location
 */
function checkValues(ctx, scheme, location) {
  const { canonical, tolerance_seconds: tolerance } = scheme;
  if (canonical !== undefined && !(Array.isArray(canonical) && canonical.length > 0 && canonical.every((c) => typeof c === 'string'))) {
    ctx.report({ message: 'canonical must be a non-empty list of component names.', location: location.child(['canonical']) });
  }
  if (tolerance !== undefined && !(Number.isInteger(tolerance) && Number(tolerance) > 0)) {
    ctx.report({ message: 'tolerance_seconds must be a positive integer.', location: location.child(['tolerance_seconds']) });
  }
}

/**
 * The root declares the request and webhook signing schemes as machine-readable extensions.
 * @type {Oas3Rule}
 */
const SigningExtension = () => ({
  Root(root, ctx) {
    const extensions = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (root));
    for (const [extension, keys] of Object.entries(REQUIRED)) {
      const raw = extensions[extension];
      if (raw === undefined) {
        ctx.report({ message: `The root must declare ${extension}.`, location: ctx.location });
        continue;
      }
      const resolved = deref(ctx, raw, ctx.location.child([extension]));
      if (!resolved) continue;
      const { node: scheme, location } = resolved;
      if (typeof scheme !== 'object' || scheme === null || Array.isArray(scheme)) {
        ctx.report({ message: `${extension} must be an object.`, location });
        continue;
      }
      const missing = keys.filter((k) => !(k in scheme));
      if (missing.length > 0) {
        ctx.report({ message: `${extension} is missing: ${missing.join(', ')}.`, location: location.key() });
      }
      checkValues(ctx, scheme, location);
    }
  },
});

export default SigningExtension;
