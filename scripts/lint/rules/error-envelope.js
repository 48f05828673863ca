/** @import { Location, Oas3Rule, UserContext } from '@redocly/openapi-core' */
import { deref } from '../deref.js';
import { jsonSchemaOf, pathOperations, responsesOf } from '../operations.js';
import { reportOnce } from '../report-once.js';

const ERROR_SCHEMA = 'Error';
const ERROR_STATUS = /^[45](\d\d|XX)$/i;
// allOf nesting deeper than this is not an envelope anyone meant to write.
const MAX_DEPTH = 8;

/**
 * Every 4xx/5xx response body is the error envelope: application/json whose schema is
 * components/schemas/Error, directly, through a $ref chain, or as an allOf member. Identity is decided
 * on resolved locations, so a split spec's `../components/schemas/Error.yaml` matches
 * `#/components/schemas/Error` when the latter points at that file.
 * @type {Oas3Rule}
 */
const ErrorEnvelope = () => {
  const report = reportOnce();
  /** @type {string | undefined} absolute pointer of the resolved Error schema */
  let envelope;

  /**
   * @param {UserContext} ctx
   * @param {unknown} schema
   * @param {Location} location where `schema` is written
   * @param {number} depth
   * @returns {boolean}
   */
  const isEnvelope = (ctx, schema, location, depth) => {
    const resolved = deref(ctx, schema, location);
    if (!resolved || depth > MAX_DEPTH) return false;
    if (resolved.location.absolutePointer === envelope) return true;
    const allOf = resolved.node?.allOf;
    return Array.isArray(allOf) && allOf.some((member, i) => isEnvelope(ctx, member, resolved.location.child(['allOf', i]), depth + 1));
  };

  return {
    Root(root, ctx) {
      const declared = root.components?.schemas?.[ERROR_SCHEMA];
      const location = ctx.location.child(['components', 'schemas', ERROR_SCHEMA]);
      envelope = declared === undefined ? undefined : deref(ctx, declared, location)?.location.absolutePointer;
      if (declared === undefined) {
        ctx.report({ message: `components.schemas.${ERROR_SCHEMA} (the error envelope) is not declared.`, location: ctx.location });
      }
    },
    ...pathOperations(({ operation }, ctx) => {
      for (const resolved of responsesOf(ctx, operation)) {
        if (!ERROR_STATUS.test(resolved.code)) continue;
        const schema = jsonSchemaOf(ctx, resolved);
        if (!schema) {
          report(ctx, resolved.location, `${resolved.code} response must have an application/json body with the error envelope schema.`);
        } else if (envelope !== undefined && !isEnvelope(ctx, schema.node, schema.location, 0)) {
          report(
            ctx,
            resolved.location.child(['content', 'application/json', 'schema']),
            `${resolved.code} response body must be #/components/schemas/${ERROR_SCHEMA} (directly or via allOf).`,
          );
        }
      }
    }),
  };
};

export default ErrorEnvelope;
