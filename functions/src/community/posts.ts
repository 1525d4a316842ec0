/**
 * New posts and comments: members write them through these callables (the rules refuse a member's
 * own create), so that each one passes the posting limits, the size limits of the contract, and
 * the ban and disabled checks. Counters start at 0; the comment trigger moves comments_count and
 * sends reply notices (comment-events.ts).
 */
import { HttpsError } from 'firebase-functions/v2/https';
import { Timestamp } from 'firebase-admin/firestore';
import { communityComments, communityPosts, type addComment as addCommentContract, type createPost as createPostContract } from '@zhengrowth/model';
import { isStaff } from '../core/access.js';
import type { CallableHandler } from '../core/callable.js';
import { txCreate, runTx } from '../core/firestore.js';
import type { RateLimitPolicy } from '../core/rate-limit.js';
import { recordDomainEvent } from '../shared/domain-events.js';
import type { CommunityDeps } from './deps.js';
import { assertAccountActive, assertNotBanned } from './guard.js';
import { commentRef, isVisible, postRef } from './refs.js';

/** Per user; the RATE_LIMITS parameter overrides them by callable name. */
export const POST_LIMITS: RateLimitPolicy = { uid: { max: 5, per_seconds: 600 } };
export const COMMENT_LIMITS: RateLimitPolicy = { uid: { max: 30, per_seconds: 600 } };

export const createPost: CallableHandler<typeof createPostContract, CommunityDeps> = async (input, me, deps) => {
  await assertAccountActive(deps, me);
  const ref = deps.db.collection(communityPosts.collectionPath({})).doc().withConverter(communityPosts.converter);
  const now = Timestamp.fromDate(deps.now());
  await runTx(deps.db, async (tx) => {
    await assertNotBanned(tx, deps.db, me.uid);
    txCreate(tx, ref, {
      author_id: me.uid,
      title: input.title,
      content: input.content,
      tags: input.tags,
      likes_count: 0,
      comments_count: 0,
      published: input.published,
      pinned: false,
      metadata: null,
      created_at: now,
      updated_at: now,
    });
    // Badges count posts from this event (exactly once: its id is the post's).
    recordDomainEvent(tx, deps.db, { type: 'post_created', userId: me.uid, subjectId: ref.id }, now);
  });
  return { post_id: ref.id };
};

export const addComment: CallableHandler<typeof addCommentContract, CommunityDeps> = async (input, me, deps) => {
  await assertAccountActive(deps, me);
  const db = deps.db;
  const ref = db
    .collection(communityComments.collectionPath({ postId: input.post_id }))
    .doc()
    .withConverter(communityComments.converter);
  const now = Timestamp.fromDate(deps.now());
  await runTx(db, async (tx) => {
    const post = (await tx.get(postRef(db, input.post_id))).data();
    // A draft or hidden post takes comments from its author and the staff only, as they alone see it.
    const staff = isStaff(me);
    if (!post || (!isVisible(post) && post.author_id !== me.uid && !staff)) throw new HttpsError('not-found', 'no such post');
    if (input.parent_id) {
      // The parent is looked up under this post: a comment of another post is simply not there.
      const parent = (await tx.get(commentRef(db, input.post_id, input.parent_id))).data();
      if (!parent) throw new HttpsError('invalid-argument', 'parent_id: no such comment on this post');
      if (parent.hidden === true) throw new HttpsError('failed-precondition', 'parent_id: that comment was hidden by a moderator');
    }
    await assertNotBanned(tx, db, me.uid);
    txCreate(tx, ref, {
      post_id: input.post_id,
      author_id: me.uid,
      content: input.content,
      parent_id: input.parent_id ?? null,
      likes_count: 0,
      created_at: now,
      updated_at: now,
    });
  });
  return { comment_id: ref.id };
};
