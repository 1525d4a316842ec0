/**
 * Likes: one document per user under the post or comment (`likes/{uid}`), so one like per user by
 * construction, and the target's likes_count moved in the same transaction as that document: the
 * count always equals the number of like documents, whatever the concurrency. The transaction reads
 * only the caller's like document and moves the counter with an increment (a blind write), so
 * a hundred members liking one post at once do not contend on the post.
 */
import { HttpsError } from 'firebase-functions/v2/https';
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import type { toggleLike as toggleLikeContract } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { hasRole } from '../core/context.js';
import { txCreate } from '../core/firestore.js';
import type { CommunityDeps } from './deps.js';
import { commentRef, isVisible, likeRef, postRef } from './refs.js';

/** gRPC NOT_FOUND: the update of a counter whose post or comment was deleted meanwhile. */
const NOT_FOUND = 5;

export const toggleLike: CallableHandler<typeof toggleLikeContract, CommunityDeps> = async (input, caller, deps) => {
  if (!caller) throw new HttpsError('unauthenticated', 'sign in to like posts');
  const db = deps.db;
  // Visibility is checked before the transaction (it changes rarely; a post deleted in between
  // makes the counter update fail below, which is reported as not-found).
  const post = (await postRef(db, input.post_id).get()).data();
  const staff = hasRole(caller, 'coach') || hasRole(caller, 'admin');
  if (!post || (!isVisible(post) && post.author_id !== caller.uid && !staff)) throw new HttpsError('not-found', 'no such post');
  if (input.comment_id) {
    const comment = (await commentRef(db, input.post_id, input.comment_id).get()).data();
    if (!comment || comment.hidden === true) throw new HttpsError('not-found', 'no such comment');
  }
  // Counters are updated without the converter: an increment is no document of the model.
  const target = (input.comment_id ? commentRef(db, input.post_id, input.comment_id) : postRef(db, input.post_id)).withConverter(null);
  const like = likeRef(db, caller.uid, input.post_id, input.comment_id);
  const now = Timestamp.fromDate(deps.now());
  try {
    return await db.runTransaction(async (tx) => {
      const liked = (await tx.get(like)).exists;
      if (liked === input.liked) return { liked, changed: false };
      if (input.liked) txCreate(tx, like, { user_id: caller.uid, created_at: now });
      else tx.delete(like);
      tx.update(target, { likes_count: FieldValue.increment(input.liked ? 1 : -1) });
      return { liked: input.liked, changed: true };
    });
  } catch (err) {
    if ((err as { code?: unknown }).code === NOT_FOUND) throw new HttpsError('not-found', 'that post or comment was just deleted');
    throw err;
  }
};
