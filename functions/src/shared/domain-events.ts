/**
 * Domain events (domain_events): a fact that other processes follow (funnels, badges, referrals),
 * written in the same transaction as the fact, under an id derived from it, so that a retried
 * effect records it once and the followers see it exactly when the fact is committed.
 */
import type { Firestore, Timestamp, Transaction } from 'firebase-admin/firestore';
import { domainEvents, type DomainEventType, type JsonValue } from '@zhengrowth/model';
import { txSet } from '../core/firestore.js';

export interface DomainFact {
  type: DomainEventType;
  userId: string | null;
  leadId?: string | null;
  /** What it is about (order, event, lesson, post id); with the type and user it makes the id. */
  subjectId: string | null;
  data?: JsonValue | null;
}

/** `purchase:ORDER1:uid`; ids are document-safe (no '/'). */
export function domainEventId(f: Pick<DomainFact, 'type' | 'subjectId' | 'userId' | 'leadId'>): string {
  return [f.type, f.subjectId ?? '-', f.userId ?? f.leadId ?? '-'].map((s) => s.replace(/\//g, '_')).join(':');
}

export function recordDomainEvent(tx: Transaction, db: Firestore, fact: DomainFact, at: Timestamp): string {
  const eventId = domainEventId(fact);
  txSet(tx, db.doc(domainEvents.docPath({ eventId })).withConverter(domainEvents.converter), {
    type: fact.type,
    user_id: fact.userId,
    lead_id: fact.leadId ?? null,
    subject_id: fact.subjectId,
    occurred_at: at,
    data: fact.data ?? null,
  });
  return eventId;
}

/**
 * A seat that became a registration: a free registration, a promotion from the waitlist, or the
 * payment of a ticket. The one shape of `event_registered`, whichever of them records it.
 */
export function eventRegisteredFact(eventId: string, registrationId: string, userId: string | null, how: 'free' | 'waitlist' | 'paid'): DomainFact {
  return {
    type: 'event_registered',
    userId,
    subjectId: `${eventId}:${registrationId}`,
    data: { event_id: eventId, registration_id: registrationId, guest: !userId, via: how },
  };
}
