import { isObject, childPointer } from '@starship/contract';
import type { DiffContext, Usage } from './context.ts';
import { type Located, type SpecDocument } from './document.ts';
import { compareOperationExtensions, isPlanned } from './extensions.ts';
import { compareParameters, operationParameters } from './parameters.ts';
import { compareRequestBodies } from './request-bodies.ts';
import { compareResponses } from './responses.ts';
import { compareSecurityRequirements } from './security.ts';

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface PathItem {
  template: string;
  located: Located;
}

interface OperationPair {
  base: Located;
  revision: Located;
  basePathItem: PathItem;
  revisionPathItem: PathItem;
  /** `POST /orders/{order_id}`, with the revision's template. */
  label: string;
  usage: Usage;
  /** Lower-cased names of the headers the auth-header clause covers. */
  authHeaders: ReadonlySet<string>;
}

type OperationCheck = (ctx: DiffContext, pair: OperationPair) => void;

/** `/orders/{id}` and `/orders/{order_id}` are the same endpoint: a path parameter's name is not on the wire. */
const normalize = (template: string) => template.replace(/\{[^}]+\}/g, '{}');

function pathItems(doc: SpecDocument): Map<string, PathItem> {
  const result = new Map<string, PathItem>();
  for (const [template, located] of doc.entries({ node: doc.root, pointer: '#' }, 'paths')) result.set(normalize(template), { template, located: doc.deref(located) });
  return result;
}

function operationsOf(doc: SpecDocument, item: PathItem): Map<string, Located> {
  const result = new Map<string, Located>();
  for (const method of METHODS) {
    const node = isObject(item.located.node) ? item.located.node[method] : undefined;
    if (isObject(node)) result.set(method, doc.deref({ node, pointer: childPointer(item.located.pointer, method) }));
  }
  return result;
}

/** The headers the auth-header clause names, plus the ones this spec declares for API keys and signing. */
function authHeaderNames(doc: SpecDocument): Set<string> {
  const names = new Set(['x-api-key', 'x-api-secret', 'x-signature', 'x-timestamp', 'idempotency-key']);
  const schemes = isObject(doc.root.components) ? doc.root.components.securitySchemes : undefined;
  if (isObject(schemes)) {
    for (const scheme of Object.values(schemes)) if (isObject(scheme) && scheme.in === 'header' && typeof scheme.name === 'string') names.add(scheme.name.toLowerCase());
  }
  const signing = doc.root['x-starship-signing'];
  if (isObject(signing)) {
    for (const key of ['timestamp_header', 'signature_header']) if (typeof signing[key] === 'string') names.add(signing[key].toLowerCase());
  }
  return names;
}

const deprecatedCheck: OperationCheck = (ctx, { base, revision, usage, label }) => {
  const was = isObject(base.node) && base.node.deprecated === true;
  const now = isObject(revision.node) && revision.node.deprecated === true;
  if (!was && now) ctx.report('operation-deprecated', usage, { location: revision.pointer, anchor: childPointer(revision.pointer, 'deprecated'), message: `\`${label}\` is deprecated` });
};

const operationIdCheck: OperationCheck = (ctx, { base, revision, usage, label }) => {
  const was = isObject(base.node) ? base.node.operationId : undefined;
  const now = isObject(revision.node) ? revision.node.operationId : undefined;
  if (typeof was === 'string' && typeof now === 'string' && was !== now) {
    ctx.report('operation-id-changed', usage, { location: revision.pointer, anchor: childPointer(revision.pointer, 'operationId'), message: `The operationId of \`${label}\` changed from \`${was}\` to \`${now}\` (generated SDK method names follow it)` });
  }
};

const extensionsCheck: OperationCheck = (ctx, { base, revision, usage, label }) => compareOperationExtensions(ctx, base, revision, usage, label);
const securityCheck: OperationCheck = (ctx, { base, revision, usage, label }) => compareSecurityRequirements(ctx, base, revision, usage, label);

const parametersCheck: OperationCheck = (ctx, pair) => {
  const before = operationParameters(ctx.base, pair.basePathItem.located, pair.base, pair.basePathItem.template);
  const after = operationParameters(ctx.revision, pair.revisionPathItem.located, pair.revision, pair.revisionPathItem.template);
  compareParameters(ctx, { parameters: before, anchor: pair.revision.pointer }, { parameters: after, anchor: pair.revision.pointer }, pair.usage, pair.label, pair.authHeaders);
};

const requestBodyCheck: OperationCheck = (ctx, { base, revision, usage, label }) => compareRequestBodies(ctx, base, revision, usage, label);
const responsesCheck: OperationCheck = (ctx, { base, revision, usage, label }) => compareResponses(ctx, base, revision, usage, label);

const OPERATION_CHECKS: OperationCheck[] = [deprecatedCheck, operationIdCheck, extensionsCheck, securityCheck, parametersCheck, requestBodyCheck, responsesCheck];

/** The operation and the path-item parameters it inherits are the same JSON, referencing only unchanged nodes. */
function unchangedOperation(ctx: DiffContext, { base, revision, basePathItem, revisionPathItem }: OperationPair): boolean {
  if (base.pointer !== revision.pointer || !ctx.unchanged.has(base.pointer)) return false;
  const inherited = (item: PathItem) => (isObject(item.located.node) ? item.located.node.parameters : undefined);
  if (inherited(basePathItem) === undefined && inherited(revisionPathItem) === undefined) return true;
  return basePathItem.located.pointer === revisionPathItem.located.pointer && ctx.unchanged.has(childPointer(basePathItem.located.pointer, 'parameters'));
}

function plannedNote(operation: Located): string {
  if (!isPlanned(operation)) return '';
  const flag = isObject(operation.node) ? operation.node['x-starship-feature-flag'] : undefined;
  return ` (planned${typeof flag === 'string' ? `, behind feature flag ${flag}` : ''})`;
}

export function compareOperations(ctx: DiffContext): void {
  const before = pathItems(ctx.base);
  const after = pathItems(ctx.revision);
  const authHeaders = authHeaderNames(ctx.base);
  for (const [key, basePathItem] of before) {
    const revisionPathItem = after.get(key);
    const revisionOperations = revisionPathItem ? operationsOf(ctx.revision, revisionPathItem) : new Map<string, Located>();
    for (const [method, base] of operationsOf(ctx.base, basePathItem)) {
      const revision = revisionOperations.get(method);
      const template = revisionPathItem?.template ?? basePathItem.template;
      const label = `${method.toUpperCase()} ${template}`;
      const usage: Usage = { label, planned: isPlanned(base) };
      if (revision === undefined) {
        const anchor = revisionPathItem?.located.pointer ?? '#/paths';
        ctx.report('operation-removed', usage, { location: base.pointer, anchor, message: `\`${method.toUpperCase()} ${basePathItem.template}\`${plannedNote(base)} was removed` });
        continue;
      }
      const pair: OperationPair = { base, revision, basePathItem, revisionPathItem: revisionPathItem!, label, usage, authHeaders };
      // Root security and schemes live outside the operation, so they are checked even when it is unchanged.
      for (const check of unchangedOperation(ctx, pair) ? [securityCheck] : OPERATION_CHECKS) check(ctx, pair);
    }
  }
  for (const [key, revisionPathItem] of after) {
    const baseOperations = before.has(key) ? operationsOf(ctx.base, before.get(key)!) : new Map<string, Located>();
    for (const [method, revision] of operationsOf(ctx.revision, revisionPathItem)) {
      if (baseOperations.has(method)) continue;
      const label = `${method.toUpperCase()} ${revisionPathItem.template}`;
      ctx.report('operation-added', undefined, { location: revision.pointer, anchor: revision.pointer, message: `New operation \`${label}\`${plannedNote(revision)}` });
    }
  }
}
