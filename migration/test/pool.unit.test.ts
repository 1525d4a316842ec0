/**
 * The pools that run tables side by side: poolWhenReady lets items start as they become ready and,
 * of those waiting for a place, the heaviest first (cutover's check of a large table that the final
 * sync finishes late must not queue behind every small one).
 */
import { describe, expect, it } from 'vitest';
import { poolWhenReady } from '../src/migrate/concurrency/pool.js';

const tick = () => new Promise<void>((r) => setTimeout(r, 5));

describe('poolWhenReady', () => {
  it('starts the heaviest waiting item first once a place frees, equal weights in the order they became ready', async () => {
    const started: string[] = [];
    let releaseFirst = (): void => undefined;
    const first = new Promise<void>((r) => (releaseFirst = r));
    const weights: Record<string, number> = { a: 0, small1: 1, small2: 1, big: 100 };
    const readyAt: Record<string, number> = { a: 0, small1: 1, small2: 2, big: 3 };
    const run = poolWhenReady(
      Object.keys(weights),
      1,
      async (item) => {
        for (let i = 0; i < (readyAt[item] ?? 0); i++) await tick();
      },
      async (item) => {
        started.push(item);
        if (item === 'a') await first;
      },
      (item) => weights[item] ?? 0,
    );
    // All three are ready and waiting while `a` holds the only place.
    for (let i = 0; i < 6; i++) await tick();
    expect(started).toEqual(['a']);
    releaseFirst();
    await run;
    expect(started).toEqual(['a', 'big', 'small1', 'small2']);
  });

  it('without weights, items start in the order they become ready; the first failure is thrown', async () => {
    const started: number[] = [];
    await poolWhenReady(
      [3, 1, 2],
      1,
      async (n) => {
        for (let i = 0; i < n; i++) await tick();
      },
      async (n) => {
        started.push(n);
        await tick();
      },
    );
    expect(started).toEqual([1, 2, 3]);
    await expect(
      poolWhenReady(
        [1, 2],
        2,
        () => Promise.resolve(),
        (n) => (n === 2 ? Promise.reject(new Error('boom')) : Promise.resolve()),
      ),
    ).rejects.toThrow('boom');
  });
});
