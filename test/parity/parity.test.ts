/**
 * The parity proof: the access matrix (matrix.ts) run cell by cell against PostgreSQL 15 with the
 * schema's RLS policies and against the Firestore emulator with firestore.rules, from one fixture.
 * Every cell must come out as the matrix says on both sides; the sides differ only where the
 * matrix marks Firebase deliberately stricter. Then the Firestore-only guards (what SQL has no
 * shape for), and the emulator's rules coverage, which must reach every rules expression.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { emulatorHosts, freshDatabase, testProjectId, type TestDatabase } from '@zhengrowth/devstack/testing';
import fs from 'node:fs';
import { ALL_COLLECTIONS, communityPosts, shapeCollectionsFor } from '@zhengrowth/model';
import {
  arrayUnion,
  collection,
  deleteDoc,
  doc,
  getDoc,
  getDocs,
  query,
  serverTimestamp,
  setDoc,
  Timestamp,
  updateDoc,
  where,
  type Firestore,
} from 'firebase/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { A, ACTORS, B, COACH, type ActorId } from './actors.js';
import { resolveList, type Outcome } from './cells.js';
import { coverageFigure } from './coverage.js';
import { FirestoreSide } from './firestore-side.js';
import { growthRuleChecks } from './growth-rules.js';
import { rowId, type Fixture } from './fixture.js';
import { docsOfRow } from './mapping.js';
import { paywallCases } from './paywall.js';
import { actorsOf, caseLabel, firestoreAllows, MATRIX, type Case, type Kind } from './matrix.js';
import { runSweep, SWEEP, type SweepReport } from './poisoning.js';
import { SqlSide } from './sql-side.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Cell {
  table: string;
  c: Case;
  actor: ActorId;
  sql: Outcome;
  firestore: Outcome;
  problems: string[];
}

const cells: Cell[] = [];

function verdict(allowed: boolean): string {
  return allowed ? 'allow' : 'deny';
}

describe('access parity: Supabase RLS (PostgreSQL 15) and firestore.rules (emulator)', () => {
  let db: TestDatabase;
  let sql: SqlSide;
  let fsSide: FirestoreSide;
  let stored: Fixture;
  let firestoreHost: string;

  beforeAll(async () => {
    db = await freshDatabase('zg_parity');
    sql = await SqlSide.open(db.url);
    stored = await sql.seed();
    firestoreHost = emulatorHosts().firestore;
    const [host, port] = firestoreHost.split(':');
    fsSide = await FirestoreSide.open(testProjectId('parity'), path.join(root, 'firestore.rules'), host ?? '127.0.0.1', Number(port));
    await fsSide.seed(stored);
  });

  afterAll(async () => {
    await fsSide?.close();
    await sql?.close();
    await db?.drop();
    if (cells.length) {
      const byKind = new Map<Kind, number>();
      for (const cell of cells) byKind.set(cell.c.kind ?? 'access', (byKind.get(cell.c.kind ?? 'access') ?? 0) + 1);
      const stricter = cells.filter((cell) => cell.sql.allowed && !cell.firestore.allowed && cell.c.firestoreStricter);
      const agree = cells.filter((cell) => cell.sql.allowed === cell.firestore.allowed).length;
      console.log(
        [
          `[parity] ${cells.length} cells (${MATRIX.length} tables, ${MATRIX.reduce((n, t) => n + t.cases.length, 0)} cases × their actors): ` +
            `${agree} agree, ${stricter.length} Firestore-stricter by design, ${cells.filter((c) => c.problems.length).length} wrong`,
          `[parity] kinds: ${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}; allowed in SQL ${cells.filter((c) => c.sql.allowed).length}, in Firestore ${cells.filter((c) => c.firestore.allowed).length}`,
          '[parity] Firestore stricter (SQL allows, Firebase refuses on purpose):',
          ...stricter.map((cell) => `  ${caseLabel(cell.table, cell.c)} — ${ACTORS[cell.actor].label}: ${cell.c.firestoreStricter?.reason}`),
        ].join('\n'),
      );
    }
  });

  it('covers every table of the Supabase schema, each with reads and writes', async () => {
    const tables = (
      await sql.client.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
      )
    ).rows.map((r) => r.table_name);
    expect(tables).toHaveLength(45);
    expect(MATRIX.map((t) => t.table).sort()).toEqual(tables);
    const incomplete = MATRIX.filter((t) => !(['get', 'create', 'update', 'delete'] as const).every((op) => t.cases.some((c) => c.op === op))).map(
      (t) => t.table,
    );
    expect(incomplete).toEqual([]);
    // A list case for every table whose rows have a document of their own (user_roles is part of users/{uid}).
    expect(MATRIX.filter((t) => t.table !== 'user_roles' && !t.cases.some((c) => c.op === 'list')).map((t) => t.table)).toEqual([]);
  });

  it('marks a cell Firestore-stricter only where SQL allows it, always with a reason', () => {
    const wrong = MATRIX.flatMap((t) =>
      t.cases
        .filter(
          (c) =>
            c.firestoreStricter &&
            (c.firestoreStricter.reason.length < 20 || c.firestoreStricter.deny.some((a) => !c.allow.includes(a)) || !c.firestoreStricter.deny.length),
        )
        .map((c) => caseLabel(t.table, c)),
    );
    expect(wrong).toEqual([]);
  });

  for (const { table, cases } of MATRIX) {
    it(`${table}: every cell agrees`, { timeout: 180_000 }, async () => {
      for (const c of cases) {
        for (const actor of actorsOf(c)) {
          const list = c.op === 'list' ? resolveList(table, c, ACTORS[actor]) : undefined;
          const sqlOut = await sql.run(table, c, actor, stored, list);
          const fsOut = await fsSide.run(table, c, actor, stored, sql, list);
          const problems: string[] = [];
          const wantSql = c.allow.includes(actor);
          const wantFs = firestoreAllows(c, actor);
          if (sqlOut.allowed !== wantSql) problems.push(`PostgreSQL: ${verdict(sqlOut.allowed)} (${sqlOut.detail}), the matrix says ${verdict(wantSql)}`);
          if (fsOut.allowed !== wantFs) problems.push(`Firestore: ${verdict(fsOut.allowed)} (${fsOut.detail}), the matrix says ${verdict(wantFs)}`);
          if (c.op === 'list' && sqlOut.allowed && fsOut.allowed && JSON.stringify(sqlOut.rows) !== JSON.stringify(fsOut.rows)) {
            problems.push(`rows differ: PostgreSQL ${JSON.stringify(sqlOut.rows)}, Firestore ${JSON.stringify(fsOut.rows)}`);
          }
          cells.push({ table, c, actor, sql: sqlOut, firestore: fsOut, problems });
        }
      }
      const wrong = cells
        .filter((cell) => cell.table === table && cell.problems.length)
        .map((cell) => `${caseLabel(table, cell.c)} — ${ACTORS[cell.actor].label}: ${cell.problems.join('; ')}`);
      expect(wrong).toEqual([]);
    });
  }

  describe('Firestore-only guards (no SQL statement has this shape)', () => {
    const asActor = (a: ActorId): Firestore => fsSide.db(a);
    const denied = async (p: Promise<unknown>): Promise<void> => {
      await expect(p).rejects.toMatchObject({ code: 'permission-denied' });
    };
    const goalDoc = (userId: string): Record<string, unknown> => ({
      user_id: userId,
      title: 'Goal',
      description: null,
      status: 'active',
      target_date: null,
      progress_percent: 0,
      created_at: Timestamp.now(),
      updated_at: null,
    });

    it('a user cannot write their own roles, role grants or password-reset flag on users/{uid}', async () => {
      const me = doc(asActor('clientA'), `users/${A.uid}`);
      await denied(updateDoc(me, { roles: ['client', 'admin'] }));
      await denied(updateDoc(me, { 'role_grants.admin': { id: 'x', created_at: null } }));
      await denied(updateDoc(me, { password_reset_required: false }));
      await denied(updateDoc(me, { profile_id: 'someone-else' }));
    });

    it('an owner still edits their profile once the server has added its Firebase-only fields, and cannot write those', async () => {
      const path = `users/${A.uid}`;
      const seeded = (await getDoc(doc(asActor('admin'), path))).data();
      if (!seeded) throw new Error('no profile of A');
      const serverFields = {
        email_verified: true,
        coach_id: 'some-coach',
        signup_referral_code: 'FRIEND-1',
        signup_referral_at: Timestamp.fromDate(new Date('2026-01-02T03:04:05Z')),
        defaults_pending: false,
        password_reset_required: false,
      };
      await fsSide.asServer((db) => setDoc(doc(db, path), { ...seeded, ...serverFields }));
      try {
        const me = doc(asActor('clientA'), path);
        await updateDoc(me, { name: 'Alicia', updated_at: serverTimestamp() });
        for (const [field, value] of Object.entries({ email_verified: false, coach_id: B.uid, signup_referral_code: 'MINE', defaults_pending: true })) {
          await denied(updateDoc(me, { [field]: value }));
        }
      } finally {
        await fsSide.asServer((db) => setDoc(doc(db, path), seeded));
      }
    });

    it('nobody creates or deletes a users/{uid} document from a client (sign-up and deletion are the server’s)', async () => {
      await denied(setDoc(doc(asActor('clientA'), `users/${A.uid}x`), { name: 'x' }));
      await denied(deleteDoc(doc(asActor('clientA'), `users/${A.uid}`)));
      await denied(deleteDoc(doc(asActor('admin'), `users/${A.uid}`)));
    });

    it('an owner field must match the owner in the path', async () => {
      await denied(setDoc(doc(asActor('clientA'), `users/${A.uid}/goals/forged`), goalDoc(B.uid)));
      await denied(setDoc(doc(asActor('admin'), `users/${A.uid}/goals/forged`), goalDoc(B.uid)));
      const progress = docsOfRow('lesson_progress', stored.lesson_progress?.a ?? {}, stored)[0];
      if (!progress) throw new Error('no lesson progress document');
      await denied(setDoc(doc(asActor('clientA'), `users/${A.uid}/lesson_progress/other-lesson`), progress.data));
      const comment = docsOfRow('community_comments', stored.community_comments?.a ?? {}, stored)[0];
      if (!comment) throw new Error('no comment document');
      await denied(
        setDoc(doc(asActor('clientA'), `community_posts/${rowId('community_posts', 'b')}/comments/c-new`), { ...comment.data, created_at: serverTimestamp() }),
      );
    });

    it('a document missing a field of the model, or holding a text field as a number, is refused', async () => {
      const { description: _dropped, ...missing } = goalDoc(A.uid);
      await denied(setDoc(doc(asActor('clientA'), `users/${A.uid}/goals/missing`), missing));
      await denied(setDoc(doc(asActor('clientA'), `users/${A.uid}/goals/numeric`), { ...goalDoc(A.uid), title: 42 }));
      await denied(updateDoc(doc(asActor('clientA'), `users/${A.uid}`), { name: 42 }));
      // The same goal with every field right is accepted (so the refusals above are about the field).
      const ok = doc(asActor('clientA'), `users/${A.uid}/goals/fine`);
      await setDoc(ok, goalDoc(A.uid));
      await deleteDoc(ok);
    });

    it('Firebase-only fields the server keeps are checked as well (coupon reservations, a session’s Cal.com booking id)', async () => {
      const admin = asActor('admin');
      const coupon = docsOfRow('coupons', stored.coupons?.fixed ?? {}, stored)[0];
      if (!coupon) throw new Error('no coupon document');
      // Coupons are created through saveCoupon only (the code is unique), reservations are checkout's.
      await denied(setDoc(doc(admin, 'coupons/reservations-start-at-zero'), { ...coupon.data, code: 'R0', reserved_count: 0 }));
      await denied(updateDoc(doc(admin, coupon.path), { reserved_count: 3 }));
      await updateDoc(doc(admin, coupon.path), { active: coupon.data.active ?? true });
      const session = docsOfRow('me_sessions', stored.me_sessions?.a ?? {}, stored)[0];
      if (!session) throw new Error('no session document');
      const coach = asActor('coach');
      const withCal = doc(coach, `users/${A.uid}/sessions/with-cal-id`);
      await setDoc(withCal, { ...session.data, cal_booking_id: 9001 });
      await deleteDoc(doc(admin, withCal.path));
      await denied(setDoc(doc(coach, `users/${A.uid}/sessions/bad-cal-id`), { ...session.data, cal_booking_id: 'nine thousand' }));
    });

    it('the issue’s poisoning writes are refused, and the same writes done right are allowed', async () => {
      const a = asActor('clientA');
      const post = (over: Record<string, unknown>): Record<string, unknown> => ({
        author_id: A.uid,
        title: 'Hello',
        content: 'x',
        tags: ['intro'],
        likes_count: 0,
        comments_count: 0,
        published: true,
        pinned: false,
        metadata: null,
        created_at: serverTimestamp(),
        updated_at: null,
        ...over,
      });
      // A member's post comes from createPost (issue 15): a member creates none, poisoned or not,
      // and the staff's create is held to the same standard.
      await denied(setDoc(doc(a, 'community_posts/poison-tags'), post({ tags: [42] })));
      await denied(setDoc(doc(asActor('coach'), 'community_posts/poison-tags'), post({ tags: [42] })));
      await denied(setDoc(doc(asActor('coach'), 'community_posts/poison-ts'), post({ metadata: { edited: Timestamp.now() } })));
      // The author edits the post createPost stored.
      const mine = doc(a, 'community_posts/fine-post');
      await fsSide.unchecked((u) => setDoc(doc(u, mine.path), post({ metadata: { edited: false, mentions: [B.uid] }, created_at: Timestamp.now() })));
      await denied(updateDoc(mine, { tags: [42] }));
      await denied(updateDoc(mine, { tags: [{ a: 1 }] }));
      await denied(updateDoc(mine, { metadata: { edited: Timestamp.now() } }));
      await denied(updateDoc(mine, { metadata: { mentions: [NaN] } }));
      await denied(updateDoc(mine, { tags: arrayUnion(7) }));
      await updateDoc(mine, { tags: arrayUnion('week-1') });
      await updateDoc(mine, { metadata: { edited: true, mentions: [B.uid] } });
      await fsSide.unchecked((u) => deleteDoc(doc(u, mine.path)));

      const me = doc(a, `users/${A.uid}`);
      await denied(updateDoc(me, { metadata: { preferences: { theme: Timestamp.now() } } }));
      await denied(updateDoc(me, { metadata: { anything: 'goes' } }));
      await updateDoc(me, { metadata: { preferences: { theme: 'dark', notifications: { email: false } } } });

      const coach = asActor('coach');
      const nudge = (metadata: unknown): Record<string, unknown> => ({
        user_id: A.uid,
        type: 'nudge',
        title: null,
        message: 'Check in',
        action_url: null,
        read: false,
        read_at: null,
        metadata,
        created_at: Timestamp.now(),
        expires_at: null,
      });
      await denied(setDoc(doc(coach, `users/${A.uid}/inbox/poison`), nudge({ priority: Timestamp.now() })));
      await denied(setDoc(doc(coach, `users/${A.uid}/inbox/poison`), nudge({ from: { coach_id: COACH.uid, more: { deep: 1 } } })));
      await setDoc(doc(coach, `users/${A.uid}/inbox/fine-nudge`), nudge({ from: { coach_id: COACH.uid }, priority: 'high' }));

      const session = doc(coach, `users/${A.uid}/sessions/${rowId('me_sessions', 'a')}`);
      await denied(updateDoc(session, { action_items: [{ task: 'x', done: false, due: Timestamp.now() }] }));
      await denied(updateDoc(session, { action_items: [{ task: 'x', done: NaN, due: null }] }));
      await denied(updateDoc(session, { action_items: 'call mum' }));
      await updateDoc(session, { action_items: [{ task: 'Call mum', done: false, due: '2031-06-08' }] });

      // Analytics events come only through the `track` callable (issue 15), which validates them
      // with the model: no client stores one, however small.
      const anon = asActor('anon');
      const event = (properties: unknown): Record<string, unknown> => ({
        event_name: 'page_view',
        user_id: null,
        session_id: null,
        properties,
        page_url: null,
        referrer: null,
        user_agent: null,
        ip_address: null,
        created_at: serverTimestamp(),
      });
      await denied(setDoc(doc(anon, 'analytics_events/poison-ts'), event({ at: Timestamp.now() })));
      await denied(setDoc(doc(anon, 'analytics_events/poison-nested'), event({ n: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i])) })));
      await denied(setDoc(doc(anon, 'analytics_events/fine-event'), event({ path: '/', percent: 50, muted: false, ref: null })));
      await fsSide.restore([`users/${A.uid}/inbox/fine-nudge`, `users/${A.uid}`, session.path]);
    });

    it('a roles claim that is not a list gives no role', async () => {
      const lead = `leads/${rowId('leads', 'coachs')}`;
      await getDoc(doc(fsSide.dbWithToken(COACH.uid, { roles: ['coach'] }), lead));
      for (const roles of [{ coach: true }, { coach: false }, 'coach']) {
        await denied(getDoc(doc(fsSide.dbWithToken(COACH.uid, { roles }), lead)));
      }
    });

    it('an anonymous sign-in is treated as signed out: what a visitor may do, nothing a member may', async () => {
      const uid = 'anonymous-sign-in';
      const db = fsSide.dbWithToken(uid, { firebase: { sign_in_provider: 'anonymous' } });
      await denied(getDocs(query(collection(db, communityPosts.collectionPath({})), where('published', '==', true))));
      await denied(getDoc(doc(db, `community_posts/${rowId('community_posts', 'a')}`)));
      await denied(
        setDoc(doc(db, 'community_posts/by-anonymous'), {
          author_id: uid,
          title: 'Hi',
          content: 'x',
          tags: [],
          likes_count: 0,
          comments_count: 0,
          published: true,
          pinned: false,
          metadata: null,
          created_at: serverTimestamp(),
          updated_at: null,
        }),
      );
      await denied(setDoc(doc(db, `users/${uid}/goals/g`), { ...goalDoc(uid) }));
      const form = { email: 'visitor@example.com', name: null, phone: null, source: null, created_at: serverTimestamp() };
      await denied(setDoc(doc(db, 'lead_forms/anonymous-own'), { ...form, user_id: uid }));
      // What a visitor who is not signed in may do, it may do (a lead form goes through submitLead).
      await denied(setDoc(doc(db, 'lead_forms/anonymous-visitor'), { ...form, user_id: null }));
      expect((await getDoc(doc(db, 'blog_posts/hello-world'))).exists()).toBe(true);
    });

    it('an e-mail template in a language lives at `{slug}.{lang}`, with a known language and category', async () => {
      const admin = asActor('admin');
      const template = docsOfRow('email_templates', stored.email_templates?.welcome ?? {}, stored)[0];
      if (!template) throw new Error('no e-mail template document');
      const version = { ...template.data, slug: 'welcome', lang: 'zh-TW', category: 'marketing' };
      const ok = doc(admin, 'email_templates/welcome.zh-TW');
      await setDoc(ok, version);
      await updateDoc(ok, { subject: '歡迎' });
      await deleteDoc(ok);
      await denied(setDoc(doc(admin, 'email_templates/welcome.en'), version));
      await denied(setDoc(doc(admin, 'email_templates/welcome.fr'), { ...version, lang: 'fr' }));
      await denied(setDoc(doc(admin, 'email_templates/welcome.zh-TW'), { ...version, category: 'spam' }));
    });

    it('collections without a match block, and the server-only ones, are closed to every client', async () => {
      for (const actor of ['anon', 'clientA', 'admin'] as const) {
        const db = asActor(actor);
        for (const p of [
          'migration_runs/run-1',
          'migration_checkpoints/zg_profiles',
          'migration_rejects/leads:abc',
          'migration_leases/zg-migrate',
          'migration_syncs/run-1',
          'migration_files/f1',
          'no_such_collection/x',
          'deliveries/stripe:evt_1',
          'social_account_tokens/x',
          'anonymous_push_subscriptions/x',
          'payments/x',
          'rate_limits/x',
          'domain_events/purchase:x:y',
          'oauth_states/x',
          'social_publish_jobs/x',
          'email_suppressions/all-x',
          'push_deliveries/inbox-x',
          'audit_log/x',
          'account_deletions/x',
          'receipt_archive/deleted-x:r1',
          'unique_keys/coupon_code-x',
          'backup_runs/2026-12-01',
          'referral_codes/ABCDEFGHJK',
          'lead_routing/coaches',
          'funnel_enrolments/f:user:x',
          'deliveries/trigger:x',
        ]) {
          await denied(getDoc(doc(db, p)));
          await denied(setDoc(doc(db, p), { any: 'thing' }));
        }
      }
    });
  });

  describe('the poisoning sweep: every collection a client writes, from its client-write schema (poisoning.ts)', () => {
    const reports: Array<[string, SweepReport]> = [];
    afterAll(() => {
      const allowed = reports.reduce((n, [, r]) => n + r.allowed, 0);
      const refused = reports.reduce((n, [, r]) => n + r.denied, 0);
      console.log(`[sweep] ${reports.length} collections: ${allowed} valid writes allowed, ${refused} poisoned writes refused`);
    });

    it('covers every collection the rules let a client write', () => {
      const written = shapeCollectionsFor(fs.readFileSync(path.join(root, 'firestore.rules'), 'utf8'), ALL_COLLECTIONS).map((c) => c.template);
      expect(SWEEP.map((t) => t.collection.template).sort()).toEqual(written.sort());
    });

    for (const target of SWEEP) {
      it(target.collection.template, { timeout: 600_000 }, async () => {
        const report = await runSweep(target, { db: (a) => fsSide.db(a), unchecked: (fn) => fsSide.unchecked(fn) });
        reports.push([target.collection.template, report]);
        expect(report.problems).toEqual([]);
        expect(report.allowed).toBeGreaterThan(0);
        // Every target tries poisons; the fewest are i18n_dict's (one updatable text field).
        expect(report.denied).toBeGreaterThanOrEqual(4);
      });
    }
  });

  describe('the lesson paywall and entitlements (rules tests)', () => {
    paywallCases(() => fsSide);
  });

  describe('Firestore-only guards of community and growth (issue 15)', () => {
    for (const [name, run] of growthRuleChecks(() => fsSide)) it(name, run);
  });

  it('the emulator’s rules coverage reaches every rules expression', async () => {
    const figure = coverageFigure(await fsSide.coverage(firestoreHost));
    console.log(
      `[rules coverage] ${figure.evaluated}/${figure.total} expressions evaluated (${figure.percent.toFixed(1)}%) — ` +
        `http://${firestoreHost}/emulator/v1/projects/${fsSide.projectId}:ruleCoverage.html` +
        (figure.unevaluated.length ? `\n  never evaluated:\n    ${figure.unevaluated.join('\n    ')}` : ''),
    );
    expect(figure.total).toBeGreaterThan(500);
    expect(figure.unevaluated).toEqual([]);
    // The report covers every evaluation of the run (the sweep makes thousands): the emulator takes
    // minutes to build it on a loaded machine.
  }, 300_000);
});
