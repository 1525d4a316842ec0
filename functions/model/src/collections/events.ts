import { z } from 'zod';
import { clientWriteSchema, settingsJson, tagList, text, TEXT } from '../client-writes.js';
import { defineCollection } from '../collection.js';
import { currencyCode, id, int, json, moneyMinor, stringArray, timestamp, uid } from '../primitives.js';

export const eventSchema = z.strictObject({
  slug: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  start_time: timestamp,
  end_time: timestamp.nullable(),
  timezone: z.string().nullable(),
  location: z.string().nullable(),
  capacity: int.nullable(),
  registered_count: int.nullable(),
  cover_image: z.string().nullable(),
  published: z.boolean().nullable(),
  tags: stringArray.nullable(),
  metadata: json.nullable(),
  created_at: timestamp.nullable(),
  updated_at: timestamp.nullable(),
  /** Waitlist tickets handed out so far (the next one is this + 1); kept by the server (absent: none yet). */
  waitlist_seq: int.optional(),
});
export type EventDoc = z.infer<typeof eventSchema>;
export const events = defineCollection({
  collection: 'events',
  idParam: 'eventId',
  schema: eventSchema,
  sources: ['events_catalog'],
  access: 'public-read',
  idFrom: 'events_catalog.id',
  description: 'Events and workshops; anyone reads published ones, admins write; registered_count is kept by the server.',
  // waitlist_seq is the server's waitlist ticket counter: never written by a client.
  clientWrite: clientWriteSchema(eventSchema.omit({ waitlist_seq: true }), {
    slug: text(TEXT.name),
    title: text(TEXT.name),
    description: text(TEXT.long).nullable(),
    timezone: text(64).nullable(),
    location: text(500).nullable(),
    cover_image: text(TEXT.url).nullable(),
    tags: tagList(4).nullable(),
    metadata: settingsJson.nullable(),
  }),
});

export const eventPriceSchema = z.strictObject({
  event_id: id,
  tier: z.string().nullable(),
  currency: currencyCode,
  amount_minor: moneyMinor,
  region: z.string().nullable(),
  active: z.boolean().nullable(),
  metadata: json.nullable(),
});
export type EventPriceDoc = z.infer<typeof eventPriceSchema>;
export const eventPrices = defineCollection({
  collection: 'events/{eventId}/prices',
  idParam: 'priceId',
  schema: eventPriceSchema,
  sources: ['event_prices'],
  access: 'public-read',
  idFrom: 'event_prices.id',
  description: 'Ticket prices of an event per tier, currency and region.',
  clientWrite: clientWriteSchema(eventPriceSchema, { tier: text(TEXT.code).nullable(), region: text(TEXT.code).nullable(), metadata: settingsJson.nullable() }),
});

export const eventRegistrationSchema = z.strictObject({
  event_id: id,
  user_id: uid.nullable(),
  attendee_email: z.string(),
  attendee_name: z.string().nullable(),
  ticket_type: z.string().nullable(),
  status: z.string().nullable(),
  checked_in: z.boolean().nullable(),
  payment_status: z.string().nullable(),
  amount_paid_minor: moneyMinor.nullable(),
  currency: currencyCode.nullable(),
  metadata: json.nullable(),
  registered_at: timestamp.nullable(),
  updated_at: timestamp.nullable(),
  /** The order that pays for this registration (absent on migrated rows). */
  order_id: id.nullable().optional(),
  // Fields of registerForEvent, cancelRegistration and checkIn (absent on migrated rows).
  /** The waitlist ticket (1, 2, …: first come, first promoted) while `waitlisted`. */
  waitlist_seq: int.nullable().optional(),
  /** A waitlisted paid ticket: the price it will be offered at when a seat frees up. */
  price_id: id.nullable().optional(),
  cancelled_at: timestamp.nullable().optional(),
  checked_in_at: timestamp.nullable().optional(),
  checked_in_by: uid.nullable().optional(),
});
export type EventRegistrationDoc = z.infer<typeof eventRegistrationSchema>;
export const eventRegistrations = defineCollection({
  collection: 'events/{eventId}/registrations',
  idParam: 'registrationId',
  schema: eventRegistrationSchema,
  sources: ['event_regs'],
  access: 'owner',
  idFrom: 'event_regs.id',
  description: 'Registrations for an event; the registered user reads theirs, coaches (organizers) and admins read all.',
});
