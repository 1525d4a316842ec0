/**
 * The coach's workspace against the Firestore emulator: `listMyClients` shows the coach's assigned
 * clients only, with the next and last session this coach holds with them (another coach's never),
 * their open goals and the open action items of this coach's sessions; `nudgeClient` reaches the
 * coach's own client (an inbox item), three a day, and nobody else.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goals, inbox, listMyClients as listContract, nudgeClient as nudgeContract, sessions, users, type SessionDoc } from '@zhengrowth/model';
import { put } from '@zhengrowth/devstack/testing';
import { listMyClients } from '../src/coaching/clients.js';
import { nudgeClient } from '../src/coaching/nudge.js';
import { call, growthWorld, member, refusal, uniq, type Auth, type GrowthWorld } from './support/growth.js';

let w: GrowthWorld;
let coach: Auth;
let otherCoach: Auth;
let mine: Auth;
let stranger: Auth;
const DAY = 86_400_000;

async function session(client: string, coachUid: string, inDays: number, over: Partial<SessionDoc> = {}): Promise<string> {
  const sessionId = uniq('s-');
  await put(w.db.doc(sessions.docPath({ uid: client, sessionId })).withConverter(sessions.converter), {
    user_id: client,
    coach_id: coachUid,
    booking_id: null,
    session_date: Timestamp.fromMillis(w.clock.now.getTime() + inDays * DAY),
    notes: null,
    action_items: null,
    status: 'confirmed',
    created_at: Timestamp.now(),
    updated_at: null,
    ...over,
  });
  return sessionId;
}

async function goal(client: string, status: string | null): Promise<void> {
  await put(w.db.doc(goals.docPath({ uid: client, goalId: uniq('g-') })).withConverter(goals.converter), {
    user_id: client,
    title: 'Run 5 km',
    description: null,
    status,
    target_date: null,
    progress_percent: null,
    created_at: Timestamp.now(),
    updated_at: null,
  });
}

beforeAll(async () => {
  w = growthWorld('coachws');
  w.clock.set(new Date('2026-04-01T09:00:00Z'));
  [coach, otherCoach, mine, stranger] = await Promise.all([member(w, ['coach'], { name: 'Coach Li' }), member(w, ['coach']), member(w), member(w)]);
  await w.db.doc(users.docPath({ uid: mine.uid })).update({ coach_id: coach.uid });
});
afterAll(async () => {
  await w?.close();
});

describe("the coach's workspace", () => {
  it('lists the assigned clients with the next and last session of this coach, open goals and open action items', async () => {
    const last = await session(mine.uid, coach.uid, -7, {
      status: 'completed',
      action_items: [
        { task: 'Journal daily', done: false, due: null },
        { task: 'Read chapter 2', done: true, due: null },
      ],
    });
    await session(mine.uid, coach.uid, -14, { status: 'completed' });
    await session(mine.uid, coach.uid, 1, { status: 'cancelled' });
    const next = await session(mine.uid, coach.uid, 3, { action_items: [{ task: 'Bring the plan', done: false, due: '2026-04-04' }] });
    await session(mine.uid, otherCoach.uid, 2);
    await session(stranger.uid, coach.uid, 1);
    await Promise.all([goal(mine.uid, null), goal(mine.uid, 'active'), goal(mine.uid, 'completed')]);
    const { clients } = await call(listContract, listMyClients, w.deps, coach, {});
    expect(clients).toEqual([
      {
        uid: mine.uid,
        name: expect.any(String) as unknown,
        email: mine.token.email,
        next_session: { session_id: next, session_date: '2026-04-04T09:00:00.000Z', status: 'confirmed' },
        last_session: { session_id: last, session_date: '2026-03-25T09:00:00.000Z', status: 'completed' },
        open_goals: 2,
        open_action_items: 2,
      },
    ]);
    expect((await call(listContract, listMyClients, w.deps, otherCoach, {})).clients).toEqual([]);
    expect(await refusal(call(listContract, listMyClients, w.deps, mine, {}))).toBe('permission-denied');
  });

  it('nudges the coach’s own client (an inbox item), three a day, and nobody else', async () => {
    const sent = await call(nudgeContract, nudgeClient, w.deps, coach, { client_uid: mine.uid, message: 'How did the journaling go?', action_url: '/goals' });
    const item = (
      await w.db
        .doc(inbox.docPath({ uid: mine.uid, itemId: sent.item_id }))
        .withConverter(inbox.converter)
        .get()
    ).data();
    expect(item).toMatchObject({
      type: 'coach_nudge',
      title: 'A note from Coach Li',
      message: 'How did the journaling go?',
      action_url: '/goals',
      read: false,
    });
    for (let i = 0; i < 2; i++) await call(nudgeContract, nudgeClient, w.deps, coach, { client_uid: mine.uid, message: `again ${i}` });
    expect(await refusal(call(nudgeContract, nudgeClient, w.deps, coach, { client_uid: mine.uid, message: 'once more' }))).toBe('resource-exhausted');
    // A member the coach only opened a session for, or another coach's client, is not theirs.
    expect(await refusal(call(nudgeContract, nudgeClient, w.deps, coach, { client_uid: stranger.uid, message: 'hi' }))).toBe('permission-denied');
    expect(await refusal(call(nudgeContract, nudgeClient, w.deps, otherCoach, { client_uid: mine.uid, message: 'hi' }))).toBe('permission-denied');
    expect(await refusal(call(nudgeContract, nudgeClient, w.deps, coach, { client_uid: mine.uid, message: 'x', action_url: 'https://evil.example' }))).toBe(
      'invalid-argument',
    );
    const items = await w.db.collection(inbox.collectionPath({ uid: stranger.uid })).get();
    expect(items.size).toBe(0);
    w.clock.advance(DAY + 1000);
    expect((await call(nudgeContract, nudgeClient, w.deps, coach, { client_uid: mine.uid, message: 'new day' })).item_id).toMatch(/^nudge-/);
  });
});
