/**
 * The webhook envelope `{ event_id, event_type, created_at, data }` (DESIGN "Webhooks"), typed from the
 * spec's `webhooks:` section. Events of a type newer than this SDK still verify and arrive untyped, so a
 * receiver can acknowledge and ignore them (new webhook events are additive).
 */
import type { StarshipWebhookEvents, StarshipWebhookEventType } from '@starship/spec/starship-operations';
import { starshipWebhookEventTypes } from '@starship/spec/starship-operations';

export type StarshipWebhookEvent = StarshipWebhookEvents[StarshipWebhookEventType];

export interface UnrecognizedWebhookEvent {
  event_id: string;
  event_type: string;
  created_at: string;
  data: Record<string, unknown>;
}

export type WebhookEvent = StarshipWebhookEvent | UnrecognizedWebhookEvent;

const known = new Set<string>(starshipWebhookEventTypes);

/** Narrows a verified event to one type, e.g. `if (isWebhookEventType(event, 'order.delivered')) event.data.order_id`. */
export function isWebhookEventType<T extends StarshipWebhookEventType>(
  event: WebhookEvent,
  type: T,
): event is StarshipWebhookEvents[T] {
  return event.event_type === type;
}

export function isRecognizedWebhookEvent(event: WebhookEvent): event is StarshipWebhookEvent {
  return known.has(event.event_type);
}

/**
 * Returns the event, or undefined when the value is not an envelope. Unknown keys are kept. A payload
 * carrying only `event` (the seed sample's name for event_type) gets `event_type` filled from it.
 */
export function toWebhookEvent(value: unknown): WebhookEvent | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const eventType = record.event_type ?? record.event;
  const { event_id, created_at, data } = record;
  if (typeof event_id !== 'string' || typeof eventType !== 'string' || typeof created_at !== 'string') return undefined;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  return { ...record, event_id, event_type: eventType, created_at, data } as WebhookEvent;
}
