/** @import { Location, UserContext } from '@redocly/openapi-core' */

/**
 * Shared components (a response in components/responses, a header parameter) are reached from many
 * operations; a finding about one belongs at its definition, once, not once per operation using it.
 * @returns {(ctx: UserContext, location: Location, message: string) => void}
 */
export function reportOnce() {
  /** @type {Set<string>} */
  const seen = new Set();
  return (ctx, location, message) => {
    const key = `${location.absolutePointer}\n${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    ctx.report({ message, location });
  };
}
