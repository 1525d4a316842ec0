/**
 * refreshSocialTokens (every 15 minutes): tokens due for renewal are refreshed, one run per
 * account at a time (a lease in the token document: X's refresh tokens are single-use, and two runs
 * refreshing at once would lose the account). New tokens are sealed with the current key (this is
 * also how tokens under a retired key move to the new one). A refresh the platform refuses
 * (invalid_grant, 401) or an expired token without a refresh token marks the account
 * `needs_reconnect`; temporary failures are retried with backoff until the token has expired.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions/logger';
import { socialPlatform, socialTokensDue } from '@zhengrowth/model';
import { mergeDoc, txMerge, runTx } from '../core/firestore.js';
import { buildQuery } from '../core/query.js';
import { accountRef } from './accounts.js';
import type { SocialDeps } from './deps.js';
import { PlatformError } from './platforms/http.js';
import { markNeedsReconnect } from './reconnect.js';
import { holdTokens, sealedGrant, tokenRef, type HeldTokens } from './tokens.js';

const LEASE_MS = 2 * 60_000;
/** Temporary failures in a row after which an expired token counts as lost. */
const MAX_FAILURES = 5;

export interface RefreshReport {
  due: number;
  refreshed: number;
  reconnect: number;
  retry: number;
}

/** The token document if this run may refresh it now (due, not held by another run). */
async function lease(deps: SocialDeps, accountId: string): Promise<HeldTokens | null> {
  const ref = tokenRef(deps.db, accountId);
  return runTx(deps.db, async (tx) => {
    const doc = (await tx.get(ref)).data();
    const now = deps.now().getTime();
    if (!doc?.refresh_due_at || doc.refresh_due_at.toMillis() > now) return null;
    if (doc.refresh_lease_until && doc.refresh_lease_until.toMillis() > now) return null;
    tx.update(ref, { refresh_lease_until: Timestamp.fromMillis(now + LEASE_MS) });
    return holdTokens(deps.keyring(), accountId, doc);
  });
}

async function retryLater(deps: SocialDeps, held: HeldTokens, code: string): Promise<'retry' | 'reconnect'> {
  const failures = (held.doc.refresh_failures ?? 0) + 1;
  const now = deps.now();
  const expired = !held.doc.token_expires_at || held.doc.token_expires_at.toMillis() <= now.getTime();
  if (failures >= MAX_FAILURES && expired) {
    await markNeedsReconnect(deps, held.doc.user_id, held.doc.account_id, `refresh kept failing (${code})`);
    return 'reconnect';
  }
  const wait = Math.min(60 * 60_000, 5 * 60_000 * 2 ** (failures - 1));
  await mergeDoc(tokenRef(deps.db, held.doc.account_id), {
    refresh_failures: failures,
    refresh_due_at: Timestamp.fromMillis(now.getTime() + wait),
    refresh_lease_until: null,
    updated_at: Timestamp.fromDate(now),
  });
  return 'retry';
}

async function refreshOne(deps: SocialDeps, accountId: string): Promise<'refreshed' | 'reconnect' | 'retry' | 'skipped'> {
  const held = await lease(deps, accountId);
  if (!held) return 'skipped';
  const { user_id: uid, platform } = held.doc;
  const p = socialPlatform.safeParse(platform);
  if (!held.refresh || !p.success) {
    await markNeedsReconnect(deps, uid, accountId, held.refresh ? `no adapter for ${platform ?? '?'}` : 'expired without a refresh token');
    return 'reconnect';
  }
  try {
    const grant = await deps.platforms(p.data).refresh(held.refresh);
    const sealed = sealedGrant(deps.keyring(), { uid, accountId, platform: p.data }, grant, held.doc.refresh_token, deps.now());
    await runTx(deps.db, async (tx) => {
      const account = accountRef(deps, uid, accountId);
      const exists = (await tx.get(account)).exists;
      tx.set(tokenRef(deps.db, accountId), sealed);
      if (exists)
        txMerge(tx, account, { token_expires_at: sealed.token_expires_at ?? null, status: 'connected', active: true, updated_at: sealed.updated_at ?? null });
    });
    return 'refreshed';
  } catch (err) {
    if (!(err instanceof PlatformError)) throw err;
    if (err.kind === 'refused' || err.kind === 'auth') {
      await markNeedsReconnect(deps, uid, accountId, `refresh refused (${err.code})`);
      return 'reconnect';
    }
    return retryLater(deps, held, err.code);
  }
}

export async function refreshSocialTokens(deps: SocialDeps, limit = 50): Promise<RefreshReport> {
  const due = await buildQuery(deps.db, socialTokensDue, [Timestamp.fromDate(deps.now())])
    .limit(limit)
    .get();
  const report: RefreshReport = { due: due.size, refreshed: 0, reconnect: 0, retry: 0 };
  for (const d of due.docs) {
    try {
      const r = await refreshOne(deps, d.id);
      if (r !== 'skipped') report[r] += 1;
    } catch (err) {
      logger.error('refreshing social tokens failed unexpectedly', { account_id: d.id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  if (report.due > 0) logger.info('social token refresh run', { ...report });
  return report;
}
