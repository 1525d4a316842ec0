/**
 * Analytics ingestion and the daily job against the Firestore emulator: batch, size and name
 * limits (nothing stored on a refusal), the server's clock over a forged one, the caller's
 * network and user agent, the per-IP limit over sharded windows, rollups equal to the raw events
 * (and the same on a second run), and retention that deletes only the events past it.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsEvents, analyticsRollupNames, analyticsRollups, track as trackContract } from '@zhengrowth/model';
import { deleteExpiredEvents, rollupDay, runAnalyticsDaily } from '../src/analytics/rollup.js';
import { track } from '../src/analytics/track.js';
import { call, growthWorld, member, refusal, uniq, type Auth, type GrowthWorld } from './support/growth.js';

let w: GrowthWorld;
beforeAll(() => {
  w = growthWorld('analytics');
});
afterAll(async () => {
  await w?.close();
});

const send = (who: Auth | null, events: unknown[], extra: Parameters<typeof call>[5] = {}) => call(trackContract, track, w.deps, who, { events }, extra);

async function stored() {
  return (await w.db.collection(analyticsEvents.collectionPath({})).withConverter(analyticsEvents.converter).get()).docs.map((d) => d.data());
}

describe('track', () => {
  it('stores a batch with the server’s time, day and TTL, the caller’s uid, network and user agent', async () => {
    const me = await member(w);
    const session = uniq('s_');
    w.clock.set(new Date('2026-11-30T23:59:58Z'));
    const res = await send(
      me,
      [
        { name: 'page_view', session_id: session, page_url: 'https://zhengrowth.com/', properties: { title: '首页', viewport: { w: 390 } } },
        { name: 'cta_click', session_id: session, client_time: '2001-01-01T00:00:00Z' },
      ],
      { ip: '203.0.113.77', userAgent: 'Mozilla/5.0 '.repeat(60) },
    );
    w.clock.set(new Date());
    expect(res).toEqual({ accepted: 2 });
    const mine = (await stored()).filter((e) => e.session_id === session);
    expect(mine).toHaveLength(2);
    for (const e of mine) {
      expect(e).toMatchObject({ user_id: me.uid, ip_address: '203.0.113.0/24', day: '2026-11-30' });
      expect(e.created_at?.toDate().toISOString()).toBe('2026-11-30T23:59:58.000Z');
      expect(e.expires_at?.toMillis()).toBe(Date.parse('2026-11-30T23:59:58Z') + w.deps.retentionDays * 86_400_000);
      expect(e.user_agent).toHaveLength(512);
    }
    // The client's clock is a property, never the event's time.
    expect(mine.find((e) => e.event_name === 'cta_click')?.properties).toEqual({ client_time: '2001-01-01T00:00:00Z' });
  });

  it('refuses, storing nothing: more than 50 events, a bad name, a forged created_at or user_id, too many, too large or too deep properties', async () => {
    const before = (await stored()).length;
    const ok = { name: 'page_view' };
    expect(
      await refusal(
        send(
          null,
          Array.from({ length: 51 }, () => ok),
        ),
      ),
    ).toBe('invalid-argument');
    expect(await refusal(send(null, []))).toBe('invalid-argument');
    expect(await refusal(send(null, [ok, { name: 'Page View' }]))).toBe('invalid-argument');
    expect(await refusal(send(null, [{ ...ok, created_at: '2001-01-01T00:00:00Z' }]))).toBe('invalid-argument');
    expect(await refusal(send(null, [{ ...ok, user_id: 'someone-else' }]))).toBe('invalid-argument');
    expect(await refusal(send(null, [{ ...ok, client_time: 'yesterday' }]))).toBe('invalid-argument');
    expect(await refusal(send(null, [ok, { ...ok, properties: { blob: 'x'.repeat(5000) } }]))).toBe('invalid-argument');
    expect(await refusal(send(null, [{ ...ok, properties: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) }]))).toBe('invalid-argument');
    expect(await refusal(send(null, [{ ...ok, properties: { a: { b: { c: { d: { e: { f: 1 } } } } } } }]))).toBe('invalid-argument');
    expect(await refusal(send(null, [{ ...ok, page_url: 'x'.repeat(2049) }]))).toBe('invalid-argument');
    const err = await send(null, [ok, ok, { ...ok, properties: { blob: 'x'.repeat(5000) } }]).then(
      () => new Error('accepted'),
      (e: unknown) => e as Error,
    );
    expect(err.message).toMatch(/^events\.2\.properties: /);
    expect((await stored()).length).toBe(before);
  });

  it('limits calls per IP over sharded windows: never more than the limit, other IPs unaffected', async () => {
    const guard = { rateLimit: { ip: { max: 4, per_seconds: 60, shards: 2 } } };
    const ip = `192.0.2.${Math.floor(Math.random() * 200)}`;
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () =>
        send(null, [{ name: 'burst' }], { ip, guard }).then(
          () => 'ok',
          (e: { code?: string }) => e.code,
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'ok').length).toBeLessThanOrEqual(4);
    expect(outcomes.filter((o) => o === 'ok').length).toBeGreaterThanOrEqual(2);
    expect(outcomes.filter((o) => o !== 'ok').every((o) => o === 'resource-exhausted')).toBe(true);
    expect(await send(null, [{ name: 'burst' }], { ip: '192.0.2.250', guard })).toEqual({ accepted: 1 });
  });
});

describe('the daily job', () => {
  const dayStart = (day: string) => new Date(`${day}T00:00:00Z`);

  async function trackAt(at: Date, who: Auth | null, events: Array<{ name: string; session_id?: string }>) {
    w.clock.set(at);
    try {
      await send(who, events);
    } finally {
      w.clock.set(new Date());
    }
  }

  it('rolls a day up to exactly its raw events (by name, unique users and sessions); a rerun writes the same', async () => {
    const day = '2026-10-15';
    const [u1, u2] = await Promise.all([member(w), member(w)]);
    await trackAt(new Date(`${day}T00:00:00Z`), u1, [{ name: 'page_view', session_id: 's1' }, { name: 'page_view', session_id: 's1' }, { name: 'signup' }]);
    await trackAt(new Date(`${day}T12:00:00Z`), u2, [{ name: 'page_view', session_id: 's2' }]);
    await trackAt(new Date(`${day}T23:59:59.999Z`), null, [{ name: 'page_view', session_id: 's3' }, { name: 'cta_click' }]);
    await trackAt(new Date('2026-10-16T00:00:00Z'), u1, [{ name: 'page_view' }]); // the next day
    const raw = (await stored()).filter((e) => e.day === day);
    const r1 = await rollupDay(w.db, day, new Date());
    const read = async () => {
      const total = (await w.db.doc(analyticsRollups.docPath({ day })).withConverter(analyticsRollups.converter).get()).data();
      const names = (await w.db.collection(analyticsRollupNames.collectionPath({ day })).withConverter(analyticsRollupNames.converter).get()).docs.map((d) =>
        d.data(),
      );
      return { total: { ...total, computed_at: undefined }, names: names.sort((a, b) => a.event_name.localeCompare(b.event_name)) };
    };
    const first = await read();
    expect(r1).toEqual({ day, events: raw.length, names: 3 });
    expect(first.total).toMatchObject({ day, events: 6, unique_users: 2, unique_sessions: 3, names: 3 });
    expect(first.names).toEqual([
      { day, event_name: 'cta_click', events: 1, unique_users: 0, unique_sessions: 0 },
      { day, event_name: 'page_view', events: 4, unique_users: 2, unique_sessions: 3 },
      { day, event_name: 'signup', events: 1, unique_users: 1, unique_sessions: 0 },
    ]);
    // Per name, the rollup is the raw count.
    for (const n of first.names) expect(n.events).toBe(raw.filter((e) => e.event_name === n.event_name).length);
    await Promise.all([rollupDay(w.db, day, new Date()), rollupDay(w.db, day, new Date())]);
    expect(await read()).toEqual(first);
  });

  it('retention deletes only events of days before the retention period; the job rolls up yesterday and missing days', async () => {
    const now = new Date('2026-12-20T00:30:00Z');
    const retention = w.deps.retentionDays; // 30: the cutoff day is 2026-11-20
    await trackAt(dayStart('2026-11-19'), null, [{ name: 'old_one' }]);
    await trackAt(new Date('2026-11-19T23:59:59Z'), null, [{ name: 'old_one' }]);
    await trackAt(dayStart('2026-11-20'), null, [{ name: 'kept' }]);
    await trackAt(new Date('2026-12-19T08:00:00Z'), null, [{ name: 'kept' }]);
    // An event written without `day` (migrated from Supabase) is not touched by the day query.
    await w.db.collection('analytics_events').add({
      event_name: 'legacy',
      user_id: null,
      session_id: null,
      properties: null,
      page_url: null,
      referrer: null,
      user_agent: null,
      ip_address: null,
      created_at: Timestamp.fromDate(dayStart('2020-01-01')),
    });
    const names = async () =>
      (await stored())
        .map((e) => e.event_name)
        .filter((n) => ['old_one', 'kept', 'legacy'].includes(n))
        .sort();
    expect(await names()).toEqual(['kept', 'kept', 'legacy', 'old_one', 'old_one']);
    w.clock.set(now);
    try {
      const res = await runAnalyticsDaily(w.deps);
      expect(res.rolled.map((r) => r.day)).toContain('2026-12-19');
      expect(res.rolled.find((r) => r.day === '2026-12-19')).toMatchObject({ events: 1 });
      expect(res.deleted).toBeGreaterThanOrEqual(2);
    } finally {
      w.clock.set(new Date());
    }
    expect(await names()).toEqual(['kept', 'kept', 'legacy']);
    expect(await deleteExpiredEvents(w.db, now, retention)).toBe(0);
  });
});
