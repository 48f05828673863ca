/**
 * PAGE: every list answers X-Page, X-Per-Page, X-Total-Count, X-Total-Pages, X-Page-Size and X-Has-More,
 * and they agree with the body and with each other across pages.
 */
import type { StarshipOperationId } from '@starship/spec/starship-operations';
import type { Reply } from '../api-client.ts';
import { CLAUSES } from '../clauses.ts';
import type { SuiteContext } from '../context.ts';
import { expectError, expectStatus } from '../fixtures.ts';
import { expect, type Check } from '../types.ts';

const LISTS: StarshipOperationId[] = ['listCategories', 'listProducts', 'listOrders', 'listWallets', 'listTransactions', 'listWebhooks'];
const INTEGER_HEADERS = ['X-Page', 'X-Per-Page', 'X-Total-Count', 'X-Total-Pages', 'X-Page-Size'] as const;

interface Pagination {
  page: number;
  perPage: number;
  total: number;
  totalPages: number;
  pageSize: number;
  hasMore: boolean;
}

function pagination(reply: Reply, what: string): Pagination {
  const [page, perPage, total, totalPages, pageSize] = INTEGER_HEADERS.map((name) => {
    const value = reply.headers.get(name);
    expect(value !== null, `${what} has no ${name}`);
    expect(/^\d+$/.test(value), `${what}: ${name} ${JSON.stringify(value)} is not an integer`);
    return Number(value);
  }) as [number, number, number, number, number];
  const hasMore = reply.headers.get('X-Has-More');
  expect(hasMore === 'true' || hasMore === 'false', `${what}: X-Has-More ${JSON.stringify(hasMore)} is not true/false`);
  return { page, perPage, total, totalPages, pageSize, hasMore: hasMore === 'true' };
}

async function listPage(ctx: SuiteContext, operationId: StarshipOperationId, page: number, limit: number) {
  const what = `${operationId}?page=${page}&limit=${limit}`;
  const reply = await ctx.api.call(operationId, { query: { page, limit } });
  expectStatus(reply, 200, what);
  expect(Array.isArray(reply.body), `${what}: the body is not an array`);
  const p = pagination(reply, what);
  const items = reply.body as Array<Record<string, unknown>>;
  expect(p.page === page, `${what}: X-Page is ${p.page}`);
  expect(p.perPage === limit, `${what}: X-Per-Page is ${p.perPage}`);
  expect(p.pageSize === items.length, `${what}: X-Page-Size ${p.pageSize} but the body has ${items.length} items`);
  expect(p.totalPages === Math.ceil(p.total / limit), `${what}: X-Total-Pages ${p.totalPages} ≠ ceil(X-Total-Count ${p.total} / ${limit})`);
  expect(p.hasMore === page < p.totalPages, `${what}: X-Has-More ${p.hasMore} on page ${page} of ${p.totalPages}`);
  expect(items.length === Math.max(0, Math.min(limit, p.total - (page - 1) * limit)), `${what}: ${items.length} items on page ${page} of ${p.total} total`);
  return { p, items };
}

export const PAGE_CHECKS: Check[] = [
  {
    id: 'PAGE-HEADERS',
    group: 'PAGE',
    title: 'Every list operation answers the six pagination headers',
    level: 'MUST',
    clause: CLAUSES.pagination,
    needs: 'spec',
    run: async (ctx) => {
      for (const operationId of LISTS) {
        const reply = await ctx.api.call(operationId);
        expectStatus(reply, 200, operationId);
        pagination(reply, operationId);
      }
      return `${LISTS.join(', ')}`;
    },
  },
  {
    id: 'PAGE-CONSISTENT',
    group: 'PAGE',
    title: 'Pagination headers agree with the body and the request',
    level: 'MUST',
    clause: CLAUSES.pagination,
    needs: 'server',
    run: async (ctx) => {
      await listPage(ctx, 'listProducts', 2, 3);
      await listPage(ctx, 'listCategories', 1, 2);
      await listPage(ctx, 'listTransactions', 1, 5);
    },
  },
  {
    id: 'PAGE-WALK',
    group: 'PAGE',
    title: 'Walking every page yields X-Total-Count distinct items',
    level: 'MUST',
    clause: CLAUSES.pagination,
    needs: 'server',
    run: async (ctx) => {
      const seen = new Set<unknown>();
      let total = 0;
      for (let page = 1; page <= 20; page++) {
        const { p, items } = await listPage(ctx, 'listCategories', page, 2);
        total = p.total;
        for (const item of items) {
          expect(!seen.has(item.id), `category ${String(item.id)} appears on two pages`);
          seen.add(item.id);
        }
        if (!p.hasMore) break;
      }
      expect(seen.size === total, `walking GET /categories gave ${seen.size} categories, X-Total-Count says ${total}`);
      return `${total} categories over ${Math.ceil(total / 2)} pages`;
    },
  },
  {
    id: 'PAGE-BEYOND-LAST',
    group: 'PAGE',
    title: 'A page past the last is 200 [] with X-Has-More: false',
    level: 'SHOULD',
    clause: CLAUSES.pagination,
    needs: 'server',
    run: async (ctx) => {
      const first = await listPage(ctx, 'listCategories', 1, 5);
      const { items } = await listPage(ctx, 'listCategories', first.p.totalPages + 1, 5);
      expect(items.length === 0, `page ${first.p.totalPages + 1} of ${first.p.totalPages} returned items`);
    },
  },
  {
    id: 'PAGE-LIMIT-INVALID',
    group: 'PAGE',
    title: 'limit=0 or page=0 → 400 E_VALIDATION_FAILURE',
    level: 'SHOULD',
    clause: CLAUSES.paginationParams,
    needs: 'spec',
    run: async (ctx) => {
      expectError(await ctx.api.call('listProducts', { query: { limit: 0 } }), 400, 'E_VALIDATION_FAILURE', 'GET /products?limit=0');
      expectError(await ctx.api.call('listProducts', { query: { page: 0 } }), 400, 'E_VALIDATION_FAILURE', 'GET /products?page=0');
    },
  },
];
