import { isObject, childPointer } from '@starship/contract';
import type { DiffContext } from './context.ts';
import { type Located } from './document.ts';
import { capitalize, compareSchemas, emit, type SchemaScope } from './schemas.ts';

/** `application/json; charset=utf-8` and `Application/JSON` are the same media type. */
function mediaKey(name: string): string {
  return name.split(';')[0]!.trim().toLowerCase();
}

function mediaTypes(located: Located): Map<string, Located> {
  const result = new Map<string, Located>();
  const content = isObject(located.node) ? located.node.content : undefined;
  if (!isObject(content)) return result;
  for (const [name, media] of Object.entries(content)) result.set(mediaKey(name), { node: media, pointer: childPointer(located.pointer, 'content', name) });
  return result;
}

export function hasContent(located: Located): boolean {
  return mediaTypes(located).size > 0;
}

/**
 * Compares the `content` maps of two request bodies, responses or webhook payloads (`owner` is the object
 * holding `content`), and each shared media type's schema in `scope`'s direction.
 */
export function compareContent(ctx: DiffContext, base: Located, revision: Located, scope: SchemaScope): void {
  const before = mediaTypes(base);
  const after = mediaTypes(revision);
  const request = scope.direction === 'request';
  for (const [key, media] of before) {
    const next = after.get(key);
    if (next === undefined) {
      const rule = request ? 'request-media-type-removed' : 'response-media-type-removed';
      emit(ctx, scope, rule, media.pointer, childPointer(revision.pointer, 'content'), `${capitalize(scope.subject)} no longer ${request ? 'accepts' : 'returns'} \`${key}\``);
      continue;
    }
    const schemaBefore = isObject(media.node) ? media.node.schema : undefined;
    const schemaAfter = isObject(next.node) ? next.node.schema : undefined;
    if (schemaBefore === undefined || schemaAfter === undefined) continue;
    compareSchemas(ctx, [{ node: schemaBefore, pointer: childPointer(media.pointer, 'schema') }], [{ node: schemaAfter, pointer: childPointer(next.pointer, 'schema') }], scope);
  }
  for (const [key, media] of after) {
    if (before.has(key)) continue;
    const rule = request ? 'request-media-type-added' : 'response-media-type-added';
    emit(ctx, scope, rule, media.pointer, media.pointer, `${capitalize(scope.subject)} now ${request ? 'also accepts' : 'may also return'} \`${key}\``);
  }
}

