/**
 * DESIGN "Enums": input enums are accepted in any case. The spec says so in a form any JSON Schema validator
 * understands (an `anyOf` of the canonical enum and a case-insensitive pattern), so Ajv, Prism and
 * express-openapi-validator accept `status=pending` as the sandbox and the ENUM-INPUT-ANY-CASE check do.
 * Prism's view of it is in conformance/server/prism.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { deref, isObject, loadSpec } from '@starship/contract';

const spec = loadSpec('starship') as Record<string, any>;
const UPPER = /^[A-Z][A-Z0-9_]*$/;

interface Input {
  where: string;
  schema: unknown;
}

/** Every query parameter schema (JSON `content` ones too) and JSON request body of the partner API. */
function inputs(): Input[] {
  const out: Input[] = [];
  for (const [path, item] of Object.entries<any>(spec.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (!isObject(op) || typeof op.operationId !== 'string') continue;
      for (const raw of [...(item.parameters ?? []), ...((op.parameters as unknown[]) ?? [])]) {
        const parameter = deref(spec, raw) as any;
        if (parameter.in !== 'query') continue;
        out.push({ where: `${op.operationId} ?${parameter.name}`, schema: parameter.schema ?? parameter.content?.['application/json']?.schema });
      }
      const body = op.requestBody && (deref(spec, op.requestBody) as any).content?.['application/json']?.schema;
      if (body) out.push({ where: `${op.operationId} body (${method.toUpperCase()} ${path})`, schema: body });
    }
  }
  return out;
}

interface Found {
  bare: string[];
  caseInsensitive: Array<{ where: string; members: string[]; pattern: string }>;
}

/** UPPERCASE enums reachable from an input: either inside an `anyOf` with a pattern branch, or bare. */
function walk(schema: unknown, where: string, found: Found, seen = new Set<unknown>()): void {
  const node = deref(spec, schema) as any;
  if (typeof node !== 'object' || node === null || seen.has(node)) return;
  seen.add(node);
  const branches = (Array.isArray(node.anyOf) ? node.anyOf : []).map((b: unknown) => deref(spec, b) as any);
  const enumBranch = branches.find((b: any) => Array.isArray(b?.enum) && b.enum.every((v: unknown) => typeof v === 'string' && UPPER.test(v)));
  const patternBranch = branches.find((b: any) => typeof b?.pattern === 'string');
  if (enumBranch && patternBranch) {
    found.caseInsensitive.push({ where, members: enumBranch.enum, pattern: patternBranch.pattern });
    return;
  }
  if (Array.isArray(node.enum) && node.enum.some((v: unknown) => typeof v === 'string' && UPPER.test(v))) found.bare.push(`${where}: enum ${node.enum.join(', ')}`);
  for (const [name, child] of Object.entries(isObject(node.properties) ? node.properties : {})) walk(child, `${where}.${name}`, found, seen);
  if (node.items) walk(node.items, `${where}[]`, found, seen);
  for (const branch of [...(node.allOf ?? []), ...(node.oneOf ?? []), ...(node.anyOf ?? [])]) walk(branch, where, found, seen);
}

const found: Found = { bare: [], caseInsensitive: [] };
for (const { where, schema } of inputs()) walk(schema, where, found);

test('no input enum is declared UPPERCASE-only: each is the canonical enum or the same values in any case', () => {
  assert.deepEqual(found.bare, []);
  assert.deepEqual(found.caseInsensitive.map((f) => f.where).sort(), ['listOrders ?status', 'listProducts ?sort.direction', 'listTransactions ?type', 'updateWebhook body (PUT /webhooks/{webhook_id}).status']);
});

test('each case-insensitive pattern accepts exactly the enum members in any case', () => {
  const mixed = (value: string) => [...value].map((c, i) => (i % 2 ? c.toLowerCase() : c)).join('');
  for (const { where, members, pattern } of found.caseInsensitive) {
    const regex = new RegExp(pattern, 'u');
    for (const member of members) {
      for (const spelling of [member, member.toLowerCase(), mixed(member)]) assert.ok(regex.test(spelling), `${where}: ${spelling} is refused`);
      for (const spelling of [`${member}X`, ` ${member}`, member.slice(1)]) assert.ok(!regex.test(spelling), `${where}: ${JSON.stringify(spelling)} is accepted`);
    }
    assert.ok(!regex.test(''), `${where}: the empty string is accepted`);
  }
});

test('Ajv (JSON Schema 2020-12, as in the spec) accepts status=pending and type=debit, and refuses an unknown value', () => {
  const ajv = new Ajv2020({ strict: false });
  ajv.addSchema({ $id: 'starship', components: spec.components });
  const schemaOf = (operationId: string, name: string) => {
    const where = inputs().find((input) => input.where === `${operationId} ?${name}`);
    return JSON.parse(JSON.stringify(where!.schema).replace(/"#\/components\//g, '"starship#/components/'));
  };
  const status = ajv.compile(schemaOf('listOrders', 'status'));
  const type = ajv.compile(schemaOf('listTransactions', 'type'));
  for (const value of ['PENDING', 'pending', 'Delivered', 'partially_delivered']) assert.ok(status(value), `status=${value}`);
  for (const value of ['DEBIT', 'debit', 'Refund']) assert.ok(type(value), `type=${value}`);
  assert.ok(!status('pendingx') && !status('') && !type('withdrawal'));
});
