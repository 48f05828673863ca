/** JSON pointers in URI-fragment form (`#/paths/~1orders/get`), the form bundled `$ref`s use. */

export function escapeSegment(segment: string): string {
  if (!segment.includes('~') && !segment.includes('/')) return segment;
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function child(pointer: string, ...segments: Array<string | number>): string {
  let result = pointer;
  for (const segment of segments) result += `/${escapeSegment(String(segment))}`;
  return result;
}

export function segments(pointer: string): string[] {
  const body = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  if (body === '' || body === '/') return body === '/' ? [''] : [];
  return body.slice(1).split('/').map(unescapeSegment);
}
