/**
 * Badges against the Firestore and Auth emulators: counts moved once per domain event (duplicate
 * and concurrent deliveries), awards exactly once when the criteria are met (migrated awards
 * included) with an inbox notice, inactive and unreadable criteria never automatic, and awards by
 * hand.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  awardBadge as awardBadgeContract,
  badges,
  inbox,
  userBadges,
  userStats,
  type DomainEventDoc,
  type DomainEventType,
  type SessionDoc,
} from '@zhengrowth/model';
import { put } from '@zhengrowth/devstack/testing';
import { awardBadge, countForBadges } from '../src/badges/award.js';
import { onSessionWritten } from '../src/coaching/attendance.js';
import { isContention } from '../src/core/firestore.js';
import { call, growthWorld, member, refusal, uniq, type GrowthWorld } from './support/growth.js';

let w: GrowthWorld;
beforeAll(async () => {
  w = growthWorld('badges');
  const seed = (code: string, criteria: unknown, active = true) =>
    put(w.db.doc(badges.docPath({ code })).withConverter(badges.converter), {
      name: code.replace('_', ' '),
      description: null,
      icon: null,
      criteria: criteria as never,
      active,
    });
  await Promise.all([
    seed('first_post', { metric: 'posts', gte: 1 }),
    seed('lesson_3', { metric: 'lessons_completed', gte: 3 }),
    seed('buyer_poster', {
      all: [
        { metric: 'posts', gte: 1 },
        { metric: 'purchases', gte: 1 },
      ],
    }),
    seed('early_bird', { manual: true }),
    seed('regular', { metric: 'sessions_attended', gte: 1 }),
    seed('streak_7', { type: 'streak', threshold: 7 }),
    seed('retired', { metric: 'posts', gte: 1 }, false),
  ]);
});
afterAll(async () => {
  await w?.close();
});

function event(type: DomainEventType, userId: string): { id: string; doc: DomainEventDoc } {
  const subject = uniq('s');
  return { id: `${type}:${subject}:${userId}`, doc: { type, user_id: userId, lead_id: null, subject_id: subject, occurred_at: Timestamp.now(), data: null } };
}

/**
 * One delivery of the trigger (retry: true): a delivery whose transaction lost to a concurrent one
 * (ABORTED once the SDK's retries are spent; runTx already reruns a closed one) is delivered again,
 * as the platform does; any other failure is the test's failure.
 */
async function deliver(e: { id: string; doc: DomainEventDoc }, attempts = 4): Promise<string[]> {
  try {
    return await countForBadges(w.deps, e.id, e.doc);
  } catch (err) {
    if (attempts > 1 && isContention(err)) return deliver(e, attempts - 1);
    throw err;
  }
}

async function awards(uid: string) {
  return (await w.db.collection(userBadges.collectionPath({ uid })).withConverter(userBadges.converter).get()).docs.map((d) => ({ id: d.id, ...d.data() }));
}

async function counts(uid: string) {
  return (await w.db.doc(userStats.docPath({ uid })).withConverter(userStats.converter).get()).data()?.counts ?? {};
}

describe('session_attended', () => {
  it('a session that became completed (Cal.com or its coach) is one session_attended, whatever the deliveries; it moves sessions_attended', async () => {
    const me = await member(w);
    const sessionId = uniq('session');
    const base: SessionDoc = {
      user_id: me.uid,
      coach_id: 'coach-1',
      booking_id: null,
      session_date: Timestamp.now(),
      notes: null,
      action_items: null,
      status: 'scheduled',
      created_at: Timestamp.now(),
      updated_at: null,
    };
    const change = (before: string | null, after: string | null) => ({
      uid: me.uid,
      sessionId,
      before: before === null ? undefined : { ...base, status: before },
      after: after === null ? undefined : { ...base, status: after },
    });
    expect(await onSessionWritten(w.deps, change(null, 'scheduled'))).toBe(false);
    expect(await onSessionWritten(w.deps, change('scheduled', 'no_show'))).toBe(false);
    const firsts = await Promise.all([onSessionWritten(w.deps, change('scheduled', 'completed')), onSessionWritten(w.deps, change('scheduled', 'completed'))]);
    expect(firsts.filter(Boolean)).toHaveLength(1);
    // Edited after it ended (completed → completed), or completed again after a correction: still one.
    expect(await onSessionWritten(w.deps, change('completed', 'completed'))).toBe(false);
    expect(await onSessionWritten(w.deps, change('scheduled', 'completed'))).toBe(false);
    const events = await w.db.collection('domain_events').where('type', '==', 'session_attended').where('user_id', '==', me.uid).get();
    expect(events.docs.map((d) => d.get('subject_id') as unknown)).toEqual([sessionId]);
    const [only] = events.docs;
    if (!only) throw new Error('no session_attended event');
    expect(await deliver({ id: only.id, doc: only.data() as DomainEventDoc })).toEqual(['regular']);
    expect(await counts(me.uid)).toEqual({ sessions_attended: 1 });
  });
});

describe('automatic badges', () => {
  it('a post awards first_post once with a notice; duplicate deliveries count once; inactive and unreadable badges are not automatic', async () => {
    const me = await member(w);
    const post = event('post_created', me.uid);
    const results = await Promise.all([deliver(post), deliver(post)]);
    await deliver(post);
    expect(results.flat()).toEqual(['first_post']);
    expect(await counts(me.uid)).toEqual({ posts: 1 });
    expect((await awards(me.uid)).map((a) => a.id)).toEqual(['first_post']);
    expect(
      (
        await w.db
          .doc(inbox.docPath({ uid: me.uid, itemId: 'badge-first_post' }))
          .withConverter(inbox.converter)
          .get()
      ).data(),
    ).toMatchObject({
      type: 'badge_awarded',
      title: 'New badge: first post',
    });
    // A second post: counted, nothing awarded again.
    const again = event('post_created', me.uid);
    expect(await countForBadges(w.deps, again.id, again.doc)).toEqual([]);
    expect(await counts(me.uid)).toEqual({ posts: 2 });
    // Then a purchase completes buyer_poster (all of: a post and a purchase).
    const buy = event('purchase', me.uid);
    expect(await countForBadges(w.deps, buy.id, buy.doc)).toEqual(['buyer_poster']);
    expect((await awards(me.uid)).map((a) => a.id).sort()).toEqual(['buyer_poster', 'first_post']);
  });

  it('three lessons delivered concurrently, each twice: counted three times, lesson_3 awarded once', async () => {
    const me = await member(w);
    const lessons = [event('lesson_completed', me.uid), event('lesson_completed', me.uid), event('lesson_completed', me.uid)];
    const out = await Promise.all([...lessons, ...lessons].map((e) => deliver(e)));
    expect(out.flat()).toEqual(['lesson_3']);
    expect(await counts(me.uid)).toEqual({ lessons_completed: 3 });
    expect((await awards(me.uid)).map((a) => a.badge_code)).toEqual(['lesson_3']);
  });

  it('a badge held from the migration (another award id) is not awarded again; events without a user or a metric count nothing', async () => {
    const me = await member(w);
    await put(w.db.doc(userBadges.docPath({ uid: me.uid, awardId: '0b9c7a52-2a57-4c39-8d57-5d1c0e3f4a11' })).withConverter(userBadges.converter), {
      user_id: me.uid,
      badge_code: 'first_post',
      awarded_at: Timestamp.fromDate(new Date('2024-03-01T00:00:00Z')),
      metadata: {},
    });
    const post = event('post_created', me.uid);
    expect(await countForBadges(w.deps, post.id, post.doc)).toEqual([]);
    expect(await awards(me.uid)).toHaveLength(1);
    const lead = event('lead_created', me.uid);
    expect(await countForBadges(w.deps, lead.id, { ...lead.doc, user_id: null })).toEqual([]);
    const signup = event('signup', me.uid);
    expect(await countForBadges(w.deps, signup.id, signup.doc)).toEqual([]);
    expect(await counts(me.uid)).toEqual({ posts: 1 });
  });
});

describe('awardBadge (by hand)', () => {
  it('an admin awards once (a repeat changes nothing) with a notice; members cannot; unknown badges and users are refused', async () => {
    const [admin, me] = await Promise.all([member(w, ['admin']), member(w)]);
    const give = (who = admin, data: Record<string, unknown> = { uid: me.uid, badge_code: 'early_bird', note: 'beta tester' }) =>
      call(awardBadgeContract, awardBadge, w.deps, who, data);
    expect(await give()).toEqual({ awarded: true, award_id: 'early_bird' });
    expect(await give()).toEqual({ awarded: false, award_id: 'early_bird' });
    expect((await awards(me.uid)).find((a) => a.id === 'early_bird')?.metadata).toEqual({ by: 'admin', admin: admin.uid, note: 'beta tester' });
    expect((await w.db.doc(inbox.docPath({ uid: me.uid, itemId: 'badge-early_bird' })).get()).exists).toBe(true);
    expect(await refusal(give(me))).toBe('permission-denied');
    expect(await refusal(give(admin, { uid: me.uid, badge_code: 'no_such_badge' }))).toBe('not-found');
    expect(await refusal(give(admin, { uid: 'no-such-user', badge_code: 'early_bird' }))).toBe('not-found');
    // The seed's unreadable criteria: by hand only, which works.
    expect(await give(admin, { uid: me.uid, badge_code: 'streak_7' })).toEqual({ awarded: true, award_id: 'streak_7' });
  });
});
