/**
 * The community's counters (a post's likes_count and comments_count, a comment's likes_count) move
 * only here, from the triggers on the documents they count: by the change in counted documents
 * of one write (+1 created, -1 deleted, 0 edited). Exactly once under at-least-once delivery: the
 * delivery's event id is recorded (core/receipts.ts) in the same transaction as the increment, and
 * a redelivery that finds it does nothing. Increments add up in any order, so the count ends
 * equal to the documents whatever order deliveries come in. A counted document whose post or
 * comment is gone moves nothing.
 */
import { FieldValue, type DocumentReference, type Firestore, type Transaction } from 'firebase-admin/firestore';
import type { Deps } from '../core/deps.js';
import { readReceipt } from '../core/ledger.js';
import { commentRef, postRef } from './refs.js';
import { runTx } from '../core/firestore.js';

export interface CounterMove {
  /** The trigger delivery's event id (the same on every redelivery). */
  eventId: string;
  /** Names the receipt: each trigger counts its own deliveries. */
  handler: string;
  target: DocumentReference;
  field: 'likes_count' | 'comments_count';
  delta: number;
}

/**
 * A hot post (many members at once) makes these transactions contend on one document; they are
 * retried longer than the SDK's default 5 attempts, and a delivery that still fails is retried by
 * the platform (the triggers are declared with `retry: true`).
 */
export const COUNTER_TX = { maxAttempts: 20 };

/**
 * Moves a counter once for a delivery. `more` runs in the same transaction after the receipt was
 * found new: its reads first (`read`), then its writes (`write`), as Firestore requires.
 */
export async function moveCounter<R>(
  deps: Deps,
  m: CounterMove,
  more?: { read(tx: Transaction, db: Firestore): Promise<R>; write(tx: Transaction, db: Firestore, read: R): void },
): Promise<boolean> {
  const db = deps.db;
  const now = deps.now();
  const targetExists = m.delta !== 0 && (await m.target.get()).exists;
  return runTx(
    db,
    async (tx) => {
      const receipt = await readReceipt(tx, db, m.handler, m.eventId, now);
      if (receipt.seen) return false;
      const extra = more ? await more.read(tx, db) : undefined;
      receipt.record();
      if (targetExists) tx.update(m.target, { [m.field]: FieldValue.increment(m.delta) });
      if (more) more.write(tx, db, extra as R);
      return true;
    },
    COUNTER_TX,
  );
}

export interface LikeWrite {
  eventId: string;
  postId: string;
  /** Set for a like of a comment. */
  commentId?: string;
  existedBefore: boolean;
  existsAfter: boolean;
}

/** `onPostLikeWritten` / `onCommentLikeWritten`: the liked post's or comment's likes_count. */
export async function onLikeWritten(deps: Deps, w: LikeWrite): Promise<void> {
  const delta = Number(w.existsAfter) - Number(w.existedBefore);
  if (delta === 0) return;
  const target: DocumentReference = w.commentId
    ? commentRef(deps.db, w.postId, w.commentId).withConverter(null)
    : postRef(deps.db, w.postId).withConverter(null);
  await moveCounter(deps, { eventId: w.eventId, handler: 'like-written', target, field: 'likes_count', delta });
}
