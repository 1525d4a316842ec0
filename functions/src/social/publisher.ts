/**
 * publishDueSocialPosts (every minute): due jobs are taken one at a time under a lease, published
 * through their platform's adapter, and the outcome recorded. Overlapping runs cannot both take a
 * job (the claim is a transaction); a run that dies after the platform accepted leaves the job
 * `publishing` with an expired lease, and the next run reconciles it (X: a timeline lookup;
 * LinkedIn: no way to look, the post is marked failed "outcome unknown" rather than sent twice).
 */
import { Timestamp } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions/logger';
import { socialPublishJobsDue } from '@zhengrowth/model';
import { buildQuery } from '../core/query.js';
import { claimJob, nextAttempt, type Claim } from './claim.js';
import type { SocialDeps } from './deps.js';
import { PlatformError } from './platforms/http.js';
import type { PublishRequest, SocialPlatformAdapter } from './platforms/types.js';
import { markNeedsReconnect } from './reconnect.js';
import { recordOutcome, recordPublished } from './records.js';
import { readTokens } from './tokens.js';

export interface PublishReport {
  due: number;
  published: number;
  retried: number;
  failed: number;
  uncertain: number;
}

export interface PublishOptions {
  /** Jobs looked at per run. */
  limit: number;
  /** Stop taking new jobs after this long (the function's timeout is longer). */
  budgetMs: number;
}

export const DEFAULT_PUBLISH_OPTIONS: PublishOptions = { limit: 25, budgetMs: 150_000 };

async function failure(
  deps: SocialDeps,
  claim: Claim,
  err: PlatformError,
  phase: 'reconcile' | 'publish',
  adapter: SocialPlatformAdapter,
  req: PublishRequest,
) {
  if (err.kind === 'auth') {
    await markNeedsReconnect(deps, claim.uid, claim.post.account_id, `publish ${err.code}`);
    return recordOutcome(deps, claim, {
      kind: 'failed',
      reason: phase === 'reconcile' ? 'outcome unknown: the account needs reconnecting' : 'the account needs reconnecting',
    });
  }
  // A doubt about an earlier attempt is never settled by trying again blind: reconcile again soon.
  if (phase === 'reconcile' || err.kind === 'uncertain') return recordOutcome(deps, claim, { kind: 'uncertain', code: err.code });
  if (err.kind === 'retry') return recordOutcome(deps, claim, { kind: 'retry', code: err.code, retryAfterSeconds: err.retryAfterSeconds });
  if (err.kind === 'duplicate') {
    const found = await adapter.reconcile({ ...req, since: claim.attemptStartedAt });
    if (found.state === 'published') return (await recordPublished(deps, claim, found.result)) ? 'published' : 'lost';
    return recordOutcome(deps, claim, { kind: 'failed', reason: `${claim.platform} refused the post as a duplicate of a recent one` });
  }
  return recordOutcome(deps, claim, { kind: 'failed', reason: `${claim.platform} refused the post (${err.code})` });
}

/** One job, start to end; returns what became of it. */
export async function publishJob(deps: SocialDeps, jobId: string): Promise<string> {
  const claim = await claimJob(deps, jobId);
  if (!claim) return 'skipped';
  const tokens = await readTokens(deps.db, deps.keyring(), claim.post.account_id);
  if (!tokens?.access || !claim.account.platform_user_id)
    return recordOutcome(deps, claim, { kind: 'failed', reason: 'the account has no token: connect it again' });
  const adapter = deps.platforms(claim.platform);
  const req: PublishRequest = { accessToken: tokens.access, author: claim.account.platform_user_id, content: claim.post.content };
  let current = claim;
  let phase: 'reconcile' | 'publish' = claim.mode;
  try {
    if (claim.mode === 'reconcile') {
      const found = await adapter.reconcile({ ...req, since: claim.attemptStartedAt });
      if (found.state === 'published') return (await recordPublished(deps, claim, found.result)) ? 'published' : 'lost';
      if (found.state === 'unknown') return recordOutcome(deps, claim, { kind: 'failed', reason: `outcome unknown: ${found.reason}` });
      const next = await nextAttempt(deps, claim);
      if (!next) return 'lost';
      current = next;
      phase = 'publish';
    }
    const result = await adapter.publish(req);
    return (await recordPublished(deps, current, result)) ? 'published' : 'lost';
  } catch (err) {
    if (!(err instanceof PlatformError)) throw err;
    return failure(deps, current, err, phase, adapter, req);
  }
}

export async function publishDueSocialPosts(deps: SocialDeps, options: PublishOptions = DEFAULT_PUBLISH_OPTIONS): Promise<PublishReport> {
  const started = Date.now();
  const due = await buildQuery(deps.db, socialPublishJobsDue, [['scheduled', 'publishing'], Timestamp.fromDate(deps.now())])
    .limit(options.limit)
    .get();
  const report: PublishReport = { due: due.size, published: 0, retried: 0, failed: 0, uncertain: 0 };
  for (const doc of due.docs) {
    if (Date.now() - started > options.budgetMs) break;
    try {
      const outcome = await publishJob(deps, doc.id);
      if (outcome === 'published') report.published += 1;
      else if (outcome === 'retry') report.retried += 1;
      else if (outcome === 'failed') report.failed += 1;
      else if (outcome === 'uncertain') report.uncertain += 1;
    } catch (err) {
      // A bug or an outage of Firestore: the job keeps its lease and is reconciled by a later run.
      logger.error('publishing a social post failed unexpectedly', { job: doc.id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  if (report.due > 0) logger.info('social publisher run', { ...report });
  return report;
}
