import { z } from 'zod';
import { docIdInput, isoTime, nextPageToken } from './common.js';
import { guestEmailInput, orderView } from './commerce.js';
import { defineCallable } from './contract.js';

export const REGISTRATION_VIEW_STATUSES = ['registered', 'waitlisted', 'reserved', 'cancelled'] as const;

export const registrationView = z.strictObject({
  id: z.string(),
  event_id: z.string(),
  /** registered, waitlisted, reserved (a ticket held by a pending payment), cancelled; a migrated row's own status otherwise. */
  status: z.string().nullable(),
  attendee_name: z.string().nullable(),
  attendee_email: z.string(),
  ticket_type: z.string().nullable(),
  payment_status: z.string().nullable(),
  /** 1 = next to be promoted; null when not waitlisted. */
  waitlist_position: z.int().nullable(),
  checked_in: z.boolean(),
  checked_in_at: isoTime.nullable(),
  registered_at: isoTime.nullable(),
  order_id: z.string().nullable(),
});
export type RegistrationView = z.infer<typeof registrationView>;

export const registerForEvent = defineCallable({
  name: 'registerForEvent',
  access: 'public',
  description:
    'Registers for a free event (or one without prices), never beyond capacity: when full, on the waitlist with a position. A full paid event: on the waitlist for price_id (paid tickets are bought with createCheckout). Guests (signed out) give customer_email and customer_name; rate-limited.',
  input: z.strictObject({
    event_id: docIdInput,
    /** A full paid event: the ticket price to be offered when a seat frees up. */
    price_id: docIdInput.optional(),
    customer_email: guestEmailInput.optional(),
    customer_name: z.string().trim().min(1).max(200).optional(),
  }),
  output: z.strictObject({
    registration: registrationView,
    /** true when this person was registered (or waitlisted) already: nothing new was made. */
    existing: z.boolean(),
  }),
});

export const cancelRegistration = defineCallable({
  name: 'cancelRegistration',
  access: 'signed-in',
  description:
    'The registrant cancels a free registration (or leaves the waitlist): the seat goes to the first waitlisted person (inbox and e-mail; a paid ticket gets a checkout link holding the seat for the checkout TTL). Paid registrations are cancelled by an admin refund.',
  input: z.strictObject({ event_id: docIdInput, registration_id: docIdInput }),
  output: z.strictObject({
    registration: registrationView,
    /** Who got the seat, if anyone. */
    promoted: z.strictObject({ registration_id: z.string(), status: z.enum(['registered', 'reserved']), order_id: z.string().nullable() }).nullable(),
  }),
});

export const manageBooking = defineCallable({
  name: 'manageBooking',
  access: 'public',
  description:
    'The signed manage link of a confirmation e-mail, without signing in: view the registration or order it names, or cancel a free registration. Rate-limited.',
  input: z.strictObject({
    token: z.string().min(20).max(2000),
    action: z.enum(['view', 'cancel']).default('view'),
  }),
  output: z.strictObject({
    registration: registrationView.nullable(),
    order: orderView.nullable(),
    promoted: z.strictObject({ registration_id: z.string(), status: z.enum(['registered', 'reserved']), order_id: z.string().nullable() }).nullable(),
  }),
});

export const checkIn = defineCallable({
  name: 'checkIn',
  access: 'staff',
  description:
    'Checks an attendee in, once, by event and registration id or by the signed QR token of the confirmation; a second scan says when it was checked in.',
  input: z.union([z.strictObject({ event_id: docIdInput, registration_id: docIdInput }), z.strictObject({ token: z.string().min(20).max(2000) })]),
  output: z.strictObject({
    registration: registrationView,
    /** false: this call checked them in; true: they were already (checked_in_at says when). */
    already_checked_in: z.boolean(),
  }),
});

export const listAttendees = defineCallable({
  name: 'listAttendees',
  access: 'staff',
  description: "An event's registrations, a page at a time (oldest first), with counts of registered, waitlisted and checked-in people.",
  input: z.strictObject({
    event_id: docIdInput,
    status: z.enum(REGISTRATION_VIEW_STATUSES).optional(),
    limit: z.int().min(1).max(200).default(50),
    page_token: docIdInput.optional(),
  }),
  output: z.strictObject({
    attendees: z.array(registrationView),
    counts: z.strictObject({ registered: z.int(), waitlisted: z.int(), checked_in: z.int() }),
    capacity: z.int().nullable(),
    next_page_token: nextPageToken,
  }),
});
