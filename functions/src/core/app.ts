import { getApps, initializeApp } from 'firebase-admin/app';
import { getAuth, type Auth } from 'firebase-admin/auth';
import { getFirestore, type Firestore } from 'firebase-admin/firestore';
import { getStorage } from 'firebase-admin/storage';

/** The default Admin SDK app, created on first use (not at import: keeps cold starts and tests cheap). */
function app() {
  return getApps()[0] ?? initializeApp();
}

export function db(): Firestore {
  return getFirestore(app());
}

export function auth(): Auth {
  return getAuth(app());
}

/** The Admin SDK's Cloud Storage bucket (@google-cloud/storage, as firebase-admin loads it). */
export type StorageBucket = ReturnType<ReturnType<typeof getStorage>['bucket']>;

/** A Cloud Storage bucket through the Admin SDK's client (STORAGE_EMULATOR_HOST points it at a stand-in). */
export function bucket(name: string): StorageBucket {
  return getStorage(app()).bucket(name);
}

/** The project the functions run in (set by the Cloud Functions runtime and the emulator). */
export function projectId(): string {
  const id = app().options.projectId ?? process.env.GCLOUD_PROJECT;
  if (!id) throw new Error('no project id: GCLOUD_PROJECT is not set');
  return id;
}
