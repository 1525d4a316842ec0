/**
 * Likes: one document per user under the post or comment (`likes/{uid}`), so one like per user by
 * construction; `toggleLike` creates or deletes it in a transaction that reads only that document,
 * so members liking one post at once never contend with each other. The likes_count of the post
 * or comment follows the like documents through the like triggers (counters.ts): exactly once per
 * delivery, in any order, so the count ends equal to the number of like documents.
 */
import { HttpsError } from 'firebase-functions/v2/https';
import { Timestamp } from 'firebase-admin/firestore';
import type { toggleLike as toggleLikeContract } from '@zhengrowth/model';
import { isStaff } from '../core/access.js';
import type { CallableHandler } from '../core/callable.js';
import { txCreate, runTx } from '../core/firestore.js';
import type { CommunityDeps } from './deps.js';
import { commentRef, isVisible, likeRef, postRef } from './refs.js';

export const toggleLike: CallableHandler<typeof toggleLikeContract, CommunityDeps> = async (input, caller, deps) => {
  const db = deps.db;
  const post = (await postRef(db, input.post_id).get()).data();
  const staff = isStaff(caller);
  if (!post || (!isVisible(post) && post.author_id !== caller.uid && !staff)) throw new HttpsError('not-found', 'no such post');
  if (input.comment_id) {
    const comment = (await commentRef(db, input.post_id, input.comment_id).get()).data();
    if (!comment || comment.hidden === true) throw new HttpsError('not-found', 'no such comment');
  }
  const like = likeRef(db, caller.uid, input.post_id, input.comment_id);
  const now = Timestamp.fromDate(deps.now());
  return runTx(db, async (tx) => {
    const liked = (await tx.get(like)).exists;
    if (liked === input.liked) return { liked, changed: false };
    if (input.liked) txCreate(tx, like, { user_id: caller.uid, created_at: now });
    else tx.delete(like);
    return { liked: input.liked, changed: true };
  });
};
