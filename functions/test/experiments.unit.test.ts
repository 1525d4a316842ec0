/** The experiment hash: deterministic, and distributed by the weights (10,000 visitors). */
import { describe, expect, it } from 'vitest';
import { bucketOf, chooseVariant } from '../src/growth/experiments.js';

const visitors = Array.from({ length: 10_000 }, (_, i) => `visitor-${i}-${(i * 2654435761) % 1e9}`);

function shares(key: string, variants: Array<{ key: string; weight: number }>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of visitors) {
    const k = chooseVariant(key, v, variants);
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

describe('chooseVariant', () => {
  it('gives 10,000 visitors the weights’ shares within 2 percentage points (50/50, 70/20/10)', () => {
    const even = shares('pricing_page_v2', [
      { key: 'control', weight: 50 },
      { key: 'annual_first', weight: 50 },
    ]);
    expect(Math.abs((even.control ?? 0) / 10_000 - 0.5)).toBeLessThan(0.02);
    const uneven = shares('hero_copy_zh', [
      { key: 'control', weight: 70 },
      { key: 'variant_a', weight: 20 },
      { key: 'variant_b', weight: 10 },
      { key: 'off', weight: 0 },
    ]);
    expect(Math.abs((uneven.control ?? 0) / 10_000 - 0.7)).toBeLessThan(0.02);
    expect(Math.abs((uneven.variant_a ?? 0) / 10_000 - 0.2)).toBeLessThan(0.02);
    expect(Math.abs((uneven.variant_b ?? 0) / 10_000 - 0.1)).toBeLessThan(0.02);
    expect(uneven.off).toBeUndefined();
  });

  it('is the same for a visitor every time, and independent between experiments', () => {
    const vs = [
      { key: 'a', weight: 1 },
      { key: 'b', weight: 1 },
    ];
    for (const v of visitors.slice(0, 100)) expect(chooseVariant('exp', v, vs)).toBe(chooseVariant('exp', v, vs));
    // The same visitors split differently in another experiment (no correlation of buckets).
    const both = visitors.filter((v) => chooseVariant('exp1', v, vs) === 'a' && chooseVariant('exp2', v, vs) === 'a').length;
    expect(Math.abs(both / 10_000 - 0.25)).toBeLessThan(0.02);
    expect(bucketOf('exp', 'x')).toBeGreaterThanOrEqual(0);
    expect(bucketOf('exp', 'x')).toBeLessThan(1);
  });
});
