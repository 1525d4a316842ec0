/**
 * `zg-migrate sync`, `cutover`, `finish` with the run's replication slot (the tests' PostgreSQL runs
 * with wal_level=logical): every kind of change after the run reaches Firestore — inserts, updates,
 * deletes, rows that move to another path, users created, changed and deleted (users/{uid}, roles,
 * Firebase Auth), rows rejected and fixed — through the run's transform; a second sync writes
 * nothing; verify passes; changes made while the run and the syncs go on are not lost (with
 * `run --replica-identity-full`: old rows in the stream, no search for old documents); status shows
 * the slot and its lag; finish drops it and sets the replica identities back.
 */
import type { TestDatabase, TestFirebase } from '@zhengrowth/devstack/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoadWriter } from './load-writer.js';
import { discardFirebase, firebaseFor, seededDatabase, targetEnv, zg } from './migrate-helpers.js';
import { withClient } from './pg-helpers.js';

async function slotsOf(url: string): Promise<string[]> {
  return withClient(url, async (c) =>
    (
      await c.query<{ slot_name: string }>("SELECT slot_name FROM pg_replication_slots WHERE slot_name LIKE 'zg_migrate_%' AND database = current_database()")
    ).rows.map((r) => r.slot_name),
  );
}

describe('sync through the replication slot', () => {
  let src: TestDatabase;
  let fb: TestFirebase;
  const ids = {
    a: '',
    b: '',
    event: '',
    bad: '',
    lead: '',
    log: '',
    moved: '',
    movedFrom: '',
    goneGoal: '',
    goneGoalUser: '',
    progressPath: '',
    wanderingPaths: [] as string[],
    freshGoalPaths: [] as string[],
    slug: '',
    push: '',
    newUser: '',
    lostRole: '',
    deleted: '',
    giver: '',
    givenProfile: '',
  };

  beforeAll(async () => {
    src = await seededDatabase(0.02, 'zg_sync');
    const wal = await withClient(src.url, async (c) => (await c.query<{ w: string }>("SELECT current_setting('wal_level') AS w")).rows[0]?.w);
    if (wal !== 'logical')
      throw new Error(`the tests' PostgreSQL runs with wal_level=${wal}: tools/devstack starts it with wal_level=logical (a DATABASE_URL server needs it too)`);
    // lesson_progress carries its old rows in the stream: sync needs no search for its documents.
    await withClient(src.url, (c) => c.query('ALTER TABLE lesson_progress REPLICA IDENTITY FULL'));
    fb = firebaseFor('sync');
    const run = await zg(['run', '--source', src.url], targetEnv(fb));
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/Replication slot zg_migrate_\w+ follows the source/);
  }, 600_000);
  afterAll(async () => {
    await discardFirebase(fb);
    await src?.drop();
  });

  it('applies inserts, updates, deletes, moves and user changes, then converges', async () => {
    await withClient(src.url, async (c) => {
      const one = async (sql: string, params: unknown[] = []): Promise<Record<string, string>> =>
        (await c.query<Record<string, string>>(sql, params)).rows[0] ?? {};
      const [a, b] = (await c.query<{ id: string }>('SELECT user_id::text AS id FROM zg_profiles ORDER BY id LIMIT 2')).rows.map((r) => r.id);
      ids.a = a ?? '';
      ids.b = b ?? '';
      ids.event = (await one(`INSERT INTO analytics_events (event_name, properties) VALUES ('sync_test', '{"k": [1, 2]}') RETURNING id::text`)).id ?? '';
      ids.bad = (await one(`INSERT INTO analytics_events (event_name, created_at) VALUES ('bad', 'infinity') RETURNING id::text`)).id ?? '';
      ids.lead = (await one(`UPDATE leads SET name = 'Synced Name' WHERE id = (SELECT id FROM leads ORDER BY id LIMIT 1) RETURNING id::text`)).id ?? '';
      ids.log = (await one('DELETE FROM email_logs WHERE id = (SELECT id FROM email_logs ORDER BY id LIMIT 1) RETURNING id::text')).id ?? '';
      const goal = await one('SELECT id::text, user_id::text FROM me_goals WHERE user_id <> $1 ORDER BY id LIMIT 1', [ids.a]);
      ids.moved = goal.id ?? '';
      ids.movedFrom = goal.user_id ?? '';
      await c.query('UPDATE me_goals SET user_id = $2 WHERE id = $1', [ids.moved, ids.a]);
      const gone = await one('DELETE FROM me_goals WHERE id = (SELECT id FROM me_goals WHERE id <> $1 ORDER BY id LIMIT 1) RETURNING id::text, user_id::text', [
        ids.moved,
      ]);
      ids.goneGoal = gone.id ?? '';
      ids.goneGoalUser = gone.user_id ?? '';
      const progress = await one(
        'DELETE FROM lesson_progress WHERE id = (SELECT id FROM lesson_progress ORDER BY id LIMIT 1) RETURNING user_id::text, lesson_id::text',
      );
      ids.progressPath = `users/${progress.user_id ?? ''}/lesson_progress/${progress.lesson_id ?? ''}`;
      // A row moved twice, where Firestore holds the state between (a sync that read the row after its
      // position wrote it so): every old row the stream carries is a place its document may be.
      const wander = await one('SELECT id::text, user_id::text, lesson_id::text FROM lesson_progress ORDER BY id DESC LIMIT 1');
      const free = (
        await c.query<{ id: string }>(
          `SELECT user_id::text AS id FROM zg_profiles WHERE user_id NOT IN (SELECT user_id FROM lesson_progress WHERE lesson_id = $1)
              AND user_id NOT IN ($2, $3) ORDER BY user_id DESC LIMIT 2`,
          [wander.lesson_id, ids.a, ids.b],
        )
      ).rows.map((r) => r.id);
      const pathOf = (user: string | undefined): string => `users/${user ?? ''}/lesson_progress/${wander.lesson_id ?? ''}`;
      const before = (await fb.db.doc(pathOf(wander.user_id)).get()).data();
      expect(before).toBeDefined();
      await c.query('UPDATE lesson_progress SET user_id = $2 WHERE id = $1', [wander.id, free[0]]);
      await fb.db.doc(pathOf(free[0])).set({ ...before, user_id: free[0] });
      await c.query('UPDATE lesson_progress SET user_id = $2 WHERE id = $1', [wander.id, free[1]]);
      ids.wanderingPaths = [pathOf(wander.user_id), pathOf(free[0]), pathOf(free[1])];
      // The same for a goal inserted, then moved (its table without old rows in the stream): its first
      // document is searched for, although the goal is new to this sync.
      const fresh = await one(`INSERT INTO me_goals (user_id, title) VALUES ($1, 'Fresh goal') RETURNING id::text`, [free[0]]);
      await fb.db.doc(`users/${free[0] ?? ''}/goals/${fresh.id ?? ''}`).set({ id: fresh.id, user_id: free[0], title: 'Fresh goal' });
      await c.query('UPDATE me_goals SET user_id = $2 WHERE id = $1', [fresh.id, free[1]]);
      ids.freshGoalPaths = [`users/${free[0] ?? ''}/goals/${fresh.id ?? ''}`, `users/${free[1] ?? ''}/goals/${fresh.id ?? ''}`];
      const post = await one(`UPDATE blog_posts SET slug = slug || '-renamed' WHERE id = (SELECT id FROM blog_posts ORDER BY id LIMIT 1) RETURNING slug`);
      ids.slug = post.slug ?? '';
      const push = await one(
        'UPDATE push_subscriptions SET user_id = NULL WHERE id = (SELECT id FROM push_subscriptions WHERE user_id IS NOT NULL ORDER BY id LIMIT 1) RETURNING id::text',
      );
      ids.push = push.id ?? '';
      // Users: one new (auth, profile, role), one losing a role, one losing their profile, one deleted outright.
      ids.newUser =
        (
          await one(
            `INSERT INTO auth.users (id, email, created_at, raw_user_meta_data) VALUES (gen_random_uuid(), 'new.sync@example.com', now(), '{"name": "New Sync"}') RETURNING id::text`,
          )
        ).id ?? '';
      await c.query(`INSERT INTO zg_profiles (user_id, email, name) VALUES ($1, 'new.sync@example.com', 'New Sync')`, [ids.newUser]);
      await c.query(`INSERT INTO user_roles (user_id, role) VALUES ($1, 'coach')`, [ids.newUser]);
      const role = await one(`DELETE FROM user_roles WHERE id = (SELECT id FROM user_roles WHERE user_id = $1 ORDER BY id LIMIT 1) RETURNING role::text`, [
        ids.a,
      ]);
      ids.lostRole = role.role ?? '';
      await c.query('DELETE FROM zg_profiles WHERE user_id = $1', [ids.b]);
      await c.query(`UPDATE auth.users SET email = 'changed.b@example.com' WHERE id = $1`, [ids.b]);
      ids.deleted =
        (
          await one(
            'DELETE FROM auth.users WHERE id = (SELECT user_id FROM zg_profiles WHERE user_id NOT IN ($1, $2, $3) ORDER BY id LIMIT 1) RETURNING id::text',
            [ids.a, ids.b, ids.newUser],
          )
        ).id ?? '';
      // A profile given to another user (b, whose own profile went above): both users' documents change.
      const given = await one('SELECT id::text, user_id::text FROM zg_profiles WHERE user_id NOT IN ($1, $2, $3, $4) ORDER BY id LIMIT 1', [
        ids.a,
        ids.b,
        ids.newUser,
        ids.deleted,
      ]);
      ids.givenProfile = given.id ?? '';
      ids.giver = given.user_id ?? '';
      await c.query('UPDATE zg_profiles SET user_id = $1 WHERE id = $2', [ids.b, ids.givenProfile]);
    });
    const s = await zg(['sync', '--source', src.url], targetEnv(fb));
    expect(s.err).not.toMatch(/zg-migrate:/);
    expect(s.code).toBe(0);
    expect(s.out).toMatch(/Synced from the replication slot: \d+ changes/);
    // No search for lesson_progress's old documents: its old rows came with the stream. The moved goal's, without them, were searched for.
    expect(s.out).not.toMatch(/looked for old documents in [^.]*lesson_progress/);
    expect(s.out).toMatch(/looked for old documents in [^.]*goals/);

    const doc = async (p: string) => (await fb.db.doc(p).get()).data();
    expect((await doc(`analytics_events/${ids.event}`))?.properties).toEqual({ k: [1, 2] });
    expect(await doc(`analytics_events/${ids.bad}`)).toBeUndefined();
    expect((await fb.db.collection('migration_rejects').where('key', '==', ids.bad).get()).docs[0]?.get('reason')).toMatch(/infinity/);
    expect((await doc(`leads/${ids.lead}`))?.name).toBe('Synced Name');
    expect(await doc(`email_logs/${ids.log}`)).toBeUndefined();
    expect(await doc(`users/${ids.movedFrom}/goals/${ids.moved}`)).toBeUndefined();
    expect((await doc(`users/${ids.a}/goals/${ids.moved}`))?.user_id).toBe(ids.a);
    expect(await doc(`users/${ids.goneGoalUser}/goals/${ids.goneGoal}`)).toBeUndefined();
    expect(await doc(ids.progressPath)).toBeUndefined();
    expect([await doc(ids.wanderingPaths[0] ?? ''), await doc(ids.wanderingPaths[1] ?? '')]).toEqual([undefined, undefined]);
    expect(await doc(ids.wanderingPaths[2] ?? '')).toBeDefined();
    expect(await doc(ids.freshGoalPaths[0] ?? '')).toBeUndefined();
    expect((await doc(ids.freshGoalPaths[1] ?? ''))?.title).toBe('Fresh goal');
    expect(await doc(`blog_posts/${ids.slug}`)).toBeDefined();
    expect(await doc(`blog_posts/${ids.slug.replace(/-renamed$/, '')}`)).toBeUndefined();
    expect(await doc(`anonymous_push_subscriptions/${ids.push}`)).toBeDefined();
    expect((await fb.db.collectionGroup('push_subscriptions').get()).docs.some((d) => d.id === ids.push)).toBe(false);
    expect(await doc(`users/${ids.newUser}`)).toMatchObject({ name: 'New Sync', roles: ['coach'] });
    expect((await fb.auth.getUser(ids.newUser)).customClaims?.roles).toEqual(['coach']);
    expect(((await doc(`users/${ids.a}`))?.roles as string[]).includes(ids.lostRole)).toBe(false);
    expect((await fb.auth.getUser(ids.a)).customClaims?.roles).not.toContain(ids.lostRole);
    // b lost their profile and was given another; its former user has none now.
    expect(await doc(`users/${ids.b}`)).toMatchObject({ profile_id: ids.givenProfile });
    expect(await doc(`users/${ids.giver}`)).toMatchObject({ profile_id: null, name: null });
    expect((await fb.auth.getUser(ids.b)).email).toBe('changed.b@example.com');
    expect(await doc(`users/${ids.deleted}`)).toBeUndefined();
    await expect(fb.auth.getUser(ids.deleted)).rejects.toThrow(/no user record/i);

    const v = await zg(['verify', '--source', src.url], targetEnv(fb));
    expect(v.out).toMatch(/OK: every migrated row matches/);
    expect(v.out).not.toMatch(/EXTRA/);
    expect(v.code).toBe(0);

    // The bad row fixed: its reject record goes, its document comes.
    await withClient(src.url, (c) => c.query(`UPDATE analytics_events SET created_at = now() WHERE id = $1`, [ids.bad]));
    expect((await zg(['sync', '--source', src.url], targetEnv(fb))).code).toBe(0);
    expect(await doc(`analytics_events/${ids.bad}`)).toBeDefined();
    expect((await fb.db.collection('migration_rejects').where('key', '==', ids.bad).get()).empty).toBe(true);

    // Nothing changed since: nothing is written.
    const again = await zg(['sync', '--source', src.url], targetEnv(fb));
    expect(again.out).toMatch(/: 0 changes, 0 rows and users applied \(0 documents written, 0 deleted/);
    expect((await zg(['verify', '--source', src.url], targetEnv(fb))).code).toBe(0);
  }, 600_000);

  it('loses nothing written while the run and the syncs go on; the verified point, cutover, status and finish', async () => {
    const db = await seededDatabase(0.01, 'zg_synclive');
    const live = firebaseFor('synclive');
    const identity = async (table: string): Promise<string | undefined> =>
      withClient(
        db.url,
        async (c) => (await c.query<{ r: string }>('SELECT relreplident::text AS r FROM pg_class WHERE oid = $1::regclass', [table])).rows[0]?.r,
      );
    // A table the admin had set to FULL already is not the run's to set back.
    await withClient(db.url, (c) => c.query('ALTER TABLE leads REPLICA IDENTITY FULL'));
    const writer = await startLoadWriter(db.url, { rowsPerSecond: 150 });
    try {
      // With old rows in the stream, the writer's deleted inbox items and moved goals are found without a search.
      const run = await zg(['run', '--source', db.url, '--replica-identity-full'], targetEnv(live));
      expect(run.code, run.err).toBe(0);
      expect(run.out).toMatch(/REPLICA IDENTITY FULL set on \d+ table\(s\) of the source/);
      expect([await identity('nudge_inbox'), await identity('me_goals'), await identity('leads')]).toEqual(['f', 'f', 'f']);
      for (let i = 0; i < 2; i++) {
        const s = await zg(['sync', '--source', db.url], targetEnv(live));
        expect(s.code).toBe(0);
        expect(s.out).toMatch(/Synced from the replication slot: [1-9][\d,]* changes/);
        expect(s.out).not.toMatch(/looked for old documents/);
      }
      // Nothing proven yet: a verify of the changes alone has no point to start from.
      const early = await zg(['verify', '--source', db.url, '--since-verified'], targetEnv(live));
      expect(early.code).toBe(1);
      expect(early.err).toMatch(/no verified point yet: run a full `zg-migrate verify` first/);
      // A full verify while the app writes: rows changed since the last sync are pending, not failures, and its point is kept.
      const during = await zg(['verify', '--source', db.url], targetEnv(live));
      expect(during.out).toMatch(/OK: every migrated row matches/);
      expect(during.out).toMatch(/Verified point recorded/);
      expect(during.code).toBe(0);
      // Then the point moves forward for the price of what changed since it: checked field by field, far fewer rows.
      expect((await zg(['sync', '--source', db.url], targetEnv(live))).code).toBe(0);
      const again = await zg(['verify', '--source', db.url, '--since-verified'], targetEnv(live));
      expect(again.out).toMatch(/OK: every migrated row matches/);
      expect(again.out).toMatch(/Verified point moved \(the rows changed since the previous one\)/);
      expect(again.code).toBe(0);
      const checkedRows = (out: string) => [...out.matchAll(/^ {2}\S+\s+\|?\s*([\d,]+)/gm)].reduce((n, m) => n + Number((m[1] ?? '0').replace(/,/g, '')), 0);
      expect(checkedRows(again.out)).toBeLessThan(checkedRows(during.out));
      const busy = await zg(['cutover', '--source', db.url], targetEnv(live));
      expect(busy.out).toMatch(/Writes have not stopped: rows changed after the final sync's position, while cutover ran, in .*analytics_events/);
      expect(busy.code).toBe(1);
      const written = await writer.stop();
      expect(written.changes).toBeGreaterThan(100);

      const status = await zg(['status', '--source', db.url], targetEnv(live));
      expect(status.out).toMatch(/Sync \(active\): replication slot zg_migrate_\w+; \d+ sync\(s\)/);
      expect(status.out).toMatch(/on the source: idle, [\d.,]+ (kB|MB) of WAL not yet synced, [\d.,]+ (kB|MB) of WAL kept for it/);
      expect(status.out).toMatch(/trend: /);
      expect(status.out).toMatch(/REPLICA IDENTITY FULL on \d+ source table\(s\)/);

      const cut = await zg(['cutover', '--source', db.url, '--quiet-seconds', '1'], targetEnv(live));
      expect(cut.err).not.toMatch(/zg-migrate:/);
      expect(cut.out).toMatch(/Silence: the WAL shows no change for [\d.]+ s/);
      expect(cut.out).toMatch(
        /Downtime \(from the start of cutover, writes stopped, to verified\): [\d.]+ s — final sync [\d.]+ s and check [\d.]+ s in parallel \(the rows changed since the verified point/,
      );
      expect(cut.out).toMatch(/OK: every migrated row matches/);
      expect(cut.code).toBe(0);
      expect((await zg(['verify', '--source', db.url], targetEnv(live))).code).toBe(0);

      expect(await slotsOf(db.url)).toHaveLength(1);
      const fin = await zg(['finish', '--source', db.url], targetEnv(live));
      expect(fin.out).toMatch(/Dropped the replication slot zg_migrate_\w+/);
      expect(fin.out).toMatch(/REPLICA IDENTITY set back to DEFAULT on \d+ table\(s\): .*nudge_inbox/);
      expect(await slotsOf(db.url)).toEqual([]);
      expect([await identity('nudge_inbox'), await identity('me_goals'), await identity('leads')]).toEqual(['d', 'd', 'f']);
      const after = await zg(['sync', '--source', db.url], targetEnv(live));
      expect(after.code).toBe(1);
      expect(after.err).toMatch(/was finished \(`zg-migrate finish`/);
    } finally {
      await writer.stop().catch(() => undefined);
      await discardFirebase(live);
      await db.drop();
    }
  }, 900_000);
});
