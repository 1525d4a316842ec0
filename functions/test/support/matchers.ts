import { expect } from 'vitest';

/**
 * `expect.stringMatching` for use inside `toMatchObject` shapes. Vitest types the asymmetric
 * matchers as `any`, which would switch type checking off for the whole shape around them.
 */
export function matching(pattern: RegExp): unknown {
  return expect.stringMatching(pattern) as unknown;
}
