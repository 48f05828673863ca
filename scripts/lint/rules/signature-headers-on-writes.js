/** @import { Oas3Rule } from '@redocly/openapi-core' */
import { pathOperations } from '../operations.js';
import { effectiveParameters, findHeader } from '../parameters.js';
import { reportOnce } from '../report-once.js';

const WRITES = new Set(['post', 'put', 'patch', 'delete']);
const DEFAULT_HEADERS = ['X-Timestamp', 'X-Signature'];

/**
 * Every write is signed: it declares the signing headers as required header parameters.
 * @type {Oas3Rule}
 */
const SignatureHeadersOnWrites = ({ headers = DEFAULT_HEADERS }) => {
  const report = reportOnce();
  return pathOperations(({ operation, method, pathItem, pathItemLocation }, ctx) => {
    if (!WRITES.has(method)) return;
    const params = effectiveParameters(ctx, operation, ctx.location, pathItem, pathItemLocation);
    const name = operation['operationId'] ?? `${method.toUpperCase()} operation`;
    for (const wanted of /** @type {string[]} */ (headers)) {
      const header = findHeader(params, wanted);
      if (!header) {
        ctx.report({ message: `${name} must declare the required ${wanted} header parameter.`, location: ctx.location.key() });
      } else if (!header.required) {
        report(ctx, header.location, `${header.name} header parameter must be required: true (it signs a write).`);
      }
    }
  });
};

export default SignatureHeadersOnWrites;
