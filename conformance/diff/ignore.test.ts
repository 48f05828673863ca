import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Change } from './context.ts';
import { applyIgnores, expiredEntries, expiryMessage, IgnoreFileError, parseIgnoreFile } from './ignore.ts';

const FILE = 'openapi/diff-ignore.yaml';

const change = (rule: Change['rule'], location: string): Change => ({ rule, severity: 'breaking', location, message: 'm', clause: 'c' });

test('entries are read with rule, location, reason and expiry', () => {
  const entries = parseIgnoreFile(
    `ignore:
  - rule: response-property-removed
    location: '#/components/schemas/Order/properties/legacy'
    reason: Never emitted.
    expires: 2026-12-31
`,
    FILE,
  );
  assert.deepEqual(entries, [{ rule: 'response-property-removed', location: '#/components/schemas/Order/properties/legacy', reason: 'Never emitted.', expires: '2026-12-31', index: 1 }]);
});

test('an empty file or an empty list ignores nothing', () => {
  assert.deepEqual(parseIgnoreFile('', FILE), []);
  assert.deepEqual(parseIgnoreFile('ignore: []\n', FILE), []);
});

test('invalid entries are rejected with their position', () => {
  const entry = (fields: string) => `ignore:\n  - ${fields.split('\n').join('\n    ')}\n`;
  const cases: Array<[string, RegExp]> = [
    ['rule: no-such-rule\nlocation: "#/x"\nreason: r\nexpires: 2030-01-01', /entry 1: unknown rule "no-such-rule"/],
    ['rule: enum-value-removed\nlocation: ""\nreason: r\nexpires: 2030-01-01', /entry 1: location must be/],
    ['rule: enum-value-removed\nlocation: "#/x"\nexpires: 2030-01-01', /entry 1: a reason is required/],
    ['rule: enum-value-removed\nlocation: "#/x"\nreason: r\nexpires: 2030-02-30', /entry 1: expires must be a date/],
    ['rule: enum-value-removed\nlocation: "#/x"\nreason: r\nexpires: soon', /entry 1: expires must be a date/],
  ];
  for (const [fields, message] of cases) assert.throws(() => parseIgnoreFile(entry(fields), FILE), (error: Error) => error instanceof IgnoreFileError && message.test(error.message));
  assert.throws(() => parseIgnoreFile('ignore: {}\n', FILE), /`ignore` must be a list/);
});

test('an entry applies through its expiry date and is expired the day after', () => {
  const [entry] = parseIgnoreFile('ignore:\n  - {rule: enum-value-removed, location: "#/x", reason: r, expires: 2026-06-30}\n', FILE);
  assert.deepEqual(expiredEntries([entry!], '2026-06-30'), []);
  assert.deepEqual(expiredEntries([entry!], '2026-07-01'), [entry]);
  assert.match(expiryMessage(FILE, [entry!]), /openapi\/diff-ignore\.yaml: entry 1 \(enum-value-removed at #\/x\) expired on 2026-06-30\. Fix the change, or renew the entry/);
});

test('matching needs the same rule and location; * matches any characters', () => {
  const entries = parseIgnoreFile(
    `ignore:
  - {rule: enum-value-removed, location: '#/components/schemas/OrderStatus', reason: r, expires: 2030-01-01}
  - {rule: response-property-removed, location: '#/components/schemas/Order/properties/*', reason: r, expires: 2030-01-01}
  - {rule: operation-removed, location: '#/paths/~1legacy/get', reason: stale, expires: 2030-01-01}
`,
    FILE,
  );
  const changes = [
    change('enum-value-removed', '#/components/schemas/OrderStatus'),
    change('enum-value-added', '#/components/schemas/OrderStatus'),
    change('response-property-removed', '#/components/schemas/Order/properties/legacy'),
    change('response-property-removed', '#/components/schemas/OrderItem/properties/legacy'),
  ];
  const { kept, ignored, unused } = applyIgnores(changes, entries);
  assert.deepEqual(kept.map((c) => `${c.rule} ${c.location}`), ['enum-value-added #/components/schemas/OrderStatus', 'response-property-removed #/components/schemas/OrderItem/properties/legacy']);
  assert.deepEqual(ignored.map((i) => i.entry.index), [1, 2]);
  assert.deepEqual(unused.map((e) => e.index), [3]);
});

test('regex characters in a location are literal', () => {
  const entries = parseIgnoreFile('ignore:\n  - {rule: operation-removed, location: "#/paths/~1orders~1{order_id}/get", reason: r, expires: 2030-01-01}\n', FILE);
  assert.equal(applyIgnores([change('operation-removed', '#/paths/~1orders~1{order_id}/get')], entries).kept.length, 0);
  assert.equal(applyIgnores([change('operation-removed', '#/paths/~1orders~1{order_idX}/get')], entries).kept.length, 1);
});
