/**
 * The data an AI answer is built from, read only from the documents of the person it is about
 * (paths built from that uid), never from a query across users: nothing of anyone else can reach
 * a prompt. Free text is bounded; documents that do not match the model are left out and logged.
 */
import type { Firestore, Query } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions/logger';
import {
  appLangOf,
  goals,
  goalsOfUser,
  lessonProgress,
  lessonProgressRecent,
  lessons,
  lessonsPublished,
  sessions,
  sessionsOfClientWithCoach,
  sessionsOfUser,
  users,
  type AnyCollection,
  type AppLang,
  type DocOf,
  type JsonValue,
  type SessionDoc,
  type TimestampLike,
} from '@zhengrowth/model';
import { buildQuery } from '../core/query.js';

const MAX_GOALS = 20;
const MAX_SESSIONS = 5;
const MAX_LESSONS = 10;
const MAX_CATALOG = 30;

/** Documents of a query that match the model; one bad document is logged (path only) and left out. */
async function readValid<C extends AnyCollection>(collection: C, q: Query): Promise<Array<DocOf<C>>> {
  const snap = await q.get();
  return snap.docs.flatMap((d): Array<DocOf<C>> => {
    const parsed = collection.schema.safeParse(d.data());
    if (parsed.success) return [parsed.data as DocOf<C>];
    logger.warn('document left out of an AI context: it does not match the model', { path: d.ref.path });
    return [];
  });
}

const clip = (s: string | null, max: number): string | null => (s === null ? null : s.length > max ? `${s.slice(0, max)}…` : s);
const day = (t: TimestampLike | null): string | null => (t ? t.toDate().toISOString().slice(0, 10) : null);

/** Action items are free-form JSON: kept whole when small, else as clipped text. */
function boundedJson(v: JsonValue | null, max = 2000): JsonValue | null {
  if (v === null) return null;
  const text = JSON.stringify(v);
  return text.length <= max ? v : `${text.slice(0, max)}…`;
}

export interface Profile {
  lang: AppLang | null;
  profileId: string | null;
  timezone: string | null;
}

export async function readProfile(db: Firestore, uid: string): Promise<Profile> {
  const parsed = users.schema.safeParse((await db.doc(users.docPath({ uid })).get()).data());
  if (!parsed.success) return { lang: null, profileId: null, timezone: null };
  return { lang: appLangOf(parsed.data.lang), profileId: parsed.data.profile_id, timezone: parsed.data.timezone };
}

async function goalsOf(db: Firestore, uid: string): Promise<JsonValue[]> {
  const list = await readValid(goals, buildQuery(db, goalsOfUser, [], { uid }).limit(MAX_GOALS));
  return list.map((g) => ({
    title: clip(g.title, 300),
    description: clip(g.description, 1000),
    status: g.status,
    target_date: g.target_date,
    progress_percent: g.progress_percent,
  }));
}

const sessionFacts = (s: SessionDoc, withNotes: boolean): JsonValue => ({
  date: day(s.session_date),
  status: s.status,
  action_items: boundedJson(s.action_items),
  ...(withNotes ? { notes: clip(s.notes, 2000) } : {}),
});

async function lessonsOf(db: Firestore, uid: string): Promise<JsonValue[]> {
  const progress = await readValid(lessonProgress, buildQuery(db, lessonProgressRecent, [], { uid }).limit(MAX_LESSONS));
  if (progress.length === 0) return [];
  const snaps = await db.getAll(...progress.map((p) => db.doc(lessons.docPath({ lessonId: p.lesson_id }))));
  const titles = new Map(
    snaps.flatMap((s) => {
      const l = lessons.schema.safeParse(s.data());
      return l.success && l.data.published ? [[s.id, l.data.title] as const] : [];
    }),
  );
  return progress.flatMap((p) => {
    const title = titles.get(p.lesson_id);
    return title ? [{ lesson: clip(title, 200), completed: p.completed ?? false, last_watched: day(p.last_watched_at) }] : [];
  });
}

async function catalog(db: Firestore): Promise<JsonValue[]> {
  const list = await readValid(lessons, buildQuery(db, lessonsPublished, [true]).limit(MAX_CATALOG));
  return list.map((l) => ({ title: clip(l.title, 200), module: l.module_id }));
}

/** A client's own data for getSuggestions: goals, recent sessions' action items, lesson progress (and the lesson catalogue for lesson_next). */
export async function ownContext(db: Firestore, uid: string, withCatalog: boolean, today: Date): Promise<{ [key: string]: JsonValue }> {
  const [goalList, sessionList, lessonList, catalogList] = await Promise.all([
    goalsOf(db, uid),
    readValid(sessions, buildQuery(db, sessionsOfUser, [], { uid }).limit(MAX_SESSIONS)),
    lessonsOf(db, uid),
    withCatalog ? catalog(db) : Promise.resolve([]),
  ]);
  return {
    today: today.toISOString().slice(0, 10),
    goals: goalList,
    recent_sessions: sessionList.map((s) => sessionFacts(s, false)),
    lesson_progress: lessonList,
    ...(withCatalog ? { lesson_catalog: catalogList } : {}),
  };
}

/** A client's sessions held by this coach, newest first (empty: not the coach's client). */
export async function sessionsWithCoach(db: Firestore, clientUid: string, coachUid: string): Promise<SessionDoc[]> {
  const list = await readValid(sessions, buildQuery(db, sessionsOfClientWithCoach, [coachUid], { uid: clientUid }).limit(50));
  return list.sort((a, b) => b.session_date.toMillis() - a.session_date.toMillis());
}

/** What a coach sees before a session: the client's goals and the coach's own sessions with them (notes included), nothing else. */
export async function briefContext(db: Firestore, clientUid: string, coachSessions: SessionDoc[], today: Date): Promise<{ [key: string]: JsonValue }> {
  return {
    today: today.toISOString().slice(0, 10),
    goals: await goalsOf(db, clientUid),
    sessions_with_you: coachSessions.slice(0, MAX_SESSIONS).map((s) => sessionFacts(s, true)),
  };
}
