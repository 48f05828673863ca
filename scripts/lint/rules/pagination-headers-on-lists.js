/** @import { Oas3Rule } from '@redocly/openapi-core' */
import { headerNamesOf, jsonSchemaOf, pathOperations, responsesOf } from '../operations.js';
import { effectiveParameters } from '../parameters.js';
import { reportOnce } from '../report-once.js';

const DEFAULT_HEADERS = ['X-Page', 'X-Per-Page', 'X-Total-Count', 'X-Total-Pages', 'X-Page-Size', 'X-Has-More'];
const DEFAULT_QUERY = ['page', 'limit'];

/** @param {any} schema */
const isArraySchema = (schema) => schema?.type === 'array' || (Array.isArray(schema?.type) && schema.type.includes('array'));

/**
 * A list is a GET whose 200 JSON body is an array. Lists page: their 200 response declares the
 * pagination headers and the operation takes the page and limit query parameters.
 * @type {Oas3Rule}
 */
const PaginationHeadersOnLists = ({ headers = DEFAULT_HEADERS, queryParameters = DEFAULT_QUERY }) => {
  const report = reportOnce();
  return pathOperations(({ operation, method, pathItem, pathItemLocation }, ctx) => {
    if (method !== 'get') return;
    const ok = responsesOf(ctx, operation).find((r) => r.code === '200');
    if (!ok || !isArraySchema(jsonSchemaOf(ctx, ok)?.node)) return;

    const declared = headerNamesOf(ok.response);
    const missingHeaders = /** @type {string[]} */ (headers).filter((h) => !declared.has(h.toLowerCase()));
    if (missingHeaders.length > 0) {
      report(ctx, ok.location, `List response (200 with an array body) must declare pagination headers: ${missingHeaders.join(', ')}.`);
    }

    const query = new Set(
      effectiveParameters(ctx, operation, ctx.location, pathItem, pathItemLocation)
        .filter((p) => p.in === 'query')
        .map((p) => p.name),
    );
    const missingQuery = /** @type {string[]} */ (queryParameters).filter((q) => !query.has(q));
    if (missingQuery.length > 0) {
      const name = operation['operationId'] ?? 'GET operation';
      ctx.report({ message: `List ${name} must take the query parameters: ${missingQuery.join(', ')}.`, location: ctx.location.key() });
    }
  });
};

export default PaginationHeadersOnLists;
