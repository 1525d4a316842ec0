import { z } from 'zod';
import { moderationAction } from '../collections/community.js';
import { defineCallable } from './contract.js';
import { docIdInput } from './common.js';

/** Size limits of what members write (the rules hold edits to the same limits). */
export const COMMUNITY_LIMITS = { title: 200, content: 10_000, comment: 5_000, tags: 10, tag: 40 } as const;

const text = (max: number) => z.string().trim().min(1).max(max);

export const createPost = defineCallable({
  name: 'createPost',
  access: 'signed-in',
  description:
    'A community post by the caller (stamped by the server, counters at 0, not pinned); limited per user, size-limited, refused to banned or disabled users.',
  input: z.strictObject({
    title: text(COMMUNITY_LIMITS.title),
    content: text(COMMUNITY_LIMITS.content),
    tags: z.array(text(COMMUNITY_LIMITS.tag)).max(COMMUNITY_LIMITS.tags).default([]),
    published: z.boolean().default(true),
  }),
  output: z.strictObject({ post_id: z.string() }),
});

export const addComment = defineCallable({
  name: 'addComment',
  access: 'signed-in',
  description:
    'A comment on a published post, or a reply to a comment of the same post (parent_id); the post’s or parent’s author gets an inbox notice (not for their own replies, at most one per thread per hour).',
  input: z.strictObject({
    post_id: docIdInput,
    content: text(COMMUNITY_LIMITS.comment),
    parent_id: docIdInput.optional(),
  }),
  output: z.strictObject({ comment_id: z.string() }),
});

export const toggleLike = defineCallable({
  name: 'toggleLike',
  access: 'signed-in',
  description:
    'Likes (liked: true) or unlikes a post, or a comment of it: one like per user by construction; likes_count follows the like documents (a trigger, exactly once per delivery). Asking for the state it already has changes nothing.',
  input: z.strictObject({ post_id: docIdInput, comment_id: docIdInput.optional(), liked: z.boolean() }),
  output: z.strictObject({ liked: z.boolean(), changed: z.boolean() }),
});

export const moderateReport = defineCallable({
  name: 'moderateReport',
  access: 'staff',
  description:
    'Applies dismiss, hide, delete or warn to the reported post or comment and closes every pending report on it, in one transaction; the author is told (not for dismiss).',
  input: z.strictObject({
    report_id: docIdInput,
    action: moderationAction,
    note: z.string().trim().max(1000).optional(),
    /** For a migrated report of a comment that does not say which post it is on. */
    post_id: docIdInput.optional(),
  }),
  output: z.strictObject({
    report_id: z.string(),
    action: moderationAction,
    content_type: z.enum(['post', 'comment']),
    content_id: z.string(),
    /** Every report closed by this action (this one included). */
    closed_report_ids: z.array(z.string()),
  }),
});

export const setCommunityBan = defineCallable({
  name: 'setCommunityBan',
  access: 'staff',
  description: 'Bans a user from posting, commenting and editing in the community (banned: true), or lifts the ban.',
  input: z.strictObject({ uid: docIdInput, banned: z.boolean(), reason: z.string().trim().max(500).optional() }),
  output: z.strictObject({ uid: z.string(), banned: z.boolean() }),
});
