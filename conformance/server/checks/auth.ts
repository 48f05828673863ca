/** AUTH: stateless key + secret on every request, bound to an IP allowlist. */
import { CLAUSES } from '../clauses.ts';
import { summarizeReply, expectError, expectStatus } from '../fixtures.ts';
import { expect, type Check } from '../types.ts';

export const AUTH_CHECKS: Check[] = [
  {
    id: 'AUTH-VALID-CREDENTIALS',
    group: 'AUTH',
    title: 'A request with the partner key and secret is served',
    level: 'MUST',
    clause: CLAUSES.statelessAuth,
    needs: 'spec',
    run: async (ctx) => expectStatus(await ctx.api.call('listCategories'), 200, 'GET /categories with valid credentials'),
  },
  {
    id: 'AUTH-KEY-MISSING',
    group: 'AUTH',
    title: 'No X-API-Key → 401 E_UNAUTHORIZED',
    level: 'MUST',
    clause: CLAUSES.statelessAuth,
    needs: 'spec',
    run: async (ctx) => expectError(await ctx.api.call('listProducts', { omit: ['X-API-Key'] }), 401, 'E_UNAUTHORIZED', 'GET /products without X-API-Key'),
  },
  {
    id: 'AUTH-SECRET-MISSING',
    group: 'AUTH',
    title: 'No X-API-Secret → 401 E_UNAUTHORIZED',
    level: 'MUST',
    clause: CLAUSES.statelessAuth,
    needs: 'spec',
    run: async (ctx) => expectError(await ctx.api.call('listProducts', { omit: ['X-API-Secret'] }), 401, 'E_UNAUTHORIZED', 'GET /products without X-API-Secret'),
  },
  {
    id: 'AUTH-KEY-UNKNOWN',
    group: 'AUTH',
    title: 'An unknown API key → 401 E_UNAUTHORIZED',
    level: 'MUST',
    clause: CLAUSES.statelessAuth,
    needs: 'server',
    run: async (ctx) =>
      expectError(
        await ctx.api.call('listProducts', { credentials: { apiKey: 'pk_test_conformanceUnknownKey0', apiSecret: ctx.api.credentials.apiSecret } }),
        401,
        'E_UNAUTHORIZED',
        'GET /products with an unknown key',
      ),
  },
  {
    id: 'AUTH-SECRET-WRONG',
    group: 'AUTH',
    title: 'The right key with a wrong secret → 401 E_UNAUTHORIZED',
    level: 'MUST',
    clause: CLAUSES.statelessAuth,
    needs: 'server',
    run: async (ctx) =>
      expectError(
        await ctx.api.call('listProducts', { credentials: { apiKey: ctx.api.credentials.apiKey, apiSecret: `${ctx.api.credentials.apiSecret}x` } }),
        401,
        'E_UNAUTHORIZED',
        'GET /products with a wrong secret',
      ),
  },
  {
    id: 'AUTH-NO-BEARER',
    group: 'AUTH',
    title: 'A bearer token alone does not authenticate, and no session cookie is set',
    level: 'MUST',
    clause: CLAUSES.noBearer,
    needs: 'spec',
    run: async (ctx) => {
      const reply = await ctx.api.call('listProducts', { omit: ['X-API-Key', 'X-API-Secret'], headers: { Authorization: `Bearer ${ctx.api.credentials.apiSecret}` } });
      expectError(reply, 401, 'E_UNAUTHORIZED', 'GET /products with only Authorization: Bearer');
      const served = await ctx.api.call('listCategories');
      expect(served.headers.get('set-cookie') === null, `GET /categories set a cookie (${served.headers.get('set-cookie')}): auth is stateless, no sessions`);
    },
  },
  {
    id: 'AUTH-IP-ALLOWLIST',
    group: 'AUTH',
    title: 'A key whose allowlist excludes the caller → 403 E_IP_NOT_ALLOWED',
    level: 'MUST',
    clause: CLAUSES.ipAllowlist,
    needs: 'control',
    run: async (ctx) => {
      const control = ctx.requireControl();
      // TEST-NET-3 (RFC 5737) never contains the loopback caller.
      const partner = await control.createPartner({ body: { name: 'Conformance allowlist', ip_allowlist: ['203.0.113.0/24'] } });
      const credentials = { apiKey: partner.api_key, apiSecret: partner.api_secret };
      const reply = await ctx.api.call('listProducts', { credentials });
      expectError(reply, 403, 'E_IP_NOT_ALLOWED', 'GET /products from outside the allowlist');
      const write = await ctx.api.call('calculateCharges', { credentials, body: { product_id: 1, amount: '10.00', quantity: 1 } });
      expect(write.status === 403, `POST /charges from outside the allowlist: expected 403, got ${summarizeReply(write)}`);
    },
  },
];
