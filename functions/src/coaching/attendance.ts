/**
 * A coaching session that took place: its status became `completed` — Cal.com's MEETING_ENDED
 * (webhooks/cal.ts sets it), or its coach or an admin marking it. Whatever wrote it, this is the one
 * producer of `session_attended`, once per session: a second delivery, or a session marked
 * completed again after a correction, finds the event already recorded.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { domainEvents, type SessionDoc } from '@zhengrowth/model';
import type { Deps } from '../core/deps.js';
import { runTx } from '../core/firestore.js';
import { domainEventId, recordDomainEvent, type DomainFact } from '../shared/domain-events.js';

export interface SessionChange {
  uid: string;
  sessionId: string;
  before: SessionDoc | undefined;
  after: SessionDoc | undefined;
}

/** Records session_attended when the session has just become completed; answers whether it did. */
export async function onSessionWritten(deps: Deps, c: SessionChange): Promise<boolean> {
  if (c.after?.status !== 'completed' || c.before?.status === 'completed') return false;
  const fact: DomainFact = {
    type: 'session_attended',
    userId: c.uid,
    subjectId: c.sessionId,
    data: { coach_id: c.after.coach_id, booking_id: c.after.booking_id },
  };
  const ref = deps.db.doc(domainEvents.docPath({ eventId: domainEventId(fact) }));
  return runTx(deps.db, async (tx) => {
    if ((await tx.get(ref)).exists) return false;
    recordDomainEvent(tx, deps.db, fact, Timestamp.fromDate(deps.now()));
    return true;
  });
}
