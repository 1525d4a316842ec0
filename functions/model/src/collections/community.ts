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
});
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
});
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
