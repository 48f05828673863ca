/**
 * Canonical JSON: one text per JSON value, so two values are equal exactly when their canonical texts are.
 * Used where "the same JSON" must be decided by bytes: the Idempotency-Key fingerprint (DESIGN
 * "Idempotency": same method, path and semantically equal JSON body) and the signed certification reports.
 *
 * The form is RFC 8785 (JCS) over the value as JSON.parse reads it:
 * - object members sorted by their names' UTF-16 code units, no whitespace;
 * - numbers as ECMAScript writes them (JSON.stringify, which is JCS's number form): `1`, `1.0`, `1e0` and
 *   `10E-1` are all `1`; `-0` is `0`;
 * - strings as JSON.stringify writes them: escapes in the source (`\u00e9`, `\/`) are gone after parsing,
 *   so `"\u00e9"` and `"é"` are equal; Unicode normalisation forms are not merged (NFC `é` and NFD
 *   `e\u0301` are different strings, as JCS says). A lone surrogate, which JSON.parse accepts from `\ud800`,
 *   is written escaped instead of rejected as JCS would: a partner's request body must still get a
 *   fingerprint (the reason the `canonicalize` package, which throws there, is not used);
 * - a duplicate member name keeps its last value, as JSON.parse does and so as the request is executed:
 *   `{"a":1,"a":2}` is the same request as `{"a":2}`.
 * Values built in code follow JSON.stringify for optional members (a member whose value is undefined is
 * left out); anything else without a JSON form (undefined elsewhere, NaN, Infinity, a bigint, a function,
 * a Date or other non-plain object, a cycle) is a TypeError rather than a silent `null` or `{}`.
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set());
}

function write(value: unknown, ancestors: Set<object>): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no form for ${value}`);
    return JSON.stringify(value);
  }
  if (typeof value !== 'object') throw new TypeError(`canonical JSON has no form for a ${typeof value}`);
  if (ancestors.has(value)) throw new TypeError('canonical JSON has no form for a cycle');
  ancestors.add(value);
  let text: string;
  if (Array.isArray(value)) {
    text = `[${value.map((item) => write(item, ancestors)).join(',')}]`;
  } else {
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      throw new TypeError(`canonical JSON has no form for a ${value.constructor?.name ?? 'non-plain'} object`);
    }
    const members = Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      // The default sort compares UTF-16 code units, JCS's order (not code points).
      .sort()
      .map((key) => `${JSON.stringify(key)}:${write((value as Record<string, unknown>)[key], ancestors)}`);
    text = `{${members.join(',')}}`;
  }
  ancestors.delete(value);
  return text;
}
