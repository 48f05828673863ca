/** Response checks shared by the scenarios: the error envelope with a documented code. */
import type { RawReply } from './http.ts';

const CODE = /^E_[A-Z0-9_]+$/;

/** Problems with an error response's shape: not the envelope, or a code that is not E_UPPER_SNAKE. Empty when it is fine. */
export function envelopeProblems(reply: Pick<RawReply, 'status' | 'json' | 'text'>): string[] {
  const body = reply.json as { error?: Record<string, unknown> } | undefined;
  const error = body?.error;
  if (typeof body !== 'object' || body === null || typeof error !== 'object' || error === null) {
    return [`${reply.status} body is not the error envelope: ${reply.text.slice(0, 200)}`];
  }
  const problems: string[] = [];
  const extra = Object.keys(body).filter((k) => k !== 'error');
  if (extra.length) problems.push(`envelope has extra keys ${extra.join(', ')}`);
  if (typeof error.name !== 'string' || error.name === '') problems.push('error.name is missing');
  if (typeof error.message !== 'string') problems.push('error.message is missing');
  if (error.messages !== undefined && !(Array.isArray(error.messages) && error.messages.every((m) => typeof m === 'string'))) {
    problems.push('error.messages is not a list of strings');
  }
  if (typeof error.code !== 'string' || !CODE.test(error.code)) problems.push(`error.code ${JSON.stringify(error.code)} is not E_UPPER_SNAKE`);
  return problems;
}
