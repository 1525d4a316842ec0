import { onDocumentWritten } from 'firebase-functions/v2/firestore';
import { communityComments } from '@zhengrowth/model';
import { onCommentWritten as handler } from '../community/comment-events.js';
import { defaultDeps } from '../core/deps.js';
import { modelData } from '../core/trigger.js';

/** `onCommentWritten`: a post's comments_count and reply notices follow its comments, exactly once per delivery. */
export const onCommentWritten = onDocumentWritten({ document: communityComments.template, retry: true, timeoutSeconds: 60 }, async (event) => {
  await handler(defaultDeps(), {
    eventId: event.id,
    postId: event.params.postId,
    commentId: event.params.commentId,
    before: modelData(communityComments, event.data?.before, 'onCommentWritten'),
    after: modelData(communityComments, event.data?.after, 'onCommentWritten'),
  });
});
