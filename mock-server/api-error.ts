/**
 * The one error type of the sandbox (as hono's HTTPException): domain and HTTP code throw it, the error
 * middleware renders it as the envelope `{ error: { name, code, message, messages? } }`. Anything else that
 * reaches the error middleware is a bug and becomes a 500 E_INTERNAL with no detail leaked.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly options: { name?: string; messages?: string[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = options.name ?? ApiError.nameFor(code);
  }

  /** E_INSUFFICIENT_FUNDS → InsufficientFunds: the envelope's `name` derived from the stable code. */
  static nameFor(code: string): string {
    return code
      .replace(/^E_/, '')
      .toLowerCase()
      .split('_')
      .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
      .join('');
  }

  toEnvelope() {
    const { messages } = this.options;
    return { error: { name: this.name, code: this.code, message: this.message, ...(messages?.length ? { messages } : {}) } };
  }
}
