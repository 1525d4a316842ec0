/** assignCoach (admins): a client's coach, for their new Cal.com sessions; null clears it. */
import { Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import type { assignCoach as contract } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { txSet, runTx } from '../core/firestore.js';
import { recordAudit } from './audit.js';
import type { AccountDeps } from './deps.js';
import { userRef } from './profile.js';

export const assignCoachHandler: CallableHandler<typeof contract, AccountDeps> = async (input, admin, deps) => {
  if (input.coach_uid === input.client_uid) throw new HttpsError('invalid-argument', 'coach_uid: a user cannot be their own coach');
  const now = Timestamp.fromDate(deps.now());
  const clientRef = userRef(deps.db, input.client_uid);
  return runTx(deps.db, async (tx) => {
    const client = (await tx.get(clientRef)).data();
    if (!client) throw new HttpsError('not-found', `no user ${input.client_uid}`);
    if (input.coach_uid !== null) {
      const coach = (await tx.get(userRef(deps.db, input.coach_uid))).data();
      if (!coach) throw new HttpsError('not-found', `no user ${input.coach_uid}`);
      if (!coach.roles.includes('coach')) throw new HttpsError('failed-precondition', `${input.coach_uid} is not a coach`);
    }
    const before = client.coach_id ?? null;
    if (before === input.coach_uid) return { client_uid: input.client_uid, coach_id: before, changed: false };
    txSet(tx, clientRef, { ...client, coach_id: input.coach_uid, updated_at: now });
    recordAudit(tx, deps.db, { action: 'assign_coach', actor: admin.uid, subject: input.client_uid, before, after: input.coach_uid }, now);
    return { client_uid: input.client_uid, coach_id: input.coach_uid, changed: true };
  });
};
