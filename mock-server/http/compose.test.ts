import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { compose } from './compose.ts';

const run = (handler: RequestHandler) =>
  new Promise<unknown>((resolve) => {
    handler({} as Request, {} as Response, ((error?: unknown) => resolve(error ?? 'done')) as NextFunction);
  });

test('runs handlers in order, then hands over; errors thrown, passed or rejected end the sequence', async () => {
  const seen: string[] = [];
  const step = (name: string): RequestHandler => (_req, _res, next) => {
    seen.push(name);
    next();
  };
  assert.equal(await run(compose([step('a'), async (_req, _res, next) => (seen.push('b'), next()), step('c')])), 'done');
  assert.deepEqual(seen, ['a', 'b', 'c']);

  const boom = new Error('boom');
  assert.equal(await run(compose([() => { throw boom; }, step('never')])), boom);
  assert.equal(await run(compose([async () => { throw boom; }, step('never')])), boom);
  assert.equal(await run(compose([(_req, _res, next) => next(boom), step('never')])), boom);
  assert.ok(!seen.includes('never'));
  assert.equal(await run(compose([])), 'done');
});

test('a handler that answers without calling next ends the sequence', async () => {
  let ended = false;
  const handler = compose([(_req, _res) => { ended = true; }, () => assert.fail('not reached')]);
  handler({} as Request, {} as Response, (() => assert.fail('next not expected')) as NextFunction);
  assert.equal(ended, true);
});
