import { emailLogs, emailQueue, emailTemplates } from '../collections/config.js';
import { events } from '../collections/events.js';
import { anonymousPushSubscriptions, inbox, pushSubscriptions, sessions } from '../collections/users.js';
import { defineQuery } from './spec.js';

/** Queries of the e-mail sender, the Resend webhook, web push, reminders and the inbox jobs. */

export const emailQueueDue = defineQuery({
  name: 'messaging.emailQueueDue',
  collection: emailQueue,
  where: [
    { field: 'status', op: '==' },
    { field: 'scheduled_for', op: '<=' },
  ],
  orderBy: [{ field: 'scheduled_for', direction: 'asc' }],
  usedBy: 'functions:processEmailQueue',
});

export const emailQueueLeaseExpired = defineQuery({
  name: 'messaging.emailQueueLeaseExpired',
  collection: emailQueue,
  where: [
    { field: 'status', op: '==' },
    { field: 'lease_expires_at', op: '<=' },
  ],
  orderBy: [{ field: 'lease_expires_at', direction: 'asc' }],
  usedBy: 'functions:processEmailQueue',
});

/** Migrated templates have random ids and no language: found by slug when no `{slug}.{lang}` version exists. */
export const emailTemplatesBySlug = defineQuery({
  name: 'messaging.emailTemplatesBySlug',
  collection: emailTemplates,
  where: [{ field: 'slug', op: '==' }],
  usedBy: 'functions:sendQueuedEmail',
});

export const emailLogsByProviderId = defineQuery({
  name: 'messaging.emailLogsByProviderId',
  collection: emailLogs,
  where: [{ field: 'provider_id', op: '==' }],
  usedBy: 'functions:resendWebhook',
});

export const pushSubscriptionsByEndpoint = defineQuery({
  name: 'messaging.pushSubscriptionsByEndpoint',
  collection: pushSubscriptions,
  where: [{ field: 'endpoint', op: '==' }],
  usedBy: 'functions:subscribePush',
});

/** Every user's subscriptions, page by page (document name order): broadcasts. */
export const pushSubscriptionsAll = defineQuery({
  name: 'messaging.pushSubscriptionsAll',
  collection: pushSubscriptions,
  group: true,
  where: [],
  usedBy: 'functions:broadcastPush',
});

export const anonymousPushSubscriptionsAll = defineQuery({
  name: 'messaging.anonymousPushSubscriptionsAll',
  collection: anonymousPushSubscriptions,
  where: [],
  usedBy: 'functions:broadcastPush',
});

/** Coaching sessions still scheduled whose time falls in a window (reminders), across clients. */
export const sessionsScheduledBetween = defineQuery({
  name: 'messaging.sessionsScheduledBetween',
  collection: sessions,
  group: true,
  where: [
    { field: 'status', op: '==' },
    { field: 'session_date', op: '>' },
    { field: 'session_date', op: '<=' },
  ],
  orderBy: [{ field: 'session_date', direction: 'asc' }],
  usedBy: 'functions:sendReminders',
});

export const eventsStartingBetween = defineQuery({
  name: 'messaging.eventsStartingBetween',
  collection: events,
  where: [
    { field: 'published', op: '==' },
    { field: 'start_time', op: '>' },
    { field: 'start_time', op: '<=' },
  ],
  orderBy: [{ field: 'start_time', direction: 'asc' }],
  usedBy: 'functions:sendReminders',
});

/** Inbox items past their expires_at, across users (the daily clean-up; production also has a TTL policy). */
export const inboxExpired = defineQuery({
  name: 'messaging.inboxExpired',
  collection: inbox,
  group: true,
  where: [{ field: 'expires_at', op: '<=' }],
  orderBy: [{ field: 'expires_at', direction: 'asc' }],
  usedBy: 'functions:expireInboxItems',
});

/** A user's unread items (read false; migrated rows may hold null: inboxReadNull). */
export const inboxUnreadOfUser = defineQuery({
  name: 'messaging.inboxUnreadOfUser',
  collection: inbox,
  where: [{ field: 'read', op: '==' }],
  usedBy: 'functions:markInboxRead',
});

export const MESSAGING_QUERIES = [
  emailQueueDue,
  emailQueueLeaseExpired,
  emailTemplatesBySlug,
  emailLogsByProviderId,
  pushSubscriptionsByEndpoint,
  pushSubscriptionsAll,
  anonymousPushSubscriptionsAll,
  sessionsScheduledBetween,
  eventsStartingBetween,
  inboxExpired,
  inboxUnreadOfUser,
] as const;
