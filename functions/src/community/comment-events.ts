/**
 * What follows a comment write (the `onCommentWritten` trigger): the post's comments_count moves by
 * the change in counted comments (a new one +1, a deleted or hidden one -1, a plain edit 0), and a
 * new comment tells the author of what it answers (the post, or the parent comment of a reply).
 *
 * Exactly once under at-least-once delivery (counters.ts): the counter, the reply notice and its
 * limit — one per thread and recipient per hour, the shared rate-limit window — are written in
 * the transaction that records the delivery.
 */
import { Timestamp } from 'firebase-admin/firestore';
import type { CommunityCommentDoc } from '@zhengrowth/model';
import type { Deps } from '../core/deps.js';
import { readWindow } from '../core/rate-limit.js';
import { notifyInbox, type InboxNotice } from '../shared/outbox.js';
import { moveCounter } from './counters.js';
import { commentRef, postRef } from './refs.js';

export interface CommentWrite {
  /** The delivery's event id (the same on every redelivery). */
  eventId: string;
  postId: string;
  commentId: string;
  before: CommunityCommentDoc | undefined;
  after: CommunityCommentDoc | undefined;
}

/** A thread notifies its author at most this often. */
export const REPLY_NOTICE_LIMIT = { max: 1, per_seconds: 3600 };

const counted = (c: CommunityCommentDoc | undefined): number => (c && c.hidden !== true ? 1 : 0);

interface NoticeTarget {
  uid: string;
  /** The post, or `post/parent comment`: one thread. */
  thread: string;
  answersComment: boolean;
}

/** Who a new comment answers (read outside the transaction: authors never change). */
async function noticeTarget(deps: Deps, w: CommentWrite, comment: CommunityCommentDoc): Promise<NoticeTarget | null> {
  let target: NoticeTarget | null = null;
  if (comment.parent_id) {
    const parent = (await commentRef(deps.db, w.postId, comment.parent_id).get()).data();
    if (parent) target = { uid: parent.author_id, thread: `${w.postId}/${comment.parent_id}`, answersComment: true };
  } else {
    const post = (await postRef(deps.db, w.postId).get()).data();
    if (post) target = { uid: post.author_id, thread: w.postId, answersComment: false };
  }
  // Not for one's own replies.
  return target && target.uid !== comment.author_id ? target : null;
}

export async function onCommentWritten(deps: Deps, w: CommentWrite): Promise<void> {
  const delta = counted(w.after) - counted(w.before);
  const created = !w.before && w.after ? w.after : null;
  const target = created ? await noticeTarget(deps, w, created) : null;
  if (delta === 0 && !target) return;
  const now = deps.now();
  await moveCounter(
    deps,
    { eventId: w.eventId, handler: 'comment-written', target: postRef(deps.db, w.postId).withConverter(null), field: 'comments_count', delta },
    {
      read: (tx, db) =>
        target ? readWindow(tx, db, 'reply-notice', 'uid', `${target.uid}\u0000${target.thread}`, REPLY_NOTICE_LIMIT, now) : Promise.resolve(null),
      write: (tx, db, window) => {
        if (!target || !created || window?.retryAfter !== 0) return;
        window.count();
        notifyInbox(tx, db, target.uid, `reply-${w.postId}-${w.commentId}`, replyNotice(w, created, target), Timestamp.fromDate(now));
      },
    },
  );
}

function replyNotice(w: CommentWrite, created: CommunityCommentDoc, target: NoticeTarget): InboxNotice {
  return {
    type: 'community_reply',
    title: target.answersComment ? 'New reply to your comment' : 'New comment on your post',
    message: created.content.length > 140 ? `${created.content.slice(0, 139)}…` : created.content,
    action_url: `/community/posts/${w.postId}#comment-${w.commentId}`,
    metadata: { post_id: w.postId, comment_id: w.commentId, parent_id: created.parent_id },
  };
}
