/**
 * Diff benchmark: the bundled partner spec grown with synthetic operations and schemas to ~5 MB, and a mutated
 * copy (removed operations, renamed and retyped fields, new enum values, a tightened request, a new error code),
 * both written as JSON to a private temporary directory and diffed the way `starship diff` does (load + diff).
 * The target is under 2 s for the pair in a cold process (the first of the runs). Writes bench/diff-results.json
 * and prints it.
 *
 *   node --import tsx conformance/diff/bench.ts
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { bundleSpec } from '@starship/contract/bundle';
import { repoRoot } from '../tools/repo.ts';
import { diffDocuments, summarize } from '@starship/conformance/diff/diff';
import type { Json } from '@starship/contract';
import { loadSpec } from '@starship/conformance/diff/load';

const TARGET_BYTES = 5 * 1024 * 1024;
const TARGET_MS = 2000;
const RUNS = 3;

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });

function syntheticSchemas(i: number): Record<string, unknown> {
  const fields = Object.fromEntries(
    Array.from({ length: 12 }, (_, f) => [`field_${f}`, { type: f % 3 === 0 ? 'integer' : 'string', description: `Synthetic field ${f} of resource ${i}, long enough to weigh like real documentation.` }]),
  );
  return {
    [`Resource${i}`]: {
      type: 'object',
      required: ['id', 'status', 'field_0', 'field_1'],
      properties: {
        id: { type: 'string' },
        status: { type: 'string', enum: ['ACTIVE', 'PAUSED', 'CLOSED'] },
        amount: ref('schemas', 'DecimalAmount'),
        owner: i > 0 ? ref('schemas', `Resource${i - 1}Summary`) : { type: 'object' },
        lines: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } } } },
        delivery: { oneOf: [{ type: 'object', title: 'Email', properties: { email: { type: 'string', format: 'email' } } }, { type: 'object', title: 'Url', properties: { url: { type: 'string', format: 'uri' } } }] },
        ...fields,
      },
    },
    [`Resource${i}Summary`]: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, name: { type: ['string', 'null'], maxLength: 200 } } },
    [`Resource${i}Request`]: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: { name: { type: 'string', maxLength: 200 }, note: { type: 'string' }, amount: ref('schemas', 'DecimalAmount'), tier: { type: 'string', enum: ['BASIC', 'PLUS'] } },
    },
  };
}

function syntheticPath(i: number): Record<string, unknown> {
  const headers = Object.fromEntries(['X-Trace-ID', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'].map((h) => [h, ref('headers', h)]));
  const errors = { '400': ref('responses', 'BadRequest'), '401': ref('responses', 'Unauthorized'), '404': ref('responses', 'NotFound'), '429': ref('responses', 'TooManyRequests'), '500': ref('responses', 'InternalError') };
  return {
    get: {
      operationId: `listResource${i}`,
      summary: `List synthetic resource ${i}`,
      parameters: [ref('parameters', 'Page'), ref('parameters', 'Limit'), { name: 'status', in: 'query', schema: { type: 'string', enum: ['ACTIVE', 'PAUSED', 'CLOSED'] } }],
      responses: {
        '200': {
          description: 'One page.',
          headers: { ...headers, 'X-Page': ref('headers', 'X-Page'), 'X-Total-Count': ref('headers', 'X-Total-Count'), 'X-Has-More': ref('headers', 'X-Has-More') },
          content: json({ type: 'array', items: ref('schemas', `Resource${i}`) }),
        },
        ...errors,
      },
    },
    post: {
      operationId: `createResource${i}`,
      summary: `Create synthetic resource ${i}`,
      parameters: [ref('parameters', 'IdempotencyKeyOptional'), ref('parameters', 'XTimestamp'), ref('parameters', 'XSignature')],
      requestBody: { required: true, content: json(ref('schemas', `Resource${i}Request`)) },
      responses: { '200': { description: 'Created.', headers, content: json(ref('schemas', `Resource${i}`)) }, '422': ref('responses', 'Unprocessable'), ...errors },
    },
  };
}

/** The real bundled spec plus synthetic resources until the JSON reaches ~5 MB. */
function grow(real: Json): Json {
  const spec = structuredClone(real) as Json & { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
  const perResource = JSON.stringify({ ...syntheticSchemas(1), path: syntheticPath(1) }).length;
  const count = Math.ceil((TARGET_BYTES - JSON.stringify(real).length) / perResource);
  for (let i = 0; i < count; i++) {
    Object.assign(spec.components.schemas, syntheticSchemas(i));
    spec.paths[`/synthetic/resource-${i}`] = syntheticPath(i);
  }
  return spec;
}

/** Edits spread over the document, the kinds the contract cares about. */
function mutate(base: Json): Json {
  const spec = structuredClone(base) as any;
  const synthetic = Object.keys(spec.paths).filter((p) => p.startsWith('/synthetic/'));
  synthetic.forEach((p, n) => {
    const i = Number(p.split('-').pop());
    const schemas = spec.components.schemas;
    if (n % 97 === 0) delete spec.paths[p].post;
    if (n % 89 === 0) schemas[`Resource${i}`].properties.status.enum.push('ARCHIVED');
    if (n % 83 === 0) {
      schemas[`Resource${i}`].properties.field_renamed = schemas[`Resource${i}`].properties.field_2;
      delete schemas[`Resource${i}`].properties.field_2;
    }
    if (n % 79 === 0) schemas[`Resource${i}`].properties.field_3.type = 'string';
    if (n % 73 === 0) schemas[`Resource${i}Request`].required.push('note');
    if (n % 71 === 0) schemas[`Resource${i}`].properties.tags = { type: 'array', items: { type: 'string' } };
  });
  spec.components.responses.Unprocessable['x-starship-error-codes'].push('E_PRODUCT_UNAVAILABLE');
  spec.components.schemas.Order.properties.status = { $ref: '#/components/schemas/OrderStatus', description: 'Reworded.' };
  return spec;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const real = await bundleSpec('openapi/starship.yaml');
  const base = grow(real);
  const revision = mutate(base);
  const dir = mkdtempSync(path.join(tmpdir(), 'starship-diff-bench-'));
  try {
    const basePath = path.join(dir, 'base.json');
    const revisionPath = path.join(dir, 'revision.json');
    writeFileSync(basePath, JSON.stringify(base));
    writeFileSync(revisionPath, JSON.stringify(revision));
    const runs: Array<{ load: number; diff: number; total: number }> = [];
    let summary = { breaking: 0, warning: 0, additive: 0 };
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      const [before, after] = await Promise.all([loadSpec(basePath, dir), loadSpec(revisionPath, dir)]);
      const loaded = performance.now();
      const changes = diffDocuments(before.document, after.document);
      const done = performance.now();
      summary = summarize(changes);
      runs.push({ load: loaded - started, diff: done - loaded, total: done - started });
    }
    // A CLI run is a cold process: the first run (before the JIT has warmed up) is the figure the target is about.
    const first = runs[0]!;
    const totalMs = Math.round(first.total);
    const results = {
      started: new Date().toISOString(),
      // Timings depend on what else the machine runs; the load average says how busy it was.
      machine: { cpus: cpus().length, cpu_model: cpus()[0]?.model, memory_gib: Math.round(totalmem() / 2 ** 30), node: process.version, load_average_1m: Number(loadavg()[0]!.toFixed(2)) },
      documents: {
        base_bytes: statSync(basePath).size,
        revision_bytes: statSync(revisionPath).size,
        paths: Object.keys(base.paths as object).length,
        schemas: Object.keys((base.components as { schemas: object }).schemas).length,
      },
      runs: RUNS,
      first_run_ms: { load_both: Math.round(first.load), diff: Math.round(first.diff), total: totalMs },
      median_ms: {
        load_both: Math.round(median(runs.map((r) => r.load))),
        diff: Math.round(median(runs.map((r) => r.diff))),
        total: Math.round(median(runs.map((r) => r.total))),
      },
      changes: summary,
      targets: { two_5mb_specs_under_2s: totalMs < TARGET_MS },
    };
    writeFileSync(path.join(repoRoot, 'bench/diff-results.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log(JSON.stringify(results, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
