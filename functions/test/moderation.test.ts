/**
 * moderateReport against the Firestore emulator: each action's effect on the content, every open
 * report on the same content closed with it, the author's notice, and atomicity: a crash between
 * the content change and the closing of the reports leaves neither.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityModeration, communityReports, inbox, moderateReport as moderateReportContract } from '@zhengrowth/model';
import { addComment as addCommentContract } from '@zhengrowth/model';
import type { CommunityDeps } from '../src/community/deps.js';
import { moderateReport } from '../src/community/moderation.js';
import { addComment } from '../src/community/posts.js';
import { commentRef, postRef } from '../src/community/refs.js';
import { call, growthWorld, member, refusal, seedPost, seedReport, type Auth, type GrowthWorld } from './support/growth.js';

let w: GrowthWorld;
let coach: Auth;
let author: Auth;
let reporter: Auth;
beforeAll(async () => {
  w = growthWorld('moderation');
  [coach, author, reporter] = await Promise.all([member(w, ['coach']), member(w), member(w)]);
});
afterAll(async () => {
  await w?.close();
});

const moderate = (who: Auth, data: Record<string, unknown>, deps: CommunityDeps = w.deps) => call(moderateReportContract, moderateReport, deps, who, data);

async function report(id: string) {
  return (
    await w.db
      .doc(communityReports.docPath({ reportId: id }))
      .withConverter(communityReports.converter)
      .get()
  ).data();
}

async function notices(uid: string) {
  return (await w.db.collection(inbox.collectionPath({ uid })).withConverter(inbox.converter).get()).docs.map((d) => ({ id: d.id, ...d.data() }));
}

describe('moderateReport', () => {
  it('hide: the post is hidden and unpublished, a copy kept, every open report on it closed, the author told', async () => {
    const postId = await seedPost(w.db, author.uid, { title: 'Buy my pills' });
    const [r1, r2] = [
      await seedReport(w.db, reporter.uid, { content_type: 'post', content_id: postId }),
      await seedReport(w.db, coach.uid, { content_type: 'post', content_id: postId }),
    ];
    const unrelated = await seedReport(w.db, reporter.uid, { content_type: 'post', content_id: await seedPost(w.db, author.uid) });
    const res = await moderate(coach, { report_id: r1, action: 'hide', note: 'spam links' });
    expect(res).toEqual({ report_id: r1, action: 'hide', content_type: 'post', content_id: postId, closed_report_ids: [r1, r2].sort() });
    expect((await postRef(w.db, postId).get()).data()).toMatchObject({ hidden: true, published: false, title: 'Buy my pills' });
    for (const id of [r1, r2]) expect(await report(id)).toMatchObject({ status: 'actioned', action_taken: 'hidden', reviewed_by: coach.uid });
    expect((await report(r1))?.reviewed_at).not.toBeNull();
    expect(await report(unrelated)).toMatchObject({ status: 'pending', reviewed_by: null });
    const kept = (
      await w.db
        .doc(communityModeration.docPath({ recordId: `post:${postId}` }))
        .withConverter(communityModeration.converter)
        .get()
    ).data();
    expect(kept).toMatchObject({ action: 'hide', author_id: author.uid, title: 'Buy my pills', note: 'spam links', moderated_by: coach.uid });
    expect((await notices(author.uid)).find((n) => n.id === `moderation-${r1}`)).toMatchObject({
      type: 'community_moderation',
      title: 'Your content was hidden',
    });
    // Decided once: the closed report is not decided again.
    expect(await refusal(moderate(coach, { report_id: r2, action: 'delete' }))).toBe('failed-precondition');
  });

  it('a crash between hiding and closing leaves neither half (one transaction)', async () => {
    const postId = await seedPost(w.db, author.uid);
    const r = await seedReport(w.db, reporter.uid, { content_type: 'post', content_id: postId });
    const crashing: CommunityDeps = {
      ...w.deps,
      fault: (point) => {
        if (point === 'moderation:after-content') throw new Error('crash');
      },
    };
    expect(await refusal(moderate(coach, { report_id: r, action: 'hide' }, crashing))).toBe('internal');
    expect((await postRef(w.db, postId).get()).data()).toMatchObject({ published: true });
    expect((await postRef(w.db, postId).get()).data()?.hidden).toBeUndefined();
    expect(await report(r)).toMatchObject({ status: 'pending', reviewed_by: null, action_taken: null });
    expect((await w.db.doc(communityModeration.docPath({ recordId: `post:${postId}` })).get()).exists).toBe(false);
    expect((await notices(author.uid)).some((n) => n.id === `moderation-${r}`)).toBe(false);
    // The same decision afterwards goes through whole.
    await moderate(coach, { report_id: r, action: 'hide' });
    expect(await report(r)).toMatchObject({ status: 'actioned' });
  });

  it('a comment: hide empties its text (kept for the author and staff), delete removes it; the post is found through post_id', async () => {
    const postId = await seedPost(w.db, coach.uid);
    const add = (content: string) => call(addCommentContract, addComment, w.deps, author, { post_id: postId, content });
    const { comment_id: hideMe } = await add('rude words');
    const { comment_id: deleteMe } = await add('more rude words');
    const rh = await seedReport(w.db, reporter.uid, { content_type: 'comment', content_id: hideMe, post_id: postId });
    await moderate(coach, { report_id: rh, action: 'hide' });
    expect((await commentRef(w.db, postId, hideMe).get()).data()).toMatchObject({ hidden: true, content: '', author_id: author.uid });
    const kept = (
      await w.db
        .doc(communityModeration.docPath({ recordId: `comment:${hideMe}` }))
        .withConverter(communityModeration.converter)
        .get()
    ).data();
    expect(kept).toMatchObject({ content_type: 'comment', content: 'rude words', post_id: postId });
    // A migrated report without post_id needs it from the moderator.
    const rd = await seedReport(w.db, reporter.uid, { content_type: 'comment', content_id: deleteMe });
    expect(await refusal(moderate(coach, { report_id: rd, action: 'delete' }))).toBe('failed-precondition');
    await moderate(coach, { report_id: rd, action: 'delete', post_id: postId });
    expect((await commentRef(w.db, postId, deleteMe).get()).exists).toBe(false);
    expect(await report(rd)).toMatchObject({ status: 'actioned', action_taken: 'deleted' });
  });

  it('warn tells the author and changes nothing else; dismiss tells nobody; members cannot moderate', async () => {
    const postId = await seedPost(w.db, author.uid);
    const rw = await seedReport(w.db, reporter.uid, { content_type: 'post', content_id: postId });
    await moderate(coach, { report_id: rw, action: 'warn' });
    expect((await postRef(w.db, postId).get()).data()).toMatchObject({ published: true });
    expect(await report(rw)).toMatchObject({ status: 'actioned', action_taken: 'warned_author' });
    expect((await notices(author.uid)).find((n) => n.id === `moderation-${rw}`)?.title).toBe('A warning from the moderators');
    const rd = await seedReport(w.db, reporter.uid, { content_type: 'post', content_id: postId });
    const before = (await notices(author.uid)).length;
    await moderate(coach, { report_id: rd, action: 'dismiss' });
    expect(await report(rd)).toMatchObject({ status: 'dismissed', action_taken: 'dismissed' });
    expect(await notices(author.uid)).toHaveLength(before);
    const rx = await seedReport(w.db, reporter.uid, { content_type: 'post', content_id: postId });
    expect(await refusal(moderate(reporter, { report_id: rx, action: 'hide' }))).toBe('permission-denied');
    expect(await refusal(moderate(coach, { report_id: 'nope', action: 'hide' }))).toBe('not-found');
    expect(await refusal(moderate(coach, { report_id: rx, action: 'ban' }))).toBe('invalid-argument');
  });
});
