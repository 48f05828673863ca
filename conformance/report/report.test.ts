import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failureReason, formatHtml, formatJson, formatJunit, passed, type ReportInput } from './index.ts';

const input: ReportInput = {
  suite: 'starship conformance server',
  target: 'http://127.0.0.1:4010/api/v1',
  durationMs: 1234,
  generatedAt: '2026-11-23T00:00:00.000Z',
  checks: [
    { id: 'AUTH-KEY-MISSING', title: 'No X-API-Key → 401', level: 'MUST', result: 'PASS', detail: '', group: 'AUTH', clause: '000 § Authentication: “…”', durationMs: 5 },
    { id: 'SIGN-STALE', title: 'Stale <timestamp>', level: 'MUST', result: 'FAIL', detail: 'got 200 {"a":"<b>&"}', group: 'SIGN', durationMs: 7 },
    { id: 'PAGE-BEYOND-LAST', title: 'Past the last page', level: 'SHOULD', result: 'WARN', detail: 'returned items', group: 'PAGE' },
    { id: 'ORD-CANCEL', title: 'Cancel', level: 'MUST', result: 'SKIP', detail: 'needs the control API', group: 'ORD' },
  ],
};

test('JSON is exactly DESIGN.md’s conformance format', () => {
  assert.deepEqual(JSON.parse(formatJson(input)), {
    checks: [
      { id: 'AUTH-KEY-MISSING', title: 'No X-API-Key → 401', level: 'MUST', result: 'PASS', detail: '' },
      { id: 'SIGN-STALE', title: 'Stale <timestamp>', level: 'MUST', result: 'FAIL', detail: 'got 200 {"a":"<b>&"}' },
      { id: 'PAGE-BEYOND-LAST', title: 'Past the last page', level: 'SHOULD', result: 'WARN', detail: 'returned items' },
      { id: 'ORD-CANCEL', title: 'Cancel', level: 'MUST', result: 'SKIP', detail: 'needs the control API' },
    ],
    summary: { pass: 1, fail: 1, warn: 1, skip: 1 },
  });
});

test('only a FAIL fails the run; a WARN does not', () => {
  assert.equal(passed(input.checks), false);
  assert.equal(passed(input.checks.filter((c) => c.result !== 'FAIL')), true);
});

test('a run of zero checks never passes, and every format says why', () => {
  const empty: ReportInput = { ...input, checks: [] };
  assert.equal(passed(empty.checks), false);
  assert.equal(failureReason(empty.checks), 'no check ran');
  assert.match(formatHtml(empty), /DOES NOT CONFORM: no check ran/);
  assert.doesNotMatch(formatHtml(empty), /CONFORMS: no MUST/);
});

test('JUnit: a suite per group, FAIL as failure, SKIP as skipped, WARN passing with output, all escaped', () => {
  const xml = formatJunit(input);
  assert.match(xml, /<testsuites name="starship conformance server http:\/\/127.0.0.1:4010\/api\/v1" tests="4" failures="1" skipped="1" time="1.234">/);
  assert.match(xml, /<testsuite name="starship conformance server SIGN" tests="1" failures="1" skipped="0"/);
  assert.match(xml, /name="SIGN-STALE Stale &lt;timestamp&gt;" time="0.007">\n\s+<failure type="MUST" message="got 200 \{&quot;a&quot;:&quot;&lt;b&gt;&amp;&quot;\}">/);
  assert.match(xml, /<skipped message="needs the control API"\/>/);
  assert.match(xml, /<system-out>WARN \(SHOULD\): returned items<\/system-out>/);
  assert.match(xml, /Contract: 000 § Authentication/);
});

test('HTML is self-contained, escaped and states the verdict', () => {
  const html = formatHtml(input);
  assert.doesNotMatch(html, /<script|<link|src=|https?:\/\/(?!127\.0\.0\.1)/);
  assert.match(html, /DOES NOT CONFORM: 1 MUST check failed/);
  assert.match(html, /got 200 \{&quot;a&quot;:&quot;&lt;b&gt;&amp;&quot;\}/);
  assert.match(html, /<h2 id="group-SIGN">SIGN<\/h2>/);
  assert.match(html, /<span class="result WARN">WARN<\/span>/);
});

test('HTML puts failures first, with a table of contents; Time only when checks were timed; the guide is a link', () => {
  const checks: ReportInput['checks'] = [
    { id: 'AUTH-A', title: 'a', level: 'MUST', result: 'PASS', detail: '', group: 'AUTH', durationMs: 5 },
    { id: 'PAGE-A', title: 'p', level: 'SHOULD', result: 'WARN', detail: 'w', group: 'PAGE', durationMs: 5 },
    { id: 'SIGN-A', title: 's', level: 'MUST', result: 'PASS', detail: '', group: 'SIGN', durationMs: 5 },
    { id: 'SIGN-B', title: 'b', level: 'MUST', result: 'FAIL', detail: 'f', group: 'SIGN', durationMs: 5, guide: 'https://docs.example/signing.html' },
  ];
  const html = formatHtml({ ...input, checks });
  const at = (text: string) => html.indexOf(text);
  assert.ok(at('<h2 id="group-SIGN">') < at('<h2 id="group-PAGE">') && at('<h2 id="group-PAGE">') < at('<h2 id="group-AUTH">'), 'failed group, then warned, then the rest');
  assert.ok(at('<tr id="check-SIGN-B">') < at('<tr id="check-SIGN-A">'), 'within a group the failure leads');
  assert.match(html, /<nav class="toc"><h2>Contents<\/h2>\n<p><b>Failed:<\/b> <a href="#check-SIGN-B">SIGN-B<\/a><\/p>/);
  assert.match(html, /<li><a href="#group-SIGN">SIGN<\/a> <span class="counts">1 fail, 1 pass<\/span><\/li>/);
  assert.match(html, /Guide: <a href="https:\/\/docs.example\/signing.html">/);
  assert.match(html, /<th>Time<\/th>/);
  const untimed = formatHtml({ ...input, checks: checks.map(({ durationMs: _, ...check }) => check) });
  assert.doesNotMatch(untimed, /<th>Time<\/th>|<td><\/td><\/tr>/, 'no empty Time column for checks graded afterwards');
});
