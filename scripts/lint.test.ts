import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lintSpecs } from './lint.ts';

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
