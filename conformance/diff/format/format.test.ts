import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LocatedChange } from '../context.ts';
import type { IgnoreEntry } from '../ignore.ts';
import { FORMATTERS, type FormatInput } from './index.ts';

const changes: LocatedChange[] = [
  {
    rule: 'response-property-removed',
    severity: 'breaking',
    location: '#/components/schemas/Order/properties/reference',
    message: 'Field `reference` of schema `Order` was removed, 100% & <gone>',
    clause: 'What counts as a breaking change: Removing or renaming a request/response field',
    anchor: '#/components/schemas/Order',
  },
  { rule: 'format-changed', severity: 'warning', location: '#/components/schemas/X/format', message: 'format changed', clause: 'clause w', anchor: '#/components/schemas/X' },
  { rule: 'enum-value-added', severity: 'additive', location: '#/components/schemas/OrderStatus', message: 'Schema `OrderStatus` gained enum value `REFUNDED`', clause: 'clause a', anchor: '#/components/schemas/OrderStatus' },
];

const entry: IgnoreEntry = { rule: 'operation-removed', location: '#/paths/~1legacy/get', reason: 'Never documented publicly.', expires: '2030-01-01', index: 1 };
const ignoredChange: LocatedChange = { rule: 'operation-removed', severity: 'breaking', location: '#/paths/~1legacy/get', message: '`GET /legacy` was removed', clause: 'c', anchor: '#/paths' };

function input(overrides: Partial<FormatInput> = {}): FormatInput {
  return {
    changes,
    ignored: [{ change: ignoredChange, entry }],
    base: 'openapi/baseline/starship-v1.json',
    revision: 'openapi/starship.yaml',
    failOn: 'breaking',
    locate: (pointer) => ({ file: 'openapi/components/schemas/Order.yaml', line: pointer.length }),
    ...overrides,
  };
}

test('json is the DESIGN.md report plus the ignored changes', () => {
  const report = JSON.parse(FORMATTERS.json(input()));
  assert.deepEqual(Object.keys(report), ['changes', 'summary', 'ignored']);
  assert.deepEqual(report.summary, { breaking: 1, warning: 1, additive: 1 });
  assert.deepEqual(report.changes[0], {
    rule: 'response-property-removed',
    severity: 'breaking',
    location: '#/components/schemas/Order/properties/reference',
    message: changes[0]!.message,
    clause: changes[0]!.clause,
  });
  assert.equal(report.ignored[0].reason, 'Never documented publicly.');
});

test('text lists each change with its clause and ends with the summary', () => {
  const text = FORMATTERS.text(input());
  assert.match(text, /^BREAKING {2}response-property-removed {2}#\/components\/schemas\/Order\/properties\/reference$/m);
  assert.match(text, /Contract: What counts as a breaking change: Removing or renaming/);
  assert.match(text, /operation-removed {2}#\/paths\/~1legacy\/get {2}until 2030-01-01: Never documented publicly\./);
  assert.match(text, /1 breaking, 1 warning, 1 additive \(1 ignored\)\.\n$/);
  assert.match(FORMATTERS.text(input({ changes: [], ignored: [] })), /No contract changes\.\n$/);
});

test('markdown is a changelog grouped by what a partner must do', () => {
  const markdown = FORMATTERS.markdown(input());
  const order = ['## Breaking changes', '## Changes to review', '## Additions', '## Accepted exceptions'].map((h) => markdown.indexOf(h));
  assert.ok(order.every((i, n) => i > 0 && (n === 0 || i > order[n - 1]!)), markdown);
  assert.match(markdown, /- Field `reference` of schema `Order` was removed, 100% & <gone>\. _What counts as a breaking change: .*_ \(`response-property-removed`\)/);
  assert.match(FORMATTERS.markdown(input({ changes: [], ignored: [] })), /No changes to the partner API contract\./);
});

test('junit fails the changes at or above --fail-on and skips ignored ones', () => {
  const strict = FORMATTERS.junit(input({ failOn: 'warning' }));
  assert.match(strict, /<testsuites name="starship diff" tests="4" failures="2">/);
  assert.match(strict, /<failure type="response-property-removed" message="Field `reference` of schema `Order` was removed, 100% &amp; &lt;gone&gt;">/);
  assert.match(strict, /<skipped message="accepted until 2030-01-01: Never documented publicly\."\/>/);
  assert.match(FORMATTERS.junit(input({ failOn: 'never' })), /failures="0"/);
  assert.match(FORMATTERS.junit(input({ changes: [], ignored: [] })), /<testcase classname="starship.diff" name="no contract changes"\/>/);
});

test('github annotations carry file and line of the revision and escape workflow-command syntax', () => {
  const lines = FORMATTERS.github(input()).trimEnd().split('\n');
  assert.equal(lines.length, 4);
  assert.equal(
    lines[0],
    `::error file=openapi/components/schemas/Order.yaml,line=${'#/components/schemas/Order'.length},title=response-property-removed (breaking)::Field \`reference\` of schema \`Order\` was removed, 100%25 & <gone>%0AContract: What counts as a breaking change: Removing or renaming a request/response field`,
  );
  assert.match(lines[1]!, /^::warning file=.*title=format-changed \(warning\)::format changed%0AContract: clause w$/);
  assert.match(lines[2]!, /^::notice file=/);
  assert.equal(lines[3], 'starship diff: 1 breaking, 1 warning, 1 additive, 1 ignored');
  const withColon = FORMATTERS.github(input({ locate: () => ({ file: 'a:b,c.yaml', line: 3 }) }));
  assert.match(withColon, /file=a%3Ab%2Cc\.yaml,line=3,/);
});
