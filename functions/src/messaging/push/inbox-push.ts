/**
 * A new inbox item (users/{uid}/inbox/{itemId}) is pushed to the user's browsers, once: the job
 * push_deliveries/inbox-{hash} is claimed before anything is sent (job.ts), so a trigger delivered
 * twice, or two at once, push it once. Items that are not new (migrated history: older than the
 * freshness window when the trigger runs) or already read are not pushed.
 */
import { createHash } from 'node:crypto';
import { appLangOf, inbox, pushSubscriptions, users, type AppLang } from '@zhengrowth/model';
import { logger } from 'firebase-functions/logger';
import type { PushDeps } from './deps.js';
import { deliverToAll, type DeliveryCount, type Subscriber } from './deliver.js';
import { claimJob, finishJob, jobRef } from './job.js';
import { goodDocs } from '../../core/read.js';

export interface InboxItemEvent {
  params: { uid: string; itemId: string };
}

export type InboxPushOutcome = { pushed: DeliveryCount } | { skipped: 'missing' | 'stale' | 'read' | 'no_subscriptions' | 'done' | 'held' };

const FALLBACK_TITLE: Record<AppLang, string> = { en: 'ZhenGrowth', 'zh-CN': 'ZhenGrowth 通知', 'zh-TW': 'ZhenGrowth 通知' };

export const inboxJobId = (uid: string, itemId: string): string => `inbox-${createHash('sha256').update(`${uid}\u0000${itemId}`).digest('hex').slice(0, 40)}`;

export async function pushInboxItem(event: InboxItemEvent, deps: PushDeps): Promise<InboxPushOutcome> {
  const { uid, itemId } = event.params;
  const item = (await deps.db.doc(inbox.docPath({ uid, itemId })).withConverter(inbox.converter).get()).data();
  if (!item) return { skipped: 'missing' };
  if (item.read) return { skipped: 'read' };
  const created = item.created_at?.toMillis() ?? 0;
  if (deps.now().getTime() - created > deps.freshnessMs) return { skipped: 'stale' };
  // The owner writes their subscriptions: one the model cannot read is skipped (logged), the others still get the push.
  const subs = await deps.db.collection(pushSubscriptions.collectionPath({ uid })).get();
  const subscribers: Subscriber[] = goodDocs(pushSubscriptions, subs.docs, 'inboxPush')
    .filter((d) => d.data.active !== false)
    .map((d) => ({ ref: deps.db.doc(d.path), ...d.data }));
  if (subscribers.length === 0) return { skipped: 'no_subscriptions' };

  const ref = jobRef(deps, inboxJobId(uid, itemId));
  const claim = await claimJob(deps, ref, { kind: 'inbox', user_id: uid, item_id: itemId, segment: null });
  if (claim.kind !== 'claimed') return { skipped: claim.kind };
  const lang = appLangOf((await deps.db.doc(users.docPath({ uid })).get()).get('lang') as string | null | undefined) ?? 'en';
  const count = await deliverToAll(deps, subscribers, {
    title: item.title ?? FALLBACK_TITLE[lang],
    body: item.message,
    url: item.action_url,
    tag: `inbox:${itemId}`,
    lang,
  });
  // Taken over meanwhile (this worker outlived its lease): the new holder's record stands.
  if (!(await finishJob(deps, ref, claim.lease, count)))
    logger.warn('push job finished after its lease was taken over', { itemId, attempt: claim.lease.attempt });
  return { pushed: count };
}
