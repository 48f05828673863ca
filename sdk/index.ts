/** The Starship TypeScript SDK: typed client, request signing, webhook verification, sandbox test helpers. */
export { createStarshipClient, type StarshipClient, type StarshipClientOptions, type OperationError, type WriteOptions } from './client.ts';
export {
  createStarshipTestHelpers,
  sandboxUrlOf,
  type StarshipTestHelpers,
  type StarshipTestHelpersOptions,
  type StreamedEvent,
  type StreamOptions,
  type WebhookEventName,
} from './test-helpers.ts';
export { StarshipApiError, isStarshipApiError, parseErrorEnvelope } from './errors.ts';
export { type Page, type Pagination } from './pagination.ts';
export { createStarshipTransport, type RetryEvent, type RetryOptions, type TransportOptions } from './transport.ts';
export {
  canonicalRequestBytes,
  canonicalRequestString,
  isWriteMethod,
  parseSignatureHeader,
  signRequest,
  verifyRequestSignature,
  WRITE_METHODS,
  type ParsedSignatureHeader,
  type RawBody,
  type RequestSignatureVerification,
  type SignedRequest,
} from './signing.ts';
export { ReplaySafeSigner } from './signing-timestamps.ts';
export { hmacSha256Hex } from './hmac.ts';
export { signWebhookPayload, verifyWebhook, webhookSignedPayloadString, WebhookVerificationError, type VerifyWebhookOptions } from './webhooks.ts';
export { starshipWebhooks, type StarshipWebhooksOptions, type WebhookHandler, type WebhookRequest } from './webhook-handler.ts';
export {
  isRecognizedWebhookEvent,
  isWebhookEventType,
  type StarshipWebhookEvent,
  type UnrecognizedWebhookEvent,
  type WebhookEvent,
} from './webhook-event.ts';
export { newIdempotencyKey } from './idempotency.ts';
export type { StarshipErrorCode, StarshipOperationErrorCode, StarshipOperationId } from '@starship/spec/starship-operations';
