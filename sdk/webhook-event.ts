/**
 * The webhook envelope `{ event_id, event_type, created_at, data }` (DESIGN "Webhooks"). This structural
 * type and its check are the only place the SDK describes an event, so that the type generated from
 * `openapi/webhooks/` can replace both here without touching the verifier.
 */
export interface WebhookEvent {
  event_id: string;
  event_type: string;
  created_at: string;
  data: unknown;
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
  return { ...record, event_id, event_type: eventType, created_at, data };
}
