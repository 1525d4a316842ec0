import { getDoc, serverTimestamp, type Firestore } from 'firebase/firestore';
import { appLang, ianaTimeZone, users, userWrite, type SchemaInput, type UserDoc } from '@zhengrowth/model';
import { modelDoc, updateModelDoc } from './refs.js';

/**
 * What an owner may change of their profile: the rules allow these fields and no others, each to the
 * model's client-write standard (userWrite: bounded text, metadata in its fixed form).
 */
export const profileChanges = userWrite
  .pick({ name: true, avatar_url: true, metadata: true })
  .extend({ lang: appLang, timezone: ianaTimeZone })
  .partial()
  .strict();
export type ProfileChanges = SchemaInput<typeof profileChanges>;

/** The signed-in user's profile (`users/{uid}`); null before sign-up has made it (call ensureProfile). */
export async function getMyProfile(db: Firestore, uid: string): Promise<UserDoc | null> {
  const snap = await getDoc(modelDoc(db, users, { uid }));
  return snap.exists() ? snap.data() : null;
}

/** Changes the signed-in user's own profile fields; `updated_at` is the server's time. */
export async function updateMyProfile(db: Firestore, uid: string, changes: ProfileChanges): Promise<void> {
  const checked = profileChanges.parse(changes);
  await updateModelDoc(modelDoc(db, users, { uid }), { ...checked, updated_at: serverTimestamp() });
}
