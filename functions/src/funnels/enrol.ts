/**
 * Funnel enrolment on domain events: a signup, lead_created, purchase, event_registered or
 * lesson_completed event enrols its user (or, for lead_created, its lead) in every active funnel
 * whose trigger_event names it. A lead enters only once its address has confirmed (double opt-in):
 * on lead_created if it already had, else on lead_confirmed. Once per funnel and subject: the enrolment's id is
 * `{funnel}:{user|lead}:{id}`, created in a transaction that first reads it (a user already in the
 * funnel through migrated progress is not enrolled again). The first stage is due `delay_hours`
 * after enrolment; the scheduled advancer (advance.ts) runs the stages.
 */
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import { FUNNEL_TRIGGERS, funnels, funnelsByTrigger, leads, progressInFunnel, type DomainEventDoc } from '@zhengrowth/model';
import type { Deps } from '../core/deps.js';
import { txCreate, txSet, runTx } from '../core/firestore.js';
import { buildQuery } from '../core/query.js';
import { addressConfirmed } from '../shared/email-consent.js';
import { enrolmentRef, progressRef, stagesOf, stagesQuery } from './refs.js';

const isTrigger = (t: string): t is (typeof FUNNEL_TRIGGERS)[number] => (FUNNEL_TRIGGERS as readonly string[]).includes(t);

/** The lead kinds of event: a lead enters lead_created funnels once its address confirmed, whichever came last. */
const LEAD_EVENTS: ReadonlySet<string> = new Set(['lead_created', 'lead_confirmed']);

async function leadMayBeMailed(db: Firestore, leadId: string): Promise<boolean> {
  const lead = (await db.doc(leads.docPath({ leadId })).withConverter(leads.converter).get()).data();
  return lead !== undefined && (await addressConfirmed(db, lead.email));
}

export async function enrolFromEvent(deps: Deps, eventId: string, event: DomainEventDoc): Promise<number> {
  const trigger = event.type === 'lead_confirmed' ? 'lead_created' : event.type;
  if (!isTrigger(trigger)) return 0;
  const subject = LEAD_EVENTS.has(event.type)
    ? event.lead_id
      ? { kind: 'lead' as const, id: event.lead_id }
      : null
    : event.user_id
      ? { kind: 'user' as const, id: event.user_id }
      : null;
  if (!subject) return 0;
  const db = deps.db;
  // Double opt-in: an unconfirmed lead waits for `lead_confirmed` (shared/email-consent.ts).
  if (subject.kind === 'lead' && !(await leadMayBeMailed(db, subject.id))) return 0;
  const matching = await buildQuery(db, funnelsByTrigger, [trigger, true]).withConverter(funnels.converter).get();
  let enrolled = 0;
  for (const f of matching.docs) {
    const stages = stagesOf(f.id, (await stagesQuery(db, f.id).get()).docs);
    const ref = enrolmentRef(db, `${f.id}:${subject.kind}:${subject.id}`);
    const now = Timestamp.fromDate(deps.now());
    const created = await runTx(db, async (tx) => {
      if ((await tx.get(ref)).exists) return false;
      if (subject.kind === 'user') {
        const progress = await tx.get(buildQuery(db, progressInFunnel, [f.id], { uid: subject.id }).limit(1));
        if (!progress.empty) return false;
      }
      const first = stages[0];
      txCreate(tx, ref, {
        funnel_id: f.id,
        subject: subject.kind,
        user_id: subject.kind === 'user' ? subject.id : null,
        lead_id: subject.kind === 'lead' ? subject.id : null,
        status: first ? 'active' : 'completed',
        trigger_event: trigger,
        event_id: eventId,
        done_stage_ids: [],
        next_run_at: first ? Timestamp.fromMillis(now.toMillis() + first.delayHours * 3_600_000) : null,
        tags: [],
        started_at: now,
        completed_at: first ? null : now,
        updated_at: now,
      });
      if (subject.kind === 'user') {
        txSet(tx, progressRef(db, subject.id, f.id), {
          user_id: subject.id,
          funnel_id: f.id,
          current_stage_id: null,
          started_at: now,
          completed_at: first ? null : now,
          metadata: { enrolment_id: ref.id },
        });
      }
      return true;
    });
    if (created) enrolled++;
  }
  return enrolled;
}
