/**
 * The daily Firestore backup against the real Firestore emulator, with the Firestore Admin API and
 * Cloud Storage played by a local stand-in (through the official clients): one export per day
 * however runs overlap or retry, the request the API gets, retention, and admins alerted once when
 * an export cannot start or ends in failure.
 */
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { getStorage } from 'firebase-admin/storage';
import { OAuth2Client } from 'google-auth-library';
import { testFirebase, testProjectId, type TestFirebase } from '@zhengrowth/devstack/testing';
import { backupRuns, inbox } from '@zhengrowth/model';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { firestoreExporter } from '../src/backups/exporter.js';
import { runDailyBackup, type BackupDeps } from '../src/backups/run.js';
import { profileDoc } from './support/accounts.js';
import { backupStandIn, type BackupStandIn } from './support/backup-standin.js';
import { put } from './support/env.js';
import { matching } from './support/matchers.js';

const projectId = testProjectId('backup');
const BUCKET = 'zg-backups';
let fb: TestFirebase;
let api: BackupStandIn;
let app: App;
const ADMINS = ['backup-admin-1', 'backup-admin-2'];

function depsAt(iso: string, retentionDays = 30): BackupDeps {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: 'test-access-token', expiry_date: Date.now() + 3_600_000 });
  return {
    db: fb.db,
    now: () => new Date(iso),
    exporter: firestoreExporter({ projectId, apiBase: api.origin, authClient: auth }),
    bucket: getStorage(app).bucket(BUCKET),
    retentionDays,
  };
}

const runOf = async (day: string) => (await fb.db.doc(backupRuns.docPath({ day })).withConverter(backupRuns.converter).get()).data();
const alertsOf = async (uid: string) => (await fb.db.collection(inbox.collectionPath({ uid })).get()).docs.filter((d) => d.id.startsWith('backup-failed-'));

beforeAll(async () => {
  fb = testFirebase(projectId);
  api = await backupStandIn(projectId);
  // The Admin SDK's Storage client talks to the stand-in (and sends no credentials) when this is set.
  process.env.STORAGE_EMULATOR_HOST = api.origin;
  app = initializeApp({ projectId, storageBucket: BUCKET }, `backup-test-${Date.now()}`);
});
afterAll(async () => {
  delete process.env.STORAGE_EMULATOR_HOST;
  await deleteApp(app);
  await api.close();
  await fb.close();
});
beforeEach(async () => {
  await fb.clear();
  api.requests.length = 0;
  api.objects.clear();
  api.finished.clear();
  api.refuseExports(null);
  for (const uid of ADMINS) await put(fb.db.doc(`users/${uid}`), profileDoc(`${uid}@zhengrowth.test`, ['admin']));
  await put(fb.db.doc('users/backup-client'), profileDoc('backup-client@zhengrowth.test', ['client']));
});

describe('daily Firestore backup', () => {
  it('asks the Admin API to export every collection to the day’s folder, with the credentials, and records the operation', async () => {
    const out = await runDailyBackup(depsAt('2026-12-01T02:00:05Z'));
    expect(out).toMatchObject({ day: '2026-12-01', export: 'started' });
    const [req, ...more] = api.exportRequests();
    expect(more).toEqual([]);
    expect(req?.path).toBe(`/v1/projects/${projectId}/databases/(default):exportDocuments`);
    expect(req?.headers.authorization).toBe('Bearer test-access-token');
    // The database is named in the path (REST); the body says where to.
    expect(req?.json).toMatchObject({ outputUriPrefix: `gs://${BUCKET}/firestore-exports/2026-12-01` });
    expect((req?.json as { collectionIds?: unknown[] }).collectionIds ?? []).toEqual([]);
    expect(await runOf('2026-12-01')).toMatchObject({
      status: 'running',
      operation: `projects/${projectId}/databases/(default)/operations/export-1`,
      output_uri_prefix: `gs://${BUCKET}/firestore-exports/2026-12-01`,
      attempts: 1,
      lease_until: null,
      error: null,
    });
  });

  it('starts one export per day: a retried run and five overlapping runs find the day taken', async () => {
    const runs = await Promise.all(Array.from({ length: 5 }, () => runDailyBackup(depsAt('2026-12-01T02:00:05Z'))));
    expect(runs.filter((r) => r.export === 'started')).toHaveLength(1);
    expect((await runDailyBackup(depsAt('2026-12-01T02:09:00Z'))).export).toBe('taken');
    expect(api.exportRequests()).toHaveLength(1);
  });

  it('deletes the day folders past the retention, after today’s export started, and nothing else in the bucket', async () => {
    for (const day of ['2026-10-01', '2026-11-01', '2026-11-02', '2026-11-30']) {
      api.objects.add(`firestore-exports/${day}/${day}.overall_export_metadata`);
      api.objects.add(`firestore-exports/${day}/all_namespaces/all_kinds/output-0`);
    }
    api.objects.add('firestore-exports/manual-before-migration/x.overall_export_metadata');
    api.objects.add('elsewhere/2026-01-01/keep');
    const out = await runDailyBackup(depsAt('2026-12-01T02:00:05Z', 30));
    expect(out.pruned).toEqual(['2026-10-01', '2026-11-01']);
    expect([...api.objects].sort()).toEqual(
      [
        'elsewhere/2026-01-01/keep',
        'firestore-exports/2026-11-02/2026-11-02.overall_export_metadata',
        'firestore-exports/2026-11-02/all_namespaces/all_kinds/output-0',
        'firestore-exports/2026-11-30/2026-11-30.overall_export_metadata',
        'firestore-exports/2026-11-30/all_namespaces/all_kinds/output-0',
        'firestore-exports/manual-before-migration/x.overall_export_metadata',
      ].sort(),
    );
  });

  it('an export the API refuses: recorded as failed, every admin alerted once, nothing pruned, the error thrown for the retry, which starts it', async () => {
    api.objects.add('firestore-exports/2026-01-01/old');
    api.refuseExports({ status: 403, message: 'The caller does not have permission' });
    await expect(runDailyBackup(depsAt('2026-12-01T02:00:05Z'))).rejects.toThrow(/2026-12-01 could not start: .*permission/);
    expect(await runOf('2026-12-01')).toMatchObject({ status: 'failed', attempts: 1, error: matching(/permission/) });
    expect(api.objects.has('firestore-exports/2026-01-01/old')).toBe(true);
    for (const uid of ADMINS) expect((await alertsOf(uid)).map((d) => d.id)).toEqual(['backup-failed-2026-12-01']);
    expect(await alertsOf('backup-client')).toEqual([]);

    api.refuseExports(null);
    expect((await runDailyBackup(depsAt('2026-12-01T02:05:00Z'))).export).toBe('started');
    expect(await runOf('2026-12-01')).toMatchObject({ status: 'running', attempts: 2, error: null });
    expect(api.objects.has('firestore-exports/2026-01-01/old')).toBe(false);
  });

  it('the next run records how yesterday’s export ended: success quietly, failure with one alert per admin however often it runs', async () => {
    await runDailyBackup(depsAt('2026-11-30T02:00:00Z'));
    await runDailyBackup(depsAt('2026-12-01T02:00:00Z'));
    const [first, second] = [await runOf('2026-11-30'), await runOf('2026-12-01')];
    api.finished.set(first?.operation ?? '', {});
    api.finished.set(second?.operation ?? '', { error: { code: 8, message: 'Resource exhausted' } });
    const next = await runDailyBackup(depsAt('2026-12-02T02:00:00Z'));
    expect(next.settled).toEqual(
      expect.arrayContaining([
        { day: '2026-11-30', status: 'succeeded' },
        { day: '2026-12-01', status: 'failed' },
      ]),
    );
    expect(await runOf('2026-11-30')).toMatchObject({ status: 'succeeded', error: null, finished_at: expect.anything() as unknown });
    expect(await runOf('2026-12-01')).toMatchObject({ status: 'failed', error: matching(/Resource exhausted/) });
    expect((await runDailyBackup(depsAt('2026-12-02T03:00:00Z'))).settled).toEqual([]);
    for (const uid of ADMINS) expect((await alertsOf(uid)).map((d) => d.id)).toEqual(['backup-failed-2026-12-01']);
  });
});
