/** References to community documents, through the model's converters. */
import type { Firestore } from 'firebase-admin/firestore';
import { communityBans, communityCommentLikes, communityComments, communityPostLikes, communityPosts, communityReports } from '@zhengrowth/model';

export const postRef = (db: Firestore, postId: string) => db.doc(communityPosts.docPath({ postId })).withConverter(communityPosts.converter);

export const commentRef = (db: Firestore, postId: string, commentId: string) =>
  db.doc(communityComments.docPath({ postId, commentId })).withConverter(communityComments.converter);

export const reportRef = (db: Firestore, reportId: string) => db.doc(communityReports.docPath({ reportId })).withConverter(communityReports.converter);

export const banRef = (db: Firestore, uid: string) => db.doc(communityBans.docPath({ uid })).withConverter(communityBans.converter);

export function likeRef(db: Firestore, uid: string, postId: string, commentId?: string) {
  return commentId
    ? db.doc(communityCommentLikes.docPath({ postId, commentId, uid })).withConverter(communityCommentLikes.converter)
    : db.doc(communityPostLikes.docPath({ postId, uid })).withConverter(communityPostLikes.converter);
}

/** What members see: published and not hidden. */
export function isVisible(p: { published: boolean | null; hidden?: boolean | undefined }): boolean {
  return p.published === true && p.hidden !== true;
}
