/**
 * Community against the Firestore and Auth emulators: likes and their counters under concurrency and
 * duplicate deliveries,
 * comments_count under duplicate and out-of-order trigger deliveries, reply threading and notices,
 * posting limits, size limits, bans and disabled accounts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addComment as addCommentContract,
  communityComments,
  createPost as createPostContract,
  inbox,
  toggleLike as toggleLikeContract,
} from '@zhengrowth/model';
import { setCommunityBan as setCommunityBanContract } from '@zhengrowth/model';
import { setCommunityBan } from '../src/community/bans.js';
import { onCommentWritten, REPLY_NOTICE_LIMIT } from '../src/community/comment-events.js';
import { onLikeWritten, type LikeWrite } from '../src/community/counters.js';
import { toggleLike } from '../src/community/likes.js';
import { addComment, COMMENT_LIMITS, createPost, POST_LIMITS } from '../src/community/posts.js';
import { commentRef, postRef } from '../src/community/refs.js';
import { call, growthWorld, member, members, refusal, seedPost, uniq, type Auth, type GrowthWorld } from './support/growth.js';

let w: GrowthWorld;
beforeAll(() => {
  w = growthWorld('community');
});
afterAll(async () => {
  await w?.close();
});

const like = (who: Auth, data: { post_id: string; comment_id?: string; liked: boolean }) => call(toggleLikeContract, toggleLike, w.deps, who, data);
const post = (who: Auth, data: Record<string, unknown>, guard = {}) => call(createPostContract, createPost, w.deps, who, data, { guard });
const comment = (who: Auth, data: Record<string, unknown>, guard = {}) => call(addCommentContract, addComment, w.deps, who, data, { guard });

async function counters(postId: string) {
  const p = (await postRef(w.db, postId).get()).data();
  const likeDocs = await w.db.collection(`community_posts/${postId}/likes`).get();
  return { likes_count: p?.likes_count, like_docs: likeDocs.size, comments_count: p?.comments_count };
}

async function inboxOf(uid: string) {
  return (await w.db.collection(inbox.collectionPath({ uid })).withConverter(inbox.converter).get()).docs.map((d) => ({ id: d.id, ...d.data() }));
}

/**
 * What Firestore delivers for the like documents the callables wrote: one event per change, at
 * least once (here: every event twice, shuffled, concurrently), and again after a failure, as the
 * platform retries a trigger declared with `retry: true`.
 */
async function deliverAtLeastOnce(events: LikeWrite[]): Promise<void> {
  const deliveries = [...events, ...events].sort(() => Math.random() - 0.5);
  await Promise.all(
    deliveries.map(async (e) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await onLikeWritten(w.deps, e);
        } catch (err) {
          if (attempt >= 10) throw err;
        }
      }
    }),
  );
}

describe('likes', () => {
  it('100 members liking and unliking at once: likes_count ends equal to the like documents', { timeout: 300_000 }, async () => {
    const author = await member(w);
    const postId = await seedPost(w.db, author.uid);
    const everyone = await members(w, 100);
    const events: LikeWrite[] = [];
    const changed = (m: Auth, res: { liked: boolean; changed: boolean }) => {
      if (res.changed) events.push({ eventId: uniq('ev'), postId, existedBefore: !res.liked, existsAfter: res.liked });
    };
    // Every member likes (twice at once: one like each by construction); then the odd ones unlike
    // while the even ones like again — all members in parallel.
    await Promise.all(
      everyone.map(async (m, i) => {
        for (const res of await Promise.all([like(m, { post_id: postId, liked: true }), like(m, { post_id: postId, liked: true })])) changed(m, res);
        changed(m, await like(m, { post_id: postId, liked: i % 2 === 0 }));
      }),
    );
    expect(events.filter((e) => e.existsAfter)).toHaveLength(100);
    await deliverAtLeastOnce(events);
    expect(await counters(postId)).toEqual({ likes_count: 50, like_docs: 50, comments_count: 0 });
  });

  it('answers whether anything changed; a comment has its own likes; a hidden comment or missing post cannot be liked', async () => {
    const author = await member(w);
    const fan = await member(w);
    const postId = await seedPost(w.db, author.uid);
    expect(await like(fan, { post_id: postId, liked: true })).toEqual({ liked: true, changed: true });
    expect(await like(fan, { post_id: postId, liked: true })).toEqual({ liked: true, changed: false });
    const { comment_id } = await comment(author, { post_id: postId, content: 'First!' });
    expect(await like(fan, { post_id: postId, comment_id, liked: true })).toEqual({ liked: true, changed: true });
    expect((await w.db.doc(`community_posts/${postId}/comments/${comment_id}/likes/${fan.uid}`).get()).exists).toBe(true);
    await deliverAtLeastOnce([{ eventId: uniq('ev'), postId, commentId: comment_id, existedBefore: false, existsAfter: true }]);
    expect((await commentRef(w.db, postId, comment_id).get()).data()?.likes_count).toBe(1);
    expect((await postRef(w.db, postId).get()).data()?.likes_count).toBe(0);
    await commentRef(w.db, postId, comment_id).update({ hidden: true, content: '' });
    expect(await refusal(like(fan, { post_id: postId, comment_id, liked: false }))).toBe('not-found');
    expect(await refusal(like(fan, { post_id: 'no-such-post', liked: true }))).toBe('not-found');
    const draft = await seedPost(w.db, author.uid, { published: false });
    expect(await refusal(like(fan, { post_id: draft, liked: true }))).toBe('not-found');
    expect(await refusal(call(toggleLikeContract, toggleLike, w.deps, null, { post_id: postId, liked: true }))).toBe('unauthenticated');
    // A like of a post deleted meanwhile moves no counter (and does not fail the delivery).
    await onLikeWritten(w.deps, { eventId: uniq('ev'), postId: 'deleted-post', existedBefore: false, existsAfter: true });
    expect((await postRef(w.db, 'deleted-post').get()).exists).toBe(false);
  });
});

describe('comments_count follows the trigger deliveries exactly once', () => {
  const doc = (postId: string, authorId: string, extra: Record<string, unknown> = {}) => ({
    post_id: postId,
    author_id: authorId,
    content: 'x',
    parent_id: null,
    likes_count: 0,
    created_at: null,
    updated_at: null,
    ...extra,
  });

  it('a delivery twice counts once; a delete delivered before its create still ends right; hiding uncounts', async () => {
    const author = await member(w);
    const postId = await seedPost(w.db, author.uid);
    const c1 = doc(postId, author.uid);
    const created = { eventId: uniq('ev'), postId, commentId: 'c1', before: undefined, after: c1 };
    await onCommentWritten(w.deps, created);
    await onCommentWritten(w.deps, created);
    await Promise.all([onCommentWritten(w.deps, created), onCommentWritten(w.deps, created)]);
    expect((await counters(postId)).comments_count).toBe(1);
    // c2 created then deleted, the deletion delivered first, then the creation twice.
    const c2 = doc(postId, author.uid);
    await onCommentWritten(w.deps, { eventId: 'del-c2', postId, commentId: 'c2', before: c2, after: undefined });
    await onCommentWritten(w.deps, { eventId: 'new-c2', postId, commentId: 'c2', before: undefined, after: c2 });
    await onCommentWritten(w.deps, { eventId: 'new-c2', postId, commentId: 'c2', before: undefined, after: c2 });
    expect((await counters(postId)).comments_count).toBe(1);
    // A moderator hides c1: it no longer counts; an edit of its text does not move the count.
    await onCommentWritten(w.deps, { eventId: uniq('ev'), postId, commentId: 'c1', before: c1, after: { ...c1, hidden: true, content: '' } });
    await onCommentWritten(w.deps, { eventId: uniq('ev'), postId, commentId: 'c3', before: c1, after: { ...c1, content: 'edited' } });
    expect((await counters(postId)).comments_count).toBe(0);
  });

  it('a comment of a deleted post moves no counter and does not fail', async () => {
    await onCommentWritten(w.deps, { eventId: uniq('ev'), postId: 'gone', commentId: 'c', before: undefined, after: doc('gone', 'someone') });
    expect((await postRef(w.db, 'gone').get()).exists).toBe(false);
  });
});

describe('posts, comments and replies', () => {
  /** What the trigger would be delivered for a comment the callable wrote. */
  async function deliverCreate(postId: string, commentId: string): Promise<void> {
    const after = (await commentRef(w.db, postId, commentId).get()).data();
    await onCommentWritten(w.deps, { eventId: `create-${commentId}`, postId, commentId, before: undefined, after });
  }

  it('a post is stamped by the server with counters at 0; a reply to a comment of another post is refused', async () => {
    const me = await member(w);
    const { post_id } = await post(me, { title: '  Hello  ', content: 'My story', tags: ['intro'] });
    expect((await postRef(w.db, post_id).get()).data()).toMatchObject({
      author_id: me.uid,
      title: 'Hello',
      likes_count: 0,
      comments_count: 0,
      published: true,
      pinned: false,
    });
    const other = await seedPost(w.db, me.uid);
    const { comment_id: onOther } = await comment(me, { post_id: other, content: 'elsewhere' });
    expect(await refusal(comment(me, { post_id, content: 'reply', parent_id: onOther }))).toBe('invalid-argument');
    expect(await refusal(comment(me, { post_id: 'nope', content: 'hi' }))).toBe('not-found');
    const { comment_id } = await comment(me, { post_id: other, content: 'a reply', parent_id: onOther });
    expect((await commentRef(w.db, other, comment_id).get()).data()?.parent_id).toBe(onOther);
  });

  it('the post’s author and a parent comment’s author are told, not for their own replies, at most once per thread per hour', async () => {
    const author = await member(w);
    const alice = await member(w);
    const bob = await member(w);
    const postId = await seedPost(w.db, author.uid);
    const t0 = new Date('2026-12-01T09:00:00Z');
    w.clock.set(t0);
    const a1 = (await comment(alice, { post_id: postId, content: 'Great post' })).comment_id;
    await deliverCreate(postId, a1);
    await deliverCreate(postId, a1); // redelivered: still one notice
    const b1 = (await comment(bob, { post_id: postId, content: 'Agreed' })).comment_id;
    await deliverCreate(postId, b1); // same thread (the post), same hour: no second notice
    const own = (await comment(author, { post_id: postId, content: 'Thanks all' })).comment_id;
    await deliverCreate(postId, own); // the author's own comment: no notice
    const reply = (await comment(bob, { post_id: postId, content: 'Replying to Alice', parent_id: a1 })).comment_id;
    await deliverCreate(postId, reply); // Alice's thread: Alice is told
    const selfReply = (await comment(alice, { post_id: postId, content: 'And me again', parent_id: a1 })).comment_id;
    await deliverCreate(postId, selfReply); // her own reply: nothing
    w.clock.advance(REPLY_NOTICE_LIMIT.per_seconds * 1000 + 1000);
    const b2 = (await comment(bob, { post_id: postId, content: 'An hour later' })).comment_id;
    await deliverCreate(postId, b2);
    const toAuthor = await inboxOf(author.uid);
    expect(toAuthor.map((n) => n.id).sort()).toEqual([`reply-${postId}-${a1}`, `reply-${postId}-${b2}`].sort());
    expect(toAuthor.every((n) => n.type === 'community_reply' && n.read === false)).toBe(true);
    expect((await inboxOf(alice.uid)).map((n) => n.id)).toEqual([`reply-${postId}-${reply}`]);
    expect(await inboxOf(bob.uid)).toEqual([]);
    expect((await counters(postId)).comments_count).toBe(6);
    w.clock.set(new Date());
  });

  it('posting limits per user (the shared limiter) and size limits', async () => {
    const me = await member(w);
    for (let i = 0; i < 5; i++) await post(me, { title: `Post ${i}`, content: 'x' }, { rateLimit: POST_LIMITS });
    expect(await refusal(post(me, { title: 'One too many', content: 'x' }, { rateLimit: POST_LIMITS }))).toBe('resource-exhausted');
    const other = await member(w);
    await post(other, { title: 'Someone else', content: 'x' }, { rateLimit: POST_LIMITS });
    expect(await refusal(post(other, { title: 'Big', content: 'x'.repeat(10_001) }))).toBe('invalid-argument');
    expect(await refusal(post(other, { title: 't'.repeat(201), content: 'x' }))).toBe('invalid-argument');
    expect(await refusal(post(other, { title: 'Tags', content: 'x', tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }))).toBe('invalid-argument');
    const postId = await seedPost(w.db, other.uid);
    expect(await refusal(comment(other, { post_id: postId, content: 'y'.repeat(5001) }))).toBe('invalid-argument');
    expect(COMMENT_LIMITS.uid?.max).toBeGreaterThan(POST_LIMITS.uid?.max ?? 0);
  });

  it('a banned member cannot post or comment until the ban is lifted; a disabled account cannot post', async () => {
    const coach = await member(w, ['coach']);
    const me = await member(w);
    const postId = await seedPost(w.db, coach.uid);
    const ban = (banned: boolean) => call(setCommunityBanContract, setCommunityBan, w.deps, coach, { uid: me.uid, banned, reason: 'spam' });
    expect(await refusal(call(setCommunityBanContract, setCommunityBan, w.deps, me, { uid: coach.uid, banned: true }))).toBe('permission-denied');
    expect(await ban(true)).toEqual({ uid: me.uid, banned: true });
    expect(await refusal(post(me, { title: 'Still here', content: 'x' }))).toBe('permission-denied');
    expect(await refusal(comment(me, { post_id: postId, content: 'x' }))).toBe('permission-denied');
    await ban(false);
    await post(me, { title: 'Back', content: 'x' });
    await w.fb.auth.updateUser(me.uid, { disabled: true });
    expect(await refusal(post(me, { title: 'Disabled', content: 'x' }))).toBe('permission-denied');
    expect(await refusal(comment(me, { post_id: postId, content: 'x' }))).toBe('permission-denied');
    const comments = await w.db.collection(communityComments.collectionPath({ postId })).get();
    expect(comments.size).toBe(0);
  });
});
