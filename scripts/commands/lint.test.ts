import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliBin, repoRoot } from '../../tools/repo.ts';

const lint = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [cliBin, 'lint', ...args], { cwd, encoding: 'utf8' });

test('`starship lint` in the repository lints the apis its redocly.yaml names', () => {
  const result = lint(repoRoot);
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /^redocly\.yaml: 0 error\(s\), 0 warning\(s\)$/m);
  assert.match(result.stdout, /^starship@v1 \(openapi\/starship\.yaml\): 0 error\(s\), 0 warning\(s\)$/m);
  assert.match(result.stdout, /^sandbox@v1 \(openapi\/sandbox\.yaml\): 0 error\(s\), 0 warning\(s\)$/m);
});

test('`starship lint` where there is no redocly.yaml: the packaged specs, or the files given with the packaged ruleset; a missing file is a usage error', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'starship-lint-command-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const packaged = lint(dir);
  assert.equal(packaged.status, 0, packaged.stdout + packaged.stderr);
  assert.match(packaged.stdout, /^starship@v1 \(the packaged partner API\): 0 error\(s\), 0 warning\(s\)$/m);

  writeFileSync(path.join(dir, 'api.yaml'), 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths: {}\ncomponents:\n  schemas:\n    S: {type: string, enum: [on_hold]}\n');
  const found = lint(dir, 'api.yaml');
  assert.equal(found.status, 1, found.stdout + found.stderr);
  assert.match(found.stdout, /^ {2}api\.yaml:6:\d+ {2}error {2}starship\/uppercase-enum-values {2}/m);
  assert.match(found.stdout, /^ {2}api\.yaml:1:1 {2}error {2}starship\/signing-extension {2}/m);

  const missing = lint(dir, 'nope.yaml');
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr, 'starship: spec nope.yaml: no such file\n');
});
