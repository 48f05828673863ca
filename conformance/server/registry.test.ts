import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CHECKS } from './registry.ts';
import { GROUPS } from './types.ts';

const SEEDS = new URL('../../../shared/seeds/', import.meta.url);

test('check ids are unique, prefixed by their group, and every group has checks', () => {
  const ids = CHECKS.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const check of CHECKS) assert.match(check.id, new RegExp(`^${check.group}-[A-Z0-9]+(-[A-Z0-9]+)*$`), check.id);
  for (const group of GROUPS) assert.ok(CHECKS.some((c) => c.group === group), `no ${group} check`);
});

test('every check is listed in the README', () => {
  const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
  const missing = CHECKS.filter((c) => !readme.includes(`| \`${c.id}\` | ${c.level} |`)).map((c) => c.id);
  assert.deepEqual(missing, []);
});

test('every clause names a seed file and a section that exist in it', { skip: existsSync(SEEDS) ? false : 'the seeds are not checked out beside the repo' }, () => {
  for (const { clause, id } of CHECKS) {
    const file = new URL(clause.seed, SEEDS);
    assert.ok(existsSync(file), `${id}: no seed ${clause.seed}`);
    const text = readFileSync(file, 'utf8');
    for (const part of clause.section.split(' · ')) assert.ok(text.includes(part), `${id}: section ${JSON.stringify(part)} is not in ${clause.seed}`);
  }
});
