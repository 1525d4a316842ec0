import { entitlements, entitlementsOfUser, type EntitlementDoc, type EntitlementView, type listMyEntitlements as contract } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import type { Deps } from '../core/deps.js';
import { buildQuery } from '../core/query.js';

export function entitlementView(id: string, e: EntitlementDoc, now: Date): EntitlementView {
  const active = e.status !== 'revoked' && (e.expires_at === null || e.expires_at.toMillis() > now.getTime());
  return {
    id,
    order_id: e.order_id,
    offer_id: e.offer_id,
    title: e.title,
    status: e.status,
    active,
    starts_at: e.starts_at.toDate().toISOString(),
    expires_at: e.expires_at ? e.expires_at.toDate().toISOString() : null,
    sessions_total: e.sessions_total,
    sessions_used: e.sessions_used,
    sessions_left: active ? Math.max(0, e.sessions_total - e.sessions_used) : 0,
    lesson_access: e.lesson_access,
  };
}

/** listMyEntitlements: what the caller's paid offers granted, newest first. */
export const listMyEntitlements: CallableHandler<typeof contract, Deps> = async (_input, caller, deps) => {
  const snap = await buildQuery(deps.db, entitlementsOfUser, [], { uid: caller.uid }).withConverter(entitlements.converter).limit(200).get();
  const now = deps.now();
  return { entitlements: snap.docs.map((d) => entitlementView(d.id, d.data(), now)) };
};
