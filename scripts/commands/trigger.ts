/**
 * `starship trigger EVENT_TYPE`: has the sandbox create what emits the event for you (testHelperTriggerEvent),
 * as `stripe trigger` does, and prints what it made and the events that came out of it. An event type the spec
 * does not name is a usage error listing the ones it does.
 */
import { createStarshipTestHelpers, type WebhookEventName } from '@starship/sdk';
import { starshipWebhookEventTypes } from '@starship/spec/starship-operations';
import { requireCredentials, type CredentialOptions } from './partner-credentials.ts';

export async function triggerCommand(eventType: string, options: CredentialOptions): Promise<number> {
  if (!(starshipWebhookEventTypes as readonly string[]).includes(eventType)) {
    throw new Error(`unknown event type "${eventType}"; the event types are ${starshipWebhookEventTypes.join(', ')}`);
  }
  const helpers = createStarshipTestHelpers({ ...requireCredentials(options), maxAttempts: 1 });
  const triggered = await helpers.events.trigger(eventType as WebhookEventName);
  console.log(`${eventType}: created order ${triggered.order_id}`);
  if (triggered.events.length === 0) {
    console.log('  no event was kept: none of your webhook endpoints subscribes to it and no `starship listen` is running');
  }
  for (const event of triggered.events) console.log(`  emitted #${event.sequence} ${event.event_type} ${event.event_id}`);
  return 0;
}
