/**
 * What a publish attempt left, written in a transaction with the job. A publication is recorded
 * whatever run holds the job (the platform took it: that is the truth); every other outcome only
 * by the run that still holds the lease, so a slow run never overwrites the one that took over.
 */
import { Timestamp } from 'firebase-admin/firestore';
import type { JsonValue } from '@zhengrowth/model';
import { txMerge, runTx } from '../core/firestore.js';
import { holds, jobDoc, postDoc, type Claim } from './claim.js';
import type { SocialDeps } from './deps.js';
import { finishJob } from './jobs.js';
import type { PublishResult } from './platforms/types.js';

const MAX_BACKOFF_MS = 30 * 60_000;

/** 1, 2, 4, 8… minutes after each temporary failure (at most 30), or later if the platform asked. */
export function backoffMs(attempts: number, retryAfterSeconds: number | null): number {
  const exp = Math.min(MAX_BACKOFF_MS, 60_000 * 2 ** Math.max(0, attempts - 1));
  return Math.max(exp, (retryAfterSeconds ?? 0) * 1000);
}

function metadataWith(existing: JsonValue | null, extra: { [key: string]: JsonValue }): JsonValue {
  const base = existing && typeof existing === 'object' && !Array.isArray(existing) ? existing : {};
  return { ...base, ...extra };
}

export async function recordPublished(deps: SocialDeps, claim: Claim, result: PublishResult): Promise<boolean> {
  return runTx(deps.db, async (tx) => {
    const [jobSnap, postSnap] = await Promise.all([tx.get(jobDoc(deps, claim.jobId)), tx.get(postDoc(deps, claim.uid, claim.postId))]);
    const post = postSnap.data();
    if (!post || post.status === 'published') return false;
    const now = Timestamp.fromDate(deps.now());
    txMerge(tx, postSnap.ref, {
      status: 'published',
      published_at: now,
      platform_post_id: result.platformPostId,
      error: null,
      metadata: metadataWith(post.metadata, { platform_response: result.response, url: result.url, attempt_id: claim.attemptId }),
      updated_at: now,
    });
    finishJob(tx, jobSnap, now, null);
    return true;
  });
}

type Outcome = { kind: 'retry'; code: string; retryAfterSeconds: number | null } | { kind: 'failed'; reason: string } | { kind: 'uncertain'; code: string };

/** A failed or doubtful attempt: retried later, failed for good, or left to be reconciled soon. */
export async function recordOutcome(deps: SocialDeps, claim: Claim, outcome: Outcome): Promise<'retry' | 'failed' | 'uncertain' | 'lost'> {
  return runTx(deps.db, async (tx) => {
    const jobSnap = await tx.get(jobDoc(deps, claim.jobId));
    const job = jobSnap.data();
    if (!job || !holds(job, claim)) return 'lost';
    const postRef = postDoc(deps, claim.uid, claim.postId);
    const now = deps.now();
    const ts = Timestamp.fromDate(now);
    if (outcome.kind === 'uncertain') {
      // Keep the hold's state: the next run after this short lease reconciles the attempt.
      txMerge(tx, jobSnap.ref, { due_at: Timestamp.fromMillis(now.getTime() + 60_000), lease_id: null, last_error: outcome.code, updated_at: ts });
      txMerge(tx, postRef, { error: `outcome unknown (${outcome.code}); checking with the platform`, updated_at: ts });
      return 'uncertain';
    }
    if (outcome.kind === 'retry' && job.attempts < deps.publisher.maxAttempts) {
      const due = Timestamp.fromMillis(now.getTime() + backoffMs(job.attempts, outcome.retryAfterSeconds));
      txMerge(tx, jobSnap.ref, { state: 'scheduled', due_at: due, lease_id: null, last_error: outcome.code, updated_at: ts });
      txMerge(tx, postRef, { status: 'scheduled', error: `attempt ${job.attempts} failed (${outcome.code}); retrying`, updated_at: ts });
      return 'retry';
    }
    const reason = outcome.kind === 'retry' ? `gave up after ${job.attempts} attempts (${outcome.code})` : outcome.reason;
    txMerge(tx, postRef, { status: 'failed', error: reason, updated_at: ts });
    finishJob(tx, jobSnap, ts, reason);
    return 'failed';
  });
}
