/**
 * The one door of a public lead form: `submitLead` (validated by its contract, limited per IP and
 * per address) writes a lead_forms document and folds it at once; clients cannot write lead_forms.
 * The `onLeadFormCreated` trigger folds any form the callable did not (a crash between the two).
 * An address that has not confirmed is sent one confirmation e-mail (a day at most) by the fold.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { leadForms, type LeadFormDoc, type submitLead as submitLeadContract } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { createDoc } from '../core/firestore.js';
import { consume, type Limit, type RateLimitPolicy } from '../core/rate-limit.js';
import { normalEmail } from '../shared/email-consent.js';
import type { LeadDeps } from './deps.js';
import { foldLeadForm, type FoldResult } from './fold.js';

export const SUBMIT_LEAD_LIMITS: RateLimitPolicy = { ip: { max: 20, per_seconds: 3600 } };
/**
 * Per address, whatever the IP: a form names someone we may e-mail (funnels) and a coach is told of
 * it, so nobody can make us write to one person, or notify the coaches about them, more than this.
 */
export const SUBMIT_LEAD_PER_ADDRESS: Limit = { max: 5, per_seconds: 86_400 };

/** A form recorded, then folded at once (the trigger folds it if this process dies in between). */
export async function fileLeadForm(deps: LeadDeps, form: LeadFormDoc): Promise<FoldResult> {
  const ref = deps.db.collection(leadForms.collectionPath({})).doc().withConverter(leadForms.converter);
  await createDoc(ref, form);
  return foldLeadForm(deps, ref.id, form);
}

export const submitLead: CallableHandler<typeof submitLeadContract, LeadDeps> = async (input, caller, deps) => {
  await consume(deps.db, 'submitLead', 'email', input.email.toLowerCase(), SUBMIT_LEAD_PER_ADDRESS, deps.now());
  await fileLeadForm(deps, {
    email: input.email,
    name: input.name ?? null,
    phone: input.phone ?? null,
    source: input.source ?? null,
    user_id: caller?.uid ?? null,
    // The submitter's own verified address needs no confirmation e-mail (double opt-in, shared/email-consent.ts).
    account_verified: caller !== null && caller.emailVerified && caller.email !== undefined && normalEmail(caller.email) === normalEmail(input.email),
    created_at: Timestamp.fromDate(deps.now()),
  });
  // Whether the address was known is not said: the answer is the same either way.
  return { received: true };
};
