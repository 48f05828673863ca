/** Anything no router answered: 404 E_NOT_FOUND in the envelope. */
import type { RequestHandler } from 'express';
import { notFound } from './api-errors.ts';

export function notFoundFallback(): RequestHandler {
  return (req) => {
    throw notFound(`No operation at ${req.method} ${req.path}.`);
  };
}
