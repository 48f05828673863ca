/**
 * The one client of the sandbox control API (openapi/sandbox.yaml under `/sandbox/v1`, `Authorization: Bearer
 * <admin token>`): openapi-fetch over the generated sandbox types, with one method per operationId (DESIGN
 * "Sandbox control API": the operationIds are the interface other tools rely on). The conformance suite, the
 * CLI, the benchmarks and the reliability scenarios drive a sandbox with it.
 *
 *   const control = createControlClient({ origin, adminToken });
 *   const partner = await control.createPartner({ body: { name: 'Acme' } });
 *   await control.fundWallet({ path: { partner_id: partner.partner_id }, body: { currency: 'USD', amount: '50.00' } });
 *
 * A method resolves to the operation's documented success body, or rejects with a ControlApiError holding the
 * status and the error envelope: a control call that fails is an environment problem for every caller here.
 * `send` answers whatever came back, for a caller that checks a refusal itself.
 */
import createClient from 'openapi-fetch';
import type { components, operations, paths } from '@starship/spec/sandbox';
import { sandboxOperations, type SandboxOperationId, type SandboxOperationTypes, type SandboxResponse } from '@starship/spec/sandbox-operations';

type Parts<Id extends SandboxOperationId> = SandboxOperationTypes[Id];
type Present<T, Part> = [T] extends [never] ? {} : Part;

/** A call's path parameters, query and JSON body, each present only where the operation has it. */
export type ControlRequest<Id extends SandboxOperationId> = Present<Parts<Id>['path'], { path: Parts<Id>['path'] }> &
  Present<Parts<Id>['query'], { query?: Parts<Id>['query'] }> &
  Present<Parts<Id>['body'], operations[Id] extends { requestBody: unknown } ? { body: Parts<Id>['body'] } : { body?: Parts<Id>['body'] }>;

type Args<Id extends SandboxOperationId> = {} extends ControlRequest<Id> ? [request?: ControlRequest<Id>] : [request: ControlRequest<Id>];

/** The documented success body of an operation (undefined for a 204). */
export type ControlSuccess<Id extends SandboxOperationId> = Extract<SandboxResponse<Id>, { status: 200 | 201 | 202 | 204 }>['body'];

export type ErrorEnvelope = components['schemas']['Error'];

export interface ControlReply<Id extends SandboxOperationId> {
  status: number;
  /** The parsed JSON body: the success body, the error envelope, or undefined when empty. */
  body: ControlSuccess<Id> | ErrorEnvelope | undefined;
  headers: Headers;
}

export class ControlApiError extends Error {
  override readonly name = 'ControlApiError';
  /** The envelope's `error.code` (E_…), when the answer was an error envelope. */
  readonly code: string | undefined;

  constructor(
    readonly operationId: SandboxOperationId,
    readonly status: number,
    readonly body: unknown,
  ) {
    const error = (body as Partial<ErrorEnvelope> | undefined)?.error;
    const { method, path } = sandboxOperations[operationId];
    super(`control API ${operationId} (${method.toUpperCase()} ${path}) answered ${status}${error ? ` ${error.code}: ${error.message}` : ` ${JSON.stringify(body) ?? ''}`}`);
    this.code = typeof error?.code === 'string' ? error.code : undefined;
  }
}

export type ControlOperations = { [Id in SandboxOperationId]: (...request: Args<Id>) => Promise<ControlSuccess<Id>> };

export interface ControlClient extends ControlOperations {
  /** The sandbox origin (the control API lives under its `/sandbox/v1`). */
  readonly origin: string;
  send<Id extends SandboxOperationId>(operationId: Id, ...request: Args<Id>): Promise<ControlReply<Id>>;
}

export interface ControlClientOptions {
  /** The sandbox's origin, e.g. `http://127.0.0.1:4010` (a trailing slash is ignored). */
  origin: string;
  /** Every operation needs it but the public ones (`getReportSigningKey`). */
  adminToken?: string;
  fetch?: typeof globalThis.fetch;
}

export function createControlClient({ origin, adminToken, fetch }: ControlClientOptions): ControlClient {
  const root = origin.replace(/\/+$/, '');
  const client = createClient<paths>({
    baseUrl: `${root}/sandbox/v1`,
    ...(adminToken === undefined ? {} : { headers: { Authorization: `Bearer ${adminToken}` } }),
    ...(fetch ? { fetch } : {}),
  });
  // The generated table maps each operationId to its method and path; openapi-fetch's own typing is per path,
  // so the per-operation types above stand in for it at this one call.
  const request = client.request as (method: string, path: string, init: object) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

  async function send<Id extends SandboxOperationId>(operationId: Id, ...[parts]: Args<Id>): Promise<ControlReply<Id>> {
    const { method, path } = sandboxOperations[operationId];
    const { path: pathParams, query, body } = (parts ?? {}) as { path?: object; query?: object; body?: unknown };
    const { data, error, response } = await request(method, path, { params: { path: pathParams, query }, body });
    return { status: response.status, body: (response.ok ? data : error) as ControlReply<Id>['body'], headers: response.headers };
  }

  const operationsById = Object.fromEntries(
    (Object.keys(sandboxOperations) as SandboxOperationId[]).map((operationId) => [
      operationId,
      async (...parts: Args<typeof operationId>) => {
        const reply = await send(operationId, ...parts);
        if (reply.status >= 300) throw new ControlApiError(operationId, reply.status, reply.body);
        return reply.body;
      },
    ]),
  ) as unknown as ControlOperations;

  return { ...operationsById, origin: root, send };
}
