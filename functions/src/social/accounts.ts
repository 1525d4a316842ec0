/** Connected accounts: stored from a completed OAuth exchange, and disconnected by their owner. */
import { createHash } from 'node:crypto';
import { Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { socialAccounts, socialPostsOfAccount, type disconnectSocialAccount as contract, type SocialPlatform } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { txSet, runTx } from '../core/firestore.js';
import { buildQuery } from '../core/query.js';
import type { SocialDeps } from './deps.js';
import type { PlatformProfile, TokenGrant } from './platforms/types.js';
import { jobRef, finishJob } from './jobs.js';
import { sealedGrant, tokenRef } from './tokens.js';

/** One account per user, platform and platform identity: connecting it again renews the same documents. */
export function accountIdOf(uid: string, platform: SocialPlatform, platformUserId: string): string {
  return `${platform}-${createHash('sha256').update(`${uid}\u0000${platform}\u0000${platformUserId}`).digest('hex').slice(0, 24)}`;
}

export function accountRef(deps: SocialDeps, uid: string, accountId: string) {
  return deps.db.doc(socialAccounts.docPath({ uid, accountId })).withConverter(socialAccounts.converter);
}

/** The account document and its sealed tokens, in one transaction. */
export async function storeConnectedAccount(
  deps: SocialDeps,
  uid: string,
  platform: SocialPlatform,
  connected: { grant: TokenGrant; profile: PlatformProfile },
): Promise<string> {
  const accountId = accountIdOf(uid, platform, connected.profile.id);
  const now = deps.now();
  const sealed = sealedGrant(deps.keyring(), { uid, accountId, platform }, connected.grant, null, now);
  await runTx(deps.db, async (tx) => {
    const ref = accountRef(deps, uid, accountId);
    const before = (await tx.get(ref)).data();
    txSet(tx, ref, {
      user_id: uid,
      platform,
      platform_user_id: connected.profile.id,
      username: connected.profile.username,
      token_expires_at: sealed.token_expires_at ?? null,
      active: true,
      metadata: { name: connected.profile.name, scopes: connected.grant.scopes },
      created_at: before?.created_at ?? Timestamp.fromDate(now),
      updated_at: Timestamp.fromDate(now),
      status: 'connected',
    });
    txSet(tx, tokenRef(deps.db, accountId), sealed);
  });
  return accountId;
}

/** disconnectSocialAccount: the account and its tokens go, its scheduled posts are cancelled (not those the publisher holds). */
export const disconnectSocialAccount: CallableHandler<typeof contract, SocialDeps> = async (input, caller, deps) => {
  const uid = caller.uid;
  const scheduled = await buildQuery(deps.db, socialPostsOfAccount, [input.account_id, 'scheduled'], { uid }).get();
  const cancelled = await runTx(deps.db, async (tx) => {
    const account = await tx.get(accountRef(deps, uid, input.account_id));
    if (!account.exists) throw new HttpsError('not-found', 'no such account');
    const posts = await Promise.all(scheduled.docs.map((d) => tx.get(d.ref)));
    const still = posts.filter((p) => p.get('status') === 'scheduled');
    const jobs = await Promise.all(still.map((p) => tx.get(jobRef(deps.db, uid, p.id))));
    const now = Timestamp.fromDate(deps.now());
    still.forEach((p, i) => {
      tx.update(p.ref, { status: 'cancelled', error: 'the account was disconnected', updated_at: now });
      const job = jobs[i];
      if (job) finishJob(tx, job, now, 'account disconnected');
    });
    tx.delete(account.ref);
    tx.delete(tokenRef(deps.db, input.account_id));
    return still.length;
  });
  return { account_id: input.account_id, cancelled_posts: cancelled };
};
