import { isObject, type Json, childPointer } from '@starship/contract';
import type { DiffContext, Usage } from './context.ts';
import { type Located, type SpecDocument } from './document.ts';
import { compareContent, hasContent } from './content.ts';
import { capitalize, compareSchemas, emit, type Domain, type SchemaScope } from './schemas.ts';

const ERROR_DOMAIN: Domain = { rule: 'error-envelope-changed', levels: Infinity };
const PAGINATION_DOMAIN: Domain = { rule: 'pagination-header-changed', levels: Infinity };
const PAGINATION_HEADERS: ReadonlySet<string> = new Set(['x-page', 'x-per-page', 'x-total-count', 'x-total-pages', 'x-page-size', 'x-has-more']);

export interface Header {
  name: string;
  node: Json;
  located: Located;
  slot: string;
  schema: Located | undefined;
}

/** Response headers by lower-cased name; `Content-Type` is described by `content`, not here. */
function responseHeaders(doc: SpecDocument, response: Located): Map<string, Header> {
  const result = new Map<string, Header>();
  for (const [name, entry] of doc.entries(response, 'headers')) {
    if (name.toLowerCase() === 'content-type') continue;
    const located = doc.deref(entry);
    if (!isObject(located.node)) continue;
    const schema = located.node.schema === undefined ? undefined : { node: located.node.schema, pointer: childPointer(located.pointer, 'schema') };
    result.set(name.toLowerCase(), { name, node: located.node, located, slot: entry.pointer, schema });
  }
  return result;
}

/**
 * Headers Starship sends (response headers, and the headers of a webhook delivery): clients read them, so
 * removing one or making it optional breaks them and adding one does not.
 */
export function compareHeaders(ctx: DiffContext, before: Map<string, Header>, after: Map<string, Header>, anchor: string, usage: Usage, owner: string, domainFor: (name: string) => Domain | undefined = () => undefined): void {
  const scopeFor = (header: Header): SchemaScope => ({
    direction: 'response',
    usage,
    subject: header.located.pointer.startsWith('#/components/') ? `header \`${header.name}\`` : `header \`${header.name}\` of ${owner}`,
    field: '',
    domain: domainFor(header.name.toLowerCase()) ?? (PAGINATION_HEADERS.has(header.name.toLowerCase()) ? PAGINATION_DOMAIN : undefined),
  });
  for (const [key, was] of before) {
    const now = after.get(key);
    if (now === undefined) {
      emit(ctx, scopeFor(was), 'response-header-removed', was.slot, anchor, `${capitalize(owner)} no longer sends header \`${was.name}\``);
      continue;
    }
    if (was.node.required === true && now.node.required !== true) {
      emit(ctx, scopeFor(now), 'response-header-became-optional', now.located.pointer, now.located.pointer, `${capitalize(scopeFor(now).subject)} became optional: clients can no longer rely on it`);
    }
    if (was.schema !== undefined && now.schema !== undefined) compareSchemas(ctx, [was.schema], [now.schema], scopeFor(now));
  }
  for (const [key, now] of after) {
    if (!before.has(key)) emit(ctx, scopeFor(now), 'response-header-added', now.slot, now.slot, `${capitalize(owner)} now sends header \`${now.name}\``);
  }
}

const isError = (status: string) => status === 'DEFAULT' || /^[45]/.test(status);
const statusClass = (status: string) => (status === 'DEFAULT' ? 'default' : `${status[0]}xx`);

function responsesOf(doc: SpecDocument, operation: Located): Map<string, { located: Located; slot: string }> {
  const result = new Map<string, { located: Located; slot: string }>();
  for (const [status, entry] of doc.entries(operation, 'responses')) result.set(status.toUpperCase(), { located: doc.deref(entry), slot: entry.pointer });
  return result;
}

interface ErrorCode {
  status: string;
  /** The response it is listed under, and its position in that response's list. */
  response: Located;
  index: number;
}

const codePointer = (code: ErrorCode) => childPointer(code.response.pointer, 'x-starship-error-codes', code.index);
const sharedResponse = (code: ErrorCode) => code.response.pointer.startsWith('#/components/');

/** `x-starship-error-codes` of every response of an operation: code → where it is listed. */
function errorCodes(responses: Map<string, { located: Located }>): Map<string, ErrorCode> {
  const result = new Map<string, ErrorCode>();
  for (const [status, { located }] of responses) {
    const codes = isObject(located.node) ? located.node['x-starship-error-codes'] : undefined;
    if (!Array.isArray(codes)) continue;
    codes.forEach((code, index) => {
      if (typeof code === 'string' && !result.has(code)) result.set(code, { status, response: located, index });
    });
  }
  return result;
}

function compareErrorCodes(ctx: DiffContext, before: Map<string, { located: Located }>, after: Map<string, { located: Located }>, usage: Usage, operation: string, anchor: string): void {
  const was = errorCodes(before);
  const now = errorCodes(after);
  if (was.size === now.size && [...was].every(([code, listed]) => now.get(code)?.status === listed.status)) return;
  const scope: SchemaScope = { direction: 'response', usage, subject: operation, field: '', domain: undefined };
  const where = (code: ErrorCode) => (sharedResponse(code) ? `the shared ${code.status} response` : `\`${operation}\``);
  const added = [...now.keys()].filter((code) => !was.has(code));
  const unmatched = new Set(added);
  for (const [code, listed] of was) {
    const current = now.get(code);
    if (current !== undefined) {
      if (current.status !== listed.status) {
        emit(ctx, scope, 'error-code-moved', codePointer(current), codePointer(current), `Error code \`${code}\` of \`${operation}\` moved from status ${listed.status} to ${current.status}`);
      }
      continue;
    }
    // One code out and one in under the same status is a respelling: clients branching on the old one break.
    const renamed = [...unmatched].find((candidate) => now.get(candidate)!.status === listed.status);
    if (renamed !== undefined) {
      unmatched.delete(renamed);
      const target = now.get(renamed)!;
      emit(ctx, scope, 'error-code-renamed', codePointer(target), codePointer(target), `Error code \`${code}\` of ${where(target)} was renamed to \`${renamed}\``);
      continue;
    }
    const revisionResponse = after.get(listed.status);
    emit(ctx, scope, 'error-code-removed', codePointer(listed), revisionResponse?.located.pointer ?? anchor, `Error code \`${code}\` (status ${listed.status}) is no longer returned by ${where(listed)}`);
  }
  const classesBefore = new Set([...before.keys()].filter(isError).map(statusClass));
  for (const code of unmatched) {
    const listed = now.get(code)!;
    if (classesBefore.has(statusClass(listed.status))) {
      emit(ctx, scope, 'error-code-added', codePointer(listed), codePointer(listed), `New error code \`${code}\` (status ${listed.status}) from ${where(listed)}`);
    } else {
      emit(ctx, scope, 'error-code-added-new-class', codePointer(listed), codePointer(listed), `New error code \`${code}\` from ${where(listed)} in status class ${statusClass(listed.status)}, which \`${operation}\` did not return before`);
    }
  }
}

/** Headers and body of one response; a shared response is compared once per pair, like a shared schema. */
function compareResponse(ctx: DiffContext, located: Located, next: Located, status: string, usage: Usage, operation: string): void {
  const shared = next.pointer.startsWith('#/components/responses/');
  if (shared && located.pointer === next.pointer && ctx.unchanged.has(next.pointer)) return;
  const key = `response\u0000${isError(status)}\u0000${located.pointer}\u0000${next.pointer}`;
  if (shared && ctx.enter(key, usage)) return;
  try {
    const owner = shared ? `response \`${next.pointer.split('/').pop()}\`` : `the ${status} response of \`${operation}\``;
    const scope: SchemaScope = { direction: 'response', usage, subject: owner, field: '', domain: isError(status) ? ERROR_DOMAIN : undefined };
    compareHeaders(ctx, responseHeaders(ctx.base, located), responseHeaders(ctx.revision, next), next.pointer, usage, owner);
    if (hasContent(located) && !hasContent(next)) {
      emit(ctx, scope, 'response-body-removed', located.pointer, next.pointer, `${capitalize(owner)} no longer has a body`);
    } else if (!hasContent(located) && hasContent(next)) {
      emit(ctx, scope, 'response-body-added', next.pointer, next.pointer, `${capitalize(owner)} now has a body`);
    } else {
      compareContent(ctx, located, next, scope);
    }
  } finally {
    if (shared) ctx.leave(key);
  }
}

export function compareResponses(ctx: DiffContext, baseOperation: Located, revisionOperation: Located, usage: Usage, operation: string): void {
  const before = responsesOf(ctx.base, baseOperation);
  const after = responsesOf(ctx.revision, revisionOperation);
  const anchor = childPointer(revisionOperation.pointer, 'responses');
  const scope: SchemaScope = { direction: 'response', usage, subject: operation, field: '', domain: undefined };
  for (const [status, { located, slot }] of before) {
    const next = after.get(status);
    if (next === undefined) {
      if (isError(status)) emit(ctx, scope, 'response-error-status-removed', slot, anchor, `\`${operation}\` no longer documents status ${status}`);
      else emit(ctx, scope, 'response-success-status-removed', slot, anchor, `\`${operation}\` no longer returns status ${status}`);
      continue;
    }
    compareResponse(ctx, located, next.located, status, usage, operation);
  }
  for (const [status, { slot }] of after) {
    if (before.has(status)) continue;
    if (status === '410') emit(ctx, scope, 'operation-gone', slot, slot, `\`${operation}\` now documents 410 Gone`);
    else if (isError(status)) emit(ctx, scope, 'response-error-status-added', slot, slot, `\`${operation}\` documents a new status ${status}`);
    else emit(ctx, scope, 'response-success-status-added', slot, slot, `\`${operation}\` may now return status ${status}`);
  }
  compareErrorCodes(ctx, before, after, usage, operation, anchor);
}
