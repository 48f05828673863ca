import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson } from './canonical-json.ts';

const ofText = (text: string) => canonicalJson(JSON.parse(text));

test('JSON texts that mean the same value have one canonical form', () => {
  const same: [a: string, b: string, canonical: string][] = [
    ['{"b":1,"a":2}', '{ "a" : 2,\n "b" : 1 }', '{"a":2,"b":1}'],
    ['{"x":{"d":[2,1],"c":null}}', '{"x":{"c":null,"d":[2,1]}}', '{"x":{"c":null,"d":[2,1]}}'],
    ['1', '1.0', '1'],
    ['1e0', '10E-1', '1'],
    ['100', '1e2', '100'],
    ['0.1', '1e-1', '0.1'],
    ['-0', '0', '0'],
    ['1e21', '1000000000000000000000', '1e+21'],
    ['"\\u00e9"', '"é"', '"é"'],
    ['"\\/"', '"/"', '"/"'],
    ['"\\u0041"', '"A"', '"A"'],
    ['"\\u001f"', '"\\u001F"', '"\\u001f"'],
    ['"\\ud83d\\ude00"', '"😀"', '"😀"'],
    ['{"a":1,"a":2}', '{"a":2}', '{"a":2}'],
    ['{"__proto__":{"x":1}}', '{ "__proto__" : { "x" : 1 } }', '{"__proto__":{"x":1}}'],
  ];
  for (const [a, b, canonical] of same) {
    assert.equal(ofText(a), canonical, a);
    assert.equal(ofText(b), canonical, b);
  }
});

test('values that differ keep different forms', () => {
  const different: [a: string, b: string][] = [
    ['"1"', '1'],
    ['[1,2]', '[2,1]'],
    ['null', '{}'],
    ['{"a":null}', '{}'],
    ['[]', '{}'],
    ['1', '1.0000000000000002'],
    ['"25.00"', '"25.0"'],
    ['"é"', '"e\\u0301"'],
    ['true', '"true"'],
  ];
  for (const [a, b] of different) assert.notEqual(ofText(a), ofText(b), `${a} vs ${b}`);
});

test('member names sort by UTF-16 code units, as JCS says (not by code points)', () => {
  // U+1F600 is the surrogate pair D83D DE00, below U+FFFF in UTF-16 though above it as a code point.
  assert.equal(canonicalJson({ '\uffff': 1, '😀': 2, é: 3, b: 4, B: 5, '': 6 }), '{"":6,"B":5,"b":4,"é":3,"😀":2,"\uffff":1}');
});

test('a lone surrogate is written escaped, so any body JSON.parse accepts has a form', () => {
  assert.equal(ofText('"\\ud800"'), '"\\ud800"');
  assert.equal(ofText('{"\\udfff":"x\\ud800"}'), '{"\\udfff":"x\\ud800"}');
});

test('where the two former implementations differed: undefined members are left out, every other non-JSON value throws', () => {
  // Before, the idempotency fingerprint wrote {"a":null}, [null], null and {} for these; the report signer agreed on
  // the first only. A fingerprint or a signature over a value that is not JSON is a bug to see, not to hash.
  assert.equal(canonicalJson({ a: undefined, b: 1 }), '{"b":1}');
  const rejected: [what: string, value: unknown][] = [
    ['undefined', undefined],
    ['an undefined array item', [undefined]],
    ['NaN', Number.NaN],
    ['Infinity', { n: Number.POSITIVE_INFINITY }],
    ['a bigint', 1n],
    ['a function', [() => 1]],
    ['a symbol', Symbol('s')],
    ['a Date', { at: new Date(0) }],
    ['a Map', new Map()],
  ];
  for (const [what, value] of rejected) assert.throws(() => canonicalJson(value), TypeError, what);
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  assert.throws(() => canonicalJson(cycle), /cycle/);
  const shared = { x: 1 };
  assert.equal(canonicalJson([shared, { shared }]), '[{"x":1},{"shared":{"x":1}}]', 'a value met twice is not a cycle');
  assert.equal(canonicalJson(Object.assign(Object.create(null), { b: 1, a: 2 })), '{"a":2,"b":1}', 'a null-prototype object is plain');
});
