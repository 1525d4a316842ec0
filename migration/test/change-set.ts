/**
 * One set of changes after a run, of every kind a sync must carry — inserts, updates, deletes, a
 * role removed, a profile renamed, a row moved to another user — and the Firestore state it must
 * lead to. The fallback tests make it against every source and mechanism without a slot.
 */
import type { Firestore } from 'firebase-admin/firestore';
import type { Auth } from 'firebase-admin/auth';
import { expect } from 'vitest';
import { withClient } from './pg-helpers.js';

export interface ChangeSetMade {
  event: string;
  newGoal: string;
  lead: string;
  log: string;
  gone: { goal: string; user: string };
  /** A keeps its profile and loses a role; B's profile is renamed; C's goal moves to A. */
  a: string;
  lostRole: string;
  b: string;
  moved: { goal: string; from: string };
}

export async function makeChangeSet(url: string): Promise<ChangeSetMade> {
  return withClient(url, async (c) => {
    const one = async (sql: string, params: unknown[] = []): Promise<Record<string, string>> =>
      (await c.query<Record<string, string>>(sql, params)).rows[0] ?? {};
    // Users with a profile and a role (A), and two more with a profile (B, and the owner of the moved goal).
    const a = (await one('SELECT r.user_id::text AS id FROM user_roles r JOIN zg_profiles p ON p.user_id = r.user_id ORDER BY r.user_id LIMIT 1')).id ?? '';
    const b = (await one('SELECT user_id::text AS id FROM zg_profiles WHERE user_id <> $1 ORDER BY user_id LIMIT 1', [a])).id ?? '';
    const event = (await one(`INSERT INTO analytics_events (event_name, properties) VALUES ('fallback_test', '{"k": 1}') RETURNING id::text`)).id ?? '';
    const newGoal = (await one(`INSERT INTO me_goals (user_id, title) VALUES ($1, 'A new goal') RETURNING id::text`, [a])).id ?? '';
    const lead = (await one(`UPDATE leads SET name = 'Updated Lead' WHERE id = (SELECT id FROM leads ORDER BY id LIMIT 1) RETURNING id::text`)).id ?? '';
    const log = (await one('DELETE FROM email_logs WHERE id = (SELECT id FROM email_logs ORDER BY id LIMIT 1) RETURNING id::text')).id ?? '';
    const goal = await one('SELECT id::text, user_id::text FROM me_goals WHERE user_id NOT IN ($1, $2) ORDER BY id LIMIT 1', [a, b]);
    await c.query('UPDATE me_goals SET user_id = $2 WHERE id = $1', [goal.id, a]);
    const gone = await one(
      'DELETE FROM me_goals WHERE id = (SELECT id FROM me_goals WHERE user_id <> $1 AND id <> $2 ORDER BY id LIMIT 1) RETURNING id::text, user_id::text',
      [a, goal.id],
    );
    const lostRole =
      (await one('DELETE FROM user_roles WHERE id = (SELECT id FROM user_roles WHERE user_id = $1 ORDER BY id LIMIT 1) RETURNING role::text', [a])).role ?? '';
    await c.query(`UPDATE zg_profiles SET name = 'Renamed Profile' WHERE user_id = $1`, [b]);
    return {
      event,
      newGoal,
      lead,
      log,
      gone: { goal: gone.id ?? '', user: gone.user_id ?? '' },
      a,
      lostRole,
      b,
      moved: { goal: goal.id ?? '', from: goal.user_id ?? '' },
    };
  });
}

/** Firestore (and the roles claim) as the change set leaves them. */
export async function expectChangeSet(db: Firestore, auth: Auth, m: ChangeSetMade): Promise<void> {
  const doc = async (p: string) => (await db.doc(p).get()).data();
  expect((await doc(`analytics_events/${m.event}`))?.event_name).toBe('fallback_test');
  expect((await doc(`users/${m.a}/goals/${m.newGoal}`))?.title).toBe('A new goal');
  expect((await doc(`leads/${m.lead}`))?.name).toBe('Updated Lead');
  expect(await doc(`email_logs/${m.log}`)).toBeUndefined();
  expect(await doc(`users/${m.gone.user}/goals/${m.gone.goal}`)).toBeUndefined();
  expect(await doc(`users/${m.moved.from}/goals/${m.moved.goal}`)).toBeUndefined();
  expect((await doc(`users/${m.a}/goals/${m.moved.goal}`))?.user_id).toBe(m.a);
  expect(m.lostRole).not.toBe('');
  expect((await doc(`users/${m.a}`))?.roles).not.toContain(m.lostRole);
  expect((await auth.getUser(m.a)).customClaims?.roles).not.toContain(m.lostRole);
  expect((await doc(`users/${m.b}`))?.name).toBe('Renamed Profile');
}
