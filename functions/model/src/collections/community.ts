import { z } from 'zod';
import { clientWriteSchema, tagList, text, TEXT } from '../client-writes.js';
import { defineCollection } from '../collection.js';
import { id, int, json, stringArray, timestamp, uid } from '../primitives.js';

export const communityPostSchema = z.strictObject({
  author_id: uid,
  title: z.string(),
  content: z.string(),
  tags: stringArray.nullable(),
  likes_count: int.nullable(),
  comments_count: int.nullable(),
  published: z.boolean().nullable(),
  pinned: z.boolean().nullable(),
  metadata: json.nullable(),
  created_at: timestamp.nullable(),
  updated_at: timestamp.nullable(),
  /** Hidden by a moderator (Firebase only): then also unpublished, and its author may no longer edit it. */
  hidden: z.boolean().optional(),
});
export type CommunityPostDoc = z.infer<typeof communityPostSchema>;

/** The fixed form of a post's metadata as authors write it: mentions, an edited flag, a few attachments. */
export const postMetadataWrite = z
  .strictObject({
    mentions: z.array(uid).max(5),
    edited: z.boolean(),
    attachments: z.array(z.strictObject({ type: z.enum(['image', 'link', 'file']), url: text(TEXT.url) })).max(3),
  })
  .partial();
export const communityPostWrite = clientWriteSchema(communityPostSchema, {
  title: text(TEXT.name),
  content: text(TEXT.long),
  tags: tagList(6).nullable(),
  metadata: postMetadataWrite.nullable(),
});
export const communityPosts = defineCollection({
  collection: 'community_posts',
  idParam: 'postId',
  schema: communityPostSchema,
  sources: ['community_posts'],
  access: 'signed-in',
  idFrom: 'community_posts.id',
  description: 'Community posts; signed-in users read published ones and write their own, coaches and admins moderate.',
  clientWrite: communityPostWrite,
});

export const communityCommentSchema = z.strictObject({
  post_id: id,
  author_id: uid,
  content: z.string(),
  parent_id: id.nullable(),
  likes_count: int.nullable(),
  created_at: timestamp.nullable(),
  updated_at: timestamp.nullable(),
  /** Hidden by a moderator (Firebase only): `content` is emptied and the text kept in community_moderation. */
  hidden: z.boolean().optional(),
});
export type CommunityCommentDoc = z.infer<typeof communityCommentSchema>;
export const communityCommentWrite = clientWriteSchema(communityCommentSchema, { content: text(TEXT.paragraph) });
export const communityComments = defineCollection({
  collection: 'community_posts/{postId}/comments',
  idParam: 'commentId',
  schema: communityCommentSchema,
  sources: ['community_comments'],
  access: 'signed-in',
  idFrom: 'community_comments.id',
  description: 'Comments on a community post, with the same access as posts.',
  clientWrite: communityCommentWrite,
});

export const communityReportSchema = z.strictObject({
  reporter_id: uid,
  content_type: z.string(),
  content_id: id,
  reason: z.string(),
  description: z.string().nullable(),
  status: z.string().nullable(),
  reviewed_by: uid.nullable(),
  reviewed_at: timestamp.nullable(),
  action_taken: z.string().nullable(),
  created_at: timestamp.nullable(),
  /** The post a reported comment is on (Firebase only: a comment lives under its post's path). */
  post_id: id.nullable().optional(),
});
export type CommunityReportDoc = z.infer<typeof communityReportSchema>;
export const communityReportWrite = clientWriteSchema(communityReportSchema, {
  content_type: text(TEXT.code),
  reason: text(TEXT.name),
  description: text(TEXT.paragraph).nullable(),
  status: text(TEXT.code).nullable(),
  action_taken: text(500).nullable(),
});
export const communityReports = defineCollection({
  collection: 'community_reports',
  idParam: 'reportId',
  schema: communityReportSchema,
  sources: ['community_reports'],
  access: 'staff',
  idFrom: 'community_reports.id',
  description: 'Moderation reports; signed-in users file them, only coaches and admins read and manage them.',
  clientWrite: communityReportWrite,
});

/** One like of one user (the document id is the uid): one like per user and post by construction. */
export const communityLikeSchema = z.strictObject({
  user_id: uid,
  created_at: timestamp,
});
export type CommunityLikeDoc = z.infer<typeof communityLikeSchema>;
export const communityPostLikes = defineCollection({
  collection: 'community_posts/{postId}/likes',
  idParam: 'uid',
  schema: communityLikeSchema,
  sources: [],
  access: 'owner',
  idFrom: 'the uid of the user who likes the post',
  description: "Likes of a post, one per user, written by `toggleLike`; the post's likes_count follows them (onPostLikeWritten). A user reads their own.",
});
export const communityCommentLikes = defineCollection({
  collection: 'community_posts/{postId}/comments/{commentId}/likes',
  idParam: 'uid',
  schema: communityLikeSchema,
  sources: [],
  access: 'owner',
  idFrom: 'the uid of the user who likes the comment',
  description:
    "Likes of a comment, one per user, written by `toggleLike`; the comment's likes_count follows them (onCommentLikeWritten). A user reads their own.",
});

export const MODERATION_ACTIONS = ['dismiss', 'hide', 'delete', 'warn'] as const;
export const moderationAction = z.enum(MODERATION_ACTIONS);
export type ModerationAction = z.infer<typeof moderationAction>;

/** What a moderator hid or deleted, kept for the author and the staff (a hidden comment's text lives only here). */
export const communityModerationSchema = z.strictObject({
  content_type: z.enum(['post', 'comment']),
  content_id: id,
  post_id: id,
  author_id: uid,
  action: z.enum(['hide', 'delete']),
  title: z.string().nullable(),
  content: z.string(),
  report_id: id,
  note: z.string().nullable(),
  moderated_by: uid,
  moderated_at: timestamp,
});
export type CommunityModerationDoc = z.infer<typeof communityModerationSchema>;
export const communityModeration = defineCollection({
  collection: 'community_moderation',
  idParam: 'recordId',
  schema: communityModerationSchema,
  sources: [],
  access: 'staff',
  idFrom: '`{content_type}:{content_id}`',
  description: 'Content a moderator hid or deleted, as it was; its author and the staff read it, only the server writes.',
});

/** A user banned from posting in the community (the document id is the uid); lifting the ban deletes it. */
export const communityBanSchema = z.strictObject({
  user_id: uid,
  reason: z.string().nullable(),
  banned_by: uid,
  banned_at: timestamp,
});
export type CommunityBanDoc = z.infer<typeof communityBanSchema>;
export const communityBans = defineCollection({
  collection: 'community_bans',
  idParam: 'uid',
  schema: communityBanSchema,
  sources: [],
  access: 'staff',
  idFrom: "the banned user's uid",
  description: 'Users who may not post, comment or edit in the community (set by `setCommunityBan`); the user and the staff read it.',
});
