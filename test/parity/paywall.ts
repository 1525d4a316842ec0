/**
 * Rules tests of the paywall and of the entitlement documents, run in the parity suite's project
 * (its rules coverage must reach these expressions too): a paywalled lesson's media against a
 * signed-out visitor, a signed-in user without a lesson pass, one whose pass has expired, one with
 * a valid pass (of the lesson, or of its module); and entitlements and passes unwritable by clients.
 */
import { deleteDoc, doc, getDoc, setDoc, Timestamp, updateDoc, type Firestore } from 'firebase/firestore';
import { expect, it } from 'vitest';
import { A, B, COACH } from './actors.js';
import type { FirestoreSide } from './firestore-side.js';
import { rowId } from './fixture.js';

const denied = async (p: Promise<unknown>): Promise<void> => {
  await expect(p).rejects.toMatchObject({ code: 'permission-denied' });
};

function pass(uid: string, key: string, expiresAt: Timestamp | null, active = true) {
  return { user_id: uid, key, active, expires_at: expiresAt, grants: { 'ORDER1-1': expiresAt }, updated_at: Timestamp.now() };
}

function entitlement(uid: string) {
  const now = Timestamp.now();
  return {
    user_id: uid,
    order_id: 'ORDER1',
    offer_id: 'growth',
    title: 'Growth',
    status: 'active',
    starts_at: now,
    expires_at: null,
    sessions_total: 4,
    sessions_used: 0,
    lesson_access: ['module:m9'],
    granted_at: now,
    updated_at: now,
    revoked_at: null,
    note: null,
  };
}

export function paywallCases(side: () => FirestoreSide): void {
  const media = `lesson_media/${rowId('lessons', 'premium')}`;
  const freeMedia = `lesson_media/${rowId('lessons', 'live')}`;
  const seed = async (docs: Record<string, Record<string, unknown>>): Promise<void> => {
    await side().env.withSecurityRulesDisabled(async (ctx) => {
      const db = ctx.firestore() as unknown as Firestore;
      for (const [p, d] of Object.entries(docs)) await setDoc(doc(db, p), d);
    });
  };
  const clear = async (paths: string[]): Promise<void> => {
    await side().env.withSecurityRulesDisabled(async (ctx) => {
      const db = ctx.firestore() as unknown as Firestore;
      for (const p of paths) await deleteDoc(doc(db, p));
    });
  };

  it("a paywalled lesson's media: signed out, no pass, expired pass, inactive pass → denied; a valid lesson or module pass → read", async () => {
    // A day ago: the emulator's request.time on a long-lived client (the actor's listen stream,
    // opened earlier in this run) can be minutes old, and a pass that ended a minute ago would
    // still look valid to it.
    const past = Timestamp.fromMillis(Date.now() - 86_400_000);
    const future = Timestamp.fromMillis(Date.now() + 86_400_000);
    const lessonKey = `lesson:${rowId('lessons', 'premium')}`;
    const passes = {
      [`users/${A.uid}/lesson_access/module:m9`]: pass(A.uid, 'module:m9', future),
      [`users/${B.uid}/lesson_access/module:m9`]: pass(B.uid, 'module:m9', past),
      [`users/${COACH.uid}/lesson_access/module:m9`]: pass(COACH.uid, 'module:m9', null, false),
    };
    await seed(passes);
    try {
      await denied(getDoc(doc(side().db('anon'), media)));
      await denied(getDoc(doc(side().db('unverified'), media))); // signed in, no pass
      await denied(getDoc(doc(side().db('clientB'), media))); // expired
      await denied(getDoc(doc(side().db('coach'), media))); // revoked (inactive)
      expect((await getDoc(doc(side().db('clientA'), media))).get('yt_id')).toBe('paid-video'); // valid module pass
      expect((await getDoc(doc(side().db('admin'), media))).get('yt_id')).toBe('paid-video');
      // A pass of the lesson itself, without an end, opens it too.
      await seed({ [`users/${B.uid}/lesson_access/${lessonKey}`]: pass(B.uid, lessonKey, null) });
      expect((await getDoc(doc(side().db('clientB'), media))).get('yt_id')).toBe('paid-video');
      // A free lesson's media needs no pass, and its catalogue entry stays public.
      expect((await getDoc(doc(side().db('anon'), freeMedia))).get('yt_id')).toBe('free-video');
      expect((await getDoc(doc(side().db('anon'), `lessons/${rowId('lessons', 'premium')}`))).get('title')).toBe('Lesson 9');
    } finally {
      await clear([...Object.keys(passes), `users/${B.uid}/lesson_access/${lessonKey}`]);
    }
  });

  it('entitlements and lesson passes: the owner (and admins) read them; no client writes them, admins included', async () => {
    const ent = `users/${A.uid}/entitlements/ORDER1-1`;
    const own = `users/${A.uid}/lesson_access/module:m9`;
    await seed({ [ent]: entitlement(A.uid), [own]: pass(A.uid, 'module:m9', null) });
    try {
      expect((await getDoc(doc(side().db('clientA'), ent))).get('sessions_total')).toBe(4);
      expect((await getDoc(doc(side().db('admin'), own))).get('active')).toBe(true);
      await denied(getDoc(doc(side().db('clientB'), ent)));
      await denied(getDoc(doc(side().db('clientB'), own)));
      for (const actor of ['clientA', 'admin'] as const) {
        const db = side().db(actor);
        await denied(setDoc(doc(db, `users/${A.uid}/entitlements/forged`), entitlement(A.uid)));
        await denied(updateDoc(doc(db, ent), { sessions_total: 99 }));
        await denied(deleteDoc(doc(db, ent)));
        await denied(setDoc(doc(db, `users/${A.uid}/lesson_access/lesson:x`), pass(A.uid, 'lesson:x', null)));
        await denied(updateDoc(doc(db, own), { expires_at: null }));
      }
      await denied(setDoc(doc(side().db('admin'), media), { yt_id: 'x', extra: 1 }));
    } finally {
      await clear([ent, own]);
    }
  });

  it('fields the server added later (lesson access and refund policy of an offer, an event’s waitlist counter, a progress percentage) are checked whenever a client write carries them', async () => {
    const offer = `offers/${rowId('coaching_offers', 'active')}`;
    const event = `events/${rowId('events_catalog', 'live')}`;
    const progress = `users/${A.uid}/lesson_progress/${rowId('lessons', 'live')}`;
    const scratchMedia = 'lesson_media/scratch';
    const admin = side().db('admin');
    await seed({ [scratchMedia]: { yt_id: 'scratch' } });
    const original: Record<string, Record<string, unknown>> = {};
    await side().env.withSecurityRulesDisabled(async (ctx) => {
      const db = ctx.firestore() as unknown as Firestore;
      for (const p of [offer, event, progress]) original[p] = (await getDoc(doc(db, p))).data() ?? {};
      // The waitlist counter is the server's (set by the first waitlisted registration).
      await updateDoc(doc(db, event), { waitlist_seq: 3 });
    });
    try {
      await updateDoc(doc(admin, offer), { lesson_access: ['module:m9'], partial_refund: 'prorate' });
      await denied(updateDoc(doc(admin, offer), { partial_refund: 'everything' }));
      await denied(updateDoc(doc(admin, offer), { lesson_access: 'module:m9' }));
      await updateDoc(doc(admin, event), { title: 'Retreat (renamed)' });
      await denied(updateDoc(doc(admin, event), { waitlist_seq: 0 }));
      // Progress and completion are the server's (recordLessonProgress): refused even when well formed.
      await denied(updateDoc(doc(side().db('clientA'), progress), { progress_percent: 60 }));
      await denied(updateDoc(doc(side().db('clientA'), progress), { progress_percent: 'most' }));
      await denied(updateDoc(doc(admin, progress), { progress_percent: 100 }));
      await updateDoc(doc(side().db('clientA'), progress), { last_position_sec: 61 });
      await denied(deleteDoc(doc(side().db('clientA'), scratchMedia)));
      await deleteDoc(doc(admin, scratchMedia));
    } finally {
      await seed(original);
      await clear([scratchMedia]);
    }
  });
}
