/** `setCommunityBan`: staff ban a member from writing in the community, or lift the ban (see guard.ts for where a ban lives). */
import { HttpsError } from 'firebase-functions/v2/https';
import { Timestamp } from 'firebase-admin/firestore';
import type { setCommunityBan as setCommunityBanContract } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { mergeDoc } from '../core/firestore.js';
import type { CommunityDeps } from './deps.js';
import { banRef } from './refs.js';

export const setCommunityBan: CallableHandler<typeof setCommunityBanContract, CommunityDeps> = async (input, caller, deps) => {
  if (input.uid === caller.uid) throw new HttpsError('invalid-argument', 'uid: you cannot ban yourself');
  const ref = banRef(deps.db, input.uid);
  if (!input.banned) {
    await ref.delete();
    return { uid: input.uid, banned: false };
  }
  if (!(await deps.accounts.get(input.uid))) throw new HttpsError('not-found', 'no such user');
  await mergeDoc(ref, { user_id: input.uid, reason: input.reason ?? null, banned_by: caller.uid, banned_at: Timestamp.fromDate(deps.now()) });
  return { uid: input.uid, banned: true };
};
