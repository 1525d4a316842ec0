/**
 * Every callable of the registry, as deployed (the exported functions with their own deps), against
 * every role and a set of malformed inputs. The frame admits only the callers a contract's access
 * names, before it reads the input; and no input, however malformed, is answered `internal`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { declaredParams } from 'firebase-functions/params';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpsError } from 'firebase-functions/v2/https';
import { API, type AppRole, type CallableContract } from '@zhengrowth/model';
import { testProjectId } from '@zhengrowth/devstack/testing';
import { malformedInputs } from './support/malformed.js';

type Role = 'signed-out' | AppRole;
const ROLES: readonly Role[] = ['signed-out', 'client', 'coach', 'admin'];

interface Runnable {
  run(request: unknown): Promise<unknown>;
}

let exported: Record<string, Runnable>;
const previousProject = process.env.GCLOUD_PROJECT;

const setHere: string[] = [];

/**
 * What the Functions runtime provides before a request: every param's value (its default, as a
 * deploy without overrides has it) and every secret (the committed fake values). The wiring reads
 * them when it builds a request's deps; unset, firebase-functions reads an int param as 0.
 */
function provideParams(): void {
  const example = fs.readFileSync(path.join(import.meta.dirname, '..', '.secret.local.example'), 'utf8');
  const secrets: Record<string, string> = {};
  for (const line of example.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m?.[1]) secrets[m[1]] = m[2] ?? '';
  }
  for (const p of declaredParams as Array<{ name: string; options?: { default?: unknown } }>) {
    const value = secrets[p.name] ?? p.options?.default;
    if (process.env[p.name] !== undefined || value === undefined) continue;
    process.env[p.name] = typeof value === 'string' ? value : JSON.stringify(value);
    setHere.push(p.name);
  }
}

beforeAll(async () => {
  // The deployed wiring builds its deps from the default Admin app: give it a project of its own.
  process.env.GCLOUD_PROJECT = testProjectId('access');
  exported = (await import('../src/index.js')) as unknown as Record<string, Runnable>;
  provideParams();
}, 120_000);

afterAll(() => {
  if (previousProject === undefined) delete process.env.GCLOUD_PROJECT;
  else process.env.GCLOUD_PROJECT = previousProject;
  for (const name of setHere) delete process.env[name];
});

let serial = 0;
function requestOf(role: Role, data: unknown) {
  if (role === 'signed-out') return { data, rawRequest: { ip: '198.51.100.7', headers: {} } };
  // A user of their own per call: per-user rate limits never decide what a call is answered.
  const uid = `matrix-${role}-${(serial += 1)}`;
  return {
    data,
    auth: { uid, rawToken: 'token', token: { email: `${uid}@example.com`, email_verified: true, roles: [role], auth_time: Math.floor(Date.now() / 1000) } },
    rawRequest: { ip: `198.51.100.${serial % 250}`, headers: {} },
  };
}

/** What the frame must answer before any handler runs, or null when the caller is admitted. */
function refusalFor(c: CallableContract, role: Role): 'unauthenticated' | 'permission-denied' | null {
  if (c.access === 'public') return null;
  if (role === 'signed-out') return 'unauthenticated';
  if (c.access === 'staff' && role === 'client') return 'permission-denied';
  if (c.access === 'admin' && role !== 'admin') return 'permission-denied';
  return null;
}

async function outcome(fn: Runnable, request: unknown): Promise<string> {
  try {
    await fn.run(request);
    return 'ok';
  } catch (err) {
    return err instanceof HttpsError ? err.code : `thrown:${err instanceof Error ? err.name : typeof err}`;
  }
}

const contracts = Object.values(API) as CallableContract[];

describe('the callable frame, for every contract of the registry', () => {
  it('exports a callable for every contract', () => {
    for (const c of contracts) expect(typeof exported[c.name]?.run, c.name).toBe('function');
  });

  for (const role of ROLES) {
    it(`${role}: refused before the input is read, or answered with a named code (never internal)`, async () => {
      const wrong: string[] = [];
      for (const c of contracts) {
        const fn = exported[c.name] as Runnable;
        const refusal = refusalFor(c, role);
        for (const sample of malformedInputs(c.input)) {
          const got = await outcome(fn, requestOf(role, sample.data));
          // A value that is not an object at all can never be a callable's input.
          const expected = refusal ?? (sample.topLevel ? ['invalid-argument', 'resource-exhausted'] : null);
          const fine = expected === null ? got !== 'internal' && !got.startsWith('thrown:') : [expected].flat().includes(got);
          if (!fine)
            wrong.push(`${c.name} (${c.access}) ${sample.label}: ${got}, expected ${expected === null ? 'a named code' : [expected].flat().join(' or ')}`);
        }
      }
      expect(wrong).toEqual([]);
    }, 600_000);
  }
});
