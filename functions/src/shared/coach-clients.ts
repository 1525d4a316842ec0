/**
 * Who is a coach's client. A client is the coach's when an admin assigned them (`users/{uid}.coach_id`,
 * assignCoach), or when the client booked an upcoming session with the coach through Cal.com (a
 * `cal_bookings` document, written only by the Cal.com webhook, whose session this coach holds).
 * A session a coach opened by hand (the rules let a coach create one for anyone) makes no one their
 * client: what a coach may read about a person never follows from what the coach wrote.
 */
import type { Firestore } from 'firebase-admin/firestore';
import { calBookingsOfUser, sessions, users } from '@zhengrowth/model';
import { buildQuery } from '../core/query.js';
import { goodDocs } from '../core/read.js';

/** Booking states of a session still to come (not cancelled, rejected, moved or over). */
const UPCOMING = new Set(['pending', 'awaiting_payment', 'confirmed']);

export async function isClientOf(db: Firestore, coachUid: string, clientUid: string, now: Date): Promise<boolean> {
  // Raw field reads: one field decides, and a profile that breaks the model must not fail the check.
  const profile = await db.doc(users.docPath({ uid: clientUid })).get();
  if (profile.exists && profile.get('coach_id') === coachUid) return true;
  const booked = goodDocs(calBookingsOfUser.collection, (await buildQuery(db, calBookingsOfUser, [clientUid]).limit(100).get()).docs, 'isClientOf');
  const sessionIds = booked
    .map((b) => b.data)
    .filter((b) => UPCOMING.has(b.status ?? '') && b.start_time.toMillis() >= now.getTime() && b.session_id)
    .map((b) => b.session_id as string);
  if (sessionIds.length === 0) return false;
  const held = await db.getAll(...sessionIds.map((sessionId) => db.doc(sessions.docPath({ uid: clientUid, sessionId }))));
  return held.some((s) => s.exists && s.get('coach_id') === coachUid);
}
