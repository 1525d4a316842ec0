/**
 * What Cal.com sends: the handled triggers as a discriminated union over `triggerEvent`, the
 * envelope of any delivery, and the delivery id Cal.com does not give.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO date-time');
/**
 * E-mail addresses are stored lower-case: the rules (and RLS) match a booking to its owner by the
 * token's e-mail, which Firebase Auth keeps in lower case, and an exact comparison would hide
 * "Ann@Example.com"'s booking from Ann.
 */
const emailAddress = z
  .string()
  .min(3)
  .transform((s) => s.trim().toLowerCase());
const person = z.looseObject({ email: emailAddress, name: z.string().nullish(), noShow: z.boolean().nullish() });

export const bookingPayload = z.looseObject({
  uid: z.string().min(1),
  bookingId: z.int().nullish(),
  /** MEETING_ENDED sends the booking row, whose id is the booking id. */
  id: z.int().nullish(),
  rescheduleUid: z.string().min(1).nullish(),
  /** The original's Cal.com booking id (sent with reschedules by recent Cal.com versions). */
  rescheduleId: z.int().nullish(),
  rescheduleStartTime: isoTime.nullish(),
  startTime: isoTime,
  endTime: isoTime.nullish(),
  attendees: z.array(person).default([]),
  organizer: person.nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  responses: z.record(z.string(), z.unknown()).nullish(),
  videoCallData: z.looseObject({ url: z.string().nullish() }).nullish(),
  eventTypeId: z.int().nullish(),
  status: z.string().nullish(),
  title: z.string().nullish(),
  cancellationReason: z.string().nullish(),
  rejectionReason: z.string().nullish(),
});

const noShowPayload = z.looseObject({
  bookingUid: z.string().min(1),
  bookingId: z.int().nullish(),
  attendees: z.array(z.looseObject({ email: emailAddress, noShow: z.boolean() })).default([]),
});

const envelope = { createdAt: isoTime };
const BOOKING_TRIGGERS = [
  'BOOKING_CREATED',
  'BOOKING_REQUESTED',
  'BOOKING_REJECTED',
  'BOOKING_RESCHEDULED',
  'BOOKING_CANCELLED',
  'BOOKING_PAID',
  'BOOKING_PAYMENT_INITIATED',
  'MEETING_ENDED',
] as const;

export const calEvent = z.discriminatedUnion('triggerEvent', [
  z.looseObject({ ...envelope, triggerEvent: z.literal(BOOKING_TRIGGERS), payload: bookingPayload }),
  z.looseObject({ ...envelope, triggerEvent: z.literal('BOOKING_NO_SHOW_UPDATED'), payload: noShowPayload }),
]);
export const CAL_TRIGGERS: ReadonlySet<string> = new Set([...BOOKING_TRIGGERS, 'BOOKING_NO_SHOW_UPDATED']);

export type BookingTrigger = (typeof BOOKING_TRIGGERS)[number];
export type BookingEvent = { triggerEvent: BookingTrigger; createdAt: string; payload: z.infer<typeof bookingPayload> };
export type NoShowEvent = { triggerEvent: 'BOOKING_NO_SHOW_UPDATED'; createdAt: string; payload: z.infer<typeof noShowPayload> };
export type CalEvent = BookingEvent | NoShowEvent;

export const anyEvent = z.looseObject({ triggerEvent: z.string().min(1), createdAt: z.string().optional(), payload: z.unknown().optional() });

/** The delivery id Cal.com does not give: trigger, booking uid and createdAt, hashed into a document id. */
export function calEventId(trigger: string, uid: string, createdAt: string): string {
  return createHash('sha256').update(`${trigger}\u0000${uid}\u0000${createdAt}`).digest('hex').slice(0, 40);
}

/** booking_token from the booking's metadata, or from a booking-form response (a value or { value }). */
export function bookingToken(p: z.infer<typeof bookingPayload>): string | null {
  const fromMeta = p.metadata?.booking_token;
  if (typeof fromMeta === 'string' && fromMeta) return fromMeta;
  const r = p.responses?.booking_token;
  if (typeof r === 'string' && r) return r;
  if (typeof r === 'object' && r !== null && typeof (r as { value?: unknown }).value === 'string') return (r as { value: string }).value || null;
  return null;
}
