/**
 * Reads the body once, as bytes (body-parser's raw reader, any content type), keeps those exact bytes for
 * the signature check, and parses JSON bodies into `req.body`. Too big → 413 E_PAYLOAD_TOO_LARGE; JSON that
 * does not parse → 400 E_VALIDATION_FAILURE. A non-JSON body is left unparsed for the validator to reject.
 */
import express, { type RequestHandler } from 'express';
import { ApiError } from '../api-error.ts';
import { validationFailure } from './api-errors.ts';
import { contextOf } from './context.ts';

/** Partner and control requests are small JSON documents; 100 KiB is generous and bounds memory per request. */
export const DEFAULT_BODY_LIMIT_BYTES = 100 * 1024;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

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
      try {
        req.body = JSON.parse(raw.toString('utf8'));
      } catch (parseError) {
        return next(validationFailure('The request body is not valid JSON.', [(parseError as Error).message]));
      }
      next();
    });
  };
}
