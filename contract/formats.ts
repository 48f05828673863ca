/**
 * The contract's `date` and `date-time` formats as functions, for code that reads dates outside a schema
 * (query bounds, operator input checked again by the engine): the same ajv-formats "full" checks the
 * validator applies, so "2027-02-30" is refused everywhere (Date.parse takes it for 2 March).
 */
import { fullFormats } from 'ajv-formats/dist/formats.js';

type Format = { validate: (text: string) => boolean };
const date = (fullFormats.date as Format).validate;
const dateTime = (fullFormats['date-time'] as Format).validate;

/** RFC 3339 full-date, a real calendar day. */
export function isCalendarDate(text: string): boolean {
  return date(text);
}

/** RFC 3339 date-time with a real calendar day and a time zone. */
export function isDateTime(text: string): boolean {
  return dateTime(text);
}
