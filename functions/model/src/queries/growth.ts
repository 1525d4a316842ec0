import { analyticsEvents, blogViewShards, experiments } from '../collections/analytics.js';
import { communityReports } from '../collections/community.js';
import { funnelEnrolments } from '../collections/growth.js';
import { funnels, funnelStages, leads } from '../collections/marketing.js';
import { funnelProgress } from '../collections/users.js';
import { defineQuery } from './spec.js';

/** Queries of the community and growth functions (moderation, experiments, analytics, leads, funnels); badges use web.badgesActive. */

/** Every report on one post or comment that is still open: moderation closes them together. */
export const reportsOnContent = defineQuery({
  name: 'growth.reportsOnContent',
  collection: communityReports,
  where: [
    { field: 'content_type', op: '==' },
    { field: 'content_id', op: '==' },
    { field: 'status', op: '==' },
  ],
  usedBy: 'functions:moderateReport',
});

export const experimentsByKey = defineQuery({
  name: 'growth.experimentsByKey',
  collection: experiments,
  where: [{ field: 'key', op: 'in' }],
  usedBy: 'functions:getAssignments, saveExperiment (the uniqueness check finds migrated holders)',
});

/** One UTC day of raw events (the rollup). */
export const analyticsOfDay = defineQuery({
  name: 'growth.analyticsOfDay',
  collection: analyticsEvents,
  where: [{ field: 'day', op: '==' }],
  usedBy: 'functions:analyticsDaily',
});

/** Raw events older than the retention period. */
export const analyticsBeforeDay = defineQuery({
  name: 'growth.analyticsBeforeDay',
  collection: analyticsEvents,
  where: [{ field: 'day', op: '<' }],
  usedBy: 'functions:analyticsDaily',
});

/** A migrated lead with this address as typed or lower-cased (forms made before dedupe). */
export const leadsByAnyEmail = defineQuery({
  name: 'growth.leadsByAnyEmail',
  collection: leads,
  where: [{ field: 'email', op: 'in' }],
  usedBy: 'functions:submitLead, onLeadFormCreated',
});

export const funnelsByTrigger = defineQuery({
  name: 'growth.funnelsByTrigger',
  collection: funnels,
  where: [
    { field: 'trigger_event', op: '==' },
    { field: 'active', op: '==' },
  ],
  usedBy: 'functions:onDomainEvent',
});

export const stagesInOrder = defineQuery({
  name: 'growth.stagesInOrder',
  collection: funnelStages,
  where: [],
  orderBy: [{ field: 'order', direction: 'asc' }],
  usedBy: 'functions:advanceFunnels',
});

/** A user's progress in one funnel (migrated progress documents have ids of their own). */
export const progressInFunnel = defineQuery({
  name: 'growth.progressInFunnel',
  collection: funnelProgress,
  where: [{ field: 'funnel_id', op: '==' }],
  usedBy: 'functions:onDomainEvent',
});

/** Enrolments whose next stage is due, the oldest first. */
export const enrolmentsDue = defineQuery({
  name: 'growth.enrolmentsDue',
  collection: funnelEnrolments,
  where: [
    { field: 'status', op: '==' },
    { field: 'next_run_at', op: '<=' },
  ],
  orderBy: [{ field: 'next_run_at', direction: 'asc' }],
  usedBy: 'functions:advanceFunnels',
});

/** Shards holding views not yet rolled into their post. */
export const blogViewShardsPending = defineQuery({
  name: 'growth.blogViewShardsPending',
  collection: blogViewShards,
  where: [{ field: 'pending', op: '>' }],
  usedBy: 'functions:rollupBlogViews',
});

export const GROWTH_QUERIES = [
  blogViewShardsPending,
  reportsOnContent,
  experimentsByKey,
  analyticsOfDay,
  analyticsBeforeDay,
  leadsByAnyEmail,
  funnelsByTrigger,
  stagesInOrder,
  progressInFunnel,
  enrolmentsDue,
] as const;
