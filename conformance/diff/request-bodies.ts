import { isObject, childPointer } from '@starship/contract';
import type { DiffContext, Usage } from './context.ts';
import { type Located } from './document.ts';
import { compareContent } from './content.ts';
import { emit, type SchemaScope } from './schemas.ts';

const required = (body: Located) => isObject(body.node) && body.node.required === true;

/** What a client sends as a body: Starship must keep accepting every body it accepted. */
export function compareRequestBodies(ctx: DiffContext, baseOperation: Located, revisionOperation: Located, usage: Usage, operation: string): void {
  const before = ctx.base.at(baseOperation, 'requestBody');
  const after = ctx.revision.at(revisionOperation, 'requestBody');
  const shared = after.pointer.startsWith('#/components/requestBodies/');
  const subject = shared ? `request body \`${after.pointer.split('/').pop()}\`` : `the request body of \`${operation}\``;
  const scope: SchemaScope = { direction: 'request', usage, subject, field: '', domain: undefined };
  const had = isObject(before.node);
  const has = isObject(after.node);
  if (had && !has) {
    emit(ctx, scope, 'request-body-removed', before.pointer, revisionOperation.pointer, `\`${operation}\` no longer takes a request body`);
    return;
  }
  if (!has) return;
  if (!had) {
    if (required(after)) emit(ctx, scope, 'request-body-became-required', after.pointer, after.pointer, `\`${operation}\` now requires a request body`);
    else emit(ctx, scope, 'request-body-added', after.pointer, after.pointer, `\`${operation}\` accepts an optional request body`);
    return;
  }
  const anchor = childPointer(after.pointer, 'required');
  if (!required(before) && required(after)) emit(ctx, scope, 'request-body-became-required', after.pointer, anchor, `The request body of \`${operation}\` became required`);
  if (required(before) && !required(after)) emit(ctx, scope, 'request-body-became-optional', after.pointer, anchor, `The request body of \`${operation}\` became optional`);
  compareContent(ctx, before, after, scope);
}
