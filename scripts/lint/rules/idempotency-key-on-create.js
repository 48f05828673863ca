/** @import { Oas3Rule } from '@redocly/openapi-core' */
import { pathOperations } from '../operations.js';
import { effectiveParameters, findHeader } from '../parameters.js';

const HEADER = 'Idempotency-Key';
// Quote-like POSTs (availability, charges, simulation) change no state and opt out with this extension.
const SAFE_EXTENSION = 'x-starship-safe';

/**
 * Every POST that is not marked safe declares the Idempotency-Key header parameter; on the operations
 * named in `requiredOn` (createOrder) it must also be required.
 * @type {Oas3Rule}
 */
const IdempotencyKeyOnCreate = ({ requiredOn = [] }) => {
  const mustRequire = new Set(/** @type {string[]} */ (requiredOn));
  return pathOperations(({ operation, method, pathItem, pathItemLocation }, ctx) => {
    if (method !== 'post' || operation[SAFE_EXTENSION] === true) return;
    const header = findHeader(effectiveParameters(ctx, operation, ctx.location, pathItem, pathItemLocation), HEADER);
    const name = operation['operationId'] ?? 'POST operation';
    if (!header) {
      ctx.report({
        message: `${name} must declare the ${HEADER} header parameter (or be marked ${SAFE_EXTENSION}: true if it changes no state).`,
        location: ctx.location.key(),
      });
    } else if (mustRequire.has(operation['operationId']) && !header.required) {
      ctx.report({ message: `${HEADER} must be required on ${name}.`, location: header.location });
    }
  });
};

export default IdempotencyKeyOnCreate;
