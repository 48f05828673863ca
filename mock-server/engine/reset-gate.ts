/**
 * Keeps a reset apart from the partner requests of this process: requests pass together (shared), a reset
 * waits for those in flight to finish and holds new ones until it is done (exclusive, and first in line once
 * it waits, so a steady stream of requests cannot starve it). Without it a reset could delete a partner
 * between the authentication of its request and the write that request makes (a foreign-key 500), or meet
 * that write's row locks in the opposite order (a PostgreSQL deadlock). Other instances sharing PostgreSQL
 * are covered by the write's own partner check (partners.ts holdPartner) and the reset's retry (reset.ts).
 */
export class ResetGate {
  #active = 0;
  #resetting = false;
  #waitingResets: Array<() => void> = [];
  #waitingRequests: Array<() => void> = [];

  /** Enter as a request; call the returned function once the request is over. */
  async enter(): Promise<() => void> {
    while (this.#resetting || this.#waitingResets.length) await new Promise<void>((resolve) => this.#waitingRequests.push(resolve));
    this.#active++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      if (--this.#active === 0) this.#waitingResets.shift()?.();
    };
  }

  /** Runs `reset` alone: after the requests in flight, before any new one. */
  async exclusive<T>(reset: () => Promise<T>): Promise<T> {
    while (this.#resetting || this.#active > 0) await new Promise<void>((resolve) => this.#waitingResets.push(resolve));
    this.#resetting = true;
    try {
      return await reset();
    } finally {
      this.#resetting = false;
      const next = this.#waitingResets.shift();
      if (next) next();
      else for (const resume of this.#waitingRequests.splice(0)) resume();
    }
  }
}
