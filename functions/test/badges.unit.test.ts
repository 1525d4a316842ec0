/** The badge criteria language (functions/model/src/growth.ts): what parses, and when it holds. */
import { describe, expect, it } from 'vitest';
import { badgeCriteria, criteriaMet } from '@zhengrowth/model';

describe('badge criteria', () => {
  it('reads conditions, all, any and manual; refuses everything else', () => {
    for (const ok of [
      { metric: 'posts', gte: 1 },
      {
        all: [
          { metric: 'lessons_completed', gte: 10 },
          { metric: 'purchases', gte: 1 },
        ],
      },
      { any: [{ metric: 'sessions_attended', gte: 1 }] },
      { manual: true },
    ]) {
      expect(badgeCriteria.safeParse(ok).success, JSON.stringify(ok)).toBe(true);
    }
    for (const bad of [
      { type: 'count', threshold: 5, window: { days: 7 } }, // the seed's shape: awarded by hand only
      { metric: 'likes', gte: 1 },
      { metric: 'posts', gte: 0 },
      { metric: 'posts', gte: 1.5 },
      { all: [] },
      { all: [{ all: [{ metric: 'posts', gte: 1 }] }] },
      { manual: false },
      { metric: 'posts', gte: 1, extra: true },
      null,
    ]) {
      expect(badgeCriteria.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('holds when the counts reach the thresholds', () => {
    const c = (v: unknown) => badgeCriteria.parse(v);
    expect(criteriaMet(c({ metric: 'posts', gte: 2 }), { posts: 1 })).toBe(false);
    expect(criteriaMet(c({ metric: 'posts', gte: 2 }), { posts: 2 })).toBe(true);
    const both = c({
      all: [
        { metric: 'posts', gte: 1 },
        { metric: 'purchases', gte: 1 },
      ],
    });
    expect(criteriaMet(both, { posts: 3 })).toBe(false);
    expect(criteriaMet(both, { posts: 1, purchases: 1 })).toBe(true);
    const either = c({
      any: [
        { metric: 'posts', gte: 5 },
        { metric: 'referrals_completed', gte: 1 },
      ],
    });
    expect(criteriaMet(either, { referrals_completed: 1 })).toBe(true);
    expect(criteriaMet(either, {})).toBe(false);
    expect(criteriaMet(c({ manual: true }), { posts: 1000 })).toBe(false);
  });
});
