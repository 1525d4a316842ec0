/**
 * `confirmLeadEmail`: the signed link of a lead's confirmation e-mail. The token names the lead
 * and the address's consent; the address confirms once (`lead_confirmed` starts the lead's
 * funnels) and a repeat, or a second click, changes nothing. A token signed for another purpose,
 * altered or expired is permission-denied; one for an address no longer asked is not-found.
 */
import { HttpsError } from 'firebase-functions/v2/https';
import { Timestamp } from 'firebase-admin/firestore';
import type { confirmLeadEmail as contract } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { runTx } from '../core/firestore.js';
import type { RateLimitPolicy } from '../core/rate-limit.js';
import { confirmByLink, consentRef } from '../shared/email-consent.js';
import type { LeadDeps } from './deps.js';

export const CONFIRM_LEAD_LIMITS: RateLimitPolicy = { ip: { max: 30, per_seconds: 600 } };

export const confirmLeadEmail: CallableHandler<typeof contract, LeadDeps> = async (input, _caller, deps) => {
  const now = deps.now();
  const { leadId, consentId } = deps.links.verify('lead-confirm', input.token, now);
  if (!leadId || !consentId) throw new HttpsError('permission-denied', 'this link is not valid (not a confirmation link)');
  await runTx(deps.db, async (tx) => {
    const doc = (await tx.get(consentRef(deps.db, consentId))).data();
    if (!doc) throw new HttpsError('not-found', 'this address was not asked to confirm');
    confirmByLink(tx, deps.db, { id: consentId, email: doc.email, doc }, leadId, Timestamp.fromDate(now));
  });
  return { confirmed: true };
};
