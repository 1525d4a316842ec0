import { Timestamp } from 'firebase-admin/firestore';
import { logger } from 'firebase-functions/logger';
import { txMerge, runTx } from '../core/firestore.js';
import { notifyInbox } from '../shared/outbox.js';
import { accountRef } from './accounts.js';
import type { SocialDeps } from './deps.js';
import { tokenRef } from './tokens.js';

/**
 * The account's tokens no longer work and cannot be renewed: it is marked `needs_reconnect`
 * (inactive; the refresh job stops looking at it) and its owner gets one inbox notice per account
 * and day saying to connect it again.
 */
export async function markNeedsReconnect(deps: SocialDeps, uid: string, accountId: string, reason: string): Promise<void> {
  const now = deps.now();
  const ts = Timestamp.fromDate(now);
  await runTx(deps.db, async (tx) => {
    const account = await tx.get(accountRef(deps, uid, accountId));
    const tokens = await tx.get(tokenRef(deps.db, accountId));
    const data = account.data();
    if (!data) return;
    if (data.status !== 'needs_reconnect') {
      notifyInbox(
        tx,
        deps.db,
        uid,
        `social-reconnect-${accountId}-${now.toISOString().slice(0, 10)}`,
        {
          type: 'social_reconnect',
          title: `Reconnect your ${data.platform} account`,
          message: `We can no longer post to your ${data.platform} account${data.username ? ` @${data.username}` : ''}. Connect it again to keep your scheduled posts going.`,
          action_url: '/settings/social',
          metadata: { account_id: accountId, platform: data.platform },
        },
        ts,
      );
    }
    txMerge(tx, account.ref, { status: 'needs_reconnect', active: false, updated_at: ts });
    if (tokens.exists) txMerge(tx, tokens.ref, { refresh_due_at: null, refresh_lease_until: null, updated_at: ts });
  });
  logger.warn('social account needs reconnecting', { uid, account_id: accountId, reason });
}
