import { expect } from 'vitest';
import { ValleyError } from '../../shared/api';

/** The ValleyError a call refuses with (fails the test when it succeeds or throws something else). */
export const refusal = async (work: Promise<unknown>): Promise<ValleyError> => {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValleyError);
  return error as ValleyError;
};
