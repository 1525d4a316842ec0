import { spawn } from 'node:child_process';
import path from 'node:path';
import { clearAuth, testFirebase, testProjectId, type TestDatabase, type TestFirebase } from '@zhengrowth/devstack/testing';
import { ALL_COLLECTIONS, isTimestampLike } from '@zhengrowth/model';
import type { Firestore } from 'firebase-admin/firestore';
import { main } from '../src/cli.js';
import type { CliContext } from '../src/commands/command.js';
import { repoRoot } from './schema-doc.js';
import { seededCopy } from './seeded-template.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** zg-migrate in this process, with its output captured. */
export async function zg(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  let out = '';
  let err = '';
  const ctx: CliContext = { out: (s) => void (out += s), err: (s) => void (err += s), env: { ...process.env, ...env }, isTTY: false };
  const code = await main(['node', 'zg-migrate', ...args], ctx);
  return { code, out, err };
}

export interface Spawned {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
  pid: number | undefined;
}

/** zg-migrate as its own process (through the bin shim and the build), e.g. to be killed. */
export function zgProcess(
  args: string[],
  env: Record<string, string | undefined> = {},
  killWhen?: (out: string, err: string) => boolean,
  signal: NodeJS.Signals = 'SIGKILL',
): Promise<Spawned> {
  const bin = path.join(repoRoot, 'migration', 'bin', 'zg-migrate.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, ZG_MIGRATE_PROGRESS_MS: '200', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let killed = false;
    const check = (): void => {
      if (!killed && killWhen?.(out, err)) {
        killed = true;
        child.kill(signal);
      }
    };
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      check();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      check();
    });
    child.on('error', reject);
    child.on('close', (code, endedBy) => resolve({ code, signal: endedBy, out, err, pid: child.pid }));
  });
}

/** The one seed of the migration tests' demo data: files of the same scale copy one seeded template. */
const FIXTURE_SEED = 'fixture';

/**
 * A seeded source database of the test's own: a copy of the demo data seeded once per test run for
 * each scale (seeded-template.ts), most often by another test file.
 */
export async function seededDatabase(scale: number, prefix = 'zg_mig'): Promise<TestDatabase> {
  return seededCopy(scale, FIXTURE_SEED, prefix);
}

export function firebaseFor(label: string): TestFirebase {
  return testFirebase(testProjectId(label));
}

/** A stable text of a Firestore value (Timestamps with their nanoseconds, map keys sorted). */
/** Empties a test project (Firestore and Auth) and closes its app. */
export async function discardFirebase(fb: TestFirebase | undefined): Promise<void> {
  if (!fb) return;
  await fb.clear();
  await clearAuth(fb.projectId).catch(() => undefined);
  await fb.close();
}

export function canonical(v: unknown): string {
  if (isTimestampLike(v)) return `T(${v.seconds},${v.nanoseconds})`;
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  if (typeof v === 'number' && Object.is(v, -0)) return '-0';
  return JSON.stringify(v) ?? String(v);
}

const STATE = /^migration_(runs|checkpoints|rejects|syncs|leases|files)$/;

/**
 * Every document of the project (path → canonical data), the migration's own state excluded:
 * every top-level collection, and every collection group the model has (subcollections included).
 */
export async function dumpFirestore(db: Firestore, includeState = false): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const groups = new Set<string>(ALL_COLLECTIONS.map((c) => c.groupId));
  for (const c of await db.listCollections()) groups.add(c.id);
  for (const group of groups) {
    if (!includeState && STATE.test(group)) continue;
    const snap = await db.collectionGroup(group).get();
    for (const d of snap.docs) out.set(d.ref.path, canonical(d.data()));
  }
  return new Map([...out].sort((a, b) => a[0].localeCompare(b[0])));
}

/** Differences between two dumps, for a readable failure. */
export function dumpDiff(a: Map<string, string>, b: Map<string, string>, limit = 10): string[] {
  const out: string[] = [];
  for (const [k, v] of a) {
    if (!b.has(k)) out.push(`only in first: ${k}`);
    else if (b.get(k) !== v) out.push(`differs: ${k}\n  ${v.slice(0, 300)}\n  ${(b.get(k) ?? '').slice(0, 300)}`);
    if (out.length >= limit) return out;
  }
  for (const k of b.keys()) {
    if (!a.has(k)) out.push(`only in second: ${k}`);
    if (out.length >= limit) return out;
  }
  return out;
}

export function targetEnv(fb: TestFirebase): Record<string, string> {
  return { GCLOUD_PROJECT: fb.projectId };
}
