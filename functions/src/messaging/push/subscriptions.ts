/**
 * The push subscription callables. A signed-in user's subscription lives under
 * users/{uid}/push_subscriptions with the id sha256(endpoint), so subscribing the same endpoint
 * again updates it (a migrated row with that endpoint is updated in place); a visitor's goes to the
 * server-only anonymous_push_subscriptions, and moves under the user when they subscribe signed in.
 * Endpoints are push services' https URLs: an internal address would make us post into our own
 * network, so IP literals and localhost are refused (loopback http only in the emulator).
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import {
  anonymousPushSubscriptions,
  pushSubscriptions,
  pushSubscriptionsByEndpoint,
  type subscribeAnonymousPush,
  type subscribePush,
  type unsubscribePush,
} from '@zhengrowth/model';
import type { CallableHandler } from '../../core/callable.js';
import { txMerge, txSet, runTx } from '../../core/firestore.js';
import { buildQuery } from '../../core/query.js';
import type { PushDeps } from './deps.js';

export const subscriptionIdOf = (endpoint: string): string => createHash('sha256').update(endpoint).digest('hex').slice(0, 40);

export function checkEndpoint(endpoint: string, allowLoopback: boolean): void {
  const u = new URL(endpoint);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '127.0.0.1' || host === '::1';
  if (allowLoopback && loopback) return;
  if (u.protocol !== 'https:') throw new HttpsError('invalid-argument', 'subscription.endpoint: must be an https URL of a push service');
  if (loopback || isIP(host) !== 0 || !host.includes('.')) throw new HttpsError('invalid-argument', 'subscription.endpoint: must name a push service host');
}

export const subscribe: CallableHandler<typeof subscribePush, PushDeps> = async (input, caller, deps) => {
  const { endpoint, keys } = input.subscription;
  checkEndpoint(endpoint, deps.allowLoopbackEndpoints);
  const uid = caller.uid;
  // A row migrated from Supabase has a random id: find it by endpoint before the transaction.
  const existing = (await buildQuery(deps.db, pushSubscriptionsByEndpoint, [endpoint], { uid }).limit(1).get()).docs[0];
  const id = existing?.id ?? subscriptionIdOf(endpoint);
  const ref = deps.db.doc(pushSubscriptions.docPath({ uid, subscriptionId: id })).withConverter(pushSubscriptions.converter);
  const anonymous = deps.db.doc(anonymousPushSubscriptions.docPath({ subscriptionId: subscriptionIdOf(endpoint) }));
  return runTx(deps.db, async (tx) => {
    const cur = (await tx.get(ref)).data();
    const now = Timestamp.fromDate(deps.now());
    txSet(tx, ref, {
      user_id: uid,
      endpoint,
      p256dh: keys.p256dh,
      auth: keys.auth,
      user_agent: input.user_agent ?? cur?.user_agent ?? null,
      active: true,
      created_at: cur?.created_at ?? now,
      last_used_at: cur?.last_used_at ?? null,
    });
    tx.delete(anonymous);
    return { subscription_id: id, created: !cur };
  });
};

export const unsubscribe: CallableHandler<typeof unsubscribePush, PushDeps> = async (input, caller, deps) => {
  const found = await buildQuery(deps.db, pushSubscriptionsByEndpoint, [input.endpoint], { uid: caller.uid }).get();
  await Promise.all(found.docs.map((d) => d.ref.delete()));
  return { removed: found.size };
};

export const subscribeAnonymous: CallableHandler<typeof subscribeAnonymousPush, PushDeps> = async (input, _caller, deps) => {
  const { endpoint, keys } = input.subscription;
  checkEndpoint(endpoint, deps.allowLoopbackEndpoints);
  const id = subscriptionIdOf(endpoint);
  const ref = deps.db.doc(anonymousPushSubscriptions.docPath({ subscriptionId: id })).withConverter(anonymousPushSubscriptions.converter);
  return runTx(deps.db, async (tx) => {
    const cur = (await tx.get(ref)).data();
    const now = Timestamp.fromDate(deps.now());
    if (cur) {
      txMerge(tx, ref, { p256dh: keys.p256dh, auth: keys.auth, active: true, ...(input.lang ? { lang: input.lang } : {}) });
    } else {
      txSet(tx, ref, {
        user_id: null,
        endpoint,
        p256dh: keys.p256dh,
        auth: keys.auth,
        user_agent: input.user_agent ?? null,
        active: true,
        created_at: now,
        last_used_at: null,
        lang: input.lang ?? null,
      });
    }
    return { subscription_id: id, created: !cur };
  });
};
