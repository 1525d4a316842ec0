/**
 * `addLead`: a lead a coach or admin met (an event, a call) enters the pipeline the way a public
 * form does — the same fold, so the same lead per address, history, assignment, `lead_created` and
 * double opt-in before any funnel e-mail — with who entered it in the history. A coach keeps the
 * lead they entered; an admin's goes round the coaches. The rules refuse direct creates of leads.
 */
import { Timestamp } from 'firebase-admin/firestore';
import type { addLead as contract } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import type { LeadDeps } from './deps.js';
import { fileLeadForm } from './submit.js';

export const addLead: CallableHandler<typeof contract, LeadDeps> = async (input, staff, deps) => {
  const folded = await fileLeadForm(deps, {
    email: input.email,
    name: input.name ?? null,
    phone: input.phone ?? null,
    source: input.source ?? null,
    user_id: null,
    account_verified: false,
    added_by: staff.uid,
    created_at: Timestamp.fromDate(deps.now()),
  });
  return { lead_id: folded.leadId, created: folded.created };
};
