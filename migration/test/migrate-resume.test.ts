/**
 * kill -9 at several points, then `run --resume`: the end state is identical, document for document
 * (and Auth user for Auth user), to an uninterrupted run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestDatabase, TestFirebase } from '@zhengrowth/devstack/testing';
import { clearAuth } from '@zhengrowth/devstack/testing';
import type { Auth } from 'firebase-admin/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonical, dumpDiff, dumpFirestore, firebaseFor, seededDatabase, targetEnv, zg, zgProcess } from './migrate-helpers.js';
import { withClient } from './pg-helpers.js';
import { blogPosts } from '@zhengrowth/model';

async function authDump(auth: Auth): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await auth.listUsers(1000, token);
    for (const u of page.users) {
      out.set(
        u.uid,
        canonical({
          email: u.email ?? null,
          verified: u.emailVerified,
          name: u.displayName ?? null,
          phone: u.phoneNumber ?? null,
          disabled: u.disabled,
          claims: u.customClaims ?? null,
          hash: u.passwordHash ?? null,
          created: u.metadata.creationTime,
        }),
      );
    }
    token = page.pageToken;
  } while (token);
  return out;
}

describe('kill -9 at any point, then --resume, ends as an uninterrupted run', () => {
  let src: TestDatabase;
  let clean: TestFirebase;
  let reference: Map<string, string>;
  let referenceAuth: Map<string, string>;
  const projects: TestFirebase[] = [];

  beforeAll(async () => {
    src = await seededDatabase(0.02, 'zg_resume');
    clean = firebaseFor('clean');
    const r = await zg(['run', '--source', src.url], targetEnv(clean));
    expect(r.code).toBe(0);
    reference = await dumpFirestore(clean.db);
    referenceAuth = await authDump(clean.auth);
  });
  afterAll(async () => {
    for (const fb of [clean, ...projects]) {
      await fb?.clear();
      if (fb) await clearAuth(fb.projectId).catch(() => undefined);
      await fb?.close();
    }
    await src?.drop();
  });

  // Signals sent from outside wait for analytics_events to be in the middle of its writes. Unthrottled,
  // the emulator writes its 2,000 rows in about 0.1 s, which a signal can miss (CI once saw the run
  // finish first); the governor at 500 writes/s keeps that table in flight for about three seconds.
  const writingAnalytics = (_out: string, err: string): boolean => /\[write\] analytics_events: [1-9]/.test(err);
  const THROTTLED = ['--max-ops-per-second', '500'];

  // `--preflight-first` checks every row before the first write and spills what it checked to disk
  // (PHASED); by default rows are checked as they are written and nothing is spilled.
  const PHASED = ['--preflight-first'];
  const scenarios: Array<[string, Record<string, string>, ((out: string, err: string) => boolean) | undefined, string[]]> = [
    ['after the first batch commit', { ZG_MIGRATE_KILL_AFTER: 'commit:1' }, undefined, []],
    // Pre-flight in a worker thread too, on key ranges of 300 rows (normally only for large tables).
    [
      'in the middle of the tables (pre-flight first, in two threads)',
      { ZG_MIGRATE_KILL_AFTER: 'commit:9', ZG_MIGRATE_PREFLIGHT_THREADS: '1', ZG_MIGRATE_PREFLIGHT_CHUNK: '300' },
      undefined,
      PHASED,
    ],
    ['right after a checkpoint', { ZG_MIGRATE_KILL_AFTER: 'checkpoint:12' }, undefined, []],
    ['during the Auth import (pre-flight first)', { ZG_MIGRATE_KILL_AFTER: 'auth:1' }, undefined, PHASED],
    ['from outside, while analytics_events is being written', { ZG_MIGRATE_PROGRESS_MS: '50' }, writingAnalytics, THROTTLED],
  ];

  it.each(scenarios)(
    'killed %s',
    async (_name, env, killWhen, extraArgs) => {
      const fb = firebaseFor('killed');
      projects.push(fb);
      // A TMPDIR of its own, to see what the killed run leaves there and who removes it.
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zg-resume-tmp-'));
      const killed = await zgProcess(['run', '--source', src.url, ...extraArgs], { ...targetEnv(fb), ...env, TMPDIR: tmp }, killWhen);
      expect(killed.signal, `${killed.err}\n${killed.out}`).toBe('SIGKILL');
      const phased = extraArgs.includes('--preflight-first');
      // kill -9 leaves the spill folder (named for the dead process) behind; a run that checks rows as it writes has none…
      expect(fs.readdirSync(tmp)).toEqual(phased ? [expect.stringMatching(new RegExp(`^zg-migrate-${killed.pid}-`))] : []);
      const status = await zg(['status'], targetEnv(fb));
      expect(status.out).toMatch(/did not finish/);
      const resumed = await zgProcess(['run', '--source', src.url, '--resume'], { ...targetEnv(fb), TMPDIR: tmp });
      // …and the next run on the machine removes it (and its own). The killed run's lease goes to it at once: its process is gone.
      if (phased) expect(resumed.err).toMatch(/Removed 1 spill folder\(s\) left by earlier runs/);
      expect(resumed.err).toMatch(/Took over the lease of `run` \(pid \d+ on .*that process no longer exists on this machine/);
      expect(fs.readdirSync(tmp)).toEqual([]);
      fs.rmSync(tmp, { recursive: true, force: true });
      // The resumed run goes through the worker threads as well when the killed one did.
      if (env.ZG_MIGRATE_PREFLIGHT_THREADS) {
        const again = await zgProcess(['run', '--source', src.url], { ...targetEnv(fb), ZG_MIGRATE_PREFLIGHT_THREADS: '1', ZG_MIGRATE_PREFLIGHT_CHUNK: '300' });
        expect(again.code, again.err).toBe(0);
      }
      expect(resumed.err).not.toMatch(/zg-migrate:/);
      expect(resumed.code).toBe(0);
      expect(resumed.out).toMatch(/rows after the checkpoints/);
      const after = await dumpFirestore(fb.db);
      expect(dumpDiff(reference, after)).toEqual([]);
      expect(after.size).toBe(reference.size);
      const auth = await authDump(fb.auth);
      expect(dumpDiff(referenceAuth, auth)).toEqual([]);
      expect((await zg(['verify', '--source', src.url], targetEnv(fb))).code).toBe(0);
      // Two or three runs (each now also creating its replication slot) and a verify: minutes on a loaded machine.
    },
    300_000,
  );

  it.each(['SIGINT', 'SIGTERM'] as const)('stopped by %s: the spill folder goes with the process, and --resume continues', async (signal) => {
    const fb = firebaseFor('signal');
    projects.push(fb);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zg-resume-tmp-'));
    const stopped = await zgProcess(
      ['run', '--source', src.url, ...THROTTLED, '--preflight-first'],
      { ...targetEnv(fb), TMPDIR: tmp, ZG_MIGRATE_PROGRESS_MS: '50' },
      writingAnalytics,
      signal,
    );
    // The process still ends by the signal (as a shell expects), after removing its files.
    expect(stopped.signal, `${stopped.err}\n${stopped.out}`).toBe(signal);
    expect(stopped.err).toContain(`stopped by ${signal}; the checkpoints are saved`);
    expect(fs.readdirSync(tmp)).toEqual([]);
    const resumed = await zg(['run', '--source', src.url, '--resume'], targetEnv(fb));
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.out).toMatch(/rows after the checkpoints/);
    expect(dumpDiff(reference, await dumpFirestore(fb.db))).toEqual([]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('survives being killed twice in a row', async () => {
    const fb = firebaseFor('twice');
    projects.push(fb);
    expect((await zgProcess(['run', '--source', src.url], { ...targetEnv(fb), ZG_MIGRATE_KILL_AFTER: 'commit:3' })).signal).toBe('SIGKILL');
    expect((await zgProcess(['run', '--source', src.url, '--resume'], { ...targetEnv(fb), ZG_MIGRATE_KILL_AFTER: 'commit:4' })).signal).toBe('SIGKILL');
    const resumed = await zg(['run', '--source', src.url, '--resume', '--report', '/dev/null'], targetEnv(fb));
    expect(resumed.code).toBe(0);
    expect(dumpDiff(reference, await dumpFirestore(fb.db))).toEqual([]);
  });

  it('a new run over a finished one, killed before its first write, resumes it over the source as it now is', async () => {
    // Rehearse, then the rows change, then the real run starts and is killed at once: its run id is
    // the rehearsal's (same source and tables), so the rehearsal's "done" checkpoints must not count.
    const db = await seededDatabase(0.005, 'zg_rerun');
    const fb = firebaseFor('rerun');
    projects.push(fb);
    try {
      expect((await zg(['run', '--source', db.url], targetEnv(fb))).code).toBe(0);
      const changed = await withClient(
        db.url,
        async (c) => (await c.query<{ slug: string }>("update public.blog_posts set title = title || ' (edited)' returning slug")).rows,
      );
      expect(changed.length).toBeGreaterThan(0);
      const killed = await zgProcess(['run', '--source', db.url], { ...targetEnv(fb), ZG_MIGRATE_KILL_AFTER: 'started:1' });
      expect(killed.signal, killed.err).toBe('SIGKILL');
      const resumed = await zg(['run', '--source', db.url, '--resume'], targetEnv(fb));
      expect(resumed.code, resumed.err).toBe(0);
      for (const { slug } of changed) expect((await fb.db.doc(blogPosts.docPath({ slug })).get()).get('title')).toMatch(/ \(edited\)$/);
      const verify = await zg(['verify', '--source', db.url], targetEnv(fb));
      expect(verify.code, verify.out).toBe(0);
    } finally {
      await db.drop();
    }
  });
});
