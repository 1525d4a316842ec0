import { z } from 'zod';
import { clientWriteSchema, settingsJson, text, TEXT } from '../client-writes.js';
import { defineCollection } from '../collection.js';
import { currencyCode, id, int, json, moneyMinor, timestamp, uid } from '../primitives.js';
import { lessonAccessKey } from './users.js';

/** What a partial refund does to what an offer granted: keep it, or reduce credits and access in proportion. */
export const PARTIAL_REFUND_POLICIES = ['keep', 'prorate'] as const;

export const offerSchema = z.strictObject({
  slug: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  price_minor: moneyMinor,
  currency: currencyCode,
  duration_weeks: int.nullable(),
  sessions_included: int.nullable(),
  features: json.nullable(),
  active: z.boolean().nullable(),
  created_at: timestamp.nullable(),
  updated_at: timestamp.nullable(),
  metadata: json.nullable(),
  // What buying it grants beyond sessions_included and duration_weeks (absent on migrated rows: nothing more).
  /** The lessons it unlocks: `module:{module_id}` or `lesson:{lesson id}` (LESSON_ACCESS_KEY). */
  lesson_access: z.array(lessonAccessKey).optional(),
  /** A partial refund keeps the grant (default) or reduces credits and access in proportion to what was refunded. */
  partial_refund: z.enum(PARTIAL_REFUND_POLICIES).optional(),
});
export type OfferDoc = z.infer<typeof offerSchema>;
export const offers = defineCollection({
  collection: 'offers',
  idParam: 'offerId',
  schema: offerSchema,
  sources: ['coaching_offers'],
  access: 'public-read',
  idFrom: 'coaching_offers.id',
  description: 'Coaching packages for sale; anyone reads active ones, admins write.',
  clientWrite: clientWriteSchema(offerSchema, {
    slug: text(TEXT.name),
    title: text(TEXT.name),
    description: text(TEXT.paragraph).nullable(),
    features: z.array(text(TEXT.name)).max(4).nullable(),
    metadata: settingsJson.nullable(),
    lesson_access: z.array(lessonAccessKey).max(3).optional(),
  }),
});

export const calBookingSchema = z.strictObject({
  cal_booking_id: int.nullable(),
  event_id: int.nullable(),
  user_id: uid.nullable(),
  attendee_email: z.string(),
  attendee_name: z.string().nullable(),
  start_time: timestamp,
  end_time: timestamp.nullable(),
  status: z.string().nullable(),
  meeting_url: z.string().nullable(),
  metadata: json.nullable(),
  created_at: timestamp.nullable(),
  updated_at: timestamp.nullable(),
  // Fields kept by the Cal.com webhook (absent on migrated rows).
  /** The Cal.com booking uid. */
  cal_uid: z.string().nullable().optional(),
  /** Reschedules: the cal_bookings document this one replaced, and the one that replaced it. */
  rescheduled_from: id.nullable().optional(),
  rescheduled_to: id.nullable().optional(),
  /** The paid booking (bookings document id) linked through its booking_token. */
  booking_id: id.nullable().optional(),
  /** The coaching session (users/{user_id}/sessions) this booking keeps in step. */
  session_id: id.nullable().optional(),
  no_show: z.boolean().nullable().optional(),
  /** createdAt of the latest Cal.com delivery whose booking data was applied (older ones do not overwrite it). */
  last_event_at: timestamp.nullable().optional(),
  /**
   * A booking of a paid session type without a paid `bookings` row: `used` (a session credit of
   * `credit_entitlement_id` pays for it), `returned` (cancelled: the credit went back), `moved` (to
   * the booking that replaced it), `unpaid` (no credit and no payment: flagged for the coach).
   */
  credit_state: z.enum(['used', 'returned', 'moved', 'unpaid']).nullable().optional(),
  credit_entitlement_id: id.nullable().optional(),
  /** Set when the coach must look at it (a session booked without credit or payment). */
  attention: z.string().nullable().optional(),
});
export type CalBookingDoc = z.infer<typeof calBookingSchema>;
export const calBookings = defineCollection({
  collection: 'cal_bookings',
  idParam: 'calBookingDocId',
  schema: calBookingSchema,
  sources: ['cal_bookings'],
  access: 'staff',
  idFrom: 'cal_bookings.id',
  description: 'Cal.com bookings, kept in step by the Cal.com webhook; the attendee (by email) and staff read them.',
});

export const calEventTypeSchema = z.strictObject({
  slug: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  duration_minutes: int,
  price_minor: moneyMinor.nullable(),
  currency: currencyCode.nullable(),
  active: z.boolean().nullable(),
  metadata: json.nullable(),
  created_at: timestamp.nullable(),
  updated_at: timestamp.nullable(),
});
export type CalEventTypeDoc = z.infer<typeof calEventTypeSchema>;
export const calEventTypes = defineCollection({
  collection: 'cal_event_types',
  idParam: 'eventTypeId',
  schema: calEventTypeSchema,
  sources: ['cal_event_types'],
  access: 'public-read',
  idFrom: 'cal_event_types.id (the Cal.com event type id, as a string)',
  description: 'Bookable Cal.com session types and their prices.',
  clientWrite: clientWriteSchema(calEventTypeSchema, {
    slug: text(TEXT.name),
    title: text(TEXT.name),
    description: text(TEXT.paragraph).nullable(),
    metadata: settingsJson.nullable(),
  }),
});

export const bookingSchema = z.strictObject({
  booking_token: z.string(),
  cal_booking_id: int.nullable(),
  customer_email: z.string(),
  customer_name: z.string().nullable(),
  event_type_id: int.nullable(),
  amount_minor: moneyMinor.nullable(),
  currency: currencyCode.nullable(),
  payment_id: z.string().nullable(),
  status: z.string().nullable(),
  metadata: json.nullable(),
  created_at: timestamp.nullable(),
  updated_at: timestamp.nullable(),
  // Fields written by checkout and the Cal.com webhook (absent on migrated rows).
  user_id: uid.nullable().optional(),
  order_id: id.nullable().optional(),
  /** The Cal.com booking uid and status (status above is the payment state of the booking). */
  cal_uid: z.string().nullable().optional(),
  cal_status: z.string().nullable().optional(),
});
export type BookingDoc = z.infer<typeof bookingSchema>;
export const bookings = defineCollection({
  collection: 'bookings',
  idParam: 'bookingId',
  schema: bookingSchema,
  sources: ['bookings'],
  access: 'owner',
  idFrom: 'bookings.id',
  description: 'Paid session bookings (separate from cal_bookings); the customer (by email) reads, the server writes.',
});
