import { isObject, type Json, childPointer } from '@starship/contract';
import type { DiffContext, Usage } from './context.ts';
import { type Located, type SpecDocument } from './document.ts';
import { fingerprint } from './schema-view.ts';
import { compareSchemas, emit, type Domain, type SchemaScope } from './schemas.ts';

export interface Parameter {
  name: string;
  in: string;
  node: Json;
  /** The parameter after `$ref`s (a component when shared). */
  located: Located;
  /** Its entry in the operation's `parameters`: where an addition or removal is, since those are per operation. */
  slot: string;
  /** Its schema (or its single `content` media type's schema). */
  schema: Located | undefined;
}

const AUTH_DOMAIN: Domain = { rule: 'auth-header-changed', levels: Infinity };

/** Path parameters are matched by position in the template, so renaming `{id}` to `{order_id}` is not a change. */
function parameterKey(parameter: Parameter, template: string): string {
  if (parameter.in === 'path') {
    const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    return `path:${names.indexOf(parameter.name)}`;
  }
  return `${parameter.in}:${parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name}`;
}

function schemaOf(located: Located, node: Json): Located | undefined {
  if (node.schema !== undefined) return { node: node.schema, pointer: childPointer(located.pointer, 'schema') };
  if (!isObject(node.content)) return undefined;
  const [media, body] = Object.entries(node.content)[0] ?? [];
  if (media === undefined || !isObject(body) || body.schema === undefined) return undefined;
  return { node: body.schema, pointer: childPointer(located.pointer, 'content', media, 'schema') };
}

function readParameters(doc: SpecDocument, owner: Located): Parameter[] {
  const list = isObject(owner.node) ? owner.node.parameters : undefined;
  if (!Array.isArray(list)) return [];
  const result: Parameter[] = [];
  list.forEach((entry, i) => {
    const slot = childPointer(owner.pointer, 'parameters', i);
    const located = doc.deref({ node: entry, pointer: slot });
    const node = located.node;
    if (!isObject(node) || typeof node.name !== 'string' || typeof node.in !== 'string') return;
    result.push({ name: node.name, in: node.in, node, located, slot, schema: schemaOf(located, node) });
  });
  return result;
}

/** Path-item parameters overridden by the operation's own, keyed as `parameterKey` says. */
export function operationParameters(doc: SpecDocument, pathItem: Located, operation: Located, template: string): Map<string, Parameter> {
  const result = new Map<string, Parameter>();
  for (const parameter of [...readParameters(doc, pathItem), ...readParameters(doc, operation)]) result.set(parameterKey(parameter, template), parameter);
  return result;
}

function style(parameter: Parameter): string {
  const declared = parameter.node.style;
  if (typeof declared === 'string') return declared;
  return parameter.in === 'query' || parameter.in === 'cookie' ? 'form' : 'simple';
}

function explode(parameter: Parameter): boolean {
  return typeof parameter.node.explode === 'boolean' ? parameter.node.explode : style(parameter) === 'form';
}

const isRequired = (parameter: Parameter) => parameter.in === 'path' || parameter.node.required === true;

export interface ParameterSide {
  parameters: Map<string, Parameter>;
  /** Where a removed parameter is pointed at in the revision. */
  anchor: string;
}

/** Compares what a client sends as parameters; header names in `authHeaders` (lower case) are the auth-header contract. */
export function compareParameters(ctx: DiffContext, before: ParameterSide, after: ParameterSide, usage: Usage, operation: string, authHeaders: ReadonlySet<string>): void {
  // A shared parameter's change shows once for every operation using it, so it does not name one of them.
  const labelOf = (parameter: Parameter, shared = parameter.located.pointer.startsWith('#/components/')) =>
    `${parameter.in} parameter \`${parameter.name}\`${shared ? '' : ` of \`${operation}\``}`;
  const isAuth = (parameter: Parameter) => parameter.in === 'header' && authHeaders.has(parameter.name.toLowerCase());
  // A rename involving an auth header on either side is an auth-header change.
  const scopeFor = (parameter: Parameter, other?: Parameter): SchemaScope => ({
    direction: 'request',
    usage,
    subject: labelOf(parameter),
    field: '',
    domain: isAuth(parameter) || (other !== undefined && isAuth(other)) ? AUTH_DOMAIN : undefined,
  });
  const removed: Parameter[] = [];
  for (const [key, was] of before.parameters) {
    const now = after.parameters.get(key);
    if (now === undefined) {
      removed.push(was);
      continue;
    }
    const scope = scopeFor(now);
    const location = now.located.pointer;
    const label = labelOf(now);
    if (!isRequired(was) && isRequired(now)) emit(ctx, scope, 'request-parameter-became-required', location, location, `The ${label} became required`);
    if (isRequired(was) && !isRequired(now)) emit(ctx, scope, 'request-parameter-became-optional', location, location, `The ${label} became optional`);
    if (style(was) !== style(now) || explode(was) !== explode(now)) {
      emit(ctx, scope, 'request-parameter-style-changed', location, location, `The ${label} is serialized as style=${style(now)}, explode=${explode(now)} instead of style=${style(was)}, explode=${explode(was)}`);
    }
    if (was.schema !== undefined && now.schema !== undefined) compareSchemas(ctx, [was.schema], [now.schema], scope);
  }
  const added = [...after.parameters.entries()].filter(([key]) => !before.parameters.has(key)).map(([, p]) => p);
  const unmatched = new Set(added);
  for (const was of removed) {
    const print = was.schema === undefined ? '' : fingerprint([was.schema]);
    const renamed = [...unmatched].find((p) => p.in === was.in && p.in !== 'path' && (p.schema === undefined ? '' : fingerprint([p.schema])) === print);
    const label = labelOf(was, false);
    if (renamed !== undefined) {
      unmatched.delete(renamed);
      emit(ctx, scopeFor(was, renamed), 'request-parameter-renamed', renamed.slot, renamed.slot, `The ${label} was renamed to \`${renamed.name}\``);
    } else {
      emit(ctx, scopeFor(was), 'request-parameter-removed', was.slot, after.anchor, `The ${label} was removed`);
    }
  }
  for (const now of unmatched) {
    const label = labelOf(now, false);
    if (isRequired(now)) emit(ctx, scopeFor(now), 'request-required-parameter-added', now.slot, now.slot, `New required ${label}: existing callers do not send it`);
    else emit(ctx, scopeFor(now), 'request-parameter-added', now.slot, now.slot, `New optional ${label}`);
  }
}
