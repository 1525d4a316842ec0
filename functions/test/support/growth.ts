/**
 * The world of the community and growth tests: a Firestore project of their own in the emulator,
 * Firebase Auth users in the Auth emulator (disabled flags and sign-up times are Auth's), a clock
 * the test can move, and the callables run as the functions run them (contract, guard, handler).
 */
import { HttpsError } from 'firebase-functions/v2/https';
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import { expect } from 'vitest';
import { communityPosts, communityReports, users, type AppRole, type CallableContract, type CallableOutput } from '@zhengrowth/model';
import { put, testFirebase, testProjectId, type TestFirebase } from '@zhengrowth/devstack/testing';
import { authAccounts, type AccountLookupDeps } from '../../src/core/accounts.js';
import { runCallable, type CallableGuard, type CallableHandler, type CallableRequestLike } from '../../src/core/callable.js';
import type { Deps } from '../../src/core/deps.js';
import type { LeadDeps } from '../../src/leads/deps.js';
import { linkSigner } from '../../src/shared/links.js';
import { asAuthData, uniq, type Auth } from './env.js';

export { uniq, type Auth };

export interface GrowthWorld {
  fb: TestFirebase;
  db: Firestore;
  /** The clock of every handler; tests move it (`clock.set(...)`). */
  clock: { now: Date; set(d: Date): void; advance(ms: number): void };
  deps: AccountLookupDeps & { retentionDays: number };
  close(): Promise<void>;
}

/** `fb`: share another environment's project (a payments TestEnv's, say); the world then does not close it. */
export function growthWorld(label: string, shared?: TestFirebase): GrowthWorld {
  const fb = shared ?? testFirebase(testProjectId(label));
  const clock = {
    now: new Date(),
    set(d: Date) {
      this.now = d;
    },
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  return {
    fb,
    db: fb.db,
    clock,
    deps: { db: fb.db, now: () => clock.now, accounts: authAccounts(fb.auth), retentionDays: 30 },
    close: () => (shared ? Promise.resolve() : fb.close()),
  };
}

/** The lead handlers' deps in a test world: a link signer of its own and a made-up app address. */
export function leadDepsFor(w: GrowthWorld): LeadDeps {
  return { ...w.deps, links: linkSigner(TEST_LINK_SECRET), appUrl: TEST_APP_URL };
}
export const TEST_LINK_SECRET = 'test-guest-link-secret';
export const TEST_APP_URL = 'https://app.zhengrowth.test';

/**
 * createUser under load: the Admin SDK retries a request whose answer it lost, and the retry of a
 * create that succeeded says the uid exists. The uid is fresh and random, so a user with it and
 * this e-mail is ours. An Auth emulator starved of CPU beside the rest of the suite may answer after
 * the SDK's 25 s timeout: the create is tried again, and the same check tells whether it landed.
 */
async function createOnce(w: GrowthWorld, uid: string, email: string, attempt = 1): Promise<void> {
  try {
    await w.fb.auth.createUser({ uid, email, emailVerified: true });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'app/network-timeout' && attempt < 3) return createOnce(w, uid, email, attempt + 1);
    if (code !== 'auth/uid-already-exists' || (await w.fb.auth.getUser(uid)).email !== email) throw err;
  }
}

/** A user in the Auth emulator (and a users/{uid} document), with roles in the token. */
export async function member(w: GrowthWorld, roles: AppRole[] = ['client'], opts: { email?: string; name?: string } = {}): Promise<Auth> {
  const uid = uniq('u');
  const email = opts.email ?? `${uid}@example.com`;
  await createOnce(w, uid, email);
  await put(w.db.doc(users.docPath({ uid })).withConverter(users.converter), {
    profile_id: null,
    email,
    name: opts.name ?? `Member ${uid}`,
    avatar_url: null,
    lang: 'en',
    timezone: 'Europe/London',
    created_at: Timestamp.now(),
    updated_at: null,
    metadata: null,
    roles,
    role_grants: {},
  });
  return { uid, token: { email, email_verified: true, roles } };
}

/** `n` members, created ten at a time: a burst of a hundred creates is not what any test is about. */
export async function members(w: GrowthWorld, n: number): Promise<Auth[]> {
  const out: Auth[] = [];
  while (out.length < n) out.push(...(await Promise.all(Array.from({ length: Math.min(10, n - out.length) }, () => member(w)))));
  return out;
}

/** A callable as the functions run it: guard, contract validation, handler, output check. */
export function call<C extends CallableContract, D extends Deps>(
  contract: C,
  handler: CallableHandler<C, D>,
  deps: D,
  auth: Auth | null,
  data: unknown,
  extra: { guard?: CallableGuard; ip?: string; userAgent?: string } = {},
): Promise<CallableOutput<C>> {
  const request: CallableRequestLike = {
    data,
    auth: asAuthData(auth),
    rawRequest: { ip: extra.ip ?? '198.51.100.7', headers: { 'user-agent': extra.userAgent ?? 'vitest' } } as unknown as CallableRequestLike['rawRequest'],
  };
  return runCallable(contract, handler, request, deps, extra.guard);
}

/** The HttpsError code a call fails with (the test fails if it succeeds). */
export async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpsError);
  return (err as HttpsError).code;
}

export async function seedPost(db: Firestore, authorId: string, over: { published?: boolean; title?: string } = {}): Promise<string> {
  const ref = db.collection(communityPosts.collectionPath({})).doc();
  await put(ref.withConverter(communityPosts.converter), {
    author_id: authorId,
    title: over.title ?? 'A post',
    content: 'Hello, community',
    tags: [],
    likes_count: 0,
    comments_count: 0,
    published: over.published ?? true,
    pinned: false,
    metadata: null,
    created_at: Timestamp.now(),
    updated_at: null,
  });
  return ref.id;
}

export async function seedReport(
  db: Firestore,
  reporterId: string,
  target: { content_type: 'post' | 'comment'; content_id: string; post_id?: string | null },
): Promise<string> {
  const ref = db.collection(communityReports.collectionPath({})).doc();
  await put(ref.withConverter(communityReports.converter), {
    reporter_id: reporterId,
    content_type: target.content_type,
    content_id: target.content_id,
    reason: 'spam',
    description: null,
    status: 'pending',
    reviewed_by: null,
    reviewed_at: null,
    action_taken: null,
    created_at: Timestamp.now(),
    ...(target.post_id !== undefined ? { post_id: target.post_id } : {}),
  });
  return ref.id;
}
