/**
 * ENUM: responses (and webhook payloads) carry enum values in canonical UPPERCASE; input enums are accepted
 * in any case. Which response keys hold enums is read from the bundled spec, so a new enum field is
 * covered without touching this file.
 */
import { deref, loadSpec, isObject } from '@starship/contract';
import { CLAUSES } from '../clauses.ts';
import { expectStatus } from '../fixtures.ts';
import { expect, fail, type Check } from '../types.ts';
import { audited, listProblems } from './audit.ts';

const UPPER = /^[A-Z][A-Z0-9_]*$/;
const spec: any = loadSpec('starship');

// The walk below reads schema keywords loosely; the document is the validated bundle.
const derefSchema = (node: unknown): any => deref(spec, node);

/** Property names whose schema is an enum of UPPERCASE values (event-type names are lowercase by design). */
function enumKeys(): Set<string> {
  const keys = new Set<string>();
  const visited = new Set<unknown>();
  const walk = (raw: unknown) => {
    const schema = derefSchema(raw);
    if (!isObject(schema) || visited.has(schema)) return;
    visited.add(schema);
    for (const [name, child] of Object.entries(isObject(schema.properties) ? schema.properties : {})) {
      const resolved = derefSchema(child);
      const values = resolved?.enum ?? derefSchema(resolved?.items)?.enum;
      if (Array.isArray(values) && values.every((v) => typeof v === 'string' && UPPER.test(v))) keys.add(name);
      walk(child);
    }
    for (const keyword of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(schema[keyword])) schema[keyword].forEach(walk);
    if (schema.items !== undefined) walk(schema.items);
  };
  for (const schema of Object.values(spec.components?.schemas ?? {})) walk(schema);
  return keys;
}

const ENUM_KEYS = enumKeys();

/** Every enum-keyed string value in a JSON value that is not UPPERCASE, as `path: value`. */
function lowercaseEnums(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => lowercaseEnums(item, `${path}[${i}]`));
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const here = path ? `${path}.${key}` : key;
    if (ENUM_KEYS.has(key) && typeof child === 'string' && !UPPER.test(child)) return [`${here}: ${JSON.stringify(child)}`];
    return lowercaseEnums(child, here);
  });
}

export const ENUM_CHECKS: Check[] = [
  {
    id: 'ENUM-INPUT-ANY-CASE',
    group: 'ENUM',
    title: 'Input enums are accepted in any case (status=pending, status=Delivered, type=debit)',
    level: 'MUST',
    clause: CLAUSES.enumCase,
    needs: 'server',
    run: async (ctx) => {
      for (const [operationId, name, value, canonical] of [
        ['listOrders', 'status', 'pending', 'PENDING'],
        ['listOrders', 'status', 'Delivered', 'DELIVERED'],
        ['listTransactions', 'type', 'debit', 'DEBIT'],
      ] as const) {
        const reply = await ctx.api.call(operationId, { query: { [name]: value } });
        expectStatus(reply, 200, `${operationId}?${name}=${value}`);
        const wrong = (Array.isArray(reply.body) ? reply.body : []).filter((item) => item?.[name] !== canonical);
        expect(wrong.length === 0, `${operationId}?${name}=${value} returned items with ${name} ${JSON.stringify(wrong[0]?.[name])}`);
      }
    },
  },
  {
    id: 'ENUM-UPPERCASE',
    group: 'ENUM',
    title: 'Every enum value in responses and webhook payloads is canonical UPPERCASE',
    level: 'MUST',
    clause: CLAUSES.enumCase,
    needs: 'spec',
    audit: true,
    run: async (ctx) => {
      const detail = listProblems(audited(ctx.api.exchanges), (e) => lowercaseEnums(e.body).slice(0, 3).join(', ') || undefined, 'responses');
      const received = ctx.receiverDeliveries();
      const bad = received.flatMap((d) => lowercaseEnums(d.json).map((p) => `${d.path}: ${p}`));
      if (bad.length > 0) fail(`${bad.length} lowercase enum values in webhook payloads: ${bad.slice(0, 5).join('; ')}`);
      return `${detail}; ${received.length} webhook payloads checked`;
    },
  },
];
