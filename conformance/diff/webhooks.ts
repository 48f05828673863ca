import { isObject, childPointer } from '@starship/contract';
import type { DiffContext, Usage } from './context.ts';
import { type Located, type SpecDocument } from './document.ts';
import { compareContent, hasContent } from './content.ts';
import { isPlanned } from './extensions.ts';
import { METHODS } from './operations.ts';
import { compareHeaders, type Header } from './responses.ts';
import { emit, type Domain, type SchemaScope } from './schemas.ts';

/**
 * The envelope is the payload's top level and its direct fields ({ event_id, event_type, created_at, data }):
 * two schema levels. What is inside `data` is the event's own payload, judged by the ordinary response rules.
 */
const ENVELOPE_DOMAIN: Domain = { rule: 'webhook-envelope-changed', levels: 2 };
const SIGNING_DOMAIN: Domain = { rule: 'webhook-signing-changed', levels: Infinity };

/** Webhook deliveries: event name → its operation(s) by method. */
function deliveries(doc: SpecDocument): Map<string, Map<string, Located>> {
  const result = new Map<string, Map<string, Located>>();
  for (const [event, entry] of doc.entries({ node: doc.root, pointer: '#' }, 'webhooks')) {
    const item = doc.deref(entry);
    const operations = new Map<string, Located>();
    for (const method of METHODS) {
      const node = isObject(item.node) ? item.node[method] : undefined;
      if (isObject(node)) operations.set(method, doc.deref({ node, pointer: childPointer(item.pointer, method) }));
    }
    result.set(event, operations);
  }
  return result;
}

/** Header parameters of a delivery: headers Starship sends, read by the partner like response headers. */
function deliveryHeaders(doc: SpecDocument, operation: Located): Map<string, Header> {
  const result = new Map<string, Header>();
  const list = isObject(operation.node) ? operation.node.parameters : undefined;
  if (!Array.isArray(list)) return result;
  list.forEach((entry, i) => {
    const slot = childPointer(operation.pointer, 'parameters', i);
    const located = doc.deref({ node: entry, pointer: slot });
    const node = located.node;
    if (!isObject(node) || node.in !== 'header' || typeof node.name !== 'string') return;
    const schema = node.schema === undefined ? undefined : { node: node.schema, pointer: childPointer(located.pointer, 'schema') };
    result.set(node.name.toLowerCase(), { name: node.name, node, located, slot, schema });
  });
  return result;
}

function signatureHeader(doc: SpecDocument): string {
  const signing = doc.root['x-starship-webhook-signing'];
  return isObject(signing) && typeof signing.signature_header === 'string' ? signing.signature_header.toLowerCase() : 'x-signature';
}

function compareDelivery(ctx: DiffContext, base: Located, revision: Located, event: string, usage: Usage): void {
  const subject = `the payload of webhook \`${event}\``;
  const scope: SchemaScope = { direction: 'response', usage, subject, field: '', domain: ENVELOPE_DOMAIN };
  const before = ctx.base.at(base, 'requestBody');
  const after = ctx.revision.at(revision, 'requestBody');
  if (hasContent(before) && !hasContent(after)) emit(ctx, scope, 'response-body-removed', before.pointer, revision.pointer, `Webhook \`${event}\` no longer has a payload`);
  else if (!hasContent(before) && hasContent(after)) emit(ctx, scope, 'response-body-added', after.pointer, after.pointer, `Webhook \`${event}\` now has a payload`);
  else compareContent(ctx, before, after, scope);
  const signature = signatureHeader(ctx.base);
  compareHeaders(ctx, deliveryHeaders(ctx.base, base), deliveryHeaders(ctx.revision, revision), revision.pointer, usage, `webhook \`${event}\``, (name) =>
    name === signature ? SIGNING_DOMAIN : undefined,
  );
}

/** Webhooks are what Starship sends: payloads and headers are judged like responses. */
export function compareWebhooks(ctx: DiffContext): void {
  const before = deliveries(ctx.base);
  const after = deliveries(ctx.revision);
  for (const [event, operations] of before) {
    const next = after.get(event);
    for (const [method, base] of operations) {
      const usage: Usage = { label: `webhook ${event}`, planned: isPlanned(base) };
      const revision = next?.get(method);
      if (revision === undefined) {
        ctx.report('webhook-event-removed', usage, { location: base.pointer, anchor: '#/webhooks', message: `Webhook event \`${event}\` is no longer sent` });
        continue;
      }
      if (base.pointer !== revision.pointer || !ctx.unchanged.has(base.pointer)) compareDelivery(ctx, base, revision, event, usage);
    }
  }
  for (const [event, operations] of after) {
    for (const [method, revision] of operations) {
      if (before.get(event)?.has(method)) continue;
      const planned = isPlanned(revision) ? ' (planned)' : '';
      ctx.report('webhook-event-added', undefined, { location: revision.pointer, anchor: revision.pointer, message: `New webhook event \`${event}\`${planned}` });
    }
  }
}
