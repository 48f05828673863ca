import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffDocuments } from './diff.ts';
import { RULES, type RuleId } from './rules.ts';
import { CASES, casePair, type Expected } from '../test-support/diff-corpus/cases.ts';
import { baseSpec } from '../test-support/diff-corpus/fixture.ts';

const found = (base: object, revision: object) =>
  diffDocuments(base as never, revision as never)
    .map((change) => `${change.severity} ${change.rule}`)
    .sort();
const expected = (list: Expected[]) => list.map((e) => `${e.severity} ${e.rule}`).sort();

for (const corpusCase of CASES) {
  test(`corpus: ${corpusCase.name}`, () => {
    const { base, revision } = casePair(corpusCase);
    assert.deepEqual(found(base, revision), expected(corpusCase.forward), 'base → revision');
    assert.deepEqual(found(revision, base), expected(corpusCase.reverse), 'revision → base');
  });
}

test('the corpus has at least 60 pairs with distinct names, each a real edit', () => {
  assert.ok(CASES.length >= 60, `${CASES.length} cases`);
  assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length);
  for (const corpusCase of CASES) {
    const { base, revision } = casePair(corpusCase);
    assert.notDeepEqual(base, revision, `${corpusCase.name}: the edit changes nothing`);
  }
});

test('every rule is exercised by the corpus (each case is checked in both directions)', () => {
  const covered = new Set<RuleId>(CASES.flatMap((c) => [...c.forward, ...c.reverse].map((e) => e.rule)));
  const missing = (Object.keys(RULES) as RuleId[]).filter((rule) => !covered.has(rule));
  assert.deepEqual(missing, []);
});

test('a spec compared with itself has no changes', () => {
  assert.deepEqual(diffDocuments(baseSpec(), baseSpec()), []);
});
