/**
 * `listMyClients`: a coach's clients (assigned to them by an admin, `users.coach_id`) at a glance —
 * their next and last session with this coach, their open goals, and the open action items of
 * this coach's sessions. Only the coach's own sessions are read (`sessionsOfClientWithCoach`), so a
 * session another coach holds never shows. Documents that do not match the model are skipped.
 */
import type { Firestore } from 'firebase-admin/firestore';
import {
  goals,
  goalsOfUser,
  sessions,
  sessionsOfClientWithCoach,
  users,
  usersOfCoach,
  type listMyClients as contract,
  type SessionDoc,
} from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import type { Deps } from '../core/deps.js';
import { buildQuery } from '../core/query.js';
import { goodDocs } from '../core/read.js';

export const MAX_CLIENTS = 200;
/** Goal states that are over; any other (null included) is open. */
const CLOSED_GOALS = new Set(['completed', 'done', 'achieved', 'cancelled', 'archived']);
/** Session states that did not or will not take place. */
const NOT_HELD = new Set(['cancelled', 'rejected', 'no_show']);

type Glance = { session_id: string; session_date: string; status: string | null };
const glance = (s: { id: string; data: SessionDoc }): Glance => ({
  session_id: s.id,
  session_date: s.data.session_date.toDate().toISOString(),
  status: s.data.status,
});

/** Open action items: a session's `action_items` as coaches write them (`{task, done, due}`), not done. */
function openItems(s: SessionDoc): number {
  const items = Array.isArray(s.action_items) ? s.action_items : [];
  return items.filter((i) => typeof i === 'object' && i !== null && !Array.isArray(i) && i.done !== true).length;
}

async function clientGlance(db: Firestore, coach: string, uid: string, now: number) {
  const [held, set] = await Promise.all([buildQuery(db, sessionsOfClientWithCoach, [coach], { uid }).get(), buildQuery(db, goalsOfUser, [], { uid }).get()]);
  const mine = goodDocs(sessions, held.docs, 'listMyClients').filter((s) => !NOT_HELD.has(s.data.status ?? ''));
  const byDate = mine.sort((a, b) => a.data.session_date.toMillis() - b.data.session_date.toMillis());
  const next = byDate.find((s) => s.data.session_date.toMillis() >= now);
  const last = byDate.filter((s) => s.data.session_date.toMillis() < now).at(-1);
  return {
    next_session: next ? glance(next) : null,
    last_session: last ? glance(last) : null,
    open_goals: goodDocs(goals, set.docs, 'listMyClients').filter((g) => !CLOSED_GOALS.has(g.data.status ?? '')).length,
    open_action_items: mine.reduce((n, s) => n + openItems(s.data), 0),
  };
}

export const listMyClients: CallableHandler<typeof contract, Deps> = async (_input, coach, deps) => {
  const db = deps.db;
  const assigned = goodDocs(users, (await buildQuery(db, usersOfCoach, [coach.uid]).limit(MAX_CLIENTS).get()).docs, 'listMyClients');
  const now = deps.now().getTime();
  const clients = await Promise.all(
    assigned.map(async (c) => ({ uid: c.id, name: c.data.name, email: c.data.email, ...(await clientGlance(db, coach.uid, c.id, now)) })),
  );
  return { clients: clients.sort((a, b) => (a.name ?? a.email ?? a.uid).localeCompare(b.name ?? b.email ?? b.uid)) };
};
