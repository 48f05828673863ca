/**
 * How the dispatcher learns that the outbox (or the clock) moved without polling for it: writers call
 * notify(), listeners run once per turn of the event loop however many notifications arrived, and only after
 * the writer's transaction has had its chance to commit (a wake for a rolled-back event finds nothing).
 */
export class OutboxSignal {
  readonly #listeners = new Set<() => void>();
  #scheduled = false;

  /** Returns the unsubscribe function. */
  on(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  notify(): void {
    if (this.#scheduled || this.#listeners.size === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      for (const listener of this.#listeners) listener();
    });
  }
}
