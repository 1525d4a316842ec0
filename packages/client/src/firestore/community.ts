import { deleteDoc, getDoc, serverTimestamp, type Firestore } from 'firebase/firestore';
import {
  communityCommentLikes,
  communityComments,
  communityCommentsOfPost,
  communityFeed,
  communityModeration,
  communityPostLikes,
  communityPosts,
  communityPostsByAuthor,
  communityPostWrite,
  communityReports,
  communityReportWrite,
  type CommunityPostDoc,
  type DocOf,
  type SchemaInput,
} from '@zhengrowth/model';
import { specQuery } from './queries.js';
import { readDocs, type ReadResult } from './read.js';
import { addModelDoc, modelCollection, modelDoc, updateModelDoc } from './refs.js';

/**
 * What an author edits of a post (counters, pinning, hiding and times are not theirs), to the rules' standard (at most 6 tags…). New posts and
 * comments go through the callables `api.createPost` and `api.addComment` (posting limits, bans).
 */
export const postInput = communityPostWrite.pick({ title: true, content: true, tags: true, published: true }).partial({ tags: true, published: true });
export type PostInput = SchemaInput<typeof postInput>;

/** Published posts, newest first: the feed every member reads (the rules allow only `published == true` here). */
export function listFeed(db: Firestore, max = 20): Promise<ReadResult<CommunityPostDoc>> {
  return readDocs(communityPosts, specQuery(db, communityFeed, [true], {}, max));
}

/** The signed-in author's own posts, drafts included. */
export function listMyPosts(db: Firestore, uid: string, max = 50): Promise<ReadResult<CommunityPostDoc>> {
  return readDocs(communityPosts, specQuery(db, communityPostsByAuthor, [uid], {}, max));
}

export async function updatePost(db: Firestore, postId: string, changes: Partial<PostInput>): Promise<void> {
  const c = postInput.partial().parse(changes);
  await updateModelDoc(modelDoc(db, communityPosts, { postId }), { ...c, updated_at: serverTimestamp() });
}

export async function deletePost(db: Firestore, postId: string): Promise<void> {
  await deleteDoc(modelDoc(db, communityPosts, { postId }));
}

/**
 * A post's comments, oldest first. The thread of a hidden or unpublished post is read only by the
 * post's author and the staff: anyone else is refused (`permission-denied`), as for the post itself.
 */
export function listComments(db: Firestore, postId: string): Promise<ReadResult<DocOf<typeof communityComments>>> {
  return readDocs(communityComments, specQuery(db, communityCommentsOfPost, [], { postId }));
}

export const reportInput = communityReportWrite
  .pick({ content_type: true, content_id: true, reason: true, description: true, post_id: true })
  .partial({ description: true, post_id: true });

/**
 * Reports a post or comment to the moderators: a new, pending report, stamped by the server. For
 * a comment, pass the post it is on (`post_id`): moderators act on it through that post.
 */
export async function reportContent(db: Firestore, uid: string, report: SchemaInput<typeof reportInput>): Promise<string> {
  const r = reportInput.parse(report);
  const ref = await addModelDoc(modelCollection(db, communityReports, {}), {
    reporter_id: uid,
    content_type: r.content_type,
    content_id: r.content_id,
    reason: r.reason,
    description: r.description ?? null,
    status: 'pending',
    reviewed_by: null,
    reviewed_at: null,
    action_taken: null,
    created_at: serverTimestamp(),
    ...(r.post_id !== undefined ? { post_id: r.post_id } : {}),
  });
  return ref.id;
}

/** Whether the signed-in user likes a post (or one of its comments): their own like document. */
export async function hasLiked(db: Firestore, uid: string, postId: string, commentId?: string): Promise<boolean> {
  const ref = commentId ? modelDoc(db, communityCommentLikes, { postId, commentId, uid }) : modelDoc(db, communityPostLikes, { postId, uid });
  return (await getDoc(ref)).exists();
}

/** What a moderator hid or removed of the signed-in author's (their own content, as it was). */
export async function getMyModeratedContent(db: Firestore, contentType: 'post' | 'comment', contentId: string) {
  const snap = await getDoc(modelDoc(db, communityModeration, { recordId: `${contentType}:${contentId}` }));
  return snap.exists() ? snap.data() : null;
}
