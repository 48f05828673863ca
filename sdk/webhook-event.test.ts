import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRecognizedWebhookEvent, isWebhookEventType, toWebhookEvent } from './webhook-event.ts';

const envelope = { event_id: 'evt_1', event_type: 'order.delivered', created_at: '2026-04-14T08:42:15Z', data: { order_id: 'ord_1' } };

for (const [name, value, expected] of [
  ['the envelope', envelope, envelope],
  ['unknown keys kept', { ...envelope, api_version: 'v1' }, { ...envelope, api_version: 'v1' }],
  ['both event and event_type: event_type wins', { ...envelope, event: 'order.pending' }, { ...envelope, event: 'order.pending' }],
  [
    'only the sample alias `event`',
    { event: 'order.delivered', event_id: 'evt_1', created_at: '2026-04-14T08:42:15Z', data: {} },
    { event: 'order.delivered', event_type: 'order.delivered', event_id: 'evt_1', created_at: '2026-04-14T08:42:15Z', data: {} },
  ],
  ['no event_id', { ...envelope, event_id: undefined }, undefined],
  ['numeric event_id', { ...envelope, event_id: 1 }, undefined],
  ['no type at all', { ...envelope, event_type: undefined }, undefined],
  ['no created_at', { ...envelope, created_at: undefined }, undefined],
  ['data missing', { ...envelope, data: undefined }, undefined],
  ['data null', { ...envelope, data: null }, undefined],
  ['data an array', { ...envelope, data: [] }, undefined],
  ['null', null, undefined],
  ['an array', [envelope], undefined],
  ['a string', 'order.delivered', undefined],
] as const) {
  test(`toWebhookEvent: ${name}`, () => assert.deepEqual(toWebhookEvent(value), expected));
}

test('isWebhookEventType narrows to the generated payload; unknown event types are tolerated, not recognized', () => {
  const delivered = toWebhookEvent(envelope)!;
  assert.equal(isRecognizedWebhookEvent(delivered), true);
  if (!isWebhookEventType(delivered, 'order.delivered')) assert.fail('order.delivered expected');
  const orderId: string = delivered.data.order_id;
  assert.equal(orderId, 'ord_1');

  const refunded = toWebhookEvent({ ...envelope, event_type: 'order.refunded' })!;
  assert.equal(isRecognizedWebhookEvent(refunded), false);
  assert.equal(isWebhookEventType(refunded, 'order.delivered'), false);
});
