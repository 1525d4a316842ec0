/**
 * `nudgeClient`: a coach's nudge to one of their clients — an inbox item (`coach_nudge`), which the
 * push trigger sends to the client's devices. Only to the coach's own client (shared/coach-clients.ts:
 * assigned, or an upcoming session the client booked with them); at most three a day per coach and
 * client, counted before anything is written, so nobody can use a coach's account to flood a member.
 */
import { randomUUID } from 'node:crypto';
import { HttpsError } from 'firebase-functions/v2/https';
import { Timestamp } from 'firebase-admin/firestore';
import { users, type nudgeClient as contract } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import type { Deps } from '../core/deps.js';
import { runTx } from '../core/firestore.js';
import { consume, type Limit } from '../core/rate-limit.js';
import { isClientOf } from '../shared/coach-clients.js';
import { notifyInbox } from '../shared/outbox.js';

export const NUDGES_PER_CLIENT: Limit = { max: 3, per_seconds: 86_400 };

export const nudgeClient: CallableHandler<typeof contract, Deps> = async (input, coach, deps) => {
  const db = deps.db;
  const now = deps.now();
  if (!(await isClientOf(db, coach.uid, input.client_uid, now))) throw new HttpsError('permission-denied', 'you can nudge only your own clients');
  await consume(db, 'nudgeClient', 'uid', `${coach.uid}\u0000${input.client_uid}`, NUDGES_PER_CLIENT, now);
  const who = (
    await db
      .doc(users.docPath({ uid: coach.uid }))
      .withConverter(users.converter)
      .get()
  ).data();
  const itemId = `nudge-${randomUUID()}`;
  await runTx(db, (tx) => {
    notifyInbox(
      tx,
      db,
      input.client_uid,
      itemId,
      {
        type: 'coach_nudge',
        title: who?.name ? `A note from ${who.name}` : 'A note from your coach',
        message: input.message,
        action_url: input.action_url ?? null,
        metadata: { coach_uid: coach.uid },
        expires_at: Timestamp.fromMillis(now.getTime() + 30 * 86_400_000),
      },
      Timestamp.fromDate(now),
    );
    return Promise.resolve();
  });
  return { item_id: itemId };
};
