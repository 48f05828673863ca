/**
 * DESIGN "Enums": input enums are accepted in any case and the legacy `REALTIME` means `INSTANT`. Rather than
 * listing fields, the enums are found in the spec itself: for every operation, each query parameter's schema
 * (JSON `content` parameters included) and the JSON request body schema are compiled once into a plan of
 * where string enums sit; at request time only those places are rewritten to their canonical spelling,
 * before the validator sees the request. Values that match no member are left for the validator to reject.
 */
import type { RequestHandler } from 'express';
import { ENUM_ALIASES } from '../domain/enums.ts';
import { contextOf } from './context.ts';
import type { Operation, OperationTable } from './operations.ts';
import { deref, isObject, type Json, type OpenApiDocument } from '@starship/contract';

export interface EnumPlan {
  /** lower-case spelling → canonical member */
  members?: Map<string, string>;
  properties?: Map<string, EnumPlan>;
  items?: EnumPlan;
  /** allOf / anyOf / oneOf branches, applied in turn (a member match is unambiguous). */
  branches?: EnumPlan[];
}

export function compileEnumPlan(doc: OpenApiDocument, schema: unknown, inProgress = new Set<unknown>()): EnumPlan | undefined {
  const node = deref(doc, schema);
  if (!isObject(node) || inProgress.has(node)) return undefined;
  inProgress.add(node);
  const plan: EnumPlan = {};
  const members = Array.isArray(node.enum) ? node.enum.filter((m): m is string => typeof m === 'string') : [];
  if (members.length > 0) {
    plan.members = new Map(members.map((m) => [m.toLowerCase(), m]));
    for (const [alias, canonical] of Object.entries(ENUM_ALIASES)) {
      if (members.includes(canonical) && !plan.members.has(alias.toLowerCase())) plan.members.set(alias.toLowerCase(), canonical);
    }
  }
  if (isObject(node.properties)) {
    const properties = new Map<string, EnumPlan>();
    for (const [name, child] of Object.entries(node.properties)) {
      const childPlan = compileEnumPlan(doc, child, inProgress);
      if (childPlan) properties.set(name, childPlan);
    }
    if (properties.size > 0) plan.properties = properties;
  }
  if (node.items !== undefined) plan.items = compileEnumPlan(doc, node.items, inProgress);
  const branches = (['allOf', 'anyOf', 'oneOf'] as const)
    .flatMap((keyword) => (Array.isArray(node[keyword]) ? (node[keyword] as unknown[]) : []))
    .map((branch) => compileEnumPlan(doc, branch, inProgress))
    .filter((branch): branch is EnumPlan => branch !== undefined);
  if (branches.length > 0) plan.branches = branches;
  inProgress.delete(node);
  for (const key of Object.keys(plan) as (keyof EnumPlan)[]) if (plan[key] === undefined) delete plan[key];
  return Object.keys(plan).length > 0 ? plan : undefined;
}

/** Returns the value with enum members canonicalised; objects and arrays are rewritten in place. */
export function applyEnumPlan(plan: EnumPlan, value: unknown): unknown {
  let result = value;
  if (plan.members && typeof result === 'string') result = plan.members.get(result.toLowerCase()) ?? result;
  if (plan.properties && isObject(result)) {
    for (const [key, child] of plan.properties) if (Object.hasOwn(result, key)) result[key] = applyEnumPlan(child, result[key]);
  }
  if (plan.items && Array.isArray(result)) {
    for (let i = 0; i < result.length; i++) result[i] = applyEnumPlan(plan.items, result[i]);
  }
  for (const branch of plan.branches ?? []) result = applyEnumPlan(branch, result);
  return result;
}

interface QueryPlan {
  plan: EnumPlan;
  /** A `content: application/json` parameter: the value is JSON text. */
  json: boolean;
}

interface OperationPlan {
  query: Map<string, QueryPlan>;
  body?: EnumPlan;
}

function compileOperation(doc: OpenApiDocument, operation: Operation): OperationPlan | undefined {
  const query = new Map<string, QueryPlan>();
  for (const parameter of operation.parameters) {
    if (parameter.in !== 'query' || typeof parameter.name !== 'string') continue;
    const content = isObject(parameter.content) ? parameter.content['application/json'] : undefined;
    const schema = isObject(content) ? content.schema : parameter.schema;
    const plan = compileEnumPlan(doc, schema);
    if (plan) query.set(parameter.name, { plan, json: isObject(content) });
  }
  const body = compileEnumPlan(doc, operation.bodySchema);
  if (query.size === 0 && !body) return undefined;
  return { query, ...(body ? { body } : {}) };
}

function normaliseQueryValue(entry: QueryPlan, value: string): string {
  if (!entry.json) return applyEnumPlan(entry.plan, value) as string;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return value;
  }
  return JSON.stringify(applyEnumPlan(entry.plan, parsed));
}

export function enumNormalisation(doc: OpenApiDocument, table: OperationTable): RequestHandler {
  const plans = new Map<string, OperationPlan>();
  for (const operation of table.operations) {
    const plan = compileOperation(doc, operation);
    if (plan) plans.set(operation.operationId, plan);
  }
  return (req, res, next) => {
    const operation = contextOf(res).operation;
    const plan = operation && plans.get(operation.operationId);
    if (!plan) return next();
    if (plan.body && req.body !== undefined) req.body = applyEnumPlan(plan.body, req.body);
    if (plan.query.size > 0) {
      // Express 5 re-parses req.query on every read; pin the rewritten copy as an own property.
      const query = req.query as Json;
      for (const [name, entry] of plan.query) {
        const value = query[name];
        if (typeof value === 'string') query[name] = normaliseQueryValue(entry, value);
        else if (Array.isArray(value)) query[name] = value.map((v) => (typeof v === 'string' ? normaliseQueryValue(entry, v) : v));
      }
      Object.defineProperty(req, 'query', { value: query, writable: true, configurable: true, enumerable: true });
    }
    next();
  };
}
