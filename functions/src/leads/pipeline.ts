/**
 * `moveLead`: the one way a lead's stage changes. Only the pipeline's moves (LEAD_TRANSITIONS in
 * the model) are allowed; each is written with the lead in one transaction, with a history entry
 * saying from where to where, who moved it and why. A move to the stage the lead is in changes
 * nothing. A lead migrated with a stage outside the pipeline may only be moved to `new` or `lost`.
 */
import { randomUUID } from 'node:crypto';
import { HttpsError } from 'firebase-functions/v2/https';
import { Timestamp } from 'firebase-admin/firestore';
import { LEAD_STAGES, LEAD_TRANSITIONS, leadHistory, leads, type LeadStage, type moveLead as contract } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import type { Deps } from '../core/deps.js';
import { runTx, txCreate, txMerge } from '../core/firestore.js';
import { historyEntry } from './history.js';

const isStage = (s: string | null): s is LeadStage => s !== null && (LEAD_STAGES as readonly string[]).includes(s);

/** Where a lead in `from` may go. */
export function movesFrom(from: string | null): readonly LeadStage[] {
  if (from === null) return LEAD_TRANSITIONS.new;
  return isStage(from) ? LEAD_TRANSITIONS[from] : ['new', 'lost'];
}

export const moveLead: CallableHandler<typeof contract, Deps> = async (input, staff, deps) => {
  const db = deps.db;
  const ref = db.doc(leads.docPath({ leadId: input.lead_id })).withConverter(leads.converter);
  return runTx(db, async (tx) => {
    const lead = (await tx.get(ref)).data();
    if (!lead) throw new HttpsError('not-found', `no lead ${input.lead_id}`);
    const from = lead.stage;
    if (from === input.stage) return { lead_id: input.lead_id, stage: input.stage, changed: false };
    const allowed = movesFrom(from);
    if (!allowed.includes(input.stage))
      throw new HttpsError('failed-precondition', `a lead in ${from ?? 'no stage'} moves only to ${allowed.join(', ') || 'nothing (it is final)'}`);
    const now = Timestamp.fromDate(deps.now());
    txMerge(tx, ref, { stage: input.stage, updated_at: now, ...(input.stage === 'contacted' ? { last_contacted_at: now } : {}) });
    txCreate(
      tx,
      db
        .doc(leadHistory.docPath({ leadId: input.lead_id, entryId: `stage-${now.toMillis()}-${randomUUID().slice(0, 8)}` }))
        .withConverter(leadHistory.converter),
      historyEntry('stage', now, { from_stage: from, to_stage: input.stage, by: staff.uid, note: input.note ?? null }),
    );
    return { lead_id: input.lead_id, stage: input.stage, changed: true };
  });
};
