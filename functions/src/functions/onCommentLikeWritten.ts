import { onDocumentWritten } from 'firebase-functions/v2/firestore';
import { communityCommentLikes } from '@zhengrowth/model';
import { onLikeWritten } from '../community/counters.js';
import { defaultDeps } from '../core/deps.js';

/** `onCommentLikeWritten`: a comment's likes_count follows its like documents, exactly once per delivery. */
export const onCommentLikeWritten = onDocumentWritten({ document: communityCommentLikes.template, retry: true, timeoutSeconds: 60 }, async (event) => {
  await onLikeWritten(defaultDeps(), {
    eventId: event.id,
    postId: event.params.postId,
    commentId: event.params.commentId,
    existedBefore: event.data?.before.exists ?? false,
    existsAfter: event.data?.after.exists ?? false,
  });
});
