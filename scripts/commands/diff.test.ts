import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { baseSpec } from '@starship/conformance/test-support/diff-corpus/fixture';
import { cliBin, repoRoot } from '../../tools/repo.ts';
import { runDiff, type DiffOptions } from './diff.ts';

/** Base and revisions of the corpus fixture in a private directory: one unchanged, one breaking, one only warning. */
function specs(t: { after: (fn: () => void) => void }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'starship-diff-command-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, spec: object) => {
    writeFileSync(path.join(dir, name), name.endsWith('.json') ? JSON.stringify(spec) : stringify(spec));
    return path.join(dir, name);
  };
  const breaking = baseSpec();
  delete breaking.components.schemas.Voucher.properties.pin;
  const warning = baseSpec();
  warning.paths['/orders/{order_id}'].get.deprecated = true;
  return {
    dir,
    base: write('base.json', baseSpec()),
    same: write('same.yaml', baseSpec()),
    breaking: write('breaking.yaml', breaking),
    warning: write('warning.yaml', warning),
    ignore: (text: string) => {
      writeFileSync(path.join(dir, 'ignore.yaml'), text);
      return path.join(dir, 'ignore.yaml');
    },
  };
}

async function capture(base: string, revision: string, options: Partial<DiffOptions> = {}): Promise<{ code: number; out: string }> {
  const { exitCode, output } = await runDiff(base, revision, { format: 'text', failOn: 'breaking', ...options });
  return { code: exitCode, out: output };
}

test('exit 1 only for changes at or above --fail-on', async (t) => {
  const s = specs(t);
  assert.equal((await capture(s.base, s.same)).code, 0);
  assert.equal((await capture(s.base, s.breaking)).code, 1);
  assert.equal((await capture(s.base, s.breaking, { failOn: 'never' })).code, 0);
  assert.equal((await capture(s.base, s.warning)).code, 0);
  assert.equal((await capture(s.base, s.warning, { failOn: 'warning' })).code, 1);
});

test('unknown --format or --fail-on values are errors', async (t) => {
  const s = specs(t);
  await assert.rejects(capture(s.base, s.same, { format: 'xml' }), /--format must be one of text, json, markdown, junit, github \(got xml\)/);
  await assert.rejects(capture(s.base, s.same, { failOn: 'major' }), /--fail-on must be one of breaking, warning, never \(got major\)/);
});

test('github annotations point at the revision file and line', async (t) => {
  const s = specs(t);
  const { out } = await capture(s.base, s.breaking, { format: 'github' });
  const file = path.relative(process.cwd(), s.breaking);
  const annotation = out.split('\n')[0]!;
  assert.match(annotation, new RegExp(`^::error file=${file.replace(/[.]/g, '\\.')},line=(\\d+),title=response-property-removed \\(breaking\\)::Field \`pin\` of schema \`Voucher\` was removed`));
  const line = Number(/line=(\d+)/.exec(annotation)![1]);
  const yaml = stringify(baseSpec()).split('\n');
  assert.equal(yaml[line - 1], '      properties:', 'the annotation is on the properties that lost the field');
  assert.equal(yaml.slice(0, line).reverse().find((l) => /^ {4}\S/.test(l)), '    Voucher:');
});

test('github annotations point at the changed keyword, not at the property that holds it', async (t) => {
  const s = specs(t);
  const tightened = baseSpec();
  tightened.components.schemas.CreateOrderRequest.properties.reference.maxLength = 50;
  tightened.components.schemas.CreateOrderRequest.properties.reference.pattern = '^[A-Z]+$';
  const file = path.join(s.dir, 'tightened.yaml');
  const yaml = stringify(tightened);
  writeFileSync(file, yaml);
  const { out } = await capture(s.base, file, { format: 'github' });
  const lineOf = (rule: string) => Number(new RegExp(`line=(\\d+),title=${rule} `).exec(out)?.[1]);
  const lines = yaml.split('\n');
  const reference = lines.findIndex((l, i) => l.trim() === 'reference:' && lines.slice(0, i).reverse().find((x) => /^ {4}\S/.test(x)) === '    CreateOrderRequest:');
  assert.ok(reference > 0);
  assert.equal(lines[lineOf('request-constraint-tightened') - 1]?.trim(), 'maxLength: 50');
  assert.ok(lineOf('request-constraint-tightened') > reference + 1, 'below the reference: line');
  assert.equal(lines[lineOf('pattern-changed') - 1]?.trim(), "pattern: ^[A-Z]+$");
});

test('BASE or REVISION that parses but is not an OpenAPI 3.x document: one clear line, exit 2, before any diff', async (t) => {
  const s = specs(t);
  const write = (name: string, text: string) => {
    writeFileSync(path.join(s.dir, name), text);
    return path.join(s.dir, name);
  };
  const swagger = write('swagger.yaml', 'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths: {}\n');
  const badPaths = write('bad-paths.json', JSON.stringify({ ...baseSpec(), paths: 5 }));
  const noVersion = write('no-version.json', JSON.stringify({ info: { title: 't', version: '1' }, paths: {} }));
  const list = write('list.yaml', '- 1\n- 2\n');
  await assert.rejects(capture(swagger, s.same), /swagger\.yaml is not an OpenAPI 3\.x document: it declares swagger: "2\.0" \(Swagger 2\.0\); convert it to OpenAPI 3$/);
  await assert.rejects(capture(s.base, badPaths), /bad-paths\.json is not an OpenAPI 3\.x document: `paths` must be an object, got a number$/);
  await assert.rejects(capture(noVersion, s.same), /no-version\.json is not an OpenAPI 3\.x document: it has no `openapi: 3\.x` version field$/);
  await assert.rejects(capture(s.base, list), /list\.yaml is not an OpenAPI 3\.x document: the top level is not a mapping$/);
  const cli = spawnSync(process.execPath, [cliBin, 'diff', swagger, s.same], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(cli.status, 2);
  assert.equal(cli.stderr.trim().split('\n').length, 1, cli.stderr);
  assert.equal(cli.stdout, '');
});

test('an ignore entry accepts a change; the report still lists it', async (t) => {
  const s = specs(t);
  const ignore = s.ignore(`ignore:
  - rule: response-property-removed
    location: '#/components/schemas/Voucher/properties/pin'
    reason: Never emitted by the server.
    expires: 2999-12-31
  - rule: operation-removed
    location: '#/paths/~1legacy/get'
    reason: Gone long ago.
    expires: 2999-12-31
`);
  const { exitCode, output, notes } = await runDiff(s.base, s.breaking, { format: 'json', failOn: 'breaking', ignore });
  assert.equal(exitCode, 0);
  const report = JSON.parse(output);
  assert.deepEqual(report.summary, { breaking: 0, warning: 0, additive: 0 });
  assert.equal(report.ignored[0].rule, 'response-property-removed');
  assert.deepEqual(notes, [`starship diff: ${path.relative(process.cwd(), ignore)} entry 2 (operation-removed at #/paths/~1legacy/get) matched no change; remove it once it is no longer needed`]);
});

test('an expired ignore entry fails the run before diffing', async (t) => {
  const s = specs(t);
  const ignore = s.ignore('ignore:\n  - {rule: response-property-removed, location: "#/x", reason: r, expires: 2000-01-01}\n');
  await assert.rejects(capture(s.base, s.same, { ignore }), /ignore\.yaml: entry 1 \(response-property-removed at #\/x\) expired on 2000-01-01\. Fix the change, or renew the entry/);
});

test('the CLI wires `starship diff`: JSON report and exit 1 on a breaking change, one-line error and exit 2 otherwise', (t) => {
  const s = specs(t);
  const cli = (...args: string[]) => spawnSync(process.execPath, [cliBin, 'diff', ...args], { cwd: repoRoot, encoding: 'utf8' });
  const found = cli(s.base, s.breaking, '--format', 'json');
  assert.equal(found.status, 1, found.stderr);
  assert.equal(JSON.parse(found.stdout).summary.breaking, 1);
  const expired = cli(s.base, s.same, '--ignore', s.ignore('ignore:\n  - {rule: enum-value-removed, location: "#/x", reason: r, expires: 2000-01-01}\n'));
  assert.equal(expired.status, 2);
  assert.match(expired.stderr, /^starship: .*ignore\.yaml: entry 1 \(enum-value-removed at #\/x\) expired on 2000-01-01\. .*\n$/);
});
