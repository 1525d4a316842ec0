/**
 * firebase-admin for the target project. FIRESTORE_EMULATOR_HOST and FIREBASE_AUTH_EMULATOR_HOST
 * point it at the emulators (no credentials needed); otherwise Application Default Credentials.
 */
import { randomBytes } from 'node:crypto';
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { getAuth, type Auth } from 'firebase-admin/auth';
import { getFirestore, type Firestore } from 'firebase-admin/firestore';
import { openCommitChannel, type CommitChannel } from './commit-channel.js';

export interface Target {
  app: App;
  db: Firestore;
  auth: Auth;
  /** The write pass's gRPC path to the same database (connects on first use). */
  commits: CommitChannel;
  projectId: string;
  /** True when Firestore is the emulator (no write governor by default). */
  emulator: boolean;
  close(): Promise<void>;
}

export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

export function projectIdFrom(explicit: string | undefined, env: Readonly<Record<string, string | undefined>>): string | undefined {
  return explicit ?? env.GCLOUD_PROJECT ?? env.GOOGLE_CLOUD_PROJECT ?? env.FIREBASE_PROJECT_ID;
}

export function openTarget(projectId: string, env: Readonly<Record<string, string | undefined>> = process.env): Target {
  const emulator = Boolean(env.FIRESTORE_EMULATOR_HOST);
  if (!emulator && projectId.startsWith('demo-')) {
    throw new TargetError(
      `project ${projectId} is a demo project, which exists only in the emulators: set FIRESTORE_EMULATOR_HOST (and FIREBASE_AUTH_EMULATOR_HOST)`,
    );
  }
  const app = initializeApp({ projectId }, `zg-migrate-${randomBytes(4).toString('hex')}`);
  const db = getFirestore(app);
  const commits = openCommitChannel({ projectId, emulatorHost: env.FIRESTORE_EMULATOR_HOST, credential: app.options.credential });
  return {
    app,
    db,
    auth: getAuth(app),
    commits,
    projectId,
    emulator,
    close: async () => {
      commits.close();
      await db.terminate().catch(() => undefined);
      await deleteApp(app).catch(() => undefined);
    },
  };
}
