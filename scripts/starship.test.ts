/**
 * The CLI's exit codes as CI sees them: 0 done, 1 the verdict failed (breaking change, check failed, lint
 * finding), 2 the command was used wrongly. Commander's own errors included, in every command.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { cliBin, repoRoot } from '../tools/repo.ts';

function starship(...args: string[]) {
  const result = spawnSync(process.execPath, [cliBin, ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

const SERVER = ['conformance', 'server', '--base-url', 'http://127.0.0.1:9/api/v1', '--api-key', 'k', '--api-secret', 's'];

const usageErrors: Array<[string, string[], RegExp]> = [
  ['an unknown command', ['nosuch'], /unknown command 'nosuch'/],
  ['diff without REVISION', ['diff', 'openapi/starship.yaml'], /missing required argument 'revision'/],
  ['diff with an unknown option', ['diff', '--bogus', 'a', 'b'], /unknown option '--bogus'/],
  ['diff with a bad --format', ['diff', 'openapi/starship.yaml', 'openapi/starship.yaml', '--format', 'yaml'], /--format must be one of/],
  ['lint with an unknown option', ['lint', '--bogus'], /unknown option '--bogus'/],
  ['conformance server without --api-key', ['conformance', 'server', '--base-url', 'http://127.0.0.1:9/api/v1'], /required option '--api-key <key>' not specified/],
  ['conformance partner without --run', ['conformance', 'partner'], /required option '--run <command>' not specified/],
  ['verify-report without FILE', ['conformance', 'verify-report'], /missing required argument 'file'/],
  ['--only with an unknown id', [...SERVER, '--only', 'AUTH-NOPE'], /unknown check id or group "AUTH-NOPE"/],
  ['--only with a lower-case group', [...SERVER, '--only', 'auth'], /unknown check id or group "auth" \(did you mean AUTH\?\)/],
  ['--only naming nothing', [...SERVER, '--only', ','], /--only names no check/],
];

for (const [name, args, message] of usageErrors) {
  test(`usage error exits 2: ${name}`, () => {
    const result = starship(...args);
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, message);
  });
}

test('--only lists the valid groups and check ids, and runs nothing', () => {
  const result = starship(...SERVER, '--only', 'SIGN,sign-stale');
  assert.equal(result.status, 2);
  assert.match(result.stderr, /Groups: AUTH, SIGN, /);
  assert.match(result.stderr, /Check ids: AUTH-VALID-CREDENTIALS, AUTH-KEY-MISSING, /);
  assert.match(result.stderr, /"sign-stale" \(did you mean SIGN-STALE\?\)/);
  assert.doesNotMatch(result.stdout + result.stderr, /conforms/);
});

test('help and --version exit 0', () => {
  assert.equal(starship('--version').status, 0);
  assert.equal(starship('diff', '--help').status, 0);
});
