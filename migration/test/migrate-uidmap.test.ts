/**
 * --uid-map email: users whose e-mail already has a Firebase Auth account keep that account's uid,
 * and every user reference of every table follows (paths, owner fields, coach_id, author_id, owner,
 * referrer_id, referee_id, reporter_id, reviewed_by…).
 */
import type { TestDatabase, TestFirebase } from '@zhengrowth/devstack/testing';
import { clearAuth } from '@zhengrowth/devstack/testing';
import { ALL_COLLECTIONS } from '@zhengrowth/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILE_OWNER, tablePlans } from '../src/migrate/plan/mapping.js';
import { firebaseFor, seededDatabase, targetEnv, zg } from './migrate-helpers.js';
import { withClient } from './pg-helpers.js';

describe('--uid-map email', () => {
  let src: TestDatabase;
  let fb: TestFirebase;
  /** source user id → the uid of the Firebase user that already had the e-mail */
  const mapped = new Map<string, string>();
  let run: Awaited<ReturnType<typeof zg>>;

  beforeAll(async () => {
    src = await seededDatabase(0.02, 'zg_uidmap');
    fb = firebaseFor('uidmap');
    await withClient(src.url, async (c) => {
      // Users that own and reference the most: coaches, authors, referrers, lead owners, reporters, moderators.
      const res = await c.query<{ id: string; email: string }>(
        `SELECT DISTINCT u.id::text, u.email FROM auth.users u
          WHERE u.email IS NOT NULL AND (
                u.id IN (SELECT coach_id FROM me_sessions) OR u.id IN (SELECT author_id FROM community_posts)
             OR u.id IN (SELECT referrer_id FROM zg_referrals) OR u.id IN (SELECT referee_id FROM zg_referrals)
             OR u.id IN (SELECT owner FROM leads) OR u.id IN (SELECT reviewed_by FROM community_reports)
             OR u.id IN (SELECT reporter_id FROM community_reports) OR u.id IN (SELECT author_id FROM blog_posts)
             OR u.id IN (SELECT user_id FROM me_goals) OR u.id IN (SELECT p.user_id FROM ai_suggestions_cache a JOIN zg_profiles p ON p.id = a.profile_id))
          ORDER BY 1 LIMIT 12`,
      );
      expect(res.rows.length).toBeGreaterThan(5);
      let i = 0;
      for (const r of res.rows) {
        const uid = `firebase-user-${i++}`;
        mapped.set(r.id, uid);
        // Some with the e-mail in another case: Firebase Auth compares e-mails case-insensitively.
        await fb.auth.createUser({ uid, email: i % 2 ? r.email.toUpperCase() : r.email, displayName: 'Already here', password: 'existing-password' });
      }
    });
    run = await zg(['run', '--source', src.url, '--uid-map', 'email'], targetEnv(fb));
  });
  afterAll(async () => {
    await fb?.clear();
    if (fb) await clearAuth(fb.projectId).catch(() => undefined);
    await fb?.close();
    await src?.drop();
  });

  it('runs (exit 0) and says how many users matched', () => {
    expect(run.err).toMatch(new RegExp(`${mapped.size} of \\d+ users with an e-mail already exist in Firebase Auth`));
    expect(run.code).toBe(0);
  });

  it('puts each mapped user at users/{existing uid}, never at the Supabase id', async () => {
    for (const [sourceId, uid] of mapped) {
      expect((await fb.db.doc(`users/${uid}`).get()).exists).toBe(true);
      expect((await fb.db.doc(`users/${sourceId}`).get()).exists).toBe(false);
    }
  });

  it('rewrites every user reference column of every table, and the paths', async () => {
    let checked = 0;
    await withClient(src.url, async (c) => {
      for (const plan of tablePlans()) {
        if (plan.table === 'zg_profiles' || plan.table === 'user_roles') continue;
        for (const d of plan.destinations) {
          const refs = d.fields.filter((f) => f.conversion === 'uid' && f.column && f.column !== PROFILE_OWNER);
          for (const f of refs) {
            const rows = await c.query<Record<string, string | null>>(`SELECT * FROM public.${plan.table} WHERE ${f.column}::text = ANY ($1::text[])`, [
              [...mapped.keys()],
            ]);
            for (const row of rows.rows) {
              if (d.route === 'without-user' && row.user_id !== null) continue;
              if (d.route === 'with-user' && row.user_id === null) continue;
              const params = Object.fromEntries(
                Object.entries(d.params).map(([p, col]) => {
                  const v = String(row[col] ?? '');
                  return [p, p === 'uid' ? (mapped.get(v) ?? v) : v];
                }),
              );
              const snap = await fb.db.doc(d.collection.docPath(params)).get();
              expect(snap.exists, `${plan.table} ${row.id} → ${d.collection.template}`).toBe(true);
              expect(snap.data()?.[f.field], `${plan.table}.${f.column}`).toBe(mapped.get(String(row[f.column ?? ''])));
              checked++;
            }
          }
        }
      }
    });
    expect(checked).toBeGreaterThan(20);
  });

  it('leaves no mapped Supabase id in any path or user field (jsonb contents are data, kept as they were)', async () => {
    const ids = new Set(mapped.keys());
    const left: string[] = [];
    for (const group of new Set(ALL_COLLECTIONS.map((c) => c.groupId))) {
      const snap = await fb.db.collectionGroup(group).get();
      for (const d of snap.docs) {
        if (d.ref.path.split('/').some((seg) => ids.has(seg))) left.push(d.ref.path);
        for (const [field, value] of Object.entries(d.data())) if (typeof value === 'string' && ids.has(value)) left.push(`${d.ref.path} ${field}`);
      }
    }
    expect(left).toEqual([]);
  });

  it('keeps the existing Auth accounts (password, name) and sets their roles claim', async () => {
    await withClient(src.url, async (c) => {
      for (const [sourceId, uid] of mapped) {
        const u = await fb.auth.getUser(uid);
        expect(u.displayName).toBe('Already here');
        const roles = await c.query<{ role: string }>(`SELECT r.role::text FROM user_roles r WHERE r.user_id = $1 ORDER BY r.role`, [sourceId]);
        expect(u.customClaims?.roles).toEqual(roles.rows.map((r) => r.role));
        await expect(fb.auth.getUser(sourceId)).rejects.toThrow();
      }
    });
  });

  it('verify uses the same map and passes', async () => {
    const v = await zg(['verify', '--source', src.url], targetEnv(fb));
    expect(v.err).toMatch(/uid map: email/);
    expect(v.code).toBe(0);
  });
});
