/**
 * The sandbox control API (openapi/sandbox.yaml) as the suite uses it: operator actions that the partner
 * API leaves to Starship staff (pump, retry, cancel, clock, partners). A control call that fails is an
 * environment problem, so it throws with the status and body rather than failing a contract check silently.
 */
export interface ControlReply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class ControlClient {
  constructor(
    private readonly origin: string,
    private readonly adminToken: string,
  ) {}

  async call<T = any>(method: string, path: string, body?: unknown): Promise<ControlReply<T>> {
    const response = await fetch(`${this.origin.replace(/\/+$/, '')}/sandbox/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.adminToken}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new Error(`control API ${method} ${path} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  /** The call must succeed; returns its body. */
  async admin<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const reply = await this.call<T>(method, path, body);
    if (reply.status >= 300) throw new Error(`control API ${method} ${path} answered ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }
}
