/**
 * Typed references to the documents that several domains write: an event and its registrations
 * (registrations own them; checkout, payments and guest adoption write them too).
 */
import type { DocumentReference, Firestore } from 'firebase-admin/firestore';
import { eventRegistrations, events, type EventDoc, type EventRegistrationDoc } from '@zhengrowth/model';

export const registrationRef = (db: Firestore, eventId: string, registrationId: string): DocumentReference<EventRegistrationDoc> =>
  db.doc(eventRegistrations.docPath({ eventId, registrationId })).withConverter(eventRegistrations.converter);

export const eventRef = (db: Firestore, eventId: string): DocumentReference<EventDoc> => db.doc(events.docPath({ eventId })).withConverter(events.converter);
