import { aiLogs, analyticsEvents } from '../collections/analytics.js';
import { bookings, calBookings } from '../collections/coaching.js';
import { orders, payments } from '../collections/commerce.js';
import { communityComments, communityReports } from '../collections/community.js';
import { eventRegistrations } from '../collections/events.js';
import { leads } from '../collections/marketing.js';
import { referrals, socialAccountTokens, users } from '../collections/users.js';
import { defineQuery } from './spec.js';

/**
 * Queries of the accounts functions: the admins' user list (ordered by e-mail or by name, a prefix
 * as a range on the same field), and what names a user outside users/{uid} — by uid or by their
 * verified e-mail — for linking guest records, exports and account deletion. Where a web query
 * already has the shape (ordersMine, bookingsMine, calBookingsMine, registrationsMine,
 * communityPostsByAuthor, experimentAssignmentsMine, sessionsOfCoach) the functions use it.
 */

// ---- the admins' user list ----------------------------------------------------------------------

export const usersByEmailOrder = defineQuery({
  name: 'accounts.usersByEmailOrder',
  collection: users,
  where: [],
  orderBy: [{ field: 'email', direction: 'asc' }],
  usedBy: 'functions:listUsers',
});

export const usersWithRole = defineQuery({
  name: 'accounts.usersWithRole',
  collection: users,
  where: [{ field: 'roles', op: 'array-contains' }],
  orderBy: [{ field: 'email', direction: 'asc' }],
  usedBy:
    'functions:listUsers, setUserRoles and account deletion (the last-admin check); stripeWebhook (admin notices of disputes and failed refunds); submitLead and onLeadFormCreated (the coaches leads go to, round-robin); backupFirestore (who hears of a failed backup)',
});

export const usersByEmailPrefix = defineQuery({
  name: 'accounts.usersByEmailPrefix',
  collection: users,
  where: [
    { field: 'email', op: '>=' },
    { field: 'email', op: '<' },
  ],
  orderBy: [{ field: 'email', direction: 'asc' }],
  usedBy: 'functions:listUsers',
});

export const usersWithRoleByEmailPrefix = defineQuery({
  name: 'accounts.usersWithRoleByEmailPrefix',
  collection: users,
  where: [
    { field: 'roles', op: 'array-contains' },
    { field: 'email', op: '>=' },
    { field: 'email', op: '<' },
  ],
  orderBy: [{ field: 'email', direction: 'asc' }],
  usedBy: 'functions:listUsers',
});

export const usersByNamePrefix = defineQuery({
  name: 'accounts.usersByNamePrefix',
  collection: users,
  where: [
    { field: 'name', op: '>=' },
    { field: 'name', op: '<' },
  ],
  orderBy: [{ field: 'name', direction: 'asc' }],
  usedBy: 'functions:listUsers',
});

export const usersWithRoleByNamePrefix = defineQuery({
  name: 'accounts.usersWithRoleByNamePrefix',
  collection: users,
  where: [
    { field: 'roles', op: 'array-contains' },
    { field: 'name', op: '>=' },
    { field: 'name', op: '<' },
  ],
  orderBy: [{ field: 'name', direction: 'asc' }],
  usedBy: 'functions:listUsers',
});

export const usersOfCoach = defineQuery({
  name: 'accounts.usersOfCoach',
  collection: users,
  where: [{ field: 'coach_id', op: '==' }],
  usedBy: 'functions:account deletion (a deleted coach’s clients lose their coach), listMyClients',
});

// ---- what names a user elsewhere ----------------------------------------------------------------

export const ordersByCustomerEmail = defineQuery({
  name: 'accounts.ordersByCustomerEmail',
  collection: orders,
  where: [{ field: 'customer_email', op: '==' }],
  usedBy: 'functions:ensureProfile (guest orders), account deletion',
});

export const paymentsOfUser = defineQuery({
  name: 'accounts.paymentsOfUser',
  collection: payments,
  where: [{ field: 'user_id', op: '==' }],
  usedBy: 'functions:exportMyData, account deletion',
});

export const bookingsOfUser = defineQuery({
  name: 'accounts.bookingsOfUser',
  collection: bookings,
  where: [{ field: 'user_id', op: '==' }],
  usedBy: 'functions:exportMyData, account deletion',
});

export const calBookingsOfUser = defineQuery({
  name: 'accounts.calBookingsOfUser',
  collection: calBookings,
  where: [{ field: 'user_id', op: '==' }],
  usedBy: 'functions:exportMyData, account deletion, getClientBrief (upcoming bookings with the coach)',
});

/** Registrations across every event by attendee e-mail (collection group). */
export const registrationsByEmail = defineQuery({
  name: 'accounts.registrationsByEmail',
  collection: eventRegistrations,
  group: true,
  where: [{ field: 'attendee_email', op: '==' }],
  usedBy: 'functions:ensureProfile (guest registrations), exportMyData, account deletion',
});

/** A user's comments on every post (collection group). */
export const commentsByAuthor = defineQuery({
  name: 'accounts.commentsByAuthor',
  collection: communityComments,
  group: true,
  where: [{ field: 'author_id', op: '==' }],
  usedBy: 'functions:exportMyData, account deletion',
});

export const reportsByReporter = defineQuery({
  name: 'accounts.reportsByReporter',
  collection: communityReports,
  where: [{ field: 'reporter_id', op: '==' }],
  usedBy: 'functions:exportMyData, account deletion',
});

export const leadsByEmail = defineQuery({
  name: 'accounts.leadsByEmail',
  collection: leads,
  where: [{ field: 'email', op: '==' }],
  usedBy: 'functions:exportMyData, account deletion',
});

export const analyticsOfUser = defineQuery({
  name: 'accounts.analyticsOfUser',
  collection: analyticsEvents,
  where: [{ field: 'user_id', op: '==' }],
  usedBy: 'functions:exportMyData, account deletion',
});

export const aiLogsOfUser = defineQuery({
  name: 'accounts.aiLogsOfUser',
  collection: aiLogs,
  where: [{ field: 'user_id', op: '==' }],
  usedBy: 'functions:exportMyData, account deletion',
});

/** Referrals that name the user as the referee, under their referrers (collection group). */
export const referralsByReferee = defineQuery({
  name: 'accounts.referralsByReferee',
  collection: referrals,
  group: true,
  where: [{ field: 'referee_id', op: '==' }],
  usedBy: 'functions:account deletion',
});

export const socialTokensOfUser = defineQuery({
  name: 'accounts.socialTokensOfUser',
  collection: socialAccountTokens,
  where: [{ field: 'user_id', op: '==' }],
  usedBy: 'functions:account deletion',
});

export const ACCOUNT_QUERIES = [
  usersByEmailOrder,
  usersWithRole,
  usersByEmailPrefix,
  usersWithRoleByEmailPrefix,
  usersByNamePrefix,
  usersWithRoleByNamePrefix,
  usersOfCoach,
  ordersByCustomerEmail,
  paymentsOfUser,
  bookingsOfUser,
  calBookingsOfUser,
  registrationsByEmail,
  commentsByAuthor,
  reportsByReporter,
  leadsByEmail,
  analyticsOfUser,
  aiLogsOfUser,
  referralsByReferee,
  socialTokensOfUser,
] as const;
