/**
 * Faults armed through the control API (`injectFault`), applied to partner requests that got this far
 * (authenticated, within limits, signed, valid, idempotency key claimed):
 * - HTTP_ERROR answers `status` (503 by default) in the envelope, with Retry-After when armed, and does not
 *   run the request (its idempotency claim is released like any failure);
 * - DELAY runs the request after `delay_ms`, holding the claim meanwhile (how a test makes two requests
 *   with one key overlap);
 * - UNKNOWN_FIELDS adds keys the spec does not know to the JSON body;
 * - UNKNOWN_ENUM replaces the first enum value in the body with one the spec does not list.
 * The last two break the contract on purpose, so a faulted response bypasses response validation.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { RequestHandler, Response } from 'express';
import { ApiError } from '../api-error.ts';
import type { C, Engine } from '../engine.ts';
import { contextOf } from './context.ts';
import { compileEnumPlan, type EnumPlan } from './enum-normalisation.ts';
import type { Operation } from './operations.ts';
import { isObject, locate, pointerOf, type OpenApiDocument } from '@starship/contract';

export const UNKNOWN_FIELD = 'sandbox_unknown_field';
export const UNKNOWN_ENUM_VALUE = 'SANDBOX_UNKNOWN_VALUE';

/** The spec's code for each status an HTTP_ERROR fault may use; others get E_INJECTED_FAULT. */
const CODES: Record<number, string> = {
  400: 'E_VALIDATION_FAILURE',
  401: 'E_UNAUTHORIZED',
  403: 'E_IP_NOT_ALLOWED',
  404: 'E_NOT_FOUND',
  409: 'E_IDEMPOTENCY_KEY_IN_USE',
  429: 'E_RATE_LIMITED',
  500: 'E_INTERNAL',
  503: 'E_SERVICE_UNAVAILABLE',
};

function faultError(fault: C['Fault']): ApiError {
  const status = fault.status ?? 503;
  const headers: Record<string, string> = fault.retry_after === null ? {} : { 'Retry-After': String(fault.retry_after) };
  return new ApiError(status, CODES[status] ?? 'E_INJECTED_FAULT', `Injected fault ${fault.fault_id}: HTTP ${status}.`, {
    ...(status === 500 ? { name: 'InternalError' } : {}),
    headers,
  });
}

function addUnknownFields(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(addUnknownFields);
  if (isObject(body)) return { ...body, [UNKNOWN_FIELD]: 'Injected by the sandbox: clients must ignore unknown keys.' };
  return body;
}

/** Replaces the first string the plan knows as an enum member, depth-first; true once replaced. */
function replaceFirstEnum(plan: EnumPlan, holder: Record<string | number, unknown>, key: string | number): boolean {
  const value = holder[key];
  if (plan.members && typeof value === 'string' && plan.members.has(value.toLowerCase())) {
    holder[key] = UNKNOWN_ENUM_VALUE;
    return true;
  }
  if (plan.properties && isObject(value)) {
    for (const [name, child] of plan.properties) if (Object.hasOwn(value, name) && replaceFirstEnum(child, value, name)) return true;
  }
  if (plan.items && Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (replaceFirstEnum(plan.items, value as unknown as Record<number, unknown>, i)) return true;
  }
  return (plan.branches ?? []).some((branch) => replaceFirstEnum(branch, holder, key));
}

export function faults(engine: Pick<Engine, 'takeFault'>, doc: OpenApiDocument): RequestHandler {
  const responsePlans = new Map<string, EnumPlan | undefined>();
  const responsePlan = (operation: Operation, status: number): EnumPlan | undefined => {
    const cacheKey = `${operation.operationId} ${status}`;
    if (!responsePlans.has(cacheKey)) {
      const media = locate(doc, pointerOf(['paths', operation.path, operation.method.toLowerCase(), 'responses', status, 'content', 'application/json']));
      responsePlans.set(cacheKey, media && compileEnumPlan(doc, media.node.schema));
    }
    return responsePlans.get(cacheKey);
  };

  /** Sends JSON with the prototype's res.json, past the response validator's hook on this response. */
  const sendUnvalidated = (res: Response, transform: (body: unknown) => unknown) => {
    const json = Object.getPrototypeOf(res).json as Response['json'];
    res.json = (body: unknown) => json.call(res, transform(body));
  };

  return async (req, res, next) => {
    const ctx = contextOf(res);
    const operation = ctx.operation;
    if (!operation) return next();
    const fault = await engine.takeFault(operation.operationId, req.originalUrl.split('?', 1)[0] ?? '', ctx.partner?.partnerId ?? null);
    if (!fault) return next();
    switch (fault.kind) {
      case 'HTTP_ERROR':
        sendUnvalidated(res, (body) => body);
        throw faultError(fault);
      case 'DELAY':
        await sleep(fault.delay_ms ?? 1000);
        return next();
      case 'UNKNOWN_FIELDS':
        sendUnvalidated(res, addUnknownFields);
        return next();
      case 'UNKNOWN_ENUM':
        sendUnvalidated(res, (body) => {
          const plan = responsePlan(operation, res.statusCode);
          // A copy: the body may be a frozen view the engine serves again (engine/stable-views.ts).
          const holder = { body: structuredClone(body) };
          if (plan) replaceFirstEnum(plan, holder, 'body');
          return holder.body;
        });
        return next();
    }
  };
}
