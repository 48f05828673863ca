import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseValidator } from './response-validator.ts';
import { loadSpec } from '@starship/contract';
import { product } from '../test-support/http-harness.ts';

const validator = new ResponseValidator(loadSpec('starship'));
const envelope = { error: { name: 'NotFound', code: 'E_NOT_FOUND', message: 'No such product.' } };

test('a body is checked against its operation and status', () => {
  assert.deepEqual(validator.problems('getProduct', 200, product), []);
  assert.deepEqual(validator.problems('getProduct', 404, envelope), []);
  const broken = validator.problems('getProduct', 200, { ...product, delivery_time: 'SOON' });
  assert.equal(broken.length, 1);
  assert.match(broken[0]!, /^response\/delivery_time must be equal to one of the allowed values/);
  assert.match(validator.problems('getProduct', 404, { error: 'not_found' })[0]!, /^response\/error must be object/);
});

test('an undocumented status, or a JSON body where none is documented, is a problem', () => {
  assert.deepEqual(validator.problems('getProduct', 418, envelope), ['no schema defined for status code 418 in the spec']);
  assert.deepEqual(validator.problems('deleteWebhook', 204, {}), ['the response should not have a JSON body']);
  assert.throws(() => validator.problems('noSuchOperation', 200, {}), /unknown operationId/);
});

test('a text already found valid for an operation and status is not checked again; nothing else is remembered', () => {
  const text = JSON.stringify(product);
  assert.deepEqual(validator.problemsOfSent('getProduct', 200, product, text), []);
  // The body is not walked again: what is sent is the text, and that text was valid.
  assert.deepEqual(validator.problemsOfSent('getProduct', 200, {}, text), []);
  assert.notDeepEqual(validator.problemsOfSent('getProduct', 404, product, text), [], 'valid for 200 says nothing about 404');
  assert.notDeepEqual(validator.problemsOfSent('getOrder', 200, product, text), [], 'nor about another operation');
  const broken = { ...product, delivery_time: 'SOON' };
  for (let i = 0; i < 2; i++) assert.notDeepEqual(validator.problemsOfSent('getProduct', 200, broken, JSON.stringify(broken)), []);
});
