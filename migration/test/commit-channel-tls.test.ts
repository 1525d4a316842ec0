/**
 * The write pass's commit channel on its production branch — TLS, access tokens of the
 * firebase-admin credential — run offline: Application Default Credentials take their tokens from
 * a stand-in of the GCE metadata server, the commits go to a TLS gRPC stand-in of Firestore (test
 * CA) that checks the token and the routing headers and forwards them to the emulator. A run renews
 * its short-lived tokens as it goes; a token refused even after a fresh one (UNAUTHENTICATED) stops
 * the run with what to check, its checkpoints saved, and --resume then finishes it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestDatabase, TestFirebase } from '@zhengrowth/devstack/testing';
import { emulatorHosts } from '@zhengrowth/devstack/testing';
import { applicationDefault } from 'firebase-admin/app';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCommitChannel } from '../src/migrate/target/commit-channel.js';
import { DEFAULT_TUNING, type MigrationContext } from '../src/migrate/context/index.js';
import { silentProgress } from '../src/migrate/context/progress.js';
import { MigrationStopped } from '../src/migrate/run/report.js';
import { runMigration } from '../src/migrate/run/index.js';
import { openPostgresSource } from '../src/migrate/sources/postgres.js';
import { MigrationState } from '../src/migrate/state/index.js';
import { startFirestoreStandin, startMetadataServer, testCertificates, type FirestoreStandin, type TokenServer } from './grpc-standin.js';
import { discardFirebase, firebaseFor, seededDatabase, targetEnv, zg } from './migrate-helpers.js';

const ADC_ENV = ['GCE_METADATA_HOST', 'METADATA_SERVER_DETECTION', 'CLOUDSDK_CONFIG', 'GOOGLE_APPLICATION_CREDENTIALS'] as const;

describe('the commit channel against a TLS Firestore with access tokens', () => {
  let src: TestDatabase;
  let tmp: string;
  let tokens: TokenServer;
  let firestore: FirestoreStandin;
  let ca: Buffer;
  const saved: Partial<Record<(typeof ADC_ENV)[number], string | undefined>> = {};
  const projects: TestFirebase[] = [];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zg-tls-'));
    const certs = testCertificates(tmp);
    ca = certs.ca;
    // Tokens live 62 s: the channel renews them a minute before they expire, so every ~2 s.
    tokens = await startMetadataServer(62);
    firestore = await startFirestoreStandin(certs, tokens, emulatorHosts().firestore);
    for (const k of ADC_ENV) saved[k] = process.env[k];
    // Application Default Credentials as on Google's machines: the metadata server (here, the stand-in).
    process.env.GCE_METADATA_HOST = tokens.host;
    process.env.METADATA_SERVER_DETECTION = 'assume-present';
    process.env.CLOUDSDK_CONFIG = tmp;
    delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
    src = await seededDatabase(0.01, 'zg_tls');
  }, 300_000);
  afterAll(async () => {
    for (const k of ADC_ENV) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    for (const fb of projects) await discardFirebase(fb);
    await firestore?.close();
    await tokens?.close();
    await src?.drop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function context(fb: TestFirebase): Promise<{ ctx: MigrationContext; logs: string[]; close: () => Promise<void> }> {
    const logs: string[] = [];
    const source = await openPostgresSource(src.url, { readers: 4 });
    const commits = openCommitChannel({ projectId: fb.projectId, credential: applicationDefault(), endpoint: { host: firestore.host, rootCerts: ca } });
    const ctx: MigrationContext = {
      source,
      db: fb.db,
      auth: fb.auth,
      commits,
      projectId: fb.projectId,
      // Unthrottled, as on the emulator behind the stand-in.
      emulator: true,
      state: new MigrationState(fb.db),
      progress: silentProgress,
      out: (l) => logs.push(l),
      log: (l) => logs.push(l),
      tuning: { ...DEFAULT_TUNING, inFlight: 2 },
    };
    return {
      ctx,
      logs,
      close: async () => {
        commits.close();
        await source.close();
      },
    };
  }

  const options = { tables: null, dryRun: false, resume: false, concurrency: 2, uidMap: null, maxOpsPerSecond: 400 } as const;

  it('writes over TLS with the credential tokens, renewed as they near expiry, with the routing headers', async () => {
    const fb = firebaseFor('tls');
    projects.push(fb);
    const before = firestore.commits.length;
    const { ctx, close } = await context(fb);
    try {
      const { report } = await runMigration(ctx, options);
      expect(report.ok).toBe(true);
    } finally {
      await close();
    }
    const commits = firestore.commits.slice(before);
    expect(commits.length).toBeGreaterThan(10);
    expect(commits.every((c) => c.accepted)).toBe(true);
    expect(new Set(commits.map((c) => c.prefix))).toEqual(new Set([`projects/${fb.projectId}/databases/(default)`]));
    expect(new Set(commits.map((c) => c.params))).toEqual(new Set([`database=${encodeURIComponent(`projects/${fb.projectId}/databases/(default)`)}`]));
    // A run of several seconds at 400 writes/s outlives a token: it took new ones on the way.
    expect(new Set(commits.map((c) => c.token)).size).toBeGreaterThan(1);
    const v = await zg(['verify', '--source', src.url], targetEnv(fb));
    expect(v.code, v.out).toBe(0);
  });

  it('stops with a clear message and its checkpoints when Firestore refuses the credentials; --resume finishes', async () => {
    const fb = firebaseFor('tls-refused');
    projects.push(fb);
    firestore.revokeAfter(6);
    const first = await context(fb);
    let stopped: unknown;
    try {
      await runMigration(first.ctx, options);
    } catch (err) {
      stopped = err;
    } finally {
      await first.close();
    }
    expect(stopped).toBeInstanceOf(MigrationStopped);
    expect((stopped as Error).message).toMatch(/Firestore refused the credentials twice, the second time with a fresh access token \(UNAUTHENTICATED/);
    expect((stopped as Error).message).toMatch(/The checkpoints are saved: run the same command with --resume/);
    const state = new MigrationState(fb.db);
    expect((await state.unfinished())?.doc.status).toBe('failed');
    const checkpoints = [...(await state.checkpoints()).values()];
    expect(checkpoints.some((c) => c.done || c.last_key !== null)).toBe(true);

    firestore.revokeAfter(Number.POSITIVE_INFINITY);
    const second = await context(fb);
    try {
      const { report } = await runMigration(second.ctx, { ...options, resume: true });
      expect(report.ok).toBe(true);
    } finally {
      await second.close();
    }
    expect((await zg(['verify', '--source', src.url], targetEnv(fb))).code).toBe(0);
  });
});
