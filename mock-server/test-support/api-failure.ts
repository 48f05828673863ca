import assert from 'node:assert/strict';
import { StarshipApiError } from '@starship/sdk';

/** The API error an SDK call fails with; anything else (success, a network error) fails the test. */
export async function apiFailure(promise: Promise<unknown>): Promise<StarshipApiError> {
  const error = await promise.then(
    () => assert.fail('expected the call to fail'),
    (thrown: unknown) => thrown,
  );
  assert.ok(error instanceof StarshipApiError, String(error));
  return error;
}
