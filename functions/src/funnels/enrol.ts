/**
 * Funnel enrolment on domain events: a signup, lead_created, purchase, event_registered or
 * lesson_completed event enrols its user (or, for lead_created, its lead) in every active funnel
 * whose trigger_event names it. Once per funnel and subject: the enrolment's id is
 * `{funnel}:{user|lead}:{id}`, created in a transaction that first reads it (a user already in the
 * funnel through migrated progress is not enrolled again). The first stage is due `delay_hours`
 * after enrolment; the scheduled advancer (advance.ts) runs the stages.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { FUNNEL_TRIGGERS, funnels, funnelsByTrigger, progressInFunnel, type DomainEventDoc } from '@zhengrowth/model';
import type { Deps } from '../core/deps.js';
import { txCreate, txSet, runTx } from '../core/firestore.js';
import { buildQuery } from '../core/query.js';
import { enrolmentRef, progressRef, stagesOf, stagesQuery } from './refs.js';

const isTrigger = (t: string): t is (typeof FUNNEL_TRIGGERS)[number] => (FUNNEL_TRIGGERS as readonly string[]).includes(t);

export async function enrolFromEvent(deps: Deps, eventId: string, event: DomainEventDoc): Promise<number> {
  if (!isTrigger(event.type)) return 0;
  const subject =
    event.type === 'lead_created'
      ? event.lead_id
        ? { kind: 'lead' as const, id: event.lead_id }
        : null
      : event.user_id
        ? { kind: 'user' as const, id: event.user_id }
        : null;
  if (!subject) return 0;
  const db = deps.db;
  const matching = await buildQuery(db, funnelsByTrigger, [event.type, true]).withConverter(funnels.converter).get();
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
        trigger_event: event.type,
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
