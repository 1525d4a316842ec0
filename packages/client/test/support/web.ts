/**
 * The web app's path in tests: the real `firebase` web SDK (Auth, Firestore, Functions) against the
 * emulators, signed in through the Auth emulator, and the typed client on top. Callables run in the
 * functions emulator, which serves one project: every web test uses it (ids keep tests apart).
 */
import { randomBytes } from 'node:crypto';
import { deleteApp, initializeApp, type FirebaseApp } from 'firebase/app';
import { connectAuthEmulator, createUserWithEmailAndPassword, getAuth, signOut, type Auth, type User } from 'firebase/auth';
import { connectFirestoreEmulator, getFirestore, terminate, type Firestore } from 'firebase/firestore';
import { connectFunctionsEmulator, getFunctions, type Functions } from 'firebase/functions';
import { Timestamp } from 'firebase-admin/firestore';
import { users, type AppRole } from '@zhengrowth/model';
import { emulatorHosts, put, testFirebase, type TestFirebase } from '@zhengrowth/devstack/testing';
import { expect } from 'vitest';
import { ApiError, createApiClient, type ApiClient } from '@zhengrowth/client';

export interface WebSession {
  app: FirebaseApp;
  auth: Auth;
  db: Firestore;
  functions: Functions;
  api: ApiClient;
  user: User | null;
  close(): Promise<void>;
}

function hostPort(hostAndPort: string): [string, number] {
  const [host, port] = hostAndPort.split(':');
  return [host ?? '127.0.0.1', Number(port)];
}

/** A fresh web app instance (its own Auth state), signed out; `timeoutMs` bounds each callable (default 120 s). */
export function webApp(opts: { timeoutMs?: number } = {}): WebSession {
  const hosts = emulatorHosts();
  if (!hosts.auth || !hosts.functions) throw new Error('The Auth and Functions emulators must run for web SDK tests: run them through `npm test`.');
  const app = initializeApp({ projectId: hosts.projectId, apiKey: 'demo-api-key', appId: 'demo-web' }, `web-${randomBytes(4).toString('hex')}`);
  const auth = getAuth(app);
  connectAuthEmulator(auth, `http://${hosts.auth}`, { disableWarnings: true });
  const db = getFirestore(app);
  connectFirestoreEmulator(db, ...hostPort(hosts.firestore));
  const functions = getFunctions(app, 'us-central1');
  connectFunctionsEmulator(functions, ...hostPort(new URL(hosts.functions).host));
  const session: WebSession = {
    app,
    auth,
    db,
    functions,
    // The functions emulator starts a worker per concurrent request: on two cores the first ones are slow.
    api: createApiClient(functions, { timeoutMs: opts.timeoutMs ?? 120_000 }),
    user: null,
    close: async () => {
      await signOut(auth).catch(() => undefined);
      await terminate(db).catch(() => undefined);
      await deleteApp(app);
    },
  };
  return session;
}

/**
 * The web sessions of one test file: `open()` gives a fresh one (webApp), `closeAll()` (in the
 * file's afterAll) signs out and closes every session it gave.
 */
export function webSessions(opts: { timeoutMs?: number } = {}): { open: () => WebSession; closeAll: () => Promise<void> } {
  const opened: WebSession[] = [];
  return {
    open: () => {
      const s = webApp(opts);
      opened.push(s);
      return s;
    },
    closeAll: async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    },
  };
}

/** The Admin SDK on the functions' project: sets claims, seeds what only the server writes. */
export function adminOfWebProject(): TestFirebase {
  return testFirebase(emulatorHosts().projectId);
}

export const uniqueEmail = (label: string): string => `${label}.${randomBytes(5).toString('hex')}@example.com`;

export const PASSWORD = 'correct horse battery staple';

/**
 * Gives an account roles as setUserRoles does (users/{uid}.roles and role_grants, then the claim),
 * from the Admin SDK: tests need admins before there is an admin to call setUserRoles. The profile
 * must exist (ensureProfile or the sign-up trigger made it).
 */
export async function grantRoles(admin: TestFirebase, uid: string, roles: AppRole[]): Promise<void> {
  const ref = admin.db.doc(users.docPath({ uid })).withConverter(users.converter);
  const doc = (await ref.get()).data();
  if (!doc) throw new Error(`users/${uid} does not exist yet: call ensureProfile first`);
  const now = Timestamp.now();
  await put(ref, { ...doc, roles, role_grants: Object.fromEntries(roles.map((r) => [r, doc.role_grants[r] ?? { id: `test-${r}`, created_at: now }])) });
  const { customClaims } = await admin.auth.getUser(uid);
  await admin.auth.setCustomUserClaims(uid, { ...(customClaims ?? {}), roles });
}

/**
 * Signs up a new user with e-mail and password through the Auth emulator, then (Admin SDK) marks
 * the e-mail verified and, when roles are asked for, makes the profile (ensureProfile, as the web
 * app does after sign-in) and gives them; refreshes the ID token so the next call carries them.
 */
export async function signUp(session: WebSession, admin: TestFirebase, opts: { email?: string; roles?: AppRole[]; verified?: boolean } = {}): Promise<User> {
  const email = opts.email ?? uniqueEmail('user');
  const cred = await createUserWithEmailAndPassword(session.auth, email, PASSWORD);
  if (opts.verified !== false) await admin.auth.updateUser(cred.user.uid, { emailVerified: true });
  session.user = cred.user;
  if (opts.roles) {
    await cred.user.getIdToken(true);
    await session.api.ensureProfile({});
    await grantRoles(admin, cred.user.uid, opts.roles);
  }
  await cred.user.getIdToken(true);
  return cred.user;
}

/** The ApiError a call through the typed client was refused with (it must be one). */
export async function refusal(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

/** Polls until `probe` gives a value (triggers in the functions emulator run after the call that fired them). */
export async function eventually<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
