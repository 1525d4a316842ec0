import { analyticsEvents, experimentAssignments, experiments } from '../collections/analytics.js';
import { bookings, calBookings, calEventTypes, offers } from '../collections/coaching.js';
import { orders } from '../collections/commerce.js';
import { communityComments, communityPosts, communityReports } from '../collections/community.js';
import { appVersions, badges, i18nDict } from '../collections/config.js';
import { blogPosts, lessons } from '../collections/content.js';
import { eventPrices, eventRegistrations, events } from '../collections/events.js';
import { leads } from '../collections/marketing.js';
import { aiSuggestions, goals, inbox, pushSubscriptions, receipts, sessions, socialPosts, userBadges } from '../collections/users.js';
import { defineQuery } from './spec.js';

/**
 * Queries the web app makes against Firestore directly (the screens that are not callables). The
 * web app builds them from these specs, the index test checks each has its index, and the parity
 * matrix runs them as the "list" cases: a public or own-rows query must be one the rules can allow.
 */

// ---- content ------------------------------------------------------------------------------------

export const blogPublished = defineQuery({
  name: 'web.blogPublished',
  collection: blogPosts,
  where: [{ field: 'published', op: '==' }],
  orderBy: [{ field: 'published_at', direction: 'desc' }],
  usedBy: 'web:blog',
});

export const blogPublishedByLang = defineQuery({
  name: 'web.blogPublishedByLang',
  collection: blogPosts,
  where: [
    { field: 'published', op: '==' },
    { field: 'lang', op: '==' },
  ],
  orderBy: [{ field: 'published_at', direction: 'desc' }],
  usedBy: 'web:blog',
});

export const blogPublishedByTag = defineQuery({
  name: 'web.blogPublishedByTag',
  collection: blogPosts,
  where: [
    { field: 'published', op: '==' },
    { field: 'tags', op: 'array-contains' },
  ],
  orderBy: [{ field: 'published_at', direction: 'desc' }],
  usedBy: 'web:blog',
});

export const lessonsPublished = defineQuery({
  name: 'web.lessonsPublished',
  collection: lessons,
  where: [{ field: 'published', op: '==' }],
  orderBy: [{ field: 'order', direction: 'asc' }],
  usedBy: 'web:lessons',
});

export const lessonsPublishedByModule = defineQuery({
  name: 'web.lessonsPublishedByModule',
  collection: lessons,
  where: [
    { field: 'published', op: '==' },
    { field: 'module_id', op: '==' },
  ],
  orderBy: [{ field: 'order', direction: 'asc' }],
  usedBy: 'web:lessons',
});

export const lessonsByModule = defineQuery({
  name: 'web.lessonsByModule',
  collection: lessons,
  where: [{ field: 'module_id', op: '==' }],
  orderBy: [{ field: 'order', direction: 'asc' }],
  usedBy: 'web:admin-lessons',
});

// ---- events -------------------------------------------------------------------------------------

export const eventsUpcoming = defineQuery({
  name: 'web.eventsUpcoming',
  collection: events,
  where: [
    { field: 'published', op: '==' },
    { field: 'start_time', op: '>=' },
  ],
  orderBy: [{ field: 'start_time', direction: 'asc' }],
  usedBy: 'web:events',
});

export const eventPricesActive = defineQuery({
  name: 'web.eventPricesActive',
  collection: eventPrices,
  where: [{ field: 'active', op: '==' }],
  usedBy: 'web:event',
});

/** A user's registrations across every event (collection group). */
export const registrationsMine = defineQuery({
  name: 'web.registrationsMine',
  collection: eventRegistrations,
  group: true,
  where: [{ field: 'user_id', op: '==' }],
  usedBy: 'web:my-events',
});

export const registrationsOfEvent = defineQuery({
  name: 'web.registrationsOfEvent',
  collection: eventRegistrations,
  where: [],
  orderBy: [{ field: 'registered_at', direction: 'desc' }],
  usedBy: 'web:coach-event',
});

// ---- a user's own data --------------------------------------------------------------------------

export const inboxUnread = defineQuery({
  name: 'web.inboxUnread',
  collection: inbox,
  where: [{ field: 'read', op: '==' }],
  orderBy: [{ field: 'created_at', direction: 'desc' }],
  usedBy: 'web:inbox',
});

export const inboxRecent = defineQuery({
  name: 'web.inboxRecent',
  collection: inbox,
  where: [],
  orderBy: [{ field: 'created_at', direction: 'desc' }],
  usedBy: 'web:inbox',
});

export const goalsOfUser = defineQuery({
  name: 'web.goalsOfUser',
  collection: goals,
  where: [],
  orderBy: [{ field: 'created_at', direction: 'desc' }],
  usedBy: 'web:goals (the owner; a coach on a client page); functions:listMyClients',
});

export const sessionsOfUser = defineQuery({
  name: 'web.sessionsOfUser',
  collection: sessions,
  where: [],
  orderBy: [{ field: 'session_date', direction: 'desc' }],
  usedBy: 'web:sessions',
});

/** A coach's sessions across every client (collection group). */
export const sessionsOfCoach = defineQuery({
  name: 'web.sessionsOfCoach',
  collection: sessions,
  group: true,
  where: [{ field: 'coach_id', op: '==' }],
  orderBy: [{ field: 'session_date', direction: 'desc' }],
  usedBy: 'web:coach',
});

export const receiptsOfUser = defineQuery({
  name: 'web.receiptsOfUser',
  collection: receipts,
  where: [],
  orderBy: [{ field: 'issued_at', direction: 'desc' }],
  usedBy: 'web:account',
});

export const badgesOfUser = defineQuery({
  name: 'web.badgesOfUser',
  collection: userBadges,
  where: [],
  orderBy: [{ field: 'awarded_at', direction: 'desc' }],
  usedBy: 'web:profile',
});

export const pushSubscriptionsActive = defineQuery({
  name: 'web.pushSubscriptionsActive',
  collection: pushSubscriptions,
  where: [{ field: 'active', op: '==' }],
  usedBy: 'web:settings',
});

export const socialPostsByStatus = defineQuery({
  name: 'web.socialPostsByStatus',
  collection: socialPosts,
  where: [{ field: 'status', op: '==' }],
  orderBy: [{ field: 'scheduled_for', direction: 'asc' }],
  usedBy: 'web:social',
});

export const aiSuggestionsByType = defineQuery({
  name: 'web.aiSuggestionsByType',
  collection: aiSuggestions,
  where: [{ field: 'suggestion_type', op: '==' }],
  usedBy: 'web:dashboard',
});

export const ordersMine = defineQuery({
  name: 'web.ordersMine',
  collection: orders,
  where: [{ field: 'user_id', op: '==' }],
  orderBy: [{ field: 'created_at', direction: 'desc' }],
  usedBy: 'web:account',
});

export const bookingsMine = defineQuery({
  name: 'web.bookingsMine',
  collection: bookings,
  where: [{ field: 'customer_email', op: '==' }],
  orderBy: [{ field: 'created_at', direction: 'desc' }],
  usedBy: 'web:my-bookings',
});

export const calBookingsMine = defineQuery({
  name: 'web.calBookingsMine',
  collection: calBookings,
  where: [{ field: 'attendee_email', op: '==' }],
  orderBy: [{ field: 'start_time', direction: 'desc' }],
  usedBy: 'web:my-bookings',
});

export const calBookingsUpcoming = defineQuery({
  name: 'web.calBookingsUpcoming',
  collection: calBookings,
  where: [{ field: 'start_time', op: '>=' }],
  orderBy: [{ field: 'start_time', direction: 'asc' }],
  usedBy: 'web:coach-calendar',
});

export const experimentAssignmentsMine = defineQuery({
  name: 'web.experimentAssignmentsMine',
  collection: experimentAssignments,
  where: [{ field: 'user_id', op: '==' }],
  usedBy: 'web:app-start',
});

// ---- catalogues and configuration ---------------------------------------------------------------

export const offersActive = defineQuery({
  name: 'web.offersActive',
  collection: offers,
  where: [{ field: 'active', op: '==' }],
  usedBy: 'web:pricing',
});

export const calEventTypesActive = defineQuery({
  name: 'web.calEventTypesActive',
  collection: calEventTypes,
  where: [{ field: 'active', op: '==' }],
  usedBy: 'web:booking',
});

export const experimentsEnabled = defineQuery({
  name: 'web.experimentsEnabled',
  collection: experiments,
  where: [{ field: 'enabled', op: '==' }],
  usedBy: 'web:app-start',
});

export const badgesActive = defineQuery({
  name: 'web.badgesActive',
  collection: badges,
  where: [{ field: 'active', op: '==' }],
  usedBy: 'web:profile; functions:onDomainEvent (badge awards)',
});

export const i18nByLang = defineQuery({
  name: 'web.i18nByLang',
  collection: i18nDict,
  where: [{ field: 'lang', op: '==' }],
  usedBy: 'web:app-start',
});

export const i18nByLangAndNamespace = defineQuery({
  name: 'web.i18nByLangAndNamespace',
  collection: i18nDict,
  where: [
    { field: 'lang', op: '==' },
    { field: 'ns', op: '==' },
  ],
  usedBy: 'web:app-start',
});

export const versionsActive = defineQuery({
  name: 'web.versionsActive',
  collection: appVersions,
  where: [{ field: 'active', op: '==' }],
  orderBy: [{ field: 'created_at', direction: 'desc' }],
  usedBy: 'web:app-start',
});

// ---- community ----------------------------------------------------------------------------------

export const communityFeed = defineQuery({
  name: 'web.communityFeed',
  collection: communityPosts,
  where: [{ field: 'published', op: '==' }],
  orderBy: [{ field: 'created_at', direction: 'desc' }],
  usedBy: 'web:community',
});

export const communityPostsByAuthor = defineQuery({
  name: 'web.communityPostsByAuthor',
  collection: communityPosts,
  where: [{ field: 'author_id', op: '==' }],
  orderBy: [{ field: 'created_at', direction: 'desc' }],
  usedBy: 'web:community (my posts, drafts included)',
});

export const communityCommentsOfPost = defineQuery({
  name: 'web.communityCommentsOfPost',
  collection: communityComments,
  where: [],
  orderBy: [{ field: 'created_at', direction: 'asc' }],
  usedBy: 'web:community',
});

export const communityReportsByStatus = defineQuery({
  name: 'web.communityReportsByStatus',
  collection: communityReports,
  where: [{ field: 'status', op: '==' }],
  orderBy: [{ field: 'created_at', direction: 'desc' }],
  usedBy: 'web:moderation',
});

// ---- staff tools --------------------------------------------------------------------------------

export const leadsByStageAndStatus = defineQuery({
  name: 'web.leadsByStageAndStatus',
  collection: leads,
  where: [
    { field: 'stage', op: '==' },
    { field: 'status', op: '==' },
  ],
  orderBy: [{ field: 'created_at', direction: 'desc' }],
  usedBy: 'web:crm',
});

export const leadsByOwner = defineQuery({
  name: 'web.leadsByOwner',
  collection: leads,
  where: [{ field: 'owner', op: '==' }],
  orderBy: [{ field: 'created_at', direction: 'desc' }],
  usedBy: 'web:crm',
});

export const analyticsByEvent = defineQuery({
  name: 'web.analyticsByEvent',
  collection: analyticsEvents,
  where: [{ field: 'event_name', op: '==' }],
  orderBy: [{ field: 'created_at', direction: 'desc' }],
  usedBy: 'web:admin-analytics',
});

export const WEB_QUERIES = [
  blogPublished,
  blogPublishedByLang,
  blogPublishedByTag,
  lessonsPublished,
  lessonsPublishedByModule,
  lessonsByModule,
  eventsUpcoming,
  eventPricesActive,
  registrationsMine,
  registrationsOfEvent,
  inboxUnread,
  inboxRecent,
  goalsOfUser,
  sessionsOfUser,
  sessionsOfCoach,
  receiptsOfUser,
  badgesOfUser,
  pushSubscriptionsActive,
  socialPostsByStatus,
  aiSuggestionsByType,
  ordersMine,
  bookingsMine,
  calBookingsMine,
  calBookingsUpcoming,
  experimentAssignmentsMine,
  offersActive,
  calEventTypesActive,
  experimentsEnabled,
  badgesActive,
  i18nByLang,
  i18nByLangAndNamespace,
  versionsActive,
  communityFeed,
  communityPostsByAuthor,
  communityCommentsOfPost,
  communityReportsByStatus,
  leadsByStageAndStatus,
  leadsByOwner,
  analyticsByEvent,
] as const;
