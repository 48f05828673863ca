/** The engine's ApiErrors, with DESIGN's stable codes. */
import { ApiError } from '../api-error.ts';

export function notFound(message: string): ApiError {
  return new ApiError(404, 'E_NOT_FOUND', message);
}

export function invalid(...messages: string[]): ApiError {
  return new ApiError(400, 'E_VALIDATION_FAILURE', messages.length === 1 ? messages[0]! : 'The request is invalid.', { messages });
}

export function invalidOrderState(message: string): ApiError {
  return new ApiError(409, 'E_INVALID_ORDER_STATE', message);
}

export function insufficientFunds(message: string): ApiError {
  return new ApiError(422, 'E_INSUFFICIENT_FUNDS', message);
}

/** A planned operation asked for while its feature flag is off (the HTTP gate and the engine say it alike). */
export function featureDisabled(operationId: string, flag: string): ApiError {
  return new ApiError(404, 'E_FEATURE_DISABLED', `${operationId} is planned and not enabled (feature flag ${flag} is off).`);
}

/**
 * The authenticated partner is gone: a reset removed it while its request was on the way. The same answer
 * as for a key that is not known, which it now is not.
 */
export function partnerGone(): ApiError {
  return new ApiError(401, 'E_UNAUTHORIZED', 'Invalid API key or secret.');
}
