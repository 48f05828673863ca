import { isObject } from '@starship/contract';
import { type SpecDocument } from './document.ts';

/** Deep equality of two JSON values, collecting the internal `$ref`s of `a` on the way (one pass, early exit). */
function sameJson(a: unknown, b: unknown, refs: Set<string>): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i], refs)) return false;
    return true;
  }
  if (!isObject(a) || !isObject(b) || Array.isArray(b)) return false;
  let count = 0;
  for (const key in a) {
    count++;
    if (!Object.hasOwn(b, key) || !sameJson(a[key], b[key], refs)) return false;
    if (key === '$ref' && typeof a.$ref === 'string' && a.$ref.startsWith('#')) refs.add(a.$ref);
  }
  for (const _key in b) count--;
  return count === 0;
}

/**
 * Which pointers name the same JSON in both documents and reference only such pointers, transitively. Nothing
 * under them can have changed, so whole operations and components are skipped: in CI the spec is mostly
 * unchanged, and this keeps a diff of two 5 MB documents proportional to what changed.
 */
export class UnchangedIndex {
  readonly #known = new Map<string, boolean>();

  constructor(
    private readonly base: SpecDocument,
    private readonly revision: SpecDocument,
  ) {}

  has(pointer: string): boolean {
    const known = this.#known.get(pointer);
    if (known !== undefined) return known;
    // A cycle back to a pointer being checked adds nothing new: assume equal until shown otherwise.
    this.#known.set(pointer, true);
    const before = this.base.get(pointer);
    const refs = new Set<string>();
    let same = before !== undefined && sameJson(before, this.revision.get(pointer), refs);
    if (same) {
      for (const ref of refs) {
        if (!this.has(ref)) {
          same = false;
          break;
        }
      }
    }
    this.#known.set(pointer, same);
    return same;
  }
}
