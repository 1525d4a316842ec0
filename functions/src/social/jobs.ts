/** social_publish_jobs: the publisher's bookkeeping per post (server only), kept beside the post in the same transactions. */
import type { Timestamp } from 'firebase-admin/firestore';
import { type DocumentSnapshot, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { socialPublishJobs, type SocialPublishJobDoc } from '@zhengrowth/model';

export const jobIdOf = (uid: string, postId: string): string => `${uid}:${postId}`;

export function jobRef(db: Firestore, uid: string, postId: string) {
  return db.doc(socialPublishJobs.docPath({ jobId: jobIdOf(uid, postId) })).withConverter(socialPublishJobs.converter);
}

/** The job is over (published, failed, cancelled): the publisher's query no longer finds it. */
export function finishJob(tx: Transaction, job: DocumentSnapshot<SocialPublishJobDoc>, now: Timestamp, lastError: string | null): void {
  if (!job.exists) return;
  tx.update(job.ref, { state: 'done', due_at: null, lease_id: null, last_error: lastError, updated_at: now });
}

/** A job for a post scheduled now (a reschedule starts over: no attempts yet). */
export function scheduledJob(ids: { uid: string; postId: string; accountId: string; platform: string }, dueAt: Timestamp, now: Timestamp): SocialPublishJobDoc {
  return {
    user_id: ids.uid,
    post_id: ids.postId,
    account_id: ids.accountId,
    platform: ids.platform,
    state: 'scheduled',
    due_at: dueAt,
    attempts: 0,
    attempt_id: null,
    attempt_started_at: null,
    lease_id: null,
    last_error: null,
    updated_at: now,
  };
}

export function jobDueNow(job: SocialPublishJobDoc, now: Date): boolean {
  return job.state !== 'done' && job.due_at !== null && job.due_at.toMillis() <= now.getTime();
}
