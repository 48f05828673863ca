/**
 * Views the engine hands out again and again unchanged — a catalog product rendered for one delivery_time, a
 * catalog page for one query and stock — built once and deep-frozen, so nothing downstream can alter what the
 * next caller receives. The HTTP layer keeps each one's JSON bytes beside it and the validator remembers it
 * by identity (http/openapi-validation.ts): serialising and checking a catalog read happens once per view,
 * not once per response.
 */
const views = new WeakSet<object>();

/** Freezes every object of the tree, each of which is then a stable view in its own right (a page's array). */
function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  views.add(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

export function stableView<T extends object>(view: T): T {
  deepFreeze(view);
  return view;
}

export function isStableView(value: unknown): value is object {
  return typeof value === 'object' && value !== null && views.has(value);
}

/**
 * A memo of stable views by key, emptied when the weights of its views (1 each unless said: a page weighs its
 * products) would pass `capacity`: a catalog of 10,000 products read with every filter must not grow it
 * without bound, and refilling costs one render per view.
 */
export class ViewMemo<V extends object> {
  readonly #views = new Map<string, V>();
  #weight = 0;

  constructor(private readonly capacity: number) {}

  get(key: string, build: () => V, weight = 1): V {
    let view = this.#views.get(key);
    if (!view) {
      if (this.#weight + weight > this.capacity) {
        this.#views.clear();
        this.#weight = 0;
      }
      view = stableView(build());
      this.#views.set(key, view);
      this.#weight += weight;
    }
    return view;
  }
}
