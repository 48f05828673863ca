/**
 * Reads the body once, as bytes (body-parser's raw reader, any content type), keeps those exact bytes for
 * the signature check, and parses JSON bodies into `req.body`. Too big → 413 E_PAYLOAD_TOO_LARGE; JSON that
 * does not parse, nests deeper than MAX_JSON_DEPTH, repeats a key in one object or holds a number beyond
 * double range (strict-json.ts) → 400 E_VALIDATION_FAILURE. A non-JSON body is left unparsed for the
 * validator to reject.
 */
import express, { type RequestHandler } from 'express';
import { ApiError } from '../api-error.ts';
import { validationFailure } from './api-errors.ts';
import { contextOf } from './context.ts';
import { strictJsonProblems } from './strict-json.ts';

/** Partner and control requests are small JSON documents; 100 KiB is generous and bounds memory per request. */
export const DEFAULT_BODY_LIMIT_BYTES = 100 * 1024;

export const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * The deepest JSON nesting accepted. The spec's bodies nest three levels; without a bound, a 100 KiB body of
 * `[[[[…` parses (JSON.parse is iterative) and then overflows the stack of whatever walks it recursively
 * (the idempotency fingerprint did: a 500).
 */
export const MAX_JSON_DEPTH = 64;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Whether `raw` (JSON text, valid or not) opens more than `max` arrays/objects at once; strings are skipped. */
export function nestedDeeperThan(raw: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth--;
  }
  return false;
}

function readError(error: unknown, limitBytes: number): ApiError {
  const status = (error as { status?: number }).status;
  if (status === 413) {
    return new ApiError(413, 'E_PAYLOAD_TOO_LARGE', `The request body exceeds ${limitBytes} bytes.`);
  }
  return validationFailure(`The request body could not be read: ${(error as Error).message}`);
}

export function rawBody({ limitBytes = DEFAULT_BODY_LIMIT_BYTES }: { limitBytes?: number } = {}): RequestHandler {
  const read = express.raw({ type: () => true, limit: limitBytes });
  return (req, res, next) => {
    read(req, res, (error?: unknown) => {
      if (error) return next(readError(error, limitBytes));
      const raw: unknown = req.body;
      req.body = undefined;
      if (!Buffer.isBuffer(raw) || raw.length === 0) return next();
      contextOf(res).rawBody = raw;
      if (!JSON_TYPE.test(req.get('content-type') ?? '')) return next();
      if (nestedDeeperThan(raw, MAX_JSON_DEPTH)) {
        return next(validationFailure(`The request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep.`));
      }
      const text = raw.toString('utf8');
      try {
        req.body = JSON.parse(text);
      } catch (parseError) {
        return next(validationFailure('The request body is not valid JSON.', [(parseError as Error).message]));
      }
      const problems = strictJsonProblems(text);
      if (problems.length) {
        req.body = undefined;
        return next(validationFailure('The request body repeats a key or holds a number out of range.', problems));
      }
      next();
    });
  };
}
