/**
 * The community as the web app drives it, through the typed client and the web SDK against the
 * emulators: a post, a comment, likes, a report and its moderation. Moderation hides the thread with
 * the post (its comments are read by the post's author and the staff only), and members cannot
 * moderate or ban.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasLiked, listComments, reportContent } from '@zhengrowth/client';
import type { TestFirebase } from '@zhengrowth/devstack/testing';
import { adminOfWebProject, eventually, refusal, signUp, webSessions } from './support/web.js';

let admin: TestFirebase;
const web = webSessions();
beforeAll(() => {
  admin = adminOfWebProject();
});
afterAll(async () => {
  await web.closeAll();
  await admin?.close();
});

describe('community through the client', () => {
  it('comment, like, report and hide: the hidden thread is read by its author and the staff only; members neither moderate nor ban', async () => {
    const [author, member, coach] = [web.open(), web.open(), web.open()];
    const authorUser = await signUp(author, admin, { roles: ['client'] });
    const memberUser = await signUp(member, admin, { roles: ['client'] });
    await signUp(coach, admin, { roles: ['coach'] });

    const { post_id: postId } = await author.api.createPost({ title: 'Week two', content: 'Kept every morning routine' });
    const { comment_id: commentId } = await member.api.addComment({ post_id: postId, content: 'Well done!' });
    const { comment_id: replyId } = await author.api.addComment({ post_id: postId, content: 'Thank you', parent_id: commentId });
    expect((await listComments(member.db, postId)).docs.map((d) => d.id).sort()).toEqual([commentId, replyId].sort());

    expect(await member.api.toggleLike({ post_id: postId, liked: true })).toEqual({ liked: true, changed: true });
    expect(await member.api.toggleLike({ post_id: postId, liked: true })).toEqual({ liked: true, changed: false });
    expect(await member.api.toggleLike({ post_id: postId, comment_id: replyId, liked: true })).toEqual({ liked: true, changed: true });
    expect(await hasLiked(member.db, memberUser.uid, postId)).toBe(true);
    expect(await hasLiked(member.db, memberUser.uid, postId, replyId)).toBe(true);
    // likes_count follows the like documents (a trigger).
    await eventually(async () => (await admin.db.doc(`community_posts/${postId}`).get()).get('likes_count') === 1, 'the like counted');

    const reportId = await reportContent(member.db, memberUser.uid, { content_type: 'post', content_id: postId, reason: 'off-topic' });
    // A member cannot moderate, nor ban anyone.
    expect((await refusal(member.api.moderateReport({ report_id: reportId, action: 'hide' }))).code).toBe('permission-denied');
    expect((await refusal(member.api.setCommunityBan({ uid: authorUser.uid, banned: true }))).code).toBe('permission-denied');

    const done = await coach.api.moderateReport({ report_id: reportId, action: 'hide', note: 'off-topic' });
    expect(done).toMatchObject({ report_id: reportId, action: 'hide', content_type: 'post', content_id: postId, closed_report_ids: [reportId] });

    // The thread is hidden with the post: the member can read neither its comments (even their own) nor comment.
    await expect(listComments(member.db, postId)).rejects.toMatchObject({ code: 'permission-denied' });
    expect((await refusal(member.api.addComment({ post_id: postId, content: 'Still here?' }))).code).toBe('not-found');
    // The post's author and the staff still read it.
    expect((await listComments(author.db, postId)).docs).toHaveLength(2);
    expect((await listComments(coach.db, postId)).docs).toHaveLength(2);

    // A ban from the staff stops the member's comments elsewhere too.
    const { post_id: open } = await coach.api.createPost({ title: 'Open thread', content: 'Say hello' });
    expect(await coach.api.setCommunityBan({ uid: memberUser.uid, banned: true, reason: 'spam' })).toEqual({ uid: memberUser.uid, banned: true });
    expect((await refusal(member.api.addComment({ post_id: open, content: 'hello' }))).code).toBe('permission-denied');
    await coach.api.setCommunityBan({ uid: memberUser.uid, banned: false });
    expect((await member.api.addComment({ post_id: open, content: 'hello again' })).comment_id).toBeTruthy();
  });
});
