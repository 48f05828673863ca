import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  childPointer,
  deref,
  escapePointerToken,
  isObject,
  locate,
  pointerOf,
  pointerTokens,
  refOf,
  resolvePointer,
  unescapePointerToken,
} from './pointer.ts';

test('tokens escape and unescape per RFC 6901 (~ before /, and back in the other order)', () => {
  const cases: [token: string, escaped: string][] = [
    ['orders', 'orders'],
    ['/orders/{order_id}', '~1orders~1{order_id}'],
    ['a~b', 'a~0b'],
    ['~1', '~01'],
    ['/~', '~1~0'],
    ['', ''],
    ['application/json', 'application~1json'],
  ];
  for (const [token, escaped] of cases) {
    assert.equal(escapePointerToken(token), escaped, token);
    assert.equal(unescapePointerToken(escaped), token, escaped);
  }
  assert.equal(pointerOf(['paths', '/orders', 'post', 0]), '/paths/~1orders/post/0');
  assert.equal(childPointer('#/paths', '/orders', 'get'), '#/paths/~1orders/get');
  assert.equal(childPointer('#'), '#');
});

test('pointers parse in both forms; a non-pointer is undefined', () => {
  const cases: [pointer: string, tokens: string[] | undefined][] = [
    ['', []],
    ['#', []],
    ['/', ['']],
    ['#/a~1b/0', ['a/b', '0']],
    ['/a//b', ['a', '', 'b']],
    ['a/b', undefined],
    ['other.yaml#/x', undefined],
  ];
  for (const [pointer, tokens] of cases) assert.deepEqual(pointerTokens(pointer), tokens, pointer);
});

test('resolvePointer: objects, arrays, escaped keys, missing steps and inherited names', () => {
  const doc = { a: { 'b/c': [10, { d: 'deep' }], 'm~n': 1, '': 'empty key' }, list: ['x', 'y'], n: null };
  const cases: [pointer: string, value: unknown][] = [
    ['', doc],
    ['#', doc],
    ['/a/b~1c/0', 10],
    ['#/a/b~1c/1/d', 'deep'],
    ['/a/m~0n', 1],
    ['/a/', 'empty key'],
    ['/list/1', 'y'],
    ['/list/2', undefined],
    ['/list/01', undefined],
    ['/list/-', undefined],
    ['/list/1e0', undefined],
    ['/list/length', undefined],
    ['/a/missing/deeper', undefined],
    ['/n/x', undefined],
    ['/a/b~1c/0/x', undefined],
    ['/constructor', undefined],
    ['/a/__proto__', undefined],
    ['/a/toString', undefined],
    ['no-slash', undefined],
  ];
  for (const [pointer, value] of cases) assert.equal(resolvePointer(doc, pointer), value, pointer);
});

test('deref follows chains of internal references; missing targets are undefined; cycles and external refs throw', () => {
  const doc = {
    components: {
      schemas: {
        Order: { type: 'object' },
        Alias: { $ref: '#/components/schemas/Order' },
        AliasOfAlias: { $ref: '#/components/schemas/Alias' },
        Loop: { $ref: '#/components/schemas/Loop' },
        PingA: { $ref: '#/components/schemas/PingB' },
        PingB: { $ref: '#/components/schemas/PingA' },
        'a/b': { title: 'slash' },
      },
    },
    list: [{ $ref: '#/components/schemas/Order' }],
  };
  const order = doc.components.schemas.Order;
  assert.equal(deref(doc, { $ref: '#/components/schemas/AliasOfAlias' }), order);
  assert.equal(deref(doc, { $ref: '#/list/0' }), order, 'through an array item');
  assert.equal(deref(doc, { $ref: '#/components/schemas/a~1b' }), doc.components.schemas['a/b'], 'an escaped step');
  assert.equal(deref(doc, order), order, 'a node that is no reference');
  assert.equal(deref(doc, 'text'), 'text');
  assert.equal(deref(doc, undefined), undefined);
  assert.equal(deref(doc, { $ref: '#/components/schemas/Missing' }), undefined);
  const numberRef = { $ref: 7 };
  assert.equal(deref(doc, numberRef), numberRef, 'a non-string $ref is no reference');
  assert.throws(() => deref(doc, { $ref: '#/components/schemas/Loop' }), /reference cycle/);
  assert.throws(() => deref(doc, { $ref: '#/components/schemas/PingA' }), /reference cycle/);
  assert.throws(() => deref(doc, { $ref: 'schemas/Order.yaml' }), /external \$ref schemas\/Order\.yaml/);
});

test('locate returns the object at a pointer and the pointer where it really lives', () => {
  const doc = {
    paths: { '/orders': { post: { responses: { '200': { $ref: '#/components/responses/Created' } } } } },
    components: {
      responses: {
        Created: { $ref: '#/components/responses/Ok' },
        Ok: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } },
      },
      schemas: { Order: { type: 'object' } },
    },
    loop: { $ref: '#/loop' },
  };
  assert.deepEqual(locate(doc, `/paths/${escapePointerToken('/orders')}/post/responses/200`), {
    node: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } },
    pointer: '/components/responses/Ok',
  });
  assert.deepEqual(locate(doc, '/paths/~1orders/post/responses/200/content/application~1json/schema'), {
    node: { type: 'object' },
    pointer: '/components/schemas/Order',
  }, 'references on the way are followed too');
  assert.deepEqual(locate(doc, '#/paths/~1orders/post/responses/200/content'), {
    node: doc.components.responses.Ok.content,
    pointer: '#/components/responses/Ok/content',
  });
  assert.deepEqual(locate(doc, '/paths/~1orders/post/responses/200/description'), undefined, 'a string is not an object');
  assert.deepEqual(locate(doc, '#/paths/~1orders/post/responses/200/links'), undefined);
  assert.deepEqual(locate(doc, '/paths'), { node: doc.paths, pointer: '/paths' });
  assert.deepEqual(locate(doc, '#/paths'), { node: doc.paths, pointer: '#/paths' }, 'in the form given');
  assert.equal(locate(doc, '/paths/~1orders/get'), undefined);
  assert.equal(locate(doc, 'paths'), undefined);
  assert.throws(() => locate(doc, '/loop'), /reference cycle/);
  assert.throws(() => locate(doc, '/loop/x'), /reference cycle/);
});

test('isObject and refOf', () => {
  const cases: [value: unknown, object: boolean, ref: string | undefined][] = [
    [{}, true, undefined],
    [{ $ref: '#/a' }, true, '#/a'],
    [{ $ref: 1 }, true, undefined],
    [[], false, undefined],
    [null, false, undefined],
    ['x', false, undefined],
  ];
  for (const [value, object, ref] of cases) {
    assert.equal(isObject(value), object, JSON.stringify(value));
    assert.equal(refOf(value), ref, JSON.stringify(value));
  }
});
