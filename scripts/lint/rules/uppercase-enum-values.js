/** @import { Oas3Rule } from '@redocly/openapi-core' */

const UPPERCASE = /^[A-Z][A-Z0-9_]*$/;

/**
 * Enum and const string values are canonical UPPERCASE. `allowPattern` lets through values that are
 * names rather than states, such as webhook event types (`order.delivered`).
 * @type {Oas3Rule}
 */
const UppercaseEnumValues = ({ allowPattern }) => {
  const allowed = typeof allowPattern === 'string' ? new RegExp(allowPattern) : undefined;
  /** @param {unknown} value */
  const isBad = (value) => typeof value === 'string' && !UPPERCASE.test(value) && !allowed?.test(value);
  return {
    Schema(schema, ctx) {
      if (Array.isArray(schema.enum)) {
        schema.enum.forEach((value, index) => {
          if (isBad(value)) {
            ctx.report({
              message: `Enum value ${JSON.stringify(value)} must be UPPERCASE (${UPPERCASE.source}).`,
              location: ctx.location.child(['enum', index]),
            });
          }
        });
      }
      if ('const' in schema && isBad(schema.const)) {
        ctx.report({
          message: `Const value ${JSON.stringify(schema.const)} must be UPPERCASE (${UPPERCASE.source}).`,
          location: ctx.location.child(['const']),
        });
      }
    },
  };
};

export default UppercaseEnumValues;
