/**
 * The two doors of a public lead form, equal by construction: a lead_forms document created under
 * the rules is folded by the `onLeadFormCreated` trigger; `submitLead` (validated by its contract,
 * limited per IP) writes the same document and folds it at once. The trigger then finds it folded.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { leadForms, type LeadFormDoc, type submitLead as submitLeadContract } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import type { Deps } from '../core/deps.js';
import { createDoc } from '../core/firestore.js';
import type { RateLimitPolicy } from '../core/rate-limit.js';
import { foldLeadForm } from './fold.js';

export const SUBMIT_LEAD_LIMITS: RateLimitPolicy = { ip: { max: 20, per_seconds: 3600 } };

export const submitLead: CallableHandler<typeof submitLeadContract, Deps> = async (input, caller, deps) => {
  const ref = deps.db.collection(leadForms.collectionPath({})).doc().withConverter(leadForms.converter);
  const form: LeadFormDoc = {
    email: input.email,
    name: input.name ?? null,
    phone: input.phone ?? null,
    source: input.source ?? null,
    user_id: caller?.uid ?? null,
    created_at: Timestamp.fromDate(deps.now()),
  };
  await createDoc(ref, form);
  await foldLeadForm(deps, ref.id, form);
  // Whether the address was known is not said: the answer is the same either way.
  return { received: true };
};
