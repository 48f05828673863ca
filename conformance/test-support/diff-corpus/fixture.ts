import type { Json } from '@starship/contract';

/**
 * The corpus's base: a small spec with the shape of the Starship partner API (split into the same concepts:
 * signing extensions, error envelope with `x-starship-error-codes`, paginated list, idempotent signed write,
 * planned operation, 3.1 webhooks with the event envelope, shared components). Cases edit a copy of it.
 */
export type Spec = Json & {
  paths: Record<string, any>;
  webhooks: Record<string, any>;
  components: { schemas: Record<string, any>; parameters: Record<string, any>; headers: Record<string, any>; responses: Record<string, any>; securitySchemes: Record<string, any> };
  [key: string]: any;
};

const schema = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const parameter = (name: string) => ({ $ref: `#/components/parameters/${name}` });
const header = (name: string) => ({ $ref: `#/components/headers/${name}` });
const response = (name: string) => ({ $ref: `#/components/responses/${name}` });
const json = (body: unknown) => ({ 'application/json': { schema: body } });

function errorResponse(description: string, codes: string[]) {
  return { description, 'x-starship-error-codes': codes, headers: { 'X-Trace-ID': header('X-Trace-ID') }, content: json(schema('Error')) };
}

export function baseSpec(): Spec {
  return {
    openapi: '3.1.0',
    info: { title: 'Starship diff corpus', version: '1.0.0' },
    servers: [{ url: 'https://api-playground.starshiprewards.com/api/v1' }],
    security: [{ ApiKey: [], ApiSecret: [] }],
    'x-starship-signing': {
      version: 'v1',
      algorithm: 'HMAC-SHA256',
      encoding: 'hex',
      key: 'api_secret',
      canonical: ['timestamp', 'method', 'path_with_query', 'raw_body'],
      separator: '',
      timestamp_header: 'X-Timestamp',
      signature_header: 'X-Signature',
      signature_format: 't={timestamp},v1={signature}',
      tolerance_seconds: 300,
      applies_to: ['POST', 'PUT', 'PATCH', 'DELETE'],
    },
    'x-starship-webhook-signing': {
      algorithm: 'HMAC-SHA256',
      encoding: 'hex',
      key: 'endpoint_secret',
      canonical: ['timestamp', 'raw_body'],
      separator: '.',
      signature_header: 'X-Signature',
      signature_format: 't={timestamp},v1={signature}[,v1={signature}]',
      tolerance_seconds: 300,
    },
    'x-starship-rate-limits': { scope: 'API_KEY_AND_CLASS', window_seconds: 60, classes: { PRODUCT_LIST: 100, ORDERS: 60, DEFAULT: 120 } },
    paths: {
      '/products': {
        get: {
          operationId: 'listProducts',
          'x-starship-rate-limit-class': 'PRODUCT_LIST',
          parameters: [parameter('Page'), parameter('Limit'), { name: 'category', in: 'query', required: false, schema: { type: 'string' } }],
          responses: {
            '200': {
              description: 'One page of products.',
              headers: { 'X-Trace-ID': header('X-Trace-ID'), 'X-Page': header('X-Page'), 'X-Total-Count': header('X-Total-Count'), 'X-Has-More': header('X-Has-More') },
              content: json({ type: 'array', items: schema('Product') }),
            },
            '400': response('BadRequest'),
          },
        },
      },
      '/products/{product_id}': {
        get: {
          operationId: 'getProduct',
          parameters: [{ name: 'product_id', in: 'path', required: true, schema: schema('ProductId') }],
          responses: { '200': { description: 'The product.', content: json(schema('Product')) }, '404': response('NotFound') },
        },
      },
      '/orders': {
        post: {
          operationId: 'createOrder',
          'x-starship-rate-limit-class': 'ORDERS',
          parameters: [parameter('IdempotencyKey'), parameter('XTimestamp'), parameter('XSignature')],
          requestBody: { required: true, content: json(schema('CreateOrderRequest')) },
          responses: {
            '200': { description: 'The order.', headers: { 'X-Trace-ID': header('X-Trace-ID') }, content: json(schema('Order')) },
            '400': response('BadRequest'),
            '404': response('NotFound'),
            '409': response('Conflict'),
            '422': response('Unprocessable'),
          },
        },
      },
      '/orders/simulate': {
        post: {
          operationId: 'simulateOrder',
          'x-starship-planned': true,
          'x-starship-feature-flag': 'ORDER_SIMULATION',
          parameters: [parameter('XTimestamp'), parameter('XSignature')],
          requestBody: { required: true, content: json({ type: 'object', required: ['product_id'], properties: { product_id: schema('ProductId') } }) },
          responses: {
            '200': { description: 'The quote.', content: json({ type: 'object', required: ['total'], properties: { total: { type: 'string' } } }) },
            '404': response('NotFound'),
          },
        },
      },
      '/orders/{order_id}': {
        get: {
          operationId: 'getOrder',
          parameters: [{ name: 'order_id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'The order.', content: json(schema('Order')) }, '404': response('NotFound') },
        },
      },
      '/webhooks': {
        post: {
          operationId: 'upsertWebhook',
          parameters: [parameter('IdempotencyKeyOptional'), parameter('XTimestamp'), parameter('XSignature')],
          requestBody: { required: true, content: json(schema('UpsertWebhookRequest')) },
          responses: {
            '200': { description: 'The endpoint and its secret.', content: json({ type: 'object', required: ['id', 'secret'], properties: { id: { type: 'string' }, secret: { type: 'string' } } }) },
            '400': response('BadRequest'),
          },
        },
      },
    },
    webhooks: {
      'order.delivered': {
        post: {
          operationId: 'onOrderDelivered',
          security: [],
          parameters: [
            { name: 'X-Signature', in: 'header', required: true, schema: { type: 'string' } },
            { name: 'X-Event-Id', in: 'header', required: true, schema: { type: 'string' } },
          ],
          requestBody: { required: true, content: json(schema('OrderWebhookEvent')) },
          responses: { '200': { description: 'Acknowledged.' } },
        },
      },
    },
    components: {
      securitySchemes: {
        ApiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        ApiSecret: { type: 'apiKey', in: 'header', name: 'X-API-Secret' },
      },
      schemas: {
        ProductId: { type: 'integer', minimum: 1 },
        DecimalAmount: { type: 'string', pattern: '^[0-9]+\\.[0-9]{2}$' },
        Category: { type: 'object', required: ['id'], properties: { id: { type: 'integer' }, children: { type: 'array', items: schema('Category') } } },
        Product: {
          type: 'object',
          required: ['id', 'name', 'currency'],
          properties: {
            id: schema('ProductId'),
            name: { type: 'string' },
            currency: { type: 'string', enum: ['USD', 'EUR'] },
            discount: { type: ['number', 'null'] },
            category: schema('Category'),
          },
        },
        OrderStatus: { type: 'string', enum: ['PENDING', 'DELIVERED', 'CANCELLED'] },
        Voucher: { type: 'object', required: ['code'], properties: { code: { type: 'string' }, pin: { type: ['string', 'null'] } } },
        OrderItem: { type: 'object', required: ['id', 'status'], properties: { id: { type: 'string' }, status: schema('OrderStatus'), voucher: schema('Voucher') } },
        EmailDelivery: { type: 'object', required: ['email'], properties: { email: { type: 'string', format: 'email' } } },
        SmsDelivery: { type: 'object', required: ['phone'], properties: { phone: { type: 'string' } } },
        Order: {
          type: 'object',
          required: ['id', 'status', 'amount', 'items'],
          properties: {
            id: { type: 'string' },
            status: schema('OrderStatus'),
            amount: schema('DecimalAmount'),
            quantity: { type: 'integer' },
            reference: { type: ['string', 'null'], maxLength: 100 },
            items: { type: 'array', items: schema('OrderItem') },
            delivery: { oneOf: [schema('EmailDelivery'), schema('SmsDelivery')] },
          },
        },
        CreateOrderRequest: {
          type: 'object',
          additionalProperties: false,
          required: ['product_id', 'amount', 'quantity'],
          properties: {
            product_id: schema('ProductId'),
            amount: schema('DecimalAmount'),
            quantity: { type: 'integer', minimum: 1, maximum: 1000 },
            reference: { type: 'string', maxLength: 100 },
            priority: { type: 'string', enum: ['NORMAL', 'HIGH'] },
            customer_info: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' }, email: { type: 'string', format: 'email' } } },
            delivery: { oneOf: [schema('EmailDelivery'), schema('SmsDelivery')] },
          },
        },
        WebhookEventType: { type: 'string', enum: ['order.delivered', 'order.cancelled'] },
        UpsertWebhookRequest: {
          type: 'object',
          required: ['url', 'events'],
          properties: { url: { type: 'string', format: 'uri' }, events: { type: 'array', minItems: 1, items: schema('WebhookEventType') } },
        },
        WebhookEventEnvelope: {
          type: 'object',
          required: ['event_id', 'event_type', 'created_at', 'data'],
          properties: { event_id: { type: 'string' }, event_type: schema('WebhookEventType'), created_at: { type: 'string', format: 'date-time' }, data: { type: 'object' } },
        },
        OrderWebhookEvent: {
          allOf: [
            schema('WebhookEventEnvelope'),
            { type: 'object', properties: { data: { type: 'object', required: ['order_id', 'status'], properties: { order_id: { type: 'string' }, status: schema('OrderStatus') } } } },
          ],
        },
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['name', 'code', 'message'],
              properties: {
                name: { type: 'string' },
                code: { type: 'string', pattern: '^E_[A-Z0-9_]+$' },
                message: { type: 'string' },
                messages: { type: 'array', items: { type: 'string' } },
              },
            },
          },
        },
      },
      parameters: {
        Page: { name: 'page', in: 'query', required: false, schema: { type: 'integer', minimum: 1 } },
        Limit: { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100 } },
        IdempotencyKey: { name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', maxLength: 255 } },
        IdempotencyKeyOptional: { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } },
        XTimestamp: { name: 'X-Timestamp', in: 'header', required: true, schema: { type: 'string', pattern: '^[0-9]{1,12}$' } },
        XSignature: { name: 'X-Signature', in: 'header', required: true, schema: { type: 'string', pattern: '^t=[0-9]{1,12},v1=[0-9a-f]{64}$' } },
      },
      headers: {
        'X-Trace-ID': { required: true, schema: { type: 'string' } },
        'X-Page': { required: true, schema: { type: 'integer' } },
        'X-Total-Count': { required: true, schema: { type: 'integer' } },
        'X-Has-More': { required: true, schema: { type: 'boolean' } },
      },
      responses: {
        BadRequest: errorResponse('Invalid request.', ['E_VALIDATION_FAILURE', 'E_IDEMPOTENCY_KEY_MISSING']),
        NotFound: errorResponse('Not found.', ['E_NOT_FOUND']),
        Conflict: errorResponse('Key in use.', ['E_IDEMPOTENCY_KEY_IN_USE']),
        Unprocessable: errorResponse('Cannot be carried out.', ['E_IDEMPOTENCY_KEY_REUSED', 'E_INSUFFICIENT_FUNDS']),
        InternalError: errorResponse('Server error.', ['E_INTERNAL']),
        TooManyRequests: errorResponse('Rate limited.', ['E_RATE_LIMITED']),
      },
    },
  };
}
