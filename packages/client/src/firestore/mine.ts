import type { Firestore } from 'firebase/firestore';
import {
  bookings,
  bookingsMine,
  calBookings,
  calBookingsMine,
  eventRegistrations,
  orders,
  ordersMine,
  receipts,
  receiptsOfUser,
  registrationsMine,
  sessions,
  sessionsOfUser,
  type BookingDoc,
  type CalBookingDoc,
  type EventRegistrationDoc,
  type OrderDoc,
  type ReceiptDoc,
  type SessionDoc,
} from '@zhengrowth/model';
import { specQuery } from './queries.js';
import { readDocs, type ReadResult } from './read.js';

/**
 * The signed-in user's records elsewhere in the database, each with the filter the rules require
 * (a query without it is refused as a whole, even if every document it would return is theirs).
 */

export function listMyOrders(db: Firestore, uid: string): Promise<ReadResult<OrderDoc>> {
  return readDocs(orders, specQuery(db, ordersMine, [uid]));
}

export function listMyReceipts(db: Firestore, uid: string): Promise<ReadResult<ReceiptDoc>> {
  return readDocs(receipts, specQuery(db, receiptsOfUser, [], { uid }));
}

export function listMySessions(db: Firestore, uid: string): Promise<ReadResult<SessionDoc>> {
  return readDocs(sessions, specQuery(db, sessionsOfUser, [], { uid }));
}

export function listMyRegistrations(db: Firestore, uid: string): Promise<ReadResult<EventRegistrationDoc>> {
  return readDocs(eventRegistrations, specQuery(db, registrationsMine, [uid]));
}

/**
 * Paid session bookings and Cal.com bookings are matched by e-mail: pass the token's e-mail, and only
 * once it is verified (`user.emailVerified`); the rules refuse the query otherwise.
 */
export function listMyBookings(db: Firestore, verifiedEmail: string): Promise<ReadResult<BookingDoc>> {
  return readDocs(bookings, specQuery(db, bookingsMine, [verifiedEmail]));
}

export function listMyCalBookings(db: Firestore, verifiedEmail: string): Promise<ReadResult<CalBookingDoc>> {
  return readDocs(calBookings, specQuery(db, calBookingsMine, [verifiedEmail]));
}
