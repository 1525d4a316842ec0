/** The AI callables' world in tests: a Firestore project of its own, a Gemini stand-in, and seeders. */
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import { calBookings, goals, lessonProgress, lessons, sessions, users, type AppRole, type CallableContract, type JsonValue } from '@zhengrowth/model';
import { put, testFirebase, testProjectId, type TestFirebase } from '@zhengrowth/devstack/testing';
import type { AiDeps, AiSettings } from '../../src/ai/deps.js';
import { geminiModel } from '../../src/ai/gemini.js';
import { runCallable, type CallableHandler } from '../../src/core/callable.js';
import { asAuthData, uniq, type Auth } from './env.js';
import { geminiStandIn, type GeminiStandIn } from './gemini-standin.js';

export const TEST_MODEL = 'gemini-test-model';
export const TEST_GEMINI_KEY = 'test-gemini-key-123';

export interface AiEnv {
  fb: TestFirebase;
  db: Firestore;
  gemini: GeminiStandIn;
  deps(o?: Partial<AiSettings> & { now?: () => Date }): AiDeps;
  close(): Promise<void>;
}

export async function aiEnv(label: string): Promise<AiEnv> {
  const fb = testFirebase(testProjectId(label));
  const gemini = await geminiStandIn();
  // Warm up what the first test would otherwise pay for on a loaded machine: the SDK's lazy import, Firestore's channel.
  await Promise.all([import('@google/genai'), fb.db.doc(users.docPath({ uid: 'warm-up' })).get()]);
  return {
    fb,
    db: fb.db,
    gemini,
    deps: ({ now, ...settings } = {}) => ({
      db: fb.db,
      now: now ?? (() => new Date()),
      model: () => geminiModel({ apiKey: TEST_GEMINI_KEY, model: TEST_MODEL, baseUrl: gemini.origin }),
      ai: { dailyQuota: 100, cacheTtlHours: 24, timeoutMs: 5_000, blogUrlBase: 'https://zhengrowth.test/blog', logRetentionDays: 90, ...settings },
    }),
    close: async () => {
      await gemini.close();
      await fb.close();
    },
  };
}

/** A handler run as the callable runs it (input validated, output checked). */
export function call<C extends CallableContract, D extends AiDeps>(contract: C, handler: CallableHandler<C, D>, deps: D, auth: Auth | null, data: unknown) {
  return runCallable(contract, handler, { data, auth: asAuthData(auth) }, deps);
}

export function person(roles: AppRole[] = ['client']): Auth {
  return { uid: uniq('u'), token: { email: `${uniq('p')}@example.com`, email_verified: true, roles } };
}

export async function seedProfile(db: Firestore, who: Auth, lang: string | null, roles: AppRole[] = ['client']): Promise<void> {
  await put(db.doc(users.docPath({ uid: who.uid })).withConverter(users.converter), {
    profile_id: `profile-${who.uid}`,
    email: String(who.token.email),
    name: 'Private Name',
    avatar_url: null,
    lang,
    timezone: 'Asia/Taipei',
    created_at: Timestamp.now(),
    updated_at: null,
    metadata: null,
    roles,
    role_grants: {},
  });
}

export async function seedGoal(db: Firestore, uid: string, title: string, description: string | null = null): Promise<void> {
  await put(db.collection(goals.collectionPath({ uid })).withConverter(goals.converter).doc(), {
    user_id: uid,
    title,
    description,
    status: 'active',
    target_date: '2027-06-30',
    progress_percent: 20,
    created_at: Timestamp.now(),
    updated_at: null,
  });
}

export async function seedSession(
  db: Firestore,
  uid: string,
  s: { coachId: string | null; notes?: string; actionItems?: JsonValue; daysAgo?: number },
): Promise<string> {
  const ref = db.collection(sessions.collectionPath({ uid })).withConverter(sessions.converter).doc();
  await put(ref, {
    user_id: uid,
    coach_id: s.coachId,
    booking_id: null,
    session_date: Timestamp.fromMillis(Date.now() - (s.daysAgo ?? 3) * 86_400_000),
    notes: s.notes ?? null,
    action_items: s.actionItems ?? null,
    status: 'completed',
    created_at: Timestamp.now(),
    updated_at: null,
  });
  return ref.id;
}

/** An admin's assignCoach, as it lands: the client's profile names the coach. */
export async function assignCoachTo(db: Firestore, clientUid: string, coachUid: string): Promise<void> {
  await db.doc(users.docPath({ uid: clientUid })).update({ coach_id: coachUid });
}

/** A Cal.com booking the client made, as the webhook keeps it, holding one of their sessions. */
export async function seedCalBooking(db: Firestore, client: Auth, sessionId: string, b: { status: string; daysAhead: number }): Promise<void> {
  const start = Timestamp.fromMillis(Date.now() + b.daysAhead * 86_400_000);
  await put(db.collection(calBookings.collectionPath({})).withConverter(calBookings.converter).doc(), {
    cal_booking_id: Math.floor(Math.random() * 1e9),
    event_id: null,
    user_id: client.uid,
    attendee_email: String(client.token.email),
    attendee_name: null,
    start_time: start,
    end_time: null,
    status: b.status,
    meeting_url: null,
    metadata: null,
    created_at: Timestamp.now(),
    updated_at: null,
    session_id: sessionId,
  });
}

export async function seedLessonWatched(db: Firestore, uid: string, title: string): Promise<void> {
  const lessonId = uniq('lesson-');
  await put(db.doc(lessons.docPath({ lessonId })).withConverter(lessons.converter), {
    slug: lessonId,
    title,
    description: null,
    module_id: 'm1',
    order: 1,
    duration_sec: 600,
    chapters: null,
    tags: null,
    published: true,
    paywall: false,
    created_at: Timestamp.now(),
    updated_at: null,
  });
  await put(db.doc(lessonProgress.docPath({ uid, lessonId })).withConverter(lessonProgress.converter), {
    id: uniq('lp-'),
    user_id: uid,
    lesson_id: lessonId,
    last_position_sec: 300,
    completed: false,
    last_watched_at: Timestamp.now(),
    completion_date: null,
  });
}
