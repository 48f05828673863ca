import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lintFiles, lintPackagedSpecs, lintSpecs } from './lint.ts';

const PLUGIN = fileURLToPath(new URL('./lint/plugin.js', import.meta.url));

const SPEC = `openapi: 3.1.0
info: {title: fixture, version: '1.0'}
paths: {}
components:
  schemas:
    Status:
      type: string
      enum: [PENDING, delivered]
`;

test('lintSpecs lints every api with its own rules and reports file:line, rule and message', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'starship-lint-'));
  try {
    await writeFile(path.join(dir, 'spec.yaml'), SPEC);
    await writeFile(
      path.join(dir, 'redocly.yaml'),
      [
        `plugins: [${JSON.stringify(PLUGIN)}]`,
        'rules:',
        '  starship/uppercase-enum-values: error',
        'apis:',
        '  partner@v1:',
        '    root: spec.yaml',
        '    rules:',
        '      starship/signing-extension: warn',
        '  control@v1:',
        '    root: spec.yaml',
        '',
      ].join('\n'),
    );
    const result = await lintSpecs(path.join(dir, 'redocly.yaml'));
    assert.equal(result.errors, 2, result.text);
    assert.equal(result.warnings, 2, result.text);
    const enumLines = result.text.split('\n').filter((l) => l.includes('starship/uppercase-enum-values'));
    assert.deepEqual(enumLines, [
      '  spec.yaml:8:23  error  starship/uppercase-enum-values  Enum value "delivered" must be UPPERCASE (^[A-Z][A-Z0-9_]*$).',
      '  spec.yaml:8:23  error  starship/uppercase-enum-values  Enum value "delivered" must be UPPERCASE (^[A-Z][A-Z0-9_]*$).',
    ]);
    assert.match(result.text, /partner@v1 \(spec\.yaml\): 1 error\(s\), 2 warning\(s\)/);
    assert.match(result.text, /control@v1 \(spec\.yaml\): 1 error\(s\), 0 warning\(s\)/);
    assert.match(result.text, /spec\.yaml:1:1 {2}warning {2}starship\/signing-extension {2}The root must declare x-starship-signing\./);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('lintSpecs refuses a config without apis', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'starship-lint-'));
  try {
    await writeFile(path.join(dir, 'redocly.yaml'), 'extends: [minimal]\n');
    await assert.rejects(lintSpecs(path.join(dir, 'redocly.yaml')), /declares no apis/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('lintFiles: without a config, the packaged stability-contract ruleset (Redocly recommended and our plugin)', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'starship-lint-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'spec.yaml'), SPEC);
  const result = await lintFiles([path.join(dir, 'spec.yaml')]);
  const rules = new Set([...result.text.matchAll(/ {2}(?:error|warning) {2}(\S+)/g)].map((m) => m[1]));
  for (const rule of ['starship/uppercase-enum-values', 'starship/signing-extension', 'info-license']) {
    assert.ok(rules.has(rule), `${rule} in\n${result.text}`);
  }
  assert.ok(result.errors > 0);
  await assert.rejects(lintFiles([path.join(dir, 'missing.yaml')]), /spec .*missing\.yaml: no such file/);
});

test("lintFiles: with a config, a file that is an api's root gets that api's rules", async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'starship-lint-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'spec.yaml'), SPEC);
  await writeFile(path.join(dir, 'other.yaml'), SPEC);
  await writeFile(
    path.join(dir, 'redocly.yaml'),
    [`plugins: [${JSON.stringify(PLUGIN)}]`, 'rules:', '  starship/uppercase-enum-values: error', 'apis:', '  quiet@v1:', '    root: spec.yaml', '    rules:', '      starship/uppercase-enum-values: off', ''].join('\n'),
  );
  const result = await lintFiles([path.join(dir, 'spec.yaml'), path.join(dir, 'other.yaml')], path.join(dir, 'redocly.yaml'));
  assert.match(result.text, /spec\.yaml \(quiet@v1\): 0 error\(s\)/);
  assert.match(result.text, /other\.yaml: 1 error\(s\)/);
});

test('lintPackagedSpecs: the bundled specs this CLI ships pass, the control API with its exceptions', async () => {
  const result = await lintPackagedSpecs();
  assert.equal(result.errors + result.warnings, 0, result.text);
  assert.match(result.text, /starship@v1 \(the packaged partner API\): 0 error\(s\), 0 warning\(s\)/);
  assert.match(result.text, /sandbox@v1 \(the packaged control API\): 0 error\(s\), 0 warning\(s\)/);
});
