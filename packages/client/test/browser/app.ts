/**
 * The web app's use of the client, as a page: bundled for the browser (esbuild, platform browser)
 * and driven in headless Chromium by browser.test.ts. Each step is a function on `window.zg` that
 * the test calls, with Admin SDK work (roles, entitlements, events) done by the test between them.
 * Only what a browser has: a Node-only import anywhere in the client or the model fails the bundle.
 */
import { initializeApp } from 'firebase/app';
import { connectAuthEmulator, createUserWithEmailAndPassword, getAuth, type Auth } from 'firebase/auth';
import { connectFirestoreEmulator, getFirestore, type Firestore } from 'firebase/firestore';
import { connectFunctionsEmulator, getFunctions } from 'firebase/functions';
import { createApiClient, getLessonMedia, getMyProfile, type ApiClient } from '@zhengrowth/client';

export interface BrowserConfig {
  projectId: string;
  /** host:port of the Auth and Firestore emulators; the functions emulator's origin. */
  auth: string;
  firestore: string;
  functions: string;
}

interface Session {
  auth: Auth;
  db: Firestore;
  api: ApiClient;
  uid: string;
}

let s: Session | undefined;
const session = (): Session => {
  if (!s) throw new Error('call zg.signUp first');
  return s;
};

const hostPort = (v: string): [string, number] => {
  const u = new URL(v.includes('://') ? v : `http://${v}`);
  return [u.hostname, Number(u.port)];
};

const zg = {
  /** A new account, signed in, with its profile made (ensureProfile, as the app does after sign-in). */
  async signUp(cfg: BrowserConfig, email: string, password: string): Promise<string> {
    const app = initializeApp({ projectId: cfg.projectId, apiKey: 'demo-api-key', appId: 'demo-browser' });
    const auth = getAuth(app);
    connectAuthEmulator(auth, `http://${cfg.auth}`, { disableWarnings: true });
    const db = getFirestore(app);
    connectFirestoreEmulator(db, ...hostPort(cfg.firestore));
    const functions = getFunctions(app, 'us-central1');
    connectFunctionsEmulator(functions, ...hostPort(cfg.functions));
    const cred = await createUserWithEmailAndPassword(auth, email, password);
    s = { auth, db, api: createApiClient(functions, { timeoutMs: 120_000 }), uid: cred.user.uid };
    await s.api.ensureProfile({});
    return cred.user.uid;
  },
  /** After the test changed the account (roles, verification): a fresh ID token. */
  async refresh(): Promise<void> {
    await session().auth.currentUser?.getIdToken(true);
  },
  async profile(): Promise<{ email: string | null; roles: string[] } | null> {
    const p = await getMyProfile(session().db, session().uid);
    return p ? { email: p.email, roles: p.roles } : null;
  },
  /** A lesson's video id, or 'locked' behind the paywall. */
  async lessonMedia(lessonId: string): Promise<string | null> {
    const m = await getLessonMedia(session().db, lessonId);
    return m === 'locked' || m === null ? m : m.yt_id;
  },
  async register(eventId: string): Promise<string | null> {
    return (await session().api.registerForEvent({ event_id: eventId })).registration.status;
  },
  async myClients(): Promise<string[]> {
    return (await session().api.listMyClients({})).clients.map((c) => c.uid);
  },
};

export type BrowserApi = typeof zg;
(globalThis as unknown as { zg: BrowserApi }).zg = zg;
