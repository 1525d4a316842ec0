import { randomBytes } from 'node:crypto';
import { deleteApp, getApps, initializeApp, type App } from 'firebase-admin/app';
import { getAuth, type Auth } from 'firebase-admin/auth';
import { getFirestore, type DocumentData, type DocumentReference, type Firestore } from 'firebase-admin/firestore';

/** The emulator hosts of this test run; throws (never skips) when the emulators are not there. */
export function emulatorHosts(): { firestore: string; auth: string | undefined; functions: string | undefined; projectId: string } {
  const firestore = process.env.FIRESTORE_EMULATOR_HOST;
  if (!firestore) {
    throw new Error('No Firestore emulator for this test: run it through `npm test` (vitest global setup starts the emulators).');
  }
  return {
    firestore,
    auth: process.env.FIREBASE_AUTH_EMULATOR_HOST,
    functions: process.env.FUNCTIONS_EMULATOR_ORIGIN,
    projectId: process.env.GCLOUD_PROJECT ?? 'demo-zhengrowth',
  };
}

/**
 * A project id of its own for a test file: data in the emulator is per project, so files that
 * run in parallel do not see (or wipe) each other's documents. `demo-` keeps it offline.
 */
export function testProjectId(label: string): string {
  return `demo-${label
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 12)}-${randomBytes(3).toString('hex')}`;
}

export interface TestFirebase {
  app: App;
  db: Firestore;
  auth: Auth;
  projectId: string;
  /** Delete every document of this project in the emulator. */
  clear(): Promise<void>;
  close(): Promise<void>;
}

/** firebase-admin against the emulators, for one project. */
export function testFirebase(projectId: string): TestFirebase {
  const hosts = emulatorHosts();
  const name = `test-${projectId}-${randomBytes(3).toString('hex')}`;
  const app = initializeApp({ projectId }, name);
  const db = getFirestore(app);
  return {
    app,
    db,
    auth: getAuth(app),
    projectId,
    clear: () => clearFirestore(projectId, hosts.firestore),
    close: async () => {
      await db.terminate().catch(() => undefined);
      if (getApps().includes(app)) await deleteApp(app);
    },
  };
}

export async function clearFirestore(projectId: string, host = emulatorHosts().firestore): Promise<void> {
  const res = await fetch(`http://${host}/emulator/v1/projects/${projectId}/databases/(default)/documents`, { method: 'DELETE' });
  if (!res.ok) throw new Error(`clearing the Firestore emulator failed: ${res.status} ${await res.text()}`);
}

export async function clearAuth(projectId: string, host = emulatorHosts().auth): Promise<void> {
  if (!host) throw new Error('No Auth emulator for this test: run it through `npm test`.');
  const res = await fetch(`http://${host}/emulator/v1/projects/${projectId}/accounts`, { method: 'DELETE' });
  if (!res.ok) throw new Error(`clearing the Auth emulator failed: ${res.status} ${await res.text()}`);
}

/**
 * A validated write through a model converter (set on a reference made with `.withConverter`).
 * Generic on purpose: TypeScript expands WithFieldValue<T> of the model's recursive JSON type too
 * deeply when an object literal meets `set` directly (see functions/src/core/firestore.ts).
 */
export async function put<T extends DocumentData>(ref: DocumentReference<T>, data: T): Promise<void> {
  await ref.set(data);
}
