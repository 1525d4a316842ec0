/**
 * The publisher's hold on a job: taken in a transaction with the post (a cancel or a reschedule
 * either lands before and the job is skipped, or after and is refused), under a lease (core/lease.ts:
 * `lease_id`, and `due_at` is its end). The attempt is recorded before the platform is called; a run that dies after that
 * leaves the job `publishing` with an expired lease, and the next run takes it to reconcile.
 */
import { Timestamp } from 'firebase-admin/firestore';
import {
  socialPlatform,
  socialPosts,
  socialPublishJobs,
  type SocialAccountDoc,
  type SocialPlatform,
  type SocialPostDoc,
  type SocialPublishJobDoc,
} from '@zhengrowth/model';
import { txMerge, runTx } from '../core/firestore.js';
import { holds as holdsLease, nextLease } from '../core/lease.js';
import { accountRef } from './accounts.js';
import type { SocialDeps } from './deps.js';
import { finishJob, jobDueNow } from './jobs.js';

export interface Claim {
  jobId: string;
  uid: string;
  postId: string;
  platform: SocialPlatform;
  /** publish: a new attempt; reconcile: find out what became of `attemptId`, whose run is gone. */
  mode: 'publish' | 'reconcile';
  attemptId: string;
  attemptStartedAt: Date;
  /** The lease this run holds: its writes count only while the job still carries it. */
  leaseId: string;
  leaseUntil: Timestamp;
  post: SocialPostDoc;
  account: SocialAccountDoc;
}

export const jobDoc = (deps: SocialDeps, jobId: string) => deps.db.doc(socialPublishJobs.docPath({ jobId })).withConverter(socialPublishJobs.converter);
export const postDoc = (deps: SocialDeps, uid: string, postId: string) =>
  deps.db.doc(socialPosts.docPath({ uid, postId })).withConverter(socialPosts.converter);

/** Whether the job still carries this run's lease (no other run took it over meanwhile). */
export function holds(job: SocialPublishJobDoc | undefined, claim: Pick<Claim, 'leaseId'>): boolean {
  return job?.state === 'publishing' && holdsLease(leaseView(job), claim.leaseId);
}

const leaseView = (job: SocialPublishJobDoc) => ({ id: job.lease_id, expiresAt: job.due_at, attempts: job.attempts });

function unusable(job: SocialPublishJobDoc, account: SocialAccountDoc | undefined): string | null {
  if (!socialPlatform.safeParse(job.platform).success) return `posts on ${job.platform} cannot be published from here`;
  if (!account || !account.platform_user_id) return 'the account is not connected';
  if (account.status === 'needs_reconnect' || account.active === false) return 'the account needs reconnecting';
  return null;
}

/** Takes a due job, or returns null (not due any more, taken by another run, cancelled, or failed here for a dead account). */
export async function claimJob(deps: SocialDeps, jobId: string): Promise<Claim | null> {
  return runTx(deps.db, async (tx) => {
    const jobSnap = await tx.get(jobDoc(deps, jobId));
    const job = jobSnap.data();
    const now = deps.now();
    if (!job || !jobDueNow(job, now)) return null;
    const postRef = postDoc(deps, job.user_id, job.post_id);
    const [post, account] = await Promise.all([
      tx.get(postRef).then((s) => s.data()),
      tx.get(accountRef(deps, job.user_id, job.account_id)).then((s) => s.data()),
    ]);
    const ts = Timestamp.fromDate(now);
    if (!post || post.status !== job.state) {
      finishJob(tx, jobSnap, ts, 'the post is no longer scheduled');
      return null;
    }
    const problem = unusable(job, account);
    if (problem || !account) {
      const reason = job.state === 'publishing' ? `outcome unknown: ${problem ?? ''}; check the account` : (problem ?? '');
      txMerge(tx, postRef, { status: 'failed', error: reason, updated_at: ts });
      finishJob(tx, jobSnap, ts, reason);
      return null;
    }
    // Attempts are the platform's (a reconcile is not one): the lease gives only its id and end.
    const lease = nextLease(leaseView(job), now, deps.publisher.leaseSeconds * 1000);
    const leaseUntil = lease.expiresAt;
    const base = { jobId, uid: job.user_id, postId: job.post_id, platform: job.platform as SocialPlatform, leaseId: lease.id, leaseUntil, post, account };
    if (job.state === 'publishing' && job.attempt_id && job.attempt_started_at) {
      tx.update(jobSnap.ref, { due_at: leaseUntil, lease_id: lease.id, updated_at: ts });
      return { ...base, mode: 'reconcile', attemptId: job.attempt_id, attemptStartedAt: job.attempt_started_at.toDate() };
    }
    const attempts = job.attempts + 1;
    const attemptId = `${jobId}#${attempts}`;
    tx.update(jobSnap.ref, {
      state: 'publishing',
      due_at: leaseUntil,
      lease_id: lease.id,
      attempts,
      attempt_id: attemptId,
      attempt_started_at: ts,
      updated_at: ts,
    });
    txMerge(tx, postRef, { status: 'publishing', updated_at: ts });
    return { ...base, mode: 'publish', attemptId, attemptStartedAt: now };
  });
}

/** After a reconcile found no post: a new attempt under the same hold (null if the hold was lost). */
export async function nextAttempt(deps: SocialDeps, claim: Claim): Promise<Claim | null> {
  return runTx(deps.db, async (tx) => {
    const snap = await tx.get(jobDoc(deps, claim.jobId));
    const job = snap.data();
    if (!job || !holds(job, claim)) return null;
    const now = deps.now();
    const attempts = job.attempts + 1;
    const attemptId = `${claim.jobId}#${attempts}`;
    const leaseUntil = Timestamp.fromMillis(now.getTime() + deps.publisher.leaseSeconds * 1000);
    tx.update(snap.ref, {
      attempts,
      attempt_id: attemptId,
      attempt_started_at: Timestamp.fromDate(now),
      due_at: leaseUntil,
      updated_at: Timestamp.fromDate(now),
    });
    return { ...claim, mode: 'publish', attemptId, attemptStartedAt: now, leaseUntil };
  });
}
