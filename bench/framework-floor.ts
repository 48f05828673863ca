/**
 * The ceiling an Express 5 sandbox can reach on this machine: the framework and the sandbox's request pass
 * (raw body, operation lookup, then the contract validator through the sandbox's own openapi-validation.ts,
 * set up as the sandbox sets it up), then a fixed answer. No authentication, signature, rate limit,
 * idempotency, storage, response validation or request log. `--validate false` leaves out the validator:
 * Express alone.
 *
 * Usage: framework-floor.ts PORT ANSWERS_JSON [--validate false], where ANSWERS_JSON maps an operationId to
 * the JSON text it answers (the bench captures those from the sandbox, so the bytes written are the same).
 */
import express from 'express';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { initialVerdicts } from '@starship/sandbox/http/context';
import { openApiValidation } from '@starship/sandbox/http/openapi-validation';
import { buildOperationTable } from '@starship/sandbox/http/operations';
import { rawBody } from '@starship/sandbox/http/raw-body';
import { resolveOperation } from '@starship/sandbox/http/resolve-operation';
import { loadSpec } from '@starship/contract';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { validate: { type: 'string', default: 'true' } } });
const [port, answersFile] = positionals;
const answers = JSON.parse(readFileSync(answersFile!, 'utf8')) as Record<string, string>;
const spec = loadSpec('starship');
const table = buildOperationTable(spec);

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.use((_req, res, next) => {
  res.locals.starship = { traceId: '-', startedAt: 0, rawBody: Buffer.alloc(0), verdicts: initialVerdicts() };
  next();
});
app.use(resolveOperation(table), rawBody());
if (values.validate !== 'false') app.use(openApiValidation({ doc: spec, validateResponses: false, logger: pino({ level: 'silent' }) }));
app.use((_req, res) => {
  const answer = answers[res.locals.starship.operation?.operationId ?? ''];
  if (answer === undefined) res.status(404).json({ error: 'no fixed answer for this operation' });
  else res.type('json').send(answer);
});
app.use((error: { status?: number; message?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  res.status(error.status ?? 500).json({ error: error.message });
});
app.listen(Number(port), '127.0.0.1', () => console.log(`listening on ${port}`));
