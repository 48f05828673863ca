import type { RuleId, Severity } from '../../diff/rules.ts';
import { baseSpec, type Spec } from './fixture.ts';

export interface Expected {
  severity: Severity;
  rule: RuleId;
}

/**
 * One before/after pair. `edit` turns a copy of the base into the revision; `forward` is what diffing base →
 * revision must report and `reverse` what revision → base must report, so every rule is checked with the
 * change applied and undone.
 */
export interface CorpusCase {
  name: string;
  /** Adjusts the base itself when the case needs a starting point other than the fixture. */
  base?: (spec: Spec) => void;
  edit: (spec: Spec) => void;
  forward: Expected[];
  reverse: Expected[];
}

const breaking = (rule: RuleId): Expected => ({ severity: 'breaking', rule });
const warning = (rule: RuleId): Expected => ({ severity: 'warning', rule });
const additive = (rule: RuleId): Expected => ({ severity: 'additive', rule });

const schema = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (body: unknown) => ({ 'application/json': { schema: body } });

export const CASES: CorpusCase[] = [
  // operations, paths and servers
  {
    name: 'operation removed',
    edit: (s) => delete s.paths['/orders/{order_id}'],
    forward: [breaking('operation-removed')],
    reverse: [additive('operation-added')],
  },
  {
    name: 'path parameter renamed is not a change',
    edit: (s) => {
      const item = s.paths['/orders/{order_id}'];
      item.get.parameters[0].name = 'id';
      s.paths['/orders/{id}'] = item;
      delete s.paths['/orders/{order_id}'];
    },
    forward: [],
    reverse: [],
  },
  {
    name: 'operation now documents 410 Gone',
    edit: (s) => (s.paths['/orders/{order_id}'].get.responses['410'] = { description: 'Gone.', content: json(schema('Error')) }),
    forward: [breaking('operation-gone')],
    reverse: [warning('response-error-status-removed')],
  },
  {
    name: 'operation deprecated',
    edit: (s) => (s.paths['/orders/{order_id}'].get.deprecated = true),
    forward: [warning('operation-deprecated')],
    reverse: [],
  },
  {
    name: 'operationId changed',
    edit: (s) => (s.paths['/orders/{order_id}'].get.operationId = 'fetchOrder'),
    forward: [warning('operation-id-changed')],
    reverse: [warning('operation-id-changed')],
  },
  {
    name: 'planned operation released (and a released one made planned)',
    edit: (s) => {
      delete s.paths['/orders/simulate'].post['x-starship-planned'];
      delete s.paths['/orders/simulate'].post['x-starship-feature-flag'];
    },
    forward: [additive('operation-released')],
    reverse: [breaking('operation-unreleased')],
  },
  {
    name: 'planned operation removed is only a warning',
    edit: (s) => delete s.paths['/orders/simulate'],
    forward: [warning('operation-removed')],
    reverse: [additive('operation-added')],
  },
  {
    name: 'breaking change inside a planned operation is only a warning',
    edit: (s) => {
      const body = s.paths['/orders/simulate'].post.responses['200'].content['application/json'].schema;
      delete body.properties.total;
      body.required = [];
    },
    forward: [warning('response-property-removed')],
    reverse: [additive('response-property-added')],
  },
  {
    name: 'server base path changed to /api/v2',
    edit: (s) => (s.servers[0].url = 'https://api-playground.starshiprewards.com/api/v2'),
    forward: [breaking('server-removed'), additive('server-added')],
    reverse: [breaking('server-removed'), additive('server-added')],
  },
  {
    name: 'new server',
    edit: (s) => s.servers.push({ url: 'http://127.0.0.1:4010/api/v1' }),
    forward: [additive('server-added')],
    reverse: [breaking('server-removed')],
  },
  // parameters
  {
    name: 'optional query parameter removed',
    edit: (s) => s.paths['/products'].get.parameters.pop(),
    forward: [breaking('request-parameter-removed')],
    reverse: [additive('request-parameter-added')],
  },
  {
    name: 'query parameter renamed',
    edit: (s) => (s.paths['/products'].get.parameters[2].name = 'category_id'),
    forward: [breaking('request-parameter-renamed')],
    reverse: [breaking('request-parameter-renamed')],
  },
  {
    name: 'new required query parameter',
    edit: (s) => s.paths['/products'].get.parameters.push({ name: 'country', in: 'query', required: true, schema: { type: 'string', minLength: 2 } }),
    forward: [breaking('request-required-parameter-added')],
    reverse: [breaking('request-parameter-removed')],
  },
  {
    name: 'optional query parameter became required',
    edit: (s) => (s.paths['/products'].get.parameters[2].required = true),
    forward: [breaking('request-parameter-became-required')],
    reverse: [additive('request-parameter-became-optional')],
  },
  {
    name: 'query parameter serialization changed (explode)',
    edit: (s) => (s.paths['/products'].get.parameters[2].explode = false),
    forward: [breaking('request-parameter-style-changed')],
    reverse: [breaking('request-parameter-style-changed')],
  },
  {
    name: 'query parameter type changed integer → string',
    edit: (s) => (s.components.parameters.Limit.schema.type = 'string'),
    forward: [breaking('request-type-changed')],
    reverse: [breaking('request-type-changed')],
  },
  {
    name: 'query parameter widened integer → number',
    edit: (s) => (s.components.parameters.Page.schema.type = 'number'),
    forward: [warning('request-type-widened')],
    reverse: [breaking('request-type-changed')],
  },
  {
    name: 'shared id type changed: judged in both directions (path parameter, request body, response)',
    edit: (s) => (s.components.schemas.ProductId.type = 'string'),
    forward: [breaking('request-type-changed'), breaking('response-type-changed')],
    reverse: [breaking('request-type-changed'), breaking('response-type-changed')],
  },
  {
    name: 'Idempotency-Key removed from createOrder',
    edit: (s) => s.paths['/orders'].post.parameters.shift(),
    forward: [breaking('auth-header-changed')],
    reverse: [breaking('auth-header-changed')],
  },
  {
    name: 'Idempotency-Key became required on upsertWebhook',
    edit: (s) => (s.paths['/webhooks'].post.parameters[0] = { $ref: '#/components/parameters/IdempotencyKey' }),
    forward: [breaking('auth-header-changed')],
    reverse: [additive('request-parameter-became-optional')],
  },
  {
    name: 'X-Signature header renamed (the planned operation only warns)',
    edit: (s) => (s.components.parameters.XSignature.name = 'X-Starship-Signature'),
    forward: [breaking('auth-header-changed'), breaking('auth-header-changed'), warning('auth-header-changed')],
    reverse: [breaking('auth-header-changed'), breaking('auth-header-changed'), warning('auth-header-changed')],
  },
  {
    name: 'signature now required on a read',
    edit: (s) => s.paths['/orders/{order_id}'].get.parameters.push({ $ref: '#/components/parameters/XSignature' }),
    forward: [breaking('auth-header-changed')],
    reverse: [breaking('auth-header-changed')],
  },
  {
    name: 'Idempotency-Key maxLength tightened',
    edit: (s) => (s.components.parameters.IdempotencyKey.schema.maxLength = 64),
    forward: [breaking('auth-header-changed')],
    reverse: [],
  },
  // request bodies
  {
    name: 'request body removed',
    edit: (s) => delete s.paths['/orders'].post.requestBody,
    forward: [breaking('request-body-removed')],
    reverse: [breaking('request-body-became-required')],
  },
  {
    name: 'optional request body added',
    edit: (s) => (s.paths['/orders/{order_id}'].get.requestBody = { required: false, content: json({ type: 'object', properties: { note: { type: 'string' } } }) }),
    forward: [additive('request-body-added')],
    reverse: [breaking('request-body-removed')],
  },
  {
    name: 'request body became optional',
    edit: (s) => (s.paths['/orders'].post.requestBody.required = false),
    forward: [additive('request-body-became-optional')],
    reverse: [breaking('request-body-became-required')],
  },
  {
    name: 'request media type added',
    edit: (s) => (s.paths['/orders'].post.requestBody.content['application/x-www-form-urlencoded'] = { schema: schema('CreateOrderRequest') }),
    forward: [additive('request-media-type-added')],
    reverse: [breaking('request-media-type-removed')],
  },
  {
    name: 'media type parameters are not a change',
    edit: (s) => {
      const content = s.paths['/orders'].post.requestBody.content;
      content['application/json; charset=utf-8'] = content['application/json'];
      delete content['application/json'];
    },
    forward: [],
    reverse: [],
  },
  // request schemas
  {
    name: 'optional request field removed',
    edit: (s) => delete s.components.schemas.CreateOrderRequest.properties.reference,
    forward: [breaking('request-property-removed')],
    reverse: [additive('request-property-added')],
  },
  {
    name: 'request field renamed (removal + addition of the same schema)',
    edit: (s) => {
      const properties = s.components.schemas.CreateOrderRequest.properties;
      properties.client_reference = properties.reference;
      delete properties.reference;
    },
    forward: [breaking('request-property-renamed')],
    reverse: [breaking('request-property-renamed')],
  },
  {
    name: 'new optional nested request field (customer_info.phone)',
    edit: (s) => (s.components.schemas.CreateOrderRequest.properties.customer_info.properties.phone = { type: 'string', pattern: '^\\+[1-9][0-9]{6,14}$' }),
    forward: [additive('request-property-added')],
    reverse: [breaking('request-property-removed')],
  },
  {
    name: 'new required request field',
    edit: (s) => {
      const request = s.components.schemas.CreateOrderRequest;
      request.properties.currency = { type: 'string', enum: ['USD', 'EUR'] };
      request.required.push('currency');
    },
    forward: [breaking('request-required-property-added')],
    reverse: [breaking('request-property-removed')],
  },
  {
    name: 'optional request field became required',
    edit: (s) => s.components.schemas.CreateOrderRequest.required.push('reference'),
    forward: [breaking('request-property-became-required')],
    reverse: [additive('request-property-became-optional')],
  },
  {
    name: 'request object closed to extra keys',
    edit: (s) => (s.components.schemas.UpsertWebhookRequest.additionalProperties = false),
    forward: [breaking('request-additional-properties-restricted')],
    reverse: [],
  },
  {
    name: 'request field type changed integer → string',
    edit: (s) => (s.components.schemas.CreateOrderRequest.properties.quantity.type = 'string'),
    forward: [breaking('request-type-changed')],
    reverse: [breaking('request-type-changed')],
  },
  {
    name: 'request field accepts null (3.1 type array)',
    edit: (s) => (s.components.schemas.CreateOrderRequest.properties.reference.type = ['string', 'null']),
    forward: [warning('request-type-widened')],
    reverse: [breaking('request-type-changed')],
  },
  {
    name: 'request enum restricted',
    edit: (s) => (s.components.schemas.CreateOrderRequest.properties.priority.enum = ['NORMAL']),
    forward: [breaking('enum-value-removed')],
    reverse: [additive('enum-value-added')],
  },
  {
    name: 'free request field restricted to an enum',
    edit: (s) => (s.components.schemas.CreateOrderRequest.properties.reference.enum = ['A', 'B']),
    forward: [breaking('enum-value-removed')],
    reverse: [additive('enum-value-added')],
  },
  {
    name: 'event type enum restricted: request subscription and webhook envelope',
    edit: (s) => (s.components.schemas.WebhookEventType.enum = ['order.delivered']),
    forward: [breaking('enum-value-removed'), breaking('webhook-envelope-changed')],
    reverse: [additive('enum-value-added')],
  },
  {
    name: 'request bounds tightened',
    edit: (s) => (s.components.schemas.CreateOrderRequest.properties.quantity.maximum = 100),
    forward: [breaking('request-constraint-tightened')],
    reverse: [],
  },
  {
    name: '$ref sibling constraint (3.1) tightens a request field',
    edit: (s) => (s.components.schemas.CreateOrderRequest.properties.amount = { $ref: '#/components/schemas/DecimalAmount', maxLength: 12 }),
    forward: [breaking('request-constraint-tightened')],
    reverse: [],
  },
  {
    name: 'pattern changed on a schema used in requests and responses',
    edit: (s) => (s.components.schemas.DecimalAmount.pattern = '^[0-9]+\\.[0-9]{1,2}$'),
    forward: [warning('pattern-changed')],
    reverse: [warning('pattern-changed')],
  },
  {
    name: 'request format changed',
    edit: (s) => (s.components.schemas.CreateOrderRequest.properties.customer_info.properties.email.format = 'idn-email'),
    forward: [warning('format-changed')],
    reverse: [warning('format-changed')],
  },
  {
    name: 'request oneOf alternative removed',
    edit: (s) => s.components.schemas.CreateOrderRequest.properties.delivery.oneOf.pop(),
    forward: [breaking('request-variant-removed')],
    reverse: [additive('request-variant-added')],
  },
  {
    name: 'request oneOf first alternative removed (matched by component, not position)',
    edit: (s) => s.components.schemas.CreateOrderRequest.properties.delivery.oneOf.shift(),
    forward: [breaking('request-variant-removed')],
    reverse: [additive('request-variant-added')],
  },
  {
    name: 'request field becomes a oneOf that still accepts the old shape',
    edit: (s) => (s.components.schemas.CreateOrderRequest.properties.amount = { oneOf: [schema('DecimalAmount'), { type: 'number' }] }),
    forward: [additive('request-variant-added')],
    reverse: [breaking('request-variant-removed')],
  },
  {
    name: 'response oneOf alternative added',
    edit: (s) =>
      s.components.schemas.Order.properties.delivery.oneOf.push({ title: 'PickupDelivery', type: 'object', required: ['store'], properties: { store: { type: 'string' } } }),
    forward: [breaking('response-variant-added')],
    reverse: [warning('response-variant-removed')],
  },
  {
    name: 'readOnly field in a request schema is not sent by clients',
    edit: (s) => (s.components.schemas.CreateOrderRequest.properties.id = { type: 'string', readOnly: true }),
    forward: [],
    reverse: [],
  },
  // 3.1 spellings that mean the same thing
  {
    name: 'anyOf [T, null] is the same as type [T, null]',
    edit: (s) => (s.components.schemas.Order.properties.reference = { anyOf: [{ type: 'string', maxLength: 100 }, { type: 'null' }] }),
    forward: [],
    reverse: [],
  },
  {
    name: 'nullable: true (3.0) is the same as a 3.1 type array',
    edit: (s) => (s.components.schemas.Product.properties.discount = { type: 'number', nullable: true }),
    forward: [],
    reverse: [],
  },
  {
    name: 'type array order is not a change',
    edit: (s) => (s.components.schemas.Voucher.properties.pin.type = ['null', 'string']),
    forward: [],
    reverse: [],
  },
  {
    name: 'schema split into allOf is not a change',
    edit: (s) =>
      (s.components.schemas.Voucher = {
        allOf: [
          { type: 'object', required: ['code'], properties: { code: { type: 'string' } } },
          { type: 'object', properties: { pin: { type: ['string', 'null'] } } },
        ],
      }),
    forward: [],
    reverse: [],
  },
  {
    name: 'descriptions, titles and examples are not changes',
    edit: (s) => {
      s.info.description = 'Reworded.';
      s.components.schemas.Order.description = 'An order.';
      s.components.schemas.Order.properties.id.examples = ['ord_01'];
      s.components.schemas.Product.title = 'Product';
      s.components.schemas.Order.properties.amount = { $ref: '#/components/schemas/DecimalAmount', description: 'Face value.' };
    },
    forward: [],
    reverse: [],
  },
  // response schemas
  {
    name: 'optional response field removed',
    edit: (s) => delete s.components.schemas.Voucher.properties.pin,
    forward: [breaking('response-property-removed')],
    reverse: [additive('response-property-added')],
  },
  {
    name: 'required response field removed',
    edit: (s) => {
      delete s.components.schemas.Order.properties.amount;
      s.components.schemas.Order.required = ['id', 'status', 'items'];
    },
    forward: [breaking('response-property-removed')],
    reverse: [additive('response-property-added')],
  },
  {
    name: 'response field renamed',
    edit: (s) => {
      const product = s.components.schemas.Product;
      product.properties.title = product.properties.name;
      delete product.properties.name;
      product.required = ['id', 'title', 'currency'];
    },
    forward: [breaking('response-property-renamed')],
    reverse: [breaking('response-property-renamed')],
  },
  {
    name: 'new response field',
    edit: (s) => (s.components.schemas.Product.properties.brand = { type: 'string' }),
    forward: [additive('response-property-added')],
    reverse: [breaking('response-property-removed')],
  },
  {
    name: 'required response field made optional',
    edit: (s) => (s.components.schemas.Order.required = ['id', 'status', 'items']),
    forward: [breaking('response-property-became-optional')],
    reverse: [additive('response-property-became-required')],
  },
  {
    name: 'response field type changed string → integer',
    edit: (s) => (s.components.schemas.Order.properties.id.type = 'integer'),
    forward: [breaking('response-type-changed')],
    reverse: [breaking('response-type-changed')],
  },
  {
    name: 'response field may be null (3.1 type array)',
    edit: (s) => (s.components.schemas.Voucher.properties.code.type = ['string', 'null']),
    forward: [breaking('response-type-changed')],
    reverse: [warning('response-type-narrowed')],
  },
  {
    name: 'response integer widened to number',
    edit: (s) => (s.components.schemas.Order.properties.quantity.type = 'number'),
    forward: [breaking('response-type-changed')],
    reverse: [warning('response-type-narrowed')],
  },
  {
    name: 'response array items changed from object to string (members not compared)',
    edit: (s) => (s.components.schemas.Order.properties.items.items = { type: 'string' }),
    forward: [breaking('response-type-changed')],
    reverse: [breaking('response-type-changed')],
  },
  {
    name: 'response enum gained a value (responses and webhook data)',
    edit: (s) => s.components.schemas.OrderStatus.enum.push('REFUNDED'),
    forward: [additive('enum-value-added')],
    reverse: [breaking('enum-value-removed')],
  },
  {
    name: 'response enum lost a value',
    edit: (s) => (s.components.schemas.Product.properties.currency.enum = ['USD']),
    forward: [breaking('enum-value-removed')],
    reverse: [additive('enum-value-added')],
  },
  {
    name: 'response bounds loosened',
    edit: (s) => (s.components.schemas.Order.properties.reference.maxLength = 200),
    forward: [warning('response-constraint-loosened')],
    reverse: [],
  },
  {
    name: 'recursive schema gains a field',
    edit: (s) => (s.components.schemas.Category.properties.slug = { type: 'string' }),
    forward: [additive('response-property-added')],
    reverse: [breaking('response-property-removed')],
  },
  // responses: statuses, bodies, headers
  {
    name: 'success status changed 200 → 201',
    edit: (s) => {
      const responses = s.paths['/orders/{order_id}'].get.responses;
      responses['201'] = responses['200'];
      delete responses['200'];
    },
    forward: [breaking('response-success-status-removed'), warning('response-success-status-added')],
    reverse: [breaking('response-success-status-removed'), warning('response-success-status-added')],
  },
  {
    name: 'new 4xx status with a new code in an existing class',
    edit: (s) => (s.paths['/orders/{order_id}'].get.responses['429'] = { $ref: '#/components/responses/TooManyRequests' }),
    forward: [additive('response-error-status-added'), additive('error-code-added')],
    reverse: [warning('response-error-status-removed'), breaking('error-code-removed')],
  },
  {
    name: 'new 5xx status on an operation that had none',
    edit: (s) => (s.paths['/orders/{order_id}'].get.responses['500'] = { $ref: '#/components/responses/InternalError' }),
    forward: [additive('response-error-status-added'), warning('error-code-added-new-class')],
    reverse: [warning('response-error-status-removed'), breaking('error-code-removed')],
  },
  {
    name: 'response body removed',
    edit: (s) => delete s.paths['/webhooks'].post.responses['200'].content,
    forward: [breaking('response-body-removed')],
    reverse: [additive('response-body-added')],
  },
  {
    name: 'response media type added',
    edit: (s) => (s.paths['/orders/{order_id}'].get.responses['200'].content['application/xml'] = { schema: schema('Order') }),
    forward: [additive('response-media-type-added')],
    reverse: [breaking('response-media-type-removed')],
  },
  {
    name: 'response header removed',
    edit: (s) => delete s.paths['/orders'].post.responses['200'].headers['X-Trace-ID'],
    forward: [breaking('response-header-removed')],
    reverse: [additive('response-header-added')],
  },
  {
    name: 'shared response header became optional (reported once)',
    edit: (s) => (s.components.headers['X-Trace-ID'].required = false),
    forward: [breaking('response-header-became-optional')],
    reverse: [],
  },
  {
    name: 'pagination header removed',
    edit: (s) => delete s.paths['/products'].get.responses['200'].headers['X-Has-More'],
    forward: [breaking('pagination-header-changed')],
    reverse: [additive('response-header-added')],
  },
  {
    name: 'pagination header type changed',
    edit: (s) => (s.components.headers['X-Total-Count'].schema.type = 'string'),
    forward: [breaking('pagination-header-changed')],
    reverse: [breaking('pagination-header-changed')],
  },
  // error codes and the error envelope
  {
    name: 'error code removed from a shared response (reported once)',
    edit: (s) => (s.components.responses.NotFound['x-starship-error-codes'] = []),
    forward: [breaking('error-code-removed')],
    reverse: [additive('error-code-added')],
  },
  {
    name: 'error code renamed',
    edit: (s) => (s.components.responses.BadRequest['x-starship-error-codes'] = ['E_INVALID_REQUEST', 'E_IDEMPOTENCY_KEY_MISSING']),
    forward: [breaking('error-code-renamed')],
    reverse: [breaking('error-code-renamed')],
  },
  {
    name: 'error code moved 422 → 409',
    edit: (s) => {
      s.components.responses.Unprocessable['x-starship-error-codes'] = ['E_IDEMPOTENCY_KEY_REUSED'];
      s.components.responses.Conflict['x-starship-error-codes'] = ['E_IDEMPOTENCY_KEY_IN_USE', 'E_INSUFFICIENT_FUNDS'];
    },
    forward: [warning('error-code-moved')],
    reverse: [warning('error-code-moved')],
  },
  {
    name: 'new error code within an existing 4xx status',
    edit: (s) => s.components.responses.Unprocessable['x-starship-error-codes'].push('E_PRODUCT_UNAVAILABLE'),
    forward: [additive('error-code-added')],
    reverse: [breaking('error-code-removed')],
  },
  {
    name: 'error envelope field removed',
    edit: (s) => delete s.components.schemas.Error.properties.error.properties.messages,
    forward: [breaking('error-envelope-changed')],
    reverse: [additive('response-property-added')],
  },
  {
    name: 'error envelope code type changed',
    edit: (s) => (s.components.schemas.Error.properties.error.properties.code.type = 'integer'),
    forward: [breaking('error-envelope-changed')],
    reverse: [breaking('error-envelope-changed')],
  },
  {
    name: 'error response no longer uses the envelope',
    edit: (s) => (s.components.responses.NotFound.content['application/json'].schema = { type: 'object', properties: { message: { type: 'string' } } }),
    forward: [breaking('error-envelope-changed'), additive('response-property-added')],
    reverse: [breaking('error-envelope-changed'), additive('response-property-added')],
  },
  // webhooks
  {
    name: 'webhook event removed',
    edit: (s) => delete s.webhooks['order.delivered'],
    forward: [breaking('webhook-event-removed')],
    reverse: [additive('webhook-event-added')],
  },
  {
    name: 'new webhook event',
    edit: (s) => (s.webhooks['order.cancelled'] = structuredClone(s.webhooks['order.delivered'])),
    forward: [additive('webhook-event-added')],
    reverse: [breaking('webhook-event-removed')],
  },
  {
    name: 'webhook envelope field removed',
    edit: (s) => {
      const envelope = s.components.schemas.WebhookEventEnvelope;
      delete envelope.properties.created_at;
      envelope.required = ['event_id', 'event_type', 'data'];
    },
    forward: [breaking('webhook-envelope-changed')],
    reverse: [additive('response-property-added')],
  },
  {
    name: 'webhook envelope field type changed',
    edit: (s) => (s.components.schemas.WebhookEventEnvelope.properties.event_id.type = 'integer'),
    forward: [breaking('webhook-envelope-changed')],
    reverse: [breaking('webhook-envelope-changed')],
  },
  {
    name: 'field inside webhook data removed is a payload change, not an envelope change',
    edit: (s) => {
      const data = s.components.schemas.OrderWebhookEvent.allOf[1].properties.data;
      delete data.properties.order_id;
      data.required = ['status'];
    },
    forward: [breaking('response-property-removed')],
    reverse: [additive('response-property-added')],
  },
  {
    name: 'webhook data field may be null',
    edit: (s) => (s.components.schemas.OrderWebhookEvent.allOf[1].properties.data.properties.order_id.type = ['string', 'null']),
    forward: [breaking('response-type-changed')],
    reverse: [warning('response-type-narrowed')],
  },
  {
    name: 'webhook payload removed',
    edit: (s) => delete s.webhooks['order.delivered'].post.requestBody,
    forward: [breaking('webhook-envelope-changed')],
    reverse: [additive('response-body-added')],
  },
  {
    name: 'webhook signature header removed',
    edit: (s) => s.webhooks['order.delivered'].post.parameters.shift(),
    forward: [breaking('webhook-signing-changed')],
    reverse: [additive('response-header-added')],
  },
  {
    name: 'webhook header became optional',
    edit: (s) => (s.webhooks['order.delivered'].post.parameters[1].required = false),
    forward: [breaking('response-header-became-optional')],
    reverse: [],
  },
  // security
  {
    name: 'API key header renamed in the security scheme',
    edit: (s) => (s.components.securitySchemes.ApiKey.name = 'X-Partner-Key'),
    forward: [breaking('security-scheme-changed'), breaking('security-requirement-changed')],
    reverse: [breaking('security-scheme-changed'), breaking('security-requirement-changed')],
  },
  {
    name: 'security scheme removed (one credential fewer)',
    edit: (s) => {
      delete s.components.securitySchemes.ApiSecret;
      s.security = [{ ApiKey: [] }];
    },
    forward: [breaking('security-scheme-removed'), additive('security-requirement-relaxed')],
    reverse: [breaking('security-requirement-changed')],
  },
  {
    name: 'security scheme key renamed is not a change',
    edit: (s) => {
      s.components.securitySchemes.PartnerKey = s.components.securitySchemes.ApiKey;
      delete s.components.securitySchemes.ApiKey;
      s.security = [{ PartnerKey: [], ApiSecret: [] }];
    },
    forward: [],
    reverse: [],
  },
  {
    name: 'operation made public',
    edit: (s) => (s.paths['/products'].get.security = []),
    forward: [additive('security-requirement-relaxed')],
    reverse: [breaking('security-requirement-changed')],
  },
  // signing and rate-limit extensions
  {
    name: 'canonical string reordered',
    edit: (s) => (s['x-starship-signing'].canonical = ['method', 'timestamp', 'path_with_query', 'raw_body']),
    forward: [breaking('signing-scheme-changed')],
    reverse: [breaking('signing-scheme-changed')],
  },
  {
    name: 'HMAC algorithm changed',
    edit: (s) => (s['x-starship-signing'].algorithm = 'HMAC-SHA512'),
    forward: [breaking('signing-scheme-changed')],
    reverse: [breaking('signing-scheme-changed')],
  },
  {
    name: 'signing tolerance widened (and narrowed)',
    edit: (s) => (s['x-starship-signing'].tolerance_seconds = 600),
    forward: [warning('signing-scheme-relaxed')],
    reverse: [breaking('signing-scheme-changed')],
  },
  {
    name: 'signing scheme made machine-readable (and removed)',
    base: (s) => delete s['x-starship-signing'],
    edit: (s) => (s['x-starship-signing'] = baseSpec()['x-starship-signing']),
    forward: [additive('signing-scheme-added')],
    reverse: [breaking('signing-scheme-changed')],
  },
  {
    name: 'webhook signing separator changed',
    edit: (s) => (s['x-starship-webhook-signing'].separator = ''),
    forward: [breaking('webhook-signing-changed')],
    reverse: [breaking('webhook-signing-changed')],
  },
  {
    name: 'webhook signing tolerance changed',
    edit: (s) => (s['x-starship-webhook-signing'].tolerance_seconds = 600),
    forward: [breaking('webhook-signing-changed')],
    reverse: [breaking('webhook-signing-changed')],
  },
  {
    name: 'rate limit lowered',
    edit: (s) => (s['x-starship-rate-limits'].classes.ORDERS = 30),
    forward: [warning('rate-limits-changed')],
    reverse: [warning('rate-limits-changed')],
  },
  {
    name: 'operation moved to another rate-limit class',
    edit: (s) => (s.paths['/orders'].post['x-starship-rate-limit-class'] = 'DEFAULT'),
    forward: [warning('rate-limits-changed')],
    reverse: [warning('rate-limits-changed')],
  },
];

/** The two documents of a case. */
export function casePair(corpusCase: CorpusCase): { base: Spec; revision: Spec } {
  const base = baseSpec();
  corpusCase.base?.(base);
  const revision = structuredClone(base);
  corpusCase.edit(revision);
  return { base, revision };
}
