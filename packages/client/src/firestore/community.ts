import { deleteDoc, serverTimestamp, type Firestore } from 'firebase/firestore';
import {
  communityCommentWrite,
  communityComments,
  communityCommentsOfPost,
  communityFeed,
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

/** What an author writes of a post (counters, pinning and times are not theirs), to the rules' standard (at most 6 tags…). */
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

/** A new post by the signed-in user: created_at is the server's clock (the feed's order), counters start at 0, not pinned. */
export async function createPost(db: Firestore, uid: string, post: PostInput): Promise<string> {
  const p = postInput.parse(post);
  const ref = await addModelDoc(modelCollection(db, communityPosts, {}), {
    author_id: uid,
    title: p.title,
    content: p.content,
    tags: p.tags ?? [],
    likes_count: 0,
    comments_count: 0,
    published: p.published ?? true,
    pinned: false,
    metadata: null,
    created_at: serverTimestamp(),
    updated_at: serverTimestamp(),
  });
  return ref.id;
}

export async function updatePost(db: Firestore, postId: string, changes: Partial<PostInput>): Promise<void> {
  const c = postInput.partial().parse(changes);
  await updateModelDoc(modelDoc(db, communityPosts, { postId }), { ...c, updated_at: serverTimestamp() });
}

export async function deletePost(db: Firestore, postId: string): Promise<void> {
  await deleteDoc(modelDoc(db, communityPosts, { postId }));
}

export const commentInput = communityCommentWrite.pick({ content: true, parent_id: true }).partial({ parent_id: true });

/** A comment (or a reply, with parent_id) by the signed-in user on a post. */
export async function addComment(db: Firestore, uid: string, postId: string, comment: SchemaInput<typeof commentInput>): Promise<string> {
  const c = commentInput.parse(comment);
  const ref = await addModelDoc(modelCollection(db, communityComments, { postId }), {
    post_id: postId,
    author_id: uid,
    content: c.content,
    parent_id: c.parent_id ?? null,
    likes_count: 0,
    created_at: serverTimestamp(),
    updated_at: serverTimestamp(),
  });
  return ref.id;
}

export function listComments(db: Firestore, postId: string): Promise<ReadResult<DocOf<typeof communityComments>>> {
  return readDocs(communityComments, specQuery(db, communityCommentsOfPost, [], { postId }));
}

export const reportInput = communityReportWrite.pick({ content_type: true, content_id: true, reason: true, description: true }).partial({ description: true });

/** Reports a post or comment to the moderators: a new, pending report, stamped by the server. */
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
  });
  return ref.id;
}
