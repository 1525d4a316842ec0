/**
 * The funnel advancer (`advanceFunnels`, every 10 minutes): each due enrolment's next stage runs
 * in ONE transaction with the enrolment's move past it. Every action is a write of that
 * transaction under an id derived from the enrolment and the stage (an e-mail queued through
 * queueEmail, an inbox nudge through notifyInbox, tags on the lead), so:
 *   - a stage runs at most once per enrolment: the transaction re-reads the enrolment, and a stage
 *     already in done_stage_ids, or not yet due, is left alone;
 *   - a crash mid-stage commits nothing, and the next run does the whole stage once;
 *   - two advancers at once (a slow run overlapping the next) conflict on the enrolment: one
 *     commits, the other's retry finds the stage done.
 * The next stage is due `delay_hours` after this one ran; after the last, the enrolment is
 * completed (completed_at, and the user's funnel_progress). A paused funnel (`active: false`,
 * set by an admin) keeps its enrolments where they are and looks again an hour later.
 */
import { createHash } from 'node:crypto';
import { FieldValue, Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import { enrolmentsDue, funnelEnrolments, leads, users, type FunnelEnrolmentDoc } from '@zhengrowth/model';
import type { Deps } from '../core/deps.js';
import { txMerge, runTx } from '../core/firestore.js';
import { buildQuery } from '../core/query.js';
import { isConfirmed, readConsent } from '../shared/email-consent.js';
import { notifyInbox, queueEmail } from '../shared/outbox.js';
import { enrolmentRef, funnelRef, progressRef, stagesOf, stagesQuery, type Stage } from './refs.js';

export interface AdvanceDeps extends Deps {
  /** Test seam: called inside the transaction after the stage's action (a throw there is a crash mid-stage). */
  fault?: (point: string) => void;
}

export type StepOutcome = 'ran' | 'completed' | 'paused' | 'not-due';

const PAUSE_RECHECK_MS = 3_600_000;

interface Subject {
  email: string | null;
  name: string | null;
  leadId: string | null;
}

async function readSubject(tx: Transaction, db: Firestore, e: FunnelEnrolmentDoc): Promise<Subject> {
  if (e.user_id) {
    const u = (await tx.get(db.doc(users.docPath({ uid: e.user_id })).withConverter(users.converter))).data();
    return { email: u?.email ?? null, name: u?.name ?? null, leadId: null };
  }
  const l = e.lead_id ? (await tx.get(db.doc(leads.docPath({ leadId: e.lead_id })).withConverter(leads.converter))).data() : undefined;
  // A lead's address is mailed only while it is the confirmed one (a coach may have changed it since).
  const confirmed = l ? isConfirmed(await readConsent(tx, db, l.email)) : false;
  return { email: confirmed ? (l?.email ?? null) : null, name: l?.name ?? null, leadId: l && e.lead_id ? e.lead_id : null };
}

/** The stage's action: writes of the transaction, under ids derived from the enrolment and the stage. */
function runAction(tx: Transaction, db: Firestore, enrolmentId: string, e: FunnelEnrolmentDoc, stage: Stage, who: Subject, now: Timestamp): string[] {
  const key = `funnel-${createHash('sha256').update(`${enrolmentId}\u0000${stage.id}`).digest('hex').slice(0, 32)}`;
  const a = stage.action;
  if (a?.action_type === 'email' && who.email) {
    queueEmail(
      tx,
      db,
      key,
      {
        to: who.email,
        template: a.action_config.template_slug,
        variables: { name: who.name, funnel_id: e.funnel_id, stage: stage.name },
        subject: stage.name,
        text: `${stage.name} (template ${a.action_config.template_slug})`,
      },
      now,
    );
  } else if (a?.action_type === 'nudge' && e.user_id) {
    notifyInbox(
      tx,
      db,
      e.user_id,
      key,
      {
        type: 'funnel_nudge',
        title: a.action_config.title ?? stage.name,
        message: a.action_config.message ?? stage.name,
        action_url: a.action_config.action_url ?? null,
      },
      now,
    );
  } else if (a?.action_type === 'tag' && a.action_config.add.length) {
    if (who.leadId) tx.update(db.doc(leads.docPath({ leadId: who.leadId })), { tags: FieldValue.arrayUnion(...a.action_config.add), updated_at: now });
    return a.action_config.add;
  }
  return [];
}

/** Runs the next stage of one enrolment if it is due. */
export async function advanceEnrolment(deps: AdvanceDeps, enrolmentId: string): Promise<StepOutcome> {
  const db = deps.db;
  const ref = enrolmentRef(db, enrolmentId);
  return runTx(db, async (tx) => {
    const nowDate = deps.now();
    const now = Timestamp.fromDate(nowDate);
    const e = (await tx.get(ref)).data();
    if (!e || e.status !== 'active' || !e.next_run_at || e.next_run_at.toMillis() > nowDate.getTime()) return 'not-due';
    const funnel = (await tx.get(funnelRef(db, e.funnel_id))).data();
    if (funnel && funnel.active === false) {
      txMerge(tx, ref, { next_run_at: Timestamp.fromMillis(nowDate.getTime() + PAUSE_RECHECK_MS), updated_at: now });
      return 'paused';
    }
    const stages = funnel ? stagesOf(e.funnel_id, (await tx.get(stagesQuery(db, e.funnel_id))).docs) : [];
    const pending = stages.filter((s) => !e.done_stage_ids.includes(s.id));
    const stage = pending[0];
    const who = stage ? await readSubject(tx, db, e) : null;
    // ---- writes ----
    const tags = stage && who ? runAction(tx, db, enrolmentId, e, stage, who, now) : [];
    deps.fault?.('funnel:after-action');
    const next = pending[1];
    const done = stage ? [...e.done_stage_ids, stage.id] : e.done_stage_ids;
    txMerge(tx, ref, {
      done_stage_ids: done,
      tags: [...new Set([...e.tags, ...tags])],
      status: next ? 'active' : 'completed',
      next_run_at: next ? Timestamp.fromMillis(nowDate.getTime() + next.delayHours * 3_600_000) : null,
      completed_at: next ? null : now,
      updated_at: now,
    });
    if (e.user_id) txMerge(tx, progressRef(db, e.user_id, e.funnel_id), { current_stage_id: stage?.id ?? null, completed_at: next ? null : now });
    return next ? 'ran' : 'completed';
  });
}

export interface AdvanceReport {
  due: number;
  outcomes: Record<StepOutcome, number>;
}

/** One run: every enrolment due now (at most `limit`, the oldest first), one after another. */
export async function advanceFunnels(deps: AdvanceDeps, limit = 500): Promise<AdvanceReport> {
  const due = await buildQuery(deps.db, enrolmentsDue, ['active', Timestamp.fromDate(deps.now())])
    .withConverter(funnelEnrolments.converter)
    .select()
    .limit(limit)
    .get();
  const outcomes: Record<StepOutcome, number> = { ran: 0, completed: 0, paused: 0, 'not-due': 0 };
  for (const d of due.docs) outcomes[await advanceEnrolment(deps, d.id)]++;
  return { due: due.size, outcomes };
}
