import { orders } from '../collections/commerce.js';
import { i18nDict } from '../collections/config.js';
import { blogTemplates } from '../collections/content.js';
import { eventRegistrations } from '../collections/events.js';
import { entitlements } from '../collections/users.js';
import { defineQuery } from './spec.js';

/** Queries of entitlements, event registration and check-in, guests, admin notices and the uniqueness callables. */

export const entitlementsOfUser = defineQuery({
  name: 'access.entitlementsOfUser',
  collection: entitlements,
  where: [],
  orderBy: [{ field: 'granted_at', direction: 'desc' }],
  usedBy: 'functions:listMyEntitlements, calWebhook (session credits)',
});

/** The waitlist of an event in order (the first is promoted) and, with a bound, who is ahead of a ticket. */
export const waitlistOfEvent = defineQuery({
  name: 'access.waitlistOfEvent',
  collection: eventRegistrations,
  where: [{ field: 'status', op: '==' }],
  orderBy: [{ field: 'waitlist_seq', direction: 'asc' }],
  usedBy: 'functions:cancelRegistration',
});

export const waitlistAhead = defineQuery({
  name: 'access.waitlistAhead',
  collection: eventRegistrations,
  where: [
    { field: 'status', op: '==' },
    { field: 'waitlist_seq', op: '<=' },
  ],
  usedBy: 'functions:registerForEvent, listAttendees (waitlist positions)',
});

export const registrationsOfEventByStatus = defineQuery({
  name: 'access.registrationsOfEventByStatus',
  collection: eventRegistrations,
  where: [{ field: 'status', op: '==' }],
  usedBy: 'functions:listAttendees (counts)',
});

export const registrationsOfEventCheckedIn = defineQuery({
  name: 'access.registrationsOfEventCheckedIn',
  collection: eventRegistrations,
  where: [{ field: 'checked_in', op: '==' }],
  usedBy: 'functions:listAttendees (counts)',
});

export const attendeesOfEvent = defineQuery({
  name: 'access.attendeesOfEvent',
  collection: eventRegistrations,
  where: [],
  orderBy: [{ field: 'registered_at', direction: 'asc' }],
  usedBy: 'functions:listAttendees',
});

export const attendeesOfEventByStatus = defineQuery({
  name: 'access.attendeesOfEventByStatus',
  collection: eventRegistrations,
  where: [{ field: 'status', op: '==' }],
  orderBy: [{ field: 'registered_at', direction: 'asc' }],
  usedBy: 'functions:listAttendees',
});

export const guestOrdersByEmail = defineQuery({
  name: 'access.guestOrdersByEmail',
  collection: orders,
  where: [
    { field: 'customer_email', op: '==' },
    { field: 'user_id', op: '==' },
  ],
  usedBy: 'functions:adoptGuestOrders (ensureProfile)',
});

export const i18nEntriesByKey = defineQuery({
  name: 'access.i18nEntriesByKey',
  collection: i18nDict,
  where: [
    { field: 'lang', op: '==' },
    { field: 'ns', op: '==' },
    { field: 'key', op: '==' },
  ],
  usedBy: 'functions:saveI18nEntry',
});

export const socialTemplatesByName = defineQuery({
  name: 'access.socialTemplatesByName',
  collection: blogTemplates,
  where: [
    { field: 'platform', op: '==' },
    { field: 'locale', op: '==' },
    { field: 'name', op: '==' },
  ],
  usedBy: 'functions:saveSocialTemplate',
});

export const ACCESS_QUERIES = [
  entitlementsOfUser,
  waitlistOfEvent,
  waitlistAhead,
  registrationsOfEventByStatus,
  registrationsOfEventCheckedIn,
  attendeesOfEvent,
  attendeesOfEventByStatus,
  guestOrdersByEmail,
  i18nEntriesByKey,
  socialTemplatesByName,
] as const;
