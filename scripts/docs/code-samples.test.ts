import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { verifyRequestSignature } from '@starship/sdk';
import type { Json } from '@starship/contract';
import { bundledSpecPath } from '../../tools/repo.ts';
import { curlSample, operationSamples, shellQuote, tsLiteral, withCodeSamples } from './code-samples.ts';
import {
  fillPath,
  listOperations,
  listWebhookEvents,
  pathParameterValues,
  primaryServer,
  requestBodyExample,
} from './spec-walk.ts';

const spec = JSON.parse(readFileSync(bundledSpecPath('starship'), 'utf8')) as Json;
const operations = listOperations(spec);

test('every operation gets a curl and a TypeScript SDK sample, every webhook event a receiver; the input is untouched', () => {
  const before = JSON.stringify(spec);
  const docs = withCodeSamples(spec);
  assert.equal(JSON.stringify(spec), before);
  assert.ok(operations.length >= 15, 'the partner API has its operations');
  for (const op of listOperations(docs)) {
    const samples = op.operation['x-codeSamples'] as { lang: string; label: string; source: string }[];
    assert.deepEqual(
      samples.map((s) => s.label),
      ['curl', 'TypeScript SDK'],
      op.operationId,
    );
    assert.match(samples[1]!.source, new RegExp(`starship\\.client\\.${op.method}\\('${op.path.replace(/[{}]/g, '\\$&')}'`));
  }
  const events = listWebhookEvents(docs);
  assert.ok(events.length >= 5);
  for (const event of events) {
    const [sample] = event.operation['x-codeSamples'] as { source: string }[];
    assert.match(sample!.source, /verifyWebhook\(req\.body, req\.get\('X-Signature'\)/);
    assert.ok(sample!.source.includes(`event.event_type === '${event.name}'`));
  }
});

test('a new operation gets samples with no extra work', () => {
  const extended = structuredClone(spec) as Json & { paths: Record<string, unknown> };
  extended.paths['/gadgets/{gadget_id}'] = {
    put: {
      operationId: 'replaceGadget',
      summary: 'Replace a gadget',
      parameters: [{ name: 'gadget_id', in: 'path', required: true, schema: { type: 'string', examples: ['gdg_1'] } }],
      requestBody: { content: { 'application/json': { schema: { type: 'object' }, example: { colour: 'RED' } } } },
      responses: { '200': { description: 'ok' } },
    },
  };
  const op = listOperations(extended).find((o) => o.operationId === 'replaceGadget')!;
  const [curl, typescript] = operationSamples(extended, op);
  assert.match(curl!.source, /PATH_WITH_QUERY='\/api\/v1\/gadgets\/gdg_1'/);
  assert.match(curl!.source, /"\$\{TS\}PUT\$\{PATH_WITH_QUERY\}\$\{BODY\}"/);
  assert.match(typescript!.source, /starship\.client\.PUT\('\/gadgets\/\{gadget_id\}', \{\n {2}params: \{\n {4}path: \{\n {6}gadget_id: 'gdg_1',/);
  assert.match(typescript!.source, /body: \{\n {4}colour: 'RED',\n {2}\},/);
});

test('a request body without an example is an error, not an invented sample', () => {
  const broken = structuredClone(spec) as Json & { paths: Record<string, Record<string, Json>> };
  const create = broken.paths['/orders']!.post!;
  create.requestBody = { content: { 'application/json': { schema: { type: 'object' } } } };
  const op = listOperations(broken).find((o) => o.operationId === 'createOrder')!;
  assert.throws(() => curlSample(broken, op), /createOrder: the request body has no example/);
});

test('shellQuote and tsLiteral survive quotes, backslashes and non-ASCII', () => {
  const value = `it's "quoted" \\ café 🎁`;
  const echoed = spawnSync('bash', ['-c', `printf '%s' ${shellQuote(value)}`], { encoding: 'utf8' });
  assert.equal(echoed.stdout, value);
  assert.deepEqual(new Function(`return ${tsLiteral({ 'a-b': value, n: [1, null, true] })};`)(), { 'a-b': value, n: [1, null, true] });
});

interface Captured {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const tools = ['bash', 'curl', 'openssl'].filter((tool) => spawnSync('which', [tool]).status !== 0);

test(
  'every curl sample, run by bash, sends a request the SDK verifier accepts, to the documented path with the example body',
  { skip: tools.length ? `needs ${tools.join(', ')} on PATH` : false },
  async () => {
    const received: Captured[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.setHeader('content-type', 'application/json');
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const secret = 'sk_test_docs_sample';
    const { basePath } = primaryServer(spec);
    try {
      for (const op of operations) {
        // Asynchronously: the server answering curl runs on this process's event loop.
        await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', curlSample(spec, op)], {
          timeout: 10_000,
          env: {
            PATH: process.env.PATH,
            STARSHIP_ORIGIN: `http://127.0.0.1:${port}`,
            STARSHIP_API_KEY: 'pk_test_docs_sample',
            STARSHIP_API_SECRET: secret,
          },
        });
        const request = received.pop();
        assert.ok(request, `${op.operationId}: no request arrived`);
        assert.equal(request.method, op.method);
        assert.equal(request.url, basePath + fillPath(op.path, pathParameterValues(spec, op)), op.operationId);
        assert.equal(request.headers['x-api-key'], 'pk_test_docs_sample');
        assert.equal(request.headers['x-api-secret'], secret);
        const example = requestBodyExample(spec, op);
        assert.equal(request.body, example ? JSON.stringify(example.value) : '', op.operationId);
        if (op.method === 'GET') {
          assert.equal(request.headers['x-signature'], undefined, `${op.operationId}: reads are not signed`);
          continue;
        }
        const verdict = verifyRequestSignature({
          secret,
          method: request.method,
          path: request.url,
          body: request.body,
          timestampHeader: request.headers['x-timestamp'] as string,
          signatureHeader: request.headers['x-signature'] as string,
        });
        assert.deepEqual(verdict, { ok: true, canonical: verdict.canonical }, op.operationId);
        const declaresKey = op.parameters.some((p) => p.name === 'Idempotency-Key');
        assert.equal(typeof request.headers['idempotency-key'] === 'string', declaresKey, `${op.operationId}: Idempotency-Key`);
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  },
);
