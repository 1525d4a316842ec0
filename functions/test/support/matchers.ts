import { HttpsError } from 'firebase-functions/v2/https';
import { expect } from 'vitest';

/**
 * `expect.stringMatching` for use inside `toMatchObject` shapes. Vitest types the asymmetric
 * matchers as `any`, which would switch type checking off for the whole shape around them.
 */
export function matching(pattern: RegExp): unknown {
  return expect.stringMatching(pattern) as unknown;
}

/** The HttpsError code a callable refused with (the promise must reject with an HttpsError). */
export async function refusalCode(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpsError);
  return (err as HttpsError).code;
}
