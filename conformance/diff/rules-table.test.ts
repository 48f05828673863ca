import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { README, withRulesTable } from './rules-table.ts';

test('README.md lists every rule as rules.ts defines it', () => {
  const readme = readFileSync(README, 'utf8');
  assert.equal(readme, withRulesTable(readme), 'run: node --import tsx conformance/diff/rules-table.ts --write');
});
