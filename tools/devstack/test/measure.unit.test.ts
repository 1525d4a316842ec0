import { describe, expect, it } from 'vitest';
import { inFlight, median, percentile } from '../src/measure.js';

describe('inFlight', () => {
  it('runs every item, never more than the width at once, and returns the results in the items’ order', async () => {
    let running = 0;
    let most = 0;
    const items = Array.from({ length: 25 }, (_, i) => i);
    const out = await inFlight(4, items, async (item, index) => {
      running++;
      most = Math.max(most, running);
      // Later items finish first: the order of the results must not follow completion.
      await new Promise((resolve) => setTimeout(resolve, (25 - item) % 7));
      running--;
      return `${item}:${index}`;
    });
    expect(out).toEqual(items.map((i) => `${i}:${i}`));
    expect(most).toBe(4);
  });

  it('copes with more lanes than items, and with none', async () => {
    expect(await inFlight(10, ['a', 'b'], (s) => Promise.resolve(s.toUpperCase()))).toEqual(['A', 'B']);
    expect(await inFlight(3, [], () => Promise.resolve(1))).toEqual([]);
    expect(await inFlight(0, [1, 2], (n) => Promise.resolve(n * 2))).toEqual([2, 4]);
  });

  it('rejects with the work’s error', async () => {
    await expect(inFlight(2, [1, 2, 3], (n) => (n === 2 ? Promise.reject(new Error('two')) : Promise.resolve(n)))).rejects.toThrow('two');
  });
});

describe('percentile and median', () => {
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
  it('nearest rank', () => {
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 90)).toBe(90);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
  it('median of unsorted values, the upper one of an even count', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(3);
    expect(median([])).toBeNaN();
  });
});
