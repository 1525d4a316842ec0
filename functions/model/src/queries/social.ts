import { blogTemplates } from '../collections/content.js';
import { oauthStates, socialPublishJobs } from '../collections/system.js';
import { lessonProgress, sessions, socialAccounts, socialAccountTokens, socialAnalytics, socialPosts } from '../collections/users.js';
import { defineQuery } from './spec.js';

/** Queries of the AI callables and of the social connect, publish and measure functions. */

/** The publisher's work: scheduled posts that are due, and taken posts whose lease ran out (a crashed run). */
export const socialPublishJobsDue = defineQuery({
  name: 'social.publishJobsDue',
  collection: socialPublishJobs,
  where: [
    { field: 'state', op: 'in' },
    { field: 'due_at', op: '<=' },
  ],
  orderBy: [{ field: 'due_at', direction: 'asc' }],
  usedBy: 'functions:publishDueSocialPosts',
});

/** Published posts of the last days, for the daily metrics job. */
export const socialPostsPublishedSince = defineQuery({
  name: 'social.postsPublishedSince',
  collection: socialPosts,
  group: true,
  where: [
    { field: 'status', op: '==' },
    { field: 'published_at', op: '>=' },
  ],
  orderBy: [{ field: 'published_at', direction: 'asc' }],
  usedBy: 'functions:fetchSocialMetrics',
});

/** An account's posts in one status (a disconnect cancels the scheduled ones). */
export const socialPostsOfAccount = defineQuery({
  name: 'social.postsOfAccount',
  collection: socialPosts,
  where: [
    { field: 'account_id', op: '==' },
    { field: 'status', op: '==' },
  ],
  usedBy: 'functions:disconnectSocialAccount',
});

/** A user's connected accounts on one platform (the drafts go to the first connected one). */
export const socialAccountsByPlatform = defineQuery({
  name: 'social.accountsByPlatform',
  collection: socialAccounts,
  where: [{ field: 'platform', op: '==' }],
  usedBy: 'functions:generateSocialDrafts',
});

/** Tokens the refresh job renews now. */
export const socialTokensDue = defineQuery({
  name: 'social.tokensDue',
  collection: socialAccountTokens,
  where: [{ field: 'refresh_due_at', op: '<=' }],
  orderBy: [{ field: 'refresh_due_at', direction: 'asc' }],
  usedBy: 'functions:refreshSocialTokens',
});

/** A user's metric snapshots fetched in [from, to). */
export const socialAnalyticsOfUser = defineQuery({
  name: 'social.analyticsOfUser',
  collection: socialAnalytics,
  where: [
    { field: 'user_id', op: '==' },
    { field: 'fetched_at', op: '>=' },
    { field: 'fetched_at', op: '<' },
  ],
  orderBy: [{ field: 'fetched_at', direction: 'asc' }],
  usedBy: 'functions:getSocialAnalytics',
});

/** The active templates of one platform (every locale; the function picks the post's). */
export const blogTemplatesOfPlatform = defineQuery({
  name: 'ai.blogTemplatesOfPlatform',
  collection: blogTemplates,
  where: [
    { field: 'platform', op: '==' },
    { field: 'active', op: '==' },
  ],
  usedBy: 'functions:generateSocialDrafts',
});

/** A client's sessions held by one coach: what makes the client the coach's own, and what the brief reads. */
export const sessionsOfClientWithCoach = defineQuery({
  name: 'ai.sessionsOfClientWithCoach',
  collection: sessions,
  where: [{ field: 'coach_id', op: '==' }],
  usedBy: 'functions:getClientBrief, listMyClients; web:coach (a client’s sessions with the coach)',
});

/** A user's lesson progress, most recently watched first. */
export const lessonProgressRecent = defineQuery({
  name: 'ai.lessonProgressRecent',
  collection: lessonProgress,
  where: [],
  orderBy: [{ field: 'last_watched_at', direction: 'desc' }],
  usedBy: 'functions:getSuggestions',
});

/** Everything of one user outside users/{uid} that the social functions keep (exports; account deletion). */
export const socialAnalyticsAllOfUser = defineQuery({
  name: 'social.analyticsAllOfUser',
  collection: socialAnalytics,
  where: [{ field: 'user_id', op: '==' }],
  usedBy: 'functions:exportMyData, account deletion',
});

export const socialPublishJobsOfUser = defineQuery({
  name: 'social.publishJobsOfUser',
  collection: socialPublishJobs,
  where: [{ field: 'user_id', op: '==' }],
  usedBy: 'functions:account deletion',
});

export const oauthStatesOfUser = defineQuery({
  name: 'social.oauthStatesOfUser',
  collection: oauthStates,
  where: [{ field: 'user_id', op: '==' }],
  usedBy: 'functions:account deletion',
});

export const SOCIAL_QUERIES = [
  socialPublishJobsDue,
  socialPostsPublishedSince,
  socialPostsOfAccount,
  socialAccountsByPlatform,
  socialTokensDue,
  socialAnalyticsOfUser,
  blogTemplatesOfPlatform,
  sessionsOfClientWithCoach,
  lessonProgressRecent,
  socialAnalyticsAllOfUser,
  socialPublishJobsOfUser,
  oauthStatesOfUser,
];
