/**
 * Constructors for the errors the HTTP layer raises itself, so each code has one spelling and one message.
 */
import { ApiError } from '../api-error.ts';

export const validationFailure = (message: string, messages?: string[]) =>
  new ApiError(400, 'E_VALIDATION_FAILURE', message, messages?.length ? { messages } : {});

/** The request is valid but an amount or balance it would produce is beyond what DecimalAmount can express. */
export const amountOutOfRange = (message: string) => new ApiError(422, 'E_AMOUNT_OUT_OF_RANGE', message);

export const notFound = (message = 'No such resource.') => new ApiError(404, 'E_NOT_FOUND', message);

/** The spec's name for E_INTERNAL is InternalError, not the derived "Internal". */
export const internalError = () =>
  new ApiError(500, 'E_INTERNAL', 'Something went wrong. Quote the X-Trace-ID when contacting support.', {
    name: 'InternalError',
  });
