/** @import { Location, UserContext } from '@redocly/openapi-core' */
import { deref } from './deref.js';

/**
 * @typedef {{ name: string, in: string, required: boolean, location: Location }} EffectiveParameter
 */

/**
 * The parameters an operation really takes: its own plus those of its path item that it does not
 * override (OpenAPI keys a parameter by name and location; header names compare case-insensitively).
 * @param {UserContext} ctx
 * @param {{ parameters?: unknown }} operation
 * @param {Location} operationLocation
 * @param {{ parameters?: unknown } | undefined} pathItem
 * @param {Location | undefined} pathItemLocation
 * @returns {EffectiveParameter[]}
 */
export function effectiveParameters(ctx, operation, operationLocation, pathItem, pathItemLocation) {
  /** @type {Map<string, EffectiveParameter>} */
  const byKey = new Map();
  const levels = [
    { list: pathItem?.parameters, location: pathItemLocation },
    { list: operation.parameters, location: operationLocation },
  ];
  for (const { list, location } of levels) {
    if (!Array.isArray(list) || location === undefined) continue;
    list.forEach((raw, index) => {
      const resolved = deref(ctx, raw, location.child(['parameters', index]));
      const param = resolved?.node;
      if (!resolved || typeof param?.name !== 'string' || typeof param.in !== 'string') return;
      const key = param.in === 'header' ? `header:${param.name.toLowerCase()}` : `${param.in}:${param.name}`;
      byKey.set(key, { name: param.name, in: param.in, required: param.required === true, location: resolved.location });
    });
  }
  return [...byKey.values()];
}

/**
 * @param {EffectiveParameter[]} parameters
 * @param {string} name
 */
export function findHeader(parameters, name) {
  const wanted = name.toLowerCase();
  return parameters.find((p) => p.in === 'header' && p.name.toLowerCase() === wanted);
}
