/**
 * Webhook endpoints per partner. Signing secrets (`whsec_…`) are encrypted at rest; a rotation keeps the
 * previous secret for 24 h (virtual clock) so deliveries can carry both signatures. Subscribing to a planned
 * event needs its feature flag. Events and their deliveries: outbox.ts, deliveries.ts, webhook-dispatcher/.
 */
import { randomBytes } from 'node:crypto';
import type { Database } from '../db/schema.ts';
import type { WebhookEventType } from '../domain/enums.ts';
import type { ListResult, PageQuery, S } from '../engine.ts';
import { refuseWebhookUrl } from '../domain/webhook-url-policy.ts';
import type { EngineContext, Executor } from './context.ts';
import { invalid, notFound } from './errors.ts';
import { pageOf } from './pagination.ts';
import { holdPartner } from './partners.ts';
import { readSettings, settingOf, WEBHOOK_EVENT_FLAGS } from './settings.ts';

export const PREVIOUS_SECRET_TTL_SECONDS = 24 * 60 * 60;


type EndpointRow = Database['webhook_endpoints'];

export async function upsertWebhook(
  ctx: EngineContext,
  partnerId: string,
  body: S['UpsertWebhookRequest'],
): Promise<{ created: boolean; endpoint: S['WebhookEndpointWithSecret'] }> {
  return ctx.db.transaction().execute(async (trx) => {
    const events = await checkedEvents(trx, body.events, [checkUrl(ctx, body.url)]);
    const nowIso = ctx.clock.nowIso();
    const description = body.description ?? null;
    await holdPartner(ctx, trx, partnerId, 'update');
    const existing = await trx.selectFrom('webhook_endpoints').selectAll().where('partner_id', '=', partnerId).where('url', '=', body.url).executeTakeFirst();
    if (!existing) await checkEndpointCap(ctx, trx, partnerId);
    if (existing) {
      const updated = { ...existing, events_json: JSON.stringify(events), description, updated_at: nowIso };
      await trx.updateTable('webhook_endpoints').set({ events_json: updated.events_json, description, updated_at: nowIso }).where('id', '=', existing.id).execute();
      return { created: false, endpoint: { ...renderEndpoint(updated), secret: ctx.decrypt(existing.secret_enc, secretContext(existing.id)) } };
    }
    const id = ctx.newId('webhook');
    const secret = newSecret();
    const row: EndpointRow = {
      id,
      partner_id: partnerId,
      url: body.url,
      description,
      events_json: JSON.stringify(events),
      status: 'ACTIVE',
      secret_enc: ctx.encrypt(secret, secretContext(id)),
      previous_secret_enc: null,
      previous_secret_expires_at: null,
      created_at: nowIso,
      updated_at: nowIso,
    };
    await trx.insertInto('webhook_endpoints').values(row).execute();
    return { created: true, endpoint: { ...renderEndpoint(row), secret } };
  });
}

export async function listWebhooks(ctx: EngineContext, partnerId: string, query: PageQuery): Promise<ListResult<S['WebhookEndpoint']>> {
  const { limit, offset } = pageOf(query);
  const base = ctx.db.selectFrom('webhook_endpoints').where('partner_id', '=', partnerId);
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('created_at').orderBy('id').limit(limit).offset(offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(renderEndpoint), total: Number(count.n) };
}

export async function updateWebhook(ctx: EngineContext, partnerId: string, webhookId: string, body: S['UpdateWebhookRequest']): Promise<S['WebhookEndpoint']> {
  return ctx.db.transaction().execute(async (trx) => {
    const existing = await findEndpoint(trx, partnerId, webhookId);
    const events = await checkedEvents(trx, body.events, [checkUrl(ctx, body.url)]);
    const clash = await trx
      .selectFrom('webhook_endpoints')
      .select('id')
      .where('partner_id', '=', partnerId)
      .where('url', '=', body.url)
      .where('id', '!=', webhookId)
      .executeTakeFirst();
    if (clash) throw invalid(`url is already registered by endpoint ${clash.id}`);
    const updated: EndpointRow = {
      ...existing,
      url: body.url,
      events_json: JSON.stringify(events),
      description: body.description ?? null,
      status: body.status ?? 'ACTIVE',
      updated_at: ctx.clock.nowIso(),
    };
    await trx
      .updateTable('webhook_endpoints')
      .set({ url: updated.url, events_json: updated.events_json, description: updated.description, status: updated.status, updated_at: updated.updated_at })
      .where('id', '=', webhookId)
      .execute();
    return renderEndpoint(updated);
  });
}

export async function deleteWebhook(ctx: EngineContext, partnerId: string, webhookId: string): Promise<void> {
  const result = await ctx.db.deleteFrom('webhook_endpoints').where('partner_id', '=', partnerId).where('id', '=', webhookId).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw notFound(`Webhook endpoint ${webhookId} not found.`);
}

export async function rotateWebhookSecret(ctx: EngineContext, partnerId: string, webhookId: string): Promise<S['WebhookSecretRotation']> {
  return ctx.db.transaction().execute(async (trx) => {
    const existing = await findEndpoint(trx, partnerId, webhookId);
    const nowMs = ctx.clock.nowMs();
    const secret = newSecret();
    const previousExpiresAt = new Date(nowMs + PREVIOUS_SECRET_TTL_SECONDS * 1000).toISOString();
    // Tokens are bound to their column's context, so the current secret is re-encrypted as the previous one.
    const current = ctx.decrypt(existing.secret_enc, secretContext(webhookId));
    await trx
      .updateTable('webhook_endpoints')
      .set({
        secret_enc: ctx.encrypt(secret, secretContext(webhookId)),
        previous_secret_enc: ctx.encrypt(current, previousSecretContext(webhookId)),
        previous_secret_expires_at: previousExpiresAt,
        updated_at: new Date(nowMs).toISOString(),
      })
      .where('id', '=', webhookId)
      .execute();
    return { webhook_id: webhookId, secret, previous_secret_expires_at: previousExpiresAt };
  });
}

/** The secrets that currently sign deliveries to an endpoint: the current one, then the previous one while it is valid. */
export async function signingSecrets(ctx: EngineContext, webhookId: string): Promise<string[]> {
  const target = await deliveryTarget(ctx, webhookId);
  if (!target) throw notFound(`Webhook endpoint ${webhookId} not found.`);
  return target.secrets;
}

/** Where and how a delivery to the endpoint goes now (its current URL, status and signing secrets); undefined once deleted. */
export async function deliveryTarget(ctx: EngineContext, webhookId: string): Promise<{ url: string; status: string; secrets: string[] } | undefined> {
  const row = await ctx.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', webhookId).executeTakeFirst();
  if (!row) return undefined;
  const secrets = [ctx.decrypt(row.secret_enc, secretContext(webhookId))];
  if (row.previous_secret_enc && row.previous_secret_expires_at && row.previous_secret_expires_at > ctx.clock.nowIso()) {
    secrets.push(ctx.decrypt(row.previous_secret_enc, previousSecretContext(webhookId)));
  }
  return { url: row.url, status: row.status, secrets };
}

async function findEndpoint(exec: Executor, partnerId: string, webhookId: string): Promise<EndpointRow> {
  const row = await exec.selectFrom('webhook_endpoints').selectAll().where('partner_id', '=', partnerId).where('id', '=', webhookId).executeTakeFirst();
  if (!row) throw notFound(`Webhook endpoint ${webhookId} not found.`);
  return row;
}

async function checkedEvents(exec: Executor, requested: readonly string[], problems: Array<string | undefined>): Promise<WebhookEventType[]> {
  const flags = (await readSettings(exec)).feature_flags;
  const events = [...new Set(requested)] as WebhookEventType[];
  const messages = problems.filter((p): p is string => p !== undefined);
  if (events.length === 0) messages.push('events must name at least one event type');
  for (const event of events) {
    const flag = WEBHOOK_EVENT_FLAGS.get(event);
    if (!WEBHOOK_EVENT_FLAGS.has(event)) messages.push(`${event} is not a webhook event type`);
    else if (flag !== undefined && !flags[settingOf(flag)]) messages.push(`${event} is a planned event and cannot be subscribed to yet (feature flag ${flag} is off)`);
  }
  if (messages.length) throw invalid(...messages);
  return events;
}

/** The URL rules (domain/webhook-url-policy.ts): http(s), no credentials, and, hosted, no internal address. */
function checkUrl(ctx: EngineContext, url: string): string | undefined {
  return refuseWebhookUrl(url, ctx.webhooks)?.message;
}

/** A partner's endpoints stay under the cap (its row is held FOR UPDATE: registrations count one after another). */
async function checkEndpointCap(ctx: EngineContext, trx: Executor, partnerId: string): Promise<void> {
  const { n } = await trx
    .selectFrom('webhook_endpoints')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('partner_id', '=', partnerId)
    .executeTakeFirstOrThrow();
  const max = ctx.webhooks.maxEndpointsPerPartner;
  if (Number(n) >= max) throw invalid(`ENDPOINT_LIMIT: a partner may register at most ${max} webhook endpoints; delete one first`);
}

function renderEndpoint(row: EndpointRow): S['WebhookEndpoint'] {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: JSON.parse(row.events_json) as WebhookEventType[],
    status: row.status as S['WebhookEndpoint']['status'],
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function newSecret(): string {
  return `whsec_${randomBytes(24).toString('hex')}`;
}

function secretContext(webhookId: string): string {
  return `webhook-secret:${webhookId}`;
}

function previousSecretContext(webhookId: string): string {
  return `webhook-previous-secret:${webhookId}`;
}
