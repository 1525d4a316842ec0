/**
 * The owner's moves on a post, each one transaction over the post and its publisher job, so that
 * they serialise with the publisher's: a post can be (re)scheduled or cancelled until the
 * publisher takes it, and never after.
 */
import { Timestamp, type Transaction } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import {
  socialPlatform,
  socialPosts,
  socialPostStatus,
  type cancelSocialPost as cancelContract,
  type scheduleSocialPost as scheduleContract,
  type SocialPostDoc,
  type SocialPostView,
  type SocialPublishJobDoc,
} from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { txSet, runTx } from '../core/firestore.js';
import { accountRef } from './accounts.js';
import type { SocialDeps } from './deps.js';
import { finishJob, jobRef, scheduledJob } from './jobs.js';
import { postTooLong } from './platforms/limits.js';

const MAX_AHEAD_MS = 366 * 86_400_000;
/** A time a moment in the past (a slow request for "now") still counts as now. */
const PAST_GRACE_MS = 5 * 60_000;

export function postView(id: string, p: SocialPostDoc, job: SocialPublishJobDoc | undefined): SocialPostView {
  const status = socialPostStatus.safeParse(p.status ?? 'draft');
  return {
    id,
    account_id: p.account_id,
    platform: p.platform,
    content: p.content,
    status: status.success ? status.data : null,
    scheduled_for: p.scheduled_for?.toDate().toISOString() ?? null,
    published_at: p.published_at?.toDate().toISOString() ?? null,
    platform_post_id: p.platform_post_id,
    error: p.error,
    attempts: job?.attempts ?? 0,
  };
}

async function readOwn(tx: Transaction, deps: SocialDeps, uid: string, postId: string) {
  const ref = deps.db.doc(socialPosts.docPath({ uid, postId })).withConverter(socialPosts.converter);
  const [post, job] = await Promise.all([tx.get(ref), tx.get(jobRef(deps.db, uid, postId))]);
  const data = post.data();
  if (!data) throw new HttpsError('not-found', 'no such post');
  return { ref, post: data, job };
}

const TAKEN = 'the publisher has taken this post: it can no longer be changed (it is being published or was published)';

/** Why the post cannot be scheduled on its account now (account gone, reconnect needed, too long), or null. */
async function scheduleProblem(tx: Transaction, deps: SocialDeps, uid: string, post: SocialPostDoc): Promise<string | null> {
  const platform = socialPlatform.safeParse(post.platform);
  if (!platform.success) return `posts on ${post.platform} cannot be published from here`;
  const account = (await tx.get(accountRef(deps, uid, post.account_id))).data();
  if (!account || account.platform !== post.platform) return 'the post’s account is not connected';
  if (account.status === 'needs_reconnect' || account.active === false) return 'the post’s account needs reconnecting (startSocialConnect)';
  if (!post.content.trim()) return 'the post is empty';
  return postTooLong(platform.data, post.content);
}

export const scheduleSocialPost: CallableHandler<typeof scheduleContract, SocialDeps> = async (input, caller, deps) => {
  const uid = caller.uid;
  const at = new Date(input.scheduled_for);
  const now = deps.now();
  if (at.getTime() < now.getTime() - PAST_GRACE_MS) throw new HttpsError('invalid-argument', 'scheduled_for: is in the past');
  if (at.getTime() > now.getTime() + MAX_AHEAD_MS) throw new HttpsError('invalid-argument', 'scheduled_for: is more than a year ahead');
  return runTx(deps.db, async (tx) => {
    const { ref, post, job } = await readOwn(tx, deps, uid, input.post_id);
    const status = post.status ?? 'draft';
    if (status === 'publishing' || status === 'published' || job.data()?.state === 'publishing') throw new HttpsError('failed-precondition', TAKEN);
    const problem = await scheduleProblem(tx, deps, uid, post);
    if (problem) throw new HttpsError('failed-precondition', problem);
    const ts = Timestamp.fromDate(now);
    const updated: SocialPostDoc = { ...post, status: 'scheduled', scheduled_for: Timestamp.fromDate(at), error: null, updated_at: ts };
    const newJob = scheduledJob({ uid, postId: input.post_id, accountId: post.account_id, platform: post.platform }, Timestamp.fromDate(at), ts);
    txSet(tx, ref, updated);
    txSet(tx, job.ref, newJob);
    return postView(input.post_id, updated, newJob);
  });
};

export const cancelSocialPost: CallableHandler<typeof cancelContract, SocialDeps> = async (input, caller, deps) => {
  const uid = caller.uid;
  return runTx(deps.db, async (tx) => {
    const { ref, post, job } = await readOwn(tx, deps, uid, input.post_id);
    const status = post.status ?? 'draft';
    if (status === 'publishing' || status === 'published' || job.data()?.state === 'publishing') throw new HttpsError('failed-precondition', TAKEN);
    if (status !== 'scheduled' && status !== 'draft') throw new HttpsError('failed-precondition', `a ${status} post has nothing to cancel`);
    const now = Timestamp.fromDate(deps.now());
    const updated: SocialPostDoc = { ...post, status: 'cancelled', updated_at: now };
    txSet(tx, ref, updated);
    finishJob(tx, job, now, 'cancelled by the owner');
    return postView(input.post_id, updated, job.data());
  });
};
