/** @import { Location, Oas3Visitor, UserContext } from '@redocly/openapi-core' */
import { deref } from './deref.js';

/**
 * @typedef {object} PathOperation
 * @property {Record<string, any>} operation
 * @property {string} method lower-case HTTP method
 * @property {Record<string, any> | undefined} pathItem
 * @property {Location | undefined} pathItemLocation
 */

/**
 * A visitor for the operations under `paths` only. Webhooks are requests Starship sends to partners, so
 * the rules about requests partners send and responses Starship returns do not apply to them.
 * @param {(op: PathOperation, ctx: UserContext) => void} visit
 * @returns {Oas3Visitor}
 */
export function pathOperations(visit) {
  return {
    Paths: {
      PathItem: {
        Operation(operation, ctx, parents) {
          visit(
            {
              operation,
              method: String(ctx.key).toLowerCase(),
              pathItem: parents?.PathItem,
              pathItemLocation: ctx.parentLocations['PathItem'],
            },
            ctx,
          );
        },
      },
    },
  };
}

/**
 * @typedef {object} ResolvedResponse
 * @property {string} code status code or range as written (`404`, `4XX`, `default`)
 * @property {Record<string, any>} response the response object, after following any $ref
 * @property {Location} location where the response object is defined
 */

/**
 * @param {UserContext} ctx
 * @param {Record<string, any>} operation
 * @returns {ResolvedResponse[]}
 */
export function responsesOf(ctx, operation) {
  const responses = operation['responses'];
  if (typeof responses !== 'object' || responses === null) return [];
  return Object.entries(responses).flatMap(([code, raw]) => {
    const resolved = deref(ctx, raw, ctx.location.child(['responses', code]));
    return resolved && typeof resolved.node === 'object' ? [{ code, response: resolved.node, location: resolved.location }] : [];
  });
}

/**
 * The schema of a response's application/json body, after following any $ref.
 * @param {UserContext} ctx
 * @param {ResolvedResponse} resolved
 * @returns {{ node: any, location: Location } | undefined}
 */
export function jsonSchemaOf(ctx, { response, location }) {
  const schema = response['content']?.['application/json']?.schema;
  if (schema === undefined) return undefined;
  return deref(ctx, schema, location.child(['content', 'application/json', 'schema']));
}

/**
 * @param {Record<string, any>} response
 * @returns {Set<string>} the declared response header names, lower-cased (HTTP header names are case-insensitive)
 */
export function headerNamesOf(response) {
  const headers = response['headers'];
  return new Set(typeof headers === 'object' && headers !== null ? Object.keys(headers).map((h) => h.toLowerCase()) : []);
}
