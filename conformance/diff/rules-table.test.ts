import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { README, withRulesTable } from '../test-support/rules-table.ts';

test('README.md lists every rule as rules.ts defines it', () => {
  const readme = readFileSync(README, 'utf8');
  assert.equal(readme, withRulesTable(readme), 'run: node --conditions=starship-source --import tsx conformance/test-support/rules-table.ts --write');
});
