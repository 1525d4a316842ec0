/**
 * The Cal.com event type sync against the Firestore emulator and a stand-in of Cal.com's API v2:
 * what it asks (path, bearer key, API version), what it stores (new, changed, hidden and gone
 * types; the admins' metadata kept; unreadable items skipped), two syncs at once changing each
 * thing once, and failures recorded and told to the admins once per run of failures.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calEventTypes, inbox, integrationSyncs, syncCalEventTypes as contract, type CalEventTypeDoc } from '@zhengrowth/model';
import { put } from '@zhengrowth/devstack/testing';
import { CAL_API_VERSION } from '../src/coaching/cal-api.js';
import { runCalSync, syncCalEventTypes, type CalSyncDeps } from '../src/coaching/cal-sync.js';
import { standIn, type Reply, type StandIn } from './support/standin.js';
import { call, growthWorld, member, refusal, type Auth, type GrowthWorld } from './support/growth.js';

let w: GrowthWorld;
let cal: StandIn;
let next: Reply;
let deps: CalSyncDeps;
let admin: Auth;
beforeAll(async () => {
  w = growthWorld('calsync');
  cal = await standIn(() => next);
  deps = { db: w.db, now: () => w.clock.now, cal: { baseUrl: `${cal.origin}/`, apiKey: 'cal_test_key' } };
  admin = await member(w, ['admin']);
});
afterAll(async () => {
  await cal?.close();
  await w?.close();
});

const answer = (data: unknown[]): Reply => ({ status: 200, body: { status: 'success', data } });
const calType = (id: number, over: Record<string, unknown> = {}) => ({
  id,
  slug: `session-${id}`,
  title: `Session ${id}`,
  description: 'An hour with a coach',
  lengthInMinutes: 60,
  price: 0,
  currency: 'usd',
  hidden: false,
  locations: [{ type: 'integration', integration: 'cal-video' }],
  ...over,
});
const stored = async (id: string) =>
  (
    await w.db
      .doc(calEventTypes.docPath({ eventTypeId: id }))
      .withConverter(calEventTypes.converter)
      .get()
  ).data();
const state = async () =>
  (
    await w.db
      .doc(integrationSyncs.docPath({ name: 'cal_event_types' }))
      .withConverter(integrationSyncs.converter)
      .get()
  ).data();
const alerts = async () =>
  (
    await w.db
      .collection(inbox.collectionPath({ uid: admin.uid }))
      .withConverter(inbox.converter)
      .get()
  ).docs.filter((d) => d.id.startsWith('cal-sync-failed-'));

describe('Cal.com event types sync', () => {
  it('asks Cal.com as documented and stores new, changed, hidden and gone types, keeping what admins added', async () => {
    w.clock.set(new Date('2026-03-03T03:15:00Z'));
    const migrated: CalEventTypeDoc = {
      slug: 'intro',
      title: 'Old title',
      description: null,
      duration_minutes: 30,
      price_minor: null,
      currency: 'USD',
      active: true,
      metadata: { color: 'blue' },
      created_at: Timestamp.fromDate(new Date('2024-01-01T00:00:00Z')),
      updated_at: null,
    };
    await put(w.db.doc(calEventTypes.docPath({ eventTypeId: '101' })).withConverter(calEventTypes.converter), migrated);
    await put(w.db.doc(calEventTypes.docPath({ eventTypeId: '900' })).withConverter(calEventTypes.converter), { ...migrated, slug: 'gone' });
    next = answer([calType(101, { slug: 'intro', price: 4500 }), calType(102, { hidden: true }), { id: 'not-a-number', title: 7 }]);
    const counts = await call(contract, syncCalEventTypes, deps, admin, {});
    expect(counts).toEqual({ fetched: 2, created: 1, updated: 1, deactivated: 1, unchanged: 0, skipped: 1 });
    const req = cal.requests.at(-1)!;
    expect([req.method, req.path, req.headers.authorization, req.headers['cal-api-version']]).toEqual([
      'GET',
      '/v2/event-types',
      'Bearer cal_test_key',
      CAL_API_VERSION,
    ]);
    expect(await stored('101')).toMatchObject({
      title: 'Session 101',
      duration_minutes: 60,
      price_minor: 4500,
      currency: 'USD',
      active: true,
      metadata: { color: 'blue' },
    });
    expect((await stored('101'))?.created_at).toEqual(migrated.created_at);
    expect(await stored('102')).toMatchObject({ slug: 'session-102', active: false, metadata: {} });
    expect(await stored('900')).toMatchObject({ slug: 'gone', active: false });
    expect(await state()).toMatchObject({ ok: true, error: null, failing_since: null, counts: { created: 1, updated: 1, deactivated: 1 } });
    // The same answer again changes nothing.
    w.clock.advance(86_400_000);
    const before = (await stored('101'))?.updated_at;
    expect(await call(contract, syncCalEventTypes, deps, admin, {})).toMatchObject({ created: 0, updated: 0, deactivated: 0, unchanged: 2 });
    expect((await stored('101'))?.updated_at).toEqual(before);
  });

  it('two syncs at once change each thing once', async () => {
    next = answer([calType(101, { slug: 'intro', price: 5000 }), calType(102, { hidden: true })]);
    const [a, b] = await Promise.all([runCalSync(deps), runCalSync(deps)]);
    const updated = [a, b].map((r) => (r.ok ? r.counts.updated : -1));
    expect(updated.sort()).toEqual([0, 1]);
    expect((await stored('101'))?.price_minor).toBe(5000);
  });

  it('a failure is recorded and told to the admins once per run of failures; a member may not sync', async () => {
    w.clock.set(new Date('2026-03-10T03:15:00Z'));
    expect(await refusal(call(contract, syncCalEventTypes, deps, await member(w, ['client']), {}))).toBe('permission-denied');
    const requests = cal.requests.length;
    next = { status: 500, body: { status: 'error', error: { code: 'INTERNAL', message: 'upstream down' } } };
    expect(await refusal(call(contract, syncCalEventTypes, deps, admin, {}))).toBe('unavailable');
    expect(await state()).toMatchObject({ ok: false, error: 'Cal.com answered 500: upstream down', alerted: true, counts: { unchanged: 2 } });
    const since = (await state())?.failing_since;
    next = { status: 401, body: { status: 'error', error: { code: 'UNAUTHORIZED', message: 'invalid api key' } } };
    w.clock.advance(86_400_000);
    expect(await refusal(call(contract, syncCalEventTypes, deps, admin, {}))).toBe('failed-precondition');
    expect(await refusal(call(contract, syncCalEventTypes, { ...deps, cal: { ...deps.cal, apiKey: '' } }, admin, {}))).toBe('failed-precondition');
    expect(cal.requests.length).toBe(requests + 2);
    expect((await state())?.failing_since).toEqual(since);
    expect(await alerts()).toHaveLength(1);
    expect((await alerts())[0]?.data()).toMatchObject({ type: 'system', title: 'Cal.com event types could not be synced' });
    // A success ends the run of failures; the next failure is told again.
    next = answer([calType(101, { slug: 'intro', price: 5000 })]);
    expect((await runCalSync(deps)).ok).toBe(true);
    expect(await state()).toMatchObject({ ok: true, failing_since: null, alerted: false });
    next = { status: 200, body: '<html>maintenance</html>' };
    expect((await runCalSync(deps)).ok).toBe(false);
    expect(await alerts()).toHaveLength(2);
  });
});
